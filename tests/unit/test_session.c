/* test_session.c - the library's session protocol (scpauth/session.h) and
 * server helper (scpauth/server.h), both ends over real loopback sockets
 * with the mock backend: both wire profiles, request/reply, the bad
 * messages a test client sends, what a service must refuse, the per-client
 * time limit, the cap on concurrent clients and a graceful stop; the worker
 * pool: idle connections parked, idle limits, stalled and pipelining
 * clients; clients that stall mid-handshake, never read their replies or
 * connect and say nothing hold no worker and no place. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <scpauth.h>
#include "mock_backend.h"
#include "os_thread.h"

/* A server on a thread, and what it reported. */
typedef struct served {
    scpauth_creds *screds;
    scpauth_socket listener;
    scpauth_server *srv;
    scpauth__monitor *mon;
    int running;
    /* from on_done */
    unsigned done, ok;
    int last_rc;
    scpauth_error last_err;
    unsigned last_messages;
    char last_principal[SCPAUTH_NAME_MAX];
    /* from on_client */
    unsigned now, peak;
    /* from on_done: how connections that stalled were ended */
    unsigned made_room, sent_nothing, not_taken, handshake_timeouts;
} served;

static void on_done(void *user, const scpauth_session *s, const scpauth_ctx_info *info, int rc,
                    const scpauth_error *err)
{
    served *v = user;
    v->done++;
    v->ok += rc == SCPAUTH_OK;
    v->last_rc = rc;
    v->last_err = *err;
    v->made_room += strstr(err->message, "to make room") != NULL;
    v->sent_nothing += strstr(err->message, "sent nothing within") != NULL;
    v->not_taken += strstr(err->message, "bytes not taken") != NULL;
    v->handshake_timeouts += rc == SCPAUTH_ETIMEDOUT && info == NULL &&
                             strstr(err->message, "receiving a frame from") != NULL;
    scpauth_session_times t;
    memset(&t, 0, sizeof(t));
    if (s != NULL)
        scpauth_session_times_get(s, &t);
    v->last_messages = t.messages;
    snprintf(v->last_principal, sizeof(v->last_principal), "%s", info ? info->peer_name : "");
}

/* The scenario's protocol: each request answered with "re:" + request,
 * sealed and signed; counts how many clients are inside at once. */
static int on_client(void *user, scpauth_session *s, const scpauth_ctx_info *info,
                     scpauth_error *err)
{
    served *v = user;
    assert_true(info->mutual);
    scpauth__monitor_lock(v->mon);
    if (++v->now > v->peak)
        v->peak = v->now;
    scpauth__monitor_unlock(v->mon);
    scpauth__sleep_ms(20); /* overlap with the other clients */
    int rc;
    for (;;) {
        scpauth_buffer req = SCPAUTH_BUFFER_INIT;
        rc = scpauth_session_recv_sealed(s, &req, err);
        if (rc == SCPAUTH_SESSION_END) {
            rc = SCPAUTH_OK;
            break;
        }
        if (rc != SCPAUTH_OK)
            break;
        char reply[300];
        int n = snprintf(reply, sizeof(reply), "re:%.*s", (int)req.len, (const char *)req.data);
        scpauth_buffer_free(&req);
        rc = scpauth_session_reply(s, reply, (size_t)n, err);
        if (rc != SCPAUTH_OK)
            break;
    }
    scpauth__monitor_lock(v->mon);
    v->now--;
    scpauth__monitor_unlock(v->mon);
    return rc;
}

/* Per-request mode: one request answered with "re:" + request; counts the
 * workers inside at once. */
static int on_request(void *user, scpauth_session *s, const scpauth_ctx_info *info,
                      scpauth_error *err)
{
    served *v = user;
    assert_true(info->mutual);
    scpauth__monitor_lock(v->mon);
    if (++v->now > v->peak)
        v->peak = v->now;
    scpauth__monitor_unlock(v->mon);
    scpauth_buffer req = SCPAUTH_BUFFER_INIT;
    int rc = scpauth_session_recv_sealed(s, &req, err);
    if (rc == SCPAUTH_OK) {
        scpauth__sleep_ms(2); /* overlap with the other clients */
        char reply[300];
        int n = snprintf(reply, sizeof(reply), "re:%.*s", (int)req.len, (const char *)req.data);
        rc = scpauth_session_reply(s, reply, (size_t)n, err);
    }
    scpauth_buffer_free(&req);
    scpauth__monitor_lock(v->mon);
    v->now--;
    scpauth__monitor_unlock(v->mon);
    return rc;
}

static void server_thread(void *arg)
{
    served *v = arg;
    assert_int_equal(scpauth_server_run(v->srv, NULL), SCPAUTH_OK);
    scpauth__monitor_lock(v->mon);
    v->running = 0;
    scpauth__monitor_broadcast(v->mon);
    scpauth__monitor_unlock(v->mon);
}

