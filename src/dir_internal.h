/* dir_internal.h - the directory core's handle and helpers (private;
 * portable: no platform header). */
#ifndef SCPAUTH_DIR_INTERNAL_H
#define SCPAUTH_DIR_INTERNAL_H

#include "dir_backend.h"
#include "error_internal.h"

/* A DC to try: host name or address, and port. */
typedef struct scpauth__dir_target {
    char host[SCPAUTH_DIR_HOST_MAX];
    unsigned port;
} scpauth__dir_target;

struct scpauth_dir {
    const struct scpauth_dir_backend *backend;
    void *bcreds;
    void *bconn;                /* the DC; NULL until scpauth__dir_dc_ready */
    int dc_deferred;            /* opened on first need (opts->defer_dc) */
    int dc_tried;
    scpauth_error dc_error;     /* why no DC could be opened */
    void *bgc;                  /* the global catalog, opened when first needed */
    int gc_tried;
    scpauth_error gc_error;     /* why no GC could be opened */
    char gc_host[SCPAUTH_DIR_HOST_MAX];
    unsigned timeout_ms;
    scpauth_dir_info info;
    scpauth__dir_target explicit_dcs[SCPAUTH_DIR_DCS_MAX];
    size_t n_explicit;
    int self_known;             /* self_dn resolved */
    char self_dn[SCPAUTH_DIR_DN_MAX];
};

/* ---- targets (dir_target.c) --------------------------------------------- */

/* Parses "host", "host:port" or "[v6]:port" (port 1-65535, default_port when
 * absent). Errors: EINVAL naming the text. */
int scpauth__dir_target_parse(const char *text, unsigned default_port,
                              scpauth__dir_target *out, scpauth_error *err);

/* Checks a DNS domain name (letters, digits, '-' labels; no trailing dot
 * needed) and copies it lower-cased into out. Errors: EINVAL. */
int scpauth__dir_domain_norm(const char *what, const char *text, char *out, size_t size,
                             scpauth_error *err);

/* ---- DNs and filters (dir_dn.c) ----------------------------------------- */

/* "DC=example,DC=test" -> "example.test" (the DC= components, in order).
 * Errors: EINVAL when dn has no DC= component or an escaped one. */
int scpauth__dn_to_domain(const char *dn, char *out, size_t size, scpauth_error *err);

/* "example.test" -> "DC=example,DC=test". Errors: ENOBUFS. */
int scpauth__domain_to_dn(const char *domain, char *out, size_t size, scpauth_error *err);

/* 1 when text has the shape of a DN: attribute type (letters, digits, '-',
 * or an OID) '=' value, for its first RDN. */
int scpauth__dn_looks_like(const char *text);

/* DN equality ignoring ASCII case and spaces around ',' and '='. */
int scpauth__dn_equal(const char *a, const char *b);

/* Appends value to out (NUL-terminated, size bytes) escaped for an RFC 4515
 * filter (scpauth__filter_escape_value). Errors: ENOBUFS. */
int scpauth__filter_append(char *out, size_t size, const char *value, scpauth_error *err);

/* ---- server result codes (dir_ldap_result.c) ---------------------------- */

/* The scpauth code for an LDAP result code a server sent (RFC 4511); for a
 * constraint violation the server's diagnostic decides: "conflict" ->
 * ECONFLICT (duplicate SPN), "validation" -> EDIRACCESS (validated write). */
int scpauth__dir_ldap_result_code(int rc, const char *diag);

/* ---- account names (dir_account.c) -------------------------------------- */

typedef enum scpauth__account_kind {
    SCPAUTH__ACCOUNT_SELF = 1, /* "self" */
    SCPAUTH__ACCOUNT_DN,       /* CN=...,DC=... */
    SCPAUTH__ACCOUNT_SAM,      /* name or NAME$ */
    SCPAUTH__ACCOUNT_NT4,      /* DOMAIN\name */
    SCPAUTH__ACCOUNT_UPN,      /* name@suffix */
    SCPAUTH__ACCOUNT_SPN       /* class/host[...]: a service principal's account */
} scpauth__account_kind;

