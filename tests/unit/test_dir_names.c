/* test_dir_names.c - the directory core's text: account-name classes,
 * principals, LDAP filters, DNs, DC names, domain names, the checks on
 * values read from a directory, and the DsWriteAccountSpn plan. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "dir_spn.h"

/* ---- account names ---------------------------------------------------------- */

static void test_account_classify(void **state)
{
    (void)state;
    const struct {
        const char *text;
        scpauth__account_kind kind;
        const char *name;
        int computer;
    } ok[] = {
        {"self", SCPAUTH__ACCOUNT_SELF, "", 0},
        {"SELF", SCPAUTH__ACCOUNT_SELF, "", 0},
        {"svc-myapp", SCPAUTH__ACCOUNT_SAM, "svc-myapp", 0},
        {"SVCHOST1$", SCPAUTH__ACCOUNT_SAM, "SVCHOST1$", 1},
        {"EXAMPLE\\alice", SCPAUTH__ACCOUNT_NT4, "alice", 0},
        {"alice@example.test", SCPAUTH__ACCOUNT_UPN, "alice@example.test", 0},
        {"CN=svc,CN=Users,DC=example,DC=test", SCPAUTH__ACCOUNT_DN,
         "CN=svc,CN=Users,DC=example,DC=test", 0},
        {"cn=Smith\\, J,dc=x", SCPAUTH__ACCOUNT_DN, "cn=Smith\\, J,dc=x", 0},
        {"host/svchost1.example.test", SCPAUTH__ACCOUNT_SPN, "host/svchost1.example.test", 0},
    };
    for (size_t k = 0; k < sizeof(ok) / sizeof(ok[0]); k++) {
        scpauth__account_name a;
        scpauth_error err;
        scpauth_error_clear(&err);
        assert_int_equal(scpauth__account_classify(ok[k].text, &a, &err), SCPAUTH_OK);
        assert_int_equal(a.kind, ok[k].kind);
        assert_string_equal(a.name, ok[k].name);
        assert_int_equal(a.computer, ok[k].computer);
    }
    scpauth__account_name a;
    assert_int_equal(scpauth__account_classify("EXAMPLE\\alice", &a, NULL), SCPAUTH_OK);
    assert_string_equal(a.domain, "EXAMPLE");
}

static void test_account_classify_refused(void **state)
{
    (void)state;
    const char *bad[] = {"", "a*b", "a?b", "x[1]", "a;b", "a|b", " lead", "trail ",
                         "dot.", "@x", "x@", "a@b@c", "\\alice", "EX\\", "tab\there",
                         "EXAMPLE\\a:b"};
    for (size_t k = 0; k < sizeof(bad) / sizeof(bad[0]); k++) {
        scpauth__account_name a;
        scpauth_error err;
        scpauth_error_clear(&err);
        int rc = scpauth__account_classify(bad[k], &a, &err);
        if (rc != SCPAUTH_EINVAL)
            print_error("\"%s\" gave %s\n", bad[k], scpauth_err_name(rc));
        assert_int_equal(rc, SCPAUTH_EINVAL);
        assert_non_null(strstr(err.message, "account"));
        assert_true(err.hint[0] != '\0');
    }
    char longname[300];
    memset(longname, 'a', sizeof(longname) - 1);
    longname[sizeof(longname) - 1] = '\0';
    scpauth__account_name a;
    assert_int_equal(scpauth__account_classify(longname, &a, NULL), SCPAUTH_EINVAL);
}

