/* scp_model.c - the attribute set a service publishes (scpauth_scp_build),
 * and whether a parsed SCP still says the same (scpauth_scp_is_current). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scp_internal.h"

/* objectClass, cn, keywords, class, DNS name, type, binding, description */
#define BUILT_ATTRS 8
#define BUILT_VALUES (7 + SCPAUTH_SCP_KEYWORDS_MAX)

/* The one allocation of a built entry: the arrays, then the strings. */
struct built {
    scpauth_entry_attr attrs[BUILT_ATTRS];
    scpauth_entry_value values[BUILT_VALUES];
    char text[];
};

/* Parameters after checking, with the derived texts. */
struct checked {
    size_t class_len, dns_len, parent_len;
    char guid[SCPAUTH_GUID_STRING_SIZE];
    char port[8];
    char cn[SCPAUTH_SCP_CN_MAX + 1];
    size_t cn_len;
};

/* Measures (b == NULL) or fills the entry; both passes run the same code so
 * the size computed is the size used. */
struct builder {
    struct built *b;
    size_t n_attrs, n_values, text_len;
};

static void add_attr(struct builder *bd, const char *name)
{
    if (bd->b != NULL) {
        scpauth_entry_attr *a = &bd->b->attrs[bd->n_attrs];
        a->name = name;
        a->values = &bd->b->values[bd->n_values];
        a->count = 0;
    }
    bd->n_attrs++;
}

static void add_value(struct builder *bd, const char *p, size_t n)
{
    if (bd->b != NULL) {
        char *s = bd->b->text + bd->text_len;
        memcpy(s, p, n);
        s[n] = '\0';
        bd->b->values[bd->n_values].data = s;
        bd->b->values[bd->n_values].len = n;
        bd->b->attrs[bd->n_attrs - 1].count++;
    }
    bd->n_values++;
    bd->text_len += n + 1;
}

static void add_one(struct builder *bd, const char *name, const char *value)
{
    add_attr(bd, name);
    add_value(bd, value, strlen(value));
}

static void emit(struct builder *bd, const scpauth_scp_params *p, const struct checked *ck)
{
    add_one(bd, "objectClass", "serviceConnectionPoint");
    add_one(bd, "cn", ck->cn);
    add_attr(bd, "keywords");
    add_value(bd, ck->guid, strlen(ck->guid));
    for (size_t i = 0; i < p->n_keywords; i++)
        add_value(bd, p->keywords[i], strlen(p->keywords[i]));
    add_one(bd, "serviceClassName", p->service_class);
    add_one(bd, "serviceDNSName", p->dns_name);
    add_one(bd, "serviceDNSNameType", "A");
    add_one(bd, "serviceBindingInformation", ck->port);
    if (p->description != NULL)
        add_one(bd, "description", p->description);
}

/* The GUID keyword in the dashed form (braces allowed), as lower case. */
static int check_guid_keyword(const char *text, char out[SCPAUTH_GUID_STRING_SIZE],
                              scpauth_error *err)
{
    size_t n = strlen(text);
    scpauth_guid g;
    /* 32 hex digits are the octet form, no spelling of a service GUID */
    if ((n != 36 && n != 38) || scpauth_guid_from_string(text, n, &g, NULL) != SCPAUTH_OK) {
        char show[SCPAUTH__SCP_SHOW_SIZE];
        scpauth__error_set(err, SCPAUTH_EINVAL,
                           "GUID keyword \"%s\" is not xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx",
                           scpauth__scp_show(show, sizeof(show), text, n));
        scpauth__error_hint(err, "use the service's GUID in UuidToString form, the one "
                                 "clients search for");
        return SCPAUTH_EINVAL;
    }
    scpauth_guid_to_string(&g, out);
    return SCPAUTH_OK;
}

