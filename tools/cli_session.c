/* cli_session.c - the per-connection protocol shared by `scpauth listen`
 * and `scpauth connect` (see cli_session.h for both profiles' flows). */
#include <string.h>

#include "cli_session.h"
#include "compat_socket.h"
#include "error_internal.h"

#define GSS_DATA_FLAGS                                                         \
    (SCPAUTH_WIRE_TOKEN_DATA | SCPAUTH_WIRE_TOKEN_WRAPPED |                    \
     SCPAUTH_WIRE_TOKEN_ENCRYPTED | SCPAUTH_WIRE_TOKEN_SEND_MIC)

static int is_gss(const cli_session *s)
{
    return s->wire.profile == SCPAUTH_WIRE_GSS_SAMPLE;
}

static const char *other_side(const cli_session *s)
{
    return s->role == SCPAUTH_ROLE_SERVICE ? "client" : "service";
}

void cli_session_init(cli_session *s, scpauth_socket sock, scpauth_role role, scpauth_ctx *ctx,
                      const scpauth_wire_options *wire)
{
    memset(s, 0, sizeof(*s));
    s->sock = sock;
    s->role = role;
    s->ctx = ctx;
    s->wire = *wire;
    if (s->wire.profile == 0)
        s->wire.profile = SCPAUTH_WIRE_SSPI_SAMPLE;
    snprintf(s->peer, sizeof(s->peer), "(unknown peer)");
}

void cli_session_clear(cli_session *s)
{
    scpauth_buffer_free(&s->last);
    scpauth_buffer_free(&s->pending);
}

static int send_frame(cli_session *s, unsigned flags, const void *body, size_t len,
                      scpauth_error *err)
{
    return scpauth_wire_send(s->sock, &s->wire, is_gss(s) ? flags : 0, body, len, err);
}

/* Receives a frame; a close at a frame boundary becomes an error that says
 * what we were waiting for. */
static int recv_frame(cli_session *s, const scpauth_wire_options *o, unsigned *flags,
                      scpauth_buffer *body, const char *waiting_for, scpauth_error *err)
{
    int rc = scpauth_wire_recv(s->sock, o, flags, body, err);
    if (waiting_for == NULL || (rc != SCPAUTH_EOF && rc != SCPAUTH_EIO))
        return rc;
    if (rc == SCPAUTH_EOF)
        scpauth__error_set(err, SCPAUTH_EOF, "%s %s closed the connection while we waited for %s",
                           other_side(s), s->peer, waiting_for);
    else /* a reset: the peer closed with our data unread */
        scpauth__error_prefix(err, "%s %s, while we waited for %s", other_side(s), s->peer,
                              waiting_for);
    if (s->role == SCPAUTH_ROLE_CLIENT)
        scpauth__error_hint(err, "the service hung up: it probably refused us (its log says why)");
    else
        scpauth__error_hint(err, "the client gave up or failed on its side");
    return rc;
}

/* The next handshake token, within both the frame timeout and what is left
 * of the handshake budget. */
static int recv_token(cli_session *s, double t0, scpauth_buffer *in, scpauth_error *err)
{
    scpauth_wire_options o = s->wire;
    if (s->handshake_budget_ms > 0) {
        double left = s->handshake_budget_ms - (cli_now_ms() - t0);
        if (left <= 0) {
            scpauth__error_set(err, SCPAUTH_ETIMEDOUT,
                               "handshake with %s %s did not complete within %d ms",
                               other_side(s), s->peer, s->handshake_budget_ms);
            return SCPAUTH_ETIMEDOUT;
        }
        if (o.timeout_ms <= 0 || left < o.timeout_ms)
            o.timeout_ms = (int)left + 1;
    }
    unsigned flags = 0;
    int rc = recv_frame(s, &o, &flags, in, "a handshake token", err);
    if (rc == SCPAUTH_OK && is_gss(s) && !(flags & SCPAUTH_WIRE_TOKEN_CONTEXT)) {
        scpauth_buffer_free(in);
        scpauth__error_set(err, SCPAUTH_EPROTO,
                           "%s %s sent a frame with flags 0x%02x during the handshake, not a "
                           "context token (0x02)",
                           other_side(s), s->peer, flags);
        scpauth__error_hint(err, "is the peer speaking the gss-sample protocol?");
        return SCPAUTH_EPROTO;
    }
    return rc;
}

