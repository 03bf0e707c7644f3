/* dir_target.c - DC names given by people ("host[:port]") and domain names. */
#include <string.h>

#include "dir_internal.h"
#include "scp_internal.h"
#include "spn_internal.h"

static int is_v6_char(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') ||
           c == ':' || c == '.';
}

static int bad_target(const char *text, const char *why, scpauth_error *err)
{
    scpauth__error_set(err, SCPAUTH_EINVAL, "DC \"%.200s\": %s", text, why);
    scpauth__error_hint(err, "give a DC as host, host:port or [IPv6-address]:port");
    return SCPAUTH_EINVAL;
}

int scpauth__dir_target_parse(const char *text, unsigned default_port,
                              scpauth__dir_target *out, scpauth_error *err)
{
    if (text == NULL || out == NULL)
        return scpauth__error_set(err, SCPAUTH_EINVAL, "DC name: NULL argument");
    size_t len = strlen(text);
    const char *host = text, *port = NULL;
    size_t host_len = len;
    if (text[0] == '[') {
        const char *close = strchr(text, ']');
        if (close == NULL)
            return bad_target(text, "missing ']'", err);
        host = text + 1;
        host_len = (size_t)(close - host);
        for (size_t i = 0; i < host_len; i++)
            if (!is_v6_char(host[i]))
                return bad_target(text, "not an IPv6 address between '[' and ']'", err);
        if (host_len < 2)
            return bad_target(text, "empty IPv6 address", err);
        if (close[1] == ':')
            port = close + 2;
        else if (close[1] != '\0')
            return bad_target(text, "unexpected text after ']'", err);
    } else {
        const char *colon = strchr(text, ':');
        if (colon != NULL) {
            if (strchr(colon + 1, ':') != NULL)
                return bad_target(text, "an IPv6 address needs brackets", err);
            host_len = (size_t)(colon - text);
            port = colon + 1;
        }
        scpauth_error why;
        scpauth_error_clear(&why);
        if (scpauth__spn_check_host("host", host, host_len, &why) != SCPAUTH_OK)
            return bad_target(text, why.message, err);
    }
    if (host_len >= sizeof(out->host))
        return bad_target(text, "host name too long", err);
    out->port = default_port;
    if (port != NULL && scpauth__scp_port_parse(port, strlen(port), &out->port) != 0)
        return bad_target(text, "port must be a number from 1 to 65535", err);
    memcpy(out->host, host, host_len);
    out->host[host_len] = '\0';
    return SCPAUTH_OK;
}

int scpauth__dir_domain_norm(const char *what, const char *text, char *out, size_t size,
                             scpauth_error *err)
{
    if (text == NULL)
        return scpauth__error_set(err, SCPAUTH_EINVAL, "%s: NULL", what);
    size_t n = strlen(text);
    if (n > 0 && text[n - 1] == '.')
        n--;
    if (n == 0 || n >= size || n >= SCPAUTH_DIR_HOST_MAX)
        return scpauth__error_set(err, SCPAUTH_EINVAL, "%s \"%.200s\": empty or too long", what,
                                  text);
    if (scpauth__spn_check_host(what, text, n, err) != SCPAUTH_OK ||
        scpauth__spn_is_ipv4(text, n)) {
        scpauth__error_set(err, SCPAUTH_EINVAL, "%s \"%.200s\" is not a DNS domain name", what,
                           text);
        scpauth__error_hint(err, "give the domain as a DNS name, e.g. example.com");
        return SCPAUTH_EINVAL;
    }
    for (size_t i = 0; i < n; i++)
        out[i] = (char)((text[i] >= 'A' && text[i] <= 'Z') ? text[i] + 32 : text[i]);
    out[n] = '\0';
    return SCPAUTH_OK;
}

void scpauth__dir_copy(char *dst, size_t size, const char *src)
{
    if (size == 0)
        return;
    size_t n = src != NULL ? strlen(src) : 0;
    if (n >= size)
        n = size - 1;
    if (n > 0)
        memcpy(dst, src, n);
    dst[n] = '\0';
}
