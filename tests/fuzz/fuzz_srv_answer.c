/* fuzz_srv_answer.c - libFuzzer target for the DNS SRV answer parser
 * (scpauth__srv_parse) and RFC 2782 ordering on what it returns.
 * Properties checked (abort on violation): a failure is EDNS with a message
 * and nothing to free; on success every record is usable (a non-empty
 * lower-case host name of letters, digits, '-', '_' and dots, at most 255
 * characters, port not 0), at most SCPAUTH__SRV_MAX of them, and ordering
 * keeps the same records sorted by priority. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dir_srv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(int ok)
{
    if (!ok)
        abort();
}

static void check_target(const char *t)
{
    size_t n = strlen(t);
    check(n > 0 && n <= 255);
    for (size_t i = 0; i < n; i++) {
        char c = t[i];
        check((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
              c == '.');
    }
}

static uint32_t sum_ports(const scpauth__srv *s, size_t n)
{
    uint32_t sum = 0;
    for (size_t i = 0; i < n; i++)
        sum += s[i].port + 7u * s[i].weight + 13u * s[i].priority;
    return sum;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* both the usual question name and a short one (CNAME targets, case) */
    const char *qname = size % 2 ? "_ldap._tcp.dc._msdcs.example.test" : "a";
    scpauth__srv_list l;
    scpauth_error err;
    scpauth_error_clear(&err);
    int rc = scpauth__srv_parse(data, size, qname, &l, &err);
    if (rc != SCPAUTH_OK) {
        check(rc == SCPAUTH_EDNS && err.code == SCPAUTH_EDNS && err.message[0] != '\0');
        check(l.items == NULL && l.count == 0);
        return 0;
    }
    check(l.count <= SCPAUTH__SRV_MAX && (l.count == 0) == (l.items == NULL));
    for (size_t i = 0; i < l.count; i++) {
        check_target(l.items[i].target);
        check(l.items[i].port != 0);
    }
    uint32_t before = sum_ports(l.items, l.count), seed = 0x2545F491u ^ (uint32_t)size;
    scpauth__srv_order(l.items, l.count, scpauth__rand_xorshift, &seed);
    check(sum_ports(l.items, l.count) == before);
    for (size_t i = 1; i < l.count; i++)
        check(l.items[i - 1].priority <= l.items[i].priority);
    scpauth__srv_list_free(&l);
    return 0;
}
