/* scpauth/net.h - the few socket helpers a client and a service need,
 * the same on POSIX and Winsock. TCP_NODELAY is set on every connection
 * (a frame leaves in one write; Nagle would only add delay). */
#ifndef SCPAUTH_NET_H
#define SCPAUTH_NET_H

#include "common.h"
#include "error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Starts the socket library (WSAStartup on Windows; nothing on POSIX).
 * Idempotent; call before any other net function. */
SCPAUTH_EXPORT SCPAUTH_WUR int scpauth_net_init(scpauth_error *err);

/* Connects to host:port (every address the name resolves to, in order) within
 * timeout_ms (<= 0: none). Errors: ERESOLVE, ECONNREFUSED, ETIMEDOUT, EIO;
 * the message names host:port. */
SCPAUTH_EXPORT SCPAUTH_WUR int scpauth_net_connect(const char *host, unsigned port,
                                                   int timeout_ms, scpauth_socket *out,
                                                   scpauth_error *err);

/* Listens on bind_addr:port (NULL = all addresses, IPv6 and IPv4 on one
 * dual-stack socket where possible; port 0 = any, see scpauth_net_local_port).
 * SO_REUSEADDR is set (SO_EXCLUSIVEADDRUSE on Windows, where SO_REUSEADDR
 * would let another socket take the port). The listener is non-blocking: use
 * scpauth_net_accept. Errors: ERESOLVE, EIO (e.g. port in use). */
SCPAUTH_EXPORT SCPAUTH_WUR int scpauth_net_listen(const char *bind_addr, unsigned port, int backlog,
                                                  scpauth_socket *out, scpauth_error *err);

/* Accepts one connection (blocking up to timeout_ms; <= 0 none) and sets
 * TCP_NODELAY on it; peer (may be NULL) gets "addr:port". */
SCPAUTH_EXPORT SCPAUTH_WUR int scpauth_net_accept(scpauth_socket listener, int timeout_ms,
                                                  scpauth_socket *out, char *peer,
                                                  size_t peer_size, scpauth_error *err);

/* Port a socket is bound to, or 0. */
SCPAUTH_EXPORT unsigned scpauth_net_local_port(scpauth_socket s);

SCPAUTH_EXPORT void scpauth_net_close(scpauth_socket s);

#ifdef __cplusplus
}
#endif
#endif
