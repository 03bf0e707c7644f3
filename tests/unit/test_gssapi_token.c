/* test_gssapi_token.c - the GSSAPI backend's pure helpers: first-token
 * mechanism sniffing (bounded on any input), mechanism OIDs, the session key
 * enctype OID and names, and the flag mapping. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "gssapi/gss_internal.h"

#define OID_KRB5 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x12, 0x01, 0x02, 0x02
#define OID_MSKRB5 0x06, 0x09, 0x2a, 0x86, 0x48, 0x82, 0xf7, 0x12, 0x01, 0x02, 0x02
#define OID_NTLM 0x06, 0x0a, 0x2b, 0x06, 0x01, 0x04, 0x01, 0x82, 0x37, 0x02, 0x02, 0x0a
#define OID_SPNEGO 0x06, 0x06, 0x2b, 0x06, 0x01, 0x05, 0x05, 0x02

/* SPNEGO NegTokenInit, mechTypes {MS krb5, krb5, NTLM}, with a 3-byte
 * mechToken, as Windows' Negotiate opens (lengths are hand-computed). */
static const unsigned char spnego_windows[] = {
    0x60, 0x39, OID_SPNEGO,                  /* 8 + 49 */
    0xa0, 0x2f, 0x30, 0x2d,                  /* NegotiationToken, NegTokenInit: 38 + 7 */
    0xa0, 0x24, 0x30, 0x22,                  /* mechTypes: 11 + 11 + 12 */
    OID_MSKRB5, OID_KRB5, OID_NTLM,
    0xa2, 0x05, 0x04, 0x03, 0x6e, 0x01, 0x00, /* mechToken */
};

/* SPNEGO NegTokenInit offering NTLM only. */
static const unsigned char spnego_ntlm_only[] = {
    0x60, 0x1e, OID_SPNEGO, 0xa0, 0x14, 0x30, 0x12, 0xa0, 0x0e, 0x30, 0x0c, OID_NTLM,
    0xa2, 0x00,
};

static void test_sniff_kinds(void **state)
{
    (void)state;
    scpauth__gss_token_info t;
    const unsigned char ntlm[] = {'N', 'T', 'L', 'M', 'S', 'S', 'P', 0, 1, 0, 0, 0};
    scpauth__gss_token_sniff(ntlm, sizeof(ntlm), &t);
    assert_int_equal(t.kind, SCPAUTH__TOKEN_NTLM);

    const unsigned char krb5[] = {0x60, 0x0e, OID_KRB5, 0x01, 0x00, 0x6e};
    scpauth__gss_token_sniff(krb5, sizeof(krb5), &t);
    assert_int_equal(t.kind, SCPAUTH__TOKEN_KRB5);
    const unsigned char mskrb5[] = {0x60, 0x0b, OID_MSKRB5};
    scpauth__gss_token_sniff(mskrb5, sizeof(mskrb5), &t);
    assert_int_equal(t.kind, SCPAUTH__TOKEN_KRB5);
    const unsigned char framed_ntlm[] = {0x60, 0x0c, OID_NTLM};
    scpauth__gss_token_sniff(framed_ntlm, sizeof(framed_ntlm), &t);
    assert_int_equal(t.kind, SCPAUTH__TOKEN_NTLM);
    const unsigned char other[] = {0x60, 0x05, 0x06, 0x03, 0x2a, 0x03, 0x04};
    scpauth__gss_token_sniff(other, sizeof(other), &t);
    assert_int_equal(t.kind, SCPAUTH__TOKEN_OTHER);
    /* a bare AP-REQ is not recognised here: GSSAPI decides */
    const unsigned char bare[] = {0x6e, 0x01, 0x00};
    scpauth__gss_token_sniff(bare, sizeof(bare), &t);
    assert_int_equal(t.kind, SCPAUTH__TOKEN_UNKNOWN);
    scpauth__gss_token_sniff(NULL, 0, &t);
    assert_int_equal(t.kind, SCPAUTH__TOKEN_UNKNOWN);
    scpauth__gss_token_sniff("", 0, &t);
    assert_int_equal(t.kind, SCPAUTH__TOKEN_UNKNOWN);
}

static void test_sniff_spnego_offers(void **state)
{
    (void)state;
    scpauth__gss_token_info t;
    scpauth__gss_token_sniff(spnego_windows, sizeof(spnego_windows), &t);
    assert_int_equal(t.kind, SCPAUTH__TOKEN_SPNEGO);
    assert_true(t.offers_known);
    assert_int_equal(t.offers, SCPAUTH__OFFER_KRB5 | SCPAUTH__OFFER_NTLM);
    assert_int_equal(t.first_offer, SCPAUTH_MECH_KRB5); /* the MS krb5 OID counts */

    scpauth__gss_token_sniff(spnego_ntlm_only, sizeof(spnego_ntlm_only), &t);
    assert_int_equal(t.kind, SCPAUTH__TOKEN_SPNEGO);
    assert_true(t.offers_known);
    assert_int_equal(t.offers, SCPAUTH__OFFER_NTLM);
    assert_int_equal(t.first_offer, SCPAUTH_MECH_NTLM);
}

