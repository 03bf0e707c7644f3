/* test_example_state.c - the example service's own files (examples/): the
 * state file install writes for run and uninstall (round trip, SPNs kept
 * once, missing and malformed files, links planted beside it not followed,
 * an insecure file or directory refused, values uninstall would act on
 * checked against its own arguments), and the systemd unit rendered from
 * its template (placeholders, each argument quoted and escaped for systemd,
 * control characters refused, idempotent rewrite, removal). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <sys/stat.h>
#include <unistd.h>

#include "example_os.h"
#include "example_state.h"

#define DIR_ "test_example_state.d"
#define STATE_PATH DIR_ "/" EXAMPLE_STATE_FILE
#define VICTIM DIR_ "/victim"

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
    struct stat sb;
    assert_int_equal(lstat(STATE_PATH, &sb), 0);
    assert_true(S_ISREG(sb.st_mode));
    assert_int_equal(sb.st_mode & 0777, 0644);
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
    const char *argv[] = {"--account", "SVCHOST1$", "--port", "4455"};
    example_unit u = {"svc-4455", "an example", "/opt/bin/svc", DIR_,
                      DIR_ "/unit.in", argv, 4};
    assert_int_equal(example_os_service_install(&u, where, sizeof(where), &changed, &err),
                     SCPAUTH_OK);
    assert_string_equal(where, DIR_ "/svc-4455.service");
    assert_int_equal(changed, 1);
    assert_string_equal(read_text(where), "[Unit]\nDescription=an example\n[Service]\n"
                                          "ExecStart=\"/opt/bin/svc\" run \"--account\" "
                                          "\"SVCHOST1$$\" \"--port\" \"4455\"\n");
    assert_int_equal(example_os_service_install(&u, where, sizeof(where), &changed, &err),
                     SCPAUTH_OK);
    assert_int_equal(changed, 0); /* identical: left alone */
    argv[3] = "4466";
    assert_int_equal(example_os_service_install(&u, where, sizeof(where), &changed, &err),
                     SCPAUTH_OK);
    assert_int_equal(changed, 1);
    assert_non_null(strstr(read_text(where), "\"--port\" \"4466\"\n"));
    assert_int_equal(example_os_service_remove(where, &err), SCPAUTH_OK);
    assert_null(read_text(where));
    assert_int_equal(example_os_service_remove(where, &err), SCPAUTH_OK);
    u.template_path = DIR_ "/missing.in";
    assert_int_equal(example_os_service_install(&u, where, sizeof(where), &changed, &err),
                     SCPAUTH_EIO);
    assert_non_null(strstr(err.message, "missing.in"));
    remove(DIR_ "/unit.in");
}

/* A victim file a planted link points at: it must keep its text. */
static void plant_link(const char *at)
{
    write_text(VICTIM, "victim text\n");
    remove(at);
    assert_int_equal(symlink("victim", at), 0);
}

static void assert_victim_untouched(void)
{
    struct stat sb;
    assert_int_equal(lstat(VICTIM, &sb), 0);
    assert_true(S_ISREG(sb.st_mode));
    assert_string_equal(read_text(VICTIM), "victim text\n");
}

static void save_one(example_state *st)
{
    scpauth_error err;
    memset(st, 0, sizeof(*st));
    st->port = 4455;
    snprintf(st->guid, sizeof(st->guid), "a5f571e7-9112-4511-a8a5-bff72798d532");
    assert_int_equal(example_state_save(DIR_, st, &err), SCPAUTH_OK);
}

