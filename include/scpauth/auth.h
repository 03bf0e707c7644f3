/* scpauth/auth.h - credentials, security contexts, per-message protection.
 *
 * One API over MIT GSSAPI (Linux/Unix) and SSPI (Windows). A client context
 * targets an exact SPN ("class/host[:port][/service-name][@REALM]"), never a
 * DNS-canonicalised host-based name. Mutual authentication, integrity,
 * confidentiality and replay/sequence detection are requested by default,
 * and a context that completes without mutual authentication or with a
 * mechanism other than Kerberos is an error (fail closed). */
#ifndef SCPAUTH_AUTH_H
#define SCPAUTH_AUTH_H

#include "common.h"
#include "error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct scpauth_auth_backend scpauth_auth_backend; /* table of ops */
typedef struct scpauth_creds scpauth_creds;
typedef struct scpauth_ctx scpauth_ctx;

typedef enum scpauth_role {
    SCPAUTH_ROLE_CLIENT = 1, /* initiator */
    SCPAUTH_ROLE_SERVICE = 2 /* acceptor */
} scpauth_role;

/* Context flags, requested and granted. */
#define SCPAUTH_FLAG_MUTUAL   0x0001u
#define SCPAUTH_FLAG_REPLAY   0x0002u
#define SCPAUTH_FLAG_SEQUENCE 0x0004u
#define SCPAUTH_FLAG_CONF     0x0008u
#define SCPAUTH_FLAG_INTEG    0x0010u
#define SCPAUTH_FLAG_DELEG    0x0020u
/* The explicit, named opt-out: without it a context lacking MUTUAL fails. */
#define SCPAUTH_FLAG_ALLOW_NO_MUTUAL 0x10000u

/* Requested by a client when flags == 0. */
#define SCPAUTH_FLAGS_CLIENT_DEFAULT                                           \
    (SCPAUTH_FLAG_MUTUAL | SCPAUTH_FLAG_REPLAY | SCPAUTH_FLAG_SEQUENCE |       \
     SCPAUTH_FLAG_CONF | SCPAUTH_FLAG_INTEG)
/* Required of the client by a service when flags == 0. Sequence detection
 * stays the client's choice (MIT's gss-client does not request it). */
#define SCPAUTH_FLAGS_SERVICE_DEFAULT                                          \
    (SCPAUTH_FLAG_MUTUAL | SCPAUTH_FLAG_REPLAY | SCPAUTH_FLAG_CONF |           \
     SCPAUTH_FLAG_INTEG)

typedef enum scpauth_mech {
    SCPAUTH_MECH_UNKNOWN = 0,
    SCPAUTH_MECH_KRB5,        /* raw Kerberos (RFC 4121) */
    SCPAUTH_MECH_SPNEGO_KRB5, /* SPNEGO that negotiated Kerberos */
    SCPAUTH_MECH_NTLM,        /* never accepted; reported so it can be named */
    SCPAUTH_MECH_OTHER
} scpauth_mech;

/* ---- backends ---------------------------------------------------------- */

/* The platform's backend: GSSAPI (MIT) on Unix, SSPI on Windows. */
SCPAUTH_EXPORT const scpauth_auth_backend *scpauth_auth_backend_default(void);
/* A backend by name ("gssapi" or "sspi"); NULL if this build lacks it (each
 * build has its platform's only; test backends are not in the library). */
SCPAUTH_EXPORT const scpauth_auth_backend *scpauth_auth_backend_find(const char *name);
/* "gssapi" or "sspi" ("" for NULL). */
SCPAUTH_EXPORT const char *scpauth_auth_backend_name(const scpauth_auth_backend *b);

/* ---- credentials ------------------------------------------------------- */

typedef struct scpauth_creds_options {
    scpauth_role role;
    /* Client: NULL = the default ccache (or the logon session on Windows);
     * or a ccache name ("FILE:/path", "MEMORY:x"); or principal + password
     * (a fresh TGT in a private memory ccache; password wiped after use). */
    const char *ccache;
    const char *principal; /* client: the user; service: restrict to this SPN */
    const char *password;
    /* Service: a keytab ("FILE:/path" or a path); NULL = the default keytab
     * (or the service account's logon session on Windows). */
    const char *keytab;
    const scpauth_auth_backend *backend; /* NULL = scpauth_auth_backend_default() */
} scpauth_creds_options;

/* Acquires credentials for one role without touching the process
 * environment. Errors: ENOCREDS, ECREDEXPIRED, EBADPASSWORD, EKEYTAB, EKDC,
 * EINVAL. Free with scpauth_creds_free(). */
SCPAUTH_EXPORT SCPAUTH_WUR int scpauth_creds_acquire(const scpauth_creds_options *opts,
                                                     scpauth_creds **out,
                                                     scpauth_error *err);
SCPAUTH_EXPORT void scpauth_creds_free(scpauth_creds *creds);

/* The principal the credentials stand for ("user@REALM"); for a service
 * without a fixed principal, "" . Returns ENOBUFS if size is too small. */
SCPAUTH_EXPORT SCPAUTH_WUR int scpauth_creds_name(const scpauth_creds *creds, char *buf,
                                                  size_t size, scpauth_error *err);

/* ---- contexts ---------------------------------------------------------- */

/* Creates a context. target_spn is required for a client and ignored by a
 * service. flags == 0 means the role's default; a flag set without
 * SCPAUTH_FLAG_MUTUAL is EINVAL unless it carries SCPAUTH_FLAG_ALLOW_NO_MUTUAL.
 * creds must outlive the context. Free with scpauth_ctx_free(). */
