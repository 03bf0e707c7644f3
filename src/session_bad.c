/* session_bad.c - deliberately bad messages (tampered, replayed, reordered,
 * truncated), so that tests and diagnostics can check a service rejects
 * them and hangs up instead of answering. */
#include <string.h>

#include "compat_socket.h"
#include "error_internal.h"
#include "session_internal.h"

static const char *bad_name(scpauth_session_bad kind)
{
    switch (kind) {
    case SCPAUTH_SESSION_BAD_TAMPER: return "tampered";
    case SCPAUTH_SESSION_BAD_REPLAY: return "replayed";
    case SCPAUTH_SESSION_BAD_REORDER: return "reordered";
    case SCPAUTH_SESSION_BAD_TRUNCATE: return "truncated";
    default: return "bad";
    }
}

/* Half of a frame in one raw write: the header promises all of tok. */
static int send_half_frame(scpauth_session *s, const scpauth_buffer *tok, scpauth_error *err)
{
    unsigned char frame[SCPAUTH_WIRE_MAX_HEADER + 64];
    int h = scpauth_wire_encode_header(
        s->wire.profile, scpauth__session_is_gss(s) ? SCPAUTH__SESSION_DATA_FLAGS : 0, tok->len,
        frame);
    size_t half = tok->len / 2 < 64 ? tok->len / 2 : 64;
    if (h < 0)
        return scpauth__error_set(err, SCPAUTH_EINVAL, "cannot frame %zu bytes", tok->len);
    memcpy(frame + h, tok->data, half);
    scpauth__iov v;
    SCPAUTH__IOV_SET(v, frame, (size_t)h + half);
    if (scpauth__sock_sendv(s->sock, &v, 1) != (long long)((size_t)h + half))
        return scpauth__error_set(err, SCPAUTH_EIO, "cannot send half a frame to %s", s->peer);
    return SCPAUTH_OK;
}

/* After a bad message the service must hang up, not answer. */
static int expect_hangup(scpauth_session *s, scpauth_session_bad kind, scpauth_error *err)
{
    unsigned flags = 0;
    scpauth_buffer body = SCPAUTH_BUFFER_INIT;
    int rc = scpauth_wire_recv(s->sock, &s->wire, &flags, &body, err);
    scpauth_buffer_free(&body);
    if (rc == SCPAUTH_EOF || rc == SCPAUTH_EIO || rc == SCPAUTH_ETRUNCATED)
        return SCPAUTH_OK;
    if (rc != SCPAUTH_OK)
        return rc;
    scpauth__error_set(err, SCPAUTH_EAUTH,
                       "service %s answered a %s message (flags 0x%02x) instead of rejecting it",
                       s->peer, bad_name(kind), flags);
    scpauth__error_hint(err, "the service does not check message integrity, replay or order");
    return SCPAUTH_EAUTH;
}

/* Seals and sends the tampered, reordered or truncated message. */
static int send_bad(scpauth_session *s, scpauth_session_bad kind, const void *msg, size_t len,
                    scpauth_error *err)
{
    scpauth_buffer tok = SCPAUTH_BUFFER_INIT, skipped = SCPAUTH_BUFFER_INIT;
    int rc = SCPAUTH_OK;
    if (kind == SCPAUTH_SESSION_BAD_REORDER) /* sealed, never sent: the next one jumps ahead */
        rc = scpauth_ctx_seal(s->ctx, 1, msg, len, &skipped, err);
    if (rc == SCPAUTH_OK)
        rc = scpauth_ctx_seal(s->ctx, 1, msg, len, &tok, err);
    if (rc == SCPAUTH_OK && kind == SCPAUTH_SESSION_BAD_TAMPER)
        tok.data[tok.len / 2] ^= 0x5a;
    if (rc == SCPAUTH_OK && kind == SCPAUTH_SESSION_BAD_TRUNCATE)
        rc = send_half_frame(s, &tok, err);
    else if (rc == SCPAUTH_OK)
        rc = scpauth__session_send(s, SCPAUTH__SESSION_DATA_FLAGS, tok.data, tok.len, err);
    scpauth_buffer_free(&tok);
    scpauth_buffer_free(&skipped);
    return rc;
}

int scpauth_session_call_bad(scpauth_session *s, scpauth_session_bad kind, const void *msg,
                             size_t len, scpauth_error *err)
{
    int rc;
    if (kind < SCPAUTH_SESSION_BAD_TAMPER || kind > SCPAUTH_SESSION_BAD_TRUNCATE)
        return scpauth__error_set(err, SCPAUTH_EINVAL, "unknown bad-message kind %d", (int)kind);
    if (kind == SCPAUTH_SESSION_BAD_REPLAY) {
        if (s->last.len == 0)
            return scpauth__error_set(err, SCPAUTH_EINVAL,
                                      "a replay needs one good message first (--count >= 1)");
        rc = scpauth__session_send(s, SCPAUTH__SESSION_DATA_FLAGS, s->last.data, s->last.len,
                                   err);
    } else {
        rc = send_bad(s, kind, msg, len, err);
    }
    if (rc != SCPAUTH_OK || kind == SCPAUTH_SESSION_BAD_TRUNCATE)
        return rc; /* a truncated frame ends when the caller closes */
    return expect_hangup(s, kind, err);
}
