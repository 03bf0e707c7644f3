/* scpauth/dir.h - the directory: domain controller discovery, authenticated
 * directory sessions and SPN administration with the semantics of
 * Microsoft's DsWriteAccountSpn, over OpenLDAP libldap + SASL GSSAPI (Unix)
 * or ntdsapi + wldap32 (Windows).
 *
 * A session (scpauth_dir) is one authenticated connection to a DC of a
 * domain, found by DNS SRV (_ldap._tcp.dc._msdcs.DOMAIN, ordered by RFC 2782
 * priority and weighted random choice, with failover to the next DC when a
 * connection fails or times out) or taken from an explicit list. Binds are
 * Kerberos only with a security layer (sign + seal, SSF >= 56) and no reverse
 * DNS canonicalisation. Forest-wide questions (who owns an SPN) go to a
 * global catalog (_gc._tcp.FOREST, port 3268), opened when first needed.
 *
 * Accounts are named by a distinguished name ("CN=svc,CN=Users,DC=x,DC=y"),
 * a sAMAccountName ("svc-myapp", "HOST1$"), "DOMAIN\name", a user principal
 * name ("svc@example.test") or "self" (the account of the session's own
 * credentials). Every value read from the directory is treated as untrusted:
 * length-limited, no NUL, valid UTF-8. */
#ifndef SCPAUTH_DIR_H
#define SCPAUTH_DIR_H

#include "common.h"
#include "error.h"
#include "auth.h"
#include "spn.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct scpauth_dir_backend scpauth_dir_backend; /* table of ops */
typedef struct scpauth_dir scpauth_dir;                 /* a session */

#define SCPAUTH_DIR_TIMEOUT_DEFAULT_MS 10000u /* connect, bind and each operation */
#define SCPAUTH_DIR_PORT_LDAP 389
#define SCPAUTH_DIR_PORT_GC 3268
#define SCPAUTH_DIR_DCS_MAX 32        /* DCs tried per session (explicit or SRV) */
#define SCPAUTH_DIR_DN_MAX 1024       /* bytes of a DN, NUL included */
#define SCPAUTH_DIR_HOST_MAX 256      /* bytes of a DNS name, NUL included */
#define SCPAUTH_DIR_SAM_MAX 257       /* bytes of a sAMAccountName, NUL included */
#define SCPAUTH_DIR_PRINCIPAL_MAX 512 /* bytes of a principal / UPN, NUL included */
#define SCPAUTH_DIR_SPNS_MAX 256      /* SPNs per write or check */

/* ---- backends ---------------------------------------------------------- */

/* The platform's backend: "ldap" on Unix, "adsi" on Windows. */
SCPAUTH_EXPORT const scpauth_dir_backend *scpauth_dir_backend_default(void);
/* A backend by name ("ldap", "adsi"); NULL if not built in. */
SCPAUTH_EXPORT const scpauth_dir_backend *scpauth_dir_backend_find(const char *name);
/* The backend's name; "" for NULL. */
SCPAUTH_EXPORT const char *scpauth_dir_backend_name(const scpauth_dir_backend *b);

/* ---- sessions ---------------------------------------------------------- */

typedef struct scpauth_dir_options {
    /* DNS name of the domain; NULL = the realm of the credentials, lower-cased. */
    const char *domain;
    /* Explicit DCs, "host", "host:port" or "[v6addr]:port", tried in order;
     * they override DNS discovery. Their global catalog is the same host on
     * port 3268. n_dcs <= SCPAUTH_DIR_DCS_MAX. */
    const char *const *dcs;
    size_t n_dcs;
    /* The session's own credentials, never taken from or put into the
     * environment. creds: client credentials from scpauth_creds_acquire()
     * (ccache, password...), borrowed: they must outlive the session. When
     * NULL, ccache names the ccache to use ("FILE:/path", "KCM:", ...; NULL =
     * the default ccache). Windows binds as the logon session: creds only
     * names it, and ccache must be NULL. */
    scpauth_creds *creds;
    const char *ccache;
    /* Bound on each connect + bind and on each directory operation;
     * 0 = SCPAUTH_DIR_TIMEOUT_DEFAULT_MS. */
    unsigned timeout_ms;
    const scpauth_dir_backend *backend; /* NULL = scpauth_dir_backend_default() */
    /* 0: bind to a DC at open. 1: only when an operation first needs the
     * domain's DC; a session that only locates SCPs then talks to the global
     * catalog alone. Open then fails only for the credentials and the
     * domain; the first operation reports an unreachable DC, and
     * scpauth_dir_info_get shows no DC until one is bound. */
    int defer_dc;
} scpauth_dir_options;

