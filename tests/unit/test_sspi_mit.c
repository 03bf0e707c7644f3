/* test_sspi_mit.c - the real src/sspi/sspi_layout.c and sspi_message.c,
 * built natively, against MIT krb5 through tests/unit/sspi_shim_mit.c
 * (EncryptMessage / DecryptMessage as Windows and as Wine 8 behave). A
 * real Kerberos context pair is made in process without a KDC: a random
 * AES256 service key in a MEMORY keytab, and a service ticket encrypted in
 * it by hand in a MEMORY ccache, so gss_init_sec_context finds it there.
 * Checks: seals of the SSPI path unwrap with plain gss_unwrap, gss_wrap
 * tokens unseal through it, Windows' token shape (60-byte TOKEN, EC 0,
 * RRC 28), integrity-only tokens say so, tampering is refused, and no
 * output of the package turns a seal into a weaker one. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include <gssapi/gssapi.h>
#include <gssapi/gssapi_krb5.h>
#include <krb5/krb5.h>

#include "sspi/sspi.h"
#include "sspi_shim_mit.h"

/* libkrb5 exports these (the KDC's own helpers) without declaring them. */
krb5_error_code krb5_encrypt_tkt_part(krb5_context, const krb5_keyblock *, krb5_ticket *);
krb5_error_code encode_krb5_ticket(const krb5_ticket *, krb5_data **);

#define SPN "myapp/host.sspi.test:4444@SSPI.TEST"
#define CLIENT "alice@SSPI.TEST"

typedef struct pair {
    gss_ctx_id_t init, acc;
    scpauth__sspi_ctx x; /* the SSPI side: the initiator */
} pair;

static int fresh_names; /* MEMORY ccache / keytab names differ per pair */

/* A service ticket for CLIENT to SPN, encrypted in skey, into ccache cc. */
static void forge_ticket(krb5_context k, krb5_keyblock *skey, krb5_ccache cc)
{
    krb5_principal client, server;
    assert_int_equal(krb5_parse_name(k, CLIENT, &client), 0);
    assert_int_equal(krb5_parse_name(k, SPN, &server), 0);
    krb5_keyblock *session = NULL;
    assert_int_equal(krb5_init_keyblock(k, ENCTYPE_AES256_CTS_HMAC_SHA1_96, 0, &session), 0);
    assert_int_equal(krb5_c_make_random_key(k, ENCTYPE_AES256_CTS_HMAC_SHA1_96, session), 0);

    krb5_timestamp now = (krb5_timestamp)time(NULL);
    krb5_enc_tkt_part etp;
    memset(&etp, 0, sizeof etp);
    etp.session = session;
    etp.client = client;
    etp.transited.tr_type = KRB5_DOMAIN_X500_COMPRESS;
    etp.times.authtime = etp.times.starttime = now - 60;
    etp.times.endtime = etp.times.renew_till = now + 3600;
    krb5_ticket tkt;
    memset(&tkt, 0, sizeof tkt);
    tkt.server = server;
    tkt.enc_part2 = &etp;
    assert_int_equal(krb5_encrypt_tkt_part(k, skey, &tkt), 0);
    tkt.enc_part.kvno = 1;
    krb5_data *der = NULL;
    assert_int_equal(encode_krb5_ticket(&tkt, &der), 0);

    krb5_creds cr;
    memset(&cr, 0, sizeof cr);
    cr.client = client;
    cr.server = server;
    cr.keyblock = *session;
    cr.times = etp.times;
    cr.ticket = *der;
    assert_int_equal(krb5_cc_initialize(k, cc, client), 0);
    assert_int_equal(krb5_cc_store_cred(k, cc, &cr), 0);

    krb5_free_data(k, der);
    krb5_free_data_contents(k, &tkt.enc_part.ciphertext);
    krb5_free_keyblock(k, session);
    krb5_free_principal(k, client);
    krb5_free_principal(k, server);
}

