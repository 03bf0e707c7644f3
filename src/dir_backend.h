/* dir_backend.h - the table of operations a directory backend fills (private).
 *
 * The core (src/dir_*.c) owns discovery order, failover, account naming,
 * value checks and the SPN-administration semantics common to both
 * platforms; a backend only talks to its platform API (libldap + SASL, or
 * ntdsapi + wldap32) and reports raw facts. Backend functions return a
 * scpauth status and fill err (via scpauth__error_set*), naming the host,
 * DN or ccache involved. */
#ifndef SCPAUTH_DIR_BACKEND_H
#define SCPAUTH_DIR_BACKEND_H

#include "scpauth/dir.h"
#include "scpauth/scp.h"
#include "dir_entries.h"
#include "dir_srv.h"

typedef enum scpauth__dir_scope {
    SCPAUTH__DIR_SCOPE_BASE = 0,
    SCPAUTH__DIR_SCOPE_SUBTREE = 2
} scpauth__dir_scope;

typedef struct scpauth__dir_query {
    const char *base;          /* "" = the root (forest-wide on a GC) */
    scpauth__dir_scope scope;
    const char *filter;        /* RFC 4515, already escaped by the core */
    const char *const *attrs;  /* NULL-terminated */
    const char *const *binary; /* attributes read as bytes (NULL-terminated; may
                                  be NULL); all others must be UTF-8 text */
} scpauth__dir_query;

struct scpauth_dir_backend {
    const char *name;

    /* Monotonic clock in milliseconds (timings reported to callers). */
    double (*now_ms)(void);

    /* Credentials for binds from opts->creds or opts->ccache (see
     * scpauth_dir_options). principal receives "name@REALM". Errors:
     * ENOCREDS, ECREDEXPIRED, EINVAL. */
    int (*creds_acquire)(const scpauth_dir_options *opts, void **bcreds, char *principal,
                         size_t size, scpauth_error *err);
    void (*creds_free)(void *bcreds);

    /* SRV records of qname, unordered (the core orders them). An empty
     * answer (no such name) is SCPAUTH_OK with out->count 0. Errors: EDNS. */
    int (*srv_lookup)(const char *qname, unsigned timeout_ms, scpauth__srv_list *out,
                      scpauth_error *err);

    /* Connects to host:port and binds with bcreds (Kerberos, sign + seal,
     * no canonicalisation), all within timeout_ms. *ssf receives the layer's
     * strength. Errors: ECONNREFUSED, ETIMEDOUT, ERESOLVE, EIO, EDIRAUTH,
     * ENOCREDS, ECREDEXPIRED, EKDC. */
    int (*connect)(void *bcreds, const char *host, unsigned port, unsigned timeout_ms,
                   void **bconn, unsigned *ssf, scpauth_error *err);
    void (*disconnect)(void *bconn);

    /* Runs q (paged; continuation references skipped) and appends every
     * entry and value to out through scpauth__dir_entry_new/_add, which
     * check them. Attribute names are reported as received (with options
     * such as ";range=0-1499"); the core completes ranged attributes.
     * A base object that does not exist is SCPAUTH_OK with no entry. */
    int (*search)(void *bconn, unsigned timeout_ms, const scpauth__dir_query *q,
                  scpauth__dir_entries *out, scpauth_error *err);

    /* DsWriteAccountSpn on dn (op: SCPAUTH_DIR_SPN_*; n may be 0 only for
     * REPLACE). Returns ECONFLICT when the DC says an SPN is a duplicate,
     * EDIRACCESS when the DC refuses the write (rights or validated write),
     * EDIR otherwise; err->message then carries the DC's own words. */
    int (*spn_write)(void *bconn, unsigned timeout_ms, scpauth_dir_spn_op op, const char *dn,
                     const char *const *spns, size_t n, scpauth_error *err);

    /* Optional (NULL = the core searches): the DN of an account named
     * "DOMAIN\name" or by UPN (DsCrackNames). ENOTFOUND when unknown. */
    int (*crack_name)(void *bconn, const char *name, char *dn, size_t size, scpauth_error *err);

    /* ---- object writes (serviceConnectionPoint publication) ----------- */
    /* Optional (NULL: the core answers ENOTSUP). Each is bounded by
     * timeout_ms and, on a refusal, keeps the DC's own words in err. */

    /* Creates entry->dn with entry's attributes (values as given, text or
     * bytes). Errors: ECONFLICT (an object with that DN exists), EDIRACCESS,
     * ENOTFOUND (the parent does not exist), EDIR, ETIMEDOUT. */
    int (*entry_add)(void *bconn, unsigned timeout_ms, const scpauth_entry *entry,
                     scpauth_error *err);
    /* Replaces the values of the n attributes attrs on dn (each attribute
     * keeps exactly its given values). Errors: as entry_add. */
    int (*entry_replace)(void *bconn, unsigned timeout_ms, const char *dn,
                         const scpauth_entry_attr *attrs, size_t n, scpauth_error *err);
    /* Deletes the leaf object dn. Errors: ENOTFOUND, EDIRACCESS, EDIR, ETIMEDOUT. */
    int (*entry_delete)(void *bconn, unsigned timeout_ms, const char *dn, scpauth_error *err);
};

/* Built-in tables; each exists only when its backend is compiled in. */
extern const struct scpauth_dir_backend scpauth__dir_backend_ldap;
extern const struct scpauth_dir_backend scpauth__dir_backend_adsi;

#endif
