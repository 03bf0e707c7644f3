/* sspi_creds.c - credentials: AcquireCredentialsHandleW with the Kerberos
 * package, from the logon session or from an explicit principal + password. */
#include "sspi.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error_internal.h"

/* The name a logon-session credential stands for, if the package says. */
static void creds_query_name(scpauth__sspi_creds *c)
{
    SecPkgCredentials_NamesW names = {0};
    if (QueryCredentialsAttributesW(&c->handle, SECPKG_CRED_ATTR_NAMES, &names) != SEC_E_OK)
        return; /* Wine and some packages do not say: leave "" */
    if (scpauth__sspi_narrow(names.sUserName, c->name, sizeof c->name) != 0)
        c->name[0] = '\0';
    FreeContextBuffer(names.sUserName);
}

/* Rejects the Unix-only options with a clear reason. */
static int creds_check_options(const scpauth_creds_options *opts, scpauth_error *err)
{
    if (opts->ccache != NULL) {
        scpauth__error_set(err, SCPAUTH_ENOTSUP,
                           "credential cache '%s': SSPI has no credential caches", opts->ccache);
        scpauth__error_hint(err, "on Windows use the logon session (no ccache) or pass a "
                                 "principal and password");
        return SCPAUTH_ENOTSUP;
    }
    if (opts->keytab != NULL) {
        scpauth__error_set(err, SCPAUTH_ENOTSUP, "keytab '%s': SSPI has no keytabs",
                           opts->keytab);
        scpauth__error_hint(err, "on Windows the service uses the keys of the account it runs "
                                 "as; under Wine, set KRB5_KTNAME for the process instead");
        return SCPAUTH_ENOTSUP;
    }
    if (opts->password != NULL && (opts->principal == NULL || opts->principal[0] == '\0')) {
        return scpauth__error_set(err, SCPAUTH_EINVAL, "a password needs a principal");
    }
    return SCPAUTH_OK;
}

int scpauth__sspi_creds_acquire(const scpauth_creds_options *opts, void **bcreds,
                                scpauth_error *err)
{
    *bcreds = NULL;
    int rc = creds_check_options(opts, err);
    if (rc != SCPAUTH_OK)
        return rc;

    int client = opts->role == SCPAUTH_ROLE_CLIENT;
    scpauth__sspi_creds *c = calloc(1, sizeof *c);
    wchar_t *wprincipal = NULL, *wpassword = NULL, *wsplit = NULL;
    size_t password_chars = 0;
    SEC_WINNT_AUTH_IDENTITY_W id;
    void *auth_data = NULL;
    const char *what = client ? "the logon session" : "the service account's logon session";
    TimeStamp expiry;
    if (c == NULL)
        return scpauth__error_set(err, SCPAUTH_ENOMEM, "out of memory for credentials");
    c->role = opts->role;
    if (opts->principal != NULL &&
        snprintf(c->name, sizeof c->name, "%s", opts->principal) >= (int)sizeof c->name) {
        rc = scpauth__error_set(err, SCPAUTH_EINVAL, "principal '%.64s...' is too long",
                                opts->principal);
        goto out;
    }

    /* Explicit credentials: identity with user and domain split out. */
    if (opts->password != NULL) {
        wsplit = scpauth__sspi_widen(opts->principal, NULL);
        wpassword = scpauth__sspi_widen(opts->password, &password_chars);
        if (wsplit == NULL || wpassword == NULL) {
            rc = scpauth__error_set(err, SCPAUTH_EINVAL,
                                    "principal '%s' or its password is not valid UTF-8 "
                                    "(or out of memory)", opts->principal);
            goto out;
        }
        wchar_t *user, *domain;
        scpauth__sspi_split_principal(wsplit, &user, &domain);
        if (user[0] == L'\0' || (domain != NULL && domain[0] == L'\0')) {
            rc = scpauth__error_set(err, SCPAUTH_EINVAL,
                                    "principal '%s' is not of the form user@REALM",
                                    opts->principal);
            goto out;
        }
        scpauth__sspi_identity_fill(&id, user, domain, wpassword, password_chars);
        auth_data = &id;
        what = opts->principal;
    } else if (opts->principal != NULL && client) {
        /* Restrict to this user. A service's SPN is NOT passed: an inbound
         * Kerberos credential is the account's whatever the name (Microsoft:
         * pszPrincipal NULL for SECPKG_CRED_INBOUND); the SPN the client
         * asked for is checked once each context is established. */
        wprincipal = scpauth__sspi_widen(opts->principal, NULL);
        if (wprincipal == NULL) {
            rc = scpauth__error_set(err, SCPAUTH_EINVAL,
                                    "principal '%s' is not valid UTF-8 (or out of memory)",
                                    opts->principal);
            goto out;
        }
        what = opts->principal;
    }

    SECURITY_STATUS st = AcquireCredentialsHandleW(
        wprincipal, SCPAUTH__SSPI_PACKAGE, client ? SECPKG_CRED_OUTBOUND : SECPKG_CRED_INBOUND,
        NULL, auth_data, NULL, NULL, &c->handle, &expiry);
    if (st != SEC_E_OK) {
        rc = scpauth__sspi_fail(err, st, 0, "AcquireCredentialsHandle (Kerberos)", what);
        goto out;
    }
    if (opts->principal == NULL && client)
        creds_query_name(c);
    *bcreds = c;
    c = NULL;
    rc = SCPAUTH_OK;
out:
    /* The identity only borrowed these; the password copy is wiped here. */
    scpauth__sspi_wfree(wpassword);
    scpauth__sspi_wfree(wsplit);
    scpauth__sspi_wfree(wprincipal);
    free(c);
    return rc;
}

void scpauth__sspi_creds_free(void *bcreds)
{
    scpauth__sspi_creds *c = bcreds;
    if (c == NULL)
        return;
    FreeCredentialsHandle(&c->handle);
    free(c);
}

int scpauth__sspi_creds_name(void *bcreds, char *buf, size_t size, scpauth_error *err)
{
    const scpauth__sspi_creds *c = bcreds;
    size_t n = strlen(c->name);
    if (n >= size)
        return scpauth__error_set(err, SCPAUTH_ENOBUFS,
                                  "credentials name needs %llu bytes, buffer has %llu",
                                  (unsigned long long)n + 1, (unsigned long long)size);
    memcpy(buf, c->name, n + 1);
    return SCPAUTH_OK;
}
