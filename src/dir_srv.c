/* dir_srv.c - parses a DNS response for SRV records. The message comes from
 * the network: every count, length, offset and compression pointer is
 * checked before use, and nothing is allocated from a count not yet checked. */
#include <stdlib.h>
#include <string.h>

#include "dir_srv.h"
#include "error_internal.h"

#define DNS_HEADER_LEN 12
#define DNS_TYPE_CNAME 5
#define DNS_TYPE_SRV 33
#define DNS_CLASS_IN 1
#define DNS_RCODE_NXDOMAIN 3
#define DNS_NAME_MAX 255     /* text characters of a name */
#define DNS_POINTER_HOPS 32  /* compression pointers followed per name */
#define CNAME_CHAIN_MAX 8

typedef struct dns_reader {
    const unsigned char *msg;
    size_t len;
    scpauth_error *err;
} dns_reader;

static unsigned get16(const unsigned char *p)
{
    return ((unsigned)p[0] << 8) | p[1];
}

static int malformed(dns_reader *r, const char *what, size_t off)
{
    return scpauth__error_set(r->err, SCPAUTH_EDNS,
                              "malformed DNS answer: %s at offset %zu of %zu bytes", what, off,
                              r->len);
}

static int name_char_ok(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '-' || c == '_';
}

/* Expands the (possibly compressed) name at *off into out as lower-case
 * dotted text; *off moves past the name's bytes in place. *clean is 0 when
 * a label holds a character outside name_char_ok (the text is then only
 * fit for comparison failures, never for use). */
static int read_name(dns_reader *r, size_t *off, char out[DNS_NAME_MAX + 1], int *clean)
{
    size_t pos = *off, text = 0, end = 0;
    int jumped = 0, hops = 0;
    *clean = 1;
    for (;;) {
        if (pos >= r->len)
            return malformed(r, "name runs past the end", pos);
        unsigned char l = r->msg[pos];
        if ((l & 0xC0) == 0xC0) {
            if (pos + 1 >= r->len)
                return malformed(r, "truncated compression pointer", pos);
            size_t target = ((size_t)(l & 0x3F) << 8) | r->msg[pos + 1];
            /* pointing strictly backwards guarantees termination */
            if (target >= pos || ++hops > DNS_POINTER_HOPS)
                return malformed(r, "compression pointer loop", pos);
            if (!jumped)
                end = pos + 2;
            jumped = 1;
            pos = target;
            continue;
        }
        if (l & 0xC0)
            return malformed(r, "unsupported label type", pos);
        if (l == 0) {
            if (!jumped)
                end = pos + 1;
            break;
        }
        if (pos + 1 + l > r->len)
            return malformed(r, "label runs past the end", pos);
        if (text + (text ? 1 : 0) + l > DNS_NAME_MAX)
            return malformed(r, "name longer than 255 characters", pos);
        if (text)
            out[text++] = '.';
        for (size_t i = 0; i < l; i++) {
            unsigned char c = r->msg[pos + 1 + i];
            if (!name_char_ok(c))
                *clean = 0;
            out[text++] = (char)((c >= 'A' && c <= 'Z') ? c + 32 : c);
        }
        pos += 1 + (size_t)l;
    }
    out[text] = '\0';
    *off = end;
    return SCPAUTH_OK;
}

static int same_name(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 0 && a[la - 1] == '.')
        la--;
    if (lb > 0 && b[lb - 1] == '.')
        lb--;
    if (la != lb)
        return 0;
    for (size_t i = 0; i < la; i++) {
        unsigned char x = (unsigned char)a[i], y = (unsigned char)b[i];
        if (x >= 'A' && x <= 'Z')
            x += 32;
        if (y >= 'A' && y <= 'Z')
            y += 32;
        if (x != y)
            return 0;
    }
    return 1;
}

/* One resource record's fixed fields, rdata bounds already checked. */
typedef struct dns_rr {
    char owner[DNS_NAME_MAX + 1];
    int owner_clean;
    unsigned type, klass;
    size_t rdata, rdlen;
} dns_rr;

static int read_rr(dns_reader *r, size_t *off, dns_rr *rr)
{
    int rc = read_name(r, off, rr->owner, &rr->owner_clean);
    if (rc != SCPAUTH_OK)
        return rc;
    if (*off + 10 > r->len)
        return malformed(r, "truncated record header", *off);
    const unsigned char *p = r->msg + *off;
    rr->type = get16(p);
    rr->klass = get16(p + 2);
    rr->rdlen = get16(p + 8);
    rr->rdata = *off + 10;
    if (rr->rdata + rr->rdlen > r->len)
        return malformed(r, "record data runs past the end", rr->rdata);
    *off = rr->rdata + rr->rdlen;
    return SCPAUTH_OK;
}

static int skip_questions(dns_reader *r, size_t *off, unsigned count)
{
    char name[DNS_NAME_MAX + 1];
    int clean;
    for (unsigned i = 0; i < count; i++) {
        int rc = read_name(r, off, name, &clean);
        if (rc != SCPAUTH_OK)
            return rc;
        if (*off + 4 > r->len)
            return malformed(r, "truncated question", *off);
        *off += 4;
    }
    return SCPAUTH_OK;
}

