/* scpauth/spn.h - service principal names (SPNs) as text, with the documented
 * semantics of Microsoft's DsMakeSpn, DsCrackSpn / DsCrackSpn2 / DsCrackSpn3
 * and DsGetSpn, in portable C (the same code on Windows and Unix).
 *
 * Syntax (MS-ADTS 2.2.21, plus the Kerberos realm DsCrackSpn3 reports):
 *
 *     class "/" host [":" port | ":" instancename] ["/" service-name] ["@" realm]
 *
 * Microsoft's parameter names differ between the functions; this header uses:
 *   class         DsMakeSpn ServiceClass, DsCrackSpn ServiceClass
 *   host          DsMakeSpn InstanceName (or ServiceName when InstanceName is
 *                 NULL), DsCrackSpn InstanceName, DsCrackSpn3 HostName
 *   service name  DsMakeSpn / DsCrackSpn ServiceName, DsCrackSpn3 DomainName
 *   instancename  DsCrackSpn3 InstanceName (":name" that is not all digits)
 *
 * Rules every function applies (errors are SCPAUTH_ESPNSYNTAX naming the
 * part, or SCPAUTH_EINVAL for a NULL required argument):
 *   - no part is empty or has leading/trailing white space; no control
 *     characters; no '/' inside a part ("String parameters cannot include the
 *     forward slash"); '@' only before the realm;
 *   - port: digits only, 1-65535, no leading zero (0 means "no port" in the
 *     make/get arguments, never in SPN text);
 *   - lengths: SPN <= SCPAUTH_SPN_MAX, class <= SCPAUTH_SPN_CLASS_MAX.
 * Strict checks (scpauth_spn_make, scpauth_spn_get, scpauth_spn_validate,
 * not scpauth_spn_crack, which parses what a directory may hold):
 *   - class, instancename and realm: printable ASCII without space, '/',
 *     ':', '@', '\';
 *   - DNS names <= 255 characters, labels 1-63;
 *   - host: a DNS name (letters, digits, '-' and '.'; labels not starting or
 *     ending with '-'), a NetBIOS name of that form, or an IPv4 address;
 *   - service name: a DN (contains '=') or a DNS name whose labels may also
 *     hold '_' (SRV record names), or an IPv4 address; no ':' outside a DN. */
#ifndef SCPAUTH_SPN_H
#define SCPAUTH_SPN_H

#include "common.h"
#include "error.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SCPAUTH_SPN_MAX 2048       /* characters, NUL excluded (scpauth's limit) */
#define SCPAUTH_SPN_CLASS_MAX 255  /* characters of a service class */
#define SCPAUTH_SPN_DNS_MAX 255    /* characters of a DNS name */
#define SCPAUTH_SPN_LABEL_MAX 63   /* characters of one DNS label */
#define SCPAUTH_HOST_NAME_MAX 256  /* buffer for scpauth_host_fqdn, NUL included */
#define SCPAUTH_NETBIOS_NAME_MAX 16 /* buffer for scpauth_host_netbios, NUL included */

/* A piece of a cracked SPN: len characters at ptr, inside the caller's SPN
 * (not NUL-terminated). An absent piece has len 0. */
typedef struct scpauth_spn_part {
    const char *ptr;
    size_t len;
} scpauth_spn_part;

/* The pieces of `class/host[:port|:instancename][/service-name][@realm]`. */
typedef struct scpauth_spn_parts {
    scpauth_spn_part service_class;
    scpauth_spn_part host;         /* DsCrackSpn's InstanceName */
    scpauth_spn_part port_text;    /* the digits after ':', or empty */
    unsigned port;                 /* their value; 0 when there is no port */
    scpauth_spn_part instancename; /* ":name" that is not all digits (MS-ADTS) */
    scpauth_spn_part service_name; /* empty for a two-part SPN */
    scpauth_spn_part realm;        /* after '@', or empty */
} scpauth_spn_parts;

/* DS_SPN_NAME_TYPE, same values. What scpauth_spn_get produces for each
 * (port ":P" only when non-zero; H = an instance name, by default the local
 * host's FQDN, or its NetBIOS name for the two NB_ types):
 *   DNS_HOST, DN_HOST, NB_HOST   class/H[:P]         service_name must be NULL
 *   DOMAIN, NB_DOMAIN            class/H[:P]/domain  service_name = the domain's
 *                                                    DNS (or NetBIOS) name or DN
 *   SERVICE                      class/H[:P]/name    service_name = canonical DNS
 *                                                    name (e.g. an SRV record) or
 *                                                    DN (e.g. the SCP's) */
typedef enum scpauth_spn_type {
    SCPAUTH_SPN_DNS_HOST = 0,
    SCPAUTH_SPN_DN_HOST = 1,
    SCPAUTH_SPN_NB_HOST = 2,
    SCPAUTH_SPN_DOMAIN = 3,
    SCPAUTH_SPN_NB_DOMAIN = 4,
    SCPAUTH_SPN_SERVICE = 5
} scpauth_spn_type;

/* SPNs allocated by scpauth_spn_get; release with scpauth_spn_list_free. */
typedef struct scpauth_spn_list {
    char **items;
    size_t count;
} scpauth_spn_list;

#define SCPAUTH_SPN_LIST_INIT { NULL, 0 }

