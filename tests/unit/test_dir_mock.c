/* test_dir_mock.c - the mock directory backend (see test_dir_mock.h): a
 * tiny RFC 4515 evaluator (&, |, equality, presence) over in-memory entries
 * is enough for every filter the core composes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dir_internal.h"
#include "test_dir_mock.h"

mock_dir mock;

#define BASE_DN "DC=example,DC=test"

void mock_reset(void)
{
    memset(&mock, 0, sizeof(mock));
    snprintf(mock.principal, sizeof(mock.principal), "administrator@EXAMPLE.TEST");
    mock_entry *x = mock_add("CN=EXAMPLE,CN=Partitions,CN=Configuration," BASE_DN);
    mock_attr_add(x, "objectClass", "crossRef");
    mock_attr_add(x, "nCName", BASE_DN);
    mock_attr_add(x, "nETBIOSName", "EXAMPLE");
}

mock_entry *mock_add(const char *dn)
{
    mock_entry *e = &mock.entries[mock.n_entries++];
    memset(e, 0, sizeof(*e));
    snprintf(e->dn, sizeof(e->dn), "%s", dn);
    return e;
}

static mock_attr *attr_of(mock_entry *e, const char *name)
{
    for (size_t i = 0; i < e->n_attrs; i++)
        if (scpauth__ascii_equal_nocase(e->attrs[i].name, name))
            return &e->attrs[i];
    return NULL;
}

void mock_attr_add(mock_entry *e, const char *attr, const char *value)
{
    mock_attr *a = attr_of(e, attr);
    if (a == NULL) {
        a = &e->attrs[e->n_attrs++];
        snprintf(a->name, sizeof(a->name), "%s", attr);
    }
    snprintf(a->values[a->n++], sizeof(a->values[0]), "%s", value);
}

mock_entry *mock_account(const char *cn, const char *sam, int computer, const char *const *spns)
{
    char dn[256];
    snprintf(dn, sizeof(dn), "CN=%s,CN=%s," BASE_DN, cn, computer ? "Computers" : "Users");
    mock_entry *e = mock_add(dn);
    mock_attr_add(e, "objectClass", "top");
    mock_attr_add(e, "objectClass", "user");
    if (computer)
        mock_attr_add(e, "objectClass", "computer");
    mock_attr_add(e, "sAMAccountName", sam);
    if (computer) {
        char host[128];
        snprintf(host, sizeof(host), "%s.example.test", cn);
        for (char *p = host; *p; p++)
            if (*p >= 'A' && *p <= 'Z')
                *p = (char)(*p + 32);
        mock_attr_add(e, "dNSHostName", host);
    }
    for (size_t i = 0; spns != NULL && spns[i] != NULL; i++)
        mock_attr_add(e, "servicePrincipalName", spns[i]);
    return e;
}

void mock_outcome(const char *hostport, int rc)
{
    snprintf(mock.outcomes[mock.n_outcomes].hostport, sizeof(mock.outcomes[0].hostport), "%s",
             hostport);
    mock.outcomes[mock.n_outcomes++].rc = rc;
}

const mock_attr *mock_find_attr(const char *dn, const char *attr)
{
    for (size_t i = 0; i < mock.n_entries; i++)
        if (scpauth__dn_equal(mock.entries[i].dn, dn))
            return attr_of(&mock.entries[i], attr);
    return NULL;
}

scpauth_dir_options mock_options(const char *const *dcs, size_t n_dcs)
{
    scpauth_dir_options o;
    memset(&o, 0, sizeof(o));
    o.dcs = dcs;
    o.n_dcs = n_dcs;
    o.backend = &mock_dir_backend;
    o.timeout_ms = 1000;
    return o;
}

/* ---- filter evaluation ---------------------------------------------------- */

static int eval(const char **p, mock_entry *e);

static int eval_item(const char **p, mock_entry *e)
{
    char attr[64], value[512];
    size_t an = 0, vn = 0;
    while (**p != '=' && an + 1 < sizeof(attr))
        attr[an++] = *(*p)++;
    attr[an] = '\0';
    (*p)++;
    while (**p != ')' && vn + 1 < sizeof(value)) {
        if (**p == '\\') {
            unsigned v;
            sscanf(*p + 1, "%2x", &v);
            value[vn++] = (char)v;
            *p += 3;
        } else {
            value[vn++] = *(*p)++;
        }
    }
    value[vn] = '\0';
    (*p)++;
    if (scpauth__ascii_equal_nocase(attr, "distinguishedName")) /* AD and Samba match DNs */
        return scpauth__dn_equal(e->dn, value);
    mock_attr *a = attr_of(e, attr);
    if (strcmp(value, "*") == 0)
        return a != NULL || scpauth__ascii_equal_nocase(attr, "objectClass");
    for (size_t i = 0; a != NULL && i < a->n; i++)
        if (scpauth__ascii_equal_nocase(a->values[i], value))
            return 1;
    return 0;
}