/* Service, gss-sample: the client opens with an empty NOOP|CONTEXT_NEXT. */
static int expect_opening(cli_session *s, scpauth_error *err)
{
    scpauth_wire_options o = s->wire;
    if (s->handshake_budget_ms > 0 && (o.timeout_ms <= 0 || s->handshake_budget_ms < o.timeout_ms))
        o.timeout_ms = s->handshake_budget_ms;
    unsigned flags = 0;
    scpauth_buffer body = SCPAUTH_BUFFER_INIT;
    int rc = recv_frame(s, &o, &flags, &body, "its opening NOOP token", err);
    scpauth_buffer_free(&body);
    if (rc != SCPAUTH_OK)
        return rc;
    if (!(flags & SCPAUTH_WIRE_TOKEN_NOOP)) {
        scpauth__error_set(err, SCPAUTH_EPROTO,
                           "client %s opened with flags 0x%02x, not the gss-sample NOOP|"
                           "CONTEXT_NEXT token (0x11)",
                           s->peer, flags);
        scpauth__error_hint(err, "the client speaks another protocol or the sspi-sample profile");
        return SCPAUTH_EPROTO;
    }
    if (!(flags & SCPAUTH_WIRE_TOKEN_CONTEXT_NEXT)) {
        scpauth__error_set(err, SCPAUTH_EAUTH,
                           "client %s asked for an unauthenticated session; this service "
                           "requires Kerberos authentication",
                           s->peer);
        scpauth__error_hint(err, "run the client with authentication (gss-client without -na)");
        return SCPAUTH_EAUTH;
    }
    return SCPAUTH_OK;
}

int cli_session_first_step(cli_session *s, scpauth_error *err)
{
    double a = cli_now_ms();
    int rc = scpauth_ctx_step(s->ctx, NULL, 0, &s->pending, err);
    s->step_ms[s->steps++] = cli_now_ms() - a;
    s->handshake_ms = s->step_ms[0];
    s->pending_rc = rc;
    return rc < 0 ? rc : SCPAUTH_OK;
}

/* One handshake step on the peer's token `in` (consumed); *out gets the
 * token to send. Returns what scpauth_ctx_step returned. */
static int take_step(cli_session *s, scpauth_buffer *in, scpauth_buffer *out, scpauth_error *err)
{
    if (s->steps == CLI_SESSION_MAX_STEPS) {
        scpauth_buffer_free(in);
        return scpauth__error_set(err, SCPAUTH_EPROTO,
                                  "handshake with %s %s not finished after %d tokens",
                                  other_side(s), s->peer, CLI_SESSION_MAX_STEPS);
    }
    unsigned i = s->steps++;
    double a = cli_now_ms();
    int step = scpauth_ctx_step(s->ctx, in->data, in->len, out, err);
    s->step_ms[i] = cli_now_ms() - a;
    scpauth_buffer_free(in);
    return step;
}

int cli_session_handshake(cli_session *s, scpauth_error *err)
{
    double t0 = cli_now_ms();
    scpauth_buffer in = SCPAUTH_BUFFER_INIT, out = SCPAUTH_BUFFER_INIT;
    int rc = SCPAUTH_OK, step = SCPAUTH_CONTINUE;
    if (is_gss(s))
        rc = s->role == SCPAUTH_ROLE_CLIENT
                 ? send_frame(s, SCPAUTH_WIRE_TOKEN_NOOP | SCPAUTH_WIRE_TOKEN_CONTEXT_NEXT, NULL, 0,
                              err)
                 : expect_opening(s, err);
    if (s->role == SCPAUTH_ROLE_CLIENT && s->steps == 1) { /* first step taken before connecting */
        out = s->pending;
        memset(&s->pending, 0, sizeof(s->pending));
        step = s->pending_rc;
        t0 -= s->step_ms[0];
    } else if (rc == SCPAUTH_OK) {
        if (s->role == SCPAUTH_ROLE_SERVICE)
            rc = recv_token(s, t0, &in, err);
        if (rc == SCPAUTH_OK)
            step = take_step(s, &in, &out, err);
    }
    while (rc == SCPAUTH_OK && step >= 0) {
        if (out.len > 0)
            rc = send_frame(s, SCPAUTH_WIRE_TOKEN_CONTEXT, out.data, out.len, err);
        scpauth_buffer_free(&out);
        if (rc != SCPAUTH_OK || step == SCPAUTH_OK)
            break; /* failed, or established (and checked by the library) */
        double a = cli_now_ms();
        rc = recv_token(s, t0, &in, err);
        s->wait_ms[s->steps - 1] = cli_now_ms() - a;
        if (rc == SCPAUTH_OK)
            step = take_step(s, &in, &out, err);
    }
    if (rc == SCPAUTH_OK && step < 0)
        rc = step;
    scpauth_buffer_free(&in);
    scpauth_buffer_free(&out);
    s->handshake_ms = cli_now_ms() - t0;
    return rc;
}

