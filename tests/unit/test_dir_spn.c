/* test_dir_spn.c - directory sessions and SPN administration over the mock
 * backend: discovery and failover, account lookup ("self" included),
 * DsWriteAccountSpn semantics, duplicate refusal before any write, the
 * explanations of a DC's refusals, ranged attributes, the start check. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "dir_internal.h"
#include "test_dir_mock.h"

#define DC1 "dc1.example.test"
#define SVC_DN "CN=svc-myapp,CN=Users,DC=example,DC=test"

static const char *const svc_spns[] = {"myapp/svchost1.example.test",
                                       "myapp/svchost1.example.test:4444", NULL};
static const char *const host1_spns[] = {"HOST/svchost1.example.test", "HOST/svchost1", NULL};
static const char *const host2_spns[] = {"HOST/svchost2.example.test", NULL};

static int setup(void **state)
{
    (void)state;
    mock_reset();
    mock_account("svc-myapp", "svc-myapp", 0, svc_spns);
    mock_account("SVCHOST1", "SVCHOST1$", 1, host1_spns);
    mock_account("SVCHOST2", "SVCHOST2$", 1, host2_spns);
    return 0;
}

static void expect_error(int rc, const scpauth_error *err, int code, const char *needle)
{
    if (rc != code || err->code != code || strstr(err->message, needle) == NULL)
        print_error("got %s \"%s\", wanted %s mentioning \"%s\"\n", scpauth_err_name(rc),
                    err->message, scpauth_err_name(code), needle);
    assert_int_equal(rc, code);
    assert_int_equal(err->code, code);
    assert_non_null(strstr(err->message, needle));
}

/* A session on the explicit DC1. */
static scpauth_dir *open_dc1(void)
{
    static const char *const dcs[] = {DC1};
    scpauth_dir_options o = mock_options(dcs, 1);
    scpauth_dir *dir = NULL;
    scpauth_error err;
    scpauth_error_clear(&err);
    int rc = scpauth_dir_open(&o, &dir, &err);
    if (rc != SCPAUTH_OK)
        print_error("open: %s\n", err.message);
    assert_int_equal(rc, SCPAUTH_OK);
    return dir;
}

static void set_srv(size_t i, const char *target, unsigned prio, unsigned port)
{
    scpauth__srv *s = &mock.srv[i];
    memset(s, 0, sizeof(*s));
    snprintf(s->target, sizeof(s->target), "%s", target);
    s->priority = (uint16_t)prio;
    s->weight = 10;
    s->port = (uint16_t)port;
    if (mock.n_srv < i + 1)
        mock.n_srv = i + 1;
}

/* ---- sessions ------------------------------------------------------------------- */

static void test_open_explicit_failover(void **state)
{
    (void)state;
    static const char *const dcs[] = {"dead.example.test", DC1 ":389"};
    mock_outcome("dead.example.test:389", SCPAUTH_ECONNREFUSED);
    scpauth_dir_options o = mock_options(dcs, 2);
    scpauth_dir *dir;
    scpauth_error err;
    assert_int_equal(scpauth_dir_open(&o, &dir, &err), SCPAUTH_OK);
    scpauth_dir_info info;
    assert_int_equal(scpauth_dir_info_get(dir, &info, &err), SCPAUTH_OK);
    assert_string_equal(info.dc, DC1);
    assert_int_equal(info.port, 389);
    assert_int_equal(info.discovered, 0);
    assert_string_equal(info.domain, "example.test"); /* from the principal's realm */
    assert_string_equal(info.base_dn, "DC=example,DC=test");
    assert_int_equal(info.n_attempts, 2);
    assert_string_equal(info.attempts[0].host, "dead.example.test");
    assert_int_equal(info.attempts[0].status, SCPAUTH_ECONNREFUSED);
    assert_int_equal(info.attempts[1].status, SCPAUTH_OK);
    assert_int_equal(info.ssf, 256);
    assert_int_equal(mock.n_lookups, 0); /* explicit DCs: no DNS */
    scpauth_dir_close(dir);
    assert_int_equal(mock.open_conns, 0);
}

