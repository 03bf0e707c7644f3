/* bench_memory.c - heap per established context: N client+service context
 * pairs kept alive through scpauth, then through raw GSSAPI, in one process;
 * the growth of malloc'd bytes (mallinfo2) divided by N (RSS would not do:
 * the second side reuses the pages the first one freed). The scpauth side
 * is measured first, so a one-time allocation of the krb5 libraries is
 * charged to scpauth, not to the peer.
 *
 *   bench_memory --ccache C --keytab K --spn SPN [--iters N] [--smoke] */
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>

#include "bench.h"

static double heap_bytes(void)
{
    struct mallinfo2 mi = mallinfo2();
    return (double)mi.uordblks + (double)mi.hblkhd;
}

int main(int argc, char **argv)
{
    bench_opts o = {.iters = 1000, .rounds = 1};
    char *rest[8];
    if (argc > 20 || bench_opts_parse(&o, argc, argv, rest) != 0 || o.ccache == NULL ||
        o.keytab == NULL || o.spn == NULL)
        bench_die("usage: bench_memory --ccache C --keytab K --spn SPN [--iters N] [--smoke]");
    long n = o.smoke ? 5 : o.iters;
    scpauth_creds *acc = bench_api_client_creds(o.ccache), *asc = bench_api_service_creds(o.keytab);
    gss_cred_id_t gcc = bench_gss_client_creds(o.ccache), gsc = bench_gss_service_creds(o.keytab);
    gss_name_t target = bench_gss_spn(o.spn);
    bench_api_pair *ap = calloc((size_t)n, sizeof(*ap));
    bench_gss_pair *gp = calloc((size_t)n, sizeof(*gp));
    if (ap == NULL || gp == NULL)
        bench_die("out of memory");
    /* one of each first: the ticket in the ccache, the libraries' caches */
    bench_api_pair wa;
    bench_gss_pair wg;
    if (bench_api_handshake(acc, asc, o.spn, &wa) != 0 ||
        bench_gss_handshake(gcc, gsc, target, &wg) != 0)
        bench_die("warm-up handshake failed");
    bench_api_pair_free(&wa);
    bench_gss_pair_free(&wg);

    double h0 = heap_bytes();
    for (long i = 0; i < n; i++)
        if (bench_api_handshake(acc, asc, o.spn, &ap[i]) != 0)
            bench_die("handshake %ld failed", i);
    double ha = (heap_bytes() - h0) / (double)n;
    for (long i = 0; i < n; i++)
        bench_api_pair_free(&ap[i]);

    h0 = heap_bytes();
    for (long i = 0; i < n; i++)
        if (bench_gss_handshake(gcc, gsc, target, &gp[i]) != 0)
            bench_die("raw handshake %ld failed", i);
    double hg = (heap_bytes() - h0) / (double)n;
    for (long i = 0; i < n; i++)
        bench_gss_pair_free(&gp[i]);

    char extra[96];
    snprintf(extra, sizeof(extra), "unit=heap_bytes_per_context_pair pairs=%ld", n);
    bench_line("memory_per_context_pair", hg > 0 ? ha / hg : 0, "scpauth_heap", ha, "peer_heap",
               hg, NULL, 0, extra);
    free(ap);
    free(gp);
    scpauth_creds_free(acc);
    scpauth_creds_free(asc);
    OM_uint32 minor;
    gss_release_cred(&minor, &gcc);
    gss_release_cred(&minor, &gsc);
    gss_release_name(&minor, &target);
    return 0;
}
