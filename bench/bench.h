/* bench.h - what the benchmark programs share: clocks and medians, paired
 * comparisons that alternate the two sides to cancel drift, the BENCH output
 * line, and both sides of a Kerberos handshake (scpauth's public API and the
 * same sequence of raw MIT GSSAPI calls). Benchmarks only: no library code
 * depends on this. */
#ifndef SCPAUTH_BENCH_H
#define SCPAUTH_BENCH_H

#include <gssapi/gssapi.h>
#include <gssapi/gssapi_ext.h>
#include <gssapi/gssapi_krb5.h>
#include <stddef.h>

#include <scpauth.h>

/* ---- clocks, statistics, output (bench_common.c) ----------------------- */

/* Monotonic seconds. */
double bench_now(void);
/* CPU seconds used by this process so far (all its threads, user + system). */
double bench_cpu_now(void);
/* Median of n values (sorts v in place); 0 for n == 0. */
double bench_median(double *v, size_t n);
/* Prints the message and exits with status 2 (a benchmark that cannot run). */
void bench_die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
/* Dies with err's text if rc is not SCPAUTH_OK (what names the call). */
void bench_check(int rc, const scpauth_error *err, const char *what);
/* Dies with the GSS status text if major is an error. */
void bench_gss_check(OM_uint32 major, OM_uint32 minor, const char *what);

/* One timed operation run `iters` times; returns 0, or -1 after printing why. */
typedef int (*bench_fn)(void *arg, long iters);

typedef struct bench_pair {
    double a_per_s;    /* median over rounds, side a (scpauth), per CPU second */
    double b_per_s;    /* median over rounds, side b (the peer), per CPU second */
    double ratio;      /* median of per-round CPU time ratios a/b */
    double wall_ratio; /* the same with wall-clock time */
} bench_pair;

/* Runs a and b `rounds` times each for `iters` operations, alternating the
 * order every round (ab, ba, ab, ...). CPU time of the process is the main
 * measure: on a shared machine it leaves out the time other tenants hold
 * the cores; wall time is kept beside it. Dies if a side fails. */
void bench_compare(bench_fn a, void *a_arg, bench_fn b, void *b_arg, long iters, int rounds,
                   bench_pair *out);

/* The machine-readable line, e.g.
 * BENCH name=handshake_inproc ratio=1.01 scpauth_per_s=.. peer_per_s=.. target<=1.05 ok
 * target_op is "<=", ">=" or NULL (information only); unit names the rates. */
void bench_line(const char *name, double ratio, const char *a_key, double a, const char *b_key,
                double b, const char *target_op, double target, const char *extra);

/* ---- common options (bench_common.c) ----------------------------------- */

typedef struct bench_opts {
    const char *ccache;  /* client: "FILE:/..." */
    const char *keytab;  /* service */
    const char *spn;     /* target, exact */
    const char *host;    /* TCP: where a service listens / where to bind */
    unsigned port;
    long iters;          /* per round */
    int rounds;
    int smoke;           /* few iterations: check that it runs */
} bench_opts;

/* Parses --ccache --keytab --spn --host --port --iters --rounds --smoke from
 * argv; other arguments are left for the caller (returned count). */
int bench_opts_parse(bench_opts *o, int argc, char **argv, char **rest);

/* ---- raw MIT GSSAPI side (bench_gss.c) --------------------------------- */

/* The flags scpauth requests by default, as GSS flags. */
#define BENCH_GSS_FLAGS                                                         \
    (GSS_C_MUTUAL_FLAG | GSS_C_REPLAY_FLAG | GSS_C_SEQUENCE_FLAG | GSS_C_CONF_FLAG | \
     GSS_C_INTEG_FLAG)

/* Client credentials from a ccache (gss_acquire_cred_from, krb5 only). */
gss_cred_id_t bench_gss_client_creds(const char *ccache);
/* Acceptor credentials from a keytab, any principal in it. */
gss_cred_id_t bench_gss_service_creds(const char *keytab);
/* The exact SPN as a krb5 principal name (as scpauth imports it). */
gss_name_t bench_gss_spn(const char *spn);

/* A raw pair of established contexts. */
typedef struct bench_gss_pair {
    gss_ctx_id_t client, service;
} bench_gss_pair;

/* One in-process mutual handshake; 0 or -1 (printed). Checks ret_flags. */
int bench_gss_handshake(gss_cred_id_t ccred, gss_cred_id_t scred, gss_name_t target,
                        bench_gss_pair *out);
void bench_gss_pair_free(bench_gss_pair *p);

/* ---- scpauth side (bench_api.c) ---------------------------------------- */

typedef struct bench_api_pair {
    scpauth_ctx *client, *service;
} bench_api_pair;

scpauth_creds *bench_api_client_creds(const char *ccache);
scpauth_creds *bench_api_service_creds(const char *keytab);
/* One in-process mutual handshake through the public API; 0 or -1. */
int bench_api_handshake(scpauth_creds *cc, scpauth_creds *sc, const char *spn,
                        bench_api_pair *out);
void bench_api_pair_free(bench_api_pair *p);

/* ---- gss-sample frames over plain sockets (bench_frame.c) -------------- */

/* Writes one frame (flag byte, 4-byte big-endian length, body) in one call
 * sequence without splitting the header from the body; 0 or -1. */
int bench_frame_send(int fd, unsigned flags, const void *body, size_t len);
/* Reads one frame into a malloc'd *body (free() it; NULL when empty);
 * 0, or -1 on EOF/error/oversize. */
int bench_frame_recv(int fd, unsigned *flags, unsigned char **body, size_t *len);
/* A TCP connection to host:port with TCP_NODELAY; -1 on failure. */
int bench_tcp_connect(const char *host, unsigned port);

/* ---- a client connection speaking gss-sample (bench_conn.c) ----------- */

/* Who the client is: scpauth (public API: net, wire, ctx) or raw GSSAPI
 * with plain sockets; both send the same frames. */
typedef struct bench_client {
    int api;
    const char *spn;
    scpauth_creds *ac;
    gss_cred_id_t gc;
    gss_name_t target;
} bench_client;

/* Acquires the client's credentials from ccache. */
void bench_client_init(bench_client *c, int api, const char *ccache, const char *spn);
void bench_client_free(bench_client *c);

typedef struct bench_conn {
    const bench_client *c;
    int fd;
    scpauth_ctx *actx;
    gss_ctx_id_t gctx;
} bench_conn;

/* Connects to host:port and completes a mutual handshake (MIT's
 * gss-client order: NOOP|CONTEXT_NEXT, then CONTEXT tokens); 0 or -1. */
int bench_conn_open(bench_conn *k, const bench_client *c, const char *host, unsigned port);
/* One request: a sealed message out (DATA|WRAPPED|ENCRYPTED|SEND_MIC), the
 * service's MIC over it back, verified; 0 or -1. */
int bench_conn_call(bench_conn *k, const void *msg, size_t len);
/* Ends the session with NOOP, closes, frees the context. */
void bench_conn_close(bench_conn *k);

#endif
