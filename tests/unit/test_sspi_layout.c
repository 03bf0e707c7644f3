/* test_sspi_layout.c - how a sealed message is laid out for EncryptMessage
 * and packed from the sizes the package wrote back, and how DecryptMessage
 * is given a token: Windows' layout (TOKEN || DATA || PADDING, STREAM) and
 * Wine's (DATA || TOKEN both ways, the split computed from the RFC 4121
 * header). Windows build only. */
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

static void test_seal_size(void **state)
{
    (void)state;
    assert_int_equal(scpauth__sspi_seal_size(WIN, 5, &aes_sizes), 5 + 49 + 1);
    assert_int_equal(scpauth__sspi_seal_size(WIN, 0, &aes_sizes), 50);
    /* Over a ULONG: SSPI cannot take it. */
    assert_int_equal(scpauth__sspi_seal_size(WIN, (size_t)ULONG_MAX + 1, &aes_sizes), 0);
    assert_int_equal(scpauth__sspi_seal_size(WIN, SIZE_MAX - 10, &aes_sizes), 0);
}

static void test_seal_buffers_order(void **state)
{
    (void)state;
    unsigned char base[64];
    SecBuffer b[3];
    assert_int_equal(scpauth__sspi_seal_buffers(WIN, base, 5, &aes_sizes, b), 3);
    assert_int_equal(scpauth__sspi_seal_data_offset(WIN, &aes_sizes), 49);
    assert_int_equal(b[0].BufferType, SECBUFFER_TOKEN);
    assert_int_equal(b[0].cbBuffer, 49);
    assert_ptr_equal(b[0].pvBuffer, base);
    assert_int_equal(b[1].BufferType, SECBUFFER_DATA);
    assert_int_equal(b[1].cbBuffer, 5);
    assert_ptr_equal(b[1].pvBuffer, base + 49);
    assert_int_equal(b[2].BufferType, SECBUFFER_PADDING);
    assert_int_equal(b[2].cbBuffer, 1);
    assert_ptr_equal(b[2].pvBuffer, base + 54);
}

/* Simulates EncryptMessage writing `tok` header bytes and `pad` padding. */
static size_t seal_as_package(unsigned char *base, size_t cap, unsigned long tok,
                              unsigned long pad)
{
    SecBuffer b[3];
    scpauth__sspi_seal_buffers(WIN, base, 5, &aes_sizes, b);
    memcpy(base + 49, "DATA!", 5);
    memset(base, 'T', tok);
    b[0].cbBuffer = tok;
    memset(b[2].pvBuffer, 'P', pad);
    b[2].cbBuffer = pad;
    return scpauth__sspi_seal_pack(base, cap, b, 3);
}

static void test_seal_pack_closes_gaps(void **state)
{
    (void)state;
    unsigned char base[55];
    /* Windows for AES: a 28-byte header in TOKEN, no padding. */
    size_t n = seal_as_package(base, sizeof base, 28, 0);
    assert_int_equal(n, 33);
    for (size_t i = 0; i < 28; i++)
        assert_int_equal(base[i], 'T');
    assert_memory_equal(base + 28, "DATA!", 5);
}

static void test_seal_pack_full_buffers(void **state)
{
    (void)state;
    unsigned char base[55];
    size_t n = seal_as_package(base, sizeof base, 49, 1);
    assert_int_equal(n, 55);
    assert_int_equal(base[48], 'T');
    assert_memory_equal(base + 49, "DATA!", 5);
    assert_int_equal(base[54], 'P');
}

