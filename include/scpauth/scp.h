/* scpauth/scp.h - the serviceConnectionPoint (SCP) model of Microsoft's
 * scenario "Mutual Authentication in a Windows Sockets Service with an SCP",
 * in portable C: the attributes, parsing and validation of an SCP a client
 * reads from the directory, the attribute set a service publishes, the
 * keyword search filter, objectGUID text forms and a stable order of several
 * located SCPs. No directory access here (see scpauth/dir.h).
 *
 * Attributes (MS-ADSC serviceConnectionPoint; all strings are UTF-8):
 *   cn                         RDN value; scpauth publishes "<class>-<instance>"
 *                              so several instances on one host coexist
 *   keywords                   multi-valued; the service's GUID string (the
 *                              UuidToString form) plus product keywords
 *   serviceClassName           the SPN service class
 *   serviceDNSName             the host's DNS name ("A") or an SRV record
 *                              name ("SRV")
 *   serviceDNSNameType         "A" or "SRV"
 *   serviceBindingInformation  multi-valued. scpauth publishes ONE value, the
 *                              port in decimal ("4444"), exactly as Microsoft's
 *                              ScpCreate does: its client (ScpLocate) reads the
 *                              first value with _wtoi, and LDAP does not order
 *                              values, so a second value could be read first.
 *                              Accepted when read: "PORT", "HOST:PORT" and
 *                              "tcp://HOST:PORT" (scheme case-insensitive).
 *   description                optional, single value
 *   objectGUID                 16 bytes (octet string); text form see below
 *
 * Everything read from the directory is untrusted: parsing checks lengths and
 * counts before copying, UTF-8 validity, no NUL or control character, host
 * and class syntax, port 1-65535, required attributes, and fails closed with
 * SCPAUTH_ESCPINVALID naming the DN, the attribute and the value (escaped and
 * cut for printing); it never returns a partly checked SCP. */
#ifndef SCPAUTH_SCP_H
#define SCPAUTH_SCP_H

#include "common.h"
#include "error.h"
#include "spn.h"
#include "dir.h" /* the directory operations at the end */

