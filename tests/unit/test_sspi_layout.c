/* test_sspi_layout.c - how a sealed message is laid out for EncryptMessage
 * (one layout, TOKEN and PADDING zeroed), which of Windows' (TOKEN || DATA ||
 * PADDING) or Wine's (DATA || TOKEN) the package's output is, read from the
 * bytes and refused when neither or both, and how DecryptMessage is given a
 * token (STREAM, or Wine's split computed from the RFC 4121 header). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "sspi/sspi.h"

/* cbMaxToken, cbMaxSignature, cbBlockSize, cbSecurityTrailer: Wine 8's
 * Kerberos values, with a 1-byte block so that padding is exercised. */
static const SecPkgContext_Sizes aes_sizes = {12000, 37, 1, 49};

#define WIN SCPAUTH__SSPI_LAYOUT_WINDOWS
#define WINE SCPAUTH__SSPI_LAYOUT_WINE

#define UNK SCPAUTH__SSPI_LAYOUT_UNKNOWN
#define TOK SCPAUTH__SSPI_WINE_TRAILER_MAX /* TOKEN offered: max(49, 128) */

static void test_seal_size(void **state)
{
    (void)state;
    assert_int_equal(scpauth__sspi_seal_data_offset(&aes_sizes), TOK);
    assert_int_equal(scpauth__sspi_seal_size(5, &aes_sizes), TOK + 5 + 1);
    assert_int_equal(scpauth__sspi_seal_size(0, &aes_sizes), TOK + 1);
    /* A package with a larger trailer gets all of it. */
    const SecPkgContext_Sizes big = {12000, 37, 1, 200};
    assert_int_equal(scpauth__sspi_seal_data_offset(&big), 200);
    /* Over a ULONG: SSPI cannot take it. */
    assert_int_equal(scpauth__sspi_seal_size((size_t)ULONG_MAX + 1, &aes_sizes), 0);
    assert_int_equal(scpauth__sspi_seal_size(SIZE_MAX - 10, &aes_sizes), 0);
}

static void test_seal_buffers_order_and_zeroed(void **state)
{
    (void)state;
    unsigned char base[TOK + 6];
    SecBuffer b[3];
    memset(base, 0xAB, sizeof base); /* what an earlier use left */
    memcpy(base + TOK, "DATA!", 5);
    scpauth__sspi_seal_buffers(base, 5, &aes_sizes, b);
    assert_int_equal(b[0].BufferType, SECBUFFER_TOKEN);
    assert_int_equal(b[0].cbBuffer, TOK);
    assert_ptr_equal(b[0].pvBuffer, base);
    assert_int_equal(b[1].BufferType, SECBUFFER_DATA);
    assert_int_equal(b[1].cbBuffer, 5);
    assert_ptr_equal(b[1].pvBuffer, base + TOK);
    assert_int_equal(b[2].BufferType, SECBUFFER_PADDING);
    assert_int_equal(b[2].cbBuffer, 1);
    assert_ptr_equal(b[2].pvBuffer, base + TOK + 5);
    /* TOKEN and PADDING zeroed, the plaintext untouched. */
    for (size_t i = 0; i < TOK; i++)
        assert_int_equal(base[i], 0);
    assert_memory_equal(base + TOK, "DATA!", 5);
    assert_int_equal(base[TOK + 5], 0);
}

/* An RFC 4121 wrap token header: flags, EC, RRC. */
static void cfx_header(unsigned char *t, unsigned char flags, unsigned ec, unsigned rrc)
{
    const unsigned char h[16] = {0x05, 0x04, flags, 0xFF, (unsigned char)(ec >> 8),
                                 (unsigned char)ec, (unsigned char)(rrc >> 8), (unsigned char)rrc,
                                 0, 0, 0, 0, 0, 0, 0, 7};
    memcpy(t, h, sizeof h);
}

