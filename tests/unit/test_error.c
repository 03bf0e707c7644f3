/* test_error.c - the code table, texts and error records. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <scpauth.h>
#include "error_internal.h"

static void test_every_code_has_distinct_name_and_text(void **state)
{
    (void)state;
    for (int a = SCPAUTH__ERR_FIRST_ + 1; a < SCPAUTH__ERR_LAST_; a++) {
        assert_true(a < 0);
        assert_string_not_equal(scpauth_strerror(a), "unknown error");
        assert_int_equal(strncmp(scpauth_err_name(a), "SCPAUTH_E", 9), 0);
        for (int b = a + 1; b < SCPAUTH__ERR_LAST_; b++)
            assert_string_not_equal(scpauth_err_name(a), scpauth_err_name(b));
    }
    assert_string_equal(scpauth_err_name(SCPAUTH_ENOMUTUAL), "SCPAUTH_ENOMUTUAL");
    assert_string_equal(scpauth_strerror(SCPAUTH_OK), "success");
    assert_string_equal(scpauth_strerror(12345), "unknown error");
    assert_string_equal(scpauth_err_name(-1), "SCPAUTH_UNKNOWN");
}

static void test_error_record_message_hint_native(void **state)
{
    (void)state;
    scpauth_error err;
    scpauth_error_clear(&err);
    assert_int_equal(err.code, SCPAUTH_OK);
    assert_int_equal(scpauth__error_set(&err, SCPAUTH_ENOSPN, "SPN %s not found", "myapp/h"),
                     SCPAUTH_ENOSPN);
    scpauth__error_hint(&err, "register it with %s", "scpauth spn add");
    scpauth__error_native(&err, SCPAUTH_NATIVE_GSS, 0xd0000, -1765328377);
    assert_int_equal(err.code, SCPAUTH_ENOSPN);
    assert_string_equal(err.message, "SPN myapp/h not found");
    assert_int_equal(err.native_kind, SCPAUTH_NATIVE_GSS);
    assert_int_equal(err.native_minor, -1765328377);
    char buf[256];
    assert_string_equal(scpauth_error_format(&err, buf, sizeof(buf)),
                        "SPN myapp/h not found (hint: register it with scpauth spn add)");
    scpauth__error_prefix(&err, "connect %s", "h:4444");
    assert_string_equal(err.message, "connect h:4444: SPN myapp/h not found");
    /* a new error replaces the old one completely */
    scpauth__error_set(&err, SCPAUTH_EIO, NULL);
    assert_string_equal(err.message, "socket or I/O error");
    assert_string_equal(err.hint, "");
    assert_int_equal(err.native_kind, SCPAUTH_NATIVE_NONE);
    /* NULL records are allowed everywhere */
    assert_int_equal(scpauth__error_set(NULL, SCPAUTH_EIO, "x"), SCPAUTH_EIO);
    scpauth__error_hint(NULL, "x");
    scpauth_error_clear(NULL);
}

static void test_prefix_truncates_safely(void **state)
{
    (void)state;
    scpauth_error err;
    char longmsg[SCPAUTH_ERROR_MESSAGE_MAX + 100];
    memset(longmsg, 'a', sizeof(longmsg) - 1);
    longmsg[sizeof(longmsg) - 1] = '\0';
    scpauth__error_set(&err, SCPAUTH_EIO, "%s", longmsg);
    assert_int_equal(strlen(err.message), SCPAUTH_ERROR_MESSAGE_MAX - 1);
    scpauth__error_prefix(&err, "prefix");
    assert_int_equal(strlen(err.message), SCPAUTH_ERROR_MESSAGE_MAX - 1);
    assert_int_equal(strncmp(err.message, "prefix: aaa", 11), 0);
}

static void test_flags_format(void **state)
{
    (void)state;
    char buf[64];
    assert_string_equal(scpauth_flags_format(SCPAUTH_FLAGS_CLIENT_DEFAULT, buf, sizeof(buf)),
                        "mutual,replay,sequence,conf,integ");
    assert_string_equal(scpauth_flags_format(0, buf, sizeof(buf)), "none");
    char small[10];
    assert_string_equal(scpauth_flags_format(SCPAUTH_FLAGS_CLIENT_DEFAULT, small, sizeof(small)),
                        "mutual");
}

static void test_buffers_and_wipe(void **state)
{
    (void)state;
    scpauth_buffer b = SCPAUTH_BUFFER_INIT;
    assert_int_equal(scpauth__buffer_copy(&b, "secret", 6, NULL), SCPAUTH_OK);
    assert_memory_equal(b.data, "secret", 6);
    scpauth_buffer_free(&b);
    assert_null(b.data);
    assert_int_equal(b.len, 0);
    scpauth_buffer_free(&b); /* twice is fine */
    scpauth_buffer_free(NULL);
    char key[8] = "k3y!k3y";
    scpauth_memzero(key, sizeof(key));
    for (size_t i = 0; i < sizeof(key); i++)
        assert_int_equal(key[i], 0);
    assert_non_null(strchr(scpauth_version(), '.'));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_code_has_distinct_name_and_text),
        cmocka_unit_test(test_error_record_message_hint_native),
        cmocka_unit_test(test_prefix_truncates_safely),
        cmocka_unit_test(test_flags_format),
        cmocka_unit_test(test_buffers_and_wipe),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
