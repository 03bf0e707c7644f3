/* doctor_account.c - the SPN's owner (exactly one account, forest-wide)
 * and that account's Kerberos facts: msDS-SupportedEncryptionTypes and
 * msDS-KeyVersionNumber. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doctor_internal.h"

int scpauth__doctor_read(scpauth__doctor *d, const char *dn, const char *const *attrs,
                         scpauth__dir_entries *out, scpauth_error *err)
{
    scpauth__dir_query q = {dn, SCPAUTH__DIR_SCOPE_BASE, "(objectClass=*)", attrs, NULL};
    int rc = scpauth__dir_search(d->dir, d->dir->bconn, &q, out, err);
    if (rc == SCPAUTH_OK && out->count == 0) {
        scpauth__error_set(err, SCPAUTH_ENOTFOUND, "%s: not found on DC %s", dn,
                           d->dir->info.dc);
        return SCPAUTH_ENOTFOUND;
    }
    return rc;
}

static void list_owners(const scpauth_dir_owner_list *l, char *out, size_t size)
{
    out[0] = '\0';
    for (size_t i = 0; i < l->count; i++) {
        scpauth__doctor_append(out, size, "%s%s (%s)", i ? ", " : "",
                 l->items[i].sam_account_name, l->items[i].dn);
    }
}

void scpauth__doctor_check_spn(scpauth__doctor *d)
{
    scpauth_doctor_check *c = scpauth__doctor_add(d, "spn");
    if (d->spn[0] == '\0') {
        scpauth__doctor_set(c, SCPAUTH_DOCTOR_SKIPPED, SCPAUTH_OK,
                            "no SPN to look up (none named, none from an SCP)");
        return;
    }
    if (d->dir == NULL) {
        scpauth__doctor_set(c, SCPAUTH_DOCTOR_SKIPPED, SCPAUTH_OK,
                            "SPN %s not looked up: no directory session (see dc)", d->spn);
        return;
    }
    scpauth_error err;
    scpauth_error_clear(&err);
    scpauth_dir_owner_list owners = {NULL, 0};
    int rc = scpauth_dir_spn_query(d->dir, d->spn, &owners, &err);
    if (rc != SCPAUTH_OK) {
        scpauth__doctor_fail(c, &err, "see the message; the global catalog (port 3268) "
                                      "answers forest-wide SPN queries");
        return;
    }
    char names[SCPAUTH_DOCTOR_TEXT_MAX / 2];
    list_owners(&owners, names, sizeof(names));
    if (owners.count == 0) {
        scpauth__doctor_set(c, SCPAUTH_DOCTOR_PROBLEM, SCPAUTH_ENOSPN,
                            "SPN %s is registered on no account in the forest (global "
                            "catalog): the KDC answers KDC_ERR_S_PRINCIPAL_UNKNOWN", d->spn);
        scpauth__doctor_fix(c, "register it on the account the service runs as: scpauth spn "
                               "add --account ACCOUNT %s (Windows: setspn -S %s ACCOUNT)",
                            d->spn, d->spn);
    } else if (owners.count > 1) {
        scpauth__doctor_set(c, SCPAUTH_DOCTOR_PROBLEM, SCPAUTH_ECONFLICT,
                            "SPN %s is registered on %zu accounts: %s; the KDC refuses tickets "
                            "for a duplicate SPN (KDC_ERR_PRINCIPAL_NOT_UNIQUE) or encrypts "
                            "them with the wrong account's key", d->spn, owners.count, names);
        scpauth__doctor_fix(c, "keep it only on the account the service runs as: scpauth spn "
                               "delete --account OTHER-ACCOUNT %s (Windows: setspn -D)", d->spn);
    } else {
        scpauth__doctor_set(c, SCPAUTH_DOCTOR_OK, SCPAUTH_OK,
                            "SPN %s is registered on exactly one account: %s", d->spn, names);
        scpauth__dir_copy(d->owner_dn, sizeof(d->owner_dn), owners.items[0].dn);
        scpauth__dir_copy(d->owner_sam, sizeof(d->owner_sam), owners.items[0].sam_account_name);
        d->has_owner = 1;
    }
    scpauth_dir_owner_list_free(&owners);
}

/* msDS-KeyVersionNumber: a constructed attribute, read on the DC (the
 * global catalog does not have it). */
static void keep_kvno(scpauth__doctor *d, const scpauth__dir_entry *e)
{
    const char *v = scpauth__dir_entry_first(e, "msDS-KeyVersionNumber");
    char *end = NULL;
    unsigned long long k = *v ? strtoull(v, &end, 10) : 0;
    if (*v && *end == '\0' && k <= UINT32_MAX) {
        d->kvno = (uint32_t)k;
        d->has_kvno = 1;
    }
}

void scpauth__doctor_check_enctypes(scpauth__doctor *d)
{
    scpauth_doctor_check *c = scpauth__doctor_add(d, "enctypes");
    if (!d->has_owner) {
        scpauth__doctor_set(c, SCPAUTH_DOCTOR_SKIPPED, SCPAUTH_OK,
                            "needs the SPN's one account (see spn)");
        return;
    }
    static const char *const attrs[] = {"msDS-SupportedEncryptionTypes",
                                        "msDS-KeyVersionNumber", NULL};
    scpauth__dir_entries es = {0};
    scpauth_error err;
    scpauth_error_clear(&err);
    int rc = scpauth__doctor_read(d, d->owner_dn, attrs, &es, &err);
    if (rc == SCPAUTH_ENOTFOUND) {
        scpauth__doctor_set(c, SCPAUTH_DOCTOR_SKIPPED, rc,
                            "%s is not in this session's domain; open the session in its "
                            "domain (--domain) to read its msDS-SupportedEncryptionTypes",
                            d->owner_dn);
    } else if (rc != SCPAUTH_OK) {
        scpauth__doctor_fail(c, &err, NULL);
    } else {
        const scpauth__dir_attr *a =
            scpauth__dir_entry_attr(&es.items[0], "msDS-SupportedEncryptionTypes");
        scpauth__doctor_etypes_judge(c, d->owner_sam,
                                     a != NULL && a->count ? a->values[0].data : NULL);
        keep_kvno(d, &es.items[0]);
    }
    scpauth__dir_entries_free(&es);
}
