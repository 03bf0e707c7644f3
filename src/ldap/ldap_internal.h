/* ldap_internal.h - the OpenLDAP libldap + cyrus-sasl GSSAPI directory
 * backend (private to src/ldap/). */
#ifndef SCPAUTH_LDAP_INTERNAL_H
#define SCPAUTH_LDAP_INTERNAL_H

#include <gssapi/gssapi.h>
#include <ldap.h>

#include "dir_backend.h"
#include "error_internal.h"

#define SCPAUTH__LDAP_SSF_MIN 56   /* sign + seal (AD refuses less: "Strong(er) auth") */
#define SCPAUTH__LDAP_PAGE_SIZE 500
#define SCPAUTH__LDAP_PAGES_MAX 200 /* 100000 entries: past the core's own limit */

/* Credentials: the GSS initiator credential of a scpauth_creds (the
 * caller's, borrowed, or one acquired from a ccache, owned), handed to each
 * SASL bind; never the environment. */
typedef struct scpauth__ldap_creds {
    scpauth_creds *owned;  /* NULL when borrowed */
    gss_cred_id_t cred;    /* belongs to the scpauth_creds */
    char principal[SCPAUTH_DIR_PRINCIPAL_MAX];
} scpauth__ldap_creds;

typedef struct scpauth__ldap_conn {
    LDAP *ld;
    char host[SCPAUTH_DIR_HOST_MAX];
    unsigned port;
} scpauth__ldap_conn;

/* A timeval of ms milliseconds. */
struct timeval scpauth__ldap_tv(unsigned ms);

/* Reads the SASL SSF option `option` (LDAP_OPT_X_SASL_SSF: the bound
 * layer's; LDAP_OPT_X_SASL_SSF_MIN: the required minimum) into *ssf.
 * Returns 1, or 0 (another option, or libldap has no value: no SASL layer). */
int scpauth__ldap_ssf_get(LDAP *ld, int option, unsigned *ssf);

/* Requires a SASL layer of at least min on ld's binds; 1 once libldap
 * reports it back, else 0. */
int scpauth__ldap_ssf_min_set(LDAP *ld, unsigned min);

/* Sets err for a failed LDAP call: the mapped code, "<object>: <LDAP text>
 * (<server's diagnostic>)" with the diagnostic cleaned of control
 * characters, a hint where known, and the native LDAP result code. For a
 * constraint violation the server's words decide: "conflict" -> ECONFLICT,
 * "validation" -> EDIRACCESS. Returns the code. */
int scpauth__ldap_fail(scpauth_error *err, LDAP *ld, int rc, const char *diag,
                       const char *fmt, ...) SCPAUTH_PRINTF(5, 6);

/* Waits (at most timeout_ms) for the result of the write msgid and maps a
 * failure: "<what> <dn> on host:port: ..." with the DC's own words;
 * entryAlreadyExists is ECONFLICT. On a timeout the write is abandoned
 * (and may or may not have been made). */
int scpauth__ldap_wait_done(scpauth__ldap_conn *c, int msgid, unsigned timeout_ms,
                            const char *what, const char *dn, scpauth_error *err);

/* The backend's operations. */
double scpauth__ldap_now_ms(void);
int scpauth__ldap_creds_acquire(const scpauth_dir_options *opts, void **bcreds,
                                char *principal, size_t size, scpauth_error *err);
void scpauth__ldap_creds_free(void *bcreds);
int scpauth__ldap_srv_lookup(const char *qname, unsigned timeout_ms, scpauth__srv_list *out,
                             scpauth_error *err);
int scpauth__ldap_connect(void *bcreds, const char *host, unsigned port, unsigned timeout_ms,
                          void **bconn, unsigned *ssf, scpauth_error *err);
void scpauth__ldap_disconnect(void *bconn);
int scpauth__ldap_search(void *bconn, unsigned timeout_ms, const scpauth__dir_query *q,
                         scpauth__dir_entries *out, scpauth_error *err);
int scpauth__ldap_spn_write(void *bconn, unsigned timeout_ms, scpauth_dir_spn_op op,
                            const char *dn, const char *const *spns, size_t n,
                            scpauth_error *err);
int scpauth__ldap_entry_add(void *bconn, unsigned timeout_ms, const scpauth_entry *entry,
                            scpauth_error *err);
int scpauth__ldap_entry_replace(void *bconn, unsigned timeout_ms, const char *dn,
                                const scpauth_entry_attr *attrs, size_t n, scpauth_error *err);
int scpauth__ldap_entry_delete(void *bconn, unsigned timeout_ms, const char *dn,
                               scpauth_error *err);

#endif