/* A seal of `len` bytes as a package would write it: WIN puts a 60-byte
 * header (sealed AES, EC 0, RRC 28) in TOKEN and 0 bytes of padding; WINE
 * writes gss_wrap's 60 + len bytes, the first len over DATA. */
static void package_writes(unsigned char *base, SecBuffer b[3], unsigned long len, int layout,
                           unsigned char flags)
{
    memset(base + TOK, 0xCC, len); /* "ciphertext" */
    if (layout == WIN) {
        memset(base, 0xEE, 60);
        cfx_header(base, flags, 0, 28);
        b[0].cbBuffer = 60;
        b[2].cbBuffer = 0;
        return;
    }
    unsigned char tok[16 + 60 + 64];
    memset(tok, 0xDD, sizeof tok);
    cfx_header(tok, flags, 0, 0);
    memcpy(base + TOK, tok, len);
    memcpy(base, tok + len, 60);
    b[0].cbBuffer = 60;
}

static void test_seal_detect_and_pack_windows(void **state)
{
    (void)state;
    unsigned char base[TOK + 6];
    SecBuffer b[3];
    scpauth__sspi_seal_buffers(base, 5, &aes_sizes, b);
    package_writes(base, b, 5, WIN, 0x06);
    assert_int_equal(scpauth__sspi_seal_detect(base, &aes_sizes, 5, b, 1, UNK), WIN);
    /* Asked for integrity only, got a sealed token: refused. */
    assert_int_equal(scpauth__sspi_seal_detect(base, &aes_sizes, 5, b, 0, UNK),
                     SCPAUTH__SSPI_LAYOUT_UNKNOWN);
    size_t n = scpauth__sspi_seal_pack(WIN, base, &aes_sizes, 5, b);
    assert_int_equal(n, 65);
    assert_int_equal(base[0], 0x05);
    assert_int_equal(base[59], 0xEE);
    assert_int_equal(base[60], 0xCC);
    assert_int_equal(base[64], 0xCC);
    assert_int_equal(scpauth__sspi_wrap_cksum_len(base, n, 5), 12);
}

static void test_seal_detect_and_pack_wine(void **state)
{
    (void)state;
    /* Long enough for the header to sit in DATA, and shorter than one. */
    for (unsigned long len = 0; len <= 40; len += 5) {
        unsigned char base[TOK + 41];
        SecBuffer b[3];
        scpauth__sspi_seal_buffers(base, len, &aes_sizes, b);
        package_writes(base, b, len, WINE, 0x06);
        /* Wine leaves PADDING's 1 byte counted: TOKEN||DATA||PADDING is one
         * byte too long to be a token even when DATA is empty. */
        assert_int_equal(scpauth__sspi_seal_detect(base, &aes_sizes, len, b, 1, UNK), WINE);
        size_t n = scpauth__sspi_seal_pack(WINE, base, &aes_sizes, len, b);
        assert_int_equal(n, 60 + len);
        assert_int_equal(base[0], 0x05);
        assert_int_equal(base[1], 0x04);
        assert_int_equal(base[n - 1], 0xDD);
        assert_int_equal(scpauth__sspi_wrap_cksum_len(base, n, len), 12);
    }
}

static void test_seal_detect_empty_message(void **state)
{
    (void)state;
    /* Windows, empty message, no padding: TOKEN alone is the token, and
     * DATA||TOKEN is the same bytes: the context's layout stands. */
    unsigned char base[TOK + 1];
    SecBuffer b[3];
    scpauth__sspi_seal_buffers(base, 0, &aes_sizes, b);
    package_writes(base, b, 0, WIN, 0x06);
    assert_int_equal(scpauth__sspi_seal_detect(base, &aes_sizes, 0, b, 1, UNK), WIN);
    assert_int_equal(scpauth__sspi_seal_detect(base, &aes_sizes, 0, b, 1, WINE), WINE);
    assert_int_equal(scpauth__sspi_seal_pack(WINE, base, &aes_sizes, 0, b), 60);
    assert_int_equal(base[0], 0x05);
}