static void test_state_links_not_followed(void **state)
{
    (void)state;
    static example_state st, back;
    scpauth_error err;
    struct stat sb;
    /* a link at the state path: replaced by the new file, not written through */
    plant_link(STATE_PATH);
    save_one(&st);
    assert_victim_untouched();
    assert_int_equal(lstat(STATE_PATH, &sb), 0);
    assert_true(S_ISREG(sb.st_mode));
    assert_int_equal(example_state_load(DIR_, &back, &err), SCPAUTH_OK);
    assert_int_equal(back.port, 4455);
    /* links at the temporary names a fixed-name writer would use */
    plant_link(STATE_PATH ".tmp");
    assert_int_equal(symlink("victim", DIR_ "/." EXAMPLE_STATE_FILE ".XXXXXX"), 0);
    save_one(&st);
    assert_victim_untouched();
    assert_int_equal(lstat(STATE_PATH ".tmp", &sb), 0);
    assert_true(S_ISLNK(sb.st_mode));
    remove(STATE_PATH ".tmp");
    remove(DIR_ "/." EXAMPLE_STATE_FILE ".XXXXXX");
    /* reading: a link at the state path is refused, naming it */
    plant_link(STATE_PATH);
    assert_int_equal(example_state_load(DIR_, &back, &err), SCPAUTH_EINVAL);
    assert_non_null(strstr(err.message, STATE_PATH " is a symbolic link"));
    assert_non_null(strstr(err.message, "not used"));
    assert_victim_untouched();
    remove(STATE_PATH);
    remove(VICTIM);
}

/* Loads DIR_'s state expecting EINVAL and says in the message. */
static void assert_refused(const char *says)
{
    static example_state back;
    scpauth_error err;
    assert_int_equal(example_state_load(DIR_, &back, &err), SCPAUTH_EINVAL);
    assert_non_null(strstr(err.message, says));
    assert_non_null(strstr(err.hint, "not trusted"));
    assert_int_equal(back.port, 0); /* nothing taken from it */
}

static void test_state_insecure_refused(void **state)
{
    (void)state;
    static example_state st, back;
    scpauth_error err;
    save_one(&st);
    assert_int_equal(chmod(STATE_PATH, 0666), 0);
    assert_refused(STATE_PATH " is writable by everyone (mode 666)");
    assert_int_equal(chmod(STATE_PATH, 0664), 0);
    assert_refused("writable by its group (mode 664)");
    assert_int_equal(chmod(STATE_PATH, 0644), 0);
    assert_int_equal(link(STATE_PATH, DIR_ "/hard"), 0);
    assert_refused(STATE_PATH " has 2 hard links");
    remove(DIR_ "/hard");
    if (geteuid() == 0) { /* a file the service user (uid 4321) could have written */
        assert_int_equal(chown(STATE_PATH, 4321, 0), 0);
        assert_refused(STATE_PATH " is owned by uid 4321, not by root");
        assert_int_equal(chown(STATE_PATH, 0, 0), 0);
        assert_int_equal(chown(DIR_, 4321, 0), 0);
        assert_refused("directory " DIR_ " is owned by uid 4321");
        assert_int_equal(chown(DIR_, 0, 0), 0);
    }
    assert_int_equal(chmod(DIR_, 0777), 0);
    assert_refused("directory " DIR_ " is writable by everyone (mode 777)");
    assert_int_equal(chmod(DIR_, 01777), 0); /* sticky: others cannot replace the file */
    assert_int_equal(example_state_load(DIR_, &back, &err), SCPAUTH_OK);
    assert_int_equal(back.port, 4455);
    assert_int_equal(chmod(DIR_, 0755), 0);
    assert_int_equal(example_state_remove(DIR_, &err), SCPAUTH_OK);
}

static void test_state_control_characters_not_saved(void **state)
{
    (void)state;
    static example_state st;
    scpauth_error err;
    memset(&st, 0, sizeof(st));
    snprintf(st.account, sizeof(st.account), "SVC$\nspn=HOST/dc1.example.test");
    assert_int_equal(example_state_save(DIR_, &st, &err), SCPAUTH_EINVAL);
    assert_non_null(strstr(err.message, "control character"));
    assert_null(read_text(STATE_PATH));
}

