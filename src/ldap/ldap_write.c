/* ldap_write.c - object writes for SCP publication: add an entry, replace
 * attribute values, delete a leaf; each bounded by the timeout, a refusal
 * keeping the DC's own words. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ldap_internal.h"

#define LDAP_RC_ALREADY_EXISTS 68 /* entryAlreadyExists (RFC 4511) */

/* One wait for every write of this backend (SPNs too: ldap_modify.c). */
int scpauth__ldap_wait_done(scpauth__ldap_conn *c, int msgid, unsigned timeout_ms,
                            const char *what, const char *dn, scpauth_error *err)
{
    struct timeval tv = scpauth__ldap_tv(timeout_ms);
    LDAPMessage *res = NULL;
    int got = ldap_result(c->ld, msgid, LDAP_MSG_ALL, &tv, &res);
    if (got == 0) {
        ldap_abandon_ext(c->ld, msgid, NULL, NULL);
        return scpauth__error_set(err, SCPAUTH_ETIMEDOUT,
                                  "%s %s on %s:%u: no answer within %u ms (the change may or "
                                  "may not be made)", what, dn, c->host, c->port, timeout_ms);
    }
    int code = LDAP_OTHER;
    char *diag = NULL;
    if (got < 0)
        ldap_get_option(c->ld, LDAP_OPT_RESULT_CODE, &code);
    else if (ldap_parse_result(c->ld, res, &code, NULL, &diag, NULL, NULL, 1) != LDAP_SUCCESS)
        code = LDAP_PROTOCOL_ERROR;
    int rc = SCPAUTH_OK;
    if (code == LDAP_RC_ALREADY_EXISTS) {
        rc = scpauth__error_set(err, SCPAUTH_ECONFLICT, "%s %s on %s:%u: an object with this "
                                "DN already exists", what, dn, c->host, c->port);
        scpauth__error_native(err, SCPAUTH_NATIVE_LDAP, (uint32_t)code, 0);
    } else if (code != LDAP_SUCCESS) {
        rc = scpauth__ldap_fail(err, c->ld, code, diag, "%s %s on %s:%u", what, dn, c->host,
                                c->port);
    }
    ldap_memfree(diag);
    return rc;
}

/* LDAPMod array for attrs[0..n) with op; one allocation, freed with free().
 * Values are borrowed (libldap only reads them). */
static LDAPMod **mods_new(int op, const scpauth_entry_attr *attrs, size_t n, scpauth_error *err)
{
    size_t n_values = 0;
    for (size_t i = 0; i < n; i++)
        n_values += attrs[i].count + 1;
    size_t size = (n + 1) * sizeof(LDAPMod *) + n * sizeof(LDAPMod) +
                  n_values * (sizeof(struct berval *) + sizeof(struct berval));
    unsigned char *block = calloc(1, size);
    if (block == NULL) {
        scpauth__error_set(err, SCPAUTH_ENOMEM, "cannot allocate %lu bytes for an LDAP write",
                           (unsigned long)size);
        return NULL;
    }
    LDAPMod **mods = (LDAPMod **)block;
    LDAPMod *m = (LDAPMod *)(mods + n + 1);
    struct berval **bvp = (struct berval **)(m + n);
    struct berval *bv = (struct berval *)(bvp + n_values);
    for (size_t i = 0; i < n; i++) {
        m[i].mod_op = op | LDAP_MOD_BVALUES;
        m[i].mod_type = (char *)(uintptr_t)attrs[i].name;
        m[i].mod_bvalues = bvp;
        for (size_t k = 0; k < attrs[i].count; k++) {
            bv->bv_val = (char *)(uintptr_t)attrs[i].values[k].data;
            bv->bv_len = (ber_len_t)attrs[i].values[k].len;
            *bvp++ = bv++;
        }
        *bvp++ = NULL;
        mods[i] = &m[i];
    }
    mods[n] = NULL;
    return mods;
}

int scpauth__ldap_entry_add(void *bconn, unsigned timeout_ms, const scpauth_entry *entry,
                            scpauth_error *err)
{
    scpauth__ldap_conn *c = bconn;
    LDAPMod **mods = mods_new(LDAP_MOD_ADD, entry->attrs, entry->count, err);
    if (mods == NULL)
        return SCPAUTH_ENOMEM;
    int msgid = -1;
    int rc = ldap_add_ext(c->ld, entry->dn, mods, NULL, NULL, &msgid);
    free(mods);
    if (rc != LDAP_SUCCESS)
        return scpauth__ldap_fail(err, c->ld, rc, NULL, "creating %s on %s:%u", entry->dn,
                                  c->host, c->port);
    return scpauth__ldap_wait_done(c, msgid, timeout_ms, "creating", entry->dn, err);
}

int scpauth__ldap_entry_replace(void *bconn, unsigned timeout_ms, const char *dn,
                                const scpauth_entry_attr *attrs, size_t n, scpauth_error *err)
{
    scpauth__ldap_conn *c = bconn;
    LDAPMod **mods = mods_new(LDAP_MOD_REPLACE, attrs, n, err);
    if (mods == NULL)
        return SCPAUTH_ENOMEM;
    int msgid = -1;
    int rc = ldap_modify_ext(c->ld, dn, mods, NULL, NULL, &msgid);
    free(mods);
    if (rc != LDAP_SUCCESS)
        return scpauth__ldap_fail(err, c->ld, rc, NULL, "modifying %s on %s:%u", dn, c->host,
                                  c->port);
    return scpauth__ldap_wait_done(c, msgid, timeout_ms, "modifying", dn, err);
}

int scpauth__ldap_entry_delete(void *bconn, unsigned timeout_ms, const char *dn,
                               scpauth_error *err)
{
    scpauth__ldap_conn *c = bconn;
    int msgid = -1;
    int rc = ldap_delete_ext(c->ld, dn, NULL, NULL, &msgid);
    if (rc != LDAP_SUCCESS)
        return scpauth__ldap_fail(err, c->ld, rc, NULL, "deleting %s on %s:%u", dn, c->host,
                                  c->port);
    return scpauth__ldap_wait_done(c, msgid, timeout_ms, "deleting", dn, err);
}