/* Fills server options: the given limits, on_done, the mock service. */
static void server_options(served *v, scpauth_server_options *o, scpauth_wire_profile profile,
                           int budget_ms, unsigned max_clients, unsigned long long max_served)
{
    memset(v, 0, sizeof(*v));
    assert_int_equal(scpauth_net_init(NULL), SCPAUTH_OK);
    assert_int_equal(scpauth_mock_creds_new(SCPAUTH_ROLE_SERVICE, NULL, &v->screds, NULL), 0);
    assert_int_equal(scpauth_net_listen("127.0.0.1", 0, 256, &v->listener, NULL), SCPAUTH_OK);
    memset(o, 0, sizeof(*o));
    o->creds = v->screds;
    o->wire.profile = profile;
    o->wire.timeout_ms = 3000;
    o->client_timeout_ms = budget_ms;
    o->max_clients = max_clients;
    o->max_served = max_served;
    o->on_done = on_done;
    o->user = v;
}

/* Starts the server of options o on a thread. */
static void server_launch(served *v, const scpauth_server_options *o)
{
    assert_int_equal(scpauth_server_new(v->listener, o, &v->srv, NULL), SCPAUTH_OK);
    v->mon = scpauth__monitor_new();
    assert_non_null(v->mon);
    v->running = 1;
    assert_int_equal(scpauth__thread_spawn(server_thread, v), 0);
}

/* Starts a server: echo protocol unless `reply`; max_served 0 = until stop. */
static void server_start(served *v, scpauth_wire_profile profile, int budget_ms,
                         unsigned max_clients, unsigned long long max_served, int reply)
{
    scpauth_server_options o;
    server_options(v, &o, profile, budget_ms, max_clients, max_served);
    o.on_client = reply ? on_client : NULL;
    server_launch(v, &o);
}

/* A per-request server with `workers` workers until stopped; idle_ms and
 * frame_ms 0 = defaults. */
static void pool_start(served *v, unsigned workers, unsigned max_clients, int idle_ms,
                       int frame_ms)
{
    scpauth_server_options o;
    server_options(v, &o, SCPAUTH_WIRE_SSPI_SAMPLE, 3000, max_clients, 0);
    o.on_request = on_request;
    o.workers = workers;
    o.idle_timeout_ms = idle_ms;
    if (frame_ms > 0)
        o.wire.timeout_ms = frame_ms;
    server_launch(v, &o);
}

/* Waits until the server has finished n connections. */
static void wait_finished(const served *v, unsigned long long n)
{
    double t0 = scpauth_clock_ms();
    while (scpauth_server_finished(v->srv) < n) {
        assert_true(scpauth_clock_ms() - t0 < 10000);
        scpauth__sleep_ms(5);
    }
}

/* Waits for the server thread to return (max_served reached or stopped). */
static void server_join(served *v)
{
    scpauth__monitor_lock(v->mon);
    while (v->running)
        scpauth__monitor_wait(v->mon, -1);
    scpauth__monitor_unlock(v->mon);
    scpauth_server_free(v->srv);
    scpauth_net_close(v->listener);
    scpauth_creds_free(v->screds);
    scpauth__monitor_free(v->mon);
}

/* A client: connected socket, context, session. */
typedef struct client {
    scpauth_creds *creds;
    scpauth_ctx *ctx;
    scpauth_socket sock;
    scpauth_session *s;
} client;

/* A client running the mock script (NULL = defaults). */
static void client_open_script(client *c, const served *v, scpauth_wire_profile profile,
                               unsigned flags, const scpauth_mock_script *script)
{
    memset(c, 0, sizeof(*c));
    scpauth_wire_options w = {profile, 0, 3000};
    assert_int_equal(scpauth_mock_creds_new(SCPAUTH_ROLE_CLIENT, script, &c->creds, NULL), 0);
    assert_int_equal(scpauth_ctx_new(c->creds, "svc/host", flags, &c->ctx, NULL), 0);
    assert_int_equal(scpauth_net_connect("127.0.0.1", scpauth_net_local_port(v->listener), 3000,
                                         &c->sock, NULL),
                     SCPAUTH_OK);
    assert_int_equal(scpauth_session_new(c->sock, SCPAUTH_ROLE_CLIENT, c->ctx, &w, &c->s, NULL),
                     SCPAUTH_OK);
    scpauth_session_set_peer(c->s, "the test service");
}

static void client_open(client *c, const served *v, scpauth_wire_profile profile, unsigned flags)
{
    client_open_script(c, v, profile, flags, NULL);
}

static void client_close(client *c)
{
    scpauth_net_close(c->sock);
    scpauth_session_free(c->s);
    scpauth_ctx_free(c->ctx);
    scpauth_creds_free(c->creds);
}

static unsigned client_messages(const client *c)
{
    scpauth_session_times t;
    scpauth_session_times_get(c->s, &t);
    return t.messages;
}

/* One service serving one client with the echo protocol, and that client. */
static void pair_open(served *v, client *c, scpauth_wire_profile profile)
{
    server_start(v, profile, 3000, 1, 1, 0);
    client_open(c, v, profile, 0);
}

/* The client closes; the service finishes and reports. */
static void pair_close(served *v, client *c)
{
    client_close(c);
    server_join(v);
}

