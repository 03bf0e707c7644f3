/* sspi_layout.c - where the bytes of a sealed message go, on Windows and
 * under Wine. The wire always carries one RFC 4121 wrap token per message;
 * only the SecBuffers around EncryptMessage / DecryptMessage differ, and
 * which layout the package uses is learnt from what it writes, never from
 * which platform the process believes it runs on.
 *
 * WINDOWS. Written to Microsoft's documentation (MS-KILE 3.4.5.4.1,
 * "Kerberos Binding of GSS_WrapEx()", and the EncryptMessage (Kerberos)
 * page), NOT verifiable on this machine: EncryptMessage writes the token's
 * header into SECBUFFER_TOKEN (cbBuffer shrinks to what it wrote: 60 bytes
 * for AES, EC 0, RRC 28), encrypts SECBUFFER_DATA in place and writes 0
 * bytes of SECBUFFER_PADDING; TOKEN||DATA||PADDING is one RFC 4121 token
 * (with RRC rotation) that gss_unwrap accepts. DecryptMessage takes a whole
 * token as SECBUFFER_STREAM and points SECBUFFER_DATA at the plaintext.
 *
 * WINE. Verified with Wine 8.0 (Debian 12) against MIT krb5 1.20 peers
 * (scpauth's GSSAPI build, MIT gss-client/gss-server) and a Samba AD DC,
 * AES256-CTS-HMAC-SHA1-96 session keys, both roles, by
 * tests/integration/test_wine_interop.sh:
 * - EncryptMessage finds DATA and TOKEN by type, runs gss_wrap on DATA and
 *   writes the token's FIRST DATA.cbBuffer bytes over DATA and the rest into
 *   TOKEN (measured: 60 bytes, EC 0, when encrypting), so DATA||TOKEN is the
 *   gss_wrap token. A TOKEN smaller than that fails with
 *   SEC_E_BUFFER_TOO_SMALL after gss_wrap used up a sequence number, and
 *   Wine's cbSecurityTrailer (49) is smaller: TOKEN is therefore offered at
 *   least SCPAUTH__SSPI_WINE_TRAILER_MAX bytes in every layout. PADDING is
 *   left untouched (not part of the message).
 * - DecryptMessage (Wine 8) has no SECBUFFER_STREAM: without a TOKEN buffer
 *   it answers SEC_E_INVALID_TOKEN before gss_unwrap (no sequence number
 *   used). It runs gss_unwrap on DATA||TOKEN and copies exactly
 *   DATA.cbBuffer bytes of plaintext back over DATA: so DATA must be the
 *   token minus its trailer, the trailer's length computed from the token's
 *   own header (EC, the sealed flag) and the enctype's checksum length
 *   (AES-SHA1's 12 until a seal of ours shows another).
 *
 * Telling them apart after EncryptMessage: the message is either
 * TOKEN||DATA||PADDING or DATA||TOKEN, and exactly one of the two must have
 * the shape of an RFC 4121 wrap token of the plaintext's length, sealed iff
 * encryption was asked for; anything else (neither, both, or not the layout
 * this context already showed) is refused, so no reading of the output can
 * turn a seal into a weaker one. Not measured: tokens from real Windows;
 * RFC 8009 enctypes. RC4-HMAC (RFC 4757) tokens are not RFC 4121 tokens and
 * are refused in both layouts. */
#include "sspi.h"

#include <string.h>

/* RFC 4121 4.2.6.2: TOK_ID 05 04, Flags, Filler FF, EC, RRC, SND_SEQ. */
#define CFX_HEADER 16u
#define CFX_FLAG_SEALED 0x02u
/* SentByAcceptor, Sealed, AcceptorSubkey: no other flag is defined. */
#define CFX_FLAGS_KNOWN 0x07u
/* AES confounder (one cipher block, RFC 3962 and RFC 8009). */
#define CFX_CONFOUNDER 16u

size_t scpauth__sspi_seal_data_offset(const SecPkgContext_Sizes *sizes)
{
    return sizes->cbSecurityTrailer > SCPAUTH__SSPI_WINE_TRAILER_MAX
               ? sizes->cbSecurityTrailer
               : SCPAUTH__SSPI_WINE_TRAILER_MAX;
}

size_t scpauth__sspi_seal_size(size_t len, const SecPkgContext_Sizes *sizes)
{
    size_t extra = scpauth__sspi_seal_data_offset(sizes) + (size_t)sizes->cbBlockSize;
    /* Each SecBuffer length is a ULONG (32 bits on Windows). */
    if (len > (size_t)ULONG_MAX || len > SIZE_MAX - extra)
        return 0;
    return len + extra;
}

void scpauth__sspi_seal_buffers(unsigned char *base, unsigned long len,
                                const SecPkgContext_Sizes *sizes, SecBuffer b[3])
{
    size_t tok = scpauth__sspi_seal_data_offset(sizes);
    /* Nothing of an earlier use of the memory may end up in the message:
     * a package that writes fewer bytes than offered leaves these as is. */
    memset(base, 0, tok);
    memset(base + tok + len, 0, sizes->cbBlockSize);
    b[0].BufferType = SECBUFFER_TOKEN;
    b[0].cbBuffer = (unsigned long)tok;
    b[0].pvBuffer = base;
    b[1].BufferType = SECBUFFER_DATA;
    b[1].cbBuffer = len;
    b[1].pvBuffer = base + tok;
    b[2].BufferType = SECBUFFER_PADDING;
    b[2].cbBuffer = sizes->cbBlockSize;
    b[2].pvBuffer = base + tok + len;
}

