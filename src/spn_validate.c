/* spn_validate.c - the character-level rules of SPN parts, and
 * scpauth_spn_validate (crack + strict checks). */
#include <string.h>

#include "spn_internal.h"

#define SHOW SCPAUTH__SPN_SHOW

static int is_alnum(unsigned char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Printable characters as themselves, others as \xNN (messages stay ASCII). */
static const char *show_char(unsigned char c, char tmp[8])
{
    static const char hex[] = "0123456789abcdef";
    if (c >= 0x20 && c < 0x7f) {
        tmp[0] = (char)c;
        tmp[1] = '\0';
    } else {
        memcpy(tmp, "\\x", 2);
        tmp[2] = hex[c >> 4];
        tmp[3] = hex[c & 15];
        tmp[4] = '\0';
    }
    return tmp;
}

static int bad_char(const char *what, const char *p, size_t n, size_t i, const char *why,
                    scpauth_error *err)
{
    char tmp[8];
    return scpauth__error_set(err, SCPAUTH_ESPNSYNTAX,
                              "%s \"%.*s%s\" has '%s' at position %lu: %s", what, SHOW(p, n),
                              show_char((unsigned char)p[i], tmp), (unsigned long)(i + 1), why);
}

int scpauth__spn_check_part(const char *what, const char *p, size_t n, scpauth_error *err)
{
    if (n == 0)
        return scpauth__error_set(err, SCPAUTH_ESPNSYNTAX, "%s is empty", what);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)p[i];
        if (c < 0x20 || c == 0x7f)
            return bad_char(what, p, n, i, "control characters are not allowed", err);
        if (c == '/') {
            bad_char(what, p, n, i, "'/' separates the parts of an SPN", err);
            scpauth__error_hint(err, "an SPN is class/host[:port][/service-name]; "
                                     "no part may contain '/'");
            return SCPAUTH_ESPNSYNTAX;
        }
        if (c == '@')
            return bad_char(what, p, n, i, "'@' may only introduce the realm at the end", err);
    }
    if (p[0] == ' ' || p[n - 1] == ' ')
        return scpauth__error_set(err, SCPAUTH_ESPNSYNTAX,
                                  "%s \"%.*s%s\" has leading or trailing white space", what,
                                  SHOW(p, n));
    return SCPAUTH_OK;
}

/* Printable ASCII other than space and the SPN's own separators. */
static int check_token_chars(const char *what, const char *p, size_t n, scpauth_error *err)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)p[i];
        if (c <= 0x20 || c >= 0x7f || c == ':' || c == '\\')
            return bad_char(what, p, n, i,
                            "only printable ASCII without space, '/', ':', '@' or '\\'", err);
    }
    return SCPAUTH_OK;
}

int scpauth__spn_check_class(const char *p, size_t n, scpauth_error *err)
{
    int rc = scpauth__spn_check_part("service class", p, n, err);
    if (rc != SCPAUTH_OK)
        return rc;
    if (n > SCPAUTH_SPN_CLASS_MAX)
        return scpauth__error_set(err, SCPAUTH_ESPNSYNTAX,
                                  "service class \"%.*s%s\" is %lu characters, over %d",
                                  SHOW(p, n), (unsigned long)n, SCPAUTH_SPN_CLASS_MAX);
    return check_token_chars("service class", p, n, err);
}

int scpauth__spn_check_token(const char *what, const char *p, size_t n, scpauth_error *err)
{
    int rc = scpauth__spn_check_part(what, p, n, err);
    return rc != SCPAUTH_OK ? rc : check_token_chars(what, p, n, err);
}

