/* spn_internal.h - checks shared by SPN make, crack, validate and get (private). */
#ifndef SCPAUTH_SPN_INTERNAL_H
#define SCPAUTH_SPN_INTERNAL_H

#include "scpauth/spn.h"
#include "error_internal.h"

/* Error messages quote at most this many characters of a part:
 * printf("\"%.*s%s\"", SCPAUTH__SPN_SHOW(p, n)). */
#define SCPAUTH__SPN_QUOTE_MAX 120
#define SCPAUTH__SPN_SHOW(p, n)                                                         \
    (int)((n) > SCPAUTH__SPN_QUOTE_MAX ? SCPAUTH__SPN_QUOTE_MAX : (n)), (p),          \
        ((n) > SCPAUTH__SPN_QUOTE_MAX ? "..." : "")

/* Rules for every part: not empty, no control character, no leading or
 * trailing space, no '/' and no '@'. `what` names the part in the message. */
int scpauth__spn_check_part(const char *what, const char *p, size_t n, scpauth_error *err);

/* check_part plus the class rules (length, printable, no ':' or '\'). */
int scpauth__spn_check_class(const char *p, size_t n, scpauth_error *err);

/* check_part plus the token rules of an instancename or realm. */
int scpauth__spn_check_token(const char *what, const char *p, size_t n, scpauth_error *err);

/* check_part plus a DNS host name (LDH labels), which also admits NetBIOS
 * names of that form and IPv4 addresses. */
int scpauth__spn_check_host(const char *what, const char *p, size_t n, scpauth_error *err);

/* check_part plus: a DN (contains '=') or a DNS name whose labels may hold '_'. */
int scpauth__spn_check_service_name(const char *what, const char *p, size_t n,
                                    scpauth_error *err);

/* Non-zero when p[0..n) is a dotted-quad IPv4 address. */
int scpauth__spn_is_ipv4(const char *p, size_t n);

/* 1 if the principal a ticket names (actual, "class/host[:port][/name]
 * [@REALM]") is the configured SPN: case-insensitive, realms compared only
 * when both have one; 0 otherwise, and for NULL or "" on either side. */
int scpauth__spn_principal_match(const char *configured, const char *actual);
/* SCPAUTH_OK on a match, else EAUTH with a message naming both (or saying
 * the package did not name the ticket's SPN). */
SCPAUTH_WUR int scpauth__spn_principal_check(const char *configured, const char *actual,
                                             scpauth_error *err);

#endif
