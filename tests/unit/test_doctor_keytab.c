/* test_doctor_keytab.c - the doctor's MIT krb5 hooks without a KDC: keys
 * read back from a keytab written here with krb5_kt_add_entry, unreadable
 * keytabs, and a KDC that does not answer (loopback, no DNS). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <krb5.h>

#include "doctor_internal.h"

static char dir[] = "/tmp/test_doctor_kt_XXXXXX";
static char keytab[256], conf[256];

static void add_key(krb5_context k, krb5_keytab kt, const char *principal, krb5_kvno kvno,
                    krb5_enctype enctype, unsigned len)
{
    krb5_keytab_entry e;
    memset(&e, 0, sizeof(e));
    unsigned char bytes[32];
    memset(bytes, 0x42, sizeof(bytes));
    assert_int_equal(krb5_parse_name(k, principal, &e.principal), 0);
    e.vno = kvno;
    e.key.enctype = enctype;
    e.key.length = len;
    e.key.contents = bytes;
    assert_int_equal(krb5_kt_add_entry(k, kt, &e), 0);
    krb5_free_principal(k, e.principal);
}

static int setup(void **state)
{
    (void)state;
    if (mkdtemp(dir) == NULL)
        return -1;
    snprintf(keytab, sizeof(keytab), "FILE:%s/svc.keytab", dir);
    snprintf(conf, sizeof(conf), "%s/krb5.conf", dir);
    FILE *f = fopen(conf, "w");
    if (f == NULL)
        return -1;
    /* discard port on the loopback: nothing answers, nothing leaves */
    fputs("[libdefaults]\n default_realm = EXAMPLE.TEST\n dns_lookup_kdc = false\n"
          " dns_lookup_realm = false\n udp_preference_limit = 1\n"
          "[realms]\n EXAMPLE.TEST = {\n  kdc = 127.0.0.1:9\n }\n", f);
    fclose(f);
    setenv("KRB5_CONFIG", conf, 1);
    krb5_context k;
    krb5_keytab kt;
    if (krb5_init_context(&k) != 0)
        return -1;
    assert_int_equal(krb5_kt_resolve(k, keytab, &kt), 0);
    add_key(k, kt, "app/h.example.test@EXAMPLE.TEST", 3, ENCTYPE_AES256_CTS_HMAC_SHA1_96, 32);
    add_key(k, kt, "app/h.example.test@EXAMPLE.TEST", 3, ENCTYPE_ARCFOUR_HMAC, 16);
    add_key(k, kt, "app/h.example.test:4444@EXAMPLE.TEST", 300, ENCTYPE_AES128_CTS_HMAC_SHA1_96,
            16);
    krb5_kt_close(k, kt);
    krb5_free_context(k);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    char path[300];
    snprintf(path, sizeof(path), "%s/svc.keytab", dir);
    unlink(path);
    snprintf(path, sizeof(path), "%s/garbage.keytab", dir);
    unlink(path);
    unlink(conf);
    rmdir(dir);
    return 0;
}

static void test_keys_read(void **state)
{
    (void)state;
    scpauth__keytab_keys keys;
    scpauth_error err;
    scpauth_error_clear(&err);
    assert_int_equal(scpauth__keytab_keys_read(keytab, &keys, &err), SCPAUTH_OK);
    assert_int_equal(keys.count, 3);
    assert_string_equal(keys.items[0].principal, "app/h.example.test@EXAMPLE.TEST");
    assert_int_equal(keys.items[0].kvno, 3);
    assert_int_equal(keys.items[0].enctype, 18);
    assert_int_equal(keys.items[1].enctype, 23);
    assert_string_equal(keys.items[2].principal, "app/h.example.test:4444@EXAMPLE.TEST");
    assert_int_equal(keys.items[2].kvno, 300); /* past the 8-bit field: the 32-bit one */

    scpauth_doctor_check c;
    memset(&c, 0, sizeof(c));
    scpauth__doctor_keytab_judge(&c, keytab, "app/h.example.test:4444", &keys, 1, 300);
    assert_int_equal(c.status, SCPAUTH_DOCTOR_OK);
    assert_non_null(strstr(c.detail, "kvno 300, the directory's, with aes128-cts-hmac-sha1-96"));
    scpauth__keytab_keys_free(&keys);
    assert_null(keys.items);

    /* a plain path is a FILE keytab too */
    assert_int_equal(scpauth__keytab_keys_read(keytab + 5, &keys, NULL), SCPAUTH_OK);
    assert_int_equal(keys.count, 3);
    scpauth__keytab_keys_free(&keys);
}

static void test_keys_unreadable(void **state)
{
    (void)state;
    scpauth__keytab_keys keys;
    scpauth_error err;
    char path[300];
    snprintf(path, sizeof(path), "FILE:%s/missing.keytab", dir);
    assert_int_equal(scpauth__keytab_keys_read(path, &keys, &err), SCPAUTH_EKEYTAB);
    assert_non_null(strstr(err.message, "missing.keytab"));
    assert_null(keys.items);

    snprintf(path, sizeof(path), "%s/garbage.keytab", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("not a keytab: no version bytes 05 02", f);
    fclose(f);
    assert_int_equal(scpauth__keytab_keys_read(path, &keys, &err), SCPAUTH_EKEYTAB);
    assert_non_null(strstr(err.message, "garbage.keytab"));
    assert_int_equal(keys.count, 0);
}

static void test_kdc_silent(void **state)
{
    (void)state;
    double skew = 1;
    char realm[64];
    scpauth_error err;
    scpauth_error_clear(&err);
    assert_int_equal(scpauth__kdc_skew("alice@EXAMPLE.TEST", &skew, realm, sizeof(realm), &err),
                     SCPAUTH_EKDC);
    assert_string_equal(realm, "EXAMPLE.TEST");
    assert_non_null(strstr(err.message, "no time from the KDC of EXAMPLE.TEST"));
    /* no principal: a probe name in the default realm */
    assert_int_equal(scpauth__kdc_skew(NULL, &skew, realm, sizeof(realm), &err), SCPAUTH_EKDC);
    assert_string_equal(realm, "EXAMPLE.TEST");
    assert_int_equal(scpauth__kdc_skew("bad@@name@", &skew, realm, sizeof(realm), &err),
                     SCPAUTH_EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_keys_read),
        cmocka_unit_test(test_keys_unreadable),
        cmocka_unit_test(test_kdc_silent),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
