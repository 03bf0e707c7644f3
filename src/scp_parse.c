/* scp_parse.c - an entry read from the directory -> a checked scpauth_scp.
 * Pass 1 finds the attributes and checks counts and lengths, pass 2 checks
 * each value's syntax, pass 3 copies everything into one allocation: nothing
 * is copied before it is known to be bounded and valid. */
#include <stdlib.h>
#include <string.h>

#include "scp_internal.h"

enum {
    AT_CN,
    AT_KEYWORDS,
    AT_CLASS,
    AT_DNS,
    AT_DNS_TYPE,
    AT_BINDING,
    AT_DESCRIPTION,
    AT_GUID,
    AT_OBJECTCLASS,
    AT_COUNT
};

const char *const scpauth__scp_read_attrs[AT_COUNT + 1] = {
    [AT_CN] = "cn",
    [AT_KEYWORDS] = "keywords",
    [AT_CLASS] = "serviceClassName",
    [AT_DNS] = "serviceDNSName",
    [AT_DNS_TYPE] = "serviceDNSNameType",
    [AT_BINDING] = "serviceBindingInformation",
    [AT_DESCRIPTION] = "description",
    [AT_GUID] = "objectGUID",
    [AT_OBJECTCLASS] = "objectClass",
    [AT_COUNT] = NULL,
};

const char *const scpauth__scp_binary_attrs[] = { "objectGUID", NULL };

static const struct attr_rule {
    size_t max_len;   /* bytes of one value (binary: the exact length) */
    size_t max_count; /* values; 1 = single-valued */
    unsigned char required;
    unsigned char binary;
} rules[AT_COUNT] = {
    [AT_CN] = { SCPAUTH_SCP_CN_MAX, 1, 0, 0 },
    [AT_KEYWORDS] = { SCPAUTH_SCP_KEYWORD_MAX, SCPAUTH_SCP_KEYWORDS_MAX, 0, 0 },
    [AT_CLASS] = { SCPAUTH_SCP_CLASS_MAX, 1, 1, 0 },
    [AT_DNS] = { SCPAUTH_SCP_DNS_MAX, 1, 1, 0 },
    [AT_DNS_TYPE] = { 16, 1, 1, 0 },
    [AT_BINDING] = { SCPAUTH_SCP_BINDING_MAX, SCPAUTH_SCP_BINDINGS_MAX, 1, 0 },
    [AT_DESCRIPTION] = { SCPAUTH_SCP_DESCRIPTION_MAX, 1, 0, 0 },
    [AT_GUID] = { 16, 1, 0, 1 },
    [AT_OBJECTCLASS] = { SCPAUTH_SCP_KEYWORD_MAX, SCPAUTH_SCP_VALUES_MAX, 0, 0 },
};

#define NAME(id) scpauth__scp_read_attrs[id]

struct parse_ctx {
    char dn_show[SCPAUTH__SCP_SHOW_SIZE];
    const scpauth_entry_attr *found[AT_COUNT];
};

#define VAL(a, i) ((const char *)(a)->values[i].data)
#define LEN(a, i) ((a)->values[i].len)

const scpauth_entry_attr *scpauth_entry_find(const scpauth_entry *entry, const char *name)
{
    if (entry == NULL || name == NULL || entry->attrs == NULL)
        return NULL;
    size_t n = strlen(name);
    for (size_t i = 0; i < entry->count; i++) {
        const char *an = entry->attrs[i].name;
        if (an != NULL && scpauth__ascii_casecmp(an, strlen(an), name, n) == 0)
            return &entry->attrs[i];
    }
    return NULL;
}

/* Which SCP attribute a description names ("keywords;x" is keywords), or
 * AT_COUNT for any other. */
static int attr_id(const char *name)
{
    size_t n = strcspn(name, ";");
    for (int id = 0; id < AT_COUNT; id++)
        if (scpauth__ascii_casecmp(name, n, NAME(id), strlen(NAME(id))) == 0)
            return id;
    return AT_COUNT;
}

int scpauth__scp_attr_read(const char *name)
{
    return name != NULL && attr_id(name) != AT_COUNT;
}

/* Adds the hint every invalid SCP gets; returns ESCPINVALID. */
static int invalid(scpauth_error *err)
{
    scpauth__error_hint(err, SCPAUTH__SCP_HINT);
    return SCPAUTH_ESCPINVALID;
}

