/* test_sspi_creds.c - the SSPI backend through the public API where no KDC
 * is needed (Windows build only): it is the default backend, refuses the
 * Unix-only credential sources with a clear reason, and sizes its tokens. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "sspi/sspi.h"

static void test_default_backend_is_sspi(void **state)
{
    (void)state;
    assert_string_equal(scpauth_auth_backend_name(scpauth_auth_backend_default()), "sspi");
    assert_ptr_equal(scpauth_auth_backend_find("sspi"), &scpauth__backend_sspi);
    /* export/import are left to the core, which answers ENOTSUP */
    assert_null(scpauth__backend_sspi.ctx_export);
    assert_null(scpauth__backend_sspi.ctx_import);
}

/* scpauth_creds_acquire() with one credential source; checks *out is NULL
 * on failure. */
static int acquire(scpauth_role role, const char *ccache, const char *keytab,
                   const char *principal, const char *password, scpauth_error *err)
{
    scpauth_creds_options o;
    memset(&o, 0, sizeof o);
    o.role = role;
    o.ccache = ccache;
    o.keytab = keytab;
    o.principal = principal;
    o.password = password;
    scpauth_creds *c = NULL;
    memset(err, 0, sizeof *err);
    int rc = scpauth_creds_acquire(&o, &c, err);
    if (rc != SCPAUTH_OK)
        assert_null(c);
    scpauth_creds_free(c);
    return rc;
}

static void test_ccache_is_not_supported(void **state)
{
    (void)state;
    scpauth_error err;
    assert_int_equal(acquire(SCPAUTH_ROLE_CLIENT, "FILE:/tmp/krb5cc_test", NULL, NULL, NULL, &err),
                     SCPAUTH_ENOTSUP);
    assert_int_equal(err.code, SCPAUTH_ENOTSUP);
    assert_non_null(strstr(err.message, "FILE:/tmp/krb5cc_test"));
    assert_non_null(strstr(err.hint, "logon session"));
}

static void test_keytab_is_not_supported(void **state)
{
    (void)state;
    scpauth_error err;
    assert_int_equal(acquire(SCPAUTH_ROLE_SERVICE, NULL, "FILE:/etc/svc.keytab", NULL, NULL, &err),
                     SCPAUTH_ENOTSUP);
    assert_non_null(strstr(err.message, "FILE:/etc/svc.keytab"));
    assert_non_null(strstr(err.hint, "KRB5_KTNAME"));
}

static void test_bad_principal_rejected_before_the_package(void **state)
{
    (void)state;
    scpauth_error err;
    assert_int_equal(acquire(SCPAUTH_ROLE_CLIENT, NULL, NULL, "@EXAMPLE.TEST", "pw", &err),
                     SCPAUTH_EINVAL);
    assert_non_null(strstr(err.message, "@EXAMPLE.TEST"));
    assert_int_equal(acquire(SCPAUTH_ROLE_CLIENT, NULL, NULL, "alice@", "pw", &err),
                     SCPAUTH_EINVAL);
    /* not UTF-8 */
    assert_int_equal(acquire(SCPAUTH_ROLE_CLIENT, NULL, NULL, "al\xff" "ce@EXAMPLE.TEST", "pw",
                             &err), SCPAUTH_EINVAL);
}

static void test_max_token(void **state)
{
    (void)state;
    /* The package's own cbMaxToken (Wine: 12000; Windows: 48000 by default). */
    size_t n = scpauth__sspi_max_token();
    assert_true(n >= 1024 && n <= 65535);
    assert_int_equal(scpauth_auth_max_token(&scpauth__backend_sspi),
                     SCPAUTH__SSPI_MAX_TOKEN_FALLBACK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_default_backend_is_sspi),
        cmocka_unit_test(test_ccache_is_not_supported),
        cmocka_unit_test(test_keytab_is_not_supported),
        cmocka_unit_test(test_bad_principal_rejected_before_the_package),
        cmocka_unit_test(test_max_token),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
