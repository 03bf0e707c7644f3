/* dir_dn.c - the little DN and filter text the core composes or compares. */
#include <string.h>

#include "dir_internal.h"
#include "scp_internal.h"

static char lower(char c)
{
    return (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c;
}

static int is_alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

int scpauth__dn_to_domain(const char *dn, char *out, size_t size, scpauth_error *err)
{
    size_t o = 0;
    const char *p = dn;
    while (p != NULL && *p != '\0') {
        while (*p == ' ')
            p++;
        const char *end = strchr(p, ',');
        size_t n = end != NULL ? (size_t)(end - p) : strlen(p);
        if (n > 3 && lower(p[0]) == 'd' && lower(p[1]) == 'c' && p[2] == '=') {
            const char *v = p + 3;
            size_t vn = n - 3;
            while (vn > 0 && v[vn - 1] == ' ')
                vn--;
            if (memchr(v, '\\', vn) != NULL || memchr(v, '.', vn) != NULL || vn == 0)
                return scpauth__error_set(err, SCPAUTH_EINVAL,
                                          "DN \"%.300s\": unexpected DC= value", dn);
            if (o + (o ? 1 : 0) + vn + 1 > size)
                return scpauth__error_set(err, SCPAUTH_ENOBUFS,
                                          "DN \"%.300s\": domain name too long", dn);
            if (o)
                out[o++] = '.';
            for (size_t i = 0; i < vn; i++)
                out[o++] = lower(v[i]);
        }
        p = end != NULL ? end + 1 : NULL;
    }
    if (o == 0)
        return scpauth__error_set(err, SCPAUTH_EINVAL, "DN \"%.300s\" has no DC= component",
                                  dn);
    out[o] = '\0';
    return SCPAUTH_OK;
}

int scpauth__domain_to_dn(const char *domain, char *out, size_t size, scpauth_error *err)
{
    size_t o = 0;
    const char *p = domain;
    while (*p != '\0') {
        const char *dot = strchr(p, '.');
        size_t n = dot != NULL ? (size_t)(dot - p) : strlen(p);
        if (o + (o ? 1 : 0) + 3 + n + 1 > size)
            return scpauth__error_set(err, SCPAUTH_ENOBUFS, "domain %.200s: DN too long",
                                      domain);
        if (o)
            out[o++] = ',';
        memcpy(out + o, "DC=", 3);
        memcpy(out + o + 3, p, n);
        o += 3 + n;
        if (dot == NULL || dot[1] == '\0')
            break;
        p = dot + 1;
    }
    if (size > 0)
        out[o] = '\0';
    return SCPAUTH_OK;
}

int scpauth__dn_looks_like(const char *text)
{
    const char *eq = strchr(text, '=');
    if (eq == NULL || eq == text)
        return 0;
    /* the attribute type: a keystring or a numeric OID */
    int oid = is_digit(text[0]);
    for (const char *p = text; p < eq; p++) {
        if (oid ? !(is_digit(*p) || *p == '.')
                : !(is_alpha(*p) || is_digit(*p) || *p == '-' || *p == ' '))
            return 0;
    }
    return eq[1] != '\0';
}

/* Next character of a DN with spaces around ',' and '=' skipped. */
static const char *dn_next(const char *p, int *after_sep)
{
    if (*after_sep)
        while (*p == ' ')
            p++;
    if (*p == ' ') {
        const char *q = p;
        while (*q == ' ')
            q++;
        if (*q == ',' || *q == '=')
            p = q;
    }
    return p;
}

int scpauth__dn_equal(const char *a, const char *b)
{
    int sep_a = 1, sep_b = 1;
    for (;;) {
        a = dn_next(a, &sep_a);
        b = dn_next(b, &sep_b);
        if (lower(*a) != lower(*b))
            return 0;
        if (*a == '\0')
            return 1;
        /* an escaped character is compared as is, never as a separator */
        if (*a == '\\' && a[1] != '\0' && b[1] != '\0') {
            a++, b++;
            if (lower(*a) != lower(*b))
                return 0;
            sep_a = sep_b = 0;
        } else {
            sep_a = sep_b = (*a == ',' || *a == '=');
        }
        a++, b++;
    }
}

int scpauth__filter_append(char *out, size_t size, const char *value, scpauth_error *err)
{
    size_t used = strlen(out), n = strlen(value);
    size_t need = scpauth__filter_escape_value(value, n, NULL);
    if (used + need + 1 > size)
        return scpauth__error_set(err, SCPAUTH_ENOBUFS, "LDAP filter too long for \"%.200s\"",
                                  value);
    scpauth__filter_escape_value(value, n, out + used);
    out[used + need] = '\0';
    return SCPAUTH_OK;
}