#ifdef __cplusplus
extern "C" {
#endif

/* Limits (bytes of UTF-8 unless said otherwise); scpauth's own, chosen above
 * what the scenario needs and, where AD sets one, at AD's rangeUpper. */
#define SCPAUTH_SCP_DN_MAX 1023          /* a DN (the SCP's, the parent's); the
                                            directory layer's limit too */
#define SCPAUTH_SCP_CN_MAX 64            /* cn (AD: 64 characters) */
#define SCPAUTH_SCP_CLASS_MAX SCPAUTH_SPN_CLASS_MAX /* serviceClassName */
#define SCPAUTH_SCP_DNS_MAX SCPAUTH_SPN_DNS_MAX     /* serviceDNSName */
#define SCPAUTH_SCP_KEYWORD_MAX 256      /* one keywords value */
#define SCPAUTH_SCP_KEYWORDS_MAX 32      /* keywords values */
#define SCPAUTH_SCP_BINDING_MAX 512      /* one serviceBindingInformation value */
#define SCPAUTH_SCP_BINDINGS_MAX 16      /* serviceBindingInformation values */
#define SCPAUTH_SCP_DESCRIPTION_MAX 1024 /* description (AD: 1024 characters) */
#define SCPAUTH_SCP_INSTANCE_MAX 48      /* instance name given to scpauth_scp_build */
#define SCPAUTH_SCP_ATTRS_MAX 64         /* attributes in one entry */
#define SCPAUTH_SCP_VALUES_MAX 64        /* values of any other attribute read */

/* ---- objectGUID ---------------------------------------------------------- */

/* An objectGUID as the directory stores it: 16 octets, in which the first
 * three fields of the text form are little-endian (Microsoft's GUID layout).
 * Octets 00112233445566778899aabbccddeeff are
 * "33221100-5544-7766-8899-aabbccddeeff". */
typedef struct scpauth_guid {
    unsigned char bytes[16];
} scpauth_guid;

#define SCPAUTH_GUID_STRING_SIZE 37 /* "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx" + NUL */
#define SCPAUTH_GUID_HEX_SIZE 33    /* 32 hex digits of the octets in order + NUL */
#define SCPAUTH_GUID_DN_SIZE 44     /* "<GUID=" + string form + ">" + NUL */

/* The text form, lower case (UuidToString's, StringFromGUID2's without braces). */
SCPAUTH_EXPORT void scpauth_guid_to_string(const scpauth_guid *guid,
                                           char out[SCPAUTH_GUID_STRING_SIZE]);

/* The octets in order as 32 lower-case hex digits (what IADs::get_GUID gives). */
SCPAUTH_EXPORT void scpauth_guid_to_hex(const scpauth_guid *guid, char out[SCPAUTH_GUID_HEX_SIZE]);

/* "<GUID=xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx>": the DN that binds to the
 * object by GUID (AD and Samba accept the text form and the 32-hex form). */
SCPAUTH_EXPORT void scpauth_guid_to_dn(const scpauth_guid *guid, char out[SCPAUTH_GUID_DN_SIZE]);

/* Parses the len characters at text (no NUL needed), case-insensitive:
 * "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx", the same in braces "{...}", or 32
 * hex digits taken as the octets in order (the <GUID=...> hex form).
 * Errors: EINVAL (NULL argument, or text in none of these forms). */
SCPAUTH_EXPORT SCPAUTH_WUR int scpauth_guid_from_string(const char *text, size_t len,
                                                        scpauth_guid *out, scpauth_error *err);

/* Parses a GUID binding DN "<GUID=...>" (either form above, no braces),
 * optionally prefixed by "LDAP://" or "GC://" as Microsoft's sample caches it.
 * Errors: EINVAL. */
SCPAUTH_EXPORT SCPAUTH_WUR int scpauth_guid_from_dn(const char *text, size_t len,
                                                    scpauth_guid *out, scpauth_error *err);

/* ---- an entry as read from (or written to) the directory ------------------ */

/* One value: len bytes at data (no NUL needed). */
typedef struct scpauth_entry_value {
    const void *data;
    size_t len;
} scpauth_entry_value;

/* One attribute: its name (NUL-terminated, compared case-insensitively) and
 * count values. */
typedef struct scpauth_entry_attr {
    const char *name;
    const scpauth_entry_value *values;
    size_t count;
} scpauth_entry_attr;

/* An entry as a backend hands it over (LDAP: ldap_get_dn + ldap_get_values_len;
 * ADSI: the ADS_ATTR_INFO array converted to UTF-8). Nothing is owned: the
 * backend keeps the storage alive during the call it passes the entry to. */
typedef struct scpauth_entry {
    const char *dn; /* NUL-terminated; may be NULL in an entry to be built */
    const scpauth_entry_attr *attrs;
    size_t count;
} scpauth_entry;

/* The attribute named name (case-insensitive), or NULL when absent or when
 * entry or name is NULL. With duplicates, the first. */
SCPAUTH_EXPORT const scpauth_entry_attr *scpauth_entry_find(const scpauth_entry *entry,
                                                            const char *name);

/* ---- a parsed SCP (what a client reads) ------------------------------------ */

typedef enum scpauth_scp_dns_type {
    SCPAUTH_SCP_DNS_A = 0,  /* serviceDNSName is the host's name */
    SCPAUTH_SCP_DNS_SRV = 1 /* serviceDNSName is an SRV record name */
} scpauth_scp_dns_type;

/* Every string is NUL-terminated, checked, and lives in one allocation owned
 * by the record; release with scpauth_scp_free. */
typedef struct scpauth_scp {
    const char *dn;
    scpauth_guid guid;
    int has_guid;                 /* 0 when objectGUID was not read */
    const char *cn;               /* NULL when not read */
    const char *service_class;    /* serviceClassName */
    const char *dns_name;         /* serviceDNSName */
    scpauth_scp_dns_type dns_name_type;
    unsigned short port;          /* from serviceBindingInformation, 1-65535 */
    const char *const *bindings;  /* serviceBindingInformation values as read */
    size_t n_bindings;
    const char *const *keywords;  /* may be empty when not read */
    size_t n_keywords;
    const char *description;      /* NULL when absent */
    void *block_;                 /* private */
} scpauth_scp;

#define SCPAUTH_SCP_INIT { NULL, { { 0 } }, 0, NULL, NULL, NULL, SCPAUTH_SCP_DNS_A, 0, \
                           NULL, 0, NULL, 0, NULL, NULL }