static int eval(const char **p, mock_entry *e)
{
    (*p)++; /* '(' */
    char op = **p;
    if (op != '&' && op != '|')
        return eval_item(p, e);
    (*p)++;
    int result = op == '&';
    while (**p == '(') {
        int r = eval(p, e);
        result = op == '&' ? result && r : result || r;
    }
    (*p)++; /* ')' */
    return result;
}

/* ---- the backend ------------------------------------------------------------ */

typedef struct mock_conn {
    unsigned port;
} mock_conn;

static double mock_now(void)
{
    return mock.clock += 1.0;
}

static int mock_creds_acquire(const scpauth_dir_options *opts, void **bcreds, char *principal,
                              size_t size, scpauth_error *err)
{
    (void)opts;
    if (mock.creds_rc != SCPAUTH_OK)
        return scpauth__error_set(err, mock.creds_rc, "mock credentials refused");
    snprintf(principal, size, "%s", mock.principal);
    *bcreds = malloc(1);
    return SCPAUTH_OK;
}

static void mock_creds_free(void *bcreds)
{
    free(bcreds);
}

static int mock_srv_lookup(const char *qname, unsigned timeout_ms, scpauth__srv_list *out,
                           scpauth_error *err)
{
    (void)timeout_ms;
    (void)err;
    if (mock.n_lookups < 4)
        snprintf(mock.srv_qnames[mock.n_lookups], sizeof(mock.srv_qnames[0]), "%s", qname);
    mock.n_lookups++;
    out->count = mock.n_srv;
    out->items = mock.n_srv ? calloc(mock.n_srv, sizeof(*out->items)) : NULL;
    for (size_t i = 0; i < mock.n_srv; i++)
        out->items[i] = mock.srv[i];
    return SCPAUTH_OK;
}

static int mock_connect(void *bcreds, const char *host, unsigned port, unsigned timeout_ms,
                        void **bconn, unsigned *ssf, scpauth_error *err)
{
    (void)bcreds;
    (void)timeout_ms;
    char hp[96];
    snprintf(hp, sizeof(hp), "%s:%u", host, port);
    mock.connects++;
    for (size_t i = 0; i < mock.n_outcomes; i++)
        if (strcmp(mock.outcomes[i].hostport, hp) == 0 && mock.outcomes[i].rc != SCPAUTH_OK)
            return scpauth__error_set(err, mock.outcomes[i].rc, "mock %s: %s", hp,
                                      scpauth_strerror(mock.outcomes[i].rc));
    mock_conn *c = malloc(sizeof(*c));
    c->port = port;
    mock.gc_connects += port == SCPAUTH_DIR_PORT_GC;
    mock.open_conns++;
    *ssf = 256;
    *bconn = c;
    return SCPAUTH_OK;
}

static void mock_disconnect(void *bconn)
{
    mock.open_conns--;
    free(bconn);
}

static int ends_with_dn(const char *dn, const char *base)
{
    size_t a = strlen(dn), b = strlen(base);
    return b == 0 || (a >= b && scpauth__dn_equal(dn + a - b, base));
}

static int wanted(const scpauth__dir_query *q, const char *name)
{
    for (size_t i = 0; q->attrs[i] != NULL; i++)
        if (scpauth__ascii_equal_nocase(q->attrs[i], name))
            return 1;
    return 0;
}

/* "attr;range=L-*" asked for: 1 and *low when so. */
static int asked_range(const scpauth__dir_query *q, const char *name, unsigned long *low)
{
    size_t n = strlen(name);
    for (size_t i = 0; q->attrs[i] != NULL; i++)
        if (strncmp(q->attrs[i], name, n) == 0 && strncmp(q->attrs[i] + n, ";range=", 7) == 0) {
            *low = strtoul(q->attrs[i] + n + 7, NULL, 10);
            return 1;
        }
    return 0;
}

