/* bench_message.c - per-message protection on established contexts:
 * seal+unseal and sign+verify at 64 B, 1 KiB, 64 KiB, 1 MiB through scpauth
 * against raw gss_wrap/gss_unwrap and gss_get_mic/gss_verify_mic on the same
 * kind of context (same ticket, same flags, made in the same process). Also
 * sealing alone at 64 KiB, the figure compared with the crypto bound.
 *
 *   bench_message --ccache C --keytab K --spn SPN [--rounds R] [--smoke] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"

typedef struct msg_side {
    bench_api_pair api;
    bench_gss_pair gss;
    const unsigned char *msg;
    size_t len;
} msg_side;

#define API_OK(call) ((call) == SCPAUTH_OK)

static int api_seal(void *arg, long iters)
{
    msg_side *s = arg;
    for (long i = 0; i < iters; i++) {
        scpauth_buffer tok = SCPAUTH_BUFFER_INIT, out = SCPAUTH_BUFFER_INIT;
        int enc = 0;
        int ok = API_OK(scpauth_ctx_seal(s->api.client, 1, s->msg, s->len, &tok, NULL)) &&
                 API_OK(scpauth_ctx_unseal(s->api.service, 1, tok.data, tok.len, &out, &enc,
                                           NULL)) &&
                 out.len == s->len && enc;
        scpauth_buffer_free(&tok);
        scpauth_buffer_free(&out);
        if (!ok)
            return -1;
    }
    return 0;
}

static int raw_seal(void *arg, long iters)
{
    msg_side *s = arg;
    OM_uint32 minor;
    for (long i = 0; i < iters; i++) {
        gss_buffer_desc in = {s->len, (void *)s->msg}, tok = GSS_C_EMPTY_BUFFER,
                        out = GSS_C_EMPTY_BUFFER;
        int conf = 0, conf2 = 0;
        OM_uint32 m1 = gss_wrap(&minor, s->gss.client, 1, GSS_C_QOP_DEFAULT, &in, &conf, &tok);
        OM_uint32 m2 = m1 ? m1 : gss_unwrap(&minor, s->gss.service, &tok, &out, &conf2, NULL);
        int ok = m1 == GSS_S_COMPLETE && m2 == GSS_S_COMPLETE && conf && conf2 &&
                 out.length == s->len;
        gss_release_buffer(&minor, &tok);
        gss_release_buffer(&minor, &out);
        if (!ok)
            return -1;
    }
    return 0;
}

static int api_sign(void *arg, long iters)
{
    msg_side *s = arg;
    for (long i = 0; i < iters; i++) {
        scpauth_buffer mic = SCPAUTH_BUFFER_INIT;
        int ok = API_OK(scpauth_ctx_sign(s->api.client, s->msg, s->len, &mic, NULL)) &&
                 API_OK(scpauth_ctx_verify(s->api.service, s->msg, s->len, mic.data, mic.len,
                                           NULL));
        scpauth_buffer_free(&mic);
        if (!ok)
            return -1;
    }
    return 0;
}

static int raw_sign(void *arg, long iters)
{
    msg_side *s = arg;
    OM_uint32 minor;
    for (long i = 0; i < iters; i++) {
        gss_buffer_desc in = {s->len, (void *)s->msg}, mic = GSS_C_EMPTY_BUFFER;
        OM_uint32 m1 = gss_get_mic(&minor, s->gss.client, GSS_C_QOP_DEFAULT, &in, &mic);
        OM_uint32 m2 = m1 ? m1 : gss_verify_mic(&minor, s->gss.service, &in, &mic, NULL);
        gss_release_buffer(&minor, &mic);
        if (m1 != GSS_S_COMPLETE || m2 != GSS_S_COMPLETE)
            return -1;
    }
    return 0;
}

/* Sealing only (no unseal): what the crypto bound is compared with. */
static int api_seal_only(void *arg, long iters)
{
    msg_side *s = arg;
    for (long i = 0; i < iters; i++) {
        scpauth_buffer tok = SCPAUTH_BUFFER_INIT;
        int ok = API_OK(scpauth_ctx_seal(s->api.client, 1, s->msg, s->len, &tok, NULL));
        scpauth_buffer_free(&tok);
        if (!ok)
            return -1;
    }
    return 0;
}

