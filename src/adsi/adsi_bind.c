/* adsi_bind.c - one connection to a DC on Windows: DsBindWithSpnExW (RPC,
 * for DsWriteAccountSpnW and DsCrackNamesW) and a wldap32 session for searches,
 * bound with Negotiate restricted to Kerberos (NTLM excluded), signing and
 * sealing on, and no DNS canonicalisation of the host name
 * (LDAP_OPT_AREC_EXCLUSIVE). Both bind as the logon session. */
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "adsi_internal.h"

#include <ntdsapi.h>
#include <security.h>

/* ntdsapi.h's value (Microsoft's DsBindWithSpnEx page); older headers lack it. */
#ifndef NTDSAPI_BIND_FORCE_KERBEROS
#  define NTDSAPI_BIND_FORCE_KERBEROS 0x00000004
#endif

static int set_options(LDAP *ld, unsigned timeout_ms)
{
    ULONG v3 = LDAP_VERSION3, limit = (timeout_ms + 999) / 1000;
    return ldap_set_optionW(ld, LDAP_OPT_PROTOCOL_VERSION, &v3) == LDAP_SUCCESS &&
           ldap_set_optionW(ld, LDAP_OPT_REFERRALS, LDAP_OPT_OFF) == LDAP_SUCCESS &&
           ldap_set_optionW(ld, LDAP_OPT_AREC_EXCLUSIVE, LDAP_OPT_ON) == LDAP_SUCCESS &&
           ldap_set_optionW(ld, LDAP_OPT_SIGN, LDAP_OPT_ON) == LDAP_SUCCESS &&
           ldap_set_optionW(ld, LDAP_OPT_ENCRYPT, LDAP_OPT_ON) == LDAP_SUCCESS &&
           ldap_set_optionW(ld, LDAP_OPT_TIMELIMIT, &limit) == LDAP_SUCCESS;
}

/* The layer the bind must have produced: signed and sealed. */
static int check_layer(scpauth__adsi_conn *c, scpauth_error *err)
{
    /* Both options read back as a ULONG (Microsoft's "Session Options"). */
    ULONG sign = 0, seal = 0;
    if (ldap_get_optionW(c->ld, LDAP_OPT_SIGN, &sign) != LDAP_SUCCESS ||
        ldap_get_optionW(c->ld, LDAP_OPT_ENCRYPT, &seal) != LDAP_SUCCESS || sign == 0 ||
        seal == 0)
        return scpauth__error_set(err, SCPAUTH_EDIRAUTH,
                                  "%s:%u: the bind has no sign+seal layer", c->host,
                                  c->port);
    return SCPAUTH_OK;
}

static int ldap_session(scpauth__adsi_conn *c, const wchar_t *whost, unsigned timeout_ms,
                     scpauth_error *err)
{
    c->ld = ldap_initW((PWCHAR)whost, c->port);
    if (c->ld == NULL)
        return scpauth__adsi_fail_ldap(err, NULL, LdapGetLastError(), "%s:%u", c->host,
                                       c->port);
    if (!set_options(c->ld, timeout_ms))
        return scpauth__error_set(err, SCPAUTH_EINTERNAL, "%s:%u: cannot set LDAP options",
                                  c->host, c->port);
    struct l_timeval tv = {(LONG)(timeout_ms / 1000), (LONG)((timeout_ms % 1000) * 1000)};
    ULONG rc = ldap_connect(c->ld, &tv);
    if (rc != LDAP_SUCCESS)
        return scpauth__adsi_fail_ldap(err, c->ld, rc, "%s:%u: connect", c->host, c->port);
    /* Negotiate with the logon session's credentials, NTLM excluded */
    SEC_WINNT_AUTH_IDENTITY_EXW id;
    memset(&id, 0, sizeof(id));
    id.Version = SEC_WINNT_AUTH_IDENTITY_VERSION;
    id.Length = sizeof(id);
    id.Flags = SEC_WINNT_AUTH_IDENTITY_UNICODE;
    id.PackageList = (unsigned short *)L"!NTLM";
    id.PackageListLength = 5;
    rc = ldap_bind_sW(c->ld, NULL, (PWCHAR)&id, LDAP_AUTH_NEGOTIATE);
    if (rc != LDAP_SUCCESS)
        return scpauth__adsi_fail_ldap(err, c->ld, rc, "%s:%u: Kerberos bind", c->host,
                                       c->port);
    return check_layer(c, err);
}

/* The RPC bind to the same DC, Kerberos only (no NTLM fallback) and
 * mutually authenticated against that DC's own SPN: "ldap/<host>" is on
 * every DC's computer account, and a ticket for any of the account's SPNs
 * is one the DC's RPC server accepts. */
static DWORD rpc_bind(const wchar_t *whost, HANDLE *hds)
{
    size_t n = wcslen(whost);
    wchar_t *spn = malloc((n + 6) * sizeof *spn);
    if (spn == NULL)
        return ERROR_NOT_ENOUGH_MEMORY;
    memcpy(spn, L"ldap/", 5 * sizeof *spn);
    memcpy(spn + 5, whost, (n + 1) * sizeof *spn);
    DWORD st = DsBindWithSpnExW(whost, NULL, NULL, spn, NTDSAPI_BIND_FORCE_KERBEROS, hds);
    free(spn);
    return st;
}

int scpauth__adsi_connect(void *bcreds, const char *host, unsigned port, unsigned timeout_ms,
                          void **bconn, unsigned *ssf, scpauth_error *err)
{
    (void)bcreds;
    scpauth__adsi_conn *c = calloc(1, sizeof(*c));
    if (c == NULL)
        return scpauth__error_set(err, SCPAUTH_ENOMEM, "out of memory connecting to %s", host);
    scpauth__dir_copy(c->host, sizeof(c->host), host);
    c->port = port;
    wchar_t *whost = scpauth__adsi_wide(host, err);
    int rc = whost != NULL ? ldap_session(c, whost, timeout_ms, err) : SCPAUTH_EINVAL;
    /* writes go over RPC to the same DC (DsBind has no timeout of its own;
     * the LDAP bind above already proved the DC answers); a global catalog
     * connection only searches */
    DWORD st = rc == SCPAUTH_OK && port != SCPAUTH_DIR_PORT_GC ? rpc_bind(whost, &c->hds)
                                                                : ERROR_SUCCESS;
    if (rc == SCPAUTH_OK && st != ERROR_SUCCESS)
        rc = scpauth__adsi_fail_win32(err, st, "%s: DsBindWithSpnEx (Kerberos only, SPN ldap/%s)",
                                      host, host);
    free(whost);
    if (rc != SCPAUTH_OK) {
        scpauth__adsi_disconnect(c);
        return rc;
    }
    /* wldap32 confirms sign + seal but not the key size: report the floor */
    *ssf = 56;
    *bconn = c;
    return SCPAUTH_OK;
}

void scpauth__adsi_disconnect(void *bconn)
{
    scpauth__adsi_conn *c = bconn;
    if (c == NULL)
        return;
    if (c->hds != NULL)
        DsUnBindW(&c->hds);
    if (c->ld != NULL)
        ldap_unbind(c->ld);
    free(c);
}
