/* test_dir_mock.h - a directory backend for unit tests: an in-memory
 * directory (entries, RootDSE, SRV records), scripted connect outcomes,
 * scripted write refusals, and counters of what the core asked for. */
#ifndef SCPAUTH_TEST_DIR_MOCK_H
#define SCPAUTH_TEST_DIR_MOCK_H

#include "dir_backend.h"

#define MOCK_ENTRIES 16
#define MOCK_ATTRS 8
#define MOCK_VALUES 40
#define MOCK_OUTCOMES 8

typedef struct mock_attr {
    char name[64];
    char values[MOCK_VALUES][160];
    size_t n;
} mock_attr;

typedef struct mock_entry {
    char dn[256];
    mock_attr attrs[MOCK_ATTRS];
    size_t n_attrs;
} mock_entry;

typedef struct mock_dir {
    mock_entry entries[MOCK_ENTRIES];
    size_t n_entries;
    char principal[128];
    int creds_rc;                      /* creds_acquire result */
    scpauth__srv srv[8];               /* answer to any SRV lookup */
    size_t n_srv;
    char srv_qnames[4][128];           /* names looked up */
    size_t n_lookups;
    struct {
        char hostport[96];             /* "host:port" */
        int rc;
    } outcomes[MOCK_OUTCOMES];         /* connect results; others succeed */
    size_t n_outcomes;
    size_t connects, gc_connects, open_conns;
    int write_rc;                      /* spn_write result (with write_msg) */
    char write_msg[200];
    size_t writes;
    scpauth_dir_spn_op last_op;
    char last_values[8][160];
    size_t last_n;
    size_t range_limit;                /* >0: return multi-valued attributes in ranges */
    int range_skip;                    /* a hostile server: skip values between ranges */
    double clock;
} mock_dir;

extern mock_dir mock;
extern const struct scpauth_dir_backend mock_dir_backend;

/* Empties the mock: RootDSE of DC=example,DC=test, principal
 * administrator@EXAMPLE.TEST, the Partitions crossRef (NetBIOS EXAMPLE). */
void mock_reset(void);

/* Adds an entry (objectClass values as attribute "objectClass"). */
mock_entry *mock_add(const char *dn);
void mock_attr_add(mock_entry *e, const char *attr, const char *value);

/* A user or computer account with its SPNs (NULL-terminated). */
mock_entry *mock_account(const char *cn, const char *sam, int computer, const char *const *spns);

/* connect to host:port gives rc. */
void mock_outcome(const char *hostport, int rc);

/* The values of attr on the entry dn, or NULL. */
const mock_attr *mock_find_attr(const char *dn, const char *attr);

/* Options for a session over the mock: explicit DCs (may be NULL / 0). */
scpauth_dir_options mock_options(const char *const *dcs, size_t n_dcs);

#endif
