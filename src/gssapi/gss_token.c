/* gss_token.c - recognise the mechanism of a client's first token.
 *
 * Initial context tokens (RFC 2743 3.1) are [APPLICATION 0] { OID, ... };
 * SPNEGO's inner token is NegotiationToken ::= [0] NegTokenInit, NegTokenInit
 * ::= SEQUENCE { mechTypes [0] SEQUENCE OF OID, ... } (RFC 4178 4.2). A
 * small bounded DER reader is enough for that much. */
#include <string.h>

#include "gss_token.h"

/* DER bodies of the OIDs of interest. */
static const unsigned char oid_krb5[] = {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x12, 0x01, 0x02, 0x02};
/* 1.2.840.48018.1.2.2: the mistyped krb5 OID Windows sends in SPNEGO */
static const unsigned char oid_mskrb5[] = {0x2a, 0x86, 0x48, 0x82, 0xf7, 0x12, 0x01, 0x02, 0x02};
/* 1.3.5.1.5.2: pre-RFC 1964 krb5 OID, still accepted by MIT */
static const unsigned char oid_krb5_old[] = {0x2b, 0x05, 0x01, 0x05, 0x02};
static const unsigned char oid_spnego[] = {0x2b, 0x06, 0x01, 0x05, 0x05, 0x02};
/* 1.3.6.1.4.1.311.2.2.10 */
static const unsigned char oid_ntlm[] = {0x2b, 0x06, 0x01, 0x04, 0x01, 0x82, 0x37, 0x02, 0x02, 0x0a};

static const unsigned char ntlmssp_sig[8] = {'N', 'T', 'L', 'M', 'S', 'S', 'P', 0};

#define OID_IS(o, l, ref) ((l) == sizeof(ref) && memcmp((o), (ref), sizeof(ref)) == 0)

scpauth_mech scpauth__gss_mech_from_oid(const void *oid, size_t len)
{
    if (oid == NULL)
        return SCPAUTH_MECH_OTHER;
    if (OID_IS(oid, len, oid_krb5) || OID_IS(oid, len, oid_mskrb5) ||
        OID_IS(oid, len, oid_krb5_old))
        return SCPAUTH_MECH_KRB5;
    if (OID_IS(oid, len, oid_ntlm))
        return SCPAUTH_MECH_NTLM;
    return SCPAUTH_MECH_OTHER;
}

int scpauth__gss_oid_is_spnego(const void *oid, size_t len)
{
    return oid != NULL && OID_IS(oid, len, oid_spnego);
}

/* A cursor over DER bytes. */
typedef struct der {
    const unsigned char *p;
    size_t left;
} der;

/* Reads one TLV with the expected tag; *body receives its contents. DER
 * lengths up to 4 bytes; indefinite lengths are refused. Returns 0/-1. */
static int der_take(der *d, unsigned char tag, der *body)
{
    if (d->left < 2 || d->p[0] != tag)
        return -1;
    size_t len = d->p[1], hdr = 2;
    if (len & 0x80) {
        size_t n = len & 0x7f;
        if (n == 0 || n > 4 || d->left < 2 + n)
            return -1;
        len = 0;
        for (size_t i = 0; i < n; i++)
            len = (len << 8) | d->p[2 + i];
        hdr += n;
    }
    if (len > d->left - hdr)
        return -1;
    body->p = d->p + hdr;
    body->left = len;
    d->p += hdr + len;
    d->left -= hdr + len;
    return 0;
}

/* Records the mechanisms listed in a NegTokenInit (inner: after the OID). */
static void sniff_spnego(der inner, scpauth__gss_token_info *info)
{
    der choice, seq, field, list, oid;
    if (der_take(&inner, 0xa0, &choice) != 0 || der_take(&choice, 0x30, &seq) != 0 ||
        der_take(&seq, 0xa0, &field) != 0 || der_take(&field, 0x30, &list) != 0)
        return;
    unsigned offers = 0;
    scpauth_mech first = SCPAUTH_MECH_UNKNOWN;
    while (list.left > 0) {
        if (der_take(&list, 0x06, &oid) != 0)
            return;
        scpauth_mech m = scpauth__gss_mech_from_oid(oid.p, oid.left);
        offers |= m == SCPAUTH_MECH_KRB5   ? SCPAUTH__OFFER_KRB5
                  : m == SCPAUTH_MECH_NTLM ? SCPAUTH__OFFER_NTLM
                                           : SCPAUTH__OFFER_OTHER;
        if (first == SCPAUTH_MECH_UNKNOWN)
            first = m;
    }
    info->offers_known = 1;
    info->offers = offers;
    info->first_offer = first;
}

void scpauth__gss_token_sniff(const void *tok, size_t len, scpauth__gss_token_info *info)
{
    memset(info, 0, sizeof(*info));
    if (tok == NULL)
        return;
    if (len >= sizeof(ntlmssp_sig) && memcmp(tok, ntlmssp_sig, sizeof(ntlmssp_sig)) == 0) {
        info->kind = SCPAUTH__TOKEN_NTLM;
        return;
    }
    der d = {tok, len}, app, oid;
    if (der_take(&d, 0x60, &app) != 0 || der_take(&app, 0x06, &oid) != 0)
        return;
    if (scpauth__gss_oid_is_spnego(oid.p, oid.left)) {
        info->kind = SCPAUTH__TOKEN_SPNEGO;
        sniff_spnego(app, info);
        return;
    }
    switch (scpauth__gss_mech_from_oid(oid.p, oid.left)) {
    case SCPAUTH_MECH_KRB5:
        info->kind = SCPAUTH__TOKEN_KRB5;
        break;
    case SCPAUTH_MECH_NTLM:
        info->kind = SCPAUTH__TOKEN_NTLM;
        break;
    default:
        info->kind = SCPAUTH__TOKEN_OTHER;
        break;
    }
}
