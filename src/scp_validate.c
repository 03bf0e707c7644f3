/* scp_validate.c - checks of single SCP values: text (length, UTF-8 with the
 * directory layer's validator, control characters), class, DNS name, port
 * and binding, and the quoting of untrusted values in messages. */
#include <string.h>

#include "dir_entries.h"
#include "scp_internal.h"
#include "spn_internal.h"

const char *scpauth__scp_show(char *out, size_t size, const void *p, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *s = p;
    size_t w = 0;
    if (size < 4) /* room for "..." and NUL at least */
        return size > 0 ? (out[0] = '\0', out) : out;
    for (size_t i = 0; i < n; i++) {
        char tmp[4];
        size_t k = 0;
        if (s[i] == '"' || s[i] == '\\') {
            tmp[k++] = '\\';
            tmp[k++] = (char)s[i];
        } else if (s[i] >= 0x20 && s[i] < 0x7f) {
            tmp[k++] = (char)s[i];
        } else {
            tmp[k++] = '\\';
            tmp[k++] = 'x';
            tmp[k++] = hex[s[i] >> 4];
            tmp[k++] = hex[s[i] & 15];
        }
        /* keep room for "..." unless this is the last byte and it fits */
        size_t reserve = i + 1 < n ? 3 : 0;
        if (w + k + reserve + 1 > size) {
            memcpy(out + w, "...", 3);
            w += 3;
            break;
        }
        memcpy(out + w, tmp, k);
        w += k;
    }
    out[w] = '\0';
    return out;
}

int scpauth__scp_check_text(const char *what, const void *p, size_t n, size_t max, int flags,
                            scpauth_error *err)
{
    char show[SCPAUTH__SCP_SHOW_SIZE];
    const unsigned char *s = p;
    if (n == 0)
        return scpauth__error_set(err, SCPAUTH_EINVAL, "%s is empty", what);
    if (n > max)
        return scpauth__error_set(err, SCPAUTH_EINVAL, "%s \"%s\" is %lu bytes, over %lu", what,
                                  scpauth__scp_show(show, sizeof(show), p, n),
                                  (unsigned long)n, (unsigned long)max);
    if (!scpauth__utf8_valid(s, n))
        return scpauth__error_set(err, SCPAUTH_EINVAL, "%s \"%s\" is not valid UTF-8", what,
                                  scpauth__scp_show(show, sizeof(show), p, n));
    for (size_t i = 0; i < n; i++) {
        /* C0 and DEL, and C1 (U+0080-U+009F, encoded as C2 80 - C2 9F) */
        int c1 = s[i] == 0xc2 && i + 1 < n && s[i + 1] >= 0x80 && s[i + 1] <= 0x9f;
        if (s[i] < 0x20 || s[i] == 0x7f || c1)
            return scpauth__error_set(err, SCPAUTH_EINVAL,
                                      "%s \"%s\" holds a %s at byte %lu", what,
                                      scpauth__scp_show(show, sizeof(show), p, n),
                                      s[i] == 0 ? "NUL" : "control character",
                                      (unsigned long)(i + 1));
    }
    if ((flags & SCPAUTH__TEXT_TRIMMED) && (s[0] == ' ' || s[n - 1] == ' '))
        return scpauth__error_set(err, SCPAUTH_EINVAL,
                                  "%s \"%s\" has leading or trailing space", what,
                                  scpauth__scp_show(show, sizeof(show), p, n));
    return SCPAUTH_OK;
}

/* The SPN checks quote values raw: make sure they only ever see ASCII. */
static int check_ascii(const char *what, const char *p, size_t n, scpauth_error *err)
{
    for (size_t i = 0; i < n; i++) {
        if ((unsigned char)p[i] >= 0x80) {
            char show[SCPAUTH__SCP_SHOW_SIZE];
            return scpauth__error_set(err, SCPAUTH_ESPNSYNTAX,
                                      "%s \"%s\" has a non-ASCII character at byte %lu", what,
                                      scpauth__scp_show(show, sizeof(show), p, n),
                                      (unsigned long)(i + 1));
        }
    }
    return SCPAUTH_OK;
}

int scpauth__scp_check_class(const char *p, size_t n, scpauth_error *err)
{
    int rc = check_ascii("service class", p, n, err);
    return rc != SCPAUTH_OK ? rc : scpauth__spn_check_class(p, n, err);
}