static void test_open_srv_order_and_failover(void **state)
{
    (void)state;
    set_srv(0, "dc2.example.test", 10, 389);
    set_srv(1, "dc0.example.test", 0, 389);
    set_srv(2, DC1, 5, 3899);
    mock_outcome("dc0.example.test:389", SCPAUTH_ETIMEDOUT);
    mock_outcome(DC1 ":3899", SCPAUTH_EDIRAUTH);
    scpauth_dir_options o = mock_options(NULL, 0);
    o.domain = "Example.Test";
    scpauth_dir *dir;
    scpauth_error err;
    assert_int_equal(scpauth_dir_open(&o, &dir, &err), SCPAUTH_OK);
    assert_string_equal(mock.srv_qnames[0], "_ldap._tcp.dc._msdcs.example.test");
    scpauth_dir_info info;
    assert_int_equal(scpauth_dir_info_get(dir, &info, &err), SCPAUTH_OK);
    assert_int_equal(info.discovered, 1);
    assert_int_equal(info.n_attempts, 3); /* priority 0, then 5, then 10 */
    assert_string_equal(info.attempts[0].host, "dc0.example.test");
    assert_int_equal(info.attempts[0].status, SCPAUTH_ETIMEDOUT);
    assert_int_equal(info.attempts[1].port, 3899);
    assert_string_equal(info.dc, "dc2.example.test");
    assert_true(info.connect_ms > 0);
    scpauth_dir_close(dir);
}

static void test_open_failures(void **state)
{
    (void)state;
    static const char *const two[] = {"a.example.test", "b.example.test:636"};
    mock_outcome("a.example.test:389", SCPAUTH_ECONNREFUSED);
    mock_outcome("b.example.test:636", SCPAUTH_ETIMEDOUT);
    scpauth_dir_options o = mock_options(two, 2);
    scpauth_dir *dir = (scpauth_dir *)&o;
    scpauth_error err;
    int rc = scpauth_dir_open(&o, &dir, &err);
    expect_error(rc, &err, SCPAUTH_ENODC, "a.example.test:389");
    assert_non_null(strstr(err.message, "b.example.test:636"));
    assert_non_null(strstr(err.hint, "--timeout"));
    assert_null(dir);

    /* one DC: its own error, named */
    o.n_dcs = 1;
    o.dcs = two + 1;
    rc = scpauth_dir_open(&o, &dir, &err);
    expect_error(rc, &err, SCPAUTH_ETIMEDOUT, "domain controller: mock b.example.test:636");

    /* every DC refused the bind: an authentication error, not "no DC" */
    mock_reset();
    mock_outcome("a.example.test:389", SCPAUTH_EDIRAUTH);
    mock_outcome("b.example.test:636", SCPAUTH_EDIRAUTH);
    o.n_dcs = 2;
    o.dcs = two;
    rc = scpauth_dir_open(&o, &dir, &err);
    expect_error(rc, &err, SCPAUTH_EDIRAUTH, "no domain controller");

    /* expired credentials: no other DC can help, stop at once */
    mock_reset();
    mock_outcome("a.example.test:389", SCPAUTH_ECREDEXPIRED);
    rc = scpauth_dir_open(&o, &dir, &err);
    assert_int_equal(rc, SCPAUTH_ECREDEXPIRED);
    assert_int_equal(mock.connects, 1);
    assert_int_equal(mock.open_conns, 0);
}

