/* bench_load.c - load generator for a gss-sample service (scpauth listen,
 * the example service, or MIT's gss-server): N concurrent clients, each a
 * thread with its own credentials, for a fixed time.
 *
 *   bench_load --ccache C --spn SPN --host H --port P --client api|raw
 *              --mode handshake|message|hold [--clients N] [--seconds S]
 *              [--size BYTES] [--hold N]
 *   handshake  connect, mutual handshake, NOOP, close; again (cached ticket)
 *   message    one handshake per client (not timed), then sealed requests,
 *              each answered by the service's MIC (verified)
 *   hold       open N authenticated connections, print "HELD n=N", keep them
 *              idle until standard input closes (memory per connection)
 * Prints: LOAD mode=.. clients=.. ops=.. per_s=.. errors=.. cpu_s=.. (the
 * generator's own CPU time, all threads). */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"

typedef struct load {
    bench_opts o;
    int api;
    int message;
    size_t size;
    double t0, deadline;
} load;

typedef struct load_thread {
    const load *l;
    pthread_t th;
    long ops, errors;
} load_thread;

static void *load_worker(void *arg)
{
    load_thread *t = arg;
    const load *l = t->l;
    bench_client c;
    bench_conn k;
    unsigned char *msg = calloc(1, l->size ? l->size : 1);
    bench_client_init(&c, l->api, l->o.ccache, l->o.spn);
    if (l->message) {
        if (bench_conn_open(&k, &c, l->o.host, l->o.port) != 0) {
            t->errors++;
        } else {
            while (bench_now() < l->deadline) {
                if (bench_conn_call(&k, msg, l->size) != 0) {
                    t->errors++;
                    break;
                }
                if (bench_now() <= l->deadline)
                    t->ops++;
            }
            bench_conn_close(&k);
        }
    } else {
        while (bench_now() < l->deadline) {
            if (bench_conn_open(&k, &c, l->o.host, l->o.port) != 0) {
                t->errors++;
                continue;
            }
            bench_conn_close(&k);
            if (bench_now() <= l->deadline)
                t->ops++;
        }
    }
    bench_client_free(&c);
    free(msg);
    return NULL;
}

static void run_load(load *l, int clients, double seconds)
{
    load_thread *t = calloc((size_t)clients, sizeof(*t));
    pthread_attr_t attr;
    if (t == NULL || pthread_attr_init(&attr) != 0 ||
        pthread_attr_setstacksize(&attr, 1u << 20) != 0)
        bench_die("out of memory");
    double cpu0 = bench_cpu_now();
    l->t0 = bench_now();
    l->deadline = l->t0 + seconds;
    for (int i = 0; i < clients; i++) {
        t[i].l = l;
        if (pthread_create(&t[i].th, &attr, load_worker, &t[i]) != 0)
            bench_die("cannot start client thread %d", i);
    }
    long ops = 0, errors = 0;
    for (int i = 0; i < clients; i++) {
        pthread_join(t[i].th, NULL);
        ops += t[i].ops;
        errors += t[i].errors;
    }
    printf("LOAD mode=%s client=%s clients=%d ops=%ld per_s=%.1f errors=%ld cpu_s=%.3f\n",
           l->message ? "message" : "handshake", l->api ? "scpauth" : "raw", clients, ops,
           (double)ops / seconds, errors, bench_cpu_now() - cpu0);
    fflush(stdout);
    pthread_attr_destroy(&attr);
    free(t);
    if (ops == 0)
        bench_die("no operation completed (errors: %ld)", errors);
}

/* Idle authenticated connections, held until standard input closes. */
static void run_hold(const load *l, int n)
{
    bench_client c;
    bench_conn *k = calloc((size_t)n, sizeof(*k));
    if (k == NULL)
        bench_die("out of memory");
    bench_client_init(&c, l->api, l->o.ccache, l->o.spn);
    for (int i = 0; i < n; i++)
        if (bench_conn_open(&k[i], &c, l->o.host, l->o.port) != 0)
            bench_die("connection %d of %d failed", i + 1, n);
    printf("HELD n=%d\n", n);
    fflush(stdout);
    while (getchar() != EOF) {
    }
    for (int i = 0; i < n; i++)
        bench_conn_close(&k[i]);
    bench_client_free(&c);
    free(k);
}

int main(int argc, char **argv)
{
    load l = {.o = {.iters = 1, .rounds = 1}, .api = -1, .size = 64};
    char *rest[32];
    const char *mode = NULL;
    int clients = 1, hold = 1000;
    double seconds = 2;
    if (argc > 40)
        bench_die("too many arguments");
    int n = bench_opts_parse(&l.o, argc, argv, rest);
    for (int i = 0; i + 1 < n; i += 2) {
        const char *k = rest[i], *v = rest[i + 1];
        if (strcmp(k, "--client") == 0)
            l.api = strcmp(v, "api") == 0 ? 1 : strcmp(v, "raw") == 0 ? 0 : -1;
        else if (strcmp(k, "--mode") == 0)
            mode = v;
        else if (strcmp(k, "--clients") == 0)
            clients = atoi(v);
        else if (strcmp(k, "--seconds") == 0)
            seconds = atof(v);
        else if (strcmp(k, "--size") == 0)
            l.size = (size_t)strtoul(v, NULL, 10);
        else if (strcmp(k, "--hold") == 0)
            hold = atoi(v);
        else
            bench_die("unknown option %s", k);
    }
    if (mode == NULL || l.api < 0 || l.o.ccache == NULL || l.o.spn == NULL ||
        l.o.host == NULL || l.o.port == 0 || clients < 1 || clients > 4096 || seconds <= 0 ||
        l.size > (1u << 20) || hold < 1)
        bench_die("usage: bench_load --ccache C --spn SPN --host H --port P --client api|raw "
                  "--mode handshake|message|hold [--clients N] [--seconds S] [--size B] "
                  "[--hold N]");
    if (l.o.smoke)
        seconds = 0.3;
    signal(SIGPIPE, SIG_IGN); /* a service that hangs up is counted as an error */
    if (strcmp(mode, "hold") == 0) {
        run_hold(&l, hold);
    } else {
        l.message = strcmp(mode, "message") == 0;
        if (!l.message && strcmp(mode, "handshake") != 0)
            bench_die("unknown mode %s", mode);
        run_load(&l, clients, seconds);
    }
    return 0;
}