/* Reads an SRV record's data into *srv; 0 = usable, 1 = skip it. */
static int read_srv(dns_reader *r, const dns_rr *rr, scpauth__srv *srv, int *skip)
{
    if (rr->rdlen < 7)
        return malformed(r, "SRV record shorter than 7 bytes", rr->rdata);
    const unsigned char *p = r->msg + rr->rdata;
    srv->priority = (uint16_t)get16(p);
    srv->weight = (uint16_t)get16(p + 2);
    srv->port = (uint16_t)get16(p + 4);
    size_t off = rr->rdata + 6;
    int clean, rc = read_name(r, &off, srv->target, &clean);
    if (rc != SCPAUTH_OK)
        return rc;
    if (off > rr->rdata + rr->rdlen)
        return malformed(r, "SRV target runs past its record", rr->rdata);
    /* "." means the service is not offered; a port 0 or an odd target is
     * nothing we could connect to */
    *skip = !clean || srv->target[0] == '\0' || srv->port == 0;
    return SCPAUTH_OK;
}

static int parse_answers(dns_reader *r, size_t off, unsigned ancount, const char *qname,
                         scpauth__srv_list *out, size_t *skipped)
{
    char alias[CNAME_CHAIN_MAX + 1][DNS_NAME_MAX + 1];
    size_t n_alias = 1;
    strncpy(alias[0], qname, DNS_NAME_MAX);
    alias[0][DNS_NAME_MAX] = '\0';
    for (unsigned i = 0; i < ancount; i++) {
        dns_rr rr;
        int rc = read_rr(r, &off, &rr);
        if (rc != SCPAUTH_OK)
            return rc;
        if (rr.klass != DNS_CLASS_IN || !rr.owner_clean)
            continue;
        int ours = 0;
        for (size_t a = 0; a < n_alias && !ours; a++)
            ours = same_name(rr.owner, alias[a]);
        if (!ours)
            continue;
        if (rr.type == DNS_TYPE_CNAME && n_alias <= CNAME_CHAIN_MAX) {
            size_t p = rr.rdata;
            int clean;
            rc = read_name(r, &p, alias[n_alias], &clean);
            if (rc != SCPAUTH_OK)
                return rc;
            if (clean)
                n_alias++;
        } else if (rr.type == DNS_TYPE_SRV && out->count < SCPAUTH__SRV_MAX) {
            int skip = 0;
            rc = read_srv(r, &rr, &out->items[out->count], &skip);
            if (rc != SCPAUTH_OK)
                return rc;
            if (skip)
                (*skipped)++;
            else
                out->count++;
        }
    }
    return SCPAUTH_OK;
}

int scpauth__srv_parse(const unsigned char *msg, size_t len, const char *qname,
                       scpauth__srv_list *out, scpauth_error *err)
{
    if (out == NULL || qname == NULL || (msg == NULL && len > 0))
        return scpauth__error_set(err, SCPAUTH_EINVAL, "scpauth__srv_parse: NULL argument");
    out->items = NULL;
    out->count = 0;
    dns_reader r = {msg, len, err};
    if (len < DNS_HEADER_LEN || len > SCPAUTH__DNS_MSG_MAX)
        return scpauth__error_set(err, SCPAUTH_EDNS,
                                  "malformed DNS answer for %s: %zu bytes (header is 12)",
                                  qname, len);
    unsigned flags = get16(msg + 2), qdcount = get16(msg + 4), ancount = get16(msg + 6);
    if (!(flags & 0x8000))
        return malformed(&r, "not a response", 2);
    if (flags & 0x0200)
        return scpauth__error_set(err, SCPAUTH_EDNS, "DNS answer for %s is truncated", qname);
    unsigned rcode = flags & 0x000F;
    if (rcode == DNS_RCODE_NXDOMAIN)
        return SCPAUTH_OK;
    if (rcode != 0) {
        scpauth__error_set(err, SCPAUTH_EDNS, "DNS server answered %s with rcode %u", qname,
                           rcode);
        scpauth__error_native(err, SCPAUTH_NATIVE_DNS, rcode, 0);
        return SCPAUTH_EDNS;
    }
    size_t off = DNS_HEADER_LEN;
    int rc = skip_questions(&r, &off, qdcount);
    if (rc != SCPAUTH_OK)
        return rc;
    if (ancount == 0)
        return SCPAUTH_OK;
    /* the smallest record is 11 bytes: reject counts the message cannot hold */
    if ((size_t)ancount > (len - off) / 11)
        return malformed(&r, "answer count larger than the message", 6);
    size_t cap = ancount < SCPAUTH__SRV_MAX ? ancount : SCPAUTH__SRV_MAX;
    out->items = calloc(cap, sizeof(*out->items));
    if (out->items == NULL)
        return scpauth__error_set(err, SCPAUTH_ENOMEM, "out of memory parsing SRV records");
    size_t skipped = 0;
    rc = parse_answers(&r, off, ancount, qname, out, &skipped);
    if (rc == SCPAUTH_OK && out->count == 0 && skipped > 0)
        rc = scpauth__error_set(err, SCPAUTH_EDNS,
                                "no usable SRV record for %s: %zu record(s) with target \".\", "
                                "port 0 or a malformed host name",
                                qname, skipped);
    if (rc != SCPAUTH_OK || out->count == 0)
        scpauth__srv_list_free(out); /* nothing to free for the caller */
    return rc;
}

void scpauth__srv_list_free(scpauth__srv_list *list)
{
    if (list == NULL)
        return;
    free(list->items);
    list->items = NULL;
    list->count = 0;
}