/* Takes the credentials, finds the domain's DCs and binds to the first
 * that answers. Errors: EINVAL, ENOCREDS, ECREDEXPIRED (credentials),
 * EDNS (SRV lookup failed or malformed answer), ENODC (no DC answered: the
 * message lists each DC tried and why it failed), EDIRAUTH (the bind was
 * refused), ETIMEDOUT, ENOMEM. Close with scpauth_dir_close(). */
SCPAUTH_EXPORT SCPAUTH_WUR int scpauth_dir_open(const scpauth_dir_options *opts,
                                                scpauth_dir **out, scpauth_error *err);
/* Unbinds and frees the session. NULL is fine. */
SCPAUTH_EXPORT void scpauth_dir_close(scpauth_dir *dir);

/* One connection attempt made while opening a session. */
typedef struct scpauth_dir_attempt {
    char host[SCPAUTH_DIR_HOST_MAX];
    unsigned port;
    int status;     /* SCPAUTH_OK for the DC in use, else why it failed */
    double elapsed_ms;
} scpauth_dir_attempt;

typedef struct scpauth_dir_info {
    char principal[SCPAUTH_DIR_PRINCIPAL_MAX]; /* the credentials' "name@REALM" */
    char domain[SCPAUTH_DIR_HOST_MAX];         /* DNS domain of the session */
    char dc[SCPAUTH_DIR_HOST_MAX];             /* DC in use */
    unsigned port;
    char base_dn[SCPAUTH_DIR_DN_MAX];          /* defaultNamingContext */
    char forest_dn[SCPAUTH_DIR_DN_MAX];        /* rootDomainNamingContext */
    int discovered;                            /* 1 = DNS SRV, 0 = explicit list */
    unsigned ssf;                              /* security strength of the layer */
    size_t n_attempts;                         /* attempts[0..n) in order tried */
    scpauth_dir_attempt attempts[SCPAUTH_DIR_DCS_MAX];
    double connect_ms;                         /* first attempt to bound */
} scpauth_dir_info;

/* Copies what the session knows about itself into *info. */
SCPAUTH_EXPORT SCPAUTH_WUR int scpauth_dir_info_get(const scpauth_dir *dir,
                                                    scpauth_dir_info *info,
                                                    scpauth_error *err);

/* ---- accounts ---------------------------------------------------------- */

typedef struct scpauth_dir_account {
    char dn[SCPAUTH_DIR_DN_MAX];
    char sam_account_name[SCPAUTH_DIR_SAM_MAX];
    char upn[SCPAUTH_DIR_PRINCIPAL_MAX];      /* "" when the account has none */
    char dns_host_name[SCPAUTH_DIR_HOST_MAX]; /* computers; "" otherwise */
    int is_computer;
    int is_self;                              /* the session's own account */
} scpauth_dir_account;

/* Finds a user or computer account in the session's domain by any of the
 * names above. Errors: EINVAL (malformed name), ENOTFOUND, EDIR (several
 * accounts match), and the directory errors. */
SCPAUTH_EXPORT SCPAUTH_WUR int scpauth_dir_account_find(scpauth_dir *dir, const char *account,
                                                        scpauth_dir_account *out,
                                                        scpauth_error *err);

/* ---- SPN administration (DsWriteAccountSpn semantics) ------------------ */

/* DS_SPN_WRITE_OP, same values. */
typedef enum scpauth_dir_spn_op {
    SCPAUTH_DIR_SPN_ADD = 0,     /* add the SPNs to the account */
    SCPAUTH_DIR_SPN_REPLACE = 1, /* the account's SPNs become exactly these
                                    (none: every SPN is removed) */
    SCPAUTH_DIR_SPN_DELETE = 2   /* remove the SPNs from the account */
} scpauth_dir_spn_op;

