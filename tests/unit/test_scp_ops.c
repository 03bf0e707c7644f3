/* test_scp_ops.c - SCP publication, update, removal and location with its
 * trust checks, over the directory mock (test_dir_mock.h) extended with
 * object writes and binds by "<GUID=...>". */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "scp_ops.h"
#include "test_dir_mock.h"

#define COMPUTERS "CN=Computers,DC=example,DC=test"
#define H1_DN "CN=SVCHOST1," COMPUTERS
#define H2_DN "CN=SVCHOST2," COMPUTERS
#define SCP1_DN "CN=myapp-4444," H1_DN
#define KEYWORD "3f2504e0-4f89-11d3-9a0c-0305e82c3301"
#define SPN "myapp/svchost1.example.test:4444"

static struct scpauth_dir_backend backend; /* the mock + the writes below */
static unsigned n_guids;
static size_t adds, replaces, deletes;

static mock_entry *entry_of(const char *dn)
{
    for (size_t i = 0; i < mock.n_entries; i++)
        if (scpauth__dn_equal(mock.entries[i].dn, dn))
            return &mock.entries[i];
    return NULL;
}

static int w_add(void *bconn, unsigned timeout_ms, const scpauth_entry *entry,
                 scpauth_error *err)
{
    (void)bconn;
    (void)timeout_ms;
    adds++;
    char parent[SCPAUTH_DIR_DN_MAX];
    if (entry_of(entry->dn) != NULL)
        return scpauth__error_set(err, SCPAUTH_ECONFLICT, "%s exists", entry->dn);
    if (scpauth__dn_parent(entry->dn, parent, sizeof(parent), err) != SCPAUTH_OK ||
        entry_of(parent) == NULL)
        return scpauth__error_set(err, SCPAUTH_ENOTFOUND, "no parent of %s", entry->dn);
    mock_entry *e = mock_add(entry->dn);
    for (size_t i = 0; i < entry->count; i++)
        for (size_t k = 0; k < entry->attrs[i].count; k++)
            mock_attr_add(e, entry->attrs[i].name, entry->attrs[i].values[k].data);
    char guid[17]; /* no zero byte: the mock keeps values as C strings */
    n_guids++;
    for (size_t i = 0; i < 16; i++)
        guid[i] = (char)(0x11 * (i % 8 + 1) + n_guids);
    guid[16] = '\0';
    mock_attr_add(e, "objectGUID", guid);
    return SCPAUTH_OK;
}

static int w_replace(void *bconn, unsigned timeout_ms, const char *dn,
                     const scpauth_entry_attr *attrs, size_t n, scpauth_error *err)
{
    (void)bconn;
    (void)timeout_ms;
    replaces++;
    mock_entry *e = entry_of(dn);
    if (e == NULL)
        return scpauth__error_set(err, SCPAUTH_ENOTFOUND, "no %s", dn);
    for (size_t i = 0; i < n; i++) {
        mock_attr *a = (mock_attr *)mock_find_attr(dn, attrs[i].name);
        if (a != NULL)
            a->n = 0;
        for (size_t k = 0; k < attrs[i].count; k++)
            mock_attr_add(e, attrs[i].name, attrs[i].values[k].data);
    }
    return SCPAUTH_OK;
}

static int w_delete(void *bconn, unsigned timeout_ms, const char *dn, scpauth_error *err)
{
    (void)bconn;
    (void)timeout_ms;
    deletes++;
    mock_entry *e = entry_of(dn);
    if (e == NULL)
        return scpauth__error_set(err, SCPAUTH_ENOTFOUND, "no %s", dn);
    size_t i = (size_t)(e - mock.entries);
    memmove(e, e + 1, (mock.n_entries - i - 1) * sizeof(*e));
    mock.n_entries--;
    return SCPAUTH_OK;
}

/* "<GUID=...>" bases become the DN of the entry with that objectGUID. */
static int w_search(void *bconn, unsigned timeout_ms, const scpauth__dir_query *q,
                    scpauth__dir_entries *out, scpauth_error *err)
{
    scpauth_guid g;
    if (strncmp(q->base, "<GUID=", 6) != 0)
        return mock_dir_backend.search(bconn, timeout_ms, q, out, err);
    assert_int_equal(scpauth_guid_from_dn(q->base, strlen(q->base), &g, NULL), SCPAUTH_OK);
    for (size_t i = 0; i < mock.n_entries; i++) {
        const mock_attr *a = mock_find_attr(mock.entries[i].dn, "objectGUID");
        if (a != NULL && memcmp(a->values[0], g.bytes, 16) == 0) {
            scpauth__dir_query byname = *q;
            byname.base = mock.entries[i].dn;
            return mock_dir_backend.search(bconn, timeout_ms, &byname, out, err);
        }
    }
    return SCPAUTH_OK;
}

