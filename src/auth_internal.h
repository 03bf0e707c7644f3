/* auth_internal.h - the core's handle types (private). */
#ifndef SCPAUTH_AUTH_INTERNAL_H
#define SCPAUTH_AUTH_INTERNAL_H

#include "auth_backend.h"

struct scpauth_creds {
    const struct scpauth_auth_backend *backend;
    scpauth_role role;
    void *bcreds;
};

typedef enum scpauth__ctx_state {
    SCPAUTH__CTX_NEW = 0,
    SCPAUTH__CTX_HANDSHAKE,
    SCPAUTH__CTX_ESTABLISHED,
    SCPAUTH__CTX_FAILED  /* a failed handshake or enforcement: unusable */
} scpauth__ctx_state;

struct scpauth_ctx {
    scpauth_creds *creds;
    const struct scpauth_auth_backend *backend;
    scpauth_role role;
    unsigned flags;            /* requested (client) / required (service) */
    scpauth__ctx_state state;
    void *bctx;
    char target[SCPAUTH_NAME_MAX];
    scpauth__ctx_facts facts;  /* flags + mech once established; the rest once loaded */
    int facts_loaded;          /* names, expiry, enctype fetched from the backend */
};

/* Fetches the full facts of an established context once (names, expiry,
 * enctype); later calls are free. */
int scpauth__ctx_facts_load(struct scpauth_ctx *ctx, scpauth_error *err);

/* Wraps backend credentials in a handle (frees bcreds on failure). */
int scpauth__creds_new(const struct scpauth_auth_backend *b, scpauth_role role, void *bcreds,
                       scpauth_creds **out, scpauth_error *err);

/* Checks the established context's facts against what this side requires:
 * mutual authentication, a Kerberos mechanism and the requested protection
 * flags. Returns SCPAUTH_OK or ENOMUTUAL / EMECH / EFLAGS with a message
 * naming the peer and what is missing. */
int scpauth__ctx_enforce(const struct scpauth_ctx *ctx, scpauth_error *err);

/* 1 if the backend reported a Kerberos mechanism (raw or via SPNEGO). */
int scpauth__mech_is_kerberos(scpauth_mech mech);

/* "krb5", "spnego/krb5", "ntlm", ... */
const char *scpauth__mech_name(scpauth_mech mech);

#endif