/* Parses and checks an entry read from the directory into *out (cleared
 * first; on error it stays empty). Required: a DN, serviceClassName,
 * serviceDNSName, serviceDNSNameType, serviceBindingInformation. Optional:
 * cn, keywords, description, objectGUID, objectClass (if read it must
 * include serviceConnectionPoint). Other attributes are ignored. Rules:
 * attribute names unique (compared without options: "keywords;x" is
 * keywords); single-valued attributes have one value; counts
 * and lengths within the limits above; every string value valid UTF-8 without
 * NUL or control characters; class as an SPN class (scpauth/spn.h), DNS name
 * a host name ("A", or IPv4) or, for "SRV", a DNS name whose labels may hold
 * '_'; every binding one of the accepted forms with a valid host and a port
 * 1-65535, all bindings giving the same port; objectGUID exactly 16 bytes.
 * Errors: EINVAL (NULL entry or out), ESCPINVALID (message names the DN, the
 * attribute and the value), ENOMEM. */
SCPAUTH_EXPORT SCPAUTH_WUR int scpauth_scp_parse(const scpauth_entry *entry, scpauth_scp *out,
                                                 scpauth_error *err);

/* Releases what scpauth_scp_parse allocated and leaves scp empty. NULL and
 * empty records are fine. */
SCPAUTH_EXPORT void scpauth_scp_free(scpauth_scp *scp);

/* Order of located SCPs: DN compared case-insensitively (ASCII), then DN
 * bytes, then objectGUID; <0, 0, >0 as strcmp. */
SCPAUTH_EXPORT int scpauth_scp_compare(const scpauth_scp *a, const scpauth_scp *b);

/* Sorts n records with scpauth_scp_compare (a deterministic order whatever
 * order the directory returned them in). */
SCPAUTH_EXPORT void scpauth_scp_sort(scpauth_scp *scps, size_t n);

/* ---- the attribute set a service publishes --------------------------------- */

/* What a service installer (or a starting service) knows. */
typedef struct scpauth_scp_params {
    const char *service_class;        /* required; SPN class rules */
    const char *dns_name;             /* required; the host's DNS name */
    unsigned port;                    /* required; 1-65535 */
    const char *guid_keyword;         /* required; "xxxxxxxx-xxxx-..." ({} allowed) */
    const char *const *keywords;      /* product keywords (vendor, product...) */
    size_t n_keywords;                /* at most SCPAUTH_SCP_KEYWORDS_MAX - 1 */
    const char *description;          /* optional */
    const char *instance;             /* optional; NULL: the port in decimal */
    const char *parent_dn;            /* optional: the computer object's DN */
} scpauth_scp_params;

/* An entry built by the library: one allocation, release with
 * scpauth_scp_entry_free. Values are also NUL-terminated (len excludes it). */
typedef struct scpauth_scp_entry {
    scpauth_entry entry; /* dn: "CN=<cn escaped>,<parent_dn>", or NULL without parent */
    const char *cn;      /* the RDN value, unescaped */
    void *block_;        /* private */
} scpauth_scp_entry;

/* Builds the attributes to publish, in this order: objectClass
 * ("serviceConnectionPoint"), cn ("<class>-<instance>"), keywords (the GUID
 * in lower case, then the product keywords), serviceClassName,
 * serviceDNSName, serviceDNSNameType ("A"), serviceBindingInformation (the
 * port, see above), description (only when given). The result parses with
 * scpauth_scp_parse. On error *out is empty. Errors: EINVAL (NULL params, out
 * or required field; port out of range; a GUID keyword not in the dashed
 * form; a value over its limit, not UTF-8, with control characters or
 * leading/trailing space; a keyword repeated), ESPNSYNTAX (class or host
 * name), ENOMEM. */
SCPAUTH_EXPORT SCPAUTH_WUR int scpauth_scp_build(const scpauth_scp_params *params,
                                                 scpauth_scp_entry *out, scpauth_error *err);

/* Releases a built entry and leaves it empty. NULL and empty are fine. */
SCPAUTH_EXPORT void scpauth_scp_entry_free(scpauth_scp_entry *e);