static void good_session(scpauth_wire_profile profile)
{
    served v;
    client c;
    scpauth_error err;
    pair_open(&v, &c, profile);
    assert_int_equal(scpauth_session_handshake(c.s, &err), SCPAUTH_OK);
    scpauth_session_times t;
    scpauth_session_times_get(c.s, &t);
    assert_true(t.steps >= 1);
    assert_true(t.handshake_ms >= 0.0);
    for (int i = 0; i < 3; i++)
        assert_int_equal(scpauth_session_call(c.s, "hello", 5, &err), SCPAUTH_OK);
    assert_int_equal(scpauth_session_end(c.s, &err), SCPAUTH_OK);
    assert_int_equal(client_messages(&c), 3);
    pair_close(&v, &c);
    assert_int_equal(v.last_rc, SCPAUTH_OK);
    assert_int_equal(v.last_messages, 3);
    assert_string_equal(v.last_principal, "client@MOCK.TEST");
}

static void test_gss_sample_session(void **state)
{
    (void)state;
    good_session(SCPAUTH_WIRE_GSS_SAMPLE);
}

static void test_sspi_sample_session(void **state)
{
    (void)state;
    good_session(SCPAUTH_WIRE_SSPI_SAMPLE);
}

/* Request/reply: sealed request, sealed reply with a MIC, in both profiles. */
static void test_request_reply(void **state)
{
    (void)state;
    scpauth_wire_profile profiles[] = {SCPAUTH_WIRE_GSS_SAMPLE, SCPAUTH_WIRE_SSPI_SAMPLE};
    for (size_t p = 0; p < 2; p++) {
        served v;
        client c;
        scpauth_error err;
        server_start(&v, profiles[p], 3000, 1, 1, 1);
        client_open(&c, &v, profiles[p], 0);
        assert_int_equal(scpauth_session_handshake(c.s, &err), SCPAUTH_OK);
        scpauth_buffer reply = SCPAUTH_BUFFER_INIT;
        assert_int_equal(scpauth_session_request(c.s, "ping", 4, &reply, &err), SCPAUTH_OK);
        assert_int_equal(reply.len, 7);
        assert_memory_equal(reply.data, "re:ping", 7);
        scpauth_buffer_free(&reply);
        assert_int_equal(scpauth_session_end(c.s, &err), SCPAUTH_OK);
        pair_close(&v, &c);
        assert_int_equal(v.last_rc, SCPAUTH_OK);
        assert_int_equal(v.last_messages, 1);
    }
}

/* The echo client notices a reply that is not its own text. */
static void test_call_checks_the_echo(void **state)
{
    (void)state;
    served v;
    client c;
    scpauth_error err;
    server_start(&v, SCPAUTH_WIRE_SSPI_SAMPLE, 3000, 1, 1, 1); /* answers "re:..." */
    client_open(&c, &v, SCPAUTH_WIRE_SSPI_SAMPLE, 0);
    assert_int_equal(scpauth_session_handshake(c.s, &err), SCPAUTH_OK);
    assert_int_equal(scpauth_session_call(c.s, "x", 1, &err), SCPAUTH_EPROTO);
    assert_non_null(strstr(err.message, "not our message 1"));
    assert_int_equal(client_messages(&c), 0);
    pair_close(&v, &c);
}

/* The client's first step taken before connecting, as `connect` does. */
static void test_first_step_before_connect(void **state)
{
    (void)state;
    served v;
    client c;
    scpauth_error err;
    pair_open(&v, &c, SCPAUTH_WIRE_GSS_SAMPLE);
    assert_int_equal(scpauth_session_first_step(c.s, &err), SCPAUTH_OK);
    assert_int_equal(scpauth_session_first_step(c.s, &err), SCPAUTH_ESTATE); /* once */
    scpauth_session_times t;
    scpauth_session_times_get(c.s, &t);
    assert_int_equal(t.steps, 1);
    assert_int_equal(scpauth_session_handshake(c.s, &err), SCPAUTH_OK);
    assert_int_equal(scpauth_session_call(c.s, "x", 1, &err), SCPAUTH_OK);
    assert_int_equal(scpauth_session_end(c.s, &err), SCPAUTH_OK);
    pair_close(&v, &c);
    assert_int_equal(v.last_rc, SCPAUTH_OK);
}

/* Each bad message: the client sees a hang-up, the service its own error. */
static void bad_message(scpauth_wire_profile profile, scpauth_session_bad kind, int expected)
{
    served v;
    client c;
    scpauth_error err;
    pair_open(&v, &c, profile);
    scpauth_session_keep_last(c.s, 1);
    assert_int_equal(scpauth_session_handshake(c.s, &err), SCPAUTH_OK);
    assert_int_equal(scpauth_session_call(c.s, "good", 4, &err), SCPAUTH_OK);
    assert_int_equal(scpauth_session_call_bad(c.s, kind, "bad!", 4, &err), SCPAUTH_OK);
    pair_close(&v, &c);
    assert_int_equal(v.last_rc, expected);
    assert_int_equal(v.last_messages, 1);
    assert_non_null(strstr(v.last_err.message, "127.0.0.1:")); /* names the client */
}

