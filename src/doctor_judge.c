/* doctor_judge.c - the pure decisions of the doctor: time text, skew,
 * msDS-SupportedEncryptionTypes bits and Kerberos enctype names. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doctor_internal.h"

const char *scpauth_enctype_name(int enctype, char *buf, size_t size)
{
    switch (enctype) {
    case 1: return "des-cbc-crc";
    case 3: return "des-cbc-md5";
    case 17: return "aes128-cts-hmac-sha1-96";
    case 18: return "aes256-cts-hmac-sha1-96";
    case 19: return "aes128-cts-hmac-sha256-128";
    case 20: return "aes256-cts-hmac-sha384-192";
    case 23: return "rc4-hmac";
    case 24: return "rc4-hmac-exp";
    default: break;
    }
    if (buf == NULL || size == 0)
        return "unknown";
    snprintf(buf, size, "enctype-%d", enctype);
    return buf;
}

int scpauth__enctype_is_aes(int enctype)
{
    return enctype >= 17 && enctype <= 20;
}

/* Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar. */
static long days_from_civil(long y, unsigned m, unsigned d)
{
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (long)doe - 719468;
}

static int digits(const char *s, size_t n, unsigned *out)
{
    unsigned v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return 0;
        v = v * 10 + (unsigned)(s[i] - '0');
    }
    *out = v;
    return 1;
}

int scpauth__doctor_gentime(const char *text, double *out, scpauth_error *err)
{
    unsigned y, mo, d, h, mi, s;
    size_t n = strlen(text);
    const char *p = text + 14;
    if (n < 15 || !digits(text, 4, &y) || !digits(text + 4, 2, &mo) ||
        !digits(text + 6, 2, &d) || !digits(text + 8, 2, &h) || !digits(text + 10, 2, &mi) ||
        !digits(text + 12, 2, &s) || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 ||
        mi > 59 || s > 60)
        goto bad;
    double frac = 0, scale = 0.1;
    if (*p == '.' || *p == ',') {
        for (p++; *p >= '0' && *p <= '9'; p++, scale /= 10)
            frac += (*p - '0') * scale;
    }
    if (p[0] != 'Z' || p[1] != '\0')
        goto bad; /* AD always answers in UTC */
    *out = (double)days_from_civil((long)y, mo, d) * 86400.0 + h * 3600.0 + mi * 60.0 + s +
           frac;
    return SCPAUTH_OK;
bad:
    return scpauth__error_set(err, SCPAUTH_EINVAL,
                              "currentTime \"%.40s\" is not a GeneralizedTime in UTC", text);
}

void scpauth__doctor_skew_judge(scpauth_doctor_check *c, double skew, unsigned warn_s,
                                unsigned max_s, const char *source)
{
    double a = skew < 0 ? -skew : skew;
    const char *dir = skew < 0 ? "ahead of" : "behind";
    if (a > (double)max_s) {
        scpauth__doctor_set(c, SCPAUTH_DOCTOR_PROBLEM, SCPAUTH_ESKEW,
                            "this host's clock is %.0f s %s %s; Kerberos allows %u s, so "
                            "tickets and authenticators are refused (KRB_AP_ERR_SKEW)",
                            a, dir, source, max_s);
    } else if (a > (double)warn_s) {
        scpauth__doctor_set(c, SCPAUTH_DOCTOR_WARN, SCPAUTH_OK,
                            "this host's clock is %.0f s %s %s (Kerberos allows %u s)", a, dir,
                            source, max_s);
    } else {
        double ahead = -skew > -0.5 && -skew < 0.5 ? 0.0 : -skew; /* no "-0" */
        scpauth__doctor_set(c, SCPAUTH_DOCTOR_OK, SCPAUTH_OK,
                            "this host's clock is %+.0f s off %s (Kerberos allows %u s)", ahead,
                            source, max_s);
        return;
    }
    scpauth__doctor_fix(c, "synchronise this host's clock with the domain: point chrony or "
                           "ntpd at a DC (Windows: w32tm /resync); Kerberos needs the clocks "
                           "within %u s", max_s);
}

/* ---- msDS-SupportedEncryptionTypes ------------------------------------- */

static void etype_bits(unsigned long v, char *out, size_t size)
{
    static const struct {
        unsigned long bit;
        const char *name;
    } bits[] = {
        {0x1, "DES-CBC-CRC"}, {0x2, "DES-CBC-MD5"}, {0x4, "RC4-HMAC"},
        {0x8, "AES128-CTS-HMAC-SHA1-96"}, {0x10, "AES256-CTS-HMAC-SHA1-96"},
        {0x20, "AES256-CTS-HMAC-SHA1-96-SK"}, {0x10000, "FAST"},
        {0x20000, "compound identity"}, {0x40000, "claims"},
        {0x80000, "resource SID compression disabled"},
    };
    out[0] = '\0';
    for (size_t i = 0; i < sizeof(bits) / sizeof(bits[0]); i++) {
        if (!(v & bits[i].bit))
            continue;
        scpauth__doctor_append(out, size, "%s%s", out[0] ? ", " : "", bits[i].name);
    }
    if (out[0] == '\0')
        snprintf(out, size, "no enctype");
}

static void etypes_fix(scpauth_doctor_check *c, const char *account)
{
    scpauth__doctor_fix(c, "set msDS-SupportedEncryptionTypes=24 (AES128 + AES256) on %s "
                           "(PowerShell: Set-ADUser or Set-ADComputer NAME "
                           "-KerberosEncryptionType AES128,AES256; or ldapmodify: replace "
                           "msDS-SupportedEncryptionTypes: 24), then set its password again so that AES keys exist and "
                           "export the service's keytab again", account);
}

void scpauth__doctor_etypes_judge(scpauth_doctor_check *c, const char *account,
                                  const char *value)
{
    if (value == NULL || *value == '\0') {
        scpauth__doctor_set(c, SCPAUTH_DOCTOR_PROBLEM, SCPAUTH_OK,
                            "msDS-SupportedEncryptionTypes is not set on %s: the KDC then "
                            "assumes the domain default (RC4-HMAC for accounts without the "
                            "attribute) and issues RC4 service tickets for its SPNs, "
                            "whatever keys the keytab holds", account);
        etypes_fix(c, account);
        return;
    }
    char *end = NULL;
    long long v = strtoll(value, &end, 10);
    if (end == value || *end != '\0' || v < INT32_MIN || v > UINT32_MAX) {
        scpauth__doctor_set(c, SCPAUTH_DOCTOR_PROBLEM, SCPAUTH_EDIR,
                            "msDS-SupportedEncryptionTypes of %s is \"%.40s\", not a number",
                            account, value);
        etypes_fix(c, account);
        return;
    }
    unsigned long u = (unsigned long)(uint32_t)v; /* AD stores it as a signed 32-bit int */
    char names[256];
    etype_bits(u, names, sizeof(names));
    if (!(u & SCPAUTH__ETYPES_AES)) {
        scpauth__doctor_set(c, SCPAUTH_DOCTOR_PROBLEM, SCPAUTH_OK,
                            "msDS-SupportedEncryptionTypes of %s is %lu (%s): no AES, so the "
                            "KDC issues %s service tickets for its SPNs", account, u, names,
                            (u & SCPAUTH__ETYPES_RC4) ? "RC4-HMAC" : "RC4 or DES (or no)");
        etypes_fix(c, account);
        return;
    }
    scpauth__doctor_set(c, SCPAUTH_DOCTOR_OK, SCPAUTH_OK,
                        "msDS-SupportedEncryptionTypes of %s is %lu (%s)", account, u, names);
}
