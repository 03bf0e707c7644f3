/* server.c - the server of scpauth/server.h: options, the poller (the
 * thread in scpauth_server_run: accepts clients and watches parked
 * connections), idle limits and the stop. A connection's own life is in
 * server_conn.c. Threads, locks and clocks come from os_thread.h, polling
 * from os_poll.h (no platform #ifdef here). */
#include <stdlib.h>
#include <string.h>

#include "error_internal.h"
#include "scpauth/net.h"
#include "server_internal.h"

#define SERVER_POLL_MS 100 /* the longest the poller sleeps: stop flag, limits */

static unsigned default_workers(const scpauth_server_options *o)
{
    if (o->on_client != NULL)
        return o->max_clients; /* a worker per conversation, as many as held */
    unsigned n = 2 * scpauth__cpu_count();
    return n < SCPAUTH_SERVER_MIN_WORKERS ? SCPAUTH_SERVER_MIN_WORKERS : n;
}

int scpauth_server_new(scpauth_socket listener, const scpauth_server_options *opts,
                       scpauth_server **out, scpauth_error *err)
{
    if (out == NULL || opts == NULL || opts->creds == NULL || opts->client_timeout_ms < 0 ||
        opts->idle_timeout_ms < 0 || opts->first_byte_timeout_ms < 0)
        return scpauth__error_set(err, SCPAUTH_EINVAL,
                                  "server: needs options with service credentials");
    *out = NULL;
    scpauth_server *srv = calloc(1, sizeof(*srv));
    if (srv == NULL)
        return scpauth__error_set(err, SCPAUTH_ENOMEM, "server: out of memory");
    srv->listener = listener;
    srv->o = *opts;
    if (srv->o.max_clients == 0)
        srv->o.max_clients = SCPAUTH_SERVER_DEFAULT_MAX_CLIENTS;
    if (srv->o.client_timeout_ms == 0)
        srv->o.client_timeout_ms = SCPAUTH_SERVER_DEFAULT_CLIENT_TIMEOUT_MS;
    if (srv->o.wire.timeout_ms <= 0)
        srv->o.wire.timeout_ms = srv->o.client_timeout_ms;
    if (srv->o.idle_timeout_ms == 0)
        srv->o.idle_timeout_ms = srv->o.wire.timeout_ms; /* as a blocking read waited */
    if (srv->o.workers == 0)
        srv->o.workers = default_workers(&srv->o);
    if (srv->o.first_byte_timeout_ms == 0)
        srv->o.first_byte_timeout_ms = SCPAUTH_SERVER_DEFAULT_FIRST_BYTE_TIMEOUT_MS;
    if (srv->o.max_unauthenticated == 0) {
        srv->o.max_unauthenticated = srv->o.max_clients / 4;
        if (srv->o.max_unauthenticated < SCPAUTH_SERVER_MIN_UNAUTHENTICATED)
            srv->o.max_unauthenticated = SCPAUTH_SERVER_MIN_UNAUTHENTICATED;
    }
    if (srv->o.max_unauthenticated > srv->o.max_clients)
        srv->o.max_unauthenticated = srv->o.max_clients;
    /* a reply of either profile is at most two frames: never a wait for it */
    size_t frame = srv->o.wire.max_frame ? srv->o.wire.max_frame : SCPAUTH_WIRE_DEFAULT_MAX_FRAME;
    srv->queue_max = 2 * (frame + SCPAUTH_WIRE_MAX_HEADER);
    size_t slots = (size_t)srv->o.max_clients + 1;
    srv->mon = scpauth__monitor_new();
    srv->report = scpauth__monitor_new();
    srv->held = calloc(slots, sizeof(*srv->held));
    srv->socks = calloc(slots, sizeof(*srv->socks));
    srv->who = calloc(slots, sizeof(*srv->who));
    srv->ready = calloc(slots, 1);
    srv->out = calloc(slots, 1);
    if (srv->mon == NULL || srv->report == NULL || srv->held == NULL || srv->socks == NULL ||
        srv->who == NULL || srv->ready == NULL || srv->out == NULL) {
        scpauth_server_free(srv);
        return scpauth__error_set(err, SCPAUTH_ENOMEM, "server: out of memory");
    }
    srv->poller = scpauth__poller_new();
    if (srv->poller == NULL) {
        scpauth_server_free(srv);
        return scpauth__error_set(err, SCPAUTH_EIO,
                                  "server: cannot create the poller's wake-up socket pair");
    }
    *out = srv;
    return SCPAUTH_OK;
}

void scpauth_server_free(scpauth_server *srv)
{
    if (srv == NULL)
        return;
    scpauth__poller_free(srv->poller);
    scpauth__monitor_free(srv->mon);
    scpauth__monitor_free(srv->report);
    free(srv->held);
    free(srv->socks);
    free(srv->who);
    free(srv->ready);
    free(srv->out);
    free(srv);
}