static void test_bad_messages(void **state)
{
    (void)state;
    scpauth_wire_profile profiles[] = {SCPAUTH_WIRE_GSS_SAMPLE, SCPAUTH_WIRE_SSPI_SAMPLE};
    for (size_t p = 0; p < 2; p++) {
        bad_message(profiles[p], SCPAUTH_SESSION_BAD_TAMPER, SCPAUTH_EBADSIG);
        bad_message(profiles[p], SCPAUTH_SESSION_BAD_REPLAY, SCPAUTH_EREPLAY);
        bad_message(profiles[p], SCPAUTH_SESSION_BAD_REORDER, SCPAUTH_ESEQUENCE);
        bad_message(profiles[p], SCPAUTH_SESSION_BAD_TRUNCATE, SCPAUTH_ETRUNCATED);
    }
}

static void test_replay_needs_a_message(void **state)
{
    (void)state;
    served v;
    client c;
    scpauth_error err;
    pair_open(&v, &c, SCPAUTH_WIRE_GSS_SAMPLE);
    scpauth_session_keep_last(c.s, 1);
    assert_int_equal(scpauth_session_handshake(c.s, &err), SCPAUTH_OK);
    assert_int_equal(scpauth_session_call_bad(c.s, SCPAUTH_SESSION_BAD_REPLAY, "x", 1, &err),
                     SCPAUTH_EINVAL);
    assert_int_equal(scpauth_session_call_bad(c.s, (scpauth_session_bad)99, "x", 1, &err),
                     SCPAUTH_EINVAL);
    assert_int_equal(scpauth_session_end(c.s, &err), SCPAUTH_OK);
    pair_close(&v, &c);
    assert_int_equal(v.last_rc, SCPAUTH_OK);
}

/* A client that does not request mutual authentication is refused by the
 * service, whose error names the client. */
static void test_service_refuses_no_mutual(void **state)
{
    (void)state;
    served v;
    client c;
    scpauth_error err;
    server_start(&v, SCPAUTH_WIRE_GSS_SAMPLE, 3000, 1, 1, 0);
    client_open(&c, &v, SCPAUTH_WIRE_GSS_SAMPLE,
                (SCPAUTH_FLAGS_CLIENT_DEFAULT & ~SCPAUTH_FLAG_MUTUAL) |
                    SCPAUTH_FLAG_ALLOW_NO_MUTUAL);
    int rc = scpauth_session_handshake(c.s, &err); /* the client may think it is done */
    (void)rc;
    pair_close(&v, &c);
    assert_int_equal(v.last_rc, SCPAUTH_ENOMUTUAL);
    assert_non_null(strstr(v.last_err.message, "client@MOCK.TEST"));
    assert_int_equal(v.ok, 0);
}

/* Raw frames the service must refuse, each with its own code. */
static void raw_first_frame(unsigned flags, const char *body, size_t len, int expected,
                            const char *says)
{
    served v;
    client c;
    scpauth_error err;
    pair_open(&v, &c, SCPAUTH_WIRE_GSS_SAMPLE);
    scpauth_wire_options w = {SCPAUTH_WIRE_GSS_SAMPLE, 0, 3000};
    assert_int_equal(scpauth_wire_send(c.sock, &w, flags, body, len, &err), SCPAUTH_OK);
    pair_close(&v, &c);
    assert_int_equal(v.last_rc, expected);
    assert_non_null(strstr(v.last_err.message, says));
}

static void test_service_refuses_bad_openings(void **state)
{
    (void)state;
    /* gss-client -na: NOOP without CONTEXT_NEXT */
    raw_first_frame(SCPAUTH_WIRE_TOKEN_NOOP, NULL, 0, SCPAUTH_EAUTH, "unauthenticated");
    /* a data frame instead of the opening */
    raw_first_frame(SCPAUTH_WIRE_TOKEN_DATA, "x", 1, SCPAUTH_EPROTO, "127.0.0.1:");
    /* the client hangs up without a word */
    raw_first_frame(SCPAUTH_WIRE_TOKEN_NOOP | SCPAUTH_WIRE_TOKEN_CONTEXT_NEXT, NULL, 0,
                    SCPAUTH_EOF, "handshake token");
}

/* A message in the clear after a good handshake: ENOTSEALED. */
static void test_service_refuses_cleartext(void **state)
{
    (void)state;
    served v;
    client c;
    scpauth_error err;
    pair_open(&v, &c, SCPAUTH_WIRE_GSS_SAMPLE);
    assert_int_equal(scpauth_session_handshake(c.s, &err), SCPAUTH_OK);
    scpauth_wire_options w = {SCPAUTH_WIRE_GSS_SAMPLE, 0, 3000};
    assert_int_equal(scpauth_wire_send(c.sock, &w,
                                       SCPAUTH_WIRE_TOKEN_DATA | SCPAUTH_WIRE_TOKEN_SEND_MIC,
                                       "plain", 5, &err),
                     SCPAUTH_OK);
    pair_close(&v, &c);
    assert_int_equal(v.last_rc, SCPAUTH_ENOTSEALED);
    assert_non_null(strstr(v.last_err.message, "in the clear"));
}

/* A silent client: the per-client time limit ends it, not the frame timeout. */
static void test_handshake_budget(void **state)
{
    (void)state;
    served v;
    client c;
    server_start(&v, SCPAUTH_WIRE_SSPI_SAMPLE, 200, 1, 1, 0);
    client_open(&c, &v, SCPAUTH_WIRE_SSPI_SAMPLE, 0);
    double t0 = scpauth_clock_ms();
    server_join(&v); /* the service gives up on its own */
    double waited = scpauth_clock_ms() - t0;
    client_close(&c);
    assert_int_equal(v.last_rc, SCPAUTH_ETIMEDOUT);
    assert_true(waited < 2500); /* the budget, not the 3 s frame timeout */
}

