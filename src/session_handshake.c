/* session_handshake.c - the handshake loop over frames, both roles and both
 * profiles, with per-step times and a budget for the whole handshake. */
#include <string.h>

#include "error_internal.h"
#include "os_thread.h"
#include "session_internal.h"

/* The next handshake token, within both the frame timeout and what is left
 * of the handshake budget. */
static int recv_token(scpauth_session *s, double t0, scpauth_buffer *in, scpauth_error *err)
{
    scpauth_wire_options o = s->wire;
    if (s->budget_ms > 0) {
        double left = s->budget_ms - (scpauth__now_ms() - t0);
        if (left <= 0) {
            scpauth__error_set(err, SCPAUTH_ETIMEDOUT,
                               "handshake with %s %s did not complete within %d ms",
                               scpauth__session_other(s), s->peer, s->budget_ms);
            return SCPAUTH_ETIMEDOUT;
        }
        if (o.timeout_ms <= 0 || left < o.timeout_ms)
            o.timeout_ms = (int)left + 1;
    }
    unsigned flags = 0;
    int rc = scpauth__session_recv(s, &o, &flags, in, "a handshake token", err);
    if (rc == SCPAUTH_OK && scpauth__session_is_gss(s) && !(flags & SCPAUTH_WIRE_TOKEN_CONTEXT)) {
        scpauth_buffer_free(in);
        scpauth__error_set(err, SCPAUTH_EPROTO,
                           "%s %s sent a frame with flags 0x%02x during the handshake, not a "
                           "context token (0x02)",
                           scpauth__session_other(s), s->peer, flags);
        scpauth__error_hint(err, "is the peer speaking the gss-sample protocol?");
        return SCPAUTH_EPROTO;
    }
    return rc;
}