static void test_open_no_srv_no_creds(void **state)
{
    (void)state;
    scpauth_dir_options o = mock_options(NULL, 0);
    scpauth_dir *dir;
    scpauth_error err;
    expect_error(scpauth_dir_open(&o, &dir, &err), &err, SCPAUTH_ENODC,
                 "_ldap._tcp.dc._msdcs.example.test");
    assert_non_null(strstr(err.hint, "--dc"));
    mock.creds_rc = SCPAUTH_ENOCREDS;
    assert_int_equal(scpauth_dir_open(&o, &dir, &err), SCPAUTH_ENOCREDS);
    mock.creds_rc = SCPAUTH_OK;
    snprintf(mock.principal, sizeof(mock.principal), "norealm");
    expect_error(scpauth_dir_open(&o, &dir, &err), &err, SCPAUTH_EINVAL, "no realm");
    static const char *const bad[] = {"dc1:99999"};
    o = mock_options(bad, 1);
    expect_error(scpauth_dir_open(&o, &dir, &err), &err, SCPAUTH_EINVAL, "dc1:99999");
    o = mock_options(NULL, 0);
    o.domain = "bad domain";
    expect_error(scpauth_dir_open(&o, &dir, &err), &err, SCPAUTH_EINVAL, "bad domain");
}

/* ---- accounts ------------------------------------------------------------------- */

static void test_account_find(void **state)
{
    (void)state;
    scpauth_dir *dir = open_dc1();
    scpauth_dir_account a;
    scpauth_error err;
    assert_int_equal(scpauth_dir_account_find(dir, "SVCHOST1$", &a, &err), SCPAUTH_OK);
    assert_string_equal(a.dn, "CN=SVCHOST1,CN=Computers,DC=example,DC=test");
    assert_true(a.is_computer);
    assert_string_equal(a.dns_host_name, "svchost1.example.test");
    assert_int_equal(scpauth_dir_account_find(dir, "EXAMPLE\\svc-myapp", &a, &err), SCPAUTH_OK);
    assert_string_equal(a.dn, SVC_DN);
    assert_false(a.is_computer);
    assert_int_equal(scpauth_dir_account_find(dir, "example.test\\svc-myapp", &a, &err),
                     SCPAUTH_OK);
    assert_int_equal(scpauth_dir_account_find(dir, "cn=SVC-MYAPP,cn=users,dc=example,dc=test",
                                              &a, &err),
                     SCPAUTH_OK);
    expect_error(scpauth_dir_account_find(dir, "OTHER\\svc-myapp", &a, &err), &err,
                 SCPAUTH_ENOTFOUND, "not this session's domain");
    expect_error(scpauth_dir_account_find(dir, "SVCHOST1", &a, &err), &err, SCPAUTH_ENOTFOUND,
                 "\"SVCHOST1\" not found");
    assert_non_null(strstr(err.hint, "HOST$"));
    expect_error(scpauth_dir_account_find(dir, "CN=nobody,DC=example,DC=test", &a, &err), &err,
                 SCPAUTH_ENOTFOUND, "nobody");
    mock_account("dup", "svc-myapp", 0, NULL);
    expect_error(scpauth_dir_account_find(dir, "svc-myapp", &a, &err), &err, SCPAUTH_EDIR,
                 "ambiguous");
    expect_error(scpauth_dir_account_find(dir, "a*b", &a, &err), &err, SCPAUTH_EINVAL, "a*b");
    scpauth_dir_close(dir);
}

static void test_account_self(void **state)
{
    (void)state;
    snprintf(mock.principal, sizeof(mock.principal), "SVCHOST1$@EXAMPLE.TEST");
    scpauth_dir *dir = open_dc1();
    scpauth_dir_account a;
    scpauth_error err;
    /* named explicitly before any "self" lookup: still known to be ours */
    assert_int_equal(scpauth_dir_account_find(dir, "SVCHOST1$", &a, &err), SCPAUTH_OK);
    assert_true(a.is_self);
    assert_int_equal(scpauth_dir_account_find(dir, "self", &a, &err), SCPAUTH_OK);
    assert_string_equal(a.sam_account_name, "SVCHOST1$");
    assert_true(a.is_self);
    assert_int_equal(scpauth_dir_account_find(dir, "svc-myapp", &a, &err), SCPAUTH_OK);
    assert_false(a.is_self);
    scpauth_dir_close(dir);

    /* a UPN match wins over another account's sAMAccountName */
    setup(NULL);
    mock_entry *e = mock_account("Alice Smith", "asmith", 0, NULL);
    mock_attr_add(e, "userPrincipalName", "alice@EXAMPLE.TEST");
    mock_account("alice", "alice", 0, NULL);
    snprintf(mock.principal, sizeof(mock.principal), "alice@EXAMPLE.TEST");
    dir = open_dc1();
    int rc = scpauth_dir_account_find(dir, "self", &a, &err);
    if (rc != SCPAUTH_OK)
        print_error("self: %s\n", err.message);
    assert_int_equal(rc, SCPAUTH_OK);
    assert_string_equal(a.sam_account_name, "asmith");
    scpauth_dir_close(dir);

    snprintf(mock.principal, sizeof(mock.principal), "ghost@EXAMPLE.TEST");
    dir = open_dc1();
    expect_error(scpauth_dir_account_find(dir, "self", &a, &err), &err, SCPAUTH_ENOTFOUND,
                 "ghost@EXAMPLE.TEST");
    scpauth_dir_close(dir);
}