/* Many clients at once: all served, never more than max_clients inside. */
typedef struct many_arg {
    const served *v;
    int rc;
    scpauth__monitor *mon;
    unsigned *left;
} many_arg;

static void many_client(void *arg)
{
    many_arg *a = arg;
    client c;
    scpauth_error err;
    client_open(&c, a->v, SCPAUTH_WIRE_GSS_SAMPLE, 0);
    scpauth_buffer reply = SCPAUTH_BUFFER_INIT;
    a->rc = scpauth_session_handshake(c.s, &err);
    if (a->rc == SCPAUTH_OK)
        a->rc = scpauth_session_request(c.s, "hi", 2, &reply, &err);
    if (a->rc == SCPAUTH_OK)
        a->rc = scpauth_session_end(c.s, &err);
    scpauth_buffer_free(&reply);
    client_close(&c);
    scpauth__monitor_lock(a->mon);
    (*a->left)--;
    scpauth__monitor_broadcast(a->mon);
    scpauth__monitor_unlock(a->mon);
}

static void test_concurrent_clients_and_stop(void **state)
{
    (void)state;
    enum { N = 16, CAP = 4 };
    served v;
    server_start(&v, SCPAUTH_WIRE_GSS_SAMPLE, 3000, CAP, 0, 1);
    scpauth__monitor *mon = scpauth__monitor_new();
    unsigned left = N;
    many_arg args[N];
    for (int i = 0; i < N; i++) {
        args[i] = (many_arg){&v, -1, mon, &left};
        assert_int_equal(scpauth__thread_spawn(many_client, &args[i]), 0);
    }
    scpauth__monitor_lock(mon);
    while (left > 0)
        scpauth__monitor_wait(mon, -1);
    scpauth__monitor_unlock(mon);
    for (int i = 0; i < N; i++)
        assert_int_equal(args[i].rc, SCPAUTH_OK);
    while (scpauth_server_finished(v.srv) < N)
        scpauth__sleep_ms(5);
    double t0 = scpauth_clock_ms();
    scpauth_server_stop(v.srv);
    server_join(&v);
    assert_true(scpauth_clock_ms() - t0 < 1000); /* noticed within the poll interval */
    scpauth__monitor_free(mon);
    assert_int_equal(v.done, N);
    assert_int_equal(v.ok, N);
    assert_true(v.peak >= 2);   /* clients overlapped */
    assert_true(v.peak <= CAP); /* but never more than the cap */
}

/* More idle clients than workers: each authenticates, then waits without
 * holding a worker; all are still served afterwards, two at a time at most. */
static void test_pool_parks_idle_connections(void **state)
{
    (void)state;
    enum { N = 200, WORKERS = 2 };
    served v;
    /* an idle limit well past the test's length: on a loaded machine (or
     * under Wine) 200 handshakes and requests take seconds, and client 0
     * is asked last */
    pool_start(&v, WORKERS, N, 60000, 0);
    static client cs[N];
    scpauth_error err;
    for (int i = 0; i < N; i++) {
        client_open(&cs[i], &v, SCPAUTH_WIRE_SSPI_SAMPLE, 0);
        assert_int_equal(scpauth_session_handshake(cs[i].s, &err), SCPAUTH_OK);
    }
    scpauth__sleep_ms(50);
    assert_int_equal(scpauth_server_finished(v.srv), 0); /* all held, none blocked */
    for (int i = N - 1; i >= 0; i--) {
        char req[16];
        int n = snprintf(req, sizeof(req), "c%d", i);
        scpauth_buffer reply = SCPAUTH_BUFFER_INIT;
        assert_int_equal(scpauth_session_request(cs[i].s, req, (size_t)n, &reply, &err),
                         SCPAUTH_OK);
        assert_int_equal(reply.len, (size_t)n + 3);
        assert_memory_equal(reply.data + 3, req, (size_t)n);
        scpauth_buffer_free(&reply);
    }
    for (int i = 0; i < N; i++)
        client_close(&cs[i]); /* sspi-sample ends with a close */
    wait_finished(&v, N);
    scpauth_server_stop(v.srv);
    server_join(&v);
    assert_int_equal(v.done, N);
    assert_int_equal(v.ok, N);
    assert_int_equal(v.last_messages, 1);
    assert_true(v.peak <= WORKERS);
}

/* A parked connection idle past the limit is closed and reported; a stop
 * with idle clients still returns once they are closed. */
