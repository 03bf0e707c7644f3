/* spn_crack.c - DsCrackSpn2/3: split SPN text into its parts, and copy them
 * into caller buffers with DsCrackSpn's size reporting. */
#include <string.h>

#include "spn_internal.h"

#define SHOW SCPAUTH__SPN_SHOW

static scpauth_spn_part part(const char *p, size_t n)
{
    scpauth_spn_part r = {p, n};
    return r;
}

static const char *find(const char *p, size_t n, char c)
{
    return n > 0 ? memchr(p, c, n) : NULL;
}

/* The text after ':': a port (all digits) or an MS-ADTS instance name. */
static int crack_suffix(const char *p, size_t n, scpauth_spn_parts *out, scpauth_error *err)
{
    if (n == 0)
        return scpauth__error_set(err, SCPAUTH_ESPNSYNTAX, "port after ':' is empty");
    size_t digits = 0;
    while (digits < n && p[digits] >= '0' && p[digits] <= '9')
        digits++;
    if (digits < n) {
        out->instancename = part(p, n);
        if (find(p, n, ':') != NULL)
            return scpauth__error_set(err, SCPAUTH_ESPNSYNTAX,
                                      "port or instance name \"%.*s%s\" contains ':'",
                                      SHOW(p, n));
        return scpauth__spn_check_part("instance name", p, n, err);
    }
    unsigned long v = 0;
    for (size_t i = 0; i < n && v <= 65535; i++)
        v = v * 10 + (unsigned long)(p[i] - '0');
    if (v == 0 || v > 65535 || p[0] == '0') {
        scpauth__error_set(err, SCPAUTH_ESPNSYNTAX, "port \"%.*s%s\" %s", SHOW(p, n),
                           p[0] == '0' && v != 0 && v <= 65535 ? "has a leading zero"
                                                               : "is not in the range 1-65535");
        scpauth__error_hint(err, "Kerberos compares SPNs as text: write the port as "
                                 "DsMakeSpn does (decimal, no leading zero), or omit it");
        return SCPAUTH_ESPNSYNTAX;
    }
    out->port_text = part(p, n);
    out->port = (unsigned)v;
    return SCPAUTH_OK;
}

static int crack_parts(const char *spn, size_t len, scpauth_spn_parts *out, scpauth_error *err)
{
    const char *slash = find(spn, len, '/');
    if (slash == NULL) {
        scpauth__error_set(err, SCPAUTH_ESPNSYNTAX, "no '/' after the service class");
        scpauth__error_hint(err, "an SPN is class/host[:port][/service-name], "
                                 "e.g. http/web.example.com");
        return SCPAUTH_ESPNSYNTAX;
    }
    out->service_class = part(spn, (size_t)(slash - spn));
    const char *rest = slash + 1, *end = spn + len;

    /* The realm follows the last '@' when no '/' comes after it. */
    for (const char *q = end; q > rest; q--) {
        if (q[-1] == '/')
            break;
        if (q[-1] == '@') {
            out->realm = part(q, (size_t)(end - q));
            end = q - 1;
            break;
        }
    }
    const char *slash2 = find(rest, (size_t)(end - rest), '/');
    const char *hp_end = slash2 != NULL ? slash2 : end;
    if (slash2 != NULL)
        out->service_name = part(slash2 + 1, (size_t)(end - slash2 - 1));
    const char *colon = find(rest, (size_t)(hp_end - rest), ':');
    out->host = part(rest, (size_t)((colon != NULL ? colon : hp_end) - rest));

    int rc = scpauth__spn_check_part("service class", out->service_class.ptr,
                                     out->service_class.len, err);
    if (rc == SCPAUTH_OK && out->service_class.len > SCPAUTH_SPN_CLASS_MAX)
        rc = scpauth__error_set(err, SCPAUTH_ESPNSYNTAX, "service class is %lu characters, over %d",
                                (unsigned long)out->service_class.len, SCPAUTH_SPN_CLASS_MAX);
    if (rc == SCPAUTH_OK)
        rc = scpauth__spn_check_part("host", out->host.ptr, out->host.len, err);
    if (rc == SCPAUTH_OK && colon != NULL)
        rc = crack_suffix(colon + 1, (size_t)(hp_end - colon - 1), out, err);
    if (rc == SCPAUTH_OK && slash2 != NULL)
        rc = scpauth__spn_check_part("service name", out->service_name.ptr,
                                     out->service_name.len, err);
    if (rc == SCPAUTH_OK && out->realm.ptr != NULL)
        rc = scpauth__spn_check_part("realm", out->realm.ptr, out->realm.len, err);
    return rc;
}

int scpauth_spn_crack(const char *spn, size_t len, scpauth_spn_parts *out, scpauth_error *err)
{
    if (spn == NULL || out == NULL)
        return scpauth__error_set(err, SCPAUTH_EINVAL, "%s is NULL",
                                  spn == NULL ? "SPN to crack" : "output of SPN crack");
    memset(out, 0, sizeof(*out));
    if (len == 0)
        return scpauth__error_set(err, SCPAUTH_ESPNSYNTAX, "SPN is empty");
    if (len > SCPAUTH_SPN_MAX)
        return scpauth__error_set(err, SCPAUTH_ESPNSYNTAX,
                                  "SPN \"%.*s%s\" is %lu characters, over the limit of %d",
                                  SHOW(spn, len), (unsigned long)len, SCPAUTH_SPN_MAX);
    int rc = crack_parts(spn, len, out, err);
    if (rc != SCPAUTH_OK) {
        scpauth__error_prefix(err, "SPN \"%.*s%s\"", SHOW(spn, len));
        memset(out, 0, sizeof(*out));
    }
    return rc;
}

/* DsCrackSpn's rule for one buffer; returns 1 when it was too small. */
static int copy_out(scpauth_spn_part src, char *buf, size_t *size)
{
    if (buf == NULL || size == NULL || *size == 0)
        return 0;
    size_t need = src.len + 1;
    if (*size < need) {
        buf[0] = '\0';
        *size = need;
        return 1;
    }
    memcpy(buf, src.ptr, src.len);
    buf[src.len] = '\0';
    *size = need;
    return 0;
}

int scpauth_spn_crack_copy(const char *spn, size_t len, char *service_class, size_t *class_size,
                           char *service_name, size_t *name_size, char *host,
                           size_t *host_size, unsigned short *port, scpauth_error *err)
{
    scpauth_spn_parts pt;
    int rc = scpauth_spn_crack(spn, len, &pt, err);
    if (rc != SCPAUTH_OK)
        return rc;
    /* Without a service name, DsCrackSpn returns the instance name there. */
    scpauth_spn_part name = pt.service_name.len > 0 ? pt.service_name : pt.host;
    size_t have[3] = {class_size ? *class_size : 0, name_size ? *name_size : 0,
                      host_size ? *host_size : 0};
    static const char *const what[3] = {"service class", "service name", "host"};
    int small[3];
    small[0] = copy_out(pt.service_class, service_class, class_size);
    small[1] = copy_out(name, service_name, name_size);
    small[2] = copy_out(pt.host, host, host_size);
    if (port != NULL)
        *port = (unsigned short)pt.port;
    size_t *sizes[3] = {class_size, name_size, host_size};
    for (int i = 0; i < 3; i++) {
        if (small[i])
            return scpauth__error_set(err, SCPAUTH_ENOBUFS,
                                      "SPN \"%.*s%s\": buffer for the %s is %lu bytes, "
                                      "%lu needed",
                                      SHOW(spn, len), what[i], (unsigned long)have[i],
                                      (unsigned long)*sizes[i]);
    }
    return SCPAUTH_OK;
}