/* Whether n1 bytes at p1 followed by n2 at p2 have the shape of an RFC 4121
 * wrap token carrying plain bytes: header fields, the sealed flag as asked,
 * and a length that leaves exactly one known checksum size. */
static int wrap_shape(const unsigned char *p1, size_t n1, const unsigned char *p2, size_t n2,
                      size_t plain, int encrypt)
{
    unsigned char h[CFX_HEADER];
    size_t total = n1 + n2;
    if (total < CFX_HEADER)
        return 0;
    size_t first = n1 < CFX_HEADER ? n1 : CFX_HEADER;
    memcpy(h, p1, first);
    memcpy(h + first, p2, CFX_HEADER - first);
    if (h[0] != 0x05 || h[1] != 0x04 || h[3] != 0xFF || (h[2] & ~CFX_FLAGS_KNOWN) != 0 ||
        !(h[2] & CFX_FLAG_SEALED) != !encrypt)
        return 0;
    size_t ec = (size_t)h[4] << 8 | h[5], cksum;
    if (encrypt) {
        /* header || E(confounder || plaintext || EC filler || header) || checksum */
        size_t fixed = CFX_HEADER + CFX_CONFOUNDER + ec + CFX_HEADER + plain;
        if (total <= fixed)
            return 0;
        cksum = total - fixed;
    } else {
        /* header || plaintext || checksum of EC bytes */
        if (total != CFX_HEADER + plain + ec)
            return 0;
        cksum = ec;
    }
    return cksum == 12 || cksum == 16 || cksum == 24;
}

scpauth__sspi_layout scpauth__sspi_seal_detect(const unsigned char *base,
                                               const SecPkgContext_Sizes *sizes,
                                               unsigned long len, const SecBuffer b[3],
                                               int encrypt, scpauth__sspi_layout known)
{
    size_t tok = scpauth__sspi_seal_data_offset(sizes);
    /* The package may shrink TOKEN and PADDING, never move or grow a buffer. */
    if (b[0].pvBuffer != base || b[0].cbBuffer > tok || b[1].pvBuffer != base + tok ||
        b[1].cbBuffer != len || b[2].pvBuffer != base + tok + len ||
        b[2].cbBuffer > sizes->cbBlockSize)
        return SCPAUTH__SSPI_LAYOUT_UNKNOWN;
    const unsigned char *t = base, *d = base + tok;
    size_t tn = b[0].cbBuffer;
    /* Windows: the header starts TOKEN; Wine: it starts DATA (or TOKEN when
     * DATA is shorter than a header). */
    int win = tn >= CFX_HEADER && wrap_shape(t, tn, d, (size_t)len + b[2].cbBuffer, len, encrypt);
    int wine = wrap_shape(d, len, t, tn, len, encrypt);
    /* An empty message without padding is the same bytes either way. */
    if (win && wine && len == 0 && b[2].cbBuffer == 0)
        return known != SCPAUTH__SSPI_LAYOUT_UNKNOWN ? known : SCPAUTH__SSPI_LAYOUT_WINDOWS;
    if (win == wine)
        return SCPAUTH__SSPI_LAYOUT_UNKNOWN; /* neither, or ambiguous */
    return win ? SCPAUTH__SSPI_LAYOUT_WINDOWS : SCPAUTH__SSPI_LAYOUT_WINE;
}

/* Reverses n bytes in place. */
static void reverse(unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n / 2; i++) {
        unsigned char c = p[i];
        p[i] = p[n - 1 - i];
        p[n - 1 - i] = c;
    }
}

size_t scpauth__sspi_seal_pack(scpauth__sspi_layout layout, unsigned char *base,
                               const SecPkgContext_Sizes *sizes, unsigned long len,
                               const SecBuffer b[3])
{
    size_t tok = scpauth__sspi_seal_data_offset(sizes), tn = b[0].cbBuffer;
    if (layout == SCPAUTH__SSPI_LAYOUT_WINDOWS) {
        /* TOKEN || DATA || PADDING: close the gap TOKEN left (left moves). */
        memmove(base + tn, base + tok, (size_t)len + b[2].cbBuffer);
        return tn + len + b[2].cbBuffer;
    }
    if (layout != SCPAUTH__SSPI_LAYOUT_WINE)
        return 0;
    /* DATA || TOKEN: put TOKEN right before DATA, then swap the two by
     * three reversals, in place (no second copy of the message). */
    unsigned char *s = base + tok - tn;
    memmove(s, base, tn);
    reverse(s, tn);
    reverse(s + tn, len);
    reverse(s, tn + len);
    memmove(base, s, tn + len);
    return tn + len;
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
    /* WINE: gss_wrap's sealed token, EC 0 (measured: 60 bytes for AES-SHA1). */
    size_t wine = CFX_HEADER + CFX_CONFOUNDER + CFX_HEADER + cksum_len;
    /* WINDOWS: an upper bound, Windows writes no padding for Kerberos. */
    size_t win = (size_t)sizes->cbSecurityTrailer + sizes->cbBlockSize;
    if (layout == SCPAUTH__SSPI_LAYOUT_WINE)
        return wine;
    if (layout == SCPAUTH__SSPI_LAYOUT_WINDOWS)
        return win;
    return wine > win ? wine : win; /* not seen yet: the larger */
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
