/* gss_message.c - per-message protection: gss_get_mic / gss_verify_mic, and
 * one RFC 4121 wrap token per message with gss_wrap / gss_unwrap. */
#include <stdint.h>

#include "error_internal.h"
#include "gss_internal.h"

#define IN_BUFFER(p, n) {(n), (void *)(uintptr_t)(p)}

/* Peer text for messages: the SPN (client) or "the client" (service). */
static const char *peer(const scpauth__gss_ctx *x)
{
    return x->role == SCPAUTH_ROLE_CLIENT ? x->target_text : "the client";
}

/* A status is a failure if it has a routine error or any supplementary bit:
 * with replay/sequence detection on, a duplicate or out-of-order token is
 * reported as GSS_S_COMPLETE plus a bit, and must not pass. */
static int failed(OM_uint32 major)
{
    return GSS_ERROR(major) || GSS_SUPPLEMENTARY_INFO(major) != 0;
}

int scpauth__gss_sign(void *bctx, const void *msg, size_t len, scpauth_buffer *mic,
                      scpauth_error *err)
{
    scpauth__gss_ctx *x = bctx;
    OM_uint32 major, minor;
    gss_buffer_desc in = IN_BUFFER(msg, len), out = GSS_C_EMPTY_BUFFER;
    major = gss_get_mic(&minor, x->ctx, GSS_C_QOP_DEFAULT, &in, &out);
    if (GSS_ERROR(major))
        return scpauth__gss_fail(err, SCPAUTH__GSS_OP_MESSAGE, major, minor,
                                 "cannot sign a %zu-byte message for %s", len, peer(x));
    scpauth__gss_buffer_take(mic, &out);
    return SCPAUTH_OK;
}

int scpauth__gss_verify(void *bctx, const void *msg, size_t len, const void *mic,
                        size_t mic_len, scpauth_error *err)
{
    scpauth__gss_ctx *x = bctx;
    OM_uint32 major, minor;
    gss_buffer_desc in = IN_BUFFER(msg, len), tok = IN_BUFFER(mic, mic_len);
    major = gss_verify_mic(&minor, x->ctx, &in, &tok, NULL);
    if (failed(major))
        return scpauth__gss_fail(err, SCPAUTH__GSS_OP_MESSAGE, major, minor,
                                 "the signature of a %zu-byte message from %s did not verify",
                                 len, peer(x));
    return SCPAUTH_OK;
}

int scpauth__gss_seal(void *bctx, int encrypt, const void *msg, size_t len,
                      scpauth_buffer *token, scpauth_error *err)
{
    scpauth__gss_ctx *x = bctx;
    OM_uint32 major, minor;
    int conf = 0;
    gss_buffer_desc in = IN_BUFFER(msg, len), out = GSS_C_EMPTY_BUFFER;
    major = gss_wrap(&minor, x->ctx, encrypt != 0, GSS_C_QOP_DEFAULT, &in, &conf, &out);
    if (GSS_ERROR(major))
        return scpauth__gss_fail(err, SCPAUTH__GSS_OP_MESSAGE, major, minor,
                                 "cannot seal a %zu-byte message for %s", len, peer(x));
    if (encrypt && !conf) {
        gss_release_buffer(&minor, &out);
        return scpauth__error_set(err, SCPAUTH_EFLAGS,
                                  "cannot encrypt a message for %s: the context has no "
                                  "confidentiality",
                                  peer(x));
    }
    scpauth__gss_buffer_take(token, &out);
    return SCPAUTH_OK;
}

int scpauth__gss_unseal(void *bctx, const void *token, size_t len, scpauth_buffer *msg,
                        int *was_encrypted, scpauth_error *err)
{
    scpauth__gss_ctx *x = bctx;
    OM_uint32 major, minor;
    int conf = 0;
    gss_buffer_desc in = IN_BUFFER(token, len), out = GSS_C_EMPTY_BUFFER;
    major = gss_unwrap(&minor, x->ctx, &in, &out, &conf, NULL);
    if (failed(major)) {
        OM_uint32 tmp;
        /* A replayed token decrypts fine: its plaintext is wiped unread. */
        scpauth_memzero(out.value, out.length);
        gss_release_buffer(&tmp, &out);
        return scpauth__gss_fail(err, SCPAUTH__GSS_OP_MESSAGE, major, minor,
                                 "cannot unseal a %zu-byte token from %s", len, peer(x));
    }
    scpauth__gss_buffer_take(msg, &out);
    *was_encrypted = conf != 0;
    return SCPAUTH_OK;
}

int scpauth__gss_mic_size(void *bctx, size_t *size, scpauth_error *err)
{
    scpauth__gss_ctx *x = bctx;
    OM_uint32 major, minor;
    /* Computed, not measured: a trial gss_get_mic would use up a sequence
     * number and the peer would see a gap. */
    gss_iov_buffer_desc iov[2] = {
        {GSS_IOV_BUFFER_TYPE_DATA, GSS_C_EMPTY_BUFFER},
        {GSS_IOV_BUFFER_TYPE_MIC_TOKEN, GSS_C_EMPTY_BUFFER},
    };
    major = gss_get_mic_iov_length(&minor, x->ctx, GSS_C_QOP_DEFAULT, iov, 2);
    if (GSS_ERROR(major))
        return scpauth__gss_fail(err, SCPAUTH__GSS_OP_MESSAGE, major, minor,
                                 "cannot compute the MIC size for %s", peer(x));
    *size = iov[1].buffer.length;
    return SCPAUTH_OK;
}

int scpauth__gss_seal_overhead(void *bctx, size_t msg_len, size_t *overhead,
                               scpauth_error *err)
{
    scpauth__gss_ctx *x = bctx;
    OM_uint32 major, minor;
    int conf = 0;
    /* gss_wrap's single token is header | data | padding | trailer. */
    gss_iov_buffer_desc iov[4] = {
        {GSS_IOV_BUFFER_TYPE_HEADER, GSS_C_EMPTY_BUFFER},
        {GSS_IOV_BUFFER_TYPE_DATA, {msg_len, NULL}},
        {GSS_IOV_BUFFER_TYPE_PADDING, GSS_C_EMPTY_BUFFER},
        {GSS_IOV_BUFFER_TYPE_TRAILER, GSS_C_EMPTY_BUFFER},
    };
    major = gss_wrap_iov_length(&minor, x->ctx, 1, GSS_C_QOP_DEFAULT, &conf, iov, 4);
    if (GSS_ERROR(major))
        return scpauth__gss_fail(err, SCPAUTH__GSS_OP_MESSAGE, major, minor,
                                 "cannot compute the sealing overhead for %s", peer(x));
    *overhead = iov[0].buffer.length + iov[2].buffer.length + iov[3].buffer.length;
    return SCPAUTH_OK;
}
