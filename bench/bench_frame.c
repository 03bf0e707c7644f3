/* bench_frame.c - gss-sample frames (1 flag byte, 4-byte big-endian length)
 * over plain blocking sockets: the transport of the raw-GSSAPI peers. The
 * header and the body leave in one sendmsg, with TCP_NODELAY, as scpauth's
 * wire layer does, so the comparison is about authentication, not Nagle. */
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include "bench.h"

#define FRAME_MAX ((size_t)1 << 21)

int bench_frame_send(int fd, unsigned flags, const void *body, size_t len)
{
    unsigned char hdr[5] = {(unsigned char)flags, (unsigned char)(len >> 24),
                            (unsigned char)(len >> 16), (unsigned char)(len >> 8),
                            (unsigned char)len};
    struct iovec iov[2] = {{hdr, sizeof(hdr)}, {(void *)body, len}};
    int n = len ? 2 : 1;
    size_t want = sizeof(hdr) + len;
    while (want > 0) {
        struct msghdr mh = {.msg_iov = iov, .msg_iovlen = (size_t)n};
        /* a peer that hung up is an error here, not SIGPIPE */
        ssize_t w = sendmsg(fd, &mh, MSG_NOSIGNAL);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        want -= (size_t)w;
        /* skip what went out */
        for (int i = 0; i < n && w > 0; i++) {
            size_t take = (size_t)w < iov[i].iov_len ? (size_t)w : iov[i].iov_len;
            iov[i].iov_base = (char *)iov[i].iov_base + take;
            iov[i].iov_len -= take;
            w -= (ssize_t)take;
        }
    }
    return 0;
}

static int read_full(int fd, void *buf, size_t len)
{
    unsigned char *p = buf;
    while (len > 0) {
        ssize_t r = read(fd, p, len);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return -1;
        p += r;
        len -= (size_t)r;
    }
    return 0;
}

int bench_frame_recv(int fd, unsigned *flags, unsigned char **body, size_t *len)
{
    unsigned char hdr[5];
    *body = NULL;
    *len = 0;
    if (read_full(fd, hdr, sizeof(hdr)) != 0)
        return -1;
    size_t n = (size_t)hdr[1] << 24 | (size_t)hdr[2] << 16 | (size_t)hdr[3] << 8 | hdr[4];
    *flags = hdr[0];
    if (n > FRAME_MAX)
        return -1;
    if (n == 0)
        return 0;
    *body = malloc(n);
    if (*body == NULL || read_full(fd, *body, n) != 0) {
        free(*body);
        *body = NULL;
        return -1;
    }
    *len = n;
    return 0;
}

int bench_tcp_connect(const char *host, unsigned port)
{
    struct addrinfo hints = {.ai_socktype = SOCK_STREAM}, *res = NULL;
    char ps[16];
    snprintf(ps, sizeof(ps), "%u", port);
    if (getaddrinfo(host, ps, &hints, &res) != 0)
        return -1;
    int fd = -1;
    for (struct addrinfo *a = res; a != NULL && fd < 0; a = a->ai_next) {
        fd = socket(a->ai_family, a->ai_socktype, a->ai_protocol);
        if (fd >= 0 && connect(fd, a->ai_addr, a->ai_addrlen) != 0) {
            close(fd);
            fd = -1;
        }
    }
    freeaddrinfo(res);
    if (fd >= 0) {
        int on = 1;
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof(on));
    }
    return fd;
}
