/* os_poll.c - the server poller's platform part (see os_poll.h): poll or
 * WSAPoll over a set that grows as needed, and a wake-up pair. */
#include <stdlib.h>

#include "compat_socket.h"
#include "os_poll.h"
#include "scpauth/net.h"

struct scpauth__poller {
    scpauth_socket wake_rd, wake_wr;
    scpauth__pollfd *set;
    size_t cap;
};

#ifdef _WIN32
/* Winsock has no socketpair: a loopback TCP connection does the same. */
static int wake_pair(scpauth_socket *rd, scpauth_socket *wr)
{
    scpauth_socket l = SCPAUTH_INVALID_SOCKET;
    int rc = scpauth_net_listen("127.0.0.1", 0, 1, &l, NULL);
    if (rc == SCPAUTH_OK)
        rc = scpauth_net_connect("127.0.0.1", scpauth_net_local_port(l), 2000, wr, NULL);
    if (rc == SCPAUTH_OK) {
        rc = scpauth_net_accept(l, 2000, rd, NULL, 0, NULL);
        if (rc != SCPAUTH_OK)
            scpauth_net_close(*wr);
    }
    if (l != SCPAUTH_INVALID_SOCKET)
        scpauth_net_close(l);
    if (rc == SCPAUTH_OK)
        (void)scpauth__sock_set_nonblock(*rd, 1); /* the drain must not block */
    return rc == SCPAUTH_OK ? 0 : -1;
}
#else
static int wake_pair(scpauth_socket *rd, scpauth_socket *wr)
{
    int fd[2];
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, fd) != 0)
        return -1;
    for (int i = 0; i < 2; i++) {
        scpauth__sock_noinherit(fd[i]);
        (void)scpauth__sock_set_nonblock(fd[i], 1);
    }
    *rd = fd[0];
    *wr = fd[1];
    return 0;
}
#endif

scpauth__poller *scpauth__poller_new(void)
{
    scpauth__poller *p = calloc(1, sizeof(*p));
    if (p == NULL)
        return NULL;
    if (wake_pair(&p->wake_rd, &p->wake_wr) != 0) {
        free(p);
        return NULL;
    }
    return p;
}

void scpauth__poller_free(scpauth__poller *p)
{
    if (p == NULL)
        return;
    scpauth__sock_close(p->wake_rd);
    scpauth__sock_close(p->wake_wr);
    free(p->set);
    free(p);
}

void scpauth__poller_wake(scpauth__poller *p)
{
    scpauth__iov v;
    SCPAUTH__IOV_SET(v, "w", 1);
    (void)scpauth__sock_sendv(p->wake_wr, &v, 1); /* a full pipe is awake already */
}

int scpauth__poll_one(scpauth_socket s, int timeout_ms)
{
    scpauth__pollfd p;
    memset(&p, 0, sizeof(p));
    p.fd = s;
    p.events = POLLIN;
    int rc = scpauth__sock_poll(&p, timeout_ms);
    return rc < 0 ? -1 : rc > 0 ? 1 : 0;
}

long long scpauth__poll_recv(scpauth_socket s, void *buf, size_t len)
{
#ifdef _WIN32
    /* Winsock's recv has no MSG_DONTWAIT and the socket may be blocking */
    if (scpauth__poll_one(s, 0) == 0)
        return -1;
#endif
    long long n = scpauth__sock_recv(s, buf, len);
    if (n >= 0)
        return n;
    int e = scpauth__sock_errno();
    return e == SCPAUTH__EAGAIN || e == SCPAUTH__EINTR ? -1 : -2;
}

int scpauth__poller_wait(scpauth__poller *p, const scpauth_socket *socks,
                         const unsigned char *out, size_t n, unsigned char *ready,
                         int timeout_ms)
{
    if (n + 1 > p->cap) {
        size_t cap = (n + 1) * 2;
        scpauth__pollfd *set = realloc(p->set, cap * sizeof(*set));
        if (set == NULL)
            return -1;
        p->set = set;
        p->cap = cap;
    }
    memset(p->set, 0, (n + 1) * sizeof(*p->set));
    p->set[0].fd = p->wake_rd;
    p->set[0].events = POLLIN;
    for (size_t i = 0; i < n; i++) {
        p->set[i + 1].fd = socks[i];
        p->set[i + 1].events = out[i] ? POLLOUT : POLLIN;
    }
#ifdef _WIN32
    int rc = WSAPoll(p->set, (ULONG)(n + 1), timeout_ms);
#else
    int rc = poll(p->set, (nfds_t)(n + 1), timeout_ms);
#endif
    if (rc < 0)
        return scpauth__sock_errno() == SCPAUTH__EINTR ? 0 : -1;
    if (p->set[0].revents != 0) {
        char drain[64];
        while (scpauth__sock_recv(p->wake_rd, drain, sizeof(drain)) > 0) {
        }
    }
    int count = 0;
    for (size_t i = 0; i < n; i++) {
        /* a hang-up or an error is "ready": the read or write tells which */
        ready[i] = p->set[i + 1].revents != 0;
        count += ready[i];
    }
    return count;
}
