/* bench_stall.c - a new client's latency beside clients that stall a
 * service (scpauth listen, the example service): with no attack, then with
 * N attacking connections of one kind held open, K new clients one after
 * another, each timed from connect to its first echoed message verified
 * (connect, mutual handshake, one sealed request and its answer).
 *
 *   bench_stall --ccache C --spn SPN --host H --port P
 *               --attack none|spnego|deaf|silent [--attackers N] [--probes K]
 *               [--profile gss-sample|sspi-sample] [--size BYTES] [--settle MS]
 *   spnego  the opening (gss-sample) and a 29-byte SPNEGO token that offers
 *           Kerberos without its token: the service asks for a second token,
 *           which never comes
 *   deaf    authenticates, then sends sealed requests of --size bytes and
 *           never reads the answers (sspi-sample: each answer as large)
 *   silent  connects and sends nothing
 * Prints: STALL attack=.. attackers=N probes=K median_ms=.. min_ms=.. max_ms=..
 * (the probes' times) and exits 1 if a probe failed. The probes start once
 * the attackers are in place: --settle MS (default 500) and, for deaf, its
 * sends stopped for 300 ms (the socket buffers full). POSIX only. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "bench.h"

#define MAX_ATTACKERS 1024
#define MAX_PROBES 1000

/* SPNEGO NegTokenInit: mechTypes {krb5}, no mechToken (29 bytes). */
static const unsigned char spnego_no_token[] = {
    0x60, 0x1b, 0x06, 0x06, 0x2b, 0x06, 0x01, 0x05, 0x05, 0x02, 0xa0, 0x11, 0x30, 0x0f, 0xa0,
    0x0d, 0x30, 0x0b, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x12, 0x01, 0x02, 0x02};

typedef struct stall {
    bench_opts o;
    const char *attack;
    scpauth_wire_options wire;
    scpauth_creds *creds;
    size_t size;
} stall;

typedef struct attacker {
    const stall *st;
    scpauth_socket sock;
    scpauth_ctx *ctx;
    scpauth_session *s;
    pthread_t th;
    int thread;
    long sent;
} attacker;

static int connect_to(const stall *st, scpauth_socket *sock, scpauth_error *err)
{
    return scpauth_net_connect(st->o.host, st->o.port, 5000, sock, err);
}

/* An authenticated session on a new connection (the probe's and deaf's). */
static int session_open(const stall *st, scpauth_socket *sock, scpauth_ctx **ctx,
                        scpauth_session **s, scpauth_error *err)
{
    int rc = scpauth_ctx_new(st->creds, st->o.spn, 0, ctx, err);
    if (rc == SCPAUTH_OK)
        rc = connect_to(st, sock, err);
    if (rc == SCPAUTH_OK)
        rc = scpauth_session_new(*sock, SCPAUTH_ROLE_CLIENT, *ctx, &st->wire, s, err);
    if (rc == SCPAUTH_OK)
        rc = scpauth_session_handshake(*s, err);
    return rc;
}

static void session_close(scpauth_socket sock, scpauth_ctx *ctx, scpauth_session *s)
{
    scpauth_session_free(s);
    scpauth_ctx_free(ctx);
    if (sock != SCPAUTH_INVALID_SOCKET)
        scpauth_net_close(sock);
}

static void *deaf_sender(void *arg)
{
    attacker *a = arg;
    unsigned char *msg = calloc(1, a->st->size);
    scpauth_error err;
    while (msg != NULL && scpauth_session_send_sealed(a->s, msg, a->st->size, &err) == SCPAUTH_OK)
        __atomic_add_fetch(&a->sent, 1, __ATOMIC_RELAXED); /* until closed or shut down */
    free(msg);
    return NULL;
}

/* Starts one attacking connection; dies if it cannot. */
static void attack_start(const stall *st, attacker *a)
{
    scpauth_error err;
    memset(a, 0, sizeof(*a));
    a->st = st;
    a->sock = SCPAUTH_INVALID_SOCKET;
    if (strcmp(st->attack, "deaf") == 0) {
        bench_check(session_open(st, &a->sock, &a->ctx, &a->s, &err), &err, "deaf handshake");
        if (pthread_create(&a->th, NULL, deaf_sender, a) != 0)
            bench_die("cannot start a thread");
        a->thread = 1;
        return;
    }
    bench_check(connect_to(st, &a->sock, &err), &err, "connect");
    if (strcmp(st->attack, "spnego") != 0)
        return; /* silent */
    if (st->wire.profile == SCPAUTH_WIRE_GSS_SAMPLE)
        bench_check(scpauth_wire_send(a->sock, &st->wire,
                                      SCPAUTH_WIRE_TOKEN_NOOP | SCPAUTH_WIRE_TOKEN_CONTEXT_NEXT,
                                      NULL, 0, &err),
                    &err, "opening");
    bench_check(scpauth_wire_send(a->sock, &st->wire, SCPAUTH_WIRE_TOKEN_CONTEXT,
                                  spnego_no_token, sizeof(spnego_no_token), &err),
                &err, "SPNEGO token");
    scpauth_buffer answer = SCPAUTH_BUFFER_INIT;
    bench_check(scpauth_wire_recv(a->sock, &st->wire, NULL, &answer, &err), &err,
                "the service's answer to the SPNEGO token");
    scpauth_buffer_free(&answer); /* it wants a second token: we stall */
}