/* Product keywords: text rules, and no keyword twice (matching ignores case). */
static int check_keywords(const scpauth_scp_params *p, const char *guid, scpauth_error *err)
{
    if (p->n_keywords > SCPAUTH_SCP_KEYWORDS_MAX - 1 || (p->n_keywords > 0 && !p->keywords))
        return scpauth__error_set(err, SCPAUTH_EINVAL,
                                  "%lu product keywords%s; at most %d besides the GUID",
                                  (unsigned long)p->n_keywords, p->keywords ? "" : " but no list",
                                  SCPAUTH_SCP_KEYWORDS_MAX - 1);
    for (size_t i = 0; i < p->n_keywords; i++) {
        const char *k = p->keywords[i];
        if (k == NULL)
            return scpauth__error_set(err, SCPAUTH_EINVAL, "keyword %lu is NULL",
                                      (unsigned long)(i + 1));
        size_t n = strlen(k);
        int rc = scpauth__scp_check_text("keyword", k, n, SCPAUTH_SCP_KEYWORD_MAX,
                                         SCPAUTH__TEXT_TRIMMED, err);
        if (rc != SCPAUTH_OK)
            return rc;
        int dup = scpauth__ascii_casecmp(k, n, guid, strlen(guid)) == 0;
        for (size_t j = 0; j < i && !dup; j++)
            dup = scpauth__ascii_casecmp(k, n, p->keywords[j], strlen(p->keywords[j])) == 0;
        if (dup) {
            char show[SCPAUTH__SCP_SHOW_SIZE];
            return scpauth__error_set(err, SCPAUTH_EINVAL, "keyword \"%s\" is given twice",
                                      scpauth__scp_show(show, sizeof(show), k, n));
        }
    }
    return SCPAUTH_OK;
}

/* "<class>-<instance>", the instance defaulting to the port. */
static int make_cn(const scpauth_scp_params *p, struct checked *ck, scpauth_error *err)
{
    const char *inst = p->instance != NULL ? p->instance : ck->port;
    size_t n = strlen(inst);
    int rc = scpauth__scp_check_text("instance name", inst, n, SCPAUTH_SCP_INSTANCE_MAX,
                                     SCPAUTH__TEXT_TRIMMED, err);
    if (rc != SCPAUTH_OK)
        return rc;
    ck->cn_len = ck->class_len + 1 + n;
    if (ck->cn_len > SCPAUTH_SCP_CN_MAX) {
        scpauth__error_set(err, SCPAUTH_EINVAL, "cn \"%s-%s\" would be %lu bytes, over %d",
                           p->service_class, inst, (unsigned long)ck->cn_len,
                           SCPAUTH_SCP_CN_MAX);
        scpauth__error_hint(err, "choose a shorter instance name");
        return SCPAUTH_EINVAL;
    }
    memcpy(ck->cn, p->service_class, ck->class_len);
    ck->cn[ck->class_len] = '-';
    memcpy(ck->cn + ck->class_len + 1, inst, n + 1);
    return SCPAUTH_OK;
}

static int check_params(const scpauth_scp_params *p, struct checked *ck, scpauth_error *err)
{
    if (p->service_class == NULL || p->dns_name == NULL || p->guid_keyword == NULL)
        return scpauth__error_set(err, SCPAUTH_EINVAL,
                                  "SCP parameters lack the service class, DNS name or GUID "
                                  "keyword");
    if (p->port < 1 || p->port > 65535)
        return scpauth__error_set(err, SCPAUTH_EINVAL, "port %u is not 1-65535", p->port);
    snprintf(ck->port, sizeof(ck->port), "%u", p->port);
    ck->class_len = strlen(p->service_class);
    ck->dns_len = strlen(p->dns_name);
    int rc = scpauth__scp_check_class(p->service_class, ck->class_len, err);
    if (rc == SCPAUTH_OK)
        rc = scpauth__scp_check_dns("host name", p->dns_name, ck->dns_len, 0, err);
    if (rc == SCPAUTH_OK)
        rc = check_guid_keyword(p->guid_keyword, ck->guid, err);
    if (rc == SCPAUTH_OK)
        rc = check_keywords(p, ck->guid, err);
    if (rc == SCPAUTH_OK && p->description != NULL)
        rc = scpauth__scp_check_text("description", p->description, strlen(p->description),
                                     SCPAUTH_SCP_DESCRIPTION_MAX, SCPAUTH__TEXT_TRIMMED, err);
    if (rc == SCPAUTH_OK)
        rc = make_cn(p, ck, err);
    if (rc == SCPAUTH_OK && p->parent_dn != NULL)
        rc = scpauth__scp_check_parent_dn(p->parent_dn, &ck->parent_len, err);
    return rc;
}