static gss_cred_id_t acquire(const char *key, const char *value, gss_cred_usage_t usage)
{
    OM_uint32 minor;
    gss_key_value_element_desc el = {key, value};
    gss_key_value_set_desc store = {1, &el};
    gss_OID_set_desc krb5 = {1, (gss_OID)gss_mech_krb5};
    gss_cred_id_t cred = GSS_C_NO_CREDENTIAL;
    OM_uint32 major = gss_acquire_cred_from(&minor, GSS_C_NO_NAME, GSS_C_INDEFINITE, &krb5,
                                            usage, &store, &cred, NULL, NULL);
    if (major != GSS_S_COMPLETE)
        fail_msg("gss_acquire_cred_from(%s=%s): major 0x%x minor %d", key, value, major,
                 (int)minor);
    return cred;
}

/* Establishes a mutually authenticated context pair in process. */
static void pair_make(pair *p)
{
    krb5_context k;
    assert_int_equal(krb5_init_context(&k), 0);
    char ccname[64], ktname[64];
    snprintf(ccname, sizeof ccname, "MEMORY:sspi-mit-cc-%d", fresh_names);
    snprintf(ktname, sizeof ktname, "MEMORY:sspi-mit-kt-%d", fresh_names++);

    krb5_keyblock skey;
    assert_int_equal(krb5_c_make_random_key(k, ENCTYPE_AES256_CTS_HMAC_SHA1_96, &skey), 0);
    krb5_keytab kt;
    krb5_keytab_entry e;
    memset(&e, 0, sizeof e);
    assert_int_equal(krb5_kt_resolve(k, ktname, &kt), 0);
    assert_int_equal(krb5_parse_name(k, SPN, &e.principal), 0);
    e.vno = 1;
    e.key = skey;
    assert_int_equal(krb5_kt_add_entry(k, kt, &e), 0);
    krb5_ccache cc;
    assert_int_equal(krb5_cc_resolve(k, ccname, &cc), 0);
    forge_ticket(k, &skey, cc);

    OM_uint32 major, minor;
    gss_cred_id_t ic = acquire("ccache", ccname, GSS_C_INITIATE);
    gss_cred_id_t ac = acquire("keytab", ktname, GSS_C_ACCEPT);
    gss_name_t target;
    gss_buffer_desc spn = {strlen(SPN), SPN};
    assert_int_equal(gss_import_name(&minor, &spn, GSS_KRB5_NT_PRINCIPAL_NAME, &target), 0);
    p->init = p->acc = GSS_C_NO_CONTEXT;
    gss_buffer_desc t1 = {0, NULL}, t2 = {0, NULL}, none = {0, NULL};
    OM_uint32 req = GSS_C_MUTUAL_FLAG | GSS_C_REPLAY_FLAG | GSS_C_SEQUENCE_FLAG |
                    GSS_C_CONF_FLAG | GSS_C_INTEG_FLAG;
    major = gss_init_sec_context(&minor, ic, &p->init, target, (gss_OID)gss_mech_krb5, req, 0,
                                 NULL, &none, NULL, &t1, NULL, NULL);
    if (major != GSS_S_CONTINUE_NEEDED)
        fail_msg("gss_init_sec_context: major 0x%x minor %d", major, (int)minor);
    major = gss_accept_sec_context(&minor, &p->acc, ac, &t1, NULL, NULL, NULL, &t2, NULL,
                                   NULL, NULL);
    if (major != GSS_S_COMPLETE)
        fail_msg("gss_accept_sec_context: major 0x%x minor %d", major, (int)minor);
    major = gss_init_sec_context(&minor, ic, &p->init, target, (gss_OID)gss_mech_krb5, req, 0,
                                 NULL, &t2, NULL, &none, NULL, NULL);
    assert_int_equal(major, GSS_S_COMPLETE);
    gss_release_buffer(&minor, &t1);
    gss_release_buffer(&minor, &t2);
    gss_release_name(&minor, &target);
    gss_release_cred(&minor, &ic);
    gss_release_cred(&minor, &ac);
    krb5_cc_destroy(k, cc);
    krb5_kt_close(k, kt);
    krb5_free_principal(k, e.principal);
    krb5_free_keyblock_contents(k, &skey);
    krb5_free_context(k);

    memset(&p->x, 0, sizeof p->x);
    p->x.handle.dwLower = (ULONG_PTR)p->init;
    p->x.have_handle = p->x.established = 1;
    p->x.role = SCPAUTH_ROLE_CLIENT;
    snprintf(p->x.subject, sizeof p->x.subject, "SPN '%s'", SPN);
}

