/* sspi_shim_mit.c - secur32's per-message calls over MIT krb5 GSSAPI, for
 * the native test of src/sspi/sspi_layout.c and sspi_message.c. The
 * CtxtHandle's dwLower is a gss_ctx_id_t. WINDOWS mode behaves as MS-KILE
 * documents Windows: EncryptMessage = gss_wrap_iov(HEADER|DATA|PADDING),
 * which writes Windows-shaped tokens (AES: 60-byte TOKEN, EC 0, RRC 28,
 * no padding), DecryptMessage = gss_unwrap_iov(STREAM|DATA). WINE mode
 * behaves as Wine 8: gss_wrap split as DATA||TOKEN, no STREAM. */
#include <string.h>

#include <gssapi/gssapi.h>
#include <gssapi/gssapi_ext.h>

#include "sspi_shim_mit.h"

int shim_wine_mode;
int shim_downgrade; /* EncryptMessage wraps without confidentiality */

static gss_ctx_id_t gctx(CtxtHandle *h)
{
    return (gss_ctx_id_t)h->dwLower;
}

static SecBuffer *find(SecBufferDesc *d, ULONG type)
{
    for (ULONG i = 0; i < d->cBuffers; i++)
        if (d->pBuffers[i].BufferType == type)
            return &d->pBuffers[i];
    return NULL;
}

static SECURITY_STATUS from_gss(OM_uint32 major)
{
    switch (GSS_ROUTINE_ERROR(major)) {
    case 0:
        return (major & (GSS_S_DUPLICATE_TOKEN | GSS_S_OLD_TOKEN | GSS_S_UNSEQ_TOKEN |
                         GSS_S_GAP_TOKEN)) ? SEC_E_OUT_OF_SEQUENCE : SEC_E_OK;
    case GSS_S_BAD_SIG: return SEC_E_MESSAGE_ALTERED;
    case GSS_S_DEFECTIVE_TOKEN: return SEC_E_INVALID_TOKEN;
    case GSS_S_CONTEXT_EXPIRED: return SEC_E_CONTEXT_EXPIRED;
    default: return SEC_E_INTERNAL_ERROR;
    }
}

SECURITY_STATUS QueryContextAttributesW(CtxtHandle *ctx, ULONG attr, void *buf)
{
    if (attr != SECPKG_ATTR_SIZES)
        return SEC_E_UNSUPPORTED_FUNCTION;
    OM_uint32 minor;
    gss_iov_buffer_desc iov[3] = {{GSS_IOV_BUFFER_TYPE_HEADER, {0, NULL}},
                                  {GSS_IOV_BUFFER_TYPE_DATA, {1, NULL}},
                                  {GSS_IOV_BUFFER_TYPE_PADDING, {0, NULL}}};
    if (gss_wrap_iov_length(&minor, gctx(ctx), 1, GSS_C_QOP_DEFAULT, NULL, iov, 3) != 0)
        return SEC_E_INTERNAL_ERROR;
    SecPkgContext_Sizes *s = buf;
    s->cbMaxToken = 48000;
    s->cbMaxSignature = 28; /* RFC 4121 MIC token: 16 + a 12-byte checksum */
    s->cbBlockSize = 16;
    s->cbSecurityTrailer = (ULONG)iov[0].buffer.length;
    return SEC_E_OK;
}

static SECURITY_STATUS encrypt_wine(gss_ctx_id_t c, int conf, SecBuffer *t, SecBuffer *d)
{
    OM_uint32 minor, major;
    gss_buffer_desc in = {d->cbBuffer, d->pvBuffer}, out = {0, NULL};
    major = gss_wrap(&minor, c, conf, GSS_C_QOP_DEFAULT, &in, NULL, &out);
    if (major != GSS_S_COMPLETE)
        return from_gss(major);
    if (t->cbBuffer < out.length - d->cbBuffer) {
        gss_release_buffer(&minor, &out);
        return SEC_E_BUFFER_TOO_SMALL;
    }
    memcpy(d->pvBuffer, out.value, d->cbBuffer);
    memcpy(t->pvBuffer, (char *)out.value + d->cbBuffer, out.length - d->cbBuffer);
    t->cbBuffer = (ULONG)(out.length - d->cbBuffer);
    gss_release_buffer(&minor, &out);
    return SEC_E_OK;
}