int scpauth__scp_check_dns(const char *what, const char *p, size_t n, int srv,
                           scpauth_error *err)
{
    int rc = check_ascii(what, p, n, err);
    if (rc != SCPAUTH_OK)
        return rc;
    if (!srv)
        return scpauth__spn_check_host(what, p, n, err);
    /* the SPN service-name check also admits DNs; an SRV name is never one */
    const char *eq = memchr(p, '=', n);
    if (eq != NULL)
        return scpauth__error_set(err, SCPAUTH_ESPNSYNTAX,
                                  "%s \"%.*s%s\" has '=' at position %lu: an SRV record name "
                                  "holds letters, digits, '-', '_' and '.'",
                                  what, SCPAUTH__SPN_SHOW(p, n), (unsigned long)(eq - p + 1));
    return scpauth__spn_check_service_name(what, p, n, err);
}

int scpauth__scp_port_parse(const char *p, size_t n, unsigned *port)
{
    if (n == 0 || n > 5 || p[0] == '0')
        return -1;
    unsigned v = 0;
    for (size_t i = 0; i < n; i++) {
        if (p[i] < '0' || p[i] > '9')
            return -1;
        v = v * 10 + (unsigned)(p[i] - '0');
    }
    if (v > 65535)
        return -1;
    *port = v;
    return 0;
}

int scpauth__scp_binding_port(const char *p, size_t n, unsigned *port, scpauth_error *err)
{
    char show[SCPAUTH__SCP_SHOW_SIZE], scheme[SCPAUTH__SCP_SHOW_SIZE];
    const char *rest = p;
    size_t rest_len = n;
    int url = 0;
    for (size_t i = 0; i + 3 <= n; i++) {
        if (memcmp(p + i, "://", 3) != 0)
            continue;
        if (scpauth__ascii_casecmp(p, i, "tcp", 3) != 0)
            return scpauth__error_set(err, SCPAUTH_EINVAL,
                                      "binding \"%s\" has the scheme \"%s\"; only tcp:// is "
                                      "understood",
                                      scpauth__scp_show(show, sizeof(show), p, n),
                                      scpauth__scp_show(scheme, sizeof(scheme), p, i));
        rest = p + i + 3;
        rest_len = n - i - 3;
        url = 1;
        break;
    }
    const char *colon = NULL;
    for (size_t i = rest_len; i > 0; i--) {
        if (rest[i - 1] == ':') {
            colon = rest + i - 1;
            break;
        }
    }
    const char *digits = rest;
    size_t digits_len = rest_len;
    if (colon != NULL) {
        int rc = scpauth__scp_check_dns("binding host", rest, (size_t)(colon - rest), 0, err);
        if (rc != SCPAUTH_OK)
            return rc;
        digits = colon + 1;
        digits_len = rest_len - (size_t)(colon - rest) - 1;
    } else if (url) {
        return scpauth__error_set(err, SCPAUTH_EINVAL,
                                  "binding \"%s\" lacks \":PORT\" after the host",
                                  scpauth__scp_show(show, sizeof(show), p, n));
    }
    if (scpauth__scp_port_parse(digits, digits_len, port) != 0) {
        scpauth__error_set(err, SCPAUTH_EINVAL,
                           "binding \"%s\" does not end in a port 1-65535 (digits only, no "
                           "leading zero)",
                           scpauth__scp_show(show, sizeof(show), p, n));
        scpauth__error_hint(err, "accepted forms: PORT, HOST:PORT, tcp://HOST:PORT");
        return SCPAUTH_EINVAL;
    }
    return SCPAUTH_OK;
}

int scpauth__ascii_casecmp(const char *a, size_t an, const char *b, size_t bn)
{
    size_t n = an < bn ? an : bn;
    for (size_t i = 0; i < n; i++) {
        int ca = (unsigned char)a[i], cb = (unsigned char)b[i];
        if (ca >= 'A' && ca <= 'Z')
            ca += 'a' - 'A';
        if (cb >= 'A' && cb <= 'Z')
            cb += 'a' - 'A';
        if (ca != cb)
            return ca < cb ? -1 : 1;
    }
    return an == bn ? 0 : (an < bn ? -1 : 1);
}

int scpauth__scp_size_check(const char *what, char *out, size_t *size, size_t need,
                            scpauth_error *err)
{
    size_t have = out == NULL ? 0 : *size;
    *size = need;
    if (have < need)
        return scpauth__error_set(err, SCPAUTH_ENOBUFS, "%s needs %lu bytes, the buffer has %lu",
                                  what, (unsigned long)need, (unsigned long)have);
    return SCPAUTH_OK;
}