void scpauth_server_stop(scpauth_server *srv)
{
    srv->stop = 1; /* a plain store and a send: callable from a signal handler */
    scpauth__poller_wake(srv->poller);
}

unsigned long long scpauth_server_finished(scpauth_server *srv)
{
    scpauth__monitor_lock(srv->mon);
    unsigned long long n = srv->finished;
    scpauth__monitor_unlock(srv->mon);
    return n;
}

/* When c, not authenticated, may give way to a new connection: soon if it
 * has sent nothing (a client sends its first token right after
 * connecting), later if it is within its handshake. */
static double evictable_at(const server_conn *c)
{
    return c->since + (c->heard ? SCPAUTH_SERVER_EVICT_GRACE_MS : SCPAUTH_SERVER_EVICT_SILENT_MS);
}

/* Under the lock: the parked connection to close for a new one (silent
 * before heard, then the oldest), taken (BUSY); or NULL. */
static server_conn *take_unauthed(scpauth_server *srv, double now)
{
    server_conn *pick = NULL;
    for (size_t i = 0; i < srv->n_held; i++) {
        server_conn *c = srv->held[i];
        if (c->state != CONN_PARKED || c->authed || evictable_at(c) > now)
            continue;
        if (pick == NULL || c->heard < pick->heard ||
            (c->heard == pick->heard && c->since < pick->since))
            pick = c;
    }
    if (pick != NULL)
        pick->state = CONN_BUSY; /* the poller's, to close */
    return pick;
}

static void evict(scpauth_server *srv, server_conn *c, double now)
{
    scpauth_error err;
    scpauth__error_set(&err, SCPAUTH_ETIMEDOUT,
                       "client %s had not authenticated after %.0f ms while %u connections "
                       "waited to authenticate (the limit); closed to make room for a new one",
                       c->peer, now - c->since, srv->o.max_unauthenticated);
    scpauth__error_hint(&err, "if real clients take that long, raise max_unauthenticated "
                              "(scpauth listen --max-unauthenticated)");
    scpauth__server_conn_finish(srv, c, SCPAUTH_ETIMEDOUT, &err);
}

static void report_refused(scpauth_server *srv, int rc, const scpauth_error *err)
{
    if (srv->o.on_done == NULL)
        return;
    scpauth__monitor_lock(srv->report);
    srv->o.on_done(srv->o.user, NULL, NULL, rc, err);
    scpauth__monitor_unlock(srv->report);
}

/* Accepts one client (the listener is readable), making room if the
 * connections not yet authenticated fill their cap, and parks it until
 * its first frames arrive. */
static void accept_one(scpauth_server *srv)
{
    scpauth_error err;
    scpauth_error_clear(&err);
    char peer[SCPAUTH_SESSION_PEER_MAX] = "";
    scpauth_socket sock = SCPAUTH_INVALID_SOCKET;
    int rc = scpauth_net_accept(srv->listener, 1, &sock, peer, sizeof(peer), &err);
    if (rc == SCPAUTH_ETIMEDOUT)
        return; /* the client gave up already */
    server_conn *c = rc == SCPAUTH_OK ? scpauth__server_conn_new(srv, sock, peer) : NULL;
    if (c == NULL) {
        if (rc == SCPAUTH_OK) {
            scpauth_net_close(sock);
            rc = scpauth__error_set(&err, SCPAUTH_ENOMEM,
                                    "server: out of memory for client %s; connection closed",
                                    peer);
        }
        report_refused(srv, rc, &err); /* not fatal: the next client may do better */
        scpauth__sleep_ms(10);         /* e.g. out of descriptors: no busy loop */
        return;
    }
    double now = scpauth__now_ms();
    scpauth__monitor_lock(srv->mon);
    int full = srv->n_held >= srv->o.max_clients ||
               srv->n_unauthed >= srv->o.max_unauthenticated;
    server_conn *old = full ? take_unauthed(srv, now) : NULL;
    scpauth__monitor_unlock(srv->mon);
    if (old != NULL)
        evict(srv, old, now);
    scpauth__monitor_lock(srv->mon);
    int room = srv->n_held < srv->o.max_clients;
    if (room) {
        c->slot = srv->n_held;
        srv->held[srv->n_held++] = c; /* parked: the poller reads its first frames */
        srv->n_unauthed++;
        srv->accepted++;
    }
    scpauth__monitor_unlock(srv->mon);
    if (!room) { /* the one to make room for it went to a worker meanwhile */
        scpauth_session_free(c->s);
        free(c);
        scpauth_net_close(sock);
        rc = scpauth__error_set(&err, SCPAUTH_ETIMEDOUT,
                                "client %s: every connection is taken; connection closed",
                                peer);
        report_refused(srv, rc, &err);
    }
}

static int accepting(const scpauth_server *srv)
{
    return !srv->stop && (srv->o.max_served == 0 || srv->accepted < srv->o.max_served);
}