static void test_account_from_principal(void **state)
{
    (void)state;
    scpauth__account_name upn, sam;
    assert_int_equal(scpauth__account_from_principal("SVCHOST1$@EXAMPLE.TEST", "example.test",
                                                     &upn, &sam, NULL),
                     SCPAUTH_OK);
    assert_int_equal(upn.kind, SCPAUTH__ACCOUNT_UPN);
    assert_string_equal(upn.name, "SVCHOST1$@EXAMPLE.TEST");
    assert_int_equal(sam.kind, SCPAUTH__ACCOUNT_SAM);
    assert_string_equal(sam.name, "SVCHOST1$");
    /* another realm: only the UPN can be ours */
    assert_int_equal(scpauth__account_from_principal("bob@OTHER.TEST", "example.test", &upn,
                                                     &sam, NULL),
                     SCPAUTH_OK);
    assert_int_equal(sam.kind, 0);
    /* a service principal: its account holds the SPN */
    assert_int_equal(scpauth__account_from_principal("host/svc1.example.test@EXAMPLE.TEST",
                                                     "example.test", &upn, &sam, NULL),
                     SCPAUTH_OK);
    assert_int_equal(upn.kind, SCPAUTH__ACCOUNT_SPN);
    assert_string_equal(upn.name, "host/svc1.example.test");
    /* an escaped '@' is part of the name */
    assert_int_equal(scpauth__account_from_principal("a\\@b@EXAMPLE.TEST", "example.test",
                                                     &upn, &sam, NULL),
                     SCPAUTH_OK);
    assert_string_equal(upn.name, "a\\@b@EXAMPLE.TEST");
    assert_int_equal(scpauth__account_from_principal("norealm", "example.test", &upn, &sam,
                                                     NULL),
                     SCPAUTH_EINVAL);
    assert_int_equal(scpauth__account_from_principal("x@", "example.test", &upn, &sam, NULL),
                     SCPAUTH_EINVAL);
}

static void test_account_filter(void **state)
{
    (void)state;
    scpauth__account_name a;
    char f[256];
    assert_int_equal(scpauth__account_classify("SVCHOST1$", &a, NULL), SCPAUTH_OK);
    assert_int_equal(scpauth__account_filter(&a, f, sizeof(f), NULL), SCPAUTH_OK);
    assert_string_equal(f, "(&(objectClass=user)(sAMAccountName=SVCHOST1$))");
    /* filter metacharacters in a UPN are escaped (RFC 4515) */
    assert_int_equal(scpauth__account_classify("a*(b)c@x", &a, NULL), SCPAUTH_OK);
    assert_int_equal(scpauth__account_filter(&a, f, sizeof(f), NULL), SCPAUTH_OK);
    assert_string_equal(f, "(&(objectClass=user)(userPrincipalName=a\\2a\\28b\\29c@x))");
    assert_int_equal(scpauth__account_classify("http/web", &a, NULL), SCPAUTH_OK);
    assert_int_equal(scpauth__account_filter(&a, f, sizeof(f), NULL), SCPAUTH_OK);
    assert_string_equal(f, "(&(objectClass=user)(servicePrincipalName=http/web))");
    assert_int_equal(scpauth__account_filter(&a, f, 20, NULL), SCPAUTH_ENOBUFS);
    assert_int_equal(scpauth__account_classify("self", &a, NULL), SCPAUTH_OK);
    assert_int_equal(scpauth__account_filter(&a, f, sizeof(f), NULL), SCPAUTH_EINVAL);
}

/* ---- DNs ----------------------------------------------------------------------- */

static void test_dn_domain(void **state)
{
    (void)state;
    char d[64];
    assert_int_equal(scpauth__dn_to_domain("DC=Example,DC=Test", d, sizeof(d), NULL), SCPAUTH_OK);
    assert_string_equal(d, "example.test");
    assert_int_equal(scpauth__dn_to_domain("CN=x,dc=a, dc=b ,DC=c", d, sizeof(d), NULL),
                     SCPAUTH_OK);
    assert_string_equal(d, "a.b.c");
    assert_int_equal(scpauth__dn_to_domain("CN=Users,O=x", d, sizeof(d), NULL), SCPAUTH_EINVAL);
    assert_int_equal(scpauth__dn_to_domain("DC=a\\,b", d, sizeof(d), NULL), SCPAUTH_EINVAL);
    assert_int_equal(scpauth__dn_to_domain("DC=example,DC=test", d, 8, NULL), SCPAUTH_ENOBUFS);
    assert_int_equal(scpauth__domain_to_dn("example.test", d, sizeof(d), NULL), SCPAUTH_OK);
    assert_string_equal(d, "DC=example,DC=test");
    assert_int_equal(scpauth__domain_to_dn("a.b.c.", d, sizeof(d), NULL), SCPAUTH_OK);
    assert_string_equal(d, "DC=a,DC=b,DC=c");
    assert_int_equal(scpauth__domain_to_dn("example.test", d, 10, NULL), SCPAUTH_ENOBUFS);
}

