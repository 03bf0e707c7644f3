/* scpauth/wire.h - length-prefixed frames for handshake and message tokens.
 *
 * Two profiles:
 *  - SCPAUTH_WIRE_GSS_SAMPLE: 1 flag byte + 4-byte big-endian length, the
 *    protocol of MIT's gss-client/gss-server (flags below, as gss-misc.h);
 *  - SCPAUTH_WIRE_SSPI_SAMPLE: 4-byte little-endian length, as Microsoft's
 *    Windows Sockets SSPI sample.
 * A length over max_frame is rejected before any allocation. A zero length
 * is an error (EZEROLEN) except a gss-sample frame flagged NOOP. */
#ifndef SCPAUTH_WIRE_H
#define SCPAUTH_WIRE_H

#include "common.h"
#include "error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum scpauth_wire_profile {
    SCPAUTH_WIRE_GSS_SAMPLE = 1,
    SCPAUTH_WIRE_SSPI_SAMPLE = 2
} scpauth_wire_profile;

/* gss-sample flag byte values (MIT gss-misc.h). */
#define SCPAUTH_WIRE_TOKEN_NOOP         (1u << 0)
#define SCPAUTH_WIRE_TOKEN_CONTEXT      (1u << 1)
#define SCPAUTH_WIRE_TOKEN_DATA         (1u << 2)
#define SCPAUTH_WIRE_TOKEN_MIC          (1u << 3)
#define SCPAUTH_WIRE_TOKEN_CONTEXT_NEXT (1u << 4)
#define SCPAUTH_WIRE_TOKEN_WRAPPED      (1u << 5)
#define SCPAUTH_WIRE_TOKEN_ENCRYPTED    (1u << 6)
#define SCPAUTH_WIRE_TOKEN_SEND_MIC     (1u << 7)

/* Default limit: room for PAC-heavy tickets (48 KB and more) and 1 MiB
 * sealed messages. */
#define SCPAUTH_WIRE_DEFAULT_MAX_FRAME (((size_t)1 << 20) + 4096u)
#define SCPAUTH_WIRE_MAX_HEADER 5

typedef struct scpauth_wire_options {
    scpauth_wire_profile profile; /* 0 = SCPAUTH_WIRE_SSPI_SAMPLE */
    size_t max_frame;             /* 0 = SCPAUTH_WIRE_DEFAULT_MAX_FRAME */
    int timeout_ms;               /* blocking helpers: per call; <= 0 = none */
} scpauth_wire_options;

/* Header size of a profile (5 or 4). */
SCPAUTH_EXPORT size_t scpauth_wire_header_size(scpauth_wire_profile profile);

/* Writes the header for a len-byte body into hdr (SCPAUTH_WIRE_MAX_HEADER
 * bytes), returns its size; flags are ignored by sspi-sample. EINVAL
 * (negative) if len does not fit the 32-bit field. */
SCPAUTH_EXPORT int scpauth_wire_encode_header(scpauth_wire_profile profile, unsigned flags,
                                              size_t len, unsigned char *hdr);

/* Blocking send of one frame in one write (header and body together),
 * handling short writes and EINTR. Errors: ETIMEDOUT, EIO, ETOOBIG, EZEROLEN
 * (an empty body is only sent as a gss-sample NOOP frame), EINVAL. */
SCPAUTH_EXPORT SCPAUTH_WUR int scpauth_wire_send(scpauth_socket s, const scpauth_wire_options *o,
                                                 unsigned flags, const void *body, size_t len,
                                                 scpauth_error *err);

/* Blocking receive of one frame into *body (caller frees; empty for a NOOP
 * frame); *flags gets the gss-sample flag byte (0 for sspi-sample; may be
 * NULL). Errors: EOF (closed at a frame boundary), ETRUNCATED, EZEROLEN,
 * ETOOBIG, ETIMEDOUT, EIO, ENOMEM, EINVAL. */
SCPAUTH_EXPORT SCPAUTH_WUR int scpauth_wire_recv(scpauth_socket s, const scpauth_wire_options *o,
                                                 unsigned *flags, scpauth_buffer *body,
                                                 scpauth_error *err);

/* Incremental decoder for non-blocking callers. Treat as opaque. */
typedef struct scpauth_wire_decoder {
    scpauth_wire_options opts_;
    unsigned char hdr_[SCPAUTH_WIRE_MAX_HEADER];
    size_t hdr_have_;
    unsigned flags_;
    size_t body_len_;
    size_t body_have_;
    scpauth_buffer body_;
    int state_;
} scpauth_wire_decoder;

SCPAUTH_EXPORT void scpauth_wire_decoder_init(scpauth_wire_decoder *d, const scpauth_wire_options *o);
/* Wipes and frees what the decoder holds. */
SCPAUTH_EXPORT void scpauth_wire_decoder_reset(scpauth_wire_decoder *d);

/* Consumes up to len bytes; *consumed says how many. Returns SCPAUTH_OK when
 * a frame is complete (take it with scpauth_wire_decoder_take; bytes after it
 * are not consumed), SCPAUTH_CONTINUE when more bytes are needed, or
 * EZEROLEN / ETOOBIG (before allocating) / ENOMEM, which stick until reset;
 * ESTATE if the complete frame was not taken yet. */
SCPAUTH_EXPORT SCPAUTH_WUR int scpauth_wire_decoder_feed(scpauth_wire_decoder *d, const void *data,
                                                         size_t len, size_t *consumed,
                                                         scpauth_error *err);
/* Moves the completed frame out and readies the decoder for the next one. */
SCPAUTH_EXPORT void scpauth_wire_decoder_take(scpauth_wire_decoder *d, unsigned *flags,
                                              scpauth_buffer *body);
/* ETRUNCATED if a frame is partly received (call at EOF), else SCPAUTH_OK. */
SCPAUTH_EXPORT SCPAUTH_WUR int scpauth_wire_decoder_finish(const scpauth_wire_decoder *d,
                                                           scpauth_error *err);

#ifdef __cplusplus
}
#endif
#endif