/* Under the lock: parked connections past their limit move to *expired
 * (the poller's now); the others go into the poll set (for input, or for
 * room to write their queued output), then the listener while there is
 * room for a new connection, or one not yet authenticated that may give
 * way. Returns the set's size; *wait_ms is cut to the next limit. */
static size_t build_set(scpauth_server *srv, server_conn **expired, int *wait_ms)
{
    size_t n = 0;
    double now = scpauth__now_ms();
    int room = srv->n_held < srv->o.max_clients &&
               srv->n_unauthed < srv->o.max_unauthenticated;
    int can_evict = 0;
    for (size_t i = 0; i < srv->n_held; i++) {
        server_conn *c = srv->held[i];
        if (c->state != CONN_PARKED)
            continue;
        double left = scpauth__server_conn_left(srv, c, now);
        if (left <= 0) {
            c->state = CONN_BUSY; /* the poller's, to close */
            c->next = *expired;
            *expired = c;
            continue;
        }
        if (left < *wait_ms)
            *wait_ms = (int)left + 1;
        if (!c->authed && !room) {
            double grace = evictable_at(c) - now;
            if (grace <= 0)
                can_evict = 1;
            else if (grace < *wait_ms)
                *wait_ms = (int)grace + 1;
        }
        srv->socks[n] = c->sock;
        srv->out[n] = (unsigned char)c->writing;
        srv->who[n++] = c;
    }
    if (accepting(srv) && (room || can_evict)) {
        srv->socks[n] = srv->listener;
        srv->out[n] = 0;
        srv->who[n++] = NULL;
    }
    return n;
}

static void close_expired(scpauth_server *srv, server_conn *c)
{
    while (c != NULL) {
        server_conn *next = c->next;
        scpauth_error err;
        scpauth_error_clear(&err);
        scpauth__server_conn_expired(srv, c, &err);
        scpauth__server_conn_finish(srv, c, err.code, &err);
        c = next;
    }
}

/* Under the lock: with no worker alive (none could be started), the queue
 * cannot move; its connections move to *failed. */
static void take_stuck_queue(scpauth_server *srv, server_conn **failed)
{
    if (srv->alive > 0)
        return;
    while (srv->q_head != NULL) {
        server_conn *c = srv->q_head;
        srv->q_head = c->next;
        c->state = CONN_BUSY;
        c->next = *failed;
        *failed = c;
    }
    srv->q_tail = NULL;
    srv->q_len = 0;
}

static void fail_stuck(scpauth_server *srv, server_conn *c)
{
    while (c != NULL) {
        server_conn *next = c->next;
        scpauth_error err;
        scpauth__error_set(&err, SCPAUTH_ENOMEM,
                           "cannot start a worker thread for client %s; connection closed",
                           c->peer);
        scpauth__server_conn_finish(srv, c, SCPAUTH_ENOMEM, &err);
        c = next;
    }
}

/* One round of the poller. 0 once there is nothing left to do. */
static int poll_once(scpauth_server *srv)
{
    server_conn *expired = NULL, *stuck = NULL;
    int wait_ms = SERVER_POLL_MS;
    scpauth__monitor_lock(srv->mon);
    if (!accepting(srv) && srv->n_held == 0) {
        scpauth__monitor_unlock(srv->mon);
        return 0;
    }
    take_stuck_queue(srv, &stuck);
    size_t n = build_set(srv, &expired, &wait_ms);
    scpauth__monitor_unlock(srv->mon);
    fail_stuck(srv, stuck);
    if (expired != NULL) {
        close_expired(srv, expired);
        return 1; /* the set changed */
    }
    int rc = scpauth__poller_wait(srv->poller, srv->socks, srv->out, n, srv->ready, wait_ms);
    if (rc < 0) {
        scpauth__sleep_ms(10); /* out of memory or descriptors: retry, no busy loop */
        return 1;
    }
    for (size_t i = 0; rc > 0 && i < n; i++) {
        if (!srv->ready[i])
            continue;
        if (srv->who[i] == NULL)
            accept_one(srv); /* last in the set: the others are handled */
        else if (srv->who[i]->writing)
            scpauth__server_conn_writable(srv, srv->who[i]);
        else
            scpauth__server_conn_readable(srv, srv->who[i]);
    }
    return 1;
}

int scpauth_server_run(scpauth_server *srv, scpauth_error *err)
{
    scpauth__monitor_lock(srv->mon);
    int busy = srv->running;
    srv->running = 1;
    srv->quit = 0;
    scpauth__monitor_unlock(srv->mon);
    if (busy)
        return scpauth__error_set(err, SCPAUTH_ESTATE, "server: already running");
    while (poll_once(srv)) {
    }
    scpauth__monitor_lock(srv->mon);
    srv->quit = 1; /* every connection ended: the workers may go */
    scpauth__monitor_broadcast(srv->mon);
    while (srv->alive > 0)
        scpauth__monitor_wait(srv->mon, -1);
    srv->running = 0;
    scpauth__monitor_unlock(srv->mon);
    return SCPAUTH_OK;
}
