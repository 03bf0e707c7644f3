/* test_scp_locate_lazy.c - what locate costs in connections and searches:
 * with defer_dc it binds to the global catalog alone, and every SCP's
 * trust checks share one search; the DC is bound only when an operation
 * needs it, and a DC that cannot be bound is reported there, once. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "scp_ops.h"
#include "test_dir_mock.h"

#define COMPUTERS "CN=Computers,DC=example,DC=test"
#define KEYWORD "3f2504e0-4f89-11d3-9a0c-0305e82c3301"

static struct scpauth_dir_backend backend; /* the mock, searches counted */
static size_t searches;

static int counting_search(void *bconn, unsigned timeout_ms, const scpauth__dir_query *q,
                           scpauth__dir_entries *out, scpauth_error *err)
{
    searches++;
    return mock_dir_backend.search(bconn, timeout_ms, q, out, err);
}

static void plant_scp(const char *host_cn, const char *host)
{
    char dn[256];
    snprintf(dn, sizeof(dn), "CN=myapp-4444,CN=%s," COMPUTERS, host_cn);
    mock_entry *e = mock_add(dn);
    mock_attr_add(e, "objectClass", "serviceConnectionPoint");
    mock_attr_add(e, "keywords", KEYWORD);
    mock_attr_add(e, "serviceClassName", "myapp");
    mock_attr_add(e, "serviceDNSName", host);
    mock_attr_add(e, "serviceDNSNameType", "A");
    mock_attr_add(e, "serviceBindingInformation", "4444");
}

static int setup(void **state)
{
    (void)state;
    static const char *const svc[] = {"myapp/svchost1.example.test:4444", NULL};
    mock_reset();
    mock_add(COMPUTERS);
    mock_account("svc-myapp", "svc-myapp", 0, svc);
    mock_account("SVCHOST1", "SVCHOST1$", 1, NULL);
    mock_account("SVCHOST2", "SVCHOST2$", 1, NULL);
    plant_scp("SVCHOST1", "svchost1.example.test");
    plant_scp("SVCHOST2", "svchost1.example.test"); /* planted: names another host */
    backend = mock_dir_backend;
    backend.search = counting_search;
    searches = 0;
    return 0;
}

static scpauth_dir *open_deferred(const char *const *dcs, size_t n)
{
    scpauth_dir_options o = mock_options(dcs, n);
    o.backend = &backend;
    o.defer_dc = 1;
    scpauth_dir *dir = NULL;
    assert_int_equal(scpauth_dir_open(&o, &dir, NULL), SCPAUTH_OK);
    return dir;
}

static void locate_one(scpauth_dir *dir)
{
    scpauth_scp_locate_options o;
    memset(&o, 0, sizeof(o));
    o.keyword = KEYWORD;
    scpauth_scp_located_list l;
    scpauth_error err;
    scpauth_error_clear(&err);
    assert_int_equal(scpauth_scp_locate(dir, &o, &l, &err), SCPAUTH_OK);
    assert_int_equal(l.n_seen, 2);
    assert_int_equal(l.count, 1);
    assert_string_equal(l.items[0].owner_sam, "svc-myapp");
    assert_string_equal(l.items[0].host_dn, "CN=SVCHOST1," COMPUTERS);
    assert_int_equal(l.n_rejected, 1);
    assert_non_null(strstr(l.rejected[0].error.message, "SVCHOST2$"));
    scpauth_scp_located_list_free(&l);
}

static void test_locate_binds_gc_only(void **state)
{
    (void)state;
    static const char *const dcs[] = {"dc1.example.test"};
    scpauth_dir *dir = open_deferred(dcs, 1);
    assert_int_equal(mock.connects, 0);
    locate_one(dir);
    assert_int_equal(mock.connects, 1);
    assert_int_equal(mock.gc_connects, 1);
    assert_int_equal(searches, 2); /* the SCPs, then every check at once */
    scpauth_dir_info info;
    assert_int_equal(scpauth_dir_info_get(dir, &info, NULL), SCPAUTH_OK);
    assert_string_equal(info.dc, "");
    /* an operation on the domain binds the DC then */
    scpauth_dir_account a;
    assert_int_equal(scpauth_dir_account_find(dir, "svc-myapp", &a, NULL), SCPAUTH_OK);
    assert_int_equal(mock.connects, 2);
    assert_int_equal(scpauth_dir_info_get(dir, &info, NULL), SCPAUTH_OK);
    assert_string_equal(info.dc, "dc1.example.test");
    assert_string_equal(info.base_dn, "DC=example,DC=test");
    scpauth_dir_close(dir);
}

static void test_unreachable_dc_reported_once(void **state)
{
    (void)state;
    static const char *const dcs[] = {"dc1.example.test"};
    mock_outcome("dc1.example.test:389", SCPAUTH_ECONNREFUSED);
    scpauth_dir *dir = open_deferred(dcs, 1);
    locate_one(dir); /* the global catalog answers */
    scpauth_dir_account a;
    scpauth_error err;
    scpauth_error_clear(&err);
    assert_int_equal(scpauth_dir_account_find(dir, "svc-myapp", &a, &err), SCPAUTH_ECONNREFUSED);
    assert_non_null(strstr(err.message, "dc1.example.test"));
    size_t tried = mock.connects;
    scpauth_error_clear(&err);
    assert_int_equal(scpauth_dir_account_find(dir, "svc-myapp", &a, &err), SCPAUTH_ECONNREFUSED);
    assert_non_null(strstr(err.message, "dc1.example.test"));
    assert_int_equal(mock.connects, tried);
    scpauth_dir_close(dir);
}

static void test_gc_discovered_by_domain(void **state)
{
    (void)state;
    mock.n_srv = 1;
    mock.srv[0].port = SCPAUTH_DIR_PORT_GC;
    snprintf(mock.srv[0].target, sizeof(mock.srv[0].target), "dc1.example.test");
    scpauth_dir *dir = open_deferred(NULL, 0);
    locate_one(dir);
    assert_int_equal(mock.n_lookups, 1);
    assert_string_equal(mock.srv_qnames[0], "_gc._tcp.example.test");
    assert_int_equal(mock.connects, 1);
    scpauth_dir_close(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_locate_binds_gc_only, setup),
        cmocka_unit_test_setup(test_unreachable_dc_reported_once, setup),
        cmocka_unit_test_setup(test_gc_discovered_by_domain, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