static void pair_free(pair *p)
{
    OM_uint32 minor;
    gss_delete_sec_context(&minor, &p->init, GSS_C_NO_BUFFER);
    gss_delete_sec_context(&minor, &p->acc, GSS_C_NO_BUFFER);
}

/* The SSPI path seals; plain gss_unwrap on the peer must give msg back. */
static void seal_then_gss_unwrap(pair *p, int encrypt, const char *msg, scpauth_buffer *tok)
{
    scpauth_error err;
    size_t len = strlen(msg);
    int rc = scpauth__sspi_seal(&p->x, encrypt, msg, len, tok, &err);
    if (rc != SCPAUTH_OK)
        fail_msg("seal: %s", err.message);
    OM_uint32 minor;
    int conf = -1;
    gss_buffer_desc in = {tok->len, tok->data}, out = {0, NULL};
    assert_int_equal(gss_unwrap(&minor, p->acc, &in, &out, &conf, NULL), GSS_S_COMPLETE);
    assert_int_equal(conf, encrypt);
    assert_int_equal(out.length, len);
    assert_memory_equal(out.value, msg, len);
    gss_release_buffer(&minor, &out);
}

/* The peer gss_wraps; the SSPI path must unseal it. */
static void gss_wrap_then_unseal(pair *p, int encrypt, const char *msg)
{
    OM_uint32 minor;
    size_t len = strlen(msg);
    gss_buffer_desc in = {len, (void *)msg}, out = {0, NULL};
    assert_int_equal(gss_wrap(&minor, p->acc, encrypt, GSS_C_QOP_DEFAULT, &in, NULL, &out),
                     GSS_S_COMPLETE);
    scpauth_buffer m = SCPAUTH_BUFFER_INIT;
    scpauth_error err;
    int was = -1;
    assert_int_equal(scpauth__sspi_unseal(&p->x, out.value, out.length, &m, &was, &err),
                     SCPAUTH_OK);
    assert_int_equal(was, encrypt);
    assert_int_equal(m.len, len);
    assert_memory_equal(m.data, msg, len);
    scpauth_buffer_free(&m);
    gss_release_buffer(&minor, &out);
}

static void test_windows_layout_interop(void **state)
{
    (void)state;
    pair p;
    shim_wine_mode = shim_downgrade = 0;
    pair_make(&p);
    scpauth_buffer tok = SCPAUTH_BUFFER_INIT;
    const char *msg = "hello from the SSPI path, sealed as Windows lays it out";
    seal_then_gss_unwrap(&p, 1, msg, &tok);
    assert_int_equal(p.x.layout, SCPAUTH__SSPI_LAYOUT_WINDOWS);
    /* AES256: TOKEN 60 bytes (= cbSecurityTrailer), EC 0, RRC 28. */
    assert_int_equal(p.x.sizes.cbSecurityTrailer, 60);
    assert_int_equal(tok.len, strlen(msg) + 60);
    const unsigned char *t = tok.data;
    assert_int_equal(t[0], 0x05);
    assert_int_equal(t[1], 0x04);
    assert_int_equal(t[2] & 0x02, 0x02);
    assert_int_equal(t[4] << 8 | t[5], 0);
    assert_int_equal(t[6] << 8 | t[7], 28);
    size_t overhead = 0;
    scpauth_error err;
    assert_int_equal(scpauth__sspi_seal_overhead(&p.x, 0, &overhead, &err), SCPAUTH_OK);
    assert_true(overhead >= 60);
    scpauth_buffer_free(&tok);

    seal_then_gss_unwrap(&p, 1, "", &tok); /* empty message */
    assert_int_equal(tok.len, 60);
    scpauth_buffer_free(&tok);
    seal_then_gss_unwrap(&p, 0, "integrity only", &tok);
    scpauth_buffer_free(&tok);

    gss_wrap_then_unseal(&p, 1, "hello from MIT, gss_wrap");
    gss_wrap_then_unseal(&p, 0, "integrity only from MIT");
    gss_wrap_then_unseal(&p, 1, "");
    pair_free(&p);
}

