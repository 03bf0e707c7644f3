/* bench_conn.c - one client connection in the gss-sample protocol, written
 * twice: through scpauth's public API (net, wire, ctx) and with raw GSSAPI
 * over plain sockets. Same frames, same flags, same exact-SPN name. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "bench.h"

#define T_NOOP SCPAUTH_WIRE_TOKEN_NOOP
#define T_CONTEXT SCPAUTH_WIRE_TOKEN_CONTEXT
#define T_NEXT SCPAUTH_WIRE_TOKEN_CONTEXT_NEXT
#define T_MIC SCPAUTH_WIRE_TOKEN_MIC
#define T_SEALED                                                                \
    (SCPAUTH_WIRE_TOKEN_DATA | SCPAUTH_WIRE_TOKEN_WRAPPED | SCPAUTH_WIRE_TOKEN_ENCRYPTED | \
     SCPAUTH_WIRE_TOKEN_SEND_MIC)
#define CONN_TIMEOUT_MS 30000

static const scpauth_wire_options wire = {SCPAUTH_WIRE_GSS_SAMPLE, 0, CONN_TIMEOUT_MS};

void bench_client_init(bench_client *c, int api, const char *ccache, const char *spn)
{
    scpauth_error err;
    scpauth_error_clear(&err);
    *c = (bench_client){.api = api, .spn = spn, .gc = GSS_C_NO_CREDENTIAL};
    if (api) {
        bench_check(scpauth_net_init(&err), &err, "scpauth_net_init");
        c->ac = bench_api_client_creds(ccache);
    } else {
        c->gc = bench_gss_client_creds(ccache);
        c->target = bench_gss_spn(spn);
    }
}

void bench_client_free(bench_client *c)
{
    OM_uint32 minor;
    scpauth_creds_free(c->ac);
    gss_release_cred(&minor, &c->gc);
    gss_release_name(&minor, &c->target);
}

static int fail(bench_conn *k, const scpauth_error *err, const char *what)
{
    char buf[512];
    fprintf(stderr, "bench: %s: %s\n", what,
            err ? scpauth_error_format(err, buf, sizeof(buf)) : "failed");
    bench_conn_close(k);
    return -1;
}

static int api_open(bench_conn *k, const char *host, unsigned port)
{
    scpauth_error err;
    scpauth_socket s;
    scpauth_buffer in = SCPAUTH_BUFFER_INIT, out = SCPAUTH_BUFFER_INIT;
    unsigned flags = 0;
    int rc;
    scpauth_error_clear(&err);
    if (scpauth_net_connect(host, port, CONN_TIMEOUT_MS, &s, &err) != SCPAUTH_OK)
        return fail(k, &err, "connect");
    k->fd = s;
    if (scpauth_ctx_new(k->c->ac, k->c->spn, 0, &k->actx, &err) != SCPAUTH_OK ||
        scpauth_wire_send(s, &wire, T_NOOP | T_NEXT, NULL, 0, &err) != SCPAUTH_OK)
        return fail(k, &err, "handshake start");
    for (;;) {
        rc = scpauth_ctx_step(k->actx, in.data, in.len, &out, &err);
        scpauth_buffer_free(&in);
        if (rc != SCPAUTH_OK && rc != SCPAUTH_CONTINUE)
            return fail(k, &err, "scpauth_ctx_step");
        if (out.len > 0 && scpauth_wire_send(s, &wire, T_CONTEXT, out.data, out.len, &err) != 0)
            rc = -1;
        scpauth_buffer_free(&out);
        if (rc != SCPAUTH_CONTINUE)
            return rc == SCPAUTH_OK ? 0 : fail(k, &err, "send");
        if (scpauth_wire_recv(s, &wire, &flags, &in, &err) != SCPAUTH_OK || flags != T_CONTEXT)
            return fail(k, &err, "handshake reply");
    }
}

static int raw_open(bench_conn *k, const char *host, unsigned port)
{
    OM_uint32 major, minor, ret_flags = 0;
    gss_buffer_desc in = GSS_C_EMPTY_BUFFER, out = GSS_C_EMPTY_BUFFER;
    unsigned char *body = NULL;
    unsigned flags;
    k->fd = bench_tcp_connect(host, port);
    if (k->fd < 0 || bench_frame_send(k->fd, T_NOOP | T_NEXT, NULL, 0) != 0)
        return fail(k, NULL, "connect");
    for (;;) {
        major = gss_init_sec_context(&minor, k->c->gc, &k->gctx, k->c->target,
                                     (gss_OID)gss_mech_krb5, BENCH_GSS_FLAGS, GSS_C_INDEFINITE,
                                     GSS_C_NO_CHANNEL_BINDINGS, body ? &in : GSS_C_NO_BUFFER,
                                     NULL, &out, &ret_flags, NULL);
        free(body);
        body = NULL;
        if (GSS_ERROR(major))
            return fail(k, NULL, "gss_init_sec_context");
        int sent = out.length == 0 || bench_frame_send(k->fd, T_CONTEXT, out.value,
                                                       out.length) == 0;
        gss_release_buffer(&minor, &out);
        if (!sent)
            return fail(k, NULL, "send");
        if (major == GSS_S_COMPLETE)
            return (ret_flags & GSS_C_MUTUAL_FLAG) ? 0 : fail(k, NULL, "no mutual auth");
        if (bench_frame_recv(k->fd, &flags, &body, &in.length) != 0 || flags != T_CONTEXT)
            return fail(k, NULL, "handshake reply");
        in.value = body;
    }
}

int bench_conn_open(bench_conn *k, const bench_client *c, const char *host, unsigned port)
{
    *k = (bench_conn){.c = c, .fd = -1, .gctx = GSS_C_NO_CONTEXT};
    return c->api ? api_open(k, host, port) : raw_open(k, host, port);
}

static int api_call(bench_conn *k, const void *msg, size_t len)
{
    scpauth_error err;
    scpauth_buffer tok = SCPAUTH_BUFFER_INIT, mic = SCPAUTH_BUFFER_INIT;
    unsigned flags = 0;
    scpauth_error_clear(&err);
    int ok = scpauth_ctx_seal(k->actx, 1, msg, len, &tok, &err) == SCPAUTH_OK &&
             scpauth_wire_send(k->fd, &wire, T_SEALED, tok.data, tok.len, &err) == SCPAUTH_OK &&
             scpauth_wire_recv(k->fd, &wire, &flags, &mic, &err) == SCPAUTH_OK &&
             flags == T_MIC &&
             scpauth_ctx_verify(k->actx, msg, len, mic.data, mic.len, &err) == SCPAUTH_OK;
    scpauth_buffer_free(&tok);
    scpauth_buffer_free(&mic);
    if (!ok) {
        char buf[512];
        fprintf(stderr, "bench: call: %s\n", scpauth_error_format(&err, buf, sizeof(buf)));
    }
    return ok ? 0 : -1;
}

static int raw_call(bench_conn *k, const void *msg, size_t len)
{
    OM_uint32 minor;
    gss_buffer_desc in = {len, (void *)msg}, tok = GSS_C_EMPTY_BUFFER, mic;
    unsigned char *body = NULL;
    unsigned flags = 0;
    int conf = 0;
    int ok = gss_wrap(&minor, k->gctx, 1, GSS_C_QOP_DEFAULT, &in, &conf, &tok) == 0 && conf &&
             bench_frame_send(k->fd, T_SEALED, tok.value, tok.length) == 0 &&
             bench_frame_recv(k->fd, &flags, &body, &mic.length) == 0 && flags == T_MIC;
    mic.value = body;
    ok = ok && gss_verify_mic(&minor, k->gctx, &in, &mic, NULL) == GSS_S_COMPLETE;
    gss_release_buffer(&minor, &tok);
    free(body);
    if (!ok)
        fprintf(stderr, "bench: raw call failed\n");
    return ok ? 0 : -1;
}

int bench_conn_call(bench_conn *k, const void *msg, size_t len)
{
    return k->c->api ? api_call(k, msg, len) : raw_call(k, msg, len);
}

void bench_conn_close(bench_conn *k)
{
    OM_uint32 minor;
    if (k->fd >= 0) {
        if (k->c->api) {
            (void)!scpauth_wire_send(k->fd, &wire, T_NOOP, NULL, 0, NULL);
            scpauth_net_close(k->fd);
        } else {
            (void)bench_frame_send(k->fd, T_NOOP, NULL, 0);
            close(k->fd);
        }
        k->fd = -1;
    }
    scpauth_ctx_free(k->actx);
    k->actx = NULL;
    gss_delete_sec_context(&minor, &k->gctx, GSS_C_NO_BUFFER);
}
