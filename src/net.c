/* net.c - connect, listen, accept: the few socket helpers a client and a
 * service need, with errors that name host:port. */
#include <stdlib.h>

#include "compat_socket.h"
#include "scpauth/net.h"
#include "wire_internal.h"

#include "error_internal.h"

#ifdef _WIN32
static INIT_ONCE wsa_once = INIT_ONCE_STATIC_INIT;
static int wsa_status = -1;

static BOOL CALLBACK wsa_start(PINIT_ONCE once, PVOID param, PVOID *ctx)
{
    (void)once;
    (void)param;
    (void)ctx;
    WSADATA data;
    wsa_status = WSAStartup(MAKEWORD(2, 2), &data);
    return TRUE;
}

int scpauth_net_init(scpauth_error *err)
{
    InitOnceExecuteOnce(&wsa_once, wsa_start, NULL, NULL);
    if (wsa_status == 0)
        return SCPAUTH_OK;
    scpauth__error_set(err, SCPAUTH_EIO, "WSAStartup (Winsock 2.2) failed with error %d",
                       wsa_status);
    scpauth__error_native(err, SCPAUTH_NATIVE_ERRNO, (uint32_t)wsa_status, 0);
    return SCPAUTH_EIO;
}
#else
int scpauth_net_init(scpauth_error *err)
{
    (void)err; /* sockets need no start; SIGPIPE is avoided per send (MSG_NOSIGNAL) */
    return SCPAUTH_OK;
}
#endif

/* "host:port", or "[host]:port" for an IPv6 literal. */
static void host_port(char *buf, size_t size, const char *host, unsigned port)
{
    if (host == NULL)
        snprintf(buf, size, "*:%u", port);
    else if (strchr(host, ':') != NULL)
        snprintf(buf, size, "[%s]:%u", host, port);
    else
        snprintf(buf, size, "%s:%u", host, port);
}

/* Numeric "addr:port" of a socket address; an IPv4-mapped IPv6 address is
 * shown as the IPv4 address it carries. */
static void addr_name(const struct sockaddr *sa, scpauth__socklen len, char *buf, size_t size)
{
    struct sockaddr_in v4;
    if (sa->sa_family == AF_INET6) {
        const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)sa;
        if (IN6_IS_ADDR_V4MAPPED(&s6->sin6_addr)) {
            memset(&v4, 0, sizeof v4);
            v4.sin_family = AF_INET;
            v4.sin_port = s6->sin6_port;
            memcpy(&v4.sin_addr, (const unsigned char *)&s6->sin6_addr + 12, 4);
            sa = (const struct sockaddr *)&v4;
            len = (scpauth__socklen)sizeof v4;
        }
    }
    char host[NI_MAXHOST], serv[NI_MAXSERV];
    if (getnameinfo(sa, len, host, sizeof host, serv, sizeof serv,
                    NI_NUMERICHOST | NI_NUMERICSERV) != 0) {
        snprintf(buf, size, "peer");
        return;
    }
    unsigned port = (unsigned)strtoul(serv, NULL, 10);
    host_port(buf, size, host, port);
}

void scpauth__net_peer_name(scpauth_socket s, char *buf, size_t size)
{
    struct sockaddr_storage ss;
    scpauth__socklen len = (scpauth__socklen)sizeof ss;
    if (getpeername(s, (struct sockaddr *)&ss, &len) != 0) {
        snprintf(buf, size, "peer");
        return;
    }
    addr_name((const struct sockaddr *)&ss, len, buf, size);
}

unsigned scpauth_net_local_port(scpauth_socket s)
{
    struct sockaddr_storage ss;
    scpauth__socklen len = (scpauth__socklen)sizeof ss;
    if (!scpauth__sock_valid(s) || getsockname(s, (struct sockaddr *)&ss, &len) != 0)
        return 0;
    if (ss.ss_family == AF_INET)
        return ntohs(((const struct sockaddr_in *)&ss)->sin_port);
    if (ss.ss_family == AF_INET6)
        return ntohs(((const struct sockaddr_in6 *)&ss)->sin6_port);
    return 0;
}

void scpauth_net_close(scpauth_socket s)
{
    if (scpauth__sock_valid(s))
        scpauth__sock_close(s);
}

static int set_nodelay(scpauth_socket s)
{
    int on = 1;
    return setsockopt(s, IPPROTO_TCP, TCP_NODELAY, (const char *)&on, sizeof on);
}

/* Fills err with a socket error about hp; returns code. */
static int sys_error(scpauth_error *err, int code, int sys, const char *what, const char *hp)
{
    char text[128];
    scpauth__sock_strerror(sys, text, sizeof text);
    scpauth__error_set(err, code, "%s %s: %s", what, hp, text);
    scpauth__error_native(err, SCPAUTH_NATIVE_ERRNO, (uint32_t)sys, 0);
    return code;
}

