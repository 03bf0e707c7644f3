/* spn_get.c - DsGetSpn: the SPNs of a service, one per instance, and the
 * DS_SPN_NAME_TYPE names. */
#include <stdlib.h>
#include <string.h>

#include "spn_internal.h"

static const struct {
    scpauth_spn_type type;
    const char *name, *ms_name;
} type_names[] = {
    {SCPAUTH_SPN_DNS_HOST, "dns-host", "DS_SPN_DNS_HOST"},
    {SCPAUTH_SPN_DN_HOST, "dn-host", "DS_SPN_DN_HOST"},
    {SCPAUTH_SPN_NB_HOST, "nb-host", "DS_SPN_NB_HOST"},
    {SCPAUTH_SPN_DOMAIN, "domain", "DS_SPN_DOMAIN"},
    {SCPAUTH_SPN_NB_DOMAIN, "nb-domain", "DS_SPN_NB_DOMAIN"},
    {SCPAUTH_SPN_SERVICE, "service", "DS_SPN_SERVICE"},
};
#define N_TYPES (sizeof(type_names) / sizeof(type_names[0]))

static int same_ascii_nocase(const char *a, const char *b)
{
    for (;; a++, b++) {
        char x = *a >= 'A' && *a <= 'Z' ? (char)(*a + 32) : *a;
        char y = *b >= 'A' && *b <= 'Z' ? (char)(*b + 32) : *b;
        if (x != y)
            return 0;
        if (x == '\0')
            return 1;
    }
}

int scpauth_spn_type_from_name(const char *name, scpauth_spn_type *out, scpauth_error *err)
{
    for (size_t i = 0; name != NULL && out != NULL && i < N_TYPES; i++) {
        if (same_ascii_nocase(name, type_names[i].name) ||
            same_ascii_nocase(name, type_names[i].ms_name)) {
            *out = type_names[i].type;
            return SCPAUTH_OK;
        }
    }
    if (out == NULL)
        return scpauth__error_set(err, SCPAUTH_EINVAL, "SPN type output is NULL");
    scpauth__error_set(err, SCPAUTH_EINVAL, "unknown SPN type \"%.64s\"",
                       name != NULL ? name : "(null)");
    scpauth__error_hint(err, "use dns-host, dn-host, nb-host, domain, nb-domain or service");
    return SCPAUTH_EINVAL;
}

const char *scpauth_spn_type_name(scpauth_spn_type type)
{
    for (size_t i = 0; i < N_TYPES; i++)
        if (type_names[i].type == type)
            return type_names[i].name;
    return "unknown";
}

void scpauth_spn_list_free(scpauth_spn_list *list)
{
    if (list == NULL)
        return;
    for (size_t i = 0; i < list->count; i++)
        free(list->items[i]);
    free(list->items);
    list->items = NULL;
    list->count = 0;
}

static int is_host_type(scpauth_spn_type t)
{
    return t == SCPAUTH_SPN_DNS_HOST || t == SCPAUTH_SPN_DN_HOST || t == SCPAUTH_SPN_NB_HOST;
}

/* DsGetSpn's argument rules, checked before anything is allocated. */
static int get_check_args(scpauth_spn_type type, const char *service_class,
                          const char *service_name, unsigned port, size_t n,
                          const char *const *names, scpauth_error *err)
{
    const char *tn = scpauth_spn_type_name(type);
    if (strcmp(tn, "unknown") == 0)
        return scpauth__error_set(err, SCPAUTH_EINVAL, "cannot get SPNs: unknown SPN type %d",
                                  (int)type);
    if (service_class == NULL)
        return scpauth__error_set(err, SCPAUTH_EINVAL,
                                  "cannot get %s SPNs: the service class is NULL", tn);
    if (is_host_type(type) && service_name != NULL) {
        scpauth__error_set(err, SCPAUTH_EINVAL,
                           "cannot get %s SPNs: a host-based type takes no service name "
                           "(got \"%.64s\")",
                           tn, service_name);
        scpauth__error_hint(err, "pass no service name, or use the domain or service type");
        return SCPAUTH_EINVAL;
    }
    if (!is_host_type(type) && service_name == NULL)
        return scpauth__error_set(err, SCPAUTH_EINVAL,
                                  "cannot get %s SPNs: this type needs a service name (%s)", tn,
                                  type == SCPAUTH_SPN_SERVICE ? "a canonical DNS name or DN"
                                                              : "the domain's name or DN");
    if (port > 65535)
        return scpauth__error_set(err, SCPAUTH_EINVAL,
                                  "cannot get %s SPNs: port %u is over 65535", tn, port);
    if (n > 65535)
        return scpauth__error_set(err, SCPAUTH_EINVAL,
                                  "cannot get %s SPNs: %lu instance names, over 65535", tn,
                                  (unsigned long)n);
    if (n > 0 && names == NULL)
        return scpauth__error_set(err, SCPAUTH_EINVAL,
                                  "cannot get %s SPNs: %lu instance names announced, array is "
                                  "NULL",
                                  tn, (unsigned long)n);
    for (size_t i = 0; i < n; i++)
        if (names[i] == NULL)
            return scpauth__error_set(err, SCPAUTH_EINVAL,
                                      "cannot get %s SPNs: instance name %lu is NULL", tn,
                                      (unsigned long)i);
    return SCPAUTH_OK;
}