static void test_dn_compare(void **state)
{
    (void)state;
    assert_true(scpauth__dn_equal("CN=a,DC=x", "cn=A,dc=X"));
    assert_true(scpauth__dn_equal("CN=a, DC=x", "CN=a,DC=x"));
    assert_true(scpauth__dn_equal("CN = a ,DC=x", "CN=a,DC=x"));
    assert_false(scpauth__dn_equal("CN=a,DC=x", "CN=b,DC=x"));
    assert_false(scpauth__dn_equal("CN=a\\,b,DC=x", "CN=a,b,DC=x"));
    assert_true(scpauth__dn_equal("CN=a\\,b,DC=x", "cn=A\\,B,dc=x"));
    assert_false(scpauth__dn_equal("CN=a,DC=x", "CN=a,DC=x,DC=y"));
    assert_true(scpauth__dn_looks_like("CN=x"));
    assert_true(scpauth__dn_looks_like("2.5.4.3=x"));
    assert_false(scpauth__dn_looks_like("=x"));
    assert_false(scpauth__dn_looks_like("svc"));
    assert_false(scpauth__dn_looks_like("CN="));
    assert_false(scpauth__dn_looks_like("a*b=c"));
}

static void test_filter_append(void **state)
{
    (void)state;
    char f[32] = "(x=";
    assert_int_equal(scpauth__filter_append(f, sizeof(f), "a*\\", NULL), SCPAUTH_OK);
    assert_string_equal(f, "(x=a\\2a\\5c");
    char fits[8] = "(x=";
    assert_int_equal(scpauth__filter_append(fits, sizeof(fits), "abcd", NULL), SCPAUTH_OK);
    char small[8] = "(x=";
    assert_int_equal(scpauth__filter_append(small, sizeof(small), "abcde", NULL), SCPAUTH_ENOBUFS);
    assert_string_equal(small, "(x="); /* untouched */
}

/* ---- DC and domain names ------------------------------------------------------- */

static void test_target_parse(void **state)
{
    (void)state;
    const struct {
        const char *text;
        const char *host;
        unsigned port;
    } ok[] = {
        {"dc1.example.test", "dc1.example.test", 389},
        {"dc1.example.test:3268", "dc1.example.test", 3268},
        {"127.0.0.10:636", "127.0.0.10", 636},
        {"[::1]:389", "::1", 389},
        {"[fe80::1]", "fe80::1", 389},
    };
    for (size_t k = 0; k < sizeof(ok) / sizeof(ok[0]); k++) {
        scpauth__dir_target t;
        assert_int_equal(scpauth__dir_target_parse(ok[k].text, 389, &t, NULL), SCPAUTH_OK);
        assert_string_equal(t.host, ok[k].host);
        assert_int_equal(t.port, ok[k].port);
    }
    const char *bad[] = {"", ":389", "dc1:", "dc1:0", "dc1:65536", "dc1:+1", "dc1:01",
                         "::1", "[::1", "[x]:1", "[::1]x", "dc 1", "dc1/x"};
    for (size_t k = 0; k < sizeof(bad) / sizeof(bad[0]); k++) {
        scpauth__dir_target t;
        scpauth_error err;
        scpauth_error_clear(&err);
        int rc = scpauth__dir_target_parse(bad[k], 389, &t, &err);
        if (rc != SCPAUTH_EINVAL)
            print_error("\"%s\" gave %s\n", bad[k], scpauth_err_name(rc));
        assert_int_equal(rc, SCPAUTH_EINVAL);
        assert_int_equal(err.code, SCPAUTH_EINVAL);
        assert_non_null(strstr(err.message, "DC \""));
    }
}

