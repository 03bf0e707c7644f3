/* scpauth/server.h - a small concurrent service: a fixed pool of worker
 * threads, a poller (the thread that calls scpauth_server_run) watching the
 * listener and every idle connection, mutual Kerberos authentication with a
 * per-client time limit, then callbacks for each authenticated client; a
 * graceful stop. POSIX threads or Win32 threads underneath, the same API on
 * both.
 *
 * Two ways to serve an authenticated client:
 *  - per request (on_request, and the default echo): the poller reads each
 *    request frame without blocking (a slow or stalled client holds no
 *    thread), then a worker runs on_request; between requests the
 *    connection is parked and costs its socket, session and context only
 *    (after a reply the worker waits up to 2 ms for a next request that
 *    follows at once, while no other connection waits for a worker);
 *    a reply the client does not take at once is queued (up to two frames
 *    of max_frame bytes per connection) and sent by the poller as the
 *    client reads, within the frame timeout; the client's next request is
 *    read only after that, and a turn that writes more than the queue holds
 *    waits for the client (the frame timeout) as a blocking send would;
 *  - whole conversation (on_client): a worker runs on_client for the
 *    client's whole life, so at most `workers` such clients are served at
 *    once and the others wait (workers then defaults to max_clients).
 *
 * In both, the handshake holds a worker only while it computes a step:
 * after a step that needs another token from the client, the reply goes
 * out and the connection is parked until that token arrives (within
 * client_timeout_ms from the connection's start). Connections not yet
 * authenticated are capped (max_unauthenticated): when the cap is full, a
 * new connection takes the place of one that has sent nothing for
 * SCPAUTH_SERVER_EVICT_SILENT_MS, else of the oldest one still in its
 * handshake after SCPAUTH_SERVER_EVICT_GRACE_MS, which is closed
 * (ETIMEDOUT); one that sends nothing at all is closed after
 * first_byte_timeout_ms. Clients
 * that hold connections open without authenticating thus never keep an
 * authenticated client or a new one out. */
#ifndef SCPAUTH_SERVER_H
#define SCPAUTH_SERVER_H

#include "common.h"
#include "error.h"
#include "auth.h"
#include "session.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SCPAUTH_SERVER_DEFAULT_MAX_CLIENTS 64
#define SCPAUTH_SERVER_MIN_WORKERS 2 /* default workers: 2 per CPU, at least this */
#define SCPAUTH_SERVER_DEFAULT_CLIENT_TIMEOUT_MS 10000
#define SCPAUTH_SERVER_DEFAULT_FIRST_BYTE_TIMEOUT_MS 2000
#define SCPAUTH_SERVER_MIN_UNAUTHENTICATED 8 /* default cap: max_clients / 4, at least this */
/* how long a new connection is safe from being closed for a newer one:
 * while it has sent nothing, and once it has */
#define SCPAUTH_SERVER_EVICT_SILENT_MS 50
#define SCPAUTH_SERVER_EVICT_GRACE_MS 250

typedef struct scpauth_server scpauth_server;

/* Serves one authenticated client on a worker thread: s is established
 * (mutual authentication checked), info describes it. Returns SCPAUTH_OK or
 * a negative status with err filled; the server then closes the connection. */
typedef int (*scpauth_server_client_fn)(void *user, scpauth_session *s,
                                        const scpauth_ctx_info *info, scpauth_error *err);

/* Per-request mode: called on a worker when the client sent a request (one
 * frame, already received: scpauth_session_recv_sealed returns it without
 * waiting). Reads the request and writes its whole reply with the session
 * API. Returns SCPAUTH_OK to keep the connection (it is parked until the
 * next request), SCPAUTH_SESSION_END when the client ended the session
 * (reported as SCPAUTH_OK), or a negative status with err filled; the server
 * then closes the connection. */
typedef int (*scpauth_server_request_fn)(void *user, scpauth_session *s,
                                         const scpauth_ctx_info *info, scpauth_error *err);

/* Told once per connection when it ends: s (NULL for an accept or thread
 * failure), info (NULL when authentication did not complete), the final
 * status and error (which names the client). Calls never overlap. */
typedef void (*scpauth_server_done_fn)(void *user, const scpauth_session *s,
                                       const scpauth_ctx_info *info, int status,
                                       const scpauth_error *err);

typedef struct scpauth_server_options {
    scpauth_creds *creds;       /* service credentials (the caller keeps them) */
    unsigned ctx_flags;         /* scpauth_ctx_new flags; 0 = defaults (mutual required) */
    scpauth_wire_options wire;  /* timeout_ms 0 = client_timeout_ms per frame */
    unsigned max_clients;       /* connections held at once, idle ones included
                                   (0 = default); more wait in the backlog */
    int client_timeout_ms;      /* the handshake, and every frame after it (0 = default) */
    unsigned long long max_served; /* stop after this many connections (0 = no limit) */
    scpauth_server_client_fn on_client; /* whole conversation on a worker; or NULL */
    scpauth_server_done_fn on_done;     /* may be NULL */
    void *user;                         /* passed to every callback */
    /* per request; used when on_client is NULL. Both NULL = the echo
     * protocol, a step of scpauth_session_serve_one per request */
    scpauth_server_request_fn on_request;
    unsigned workers;    /* worker threads (0 = 2 per CPU, at least 2; with
                            on_client: max_clients) */
    int idle_timeout_ms; /* a parked connection idle this long is closed and
                            reported (ETIMEDOUT) (0 = the frame timeout) */
    unsigned max_unauthenticated; /* connections held before their handshake
                                     completed (0 = max_clients / 4, at least
                                     8; never more than max_clients) */
    int first_byte_timeout_ms;    /* a connection that sends nothing this long is
                                     closed (ETIMEDOUT) (0 = 2000; the handshake's
                                     client_timeout_ms still applies) */
} scpauth_server_options;

/* Prepares a server on a listening socket (scpauth_net_listen; the caller
 * keeps and closes it after scpauth_server_run returned). Errors: EINVAL
 * (no credentials, a negative timeout), ENOMEM. */
SCPAUTH_EXPORT SCPAUTH_WUR int scpauth_server_new(scpauth_socket listener,
                                                  const scpauth_server_options *opts,
                                                  scpauth_server **out, scpauth_error *err);

/* Accepts and serves clients until scpauth_server_stop or max_served, then
 * serves the connections it holds until they end (each bounded by
 * client_timeout_ms per frame and idle_timeout_ms between requests) and
 * returns SCPAUTH_OK. A client's failure never stops it (it goes to
 * on_done). Errors: ESTATE if already running, ENOMEM, EIO (no poller's
 * wake-up socket pair). */
SCPAUTH_EXPORT SCPAUTH_WUR int scpauth_server_run(scpauth_server *srv, scpauth_error *err);

/* Asks a running server to stop accepting; it notices at once (a wake-up)
 * or within about 100 ms. Safe from any thread and from a signal handler. */
SCPAUTH_EXPORT void scpauth_server_stop(scpauth_server *srv);

/* Connections finished so far (served or failed). */
SCPAUTH_EXPORT unsigned long long scpauth_server_finished(scpauth_server *srv);

/* Frees a server that is not running. NULL is fine. */
SCPAUTH_EXPORT void scpauth_server_free(scpauth_server *srv);

#ifdef __cplusplus
}
#endif
#endif