static void test_pool_idle_timeout(void **state)
{
    (void)state;
    served v;
    client c;
    scpauth_error err;
    pool_start(&v, 2, 8, 150, 0);
    client_open(&c, &v, SCPAUTH_WIRE_SSPI_SAMPLE, 0);
    assert_int_equal(scpauth_session_handshake(c.s, &err), SCPAUTH_OK);
    scpauth_buffer reply = SCPAUTH_BUFFER_INIT;
    assert_int_equal(scpauth_session_request(c.s, "a", 1, &reply, &err), SCPAUTH_OK);
    scpauth_buffer_free(&reply);
    double t0 = scpauth_clock_ms();
    wait_finished(&v, 1);
    assert_true(scpauth_clock_ms() - t0 < 2000);
    assert_int_equal(v.last_rc, SCPAUTH_ETIMEDOUT);
    assert_non_null(strstr(v.last_err.message, "idle for 150 ms"));
    assert_non_null(strstr(v.last_err.message, "127.0.0.1:"));
    assert_int_equal(v.last_messages, 1);
    assert_int_not_equal(scpauth_session_request(c.s, "b", 1, &reply, &err), SCPAUTH_OK);
    client_close(&c);
    client idle;
    client_open(&idle, &v, SCPAUTH_WIRE_SSPI_SAMPLE, 0);
    assert_int_equal(scpauth_session_handshake(idle.s, &err), SCPAUTH_OK);
    scpauth_server_stop(v.srv);
    server_join(&v); /* ends when the idle client is closed */
    client_close(&idle);
    assert_int_equal(v.done, 2);
    assert_int_equal(v.last_rc, SCPAUTH_ETIMEDOUT);
}

/* Clients that send half a frame and stall, or connect and say nothing,
 * hold no worker: with more of them than workers, another client is served
 * at once; each stalled one is closed after the frame timeout. */
static void test_pool_stalled_clients(void **state)
{
    (void)state;
    enum { STALLED = 3 };
    served v;
    client bad[STALLED], good, silent;
    scpauth_error err;
    pool_start(&v, 1, 8, 0, 1000);
    client_open(&silent, &v, SCPAUTH_WIRE_SSPI_SAMPLE, 0);
    for (int i = 0; i < STALLED; i++) {
        client_open(&bad[i], &v, SCPAUTH_WIRE_SSPI_SAMPLE, 0);
        assert_int_equal(scpauth_session_handshake(bad[i].s, &err), SCPAUTH_OK);
        assert_int_equal(
            scpauth_session_call_bad(bad[i].s, SCPAUTH_SESSION_BAD_TRUNCATE, "xyzw", 4, &err),
            SCPAUTH_OK);
    }
    double t0 = scpauth_clock_ms();
    client_open(&good, &v, SCPAUTH_WIRE_SSPI_SAMPLE, 0);
    assert_int_equal(scpauth_session_handshake(good.s, &err), SCPAUTH_OK);
    scpauth_buffer reply = SCPAUTH_BUFFER_INIT;
    assert_int_equal(scpauth_session_request(good.s, "hi", 2, &reply, &err), SCPAUTH_OK);
    scpauth_buffer_free(&reply);
    assert_true(scpauth_clock_ms() - t0 < 900); /* before any frame timeout */
    assert_int_equal(scpauth_server_finished(v.srv), 0);
    client_close(&good);
    client_close(&silent);
    wait_finished(&v, STALLED + 2);
    assert_true(scpauth_clock_ms() - t0 >= 900); /* the stalled ones: their timeout */
    scpauth_server_stop(v.srv);
    server_join(&v);
    for (int i = 0; i < STALLED; i++)
        client_close(&bad[i]);
    assert_int_equal(v.done, STALLED + 2);
    assert_int_equal(v.ok, 1);
    assert_int_equal(v.last_rc, SCPAUTH_ETIMEDOUT);
    assert_non_null(strstr(v.last_err.message, "timed out after 1000 ms ("));
}

/* Pipelined requests (default echo, parked between requests): the poller
 * reads one frame at a time and every request gets its answer in order. */
static void test_pool_pipelined_echo(void **state)
{
    (void)state;
    served v;
    client c;
    scpauth_error err;
    pair_open(&v, &c, SCPAUTH_WIRE_GSS_SAMPLE);
    assert_int_equal(scpauth_session_handshake(c.s, &err), SCPAUTH_OK);
    const char *msgs[] = {"one", "two", "three"};
    for (int i = 0; i < 3; i++)
        assert_int_equal(scpauth_session_send_sealed(c.s, msgs[i], strlen(msgs[i]), &err),
                         SCPAUTH_OK);
    for (int i = 0; i < 3; i++)
        assert_int_equal(scpauth_session_recv_mic(c.s, msgs[i], strlen(msgs[i]), &err),
                         SCPAUTH_OK);
    assert_int_equal(scpauth_session_end(c.s, &err), SCPAUTH_OK);
    pair_close(&v, &c);
    assert_int_equal(v.last_rc, SCPAUTH_OK);
    assert_int_equal(v.last_messages, 3);
}

/* The service's credentials replaced by ones running script. */
static void service_script(served *v, scpauth_server_options *o, const scpauth_mock_script *script)
{
    scpauth_creds_free(v->screds);
    assert_int_equal(scpauth_mock_creds_new(SCPAUTH_ROLE_SERVICE, script, &v->screds, NULL), 0);
    o->creds = v->screds;
}

