/* session_queue.c - a session's queued output: the server's workers send a
 * frame with what the socket takes at once and queue the rest, so that a
 * client that does not read its replies holds no thread; the server's
 * poller sends the rest when the socket takes more (see server_conn.c). */
#include <stdlib.h>
#include <string.h>

#include "compat_socket.h"
#include "error_internal.h"
#include "session_internal.h"
#include "wire_internal.h"

#define QUEUE_FIRST_ALLOC 4096

void scpauth__session_queue_output(scpauth_session *s, size_t max) { s->out_max = max; }

size_t scpauth__session_queued(const scpauth_session *s) { return s->out_len - s->out_off; }

/* Appends n bytes; the caller checked that the queue stays within out_max. */
static int queue_append(scpauth_session *s, const void *p, size_t n, scpauth_error *err)
{
    if (s->out_off > 0) {
        memmove(s->out, s->out + s->out_off, s->out_len - s->out_off);
        s->out_len -= s->out_off;
        s->out_off = 0;
    }
    if (s->out_len + n > s->out_cap) {
        size_t cap = s->out_cap > 0 ? s->out_cap : QUEUE_FIRST_ALLOC;
        while (cap < s->out_len + n)
            cap *= 2;
        if (cap > s->out_max)
            cap = s->out_max; /* >= out_len + n */
        unsigned char *b = realloc(s->out, cap);
        if (b == NULL)
            return scpauth__error_set(err, SCPAUTH_ENOMEM,
                                      "out of memory queueing %zu bytes for %s %s", n,
                                      scpauth__session_other(s), s->peer);
        s->out = b;
        s->out_cap = cap;
    }
    memcpy(s->out + s->out_len, p, n);
    s->out_len += n;
    return SCPAUTH_OK;
}

static int send_failed(const scpauth_session *s, int sys, scpauth_error *err)
{
    char text[128];
    scpauth__sock_strerror(sys, text, sizeof text);
    scpauth__error_set(err, SCPAUTH_EIO, "sending to %s %s failed: %s",
                       scpauth__session_other(s), s->peer, text);
    scpauth__error_native(err, SCPAUTH_NATIVE_ERRNO, (uint32_t)sys, 0);
    return SCPAUTH_EIO;
}

/* Sends what the socket takes of v[0..n) now, never waiting: *sent bytes.
 * A socket error: EIO, err filled. */
static int send_now(const scpauth_session *s, scpauth__iov *v, size_t n, size_t *sent,
                    scpauth_error *err)
{
    *sent = 0;
    long long k = scpauth__sock_sendv(s->sock, v, n);
    if (k >= 0) {
        *sent = (size_t)k;
        return SCPAUTH_OK;
    }
    int sys = scpauth__sock_errno();
    if (sys == SCPAUTH__EAGAIN || sys == SCPAUTH__EINTR)
        return SCPAUTH_OK;
    return send_failed(s, sys, err);
}

int scpauth__session_send_timeout(const scpauth_session *s, int timeout_ms, scpauth_error *err)
{
    scpauth__error_set(err, SCPAUTH_ETIMEDOUT,
                       "sending to %s %s timed out after %d ms (%zu bytes not taken)",
                       scpauth__session_other(s), s->peer, timeout_ms, scpauth__session_queued(s));
    scpauth__error_hint(err, "the peer does not read what it is sent; if it is only slow, raise "
                             "timeout_ms");
    return SCPAUTH_ETIMEDOUT;
}

int scpauth__session_flush(scpauth_session *s, int timeout_ms, scpauth_error *err)
{
    uint64_t deadline = scpauth__deadline(timeout_ms);
    while (scpauth__session_queued(s) > 0) {
        scpauth__iov v;
        SCPAUTH__IOV_SET(v, s->out + s->out_off, scpauth__session_queued(s));
        size_t sent = 0;
        int rc = send_now(s, &v, 1, &sent, err);
        if (rc != SCPAUTH_OK)
            return rc;
        s->out_off += sent;
        if (scpauth__session_queued(s) == 0)
            break;
        if (timeout_ms == 0)
            return SCPAUTH_CONTINUE;
        int w = scpauth__sock_wait(s->sock, POLLOUT, deadline);
        if (w == 0)
            return scpauth__session_send_timeout(s, timeout_ms, err);
        if (w < 0)
            return send_failed(s, scpauth__sock_errno(), err);
    }
    free(s->out); /* most connections never queue: no memory kept while idle */
    s->out = NULL;
    s->out_off = s->out_len = s->out_cap = 0;
    return SCPAUTH_OK;
}

int scpauth__session_send_queued(scpauth_session *s, unsigned flags, const void *body,
                                 size_t len, scpauth_error *err)
{
    scpauth_wire_options opt;
    unsigned char hdr[SCPAUTH_WIRE_MAX_HEADER];
    size_t hsize = 0;
    int rc = scpauth__wire_prepare(&s->wire, flags, body, len, &opt, hdr, &hsize, err);
    if (rc != SCPAUTH_OK)
        return rc;
    size_t total = hsize + len;
    if (scpauth__session_queued(s) + total > s->out_max) {
        /* past the cap: wait for the peer, as a blocking send would */
        rc = scpauth__session_flush(s, opt.timeout_ms > 0 ? opt.timeout_ms : -1, err);
        if (rc != SCPAUTH_OK)
            return rc;
        if (total > s->out_max)
            return scpauth_wire_send(s->sock, &s->wire, flags, body, len, err);
    }
    size_t sent = 0;
    if (scpauth__session_queued(s) == 0) {
        scpauth__iov v[2];
        SCPAUTH__IOV_SET(v[0], hdr, hsize);
        SCPAUTH__IOV_SET(v[1], body, len);
        rc = send_now(s, v, len > 0 ? 2 : 1, &sent, err);
        if (rc != SCPAUTH_OK || sent == total)
            return rc;
    }
    if (sent < hsize) {
        rc = queue_append(s, hdr + sent, hsize - sent, err);
        sent = hsize;
    }
    if (rc == SCPAUTH_OK && len > 0)
        rc = queue_append(s, (const unsigned char *)body + (sent - hsize), total - sent, err);
    return rc;
}