static int raw_seal_only(void *arg, long iters)
{
    msg_side *s = arg;
    OM_uint32 minor;
    for (long i = 0; i < iters; i++) {
        gss_buffer_desc in = {s->len, (void *)s->msg}, tok = GSS_C_EMPTY_BUFFER;
        int conf = 0;
        OM_uint32 m = gss_wrap(&minor, s->gss.client, 1, GSS_C_QOP_DEFAULT, &in, &conf, &tok);
        gss_release_buffer(&minor, &tok);
        if (m != GSS_S_COMPLETE || !conf)
            return -1;
    }
    return 0;
}

static const char *size_name(size_t len, char *buf, size_t size)
{
    if (len >= 1048576)
        snprintf(buf, size, "%zuM", len >> 20);
    else if (len >= 1024)
        snprintf(buf, size, "%zuk", len >> 10);
    else
        snprintf(buf, size, "%zu", len);
    return buf;
}

static void compare(const char *what, bench_fn a, bench_fn b, msg_side *s, long iters,
                    int rounds)
{
    bench_pair r;
    char name[64], sz[16], extra[200];
    bench_compare(a, s, b, s, iters, rounds, &r);
    size_name(s->len, sz, sizeof(sz));
    snprintf(name, sizeof(name), "%s_%s", what, sz);
    snprintf(extra, sizeof(extra),
             "unit=messages_per_cpu_s bytes=%zu scpauth_MBps=%.1f peer_MBps=%.1f wall_ratio=%.3f",
             s->len, r.a_per_s * (double)s->len / 1e6, r.b_per_s * (double)s->len / 1e6,
             1 / r.wall_ratio);
    /* throughput ratio: the inverse of the time ratio */
    bench_line(name, 1 / r.ratio, "scpauth_per_s", r.a_per_s, "peer_per_s", r.b_per_s,
               strcmp(what, "seal_only") == 0 ? NULL : ">=", 0.95, extra);
}

int main(int argc, char **argv)
{
    bench_opts o = {.iters = 1, .rounds = 7};
    char *rest[16];
    static const size_t sizes[] = {64, 1024, 65536, 1048576};
    if (argc > 20 || bench_opts_parse(&o, argc, argv, rest) != 0 || o.ccache == NULL ||
        o.keytab == NULL || o.spn == NULL)
        bench_die("usage: bench_message --ccache C --keytab K --spn SPN [--rounds R] [--smoke]");
    if (o.smoke)
        o.rounds = 2;

    scpauth_creds *acc = bench_api_client_creds(o.ccache), *asc = bench_api_service_creds(o.keytab);
    gss_cred_id_t gcc = bench_gss_client_creds(o.ccache), gsc = bench_gss_service_creds(o.keytab);
    gss_name_t target = bench_gss_spn(o.spn);
    msg_side s;
    if (bench_api_handshake(acc, asc, o.spn, &s.api) != 0 ||
        bench_gss_handshake(gcc, gsc, target, &s.gss) != 0)
        bench_die("handshake failed");
    scpauth_ctx_info info;
    if (scpauth_ctx_info_get(s.api.client, &info, NULL) == SCPAUTH_OK)
        printf("INFO enctype=%s\n", info.enctype);

    unsigned char *buf = malloc(sizes[3]);
    if (buf == NULL)
        bench_die("out of memory");
    for (size_t i = 0; i < sizes[3]; i++)
        buf[i] = (unsigned char)(i * 131u);
    s.msg = buf;
    for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
        s.len = sizes[i];
        /* about 16 MiB of messages per round, at least 16 messages */
        long iters = o.smoke ? 2 : (long)((16u << 20) / sizes[i]);
        if (iters < 16 && !o.smoke)
            iters = 16;
        if (iters > 20000)
            iters = 20000;
        compare("seal_unseal", api_seal, raw_seal, &s, iters, o.rounds);
        compare("sign_verify", api_sign, raw_sign, &s, iters, o.rounds);
    }
    /* last: the acceptors never see these tokens (a sequence gap) */
    s.len = sizes[2];
    compare("seal_only", api_seal_only, raw_seal_only, &s, o.smoke ? 2 : 256, o.rounds);
    free(buf);
    bench_api_pair_free(&s.api);
    bench_gss_pair_free(&s.gss);
    scpauth_creds_free(acc);
    scpauth_creds_free(asc);
    OM_uint32 minor;
    gss_release_cred(&minor, &gcc);
    gss_release_cred(&minor, &gsc);
    gss_release_name(&minor, &target);
    return 0;
}
