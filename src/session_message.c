/* session_message.c - sealed messages and MICs over a session, the
 * request/reply exchange, and the two profiles' echo protocol. */
#include <string.h>

#include "error_internal.h"
#include "session_internal.h"

int scpauth_session_send_sealed(scpauth_session *s, const void *msg, size_t len,
                                scpauth_error *err)
{
    scpauth_buffer tok = SCPAUTH_BUFFER_INIT;
    int rc = scpauth_ctx_seal(s->ctx, 1, msg, len, &tok, err);
    if (rc == SCPAUTH_OK)
        rc = scpauth__session_send_token(s, &tok, err);
    scpauth_buffer_free(&tok);
    return rc;
}

/* gss-sample frame checks of a message: NOOP ends, cleartext is refused. */
static int check_gss_flags(scpauth_session *s, unsigned flags, scpauth_error *err)
{
    if (flags & SCPAUTH_WIRE_TOKEN_NOOP)
        return SCPAUTH_SESSION_END;
    if (flags & SCPAUTH_WIRE_TOKEN_WRAPPED)
        return SCPAUTH_OK;
    scpauth__error_set(err, SCPAUTH_ENOTSEALED,
                       "%s %s sent message %u in the clear (flags 0x%02x); only sealed "
                       "messages are accepted",
                       scpauth__session_other(s), s->peer, s->t.messages + 1, flags);
    scpauth__error_hint(err, "the peer must seal (wrap) its messages");
    return SCPAUTH_ENOTSEALED;
}

/* recv_sealed, also giving the frame's gss-sample flags. */
static int recv_message(scpauth_session *s, unsigned *flags_out, scpauth_buffer *plain,
                        scpauth_error *err)
{
    unsigned flags = 0;
    scpauth_buffer in = SCPAUTH_BUFFER_INIT;
    int rc = scpauth__session_read(s, &s->wire, &flags, &in, err);
    if (rc == SCPAUTH_EOF && !scpauth__session_is_gss(s))
        return SCPAUTH_SESSION_END; /* sspi-sample ends with a close */
    if (rc == SCPAUTH_EOF) {
        scpauth__error_set(err, SCPAUTH_EOF,
                           "%s %s closed the connection after %u message(s) without the final "
                           "NOOP token",
                           scpauth__session_other(s), s->peer, s->t.messages);
        scpauth__error_hint(err, "the peer failed on its side (its output says why)");
        return rc;
    }
    if (rc == SCPAUTH_OK && scpauth__session_is_gss(s))
        rc = check_gss_flags(s, flags, err);
    if (rc == SCPAUTH_OK) {
        rc = scpauth_ctx_unseal(s->ctx, 1, in.data, in.len, plain, NULL, err);
        if (rc != SCPAUTH_OK)
            scpauth__error_prefix(err, "message %u from %s %s", s->t.messages + 1,
                                  scpauth__session_other(s), s->peer);
    }
    scpauth_buffer_free(&in);
    *flags_out = flags;
    return rc;
}

int scpauth_session_recv_sealed(scpauth_session *s, scpauth_buffer *plain, scpauth_error *err)
{
    unsigned flags;
    return recv_message(s, &flags, plain, err);
}

int scpauth_session_send_mic(scpauth_session *s, const void *data, size_t len, scpauth_error *err)
{
    scpauth_buffer mic = SCPAUTH_BUFFER_INIT;
    int rc = scpauth_ctx_sign(s->ctx, data, len, &mic, err);
    if (rc == SCPAUTH_OK)
        rc = scpauth__session_send(s, SCPAUTH_WIRE_TOKEN_MIC, mic.data, mic.len, err);
    scpauth_buffer_free(&mic);
    return rc;
}

int scpauth_session_recv_mic(scpauth_session *s, const void *data, size_t len, scpauth_error *err)
{
    unsigned flags = 0;
    scpauth_buffer mic = SCPAUTH_BUFFER_INIT;
    int rc = scpauth__session_recv(s, &s->wire, &flags, &mic, "a MIC", err);
    if (rc == SCPAUTH_OK && scpauth__session_is_gss(s) && !(flags & SCPAUTH_WIRE_TOKEN_MIC))
        rc = scpauth__error_set(err, SCPAUTH_EPROTO,
                                "%s %s answered message %u with flags 0x%02x, not a MIC",
                                scpauth__session_other(s), s->peer, s->t.messages + 1, flags);
    if (rc == SCPAUTH_OK)
        rc = scpauth_ctx_verify(s->ctx, data, len, mic.data, mic.len, err);
    scpauth_buffer_free(&mic);
    return rc;
}