SCPAUTH_EXPORT SCPAUTH_WUR int scpauth_ctx_new(scpauth_creds *creds, const char *target_spn,
                                               unsigned flags, scpauth_ctx **out,
                                               scpauth_error *err);
SCPAUTH_EXPORT void scpauth_ctx_free(scpauth_ctx *ctx);

/* One handshake step. `in` is the peer's last token (NULL/0 for a client's
 * first step). `out` receives the token to send, possibly empty; send it
 * whenever out->len > 0. Returns SCPAUTH_CONTINUE while the peer must answer,
 * SCPAUTH_OK when the context is established AND passed the core's checks
 * (mutual, Kerberos, required flags), or an error: EAUTH, ENOSPN, EKDC,
 * ESKEW, ECREDEXPIRED, EKEYTAB, EKVNO, ENOMUTUAL, EMECH, EFLAGS, ESTATE. */
SCPAUTH_EXPORT SCPAUTH_WUR int scpauth_ctx_step(scpauth_ctx *ctx, const void *in, size_t in_len,
                                                scpauth_buffer *out, scpauth_error *err);

/* 1 once scpauth_ctx_step() returned SCPAUTH_OK, else 0. */
SCPAUTH_EXPORT int scpauth_ctx_is_established(const scpauth_ctx *ctx);

#define SCPAUTH_NAME_MAX 512

typedef struct scpauth_ctx_info {
    scpauth_role role;
    char peer_name[SCPAUTH_NAME_MAX];  /* client: the SPN; service: the client */
    char local_name[SCPAUTH_NAME_MAX];
    unsigned requested_flags;          /* what this side asked for / required */
    unsigned granted_flags;            /* what the established context has */
    int mutual;                        /* granted_flags & MUTUAL, as 0/1 */
    scpauth_mech mech;
    char mech_name[32];                /* "krb5", "spnego/krb5", ... */
    int64_t expiry;                    /* Unix time; 0 unknown */
    char enctype[64];                  /* session key, "aes256-cts-hmac-sha1-96"; "" unknown */
} scpauth_ctx_info;

/* Fills info about an established context (ESTATE before that). Names,
 * expiry and enctype are fetched from the platform on the first call only,
 * so a handshake does not pay for what nobody reads. */
SCPAUTH_EXPORT SCPAUTH_WUR int scpauth_ctx_info_get(scpauth_ctx *ctx, scpauth_ctx_info *info,
                                                    scpauth_error *err);

/* Text of a flag set, e.g. "mutual,replay,conf,integ" (buf >= 64 bytes). */
SCPAUTH_EXPORT const char *scpauth_flags_format(unsigned flags, char *buf, size_t size);

/* ---- per-message protection (established contexts only) --------------- */

/* A MIC over msg into *mic (RFC 4121 MIC token / MakeSignature). */
SCPAUTH_EXPORT SCPAUTH_WUR int scpauth_ctx_sign(scpauth_ctx *ctx, const void *msg, size_t len,
                                                scpauth_buffer *mic, scpauth_error *err);
/* Checks a MIC. Errors: EBADSIG, EREPLAY, ESEQUENCE, ECTXEXPIRED. */
SCPAUTH_EXPORT SCPAUTH_WUR int scpauth_ctx_verify(scpauth_ctx *ctx, const void *msg, size_t len,
                                                  const void *mic, size_t mic_len,
                                                  scpauth_error *err);

/* One self-contained wrap token for msg (gss_wrap / EncryptMessage);
 * encrypt = 0 gives integrity only. */
SCPAUTH_EXPORT SCPAUTH_WUR int scpauth_ctx_seal(scpauth_ctx *ctx, int encrypt, const void *msg,
                                                size_t len, scpauth_buffer *token,
                                                scpauth_error *err);
/* Opens a wrap token. *was_encrypted (may be NULL) says whether it was
 * encrypted; with require_encryption an integrity-only token is ENOTSEALED.
 * Other errors: EBADSIG, EREPLAY, ESEQUENCE, ECTXEXPIRED. */
SCPAUTH_EXPORT SCPAUTH_WUR int scpauth_ctx_unseal(scpauth_ctx *ctx, int require_encryption,
                                                  const void *token, size_t len,
                                                  scpauth_buffer *msg, int *was_encrypted,
                                                  scpauth_error *err);

/* ---- sizes ------------------------------------------------------------- */

/* Largest handshake token the backend produces (SSPI cbMaxToken). */
SCPAUTH_EXPORT size_t scpauth_auth_max_token(const scpauth_auth_backend *b);
/* Size of a MIC token of this context. */
SCPAUTH_EXPORT SCPAUTH_WUR int scpauth_ctx_mic_size(scpauth_ctx *ctx, size_t *size,
                                                    scpauth_error *err);
/* Bytes a sealed (encrypted) msg_len-byte message adds: token = msg + overhead. */
SCPAUTH_EXPORT SCPAUTH_WUR int scpauth_ctx_seal_overhead(scpauth_ctx *ctx, size_t msg_len,
                                                         size_t *overhead, scpauth_error *err);

/* ---- export / import --------------------------------------------------- */

/* Serialises an established context and frees it (the ctx is gone even on
 * error). ENOTSUP where the backend cannot (SSPI). */
SCPAUTH_EXPORT SCPAUTH_WUR int scpauth_ctx_export(scpauth_ctx *ctx, scpauth_buffer *token,
                                                  scpauth_error *err);
/* Rebuilds a context from scpauth_ctx_export() output, bound to creds
 * (same backend). */
SCPAUTH_EXPORT SCPAUTH_WUR int scpauth_ctx_import(scpauth_creds *creds, const void *token,
                                                  size_t len, scpauth_ctx **out,
                                                  scpauth_error *err);

#ifdef __cplusplus
}
#endif
#endif
