/* session.c - a session's life cycle, accessors and frame helpers (see
 * scpauth/session.h for the two profiles' flows). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error_internal.h"
#include "os_thread.h"
#include "session_internal.h"

int scpauth_session_new(scpauth_socket sock, scpauth_role role, scpauth_ctx *ctx,
                        const scpauth_wire_options *wire, scpauth_session **out,
                        scpauth_error *err)
{
    if (out == NULL || (role != SCPAUTH_ROLE_CLIENT && role != SCPAUTH_ROLE_SERVICE))
        return scpauth__error_set(err, SCPAUTH_EINVAL, "session: NULL output or unknown role");
    *out = NULL;
    scpauth_session *s = calloc(1, sizeof(*s));
    if (s == NULL)
        return scpauth__error_set(err, SCPAUTH_ENOMEM, "session: out of memory");
    s->sock = sock;
    s->role = role;
    s->ctx = ctx;
    if (wire != NULL)
        s->wire = *wire;
    if (s->wire.profile == 0)
        s->wire.profile = SCPAUTH_WIRE_SSPI_SAMPLE;
    snprintf(s->peer, sizeof(s->peer), "(unknown peer)");
    *out = s;
    return SCPAUTH_OK;
}

void scpauth_session_free(scpauth_session *s)
{
    if (s == NULL)
        return;
    scpauth_buffer_free(&s->last);
    scpauth_buffer_free(&s->pending);
    for (unsigned i = 0; i < s->n_frames; i++)
        scpauth_buffer_free(&s->frames[i]);
    free(s->out);
    free(s);
}

void scpauth_session_set_socket(scpauth_session *s, scpauth_socket sock) { s->sock = sock; }
void scpauth_session_set_ctx(scpauth_session *s, scpauth_ctx *ctx) { s->ctx = ctx; }
void scpauth_session_set_budget(scpauth_session *s, int ms) { s->budget_ms = ms; }
void scpauth_session_keep_last(scpauth_session *s, int on) { s->keep_last = on != 0; }
scpauth_socket scpauth_session_socket(const scpauth_session *s) { return s->sock; }
scpauth_ctx *scpauth_session_ctx(const scpauth_session *s) { return s->ctx; }
scpauth_wire_profile scpauth_session_profile(const scpauth_session *s) { return s->wire.profile; }
const char *scpauth_session_peer(const scpauth_session *s) { return s->peer; }

void scpauth_session_set_peer(scpauth_session *s, const char *peer)
{
    snprintf(s->peer, sizeof(s->peer), "%s", peer ? peer : "(unknown peer)");
}

void scpauth_session_times_get(const scpauth_session *s, scpauth_session_times *out)
{
    *out = s->t;
}

double scpauth_clock_ms(void)
{
    return scpauth__now_ms();
}

int scpauth__session_is_gss(const scpauth_session *s)
{
    return s->wire.profile == SCPAUTH_WIRE_GSS_SAMPLE;
}

const char *scpauth__session_other(const scpauth_session *s)
{
    return s->role == SCPAUTH_ROLE_SERVICE ? "client" : "service";
}

int scpauth__session_send(scpauth_session *s, unsigned flags, const void *body, size_t len,
                          scpauth_error *err)
{
    unsigned f = scpauth__session_is_gss(s) ? flags : 0; /* sspi-sample frames carry none */
    if (s->out_max > 0)
        return scpauth__session_send_queued(s, f, body, len, err);
    return scpauth_wire_send(s->sock, &s->wire, f, body, len, err);
}

int scpauth__session_push_frame(scpauth_session *s, unsigned flags, scpauth_buffer *body)
{
    if (s->n_frames >= SCPAUTH__SESSION_PUSH_MAX)
        return -1;
    s->frames[s->n_frames] = *body;
    s->frame_flags[s->n_frames++] = flags;
    memset(body, 0, sizeof(*body));
    return 0;
}

unsigned scpauth__session_frames(const scpauth_session *s) { return s->n_frames; }

int scpauth__session_read(scpauth_session *s, const scpauth_wire_options *o, unsigned *flags,
                          scpauth_buffer *body, scpauth_error *err)
{
    if (s->n_frames == 0)
        return scpauth_wire_recv(s->sock, o, flags, body, err);
    if (flags != NULL)
        *flags = s->frame_flags[0];
    *body = s->frames[0];
    s->n_frames--;
    memmove(s->frames, s->frames + 1, s->n_frames * sizeof(s->frames[0]));
    memmove(s->frame_flags, s->frame_flags + 1, s->n_frames * sizeof(s->frame_flags[0]));
    memset(&s->frames[s->n_frames], 0, sizeof(s->frames[0]));
    return SCPAUTH_OK;
}

int scpauth__session_recv(scpauth_session *s, const scpauth_wire_options *o, unsigned *flags,
                          scpauth_buffer *body, const char *waiting_for, scpauth_error *err)
{
    int rc = scpauth__session_read(s, o, flags, body, err);
    if (waiting_for == NULL || (rc != SCPAUTH_EOF && rc != SCPAUTH_EIO))
        return rc;
    if (rc == SCPAUTH_EOF)
        scpauth__error_set(err, SCPAUTH_EOF, "%s %s closed the connection while we waited for %s",
                           scpauth__session_other(s), s->peer, waiting_for);
    else /* a reset: the peer closed with our data unread */
        scpauth__error_prefix(err, "%s %s, while we waited for %s", scpauth__session_other(s),
                              s->peer, waiting_for);
    if (s->role == SCPAUTH_ROLE_CLIENT)
        scpauth__error_hint(err, "the service hung up: it probably refused us (its log says why)");
    else
        scpauth__error_hint(err, "the client gave up or failed on its side");
    return rc;
}

int scpauth__session_send_token(scpauth_session *s, scpauth_buffer *tok, scpauth_error *err)
{
    int rc = scpauth__session_send(s, SCPAUTH__SESSION_DATA_FLAGS, tok->data, tok->len, err);
    if (rc == SCPAUTH_OK && s->keep_last) {
        scpauth_buffer_free(&s->last);
        s->last = *tok;
        memset(tok, 0, sizeof(*tok));
    }
    scpauth_buffer_free(tok);
    return rc;
}

scpauth_wire_profile scpauth_wire_profile_from_name(const char *name)
{
    if (name != NULL && strcmp(name, "gss-sample") == 0)
        return SCPAUTH_WIRE_GSS_SAMPLE;
    if (name != NULL && strcmp(name, "sspi-sample") == 0)
        return SCPAUTH_WIRE_SSPI_SAMPLE;
    return (scpauth_wire_profile)0;
}

const char *scpauth_wire_profile_name(scpauth_wire_profile p)
{
    return p == SCPAUTH_WIRE_GSS_SAMPLE ? "gss-sample" : "sspi-sample";
}
