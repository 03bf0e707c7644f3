/* auth_ctx.c - context lifecycle: creation, the handshake loop, info,
 * export and import. The state machine and the checks live here so both
 * backends behave identically. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth_internal.h"
#include "error_internal.h"

static unsigned ctx_effective_flags(scpauth_role role, unsigned flags)
{
    if (flags != 0)
        return flags;
    return role == SCPAUTH_ROLE_CLIENT ? SCPAUTH_FLAGS_CLIENT_DEFAULT
                                       : SCPAUTH_FLAGS_SERVICE_DEFAULT;
}

static int ctx_flags_check(unsigned flags, scpauth_error *err)
{
    const unsigned known = SCPAUTH_FLAG_MUTUAL | SCPAUTH_FLAG_REPLAY | SCPAUTH_FLAG_SEQUENCE |
                           SCPAUTH_FLAG_CONF | SCPAUTH_FLAG_INTEG | SCPAUTH_FLAG_DELEG |
                           SCPAUTH_FLAG_ALLOW_NO_MUTUAL;
    if (flags & ~known)
        return scpauth__error_set(err, SCPAUTH_EINVAL, "unknown context flags 0x%x",
                                  flags & ~known);
    if (!(flags & SCPAUTH_FLAG_MUTUAL) && !(flags & SCPAUTH_FLAG_ALLOW_NO_MUTUAL))
        return scpauth__error_set(err, SCPAUTH_EINVAL,
                                  "context flags lack SCPAUTH_FLAG_MUTUAL; opting out of mutual "
                                  "authentication needs SCPAUTH_FLAG_ALLOW_NO_MUTUAL");
    return SCPAUTH_OK;
}

static int ctx_alloc(scpauth_creds *creds, const char *target, unsigned flags,
                     scpauth_ctx **out, scpauth_error *err)
{
    scpauth_ctx *ctx = calloc(1, sizeof(*ctx));
    if (ctx == NULL)
        return scpauth__error_set(err, SCPAUTH_ENOMEM, "cannot allocate a security context");
    ctx->creds = creds;
    ctx->backend = creds->backend;
    ctx->role = creds->role;
    ctx->flags = flags;
    if (target != NULL)
        memcpy(ctx->target, target, strlen(target) + 1);
    *out = ctx;
    return SCPAUTH_OK;
}

int scpauth_ctx_new(scpauth_creds *creds, const char *target_spn, unsigned flags,
                    scpauth_ctx **out, scpauth_error *err)
{
    if (out == NULL || creds == NULL)
        return scpauth__error_set(err, SCPAUTH_EINVAL, "scpauth_ctx_new: NULL argument");
    *out = NULL;
    flags = ctx_effective_flags(creds->role, flags);
    int rc = ctx_flags_check(flags, err);
    if (rc != SCPAUTH_OK)
        return rc;
    if (creds->role == SCPAUTH_ROLE_CLIENT) {
        if (target_spn == NULL || target_spn[0] == '\0')
            return scpauth__error_set(err, SCPAUTH_EINVAL,
                                      "a client context needs the target SPN "
                                      "(class/host[:port][/service-name])");
        if (strlen(target_spn) >= SCPAUTH_NAME_MAX)
            return scpauth__error_set(err, SCPAUTH_EINVAL, "target SPN longer than %d characters",
                                      SCPAUTH_NAME_MAX - 1);
    } else {
        target_spn = NULL;
    }

    scpauth_ctx *ctx = NULL;
    rc = ctx_alloc(creds, target_spn, flags, &ctx, err);
    if (rc != SCPAUTH_OK)
        return rc;
    rc = ctx->backend->ctx_new(creds->bcreds, ctx->role, target_spn,
                               flags & ~SCPAUTH_FLAG_ALLOW_NO_MUTUAL, &ctx->bctx, err);
    if (rc != SCPAUTH_OK) {
        free(ctx);
        return rc;
    }
    *out = ctx;
    return SCPAUTH_OK;
}

void scpauth_ctx_free(scpauth_ctx *ctx)
{
    if (ctx == NULL)
        return;
    if (ctx->bctx != NULL)
        ctx->backend->ctx_free(ctx->bctx);
    scpauth_memzero(ctx, sizeof(*ctx));
    free(ctx);
}

int scpauth__ctx_facts_load(scpauth_ctx *ctx, scpauth_error *err)
{
    if (ctx->facts_loaded)
        return SCPAUTH_OK;
    scpauth__ctx_facts f;
    memset(&f, 0, sizeof(f));
    int rc = ctx->backend->ctx_facts(ctx->bctx, &f, err);
    if (rc != SCPAUTH_OK)
        return rc;
    /* enforcement ran on the step's own flags and mechanism: keep those */
    f.granted_flags = ctx->facts.granted_flags;
    f.mech = ctx->facts.mech;
    ctx->facts = f;
    ctx->facts_loaded = 1;
    return SCPAUTH_OK;
}

