/* adsi_creds.c - on Windows a directory session binds as the logon session
 * (DsBindWithSpnExW and the wldap32 Negotiate bind take the caller's token); here we
 * only learn its principal name, which "self" and the default domain need. */
#include <stdlib.h>
#include <string.h>

#include "adsi_internal.h"

#include <security.h>
#include <secext.h>

/* GetUserNameExW(format) as UTF-8 into buf; 0 on failure. */
static int user_name(EXTENDED_NAME_FORMAT format, char *buf, size_t size)
{
    wchar_t w[SCPAUTH_DIR_PRINCIPAL_MAX];
    ULONG n = SCPAUTH_DIR_PRINCIPAL_MAX;
    if (!GetUserNameExW(format, w, &n))
        return 0;
    size_t len;
    char *s = scpauth__adsi_utf8(w, &len);
    int ok = s != NULL && len < size;
    if (ok)
        memcpy(buf, s, len + 1);
    free(s);
    return ok;
}

/* "name@REALM" from NameDnsDomain ("example.test\name"): a computer or a
 * service account without a UPN still has this form. */
static int dns_domain_name(char *buf, size_t size)
{
    char dd[SCPAUTH_DIR_PRINCIPAL_MAX];
    if (!user_name(NameDnsDomain, dd, sizeof(dd)))
        return 0;
    char *slash = strchr(dd, '\\');
    if (slash == NULL || strlen(dd) + 1 >= size)
        return 0;
    *slash = '\0';
    for (char *p = dd; *p != '\0'; p++)
        if (*p >= 'a' && *p <= 'z')
            *p = (char)(*p - 32);
    strcpy(buf, slash + 1);
    strcat(buf, "@");
    strcat(buf, dd);
    return 1;
}

int scpauth__adsi_creds_acquire(const scpauth_dir_options *opts, void **bcreds,
                                char *principal, size_t size, scpauth_error *err)
{
    if (opts->ccache != NULL) {
        scpauth__error_set(err, SCPAUTH_EINVAL,
                           "ccache %s: Windows binds to the directory as the logon session",
                           opts->ccache);
        scpauth__error_hint(err, "run the program as the account whose rights you need "
                                 "(runas, or a service account)");
        return SCPAUTH_EINVAL;
    }
    if (opts->creds != NULL) {
        int rc = scpauth_creds_name(opts->creds, principal, size, err);
        if (rc != SCPAUTH_OK)
            return rc;
    } else if (!user_name(NameUserPrincipal, principal, size) &&
               !dns_domain_name(principal, size)) {
        return scpauth__adsi_fail_win32(err, GetLastError(),
                                        "cannot name the logon session's account (not a "
                                        "domain account?)");
    }
    *bcreds = (void *)1; /* nothing to hold: the token is the thread's */
    return SCPAUTH_OK;
}

void scpauth__adsi_creds_free(void *bcreds)
{
    (void)bcreds;
}