/* Long-form DER lengths are read; an indefinite or oversized length is not. */
static void test_sniff_long_form_lengths(void **state)
{
    (void)state;
    scpauth__gss_token_info t;
    unsigned char tok[300];
    memset(tok, 0, sizeof(tok));
    const unsigned char head[] = {0x60, 0x82, 0x01, 0x28, OID_KRB5};
    memcpy(tok, head, sizeof(head));
    scpauth__gss_token_sniff(tok, 4 + 0x128, &t);
    assert_int_equal(t.kind, SCPAUTH__TOKEN_KRB5);
    scpauth__gss_token_sniff(tok, 4 + 0x127, &t); /* one byte short */
    assert_int_equal(t.kind, SCPAUTH__TOKEN_UNKNOWN);
    tok[1] = 0x80; /* indefinite */
    scpauth__gss_token_sniff(tok, sizeof(tok), &t);
    assert_int_equal(t.kind, SCPAUTH__TOKEN_UNKNOWN);
    tok[1] = 0x85; /* five length bytes */
    scpauth__gss_token_sniff(tok, sizeof(tok), &t);
    assert_int_equal(t.kind, SCPAUTH__TOKEN_UNKNOWN);
}

/* Every prefix of a valid token, each in its own heap block so the
 * sanitizers see any read past the end. */
static void test_sniff_every_truncation_is_bounded(void **state)
{
    (void)state;
    scpauth__gss_token_info t;
    for (size_t n = 0; n < sizeof(spnego_windows); n++) {
        unsigned char *p = malloc(n ? n : 1);
        assert_non_null(p);
        memcpy(p, spnego_windows, n);
        scpauth__gss_token_sniff(p, n, &t);
        /* the outer length no longer fits: nothing is claimed */
        assert_int_equal(t.kind, SCPAUTH__TOKEN_UNKNOWN);
        free(p);
    }
}

/* Random mutations: never a crash or an out-of-bounds read (ASan/valgrind). */
static void test_sniff_mutations_are_bounded(void **state)
{
    (void)state;
    scpauth__gss_token_info t;
    unsigned seed = 12345;
    for (int i = 0; i < 20000; i++) {
        size_t n = sizeof(spnego_windows);
        unsigned char *p = malloc(n);
        assert_non_null(p);
        memcpy(p, spnego_windows, n);
        for (int k = 0; k < 3; k++) {
            seed = seed * 1103515245u + 12345u;
            p[(seed >> 8) % n] = (unsigned char)(seed >> 20);
        }
        scpauth__gss_token_sniff(p, n, &t);
        assert_true(t.kind <= SCPAUTH__TOKEN_OTHER);
        assert_true(t.offers_known == 0 || t.kind == SCPAUTH__TOKEN_SPNEGO);
        free(p);
    }
}

static void test_mech_from_oid(void **state)
{
    (void)state;
    const unsigned char krb5[] = {OID_KRB5}, mskrb5[] = {OID_MSKRB5}, ntlm[] = {OID_NTLM},
                        spnego[] = {OID_SPNEGO}, old[] = {0x2b, 0x05, 0x01, 0x05, 0x02};
    assert_int_equal(scpauth__gss_mech_from_oid(krb5 + 2, sizeof(krb5) - 2), SCPAUTH_MECH_KRB5);
    assert_int_equal(scpauth__gss_mech_from_oid(mskrb5 + 2, sizeof(mskrb5) - 2),
                     SCPAUTH_MECH_KRB5);
    assert_int_equal(scpauth__gss_mech_from_oid(old, sizeof(old)), SCPAUTH_MECH_KRB5);
    assert_int_equal(scpauth__gss_mech_from_oid(ntlm + 2, sizeof(ntlm) - 2), SCPAUTH_MECH_NTLM);
    assert_int_equal(scpauth__gss_mech_from_oid(spnego + 2, sizeof(spnego) - 2),
                     SCPAUTH_MECH_OTHER);
    assert_true(scpauth__gss_oid_is_spnego(spnego + 2, sizeof(spnego) - 2));
    assert_false(scpauth__gss_oid_is_spnego(krb5 + 2, sizeof(krb5) - 2));
    assert_int_equal(scpauth__gss_mech_from_oid(krb5 + 2, sizeof(krb5) - 3), SCPAUTH_MECH_OTHER);
    assert_int_equal(scpauth__gss_mech_from_oid(NULL, 0), SCPAUTH_MECH_OTHER);
    /* MIT's own krb5 OID constant agrees */
    assert_int_equal(scpauth__gss_mech_from_oid(gss_mech_krb5->elements, gss_mech_krb5->length),
                     SCPAUTH_MECH_KRB5);
}

