/* session_internal.h - the session object and the frame helpers the
 * session_*.c files share (private). */
#ifndef SCPAUTH_SESSION_INTERNAL_H
#define SCPAUTH_SESSION_INTERNAL_H

#include "scpauth/session.h"

/* gss-sample flags of a sealed message (as gss-client sends them). */
#define SCPAUTH__SESSION_DATA_FLAGS                                             \
    (SCPAUTH_WIRE_TOKEN_DATA | SCPAUTH_WIRE_TOKEN_WRAPPED |                    \
     SCPAUTH_WIRE_TOKEN_ENCRYPTED | SCPAUTH_WIRE_TOKEN_SEND_MIC)

#define SCPAUTH__SESSION_PUSH_MAX 2 /* gss-sample: the opening and the first token */

struct scpauth_session {
    scpauth_socket sock;
    scpauth_role role;
    scpauth_ctx *ctx;
    scpauth_wire_options wire; /* timeout_ms: per frame */
    int budget_ms;             /* whole handshake; <= 0 = none */
    int keep_last;             /* remember the last sealed token sent */
    char peer[SCPAUTH_SESSION_PEER_MAX];
    scpauth_session_times t;
    scpauth_buffer last;    /* keep_last: the last sealed token sent */
    scpauth_buffer pending; /* client: token of a step taken before connecting */
    int pending_rc;         /* ... and what that step returned */
    /* frames read for us already (the server's poller), oldest first */
    unsigned n_frames;
    unsigned frame_flags[SCPAUTH__SESSION_PUSH_MAX];
    scpauth_buffer frames[SCPAUTH__SESSION_PUSH_MAX];
    /* service handshake in rounds: when it began, when the last round ended */
    double hs_t0, hs_last;
    /* queued output (the server's writes that never wait): bytes of whole
     * frames not yet taken by the socket, out[out_off..out_len) */
    size_t out_max; /* 0 = sends block as usual */
    unsigned char *out;
    size_t out_off, out_len, out_cap;
};

int scpauth__session_is_gss(const scpauth_session *s);
/* "client" or "service": the other side, for messages. */
const char *scpauth__session_other(const scpauth_session *s);

/* Hands the session a frame its owner read already (*body moved in): the
 * receives return pushed frames, in order, before reading the socket.
 * Returns -1 (nothing moved) when SCPAUTH__SESSION_PUSH_MAX wait already. */
int scpauth__session_push_frame(scpauth_session *s, unsigned flags, scpauth_buffer *body);

/* How many pushed frames wait to be received. */
unsigned scpauth__session_frames(const scpauth_session *s);

/* Receives one frame: the pushed one if any, else from the socket with o. */
int scpauth__session_read(scpauth_session *s, const scpauth_wire_options *o, unsigned *flags,
                          scpauth_buffer *body, scpauth_error *err);

/* Sends one frame (flags only in gss-sample). */
int scpauth__session_send(scpauth_session *s, unsigned flags, const void *body, size_t len,
                          scpauth_error *err);

/* Receives one frame with options o; a close while waiting_for (not NULL)
 * becomes an error that says what we waited for. */
int scpauth__session_recv(scpauth_session *s, const scpauth_wire_options *o, unsigned *flags,
                          scpauth_buffer *body, const char *waiting_for, scpauth_error *err);

/* Sends an already sealed token as a message; keeps it when asked. */
int scpauth__session_send_token(scpauth_session *s, scpauth_buffer *tok, scpauth_error *err);

/* Service: one round of the handshake on the client's next token (pushed
 * or read from the socket), its answer sent. SCPAUTH_OK: established and
 * checked; SCPAUTH_CONTINUE: the client must answer; or an error as
 * scpauth_session_handshake. Each round counts against the budget from
 * the first. */
int scpauth__session_accept_round(scpauth_session *s, scpauth_error *err);

/* Sends from now on never wait while the queued bytes stay within max
 * (what the socket does not take at once is queued, whole frames in
 * order); a send that would pass max first waits for the queue to drain
 * (the frame timeout). 0 = blocking sends again (the queue must be empty). */
void scpauth__session_queue_output(scpauth_session *s, size_t max);

/* Bytes queued and not yet sent. */
size_t scpauth__session_queued(const scpauth_session *s);

/* Sends queued bytes: timeout_ms 0 = what the socket takes now, else waits
 * up to timeout_ms for all. SCPAUTH_OK: nothing left; SCPAUTH_CONTINUE:
 * bytes left (timeout 0); ETIMEDOUT, EIO. */
int scpauth__session_flush(scpauth_session *s, int timeout_ms, scpauth_error *err);

/* Fills err for queued bytes the peer did not take within timeout_ms;
 * returns ETIMEDOUT. */
int scpauth__session_send_timeout(const scpauth_session *s, int timeout_ms, scpauth_error *err);

/* Queues (or sends at once) one frame: the queued mode of
 * scpauth__session_send. */
int scpauth__session_send_queued(scpauth_session *s, unsigned flags, const void *body,
                                 size_t len, scpauth_error *err);

#endif
