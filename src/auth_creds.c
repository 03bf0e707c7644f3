/* auth_creds.c - credential handles: argument checks, then the backend. */
#include <stdlib.h>
#include <string.h>

#include "auth_internal.h"
#include "error_internal.h"

static int creds_options_check(const scpauth_creds_options *o, scpauth_error *err)
{
    if (o->role == SCPAUTH_ROLE_CLIENT) {
        if (o->keytab != NULL)
            return scpauth__error_set(err, SCPAUTH_EINVAL,
                                      "client credentials take a ccache or a password, not a "
                                      "keytab (\"%s\")", o->keytab);
        if (o->password != NULL && (o->principal == NULL || o->principal[0] == '\0'))
            return scpauth__error_set(err, SCPAUTH_EINVAL,
                                      "a password was given without the principal it belongs to");
        if (o->password != NULL && o->ccache != NULL)
            return scpauth__error_set(err, SCPAUTH_EINVAL,
                                      "give either a ccache (\"%s\") or a password, not both",
                                      o->ccache);
        return SCPAUTH_OK;
    }
    if (o->role == SCPAUTH_ROLE_SERVICE) {
        if (o->password != NULL || o->ccache != NULL)
            return scpauth__error_set(err, SCPAUTH_EINVAL,
                                      "service credentials come from a keytab (or the default "
                                      "keytab), not a %s", o->password ? "password" : "ccache");
        return SCPAUTH_OK;
    }
    return scpauth__error_set(err, SCPAUTH_EINVAL,
                              "credentials need a role: SCPAUTH_ROLE_CLIENT or SCPAUTH_ROLE_SERVICE");
}

int scpauth__creds_new(const struct scpauth_auth_backend *b, scpauth_role role, void *bcreds,
                       scpauth_creds **out, scpauth_error *err)
{
    scpauth_creds *c = calloc(1, sizeof(*c));
    if (c == NULL) {
        b->creds_free(bcreds);
        return scpauth__error_set(err, SCPAUTH_ENOMEM, "cannot allocate credentials");
    }
    c->backend = b;
    c->role = role;
    c->bcreds = bcreds;
    *out = c;
    return SCPAUTH_OK;
}

int scpauth_creds_acquire(const scpauth_creds_options *opts, scpauth_creds **out,
                          scpauth_error *err)
{
    if (out == NULL || opts == NULL)
        return scpauth__error_set(err, SCPAUTH_EINVAL, "scpauth_creds_acquire: NULL argument");
    *out = NULL;
    int rc = creds_options_check(opts, err);
    if (rc != SCPAUTH_OK)
        return rc;
    const struct scpauth_auth_backend *b = opts->backend ? opts->backend
                                                         : scpauth_auth_backend_default();
    void *bcreds = NULL;
    rc = b->creds_acquire(opts, &bcreds, err);
    if (rc != SCPAUTH_OK)
        return rc;
    return scpauth__creds_new(b, opts->role, bcreds, out, err);
}

void scpauth_creds_free(scpauth_creds *creds)
{
    if (creds == NULL)
        return;
    creds->backend->creds_free(creds->bcreds);
    free(creds);
}

int scpauth_creds_name(const scpauth_creds *creds, char *buf, size_t size, scpauth_error *err)
{
    if (creds == NULL || buf == NULL || size == 0)
        return scpauth__error_set(err, SCPAUTH_EINVAL, "scpauth_creds_name: NULL argument");
    return creds->backend->creds_name(creds->bcreds, buf, size, err);
}
