/* sspi_layout.c - where the bytes of a sealed message go, on Windows and
 * under Wine. The wire always carries one RFC 4121 wrap token per message;
 * only the SecBuffers around EncryptMessage / DecryptMessage differ.
 *
 * WINDOWS (the default). Written to Microsoft's documentation (MS-KILE
 * 3.4.5.4.1, "Kerberos Binding of GSS_WrapEx()", and the EncryptMessage
 * (Kerberos) page), NOT verifiable on this machine: EncryptMessage writes the
 * token's header into SECBUFFER_TOKEN (at most cbSecurityTrailer bytes),
 * encrypts SECBUFFER_DATA in place and writes 0 bytes of SECBUFFER_PADDING;
 * TOKEN||DATA||PADDING is one RFC 4121 token (with RRC rotation) that
 * gss_unwrap accepts. DecryptMessage takes a whole token as SECBUFFER_STREAM
 * and points SECBUFFER_DATA at the plaintext inside it.
 *
 * WINE (chosen at run time when ntdll exports wine_get_version). Verified
 * with Wine 8.0 (Debian 12) against MIT krb5 1.20 peers (scpauth's GSSAPI
 * build, MIT gss-client/gss-server) and a Samba AD DC, AES256-CTS-HMAC-
 * SHA1-96 session keys, both roles, by tests/integration/test_wine_interop.sh:
 * - EncryptMessage runs gss_wrap on DATA and writes the token's FIRST
 *   DATA.cbBuffer bytes over DATA and the rest into TOKEN (measured: 60
 *   bytes, EC 0, when encrypting), so DATA||TOKEN is the gss_wrap token. A
 *   TOKEN smaller than that fails with SEC_E_BUFFER_TOO_SMALL after gss_wrap
 *   used up a sequence number, and cbSecurityTrailer (49) is smaller: TOKEN
 *   gets a bound that fits every Kerberos enctype instead. PADDING is left
 *   untouched: not passed.
 * - DecryptMessage has no SECBUFFER_STREAM. It runs gss_unwrap on
 *   DATA||TOKEN and copies exactly DATA.cbBuffer bytes of plaintext back
 *   over DATA (neither fewer nor more, whatever the plaintext's length): so
 *   DATA must be the token minus its trailer, the trailer's length computed
 *   from the token's own header (EC, the sealed flag) and the enctype's
 *   checksum length (AES-SHA1's 12 until a seal of ours shows another).
 *   Measured for MIT's encrypted tokens and integrity-only ones (gss-client
 *   -nx: header, plaintext, EC = 12 bytes of checksum).
 * Not measured, from reading Wine's source only: integrity-only seals
 * (qop SECQOP_WRAP_NO_ENCRYPT, gss_wrap with conf 0); tokens from real
 * Windows (RRC rotation, which gss_unwrap undoes); RFC 8009 enctypes. RC4-HMAC
 * (RFC 4757) tokens are refused under Wine: their trailer is not split. */
#include "sspi.h"

#include <string.h>

/* RFC 4121 4.2.6.2: TOK_ID 05 04, Flags, Filler FF, EC, RRC, SND_SEQ. */
#define CFX_HEADER 16u
#define CFX_FLAG_SEALED 0x02u
/* AES confounder (one cipher block, RFC 3962 and RFC 8009). */
#define CFX_CONFOUNDER 16u

scpauth__sspi_layout scpauth__sspi_layout_detect(void)
{
    /* 0 not asked yet, else layout + 1. Racing first calls compute the
     * same answer, so a plain interlocked store is enough. */
    static volatile LONG cached;
    LONG v = InterlockedCompareExchange(&cached, 0, 0);
    if (v == 0) {
        HMODULE ntdll = GetModuleHandleW(L"ntdll.dll");
        int wine = ntdll != NULL && GetProcAddress(ntdll, "wine_get_version") != NULL;
        v = (wine ? SCPAUTH__SSPI_LAYOUT_WINE : SCPAUTH__SSPI_LAYOUT_WINDOWS) + 1;
        InterlockedExchange(&cached, v);
    }
    return (scpauth__sspi_layout)(v - 1);
}

size_t scpauth__sspi_seal_data_offset(scpauth__sspi_layout layout,
                                      const SecPkgContext_Sizes *sizes)
{
    return layout == SCPAUTH__SSPI_LAYOUT_WINE ? 0 : sizes->cbSecurityTrailer;
}

size_t scpauth__sspi_seal_size(scpauth__sspi_layout layout, size_t len,
                               const SecPkgContext_Sizes *sizes)
{
    size_t extra = layout == SCPAUTH__SSPI_LAYOUT_WINE
                       ? SCPAUTH__SSPI_WINE_TRAILER_MAX
                       : (size_t)sizes->cbSecurityTrailer + (size_t)sizes->cbBlockSize;
    /* Each SecBuffer length is a ULONG (32 bits on Windows). */
    if (len > (size_t)ULONG_MAX || len > SIZE_MAX - extra)
        return 0;
    return len + extra;
}

