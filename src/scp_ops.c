/* scp_ops.c - SCP publication, update (Microsoft's ScpUpdate), read and
 * removal by objectGUID, on the session's DC (bound first if deferred). */
#include <stdio.h>
#include <string.h>

#include "scp_ops.h"

#define HINT_RECREATE "the SCP was removed: publish it again (scpauth scp update recreates it)"

static const char *const guid_attrs[] = {"objectGUID", "objectClass", NULL};
static const char *const guid_binary[] = {"objectGUID", NULL};

int scpauth__scp_read_entry(scpauth_dir *dir, void *conn, const char *base,
                            scpauth__dir_entries *es, scpauth_error *err)
{
    scpauth__dir_query q = {base, SCPAUTH__DIR_SCOPE_BASE, "(objectClass=*)",
                            scpauth__scp_read_attrs, scpauth__scp_binary_attrs};
    return scpauth__dir_search(dir, conn, &q, es, err);
}

int scpauth__dn_parent(const char *dn, char *out, size_t size, scpauth_error *err)
{
    const char *p = dn;
    for (; *p != '\0' && *p != ','; p++)
        if (*p == '\\' && p[1] != '\0')
            p++; /* an escaped character, ',' included */
    if (*p == ',')
        p++;
    while (*p == ' ')
        p++;
    if (*p == '\0')
        return scpauth__error_set(err, SCPAUTH_EINVAL, "DN \"%.300s\" has no parent", dn);
    if (strlen(p) >= size)
        return scpauth__error_set(err, SCPAUTH_EINVAL, "parent of DN \"%.300s\" is too long", dn);
    strcpy(out, p);
    return SCPAUTH_OK;
}

/* ENOTSUP when the backend lacks the write operation (present == 0). */
static int writes_supported(const scpauth_dir *dir, int present, const char *what,
                            scpauth_error *err)
{
    if (present)
        return SCPAUTH_OK;
    return scpauth__error_set(err, SCPAUTH_ENOTSUP, "%s: the \"%s\" directory backend cannot "
                              "write objects", what, dir->backend->name);
}

/* "SVCHOST1$" from "svchost1.example.test". */
static int default_account(const char *dns_name, char *out, size_t size, scpauth_error *err)
{
    size_t n = strcspn(dns_name, ".");
    if (n == 0 || n + 2 > size)
        return scpauth__error_set(err, SCPAUTH_EINVAL, "cannot derive a computer account from "
                                  "host name \"%.200s\"", dns_name);
    for (size_t i = 0; i < n; i++) {
        char c = dns_name[i];
        out[i] = (c >= 'a' && c <= 'z') ? (char)(c - 'a' + 'A') : c;
    }
    out[n] = '$';
    out[n + 1] = '\0';
    return SCPAUTH_OK;
}

/* The computer object whose dNSHostName is host, in the session's domain:
 * its DN in dn, or "" when there is none. Errors: EDIR (several), and the
 * directory errors. */
static int computer_by_host(scpauth_dir *dir, const char *host, char *dn, size_t size,
                            scpauth_error *err)
{
    static const char *const attrs[] = {"dNSHostName", NULL};
    char filter[SCPAUTH_DIR_HOST_MAX * 3 + 64] = "(&(objectClass=computer)(dNSHostName=";
    int rc = scpauth__filter_append(filter, sizeof(filter) - 3, host, err);
    if (rc != SCPAUTH_OK)
        return rc;
    strcat(filter, "))");
    scpauth__dir_entries es = {0};
    scpauth__dir_query q = {dir->info.base_dn, SCPAUTH__DIR_SCOPE_SUBTREE, filter, attrs, NULL};
    if ((rc = scpauth__dir_search(dir, dir->bconn, &q, &es, err)) != SCPAUTH_OK)
        return rc;
    dn[0] = '\0';
    if (es.count == 1)
        scpauth__dir_copy(dn, size, es.items[0].dn);
    else if (es.count > 1)
        rc = scpauth__error_set(err, SCPAUTH_EDIR, "%zu computer objects have dNSHostName %s "
                                "(%s, %s%s): give the SCP's parent DN", es.count, host,
                                es.items[0].dn, es.items[1].dn, es.count > 2 ? ", ..." : "");
    scpauth__dir_entries_free(&es);
    return rc;
}

/* The DN the SCP goes under: params->parent_dn; or the computer object of
 * host_account; or the one whose dNSHostName is the SCP's host, else the
 * account named after its first label. locate checks that the parent's
 * dNSHostName is the SCP's host: so does this. */
