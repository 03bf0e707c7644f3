/* bench_gss.c - the peer: the same handshake as scpauth's, written directly
 * against MIT GSSAPI (cred store, exact-SPN krb5 name, the same flags), as a
 * careful program without the library would. */
#include <stdio.h>
#include <string.h>

#include "bench.h"

static gss_cred_id_t acquire(const char *key, const char *value, gss_cred_usage_t usage)
{
    OM_uint32 major, minor;
    gss_key_value_element_desc el = {key, value};
    gss_key_value_set_desc store = {1, &el};
    gss_OID_set_desc krb5_only = {1, (gss_OID)gss_mech_krb5};
    gss_cred_id_t cred = GSS_C_NO_CREDENTIAL;
    major = gss_acquire_cred_from(&minor, GSS_C_NO_NAME, GSS_C_INDEFINITE, &krb5_only, usage,
                                  &store, &cred, NULL, NULL);
    bench_gss_check(major, minor, value);
    return cred;
}

gss_cred_id_t bench_gss_client_creds(const char *ccache)
{
    return acquire("ccache", ccache, GSS_C_INITIATE);
}

gss_cred_id_t bench_gss_service_creds(const char *keytab)
{
    return acquire("keytab", keytab, GSS_C_ACCEPT);
}

gss_name_t bench_gss_spn(const char *spn)
{
    OM_uint32 major, minor;
    gss_buffer_desc b = {strlen(spn), (void *)spn};
    gss_name_t name = GSS_C_NO_NAME;
    major = gss_import_name(&minor, &b, GSS_KRB5_NT_PRINCIPAL_NAME, &name);
    bench_gss_check(major, minor, spn);
    return name;
}

static int gss_failed(OM_uint32 major, OM_uint32 minor, const char *what)
{
    OM_uint32 m, ctx = 0;
    gss_buffer_desc t = GSS_C_EMPTY_BUFFER;
    gss_display_status(&m, minor, GSS_C_MECH_CODE, GSS_C_NO_OID, &ctx, &t);
    fprintf(stderr, "bench: %s failed (major 0x%x): %.*s\n", what, major, (int)t.length,
            (char *)t.value);
    gss_release_buffer(&m, &t);
    return -1;
}

int bench_gss_handshake(gss_cred_id_t ccred, gss_cred_id_t scred, gss_name_t target,
                        bench_gss_pair *out)
{
    OM_uint32 major, minor, cflags = 0, sflags = 0;
    gss_buffer_desc ctok = GSS_C_EMPTY_BUFFER, stok = GSS_C_EMPTY_BUFFER;
    out->client = out->service = GSS_C_NO_CONTEXT;

    /* client -> AP-REQ, service -> AP-REP, client checks it: two messages */
    major = gss_init_sec_context(&minor, ccred, &out->client, target, (gss_OID)gss_mech_krb5,
                                 BENCH_GSS_FLAGS, GSS_C_INDEFINITE, GSS_C_NO_CHANNEL_BINDINGS,
                                 GSS_C_NO_BUFFER, NULL, &ctok, NULL, NULL);
    if (major != GSS_S_CONTINUE_NEEDED)
        return gss_failed(major, minor, "gss_init_sec_context");
    major = gss_accept_sec_context(&minor, &out->service, scred, &ctok,
                                   GSS_C_NO_CHANNEL_BINDINGS, NULL, NULL, &stok, &sflags, NULL,
                                   NULL);
    gss_release_buffer(&minor, &ctok);
    if (major != GSS_S_COMPLETE)
        return gss_failed(major, minor, "gss_accept_sec_context");
    major = gss_init_sec_context(&minor, ccred, &out->client, target, (gss_OID)gss_mech_krb5,
                                 BENCH_GSS_FLAGS, GSS_C_INDEFINITE, GSS_C_NO_CHANNEL_BINDINGS,
                                 &stok, NULL, &ctok, &cflags, NULL);
    gss_release_buffer(&minor, &stok);
    gss_release_buffer(&minor, &ctok);
    if (major != GSS_S_COMPLETE)
        return gss_failed(major, minor, "gss_init_sec_context (AP-REP)");
    /* the check every careful caller makes: mutual auth on both ends */
    if (!(cflags & GSS_C_MUTUAL_FLAG) || !(sflags & GSS_C_MUTUAL_FLAG)) {
        fprintf(stderr, "bench: raw handshake without mutual authentication\n");
        return -1;
    }
    return 0;
}

void bench_gss_pair_free(bench_gss_pair *p)
{
    OM_uint32 minor;
    gss_delete_sec_context(&minor, &p->client, GSS_C_NO_BUFFER);
    gss_delete_sec_context(&minor, &p->service, GSS_C_NO_BUFFER);
}
