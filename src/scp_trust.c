/* scp_trust.c - what a client checks before it trusts a located SCP: the
 * host it names is the computer it sits under, and the SPN it will compose
 * belongs to exactly one account (the expected one, when given). Anyone
 * who may create objects somewhere in the forest can plant an SCP; only
 * these checks tie it to an account the KDC will issue tickets for.
 * The facts for a batch of SCPs come from ONE global catalog search (the
 * parents by distinguishedName, the owners by servicePrincipalName): one
 * round trip instead of two per SCP. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scp_ops.h"

static const char *const fetch_attrs[] = {"dNSHostName", "servicePrincipalName",
                                          "sAMAccountName", "objectClass", NULL};

int scpauth__scp_client_spn(const scpauth_scp *scp, int without_port, char *spn, size_t size,
                            scpauth_error *err)
{
    size_t n = size;
    return scpauth_spn_make(scp->service_class, scp->dns_name, NULL,
                            without_port ? 0u : scp->port, NULL, spn, &n, err);
}

int scpauth__scp_trust_prepare(int spn_without_port, scpauth_scp_located *loc,
                               scpauth_error *err)
{
    const scpauth_scp *scp = &loc->scp;
    int rc = scpauth__scp_client_spn(scp, spn_without_port, loc->spn, sizeof(loc->spn), err);
    if (rc != SCPAUTH_OK)
        return rc;
    if (scp->dns_name_type != SCPAUTH_SCP_DNS_A)
        return scpauth__error_set(err, SCPAUTH_ESCPUNTRUSTED,
                                  "SCP %s: serviceDNSName %s is an SRV name (type SRV), which "
                                  "cannot be checked against a computer object (SPN %s)",
                                  scp->dn, scp->dns_name, loc->spn);
    return scpauth__dn_parent(scp->dn, loc->host_dn, sizeof(loc->host_dn), err);
}

/* Appends "(attr=<value escaped>)" to f (size bytes). */
static int add_term(char *f, size_t size, const char *attr, const char *value,
                    scpauth_error *err)
{
    size_t used = strlen(f);
    if (used + strlen(attr) + 3 >= size)
        return scpauth__error_set(err, SCPAUTH_ENOBUFS, "trust check filter is too long");
    snprintf(f + used, size - used, "(%s=", attr);
    int rc = scpauth__filter_append(f, size - 1, value, err);
    if (rc == SCPAUTH_OK)
        strcat(f, ")");
    return rc;
}

/* 1 when locs[0..i) already asked for the same parent (dn) or SPN (!dn). */
static int asked_before(scpauth_scp_located *const *locs, size_t i, int dn)
{
    for (size_t k = 0; k < i; k++)
        if (dn ? scpauth__dn_equal(locs[k]->host_dn, locs[i]->host_dn)
               : scpauth__ascii_equal_nocase(locs[k]->spn, locs[i]->spn))
            return 1;
    return 0;
}

int scpauth__scp_trust_fetch(scpauth_dir *dir, void *gc, scpauth_scp_located *const *locs,
                             size_t n, scpauth__dir_entries *es, scpauth_error *err)
{
    size_t size = 8;
    for (size_t i = 0; i < n; i++)
        size += sizeof("(distinguishedName=)(servicePrincipalName=)") +
                3 * (strlen(locs[i]->host_dn) + strlen(locs[i]->spn));
    char *f = malloc(size);
    if (f == NULL)
        return scpauth__error_set(err, SCPAUTH_ENOMEM, "out of memory building the filter of "
                                  "the SCPs' trust checks");
    strcpy(f, "(|");
    int rc = SCPAUTH_OK;
    for (size_t i = 0; rc == SCPAUTH_OK && i < n; i++) {
        if (!asked_before(locs, i, 1))
            rc = add_term(f, size - 1, "distinguishedName", locs[i]->host_dn, err);
        if (rc == SCPAUTH_OK && !asked_before(locs, i, 0))
            rc = add_term(f, size - 1, "servicePrincipalName", locs[i]->spn, err);
    }
    if (rc == SCPAUTH_OK) {
        strcat(f, ")");
        scpauth__dir_query q = {"", SCPAUTH__DIR_SCOPE_SUBTREE, f, fetch_attrs, NULL};
        rc = scpauth__dir_search(dir, gc, &q, es, err);
    }
    free(f);
    return rc;
}