/* Resolves host:port (host NULL: all local addresses) and writes its
 * "host:port" text into hp for messages. */
static int resolve(const char *host, unsigned port, int passive, struct addrinfo **res,
                   char *hp, size_t hp_size, scpauth_error *err)
{
    host_port(hp, hp_size, host, port);
    if (port > 65535)
        return scpauth__error_set(err, SCPAUTH_EINVAL, "port %u of %s is out of range", port,
                                  hp);
    int rc = scpauth_net_init(err);
    if (rc != SCPAUTH_OK)
        return rc;
    char serv[8];
    snprintf(serv, sizeof serv, "%u", port);
    struct addrinfo hints;
    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_NUMERICSERV | (passive ? AI_PASSIVE : 0);
    rc = getaddrinfo(host, serv, &hints, res);
    if (rc == 0)
        return SCPAUTH_OK;
    char text[128];
    scpauth__gai_strerror(rc, text, sizeof text);
    scpauth__error_set(err, SCPAUTH_ERESOLVE, "cannot resolve %s: %s", hp, text);
    scpauth__error_native(err, SCPAUTH_NATIVE_DNS, (uint32_t)rc, 0);
    scpauth__error_hint(err, "check the host name and the DNS configuration");
    return SCPAUTH_ERESOLVE;
}

/* One non-blocking connect attempt; 0 connected, else the socket error
 * (SCPAUTH__ETIMEDOUT when the deadline passed). */
static int connect_one(const struct addrinfo *a, uint64_t deadline, scpauth_socket *out)
{
    scpauth_socket s = socket(a->ai_family, a->ai_socktype, a->ai_protocol);
    if (!scpauth__sock_valid(s))
        return scpauth__sock_errno();
    scpauth__sock_noinherit(s);
    int e = 0;
    if (scpauth__sock_set_nonblock(s, 1) != 0) {
        e = scpauth__sock_errno();
    } else if (connect(s, a->ai_addr, (scpauth__socklen)a->ai_addrlen) != 0) {
        e = scpauth__sock_errno();
        if (e == SCPAUTH__EINPROGRESS || e == SCPAUTH__EINTR) {
            int w;
            while ((w = scpauth__sock_wait_connect(s, scpauth__ms_left(deadline))) < 0 &&
                   scpauth__sock_errno() == SCPAUTH__EINTR) {
            }
            scpauth__socklen len = (scpauth__socklen)sizeof e;
            if (w == 0)
                e = SCPAUTH__ETIMEDOUT;
            else if (w < 0)
                e = scpauth__sock_errno();
            else if (getsockopt(s, SOL_SOCKET, SO_ERROR, (char *)&e, &len) != 0)
                e = scpauth__sock_errno();
        }
    }
    if (e == 0 && scpauth__sock_set_nonblock(s, 0) == 0 && set_nodelay(s) == 0) {
        *out = s;
        return 0;
    }
    if (e == 0)
        e = scpauth__sock_errno();
    scpauth__sock_close(s);
    return e;
}

int scpauth_net_connect(const char *host, unsigned port, int timeout_ms, scpauth_socket *out,
                        scpauth_error *err)
{
    if (out != NULL)
        *out = SCPAUTH_INVALID_SOCKET;
    if (host == NULL || out == NULL)
        return scpauth__error_set(err, SCPAUTH_EINVAL, "connect: NULL host or output socket");
    char hp[SCPAUTH__ADDR_MAX + 256];
    struct addrinfo *res = NULL;
    int rc = resolve(host, port, 0, &res, hp, sizeof hp, err);
    if (rc != SCPAUTH_OK)
        return rc;

    uint64_t deadline = scpauth__deadline(timeout_ms);
    int e = SCPAUTH__ECONNREFUSED;
    for (const struct addrinfo *a = res; a != NULL; a = a->ai_next) {
        e = connect_one(a, deadline, out);
        if (e == 0 || scpauth__ms_left(deadline) == 0)
            break;
    }
    freeaddrinfo(res);
    if (e == 0)
        return SCPAUTH_OK;
    if (e == SCPAUTH__ETIMEDOUT) {
        if (timeout_ms > 0)
            scpauth__error_set(err, SCPAUTH_ETIMEDOUT, "connecting to %s timed out after %d ms",
                               hp, timeout_ms);
        else
            sys_error(err, SCPAUTH_ETIMEDOUT, e, "cannot connect to", hp);
        scpauth__error_hint(err, "check that the host is up and no firewall drops the port");
        return SCPAUTH_ETIMEDOUT;
    }
    if (e == SCPAUTH__ECONNREFUSED) {
        sys_error(err, SCPAUTH_ECONNREFUSED, e, "cannot connect to", hp);
        scpauth__error_hint(err, "is the service running and listening on port %u?", port);
        return SCPAUTH_ECONNREFUSED;
    }
    return sys_error(err, SCPAUTH_EIO, e, "cannot connect to", hp);
}

