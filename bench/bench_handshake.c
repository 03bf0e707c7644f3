/* bench_handshake.c - in-process mutual handshakes (client and acceptor in
 * one process, no sockets): scpauth's public API against the same raw MIT
 * GSSAPI calls.
 *
 *   bench_handshake inproc  COMMON-OPTIONS            cached service ticket
 *   bench_handshake first   COMMON-OPTIONS --tgt F    first contact: TGS-REQ
 *   bench_handshake limit   COMMON-OPTIONS --threads N --seconds S
 *       raw handshake loop, one thread per core: the ceiling for a service
 *   bench_handshake rcache  COMMON-OPTIONS            raw, replay cache none
 *       (cred store "rcache" = none:) against the default, alternated
 * COMMON-OPTIONS: --ccache --keytab --spn --iters --rounds [--smoke] */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench.h"

typedef struct side {
    const char *spn;
    scpauth_creds *acc, *asc;           /* scpauth */
    gss_cred_id_t gcc, gsc;             /* raw */
    gss_name_t target;
} side;

static int run_api(void *arg, long iters)
{
    side *s = arg;
    for (long i = 0; i < iters; i++) {
        bench_api_pair p;
        int rc = bench_api_handshake(s->acc, s->asc, s->spn, &p);
        bench_api_pair_free(&p);
        if (rc != 0)
            return -1;
    }
    return 0;
}

static int run_gss(void *arg, long iters)
{
    side *s = arg;
    for (long i = 0; i < iters; i++) {
        bench_gss_pair p;
        int rc = bench_gss_handshake(s->gcc, s->gsc, s->target, &p);
        bench_gss_pair_free(&p);
        if (rc != 0)
            return -1;
    }
    return 0;
}

static void side_open(side *s, const bench_opts *o)
{
    s->spn = o->spn;
    s->acc = bench_api_client_creds(o->ccache);
    s->asc = bench_api_service_creds(o->keytab);
    s->gcc = bench_gss_client_creds(o->ccache);
    s->gsc = bench_gss_service_creds(o->keytab);
    s->target = bench_gss_spn(o->spn);
}

static void side_close(side *s)
{
    OM_uint32 minor;
    scpauth_creds_free(s->acc);
    scpauth_creds_free(s->asc);
    gss_release_cred(&minor, &s->gcc);
    gss_release_cred(&minor, &s->gsc);
    gss_release_name(&minor, &s->target);
}

static void cmd_inproc(const bench_opts *o)
{
    side s;
    bench_pair r;
    side_open(&s, o);
    /* one of each first: the service ticket lands in the ccache */
    if (run_api(&s, 1) != 0 || run_gss(&s, 1) != 0)
        bench_die("warm-up handshake failed");
    bench_compare(run_api, &s, run_gss, &s, o->iters, o->rounds, &r);
    char extra[128];
    snprintf(extra, sizeof(extra), "unit=handshakes_per_cpu_s peer=raw-gssapi wall_ratio=%.3f",
             r.wall_ratio);
    bench_line("handshake_inproc", r.ratio, "scpauth_per_s", r.a_per_s, "peer_per_s", r.b_per_s,
               "<=", 1.05, extra);
    side_close(&s);
}

/* ---- first contact: a ccache holding only the TGT, copied afresh ------- */

typedef struct first_ctx {
    const bench_opts *o;
    unsigned char *tgt;
    size_t tgt_len;
    char path[256];
    char name[300];
} first_ctx;

static void first_reset(first_ctx *f)
{
    FILE *fp = fopen(f->path, "wb");
    if (fp == NULL || fwrite(f->tgt, 1, f->tgt_len, fp) != f->tgt_len || fclose(fp) != 0)
        bench_die("cannot write %s", f->path);
}

