/* dir_account_find.c - finding a user or computer account by any of its
 * names. AD has no LDAP "whoami", so "self" is found from the credentials'
 * principal: its userPrincipalName, or its sAMAccountName in this domain. */
#include <stdio.h>
#include <string.h>

#include "dir_internal.h"

static const char *const account_attrs[] = {"sAMAccountName", "userPrincipalName",
                                            "dNSHostName", "objectClass",
                                            "servicePrincipalName", NULL};

static void fill_account(const scpauth__dir_entry *e, scpauth_dir_account *out)
{
    memset(out, 0, sizeof(*out));
    scpauth__dir_copy(out->dn, sizeof(out->dn), e->dn);
    scpauth__dir_copy(out->sam_account_name, sizeof(out->sam_account_name),
                      scpauth__dir_entry_first(e, "sAMAccountName"));
    scpauth__dir_copy(out->upn, sizeof(out->upn), scpauth__dir_entry_first(e, "userPrincipalName"));
    scpauth__dir_copy(out->dns_host_name, sizeof(out->dns_host_name),
                      scpauth__dir_entry_first(e, "dNSHostName"));
    out->is_computer = scpauth__dir_attr_has(scpauth__dir_entry_attr(e, "objectClass"), "computer");
}

/* Exactly one entry in es, or ENOTFOUND / EDIR (ambiguous) about text. */
static int one_entry(const scpauth_dir *dir, const scpauth__dir_entries *es, const char *text,
                     scpauth_error *err)
{
    if (es->count == 1)
        return SCPAUTH_OK;
    if (es->count == 0) {
        scpauth__error_set(err, SCPAUTH_ENOTFOUND,
                           "account \"%.200s\" not found in %s (no user or computer by that name)",
                           text, dir->info.base_dn);
        scpauth__error_hint(err, "a computer's sAMAccountName ends with '$' (HOST$); check the "
                                 "name, or give the account's DN");
        return SCPAUTH_ENOTFOUND;
    }
    return scpauth__error_set(err, SCPAUTH_EDIR,
                              "account \"%.200s\" is ambiguous: %zu accounts match (%.200s, "
                              "%.200s%s); give its DN",
                              text, es->count, es->items[0].dn, es->items[1].dn,
                              es->count > 2 ? ", ..." : "");
}

static int search_filter(scpauth_dir *dir, const char *base, scpauth__dir_scope scope,
                         const char *filter, scpauth__dir_entries *es, scpauth_error *err)
{
    scpauth__dir_query q = {base, scope, filter, account_attrs, NULL};
    return scpauth__dir_search(dir, dir->bconn, &q, es, err);
}

static int find_self(scpauth_dir *dir, scpauth__dir_entries *es, scpauth_error *err)
{
    scpauth__account_name upn, sam;
    int rc = scpauth__account_from_principal(dir->info.principal, dir->info.domain, &upn, &sam,
                                             err);
    if (rc != SCPAUTH_OK)
        return rc;
    char f1[SCPAUTH_DIR_DN_MAX * 3 + 64], f2[sizeof(f1)], filter[sizeof(f1) * 2 + 8];
    if ((rc = scpauth__account_filter(&upn, f1, sizeof(f1), err)) != SCPAUTH_OK)
        return rc;
    if (sam.kind == SCPAUTH__ACCOUNT_SAM) {
        if ((rc = scpauth__account_filter(&sam, f2, sizeof(f2), err)) != SCPAUTH_OK)
            return rc;
        snprintf(filter, sizeof(filter), "(|%s%s)", f1, f2);
    } else {
        snprintf(filter, sizeof(filter), "%s", f1);
    }
    rc = search_filter(dir, dir->info.base_dn, SCPAUTH__DIR_SCOPE_SUBTREE, filter, es, err);
    if (rc == SCPAUTH_OK && es->count == 0) {
        scpauth__error_set(err, SCPAUTH_ENOTFOUND,
                           "no account in %s for the credentials' principal %s (searched "
                           "userPrincipalName and sAMAccountName)",
                           dir->info.base_dn, dir->info.principal);
        scpauth__error_hint(err, "the credentials belong to another domain: give --domain, "
                                 "or name the account explicitly");
        return SCPAUTH_ENOTFOUND;
    }
    /* a UPN match wins over another account's sAMAccountName match */
    for (size_t i = 0; rc == SCPAUTH_OK && es->count > 1 && i < es->count; i++) {
        const char *upn_i = scpauth__dir_entry_first(&es->items[i], "userPrincipalName");
        if (!scpauth__ascii_equal_nocase(upn_i, dir->info.principal))
            continue;
        for (size_t k = es->count; k-- > 0;)
            if (k != i)
                scpauth__dir_entries_remove(es, k);
        break;
    }
    return rc != SCPAUTH_OK ? rc : one_entry(dir, es, dir->info.principal, err);
}

/* Without a "self" lookup yet: does the principal name this account? */
static int is_principal_of(const scpauth_dir *dir, const scpauth_dir_account *a)
{
    scpauth__account_name upn, sam;
    if (scpauth__account_from_principal(dir->info.principal, dir->info.domain, &upn, &sam,
                                        NULL) != SCPAUTH_OK)
        return 0;
    return (upn.kind == SCPAUTH__ACCOUNT_UPN && scpauth__ascii_equal_nocase(a->upn, upn.name)) ||
           (sam.kind == SCPAUTH__ACCOUNT_SAM &&
            scpauth__ascii_equal_nocase(a->sam_account_name, sam.name));
}

