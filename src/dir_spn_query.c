/* dir_spn_query.c - who owns an SPN (forest-wide, like setspn -Q) and the
 * service start check (are my SPNs on my account?). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dir_spn.h"

#define OWNER_FILTER_CHUNK 32 /* SPNs per OR filter */

static const char *const owner_attrs[] = {"servicePrincipalName", "sAMAccountName",
                                          "objectClass", NULL};

/* "(|(servicePrincipalName=a)(servicePrincipalName=b)...)" for spns[0..n). */
static char *owner_filter(const char *const *spns, size_t n, scpauth_error *err)
{
    size_t size = 8;
    for (size_t i = 0; i < n; i++)
        size += strlen("(servicePrincipalName=)") + 3 * strlen(spns[i]);
    char *f = malloc(size);
    if (f == NULL) {
        scpauth__error_set(err, SCPAUTH_ENOMEM, "out of memory building an LDAP filter");
        return NULL;
    }
    strcpy(f, "(|");
    for (size_t i = 0; i < n; i++) {
        strcat(f, "(servicePrincipalName=");
        if (scpauth__filter_append(f, size - 2, spns[i], err) != SCPAUTH_OK) {
            free(f);
            return NULL;
        }
        strcat(f, ")");
    }
    strcat(f, ")");
    return f;
}

/* Searches conn under base for holders of spns, chunk by chunk. */
static int search_owners(scpauth_dir *dir, void *conn, const char *base,
                         const char *const *spns, size_t n, scpauth__dir_entries *out,
                         scpauth_error *err)
{
    for (size_t at = 0; at < n; at += OWNER_FILTER_CHUNK) {
        size_t k = n - at < OWNER_FILTER_CHUNK ? n - at : OWNER_FILTER_CHUNK;
        char *filter = owner_filter(spns + at, k, err);
        if (filter == NULL)
            return SCPAUTH_ENOMEM;
        scpauth__dir_query q = {base, SCPAUTH__DIR_SCOPE_SUBTREE, filter, owner_attrs, NULL};
        int rc = scpauth__dir_search(dir, conn, &q, out, err);
        free(filter);
        if (rc != SCPAUTH_OK)
            return rc;
    }
    return SCPAUTH_OK;
}

/* Drops entries for account_dn (its own SPNs are no conflict). */
static void drop_account(scpauth__dir_entries *es, const char *account_dn)
{
    for (size_t i = 0; account_dn != NULL && i < es->count;) {
        if (scpauth__dn_equal(es->items[i].dn, account_dn))
            scpauth__dir_entries_remove(es, i);
        else
            i++;
    }
}

int scpauth__spn_owners(scpauth_dir *dir, const char *const *spns, size_t n,
                        const char *account_dn, scpauth__dir_entries *owners,
                        scpauth_error *err)
{
    void *gc = scpauth__dir_gc(dir, NULL);
    /* without a GC the DC's own domain is still checked (and the DC itself
     * refuses duplicates it can see) */
    int rc = gc != NULL ? search_owners(dir, gc, "", spns, n, owners, err)
                        : scpauth__dir_dc_ready(dir, err);
    if (gc == NULL && rc == SCPAUTH_OK)
        rc = search_owners(dir, dir->bconn, dir->info.base_dn, spns, n, owners, err);
    if (rc == SCPAUTH_OK)
        drop_account(owners, account_dn);
    return rc;
}

static void fill_owner(const scpauth__dir_entry *e, scpauth_dir_owner *o)
{
    memset(o, 0, sizeof(*o));
    scpauth__dir_copy(o->dn, sizeof(o->dn), e->dn);
    scpauth__dir_copy(o->sam_account_name, sizeof(o->sam_account_name),
                      scpauth__dir_entry_first(e, "sAMAccountName"));
    o->is_computer = scpauth__dir_attr_has(scpauth__dir_entry_attr(e, "objectClass"), "computer");
}