/* A state as install writes it for port 4455 after a move to 4466. */
static void good_state(example_state *st)
{
    memset(st, 0, sizeof(*st));
    st->port = 4466;
    snprintf(st->account, sizeof(st->account), "SVCHOST1$");
    example_state_add_spn(st, "scpauth-example/svchost1.example.test:4455");
    example_state_add_spn(st, "SCPAUTH-EXAMPLE/SVCHOST1.EXAMPLE.TEST:4466");
    snprintf(st->unit, sizeof(st->unit), "/etc/systemd/system/scpauth-example-4455.service");
}

static void test_state_check(void **state)
{
    (void)state;
    static example_state st;
    scpauth_error err;
    example_instance want = {"scpauth-example", "svchost1.example.test", NULL, 0, 1, NULL};
    good_state(&st);
    assert_int_equal(example_state_check(&st, &want, &err), SCPAUTH_OK);
    want.account = "svchost1$";
    want.port = 4466;
    want.unit_dir = "/etc/systemd/system";
    assert_int_equal(example_state_check(&st, &want, &err), SCPAUTH_OK);
    static const struct {
        const char *key, *value, *says;
    } rows[] = {
        {"spn", "HOST/svchost1.example.test", "SPN HOST/svchost1.example.test is not"},
        {"spn", "scpauth-example/dc1.example.test:4455", "SPN scpauth-example/dc1.example"},
        {"spn", "scpauth-example/svchost1.example.test", "is not scpauth-example/svchost1"},
        {"spn", "scpauth-example/svchost1.example.test:04455", ":04455 is not"},
        {"spn", "scpauth-example/svchost1.example.test:4455/x", ":4455/x is not"},
        {"spn", "scpauth-example/svchost1.example.test:70000", ":70000 is not"},
        {"unit", "/etc/passwd", "unit /etc/passwd is not /etc/systemd/system/scpauth-"},
        {"unit", "/tmp/scpauth-example-4455.service", "unit /tmp/scpauth-example-4455"},
        {"unit", "/etc/systemd/system/scpauth-example-4455.service.d", ".service.d is not"},
        {"unit", "/etc/systemd/system/other-4455.service", "other-4455.service is not"},
        {"account", "Administrator", "account Administrator, not svchost1$ as given"},
        {"port", "", "port 4477, not 4466 as given"},
    };
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        good_state(&st);
        if (strcmp(rows[i].key, "spn") == 0)
            example_state_add_spn(&st, rows[i].value);
        else if (strcmp(rows[i].key, "unit") == 0)
            snprintf(st.unit, sizeof(st.unit), "%s", rows[i].value);
        else if (strcmp(rows[i].key, "account") == 0)
            snprintf(st.account, sizeof(st.account), "%s", rows[i].value);
        else
            st.port = 4477;
        assert_int_equal(example_state_check(&st, &want, &err), SCPAUTH_EINVAL);
        assert_non_null(strstr(err.message, rows[i].says));
        assert_non_null(strstr(err.hint, "nothing was removed"));
    }
    /* no --unit-dir: any directory, but still CLASS-PORT.service */
    want.unit_dir = NULL;
    good_state(&st);
    snprintf(st.unit, sizeof(st.unit), "/tmp/scpauth-example-4455.service");
    assert_int_equal(example_state_check(&st, &want, &err), SCPAUTH_OK);
    snprintf(st.unit, sizeof(st.unit), "scpauth-example-4455.service");
    assert_int_equal(example_state_check(&st, &want, &err), SCPAUTH_EINVAL);
    /* the Service Control Manager: the service's name alone */
    want.unit_in_dir = 0;
    snprintf(st.unit, sizeof(st.unit), "scpauth-example-4455");
    assert_int_equal(example_state_check(&st, &want, &err), SCPAUTH_OK);
    snprintf(st.unit, sizeof(st.unit), "Spooler");
    assert_int_equal(example_state_check(&st, &want, &err), SCPAUTH_EINVAL);
    assert_non_null(strstr(err.message, "unit Spooler is not scpauth-example-PORT"));
}

