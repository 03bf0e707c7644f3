/* compat_socket.h - the one place where POSIX sockets and Winsock differ
 * (private). Everything above it speaks scpauth__sock_* and SCPAUTH__E*. */
#ifndef SCPAUTH_COMPAT_SOCKET_H
#define SCPAUTH_COMPAT_SOCKET_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "scpauth/common.h"

#ifdef _WIN32
#  include <winsock2.h>
#  include <ws2tcpip.h>
#  include <windows.h>

/* One buffer of a gathered send: WSABUF on Windows, struct iovec on POSIX. */
typedef WSABUF scpauth__iov;
#  define SCPAUTH__IOV_SET(v, p, n) ((v).buf = (char *)(p), (v).len = (ULONG)(n))
#  define SCPAUTH__IOV_BASE(v) ((unsigned char *)(v).buf)
#  define SCPAUTH__IOV_LEN(v) ((size_t)(v).len)
typedef WSAPOLLFD scpauth__pollfd;
typedef int scpauth__socklen;

#  define SCPAUTH__EINTR WSAEINTR
#  define SCPAUTH__EAGAIN WSAEWOULDBLOCK
#  define SCPAUTH__EINPROGRESS WSAEWOULDBLOCK /* what a non-blocking connect gives */
#  define SCPAUTH__ECONNREFUSED WSAECONNREFUSED
#  define SCPAUTH__ETIMEDOUT WSAETIMEDOUT
#  define SCPAUTH__EADDRINUSE WSAEADDRINUSE
#  define SCPAUTH__ECONNABORTED WSAECONNRESET /* accept: the client gave up */

static inline int scpauth__sock_errno(void) { return WSAGetLastError(); }

static inline int scpauth__sock_valid(scpauth_socket s) { return s != INVALID_SOCKET; }

static inline void scpauth__sock_close(scpauth_socket s) { closesocket((SOCKET)s); }

static inline int scpauth__sock_poll(scpauth__pollfd *p, int timeout_ms)
{
    return WSAPoll(p, 1, timeout_ms);
}

/* Returns bytes sent or -1. A blocking WSASend waits until every byte is
 * buffered, past any timeout, and Winsock has no MSG_DONTWAIT: the socket is
 * non-blocking for the call and blocking again after (the state the blocking
 * helpers expect). */
static inline long long scpauth__sock_sendv(scpauth_socket s, scpauth__iov *v, size_t n)
{
    u_long on = 1, off = 0;
    DWORD sent = 0;
    ioctlsocket((SOCKET)s, FIONBIO, &on);
    int rc = WSASend((SOCKET)s, v, (DWORD)n, &sent, 0, NULL, NULL);
    int e = WSAGetLastError();
    ioctlsocket((SOCKET)s, FIONBIO, &off);
    if (rc != 0) {
        WSASetLastError(e);
        return -1;
    }
    return (long long)sent;
}

/* Returns bytes received, 0 at EOF, or -1. Called after poll said readable,
 * so a blocking socket does not block. */
static inline long long scpauth__sock_recv(scpauth_socket s, void *buf, size_t len)
{
    int cap = len > 0x7fffffff ? 0x7fffffff : (int)len;
    return recv((SOCKET)s, (char *)buf, cap, 0);
}

static inline int scpauth__sock_set_nonblock(scpauth_socket s, int on)
{
    u_long mode = on ? 1u : 0u;
    return ioctlsocket((SOCKET)s, FIONBIO, &mode) == 0 ? 0 : -1;
}

/* Child processes must not inherit our sockets. */
static inline void scpauth__sock_noinherit(scpauth_socket s)
{
    SetHandleInformation((HANDLE)(uintptr_t)s, HANDLE_FLAG_INHERIT, 0);
}

/* Windows' SO_REUSEADDR lets another socket steal a bound port; exclusive use
 * is the Windows way to get POSIX SO_REUSEADDR's safe semantics. */