static const char *const svc_spns[] = {"myapp/svchost1.example.test", SPN, NULL};
static const char *const host1_spns[] = {"HOST/svchost1.example.test", NULL};
static const char *const host2_spns[] = {"HOST/svchost2.example.test", NULL};

static int setup(void **state)
{
    (void)state;
    mock_reset();
    mock_add(COMPUTERS);
    mock_account("svc-myapp", "svc-myapp", 0, svc_spns);
    mock_account("SVCHOST1", "SVCHOST1$", 1, host1_spns);
    mock_account("SVCHOST2", "SVCHOST2$", 1, host2_spns);
    snprintf(mock.principal, sizeof(mock.principal), "SVCHOST1$@EXAMPLE.TEST");
    backend = mock_dir_backend;
    backend.search = w_search;
    backend.entry_add = w_add;
    backend.entry_replace = w_replace;
    backend.entry_delete = w_delete;
    n_guids = 0;
    adds = replaces = deletes = 0;
    return 0;
}

static scpauth_dir *open_dir(const struct scpauth_dir_backend *b)
{
    static const char *const dcs[] = {"dc1.example.test"};
    scpauth_dir_options o = mock_options(dcs, 1);
    o.backend = b;
    scpauth_dir *dir = NULL;
    scpauth_error err;
    scpauth_error_clear(&err);
    int rc = scpauth_dir_open(&o, &dir, &err);
    if (rc != SCPAUTH_OK)
        print_error("open: %s\n", err.message);
    assert_int_equal(rc, SCPAUTH_OK);
    return dir;
}

static void expect_error(int rc, const scpauth_error *err, int code, const char *needle)
{
    if (rc != code || strstr(err->message, needle) == NULL)
        print_error("got %s \"%s\", wanted %s mentioning \"%s\"\n", scpauth_err_name(rc),
                    err->message, scpauth_err_name(code), needle);
    assert_int_equal(rc, code);
    assert_non_null(strstr(err->message, needle));
}

static scpauth_scp_params params(const char *cls, unsigned port, const char *instance,
                                 const char *parent)
{
    scpauth_scp_params p;
    memset(&p, 0, sizeof(p));
    p.service_class = cls;
    p.dns_name = "svchost1.example.test";
    p.port = port;
    p.guid_keyword = KEYWORD;
    p.instance = instance;
    p.parent_dn = parent;
    return p;
}

/* Publishes as SVCHOST1$ (its computer object found from the host name). */
static scpauth_scp_written publish(scpauth_dir *dir, const scpauth_scp_params *p)
{
    scpauth_scp_written w;
    scpauth_error err;
    scpauth_error_clear(&err);
    int rc = scpauth_scp_publish(dir, p, NULL, &w, &err);
    if (rc != SCPAUTH_OK)
        print_error("publish: %s\n", err.message);
    assert_int_equal(rc, SCPAUTH_OK);
    return w;
}

static void test_publish_reads_guid_back(void **state)
{
    (void)state;
    scpauth_dir *dir = open_dir(&backend);
    scpauth_scp_params p = params("myapp", 4444, NULL, NULL);
    scpauth_scp_written w = publish(dir, &p);
    assert_string_equal(w.dn, SCP1_DN);
    const mock_attr *g = mock_find_attr(SCP1_DN, "objectGUID");
    assert_non_null(g);
    assert_memory_equal(w.guid.bytes, g->values[0], 16);
    const mock_attr *b = mock_find_attr(SCP1_DN, "serviceBindingInformation");
    assert_int_equal(b->n, 1);
    assert_string_equal(b->values[0], "4444");
    scpauth_dir_close(dir);
}

static void test_publish_finds_computer_by_host(void **state)
{
    (void)state;
    /* sAMAccountName unlike the host's first label: found by dNSHostName */
    mock_account("WEB7", "LEGACY-NAME$", 1, NULL);
    scpauth_dir *dir = open_dir(&backend);
    scpauth_scp_params p = params("myapp", 4444, NULL, NULL);
    p.dns_name = "web7.example.test";
    scpauth_scp_written w = publish(dir, &p);
    assert_string_equal(w.dn, "CN=myapp-4444,CN=WEB7," COMPUTERS);
    /* no computer with that host name: HOST$ is tried, and named */
    p.dns_name = "nohost.example.test";
    scpauth_error err;
    scpauth_error_clear(&err);
    int rc = scpauth_scp_publish(dir, &p, NULL, &w, &err);
    expect_error(rc, &err, SCPAUTH_ENOTFOUND, "NOHOST$");
    assert_int_equal(adds, 1);
    scpauth_dir_close(dir);
}