/* DOMAIN\name: DOMAIN must be this domain's NetBIOS or DNS name. */
static int check_nt4_domain(scpauth_dir *dir, const scpauth__account_name *a,
                            scpauth_error *err)
{
    if (scpauth__ascii_equal_nocase(a->domain, dir->info.domain))
        return SCPAUTH_OK;
    char base[SCPAUTH_DIR_DN_MAX + 32], filter[SCPAUTH_DIR_DN_MAX * 3 + 64] =
                                             "(&(objectClass=crossRef)(nCName=";
    static const char *const attrs[] = {"nETBIOSName", NULL};
    snprintf(base, sizeof(base), "CN=Partitions,CN=Configuration,%s", dir->info.forest_dn);
    int rc = scpauth__filter_append(filter, sizeof(filter) - 3, dir->info.base_dn, err);
    if (rc != SCPAUTH_OK)
        return rc;
    strcat(filter, "))");
    scpauth__dir_query q = {base, SCPAUTH__DIR_SCOPE_SUBTREE, filter, attrs, NULL};
    scpauth__dir_entries es = {0};
    if ((rc = scpauth__dir_search(dir, dir->bconn, &q, &es, err)) != SCPAUTH_OK)
        return rc;
    const char *nb = es.count ? scpauth__dir_entry_first(&es.items[0], "nETBIOSName") : "";
    int same = scpauth__ascii_equal_nocase(nb, a->domain);
    char nb_copy[64];
    scpauth__dir_copy(nb_copy, sizeof(nb_copy), nb);
    scpauth__dir_entries_free(&es);
    if (same)
        return SCPAUTH_OK;
    scpauth__error_set(err, SCPAUTH_ENOTFOUND,
                       "account \"%.200s\": domain %s is not this session's domain %s (%s)",
                       a->text, a->domain, dir->info.domain, nb_copy[0] ? nb_copy : "?");
    scpauth__error_hint(err, "open the session on that domain (--domain)");
    return SCPAUTH_ENOTFOUND;
}

static int find_named(scpauth_dir *dir, const scpauth__account_name *a, scpauth__dir_entries *es,
                      scpauth_error *err)
{
    char filter[SCPAUTH_DIR_DN_MAX * 3 + 64];
    int rc;
    if (a->kind == SCPAUTH__ACCOUNT_DN)
        return search_filter(dir, a->name, SCPAUTH__DIR_SCOPE_BASE, "(objectClass=user)", es,
                             err);
    if (a->kind == SCPAUTH__ACCOUNT_NT4 && (rc = check_nt4_domain(dir, a, err)) != SCPAUTH_OK)
        return rc;
    if ((rc = scpauth__account_filter(a, filter, sizeof(filter), err)) != SCPAUTH_OK)
        return rc;
    return search_filter(dir, dir->info.base_dn, SCPAUTH__DIR_SCOPE_SUBTREE, filter, es, err);
}

/* Windows: DsCrackNames gives the DN of DOMAIN\name and UPNs directly. */
static int find_cracked(scpauth_dir *dir, const scpauth__account_name *a,
                        scpauth__dir_entries *es, scpauth_error *err)
{
    char dn[SCPAUTH_DIR_DN_MAX];
    int rc = dir->backend->crack_name(dir->bconn, a->text, dn, sizeof(dn), err);
    if (rc != SCPAUTH_OK)
        return rc;
    return search_filter(dir, dn, SCPAUTH__DIR_SCOPE_BASE, "(objectClass=user)", es, err);
}

int scpauth__dir_account_lookup(scpauth_dir *dir, const char *account,
                                scpauth_dir_account *out, scpauth__dir_entries *entry,
                                scpauth_error *err)
{
    scpauth__account_name a;
    scpauth__dir_entries es = {0};
    int rc = scpauth__account_classify(account, &a, err);
    if (rc == SCPAUTH_OK)
        rc = scpauth__dir_dc_ready(dir, err);
    if (rc != SCPAUTH_OK)
        return rc;
    if (a.kind == SCPAUTH__ACCOUNT_SELF)
        rc = find_self(dir, &es, err);
    else if (dir->backend->crack_name != NULL &&
             (a.kind == SCPAUTH__ACCOUNT_NT4 || a.kind == SCPAUTH__ACCOUNT_UPN))
        rc = find_cracked(dir, &a, &es, err);
    else
        rc = find_named(dir, &a, &es, err);
    if (rc == SCPAUTH_OK)
        rc = one_entry(dir, &es, account, err);
    if (rc != SCPAUTH_OK) {
        scpauth__dir_entries_free(&es);
        return rc;
    }
    fill_account(&es.items[0], out);
    if (a.kind == SCPAUTH__ACCOUNT_SELF) {
        scpauth__dir_copy(dir->self_dn, sizeof(dir->self_dn), out->dn);
        dir->self_known = 1;
    }
    out->is_self = dir->self_known ? scpauth__dn_equal(dir->self_dn, out->dn)
                                   : is_principal_of(dir, out);
    if (entry != NULL)
        *entry = es;
    else
        scpauth__dir_entries_free(&es);
    return SCPAUTH_OK;
}

int scpauth_dir_account_find(scpauth_dir *dir, const char *account, scpauth_dir_account *out,
                             scpauth_error *err)
{
    if (dir == NULL || account == NULL || out == NULL)
        return scpauth__error_set(err, SCPAUTH_EINVAL, "scpauth_dir_account_find: NULL argument");
    return scpauth__dir_account_lookup(dir, account, out, NULL, err);
}