static int ctx_complete(scpauth_ctx *ctx, scpauth_error *err)
{
    memset(&ctx->facts, 0, sizeof(ctx->facts));
    ctx->facts_loaded = 0;
    ctx->backend->ctx_status(ctx->bctx, &ctx->facts.granted_flags, &ctx->facts.mech);
    int rc = scpauth__ctx_enforce(ctx, NULL);
    if (rc == SCPAUTH_OK)
        return SCPAUTH_OK;
    /* Refused: now it is worth asking who the peer is, to name it. */
    scpauth_error ignored;
    (void)scpauth__ctx_facts_load(ctx, &ignored);
    return scpauth__ctx_enforce(ctx, err);
}

int scpauth_ctx_step(scpauth_ctx *ctx, const void *in, size_t in_len, scpauth_buffer *out,
                     scpauth_error *err)
{
    if (ctx == NULL || out == NULL || (in == NULL && in_len > 0))
        return scpauth__error_set(err, SCPAUTH_EINVAL, "scpauth_ctx_step: NULL argument");
    out->data = NULL;
    out->len = 0;
    out->release_ = NULL;
    if (ctx->state == SCPAUTH__CTX_ESTABLISHED || ctx->state == SCPAUTH__CTX_FAILED)
        return scpauth__error_set(err, SCPAUTH_ESTATE,
                                  "the security context is already %s; create a new one",
                                  ctx->state == SCPAUTH__CTX_FAILED ? "failed" : "established");
    if (ctx->role == SCPAUTH_ROLE_SERVICE && in_len == 0)
        return scpauth__error_set(err, SCPAUTH_EINVAL,
                                  "a service handshake step needs the client's token");

    int rc = ctx->backend->ctx_step(ctx->bctx, in, in_len, out, err);
    if (rc == SCPAUTH_CONTINUE) {
        ctx->state = SCPAUTH__CTX_HANDSHAKE;
        return rc;
    }
    if (rc == SCPAUTH_OK)
        rc = ctx_complete(ctx, err);
    if (rc != SCPAUTH_OK) {
        /* Nothing of a refused context goes on the wire. */
        scpauth_buffer_free(out);
        ctx->state = SCPAUTH__CTX_FAILED;
        return rc;
    }
    ctx->state = SCPAUTH__CTX_ESTABLISHED;
    return SCPAUTH_OK;
}

int scpauth_ctx_is_established(const scpauth_ctx *ctx)
{
    return ctx != NULL && ctx->state == SCPAUTH__CTX_ESTABLISHED;
}

int scpauth_ctx_info_get(scpauth_ctx *ctx, scpauth_ctx_info *info, scpauth_error *err)
{
    if (ctx == NULL || info == NULL)
        return scpauth__error_set(err, SCPAUTH_EINVAL, "scpauth_ctx_info_get: NULL argument");
    if (ctx->state != SCPAUTH__CTX_ESTABLISHED)
        return scpauth__error_set(err, SCPAUTH_ESTATE,
                                  "context information is available once the handshake completed");
    int rc = scpauth__ctx_facts_load(ctx, err);
    if (rc != SCPAUTH_OK)
        return rc;
    const scpauth__ctx_facts *f = &ctx->facts;
    memset(info, 0, sizeof(*info));
    info->role = ctx->role;
    memcpy(info->peer_name, f->peer_name, sizeof(info->peer_name));
    memcpy(info->local_name, f->local_name, sizeof(info->local_name));
    info->requested_flags = ctx->flags & ~SCPAUTH_FLAG_ALLOW_NO_MUTUAL;
    info->granted_flags = f->granted_flags;
    info->mutual = (f->granted_flags & SCPAUTH_FLAG_MUTUAL) != 0;
    info->mech = f->mech;
    snprintf(info->mech_name, sizeof(info->mech_name), "%s", scpauth__mech_name(f->mech));
    info->expiry = f->expiry;
    memcpy(info->enctype, f->enctype, sizeof(info->enctype));
    return SCPAUTH_OK;
}