static void test_publish_refusals(void **state)
{
    (void)state;
    scpauth_dir *dir = open_dir(&backend);
    scpauth_scp_params p = params("myapp", 4444, NULL, NULL);
    scpauth_scp_written w;
    scpauth_error err;
    scpauth_error_clear(&err);
    /* another computer's object: locate would reject it, so nothing is written */
    int rc = scpauth_scp_publish(dir, &p, "SVCHOST2$", &w, &err);
    expect_error(rc, &err, SCPAUTH_ESCPUNTRUSTED, "svchost2.example.test");
    assert_int_equal(adds, 0);
    rc = scpauth_scp_publish(dir, &p, "svc-myapp", &w, &err);
    expect_error(rc, &err, SCPAUTH_ESCPUNTRUSTED, "is not a computer");
    (void)publish(dir, &p);
    rc = scpauth_scp_publish(dir, &p, NULL, &w, &err);
    expect_error(rc, &err, SCPAUTH_ECONFLICT, SCP1_DN);
    assert_non_null(strstr(err.hint, "--instance"));
    p.port = 0;
    rc = scpauth_scp_publish(dir, &p, NULL, &w, &err);
    assert_int_equal(rc, SCPAUTH_EINVAL);
    scpauth_dir_close(dir);
    /* a backend that cannot write says so */
    dir = open_dir(&mock_dir_backend);
    p.port = 4444;
    rc = scpauth_scp_publish(dir, &p, NULL, &w, &err);
    expect_error(rc, &err, SCPAUTH_ENOTSUP, "mock");
    scpauth_dir_close(dir);
}

static void test_update(void **state)
{
    (void)state;
    scpauth_dir *dir = open_dir(&backend);
    scpauth_scp_params p = params("myapp", 4444, NULL, NULL);
    scpauth_scp_written first = publish(dir, &p), w;
    scpauth_error err;
    scpauth_error_clear(&err);
    assert_int_equal(scpauth_scp_update(dir, &first.guid, &p, NULL, &w, &err), SCPAUTH_OK);
    assert_int_equal(w.changed, 0);
    assert_int_equal(w.recreated, 0);
    assert_int_equal(replaces, 0);
    p.port = 5555;
    assert_int_equal(scpauth_scp_update(dir, &first.guid, &p, NULL, &w, &err), SCPAUTH_OK);
    assert_int_equal(w.changed, 1);
    assert_memory_equal(w.guid.bytes, first.guid.bytes, 16);
    assert_string_equal(mock_find_attr(SCP1_DN, "serviceBindingInformation")->values[0], "5555");
    assert_string_equal(mock_find_attr(SCP1_DN, "cn")->values[0], "myapp-4444");
    /* removed behind the service's back: published again, with a new GUID */
    assert_int_equal(scpauth_scp_remove(dir, &first.guid, NULL, &err), SCPAUTH_OK);
    assert_int_equal(scpauth_scp_update(dir, &first.guid, &p, NULL, &w, &err), SCPAUTH_OK);
    assert_int_equal(w.recreated, 1);
    assert_string_equal(w.dn, "CN=myapp-5555," H1_DN);
    assert_memory_not_equal(w.guid.bytes, first.guid.bytes, 16);
    scpauth_dir_close(dir);
}

static void test_remove(void **state)
{
    (void)state;
    scpauth_dir *dir = open_dir(&backend);
    scpauth_scp_params p = params("myapp", 4444, NULL, NULL);
    scpauth_scp_written w = publish(dir, &p), r;
    scpauth_error err;
    scpauth_error_clear(&err);
    assert_int_equal(scpauth_scp_remove(dir, &w.guid, &r, &err), SCPAUTH_OK);
    assert_string_equal(r.dn, SCP1_DN);
    assert_null(entry_of(SCP1_DN));
    int rc = scpauth_scp_remove(dir, &w.guid, &r, &err);
    expect_error(rc, &err, SCPAUTH_ENOTFOUND, "objectGUID");
    scpauth_scp s;
    rc = scpauth_scp_read(dir, &w.guid, &s, &err);
    assert_int_equal(rc, SCPAUTH_ENOTFOUND);
    scpauth_dir_close(dir);
}

