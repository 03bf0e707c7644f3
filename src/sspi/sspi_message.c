/* sspi_message.c - per-message protection: MakeSignature / VerifySignature
 * (MIC tokens) and EncryptMessage / DecryptMessage (RFC 4121 wrap tokens,
 * laid out as in sspi_layout.c). */
#include "sspi.h"

#include <stdlib.h>
#include <string.h>

#include "error_internal.h"

/* A malformed or truncated token in a per-message call is a bad signature,
 * not a failed handshake. */
static int message_fail(scpauth_error *err, SECURITY_STATUS st, const char *call,
                        const scpauth__sspi_ctx *x)
{
    int code = st == SEC_E_INVALID_TOKEN || st == SEC_E_INCOMPLETE_MESSAGE ? SCPAUTH_EBADSIG : 0;
    return scpauth__sspi_fail(err, st, code, call, x->subject);
}

static int too_big(scpauth_error *err, const scpauth__sspi_ctx *x, const char *what, size_t len)
{
    return scpauth__error_set(err, SCPAUTH_ETOOBIG, "%s of %llu bytes for %s is over SSPI's "
                              "4 GiB limit", what, (unsigned long long)len, x->subject);
}

/* The package's sizes for this context, asked once. */
static int ctx_sizes(scpauth__sspi_ctx *x, scpauth_error *err)
{
    if (x->have_sizes)
        return SCPAUTH_OK;
    SECURITY_STATUS st = QueryContextAttributesW(&x->handle, SECPKG_ATTR_SIZES, &x->sizes);
    if (st != SEC_E_OK)
        return scpauth__sspi_fail(err, st, 0, "QueryContextAttributes(SIZES)", x->subject);
    if (x->sizes.cbMaxSignature == 0)
        return scpauth__error_set(err, SCPAUTH_EINTERNAL,
                                  "the Kerberos package reports no signature size for %s",
                                  x->subject);
    x->have_sizes = 1;
    return SCPAUTH_OK;
}

int scpauth__sspi_sign(void *bctx, const void *msg, size_t len, scpauth_buffer *mic,
                       scpauth_error *err)
{
    scpauth__sspi_ctx *x = bctx;
    int rc = ctx_sizes(x, err);
    if (rc != SCPAUTH_OK)
        return rc;
    if (len > ULONG_MAX)
        return too_big(err, x, "message", len);
    rc = scpauth__buffer_alloc(mic, x->sizes.cbMaxSignature, err);
    if (rc != SCPAUTH_OK)
        return rc;
    /* MakeSignature reads DATA and writes TOKEN. */
    SecBuffer b[2] = {{(unsigned long)len, SECBUFFER_DATA, (void *)msg},
                      {x->sizes.cbMaxSignature, SECBUFFER_TOKEN, mic->data}};
    SecBufferDesc d = {SECBUFFER_VERSION, 2, b};
    SECURITY_STATUS st = MakeSignature(&x->handle, 0, &d, 0);
    if (st != SEC_E_OK || b[1].cbBuffer > x->sizes.cbMaxSignature) {
        scpauth_buffer_free(mic);
        return st != SEC_E_OK ? message_fail(err, st, "MakeSignature", x)
                              : scpauth__error_set(err, SCPAUTH_EINTERNAL,
                                                   "MakeSignature for %s wrote past its buffer",
                                                   x->subject);
    }
    mic->len = b[1].cbBuffer;
    return SCPAUTH_OK;
}

int scpauth__sspi_verify(void *bctx, const void *msg, size_t len, const void *mic,
                         size_t mic_len, scpauth_error *err)
{
    scpauth__sspi_ctx *x = bctx;
    if (len > ULONG_MAX)
        return too_big(err, x, "message", len);
    if (mic_len == 0 || mic_len > ULONG_MAX)
        return scpauth__error_set(err, SCPAUTH_EBADSIG, "MIC of %llu bytes for %s is not a "
                                  "signature", (unsigned long long)mic_len, x->subject);
    /* The token buffer is not const in SSPI: hand it a copy of the MIC. */
    void *copy = malloc(mic_len);
    if (copy == NULL)
        return scpauth__error_set(err, SCPAUTH_ENOMEM, "out of memory verifying a MIC for %s",
                                  x->subject);
    memcpy(copy, mic, mic_len);
    SecBuffer b[2] = {{(unsigned long)len, SECBUFFER_DATA, (void *)msg},
                      {(unsigned long)mic_len, SECBUFFER_TOKEN, copy}};
    SecBufferDesc d = {SECBUFFER_VERSION, 2, b};
    unsigned long qop = 0;
    SECURITY_STATUS st = VerifySignature(&x->handle, &d, 0, &qop);
    free(copy);
    if (st != SEC_E_OK)
        return message_fail(err, st, "VerifySignature", x);
    return SCPAUTH_OK;
}

