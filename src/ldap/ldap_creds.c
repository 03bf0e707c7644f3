/* ldap_creds.c - the credentials a directory session binds with: the GSS
 * credential inside a scpauth_creds of the GSSAPI auth backend. Handing
 * that credential to cyrus-sasl per connection (ldap_bind.c) is what keeps
 * KRB5CCNAME and MIT's thread-global ccache name out of the picture. */
#include <stdlib.h>
#include <string.h>

#include "auth_internal.h"
#include "gssapi/gss_internal.h"
#include "ldap_internal.h"

/* The GSS credential of creds, or NULL when they are not GSSAPI client creds. */
static gss_cred_id_t gss_cred_of(const scpauth_creds *creds)
{
    if (creds == NULL || creds->role != SCPAUTH_ROLE_CLIENT ||
        creds->backend != &scpauth__backend_gssapi || creds->bcreds == NULL)
        return GSS_C_NO_CREDENTIAL;
    return ((const scpauth__gss_creds *)creds->bcreds)->cred;
}

/* ECREDEXPIRED when the credential has no lifetime left; source names the
 * credentials when their principal is unknown (MIT gives none once expired). */
static int check_lifetime(const scpauth__ldap_creds *c, const char *source, scpauth_error *err)
{
    OM_uint32 minor, lifetime = 0;
    OM_uint32 major = gss_inquire_cred(&minor, c->cred, NULL, &lifetime, NULL, NULL);
    if (major == GSS_S_CREDENTIALS_EXPIRED || (!GSS_ERROR(major) && lifetime == 0)) {
        scpauth__error_set(err, SCPAUTH_ECREDEXPIRED, "the Kerberos ticket in %s%s%s has expired",
                           source, c->principal[0] ? " for " : "", c->principal);
        scpauth__error_hint(err, "get a new ticket (kinit, or kinit -k for a computer account)");
        return SCPAUTH_ECREDEXPIRED;
    }
    if (GSS_ERROR(major))
        return scpauth__gss_fail(err, SCPAUTH__GSS_OP_CLIENT_CREDS, major, minor,
                                 "cannot inquire the credentials of %s", c->principal);
    return SCPAUTH_OK;
}

int scpauth__ldap_creds_acquire(const scpauth_dir_options *opts, void **bcreds,
                                char *principal, size_t size, scpauth_error *err)
{
    scpauth__ldap_creds *c = calloc(1, sizeof(*c));
    if (c == NULL)
        return scpauth__error_set(err, SCPAUTH_ENOMEM, "out of memory for directory credentials");
    scpauth_creds *creds = opts->creds;
    int rc = SCPAUTH_OK;
    if (creds == NULL) {
        scpauth_creds_options co;
        memset(&co, 0, sizeof(co));
        co.role = SCPAUTH_ROLE_CLIENT;
        co.ccache = opts->ccache;
        co.backend = &scpauth__backend_gssapi;
        rc = scpauth_creds_acquire(&co, &c->owned, err);
        creds = c->owned;
    } else if (opts->ccache != NULL) {
        rc = scpauth__error_set(err, SCPAUTH_EINVAL,
                                "directory session: give credentials or a ccache, not both");
    }
    if (rc == SCPAUTH_OK && (c->cred = gss_cred_of(creds)) == GSS_C_NO_CREDENTIAL)
        rc = scpauth__error_set(err, SCPAUTH_EINVAL,
                                "directory session: the credentials are not GSSAPI client "
                                "credentials");
    if (rc == SCPAUTH_OK)
        rc = scpauth_creds_name(creds, c->principal, sizeof(c->principal), err);
    if (rc == SCPAUTH_OK)
        rc = check_lifetime(c, ((const scpauth__gss_creds *)creds->bcreds)->source, err);
    if (rc == SCPAUTH_OK && strlen(c->principal) >= size)
        rc = scpauth__error_set(err, SCPAUTH_ENOBUFS, "principal name %s too long",
                                c->principal);
    if (rc != SCPAUTH_OK) {
        scpauth__ldap_creds_free(c);
        return rc;
    }
    memcpy(principal, c->principal, strlen(c->principal) + 1);
    *bcreds = c;
    return SCPAUTH_OK;
}

void scpauth__ldap_creds_free(void *bcreds)
{
    scpauth__ldap_creds *c = bcreds;
    if (c == NULL)
        return;
    scpauth_creds_free(c->owned);
    free(c);
}