static void test_seal_detect_refuses(void **state)
{
    (void)state;
    unsigned char base[TOK + 6], other[8];
    SecBuffer b[3];
    /* Nothing written: no header anywhere. */
    scpauth__sspi_seal_buffers(base, 5, &aes_sizes, b);
    memset(base + TOK, 0xCC, 5);
    b[0].cbBuffer = 60;
    assert_int_equal(scpauth__sspi_seal_detect(base, &aes_sizes, 5, b, 1, UNK),
                     SCPAUTH__SSPI_LAYOUT_UNKNOWN);
    /* A header whose length leaves no known checksum size. */
    package_writes(base, b, 5, WIN, 0x06);
    b[0].cbBuffer = 59;
    assert_int_equal(scpauth__sspi_seal_detect(base, &aes_sizes, 5, b, 1, UNK),
                     SCPAUTH__SSPI_LAYOUT_UNKNOWN);
    /* Unknown flag bits, or a filler that is not FF. */
    package_writes(base, b, 5, WIN, 0x0E);
    assert_int_equal(scpauth__sspi_seal_detect(base, &aes_sizes, 5, b, 1, UNK),
                     SCPAUTH__SSPI_LAYOUT_UNKNOWN);
    package_writes(base, b, 5, WIN, 0x06);
    base[3] = 0;
    assert_int_equal(scpauth__sspi_seal_detect(base, &aes_sizes, 5, b, 1, UNK),
                     SCPAUTH__SSPI_LAYOUT_UNKNOWN);
    /* Buffers that moved or grew. */
    package_writes(base, b, 5, WIN, 0x06);
    b[0].cbBuffer = TOK + 1;
    assert_int_equal(scpauth__sspi_seal_detect(base, &aes_sizes, 5, b, 1, UNK),
                     SCPAUTH__SSPI_LAYOUT_UNKNOWN);
    package_writes(base, b, 5, WIN, 0x06);
    b[1].pvBuffer = other;
    assert_int_equal(scpauth__sspi_seal_detect(base, &aes_sizes, 5, b, 1, UNK),
                     SCPAUTH__SSPI_LAYOUT_UNKNOWN);
    scpauth__sspi_seal_buffers(base, 5, &aes_sizes, b);
    package_writes(base, b, 5, WIN, 0x06);
    b[2].cbBuffer = 2;
    assert_int_equal(scpauth__sspi_seal_detect(base, &aes_sizes, 5, b, 1, UNK),
                     SCPAUTH__SSPI_LAYOUT_UNKNOWN);
    /* Both readings a wrap token: ambiguous, refused. */
    scpauth__sspi_seal_buffers(base, 5, &aes_sizes, b);
    unsigned char big[TOK + 16];
    SecBuffer bb[3];
    scpauth__sspi_seal_buffers(big, 16, &aes_sizes, bb);
    package_writes(big, bb, 16, WIN, 0x06);
    cfx_header(big + TOK, 0x06, 0, 0); /* DATA starts like a header, same sizes */
    assert_int_equal(scpauth__sspi_seal_detect(big, &aes_sizes, 16, bb, 1, UNK),
                     SCPAUTH__SSPI_LAYOUT_UNKNOWN);
    assert_int_equal(scpauth__sspi_seal_pack(SCPAUTH__SSPI_LAYOUT_UNKNOWN, big, &aes_sizes, 16,
                                             bb), 0);
}

