/* test_example_cmdline.c - the example service's Windows command line
 * (examples/example_cmdline.c): known lines on every platform; on Windows
 * (and under Wine) each line also goes back through CommandLineToArgvW. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "example_os.h"

#ifdef _WIN32
#  include <windows.h>
#  include <shellapi.h>
#endif

/* The SCM's command line: each argument comes back unchanged through the
 * C runtime's rules (CommandLineToArgvW): quotes only where needed,
 * backslashes doubled only before a quote. */
static void test_known_lines(void **state)
{
    (void)state;
    char line[512];
    const char *argv[] = {"run", "--port", "4455", "two words", "C:\\dir\\", "q\"uote",
                          "a\\\"b", "", "tab\there", "C:\\plain\\path"};
    assert_true(example_cmdline("C:\\Program Files\\svc.exe", argv, 10, line, sizeof(line)));
    assert_string_equal(line, "\"C:\\Program Files\\svc.exe\" run --port 4455 \"two words\" "
                              "C:\\dir\\ \"q\\\"uote\" \"a\\\\\\\"b\" \"\" \"tab\there\" "
                              "C:\\plain\\path");
    const char *trailing[] = {"C:\\my dir\\"};
    assert_true(example_cmdline("svc.exe", trailing, 1, line, sizeof(line)));
    assert_string_equal(line, "\"svc.exe\" \"C:\\my dir\\\\\"");
    /* too long, or a quote in the program's path: refused, never cut */
    assert_false(example_cmdline("svc.exe", argv, 10, line, 40));
    assert_false(example_cmdline("C:\\a\"b.exe", argv, 1, line, sizeof(line)));
}

#ifdef _WIN32
/* What the service process's C runtime will see: the same arguments. */
static void test_round_trip(void **state)
{
    (void)state;
    static const char *const cases[][4] = {
        {"plain", "two words", "", "x"},
        {"C:\\dir\\", "C:\\my dir\\", "\\\\server\\share", "end\\"},
        {"q\"uote", "a\\\"b", "\"", "\\\""},
        {"tab\there", "new\nline", "\\\\\"x\\\\", "--state-dir=C:\\a b\\"},
    };
    for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
        char line[1024];
        assert_true(example_cmdline("C:\\Program Files\\svc.exe", cases[k], 4, line,
                                    sizeof(line)));
        wchar_t wline[1024];
        assert_true(MultiByteToWideChar(CP_UTF8, 0, line, -1, wline, 1024) > 0);
        int n = 0;
        wchar_t **got = CommandLineToArgvW(wline, &n);
        assert_non_null(got);
        assert_int_equal(n, 5);
        for (int i = 0; i < 5; i++) {
            char back[512];
            assert_true(WideCharToMultiByte(CP_UTF8, 0, got[i], -1, back, sizeof(back), NULL,
                                            NULL) > 0);
            assert_string_equal(back, i == 0 ? "C:\\Program Files\\svc.exe" : cases[k][i - 1]);
        }
        LocalFree(got);
    }
}
#endif

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_known_lines),
#ifdef _WIN32
        cmocka_unit_test(test_round_trip),
#endif
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
