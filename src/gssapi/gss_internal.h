/* gss_internal.h - the MIT GSSAPI backend's handle types and the helpers its
 * files share (private to src/gssapi/). */
#ifndef SCPAUTH_GSS_INTERNAL_H
#define SCPAUTH_GSS_INTERNAL_H

#include <gssapi/gssapi.h>
#include <gssapi/gssapi_ext.h>
#include <gssapi/gssapi_krb5.h>
#include <krb5.h>

#include "auth_backend.h"
#include "gss_errmap.h"
#include "gss_token.h"

/* Backend credentials: one GSS credential plus what error messages name. */
typedef struct scpauth__gss_creds {
    scpauth_role role;
    gss_cred_id_t cred;
    char name[SCPAUTH_NAME_MAX];   /* principal, "" for an unrestricted service */
    char source[SCPAUTH_NAME_MAX]; /* "ccache FILE:/x", "keytab FILE:/y", ... */
    /* Password logins only: the private MEMORY ccache holding the TGT,
     * destroyed with the credentials. */
    krb5_context kctx;
    krb5_ccache mem_ccache;
} scpauth__gss_creds;

typedef struct scpauth__gss_ctx {
    scpauth__gss_creds *creds;
    scpauth_role role;
    gss_ctx_id_t ctx;
    gss_name_t target;              /* client: the SPN as a krb5 principal */
    char target_text[SCPAUTH_NAME_MAX];
    OM_uint32 req_flags;            /* GSS_C_*_FLAG asked for (client) */
    scpauth__gss_token_kind first_token; /* service: what the client opened with */
    scpauth_mech mech;              /* known once established */
    OM_uint32 ret_flags;            /* what the last init/accept call granted */
    int established;
} scpauth__gss_ctx;

/* ---- flags (gss_flags.c) ------------------------------------------------ */

/* SCPAUTH_FLAG_* -> GSS_C_*_FLAG; flags with no GSS meaning are dropped. */
OM_uint32 scpauth__gss_flags_to_gss(unsigned flags);
/* GSS_C_*_FLAG -> SCPAUTH_FLAG_*; GSS flags with no scpauth meaning are dropped. */
unsigned scpauth__gss_flags_from_gss(OM_uint32 gflags);

/* ---- errors (gss_error.c) ----------------------------------------------- */

/* Sets err for a failed GSS call: code from the errmap table, message
 * "<what>: <major text>: <minor text>" (every gss_display_status message),
 * hint, and the native status. `what` names the object (SPN, keytab, ccache).
 * Returns the code. */
int scpauth__gss_fail(scpauth_error *err, scpauth__gss_op op, OM_uint32 major, OM_uint32 minor,
                      const char *fmt, ...) SCPAUTH_PRINTF(5, 6);

/* Same for a failed krb5 library call (password login): the message ends with
 * krb5_get_error_message() text. */
int scpauth__krb5_fail(scpauth_error *err, scpauth__gss_op op, krb5_context kctx,
                       krb5_error_code code, const char *fmt, ...) SCPAUTH_PRINTF(5, 6);

/* ---- buffers and names (gss_buffer.c) ----------------------------------- */

/* Moves a GSS output buffer into dst (zero copy); src is left empty.
 * scpauth_buffer_free() wipes the bytes, then gss_release_buffer()s them. */
void scpauth__gss_buffer_take(scpauth_buffer *dst, gss_buffer_desc *src);

/* gss_display_name() into buf (truncated to fit); "" on failure. */
void scpauth__gss_name_text(gss_name_t name, char *buf, size_t size);

/* Imports text as a Kerberos principal name (GSS_KRB5_NT_PRINCIPAL_NAME). */
OM_uint32 scpauth__gss_import_principal(OM_uint32 *minor, const char *text, gss_name_t *out);

/* ---- session key (gss_facts.c) ------------------------------------------ */

/* The enctype number in the OID MIT returns with GSS_C_INQ_SSPI_SESSION_KEY
 * (1.2.840.113554.1.2.2.4.<enctype>); -1 if it is not such an OID. */
int32_t scpauth__gss_enctype_from_oid(const void *der, size_t len);

/* krb5_enctype_to_name() text for an enctype ("aes256-cts-hmac-sha1-96"),
 * or "enctype-<n>" when krb5 does not know it. */
void scpauth__gss_enctype_name(int32_t enctype, char *buf, size_t size);

/* ---- the backend's operations ------------------------------------------- */

int scpauth__gss_creds_acquire(const scpauth_creds_options *opts, void **bcreds,
                               scpauth_error *err);
void scpauth__gss_creds_free(void *bcreds);
int scpauth__gss_creds_name(void *bcreds, char *buf, size_t size, scpauth_error *err);

int scpauth__gss_ctx_new(void *bcreds, scpauth_role role, const char *target, unsigned flags,
                         void **bctx, scpauth_error *err);
int scpauth__gss_ctx_step(void *bctx, const void *in, size_t in_len, scpauth_buffer *out,
                          scpauth_error *err);
void scpauth__gss_ctx_status(void *bctx, unsigned *granted_flags, scpauth_mech *mech);
int scpauth__gss_ctx_facts(void *bctx, scpauth__ctx_facts *facts, scpauth_error *err);
void scpauth__gss_ctx_free(void *bctx);

int scpauth__gss_sign(void *bctx, const void *msg, size_t len, scpauth_buffer *mic,
                      scpauth_error *err);
int scpauth__gss_verify(void *bctx, const void *msg, size_t len, const void *mic,
                        size_t mic_len, scpauth_error *err);
int scpauth__gss_seal(void *bctx, int encrypt, const void *msg, size_t len,
                      scpauth_buffer *token, scpauth_error *err);
int scpauth__gss_unseal(void *bctx, const void *token, size_t len, scpauth_buffer *msg,
                        int *was_encrypted, scpauth_error *err);
int scpauth__gss_mic_size(void *bctx, size_t *size, scpauth_error *err);
int scpauth__gss_seal_overhead(void *bctx, size_t msg_len, size_t *overhead,
                               scpauth_error *err);

int scpauth__gss_ctx_export(void *bctx, scpauth_buffer *token, scpauth_error *err);
int scpauth__gss_ctx_import(void *bcreds, const void *token, size_t len, void **bctx,
                            scpauth_error *err);

#endif