static void test_domain_norm(void **state)
{
    (void)state;
    char d[SCPAUTH_DIR_HOST_MAX];
    assert_int_equal(scpauth__dir_domain_norm("domain", "EXAMPLE.Test.", d, sizeof(d), NULL),
                     SCPAUTH_OK);
    assert_string_equal(d, "example.test");
    assert_int_equal(scpauth__dir_domain_norm("domain", "10.0.0.1", d, sizeof(d), NULL),
                     SCPAUTH_EINVAL);
    assert_int_equal(scpauth__dir_domain_norm("domain", "a_b.test", d, sizeof(d), NULL),
                     SCPAUTH_EINVAL);
    assert_int_equal(scpauth__dir_domain_norm("domain", "", d, sizeof(d), NULL), SCPAUTH_EINVAL);
    assert_int_equal(scpauth__dir_domain_norm("domain", "-x.test", d, sizeof(d), NULL),
                     SCPAUTH_EINVAL);
}

/* ---- values read from a directory ----------------------------------------------- */

static void test_utf8(void **state)
{
    (void)state;
    const struct {
        const char *s;
        size_t n;
        int ok;
    } cases[] = {
        {"plain", 5, 1},
        {"\xc3\xa9t\xc3\xa9", 6, 1},            /* été */
        {"\xf0\x9f\x98\x80", 4, 1},             /* U+1F600 */
        {"\xc0\xaf", 2, 0},                     /* overlong '/' */
        {"\xe0\x80\xaf", 3, 0},                 /* overlong */
        {"\xed\xa0\x80", 3, 0},                 /* surrogate */
        {"\xf4\x90\x80\x80", 4, 0},             /* > U+10FFFF */
        {"\xc3", 1, 0},                         /* cut */
        {"\x80", 1, 0},                         /* lone continuation */
        {"\xff", 1, 0},
    };
    for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++)
        assert_int_equal(scpauth__utf8_valid((const unsigned char *)cases[k].s, cases[k].n),
                         cases[k].ok);
}

static void test_entries_checks(void **state)
{
    (void)state;
    static const char *const binary[] = {"objectGUID", NULL};
    scpauth__dir_entries es = {0};
    es.binary_attrs = binary;
    scpauth__dir_entry *e;
    scpauth_error err;
    scpauth_error_clear(&err);
    assert_int_equal(scpauth__dir_entry_new(&es, "CN=x,DC=y", 9, &e, &err), SCPAUTH_OK);
    assert_int_equal(scpauth__dir_entry_add(&es, e, "servicePrincipalName", "a/b", 3, &err),
                     SCPAUTH_OK);
    assert_int_equal(scpauth__dir_entry_add(&es, e, "servicePrincipalName", "A/C", 3, &err),
                     SCPAUTH_OK);
    /* text with a NUL, or not UTF-8: refused, naming the attribute and DN */
    assert_int_equal(scpauth__dir_entry_add(&es, e, "sAMAccountName", "a\0b", 3, &err),
                     SCPAUTH_EDIR);
    assert_non_null(strstr(err.message, "sAMAccountName"));
    assert_non_null(strstr(err.message, "CN=x,DC=y"));
    assert_int_equal(scpauth__dir_entry_add(&es, e, "cn", "\xff", 1, &err), SCPAUTH_EDIR);
    /* a binary attribute takes any bytes */
    assert_int_equal(scpauth__dir_entry_add(&es, e, "objectGUID", "\0\xff\x01", 3, &err),
                     SCPAUTH_OK);
    /* malformed attribute names and over-long values */
    assert_int_equal(scpauth__dir_entry_add(&es, e, "bad name", "x", 1, &err), SCPAUTH_EDIR);
    assert_int_equal(scpauth__dir_entry_add(&es, e, "cn", "x", SCPAUTH__DIR_VALUE_MAX + 1, &err),
                     SCPAUTH_EDIR);
    assert_non_null(strstr(err.message, "limit"));
    const scpauth__dir_attr *a = scpauth__dir_entry_attr(e, "SERVICEPRINCIPALNAME");
    assert_non_null(a);
    assert_int_equal(a->count, 2);
    assert_true(scpauth__dir_attr_has(a, "a/c"));
    assert_false(scpauth__dir_attr_has(a, "a/d"));
    assert_string_equal(scpauth__dir_entry_first(e, "servicePrincipalName"), "a/b");
    assert_string_equal(scpauth__dir_entry_first(e, "missing"), "");
    /* DNs are checked too */
    assert_int_equal(scpauth__dir_entry_new(&es, "CN=\xc0\xaf", 5, &e, &err), SCPAUTH_EDIR);
    assert_int_equal(scpauth__dir_entry_new(&es, "CN=a\0", 5, &e, &err), SCPAUTH_EDIR);
    assert_int_equal(es.count, 1);
    assert_int_equal(scpauth__dir_entry_new(&es, "CN=2", 4, &e, &err), SCPAUTH_OK);
    scpauth__dir_entries_remove(&es, 0);
    assert_int_equal(es.count, 1);
    assert_string_equal(es.items[0].dn, "CN=2");
    scpauth__dir_entries_free(&es);
    assert_int_equal(es.count, 0);
}

