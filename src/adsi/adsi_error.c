/* adsi_error.c - Win32, ntdsapi and wldap32 statuses -> scpauth errors,
 * with the system's own text and the server's diagnostic (cleaned). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "adsi_internal.h"

static int map_win32(DWORD s)
{
    switch (s) {
    case ERROR_ACCESS_DENIED:
    case ERROR_DS_INSUFF_ACCESS_RIGHTS:
        return SCPAUTH_EDIRACCESS;
    case SCPAUTH__ERROR_DS_SPN_VALUE_NOT_UNIQUE_IN_FOREST:
        return SCPAUTH_ECONFLICT;
    case ERROR_NOT_ENOUGH_MEMORY:
    case ERROR_OUTOFMEMORY:
        return SCPAUTH_ENOMEM;
    case ERROR_TIMEOUT:
        return SCPAUTH_ETIMEDOUT;
    case ERROR_LOGON_FAILURE:
    case ERROR_NO_LOGON_SERVERS:
        return SCPAUTH_EDIRAUTH;
    case ERROR_DS_OBJ_NOT_FOUND:
    case ERROR_NO_SUCH_DOMAIN:
        return SCPAUTH_ENOTFOUND;
    case RPC_S_SERVER_UNAVAILABLE:
    case RPC_S_CALL_FAILED:
        return SCPAUTH_EIO;
    default:
        return SCPAUTH_EDIR;
    }
}

static int map_ldap(ULONG rc, const char *diag)
{
    switch (rc) {
    case LDAP_TIMEOUT:
        return SCPAUTH_ETIMEDOUT;
    case LDAP_SERVER_DOWN:
    case LDAP_CONNECT_ERROR:
        return SCPAUTH_EIO;
    case LDAP_NO_MEMORY:
        return SCPAUTH_ENOMEM;
    case LDAP_LOCAL_ERROR:
    case LDAP_AUTH_UNKNOWN:
        return SCPAUTH_EDIRAUTH;
    default:
        return scpauth__dir_ldap_result_code((int)rc, diag);
    }
}

/* wide text -> UTF-8 in buf, control characters as spaces. */
static void clean_text(const wchar_t *w, char *buf, size_t size)
{
    buf[0] = '\0';
    char *s = w != NULL ? scpauth__adsi_utf8(w, NULL) : NULL;
    if (s == NULL)
        return;
    size_t o = 0;
    for (const char *p = s; *p != '\0' && o + 1 < size; p++)
        buf[o++] = ((unsigned char)*p < 0x20) ? ' ' : *p;
    while (o > 0 && buf[o - 1] == ' ')
        o--;
    buf[o] = '\0';
    free(s);
}

int scpauth__adsi_fail_win32(scpauth_error *err, DWORD status, const char *fmt, ...)
{
    char object[SCPAUTH_ERROR_MESSAGE_MAX / 2], text[300];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(object, sizeof(object), fmt, ap);
    va_end(ap);
    wchar_t *w = NULL;
    FormatMessageW(FORMAT_MESSAGE_ALLOCATE_BUFFER | FORMAT_MESSAGE_FROM_SYSTEM |
                       FORMAT_MESSAGE_IGNORE_INSERTS,
                   NULL, status, 0, (LPWSTR)&w, 0, NULL);
    clean_text(w, text, sizeof(text));
    LocalFree(w);
    int code = map_win32(status);
    scpauth__error_set(err, code, "%s: %s (error %lu)", object, text[0] ? text : "failed",
                       (unsigned long)status);
    scpauth__error_native(err, SCPAUTH_NATIVE_WIN32, (uint32_t)status, 0);
    return code;
}

int scpauth__adsi_fail_ldap(scpauth_error *err, LDAP *ld, ULONG rc, const char *fmt, ...)
{
    char object[SCPAUTH_ERROR_MESSAGE_MAX / 2], text[128], said[300] = "";
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(object, sizeof(object), fmt, ap);
    va_end(ap);
    clean_text(ldap_err2stringW(rc), text, sizeof(text));
    PWCHAR server = NULL;
    if (ld != NULL && ldap_get_optionW(ld, LDAP_OPT_SERVER_ERROR, &server) == LDAP_SUCCESS &&
        server != NULL) {
        clean_text(server, said, sizeof(said));
        ldap_memfreeW(server);
    }
    int code = map_ldap(rc, said);
    if (said[0] != '\0')
        scpauth__error_set(err, code, "%s: %s (%s)", object, text, said);
    else
        scpauth__error_set(err, code, "%s: %s", object, text);
    scpauth__error_native(err, SCPAUTH_NATIVE_LDAP, (uint32_t)rc, 0);
    return code;
}
