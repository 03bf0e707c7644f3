/* os_poll.h - what the server's poller needs from the platform (private):
 * readiness of many sockets at once (poll / WSAPoll), a wake-up other
 * threads can trigger, and a read that never blocks. Every platform #ifdef
 * of it lives in os_poll.c and compat_socket.h. */
#ifndef SCPAUTH_OS_POLL_H
#define SCPAUTH_OS_POLL_H

#include <stddef.h>

#include "scpauth/common.h"

typedef struct scpauth__poller scpauth__poller;

/* A poller with its wake-up pair (a socket pair; on Windows a loopback TCP
 * pair). NULL when the system refused. */
scpauth__poller *scpauth__poller_new(void);
void scpauth__poller_free(scpauth__poller *p);

/* Makes a scpauth__poller_wait in progress (or the next one) return early.
 * Any thread; async-signal-safe on POSIX (one non-blocking send). */
void scpauth__poller_wake(scpauth__poller *p);

/* Waits up to timeout_ms (< 0: no limit) until one of socks[0..n) is
 * readable (writable where out[i] is 1) or hung up, or a wake-up.
 * ready[i] = 1 for each such socket.
 * Returns how many are ready (0: timeout or woken), -1 on error (ENOMEM
 * growing the set, or poll failed; retry later). */
int scpauth__poller_wait(scpauth__poller *p, const scpauth_socket *socks,
                         const unsigned char *out, size_t n, unsigned char *ready,
                         int timeout_ms);

/* Waits up to timeout_ms for s to be readable or hung up: 1 if so, 0 if
 * not, -1 on error. */
int scpauth__poll_one(scpauth_socket s, int timeout_ms);

/* Reads what is there, never waiting: bytes read, 0 at end of stream,
 * -1 nothing to read now, -2 a socket error. */
long long scpauth__poll_recv(scpauth_socket s, void *buf, size_t len);

#endif