static int resolve_parent(scpauth_dir *dir, const scpauth_scp_params *params,
                          const char *host_account, char *parent, size_t size,
                          scpauth_error *err)
{
    if (params->parent_dn != NULL) {
        scpauth__dir_copy(parent, size, params->parent_dn);
        return SCPAUTH_OK;
    }
    if (params->dns_name == NULL)
        return scpauth__error_set(err, SCPAUTH_EINVAL, "SCP: no serviceDNSName given");
    char derived[SCPAUTH_DIR_SAM_MAX];
    if (host_account == NULL) {
        int rc = computer_by_host(dir, params->dns_name, parent, size, err);
        if (rc != SCPAUTH_OK || parent[0] != '\0')
            return rc;
        rc = default_account(params->dns_name, derived, sizeof(derived), err);
        if (rc != SCPAUTH_OK)
            return rc;
        host_account = derived;
    }
    scpauth_dir_account acct;
    int rc = scpauth_dir_account_find(dir, host_account, &acct, err);
    if (rc != SCPAUTH_OK) {
        scpauth__error_prefix(err, "finding the computer object to publish the SCP under");
        return rc;
    }
    if (!acct.is_computer || !scpauth__ascii_equal_nocase(acct.dns_host_name, params->dns_name)) {
        scpauth__error_set(err, SCPAUTH_ESCPUNTRUSTED,
                           "SCP for host %.255s: account %s (%s) %s%s%s; clients' trust check "
                           "would reject an SCP under it", params->dns_name,
                           acct.sam_account_name, acct.dn,
                           acct.is_computer ? "has dNSHostName \"" : "is not a computer",
                           acct.is_computer ? acct.dns_host_name : "",
                           acct.is_computer ? "\"" : "");
        scpauth__error_hint(err, "publish under the computer object of the host named in "
                                 "serviceDNSName (--host, --account), or give --parent DN");
        return SCPAUTH_ESCPUNTRUSTED;
    }
    scpauth__dir_copy(parent, size, acct.dn);
    return SCPAUTH_OK;
}

/* The objectGUID of the object at dn (read back after an add). */
static int read_guid(scpauth_dir *dir, const char *dn, scpauth_guid *guid, scpauth_error *err)
{
    scpauth__dir_entries es = {0};
    scpauth__dir_query q = {dn, SCPAUTH__DIR_SCOPE_BASE, "(objectClass=*)", guid_attrs,
                            guid_binary};
    int rc = scpauth__dir_search(dir, dir->bconn, &q, &es, err);
    if (rc != SCPAUTH_OK)
        return rc;
    const scpauth__dir_attr *a = es.count == 1 ? scpauth__dir_entry_attr(&es.items[0],
                                                                         "objectGUID")
                                               : NULL;
    if (a == NULL || a->count != 1 || a->values[0].len != sizeof(guid->bytes))
        rc = scpauth__error_set(err, SCPAUTH_EDIR, "SCP %s was created but its objectGUID "
                                "could not be read back on DC %s", dn, dir->info.dc);
    else
        memcpy(guid->bytes, a->values[0].data, sizeof(guid->bytes));
    scpauth__dir_entries_free(&es);
    return rc;
}

int scpauth_scp_publish(scpauth_dir *dir, const scpauth_scp_params *params,
                        const char *host_account, scpauth_scp_written *out, scpauth_error *err)
{
    if (dir == NULL || params == NULL || out == NULL)
        return scpauth__error_set(err, SCPAUTH_EINVAL, "scpauth_scp_publish: NULL argument");
    memset(out, 0, sizeof(*out));
    int rc = writes_supported(dir, dir->backend->entry_add != NULL, "publishing an SCP", err);
    if (rc == SCPAUTH_OK)
        rc = scpauth__dir_dc_ready(dir, err);
    char parent[SCPAUTH_DIR_DN_MAX];
    if (rc == SCPAUTH_OK)
        rc = resolve_parent(dir, params, host_account, parent, sizeof(parent), err);
    if (rc != SCPAUTH_OK)
        return rc;
    scpauth_scp_params p = *params;
    p.parent_dn = parent;
    scpauth_scp_entry e;
    if ((rc = scpauth_scp_build(&p, &e, err)) != SCPAUTH_OK)
        return rc;
    rc = dir->backend->entry_add(dir->bconn, dir->timeout_ms, &e.entry, err);
    if (rc == SCPAUTH_ECONFLICT)
        scpauth__error_hint(err, "this host already has an SCP of this class and instance: "
                                 "update it (scpauth scp update --guid GUID), remove it, or "
                                 "publish another --instance");
    if (rc == SCPAUTH_OK) {
        scpauth__dir_copy(out->dn, sizeof(out->dn), e.entry.dn);
        rc = read_guid(dir, e.entry.dn, &out->guid, err);
    }
    scpauth_scp_entry_free(&e);
    return rc;
}

/* The SCP with objectGUID guid as a raw entry; ENOTFOUND when absent. */
static int read_by_guid(scpauth_dir *dir, const scpauth_guid *guid, scpauth__dir_entries *es,
                        scpauth_error *err)
{
    char base[SCPAUTH_GUID_DN_SIZE], text[SCPAUTH_GUID_STRING_SIZE];
    scpauth_guid_to_dn(guid, base);
    int rc = scpauth__dir_dc_ready(dir, err);
    if (rc == SCPAUTH_OK)
        rc = scpauth__scp_read_entry(dir, dir->bconn, base, es, err);
    if (rc != SCPAUTH_OK || es->count > 0)
        return rc;
    scpauth_guid_to_string(guid, text);
    scpauth__error_set(err, SCPAUTH_ENOTFOUND, "no object with objectGUID %s in the domain "
                       "of DC %s", text, dir->info.dc);
    scpauth__error_hint(err, HINT_RECREATE);
    return SCPAUTH_ENOTFOUND;
}