static void test_wine_layout_interop(void **state)
{
    (void)state;
    pair p;
    shim_wine_mode = 1;
    shim_downgrade = 0;
    pair_make(&p);
    /* The service speaks first here: the unseal learns Wine's layout. */
    gss_wrap_then_unseal(&p, 1, "hello from MIT to a Wine-shaped package");
    assert_int_equal(p.x.layout, SCPAUTH__SSPI_LAYOUT_WINE);
    scpauth_buffer tok = SCPAUTH_BUFFER_INIT;
    seal_then_gss_unwrap(&p, 1, "short", &tok); /* header split over DATA and TOKEN */
    assert_int_equal(tok.len, 5 + 60);
    scpauth_buffer_free(&tok);
    seal_then_gss_unwrap(&p, 1, "a message longer than one RFC 4121 header", &tok);
    scpauth_buffer_free(&tok);
    gss_wrap_then_unseal(&p, 1, "and back");
    shim_wine_mode = 0;
    pair_free(&p);
}

static void test_tamper_refused(void **state)
{
    (void)state;
    pair p;
    shim_wine_mode = shim_downgrade = 0;
    pair_make(&p);
    OM_uint32 minor;
    /* A byte of a gss_wrap token changed: the SSPI path refuses it. */
    gss_buffer_desc in = {9, "tampered!"}, out = {0, NULL};
    assert_int_equal(gss_wrap(&minor, p.acc, 1, GSS_C_QOP_DEFAULT, &in, NULL, &out), 0);
    ((unsigned char *)out.value)[out.length - 20] ^= 1;
    scpauth_buffer m = SCPAUTH_BUFFER_INIT;
    scpauth_error err;
    int was = -1;
    assert_int_not_equal(scpauth__sspi_unseal(&p.x, out.value, out.length, &m, &was, &err),
                         SCPAUTH_OK);
    assert_null(m.data);
    assert_int_equal(was, -1);
    gss_release_buffer(&minor, &out);
    /* A byte of an SSPI seal changed: gss_unwrap refuses it. */
    scpauth_buffer tok = SCPAUTH_BUFFER_INIT;
    assert_int_equal(scpauth__sspi_seal(&p.x, 1, "sealed", 6, &tok, &err), SCPAUTH_OK);
    tok.data[tok.len - 1] ^= 1;
    gss_buffer_desc t = {tok.len, tok.data}, o = {0, NULL};
    assert_true(GSS_ERROR(gss_unwrap(&minor, p.acc, &t, &o, NULL, NULL)));
    gss_release_buffer(&minor, &o);
    scpauth_buffer_free(&tok);
    pair_free(&p);
}

static void test_no_weaker_seal(void **state)
{
    (void)state;
    pair p;
    shim_wine_mode = 0;
    shim_downgrade = 1; /* a package that does not encrypt when asked */
    pair_make(&p);
    scpauth_buffer tok = SCPAUTH_BUFFER_INIT;
    scpauth_error err;
    assert_int_equal(scpauth__sspi_seal(&p.x, 1, "secret", 6, &tok, &err), SCPAUTH_EINTERNAL);
    assert_null(tok.data);
    assert_non_null(strstr(err.message, "not sent"));
    /* A context that showed Windows' layout refuses Wine's later. */
    shim_downgrade = 0;
    assert_int_equal(scpauth__sspi_seal(&p.x, 1, "first", 5, &tok, &err), SCPAUTH_OK);
    scpauth_buffer_free(&tok);
    shim_wine_mode = 1;
    assert_int_equal(scpauth__sspi_seal(&p.x, 1, "second", 6, &tok, &err), SCPAUTH_EINTERNAL);
    assert_null(tok.data);
    assert_non_null(strstr(err.message, "changed its buffer layout"));
    shim_wine_mode = 0;
    pair_free(&p);
}

int main(void)
{
    /* No replay cache files; no krb5.conf needed (realms are explicit). */
    setenv("KRB5RCACHETYPE", "none", 1);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_windows_layout_interop),
        cmocka_unit_test(test_wine_layout_interop),
        cmocka_unit_test(test_tamper_refused),
        cmocka_unit_test(test_no_weaker_seal),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
