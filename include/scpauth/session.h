/* scpauth/session.h - one authenticated connection: a socket, a security
 * context and the wire options, with the handshake loop over frames and the
 * message exchanges of the two wire profiles. Tools, examples and benchmarks
 * all use this one implementation.
 *
 * gss-sample (MIT's gss-client / gss-server, exactly):
 *   client: NOOP|CONTEXT_NEXT (empty), then CONTEXT tokens; service: CONTEXT
 *   tokens back. A sealed message travels as DATA|WRAPPED|ENCRYPTED|SEND_MIC,
 *   a MIC as MIC; the client ends with an empty NOOP.
 *   scpauth_session_call/serve: the service answers each sealed message with
 *   a MIC over its plaintext (NOOP when SEND_MIC is absent).
 * sspi-sample (Microsoft's Windows Sockets SSPI sample framing, 4-byte
 *   little-endian lengths): handshake tokens back and forth; the client ends
 *   by closing the connection at a frame boundary.
 *   scpauth_session_call/serve: the service answers each sealed message with
 *   two frames: the same text sealed by the service, then a MIC over it.
 * scpauth_session_request/reply (any profile): a sealed request, answered by
 *   a sealed reply and a MIC over the reply's plaintext.
 *
 * A session never closes its socket nor frees its context: the caller owns
 * both. Every error names the peer (scpauth_session_set_peer). */
#ifndef SCPAUTH_SESSION_H
#define SCPAUTH_SESSION_H

#include "common.h"
#include "error.h"
#include "auth.h"
#include "wire.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SCPAUTH_SESSION_MAX_STEPS 16 /* handshake tokens before EPROTO */
#define SCPAUTH_SESSION_PEER_MAX 160 /* bytes of the peer text, NUL included */
/* Positive status of scpauth_session_recv_sealed: the peer ended the session
 * the profile's way (not an error). */
#define SCPAUTH_SESSION_END 2

typedef struct scpauth_session scpauth_session;

/* What a session measured (milliseconds). */
typedef struct scpauth_session_times {
    unsigned steps;                             /* handshake steps taken */
    double step_ms[SCPAUTH_SESSION_MAX_STEPS];  /* time inside each step */
    double wait_ms[SCPAUTH_SESSION_MAX_STEPS];  /* then waiting for the peer */
    double handshake_ms;                        /* the whole handshake */
    unsigned messages;                          /* exchanges completed */
} scpauth_session_times;

/* Deliberately bad messages, to check that a service rejects them. */
typedef enum scpauth_session_bad {
    SCPAUTH_SESSION_BAD_TAMPER = 1, /* a sealed message with one byte flipped */
    SCPAUTH_SESSION_BAD_REPLAY,     /* the previous sealed message again */
    SCPAUTH_SESSION_BAD_REORDER,    /* the message after the next one first */
    SCPAUTH_SESSION_BAD_TRUNCATE    /* half a frame (the caller then closes) */
} scpauth_session_bad;

/* Creates a session on sock (may be SCPAUTH_INVALID_SOCKET until
 * scpauth_session_set_socket) for ctx (may be NULL until
 * scpauth_session_set_ctx) in `role`; wire NULL = sspi-sample defaults, a
 * zero profile = sspi-sample. Free with scpauth_session_free. Errors: EINVAL,
 * ENOMEM. */
SCPAUTH_EXPORT SCPAUTH_WUR int scpauth_session_new(scpauth_socket sock, scpauth_role role,
                                                   scpauth_ctx *ctx,
                                                   const scpauth_wire_options *wire,
                                                   scpauth_session **out, scpauth_error *err);

/* Frees the session and wipes what it kept; not the socket, not the context.
 * NULL is fine. */
SCPAUTH_EXPORT void scpauth_session_free(scpauth_session *s);

/* Sets the socket / the context the session uses from now on. */
SCPAUTH_EXPORT void scpauth_session_set_socket(scpauth_session *s, scpauth_socket sock);
SCPAUTH_EXPORT void scpauth_session_set_ctx(scpauth_session *s, scpauth_ctx *ctx);

/* The text that names the other side in messages ("addr:port", ...). */
SCPAUTH_EXPORT void scpauth_session_set_peer(scpauth_session *s, const char *peer);
SCPAUTH_EXPORT const char *scpauth_session_peer(const scpauth_session *s);

/* Limits the whole handshake to ms (<= 0: only the per-frame timeout). */
SCPAUTH_EXPORT void scpauth_session_set_budget(scpauth_session *s, int ms);

/* Client: remembers the last sealed message sent (what BAD_REPLAY resends). */
SCPAUTH_EXPORT void scpauth_session_keep_last(scpauth_session *s, int on);

SCPAUTH_EXPORT scpauth_socket scpauth_session_socket(const scpauth_session *s);
SCPAUTH_EXPORT scpauth_ctx *scpauth_session_ctx(const scpauth_session *s);
SCPAUTH_EXPORT scpauth_wire_profile scpauth_session_profile(const scpauth_session *s);

/* Copies what the session measured so far into *out. */
SCPAUTH_EXPORT void scpauth_session_times_get(const scpauth_session *s,
                                              scpauth_session_times *out);

/* Client, optional: takes the first handshake step before connecting (the
 * ticket request to the KDC), so that an unknown SPN or missing credentials
 * fail without bothering the service. Errors: those of scpauth_ctx_step. */