/* The checksum length of this context's enctype, from what our own seal
 * produced (AES-SHA1's until then); a WINE unseal needs it to split. */
static void learn_cksum_len(scpauth__sspi_ctx *x, const unsigned char *tok, size_t n, size_t len)
{
    size_t h = scpauth__sspi_wrap_cksum_len(tok, n, len);
    if (h != 0)
        x->cksum_len = h;
}

static size_t ctx_cksum_len(const scpauth__sspi_ctx *x)
{
    return x->cksum_len ? x->cksum_len : scpauth__sspi_cfx_cksum_len(0);
}

static int seal_refused(scpauth_error *err, const scpauth__sspi_ctx *x, scpauth__sspi_layout seen)
{
    if (seen != SCPAUTH__SSPI_LAYOUT_UNKNOWN)
        return scpauth__error_set(err, SCPAUTH_EINTERNAL,
                                  "EncryptMessage for %s changed its buffer layout (%s, after "
                                  "%s) within one context; the message was not sent",
                                  x->subject, seen == SCPAUTH__SSPI_LAYOUT_WINE ? "Wine's" : "Windows'",
                                  x->layout == SCPAUTH__SSPI_LAYOUT_WINE ? "Wine's" : "Windows'");
    scpauth__error_set(err, SCPAUTH_EINTERNAL,
                       "EncryptMessage for %s returned no RFC 4121 wrap token of the expected shape, "
                       "neither as TOKEN||DATA||PADDING (Windows) nor as DATA||TOKEN (Wine); "
                       "the message was not sent", x->subject);
    scpauth__error_hint(err, "the session key must be AES (RC4-HMAC tokens are not RFC 4121 "
                             "tokens): check the service account's msDS-SupportedEncryptionTypes");
    return SCPAUTH_EINTERNAL;
}

int scpauth__sspi_seal(void *bctx, int encrypt, const void *msg, size_t len,
                       scpauth_buffer *token, scpauth_error *err)
{
    scpauth__sspi_ctx *x = bctx;
    int rc = ctx_sizes(x, err);
    if (rc != SCPAUTH_OK)
        return rc;
    size_t cap = scpauth__sspi_seal_size(len, &x->sizes);
    if (cap == 0)
        return too_big(err, x, "message", len);
    rc = scpauth__buffer_alloc(token, cap, err);
    if (rc != SCPAUTH_OK)
        return rc;
    if (len > 0)
        memcpy(token->data + scpauth__sspi_seal_data_offset(&x->sizes), msg, len);

    SecBuffer b[3];
    scpauth__sspi_seal_buffers(token->data, (unsigned long)len, &x->sizes, b);
    SecBufferDesc d = {SECBUFFER_VERSION, 3, b};
    /* KERB_WRAP_NO_ENCRYPT (== SECQOP_WRAP_NO_ENCRYPT): an integrity-only
     * wrap token, what gss_wrap makes with conf_req_flag = 0. */
    SECURITY_STATUS st = EncryptMessage(&x->handle, encrypt ? 0 : SECQOP_WRAP_NO_ENCRYPT, &d, 0);
    scpauth__sspi_layout seen = SCPAUTH__SSPI_LAYOUT_UNKNOWN;
    if (st == SEC_E_OK)
        seen = scpauth__sspi_seal_detect(token->data, &x->sizes, (unsigned long)len, b, encrypt,
                                         x->layout);
    if (st != SEC_E_OK || seen == SCPAUTH__SSPI_LAYOUT_UNKNOWN ||
        (x->layout != SCPAUTH__SSPI_LAYOUT_UNKNOWN && seen != x->layout)) {
        scpauth_buffer_free(token); /* wipes the plaintext copy */
        return st != SEC_E_OK ? message_fail(err, st, "EncryptMessage", x)
                              : seal_refused(err, x, seen);
    }
    if (len > 0) /* an empty message's token reads the same in both layouts */
        x->layout = seen;
    size_t n = scpauth__sspi_seal_pack(seen, token->data, &x->sizes, (unsigned long)len, b);
    scpauth_memzero(token->data + n, cap - n);
    token->len = n;
    learn_cksum_len(x, token->data, n, len);
    return SCPAUTH_OK;
}

/* One DecryptMessage over a fresh copy of the token in msg (it works in
 * place); on success *p, *n are the plaintext inside msg->data. */