#define ENCTYPE_PREFIX 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x12, 0x01, 0x02, 0x02, 0x04

static void test_enctype_oid(void **state)
{
    (void)state;
    const unsigned char aes256[] = {ENCTYPE_PREFIX, 0x12};
    const unsigned char e128[] = {ENCTYPE_PREFIX, 0x81, 0x00};
    const unsigned char bad_last[] = {ENCTYPE_PREFIX, 0x81};
    const unsigned char bad_mid[] = {ENCTYPE_PREFIX, 0x01, 0x01};
    const unsigned char no_arc[] = {ENCTYPE_PREFIX};
    const unsigned char other[] = {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x12, 0x01, 0x02, 0x02, 0x05, 0x12};
    const unsigned char huge[] = {ENCTYPE_PREFIX, 0x8f, 0xff, 0xff, 0xff, 0x7f};
    assert_int_equal(scpauth__gss_enctype_from_oid(aes256, sizeof(aes256)), 18);
    assert_int_equal(scpauth__gss_enctype_from_oid(e128, sizeof(e128)), 128);
    assert_int_equal(scpauth__gss_enctype_from_oid(bad_last, sizeof(bad_last)), -1);
    assert_int_equal(scpauth__gss_enctype_from_oid(bad_mid, sizeof(bad_mid)), -1);
    assert_int_equal(scpauth__gss_enctype_from_oid(no_arc, sizeof(no_arc)), -1);
    assert_int_equal(scpauth__gss_enctype_from_oid(other, sizeof(other)), -1);
    assert_int_equal(scpauth__gss_enctype_from_oid(huge, sizeof(huge)), -1);
    assert_int_equal(scpauth__gss_enctype_from_oid(NULL, 0), -1);
}

static void test_enctype_names(void **state)
{
    (void)state;
    char buf[64];
    scpauth__gss_enctype_name(18, buf, sizeof(buf));
    assert_string_equal(buf, "aes256-cts-hmac-sha1-96");
    scpauth__gss_enctype_name(17, buf, sizeof(buf));
    assert_string_equal(buf, "aes128-cts-hmac-sha1-96");
    scpauth__gss_enctype_name(20, buf, sizeof(buf));
    assert_string_equal(buf, "aes256-cts-hmac-sha384-192");
    scpauth__gss_enctype_name(23, buf, sizeof(buf));
    assert_string_equal(buf, "arcfour-hmac");
    scpauth__gss_enctype_name(9999, buf, sizeof(buf));
    assert_string_equal(buf, "enctype-9999");
}

static void test_flag_mapping(void **state)
{
    (void)state;
    assert_int_equal(scpauth__gss_flags_to_gss(SCPAUTH_FLAGS_CLIENT_DEFAULT),
                     GSS_C_MUTUAL_FLAG | GSS_C_REPLAY_FLAG | GSS_C_SEQUENCE_FLAG |
                         GSS_C_CONF_FLAG | GSS_C_INTEG_FLAG);
    assert_int_equal(scpauth__gss_flags_to_gss(SCPAUTH_FLAG_DELEG), GSS_C_DELEG_FLAG);
    /* the core's opt-out has no GSS meaning and must not leak into the request */
    assert_int_equal(scpauth__gss_flags_to_gss(SCPAUTH_FLAG_ALLOW_NO_MUTUAL), 0);
    assert_int_equal(scpauth__gss_flags_to_gss(0), 0);
    assert_int_equal(scpauth__gss_flags_from_gss(GSS_C_MUTUAL_FLAG | GSS_C_CONF_FLAG |
                                                 GSS_C_TRANS_FLAG | GSS_C_PROT_READY_FLAG),
                     SCPAUTH_FLAG_MUTUAL | SCPAUTH_FLAG_CONF);
    unsigned all = SCPAUTH_FLAG_MUTUAL | SCPAUTH_FLAG_REPLAY | SCPAUTH_FLAG_SEQUENCE |
                   SCPAUTH_FLAG_CONF | SCPAUTH_FLAG_INTEG | SCPAUTH_FLAG_DELEG;
    for (unsigned f = 0; f <= all; f++)
        if ((f & ~all) == 0)
            assert_int_equal(scpauth__gss_flags_from_gss(scpauth__gss_flags_to_gss(f)), f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sniff_kinds),
        cmocka_unit_test(test_sniff_spnego_offers),
        cmocka_unit_test(test_sniff_long_form_lengths),
        cmocka_unit_test(test_sniff_every_truncation_is_bounded),
        cmocka_unit_test(test_sniff_mutations_are_bounded),
        cmocka_unit_test(test_mech_from_oid),
        cmocka_unit_test(test_enctype_oid),
        cmocka_unit_test(test_enctype_names),
        cmocka_unit_test(test_flag_mapping),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