SCPAUTH_EXPORT SCPAUTH_WUR int scpauth_session_first_step(scpauth_session *s,
                                                          scpauth_error *err);

/* Runs the handshake (either role) to an established, checked context.
 * Errors: those of scpauth_ctx_step (ENOMUTUAL, EMECH, EAUTH, ...), of the
 * wire (EOF, ETRUNCATED, ETIMEDOUT, ETOOBIG, ...), EPROTO for a frame out of
 * place or too many steps, ETIMEDOUT when the budget runs out, EAUTH for a
 * gss-sample client asking for no authentication. */
SCPAUTH_EXPORT SCPAUTH_WUR int scpauth_session_handshake(scpauth_session *s, scpauth_error *err);

/* Seals msg (confidentiality) and sends it as one frame. Errors: those of
 * scpauth_ctx_seal and scpauth_wire_send. */
SCPAUTH_EXPORT SCPAUTH_WUR int scpauth_session_send_sealed(scpauth_session *s, const void *msg,
                                                           size_t len, scpauth_error *err);

/* Receives one sealed message into *plain (caller frees). Returns
 * SCPAUTH_SESSION_END when the peer ended the session the profile's way
 * (gss-sample NOOP, sspi-sample close at a frame boundary); *plain is then
 * empty. Errors:
 * ENOTSEALED (cleartext or integrity-only), EBADSIG, EREPLAY, ESEQUENCE,
 * EOF (gss-sample: closed without the NOOP), EPROTO and the wire's. */
SCPAUTH_EXPORT SCPAUTH_WUR int scpauth_session_recv_sealed(scpauth_session *s,
                                                           scpauth_buffer *plain,
                                                           scpauth_error *err);

/* Signs data (a MIC) and sends the MIC as one frame. */
SCPAUTH_EXPORT SCPAUTH_WUR int scpauth_session_send_mic(scpauth_session *s, const void *data,
                                                        size_t len, scpauth_error *err);

/* Receives a MIC frame and verifies it over data. Errors: EBADSIG, EREPLAY,
 * ESEQUENCE, EPROTO (not a MIC frame), the wire's. */
SCPAUTH_EXPORT SCPAUTH_WUR int scpauth_session_recv_mic(scpauth_session *s, const void *data,
                                                        size_t len, scpauth_error *err);

/* Client: one request/reply exchange: req sealed out; a sealed reply back
 * into *reply (caller frees) and a MIC over it, verified. Counts a message. */
SCPAUTH_EXPORT SCPAUTH_WUR int scpauth_session_request(scpauth_session *s, const void *req,
                                                       size_t len, scpauth_buffer *reply,
                                                       scpauth_error *err);

/* Service: answers a request with reply sealed, then a MIC over reply.
 * Counts a message. */
SCPAUTH_EXPORT SCPAUTH_WUR int scpauth_session_reply(scpauth_session *s, const void *reply,
                                                     size_t len, scpauth_error *err);

/* Service: answers the profile's echo protocol (see above) until the client
 * ends the session; SCPAUTH_OK then. Errors: as scpauth_session_recv_sealed
 * and the sending functions. */
SCPAUTH_EXPORT SCPAUTH_WUR int scpauth_session_serve(scpauth_session *s, scpauth_error *err);

/* Service: one exchange of the echo protocol (one message in, its answer
 * out). SCPAUTH_OK after answering, SCPAUTH_SESSION_END when the client
 * ended the session instead; errors as scpauth_session_serve. */
SCPAUTH_EXPORT SCPAUTH_WUR int scpauth_session_serve_one(scpauth_session *s, scpauth_error *err);

/* Client: one round trip of the echo protocol (msg sealed out, the service's
 * MIC verified; in sspi-sample also its sealed copy of msg). */
SCPAUTH_EXPORT SCPAUTH_WUR int scpauth_session_call(scpauth_session *s, const void *msg,
                                                    size_t len, scpauth_error *err);

/* Client: sends the bad message `kind` (BAD_REPLAY needs one good call with
 * keep_last on) and expects the service to hang up. SCPAUTH_OK if it did (for
 * BAD_TRUNCATE: once half a frame is sent); EAUTH if it answered as if the
 * message were fine; EINVAL for a replay with nothing to replay. */
SCPAUTH_EXPORT SCPAUTH_WUR int scpauth_session_call_bad(scpauth_session *s,
                                                        scpauth_session_bad kind,
                                                        const void *msg, size_t len,
                                                        scpauth_error *err);

/* Client: ends the session the profile's way (NOOP in gss-sample; nothing in
 * sspi-sample, where closing the socket ends it). */
SCPAUTH_EXPORT SCPAUTH_WUR int scpauth_session_end(scpauth_session *s, scpauth_error *err);

/* "gss-sample" / "sspi-sample" -> profile; 0 if unknown or NULL. */
SCPAUTH_EXPORT scpauth_wire_profile scpauth_wire_profile_from_name(const char *name);
/* The profile's name; never NULL. */
SCPAUTH_EXPORT const char *scpauth_wire_profile_name(scpauth_wire_profile p);

/* Monotonic milliseconds (arbitrary origin), for the durations programs
 * report beside the session's own. */
SCPAUTH_EXPORT double scpauth_clock_ms(void);

#ifdef __cplusplus
}
#endif
#endif
