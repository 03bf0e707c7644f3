/* scp_internal.h - checks and text helpers shared by the SCP parser, the
 * builder, the filter and the directory backends (private). */
#ifndef SCPAUTH_SCP_INTERNAL_H
#define SCPAUTH_SCP_INTERNAL_H

#include "scpauth/scp.h"
#include "error_internal.h"

/* The attributes scpauth_scp_parse reads (NULL-terminated): what a search
 * for SCPs asks for; and those among them that are binary (objectGUID). */
extern const char *const scpauth__scp_read_attrs[];
extern const char *const scpauth__scp_binary_attrs[];

/* Non-zero when name (options such as ";range=..." ignored) is one of
 * scpauth__scp_read_attrs, compared case-insensitively. */
int scpauth__scp_attr_read(const char *name);

/* scpauth_scp_parse of an entry of a directory search (dir_entries.h), seen
 * through a scpauth_entry (values are not copied). Errors: as the parse. */
struct scpauth__dir_entry;
int scpauth__scp_from_dir_entry(const struct scpauth__dir_entry *e, scpauth_scp *out,
                                scpauth_error *err);

/* Bytes of a quoted value in a message, escapes and "..." included. */
#define SCPAUTH__SCP_SHOW_SIZE 100

/* Error hint for an SCP that fails a check. */
#define SCPAUTH__SCP_HINT                                                                  \
    "the SCP was written by another program or edited by hand; re-publish it from the " \
    "service's host, or remove it"

/* Writes n bytes at p into out (size bytes) for a message: printable ASCII as
 * itself, '"' and '\' backslash-escaped, other bytes as \xNN, cut with "..."
 * when it does not fit. Returns out. */
const char *scpauth__scp_show(char *out, size_t size, const void *p, size_t n);

/* Flags of scpauth__scp_check_text. */
#define SCPAUTH__TEXT_TRIMMED 1 /* no leading or trailing space (caller input) */

/* A string value: 1..max bytes, valid UTF-8 (no overlong form, surrogate or
 * code point over U+10FFFF), no NUL and no control character (C0, DEL, C1).
 * Returns OK or EINVAL with `what "<value>" <problem>`. */
int scpauth__scp_check_text(const char *what, const void *p, size_t n, size_t max, int flags,
                            scpauth_error *err);

/* The SPN class rules of scpauth/spn.h on n bytes at p. OK or ESPNSYNTAX. */
int scpauth__scp_check_class(const char *p, size_t n, scpauth_error *err);

/* A host name (LDH labels, or IPv4) or, when srv is set, a DNS name whose
 * labels may also hold '_' (an SRV record name). OK or ESPNSYNTAX. */
int scpauth__scp_check_dns(const char *what, const char *p, size_t n, int srv,
                           scpauth_error *err);

/* Decimal port 1-65535 without sign or leading zero. 0 on success. */
int scpauth__scp_port_parse(const char *p, size_t n, unsigned *port);

/* A serviceBindingInformation value: "PORT", "HOST:PORT" or
 * "tcp://HOST:PORT"; *port receives the port. OK, EINVAL or ESPNSYNTAX. */
int scpauth__scp_binding_port(const char *p, size_t n, unsigned *port, scpauth_error *err);

/* Value of a hex digit (either case), or -1. */
int scpauth__hex_value(char c);

/* ASCII case-insensitive comparison of two byte strings (<0, 0, >0). */
int scpauth__ascii_casecmp(const char *a, size_t an, const char *b, size_t bn);

/* RFC 4514 escaping of an attribute value inside a DN: ',', '+', '"', '\',
 * '<', '>', ';', '=' and NUL anywhere, '#' first, space first or last.
 * Writes into out when not NULL (no NUL added); returns the length. */
size_t scpauth__dn_escape_value(const char *p, size_t n, char *out);

/* "CN=<cn escaped>,<parent>" into out (NUL-terminated) when not NULL;
 * returns the length without the NUL. */
size_t scpauth__scp_dn_compose(const char *cn, size_t cn_len, const char *parent,
                               size_t parent_len, char *out);

/* A parent DN given by the caller: text rules, trimmed, contains '='.
 * *len receives its length. OK or EINVAL. */
int scpauth__scp_check_parent_dn(const char *parent, size_t *len, scpauth_error *err);

/* EINVAL when a composed DN of len bytes is over SCPAUTH_SCP_DN_MAX. */
int scpauth__scp_check_dn_length(size_t len, scpauth_error *err);

/* RFC 4515 escaping of an assertion value: '*', '(', ')', '\' and every byte
 * outside printable ASCII as \xx, so the filter is plain ASCII. Writes into
 * out when not NULL (no NUL added); returns the length. */
size_t scpauth__filter_escape_value(const void *p, size_t n, char *out);

/* Copies the size-reporting convention of the SPN functions: stores the
 * needed size (NUL included) in *size; ENOBUFS when out is NULL or smaller. */
int scpauth__scp_size_check(const char *what, char *out, size_t *size, size_t need,
                            scpauth_error *err);

#endif
