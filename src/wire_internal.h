/* wire_internal.h - helpers shared by the frame codec, the decoder, the
 * blocking I/O and the socket helpers (private). */
#ifndef SCPAUTH_WIRE_INTERNAL_H
#define SCPAUTH_WIRE_INTERNAL_H

#include "scpauth/wire.h"

/* o (may be NULL) with defaults filled in; EINVAL for an unknown profile. */
int scpauth__wire_resolve(const scpauth_wire_options *o, scpauth_wire_options *out,
                          scpauth_error *err);

/* Parses a complete header: *flags and *len. Returns SCPAUTH_OK, EZEROLEN or
 * ETOOBIG without touching err, so the caller can name the peer with
 * scpauth__wire_header_error. Nothing is allocated. */
int scpauth__wire_parse_header(const scpauth_wire_options *o, const unsigned char *hdr,
                               unsigned *flags, size_t *len);

/* Fills err for a code from scpauth__wire_parse_header; peer names the
 * sender ("peer" when unknown). Returns code. */
int scpauth__wire_header_error(scpauth_error *err, int code, const scpauth_wire_options *o,
                               unsigned flags, size_t len, const char *peer);

/* Fills err for ETRUNCATED: the peer closed after have of want bytes. */
int scpauth__wire_truncated_error(scpauth_error *err, const char *peer, size_t have,
                                  size_t want);

/* Checks a frame to send (the limits, the profile's rules) and encodes its
 * header into hdr (SCPAUTH_WIRE_MAX_HEADER bytes): *hsize, and *opt with
 * defaults filled in. Errors: EINVAL, ETOOBIG, EZEROLEN. */
int scpauth__wire_prepare(const scpauth_wire_options *o, unsigned flags, const void *body,
                          size_t len, scpauth_wire_options *opt, unsigned char *hdr,
                          size_t *hsize, scpauth_error *err);

/* Longest "[address]:port" text, with its terminator. */
#define SCPAUTH__ADDR_MAX 80

/* Writes s's remote address as "addr:port" ("[addr]:port" for IPv6), or
 * "peer" if it has none. */
void scpauth__net_peer_name(scpauth_socket s, char *buf, size_t size);

#endif
