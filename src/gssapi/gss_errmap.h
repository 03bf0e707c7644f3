/* gss_errmap.h - GSS major / krb5 minor status -> scpauth code and hint.
 *
 * Pure table lookups (no GSS call), so unit tests check them without a KDC.
 * Needs only the numeric status values, not the GSSAPI headers. */
#ifndef SCPAUTH_GSS_ERRMAP_H
#define SCPAUTH_GSS_ERRMAP_H

#include <stdint.h>

/* What was being done: the same status means different things (a bad
 * integrity check on a password login is a wrong password; on an AP-REQ it
 * is a stale keytab). */
typedef enum scpauth__gss_op {
    SCPAUTH__GSS_OP_CLIENT_CREDS = 1, /* ccache / password login */
    SCPAUTH__GSS_OP_SERVICE_CREDS,    /* keytab */
    SCPAUTH__GSS_OP_INIT,             /* gss_init_sec_context */
    SCPAUTH__GSS_OP_ACCEPT,           /* gss_accept_sec_context */
    SCPAUTH__GSS_OP_MESSAGE,          /* get/verify MIC, wrap/unwrap, sizes */
    SCPAUTH__GSS_OP_OTHER             /* names, inquiries, export/import */
} scpauth__gss_op;

/* Error table base of MIT's gssapi krb5 mechanism ("k5g"): its codes are not
 * in an installed header. */
#define SCPAUTH__KG_BASE 39756032L
#define SCPAUTH__KG_CCACHE_NOMATCH (SCPAUTH__KG_BASE + 0)
#define SCPAUTH__KG_KEYTAB_NOMATCH (SCPAUTH__KG_BASE + 1)
#define SCPAUTH__KG_TGT_MISSING (SCPAUTH__KG_BASE + 2)
#define SCPAUTH__KG_EMPTY_CCACHE (SCPAUTH__KG_BASE + 12)

/* The scpauth code for a krb5 error code (a GSS minor status of the krb5
 * mechanism, or a krb5 library return) during op; 0 if the table has no row.
 * *hint (may be NULL) receives static advice or NULL. */
int scpauth__gss_map_krb5(scpauth__gss_op op, int32_t code, const char **hint);

/* The scpauth code for a GSS status during op: the krb5 minor first, then
 * the routine error, then (for per-message calls) the supplementary bits
 * (duplicate -> EREPLAY, unseq/gap/old -> ESEQUENCE). Never 0 for a major
 * with a routine error or a supplementary bit; 0 for GSS_S_COMPLETE. */
int scpauth__gss_map_status(scpauth__gss_op op, uint32_t major, uint32_t minor,
                            const char **hint);

#endif
