/* server_conn.c - one connection's life in the server (see server.h): the
 * handshake and each request on a pool worker, the poller's non-blocking
 * read of the next frame, and the end of the connection. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error_internal.h"
#include "scpauth/net.h"
#include "server_internal.h"
#include "session_internal.h"
#include "wire_internal.h"

#define POLL_READ_MAX 16384 /* bytes the poller reads at once */
#define LINGER_MS 2              /* a worker waits this long for the next request */
#define LINGER_MAX_REQUESTS 64   /* then parks the connection anyway */

static int linger(scpauth_server *srv, server_conn *c, unsigned served, scpauth_error *err);

server_conn *scpauth__server_conn_new(scpauth_server *srv, scpauth_socket sock, const char *peer)
{
    server_conn *c = calloc(1, sizeof(*c));
    if (c == NULL)
        return NULL;
    if (scpauth_session_new(sock, SCPAUTH_ROLE_SERVICE, NULL, &srv->o.wire, &c->s, NULL) !=
        SCPAUTH_OK) {
        free(c);
        return NULL;
    }
    c->sock = sock;
    snprintf(c->peer, sizeof(c->peer), "%s", peer);
    scpauth_session_set_peer(c->s, c->peer);
    scpauth_session_set_budget(c->s, srv->o.client_timeout_ms);
    scpauth__session_queue_output(c->s, srv->queue_max); /* a worker never waits to write */
    scpauth_wire_decoder_init(&c->dec, &srv->o.wire);
    c->state = CONN_PARKED;
    c->since = scpauth__now_ms();
    return c;
}

/* Bytes of the decoder's current frame received so far, and expected. */
static void frame_progress(const scpauth_wire_decoder *d, size_t *have, size_t *want)
{
    size_t hsize = scpauth_wire_header_size(d->opts_.profile);
    *have = d->state_ == 1 ? hsize + d->body_have_ : d->hdr_have_;
    *want = d->state_ == 1 ? hsize + d->body_len_ : hsize;
}

double scpauth__server_conn_left(const scpauth_server *srv, const server_conn *c, double now)
{
    if (c->writing)
        return c->write_at + srv->o.wire.timeout_ms - now;
    if (!c->authed) {
        double left = c->since + srv->o.client_timeout_ms - now;
        double first = c->since + srv->o.first_byte_timeout_ms - now;
        return !c->heard && first < left ? first : left;
    }
    return c->partial ? c->frame_at + srv->o.wire.timeout_ms - now
                      : c->since + srv->o.idle_timeout_ms - now;
}

void scpauth__server_conn_expired(const scpauth_server *srv, const server_conn *c,
                                  scpauth_error *err)
{
    if (c->writing) {
        scpauth__session_send_timeout(c->s, srv->o.wire.timeout_ms, err);
        return;
    }
    if (!c->authed && !c->heard && srv->o.first_byte_timeout_ms < srv->o.client_timeout_ms) {
        scpauth__error_set(err, SCPAUTH_ETIMEDOUT,
                           "client %s sent nothing within %d ms of connecting; connection "
                           "closed",
                           c->peer, srv->o.first_byte_timeout_ms);
        scpauth__error_hint(err, "a client starts its handshake at once; raise the first-byte "
                                 "timeout if real clients need longer");
        return;
    }
    if (c->authed && !c->partial) {
        scpauth__error_set(err, SCPAUTH_ETIMEDOUT,
                           "client %s was idle for %d ms; connection closed", c->peer,
                           srv->o.idle_timeout_ms);
        scpauth__error_hint(err, "raise the idle timeout if clients pause longer between "
                                 "requests");
        return;
    }
    size_t have, want;
    frame_progress(&c->dec, &have, &want);
    /* the blocking reads' own words, as before the pool */
    scpauth__error_set(err, SCPAUTH_ETIMEDOUT,
                       "receiving a frame from %s timed out after %d ms (%zu of %zu bytes)",
                       c->peer, c->authed ? srv->o.wire.timeout_ms : srv->o.client_timeout_ms,
                       have, want);
    scpauth__error_hint(err, "the peer is slow or waits for us; check that both sides use the "
                             "same wire profile, or raise timeout_ms");
}