/* The good SCP, one planted under SVCHOST2 naming svchost1, one malformed. */
static void plant(scpauth_dir *dir)
{
    scpauth_scp_params p = params("myapp", 4444, NULL, NULL);
    (void)publish(dir, &p);
    p = params("myapp", 4444, "rogue", H2_DN);
    (void)publish(dir, &p);
    mock_entry *bad = mock_add("CN=myapp-bad," H1_DN);
    mock_attr_add(bad, "objectClass", "serviceConnectionPoint");
    mock_attr_add(bad, "keywords", KEYWORD);
    mock_attr_add(bad, "serviceClassName", "myapp");
    mock_attr_add(bad, "serviceDNSName", "svchost1.example.test");
    mock_attr_add(bad, "serviceDNSNameType", "A");
    mock_attr_add(bad, "serviceBindingInformation", "99999");
}

static int locate(scpauth_dir *dir, scpauth_scp_locate_options *o,
                  scpauth_scp_located_list *l, scpauth_error *err)
{
    o->keyword = KEYWORD;
    return scpauth_scp_locate(dir, o, l, err);
}

static const scpauth_scp_rejection *rejection(const scpauth_scp_located_list *l,
                                              const char *dn)
{
    for (size_t i = 0; i < l->n_rejected; i++)
        if (strcmp(l->rejected[i].dn, dn) == 0)
            return &l->rejected[i];
    return NULL;
}

static void test_locate_checks(void **state)
{
    (void)state;
    scpauth_dir *dir = open_dir(&backend);
    plant(dir);
    scpauth_scp_locate_options o;
    memset(&o, 0, sizeof(o));
    scpauth_scp_located_list l;
    scpauth_error err;
    scpauth_error_clear(&err);
    assert_int_equal(locate(dir, &o, &l, &err), SCPAUTH_OK);
    assert_int_equal(l.n_seen, 3);
    assert_int_equal(l.count, 1);
    assert_string_equal(l.items[0].scp.dn, SCP1_DN);
    assert_int_equal(l.items[0].scp.port, 4444);
    assert_string_equal(l.items[0].spn, SPN);
    assert_string_equal(l.items[0].owner_sam, "svc-myapp");
    assert_string_equal(l.items[0].host_dn, H1_DN);
    assert_int_equal(l.items[0].checked, 1);
    assert_int_equal(l.n_rejected, 2);
    const scpauth_scp_rejection *r = rejection(&l, "CN=myapp-rogue," H2_DN);
    assert_non_null(r);
    assert_int_equal(r->error.code, SCPAUTH_ESCPUNTRUSTED);
    assert_non_null(strstr(r->error.message, "SVCHOST2$"));
    assert_non_null(strstr(r->error.message, SPN));
    r = rejection(&l, "CN=myapp-bad," H1_DN);
    assert_non_null(r);
    assert_int_equal(r->error.code, SCPAUTH_ESCPINVALID);
    assert_non_null(strstr(r->error.message, "serviceBindingInformation"));
    scpauth_scp_located_list_free(&l);

    /* the owner is not the expected account */
    o.expect_account = "SVCHOST1$";
    int rc = locate(dir, &o, &l, &err);
    expect_error(rc, &err, SCPAUTH_ESCPUNTRUSTED, "not by the expected account SVCHOST1$");
    assert_non_null(strstr(err.message, "svc-myapp"));
    assert_int_equal(l.count, 0);
    scpauth_scp_located_list_free(&l);
    o.expect_account = "svc-myapp";
    assert_int_equal(locate(dir, &o, &l, &err), SCPAUTH_OK);
    assert_int_equal(l.count, 1);
    scpauth_scp_located_list_free(&l);

    /* checks off: the planted one too, in the model's order */
    o.expect_account = NULL;
    o.no_trust_checks = 1;
    assert_int_equal(locate(dir, &o, &l, &err), SCPAUTH_OK);
    assert_int_equal(l.count, 2);
    assert_string_equal(l.items[0].scp.dn, SCP1_DN);
    assert_string_equal(l.items[1].scp.dn, "CN=myapp-rogue," H2_DN);
    assert_int_equal(l.items[1].checked, 0);
    assert_int_equal(l.n_rejected, 1);
    scpauth_scp_located_list_free(&l);

    /* --base under SVCHOST2: only the planted one, rejected */
    o.no_trust_checks = 0;
    o.base = H2_DN;
    rc = locate(dir, &o, &l, &err);
    expect_error(rc, &err, SCPAUTH_ESCPUNTRUSTED, "whose dNSHostName is \"svchost2.example.test\"");
    scpauth_scp_located_list_free(&l);
    scpauth_dir_close(dir);
}

