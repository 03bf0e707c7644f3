/* doctor_internal.h - the checks of scpauth_doctor_run (private; portable).
 * Each check fills one scpauth_doctor_check; the pure decisions (skew,
 * enctype bits, keytab contents, the AP-REQ inside a first token) are
 * separate functions so unit tests can reach them without a DC. */
#ifndef SCPAUTH_DOCTOR_INTERNAL_H
#define SCPAUTH_DOCTOR_INTERNAL_H

#include <stdint.h>

#include "scpauth/doctor.h"
#include "dir_internal.h"

/* What the checks share while scpauth_doctor_run runs. */
typedef struct scpauth__doctor {
    const scpauth_doctor_options *opts;
    scpauth_doctor_report *report;
    scpauth_creds *creds;      /* client credentials (borrowed or owned) */
    scpauth_creds *owned_creds;
    char principal[SCPAUTH_DIR_PRINCIPAL_MAX]; /* creds' name, "" unknown */
    scpauth_dir *dir;          /* NULL when no session could be opened */
    char spn[SCPAUTH_NAME_MAX];
    /* the SPN's one owner, when the spn check found exactly one */
    char owner_dn[SCPAUTH_DIR_DN_MAX];
    char owner_sam[SCPAUTH_DIR_SAM_MAX];
    int has_owner;
    /* the owner's msDS-KeyVersionNumber, when the enctypes check read it */
    uint32_t kvno;
    int has_kvno;
} scpauth__doctor;

/* Appends a check named name (status SKIPPED, empty texts) and returns it. */
scpauth_doctor_check *scpauth__doctor_add(scpauth__doctor *d, const char *name);

/* Sets the check's status, detail (printf) and code. */
void scpauth__doctor_set(scpauth_doctor_check *c, scpauth_doctor_status s, int code,
                         const char *fmt, ...) SCPAUTH_PRINTF(4, 5);
/* Sets the check's fix text (printf). */
void scpauth__doctor_fix(scpauth_doctor_check *c, const char *fmt, ...) SCPAUTH_PRINTF(2, 3);
/* Appends printf text to the NUL-terminated out (size bytes), cutting. */
void scpauth__doctor_append(char *out, size_t size, const char *fmt, ...) SCPAUTH_PRINTF(3, 4);
/* A problem from an error: detail = message, fix = hint (or fallback). */
void scpauth__doctor_fail(scpauth_doctor_check *c, const scpauth_error *err,
                          const char *fallback_fix);

/* ---- the checks (doctor_dir.c, doctor_account.c, doctor_keytab.c,
 * doctor_ticket.c, doctor_scp.c) ------------------------------------------ */
void scpauth__doctor_check_creds(scpauth__doctor *d);
void scpauth__doctor_check_dc(scpauth__doctor *d);
void scpauth__doctor_check_clock(scpauth__doctor *d);
void scpauth__doctor_check_scp(scpauth__doctor *d);
void scpauth__doctor_check_spn(scpauth__doctor *d);
void scpauth__doctor_check_enctypes(scpauth__doctor *d);
void scpauth__doctor_check_keytab(scpauth__doctor *d);
void scpauth__doctor_check_ticket(scpauth__doctor *d);

/* Reads attrs of the object dn (base search on the session's DC) into *out.
 * ENOTFOUND when the DC has no such object. */
int scpauth__doctor_read(scpauth__doctor *d, const char *dn, const char *const *attrs,
                         scpauth__dir_entries *out, scpauth_error *err);

/* ---- pure decisions ------------------------------------------------------ */

/* LDAP GeneralizedTime "YYYYMMDDHHMMSS[.f]Z" (as AD's currentTime) ->
 * seconds since 1970 (UTC). Errors: EINVAL. */
int scpauth__doctor_gentime(const char *text, double *out, scpauth_error *err);

/* Classifies skew (remote - local, seconds) against the thresholds and
 * writes the detail and fix. source: "DC dc1 (RootDSE currentTime)". */
void scpauth__doctor_skew_judge(scpauth_doctor_check *c, double skew, unsigned warn_s,
                                unsigned max_s, const char *source);

#define SCPAUTH__ETYPES_DES 0x3u /* DES-CBC-CRC, DES-CBC-MD5 */
#define SCPAUTH__ETYPES_RC4 0x4u
#define SCPAUTH__ETYPES_AES 0x18u /* AES128, AES256 */

/* Judges msDS-SupportedEncryptionTypes (value NULL: unset) of account. */
void scpauth__doctor_etypes_judge(scpauth_doctor_check *c, const char *account,
                                  const char *value);

/* 1 for an AES enctype number (17, 18, 19, 20). */
int scpauth__enctype_is_aes(int enctype);

/* One key of a keytab, as the platform read it. */
typedef struct scpauth__keytab_key {
    char principal[SCPAUTH_NAME_MAX]; /* "name/inst@REALM" */
    uint32_t kvno;
    int enctype;
} scpauth__keytab_key;

typedef struct scpauth__keytab_keys {
    scpauth__keytab_key *items;
    size_t count, cap;
} scpauth__keytab_keys;

#define SCPAUTH__KEYTAB_KEYS_MAX 4096 /* entries read from one keytab */

void scpauth__keytab_keys_free(scpauth__keytab_keys *k);

/* Judges the keys for spn against the directory's kvno (has_kvno 0: the
 * directory did not say) and writes detail and fix. */
void scpauth__doctor_keytab_judge(scpauth_doctor_check *c, const char *keytab,
                                  const char *spn, const scpauth__keytab_keys *keys,
                                  int has_kvno, uint32_t kvno);

/* What the AP-REQ in a client's first token says. */
typedef struct scpauth__apreq_facts {
    int ticket_enctype; /* the service key's enctype (ticket enc-part) */
    int has_kvno;
    uint32_t kvno;      /* the service key's version */
    int session_enctype; /* the authenticator's enctype (session key) */
} scpauth__apreq_facts;

/* Parses a GSS krb5 initial context token (RFC 4121 section 4.1: the
 * mechanism OID, TOK_ID 01 00, then the AP-REQ) or a bare AP-REQ, with every
 * length checked. Errors: EPROTO naming what is malformed. */
int scpauth__apreq_parse(const void *token, size_t len, scpauth__apreq_facts *out,
                         scpauth_error *err);

/* ---- platform hooks (src/gssapi/gss_doctor.c; doctor_nokrb5.c elsewhere:
 * ENOTSUP) ----------------------------------------------------------------- */

/* Every key of keytab (krb5_kt_start_seq_get...), at most
 * SCPAUTH__KEYTAB_KEYS_MAX. Errors: EKEYTAB (unreadable, missing), ENOMEM,
 * ENOTSUP. */
int scpauth__keytab_keys_read(const char *keytab, scpauth__keytab_keys *out,
                              scpauth_error *err);

/* The KDC's time from its reply to an initial-ticket request for principal
 * ("name@REALM"; NULL: a probe name in the default realm) sent without
 * pre-authentication: *skew = KDC time - local time, in seconds; *realm
 * receives the realm asked. Errors: EKDC, EINVAL, ENOTSUP. */
int scpauth__kdc_skew(const char *principal, double *skew, char *realm, size_t size,
                      scpauth_error *err);

#endif