/* A good client's handshake and one request; returns the milliseconds. */
static double good_client_ms(const served *v, const scpauth_mock_script *script)
{
    client good;
    scpauth_error err;
    double t0 = scpauth_clock_ms();
    client_open_script(&good, v, SCPAUTH_WIRE_SSPI_SAMPLE, 0, script);
    assert_int_equal(scpauth_session_handshake(good.s, &err), SCPAUTH_OK);
    scpauth_buffer reply = SCPAUTH_BUFFER_INIT;
    assert_int_equal(scpauth_session_request(good.s, "hi", 2, &reply, &err), SCPAUTH_OK);
    scpauth_buffer_free(&reply);
    double ms = scpauth_clock_ms() - t0;
    client_close(&good);
    return ms;
}

/* Clients that stop after the first of two handshake tokens hold no
 * worker: with more of them than workers, a new client is served at once;
 * the handshake's limit (from the connection's start) still ends them. */
static void test_pool_handshake_stall(void **state)
{
    (void)state;
    enum { STALLED = 3 };
    served v;
    scpauth_server_options o;
    scpauth_mock_script two;
    memset(&two, 0, sizeof(two));
    two.rounds = 2;
    server_options(&v, &o, SCPAUTH_WIRE_SSPI_SAMPLE, 800, 8, 0);
    service_script(&v, &o, &two);
    o.on_request = on_request;
    o.workers = 1;
    server_launch(&v, &o);
    client bad[STALLED];
    scpauth_error err;
    double t0 = scpauth_clock_ms();
    for (int i = 0; i < STALLED; i++) {
        client_open_script(&bad[i], &v, SCPAUTH_WIRE_SSPI_SAMPLE, 0, &two);
        scpauth_buffer tok = SCPAUTH_BUFFER_INIT, answer = SCPAUTH_BUFFER_INIT;
        assert_int_equal(scpauth_ctx_step(bad[i].ctx, NULL, 0, &tok, &err), SCPAUTH_CONTINUE);
        scpauth_wire_options w = {SCPAUTH_WIRE_SSPI_SAMPLE, 0, 3000};
        assert_int_equal(scpauth_wire_send(bad[i].sock, &w, 0, tok.data, tok.len, &err),
                         SCPAUTH_OK);
        assert_int_equal(scpauth_wire_recv(bad[i].sock, &w, NULL, &answer, &err), SCPAUTH_OK);
        assert_true(answer.len > 0); /* the service wants our second token: we stall */
        scpauth_buffer_free(&tok);
        scpauth_buffer_free(&answer);
    }
    double ms = good_client_ms(&v, &two);
    print_message("a new client beside %d stalled handshakes: %.1f ms\n", STALLED, ms);
    assert_true(ms < 500); /* a worker, not the 800 ms limit */
    wait_finished(&v, STALLED + 1);
    assert_true(scpauth_clock_ms() - t0 >= 750); /* the stalled ones: their limit */
    scpauth_server_stop(v.srv);
    server_join(&v);
    for (int i = 0; i < STALLED; i++)
        client_close(&bad[i]);
    assert_int_equal(v.ok, 1);
    assert_int_equal(v.handshake_timeouts, STALLED);
}

/* A client that sends requests and never reads the replies. */
typedef struct deaf_arg {
    client c;
    int sent;
    scpauth__monitor *mon;
    int done;
} deaf_arg;

static void deaf_client(void *arg)
{
    deaf_arg *a = arg;
    static unsigned char big[128 * 1024];
    scpauth_error err;
    for (a->sent = 0; a->sent < 64; a->sent++)
        if (scpauth_session_send_sealed(a->c.s, big, sizeof(big), &err) != SCPAUTH_OK)
            break; /* the service closed us */
    scpauth__monitor_lock(a->mon);
    a->done = 1;
    scpauth__monitor_broadcast(a->mon);
    scpauth__monitor_unlock(a->mon);
}

/* Replies a client does not read are queued and sent by the poller: the
 * one worker stays free for a new client; the deaf client is closed after
 * the frame timeout. */
static void test_pool_unread_replies(void **state)
{
    (void)state;
    served v;
    scpauth_server_options o;
    server_options(&v, &o, SCPAUTH_WIRE_SSPI_SAMPLE, 3000, 8, 0); /* the default echo */
    o.workers = 1;
    o.wire.timeout_ms = 1000;
    server_launch(&v, &o);
    static deaf_arg deaf;
    scpauth_error err;
    client_open(&deaf.c, &v, SCPAUTH_WIRE_SSPI_SAMPLE, 0);
    assert_int_equal(scpauth_session_handshake(deaf.c.s, &err), SCPAUTH_OK);
    deaf.mon = scpauth__monitor_new();
    assert_non_null(deaf.mon);
    assert_int_equal(scpauth__thread_spawn(deaf_client, &deaf), 0);
    scpauth__sleep_ms(300); /* its replies fill the socket buffers */
    double ms = good_client_ms(&v, NULL);
    print_message("a new client beside a client that does not read: %.1f ms\n", ms);
    assert_true(ms < 500); /* not the 1000 ms write timeout */
    wait_finished(&v, 2);
    scpauth__monitor_lock(deaf.mon);
    while (!deaf.done) /* its send fails once the service closed it */
        scpauth__monitor_wait(deaf.mon, -1);
    scpauth__monitor_unlock(deaf.mon);
    scpauth__monitor_free(deaf.mon);
    assert_int_equal(v.ok, 1);
    assert_int_equal(v.not_taken, 1);
    assert_true(deaf.sent > 2); /* it sent more than the buffers took back */
    scpauth_server_stop(v.srv);
    server_join(&v);
    client_close(&deaf.c);
}