/* ---- export / import: a small core header, then the backend's blob ---- */

#define CTX_EXPORT_MAGIC "SCPA"
#define CTX_EXPORT_HEADER 11 /* magic 4, version 1, role 1, flags 4, state 1 */

int scpauth_ctx_export(scpauth_ctx *ctx, scpauth_buffer *token, scpauth_error *err)
{
    if (ctx == NULL || token == NULL)
        return scpauth__error_set(err, SCPAUTH_EINVAL, "scpauth_ctx_export: NULL argument");
    int rc;
    scpauth_buffer blob = SCPAUTH_BUFFER_INIT;
    if (ctx->state != SCPAUTH__CTX_ESTABLISHED) {
        rc = scpauth__error_set(err, SCPAUTH_ESTATE, "only an established context can be exported");
    } else if (ctx->backend->ctx_export == NULL) {
        rc = scpauth__error_set(err, SCPAUTH_ENOTSUP,
                                "the %s backend cannot export security contexts",
                                ctx->backend->name);
    } else {
        rc = ctx->backend->ctx_export(ctx->bctx, &blob, err);
        ctx->bctx = NULL; /* the backend consumed it, even on failure */
    }
    if (rc == SCPAUTH_OK)
        rc = scpauth__buffer_alloc(token, CTX_EXPORT_HEADER + blob.len, err);
    if (rc == SCPAUTH_OK) {
        unsigned char *p = token->data;
        memcpy(p, CTX_EXPORT_MAGIC, 4);
        p[4] = 1;
        p[5] = (unsigned char)ctx->role;
        p[6] = (unsigned char)(ctx->flags >> 24);
        p[7] = (unsigned char)(ctx->flags >> 16);
        p[8] = (unsigned char)(ctx->flags >> 8);
        p[9] = (unsigned char)ctx->flags;
        p[10] = 0;
        memcpy(p + CTX_EXPORT_HEADER, blob.data, blob.len);
    }
    scpauth_buffer_free(&blob);
    scpauth_ctx_free(ctx);
    return rc;
}

int scpauth_ctx_import(scpauth_creds *creds, const void *token, size_t len, scpauth_ctx **out,
                       scpauth_error *err)
{
    if (creds == NULL || token == NULL || out == NULL)
        return scpauth__error_set(err, SCPAUTH_EINVAL, "scpauth_ctx_import: NULL argument");
    *out = NULL;
    const unsigned char *p = token;
    if (len < CTX_EXPORT_HEADER || memcmp(p, CTX_EXPORT_MAGIC, 4) != 0 || p[4] != 1)
        return scpauth__error_set(err, SCPAUTH_EINVAL,
                                  "not an exported scpauth context (bad header)");
    scpauth_role role = (scpauth_role)p[5];
    if (role != creds->role)
        return scpauth__error_set(err, SCPAUTH_EINVAL,
                                  "exported context is for the other role than these credentials");
    if (creds->backend->ctx_import == NULL)
        return scpauth__error_set(err, SCPAUTH_ENOTSUP,
                                  "the %s backend cannot import security contexts",
                                  creds->backend->name);
    unsigned flags = ((unsigned)p[6] << 24) | ((unsigned)p[7] << 16) | ((unsigned)p[8] << 8) | p[9];
    int rc = ctx_flags_check(flags, err);
    if (rc != SCPAUTH_OK)
        return rc;
    scpauth_ctx *ctx = NULL;
    rc = ctx_alloc(creds, NULL, flags, &ctx, err);
    if (rc != SCPAUTH_OK)
        return rc;
    rc = creds->backend->ctx_import(creds->bcreds, p + CTX_EXPORT_HEADER,
                                    len - CTX_EXPORT_HEADER, &ctx->bctx, err);
    if (rc == SCPAUTH_OK)
        rc = ctx_complete(ctx, err); /* an imported context passes the same checks */
    if (rc != SCPAUTH_OK) {
        scpauth_ctx_free(ctx);
        return rc;
    }
    ctx->state = SCPAUTH__CTX_ESTABLISHED;
    *out = ctx;
    return SCPAUTH_OK;
}