/* Seconds of one first handshake (creds acquired outside the clock). */
static double first_one(first_ctx *f, int api)
{
    double t;
    first_reset(f);
    if (api) {
        side s = {.spn = f->o->spn};
        s.acc = bench_api_client_creds(f->name);
        s.asc = bench_api_service_creds(f->o->keytab);
        t = bench_now();
        if (run_api(&s, 1) != 0)
            bench_die("first handshake (scpauth) failed");
        t = bench_now() - t;
        scpauth_creds_free(s.acc);
        scpauth_creds_free(s.asc);
    } else {
        OM_uint32 minor;
        side s = {.spn = f->o->spn};
        s.gcc = bench_gss_client_creds(f->name);
        s.gsc = bench_gss_service_creds(f->o->keytab);
        s.target = bench_gss_spn(f->o->spn);
        t = bench_now();
        if (run_gss(&s, 1) != 0)
            bench_die("first handshake (raw) failed");
        t = bench_now() - t;
        gss_release_cred(&minor, &s.gcc);
        gss_release_cred(&minor, &s.gsc);
        gss_release_name(&minor, &s.target);
    }
    return t;
}

static void cmd_first(const bench_opts *o, const char *tgt_path)
{
    first_ctx f = {.o = o};
    FILE *fp = fopen(tgt_path, "rb");
    if (fp == NULL)
        bench_die("cannot read the TGT ccache %s", tgt_path);
    f.tgt = malloc(1 << 16);
    f.tgt_len = f.tgt ? fread(f.tgt, 1, 1 << 16, fp) : 0;
    fclose(fp);
    if (f.tgt_len == 0)
        bench_die("empty TGT ccache %s", tgt_path);
    snprintf(f.path, sizeof(f.path), "%s.first.%ld", tgt_path, (long)getpid());
    snprintf(f.name, sizeof(f.name), "FILE:%s", f.path);

    long n = o->iters < 64 ? o->iters : 64;
    double ta[64], tb[64], rr[64];
    for (long i = 0; i < n; i++) {
        int api_first = i % 2 == 0;
        double x = first_one(&f, api_first), y = first_one(&f, !api_first);
        ta[i] = api_first ? x : y;
        tb[i] = api_first ? y : x;
        rr[i] = ta[i] / tb[i];
    }
    double ma = bench_median(ta, (size_t)n), mb = bench_median(tb, (size_t)n);
    bench_line("handshake_first_tgs", bench_median(rr, (size_t)n), "scpauth_per_s", 1 / ma,
               "peer_per_s", 1 / mb, NULL, 0, "unit=handshakes peer=raw-gssapi note=TGS-REQ");
    unlink(f.path);
    free(f.tgt);
}

/* ---- limit: raw handshakes, one thread per core ------------------------ */

typedef struct worker {
    const bench_opts *o;
    double seconds;
    long done;
    pthread_t th;
} worker;

static void *limit_worker(void *arg)
{
    worker *w = arg;
    side s = {.spn = w->o->spn};
    s.gcc = bench_gss_client_creds(w->o->ccache);
    s.gsc = bench_gss_service_creds(w->o->keytab);
    s.target = bench_gss_spn(w->o->spn);
    double end = bench_now() + w->seconds;
    while (bench_now() < end) {
        if (run_gss(&s, 8) != 0)
            bench_die("raw handshake failed in the limit loop");
        w->done += 8;
    }
    OM_uint32 minor;
    gss_release_cred(&minor, &s.gcc);
    gss_release_cred(&minor, &s.gsc);
    gss_release_name(&minor, &s.target);
    return NULL;
}

static void cmd_limit(const bench_opts *o, int threads, double seconds)
{
    worker w[64];
    if (threads < 1 || threads > 64)
        bench_die("--threads must be 1..64");
    double t0 = bench_now(), c0 = bench_cpu_now();
    for (int i = 0; i < threads; i++) {
        w[i] = (worker){.o = o, .seconds = seconds};
        if (pthread_create(&w[i].th, NULL, limit_worker, &w[i]) != 0)
            bench_die("pthread_create failed");
    }
    long total = 0;
    for (int i = 0; i < threads; i++) {
        pthread_join(w[i].th, NULL);
        total += w[i].done;
    }
    double cpu = bench_cpu_now() - c0;
    printf("LIMIT threads=%d handshakes=%ld per_s=%.1f per_cpu_s=%.1f\n", threads, total,
           (double)total / (bench_now() - t0), (double)total / cpu);
}

