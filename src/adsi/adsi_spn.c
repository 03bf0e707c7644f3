/* adsi_spn.c - DsWriteAccountSpnW (the DC applies the policy itself:
 * validated write, uniqueness) and DsCrackNamesW (an account's DN from
 * DOMAIN\name or a UPN). */
#include <stdlib.h>
#include <string.h>

#include "adsi_internal.h"

#include <ntdsapi.h>

int scpauth__adsi_spn_write(void *bconn, unsigned timeout_ms, scpauth_dir_spn_op op,
                            const char *dn, const char *const *spns, size_t n,
                            scpauth_error *err)
{
    scpauth__adsi_conn *c = bconn;
    (void)timeout_ms; /* an RPC call: the RPC runtime's own timeouts apply */
    if (c->hds == NULL)
        return scpauth__error_set(err, SCPAUTH_EINTERNAL, "%s:%u: no DsBind handle", c->host,
                                  c->port);
    wchar_t *wdn = scpauth__adsi_wide(dn, err);
    wchar_t **wspns = wdn != NULL ? scpauth__adsi_wide_array(spns, n, err) : NULL;
    if (wspns == NULL) {
        free(wdn);
        return err != NULL ? err->code : SCPAUTH_EINVAL;
    }
    DWORD st = DsWriteAccountSpnW(c->hds, (DS_SPN_WRITE_OP)op, wdn, (DWORD)n,
                                  (LPCWSTR *)wspns);
    scpauth__adsi_wide_array_free(wspns);
    free(wdn);
    if (st != ERROR_SUCCESS)
        return scpauth__adsi_fail_win32(err, st, "DsWriteAccountSpn on %s (DC %s)", dn,
                                        c->host);
    return SCPAUTH_OK;
}

int scpauth__adsi_crack_name(void *bconn, const char *name, char *dn, size_t size,
                             scpauth_error *err)
{
    scpauth__adsi_conn *c = bconn;
    wchar_t *wname = scpauth__adsi_wide(name, err);
    if (wname == NULL)
        return err != NULL ? err->code : SCPAUTH_EINVAL;
    PDS_NAME_RESULTW res = NULL;
    LPCWSTR names[1] = {wname};
    DWORD st = DsCrackNamesW(c->hds, DS_NAME_NO_FLAGS, DS_UNKNOWN_NAME, DS_FQDN_1779_NAME, 1,
                             names, &res);
    free(wname);
    if (st != ERROR_SUCCESS)
        return scpauth__adsi_fail_win32(err, st, "DsCrackNames of \"%.200s\"", name);
    int rc = SCPAUTH_OK;
    DWORD status = res->cItems == 1 ? res->rItems[0].status : DS_NAME_ERROR_RESOLVING;
    char *text = status == DS_NAME_NO_ERROR ? scpauth__adsi_utf8(res->rItems[0].pName, NULL)
                                            : NULL;
    if (status == DS_NAME_ERROR_NOT_FOUND)
        rc = scpauth__error_set(err, SCPAUTH_ENOTFOUND, "account \"%.200s\" not found", name);
    else if (status == DS_NAME_ERROR_NOT_UNIQUE)
        rc = scpauth__error_set(err, SCPAUTH_EDIR, "account \"%.200s\" is ambiguous; give its DN",
                                name);
    else if (text == NULL || strlen(text) >= size)
        rc = scpauth__error_set(err, SCPAUTH_EDIR, "DsCrackNames of \"%.200s\": status %lu",
                                name, (unsigned long)status);
    else
        memcpy(dn, text, strlen(text) + 1);
    free(text);
    DsFreeNameResultW(res);
    return rc;
}