/* Non-zero when a parsed SCP still says what params would publish: same
 * class and port, same DNS name (case-insensitive), type "A", and the GUID
 * keyword among its keywords. A service that gets 0 at start updates its SCP. */
SCPAUTH_EXPORT int scpauth_scp_is_current(const scpauth_scp *scp,
                                          const scpauth_scp_params *params);

/* ---- DNs and filters ----------------------------------------------------- */

/* "CN=<cn escaped per RFC 4514>,<parent_dn>" into dn (*dn_size bytes; it
 * receives the size needed, NUL included, on success and on ENOBUFS; dn may
 * be NULL to ask). cn: 1..SCPAUTH_SCP_CN_MAX bytes of UTF-8 without control
 * characters; parent_dn: a non-empty DN of at most SCPAUTH_SCP_DN_MAX bytes.
 * Errors: EINVAL, ENOBUFS. */
SCPAUTH_EXPORT SCPAUTH_WUR int scpauth_scp_dn_make(const char *cn, const char *parent_dn,
                                                   char *dn, size_t *dn_size,
                                                   scpauth_error *err);

/* The search filter "(&(objectClass=serviceConnectionPoint)(keywords=K))"
 * with the len bytes of keyword escaped per RFC 4515 ('*', '(', ')', '\',
 * NUL and other control bytes as \XX), into filter (*filter_size bytes; size
 * reporting as scpauth_scp_dn_make). keyword: 1..SCPAUTH_SCP_KEYWORD_MAX
 * bytes. Errors: EINVAL (NULL, empty or over-long keyword), ENOBUFS. */
SCPAUTH_EXPORT SCPAUTH_WUR int scpauth_scp_filter(const char *keyword, size_t len, char *filter,
                                                  size_t *filter_size, scpauth_error *err);

/* ---- directory operations ------------------------------------------------ */

/* Publication, update, location and removal of SCPs through a directory
 * session (scpauth/dir.h). Writes go to the session's DC; location searches
 * the global catalog (forest-wide). */

/* What a write did. */
typedef struct scpauth_scp_written {
    scpauth_guid guid;               /* the SCP's objectGUID (read back after an add) */
    char dn[SCPAUTH_SCP_DN_MAX + 1]; /* the SCP's DN */
    int changed;   /* update: serviceDNSName / serviceBindingInformation rewritten */
    int recreated; /* update: the SCP was missing and was published again */
} scpauth_scp_written;

/* Creates the SCP scpauth_scp_build describes as a child of the host's
 * computer object: params->parent_dn when given (taken as is); else the
 * computer account host_account ("HOST$", a DN, "self"...), or when NULL
 * the computer object whose dNSHostName is params->dns_name (if none, the
 * account named after its first label, upper-cased, with '$'); its
 * dNSHostName must be params->dns_name (what locate's trust check
 * requires). Works as an administrator or as the machine account. out
 * receives the objectGUID and DN. Errors: those of scpauth_scp_build,
 * ENOTFOUND (account or parent), EDIR (several computers have that
 * dNSHostName), ESCPUNTRUSTED (dNSHostName differs, or the account is not
 * a computer), ECONFLICT (an object with that DN exists: update or remove
 * it), EDIRACCESS, ENOTSUP (backend cannot write), and the directory errors. */
SCPAUTH_EXPORT SCPAUTH_WUR int scpauth_scp_publish(scpauth_dir *dir,
                                                   const scpauth_scp_params *params,
                                                   const char *host_account,
                                                   scpauth_scp_written *out,
                                                   scpauth_error *err);

/* Microsoft's ScpUpdate: binds to the SCP by GUID ("<GUID=...>") and, when
 * its host or port differs from params (or it holds other than one
 * serviceBindingInformation value, type "A"), replaces serviceDNSName,
 * serviceDNSNameType and serviceBindingInformation only (out->changed).
 * An SCP that no longer exists is published again (scpauth_scp_publish
 * with host_account) and out->guid is its new GUID (out->recreated).
 * Errors: those of scpauth_scp_publish, ESCPINVALID (the SCP read is
 * malformed: remove it), EINVAL. */
