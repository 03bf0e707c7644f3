/* ldap_error.c - LDAP result codes and server diagnostics -> scpauth errors.
 * The diagnostic text comes from the server: it is cut and cleaned of
 * control characters before it reaches a message. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "dir_internal.h"
#include "ldap_internal.h"

#define DIAG_MAX 300

static void clean_copy(char *out, size_t size, const char *in)
{
    size_t o = 0;
    for (; in != NULL && *in != '\0' && o + 1 < size; in++) {
        unsigned char c = (unsigned char)*in;
        out[o++] = (c < 0x20 || c == 0x7F) ? ' ' : (char)c;
    }
    while (o > 0 && out[o - 1] == ' ')
        o--;
    out[o] = '\0';
}

static int has(const char *text, const char *word)
{
    return text != NULL && strstr(text, word) != NULL;
}

/* A failed SASL/GSSAPI bind: what the Kerberos text says went wrong. */
static int bind_failure_code(const char *diag, const char **hint)
{
    if (has(diag, "expired")) {
        *hint = "get a new ticket (kinit, or kinit -k for a computer account)";
        return SCPAUTH_ECREDEXPIRED;
    }
    if (has(diag, "No Kerberos credentials") || has(diag, "No credentials cache") ||
        has(diag, "No credentials were supplied")) {
        *hint = "get a ticket first (kinit), or name the ccache (--ccache)";
        return SCPAUTH_ENOCREDS;
    }
    if (has(diag, "Cannot contact any KDC") || has(diag, "Cannot find KDC")) {
        *hint = "check the KDC addresses in krb5.conf and that the KDC runs";
        return SCPAUTH_EKDC;
    }
    if (has(diag, "Clock skew")) {
        *hint = "synchronise this host's clock with the domain (NTP)";
        return SCPAUTH_ESKEW;
    }
    if (has(diag, "not found in Kerberos database")) {
        *hint = "the DC's ldap/HOST SPN is unknown to the KDC: name the DC by its DNS host "
                "name as registered in AD";
        return SCPAUTH_EDIRAUTH;
    }
    *hint = NULL;
    return SCPAUTH_EDIRAUTH;
}

static int map_code(int rc, const char *diag, const char **hint)
{
    *hint = NULL;
    switch (rc) {
    case LDAP_TIMEOUT:
        return SCPAUTH_ETIMEDOUT;
    case LDAP_SERVER_DOWN:
    case LDAP_CONNECT_ERROR:
        return SCPAUTH_EIO;
    case LDAP_NO_MEMORY:
        return SCPAUTH_ENOMEM;
    case LDAP_LOCAL_ERROR:
    case LDAP_INVALID_CREDENTIALS:
    case LDAP_INAPPROPRIATE_AUTH:
    case LDAP_STRONG_AUTH_REQUIRED:
        return bind_failure_code(diag, hint);
    case LDAP_AUTH_UNKNOWN:
        *hint = "install the cyrus-sasl GSSAPI module (libsasl2-modules-gssapi-mit)";
        return SCPAUTH_EDIRAUTH;
    default:
        return scpauth__dir_ldap_result_code(rc, diag);
    }
}

int scpauth__ldap_fail(scpauth_error *err, LDAP *ld, int rc, const char *diag,
                       const char *fmt, ...)
{
    char object[SCPAUTH_ERROR_MESSAGE_MAX / 2], said[DIAG_MAX] = "";
    char *ld_diag = NULL;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(object, sizeof(object), fmt, ap);
    va_end(ap);
    if (diag == NULL && ld != NULL &&
        ldap_get_option(ld, LDAP_OPT_DIAGNOSTIC_MESSAGE, &ld_diag) == LDAP_OPT_SUCCESS)
        diag = ld_diag;
    clean_copy(said, sizeof(said), diag);
    if (ld_diag != NULL)
        ldap_memfree(ld_diag);
    const char *hint;
    int code = map_code(rc, said, &hint);
    if (said[0] != '\0')
        scpauth__error_set(err, code, "%s: %s (%s)", object, ldap_err2string(rc), said);
    else
        scpauth__error_set(err, code, "%s: %s", object, ldap_err2string(rc));
    if (hint != NULL)
        scpauth__error_hint(err, "%s", hint);
    scpauth__error_native(err, SCPAUTH_NATIVE_LDAP, (uint32_t)rc, 0);
    return code;
}
