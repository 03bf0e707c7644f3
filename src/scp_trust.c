/* scp_trust.c - what a client checks before it trusts a located SCP: the
 * host it names is the computer it sits under, and the SPN it will compose
 * belongs to exactly one account (the expected one, when given). Anyone
 * who may create objects somewhere in the forest can plant an SCP; only
 * these checks tie it to an account the KDC will issue tickets for. */
#include <stdio.h>
#include <string.h>

#include "scp_ops.h"

static const char *const parent_attrs[] = {"dNSHostName", "sAMAccountName", "objectClass",
                                           NULL};

int scpauth__scp_client_spn(const scpauth_scp *scp, int without_port, char *spn, size_t size,
                            scpauth_error *err)
{
    size_t n = size;
    return scpauth_spn_make(scp->service_class, scp->dns_name, NULL,
                            without_port ? 0u : scp->port, NULL, spn, &n, err);
}

/* The SCP's host must be the dNSHostName of its parent computer object. */
static int check_host(scpauth_dir *dir, void *gc, const scpauth_scp *scp,
                      scpauth_scp_located *loc, scpauth_error *err)
{
    if (scp->dns_name_type != SCPAUTH_SCP_DNS_A)
        return scpauth__error_set(err, SCPAUTH_ESCPUNTRUSTED,
                                  "SCP %s: serviceDNSName %s is an SRV name (type SRV), which "
                                  "cannot be checked against a computer object (SPN %s)",
                                  scp->dn, scp->dns_name, loc->spn);
    int rc = scpauth__dn_parent(scp->dn, loc->host_dn, sizeof(loc->host_dn), err);
    if (rc != SCPAUTH_OK)
        return rc;
    scpauth__dir_entries es = {0};
    scpauth__dir_query q = {loc->host_dn, SCPAUTH__DIR_SCOPE_BASE, "(objectClass=*)",
                            parent_attrs, NULL};
    if ((rc = scpauth__dir_search(dir, gc, &q, &es, err)) != SCPAUTH_OK)
        return rc;
    const scpauth__dir_entry *e = es.count == 1 ? &es.items[0] : NULL;
    const char *host = e != NULL ? scpauth__dir_entry_first(e, "dNSHostName") : "";
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
    if (rc == SCPAUTH_ESCPUNTRUSTED)
        scpauth__error_hint(err, "an SCP is trusted only under the computer object of the "
                                 "host it names; remove it, or publish it from that host");
    scpauth__dir_entries_free(&es);
    return rc;
}

/* Exactly one owner of loc->spn, and the expected one when given. */
static int check_owner(scpauth_dir *dir, const scpauth_scp *scp, const char *expect_dn,
                       const char *expect_name, scpauth_scp_located *loc, scpauth_error *err)
{
    scpauth_dir_owner_list owners = {NULL, 0};
    int rc = scpauth_dir_spn_query(dir, loc->spn, &owners, err);
    if (rc != SCPAUTH_OK)
        return rc;
    if (owners.count == 0) {
        rc = scpauth__error_set(err, SCPAUTH_ESCPUNTRUSTED,
                                "SCP %s: no account in the forest owns SPN %s (the SCP sits "
                                "under %s); a client could not authenticate the service",
                                scp->dn, loc->spn, loc->host_dn);
        scpauth__error_hint(err, "the service's account registers its SPN: scpauth spn add "
                                 "--account ACCOUNT %s", loc->spn);
    } else if (owners.count > 1) {
        rc = scpauth__error_set(err, SCPAUTH_ESCPUNTRUSTED,
                                "SCP %s: SPN %s is owned by %zu accounts (%s, %s%s); Kerberos "
                                "cannot tell which one is the service", scp->dn, loc->spn,
                                owners.count, owners.items[0].dn, owners.items[1].dn,
                                owners.count > 2 ? ", ..." : "");
        scpauth__error_hint(err, "remove the SPN from every account but the service's "
                                 "(scpauth spn delete)");
    } else {
        scpauth__dir_copy(loc->owner_dn, sizeof(loc->owner_dn), owners.items[0].dn);
        scpauth__dir_copy(loc->owner_sam, sizeof(loc->owner_sam),
                          owners.items[0].sam_account_name);
        if (expect_dn != NULL && !scpauth__dn_equal(loc->owner_dn, expect_dn))
            rc = scpauth__error_set(err, SCPAUTH_ESCPUNTRUSTED,
                                    "SCP %s: SPN %s is owned by %s (%s), not by the expected "
                                    "account %s (%s)", scp->dn, loc->spn, loc->owner_sam,
                                    loc->owner_dn, expect_name, expect_dn);
    }
    scpauth_dir_owner_list_free(&owners);
    return rc;
}

int scpauth__scp_trust_check(scpauth_dir *dir, const scpauth_scp *scp, int spn_without_port,
                             const char *expect_dn, const char *expect_name,
                             scpauth_scp_located *loc, scpauth_error *err)
{
    int rc = scpauth__scp_client_spn(scp, spn_without_port, loc->spn, sizeof(loc->spn), err);
    if (rc != SCPAUTH_OK)
        return rc;
    void *gc = scpauth__dir_gc(dir, err);
    if (gc == NULL)
        return err != NULL ? err->code : SCPAUTH_ENODC;
    if ((rc = check_host(dir, gc, scp, loc, err)) != SCPAUTH_OK)
        return rc;
    return check_owner(dir, scp, expect_dn, expect_name, loc, err);
}