int scpauth_dir_spn_query(scpauth_dir *dir, const char *spn, scpauth_dir_owner_list *out,
                          scpauth_error *err)
{
    if (dir == NULL || spn == NULL || out == NULL)
        return scpauth__error_set(err, SCPAUTH_EINVAL, "scpauth_dir_spn_query: NULL argument");
    out->items = NULL;
    out->count = 0;
    scpauth_spn_parts parts;
    int rc = scpauth_spn_crack(spn, strlen(spn), &parts, err);
    if (rc != SCPAUTH_OK)
        return rc;
    void *gc = scpauth__dir_gc(dir, err);
    if (gc == NULL) {
        scpauth__error_prefix(err, "cannot ask the forest who owns %.200s", spn);
        return err != NULL ? err->code : SCPAUTH_ENODC;
    }
    scpauth__dir_entries es = {0};
    rc = search_owners(dir, gc, "", &spn, 1, &es, err);
    if (rc == SCPAUTH_OK && es.count > 0 &&
        (out->items = calloc(es.count, sizeof(*out->items))) == NULL)
        rc = scpauth__error_set(err, SCPAUTH_ENOMEM, "out of memory listing SPN owners");
    for (size_t i = 0; rc == SCPAUTH_OK && i < es.count; i++)
        fill_owner(&es.items[i], &out->items[out->count++]);
    scpauth__dir_entries_free(&es);
    return rc;
}

void scpauth_dir_owner_list_free(scpauth_dir_owner_list *list)
{
    if (list == NULL)
        return;
    free(list->items);
    list->items = NULL;
    list->count = 0;
}

/* "; a is registered on OWNER" for each missing SPN someone else holds. */
static void note_elsewhere(scpauth_dir *dir, const scpauth_spn_list *missing,
                           const char *account_dn, char *buf, size_t size)
{
    scpauth__dir_entries owners = {0};
    if (scpauth__spn_owners(dir, (const char *const *)missing->items, missing->count,
                            account_dn, &owners, NULL) != SCPAUTH_OK)
        return;
    for (size_t i = 0; i < missing->count; i++)
        for (size_t k = 0; k < owners.count; k++)
            if (scpauth__dir_attr_has(scpauth__dir_entry_attr(&owners.items[k],
                                                              "servicePrincipalName"),
                                      missing->items[i])) {
                size_t used = strlen(buf);
                if (used + 1 < size)
                    snprintf(buf + used, size - used, "; %.200s is registered on %.300s",
                             missing->items[i], owners.items[k].dn);
            }
    scpauth__dir_entries_free(&owners);
}

static int report_missing(scpauth_dir *dir, const scpauth_dir_account *a,
                          const scpauth_spn_list *missing, scpauth_error *err)
{
    char names[SCPAUTH_ERROR_MESSAGE_MAX] = "", cmd[SCPAUTH_ERROR_HINT_MAX] = "";
    char quoted[SCPAUTH_DIR_SAM_MAX * 4 + 3];
    for (size_t i = 0; i < missing->count; i++) {
        size_t used = strlen(names);
        if (used + 1 < sizeof(names))
            snprintf(names + used, sizeof(names) - used, "%s%s", i ? ", " : "",
                     missing->items[i]);
        used = strlen(cmd);
        if (used + strlen(missing->items[i]) + 2 < sizeof(cmd) - 80)
            snprintf(cmd + used, sizeof(cmd) - used, " %s", missing->items[i]);
    }
    note_elsewhere(dir, missing, a->dn, names, sizeof(names));
    scpauth__shell_quote(a->sam_account_name[0] ? a->sam_account_name : a->dn, quoted,
                         sizeof(quoted));
    scpauth__error_set(err, SCPAUTH_ENOSPN, "%zu SPN(s) not registered on %s (%s): %s",
                       missing->count, a->sam_account_name, a->dn, names);
    scpauth__error_hint(err, "register them (an administrator, or the computer itself for "
                             "its own host SPNs): scpauth spn add --account %s%s",
                        quoted, cmd);
    return SCPAUTH_ENOSPN;
}

int scpauth_dir_spn_check(scpauth_dir *dir, const char *account, const char *const *spns,
                          size_t n, scpauth_error *err)
{
    if (dir == NULL || account == NULL)
        return scpauth__error_set(err, SCPAUTH_EINVAL, "scpauth_dir_spn_check: NULL argument");
    scpauth_dir_spn_result plan;
    int rc = scpauth__spn_plan_account(dir, SCPAUTH_DIR_SPN_ADD, account, spns, n, &plan, err);
    if (rc != SCPAUTH_OK)
        return rc;
    /* what an add would write is exactly what is missing */
    if (plan.added.count > 0)
        rc = report_missing(dir, &plan.account, &plan.added, err);
    scpauth_dir_spn_result_free(&plan);
    return rc;
}