typedef struct scpauth__account_name {
    scpauth__account_kind kind;
    char text[SCPAUTH_DIR_DN_MAX];   /* the whole name as given */
    char name[SCPAUTH_DIR_DN_MAX];   /* DN, sAMAccountName, UPN or SPN to look up */
    char domain[SCPAUTH_DIR_SAM_MAX];/* NT4: the domain part */
    int computer;                    /* a sAMAccountName ending in '$' */
} scpauth__account_name;

/* Classifies an account name (see scpauth/dir.h). Errors: EINVAL naming what
 * is wrong (empty, too long, characters AD forbids in a sAMAccountName). */
int scpauth__account_classify(const char *text, scpauth__account_name *out,
                              scpauth_error *err);

/* The account name standing for a Kerberos principal "name@REALM" of the
 * session's domain: one component -> UPN name@REALM or sAMAccountName name
 * (when realm matches domain); several ("host/fqdn@R") -> the SPN.
 * Errors: EINVAL. */
int scpauth__account_from_principal(const char *principal, const char *domain,
                                    scpauth__account_name *upn, scpauth__account_name *sam,
                                    scpauth_error *err);

/* An LDAP filter that finds the account: (&(objectClass=user)(X=value)).
 * Not for DN or SELF names. Errors: ENOBUFS, EINVAL. */
int scpauth__account_filter(const scpauth__account_name *a, char *out, size_t size,
                            scpauth_error *err);

/* ---- session plumbing (dir_session.c, dir_gc.c, dir_search.c) ---------- */

/* Connects to the first of targets[0..n) that binds: *used is its index,
 * *ssf the layer's strength; each attempt is recorded in attempts (n
 * entries at most; may be NULL) and counted in *n_attempts. A failure of the
 * credentials themselves stops at once; otherwise returns ENODC (or EDIRAUTH
 * when every DC refused the bind) with every failure listed. */
int scpauth__dir_connect_any(scpauth_dir *dir, const scpauth__dir_target *targets, size_t n,
                             const char *what, void **bconn, size_t *used, unsigned *ssf,
                             scpauth_dir_attempt *attempts, size_t *n_attempts,
                             scpauth_error *err);

/* Resolves an SRV name into ordered targets (at most SCPAUTH_DIR_DCS_MAX).
 * Errors: EDNS, ENODC (no record). */
int scpauth__dir_discover(scpauth_dir *dir, const char *qname, scpauth__dir_target *targets,
                          size_t *n, scpauth_error *err);

/* Binds to a DC and reads its RootDSE (base_dn, forest_dn) unless done:
 * every use of dir->bconn or of those facts comes after it. A failure is
 * kept and returned again. Errors: as scpauth_dir_open. */
int scpauth__dir_dc_ready(scpauth_dir *dir, scpauth_error *err);

/* The global catalog connection, opened on first use; NULL with err set
 * when none could be opened. */
void *scpauth__dir_gc(scpauth_dir *dir, scpauth_error *err);

/* Runs a search on conn and completes ranged attributes ("attr;range=0-1499")
 * by asking for the next ranges. Errors: the backend's. */
int scpauth__dir_search(scpauth_dir *dir, void *conn, const scpauth__dir_query *q,
                        scpauth__dir_entries *out, scpauth_error *err);

/* Finds an account (see scpauth_dir_account_find) and returns its entry
 * data in *out; attrs extra attributes to keep in *entry (may be NULL). */
int scpauth__dir_account_lookup(scpauth_dir *dir, const char *account,
                                scpauth_dir_account *out, scpauth__dir_entries *entry,
                                scpauth_error *err);

/* Copies src into dst (size bytes) cutting if needed; always terminates. */
void scpauth__dir_copy(char *dst, size_t size, const char *src);

#endif