static void test_seal_detect_integrity_only(void **state)
{
    (void)state;
    /* conf 0: header || plaintext || 12-byte checksum (EC 12). */
    unsigned char base[TOK + 6];
    SecBuffer b[3];
    scpauth__sspi_seal_buffers(base, 5, &aes_sizes, b);
    memcpy(base + TOK, "hello", 5);
    cfx_header(base, 0x04, 12, 12);
    memset(base + 16, 0xEE, 12);
    b[0].cbBuffer = 28;
    b[2].cbBuffer = 0;
    assert_int_equal(scpauth__sspi_seal_detect(base, &aes_sizes, 5, b, 0, UNK), WIN);
    /* ... and never taken for an encrypted seal. */
    assert_int_equal(scpauth__sspi_seal_detect(base, &aes_sizes, 5, b, 1, UNK),
                     SCPAUTH__SSPI_LAYOUT_UNKNOWN);
}

static void test_unseal_buffers_stream(void **state)
{
    (void)state;
    unsigned char tok[80];
    SecBuffer b[2];
    memset(b, 0xAA, sizeof b);
    assert_int_equal(scpauth__sspi_unseal_buffers(WIN, tok, sizeof tok, 12, b), 0);
    assert_int_equal(b[0].BufferType, SECBUFFER_STREAM);
    assert_int_equal(b[0].cbBuffer, 80);
    assert_ptr_equal(b[0].pvBuffer, tok);
    assert_int_equal(b[1].BufferType, SECBUFFER_DATA);
    assert_int_equal(b[1].cbBuffer, 0);
    assert_null(b[1].pvBuffer);
}

/* ---- unsealing under Wine ------------------------------------------------ */

/* One RFC 4121 header and what scpauth__sspi_wrap_trailer() makes of it. */
struct trailer_case {
    const char *what;
    unsigned char tok_id0, flags, filler;
    unsigned ec, rrc;
    size_t len, cksum, trailer; /* trailer 0: refused */
};

static const struct trailer_case trailer_cases[] = {
    /* Measured: MIT gss_wrap, AES256-SHA1, encrypted, 5 bytes: 65, EC 0. */
    {"MIT sealed AES-SHA1", 0x05, 0x06, 0xFF, 0, 0, 65, 12, 60},
    {"Windows' RRC 28 rotates, EC 16 counts", 0x05, 0x06, 0xFF, 16, 28, 100, 12, 76},
    {"RFC 8009 aes256-sha384: 24-byte checksum", 0x05, 0x02, 0xFF, 0, 0, 100, 24, 72},
    /* Integrity only (conf 0, qop WRAP_NO_ENCRYPT): EC is the checksum. */
    {"integrity only", 0x05, 0x04, 0xFF, 12, 0, 33, 12, 28},
    {"integrity only, empty message", 0x05, 0x04, 0xFF, 12, 0, 28, 12, 28},
    {"shorter than its trailer", 0x05, 0x06, 0xFF, 0, 0, 59, 12, 0},
    {"shorter than a header", 0x05, 0x06, 0xFF, 0, 0, 15, 12, 0},
    {"EC past the end", 0x05, 0x06, 0xFF, 0xFFFF, 0, 64, 12, 0},
    {"04 04: a MIC token", 0x04, 0x06, 0xFF, 0, 0, 64, 12, 0},
    {"filler not FF", 0x05, 0x06, 0x00, 0, 0, 64, 12, 0},
    /* RFC 1964 / RFC 4757 (RC4) framing: not split (not measured). */
    {"RC4 token (0x60 framing)", 0x60, 0x06, 0xFF, 0, 0, 64, 12, 0},
};

static void test_wrap_trailer(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof trailer_cases / sizeof trailer_cases[0]; i++) {
        const struct trailer_case *c = &trailer_cases[i];
        unsigned char t[128];
        memset(t, 0, sizeof t);
        cfx_header(t, c->flags, c->ec, c->rrc);
        t[0] = c->tok_id0;
        t[3] = c->filler;
        size_t got = scpauth__sspi_wrap_trailer(t, c->len, c->cksum);
        if (got != c->trailer)
            fail_msg("%s: trailer %lu, expected %lu", c->what, (unsigned long)got,
                     (unsigned long)c->trailer);
    }
}

