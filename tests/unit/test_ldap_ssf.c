/* test_ldap_ssf.c - the SASL SSF options against a real libldap handle (no
 * server): libldap writes a ber_len_t (8 bytes on LP64), so a helper that
 * handed it a 4-byte variable would overwrite whatever sits next to it.
 * The caller's unsigned is followed by a canary that must survive. */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "ldap_internal.h"

#define CANARY 0xA5A5A5A5u

/* Two unsigned side by side: C lays them out without padding. */
typedef struct guarded {
    unsigned ssf;
    unsigned canary;
} guarded;

static LDAP *handle(void)
{
    LDAP *ld = NULL;
    /* no connection is made before an operation */
    assert_int_equal(ldap_initialize(&ld, "ldap://127.0.0.1:9"), LDAP_SUCCESS);
    assert_non_null(ld);
    return ld;
}

static void test_min_set_reads_back(void **state)
{
    (void)state;
    LDAP *ld = handle();
    assert_true(scpauth__ldap_ssf_min_set(ld, SCPAUTH__LDAP_SSF_MIN));
    /* what libldap keeps, read the documented way */
    struct {
        ber_len_t v;
        unsigned canary;
    } raw = {0, CANARY};
    assert_int_equal(ldap_get_option(ld, LDAP_OPT_X_SASL_SSF_MIN, &raw.v), LDAP_OPT_SUCCESS);
    assert_int_equal(raw.v, SCPAUTH__LDAP_SSF_MIN);
    assert_int_equal(raw.canary, CANARY);
    /* a larger minimum replaces it */
    assert_true(scpauth__ldap_ssf_min_set(ld, 256));
    assert_int_equal(ldap_get_option(ld, LDAP_OPT_X_SASL_SSF_MIN, &raw.v), LDAP_OPT_SUCCESS);
    assert_int_equal(raw.v, 256);
    ldap_unbind_ext_s(ld, NULL, NULL);
}

static void test_get_leaves_the_neighbour_alone(void **state)
{
    (void)state;
    LDAP *ld = handle();
    assert_true(scpauth__ldap_ssf_min_set(ld, SCPAUTH__LDAP_SSF_MIN));
    guarded g = {0, CANARY};
    assert_true(scpauth__ldap_ssf_get(ld, LDAP_OPT_X_SASL_SSF_MIN, &g.ssf));
    assert_int_equal(g.ssf, SCPAUTH__LDAP_SSF_MIN);
    assert_int_equal(g.canary, CANARY);
    ldap_unbind_ext_s(ld, NULL, NULL);
}

static void test_unbound_handle_has_no_layer(void **state)
{
    (void)state;
    LDAP *ld = handle();
    guarded g = {12345, CANARY};
    /* no SASL bind yet: no layer, and nothing written */
    assert_false(scpauth__ldap_ssf_get(ld, LDAP_OPT_X_SASL_SSF, &g.ssf));
    assert_int_equal(g.ssf, 12345);
    assert_int_equal(g.canary, CANARY);
    /* only the two SSF options are read through here */
    assert_false(scpauth__ldap_ssf_get(ld, LDAP_OPT_PROTOCOL_VERSION, &g.ssf));
    assert_int_equal(g.canary, CANARY);
    ldap_unbind_ext_s(ld, NULL, NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_min_set_reads_back),
        cmocka_unit_test(test_get_leaves_the_neighbour_alone),
        cmocka_unit_test(test_unbound_handle_has_no_layer),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