/* One SPN for instance host `inst`, copied into a fresh string at *out. */
static int get_one(scpauth_spn_type type, const char *service_class, const char *service_name,
                   const char *inst, unsigned port, char **out, scpauth_error *err)
{
    char spn[SCPAUTH_SPN_MAX + 1];
    size_t size = sizeof(spn);
    int rc = is_host_type(type)
                 ? scpauth_spn_make(service_class, inst, NULL, port, NULL, spn, &size, err)
                 : scpauth_spn_make(service_class, service_name, inst, port, NULL, spn, &size,
                                    err);
    if (rc != SCPAUTH_OK)
        return rc;
    *out = malloc(size);
    if (*out == NULL)
        return scpauth__error_set(err, SCPAUTH_ENOMEM, "out of memory for SPN \"%s\"", spn);
    memcpy(*out, spn, size);
    return SCPAUTH_OK;
}

int scpauth_spn_get(scpauth_spn_type type, const char *service_class, const char *service_name,
                    unsigned port, size_t n_instances, const char *const *instance_names,
                    const unsigned short *instance_ports, scpauth_spn_list *out,
                    scpauth_error *err)
{
    if (out == NULL)
        return scpauth__error_set(err, SCPAUTH_EINVAL, "cannot get SPNs: output list is NULL");
    out->items = NULL;
    out->count = 0;
    int rc = get_check_args(type, service_class, service_name, port, n_instances,
                            instance_names, err);
    if (rc != SCPAUTH_OK)
        return rc;

    /* No instance names: the local host, by DNS or NetBIOS name. */
    char local[SCPAUTH_HOST_NAME_MAX];
    const char *local_name = local;
    size_t count = n_instances > 0 ? n_instances : 1;
    if (n_instances == 0) {
        int nb = type == SCPAUTH_SPN_NB_HOST || type == SCPAUTH_SPN_NB_DOMAIN;
        rc = nb ? scpauth_host_netbios(local, sizeof(local), err)
                : scpauth_host_fqdn(local, sizeof(local), err);
        if (rc != SCPAUTH_OK)
            return rc;
    }
    char **items = calloc(count, sizeof(*items));
    if (items == NULL)
        return scpauth__error_set(err, SCPAUTH_ENOMEM, "out of memory for %lu SPNs",
                                  (unsigned long)count);
    scpauth_spn_list list = {items, 0};
    for (size_t i = 0; i < count && rc == SCPAUTH_OK; i++) {
        const char *inst = n_instances > 0 ? instance_names[i] : local_name;
        unsigned p = n_instances == 0 ? port : instance_ports != NULL ? instance_ports[i] : 0;
        rc = get_one(type, service_class, service_name, inst, p, &items[i], err);
        if (rc == SCPAUTH_OK)
            list.count++;
        else if (n_instances > 0)
            scpauth__error_prefix(err, "instance %lu", (unsigned long)i);
    }
    if (rc != SCPAUTH_OK) {
        scpauth_spn_list_free(&list);
        return rc;
    }
    *out = list;
    return SCPAUTH_OK;
}
