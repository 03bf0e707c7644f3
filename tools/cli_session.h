/* cli_session.h - one authenticated connection, the same code for both ends
 * of `scpauth listen` and `scpauth connect`: the handshake loop over frames
 * and the message exchange of the two wire profiles.
 *
 * gss-sample (MIT's gss-client / gss-server, exactly):
 *   client: NOOP|CONTEXT_NEXT (empty), then CONTEXT tokens; service: CONTEXT
 *   tokens back. Per message the client sends DATA|WRAPPED|ENCRYPTED|SEND_MIC
 *   (a sealed message), the service unseals it and answers MIC (a MIC over
 *   the plaintext; NOOP when SEND_MIC is absent); the client verifies it.
 *   The client ends with an empty NOOP.
 * sspi-sample (Microsoft's Windows Sockets SSPI sample framing, 4-byte
 *   little-endian lengths): handshake tokens back and forth; per message the
 *   client sends a sealed message, the service answers with two frames: the
 *   same text sealed by the service, then a MIC over it; the client unseals
 *   the reply, checks it is its own text and verifies the MIC. The client
 *   ends by closing the connection at a frame boundary. */
#ifndef SCPAUTH_CLI_SESSION_H
#define SCPAUTH_CLI_SESSION_H

#include "cli.h"

#define CLI_SESSION_MAX_STEPS 16

typedef struct cli_session {
    /* set by the caller */
    scpauth_socket sock;
    scpauth_role role;
    scpauth_ctx *ctx;
    scpauth_wire_options wire;  /* timeout_ms: per frame */
    int handshake_budget_ms;    /* whole handshake; <= 0 = none */
    int keep_last;              /* client: remember the last sealed token (--replay) */
    char peer[96];              /* "addr:port" (and more) for messages */
    /* filled in */
    unsigned steps;
    double step_ms[CLI_SESSION_MAX_STEPS]; /* time inside each scpauth_ctx_step */
    double wait_ms[CLI_SESSION_MAX_STEPS]; /* then waiting for the peer's token */
    double handshake_ms;
    unsigned messages;          /* messages exchanged successfully */
    scpauth_buffer last;        /* keep_last: the last sealed token sent */
    scpauth_buffer pending;     /* client: token of a step taken before connecting */
    int pending_rc;             /* ... and what that step returned */
} cli_session;

/* Deliberately bad messages a test client can send (hidden options). */
typedef enum cli_bad {
    CLI_BAD_NONE = 0,
    CLI_BAD_TAMPER,   /* a sealed message with one byte flipped: EBADSIG */
    CLI_BAD_REPLAY,   /* the previous sealed message again: EREPLAY */
    CLI_BAD_REORDER,  /* the message after the next one first: ESEQUENCE */
    CLI_BAD_TRUNCATE  /* half a frame, then close: ETRUNCATED */
} cli_bad;

/* Prepares s for sock/ctx/role; wire and budgets keep what the caller set
 * afterwards. */
void cli_session_init(cli_session *s, scpauth_socket sock, scpauth_role role, scpauth_ctx *ctx,
                      const scpauth_wire_options *wire);

/* Client, optional: takes the first handshake step before connecting (the
 * ticket request to the KDC), so that an unknown SPN or missing credentials
 * fail without bothering the service. Errors: those of scpauth_ctx_step. */
int cli_session_first_step(cli_session *s, scpauth_error *err);

/* Runs the handshake to an established, checked context. Errors: those of
 * scpauth_ctx_step, of the wire (EOF, ETRUNCATED, ETIMEDOUT, ETOOBIG, ...),
 * EPROTO for a frame out of place, ETIMEDOUT when the budget runs out. */
int cli_session_handshake(cli_session *s, scpauth_error *err);

/* Service: answers messages until the client ends the session (NOOP, or a
 * close at a frame boundary in sspi-sample); SCPAUTH_OK then. Errors:
 * EBADSIG, EREPLAY, ESEQUENCE, ENOTSEALED, EPROTO and the wire's. */
int cli_session_serve(cli_session *s, scpauth_error *err);

/* Client: one message round trip (sealed out, MIC verified back). */
int cli_session_call(cli_session *s, const void *msg, size_t len, scpauth_error *err);

/* Client: sends the bad message `kind` (after at least one good call for
 * REPLAY) and expects the service to hang up. SCPAUTH_OK if it did; EAUTH if
 * it answered as if the message were fine. */
int cli_session_call_bad(cli_session *s, cli_bad kind, const void *msg, size_t len,
                         scpauth_error *err);

/* Client: ends the session the profile's way (NOOP in gss-sample). */
int cli_session_end(cli_session *s, scpauth_error *err);

/* Releases what the session holds (not the socket or the context). */
void cli_session_clear(cli_session *s);

/* "gss-sample" / "sspi-sample" -> profile; 0 if unknown. */
scpauth_wire_profile cli_profile_parse(const char *name);
const char *cli_profile_name(scpauth_wire_profile p);

#endif
