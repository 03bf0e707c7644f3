/* bench_api.c - scpauth's side: the same handshake through the public API
 * only (creds_acquire, ctx_new, ctx_step), as an application writes it. */
#include <stdio.h>

#include "bench.h"

static scpauth_creds *acquire(const scpauth_creds_options *o, const char *what)
{
    scpauth_error err;
    scpauth_creds *c = NULL;
    scpauth_error_clear(&err);
    bench_check(scpauth_creds_acquire(o, &c, &err), &err, what);
    return c;
}

scpauth_creds *bench_api_client_creds(const char *ccache)
{
    scpauth_creds_options o = {.role = SCPAUTH_ROLE_CLIENT, .ccache = ccache};
    return acquire(&o, ccache);
}

scpauth_creds *bench_api_service_creds(const char *keytab)
{
    scpauth_creds_options o = {.role = SCPAUTH_ROLE_SERVICE, .keytab = keytab};
    return acquire(&o, keytab);
}

static int api_failed(const scpauth_error *err, const char *what)
{
    char buf[1024];
    fprintf(stderr, "bench: %s: %s\n", what, scpauth_error_format(err, buf, sizeof(buf)));
    return -1;
}

int bench_api_handshake(scpauth_creds *cc, scpauth_creds *sc, const char *spn,
                        bench_api_pair *out)
{
    scpauth_error err;
    scpauth_buffer ctok = SCPAUTH_BUFFER_INIT, stok = SCPAUTH_BUFFER_INIT;
    int rc;
    scpauth_error_clear(&err);
    out->client = out->service = NULL;
    if (scpauth_ctx_new(cc, spn, 0, &out->client, &err) != SCPAUTH_OK ||
        scpauth_ctx_new(sc, NULL, 0, &out->service, &err) != SCPAUTH_OK)
        return api_failed(&err, "scpauth_ctx_new");
    if (scpauth_ctx_step(out->client, NULL, 0, &ctok, &err) != SCPAUTH_CONTINUE)
        return api_failed(&err, "scpauth_ctx_step (client)");
    rc = scpauth_ctx_step(out->service, ctok.data, ctok.len, &stok, &err);
    scpauth_buffer_free(&ctok);
    if (rc != SCPAUTH_OK)
        return api_failed(&err, "scpauth_ctx_step (service)");
    rc = scpauth_ctx_step(out->client, stok.data, stok.len, &ctok, &err);
    scpauth_buffer_free(&stok);
    scpauth_buffer_free(&ctok);
    if (rc != SCPAUTH_OK)
        return api_failed(&err, "scpauth_ctx_step (client, AP-REP)");
    return 0;
}

void bench_api_pair_free(bench_api_pair *p)
{
    scpauth_ctx_free(p->client);
    scpauth_ctx_free(p->service);
    p->client = p->service = NULL;
}