static void report(scpauth_server *srv, const scpauth_session *s, const scpauth_ctx_info *info,
                   int rc, const scpauth_error *err)
{
    if (srv->o.on_done == NULL)
        return;
    scpauth__monitor_lock(srv->report);
    srv->o.on_done(srv->o.user, s, info, rc, err);
    scpauth__monitor_unlock(srv->report);
}

void scpauth__server_conn_finish(scpauth_server *srv, server_conn *c, int rc, scpauth_error *err)
{
    if (rc != SCPAUTH_OK && strstr(err->message, c->peer) == NULL)
        scpauth__error_prefix(err, "client %s", c->peer); /* every error names its peer */
    report(srv, c->s, c->have_info ? &c->info : NULL, rc, err);
    scpauth_session_set_ctx(c->s, NULL);
    scpauth_session_free(c->s);
    scpauth_ctx_free(c->ctx);
    scpauth_wire_decoder_reset(&c->dec);
    scpauth_net_close(c->sock);
    scpauth__monitor_lock(srv->mon);
    if (!c->authed)
        srv->n_unauthed--;
    srv->held[c->slot] = srv->held[--srv->n_held]; /* the last one takes its slot */
    srv->held[c->slot]->slot = c->slot;
    srv->finished++;
    scpauth__monitor_broadcast(srv->mon);
    scpauth__monitor_unlock(srv->mon);
    scpauth_memzero(c, sizeof(*c));
    free(c);
    scpauth__poller_wake(srv->poller); /* room for another client, or the end */
}

/* One round of the handshake on the client's token (in the session
 * already). SCPAUTH_CONTINUE: the client must answer (our token is sent or
 * queued); SCPAUTH_OK: authenticated, facts read. */
static int handshake_round(scpauth_server *srv, server_conn *c, scpauth_error *err)
{
    if (c->ctx == NULL) {
        int rc = scpauth_ctx_new(srv->o.creds, NULL, srv->o.ctx_flags, &c->ctx, err);
        if (rc != SCPAUTH_OK)
            return rc;
        scpauth_session_set_ctx(c->s, c->ctx);
    }
    int rc = scpauth__session_accept_round(c->s, err);
    if (rc == SCPAUTH_CONTINUE && scpauth__session_frames(c->s) > 0)
        return scpauth__error_set(err, SCPAUTH_EPROTO,
                                  "client %s sent a handshake token before our answer", c->peer);
    if (rc != SCPAUTH_OK)
        return rc;
    rc = scpauth_ctx_info_get(c->ctx, &c->info, err);
    c->have_info = rc == SCPAUTH_OK;
    if (rc == SCPAUTH_OK) {
        scpauth__monitor_lock(srv->mon);
        c->authed = 1;
        srv->n_unauthed--;
        scpauth__monitor_unlock(srv->mon);
    }
    return rc;
}

/* on_client: the handshake's last token sent (waiting, as on_client's own
 * writes will), then the whole conversation. */
static int converse(scpauth_server *srv, server_conn *c, scpauth_error *err)
{
    int rc = scpauth__session_flush(c->s, srv->o.wire.timeout_ms, err);
    scpauth__session_queue_output(c->s, 0);
    return rc == SCPAUTH_OK ? srv->o.on_client(srv->o.user, c->s, &c->info, err) : rc;
}

/* A worker's turn with c: a round of the handshake (then on_client, if
 * set), or one request. *keep = 1: park c until its next token or
 * request. */
static int serve(scpauth_server *srv, server_conn *c, int *keep, scpauth_error *err)
{
    *keep = 0;
    if (!c->authed) {
        int rc = handshake_round(srv, c, err);
        if (rc == SCPAUTH_CONTINUE) {
            *keep = 1;
            return SCPAUTH_OK;
        }
        if (rc != SCPAUTH_OK)
            return rc;
        if (srv->o.on_client != NULL)
            return converse(srv, c, err);
        *keep = 1;
        return SCPAUTH_OK;
    }
    int rc = srv->o.on_request ? srv->o.on_request(srv->o.user, c->s, &c->info, err)
                               : scpauth_session_serve_one(c->s, err);
    if (rc < 0 || rc == SCPAUTH_SESSION_END || c->eof)
        return rc < 0 ? rc : SCPAUTH_OK; /* after the end of the stream there is no more */
    if (scpauth__session_frames(c->s) > 0)
        return scpauth__error_set(err, SCPAUTH_EPROTO,
                                  "the service's request handler returned without reading the "
                                  "request of client %s",
                                  c->peer);
    *keep = 1;
    return SCPAUTH_OK;
}