/* The SCP's host must be the dNSHostName of its parent computer object. */
static int check_host(const scpauth__dir_entries *es, scpauth_scp_located *loc,
                      scpauth_error *err)
{
    const scpauth_scp *scp = &loc->scp;
    const scpauth__dir_entry *e = NULL;
    for (size_t i = 0; e == NULL && i < es->count; i++)
        if (scpauth__dn_equal(es->items[i].dn, loc->host_dn))
            e = &es->items[i];
    const char *host = e != NULL ? scpauth__dir_entry_first(e, "dNSHostName") : "";
    int rc = SCPAUTH_OK;
    if (e == NULL || !scpauth__dir_attr_has(scpauth__dir_entry_attr(e, "objectClass"),
                                            "computer"))
        rc = scpauth__error_set(err, SCPAUTH_ESCPUNTRUSTED,
                                "SCP %s (SPN %s) does not sit under a computer object: its "
                                "parent %s is %s", scp->dn, loc->spn, loc->host_dn,
                                e == NULL ? "not in the global catalog" : "something else");
    else if (!scpauth__ascii_equal_nocase(host, scp->dns_name))
        rc = scpauth__error_set(err, SCPAUTH_ESCPUNTRUSTED,
                                "SCP %s names host %s (SPN %s) but sits under computer %s "
                                "(%s), whose dNSHostName is \"%s\"", scp->dn, scp->dns_name,
                                loc->spn, scpauth__dir_entry_first(e, "sAMAccountName"),
                                loc->host_dn, host);
    if (rc != SCPAUTH_OK)
        scpauth__error_hint(err, "an SCP is trusted only under the computer object of the "
                                 "host it names; remove it, or publish it from that host");
    return rc;
}

/* Exactly one owner of loc->spn, and the expected one when given. */
static int check_owner(const scpauth__dir_entries *es, const char *expect_dn,
                       const char *expect_name, scpauth_scp_located *loc, scpauth_error *err)
{
    const scpauth_scp *scp = &loc->scp;
    const scpauth__dir_entry *owners[3];
    size_t count = 0;
    for (size_t i = 0; i < es->count; i++)
        if (scpauth__dir_attr_has(scpauth__dir_entry_attr(&es->items[i],
                                                          "servicePrincipalName"), loc->spn)) {
            if (count < 3)
                owners[count] = &es->items[i];
            count++;
        }
    if (count == 0) {
        scpauth__error_set(err, SCPAUTH_ESCPUNTRUSTED,
                           "SCP %s: no account in the forest owns SPN %s (the SCP sits "
                           "under %s); a client could not authenticate the service",
                           scp->dn, loc->spn, loc->host_dn);
        scpauth__error_hint(err, "the service's account registers its SPN: scpauth spn add "
                                 "--account ACCOUNT %s", loc->spn);
        return SCPAUTH_ESCPUNTRUSTED;
    }
    if (count > 1) {
        scpauth__error_set(err, SCPAUTH_ESCPUNTRUSTED,
                           "SCP %s: SPN %s is owned by %zu accounts (%s, %s%s); Kerberos "
                           "cannot tell which one is the service", scp->dn, loc->spn, count,
                           owners[0]->dn, owners[1]->dn, count > 2 ? ", ..." : "");
        scpauth__error_hint(err, "remove the SPN from every account but the service's "
                                 "(scpauth spn delete)");
        return SCPAUTH_ESCPUNTRUSTED;
    }
    scpauth__dir_copy(loc->owner_dn, sizeof(loc->owner_dn), owners[0]->dn);
    scpauth__dir_copy(loc->owner_sam, sizeof(loc->owner_sam),
                      scpauth__dir_entry_first(owners[0], "sAMAccountName"));
    if (expect_dn != NULL && !scpauth__dn_equal(loc->owner_dn, expect_dn))
        return scpauth__error_set(err, SCPAUTH_ESCPUNTRUSTED,
                                  "SCP %s: SPN %s is owned by %s (%s), not by the expected "
                                  "account %s (%s)", scp->dn, loc->spn, loc->owner_sam,
                                  loc->owner_dn, expect_name, expect_dn);
    return SCPAUTH_OK;
}

int scpauth__scp_trust_match(const scpauth__dir_entries *es, const char *expect_dn,
                             const char *expect_name, scpauth_scp_located *loc,
                             scpauth_error *err)
{
    int rc = check_host(es, loc, err);
    return rc != SCPAUTH_OK ? rc : check_owner(es, expect_dn, expect_name, loc, err);
}
