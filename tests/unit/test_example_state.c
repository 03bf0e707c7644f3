/* test_example_state.c - the example service's own files (examples/): the
 * state file install writes for run and uninstall (round trip, SPNs kept
 * once, missing and malformed files), and the systemd unit rendered from
 * its template (placeholders, '$' escaped for systemd, idempotent rewrite,
 * removal). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "example_os.h"
#include "example_state.h"

#define DIR_ "test_example_state.d"

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static char *read_text(const char *path)
{
    static char buf[8192];
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return NULL;
    size_t n = fread(buf, 1, sizeof(buf) - 1, f);
    fclose(f);
    buf[n] = '\0';
    return buf;
}

static void test_state_round_trip(void **state)
{
    (void)state;
    static example_state st, back;
    scpauth_error err;
    memset(&st, 0, sizeof(st));
    snprintf(st.guid, sizeof(st.guid), "a5f571e7-9112-4511-a8a5-bff72798d532");
    snprintf(st.host, sizeof(st.host), "svchost1.example.test");
    st.port = 4455;
    snprintf(st.account, sizeof(st.account), "SVCHOST1$");
    example_state_add_spn(&st, "scpauth-example/svchost1.example.test:4455");
    example_state_add_spn(&st, "SCPAUTH-EXAMPLE/SVCHOST1.example.test:4455"); /* same, AD ignores case */
    example_state_add_spn(&st, "scpauth-example/svchost1.example.test:4456");
    assert_int_equal(st.n_spns, 2);
    snprintf(st.unit, sizeof(st.unit), "/etc/systemd/system/x.service");
    assert_int_equal(example_state_save(DIR_, &st, &err), SCPAUTH_OK);
    assert_int_equal(example_state_load(DIR_, &back, &err), SCPAUTH_OK);
    assert_string_equal(back.guid, st.guid);
    assert_string_equal(back.host, st.host);
    assert_int_equal(back.port, 4455);
    assert_string_equal(back.account, "SVCHOST1$");
    assert_int_equal(back.n_spns, 2);
    assert_string_equal(back.spns[1], "scpauth-example/svchost1.example.test:4456");
    assert_string_equal(back.unit, st.unit);
    assert_int_equal(example_state_remove(DIR_, &err), SCPAUTH_OK);
    assert_int_equal(example_state_remove(DIR_, &err), SCPAUTH_OK); /* gone already: fine */
    assert_int_equal(example_state_load(DIR_, &back, &err), SCPAUTH_ENOTFOUND);
    assert_non_null(strstr(err.message, DIR_ "/scpauth-example.state"));
}

static void test_state_malformed(void **state)
{
    (void)state;
    static example_state st;
    scpauth_error err;
    static const struct {
        const char *text;
        const char *says;
    } rows[] = {
        {"guid=x\nport=70000\n", "line 2"},
        {"# comment\n\nwhat=ever\n", "line 3"},
        {"no equals sign\n", "line 1"},
        {"port=12ab\n", "line 1"},
    };
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        write_text(DIR_ "/scpauth-example.state", rows[i].text);
        assert_int_equal(example_state_load(DIR_, &st, &err), SCPAUTH_EINVAL);
        assert_non_null(strstr(err.message, rows[i].says));
    }
    remove(DIR_ "/scpauth-example.state");
}

static void test_unit_file(void **state)
{
    (void)state;
    scpauth_error err;
    char where[512];
    int changed = -1;
    write_text(DIR_ "/unit.in", "[Unit]\nDescription=@DESCRIPTION@\n[Service]\n"
                                "ExecStart=@PROGRAM@ run @ARGS@\n");
    example_unit u = {"svc-4455", "an example", "/opt/bin/svc", "--account SVCHOST1$ --port 4455",
                      DIR_, DIR_ "/unit.in"};
    assert_int_equal(example_os_service_install(&u, where, sizeof(where), &changed, &err),
                     SCPAUTH_OK);
    assert_string_equal(where, DIR_ "/svc-4455.service");
    assert_int_equal(changed, 1);
    assert_string_equal(read_text(where), "[Unit]\nDescription=an example\n[Service]\n"
                                          "ExecStart=/opt/bin/svc run --account SVCHOST1$$ "
                                          "--port 4455\n");
    assert_int_equal(example_os_service_install(&u, where, sizeof(where), &changed, &err),
                     SCPAUTH_OK);
    assert_int_equal(changed, 0); /* identical: left alone */
    u.args = "--port 4466";
    assert_int_equal(example_os_service_install(&u, where, sizeof(where), &changed, &err),
                     SCPAUTH_OK);
    assert_int_equal(changed, 1);
    assert_non_null(strstr(read_text(where), "run --port 4466\n"));
    assert_int_equal(example_os_service_remove(where, &err), SCPAUTH_OK);
    assert_null(read_text(where));
    assert_int_equal(example_os_service_remove(where, &err), SCPAUTH_OK);
    u.template_path = DIR_ "/missing.in";
    assert_int_equal(example_os_service_install(&u, where, sizeof(where), &changed, &err),
                     SCPAUTH_EIO);
    assert_non_null(strstr(err.message, "missing.in"));
    remove(DIR_ "/unit.in");
}

int main(void)
{
    scpauth_error err;
    if (example_os_mkdir(DIR_, &err) != SCPAUTH_OK)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_state_round_trip),
        cmocka_unit_test(test_state_malformed),
        cmocka_unit_test(test_unit_file),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    remove(DIR_); /* empty by now */
    return rc;
}