/* Binds and listens on one address; 0 or the socket error. */
static int listen_one(const struct addrinfo *a, int backlog, int dual_stack, scpauth_socket *out)
{
    scpauth_socket s = socket(a->ai_family, a->ai_socktype, a->ai_protocol);
    if (!scpauth__sock_valid(s))
        return scpauth__sock_errno();
    scpauth__sock_noinherit(s);
    if (dual_stack) { /* "all addresses": IPv4 clients too, on the same port */
        int off = 0;
        (void)setsockopt(s, IPPROTO_IPV6, IPV6_V6ONLY, (const char *)&off, sizeof off);
    }
    /* non-blocking, so that accept after poll cannot hang if the client left */
    if (scpauth__sock_reuse_addr(s) == 0 &&
        bind(s, a->ai_addr, (scpauth__socklen)a->ai_addrlen) == 0 &&
        listen(s, backlog > 0 ? backlog : SOMAXCONN) == 0 && scpauth__sock_set_nonblock(s, 1) == 0) {
        *out = s;
        return 0;
    }
    int e = scpauth__sock_errno();
    scpauth__sock_close(s);
    return e;
}

int scpauth_net_listen(const char *bind_addr, unsigned port, int backlog, scpauth_socket *out,
                       scpauth_error *err)
{
    if (out == NULL)
        return scpauth__error_set(err, SCPAUTH_EINVAL, "listen: NULL output socket");
    *out = SCPAUTH_INVALID_SOCKET;
    char hp[SCPAUTH__ADDR_MAX + 256];
    struct addrinfo *res = NULL;
    int rc = resolve(bind_addr, port, 1, &res, hp, sizeof hp, err);
    if (rc != SCPAUTH_OK)
        return rc;

    /* IPv6 first: for "all addresses" one dual-stack socket serves both */
    int e = SCPAUTH__EADDRINUSE;
    for (int pass = 0; pass < 2; pass++) {
        for (const struct addrinfo *a = res; a != NULL; a = a->ai_next) {
            if ((a->ai_family == AF_INET6) != (pass == 0))
                continue;
            e = listen_one(a, backlog, bind_addr == NULL && a->ai_family == AF_INET6, out);
            if (e == 0)
                goto done;
        }
    }
done:
    freeaddrinfo(res);
    if (e == 0)
        return SCPAUTH_OK;
    sys_error(err, SCPAUTH_EIO, e, "cannot listen on", hp);
    if (e == SCPAUTH__EADDRINUSE)
        scpauth__error_hint(err, "another process uses port %u; stop it or choose another port",
                            port);
    return SCPAUTH_EIO;
}

int scpauth_net_accept(scpauth_socket listener, int timeout_ms, scpauth_socket *out, char *peer,
                       size_t peer_size, scpauth_error *err)
{
    if (out == NULL || !scpauth__sock_valid(listener))
        return scpauth__error_set(err, SCPAUTH_EINVAL,
                                  "accept: invalid listening socket or NULL output socket");
    *out = SCPAUTH_INVALID_SOCKET;
    if (peer != NULL && peer_size > 0)
        peer[0] = '\0';
    char where[32];
    snprintf(where, sizeof where, "port %u", scpauth_net_local_port(listener));
    uint64_t deadline = scpauth__deadline(timeout_ms);
    for (;;) {
        int w = scpauth__sock_wait(listener, POLLIN, deadline);
        if (w == 0)
            return scpauth__error_set(err, SCPAUTH_ETIMEDOUT,
                                      "no connection on %s within %d ms", where, timeout_ms);
        if (w < 0)
            return sys_error(err, SCPAUTH_EIO, scpauth__sock_errno(),
                             "waiting for a connection on", where);

        struct sockaddr_storage ss;
        scpauth__socklen len = (scpauth__socklen)sizeof ss;
        scpauth_socket s = accept(listener, (struct sockaddr *)&ss, &len);
        if (!scpauth__sock_valid(s)) {
            int e = scpauth__sock_errno();
            if (e == SCPAUTH__EINTR || e == SCPAUTH__EAGAIN || e == SCPAUTH__ECONNABORTED)
                continue; /* the client gave up between poll and accept */
            return sys_error(err, SCPAUTH_EIO, e, "cannot accept a connection on", where);
        }
        scpauth__sock_noinherit(s);
        /* some systems hand down the listener's O_NONBLOCK */
        if (scpauth__sock_set_nonblock(s, 0) != 0 || set_nodelay(s) != 0) {
            int e = scpauth__sock_errno();
            scpauth__sock_close(s);
            return sys_error(err, SCPAUTH_EIO, e, "cannot set up a connection accepted on",
                             where);
        }
        if (peer != NULL && peer_size > 0)
            addr_name((const struct sockaddr *)&ss, len, peer, peer_size);
        *out = s;
        return SCPAUTH_OK;
    }
}
