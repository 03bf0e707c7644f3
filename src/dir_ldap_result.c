/* dir_ldap_result.c - what an LDAP result code a server sent (RFC 4511, the
 * same numbers for libldap and wldap32) means for scpauth. Client-side
 * codes (timeouts, lost connections) differ per library: backends map them. */
#include <string.h>

#include "dir_internal.h"

static int has(const char *text, const char *word)
{
    return text != NULL && strstr(text, word) != NULL;
}

int scpauth__dir_ldap_result_code(int rc, const char *diag)
{
    switch (rc) {
    case 7:  /* authMethodNotSupported */
    case 8:  /* strongerAuthRequired */
    case 48: /* inappropriateAuthentication */
    case 49: /* invalidCredentials */
        return SCPAUTH_EDIRAUTH;
    case 50: /* insufficientAccessRights */
        return SCPAUTH_EDIRACCESS;
    case 32: /* noSuchObject */
        return SCPAUTH_ENOTFOUND;
    case 19: /* constraintViolation: AD's words tell duplicate from refusal */
        if (has(diag, "conflict"))
            return SCPAUTH_ECONFLICT;
        if (has(diag, "validation"))
            return SCPAUTH_EDIRACCESS;
        return SCPAUTH_EDIR;
    default:
        return SCPAUTH_EDIR;
    }
}
