/* wire_io.c - blocking send and receive of one frame, with a deadline per
 * call. We wait in poll, never inside send/recv, so the timeout holds on a
 * blocking socket too (see scpauth__sock_sendv / scpauth__sock_recv). */
#include "compat_socket.h"
#include "wire_internal.h"

#include "error_internal.h"

enum io_result { IO_OK, IO_EOF, IO_TIMEOUT, IO_ERROR };

/* Waits for events on s; *sys gets the socket error on IO_ERROR. */
static enum io_result io_wait(scpauth_socket s, short events, uint64_t deadline, int *sys)
{
    int w = scpauth__sock_wait(s, events, deadline);
    if (w < 0)
        *sys = scpauth__sock_errno();
    return w > 0 ? IO_OK : w == 0 ? IO_TIMEOUT : IO_ERROR;
}

/* Reads exactly want bytes; *got says how many arrived (also on failure). */
static enum io_result recv_exact(scpauth_socket s, unsigned char *buf, size_t want,
                                 uint64_t deadline, size_t *got, int *sys)
{
    *got = 0;
    while (*got < want) {
        enum io_result w = io_wait(s, POLLIN, deadline, sys);
        if (w != IO_OK)
            return w;
        long long n = scpauth__sock_recv(s, buf + *got, want - *got);
        if (n == 0)
            return IO_EOF;
        if (n < 0) {
            *sys = scpauth__sock_errno();
            if (*sys == SCPAUTH__EINTR || *sys == SCPAUTH__EAGAIN)
                continue;
            return IO_ERROR;
        }
        *got += (size_t)n;
    }
    return IO_OK;
}

/* Sends every byte of v[0..n) with as few calls as the socket allows: the
 * header and body go in one gathered write, never as two. */
static enum io_result send_all(scpauth_socket s, scpauth__iov *v, size_t n, uint64_t deadline,
                               size_t *sent, int *sys)
{
    *sent = 0;
    while (n > 0) {
        enum io_result w = io_wait(s, POLLOUT, deadline, sys);
        if (w != IO_OK)
            return w;
        long long k = scpauth__sock_sendv(s, v, n);
        if (k < 0) {
            *sys = scpauth__sock_errno();
            if (*sys == SCPAUTH__EINTR || *sys == SCPAUTH__EAGAIN)
                continue;
            return IO_ERROR;
        }
        *sent += (size_t)k;
        /* short write: drop what went out, resume mid-buffer */
        size_t left = (size_t)k;
        while (n > 0 && left >= SCPAUTH__IOV_LEN(v[0])) {
            left -= SCPAUTH__IOV_LEN(v[0]);
            v++;
            n--;
        }
        if (n > 0)
            SCPAUTH__IOV_SET(v[0], SCPAUTH__IOV_BASE(v[0]) + left, SCPAUTH__IOV_LEN(v[0]) - left);
    }
    return IO_OK;
}

/* Fills err for EOF mid-frame, a timeout or a socket error; what says "sending a 12-byte
 * frame to" or "receiving a frame from". */
static int io_error(scpauth_error *err, enum io_result r, int sys, scpauth_socket s,
                    const scpauth_wire_options *o, const char *what, size_t done, size_t total)
{
    char peer[SCPAUTH__ADDR_MAX];
    scpauth__net_peer_name(s, peer, sizeof peer);
    if (r == IO_EOF)
        return scpauth__wire_truncated_error(err, peer, done, total);
    if (r == IO_TIMEOUT) {
        scpauth__error_set(err, SCPAUTH_ETIMEDOUT, "%s %s timed out after %d ms (%zu of %zu bytes)",
                           what, peer, o->timeout_ms, done, total);
        scpauth__error_hint(err, "the peer is slow or waits for us; check that both sides use "
                                 "the same wire profile, or raise timeout_ms");
        return SCPAUTH_ETIMEDOUT;
    }
    char text[128];
    scpauth__sock_strerror(sys, text, sizeof text);
    scpauth__error_set(err, SCPAUTH_EIO, "%s %s failed: %s", what, peer, text);
    scpauth__error_native(err, SCPAUTH_NATIVE_ERRNO, (uint32_t)sys, 0);
    return SCPAUTH_EIO;
}

