/* server.c - the accept loop and per-client workers of scpauth/server.h.
 * Threads, locks and clocks come from os_thread.h (no platform #ifdef). */
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "error_internal.h"
#include "os_thread.h"
#include "scpauth/net.h"
#include "scpauth/server.h"

#define SERVER_POLL_MS 100 /* how often the accept loop looks at the stop flag */

struct scpauth_server {
    scpauth_socket listener;
    scpauth_server_options o;
    scpauth__monitor *mon;    /* active, finished, running */
    scpauth__monitor *report; /* keeps on_done calls apart */
    volatile sig_atomic_t stop;
    unsigned active;
    unsigned long long accepted, finished;
    int running;
};

typedef struct client_job {
    scpauth_server *srv;
    scpauth_socket sock;
    char peer[SCPAUTH_SESSION_PEER_MAX];
} client_job;

int scpauth_server_new(scpauth_socket listener, const scpauth_server_options *opts,
                       scpauth_server **out, scpauth_error *err)
{
    if (out == NULL || opts == NULL || opts->creds == NULL || opts->client_timeout_ms < 0)
        return scpauth__error_set(err, SCPAUTH_EINVAL,
                                  "server: needs options with service credentials");
    *out = NULL;
    scpauth_server *srv = calloc(1, sizeof(*srv));
    if (srv != NULL) {
        srv->mon = scpauth__monitor_new();
        srv->report = scpauth__monitor_new();
    }
    if (srv == NULL || srv->mon == NULL || srv->report == NULL) {
        scpauth_server_free(srv);
        return scpauth__error_set(err, SCPAUTH_ENOMEM, "server: out of memory");
    }
    srv->listener = listener;
    srv->o = *opts;
    if (srv->o.max_clients == 0)
        srv->o.max_clients = SCPAUTH_SERVER_DEFAULT_MAX_CLIENTS;
    if (srv->o.client_timeout_ms == 0)
        srv->o.client_timeout_ms = SCPAUTH_SERVER_DEFAULT_CLIENT_TIMEOUT_MS;
    if (srv->o.wire.timeout_ms <= 0)
        srv->o.wire.timeout_ms = srv->o.client_timeout_ms;
    *out = srv;
    return SCPAUTH_OK;
}

void scpauth_server_free(scpauth_server *srv)
{
    if (srv == NULL)
        return;
    scpauth__monitor_free(srv->mon);
    scpauth__monitor_free(srv->report);
    free(srv);
}

void scpauth_server_stop(scpauth_server *srv)
{
    srv->stop = 1; /* a plain store: callable from a signal handler */
}

