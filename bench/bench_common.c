/* bench_common.c - clocks, medians, paired rounds, output line, options. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench.h"

double bench_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

double bench_cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

double bench_median(double *v, size_t n)
{
    if (n == 0)
        return 0;
    qsort(v, n, sizeof(*v), cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

void bench_die(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("bench: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    exit(2);
}

void bench_check(int rc, const scpauth_error *err, const char *what)
{
    char buf[1024];
    if (rc != SCPAUTH_OK)
        bench_die("%s: %s", what, scpauth_error_format(err, buf, sizeof(buf)));
}

void bench_gss_check(OM_uint32 major, OM_uint32 minor, const char *what)
{
    OM_uint32 m, ctx = 0;
    gss_buffer_desc a = GSS_C_EMPTY_BUFFER, b = GSS_C_EMPTY_BUFFER;
    if (!GSS_ERROR(major))
        return;
    gss_display_status(&m, major, GSS_C_GSS_CODE, GSS_C_NO_OID, &ctx, &a);
    ctx = 0;
    gss_display_status(&m, minor, GSS_C_MECH_CODE, GSS_C_NO_OID, &ctx, &b);
    bench_die("%s: %.*s: %.*s", what, (int)a.length, (char *)a.value, (int)b.length,
              (char *)b.value);
}

/* CPU and wall seconds of one run of fn. */
static void timed(bench_fn fn, void *arg, long iters, double *cpu, double *wall)
{
    double c0 = bench_cpu_now(), w0 = bench_now();
    if (fn(arg, iters) != 0)
        bench_die("a benchmarked operation failed");
    *cpu = bench_cpu_now() - c0;
    *wall = bench_now() - w0;
}

void bench_compare(bench_fn a, void *a_arg, bench_fn b, void *b_arg, long iters, int rounds,
                   bench_pair *out)
{
    double ra[64], rb[64], rr[64], rw[64];
    if (rounds > 64)
        rounds = 64;
    for (int i = 0; i < rounds; i++) {
        double ta, tb, wa, wb;
        if (i % 2 == 0) {
            timed(a, a_arg, iters, &ta, &wa);
            timed(b, b_arg, iters, &tb, &wb);
        } else {
            timed(b, b_arg, iters, &tb, &wb);
            timed(a, a_arg, iters, &ta, &wa);
        }
        ra[i] = (double)iters / ta;
        rb[i] = (double)iters / tb;
        rr[i] = ta / tb;
        rw[i] = wa / wb;
    }
    out->a_per_s = bench_median(ra, (size_t)rounds);
    out->b_per_s = bench_median(rb, (size_t)rounds);
    out->ratio = bench_median(rr, (size_t)rounds);
    out->wall_ratio = bench_median(rw, (size_t)rounds);
}

void bench_line(const char *name, double ratio, const char *a_key, double a, const char *b_key,
                double b, const char *target_op, double target, const char *extra)
{
    printf("BENCH name=%s ratio=%.3f %s=%.1f %s=%.1f", name, ratio, a_key, a, b_key, b);
    if (target_op == NULL) {
        printf(" target=info");
    } else {
        int ok = target_op[0] == '<' ? ratio <= target : ratio >= target;
        printf(" target%s%.2f %s", target_op, target, ok ? "ok" : "MISS");
    }
    if (extra != NULL && extra[0])
        printf(" %s", extra);
    putchar('\n');
    fflush(stdout);
}

int bench_opts_parse(bench_opts *o, int argc, char **argv, char **rest)
{
    int n = 0;
    for (int i = 1; i < argc; i++) {
        const char *k = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(k, "--smoke") == 0) {
            o->smoke = 1;
            continue;
        }
        if (v == NULL || strncmp(k, "--", 2) != 0) {
            rest[n++] = argv[i];
            continue;
        }
        if (strcmp(k, "--ccache") == 0)
            o->ccache = v;
        else if (strcmp(k, "--keytab") == 0)
            o->keytab = v;
        else if (strcmp(k, "--spn") == 0)
            o->spn = v;
        else if (strcmp(k, "--host") == 0)
            o->host = v;
        else if (strcmp(k, "--port") == 0)
            o->port = (unsigned)strtoul(v, NULL, 10);
        else if (strcmp(k, "--iters") == 0)
            o->iters = strtol(v, NULL, 10);
        else if (strcmp(k, "--rounds") == 0)
            o->rounds = (int)strtol(v, NULL, 10);
        else {
            rest[n++] = argv[i];
            continue;
        }
        i++;
    }
    if (o->iters <= 0 || o->rounds <= 0)
        bench_die("--iters and --rounds must be positive");
    return n;
}