int scpauth_scp_read(scpauth_dir *dir, const scpauth_guid *guid, scpauth_scp *out,
                     scpauth_error *err)
{
    if (dir == NULL || guid == NULL || out == NULL)
        return scpauth__error_set(err, SCPAUTH_EINVAL, "scpauth_scp_read: NULL argument");
    scpauth_scp empty = SCPAUTH_SCP_INIT;
    *out = empty;
    scpauth__dir_entries es = {0};
    int rc = read_by_guid(dir, guid, &es, err);
    if (rc == SCPAUTH_OK)
        rc = scpauth__scp_from_dir_entry(&es.items[0], out, err);
    scpauth__dir_entries_free(&es);
    return rc;
}

/* Replaces the host and port attributes of cur with what params says. */
static int rewrite(scpauth_dir *dir, const scpauth_scp *cur, const scpauth_scp_params *params,
                   scpauth_error *err)
{
    scpauth_scp_params p = *params;
    p.parent_dn = NULL;
    scpauth_scp_entry e;
    int rc = scpauth_scp_build(&p, &e, err); /* checks the new values */
    if (rc != SCPAUTH_OK)
        return rc;
    static const char *const names[] = {"serviceDNSName", "serviceDNSNameType",
                                        "serviceBindingInformation"};
    scpauth_entry_attr attrs[3];
    for (size_t i = 0; i < 3; i++)
        attrs[i] = *scpauth_entry_find(&e.entry, names[i]);
    rc = dir->backend->entry_replace(dir->bconn, dir->timeout_ms, cur->dn, attrs, 3, err);
    scpauth_scp_entry_free(&e);
    return rc;
}

int scpauth_scp_update(scpauth_dir *dir, const scpauth_guid *guid,
                       const scpauth_scp_params *params, const char *host_account,
                       scpauth_scp_written *out, scpauth_error *err)
{
    if (dir == NULL || guid == NULL || params == NULL || out == NULL ||
        params->dns_name == NULL)
        return scpauth__error_set(err, SCPAUTH_EINVAL, "scpauth_scp_update: NULL argument");
    memset(out, 0, sizeof(*out));
    int rc = writes_supported(dir, dir->backend->entry_replace != NULL, "updating an SCP", err);
    if (rc != SCPAUTH_OK)
        return rc;
    scpauth_scp cur;
    rc = scpauth_scp_read(dir, guid, &cur, err);
    if (rc == SCPAUTH_ENOTFOUND) {
        rc = scpauth_scp_publish(dir, params, host_account, out, err);
        out->recreated = rc == SCPAUTH_OK;
        return rc;
    }
    if (rc != SCPAUTH_OK)
        return rc;
    out->guid = *guid;
    scpauth__dir_copy(out->dn, sizeof(out->dn), cur.dn);
    int same = scpauth__ascii_equal_nocase(cur.dns_name, params->dns_name) &&
               cur.port == params->port && cur.dns_name_type == SCPAUTH_SCP_DNS_A &&
               cur.n_bindings == 1;
    if (!same) {
        rc = rewrite(dir, &cur, params, err);
        out->changed = rc == SCPAUTH_OK;
    }
    scpauth_scp_free(&cur);
    return rc;
}

int scpauth_scp_remove(scpauth_dir *dir, const scpauth_guid *guid, scpauth_scp_written *out,
                       scpauth_error *err)
{
    if (dir == NULL || guid == NULL)
        return scpauth__error_set(err, SCPAUTH_EINVAL, "scpauth_scp_remove: NULL argument");
    if (out != NULL)
        memset(out, 0, sizeof(*out));
    int rc = writes_supported(dir, dir->backend->entry_delete != NULL, "removing an SCP", err);
    scpauth__dir_entries es = {0};
    if (rc == SCPAUTH_OK)
        rc = read_by_guid(dir, guid, &es, err);
    if (rc != SCPAUTH_OK)
        return rc;
    const scpauth__dir_entry *e = &es.items[0];
    if (!scpauth__dir_attr_has(scpauth__dir_entry_attr(e, "objectClass"),
                               "serviceConnectionPoint"))
        rc = scpauth__error_set(err, SCPAUTH_EINVAL, "object %s is not a "
                                "serviceConnectionPoint: not removed", e->dn);
    else
        rc = dir->backend->entry_delete(dir->bconn, dir->timeout_ms, e->dn, err);
    if (rc == SCPAUTH_OK && out != NULL) {
        out->guid = *guid;
        scpauth__dir_copy(out->dn, sizeof(out->dn), e->dn);
    }
    scpauth__dir_entries_free(&es);
    return rc;
}