/* RFC 1123 host names (letters, digits, '-'), plus '_' for SRV owner names. */
static int check_dns(const char *what, const char *p, size_t n, int allow_underscore,
                     scpauth_error *err)
{
    if (n > SCPAUTH_SPN_DNS_MAX)
        return scpauth__error_set(err, SCPAUTH_ESPNSYNTAX,
                                  "%s \"%.*s%s\" is %lu characters, over %d for a DNS name",
                                  what, SHOW(p, n), (unsigned long)n, SCPAUTH_SPN_DNS_MAX);
    size_t start = 0;
    for (size_t i = 0; i <= n; i++) {
        if (i < n && p[i] != '.') {
            unsigned char c = (unsigned char)p[i];
            if (!is_alnum(c) && c != '-' && !(allow_underscore && c == '_'))
                return bad_char(what, p, n, i,
                                allow_underscore
                                    ? "a DNS name holds letters, digits, '-', '_' and '.'"
                                    : "a DNS host name holds letters, digits, '-' and '.'",
                                err);
            continue;
        }
        size_t len = i - start;
        if (len == 0)
            return scpauth__error_set(err, SCPAUTH_ESPNSYNTAX,
                                      "%s \"%.*s%s\" has an empty DNS label", what, SHOW(p, n));
        if (len > SCPAUTH_SPN_LABEL_MAX)
            return scpauth__error_set(err, SCPAUTH_ESPNSYNTAX,
                                      "%s \"%.*s%s\" has a DNS label of %lu characters, over %d",
                                      what, SHOW(p, n), (unsigned long)len,
                                      SCPAUTH_SPN_LABEL_MAX);
        if (p[start] == '-' || p[i - 1] == '-')
            return scpauth__error_set(err, SCPAUTH_ESPNSYNTAX,
                                      "%s \"%.*s%s\" has a DNS label \"%.*s\" that starts or "
                                      "ends with '-'",
                                      what, SHOW(p, n), (int)len, p + start);
        start = i + 1;
    }
    return SCPAUTH_OK;
}

int scpauth__spn_check_host(const char *what, const char *p, size_t n, scpauth_error *err)
{
    int rc = scpauth__spn_check_part(what, p, n, err);
    if (rc == SCPAUTH_OK)
        rc = check_dns(what, p, n, 0, err);
    if (rc != SCPAUTH_OK)
        scpauth__error_hint(err, "the host part must be the host's DNS name (or NetBIOS "
                                 "name, or IPv4 address); put a DN or other service "
                                 "name in the service-name part");
    return rc;
}

int scpauth__spn_check_service_name(const char *what, const char *p, size_t n,
                                    scpauth_error *err)
{
    int rc = scpauth__spn_check_part(what, p, n, err);
    if (rc != SCPAUTH_OK || memchr(p, '=', n) != NULL)
        return rc; /* a DN: any text the general rules allow */
    rc = check_dns(what, p, n, 1, err);
    if (rc != SCPAUTH_OK)
        scpauth__error_hint(err, "a service name is a DNS name (domain, SRV record, host) "
                                 "or a distinguished name such as the SCP's DN");
    return rc;
}

int scpauth__spn_is_ipv4(const char *p, size_t n)
{
    size_t i = 0;
    for (int octet = 0; octet < 4; octet++) {
        if (octet > 0) {
            if (i >= n || p[i] != '.')
                return 0;
            i++;
        }
        size_t digits = 0;
        unsigned value = 0;
        while (i < n && p[i] >= '0' && p[i] <= '9' && digits < 4) {
            value = value * 10 + (unsigned)(p[i] - '0');
            i++;
            digits++;
        }
        if (digits == 0 || digits > 3 || value > 255 || (digits > 1 && p[i - digits] == '0'))
            return 0;
    }
    return i == n;
}

int scpauth_spn_validate(const char *spn, scpauth_error *err)
{
    if (spn == NULL)
        return scpauth__error_set(err, SCPAUTH_EINVAL, "SPN to validate is NULL");
    scpauth_spn_parts pt;
    int rc = scpauth_spn_crack(spn, strlen(spn), &pt, err);
    if (rc != SCPAUTH_OK)
        return rc;
    rc = scpauth__spn_check_class(pt.service_class.ptr, pt.service_class.len, err);
    if (rc == SCPAUTH_OK)
        rc = scpauth__spn_check_host("host", pt.host.ptr, pt.host.len, err);
    if (rc == SCPAUTH_OK && pt.instancename.len > 0)
        rc = scpauth__spn_check_token("instance name", pt.instancename.ptr,
                                      pt.instancename.len, err);
    if (rc == SCPAUTH_OK && pt.service_name.len > 0)
        rc = scpauth__spn_check_service_name("service name", pt.service_name.ptr,
                                             pt.service_name.len, err);
    if (rc == SCPAUTH_OK && pt.realm.len > 0)
        rc = scpauth__spn_check_token("realm", pt.realm.ptr, pt.realm.len, err);
    if (rc != SCPAUTH_OK)
        scpauth__error_prefix(err, "SPN \"%.*s%s\"", SHOW(spn, strlen(spn)));
    return rc;
}