unsigned long long scpauth_server_finished(scpauth_server *srv)
{
    scpauth__monitor_lock(srv->mon);
    unsigned long long n = srv->finished;
    scpauth__monitor_unlock(srv->mon);
    return n;
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

/* Authenticates one client, hands it to on_client, reports the outcome. */
static int serve_client(scpauth_server *srv, client_job *job, scpauth_session *s,
                        scpauth_ctx_info *info, int *have_info, scpauth_error *err)
{
    scpauth_ctx *ctx = NULL;
    int rc = scpauth_ctx_new(srv->o.creds, NULL, srv->o.ctx_flags, &ctx, err);
    if (rc != SCPAUTH_OK)
        return rc;
    scpauth_session_set_ctx(s, ctx);
    rc = scpauth_session_handshake(s, err);
    if (rc == SCPAUTH_OK) {
        rc = scpauth_ctx_info_get(ctx, info, err);
        *have_info = rc == SCPAUTH_OK;
    }
    if (rc == SCPAUTH_OK)
        rc = srv->o.on_client ? srv->o.on_client(srv->o.user, s, info, err)
                              : scpauth_session_serve(s, err);
    if (rc != SCPAUTH_OK && strstr(err->message, job->peer) == NULL)
        scpauth__error_prefix(err, "client %s", job->peer); /* every error names its peer */
    scpauth_session_set_ctx(s, NULL);
    scpauth_ctx_free(ctx);
    return rc;
}

static void worker(void *arg)
{
    client_job *job = arg;
    scpauth_server *srv = job->srv;
    scpauth_error err;
    scpauth_error_clear(&err);
    scpauth_ctx_info info;
    int have_info = 0;
    scpauth_session *s = NULL;
    int rc = scpauth_session_new(job->sock, SCPAUTH_ROLE_SERVICE, NULL, &srv->o.wire, &s, &err);
    if (rc == SCPAUTH_OK) {
        scpauth_session_set_peer(s, job->peer);
        scpauth_session_set_budget(s, srv->o.client_timeout_ms);
        rc = serve_client(srv, job, s, &info, &have_info, &err);
    }
    report(srv, s, have_info ? &info : NULL, rc, &err);
    scpauth_memzero(&info, sizeof(info));
    scpauth_session_free(s);
    scpauth_net_close(job->sock);
    free(job);
    scpauth__monitor_lock(srv->mon);
    srv->active--;
    srv->finished++;
    scpauth__monitor_broadcast(srv->mon);
    scpauth__monitor_unlock(srv->mon);
}

/* Waits for a free worker place; 0 if asked to stop meanwhile. */
static int wait_for_place(scpauth_server *srv)
{
    scpauth__monitor_lock(srv->mon);
    while (srv->active >= srv->o.max_clients && !srv->stop)
        scpauth__monitor_wait(srv->mon, SERVER_POLL_MS);
    int go = !srv->stop;
    scpauth__monitor_unlock(srv->mon);
    return go;
}

/* Accepts one client and starts its worker. SCPAUTH_OK also when nothing
 * arrived within the poll interval. */
static int accept_one(scpauth_server *srv)
{
    scpauth_error err;
    scpauth_error_clear(&err);
    client_job *job = calloc(1, sizeof(*job));
    if (job == NULL) {
        scpauth__error_set(&err, SCPAUTH_ENOMEM, "server: out of memory for a client");
        report(srv, NULL, NULL, err.code, &err);
        scpauth__sleep_ms(SERVER_POLL_MS);
        return SCPAUTH_ENOMEM;
    }
    int rc = scpauth_net_accept(srv->listener, SERVER_POLL_MS, &job->sock, job->peer,
                                sizeof(job->peer), &err);
    if (rc == SCPAUTH_OK) {
        job->srv = srv;
        scpauth__monitor_lock(srv->mon);
        srv->active++;
        srv->accepted++;
        scpauth__monitor_unlock(srv->mon);
        if (scpauth__thread_spawn(worker, job) == 0)
            return SCPAUTH_OK;
        scpauth_net_close(job->sock);
        rc = scpauth__error_set(&err, SCPAUTH_ENOMEM,
                                "cannot start a thread for client %s; connection closed",
                                job->peer);
        scpauth__monitor_lock(srv->mon);
        srv->active--;
        srv->finished++;
        scpauth__monitor_unlock(srv->mon);
    }
    free(job);
    if (rc == SCPAUTH_ETIMEDOUT)
        return SCPAUTH_OK;
    report(srv, NULL, NULL, rc, &err); /* not fatal: the next client may do better */
    scpauth__sleep_ms(10);             /* e.g. out of descriptors: no busy loop */
    return rc;
}

int scpauth_server_run(scpauth_server *srv, scpauth_error *err)
{
    scpauth__monitor_lock(srv->mon);
    int busy = srv->running;
    srv->running = 1;
    scpauth__monitor_unlock(srv->mon);
    if (busy)
        return scpauth__error_set(err, SCPAUTH_ESTATE, "server: already running");
    while (!srv->stop && (srv->o.max_served == 0 || srv->accepted < srv->o.max_served)) {
        if (wait_for_place(srv))
            (void)accept_one(srv);
    }
    scpauth__monitor_lock(srv->mon);
    while (srv->active > 0)
        scpauth__monitor_wait(srv->mon, -1);
    srv->running = 0;
    scpauth__monitor_unlock(srv->mon);
    return SCPAUTH_OK;
}
