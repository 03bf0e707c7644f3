/* auth_backend.h - the table of operations an auth backend fills (private).
 *
 * The core (src/auth_*.c) owns argument checks, state, flag enforcement and
 * error wording common to both platforms; a backend only talks to its
 * platform API and reports raw facts. Backend functions return a scpauth
 * status and fill err (via scpauth__error_set*). */
#ifndef SCPAUTH_AUTH_BACKEND_H
#define SCPAUTH_AUTH_BACKEND_H

#include "scpauth/auth.h"

/* Raw facts about an established context, reported by the backend. The core
 * derives mutual/enforcement from them. */
typedef struct scpauth__ctx_facts {
    char peer_name[SCPAUTH_NAME_MAX];
    char local_name[SCPAUTH_NAME_MAX];
    unsigned granted_flags;   /* SCPAUTH_FLAG_* as the platform reported them */
    scpauth_mech mech;
    int64_t expiry;           /* Unix time, 0 unknown */
    char enctype[64];         /* "" unknown */
} scpauth__ctx_facts;

struct scpauth_auth_backend {
    const char *name;
    size_t max_token;

    /* opts already validated by the core (role set, client/service fields). */
    int (*creds_acquire)(const scpauth_creds_options *opts, void **bcreds, scpauth_error *err);
    void (*creds_free)(void *bcreds);
    /* principal name of the creds ("" for a service without a fixed name) */
    int (*creds_name)(void *bcreds, char *buf, size_t size, scpauth_error *err);

    /* target is NULL for a service; flags are SCPAUTH_FLAG_* to request
     * (client) or to accept (service). */
    int (*ctx_new)(void *bcreds, scpauth_role role, const char *target, unsigned flags,
                   void **bctx, scpauth_error *err);
    /* SCPAUTH_OK when complete, SCPAUTH_CONTINUE, or an error. out may be
     * left empty. */
    int (*ctx_step)(void *bctx, const void *in, size_t in_len, scpauth_buffer *out,
                    scpauth_error *err);
    /* What the last step already returned: the granted flags and the
     * mechanism. Cheap: the core enforces on these for every handshake. */
    void (*ctx_status)(void *bctx, unsigned *granted_flags, scpauth_mech *mech);
    /* Everything else (names, expiry, enctype) costs further calls into the
     * platform, so the core asks only when someone reads it. */
    int (*ctx_facts)(void *bctx, scpauth__ctx_facts *facts, scpauth_error *err);
    void (*ctx_free)(void *bctx);

    int (*sign)(void *bctx, const void *msg, size_t len, scpauth_buffer *mic, scpauth_error *err);
    int (*verify)(void *bctx, const void *msg, size_t len, const void *mic, size_t mic_len,
                  scpauth_error *err);
    int (*seal)(void *bctx, int encrypt, const void *msg, size_t len, scpauth_buffer *token,
                scpauth_error *err);
    /* *was_encrypted must be set on success */
    int (*unseal)(void *bctx, const void *token, size_t len, scpauth_buffer *msg,
                  int *was_encrypted, scpauth_error *err);

    int (*mic_size)(void *bctx, size_t *size, scpauth_error *err);
    int (*seal_overhead)(void *bctx, size_t msg_len, size_t *overhead, scpauth_error *err);

    /* NULL where not supported (the core answers ENOTSUP). export frees bctx. */
    int (*ctx_export)(void *bctx, scpauth_buffer *token, scpauth_error *err);
    int (*ctx_import)(void *bcreds, const void *token, size_t len, void **bctx,
                      scpauth_error *err);
};

/* Built-in tables; each exists only when its backend is compiled in. */
extern const struct scpauth_auth_backend scpauth__backend_gssapi;
extern const struct scpauth_auth_backend scpauth__backend_sspi;

#endif