/* ---- writes ------------------------------------------------------------------------- */

static void test_add(void **state)
{
    (void)state;
    scpauth_dir *dir = open_dc1();
    const char *spns[] = {"itest/a.example.test", "MYAPP/svchost1.example.test"};
    scpauth_dir_spn_result r;
    scpauth_error err;
    assert_int_equal(scpauth_dir_spn_write(dir, SCPAUTH_DIR_SPN_ADD, "svc-myapp", spns, 2, &r,
                                           &err),
                     SCPAUTH_OK);
    assert_int_equal(r.added.count, 1);
    assert_string_equal(r.added.items[0], "itest/a.example.test");
    assert_int_equal(r.kept.count, 1);
    assert_string_equal(r.account.dn, SVC_DN);
    assert_int_equal(mock.writes, 1);
    assert_int_equal(mock.last_op, SCPAUTH_DIR_SPN_ADD);
    assert_int_equal(mock.last_n, 1); /* only what is new is sent */
    assert_int_equal(mock.gc_connects, 1); /* duplicates looked up forest-wide */
    assert_int_equal(mock_find_attr(SVC_DN, "servicePrincipalName")->n, 3);
    scpauth_dir_spn_result_free(&r);
    /* again: nothing to write */
    assert_int_equal(scpauth_dir_spn_write(dir, SCPAUTH_DIR_SPN_ADD, "svc-myapp", spns, 2, &r,
                                           &err),
                     SCPAUTH_OK);
    assert_int_equal(r.added.count, 0);
    assert_int_equal(mock.writes, 1);
    assert_int_equal(mock.gc_connects, 1); /* the GC connection is kept */
    scpauth_dir_spn_result_free(&r);
    const char *bad[] = {"not an spn"};
    assert_int_equal(scpauth_dir_spn_write(dir, SCPAUTH_DIR_SPN_ADD, "svc-myapp", bad, 1, NULL,
                                           &err),
                     SCPAUTH_ESPNSYNTAX);
    scpauth_dir_close(dir);
}

static void test_add_duplicate_refused_before_write(void **state)
{
    (void)state;
    scpauth_dir *dir = open_dc1();
    const char *spns[] = {"new/x.example.test", "myapp/svchost1.example.test:4444"};
    scpauth_error err;
    int rc = scpauth_dir_spn_write(dir, SCPAUTH_DIR_SPN_ADD, "SVCHOST2$", spns, 2, NULL, &err);
    expect_error(rc, &err, SCPAUTH_ECONFLICT, "myapp/svchost1.example.test:4444 is registered "
                                              "on svc-myapp (" SVC_DN ")");
    assert_non_null(strstr(err.message, "nothing was written"));
    assert_non_null(strstr(err.hint, "scpauth spn query myapp/svchost1.example.test:4444"));
    assert_int_equal(mock.writes, 0);
    assert_null(strstr(err.message, "new/x"));
    scpauth_dir_close(dir);
}