/* Service, gss-sample: the client opens with an empty NOOP|CONTEXT_NEXT. */
static int expect_opening(scpauth_session *s, scpauth_error *err)
{
    scpauth_wire_options o = s->wire;
    if (s->budget_ms > 0 && (o.timeout_ms <= 0 || s->budget_ms < o.timeout_ms))
        o.timeout_ms = s->budget_ms;
    unsigned flags = 0;
    scpauth_buffer body = SCPAUTH_BUFFER_INIT;
    int rc = scpauth__session_recv(s, &o, &flags, &body, "its opening NOOP token", err);
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

int scpauth_session_first_step(scpauth_session *s, scpauth_error *err)
{
    if (s->role != SCPAUTH_ROLE_CLIENT || s->ctx == NULL || s->t.steps != 0)
        return scpauth__error_set(err, SCPAUTH_ESTATE,
                                  "session: the first step is the client's, once, with a context");
    double a = scpauth__now_ms();
    int rc = scpauth_ctx_step(s->ctx, NULL, 0, &s->pending, err);
    s->t.step_ms[s->t.steps++] = scpauth__now_ms() - a;
    s->t.handshake_ms = s->t.step_ms[0];
    s->pending_rc = rc;
    return rc < 0 ? rc : SCPAUTH_OK;
}

/* One handshake step on the peer's token `in` (consumed); *out gets the
 * token to send. Returns what scpauth_ctx_step returned. */
static int take_step(scpauth_session *s, scpauth_buffer *in, scpauth_buffer *out,
                     scpauth_error *err)
{
    if (s->t.steps == SCPAUTH_SESSION_MAX_STEPS) {
        scpauth_buffer_free(in);
        return scpauth__error_set(err, SCPAUTH_EPROTO,
                                  "handshake with %s %s not finished after %d tokens",
                                  scpauth__session_other(s), s->peer, SCPAUTH_SESSION_MAX_STEPS);
    }
    unsigned i = s->t.steps++;
    double a = scpauth__now_ms();
    int step = scpauth_ctx_step(s->ctx, in->data, in->len, out, err);
    s->t.step_ms[i] = scpauth__now_ms() - a;
    scpauth_buffer_free(in);
    return step;
}

/* The opening frames and the first step: a client's may have been taken
 * before connecting; a service's answers the client's first token. */
static int open_handshake(scpauth_session *s, double *t0, scpauth_buffer *out, int *step,
                          scpauth_error *err)
{
    int rc = SCPAUTH_OK;
    if (scpauth__session_is_gss(s))
        rc = s->role == SCPAUTH_ROLE_CLIENT
                 ? scpauth__session_send(s, SCPAUTH_WIRE_TOKEN_NOOP |
                                                SCPAUTH_WIRE_TOKEN_CONTEXT_NEXT,
                                         NULL, 0, err)
                 : expect_opening(s, err);
    if (rc != SCPAUTH_OK)
        return rc;
    if (s->role == SCPAUTH_ROLE_CLIENT && s->t.steps == 1) {
        *out = s->pending;
        memset(&s->pending, 0, sizeof(s->pending));
        *step = s->pending_rc;
        *t0 -= s->t.step_ms[0];
        return SCPAUTH_OK;
    }
    scpauth_buffer in = SCPAUTH_BUFFER_INIT;
    if (s->role == SCPAUTH_ROLE_SERVICE)
        rc = recv_token(s, *t0, &in, err);
    if (rc == SCPAUTH_OK)
        *step = take_step(s, &in, out, err);
    scpauth_buffer_free(&in);
    return rc;
}

int scpauth__session_accept_round(scpauth_session *s, scpauth_error *err)
{
    if (s->ctx == NULL || s->role != SCPAUTH_ROLE_SERVICE)
        return scpauth__error_set(err, SCPAUTH_ESTATE, "session with %s: no service context",
                                  s->peer);
    scpauth_buffer in = SCPAUTH_BUFFER_INIT, out = SCPAUTH_BUFFER_INIT;
    int step = SCPAUTH_CONTINUE, rc;
    if (s->t.steps == 0) {
        s->hs_t0 = scpauth__now_ms();
        rc = open_handshake(s, &s->hs_t0, &out, &step, err);
    } else {
        rc = recv_token(s, s->hs_t0, &in, err);
        /* the wait: parked between rounds, or inside the read */
        s->t.wait_ms[s->t.steps - 1] = scpauth__now_ms() - s->hs_last;
        if (rc == SCPAUTH_OK)
            step = take_step(s, &in, &out, err);
    }
    if (rc == SCPAUTH_OK && step >= 0 && out.len > 0)
        rc = scpauth__session_send(s, SCPAUTH_WIRE_TOKEN_CONTEXT, out.data, out.len, err);
    scpauth_buffer_free(&in);
    scpauth_buffer_free(&out);
    s->hs_last = scpauth__now_ms();
    s->t.handshake_ms = s->hs_last - s->hs_t0;
    return rc != SCPAUTH_OK ? rc : step;
}

int scpauth_session_handshake(scpauth_session *s, scpauth_error *err)
{
    if (s->ctx == NULL)
        return scpauth__error_set(err, SCPAUTH_ESTATE, "session with %s: no context",
                                  s->peer);
    if (s->role == SCPAUTH_ROLE_SERVICE) { /* rounds that read the socket */
        int rc;
        do
            rc = scpauth__session_accept_round(s, err);
        while (rc == SCPAUTH_CONTINUE);
        return rc;
    }
    double t0 = scpauth__now_ms();
    scpauth_buffer in = SCPAUTH_BUFFER_INIT, out = SCPAUTH_BUFFER_INIT;
    int step = SCPAUTH_CONTINUE;
    int rc = open_handshake(s, &t0, &out, &step, err);
    while (rc == SCPAUTH_OK && step >= 0) {
        if (out.len > 0)
            rc = scpauth__session_send(s, SCPAUTH_WIRE_TOKEN_CONTEXT, out.data, out.len, err);
        scpauth_buffer_free(&out);
        if (rc != SCPAUTH_OK || step == SCPAUTH_OK)
            break; /* failed, or established (and checked by the library) */
        double a = scpauth__now_ms();
        rc = recv_token(s, t0, &in, err);
        s->t.wait_ms[s->t.steps - 1] = scpauth__now_ms() - a;
        if (rc == SCPAUTH_OK)
            step = take_step(s, &in, &out, err);
    }
    if (rc == SCPAUTH_OK && step < 0)
        rc = step;
    scpauth_buffer_free(&in);
    scpauth_buffer_free(&out);
    s->t.handshake_ms = scpauth__now_ms() - t0;
    return rc;
}
