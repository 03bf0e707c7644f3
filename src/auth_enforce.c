/* auth_enforce.c - fail closed: the checks every established context must
 * pass, done once here rather than trusted to each backend. Microsoft's
 * sample tests `attrs && ISC_RET_MUTUAL_AUTH`, which is always true; this
 * tests the bit. */
#include <stdio.h>

#include "auth_internal.h"
#include "error_internal.h"

/* Flags that must be granted when requested; delegation is a wish, not a
 * requirement (the KDC decides with ok-as-delegate). */
#define ENFORCED_FLAGS                                                          \
    (SCPAUTH_FLAG_MUTUAL | SCPAUTH_FLAG_REPLAY | SCPAUTH_FLAG_SEQUENCE |       \
     SCPAUTH_FLAG_CONF | SCPAUTH_FLAG_INTEG)

static const char *peer_of(const struct scpauth_ctx *ctx)
{
    if (ctx->facts.peer_name[0])
        return ctx->facts.peer_name;
    if (ctx->target[0])
        return ctx->target;
    return "(unnamed peer)";
}

static int enforce_mech(const struct scpauth_ctx *ctx, scpauth_error *err)
{
    if (scpauth__mech_is_kerberos(ctx->facts.mech))
        return SCPAUTH_OK;
    scpauth__error_set(err, SCPAUTH_EMECH,
                       "%s %s authenticated with %s, not Kerberos; scpauth requires Kerberos",
                       ctx->role == SCPAUTH_ROLE_CLIENT ? "service" : "client", peer_of(ctx),
                       scpauth__mech_name(ctx->facts.mech));
    if (ctx->facts.mech == SCPAUTH_MECH_NTLM)
        scpauth__error_hint(err, "NTLM means the client got no Kerberos ticket for the SPN: check "
                                 "the SPN is registered on the service's account and the client "
                                 "can reach the KDC");
    return SCPAUTH_EMECH;
}

static int enforce_mutual(const struct scpauth_ctx *ctx, scpauth_error *err)
{
    if ((ctx->facts.granted_flags & SCPAUTH_FLAG_MUTUAL) ||
        (ctx->flags & SCPAUTH_FLAG_ALLOW_NO_MUTUAL))
        return SCPAUTH_OK;
    char granted[128];
    scpauth_flags_format(ctx->facts.granted_flags, granted, sizeof(granted));
    if (ctx->role == SCPAUTH_ROLE_CLIENT) {
        scpauth__error_set(err, SCPAUTH_ENOMUTUAL,
                           "service %s did not prove its identity: the context completed "
                           "without mutual authentication (granted: %s)",
                           peer_of(ctx), granted);
        scpauth__error_hint(err, "do not trust this connection; the service must answer with a "
                                 "Kerberos AP-REP");
    } else {
        scpauth__error_set(err, SCPAUTH_ENOMUTUAL,
                           "client %s did not request mutual authentication (requested: %s); "
                           "this service requires it",
                           peer_of(ctx), granted);
        scpauth__error_hint(err, "the client must request mutual authentication "
                                 "(GSS_C_MUTUAL_FLAG / ISC_REQ_MUTUAL_AUTH)");
    }
    return SCPAUTH_ENOMUTUAL;
}

static int enforce_protection(const struct scpauth_ctx *ctx, scpauth_error *err)
{
    unsigned missing = ctx->flags & ENFORCED_FLAGS & ~SCPAUTH_FLAG_MUTUAL &
                       ~ctx->facts.granted_flags;
    if (missing == 0)
        return SCPAUTH_OK;
    char want[128], granted[128];
    scpauth_flags_format(missing, want, sizeof(want));
    scpauth_flags_format(ctx->facts.granted_flags, granted, sizeof(granted));
    scpauth__error_set(err, SCPAUTH_EFLAGS, "%s %s: context lacks required flag(s) %s (granted: %s)",
                       ctx->role == SCPAUTH_ROLE_CLIENT ? "service" : "client", peer_of(ctx),
                       want, granted);
    return SCPAUTH_EFLAGS;
}

int scpauth__ctx_enforce(const struct scpauth_ctx *ctx, scpauth_error *err)
{
    int rc = enforce_mech(ctx, err);
    if (rc == SCPAUTH_OK)
        rc = enforce_mutual(ctx, err);
    if (rc == SCPAUTH_OK)
        rc = enforce_protection(ctx, err);
    return rc;
}
