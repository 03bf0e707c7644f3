/* sspi_layout.c - where the bytes of a sealed message go.
 *
 * Windows (MS-KILE 3.4.5.4.1): EncryptMessage with Kerberos writes the RFC 4121
 * wrap token's header into SECBUFFER_TOKEN (at most cbSecurityTrailer bytes),
 * encrypts SECBUFFER_DATA in place and writes 0 bytes of SECBUFFER_PADDING;
 * TOKEN||DATA||PADDING is then one RFC 4121 token (with RRC rotation) that
 * gss_unwrap accepts. DecryptMessage takes such a token whole as
 * SECBUFFER_STREAM and points SECBUFFER_DATA at the plaintext inside it.
 *
 * Wine 8 differs (measured, see the project's Wine notes): its EncryptMessage
 * runs gss_wrap and puts the token's FIRST bytes in DATA and the last ones
 * (60 for AES, more than cbSecurityTrailer, so SEC_E_BUFFER_TOO_SMALL here)
 * in TOKEN, i.e. DATA||TOKEN is the gss_wrap token; it leaves PADDING's
 * cbBuffer untouched; its DecryptMessage has no SECBUFFER_STREAM. This file
 * follows Windows only. Sealing interop under Wine would need a second layout
 * chosen at run time (e.g. when ntdll exports wine_get_version): not decided
 * yet; these four functions are the only place to change. */
#include "sspi.h"

#include <string.h>

size_t scpauth__sspi_seal_size(size_t len, const SecPkgContext_Sizes *sizes)
{
    size_t extra = (size_t)sizes->cbSecurityTrailer + (size_t)sizes->cbBlockSize;
    /* Each SecBuffer length is a ULONG (32 bits on Windows). */
    if (len > (size_t)ULONG_MAX || len > SIZE_MAX - extra)
        return 0;
    return len + extra;
}

void scpauth__sspi_seal_buffers(unsigned char *base, unsigned long len,
                                const SecPkgContext_Sizes *sizes, SecBuffer b[3])
{
    b[0].BufferType = SECBUFFER_TOKEN;
    b[0].cbBuffer = sizes->cbSecurityTrailer;
    b[0].pvBuffer = base;
    b[1].BufferType = SECBUFFER_DATA;
    b[1].cbBuffer = len;
    b[1].pvBuffer = base + sizes->cbSecurityTrailer;
    b[2].BufferType = SECBUFFER_PADDING;
    b[2].cbBuffer = sizes->cbBlockSize;
    b[2].pvBuffer = base + sizes->cbSecurityTrailer + len;
}

size_t scpauth__sspi_seal_pack(unsigned char *base, size_t cap, const SecBuffer b[3])
{
    /* The package may write fewer bytes than offered (cbBuffer shrinks):
     * close the gaps so the message is exactly TOKEN||DATA||PADDING. The
     * buffers lie in order inside base, so moving left never overlaps a
     * part not yet moved. A part that grew or moved out of base is refused. */
    size_t off = 0;
    for (int i = 0; i < 3; i++) {
        if (b[i].cbBuffer == 0)
            continue;
        unsigned char *p = b[i].pvBuffer;
        if (p == NULL || p < base + off || (size_t)(p - base) > cap ||
            b[i].cbBuffer > cap - (size_t)(p - base))
            return 0;
        if ((unsigned char *)b[i].pvBuffer != base + off)
            memmove(base + off, b[i].pvBuffer, b[i].cbBuffer);
        off += b[i].cbBuffer;
    }
    return off;
}

void scpauth__sspi_unseal_buffers(unsigned char *base, unsigned long len, SecBuffer b[2])
{
    b[0].BufferType = SECBUFFER_STREAM;
    b[0].cbBuffer = len;
    b[0].pvBuffer = base;
    /* Filled by DecryptMessage: points into the stream. */
    b[1].BufferType = SECBUFFER_DATA;
    b[1].cbBuffer = 0;
    b[1].pvBuffer = NULL;
}
