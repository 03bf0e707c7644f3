/* dir_backends.c - which directory backends are built in and how to find them. */
#include <string.h>

#include "dir_backend.h"

static const struct scpauth_dir_backend *const builtin_backends[] = {
#if defined(SCPAUTH_HAVE_LDAP)
    &scpauth__dir_backend_ldap,
#endif
#if defined(SCPAUTH_HAVE_ADSI)
    &scpauth__dir_backend_adsi,
#endif
    NULL,
};

const scpauth_dir_backend *scpauth_dir_backend_default(void)
{
    return builtin_backends[0];
}

const scpauth_dir_backend *scpauth_dir_backend_find(const char *name)
{
    for (size_t i = 0; name != NULL && builtin_backends[i] != NULL; i++)
        if (strcmp(builtin_backends[i]->name, name) == 0)
            return builtin_backends[i];
    return NULL;
}

const char *scpauth_dir_backend_name(const scpauth_dir_backend *b)
{
    return b != NULL ? b->name : "";
}
