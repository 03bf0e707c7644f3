/* dir_srv.h - DNS SRV records: parsing an untrusted DNS answer and RFC 2782
 * ordering (private; portable). */
#ifndef SCPAUTH_DIR_SRV_H
#define SCPAUTH_DIR_SRV_H

#include <stdint.h>

#include "scpauth/dir.h"

#define SCPAUTH__SRV_MAX 64        /* records kept from one answer */
#define SCPAUTH__DNS_MSG_MAX 65535 /* a DNS message never exceeds this */

typedef struct scpauth__srv {
    char target[SCPAUTH_DIR_HOST_MAX]; /* lower-case, no trailing dot */
    uint16_t priority;
    uint16_t weight;
    uint16_t port;
} scpauth__srv;

typedef struct scpauth__srv_list {
    scpauth__srv *items;
    size_t count;
} scpauth__srv_list;

/* Parses a DNS response message (as res_nquery returns it) for the SRV
 * records of qname (following CNAMEs inside the answer). Every length,
 * offset and compression pointer is checked against len; names are limited
 * to 255 characters of letters, digits, '-' and '_'. A target of "." (service
 * not offered) is dropped. At most SCPAUTH__SRV_MAX records are kept.
 * NXDOMAIN or no SRV record: SCPAUTH_OK with out->count 0. Errors: EDNS
 * (malformed, truncated, server failure), EINVAL, ENOMEM. Free with
 * scpauth__srv_list_free(). */
int scpauth__srv_parse(const unsigned char *msg, size_t len, const char *qname,
                       scpauth__srv_list *out, scpauth_error *err);

void scpauth__srv_list_free(scpauth__srv_list *list);

/* Returns a uniformly distributed 32-bit number; state is the caller's. */
typedef uint32_t (*scpauth__rand_fn)(void *state);

/* Sorts records into the order to try them (RFC 2782): ascending priority;
 * within one priority, repeated weighted random selection where weight-0
 * records come first in the running sum (so they are rarely chosen first). */
void scpauth__srv_order(scpauth__srv *items, size_t n, scpauth__rand_fn rnd, void *state);

/* A small non-cryptographic generator (xorshift) for scpauth__srv_order;
 * *state must be non-zero (scpauth__rand_seed gives one). */
uint32_t scpauth__rand_xorshift(void *state);
uint32_t scpauth__rand_seed(void);

#endif