static inline int scpauth__sock_reuse_addr(scpauth_socket s)
{
    BOOL on = TRUE;
    return setsockopt((SOCKET)s, SOL_SOCKET, SO_EXCLUSIVEADDRUSE, (const char *)&on,
                      sizeof on);
}

/* Waits for a non-blocking connect: 1 done (check SO_ERROR), 0 timed out,
 * -1 error. select, not WSAPoll: WSAPoll does not report a refused connect on
 * many Windows versions. */
static inline int scpauth__sock_wait_connect(scpauth_socket s, int timeout_ms)
{
    fd_set w, e;
    FD_ZERO(&w);
    FD_ZERO(&e);
    FD_SET((SOCKET)s, &w);
    FD_SET((SOCKET)s, &e);
    struct timeval tv = { timeout_ms / 1000, (timeout_ms % 1000) * 1000 };
    return select(0, NULL, &w, &e, timeout_ms < 0 ? NULL : &tv) == SOCKET_ERROR ? -1
           : FD_ISSET((SOCKET)s, &w) || FD_ISSET((SOCKET)s, &e)             ? 1
                                                                             : 0;
}

static inline uint64_t scpauth__now_ms(void) { return (uint64_t)GetTickCount64(); }

static inline void scpauth__sock_strerror(int code, char *buf, size_t size)
{
    DWORD n = FormatMessageA(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS, NULL,
                             (DWORD)code, 0, buf, (DWORD)size, NULL);
    while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r' || buf[n - 1] == '.'))
        buf[--n] = '\0';
    if (n == 0)
        snprintf(buf, size, "Winsock error %d", code);
}

/* getaddrinfo's error text (gai_strerror is a wide-char macro under UNICODE). */
static inline void scpauth__gai_strerror(int rc, char *buf, size_t size)
{
    scpauth__sock_strerror(rc, buf, size);
}

#else /* POSIX */
#  include <errno.h>
#  include <fcntl.h>
#  include <netdb.h>
#  include <netinet/in.h>
#  include <netinet/tcp.h>
#  include <arpa/inet.h>
#  include <poll.h>
#  include <sys/socket.h>
#  include <sys/uio.h>
#  include <time.h>
#  include <unistd.h>

typedef struct iovec scpauth__iov;
#  define SCPAUTH__IOV_SET(v, p, n) ((v).iov_base = (void *)(p), (v).iov_len = (n))
#  define SCPAUTH__IOV_BASE(v) ((unsigned char *)(v).iov_base)
#  define SCPAUTH__IOV_LEN(v) ((v).iov_len)
typedef struct pollfd scpauth__pollfd;
typedef socklen_t scpauth__socklen;

#  define SCPAUTH__EINTR EINTR
#  define SCPAUTH__EAGAIN EAGAIN
#  define SCPAUTH__EINPROGRESS EINPROGRESS
#  define SCPAUTH__ECONNREFUSED ECONNREFUSED
#  define SCPAUTH__ETIMEDOUT ETIMEDOUT
#  define SCPAUTH__EADDRINUSE EADDRINUSE
#  define SCPAUTH__ECONNABORTED ECONNABORTED /* accept: the client gave up */

/* A peer that closed must give EPIPE, not kill the process with SIGPIPE. */
#  ifndef MSG_NOSIGNAL
#    define MSG_NOSIGNAL 0 /* BSD/macOS: SO_NOSIGPIPE is set on the socket */
#  endif

static inline int scpauth__sock_errno(void) { return errno; }

static inline int scpauth__sock_valid(scpauth_socket s) { return s >= 0; }

static inline void scpauth__sock_close(scpauth_socket s) { (void)close(s); }

static inline int scpauth__sock_poll(scpauth__pollfd *p, int timeout_ms)
{
    return poll(p, 1, timeout_ms);
}

/* Returns bytes sent or -1. MSG_DONTWAIT keeps the timeout honest on a
 * blocking socket: we wait in poll, never inside sendmsg. */