static void test_locate_spn_owners(void **state)
{
    (void)state;
    scpauth_dir *dir = open_dir(&backend);
    scpauth_scp_params p = params("other", 7000, NULL, NULL);
    (void)publish(dir, &p);
    scpauth_scp_locate_options o;
    memset(&o, 0, sizeof(o));
    scpauth_scp_located_list l;
    scpauth_error err;
    scpauth_error_clear(&err);
    int rc = locate(dir, &o, &l, &err);
    expect_error(rc, &err, SCPAUTH_ESCPUNTRUSTED, "no account in the forest owns SPN "
                                                  "other/svchost1.example.test:7000");
    scpauth_scp_located_list_free(&l);
    /* the client composes class/host: a different SPN, owned twice */
    mock_attr_add(entry_of("CN=SVCHOST2," COMPUTERS), "servicePrincipalName",
                  "other/svchost1.example.test");
    mock_attr_add(entry_of("CN=svc-myapp,CN=Users,DC=example,DC=test"), "servicePrincipalName",
                  "other/svchost1.example.test");
    o.spn_without_port = 1;
    rc = locate(dir, &o, &l, &err);
    expect_error(rc, &err, SCPAUTH_ESCPUNTRUSTED, "is owned by 2 accounts");
    scpauth_scp_located_list_free(&l);
    /* a class filter that matches nothing, and a keyword nobody published */
    o.service_class = "myapp";
    rc = locate(dir, &o, &l, &err);
    expect_error(rc, &err, SCPAUTH_ENOTFOUND, "of class myapp");
    assert_int_equal(l.n_seen, 1);
    scpauth_scp_located_list_free(&l);
    o.keyword = "nothing";
    rc = scpauth_scp_locate(dir, &o, &l, &err);
    assert_int_equal(rc, SCPAUTH_ENOTFOUND);
    scpauth_scp_located_list_free(&l);
    scpauth_dir_close(dir);
}

static void test_dn_parent(void **state)
{
    (void)state;
    char out[64];
    assert_int_equal(scpauth__dn_parent("CN=a\\,b,CN=x,DC=y", out, sizeof(out), NULL),
                     SCPAUTH_OK);
    assert_string_equal(out, "CN=x,DC=y");
    assert_int_equal(scpauth__dn_parent("CN=a, CN=x", out, sizeof(out), NULL), SCPAUTH_OK);
    assert_string_equal(out, "CN=x");
    assert_int_equal(scpauth__dn_parent("CN=only", out, sizeof(out), NULL), SCPAUTH_EINVAL);
    assert_int_equal(scpauth__dn_parent("CN=a\\,", out, sizeof(out), NULL), SCPAUTH_EINVAL);
    assert_int_equal(scpauth__dn_parent("CN=a,CN=xxxx", out, 4, NULL), SCPAUTH_EINVAL);
}

static void test_null_arguments(void **state)
{
    (void)state;
    scpauth_scp_written w;
    scpauth_scp_located_list l;
    scpauth_scp_locate_options o;
    memset(&o, 0, sizeof(o));
    scpauth_guid g;
    memset(&g, 1, sizeof(g));
    assert_int_equal(scpauth_scp_publish(NULL, NULL, NULL, &w, NULL), SCPAUTH_EINVAL);
    assert_int_equal(scpauth_scp_update(NULL, &g, NULL, NULL, &w, NULL), SCPAUTH_EINVAL);
    assert_int_equal(scpauth_scp_remove(NULL, &g, NULL, NULL), SCPAUTH_EINVAL);
    assert_int_equal(scpauth_scp_read(NULL, &g, NULL, NULL), SCPAUTH_EINVAL);
    assert_int_equal(scpauth_scp_locate(NULL, &o, &l, NULL), SCPAUTH_EINVAL);
    assert_int_equal(l.count, 0);
    scpauth_scp_located_list_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_publish_reads_guid_back, setup),
        cmocka_unit_test_setup(test_publish_finds_computer_by_host, setup),
        cmocka_unit_test_setup(test_publish_refusals, setup),
        cmocka_unit_test_setup(test_update, setup),
        cmocka_unit_test_setup(test_remove, setup),
        cmocka_unit_test_setup(test_locate_checks, setup),
        cmocka_unit_test_setup(test_locate_spn_owners, setup),
        cmocka_unit_test(test_dn_parent),
        cmocka_unit_test(test_null_arguments),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
