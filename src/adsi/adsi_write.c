/* adsi_write.c - object writes for SCP publication over the wldap32
 * session the backend already holds (signed and sealed): add an entry,
 * replace attribute values, delete a leaf. Each request is asynchronous and
 * its result awaited within the timeout. Values go as bytes (UTF-8 text is
 * what LDAP carries); names and DNs as UTF-16. */
#include <stdint.h>
#include <stdlib.h>

#include "adsi_internal.h"

#define ADSI_RC_ALREADY_EXISTS 68 /* entryAlreadyExists (RFC 4511) */

static int wait_done(scpauth__adsi_conn *c, ULONG msgid, unsigned timeout_ms, const char *what,
                     const char *dn, scpauth_error *err)
{
    struct l_timeval tv = {(LONG)(timeout_ms / 1000), (LONG)((timeout_ms % 1000) * 1000)};
    LDAPMessage *res = NULL;
    ULONG got = ldap_result(c->ld, msgid, LDAP_MSG_ALL, &tv, &res);
    if (got == 0) {
        ldap_abandon(c->ld, msgid);
        return scpauth__error_set(err, SCPAUTH_ETIMEDOUT,
                                  "%s %s on %s:%u: no answer within %u ms (the change may or "
                                  "may not be made)", what, dn, c->host, c->port, timeout_ms);
    }
    ULONG code = LDAP_OTHER;
    if (got == (ULONG)-1)
        code = LdapGetLastError();
    else if (ldap_parse_resultW(c->ld, res, &code, NULL, NULL, NULL, NULL, TRUE) != LDAP_SUCCESS)
        code = LDAP_PROTOCOL_ERROR;
    if (code == LDAP_SUCCESS)
        return SCPAUTH_OK;
    if (code == ADSI_RC_ALREADY_EXISTS)
        return scpauth__error_set(err, SCPAUTH_ECONFLICT, "%s %s on %s:%u: an object with this "
                                  "DN already exists", what, dn, c->host, c->port);
    return scpauth__adsi_fail_ldap(err, c->ld, code, "%s %s on %s:%u", what, dn, c->host,
                                   c->port);
}

/* LDAPModW array for attrs[0..n) with op, in one allocation (free() it),
 * and the wide names in *names (scpauth__adsi_wide_array_free). */
static LDAPModW **mods_new(ULONG op, const scpauth_entry_attr *attrs, size_t n,
                           wchar_t ***names, scpauth_error *err)
{
    const char **utf8 = calloc(n + 1, sizeof(*utf8));
    if (utf8 == NULL) {
        scpauth__error_set(err, SCPAUTH_ENOMEM, "out of memory for an LDAP write");
        return NULL;
    }
    for (size_t i = 0; i < n; i++)
        utf8[i] = attrs[i].name;
    *names = scpauth__adsi_wide_array(utf8, n, err);
    free(utf8);
    if (*names == NULL)
        return NULL;
    size_t n_values = 0;
    for (size_t i = 0; i < n; i++)
        n_values += attrs[i].count + 1;
    size_t size = (n + 1) * sizeof(LDAPModW *) + n * sizeof(LDAPModW) +
                  n_values * (sizeof(struct berval *) + sizeof(struct berval));
    unsigned char *block = calloc(1, size);
    if (block == NULL) {
        scpauth__adsi_wide_array_free(*names);
        scpauth__error_set(err, SCPAUTH_ENOMEM, "out of memory for an LDAP write");
        return NULL;
    }
    LDAPModW **mods = (LDAPModW **)block;
    LDAPModW *m = (LDAPModW *)(mods + n + 1);
    struct berval **bvp = (struct berval **)(m + n);
    struct berval *bv = (struct berval *)(bvp + n_values);
    for (size_t i = 0; i < n; i++) {
        m[i].mod_op = op | LDAP_MOD_BVALUES;
        m[i].mod_type = (*names)[i];
        m[i].mod_vals.modv_bvals = bvp;
        for (size_t k = 0; k < attrs[i].count; k++) {
            bv->bv_val = (char *)(uintptr_t)attrs[i].values[k].data;
            bv->bv_len = (ULONG)attrs[i].values[k].len;
            *bvp++ = bv++;
        }
        *bvp++ = NULL;
        mods[i] = &m[i];
    }
    mods[n] = NULL;
    return mods;
}

/* One add or modify of dn with attrs. */
static int write_mods(scpauth__adsi_conn *c, unsigned timeout_ms, int add, const char *dn,
                      const scpauth_entry_attr *attrs, size_t n, scpauth_error *err)
{
    const char *what = add ? "creating" : "modifying";
    wchar_t **names = NULL;
    wchar_t *wdn = scpauth__adsi_wide(dn, err);
    LDAPModW **mods = wdn != NULL ? mods_new(add ? LDAP_MOD_ADD : LDAP_MOD_REPLACE, attrs, n,
                                             &names, err)
                                  : NULL;
    if (mods == NULL) {
        free(wdn);
        return err != NULL ? err->code : SCPAUTH_ENOMEM;
    }
    ULONG msgid = 0;
    ULONG rc = add ? ldap_add_extW(c->ld, wdn, mods, NULL, NULL, &msgid)
                   : ldap_modify_extW(c->ld, wdn, mods, NULL, NULL, &msgid);
    free(mods);
    scpauth__adsi_wide_array_free(names);
    free(wdn);
    if (rc != LDAP_SUCCESS)
        return scpauth__adsi_fail_ldap(err, c->ld, rc, "%s %s on %s:%u", what, dn, c->host,
                                       c->port);
    return wait_done(c, msgid, timeout_ms, what, dn, err);
}

int scpauth__adsi_entry_add(void *bconn, unsigned timeout_ms, const scpauth_entry *entry,
                            scpauth_error *err)
{
    return write_mods(bconn, timeout_ms, 1, entry->dn, entry->attrs, entry->count, err);
}

int scpauth__adsi_entry_replace(void *bconn, unsigned timeout_ms, const char *dn,
                                const scpauth_entry_attr *attrs, size_t n, scpauth_error *err)
{
    return write_mods(bconn, timeout_ms, 0, dn, attrs, n, err);
}

int scpauth__adsi_entry_delete(void *bconn, unsigned timeout_ms, const char *dn,
                               scpauth_error *err)
{
    scpauth__adsi_conn *c = bconn;
    wchar_t *wdn = scpauth__adsi_wide(dn, err);
    if (wdn == NULL)
        return err != NULL ? err->code : SCPAUTH_EINVAL;
    ULONG msgid = 0;
    ULONG rc = ldap_delete_extW(c->ld, wdn, NULL, NULL, &msgid);
    free(wdn);
    if (rc != LDAP_SUCCESS)
        return scpauth__adsi_fail_ldap(err, c->ld, rc, "deleting %s on %s:%u", dn, c->host,
                                       c->port);
    return wait_done(c, msgid, timeout_ms, "deleting", dn, err);
}
