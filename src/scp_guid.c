/* scp_guid.c - objectGUID octets <-> text: Microsoft's mixed-endian string
 * form, the 32-hex octet form, and the <GUID=...> binding DN. */
#include <string.h>

#include "scp_internal.h"

/* Which octet each pair of hex digits of the string form shows: the first
 * three fields are little-endian in the octets. */
static const unsigned char string_order[16] = { 3, 2, 1, 0, 5, 4, 7, 6,
                                                8, 9, 10, 11, 12, 13, 14, 15 };

static const char hex_digits[] = "0123456789abcdef";

void scpauth_guid_to_string(const scpauth_guid *guid, char out[SCPAUTH_GUID_STRING_SIZE])
{
    size_t w = 0;
    for (size_t k = 0; k < 16; k++) {
        if (k == 4 || k == 6 || k == 8 || k == 10)
            out[w++] = '-';
        unsigned char b = guid->bytes[string_order[k]];
        out[w++] = hex_digits[b >> 4];
        out[w++] = hex_digits[b & 15];
    }
    out[w] = '\0';
}

void scpauth_guid_to_hex(const scpauth_guid *guid, char out[SCPAUTH_GUID_HEX_SIZE])
{
    for (size_t k = 0; k < 16; k++) {
        out[2 * k] = hex_digits[guid->bytes[k] >> 4];
        out[2 * k + 1] = hex_digits[guid->bytes[k] & 15];
    }
    out[32] = '\0';
}

void scpauth_guid_to_dn(const scpauth_guid *guid, char out[SCPAUTH_GUID_DN_SIZE])
{
    memcpy(out, "<GUID=", 6);
    scpauth_guid_to_string(guid, out + 6);
    memcpy(out + 6 + 36, ">", 2);
}

int scpauth__hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* 32 hex digits at p (dashes skipped where `dashed`), pair k into octet
 * order[k]. Returns 0 or -1. */
static int parse_pairs(const char *p, size_t n, int dashed, const unsigned char *order,
                       scpauth_guid *out)
{
    size_t i = 0;
    for (size_t k = 0; k < 16; k++) {
        if (dashed && (k == 4 || k == 6 || k == 8 || k == 10)) {
            if (i >= n || p[i] != '-')
                return -1;
            i++;
        }
        if (i + 2 > n)
            return -1;
        int hi = scpauth__hex_value(p[i]), lo = scpauth__hex_value(p[i + 1]);
        if (hi < 0 || lo < 0)
            return -1;
        out->bytes[order[k]] = (unsigned char)(hi << 4 | lo);
        i += 2;
    }
    return i == n ? 0 : -1;
}

static const unsigned char octet_order[16] = { 0, 1, 2, 3, 4, 5, 6, 7,
                                               8, 9, 10, 11, 12, 13, 14, 15 };

int scpauth_guid_from_string(const char *text, size_t len, scpauth_guid *out, scpauth_error *err)
{
    if (text == NULL || out == NULL)
        return scpauth__error_set(err, SCPAUTH_EINVAL, "GUID text or output is NULL");
    scpauth_guid g;
    int bad;
    if (len == 38 && text[0] == '{' && text[37] == '}')
        bad = parse_pairs(text + 1, 36, 1, string_order, &g);
    else if (len == 36)
        bad = parse_pairs(text, 36, 1, string_order, &g);
    else if (len == 32)
        bad = parse_pairs(text, 32, 0, octet_order, &g);
    else
        bad = -1;
    if (bad) {
        char show[SCPAUTH__SCP_SHOW_SIZE];
        scpauth__error_set(err, SCPAUTH_EINVAL, "GUID \"%s\" is malformed",
                           scpauth__scp_show(show, sizeof(show), text, len));
        scpauth__error_hint(err, "write it as xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx (hex "
                                 "digits), optionally in braces, or as the 32 hex digits "
                                 "of its octets");
        return SCPAUTH_EINVAL;
    }
    *out = g;
    return SCPAUTH_OK;
}

int scpauth_guid_from_dn(const char *text, size_t len, scpauth_guid *out, scpauth_error *err)
{
    if (text == NULL || out == NULL)
        return scpauth__error_set(err, SCPAUTH_EINVAL, "GUID DN or output is NULL");
    const char *p = text;
    size_t n = len;
    static const char *const prefixes[] = { "LDAP://", "GC://" };
    for (size_t k = 0; k < 2; k++) {
        size_t pl = strlen(prefixes[k]);
        if (n >= pl && scpauth__ascii_casecmp(p, pl, prefixes[k], pl) == 0) {
            p += pl;
            n -= pl;
            break;
        }
    }
    if (n < 7 || scpauth__ascii_casecmp(p, 6, "<GUID=", 6) != 0 || p[n - 1] != '>' ||
        (n - 7 != 36 && n - 7 != 32)) {
        char show[SCPAUTH__SCP_SHOW_SIZE];
        return scpauth__error_set(err, SCPAUTH_EINVAL,
                                  "\"%s\" is not a GUID binding DN <GUID=...>",
                                  scpauth__scp_show(show, sizeof(show), text, len));
    }
    return scpauth_guid_from_string(p + 6, n - 7, out, err);
}