/* Client: the sealed reply to the request just sent. */
static int recv_sealed_reply(scpauth_session *s, scpauth_buffer *plain, scpauth_error *err)
{
    scpauth_buffer tok = SCPAUTH_BUFFER_INIT;
    int rc = scpauth__session_recv(s, &s->wire, NULL, &tok, "the sealed reply", err);
    if (rc == SCPAUTH_OK)
        rc = scpauth_ctx_unseal(s->ctx, 1, tok.data, tok.len, plain, NULL, err);
    scpauth_buffer_free(&tok);
    return rc;
}

int scpauth_session_request(scpauth_session *s, const void *req, size_t len,
                            scpauth_buffer *reply, scpauth_error *err)
{
    int rc = scpauth_session_send_sealed(s, req, len, err);
    if (rc == SCPAUTH_OK)
        rc = recv_sealed_reply(s, reply, err);
    if (rc == SCPAUTH_OK)
        rc = scpauth_session_recv_mic(s, reply->data, reply->len, err);
    if (rc == SCPAUTH_OK)
        s->t.messages++;
    else
        scpauth_buffer_free(reply);
    return rc;
}

int scpauth_session_reply(scpauth_session *s, const void *reply, size_t len, scpauth_error *err)
{
    scpauth_buffer tok = SCPAUTH_BUFFER_INIT;
    int rc = scpauth_ctx_seal(s->ctx, 1, reply, len, &tok, err);
    if (rc == SCPAUTH_OK)
        rc = scpauth__session_send(s, SCPAUTH_WIRE_TOKEN_DATA | SCPAUTH_WIRE_TOKEN_WRAPPED |
                                          SCPAUTH_WIRE_TOKEN_ENCRYPTED,
                                   tok.data, tok.len, err);
    scpauth_buffer_free(&tok);
    if (rc == SCPAUTH_OK)
        rc = scpauth_session_send_mic(s, reply, len, err);
    if (rc == SCPAUTH_OK)
        s->t.messages++;
    return rc;
}

int scpauth_session_serve_one(scpauth_session *s, scpauth_error *err)
{
    scpauth_buffer plain = SCPAUTH_BUFFER_INIT;
    unsigned flags = 0;
    int rc = recv_message(s, &flags, &plain, err);
    if (rc == SCPAUTH_OK && !scpauth__session_is_gss(s))
        rc = scpauth_session_reply(s, plain.data, plain.len, err); /* sealed copy + MIC */
    else if (rc == SCPAUTH_OK) {
        /* as gss-server: a MIC when asked for (SEND_MIC), else a NOOP */
        if (flags & SCPAUTH_WIRE_TOKEN_SEND_MIC)
            rc = scpauth_session_send_mic(s, plain.data, plain.len, err);
        else
            rc = scpauth__session_send(s, SCPAUTH_WIRE_TOKEN_NOOP, NULL, 0, err);
        if (rc == SCPAUTH_OK)
            s->t.messages++;
    }
    scpauth_buffer_free(&plain);
    return rc;
}

int scpauth_session_serve(scpauth_session *s, scpauth_error *err)
{
    int rc;
    while ((rc = scpauth_session_serve_one(s, err)) == SCPAUTH_OK) {
    }
    return rc == SCPAUTH_SESSION_END ? SCPAUTH_OK : rc;
}

int scpauth_session_call(scpauth_session *s, const void *msg, size_t len, scpauth_error *err)
{
    if (!scpauth__session_is_gss(s)) {
        scpauth_buffer reply = SCPAUTH_BUFFER_INIT;
        int rc = scpauth_session_request(s, msg, len, &reply, err);
        if (rc == SCPAUTH_OK && (reply.len != len || memcmp(reply.data, msg, len) != 0)) {
            s->t.messages--;
            rc = scpauth__error_set(err, SCPAUTH_EPROTO,
                                    "service %s sealed a reply that is not our message %u",
                                    s->peer, s->t.messages + 1);
        }
        scpauth_buffer_free(&reply);
        return rc;
    }
    int rc = scpauth_session_send_sealed(s, msg, len, err);
    if (rc == SCPAUTH_OK)
        rc = scpauth_session_recv_mic(s, msg, len, err);
    if (rc == SCPAUTH_OK)
        s->t.messages++;
    return rc;
}

int scpauth_session_end(scpauth_session *s, scpauth_error *err)
{
    if (!scpauth__session_is_gss(s))
        return SCPAUTH_OK;
    return scpauth__session_send(s, SCPAUTH_WIRE_TOKEN_NOOP, NULL, 0, err);
}