int scpauth_scp_build(const scpauth_scp_params *params, scpauth_scp_entry *out,
                      scpauth_error *err)
{
    if (out != NULL)
        memset(out, 0, sizeof(*out));
    if (params == NULL || out == NULL)
        return scpauth__error_set(err, SCPAUTH_EINVAL, "SCP parameters or output is NULL");
    struct checked ck;
    memset(&ck, 0, sizeof(ck));
    int rc = check_params(params, &ck, err);
    if (rc != SCPAUTH_OK)
        return rc;
    struct builder measure = { NULL, 0, 0, 0 };
    emit(&measure, params, &ck);
    size_t dn_len = params->parent_dn == NULL
                        ? 0
                        : scpauth__scp_dn_compose(ck.cn, ck.cn_len, params->parent_dn,
                                                  ck.parent_len, NULL) + 1;
    if (dn_len > 0 && (rc = scpauth__scp_check_dn_length(dn_len - 1, err)) != SCPAUTH_OK)
        return rc;
    size_t total = sizeof(struct built) + measure.text_len + dn_len;
    struct built *b = malloc(total);
    if (b == NULL)
        return scpauth__error_set(err, SCPAUTH_ENOMEM, "SCP \"%s\": cannot allocate %lu bytes",
                                  ck.cn, (unsigned long)total);
    struct builder fill = { b, 0, 0, 0 };
    emit(&fill, params, &ck);
    out->entry.attrs = b->attrs;
    out->entry.count = fill.n_attrs;
    out->cn = b->attrs[1].values[0].data;
    if (params->parent_dn != NULL) {
        char *dn = b->text + fill.text_len;
        scpauth__scp_dn_compose(ck.cn, ck.cn_len, params->parent_dn, ck.parent_len, dn);
        out->entry.dn = dn;
    }
    out->block_ = b;
    return SCPAUTH_OK;
}

void scpauth_scp_entry_free(scpauth_scp_entry *e)
{
    if (e == NULL)
        return;
    free(e->block_);
    memset(e, 0, sizeof(*e));
}

int scpauth_scp_is_current(const scpauth_scp *scp, const scpauth_scp_params *params)
{
    if (scp == NULL || params == NULL || scp->service_class == NULL || scp->dns_name == NULL ||
        params->service_class == NULL || params->dns_name == NULL ||
        params->guid_keyword == NULL)
        return 0;
    scpauth_guid want, have;
    if (scpauth_guid_from_string(params->guid_keyword, strlen(params->guid_keyword), &want,
                                 NULL) != SCPAUTH_OK)
        return 0;
    if (scpauth__ascii_casecmp(scp->service_class, strlen(scp->service_class),
                               params->service_class, strlen(params->service_class)) != 0 ||
        scpauth__ascii_casecmp(scp->dns_name, strlen(scp->dns_name), params->dns_name,
                               strlen(params->dns_name)) != 0 ||
        scp->dns_name_type != SCPAUTH_SCP_DNS_A || scp->port != params->port)
        return 0;
    for (size_t i = 0; i < scp->n_keywords; i++) {
        size_t n = strlen(scp->keywords[i]);
        if ((n == 36 || n == 38) &&
            scpauth_guid_from_string(scp->keywords[i], n, &have, NULL) == SCPAUTH_OK &&
            memcmp(have.bytes, want.bytes, 16) == 0)
            return 1;
    }
    return 0;
}
