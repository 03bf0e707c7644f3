/* scpauth/doctor.h - pre-handshake diagnostics: the things that make a
 * Kerberos handshake against Active Directory fail before any token is
 * exchanged, each checked and explained with what to do about it.
 *
 * Checks, in report order (each one ok, warn, problem or skipped):
 *   creds     the client credentials (ccache) used for the directory and
 *             the service ticket exist and are current
 *   dc        a DC answers and accepts the bind (which DC, DNS SRV or
 *             explicit, time to bind)
 *   clock     skew between this host and the DC: the RootDSE currentTime
 *             read over the authenticated session or, without a session,
 *             the time in a KDC's reply to an initial-ticket request;
 *             warn above skew_warn_s, problem above skew_max_s (Kerberos
 *             rejects messages beyond 5 minutes by default)
 *   scp       (client side, with a keyword) a serviceConnectionPoint is
 *             found and passes locate's trust checks; gives the SPN when
 *             none was named
 *   spn       the SPN is registered on exactly one account (global catalog)
 *   enctypes  that account's msDS-SupportedEncryptionTypes includes AES
 *   keytab    (service side) the keytab holds the SPN's key at the
 *             directory's msDS-KeyVersionNumber, with an AES enctype
 *   ticket    (client side) a service ticket for the SPN can be obtained
 *             (the first handshake step), and its enctypes
 * Service side means a keytab was given; client side otherwise. */
#ifndef SCPAUTH_DOCTOR_H
#define SCPAUTH_DOCTOR_H

#include "common.h"
#include "error.h"
#include "auth.h"
#include "dir.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum scpauth_doctor_status {
    SCPAUTH_DOCTOR_OK = 0,
    SCPAUTH_DOCTOR_WARN = 1,    /* works now, but something is close to failing */
    SCPAUTH_DOCTOR_PROBLEM = 2, /* a handshake will fail (or fall back to RC4/DES) */
    SCPAUTH_DOCTOR_SKIPPED = 3  /* not applicable, or an earlier check failed */
} scpauth_doctor_status;

#define SCPAUTH_DOCTOR_CHECKS_MAX 8
#define SCPAUTH_DOCTOR_TEXT_MAX 1024
#define SCPAUTH_DOCTOR_SKEW_WARN_S 60   /* default warning threshold */
#define SCPAUTH_DOCTOR_SKEW_MAX_S 300   /* Kerberos' default clockskew */

typedef struct scpauth_doctor_check {
    const char *name;                      /* "creds", "dc", ... (static) */
    scpauth_doctor_status status;
    int code;                              /* SCPAUTH_OK, or the status behind a problem */
    char detail[SCPAUTH_DOCTOR_TEXT_MAX];  /* what was found */
    char fix[SCPAUTH_DOCTOR_TEXT_MAX];     /* what to do; "" when nothing */
    double elapsed_ms;
} scpauth_doctor_check;

typedef struct scpauth_doctor_options {
    const char *spn;     /* the SPN; may be NULL on the client side with keyword */
    const char *keytab;  /* service side: the service's keytab ("FILE:/x" or a path) */
    const char *keyword; /* client side: an SCP keyword, usually the service's GUID */
    const char *service_class; /* optional: SCPs of this class only */
    /* The directory session. dir.creds NULL: client credentials are taken
     * from dir.ccache (NULL = the default ccache) and used for the ticket
     * check too. */
    scpauth_dir_options dir;
    const scpauth_auth_backend *auth_backend; /* NULL = the default */
    unsigned skew_warn_s; /* 0 = SCPAUTH_DOCTOR_SKEW_WARN_S */
    unsigned skew_max_s;  /* 0 = SCPAUTH_DOCTOR_SKEW_MAX_S */
} scpauth_doctor_options;

typedef struct scpauth_doctor_report {
    scpauth_doctor_check checks[SCPAUTH_DOCTOR_CHECKS_MAX];
    size_t count;
    size_t problems, warnings;
    char spn[SCPAUTH_NAME_MAX]; /* the SPN diagnosed ("" when none was known) */
    double skew_s;              /* DC time - local time, when has_skew */
    int has_skew;
} scpauth_doctor_report;

/* Runs every check that applies and fills *report (each check present,
 * skipped ones with the reason). A check that finds a problem is not an
 * error: the call returns SCPAUTH_OK and report->problems counts them.
 * Errors (report then undefined): EINVAL (NULL report or options, neither
 * spn nor keyword, keyword with keytab, malformed SPN: ESPNSYNTAX). */
SCPAUTH_EXPORT SCPAUTH_WUR int scpauth_doctor_run(const scpauth_doctor_options *opts,
                                                  scpauth_doctor_report *report,
                                                  scpauth_error *err);

/* "ok", "warn", "problem" or "skipped". */
SCPAUTH_EXPORT const char *scpauth_doctor_status_name(scpauth_doctor_status s);

/* The check named name in report, or NULL. */
SCPAUTH_EXPORT const scpauth_doctor_check *scpauth_doctor_find(const scpauth_doctor_report *r,
                                                               const char *name);

/* Kerberos enctype number -> name ("aes256-cts-hmac-sha1-96", "rc4-hmac",
 * ...); "enctype-N" in buf for unknown numbers (buf >= 24 bytes). */
SCPAUTH_EXPORT const char *scpauth_enctype_name(int enctype, char *buf, size_t size);

#ifdef __cplusplus
}
#endif
#endif