static int add_values(scpauth__dir_entries *out, scpauth__dir_entry *o, const scpauth__dir_query *q,
                      const mock_attr *a, scpauth_error *err)
{
    unsigned long low = 0;
    int ranged = asked_range(q, a->name, &low);
    if (!ranged && !wanted(q, a->name))
        return SCPAUTH_OK;
    if (mock.range_limit == 0 || (a->n <= mock.range_limit && !ranged)) {
        for (size_t k = 0; k < a->n; k++) {
            int rc = scpauth__dir_entry_add(out, o, a->name, a->values[k],
                                            strlen(a->values[k]), err);
            if (rc != SCPAUTH_OK)
                return rc;
        }
        return SCPAUTH_OK;
    }
    if (mock.range_skip && ranged)
        low++;
    size_t end = low + mock.range_limit < a->n ? low + mock.range_limit : a->n;
    char name[96];
    if (end >= a->n)
        snprintf(name, sizeof(name), "%s;range=%lu-*", a->name, low);
    else
        snprintf(name, sizeof(name), "%s;range=%lu-%zu", a->name, low, end - 1);
    for (size_t k = low; k < end; k++) {
        int rc = scpauth__dir_entry_add(out, o, name, a->values[k], strlen(a->values[k]), err);
        if (rc != SCPAUTH_OK)
            return rc;
    }
    return SCPAUTH_OK;
}

static int rootdse(const scpauth__dir_query *q, scpauth__dir_entries *out, scpauth_error *err)
{
    (void)q;
    scpauth__dir_entry *o;
    int rc = scpauth__dir_entry_new(out, "", 0, &o, err);
    if (rc == SCPAUTH_OK)
        rc = scpauth__dir_entry_add(out, o, "defaultNamingContext", BASE_DN, strlen(BASE_DN),
                                    err);
    if (rc == SCPAUTH_OK)
        rc = scpauth__dir_entry_add(out, o, "rootDomainNamingContext", BASE_DN,
                                    strlen(BASE_DN), err);
    return rc;
}

static int mock_search(void *bconn, unsigned timeout_ms, const scpauth__dir_query *q,
                       scpauth__dir_entries *out, scpauth_error *err)
{
    (void)bconn;
    (void)timeout_ms;
    if (q->base[0] == '\0' && q->scope == SCPAUTH__DIR_SCOPE_BASE)
        return rootdse(q, out, err);
    for (size_t i = 0; i < mock.n_entries; i++) {
        mock_entry *e = &mock.entries[i];
        int in_scope = q->scope == SCPAUTH__DIR_SCOPE_BASE ? scpauth__dn_equal(e->dn, q->base)
                                                           : ends_with_dn(e->dn, q->base);
        const char *f = q->filter;
        if (!in_scope || !eval(&f, e))
            continue;
        scpauth__dir_entry *o;
        int rc = scpauth__dir_entry_new(out, e->dn, strlen(e->dn), &o, err);
        for (size_t j = 0; rc == SCPAUTH_OK && j < e->n_attrs; j++)
            rc = add_values(out, o, q, &e->attrs[j], err);
        if (rc != SCPAUTH_OK)
            return rc;
    }
    return SCPAUTH_OK;
}

static void remove_value(mock_attr *a, size_t k)
{
    memmove(a->values[k], a->values[k + 1], (a->n - k - 1) * sizeof(a->values[0]));
    a->n--;
}

static int mock_spn_write(void *bconn, unsigned timeout_ms, scpauth_dir_spn_op op,
                          const char *dn, const char *const *spns, size_t n, scpauth_error *err)
{
    (void)bconn;
    (void)timeout_ms;
    mock.writes++;
    mock.last_op = op;
    mock.last_n = n;
    for (size_t i = 0; i < n && i < 8; i++)
        snprintf(mock.last_values[i], sizeof(mock.last_values[0]), "%s", spns[i]);
    if (mock.write_rc != SCPAUTH_OK)
        return scpauth__error_set(err, mock.write_rc, "%s", mock.write_msg);
    mock_entry *e = NULL;
    for (size_t i = 0; i < mock.n_entries; i++)
        if (scpauth__dn_equal(mock.entries[i].dn, dn))
            e = &mock.entries[i];
    if (e == NULL)
        return scpauth__error_set(err, SCPAUTH_ENOTFOUND, "no %s", dn);
    mock_attr *a = attr_of(e, "servicePrincipalName");
    if (op == SCPAUTH_DIR_SPN_REPLACE && a != NULL)
        a->n = 0;
    for (size_t i = 0; i < n; i++) {
        if (op != SCPAUTH_DIR_SPN_DELETE) {
            mock_attr_add(e, "servicePrincipalName", spns[i]);
            continue;
        }
        for (size_t k = 0; a != NULL && k < a->n; k++)
            if (scpauth__ascii_equal_nocase(a->values[k], spns[i]))
                remove_value(a, k--);
    }
    return SCPAUTH_OK;
}

const struct scpauth_dir_backend mock_dir_backend = {
    .name = "mock",
    .now_ms = mock_now,
    .creds_acquire = mock_creds_acquire,
    .creds_free = mock_creds_free,
    .srv_lookup = mock_srv_lookup,
    .connect = mock_connect,
    .disconnect = mock_disconnect,
    .search = mock_search,
    .spn_write = mock_spn_write,
    .crack_name = NULL,
};