static void test_entries_limit(void **state)
{
    (void)state;
    scpauth__dir_entries es = {0};
    scpauth__dir_entry *e;
    int rc = SCPAUTH_OK;
    size_t made = 0;
    while (rc == SCPAUTH_OK && made <= SCPAUTH__DIR_ENTRIES_MAX) {
        rc = scpauth__dir_entry_new(&es, "CN=x", 4, &e, NULL);
        made += rc == SCPAUTH_OK;
    }
    assert_int_equal(rc, SCPAUTH_EDIR);
    assert_int_equal(made, SCPAUTH__DIR_ENTRIES_MAX);
    scpauth__dir_entries_free(&es);
}

/* ---- the DsWriteAccountSpn plan -------------------------------------------------- */

static scpauth__dir_attr held(const char **values, size_t n, scpauth__dir_value *store)
{
    for (size_t i = 0; i < n; i++) {
        store[i].data = (char *)(uintptr_t)values[i];
        store[i].len = strlen(values[i]);
    }
    scpauth__dir_attr a = {(char *)"servicePrincipalName", store, n, n};
    return a;
}

static void assert_list(const scpauth_spn_list *l, const char *const *want, size_t n)
{
    assert_int_equal(l->count, n);
    for (size_t i = 0; i < n; i++)
        assert_string_equal(l->items[i], want[i]);
}

static void test_plan(void **state)
{
    (void)state;
    const char *now[] = {"HOST/a", "myapp/a:1"};
    scpauth__dir_value store[2];
    scpauth__dir_attr cur = held(now, 2, store);
    scpauth_dir_spn_result r;

    const char *add[] = {"myapp/A:1", "new/a", "NEW/a"}; /* case-only duplicate dropped */
    memset(&r, 0, sizeof(r));
    assert_int_equal(scpauth__spn_plan(SCPAUTH_DIR_SPN_ADD, add, 3, &cur, &r, NULL), SCPAUTH_OK);
    assert_list(&r.added, (const char *[]){"new/a"}, 1);
    assert_list(&r.kept, (const char *[]){"myapp/A:1"}, 1);
    assert_int_equal(r.removed.count + r.absent.count, 0);
    assert_false(scpauth__spn_plan_is_noop(&r));
    scpauth_dir_spn_result_free(&r);

    const char *del[] = {"MYAPP/a:1", "gone/a"};
    memset(&r, 0, sizeof(r));
    assert_int_equal(scpauth__spn_plan(SCPAUTH_DIR_SPN_DELETE, del, 2, &cur, &r, NULL), SCPAUTH_OK);
    assert_list(&r.removed, (const char *[]){"myapp/a:1"}, 1); /* as stored */
    assert_list(&r.absent, (const char *[]){"gone/a"}, 1);
    scpauth_dir_spn_result_free(&r);

    const char *rep[] = {"HOST/a", "x/y"};
    memset(&r, 0, sizeof(r));
    assert_int_equal(scpauth__spn_plan(SCPAUTH_DIR_SPN_REPLACE, rep, 2, &cur, &r, NULL),
                     SCPAUTH_OK);
    assert_list(&r.kept, (const char *[]){"HOST/a"}, 1);
    assert_list(&r.added, (const char *[]){"x/y"}, 1);
    assert_list(&r.removed, (const char *[]){"myapp/a:1"}, 1);
    scpauth_dir_spn_result_free(&r);

    memset(&r, 0, sizeof(r)); /* replace with nothing: every SPN goes */
    assert_int_equal(scpauth__spn_plan(SCPAUTH_DIR_SPN_REPLACE, NULL, 0, &cur, &r, NULL),
                     SCPAUTH_OK);
    assert_int_equal(r.removed.count, 2);
    scpauth_dir_spn_result_free(&r);

    memset(&r, 0, sizeof(r)); /* adding what is there changes nothing */
    assert_int_equal(scpauth__spn_plan(SCPAUTH_DIR_SPN_ADD, now, 2, &cur, &r, NULL), SCPAUTH_OK);
    assert_true(scpauth__spn_plan_is_noop(&r));
    scpauth_dir_spn_result_free(&r);
}

