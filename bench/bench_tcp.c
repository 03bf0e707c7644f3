/* bench_tcp.c - mutual handshakes over loopback TCP, a new connection each:
 * an scpauth client against an scpauth service (public API: net, wire, ctx)
 * and a raw-GSSAPI client against a raw-GSSAPI service (plain sockets), both
 * speaking gss-sample, both services in this process on their own thread.
 *
 *   bench_tcp --ccache C --keytab K --spn SPN --host ADDR [--iters N]
 *             [--rounds R] [--smoke] */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "bench.h"

#define T_NOOP SCPAUTH_WIRE_TOKEN_NOOP
#define T_CONTEXT SCPAUTH_WIRE_TOKEN_CONTEXT
#define T_NEXT SCPAUTH_WIRE_TOKEN_CONTEXT_NEXT
#define T_MIC SCPAUTH_WIRE_TOKEN_MIC

static const scpauth_wire_options wire = {SCPAUTH_WIRE_GSS_SAMPLE, 0, 30000};

typedef struct server {
    const char *keytab;
    int fd;            /* listener */
    unsigned port;
} server;

/* ---- scpauth service: one client at a time ----------------------------- */

static int api_serve(scpauth_creds *sc, scpauth_socket s)
{
    scpauth_ctx *ctx = NULL;
    scpauth_buffer in = SCPAUTH_BUFFER_INIT, out = SCPAUTH_BUFFER_INIT;
    unsigned flags = 0;
    int rc = scpauth_ctx_new(sc, NULL, 0, &ctx, NULL);
    if (rc == SCPAUTH_OK)
        rc = scpauth_wire_recv(s, &wire, &flags, &in, NULL);
    if (rc == SCPAUTH_OK && flags != (T_NOOP | T_NEXT))
        rc = SCPAUTH_EPROTO;
    while (rc == SCPAUTH_OK && !scpauth_ctx_is_established(ctx)) {
        scpauth_buffer_free(&in);
        rc = scpauth_wire_recv(s, &wire, &flags, &in, NULL);
        if (rc == SCPAUTH_OK)
            rc = scpauth_ctx_step(ctx, in.data, in.len, &out, NULL);
        if (rc == SCPAUTH_CONTINUE)
            rc = SCPAUTH_OK;
        if (rc == SCPAUTH_OK && out.len > 0)
            rc = scpauth_wire_send(s, &wire, T_CONTEXT, out.data, out.len, NULL);
        scpauth_buffer_free(&out);
    }
    /* messages until NOOP: unseal, answer with a MIC over the plaintext */
    while (rc == SCPAUTH_OK) {
        scpauth_buffer_free(&in);
        rc = scpauth_wire_recv(s, &wire, &flags, &in, NULL);
        if (rc != SCPAUTH_OK || (flags & T_NOOP))
            break;
        int enc = 0;
        rc = scpauth_ctx_unseal(ctx, 1, in.data, in.len, &out, &enc, NULL);
        scpauth_buffer mic = SCPAUTH_BUFFER_INIT;
        if (rc == SCPAUTH_OK)
            rc = scpauth_ctx_sign(ctx, out.data, out.len, &mic, NULL);
        if (rc == SCPAUTH_OK)
            rc = scpauth_wire_send(s, &wire, T_MIC, mic.data, mic.len, NULL);
        scpauth_buffer_free(&mic);
        scpauth_buffer_free(&out);
    }
    scpauth_buffer_free(&in);
    scpauth_ctx_free(ctx);
    return rc;
}

static void *api_server(void *arg)
{
    server *sv = arg;
    scpauth_creds *sc = bench_api_service_creds(sv->keytab);
    for (;;) {
        scpauth_socket s;
        if (scpauth_net_accept(sv->fd, -1, &s, NULL, 0, NULL) != SCPAUTH_OK)
            continue;
        if (api_serve(sc, s) != SCPAUTH_OK)
            fprintf(stderr, "bench: scpauth service: a session failed\n");
        scpauth_net_close(s);
    }
    return NULL;
}

/* ---- raw GSSAPI service ------------------------------------------------ */

static int raw_serve(gss_cred_id_t cred, int fd)
{
    OM_uint32 major = GSS_S_CONTINUE_NEEDED, minor, ret_flags = 0;
    gss_ctx_id_t ctx = GSS_C_NO_CONTEXT;
    gss_buffer_desc in, out = GSS_C_EMPTY_BUFFER;
    unsigned char *body = NULL;
    unsigned flags = 0;
    int rc = bench_frame_recv(fd, &flags, &body, &in.length);
    if (rc == 0 && flags != (T_NOOP | T_NEXT))
        rc = -1;
    while (rc == 0 && major == GSS_S_CONTINUE_NEEDED) {
        free(body);
        rc = bench_frame_recv(fd, &flags, &body, &in.length);
        if (rc != 0)
            break;
        in.value = body;
        major = gss_accept_sec_context(&minor, &ctx, cred, &in, GSS_C_NO_CHANNEL_BINDINGS, NULL,
                                       NULL, &out, &ret_flags, NULL, NULL);
        if (GSS_ERROR(major))
            rc = -1;
        else if (out.length > 0)
            rc = bench_frame_send(fd, T_CONTEXT, out.value, out.length);
        gss_release_buffer(&minor, &out);
    }
    if (rc == 0 && !(ret_flags & GSS_C_MUTUAL_FLAG))
        rc = -1;
    while (rc == 0) {
        free(body);
        body = NULL;
        rc = bench_frame_recv(fd, &flags, &body, &in.length);
        if (rc != 0 || (flags & T_NOOP))
            break;
        in.value = body;
        gss_buffer_desc plain = GSS_C_EMPTY_BUFFER, mic = GSS_C_EMPTY_BUFFER;
        int conf = 0;
        if (gss_unwrap(&minor, ctx, &in, &plain, &conf, NULL) != GSS_S_COMPLETE || !conf ||
            gss_get_mic(&minor, ctx, GSS_C_QOP_DEFAULT, &plain, &mic) != GSS_S_COMPLETE ||
            bench_frame_send(fd, T_MIC, mic.value, mic.length) != 0)
            rc = -1;
        gss_release_buffer(&minor, &plain);
        gss_release_buffer(&minor, &mic);
    }
    free(body);
    gss_delete_sec_context(&minor, &ctx, GSS_C_NO_BUFFER);
    return rc;
}