/* Silent connections beyond the cap on those not yet authenticated (and
 * beyond max_clients) give way to a new client; the rest are closed after
 * the first-byte timeout. */
static void test_pool_unauthenticated_cap(void **state)
{
    (void)state;
    enum { SILENT = 12 };
    served v;
    scpauth_server_options o;
    server_options(&v, &o, SCPAUTH_WIRE_SSPI_SAMPLE, 3000, 8, 0);
    o.on_request = on_request;
    o.workers = 1;
    o.max_unauthenticated = 4;
    o.first_byte_timeout_ms = 600;
    server_launch(&v, &o);
    scpauth_socket silent[SILENT];
    double t0 = scpauth_clock_ms();
    for (int i = 0; i < SILENT; i++)
        assert_int_equal(scpauth_net_connect("127.0.0.1", scpauth_net_local_port(v.listener),
                                             3000, &silent[i], NULL),
                         SCPAUTH_OK);
    scpauth__sleep_ms(200); /* past the silent ones' grace */
    double ms = good_client_ms(&v, NULL);
    print_message("a new client beside %d silent connections: %.1f ms\n", SILENT, ms);
    assert_true(ms < 350); /* before the first-byte timeout */
    wait_finished(&v, SILENT + 1);
    double all = scpauth_clock_ms() - t0;
    assert_true(all < 1500); /* the first-byte timeout, not the 3 s handshake limit */
    scpauth_server_stop(v.srv);
    server_join(&v);
    for (int i = 0; i < SILENT; i++)
        scpauth_net_close(silent[i]);
    assert_int_equal(v.ok, 1);
    assert_int_equal(v.made_room + v.sent_nothing, SILENT);
    assert_true(v.made_room >= SILENT - 4);
    assert_true(v.sent_nothing >= 1);
}

static void test_argument_checks(void **state)
{
    (void)state;
    scpauth_session *s = NULL;
    scpauth_server *srv = NULL;
    scpauth_error err;
    assert_int_equal(scpauth_session_new(SCPAUTH_INVALID_SOCKET, (scpauth_role)9, NULL, NULL, &s,
                                         &err),
                     SCPAUTH_EINVAL);
    assert_int_equal(scpauth_session_new(SCPAUTH_INVALID_SOCKET, SCPAUTH_ROLE_CLIENT, NULL, NULL,
                                         &s, &err),
                     SCPAUTH_OK);
    assert_int_equal(scpauth_session_profile(s), SCPAUTH_WIRE_SSPI_SAMPLE);
    assert_int_equal(scpauth_session_handshake(s, &err), SCPAUTH_ESTATE);
    scpauth_session_free(s);
    scpauth_server_options o;
    memset(&o, 0, sizeof(o));
    assert_int_equal(scpauth_server_new(SCPAUTH_INVALID_SOCKET, &o, &srv, &err), SCPAUTH_EINVAL);
    assert_null(srv);
    o.creds = (scpauth_creds *)&o; /* never used: the options are refused first */
    o.idle_timeout_ms = -1;
    assert_int_equal(scpauth_server_new(SCPAUTH_INVALID_SOCKET, &o, &srv, &err), SCPAUTH_EINVAL);
    assert_null(srv);
    o.idle_timeout_ms = 0;
    o.first_byte_timeout_ms = -1;
    assert_int_equal(scpauth_server_new(SCPAUTH_INVALID_SOCKET, &o, &srv, &err), SCPAUTH_EINVAL);
    assert_null(srv);
    assert_int_equal(scpauth_wire_profile_from_name("gss-sample"), SCPAUTH_WIRE_GSS_SAMPLE);
    assert_int_equal(scpauth_wire_profile_from_name("sspi-sample"), SCPAUTH_WIRE_SSPI_SAMPLE);
    assert_int_equal(scpauth_wire_profile_from_name("tls"), 0);
    assert_string_equal(scpauth_wire_profile_name(SCPAUTH_WIRE_GSS_SAMPLE), "gss-sample");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_gss_sample_session),
        cmocka_unit_test(test_sspi_sample_session),
        cmocka_unit_test(test_request_reply),
        cmocka_unit_test(test_call_checks_the_echo),
        cmocka_unit_test(test_first_step_before_connect),
        cmocka_unit_test(test_bad_messages),
        cmocka_unit_test(test_replay_needs_a_message),
        cmocka_unit_test(test_service_refuses_no_mutual),
        cmocka_unit_test(test_service_refuses_bad_openings),
        cmocka_unit_test(test_service_refuses_cleartext),
        cmocka_unit_test(test_handshake_budget),
        cmocka_unit_test(test_concurrent_clients_and_stop),
        cmocka_unit_test(test_pool_parks_idle_connections),
        cmocka_unit_test(test_pool_idle_timeout),
        cmocka_unit_test(test_pool_stalled_clients),
        cmocka_unit_test(test_pool_pipelined_echo),
        cmocka_unit_test(test_pool_handshake_stall),
        cmocka_unit_test(test_pool_unread_replies),
        cmocka_unit_test(test_pool_unauthenticated_cap),
        cmocka_unit_test(test_argument_checks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