static void test_plan_args(void **state)
{
    (void)state;
    const char *good[] = {"myapp/host.example.test:4444"};
    const char *odd[] = {"x/y z"}; /* structure fine, not a valid host */
    scpauth_error err;
    scpauth_error_clear(&err);
    assert_int_equal(scpauth__spn_args_check(SCPAUTH_DIR_SPN_ADD, good, 1, &err), SCPAUTH_OK);
    assert_int_equal(scpauth__spn_args_check(SCPAUTH_DIR_SPN_ADD, good, 0, &err), SCPAUTH_EINVAL);
    assert_int_equal(scpauth__spn_args_check(SCPAUTH_DIR_SPN_DELETE, good, 0, &err),
                     SCPAUTH_EINVAL);
    assert_int_equal(scpauth__spn_args_check(SCPAUTH_DIR_SPN_REPLACE, NULL, 0, &err), SCPAUTH_OK);
    assert_int_equal(scpauth__spn_args_check(SCPAUTH_DIR_SPN_ADD, good, SCPAUTH_DIR_SPNS_MAX + 1,
                                             &err),
                     SCPAUTH_EINVAL);
    assert_int_equal(scpauth__spn_args_check((scpauth_dir_spn_op)7, good, 1, &err),
                     SCPAUTH_EINVAL);
    /* written SPNs must pass the strict checks; deleted ones only the structure */
    assert_int_equal(scpauth__spn_args_check(SCPAUTH_DIR_SPN_ADD, odd, 1, &err),
                     SCPAUTH_ESPNSYNTAX);
    assert_int_equal(scpauth__spn_args_check(SCPAUTH_DIR_SPN_DELETE, odd, 1, &err), SCPAUTH_OK);
    const char *none[] = {"noslash"};
    assert_int_equal(scpauth__spn_args_check(SCPAUTH_DIR_SPN_DELETE, none, 1, &err),
                     SCPAUTH_ESPNSYNTAX);
    const char *nul[] = {NULL};
    assert_int_equal(scpauth__spn_args_check(SCPAUTH_DIR_SPN_ADD, nul, 1, &err), SCPAUTH_EINVAL);
}

static void test_shell_quote(void **state)
{
    (void)state;
    char q[64];
    scpauth__shell_quote("svc-myapp", q, sizeof(q));
    assert_string_equal(q, "svc-myapp");
    scpauth__shell_quote("SVCHOST1$", q, sizeof(q));
    assert_string_equal(q, "'SVCHOST1$'");
    scpauth__shell_quote("it's", q, sizeof(q));
    assert_string_equal(q, "'it'\\''s'");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_account_classify),
        cmocka_unit_test(test_account_classify_refused),
        cmocka_unit_test(test_account_from_principal),
        cmocka_unit_test(test_account_filter),
        cmocka_unit_test(test_dn_domain),
        cmocka_unit_test(test_dn_compare),
        cmocka_unit_test(test_filter_append),
        cmocka_unit_test(test_target_parse),
        cmocka_unit_test(test_domain_norm),
        cmocka_unit_test(test_utf8),
        cmocka_unit_test(test_entries_checks),
        cmocka_unit_test(test_entries_limit),
        cmocka_unit_test(test_plan),
        cmocka_unit_test(test_plan_args),
        cmocka_unit_test(test_shell_quote),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