/* ---- replay cache: raw acceptor with rcache none: vs the default ------- */

static void cmd_rcache(const bench_opts *o)
{
    side dfl, none;
    bench_pair r;
    OM_uint32 major, minor;
    gss_key_value_element_desc el[2] = {{"keytab", o->keytab}, {"rcache", "none:"}};
    gss_key_value_set_desc store = {2, el};
    gss_OID_set_desc krb5_only = {1, (gss_OID)gss_mech_krb5};

    memset(&dfl, 0, sizeof(dfl));
    dfl.gcc = bench_gss_client_creds(o->ccache);
    dfl.gsc = bench_gss_service_creds(o->keytab);
    dfl.target = bench_gss_spn(o->spn);
    none = dfl;
    major = gss_acquire_cred_from(&minor, GSS_C_NO_NAME, GSS_C_INDEFINITE, &krb5_only,
                                  GSS_C_ACCEPT, &store, &none.gsc, NULL, NULL);
    bench_gss_check(major, minor, "acceptor creds with rcache none:");
    if (run_gss(&dfl, 1) != 0)
        bench_die("warm-up handshake failed");
    bench_compare(run_gss, &none, run_gss, &dfl, o->iters, o->rounds, &r);
    /* as a throughput ratio: above 1 is what the replay cache costs */
    char extra[128];
    snprintf(extra, sizeof(extra),
             "unit=handshakes_per_cpu_s wall_ratio=%.3f note=raw_acceptor_cred_store_rcache=none:",
             1 / r.wall_ratio);
    bench_line("rcache_none_vs_default_inproc", 1 / r.ratio, "none_per_s", r.a_per_s,
               "default_per_s", r.b_per_s, NULL, 0, extra);
    gss_release_cred(&minor, &none.gsc);
    side_close(&dfl);
}

int main(int argc, char **argv)
{
    bench_opts o = {.iters = 200, .rounds = 7};
    char *rest[16];
    if (argc > 40)
        bench_die("too many arguments");
    int n = bench_opts_parse(&o, argc, argv, rest);
    const char *tgt = NULL;
    int threads = (int)sysconf(_SC_NPROCESSORS_ONLN);
    double seconds = 3;
    for (int i = 1; i + 1 < n; i += 2) {
        if (strcmp(rest[i], "--tgt") == 0)
            tgt = rest[i + 1];
        else if (strcmp(rest[i], "--threads") == 0)
            threads = atoi(rest[i + 1]);
        else if (strcmp(rest[i], "--seconds") == 0)
            seconds = atof(rest[i + 1]);
        else
            bench_die("unknown option %s", rest[i]);
    }
    if (n < 1 || o.ccache == NULL || o.keytab == NULL || o.spn == NULL)
        bench_die("usage: bench_handshake inproc|first|limit|rcache --ccache C --keytab K "
                  "--spn SPN [--iters N --rounds R --smoke]");
    if (o.smoke) {
        o.iters = 3;
        o.rounds = 2;
        seconds = 0.3;
    }
    if (strcmp(rest[0], "inproc") == 0)
        cmd_inproc(&o);
    else if (strcmp(rest[0], "first") == 0 && tgt != NULL)
        cmd_first(&o, tgt);
    else if (strcmp(rest[0], "limit") == 0)
        cmd_limit(&o, threads, seconds);
    else if (strcmp(rest[0], "rcache") == 0)
        cmd_rcache(&o);
    else
        bench_die("unknown mode %s (or first without --tgt)", rest[0]);
    return 0;
}