/* DsMakeSpn. With instance_name NULL: "class/service_name[:port]" (the
 * service name is the host). Otherwise "class/instance_name[:port]/service_name"
 * (kept even when both names are equal). When service_name is an IPv4 address
 * and referrer is not NULL, the last part is the referrer instead:
 * "class/host[:port]/referrer"; otherwise referrer is ignored. port 0 = none.
 * *spn_size is the size of spn in bytes; it receives the size needed (NUL
 * included) on success and on ENOBUFS (spn may be NULL to ask for it).
 * Errors: EINVAL (NULL class, service name or spn_size; port > 65535),
 * ESPNSYNTAX (a part breaks the rules above), ENOBUFS. */
SCPAUTH_EXPORT SCPAUTH_WUR int scpauth_spn_make(const char *service_class,
                                                const char *service_name,
                                                const char *instance_name, unsigned port,
                                                const char *referrer, char *spn,
                                                size_t *spn_size, scpauth_error *err);

/* DsCrackSpn2 / DsCrackSpn3 parse of the len characters at spn (no NUL
 * needed): fills *out with pieces pointing into spn. Checks structure only
 * (see the rules above), not the character sets of host and service name.
 * Errors: EINVAL (NULL spn or out), ESPNSYNTAX. */
SCPAUTH_EXPORT SCPAUTH_WUR int scpauth_spn_crack(const char *spn, size_t len,
                                                 scpauth_spn_parts *out, scpauth_error *err);

/* DsCrackSpn2 with its buffers: copies the class, the service name (the host
 * when the SPN has no service name, as DsCrackSpn does) and the host
 * (DsCrackSpn's instance name) into caller buffers, and the port (0 if none)
 * into *port. For each buffer: if it or its size pointer is NULL, or the size
 * is 0, it is ignored; otherwise *size is the buffer size in bytes and
 * receives the size needed, NUL included. A realm or instancename is not
 * copied (see scpauth_spn_crack). Errors: as scpauth_spn_crack, and ENOBUFS
 * when a buffer is too small: every size is still updated, buffers that were
 * large enough are filled, a too small one receives "". */
SCPAUTH_EXPORT SCPAUTH_WUR int scpauth_spn_crack_copy(const char *spn, size_t len,
                                                      char *service_class, size_t *class_size,
                                                      char *service_name, size_t *name_size,
                                                      char *host, size_t *host_size,
                                                      unsigned short *port, scpauth_error *err);

/* Checks a NUL-terminated SPN against all the rules above (structure and
 * strict checks). Returns SCPAUTH_OK or ESPNSYNTAX/EINVAL naming the part. */
SCPAUTH_EXPORT SCPAUTH_WUR int scpauth_spn_validate(const char *spn, scpauth_error *err);

/* DsGetSpn: composes SPNs of the given type into *out (see scpauth_spn_type).
 * n_instances 0: one SPN for the local host (scpauth_host_fqdn, or
 * scpauth_host_netbios for NB_HOST / NB_DOMAIN) with `port`.
 * n_instances > 0 (at most 65535): one SPN per instance_names[i], with port
 * instance_ports[i] (0 = none), or no port when instance_ports is NULL; `port`
 * is then not used. On error *out is empty. Errors: EINVAL (NULL class, out,
 * or instance_names with n > 0; service name given for a host type or
 * missing for the others; unknown type), ESPNSYNTAX, ENOMEM, and those of the
 * host-name functions. */
SCPAUTH_EXPORT SCPAUTH_WUR int scpauth_spn_get(scpauth_spn_type type, const char *service_class,
                                               const char *service_name, unsigned port,
                                               size_t n_instances,
                                               const char *const *instance_names,
                                               const unsigned short *instance_ports,
                                               scpauth_spn_list *out, scpauth_error *err);

/* Frees every SPN of list and leaves it empty. NULL and empty are fine. */
SCPAUTH_EXPORT void scpauth_spn_list_free(scpauth_spn_list *list);

/* Parses a type name (case-insensitive): "dns-host", "dn-host", "nb-host",
 * "domain", "nb-domain", "service", or Microsoft's "DS_SPN_DNS_HOST"...
 * Errors: EINVAL (NULL or unknown name; the message lists the names). */
SCPAUTH_EXPORT SCPAUTH_WUR int scpauth_spn_type_from_name(const char *name,
                                                          scpauth_spn_type *out,
                                                          scpauth_error *err);

/* Short name of a type ("dns-host", ...), or "unknown"; never NULL. */
SCPAUTH_EXPORT const char *scpauth_spn_type_name(scpauth_spn_type type);

/* Fully qualified DNS name of the local host into buf (size bytes; at most
 * SCPAUTH_HOST_NAME_MAX is ever needed): ComputerNameDnsFullyQualified on
 * Windows; elsewhere gethostname, as is when it holds a '.', else the
 * canonical name getaddrinfo(AI_CANONNAME) gives when that is dotted and not
 * localhost, else the bare host name (one label: the host has no domain).
 * Errors: ENOBUFS (buf too small), EIO (the system gave no name). */
SCPAUTH_EXPORT SCPAUTH_WUR int scpauth_host_fqdn(char *buf, size_t size, scpauth_error *err);

/* NetBIOS name of the local host into buf: ComputerNameNetBIOS on Windows;
 * elsewhere the first label of the host name, upper-cased, cut to 15
 * characters (the default Windows and Samba derive). Errors: as
 * scpauth_host_fqdn. */
SCPAUTH_EXPORT SCPAUTH_WUR int scpauth_host_netbios(char *buf, size_t size, scpauth_error *err);

#ifdef __cplusplus
}
#endif
#endif