/* Turns a value check's error into ESCPINVALID naming the DN and attribute. */
static int fail(const struct parse_ctx *c, const char *attr, int rc, scpauth_error *err)
{
    if (rc == SCPAUTH_ENOMEM)
        return rc;
    scpauth__error_prefix(err, "SCP \"%s\": %s", c->dn_show, attr);
    if (err != NULL)
        err->code = SCPAUTH_ESCPINVALID;
    return invalid(err);
}

static int check_dn(const scpauth_entry *entry, struct parse_ctx *c, size_t *dn_len,
                    scpauth_error *err)
{
    if (entry->dn == NULL || entry->dn[0] == '\0') {
        scpauth__error_set(err, SCPAUTH_ESCPINVALID, "SCP entry has no DN");
        return invalid(err);
    }
    size_t n = strnlen(entry->dn, SCPAUTH_SCP_DN_MAX + 1);
    scpauth__scp_show(c->dn_show, sizeof(c->dn_show), entry->dn, n);
    if (n > SCPAUTH_SCP_DN_MAX) {
        scpauth__error_set(err, SCPAUTH_ESCPINVALID, "SCP \"%s\": DN is over %d bytes",
                           c->dn_show, SCPAUTH_SCP_DN_MAX);
        return invalid(err);
    }
    int rc = scpauth__scp_check_text("DN", entry->dn, n, SCPAUTH_SCP_DN_MAX, 0, err);
    if (rc != SCPAUTH_OK) {
        scpauth__error_prefix(err, "SCP entry");
        if (err != NULL)
            err->code = SCPAUTH_ESCPINVALID;
        return invalid(err);
    }
    *dn_len = n;
    return SCPAUTH_OK;
}

/* Pass 1: which attributes are there, unique, within counts and lengths. */
static int find_attrs(const scpauth_entry *entry, struct parse_ctx *c, scpauth_error *err)
{
    if (entry->count > SCPAUTH_SCP_ATTRS_MAX || (entry->count > 0 && entry->attrs == NULL)) {
        scpauth__error_set(err, SCPAUTH_ESCPINVALID,
                           "SCP \"%s\": %lu attributes%s, at most %d are read", c->dn_show,
                           (unsigned long)entry->count,
                           entry->attrs == NULL ? " without a list" : "",
                           SCPAUTH_SCP_ATTRS_MAX);
        return invalid(err);
    }
    for (size_t i = 0; i < entry->count; i++) {
        const scpauth_entry_attr *a = &entry->attrs[i];
        if (a->name == NULL) {
            scpauth__error_set(err, SCPAUTH_ESCPINVALID, "SCP \"%s\": attribute %lu has no name",
                               c->dn_show, (unsigned long)(i + 1));
            return invalid(err);
        }
        int id = attr_id(a->name);
        if (id == AT_COUNT)
            continue;
        if (c->found[id] != NULL) {
            scpauth__error_set(err, SCPAUTH_ESCPINVALID, "SCP \"%s\": attribute %s appears twice",
                               c->dn_show, NAME(id));
            return invalid(err);
        }
        /* counts first: a caller may leave the values of an over-long list out */
        if (a->count > rules[id].max_count) {
            if (rules[id].max_count == 1)
                scpauth__error_set(err, SCPAUTH_ESCPINVALID,
                                   "SCP \"%s\": %s has %lu values; it is single-valued",
                                   c->dn_show, NAME(id), (unsigned long)a->count);
            else
                scpauth__error_set(err, SCPAUTH_ESCPINVALID,
                                   "SCP \"%s\": %s has %lu values, over %lu", c->dn_show,
                                   NAME(id), (unsigned long)a->count,
                                   (unsigned long)rules[id].max_count);
            return invalid(err);
        }
        if (a->count > 0 && a->values == NULL) {
            scpauth__error_set(err, SCPAUTH_ESCPINVALID, "SCP \"%s\": %s has no values",
                               c->dn_show, NAME(id));
            return invalid(err);
        }
        if (a->count > 0) /* no values is the same as absent */
            c->found[id] = a;
    }
    return SCPAUTH_OK;
}