/* What a write did; release with scpauth_dir_spn_result_free(). */
typedef struct scpauth_dir_spn_result {
    scpauth_dir_account account;
    scpauth_spn_list added;   /* written to the account */
    scpauth_spn_list removed; /* taken off the account */
    scpauth_spn_list kept;    /* add/replace: already on the account */
    scpauth_spn_list absent;  /* delete: were not on the account */
} scpauth_dir_spn_result;

/* Frees the lists of r and leaves it empty. NULL is fine. */
SCPAUTH_EXPORT void scpauth_dir_spn_result_free(scpauth_dir_spn_result *r);

/* Adds, replaces or deletes n SPNs on an account. SPNs to add are checked
 * with scpauth_spn_validate() and, before anything is written, looked up
 * forest-wide (global catalog): an SPN another account owns is refused with
 * ECONFLICT naming that account (like `setspn -S`). Comparisons ignore case,
 * as AD does. A DC refusal is explained: ECONFLICT for a duplicate the DC
 * found, EDIRACCESS for an SPN the caller may not write (a computer writing
 * its own SPNs under validated write may only add class/its-own-host[:port]:
 * another host or a three-part SPN needs an administrator). result may be
 * NULL. Errors: EINVAL (n == 0 for add/delete, n > SCPAUTH_DIR_SPNS_MAX), ESPNSYNTAX,
 * ENOTFOUND (account), ECONFLICT, EDIRACCESS, and the directory errors. */
SCPAUTH_EXPORT SCPAUTH_WUR int scpauth_dir_spn_write(scpauth_dir *dir, scpauth_dir_spn_op op,
                                                     const char *account,
                                                     const char *const *spns, size_t n,
                                                     scpauth_dir_spn_result *result,
                                                     scpauth_error *err);

/* The SPNs registered on an account (servicePrincipalName, every value even
 * past AD's range limit). *out is freed with scpauth_spn_list_free(); acct
 * (may be NULL) receives the account. */
SCPAUTH_EXPORT SCPAUTH_WUR int scpauth_dir_spn_list(scpauth_dir *dir, const char *account,
                                                    scpauth_dir_account *acct,
                                                    scpauth_spn_list *out, scpauth_error *err);

/* An account that holds an SPN. */
typedef struct scpauth_dir_owner {
    char dn[SCPAUTH_DIR_DN_MAX];
    char sam_account_name[SCPAUTH_DIR_SAM_MAX];
    int is_computer;
} scpauth_dir_owner;

typedef struct scpauth_dir_owner_list {
    scpauth_dir_owner *items;
    size_t count;
} scpauth_dir_owner_list;

/* Frees the list and leaves it empty. NULL is fine. */
SCPAUTH_EXPORT void scpauth_dir_owner_list_free(scpauth_dir_owner_list *list);

/* Which accounts hold spn, forest-wide through the global catalog (like
 * `setspn -Q`; exact match, case-insensitive). An empty list is SCPAUTH_OK.
 * Errors: ESPNSYNTAX, and the directory errors. */
SCPAUTH_EXPORT SCPAUTH_WUR int scpauth_dir_spn_query(scpauth_dir *dir, const char *spn,
                                                     scpauth_dir_owner_list *out,
                                                     scpauth_error *err);

/* Service start check: every one of the n SPNs is registered on account
 * (typically "self"). Returns SCPAUTH_OK, or ENOSPN with a message listing the
 * missing SPNs (and any other account holding one) and a hint giving the
 * command that registers them: scpauth spn add --account ACCOUNT SPN...
 * Other errors: EINVAL, ESPNSYNTAX, ENOTFOUND, and the directory errors. */
SCPAUTH_EXPORT SCPAUTH_WUR int scpauth_dir_spn_check(scpauth_dir *dir, const char *account,
                                                     const char *const *spns, size_t n,
                                                     scpauth_error *err);

#ifdef __cplusplus
}
#endif
#endif