static inline long long scpauth__sock_sendv(scpauth_socket s, scpauth__iov *v, size_t n)
{
    struct msghdr m;
    memset(&m, 0, sizeof m);
    m.msg_iov = v;
    m.msg_iovlen = n;
    return (long long)sendmsg(s, &m, MSG_NOSIGNAL | MSG_DONTWAIT);
}

/* Returns bytes received, 0 at EOF, or -1. */
static inline long long scpauth__sock_recv(scpauth_socket s, void *buf, size_t len)
{
    return (long long)recv(s, buf, len, MSG_DONTWAIT);
}

static inline int scpauth__sock_set_nonblock(scpauth_socket s, int on)
{
    int fl = fcntl(s, F_GETFL);
    if (fl < 0)
        return -1;
    fl = on ? (fl | O_NONBLOCK) : (fl & ~O_NONBLOCK);
    return fcntl(s, F_SETFL, fl);
}

/* Child processes must not inherit our sockets; BSDs also need SO_NOSIGPIPE. */
static inline void scpauth__sock_noinherit(scpauth_socket s)
{
    (void)fcntl(s, F_SETFD, FD_CLOEXEC);
#  ifdef SO_NOSIGPIPE
    int on = 1;
    (void)setsockopt(s, SOL_SOCKET, SO_NOSIGPIPE, &on, sizeof on);
#  endif
}

static inline int scpauth__sock_reuse_addr(scpauth_socket s)
{
    int on = 1;
    return setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
}

/* Waits for a non-blocking connect: 1 done (check SO_ERROR), 0 timed out,
 * -1 error. */
static inline int scpauth__sock_wait_connect(scpauth_socket s, int timeout_ms)
{
    struct pollfd p = { s, POLLOUT, 0 };
    int rc = poll(&p, 1, timeout_ms);
    return rc < 0 ? -1 : rc > 0 ? 1 : 0;
}

static inline uint64_t scpauth__now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static inline void scpauth__sock_strerror(int code, char *buf, size_t size)
{
    /* XSI strerror_r (int result) under _POSIX_C_SOURCE without _GNU_SOURCE */
    if (strerror_r(code, buf, size) != 0)
        snprintf(buf, size, "error %d", code);
}

static inline void scpauth__gai_strerror(int rc, char *buf, size_t size)
{
    if (rc == EAI_SYSTEM)
        scpauth__sock_strerror(errno, buf, size);
    else
        snprintf(buf, size, "%s", gai_strerror(rc));
}
#endif

/* Milliseconds left before deadline (0 = none) for poll: -1 waits forever. */
static inline int scpauth__ms_left(uint64_t deadline)
{
    if (deadline == 0)
        return -1;
    uint64_t now = scpauth__now_ms();
    if (now >= deadline)
        return 0;
    uint64_t left = deadline - now;
    return left > 0x7fffffff ? 0x7fffffff : (int)left;
}

/* Deadline for a timeout given in ms (<= 0: none). */
static inline uint64_t scpauth__deadline(int timeout_ms)
{
    return timeout_ms > 0 ? scpauth__now_ms() + (uint64_t)timeout_ms : 0;
}

/* Waits until s is ready for events (POLLIN / POLLOUT) or deadline (0 =
 * none) passes, retrying on EINTR: 1 ready, 0 timed out, -1 error. */
static inline int scpauth__sock_wait(scpauth_socket s, short events, uint64_t deadline)
{
    for (;;) {
        scpauth__pollfd p;
        memset(&p, 0, sizeof p);
        p.fd = s;
        p.events = events;
        int rc = scpauth__sock_poll(&p, scpauth__ms_left(deadline));
        if (rc >= 0)
            return rc > 0 ? 1 : 0;
        if (scpauth__sock_errno() != SCPAUTH__EINTR)
            return -1;
    }
}

#endif