/* Service: unseals one message and answers it the profile's way. */
static int serve_one(cli_session *s, unsigned flags, const scpauth_buffer *in, scpauth_error *err)
{
    if (is_gss(s) && !(flags & SCPAUTH_WIRE_TOKEN_WRAPPED)) {
        scpauth__error_set(err, SCPAUTH_ENOTSEALED,
                           "client %s sent message %u in the clear (flags 0x%02x); this service "
                           "accepts sealed messages only",
                           s->peer, s->messages + 1, flags);
        scpauth__error_hint(err, "the client must seal (wrap) its messages");
        return SCPAUTH_ENOTSEALED;
    }
    scpauth_buffer plain = SCPAUTH_BUFFER_INIT, reply = SCPAUTH_BUFFER_INIT;
    int rc = scpauth_ctx_unseal(s->ctx, 1, in->data, in->len, &plain, NULL, err);
    if (rc != SCPAUTH_OK) {
        scpauth__error_prefix(err, "message %u from client %s", s->messages + 1, s->peer);
        return rc;
    }
    if (!is_gss(s)) {
        rc = scpauth_ctx_seal(s->ctx, 1, plain.data, plain.len, &reply, err);
        if (rc == SCPAUTH_OK)
            rc = send_frame(s, 0, reply.data, reply.len, err);
        scpauth_buffer_free(&reply);
    }
    if (rc == SCPAUTH_OK && (!is_gss(s) || (flags & SCPAUTH_WIRE_TOKEN_SEND_MIC))) {
        rc = scpauth_ctx_sign(s->ctx, plain.data, plain.len, &reply, err);
        if (rc == SCPAUTH_OK)
            rc = send_frame(s, SCPAUTH_WIRE_TOKEN_MIC, reply.data, reply.len, err);
    } else if (rc == SCPAUTH_OK) {
        rc = send_frame(s, SCPAUTH_WIRE_TOKEN_NOOP, NULL, 0, err); /* as gss-server does */
    }
    scpauth_buffer_free(&reply);
    scpauth_buffer_free(&plain);
    return rc;
}

int cli_session_serve(cli_session *s, scpauth_error *err)
{
    for (;;) {
        unsigned flags = 0;
        scpauth_buffer in = SCPAUTH_BUFFER_INIT;
        int rc = scpauth_wire_recv(s->sock, &s->wire, &flags, &in, err);
        if (rc == SCPAUTH_EOF && !is_gss(s))
            return SCPAUTH_OK; /* sspi-sample ends with a close */
        if (rc == SCPAUTH_EOF) {
            scpauth__error_set(err, SCPAUTH_EOF,
                               "client %s closed the connection after %u message(s) without the "
                               "final NOOP token",
                               s->peer, s->messages);
            scpauth__error_hint(err, "the client failed on its side (its output says why)");
            return rc;
        }
        if (rc != SCPAUTH_OK)
            return rc;
        if (is_gss(s) && (flags & SCPAUTH_WIRE_TOKEN_NOOP)) {
            scpauth_buffer_free(&in);
            return SCPAUTH_OK;
        }
        rc = serve_one(s, flags, &in, err);
        scpauth_buffer_free(&in);
        if (rc != SCPAUTH_OK)
            return rc;
        s->messages++;
    }
}

/* Sends a sealed message; keeps the token when asked (for --replay). */
static int send_sealed(cli_session *s, scpauth_buffer *tok, scpauth_error *err)
{
    int rc = send_frame(s, GSS_DATA_FLAGS, tok->data, tok->len, err);
    if (rc == SCPAUTH_OK && s->keep_last) {
        scpauth_buffer_free(&s->last);
        s->last = *tok;
        memset(tok, 0, sizeof(*tok));
    }
    scpauth_buffer_free(tok);
    return rc;
}

/* Client, sspi-sample: the service's sealed copy of our text. */
static int recv_reply(cli_session *s, const void *msg, size_t len, scpauth_buffer *plain,
                      scpauth_error *err)
{
    scpauth_buffer tok = SCPAUTH_BUFFER_INIT;
    int rc = recv_frame(s, &s->wire, NULL, &tok, "the sealed reply", err);
    if (rc == SCPAUTH_OK)
        rc = scpauth_ctx_unseal(s->ctx, 1, tok.data, tok.len, plain, NULL, err);
    scpauth_buffer_free(&tok);
    if (rc == SCPAUTH_OK && (plain->len != len || memcmp(plain->data, msg, len) != 0))
        rc = scpauth__error_set(err, SCPAUTH_EPROTO,
                                "service %s sealed a reply that is not our message %u", s->peer,
                                s->messages + 1);
    return rc;
}