static void *raw_server(void *arg)
{
    server *sv = arg;
    gss_cred_id_t cred = bench_gss_service_creds(sv->keytab);
    for (;;) {
        int fd = accept(sv->fd, NULL, NULL), on = 1;
        if (fd < 0)
            continue;
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof(on)); /* as scpauth_net_accept */
        if (raw_serve(cred, fd) != 0)
            fprintf(stderr, "bench: raw service: a session failed\n");
        close(fd);
    }
    return NULL;
}

static void raw_listen(server *sv, const char *host)
{
    struct sockaddr_in a = {.sin_family = AF_INET};
    socklen_t alen = sizeof(a);
    int on = 1;
    sv->fd = socket(AF_INET, SOCK_STREAM, 0);
    if (sv->fd < 0 || inet_pton(AF_INET, host, &a.sin_addr) != 1 ||
        setsockopt(sv->fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on)) != 0 ||
        bind(sv->fd, (struct sockaddr *)&a, sizeof(a)) != 0 || listen(sv->fd, 64) != 0 ||
        getsockname(sv->fd, (struct sockaddr *)&a, &alen) != 0)
        bench_die("cannot listen on %s", host);
    sv->port = ntohs(a.sin_port);
}

/* ---- the timed client side --------------------------------------------- */

typedef struct tcp_side {
    bench_client c;
    const char *host;
    unsigned port;
} tcp_side;

static int run_side(void *arg, long iters)
{
    tcp_side *t = arg;
    for (long i = 0; i < iters; i++) {
        bench_conn k;
        if (bench_conn_open(&k, &t->c, t->host, t->port) != 0)
            return -1;
        bench_conn_close(&k);
    }
    return 0;
}

static void start(server *sv, void *(*fn)(void *))
{
    pthread_t th;
    if (pthread_create(&th, NULL, fn, sv) != 0 || pthread_detach(th) != 0)
        bench_die("pthread_create failed");
}

int main(int argc, char **argv)
{
    bench_opts o = {.iters = 100, .rounds = 11, .host = "127.0.0.1"};
    char *rest[16];
    scpauth_error err;
    if (argc > 20 || bench_opts_parse(&o, argc, argv, rest) != 0 || o.ccache == NULL ||
        o.keytab == NULL || o.spn == NULL)
        bench_die("usage: bench_tcp --ccache C --keytab K --spn SPN [--host ADDR] [--iters N] "
                  "[--rounds R] [--smoke]");
    if (o.smoke) {
        o.iters = 3;
        o.rounds = 2;
    }
    scpauth_error_clear(&err);
    bench_check(scpauth_net_init(&err), &err, "scpauth_net_init");
    server api = {.keytab = o.keytab}, raw = {.keytab = o.keytab};
    scpauth_socket l;
    bench_check(scpauth_net_listen(o.host, 0, 64, &l, &err), &err, o.host);
    api.fd = l;
    api.port = scpauth_net_local_port(l);
    raw_listen(&raw, o.host);
    start(&api, api_server);
    start(&raw, raw_server);

    tcp_side a = {.host = o.host, .port = api.port}, b = {.host = o.host, .port = raw.port};
    bench_client_init(&a.c, 1, o.ccache, o.spn);
    bench_client_init(&b.c, 0, o.ccache, o.spn);
    if (run_side(&a, 1) != 0 || run_side(&b, 1) != 0)
        bench_die("warm-up handshake over TCP failed");
    bench_pair r;
    bench_compare(run_side, &a, run_side, &b, o.iters, o.rounds, &r);
    char extra[160];
    snprintf(extra, sizeof(extra),
             "unit=handshakes_per_cpu_s peer=raw-gssapi wall_ratio=%.3f note=new_connection_each",
             r.wall_ratio);
    bench_line("handshake_tcp", r.ratio, "scpauth_per_s", r.a_per_s, "peer_per_s", r.b_per_s,
               "<=", 1.05, extra);
    bench_client_free(&a.c);
    bench_client_free(&b.c);
    /* The service threads may still be ending the last session (the
     * client's close reaches them after its return): exit() would run MIT
     * krb5's destructors under them (k5_mutex_lock on a destroyed mutex,
     * abort). _exit ends the process, threads and all, without them. */
    fflush(stdout);
    _exit(0);
}
