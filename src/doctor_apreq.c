/* doctor_apreq.c - the enctypes a client's first Kerberos token reveals:
 * the ticket's enc-part (encrypted with the service's long-term key: its
 * enctype and kvno) and the authenticator (the session key's enctype).
 * A small DER reader; every length is checked against what remains. */
#include <string.h>

#include "doctor_internal.h"

typedef struct der {
    const unsigned char *p;
    size_t n;
} der;

static int malformed(scpauth_error *err, const char *what)
{
    return scpauth__error_set(err, SCPAUTH_EPROTO, "first Kerberos token: %s", what);
}

/* Takes the next TLV off d; it must have tag (single-byte tags only).
 * Returns 1 with *inner = its contents, 0 when malformed or another tag. */
static int der_take(der *d, unsigned char tag, der *inner)
{
    if (d->n < 2 || d->p[0] != tag)
        return 0;
    size_t len = d->p[1], hdr = 2;
    if (len & 0x80) {
        size_t k = len & 0x7f;
        if (k == 0 || k > 4 || d->n < 2 + k)
            return 0; /* indefinite length is not DER; 4 bytes is plenty */
        len = 0;
        for (size_t i = 0; i < k; i++)
            len = (len << 8) | d->p[2 + i];
        hdr += k;
    }
    if (len > d->n - hdr)
        return 0;
    inner->p = d->p + hdr;
    inner->n = len;
    d->p += hdr + len;
    d->n -= hdr + len;
    return 1;
}

/* Skips context-tagged fields until [want]; *inner is its contents. */
static int der_field(der *seq, unsigned want, der *inner)
{
    while (seq->n > 0) {
        unsigned char tag = seq->p[0];
        if ((tag & 0xe0) != 0xa0 || (tag & 0x1f) == 0x1f)
            return 0;
        der v;
        if (!der_take(seq, tag, &v))
            return 0;
        if ((unsigned)(tag & 0x1f) == want) {
            *inner = v;
            return 1;
        }
        if ((unsigned)(tag & 0x1f) > want)
            return 0; /* fields come in order: want is absent */
    }
    return 0;
}

/* An INTEGER of at most 32 bits (a UInt32 may take a leading 0 byte). */
static int der_int(der *d, long long *out)
{
    der v;
    if (!der_take(d, 0x02, &v) || v.n == 0 || v.n > 5)
        return 0;
    long long x = (v.p[0] & 0x80) ? -1 : 0;
    for (size_t i = 0; i < v.n; i++)
        x = x * 256 + v.p[i];
    *out = x;
    return 1;
}

/* EncryptedData ::= SEQUENCE { etype [0] Int32, kvno [1] UInt32 OPTIONAL, cipher [2] } */
static int encrypted_data(der d, int *etype, int *has_kvno, uint32_t *kvno)
{
    der seq, f;
    long long v;
    if (!der_take(&d, 0x30, &seq) || !der_field(&seq, 0, &f) || !der_int(&f, &v) ||
        v < INT32_MIN || v > INT32_MAX)
        return 0;
    *etype = (int)v;
    if (has_kvno == NULL)
        return 1;
    *has_kvno = 0;
    der rest = seq;
    if (rest.n > 0 && rest.p[0] == 0xa1 && der_field(&rest, 1, &f)) {
        if (!der_int(&f, &v) || v < 0 || v > UINT32_MAX)
            return 0;
        *kvno = (uint32_t)v;
        *has_kvno = 1;
    }
    return 1;
}

static const unsigned char krb5_oid[] = {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x12, 0x01, 0x02, 0x02};

int scpauth__apreq_parse(const void *token, size_t len, scpauth__apreq_facts *out,
                         scpauth_error *err)
{
    if (token == NULL || out == NULL)
        return scpauth__error_set(err, SCPAUTH_EINVAL, "first Kerberos token: NULL argument");
    memset(out, 0, sizeof(*out));
    der d = {token, len}, in, oid;
    if (len > 0 && d.p[0] == 0x60) {
        /* RFC 2743 3.1 framing, RFC 4121 4.1: OID, TOK_ID 01 00, AP-REQ */
        if (!der_take(&d, 0x60, &in) || !der_take(&in, 0x06, &oid))
            return malformed(err, "bad GSS-API framing");
        if (oid.n != sizeof(krb5_oid) || memcmp(oid.p, krb5_oid, oid.n) != 0)
            return malformed(err, "not the Kerberos mechanism");
        if (in.n < 2 || in.p[0] != 0x01 || in.p[1] != 0x00)
            return malformed(err, "not an AP-REQ (TOK_ID)");
        d.p = in.p + 2;
        d.n = in.n - 2;
    }
    der ap, seq, f, tkt, tseq, tf;
    if (!der_take(&d, 0x6e, &ap) || !der_take(&ap, 0x30, &seq))
        return malformed(err, "no AP-REQ");
    if (!der_field(&seq, 3, &f) || !der_take(&f, 0x61, &tkt) || !der_take(&tkt, 0x30, &tseq) ||
        !der_field(&tseq, 3, &tf) ||
        !encrypted_data(tf, &out->ticket_enctype, &out->has_kvno, &out->kvno))
        return malformed(err, "malformed ticket");
    if (!der_field(&seq, 4, &f) || !encrypted_data(f, &out->session_enctype, NULL, NULL))
        return malformed(err, "malformed authenticator");
    return SCPAUTH_OK;
}