/* Pass 1, continued: required attributes, and the text rules of every value. */
static int check_values(struct parse_ctx *c, scpauth_error *err)
{
    for (int id = 0; id < AT_COUNT; id++) {
        const struct attr_rule *r = &rules[id];
        const scpauth_entry_attr *a = c->found[id];
        if (a == NULL) {
            if (!r->required)
                continue;
            scpauth__error_set(err, SCPAUTH_ESCPINVALID, "SCP \"%s\": %s is missing",
                               c->dn_show, NAME(id));
            return invalid(err);
        }
        for (size_t i = 0; i < a->count; i++) {
            int rc;
            if (VAL(a, i) == NULL && LEN(a, i) > 0)
                rc = scpauth__error_set(err, SCPAUTH_EINVAL, "value %lu has no data",
                                        (unsigned long)(i + 1));
            else if (r->binary && LEN(a, i) != r->max_len)
                rc = scpauth__error_set(err, SCPAUTH_EINVAL, "value is %lu bytes, not %lu",
                                        (unsigned long)LEN(a, i), (unsigned long)r->max_len);
            else if (r->binary)
                rc = SCPAUTH_OK;
            else
                rc = scpauth__scp_check_text("value", VAL(a, i), LEN(a, i), r->max_len, 0, err);
            if (rc != SCPAUTH_OK)
                return fail(c, NAME(id), rc, err);
        }
    }
    return SCPAUTH_OK;
}

/* Pass 2: the syntax of each value; fills the scalar fields of out. */
static int check_syntax(struct parse_ctx *c, scpauth_scp *out, scpauth_error *err)
{
    char show[SCPAUTH__SCP_SHOW_SIZE];
    const scpauth_entry_attr *a = c->found[AT_OBJECTCLASS];
    if (a != NULL) {
        size_t i = 0;
        while (i < a->count && scpauth__ascii_casecmp(VAL(a, i), LEN(a, i),
                                                      "serviceConnectionPoint", 22) != 0)
            i++;
        if (i == a->count) {
            scpauth__error_set(err, SCPAUTH_ESCPINVALID,
                               "SCP \"%s\": objectClass does not include serviceConnectionPoint",
                               c->dn_show);
            return invalid(err);
        }
    }
    a = c->found[AT_CLASS];
    int rc = scpauth__scp_check_class(VAL(a, 0), LEN(a, 0), err);
    if (rc != SCPAUTH_OK)
        return fail(c, NAME(AT_CLASS), rc, err);

    a = c->found[AT_DNS_TYPE];
    if (scpauth__ascii_casecmp(VAL(a, 0), LEN(a, 0), "A", 1) == 0) {
        out->dns_name_type = SCPAUTH_SCP_DNS_A;
    } else if (scpauth__ascii_casecmp(VAL(a, 0), LEN(a, 0), "SRV", 3) == 0) {
        out->dns_name_type = SCPAUTH_SCP_DNS_SRV;
    } else {
        scpauth__error_set(err, SCPAUTH_ESCPINVALID,
                           "SCP \"%s\": serviceDNSNameType \"%s\" is neither \"A\" nor \"SRV\"",
                           c->dn_show, scpauth__scp_show(show, sizeof(show), VAL(a, 0), LEN(a, 0)));
        return invalid(err);
    }
    int srv = out->dns_name_type == SCPAUTH_SCP_DNS_SRV;
    a = c->found[AT_DNS];
    rc = scpauth__scp_check_dns(srv ? "SRV record name" : "host name", VAL(a, 0), LEN(a, 0), srv,
                                err);
    if (rc != SCPAUTH_OK)
        return fail(c, NAME(AT_DNS), rc, err);

    /* the port must not depend on the order the directory returns values in */
    a = c->found[AT_BINDING];
    for (size_t i = 0; i < a->count; i++) {
        unsigned port = 0;
        rc = scpauth__scp_binding_port(VAL(a, i), LEN(a, i), &port, err);
        if (rc != SCPAUTH_OK)
            return fail(c, NAME(AT_BINDING), rc, err);
        if (i > 0 && port != out->port) {
            scpauth__error_set(err, SCPAUTH_ESCPINVALID,
                               "SCP \"%s\": serviceBindingInformation values disagree on the "
                               "port: %u, then %u in \"%s\"",
                               c->dn_show, (unsigned)out->port, port,
                               scpauth__scp_show(show, sizeof(show), VAL(a, i), LEN(a, i)));
            return invalid(err);
        }
        out->port = (unsigned short)port;
    }
    a = c->found[AT_GUID];
    if (a != NULL) {
        memcpy(out->guid.bytes, VAL(a, 0), 16);
        out->has_guid = 1;
    }
    return SCPAUTH_OK;
}