SCPAUTH_EXPORT SCPAUTH_WUR int scpauth_scp_update(scpauth_dir *dir, const scpauth_guid *guid,
                                                  const scpauth_scp_params *params,
                                                  const char *host_account,
                                                  scpauth_scp_written *out,
                                                  scpauth_error *err);

/* Reads the SCP with this objectGUID from the session's DC into *out
 * (scpauth_scp_parse rules; free with scpauth_scp_free). Errors: ENOTFOUND,
 * ESCPINVALID, EINVAL, and the directory errors. */
SCPAUTH_EXPORT SCPAUTH_WUR int scpauth_scp_read(scpauth_dir *dir, const scpauth_guid *guid,
                                                scpauth_scp *out, scpauth_error *err);

/* Deletes the SCP with this objectGUID; out (may be NULL) receives its DN
 * and GUID. Errors: ENOTFOUND, EDIRACCESS, EINVAL, and the directory errors. */
SCPAUTH_EXPORT SCPAUTH_WUR int scpauth_scp_remove(scpauth_dir *dir, const scpauth_guid *guid,
                                                  scpauth_scp_written *out,
                                                  scpauth_error *err);

typedef struct scpauth_scp_locate_options {
    const char *keyword;        /* required: usually the service's GUID string */
    const char *service_class;  /* optional: only SCPs of this serviceClassName */
    const char *base;           /* optional: search only under this DN (NULL: forest) */
    const char *expect_account; /* optional: the SPN's owner must be this account */
    int no_trust_checks;        /* 1: skip the checks below (not recommended) */
    int spn_without_port;       /* 1: the client composes class/host, not class/host:port */
} scpauth_scp_locate_options;

/* One SCP that passed every check. */
typedef struct scpauth_scp_located {
    scpauth_scp scp;
    char spn[SCPAUTH_SPN_MAX + 1];         /* the SPN a client composes (scpauth_spn_make) */
    char host_dn[SCPAUTH_SCP_DN_MAX + 1];  /* the parent (computer) object; "" unchecked */
    char owner_dn[SCPAUTH_SCP_DN_MAX + 1]; /* the SPN's owner; "" when unchecked */
    char owner_sam[SCPAUTH_DIR_SAM_MAX];   /* its sAMAccountName */
    int checked;                           /* 1 when the trust checks ran */
} scpauth_scp_located;

/* An SCP left out: malformed (ESCPINVALID, the message names the DN and the
 * attribute) or untrusted (ESCPUNTRUSTED, naming the DN, the SPN and the
 * accounts involved). */
typedef struct scpauth_scp_rejection {
    char dn[SCPAUTH_SCP_DN_MAX + 1];
    scpauth_error error;
} scpauth_scp_rejection;

typedef struct scpauth_scp_located_list {
    scpauth_scp_located *items;      /* in scpauth_scp_compare order */
    size_t count;
    scpauth_scp_rejection *rejected; /* in the order the directory returned them */
    size_t n_rejected;
    size_t n_seen;                   /* entries the search returned */
    double search_ms, total_ms;      /* the GC search; the whole call */
} scpauth_scp_located_list;

/* Searches the global catalog (forest-wide, or under opts->base) for
 * serviceConnectionPoint objects with opts->keyword (continuation
 * references skipped), parses each (malformed ones are rejected) and, unless
 * opts->no_trust_checks, checks each: its serviceDNSName is the dNSHostName
 * of the computer object it sits under (type "A" only), the SPN a client
 * composes from it has exactly one owner forest-wide, and that owner is
 * opts->expect_account when given. *out is filled in every case (free with
 * scpauth_scp_located_list_free). Returns OK when at least one SCP passed;
 * ENOTFOUND when the search found none; else the first rejection's error
 * (ESCPINVALID or ESCPUNTRUSTED). Other errors: EINVAL, ENOTFOUND
 * (expect_account unknown), and the directory errors. */
SCPAUTH_EXPORT SCPAUTH_WUR int scpauth_scp_locate(scpauth_dir *dir,
                                                  const scpauth_scp_locate_options *opts,
                                                  scpauth_scp_located_list *out,
                                                  scpauth_error *err);

/* Frees the list and leaves it empty. NULL is fine. */
SCPAUTH_EXPORT void scpauth_scp_located_list_free(scpauth_scp_located_list *list);

#ifdef __cplusplus
}
#endif
#endif