int cli_session_call(cli_session *s, const void *msg, size_t len, scpauth_error *err)
{
    scpauth_buffer tok = SCPAUTH_BUFFER_INIT, mic = SCPAUTH_BUFFER_INIT,
                   plain = SCPAUTH_BUFFER_INIT;
    int rc = scpauth_ctx_seal(s->ctx, 1, msg, len, &tok, err);
    if (rc == SCPAUTH_OK)
        rc = send_sealed(s, &tok, err);
    if (rc == SCPAUTH_OK && !is_gss(s))
        rc = recv_reply(s, msg, len, &plain, err);
    unsigned flags = 0;
    if (rc == SCPAUTH_OK)
        rc = recv_frame(s, &s->wire, &flags, &mic, "the service's MIC", err);
    if (rc == SCPAUTH_OK && is_gss(s) && !(flags & SCPAUTH_WIRE_TOKEN_MIC))
        rc = scpauth__error_set(err, SCPAUTH_EPROTO,
                                "service %s answered message %u with flags 0x%02x, not a MIC",
                                s->peer, s->messages + 1, flags);
    if (rc == SCPAUTH_OK)
        rc = scpauth_ctx_verify(s->ctx, msg, len, mic.data, mic.len, err);
    if (rc == SCPAUTH_OK)
        s->messages++;
    scpauth_buffer_free(&tok);
    scpauth_buffer_free(&mic);
    scpauth_buffer_free(&plain);
    return rc;
}

static const char *bad_name(cli_bad kind)
{
    switch (kind) {
    case CLI_BAD_TAMPER: return "tampered";
    case CLI_BAD_REPLAY: return "replayed";
    case CLI_BAD_REORDER: return "reordered";
    case CLI_BAD_TRUNCATE: return "truncated";
    default: return "bad";
    }
}

/* Half of a frame in one raw write: the header promises all of tok. */
static int send_half_frame(cli_session *s, const scpauth_buffer *tok, scpauth_error *err)
{
    unsigned char frame[SCPAUTH_WIRE_MAX_HEADER + 64];
    int h = scpauth_wire_encode_header(s->wire.profile, is_gss(s) ? GSS_DATA_FLAGS : 0, tok->len,
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
static int expect_hangup(cli_session *s, cli_bad kind, scpauth_error *err)
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

int cli_session_call_bad(cli_session *s, cli_bad kind, const void *msg, size_t len,
                         scpauth_error *err)
{
    scpauth_buffer tok = SCPAUTH_BUFFER_INIT, skipped = SCPAUTH_BUFFER_INIT;
    int rc = SCPAUTH_OK;
    if (kind == CLI_BAD_REPLAY) {
        if (s->last.len == 0)
            return scpauth__error_set(err, SCPAUTH_EINVAL,
                                      "a replay needs one good message first (--count >= 1)");
        rc = send_frame(s, GSS_DATA_FLAGS, s->last.data, s->last.len, err);
    } else {
        if (kind == CLI_BAD_REORDER) /* sealed, never sent: the next one jumps ahead */
            rc = scpauth_ctx_seal(s->ctx, 1, msg, len, &skipped, err);
        if (rc == SCPAUTH_OK)
            rc = scpauth_ctx_seal(s->ctx, 1, msg, len, &tok, err);
        if (rc == SCPAUTH_OK && kind == CLI_BAD_TAMPER)
            tok.data[tok.len / 2] ^= 0x5a;
        if (rc == SCPAUTH_OK && kind == CLI_BAD_TRUNCATE)
            rc = send_half_frame(s, &tok, err);
        else if (rc == SCPAUTH_OK)
            rc = send_frame(s, GSS_DATA_FLAGS, tok.data, tok.len, err);
    }
    scpauth_buffer_free(&tok);
    scpauth_buffer_free(&skipped);
    if (rc != SCPAUTH_OK || kind == CLI_BAD_TRUNCATE)
        return rc; /* a truncated frame ends when the caller closes */
    return expect_hangup(s, kind, err);
}

int cli_session_end(cli_session *s, scpauth_error *err)
{
    if (!is_gss(s))
        return SCPAUTH_OK;
    return send_frame(s, SCPAUTH_WIRE_TOKEN_NOOP, NULL, 0, err);
}

scpauth_wire_profile cli_profile_parse(const char *name)
{
    if (strcmp(name, "gss-sample") == 0)
        return SCPAUTH_WIRE_GSS_SAMPLE;
    if (strcmp(name, "sspi-sample") == 0)
        return SCPAUTH_WIRE_SSPI_SAMPLE;
    return (scpauth_wire_profile)0;
}

const char *cli_profile_name(scpauth_wire_profile p)
{
    return p == SCPAUTH_WIRE_GSS_SAMPLE ? "gss-sample" : "sspi-sample";
}