SECURITY_STATUS EncryptMessage(CtxtHandle *ctx, ULONG qop, SecBufferDesc *msg, ULONG seq)
{
    (void)seq;
    SecBuffer *t = find(msg, SECBUFFER_TOKEN), *d = find(msg, SECBUFFER_DATA);
    SecBuffer *p = find(msg, SECBUFFER_PADDING);
    if (t == NULL || d == NULL || (qop != 0 && qop != SECQOP_WRAP_NO_ENCRYPT))
        return SEC_E_INVALID_TOKEN;
    int conf = qop == 0 && !shim_downgrade;
    if (shim_wine_mode)
        return encrypt_wine(gctx(ctx), conf, t, d);
    OM_uint32 minor;
    gss_iov_buffer_desc iov[3] = {{GSS_IOV_BUFFER_TYPE_HEADER, {t->cbBuffer, t->pvBuffer}},
                                  {GSS_IOV_BUFFER_TYPE_DATA, {d->cbBuffer, d->pvBuffer}},
                                  {GSS_IOV_BUFFER_TYPE_PADDING,
                                   {p ? p->cbBuffer : 0, p ? p->pvBuffer : NULL}}};
    gss_iov_buffer_desc len[3];
    memcpy(len, iov, sizeof len);
    OM_uint32 major = gss_wrap_iov_length(&minor, gctx(ctx), conf, GSS_C_QOP_DEFAULT, NULL,
                                          len, 3);
    if (major != GSS_S_COMPLETE)
        return from_gss(major);
    if (len[0].buffer.length > t->cbBuffer || (len[2].buffer.length > 0 && p == NULL) ||
        (p != NULL && len[2].buffer.length > p->cbBuffer))
        return SEC_E_BUFFER_TOO_SMALL;
    iov[0].buffer.length = len[0].buffer.length;
    iov[2].buffer.length = len[2].buffer.length;
    major = gss_wrap_iov(&minor, gctx(ctx), conf, GSS_C_QOP_DEFAULT, NULL, iov, 3);
    if (major != GSS_S_COMPLETE)
        return from_gss(major);
    t->cbBuffer = (ULONG)iov[0].buffer.length;
    if (p != NULL)
        p->cbBuffer = (ULONG)iov[2].buffer.length;
    return SEC_E_OK;
}

static SECURITY_STATUS decrypt_wine(gss_ctx_id_t c, SecBufferDesc *msg, PULONG qop)
{
    SecBuffer *t = find(msg, SECBUFFER_TOKEN), *d = find(msg, SECBUFFER_DATA);
    if (t == NULL || d == NULL)
        return SEC_E_INVALID_TOKEN; /* Wine 8: no STREAM, refused before gss_unwrap */
    OM_uint32 minor;
    unsigned char joined[65536];
    if (d->cbBuffer + t->cbBuffer > sizeof joined)
        return SEC_E_INTERNAL_ERROR;
    memcpy(joined, d->pvBuffer, d->cbBuffer);
    memcpy(joined + d->cbBuffer, t->pvBuffer, t->cbBuffer);
    gss_buffer_desc in = {d->cbBuffer + t->cbBuffer, joined}, out = {0, NULL};
    int conf = 0;
    OM_uint32 major = gss_unwrap(&minor, c, &in, &out, &conf, NULL);
    if (major == GSS_S_COMPLETE) {
        *qop = conf ? 0 : SECQOP_WRAP_NO_ENCRYPT;
        memcpy(d->pvBuffer, out.value, d->cbBuffer); /* as Wine: DATA's length */
    }
    gss_release_buffer(&minor, &out);
    return from_gss(major);
}

SECURITY_STATUS DecryptMessage(CtxtHandle *ctx, SecBufferDesc *msg, ULONG seq, PULONG qop)
{
    (void)seq;
    if (shim_wine_mode)
        return decrypt_wine(gctx(ctx), msg, qop);
    SecBuffer *s = find(msg, SECBUFFER_STREAM), *d = find(msg, SECBUFFER_DATA);
    if (s == NULL || d == NULL)
        return SEC_E_INVALID_TOKEN;
    OM_uint32 minor;
    int conf = 0;
    gss_iov_buffer_desc iov[2] = {{GSS_IOV_BUFFER_TYPE_STREAM, {s->cbBuffer, s->pvBuffer}},
                                  {GSS_IOV_BUFFER_TYPE_DATA, {0, NULL}}};
    OM_uint32 major = gss_unwrap_iov(&minor, gctx(ctx), &conf, NULL, iov, 2);
    if (GSS_ROUTINE_ERROR(major) == 0) {
        d->pvBuffer = iov[1].buffer.value;
        d->cbBuffer = (ULONG)iov[1].buffer.length;
        *qop = conf ? 0 : SECQOP_WRAP_NO_ENCRYPT;
    }
    return from_gss(major);
}

SECURITY_STATUS MakeSignature(CtxtHandle *ctx, ULONG qop, SecBufferDesc *msg, ULONG seq)
{
    (void)qop, (void)seq;
    SecBuffer *t = find(msg, SECBUFFER_TOKEN), *d = find(msg, SECBUFFER_DATA);
    OM_uint32 minor;
    gss_buffer_desc in = {d->cbBuffer, d->pvBuffer}, out = {0, NULL};
    OM_uint32 major = gss_get_mic(&minor, gctx(ctx), GSS_C_QOP_DEFAULT, &in, &out);
    if (major == GSS_S_COMPLETE && out.length <= t->cbBuffer) {
        memcpy(t->pvBuffer, out.value, out.length);
        t->cbBuffer = (ULONG)out.length;
    }
    gss_release_buffer(&minor, &out);
    return from_gss(major);
}

SECURITY_STATUS VerifySignature(CtxtHandle *ctx, SecBufferDesc *msg, ULONG seq, PULONG qop)
{
    (void)seq;
    SecBuffer *t = find(msg, SECBUFFER_TOKEN), *d = find(msg, SECBUFFER_DATA);
    OM_uint32 minor;
    gss_buffer_desc in = {d->cbBuffer, d->pvBuffer}, mic = {t->cbBuffer, t->pvBuffer};
    *qop = 0;
    return from_gss(gss_verify_mic(&minor, gctx(ctx), &in, &mic, NULL));
}
