/* test_cli_creds.c - the credential options of the `scpauth` verbs
 * (tools/cli_creds.c): parsing, role checks before any backend call, the
 * password sources (file, environment, wiped after use), and --backend.
 *
 * The password tests need credentials without a KDC: the test links with
 * --wrap=scpauth_auth_backend_find, so that the tool's lookup of "mock"
 * finds the unit tests' mock while mock_visible is set. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <scpauth.h>
#include "cli_creds.h"
#include "mock_backend.h"

const scpauth_auth_backend *__real_scpauth_auth_backend_find(const char *name);
const scpauth_auth_backend *__wrap_scpauth_auth_backend_find(const char *name);

static int mock_visible = 1;

const scpauth_auth_backend *__wrap_scpauth_auth_backend_find(const char *name)
{
    if (mock_visible && name != NULL && strcmp(name, "mock") == 0)
        return scpauth_auth_backend_mock();
    return __real_scpauth_auth_backend_find(name);
}

static int parse(cli_creds *c, int argc, char **argv)
{
    int i = 0, rc = 0;
    while (i < argc && (rc = cli_creds_parse(c, "test", argc, argv, &i)) == 1)
        ;
    return rc < 0 ? rc : i;
}

static void test_creds_parse(void **state)
{
    (void)state;
    cli_creds c;
    memset(&c, 0, sizeof(c));
    char *argv[] = {"--keytab", "/k", "--principal", "svc/h", "--password", "--other"};
    assert_int_equal(parse(&c, 6, argv), 5); /* stops at --other */
    assert_string_equal(c.keytab, "/k");
    assert_string_equal(c.principal, "svc/h");
    assert_int_equal(c.password_env, 1);
    char *missing[] = {"--ccache"};
    memset(&c, 0, sizeof(c));
    assert_int_equal(parse(&c, 1, missing), -1);
}

/* Options that do not fit the role are refused before any backend call. */
static void test_creds_role_checks(void **state)
{
    (void)state;
    static const struct {
        scpauth_role role;
        const char *keytab, *ccache, *password_file, *backend, *says;
    } rows[] = {
        {SCPAUTH_ROLE_CLIENT, "/k", NULL, NULL, "mock", "--keytab"},
        {SCPAUTH_ROLE_SERVICE, NULL, "FILE:/x", NULL, "mock", "--ccache"},
        {SCPAUTH_ROLE_SERVICE, NULL, NULL, "/pw", "mock", "--password-file"},
        {SCPAUTH_ROLE_CLIENT, NULL, NULL, "/pw", "mock", "--user"},
        {SCPAUTH_ROLE_CLIENT, NULL, NULL, NULL, "no-such-backend", "no-such-backend"},
    };
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        scpauth_creds *out = NULL;
        scpauth_error err;
        cli_creds c;
        memset(&c, 0, sizeof(c));
        c.keytab = rows[i].keytab;
        c.ccache = rows[i].ccache;
        c.password_file = rows[i].password_file;
        c.backend = rows[i].backend;
        assert_int_equal(cli_creds_acquire(&c, rows[i].role, &out, &err), SCPAUTH_EINVAL);
        assert_non_null(strstr(err.message, rows[i].says));
        assert_null(out);
    }
}

/* Options naming the mock backend, nothing else. */
static cli_creds with_mock(void)
{
    cli_creds c;
    memset(&c, 0, sizeof(c));
    c.backend = "mock";
    return c;
}

static void test_creds_password_sources(void **state)
{
    (void)state;
    scpauth_creds *out = NULL;
    scpauth_error err;
    cli_creds c = with_mock();
    c.principal = "alice";
    c.password_file = "/nonexistent/password";
    assert_int_equal(cli_creds_acquire(&c, SCPAUTH_ROLE_CLIENT, &out, &err), SCPAUTH_ENOCREDS);
    assert_non_null(strstr(err.message, "/nonexistent/password"));

    /* a readable file: its first line is the password */
    char path[] = "test_cli_creds.pw";
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("s3cret\r\nsecond line\n", f);
    fclose(f);
    c.password_file = path;
    assert_int_equal(cli_creds_acquire(&c, SCPAUTH_ROLE_CLIENT, &out, &err), SCPAUTH_OK);
    scpauth_creds_free(out);
    remove(path);

    /* the environment: used once, wiped */
    c.password_file = NULL;
    c.password_env = 1;
    static char var[] = "SCPAUTH_PASSWORD=env-s3cret";
    putenv(var);
    assert_int_equal(cli_creds_acquire(&c, SCPAUTH_ROLE_CLIENT, &out, &err), SCPAUTH_OK);
    scpauth_creds_free(out);
    const char *left = getenv("SCPAUTH_PASSWORD");
    assert_true(left == NULL || left[0] == '\0');
    assert_int_equal(cli_creds_acquire(&c, SCPAUTH_ROLE_CLIENT, &out, &err), SCPAUTH_EINVAL);
    assert_non_null(strstr(err.message, "SCPAUTH_PASSWORD"));
}

/* The library has no mock: --backend mock is refused, naming what it has. */
static void test_creds_backend_unknown(void **state)
{
    (void)state;
    scpauth_creds *out = NULL;
    scpauth_error err;
    cli_creds c = with_mock();
    mock_visible = 0;
    assert_int_equal(cli_creds_acquire(&c, SCPAUTH_ROLE_CLIENT, &out, &err), SCPAUTH_EINVAL);
    mock_visible = 1;
    assert_null(out);
    assert_non_null(strstr(err.message, "--backend mock: no auth backend of that name"));
    assert_non_null(strstr(err.message,
                           scpauth_auth_backend_name(scpauth_auth_backend_default())));
    assert_non_null(strstr(err.hint, "not part of the library"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_creds_parse),
        cmocka_unit_test(test_creds_password_sources),
        cmocka_unit_test(test_creds_role_checks),
        cmocka_unit_test(test_creds_backend_unknown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