unsigned long scpauth__sspi_seal_buffers(scpauth__sspi_layout layout, unsigned char *base,
                                         unsigned long len, const SecPkgContext_Sizes *sizes,
                                         SecBuffer b[3])
{
    if (layout == SCPAUTH__SSPI_LAYOUT_WINE) {
        b[0].BufferType = SECBUFFER_DATA;
        b[0].cbBuffer = len;
        b[0].pvBuffer = base;
        b[1].BufferType = SECBUFFER_TOKEN;
        b[1].cbBuffer = SCPAUTH__SSPI_WINE_TRAILER_MAX;
        b[1].pvBuffer = base + len;
        return 2;
    }
    b[0].BufferType = SECBUFFER_TOKEN;
    b[0].cbBuffer = sizes->cbSecurityTrailer;
    b[0].pvBuffer = base;
    b[1].BufferType = SECBUFFER_DATA;
    b[1].cbBuffer = len;
    b[1].pvBuffer = base + sizes->cbSecurityTrailer;
    b[2].BufferType = SECBUFFER_PADDING;
    b[2].cbBuffer = sizes->cbBlockSize;
    b[2].pvBuffer = base + sizes->cbSecurityTrailer + len;
    return 3;
}

size_t scpauth__sspi_seal_pack(unsigned char *base, size_t cap, const SecBuffer *b,
                               unsigned long count)
{
    /* The package may write fewer bytes than offered (cbBuffer shrinks):
     * close the gaps so the message is the buffers' bytes in order. The
     * buffers lie in order inside base, so moving left never overlaps a
     * part not yet moved. A part that grew or moved out of base is refused. */
    size_t off = 0;
    for (unsigned long i = 0; i < count; i++) {
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

size_t scpauth__sspi_cfx_cksum_len(long etype)
{
    switch (etype) {
    case 19: return 16; /* aes128-cts-hmac-sha256-128 (RFC 8009) */
    case 20: return 24; /* aes256-cts-hmac-sha384-192 (RFC 8009) */
    default: return 12; /* aes128/aes256-cts-hmac-sha1-96: AD's RFC 4121 enctypes */
    }
}

size_t scpauth__sspi_seal_overhead_of(scpauth__sspi_layout layout,
                                      const SecPkgContext_Sizes *sizes, size_t cksum_len)
{
    if (layout == SCPAUTH__SSPI_LAYOUT_WINE)
        /* gss_wrap's sealed token, EC 0 (measured: 60 bytes for AES-SHA1). */
        return CFX_HEADER + CFX_CONFOUNDER + CFX_HEADER + cksum_len;
    /* An upper bound: Windows writes no padding for Kerberos. */
    return (size_t)sizes->cbSecurityTrailer + sizes->cbBlockSize;
}

size_t scpauth__sspi_wrap_trailer(const unsigned char *tok, size_t len, size_t cksum_len)
{
    if (len < CFX_HEADER || tok[0] != 0x05 || tok[1] != 0x04 || tok[3] != 0xFF)
        return 0;
    size_t ec = (size_t)tok[4] << 8 | tok[5];
    /* Sealed: header || E(confounder || plaintext || EC filler || header)
     * || checksum. Integrity only: header || plaintext || checksum of EC
     * bytes. RRC only rotates, the sizes stay. */
    size_t n = (tok[2] & CFX_FLAG_SEALED) ? CFX_HEADER + CFX_CONFOUNDER + ec + CFX_HEADER + cksum_len
                                           : CFX_HEADER + ec;
    return n <= len ? n : 0;
}

size_t scpauth__sspi_wrap_cksum_len(const unsigned char *tok, size_t len, size_t plain_len)
{
    if (len < CFX_HEADER || len < plain_len || tok[0] != 0x05 || tok[1] != 0x04 ||
        !(tok[2] & CFX_FLAG_SEALED))
        return 0;
    size_t ec = (size_t)tok[4] << 8 | tok[5];
    size_t fixed = CFX_HEADER + CFX_CONFOUNDER + ec + CFX_HEADER;
    size_t trailer = len - plain_len;
    return trailer > fixed ? trailer - fixed : 0;
}

int scpauth__sspi_unseal_buffers(scpauth__sspi_layout layout, unsigned char *base,
                                 unsigned long len, size_t cksum_len, SecBuffer b[2])
{
    if (layout == SCPAUTH__SSPI_LAYOUT_WINE) {
        size_t trailer = scpauth__sspi_wrap_trailer(base, len, cksum_len);
        if (trailer == 0)
            return -1;
        b[0].BufferType = SECBUFFER_TOKEN;
        b[0].cbBuffer = (unsigned long)trailer;
        b[0].pvBuffer = base + (len - trailer);
        /* Wine writes exactly this many plaintext bytes here. */
        b[1].BufferType = SECBUFFER_DATA;
        b[1].cbBuffer = (unsigned long)(len - trailer);
        b[1].pvBuffer = base;
        return 0;
    }
    b[0].BufferType = SECBUFFER_STREAM;
    b[0].cbBuffer = len;
    b[0].pvBuffer = base;
    /* Filled by DecryptMessage: points into the stream. */
    b[1].BufferType = SECBUFFER_DATA;
    b[1].cbBuffer = 0;
    b[1].pvBuffer = NULL;
    return 0;
}