static void test_gc_unreachable(void **state)
{
    (void)state;
    static const char *const dcs[] = {DC1};
    mock_outcome(DC1 ":3268", SCPAUTH_ECONNREFUSED);
    scpauth_dir_options o = mock_options(dcs, 1);
    scpauth_dir *dir;
    scpauth_error err;
    assert_int_equal(scpauth_dir_open(&o, &dir, &err), SCPAUTH_OK);
    /* without a GC, duplicates are still found in the domain */
    const char *spns[] = {"myapp/svchost1.example.test"};
    expect_error(scpauth_dir_spn_write(dir, SCPAUTH_DIR_SPN_ADD, "SVCHOST2$", spns, 1, NULL,
                                       &err),
                 &err, SCPAUTH_ECONFLICT, "svc-myapp");
    /* a forest-wide query says why it cannot answer */
    scpauth_dir_owner_list owners;
    expect_error(scpauth_dir_spn_query(dir, spns[0], &owners, &err), &err, SCPAUTH_ECONNREFUSED,
                 "cannot ask the forest who owns myapp/svchost1.example.test");
    scpauth_dir_close(dir);
}

static void test_dc_refusals_explained(void **state)
{
    (void)state;
    snprintf(mock.principal, sizeof(mock.principal), "SVCHOST1$@EXAMPLE.TEST");
    scpauth_dir *dir = open_dc1();
    scpauth_error err;
    const char *spns[] = {"myapp2/svchost2.example.test", "myapp2/svchost1.example.test/x.test",
                          "myapp2/svchost1.example.test:80"};
    mock.write_rc = SCPAUTH_EDIRACCESS;
    snprintf(mock.write_msg, sizeof(mock.write_msg),
             "Constraint violation (acl: spn validation failed for spn[...])");
    int rc = scpauth_dir_spn_write(dir, SCPAUTH_DIR_SPN_ADD, "self", spns, 3, NULL, &err);
    expect_error(rc, &err, SCPAUTH_EDIRACCESS, "validated write");
    assert_non_null(strstr(err.message, "myapp2/svchost2.example.test: host svchost2.example."
                                        "test is not this computer (svchost1.example.test)"));
    assert_non_null(strstr(err.message, "three-part SPN"));
    assert_null(strstr(err.message, "svchost1.example.test:80:")); /* its own host: fine */
    assert_non_null(strstr(err.message, "spn validation failed"));
    assert_non_null(strstr(err.hint, "an administrator must register"));
    assert_non_null(strstr(err.hint, "scpauth spn add --account 'SVCHOST1$' "
                                     "myapp2/svchost2.example.test"));
    /* the same refusal on another account: rights, not validated write */
    rc = scpauth_dir_spn_write(dir, SCPAUTH_DIR_SPN_DELETE, "svc-myapp", svc_spns, 1, NULL, &err);
    expect_error(rc, &err, SCPAUTH_EDIRACCESS, "may not change its servicePrincipalName");
    assert_non_null(strstr(err.hint, "scpauth spn delete --account svc-myapp"));
    /* a duplicate the DC itself found */
    mock.write_rc = SCPAUTH_ECONFLICT;
    snprintf(mock.write_msg, sizeof(mock.write_msg), "samldb: spn[x] would cause a conflict");
    rc = scpauth_dir_spn_write(dir, SCPAUTH_DIR_SPN_ADD, "self", spns + 2, 1, NULL, &err);
    expect_error(rc, &err, SCPAUTH_ECONFLICT, "already registered on another account");
    assert_non_null(strstr(err.message, "would cause a conflict"));
    assert_non_null(strstr(err.hint, "scpauth spn query"));
    scpauth_dir_close(dir);
}