static void test_seal_pack_refuses_strays(void **state)
{
    (void)state;
    unsigned char base[55], other[8];
    SecBuffer b[3];
    scpauth__sspi_seal_buffers(WIN, base, 5, &aes_sizes, b);
    b[2].cbBuffer = 2; /* grew past the allocation */
    assert_int_equal(scpauth__sspi_seal_pack(base, sizeof base, b, 3), 0);
    scpauth__sspi_seal_buffers(WIN, base, 5, &aes_sizes, b);
    b[1].pvBuffer = other; /* points outside */
    assert_int_equal(scpauth__sspi_seal_pack(base, sizeof base, b, 3), 0);
    scpauth__sspi_seal_buffers(WIN, base, 5, &aes_sizes, b);
    b[1].pvBuffer = base; /* overlaps the token: out of order */
    assert_int_equal(scpauth__sspi_seal_pack(base, sizeof base, b, 3), 0);
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

/* ---- Wine ----------------------------------------------------------------- */

/* An RFC 4121 wrap token header: flags, EC, RRC. */
static void cfx_header(unsigned char *t, unsigned char flags, unsigned ec, unsigned rrc)
{
    const unsigned char h[16] = {0x05, 0x04, flags, 0xFF, (unsigned char)(ec >> 8),
                                 (unsigned char)ec, (unsigned char)(rrc >> 8), (unsigned char)rrc,
                                 0, 0, 0, 0, 0, 0, 0, 7};
    memcpy(t, h, sizeof h);
}

static void test_wine_seal_size_and_buffers(void **state)
{
    (void)state;
    /* Wine's TOKEN must hold the whole trailer: cbSecurityTrailer (49) is
     * less than the 60 bytes AES writes, and a too-small TOKEN burns a
     * sequence number. */
    assert_true(SCPAUTH__SSPI_WINE_TRAILER_MAX >= 60 + 12 + 16);
    assert_int_equal(scpauth__sspi_seal_size(WINE, 5, &aes_sizes),
                     5 + SCPAUTH__SSPI_WINE_TRAILER_MAX);
    assert_int_equal(scpauth__sspi_seal_size(WINE, (size_t)ULONG_MAX + 1, &aes_sizes), 0);
    assert_int_equal(scpauth__sspi_seal_data_offset(WINE, &aes_sizes), 0);

    unsigned char base[5 + SCPAUTH__SSPI_WINE_TRAILER_MAX];
    SecBuffer b[3];
    /* No PADDING: Wine leaves it untouched, its bytes would be garbage. */
    assert_int_equal(scpauth__sspi_seal_buffers(WINE, base, 5, &aes_sizes, b), 2);
    assert_int_equal(b[0].BufferType, SECBUFFER_DATA);
    assert_int_equal(b[0].cbBuffer, 5);
    assert_ptr_equal(b[0].pvBuffer, base);
    assert_int_equal(b[1].BufferType, SECBUFFER_TOKEN);
    assert_int_equal(b[1].cbBuffer, SCPAUTH__SSPI_WINE_TRAILER_MAX);
    assert_ptr_equal(b[1].pvBuffer, base + 5);
}

static void test_wine_seal_pack_is_data_then_token(void **state)
{
    (void)state;
    /* As Wine 8 does for AES: DATA = the token's first 5 bytes, TOKEN = the
     * other 60; the message is DATA||TOKEN, nothing after it. */
    unsigned char base[5 + SCPAUTH__SSPI_WINE_TRAILER_MAX];
    SecBuffer b[3];
    unsigned long count = scpauth__sspi_seal_buffers(WINE, base, 5, &aes_sizes, b);
    memset(base, 0xEE, sizeof base);
    cfx_header(base, 0x06, 0, 0);
    b[1].cbBuffer = 60;
    size_t n = scpauth__sspi_seal_pack(base, sizeof base, b, count);
    assert_int_equal(n, 65);
    assert_int_equal(base[0], 0x05);
    assert_int_equal(base[1], 0x04);
    /* What the next seal's unseal side learns from it: AES-SHA1's 12. */
    assert_int_equal(scpauth__sspi_wrap_cksum_len(base, n, 5), 12);
    /* A token that grew past the bound is refused. */
    b[1].cbBuffer = SCPAUTH__SSPI_WINE_TRAILER_MAX + 1;
    assert_int_equal(scpauth__sspi_seal_pack(base, sizeof base, b, count), 0);
}

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
}

static void test_layout_detect(void **state)
{
    (void)state;
    /* Whatever runs the test: the answer matches ntdll, and is stable. */
    HMODULE ntdll = GetModuleHandleW(L"ntdll.dll");
    int wine = ntdll != NULL && GetProcAddress(ntdll, "wine_get_version") != NULL;
    assert_int_equal(scpauth__sspi_layout_detect(), wine ? WINE : WIN);
    assert_int_equal(scpauth__sspi_layout_detect(), wine ? WINE : WIN);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_seal_size),
        cmocka_unit_test(test_seal_buffers_order),
        cmocka_unit_test(test_seal_pack_closes_gaps),
        cmocka_unit_test(test_seal_pack_full_buffers),
        cmocka_unit_test(test_seal_pack_refuses_strays),
        cmocka_unit_test(test_unseal_buffers_stream),
        cmocka_unit_test(test_wine_seal_size_and_buffers),
        cmocka_unit_test(test_wine_seal_pack_is_data_then_token),
        cmocka_unit_test(test_wrap_trailer),
        cmocka_unit_test(test_wrap_cksum_len),
        cmocka_unit_test(test_wine_unseal_split),
        cmocka_unit_test(test_seal_overhead),
        cmocka_unit_test(test_layout_detect),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