int scpauth__wire_prepare(const scpauth_wire_options *o, unsigned flags, const void *body,
                          size_t len, scpauth_wire_options *opt, unsigned char *hdr,
                          size_t *hsize, scpauth_error *err)
{
    int rc = scpauth__wire_resolve(o, opt, err);
    if (rc != SCPAUTH_OK)
        return rc;
    if (body == NULL && len > 0)
        return scpauth__error_set(err, SCPAUTH_EINVAL,
                                  "wire send: invalid socket or NULL body of %zu bytes", len);
    if ((uint64_t)len > (uint64_t)opt->max_frame || (uint64_t)len > UINT32_MAX)
        return scpauth__error_set(err, SCPAUTH_ETOOBIG,
                                  "frame of %zu bytes exceeds the limit of %zu bytes; not sent",
                                  len, opt->max_frame);
    if (len == 0 &&
        !(opt->profile == SCPAUTH_WIRE_GSS_SAMPLE && (flags & SCPAUTH_WIRE_TOKEN_NOOP)))
        return scpauth__error_set(err, SCPAUTH_EZEROLEN,
                                  "refusing to send a zero-length frame (the peer would reject "
                                  "it; only a gss-sample NOOP frame may be empty)");
    *hsize = (size_t)scpauth_wire_encode_header(opt->profile, flags, len, hdr);
    return SCPAUTH_OK;
}

int scpauth_wire_send(scpauth_socket s, const scpauth_wire_options *o, unsigned flags,
                      const void *body, size_t len, scpauth_error *err)
{
    scpauth_wire_options opt;
    unsigned char hdr[SCPAUTH_WIRE_MAX_HEADER];
    size_t hsize = 0;
    if (!scpauth__sock_valid(s))
        return scpauth__error_set(err, SCPAUTH_EINVAL,
                                  "wire send: invalid socket or NULL body of %zu bytes", len);
    int rc = scpauth__wire_prepare(o, flags, body, len, &opt, hdr, &hsize, err);
    if (rc != SCPAUTH_OK)
        return rc;
    scpauth__iov v[2];
    SCPAUTH__IOV_SET(v[0], hdr, hsize);
    SCPAUTH__IOV_SET(v[1], body, len);
    size_t sent = 0;
    int sys = 0;
    enum io_result r = send_all(s, v, len > 0 ? 2 : 1, scpauth__deadline(opt.timeout_ms), &sent,
                                &sys);
    if (r == IO_OK)
        return SCPAUTH_OK;
    char what[64];
    snprintf(what, sizeof what, "sending a %zu-byte frame to", len);
    return io_error(err, r, sys, s, &opt, what, sent, hsize + len);
}

int scpauth_wire_recv(scpauth_socket s, const scpauth_wire_options *o, unsigned *flags,
                      scpauth_buffer *body, scpauth_error *err)
{
    scpauth_buffer empty = SCPAUTH_BUFFER_INIT;
    if (flags != NULL)
        *flags = 0;
    if (body == NULL || !scpauth__sock_valid(s))
        return scpauth__error_set(err, SCPAUTH_EINVAL, "wire receive: invalid socket or NULL body");
    *body = empty;
    scpauth_wire_options opt;
    int rc = scpauth__wire_resolve(o, &opt, err);
    if (rc != SCPAUTH_OK)
        return rc;

    const char *what = "receiving a frame from";
    uint64_t deadline = scpauth__deadline(opt.timeout_ms);
    unsigned char hdr[SCPAUTH_WIRE_MAX_HEADER];
    size_t hsize = scpauth_wire_header_size(opt.profile);
    size_t got = 0;
    int sys = 0;
    char peer[SCPAUTH__ADDR_MAX];
    enum io_result r = recv_exact(s, hdr, hsize, deadline, &got, &sys);
    if (r == IO_EOF && got == 0) { /* closed at a frame boundary */
        scpauth__net_peer_name(s, peer, sizeof peer);
        return scpauth__error_set(err, SCPAUTH_EOF, "connection closed by %s", peer);
    }
    if (r != IO_OK)
        return io_error(err, r, sys, s, &opt, what, got, hsize);

    unsigned f;
    size_t len;
    rc = scpauth__wire_parse_header(&opt, hdr, &f, &len);
    if (rc != SCPAUTH_OK) {
        scpauth__net_peer_name(s, peer, sizeof peer);
        return scpauth__wire_header_error(err, rc, &opt, f, len, peer);
    }
    if (len > 0) {
        rc = scpauth__buffer_alloc(body, len, err); /* len is within max_frame */
        if (rc != SCPAUTH_OK)
            return rc;
        r = recv_exact(s, body->data, len, deadline, &got, &sys);
        if (r != IO_OK) {
            scpauth_buffer_free(body);
            return io_error(err, r, sys, s, &opt, what, hsize + got, hsize + len);
        }
    }
    if (flags != NULL)
        *flags = f;
    return SCPAUTH_OK;
}
