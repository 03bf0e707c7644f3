/* auth_message.c - per-message protection on established contexts. */
#include "auth_internal.h"
#include "error_internal.h"

static int ctx_ready(const scpauth_ctx *ctx, const char *op, scpauth_error *err)
{
    if (ctx == NULL)
        return scpauth__error_set(err, SCPAUTH_EINVAL, "%s: NULL context", op);
    if (ctx->state != SCPAUTH__CTX_ESTABLISHED)
        return scpauth__error_set(err, SCPAUTH_ESTATE,
                                  "%s needs an established security context", op);
    return SCPAUTH_OK;
}

static void buffer_reset(scpauth_buffer *b)
{
    b->data = NULL;
    b->len = 0;
    b->release_ = NULL;
    b->opaque_ = NULL;
}

int scpauth_ctx_sign(scpauth_ctx *ctx, const void *msg, size_t len, scpauth_buffer *mic,
                     scpauth_error *err)
{
    int rc = ctx_ready(ctx, "sign", err);
    if (rc != SCPAUTH_OK)
        return rc;
    if (mic == NULL || (msg == NULL && len > 0))
        return scpauth__error_set(err, SCPAUTH_EINVAL, "sign: NULL argument");
    buffer_reset(mic);
    return ctx->backend->sign(ctx->bctx, msg, len, mic, err);
}

int scpauth_ctx_verify(scpauth_ctx *ctx, const void *msg, size_t len, const void *mic,
                       size_t mic_len, scpauth_error *err)
{
    int rc = ctx_ready(ctx, "verify", err);
    if (rc != SCPAUTH_OK)
        return rc;
    if ((msg == NULL && len > 0) || mic == NULL || mic_len == 0)
        return scpauth__error_set(err, SCPAUTH_EINVAL, "verify: message or signature missing");
    return ctx->backend->verify(ctx->bctx, msg, len, mic, mic_len, err);
}

int scpauth_ctx_seal(scpauth_ctx *ctx, int encrypt, const void *msg, size_t len,
                     scpauth_buffer *token, scpauth_error *err)
{
    int rc = ctx_ready(ctx, "seal", err);
    if (rc != SCPAUTH_OK)
        return rc;
    if (token == NULL || (msg == NULL && len > 0))
        return scpauth__error_set(err, SCPAUTH_EINVAL, "seal: NULL argument");
    buffer_reset(token);
    return ctx->backend->seal(ctx->bctx, encrypt != 0, msg, len, token, err);
}

int scpauth_ctx_unseal(scpauth_ctx *ctx, int require_encryption, const void *token, size_t len,
                       scpauth_buffer *msg, int *was_encrypted, scpauth_error *err)
{
    int rc = ctx_ready(ctx, "unseal", err);
    if (rc != SCPAUTH_OK)
        return rc;
    if (msg == NULL || token == NULL || len == 0)
        return scpauth__error_set(err, SCPAUTH_EINVAL, "unseal: token missing");
    buffer_reset(msg);
    int encrypted = 0;
    rc = ctx->backend->unseal(ctx->bctx, token, len, msg, &encrypted, err);
    if (rc != SCPAUTH_OK)
        return rc;
    if (was_encrypted != NULL)
        *was_encrypted = encrypted;
    if (require_encryption && !encrypted) {
        /* Integrity held but the caller demanded secrecy: do not hand out
         * what travelled in clear as if it had not. */
        scpauth_buffer_free(msg);
        scpauth_error ignored;
        (void)scpauth__ctx_facts_load(ctx, &ignored);
        return scpauth__error_set(err, SCPAUTH_ENOTSEALED,
                                  "message from %s was signed but not encrypted, and "
                                  "confidentiality is required",
                                  ctx->facts.peer_name[0] ? ctx->facts.peer_name : "peer");
    }
    return SCPAUTH_OK;
}

int scpauth_ctx_mic_size(scpauth_ctx *ctx, size_t *size, scpauth_error *err)
{
    int rc = ctx_ready(ctx, "mic_size", err);
    if (rc != SCPAUTH_OK)
        return rc;
    if (size == NULL)
        return scpauth__error_set(err, SCPAUTH_EINVAL, "mic_size: NULL argument");
    return ctx->backend->mic_size(ctx->bctx, size, err);
}

int scpauth_ctx_seal_overhead(scpauth_ctx *ctx, size_t msg_len, size_t *overhead,
                              scpauth_error *err)
{
    int rc = ctx_ready(ctx, "seal_overhead", err);
    if (rc != SCPAUTH_OK)
        return rc;
    if (overhead == NULL)
        return scpauth__error_set(err, SCPAUTH_EINVAL, "seal_overhead: NULL argument");
    return ctx->backend->seal_overhead(ctx->bctx, msg_len, overhead, err);
}