static void worker(void *arg)
{
    scpauth_server *srv = arg;
    scpauth__monitor_lock(srv->mon);
    for (;;) {
        while (srv->q_head == NULL && !srv->quit) {
            srv->idle++;
            scpauth__monitor_wait(srv->mon, -1);
            srv->idle--;
        }
        server_conn *c = srv->q_head;
        if (c == NULL)
            break;
        srv->q_head = c->next;
        if (srv->q_head == NULL)
            srv->q_tail = NULL;
        srv->q_len--;
        c->state = CONN_BUSY;
        scpauth__monitor_unlock(srv->mon);
        scpauth_error err;
        scpauth_error_clear(&err);
        int keep = 0, again = 0;
        unsigned served = 0;
        int rc;
        do {
            rc = serve(srv, c, &keep, &err);
            again = keep && scpauth__session_queued(c->s) == 0 ? linger(srv, c, ++served, &err)
                                                              : 0;
            if (again < 0) {
                rc = again;
                keep = 0;
            }
        } while (again > 0);
        if (!keep && rc == SCPAUTH_OK && scpauth__session_queued(c->s) > 0)
            rc = scpauth__session_flush(c->s, srv->o.wire.timeout_ms, &err); /* the last words */
        if (keep) {
            double now = scpauth__now_ms();
            scpauth__monitor_lock(srv->mon);
            c->state = CONN_PARKED;
            c->writing = scpauth__session_queued(c->s) > 0;
            if (c->writing)
                c->write_at = now; /* the poller sends the rest, then reads */
            else if (c->authed)
                c->since = now; /* unauthenticated: the handshake's limit runs on */
            scpauth__monitor_unlock(srv->mon);
            scpauth__poller_wake(srv->poller); /* watch it from now on */
        } else {
            scpauth__server_conn_finish(srv, c, rc, &err);
        }
        scpauth__monitor_lock(srv->mon);
    }
    srv->alive--;
    scpauth__monitor_broadcast(srv->mon);
    scpauth__monitor_unlock(srv->mon);
}

void scpauth__server_dispatch(scpauth_server *srv, server_conn *c)
{
    scpauth__monitor_lock(srv->mon);
    c->state = CONN_QUEUED;
    c->next = NULL;
    if (srv->q_tail != NULL)
        srv->q_tail->next = c;
    else
        srv->q_head = c;
    srv->q_tail = c;
    srv->q_len++;
    /* a thread is started only when every worker is busy: the pool grows
     * to `workers` under load and then stays */
    if (srv->q_len > srv->idle && srv->alive < srv->o.workers) {
        srv->alive++;
        if (scpauth__thread_spawn(worker, srv) != 0)
            srv->alive--; /* the poller fails the queue if no worker is left */
    }
    scpauth__monitor_broadcast(srv->mon);
    scpauth__monitor_unlock(srv->mon);
}

/* Bytes the decoder needs to finish its header or body: reading no more
 * leaves a following frame in the socket, where poll sees it. */
static size_t decoder_need(const scpauth_wire_decoder *d)
{
    size_t need = d->state_ == 1 ? d->body_len_ - d->body_have_
                                 : scpauth_wire_header_size(d->opts_.profile) - d->hdr_have_;
    return need < POLL_READ_MAX ? need : POLL_READ_MAX;
}

/* The decoder's error again, naming the client as the blocking reads do. */
static int decoder_error(server_conn *c, int rc, scpauth_error *err)
{
    if (rc == SCPAUTH_EZEROLEN || rc == SCPAUTH_ETOOBIG)
        return scpauth__wire_header_error(err, rc, &c->dec.opts_, c->dec.flags_,
                                          c->dec.body_len_, c->peer);
    if (rc == SCPAUTH_ETRUNCATED) {
        size_t have, want;
        frame_progress(&c->dec, &have, &want);
        return scpauth__wire_truncated_error(err, c->peer, have, want);
    }
    return rc;
}

