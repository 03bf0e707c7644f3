/* scpauth/server.h - a small concurrent service: an accept loop on a
 * listener, one worker thread per client (capped), mutual Kerberos
 * authentication with a per-client time limit, then a callback per
 * authenticated client; a graceful stop. POSIX threads or Win32 threads
 * underneath, the same API on both. */
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
#define SCPAUTH_SERVER_DEFAULT_CLIENT_TIMEOUT_MS 10000

typedef struct scpauth_server scpauth_server;

/* Serves one authenticated client on a worker thread: s is established
 * (mutual authentication checked), info describes it. Returns SCPAUTH_OK or
 * a negative status with err filled; the server then closes the connection. */
typedef int (*scpauth_server_client_fn)(void *user, scpauth_session *s,
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
    unsigned max_clients;       /* served at once (0 = default); more wait */
    int client_timeout_ms;      /* the handshake, and every frame after it (0 = default) */
    unsigned long long max_served; /* stop after this many connections (0 = no limit) */
    scpauth_server_client_fn on_client; /* NULL = scpauth_session_serve (echo) */
    scpauth_server_done_fn on_done;     /* may be NULL */
    void *user;                         /* passed to both callbacks */
} scpauth_server_options;

/* Prepares a server on a listening socket (scpauth_net_listen; the caller
 * keeps and closes it after scpauth_server_run returned). Errors: EINVAL,
 * ENOMEM. */
SCPAUTH_EXPORT SCPAUTH_WUR int scpauth_server_new(scpauth_socket listener,
                                                  const scpauth_server_options *opts,
                                                  scpauth_server **out, scpauth_error *err);

/* Accepts and serves clients until scpauth_server_stop or max_served, then
 * waits for the clients in progress (each bounded by client_timeout_ms per
 * frame) and returns SCPAUTH_OK. A client's failure never stops it (it goes
 * to on_done). Errors: ESTATE if already running. */
SCPAUTH_EXPORT SCPAUTH_WUR int scpauth_server_run(scpauth_server *srv, scpauth_error *err);

/* Asks a running server to stop accepting; it notices within about 100 ms.
 * Safe from any thread and from a signal handler. */
SCPAUTH_EXPORT void scpauth_server_stop(scpauth_server *srv);

/* Connections finished so far (served or failed). */
SCPAUTH_EXPORT unsigned long long scpauth_server_finished(scpauth_server *srv);

/* Frees a server that is not running. NULL is fine. */
SCPAUTH_EXPORT void scpauth_server_free(scpauth_server *srv);

#ifdef __cplusplus
}
#endif
#endif