static SECURITY_STATUS unseal_as(scpauth__sspi_ctx *x, scpauth__sspi_layout layout,
                                 const void *token, size_t len, scpauth_buffer *msg,
                                 unsigned long *qop, unsigned char **p, size_t *n)
{
    SecBuffer b[2];
    if (len > 0)
        memcpy(msg->data, token, len);
    if (scpauth__sspi_unseal_buffers(layout, msg->data, (unsigned long)len, ctx_cksum_len(x),
                                     b) != 0)
        return SEC_E_INVALID_TOKEN;
    SecBufferDesc d = {SECBUFFER_VERSION, 2, b};
    SECURITY_STATUS st = DecryptMessage(&x->handle, &d, 0, qop);
    *p = b[1].pvBuffer;
    *n = b[1].cbBuffer;
    return st;
}

int scpauth__sspi_unseal(void *bctx, const void *token, size_t len, scpauth_buffer *msg,
                         int *was_encrypted, scpauth_error *err)
{
    scpauth__sspi_ctx *x = bctx;
    if (len > ULONG_MAX)
        return too_big(err, x, "wrap token", len);
    /* DecryptMessage works in place: decrypt a copy inside the output buffer,
     * then move the plaintext to its start. */
    int rc = scpauth__buffer_alloc(msg, len, err);
    if (rc != SCPAUTH_OK)
        return rc;
    unsigned long qop = 0;
    unsigned char *p = NULL;
    size_t n = 0;
    scpauth__sspi_layout layout = x->layout;
    SECURITY_STATUS st;
    if (layout == SCPAUTH__SSPI_LAYOUT_UNKNOWN) {
        /* Not seen yet: Windows' STREAM first. Wine 8 has no STREAM and
         * refuses it before gss_unwrap, with SEC_E_INVALID_TOKEN and no
         * sequence number used: then its own split. Either way the token is
         * only accepted if DecryptMessage verified it. */
        layout = SCPAUTH__SSPI_LAYOUT_WINDOWS;
        st = unseal_as(x, layout, token, len, msg, &qop, &p, &n);
        if (st == SEC_E_INVALID_TOKEN) {
            layout = SCPAUTH__SSPI_LAYOUT_WINE;
            st = unseal_as(x, layout, token, len, msg, &qop, &p, &n);
        }
    } else {
        st = unseal_as(x, layout, token, len, msg, &qop, &p, &n);
    }
    int inside = p != NULL && p >= msg->data && (size_t)(p - msg->data) <= len &&
                 n <= len - (size_t)(p - msg->data);
    if (st != SEC_E_OK || !(inside || n == 0)) {
        scpauth_buffer_free(msg);
        if (st == SEC_E_INVALID_TOKEN && layout == SCPAUTH__SSPI_LAYOUT_WINE &&
            scpauth__sspi_wrap_trailer(token, len, ctx_cksum_len(x)) == 0)
            return scpauth__error_set(err, SCPAUTH_EBADSIG, "wrap token of %llu bytes for %s is "
                                      "not an RFC 4121 (AES) wrap token, the only kind Wine's "
                                      "DecryptMessage is given", (unsigned long long)len,
                                      x->subject);
        return st != SEC_E_OK ? message_fail(err, st, "DecryptMessage", x)
                              : scpauth__error_set(err, SCPAUTH_EINTERNAL,
                                                   "DecryptMessage for %s returned data "
                                                   "outside the token", x->subject);
    }
    x->layout = layout;
    if (n > 0)
        memmove(msg->data, p, n);
    scpauth_memzero(msg->data + n, len - n);
    msg->len = n;
    *was_encrypted = scpauth__sspi_qop_encrypted(qop);
    return SCPAUTH_OK;
}

int scpauth__sspi_mic_size(void *bctx, size_t *size, scpauth_error *err)
{
    scpauth__sspi_ctx *x = bctx;
    int rc = ctx_sizes(x, err);
    if (rc == SCPAUTH_OK)
        *size = x->sizes.cbMaxSignature;
    return rc;
}

int scpauth__sspi_seal_overhead(void *bctx, size_t msg_len, size_t *overhead,
                                scpauth_error *err)
{
    (void)msg_len; /* Kerberos' overhead does not depend on the length */
    scpauth__sspi_ctx *x = bctx;
    int rc = ctx_sizes(x, err);
    if (rc == SCPAUTH_OK)
        *overhead = scpauth__sspi_seal_overhead_of(x->layout, &x->sizes, ctx_cksum_len(x));
    return rc;
}