static void test_replace_and_delete(void **state)
{
    (void)state;
    scpauth_dir *dir = open_dc1();
    scpauth_dir_spn_result r;
    scpauth_error err;
    const char *rep[] = {"myapp/svchost1.example.test", "itest/r.example.test"};
    assert_int_equal(scpauth_dir_spn_write(dir, SCPAUTH_DIR_SPN_REPLACE, "svc-myapp", rep, 2, &r,
                                           &err),
                     SCPAUTH_OK);
    assert_int_equal(mock.last_op, SCPAUTH_DIR_SPN_REPLACE);
    assert_int_equal(mock.last_n, 2); /* the whole new set */
    assert_int_equal(r.removed.count, 1);
    assert_string_equal(r.removed.items[0], "myapp/svchost1.example.test:4444");
    assert_int_equal(r.added.count, 1);
    assert_int_equal(r.kept.count, 1);
    scpauth_dir_spn_result_free(&r);

    const char *del[] = {"ITEST/r.example.test", "itest/gone.example.test"};
    assert_int_equal(scpauth_dir_spn_write(dir, SCPAUTH_DIR_SPN_DELETE, "svc-myapp", del, 2, &r,
                                           &err),
                     SCPAUTH_OK);
    assert_int_equal(mock.last_op, SCPAUTH_DIR_SPN_DELETE);
    assert_int_equal(mock.last_n, 1);
    assert_string_equal(mock.last_values[0], "itest/r.example.test"); /* as stored */
    assert_int_equal(r.absent.count, 1);
    scpauth_dir_spn_result_free(&r);
    size_t writes = mock.writes;
    assert_int_equal(scpauth_dir_spn_write(dir, SCPAUTH_DIR_SPN_DELETE, "svc-myapp", del + 1, 1,
                                           &r, &err),
                     SCPAUTH_OK);
    assert_int_equal(mock.writes, writes); /* nothing held: nothing written */
    scpauth_dir_spn_result_free(&r);

    /* replace with no SPN removes every one */
    assert_int_equal(scpauth_dir_spn_write(dir, SCPAUTH_DIR_SPN_REPLACE, "svc-myapp", NULL, 0, &r,
                                           &err),
                     SCPAUTH_OK);
    assert_int_equal(mock.last_n, 0);
    assert_int_equal(mock_find_attr(SVC_DN, "servicePrincipalName")->n, 0);
    scpauth_dir_spn_result_free(&r);
    scpauth_dir_close(dir);
}

/* ---- reads ------------------------------------------------------------------------------ */

static void test_list_ranges(void **state)
{
    (void)state;
    mock_entry *e = mock_account("big", "big", 0, NULL);
    char spn[64];
    for (int i = 0; i < 7; i++) {
        snprintf(spn, sizeof(spn), "svc%d/big.example.test", i);
        mock_attr_add(e, "servicePrincipalName", spn);
    }
    mock.range_limit = 3; /* AD's MaxValRange, scaled down */
    scpauth_dir *dir = open_dc1();
    scpauth_spn_list l = SCPAUTH_SPN_LIST_INIT;
    scpauth_dir_account a;
    scpauth_error err;
    assert_int_equal(scpauth_dir_spn_list(dir, "big", &a, &l, &err), SCPAUTH_OK);
    assert_int_equal(l.count, 7);
    assert_string_equal(l.items[6], "svc6/big.example.test");
    assert_string_equal(a.sam_account_name, "big");
    scpauth_spn_list_free(&l);
    /* a server whose ranges do not follow on is refused, not looped on */
    mock.range_skip = 1;
    expect_error(scpauth_dir_spn_list(dir, "big", NULL, &l, &err), &err, SCPAUTH_EDIR, "range");
    assert_int_equal(l.count, 0);
    scpauth_dir_close(dir);
}

static void test_query(void **state)
{
    (void)state;
    scpauth_dir *dir = open_dc1();
    scpauth_dir_owner_list owners;
    scpauth_error err;
    assert_int_equal(scpauth_dir_spn_query(dir, "host/SVCHOST1", &owners, &err), SCPAUTH_OK);
    assert_int_equal(owners.count, 1);
    assert_string_equal(owners.items[0].sam_account_name, "SVCHOST1$");
    assert_true(owners.items[0].is_computer);
    scpauth_dir_owner_list_free(&owners);
    assert_int_equal(scpauth_dir_spn_query(dir, "none/x", &owners, &err), SCPAUTH_OK);
    assert_int_equal(owners.count, 0);
    /* filter metacharacters are data, not wildcards */
    assert_int_equal(scpauth_dir_spn_query(dir, "host/*", &owners, &err), SCPAUTH_OK);
    assert_int_equal(owners.count, 0);
    assert_int_equal(scpauth_dir_spn_query(dir, "noslash", &owners, &err), SCPAUTH_ESPNSYNTAX);
    scpauth_dir_close(dir);
}