static void attack_stop(attacker *a)
{
    if (a->thread) {
        shutdown(a->sock, SHUT_RDWR); /* the sender's wait ends */
        pthread_join(a->th, NULL);
    }
    session_close(a->sock, a->ctx, a->s);
}

/* One new client, timed: connect, handshake, one echoed message. */
static int probe(const stall *st, double *ms)
{
    scpauth_error err;
    scpauth_socket sock = SCPAUTH_INVALID_SOCKET;
    scpauth_ctx *ctx = NULL;
    scpauth_session *s = NULL;
    double t0 = bench_now();
    int rc = session_open(st, &sock, &ctx, &s, &err);
    if (rc == SCPAUTH_OK)
        rc = scpauth_session_call(s, "probe", 5, &err);
    *ms = (bench_now() - t0) * 1000.0;
    if (rc == SCPAUTH_OK)
        rc = scpauth_session_end(s, &err);
    if (rc != SCPAUTH_OK) {
        char buf[1024];
        fprintf(stderr, "bench_stall: probe: %s\n", scpauth_error_format(&err, buf, sizeof(buf)));
    }
    session_close(sock, ctx, s);
    return rc;
}

int main(int argc, char **argv)
{
    static stall st;
    static attacker atk[MAX_ATTACKERS];
    char *rest[64];
    st.o.iters = st.o.rounds = 1;
    int nrest = bench_opts_parse(&st.o, argc > 64 ? 64 : argc, argv, rest);
    long attackers = 8, probes = 5, settle_ms = 500;
    st.attack = "none";
    st.size = 64 * 1024;
    st.wire.profile = SCPAUTH_WIRE_SSPI_SAMPLE;
    st.wire.timeout_ms = 60000;
    for (int i = 0; i + 1 < nrest; i += 2) {
        const char *k = rest[i], *v = rest[i + 1];
        if (strcmp(k, "--attack") == 0)
            st.attack = v;
        else if (strcmp(k, "--attackers") == 0)
            attackers = strtol(v, NULL, 10);
        else if (strcmp(k, "--probes") == 0)
            probes = strtol(v, NULL, 10);
        else if (strcmp(k, "--size") == 0)
            st.size = (size_t)strtoul(v, NULL, 10);
        else if (strcmp(k, "--settle") == 0)
            settle_ms = strtol(v, NULL, 10);
        else if (strcmp(k, "--profile") == 0)
            st.wire.profile = scpauth_wire_profile_from_name(v);
        else
            bench_die("bench_stall: unknown option %s", k);
    }
    if (st.o.ccache == NULL || st.o.spn == NULL || st.o.host == NULL || st.o.port == 0 ||
        st.wire.profile == 0 || attackers < 0 || attackers > MAX_ATTACKERS || probes < 1 ||
        probes > MAX_PROBES || st.size == 0 || st.size > SCPAUTH_WIRE_DEFAULT_MAX_FRAME / 2 ||
        (strcmp(st.attack, "none") != 0 && strcmp(st.attack, "spnego") != 0 &&
         strcmp(st.attack, "deaf") != 0 && strcmp(st.attack, "silent") != 0))
        bench_die("usage: bench_stall --ccache C --spn SPN --host H --port P "
                  "--attack none|spnego|deaf|silent [--attackers N] [--probes K] [--profile P] "
                  "[--size BYTES] [--settle MS]");
    scpauth_error err;
    bench_check(scpauth_net_init(&err), &err, "net init");
    st.creds = bench_api_client_creds(st.o.ccache);
    double warm;
    if (probe(&st, &warm) != SCPAUTH_OK) /* the ticket cached, libraries loaded */
        return 1;
    long n = strcmp(st.attack, "none") == 0 ? 0 : attackers;
    for (long i = 0; i < n; i++)
        attack_start(&st, &atk[i]);
    /* in place: the deaf ones' sends stopped (the buffers are full), at
     * least settle_ms and at most 10 s */
    long before = -1, still = 0;
    for (long waited = 0; n > 0 && waited < 10000 && (waited < settle_ms || still < 3);
         waited += 100) {
        usleep(100 * 1000);
        long now = 0;
        for (long i = 0; i < n; i++)
            now += __atomic_load_n(&atk[i].sent, __ATOMIC_RELAXED);
        still = now == before ? still + 1 : 0;
        before = now;
    }
    static double ms[MAX_PROBES];
    int failed = 0;
    for (long i = 0; i < probes; i++)
        failed |= probe(&st, &ms[i]) != SCPAUTH_OK;
    long deaf_sent = 0;
    for (long i = 0; i < n; i++) {
        deaf_sent += atk[i].sent;
        attack_stop(&atk[i]);
    }
    double lo = ms[0], hi = ms[0];
    for (long i = 1; i < probes; i++) {
        lo = ms[i] < lo ? ms[i] : lo;
        hi = ms[i] > hi ? ms[i] : hi;
    }
    double med = bench_median(ms, (size_t)probes);
    printf("STALL attack=%s attackers=%ld probes=%ld median_ms=%.2f min_ms=%.2f max_ms=%.2f "
           "deaf_requests=%ld failed=%d\n",
           st.attack, n, probes, med, lo, hi, deaf_sent, failed);
    scpauth_creds_free(st.creds);
    return failed ? 1 : 0;
}
