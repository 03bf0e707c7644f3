/* auth_backends.c - which backend tables are built in and how to find them. */
#include <string.h>

#include "auth_internal.h"

static const struct scpauth_auth_backend *const builtin_backends[] = {
#if defined(SCPAUTH_HAVE_GSSAPI)
    &scpauth__backend_gssapi,
#endif
#if defined(SCPAUTH_HAVE_SSPI)
    &scpauth__backend_sspi,
#endif
};

const scpauth_auth_backend *scpauth_auth_backend_default(void)
{
    /* The platform's backend is the only one built in. */
    return builtin_backends[0];
}

const scpauth_auth_backend *scpauth_auth_backend_find(const char *name)
{
    if (name == NULL)
        return NULL;
    for (size_t i = 0; i < sizeof(builtin_backends) / sizeof(builtin_backends[0]); i++)
        if (strcmp(builtin_backends[i]->name, name) == 0)
            return builtin_backends[i];
    return NULL;
}

const char *scpauth_auth_backend_name(const scpauth_auth_backend *b)
{
    return b != NULL ? b->name : "";
}

size_t scpauth_auth_max_token(const scpauth_auth_backend *b)
{
    if (b == NULL)
        b = scpauth_auth_backend_default();
    return b->max_token;
}