static void test_check(void **state)
{
    (void)state;
    snprintf(mock.principal, sizeof(mock.principal), "SVCHOST1$@EXAMPLE.TEST");
    scpauth_dir *dir = open_dc1();
    scpauth_error err;
    const char *ok[] = {"host/svchost1.example.test"};
    assert_int_equal(scpauth_dir_spn_check(dir, "self", ok, 1, &err), SCPAUTH_OK);
    const char *want[] = {"HOST/svchost1", "myapp/svchost1.example.test", "new/svchost1"};
    int rc = scpauth_dir_spn_check(dir, "self", want, 3, &err);
    expect_error(rc, &err, SCPAUTH_ENOSPN, "2 SPN(s) not registered on SVCHOST1$");
    assert_non_null(strstr(err.message, "myapp/svchost1.example.test, new/svchost1"));
    assert_non_null(strstr(err.message, "myapp/svchost1.example.test is registered on " SVC_DN));
    assert_non_null(strstr(err.hint, "scpauth spn add --account 'SVCHOST1$' "
                                     "myapp/svchost1.example.test new/svchost1"));
    assert_int_equal(mock.writes, 0);
    scpauth_dir_close(dir);
}

static void test_untrusted_values(void **state)
{
    (void)state;
    mock_entry *e = mock_account("evil", "ev\xc0\xafil", 0, NULL);
    (void)e;
    scpauth_dir *dir = open_dc1();
    scpauth_dir_account a;
    scpauth_error err;
    expect_error(scpauth_dir_account_find(dir, "CN=evil,CN=Users,DC=example,DC=test", &a, &err),
                 &err, SCPAUTH_EDIR, "not UTF-8");
    scpauth_dir_close(dir);
}

static void test_null_arguments(void **state)
{
    (void)state;
    scpauth_error err;
    scpauth_dir *dir = NULL;
    assert_int_equal(scpauth_dir_open(NULL, &dir, &err), SCPAUTH_EINVAL);
    scpauth_dir_options o = mock_options(NULL, 3);
    assert_int_equal(scpauth_dir_open(&o, &dir, &err), SCPAUTH_EINVAL);
    assert_int_equal(scpauth_dir_spn_write(NULL, SCPAUTH_DIR_SPN_ADD, "x", NULL, 0, NULL, &err),
                     SCPAUTH_EINVAL);
    assert_int_equal(scpauth_dir_spn_check(NULL, "x", NULL, 0, &err), SCPAUTH_EINVAL);
    assert_int_equal(scpauth_dir_info_get(NULL, NULL, &err), SCPAUTH_EINVAL);
    scpauth_dir_close(NULL);
    scpauth_dir_spn_result_free(NULL);
    scpauth_dir_owner_list_free(NULL);
    assert_string_equal(scpauth_dir_backend_name(NULL), "");
    assert_null(scpauth_dir_backend_find("nope"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_open_explicit_failover, setup),
        cmocka_unit_test_setup(test_open_srv_order_and_failover, setup),
        cmocka_unit_test_setup(test_open_failures, setup),
        cmocka_unit_test_setup(test_open_no_srv_no_creds, setup),
        cmocka_unit_test_setup(test_account_find, setup),
        cmocka_unit_test_setup(test_account_self, setup),
        cmocka_unit_test_setup(test_add, setup),
        cmocka_unit_test_setup(test_add_duplicate_refused_before_write, setup),
        cmocka_unit_test_setup(test_gc_unreachable, setup),
        cmocka_unit_test_setup(test_dc_refusals_explained, setup),
        cmocka_unit_test_setup(test_replace_and_delete, setup),
        cmocka_unit_test_setup(test_list_ranges, setup),
        cmocka_unit_test_setup(test_query, setup),
        cmocka_unit_test_setup(test_check, setup),
        cmocka_unit_test_setup(test_untrusted_values, setup),
        cmocka_unit_test_setup(test_null_arguments, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
