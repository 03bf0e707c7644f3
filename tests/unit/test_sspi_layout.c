/* test_sspi_layout.c - how a sealed message is laid out for EncryptMessage
 * (TOKEN || DATA || PADDING, Windows' Kerberos layout) and packed from the
 * sizes the package wrote back; the DecryptMessage layout (Windows build only). */
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

static void test_seal_size(void **state)
{
    (void)state;
    assert_int_equal(scpauth__sspi_seal_size(5, &aes_sizes), 5 + 49 + 1);
    assert_int_equal(scpauth__sspi_seal_size(0, &aes_sizes), 50);
    /* Over a ULONG: SSPI cannot take it. */
    assert_int_equal(scpauth__sspi_seal_size((size_t)ULONG_MAX + 1, &aes_sizes), 0);
    assert_int_equal(scpauth__sspi_seal_size(SIZE_MAX - 10, &aes_sizes), 0);
}

static void test_seal_buffers_order(void **state)
{
    (void)state;
    unsigned char base[64];
    SecBuffer b[3];
    scpauth__sspi_seal_buffers(base, 5, &aes_sizes, b);
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
    scpauth__sspi_seal_buffers(base, 5, &aes_sizes, b);
    memcpy(base + 49, "DATA!", 5);
    memset(base, 'T', tok);
    b[0].cbBuffer = tok;
    memset(b[2].pvBuffer, 'P', pad);
    b[2].cbBuffer = pad;
    return scpauth__sspi_seal_pack(base, cap, b);
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
    scpauth__sspi_seal_buffers(base, 5, &aes_sizes, b);
    b[2].cbBuffer = 2; /* grew past the allocation */
    assert_int_equal(scpauth__sspi_seal_pack(base, sizeof base, b), 0);
    scpauth__sspi_seal_buffers(base, 5, &aes_sizes, b);
    b[1].pvBuffer = other; /* points outside */
    assert_int_equal(scpauth__sspi_seal_pack(base, sizeof base, b), 0);
    scpauth__sspi_seal_buffers(base, 5, &aes_sizes, b);
    b[1].pvBuffer = base; /* overlaps the token: out of order */
    assert_int_equal(scpauth__sspi_seal_pack(base, sizeof base, b), 0);
}

static void test_unseal_buffers_stream(void **state)
{
    (void)state;
    unsigned char tok[80];
    SecBuffer b[2];
    memset(b, 0xAA, sizeof b);
    scpauth__sspi_unseal_buffers(tok, sizeof tok, b);
    assert_int_equal(b[0].BufferType, SECBUFFER_STREAM);
    assert_int_equal(b[0].cbBuffer, 80);
    assert_ptr_equal(b[0].pvBuffer, tok);
    assert_int_equal(b[1].BufferType, SECBUFFER_DATA);
    assert_int_equal(b[1].cbBuffer, 0);
    assert_null(b[1].pvBuffer);
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
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