/* Before the handshake, gss-sample: after the opening NOOP|CONTEXT_NEXT the
 * first token follows at once; both go to the worker together. */
static int wants_another(const scpauth_server *srv, const server_conn *c, unsigned flags)
{
    unsigned opening = SCPAUTH_WIRE_TOKEN_NOOP | SCPAUTH_WIRE_TOKEN_CONTEXT_NEXT;
    return !c->authed && srv->o.wire.profile == SCPAUTH_WIRE_GSS_SAMPLE &&
           scpauth__session_frames(c->s) == 1 && (flags & opening) == opening;
}

/* Reads what c sent, never waiting. 1: a request (or the handshake's first
 * frames) is in the session, or the stream ended (c->eof): serve c. 0: not
 * yet. Negative: a broken frame, err filled. */
static int read_frames(scpauth_server *srv, server_conn *c, scpauth_error *err)
{
    unsigned char buf[POLL_READ_MAX];
    for (;;) {
        long long n = scpauth__poll_recv(c->sock, buf, decoder_need(&c->dec));
        if (n == -1)
            return 0;
        if (n <= 0) {
            int rc = scpauth_wire_decoder_finish(&c->dec, NULL);
            if (rc != SCPAUTH_OK)
                return decoder_error(c, rc, err);
            c->eof = 1; /* the worker's read says whether that was a proper end */
            return 1;
        }
        c->heard = 1;
        if (!c->partial) {
            c->partial = 1;
            c->frame_at = scpauth__now_ms();
        }
        size_t used = 0;
        int rc = scpauth_wire_decoder_feed(&c->dec, buf, (size_t)n, &used, err);
        if (rc == SCPAUTH_CONTINUE)
            continue;
        if (rc != SCPAUTH_OK)
            return decoder_error(c, rc, err);
        unsigned flags = 0;
        scpauth_buffer body = SCPAUTH_BUFFER_INIT;
        scpauth_wire_decoder_take(&c->dec, &flags, &body);
        c->partial = 0;
        if (scpauth__session_push_frame(c->s, flags, &body) != 0) { /* cannot happen */
            scpauth_buffer_free(&body);
            return scpauth__error_set(err, SCPAUTH_EINTERNAL, "server: frames piled up");
        }
        if (!wants_another(srv, c, flags))
            return 1;
    }
}

void scpauth__server_conn_readable(scpauth_server *srv, server_conn *c)
{
    scpauth_error err;
    scpauth_error_clear(&err);
    int rc = read_frames(srv, c, &err);
    if (rc < 0)
        scpauth__server_conn_finish(srv, c, rc, &err);
    else if (rc > 0)
        scpauth__server_dispatch(srv, c);
}

void scpauth__server_conn_writable(scpauth_server *srv, server_conn *c)
{
    scpauth_error err;
    scpauth_error_clear(&err);
    int rc = scpauth__session_flush(c->s, 0, &err);
    if (rc < 0) {
        scpauth__server_conn_finish(srv, c, rc, &err);
    } else if (rc == SCPAUTH_OK) {
        c->writing = 0; /* the poller's alone while parked */
        if (c->authed)
            c->since = scpauth__now_ms();
    }
}

/* Worker, after a reply: while no other connection waits, the client's next
 * request often follows within a round trip; reading it here saves the
 * hand-over to the poller and back. 1: serve c again; 0: park it;
 * negative: end it (err filled). */
static int linger(scpauth_server *srv, server_conn *c, unsigned served, scpauth_error *err)
{
    if (served >= LINGER_MAX_REQUESTS || c->eof)
        return 0; /* let the others have a turn */
    scpauth__monitor_lock(srv->mon);
    int others = srv->q_len > 0;
    scpauth__monitor_unlock(srv->mon);
    if (others || scpauth__poll_one(c->sock, LINGER_MS) <= 0)
        return 0;
    return read_frames(srv, c, err);
}