static void test_wrap_cksum_len(void **state)
{
    (void)state;
    unsigned char t[100];
    memset(t, 0, sizeof t);
    cfx_header(t, 0x06, 0, 0);
    assert_int_equal(scpauth__sspi_wrap_cksum_len(t, 100, 28), 24);
    assert_int_equal(scpauth__sspi_wrap_cksum_len(t, 100, 52), 0); /* no room */
    assert_int_equal(scpauth__sspi_wrap_cksum_len(t, 10, 52), 0);
    cfx_header(t, 0x04, 12, 0); /* integrity only: says nothing */
    assert_int_equal(scpauth__sspi_wrap_cksum_len(t, 100, 72), 0);
    assert_int_equal(scpauth__sspi_cfx_cksum_len(18), 12);
    assert_int_equal(scpauth__sspi_cfx_cksum_len(17), 12);
    assert_int_equal(scpauth__sspi_cfx_cksum_len(19), 16);
    assert_int_equal(scpauth__sspi_cfx_cksum_len(0), 12);
}

static void test_wine_unseal_split(void **state)
{
    (void)state;
    /* Wine's DecryptMessage copies exactly DATA.cbBuffer plaintext bytes
     * back: DATA must be the token minus its trailer, TOKEN the trailer. */
    unsigned char t[65];
    memset(t, 0, sizeof t);
    cfx_header(t, 0x06, 0, 0);
    SecBuffer b[2];
    assert_int_equal(scpauth__sspi_unseal_buffers(WINE, t, sizeof t, 12, b), 0);
    assert_int_equal(b[0].BufferType, SECBUFFER_TOKEN);
    assert_int_equal(b[0].cbBuffer, 60);
    assert_ptr_equal(b[0].pvBuffer, t + 5);
    assert_int_equal(b[1].BufferType, SECBUFFER_DATA);
    assert_int_equal(b[1].cbBuffer, 5);
    assert_ptr_equal(b[1].pvBuffer, t);
    /* Integrity only, 5 bytes: 33 = 5 + 28. */
    cfx_header(t, 0x04, 12, 0);
    assert_int_equal(scpauth__sspi_unseal_buffers(WINE, t, 33, 12, b), 0);
    assert_int_equal(b[0].cbBuffer, 28);
    assert_int_equal(b[1].cbBuffer, 5);
    /* Not a wrap token: nothing handed to Wine. */
    t[0] = 0x60;
    assert_int_equal(scpauth__sspi_unseal_buffers(WINE, t, sizeof t, 12, b), -1);
}

static void test_seal_overhead(void **state)
{
    (void)state;
    assert_int_equal(scpauth__sspi_seal_overhead_of(WIN, &aes_sizes, 12), 50);
    assert_int_equal(scpauth__sspi_seal_overhead_of(WINE, &aes_sizes, 12), 60);
    assert_int_equal(scpauth__sspi_seal_overhead_of(WINE, &aes_sizes, 24), 72);
    /* Not seen yet: the larger of the two. */
    assert_int_equal(scpauth__sspi_seal_overhead_of(SCPAUTH__SSPI_LAYOUT_UNKNOWN, &aes_sizes, 12),
                     60);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_seal_size),
        cmocka_unit_test(test_seal_buffers_order_and_zeroed),
        cmocka_unit_test(test_seal_detect_and_pack_windows),
        cmocka_unit_test(test_seal_detect_and_pack_wine),
        cmocka_unit_test(test_seal_detect_empty_message),
        cmocka_unit_test(test_seal_detect_refuses),
        cmocka_unit_test(test_seal_detect_integrity_only),
        cmocka_unit_test(test_unseal_buffers_stream),
        cmocka_unit_test(test_wrap_trailer),
        cmocka_unit_test(test_wrap_cksum_len),
        cmocka_unit_test(test_wine_unseal_split),
        cmocka_unit_test(test_seal_overhead),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