/* Pass 3 helpers: strings are carved from the block after the pointer arrays. */
struct carve {
    char *next;
};

static const char *carve_str(struct carve *cv, const void *p, size_t n)
{
    char *s = cv->next;
    memcpy(s, p, n);
    s[n] = '\0';
    cv->next += n + 1;
    return s;
}

static size_t strings_size(const scpauth_entry_attr *a)
{
    size_t total = 0;
    for (size_t i = 0; a != NULL && i < a->count; i++)
        total += LEN(a, i) + 1;
    return total;
}

static const char *const *carve_list(struct carve *cv, const char **slots,
                                     const scpauth_entry_attr *a, size_t *count)
{
    *count = a == NULL ? 0 : a->count;
    for (size_t i = 0; i < *count; i++)
        slots[i] = carve_str(cv, VAL(a, i), LEN(a, i));
    return *count > 0 ? slots : NULL;
}

static const char *carve_opt(struct carve *cv, const scpauth_entry_attr *a)
{
    return a == NULL ? NULL : carve_str(cv, VAL(a, 0), LEN(a, 0));
}

/* Pass 3: one allocation holds the pointer arrays, then every string. */
static int copy_out(const scpauth_entry *entry, size_t dn_len, const struct parse_ctx *c,
                    scpauth_scp *out, scpauth_error *err)
{
    const scpauth_entry_attr *kw = c->found[AT_KEYWORDS], *bi = c->found[AT_BINDING];
    size_t n_ptrs = bi->count + (kw == NULL ? 0 : kw->count);
    /* bounded by the limits checked in pass 1: well under a megabyte */
    size_t total = n_ptrs * sizeof(char *) + dn_len + 1;
    static const int copied[] = { AT_CN, AT_KEYWORDS, AT_CLASS, AT_DNS, AT_BINDING,
                                  AT_DESCRIPTION };
    for (size_t k = 0; k < sizeof(copied) / sizeof(copied[0]); k++)
        total += strings_size(c->found[copied[k]]);
    const char **slots = malloc(total);
    if (slots == NULL)
        return scpauth__error_set(err, SCPAUTH_ENOMEM, "SCP \"%s\": cannot allocate %lu bytes",
                                  c->dn_show, (unsigned long)total);
    struct carve cv = { (char *)(slots + n_ptrs) };
    out->block_ = slots;
    out->dn = carve_str(&cv, entry->dn, dn_len);
    out->cn = carve_opt(&cv, c->found[AT_CN]);
    out->service_class = carve_opt(&cv, c->found[AT_CLASS]);
    out->dns_name = carve_opt(&cv, c->found[AT_DNS]);
    out->description = carve_opt(&cv, c->found[AT_DESCRIPTION]);
    out->bindings = carve_list(&cv, slots, bi, &out->n_bindings);
    out->keywords = carve_list(&cv, slots + bi->count, kw, &out->n_keywords);
    return SCPAUTH_OK;
}

int scpauth_scp_parse(const scpauth_entry *entry, scpauth_scp *out, scpauth_error *err)
{
    if (out != NULL) {
        scpauth_scp empty = SCPAUTH_SCP_INIT;
        *out = empty;
    }
    if (entry == NULL || out == NULL)
        return scpauth__error_set(err, SCPAUTH_EINVAL, "SCP entry or output is NULL");
    struct parse_ctx c;
    memset(&c, 0, sizeof(c));
    size_t dn_len = 0;
    scpauth_scp tmp = SCPAUTH_SCP_INIT;
    int rc = check_dn(entry, &c, &dn_len, err);
    if (rc == SCPAUTH_OK)
        rc = find_attrs(entry, &c, err);
    if (rc == SCPAUTH_OK)
        rc = check_values(&c, err);
    if (rc == SCPAUTH_OK)
        rc = check_syntax(&c, &tmp, err);
    if (rc == SCPAUTH_OK)
        rc = copy_out(entry, dn_len, &c, &tmp, err);
    if (rc == SCPAUTH_OK)
        *out = tmp;
    return rc;
}

void scpauth_scp_free(scpauth_scp *scp)
{
    if (scp == NULL)
        return;
    free(scp->block_);
    scpauth_scp empty = SCPAUTH_SCP_INIT;
    *scp = empty;
}