static void test_unit_quoting(void **state)
{
    (void)state;
    scpauth_error err;
    char where[512];
    int changed = -1;
    write_text(DIR_ "/unit.in", "Description=@DESCRIPTION@\nExecStart=@PROGRAM@ run @ARGS@\n");
    const char *argv[] = {"two words", "back\\slash", "q\"uote", "100%i", "$HOME ${X}", ";"};
    example_unit u = {"svc-1", "50% off", "/opt/my bin/svc", DIR_, DIR_ "/unit.in", argv, 6};
    assert_int_equal(example_os_service_install(&u, where, sizeof(where), &changed, &err),
                     SCPAUTH_OK);
    assert_string_equal(read_text(where),
                        "Description=50%% off\n"
                        "ExecStart=\"/opt/my bin/svc\" run \"two words\" \"back\\\\slash\" "
                        "\"q\\\"uote\" \"100%%i\" \"$$HOME $${X}\" \";\"\n");
    assert_int_equal(example_os_service_remove(where, &err), SCPAUTH_OK);
    remove(DIR_ "/unit.in");
}

static void test_unit_refuses_control_characters(void **state)
{
    (void)state;
    scpauth_error err;
    char where[512];
    int changed = -1;
    write_text(DIR_ "/unit.in", "Description=@DESCRIPTION@\nExecStart=@PROGRAM@ run @ARGS@\n");
    const char *argv[] = {"--host", "h\nExecStartPre=/bin/sh -c id", "--port", "1"};
    example_unit u = {"svc-2", "d", "/opt/bin/svc", DIR_, DIR_ "/unit.in", argv, 4};
    assert_int_equal(example_os_service_install(&u, where, sizeof(where), &changed, &err),
                     SCPAUTH_EINVAL);
    assert_non_null(strstr(err.message, "argument 2 of run holds a control character (0x0a)"));
    assert_null(read_text(DIR_ "/svc-2.service"));
    argv[1] = "tab\there";
    assert_int_equal(example_os_service_install(&u, where, sizeof(where), &changed, &err),
                     SCPAUTH_EINVAL);
    assert_non_null(strstr(err.message, "(0x09)"));
    argv[1] = "h";
    u.description = "d\r\n[Service]";
    assert_int_equal(example_os_service_install(&u, where, sizeof(where), &changed, &err),
                     SCPAUTH_EINVAL);
    assert_non_null(strstr(err.message, "the description holds a control character"));
    u.description = "d";
    u.program = "/opt/$bin/svc";
    assert_int_equal(example_os_service_install(&u, where, sizeof(where), &changed, &err),
                     SCPAUTH_EINVAL);
    assert_non_null(strstr(err.message, "program path /opt/$bin/svc holds '$' or '%'"));
    assert_null(read_text(DIR_ "/svc-2.service"));
    /* a link planted at the unit's path: replaced, the victim untouched */
    u.program = "/opt/bin/svc";
    plant_link(DIR_ "/svc-2.service");
    assert_int_equal(example_os_service_install(&u, where, sizeof(where), &changed, &err),
                     SCPAUTH_OK);
    assert_int_equal(changed, 1);
    assert_victim_untouched();
    struct stat sb;
    assert_int_equal(lstat(where, &sb), 0);
    assert_true(S_ISREG(sb.st_mode));
    assert_non_null(strstr(read_text(where), "\"--port\" \"1\""));
    assert_int_equal(example_os_service_remove(where, &err), SCPAUTH_OK);
    remove(VICTIM);
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
        cmocka_unit_test(test_state_links_not_followed),
        cmocka_unit_test(test_state_insecure_refused),
        cmocka_unit_test(test_state_control_characters_not_saved),
        cmocka_unit_test(test_state_check),
        cmocka_unit_test(test_unit_file),
        cmocka_unit_test(test_unit_quoting),
        cmocka_unit_test(test_unit_refuses_control_characters),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    remove(DIR_); /* empty by now */
    return rc;
}
