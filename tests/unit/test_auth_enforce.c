/* test_auth_enforce.c - the core's fail-closed checks on completed
 * handshakes, driven through the mock backend: each way a context can
 * complete without what this side requires must fail. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "mock_pair.h"

static void test_default_handshake_is_mutual_kerberos(void **state)
{
    (void)state;
    mock_pair p;
    assert_int_equal(mock_pair_run(&p, NULL, 0, NULL, 0), 0);
    scpauth_ctx_info ci, si;
    assert_int_equal(scpauth_ctx_info_get(p.client, &ci, NULL), SCPAUTH_OK);
    assert_int_equal(scpauth_ctx_info_get(p.service, &si, NULL), SCPAUTH_OK);
    assert_true(ci.mutual);
    assert_true(si.mutual);
    assert_int_equal(ci.requested_flags, SCPAUTH_FLAGS_CLIENT_DEFAULT);
    assert_int_equal(si.requested_flags, SCPAUTH_FLAGS_SERVICE_DEFAULT);
    assert_int_equal(ci.granted_flags & SCPAUTH_FLAGS_CLIENT_DEFAULT, SCPAUTH_FLAGS_CLIENT_DEFAULT);
    assert_int_equal(ci.mech, SCPAUTH_MECH_KRB5);
    assert_string_equal(ci.mech_name, "krb5");
    assert_string_equal(ci.peer_name, TEST_SPN);
    assert_string_equal(si.peer_name, "client@MOCK.TEST");
    assert_string_equal(ci.enctype, "aes256-cts-hmac-sha1-96");
    assert_true(ci.expiry > 0);
    mock_pair_free(&p);
}

/* Microsoft's sample tests `attrs && ISC_RET_MUTUAL_AUTH`: any non-zero
 * attrs pass. Here the mechanism grants plenty of flags but not mutual,
 * and the client must refuse. */
static void test_client_refuses_granted_flags_without_mutual(void **state)
{
    (void)state;
    scpauth_mock_script cs = {0};
    cs.granted_flags = SCPAUTH_FLAG_REPLAY | SCPAUTH_FLAG_SEQUENCE | SCPAUTH_FLAG_CONF |
                       SCPAUTH_FLAG_INTEG;
    mock_pair p;
    assert_int_not_equal(mock_pair_run(&p, &cs, 0, NULL, 0), 0);
    assert_int_equal(p.client_rc, SCPAUTH_ENOMUTUAL);
    assert_int_equal(p.cerr.code, SCPAUTH_ENOMUTUAL);
    assert_non_null(strstr(p.cerr.message, TEST_SPN));
    assert_non_null(strstr(p.cerr.message, "without mutual"));
    assert_false(scpauth_ctx_is_established(p.client));
    /* a failed context stays failed */
    scpauth_buffer out = SCPAUTH_BUFFER_INIT;
    assert_int_equal(scpauth_ctx_step(p.client, "x", 1, &out, NULL), SCPAUTH_ESTATE);
    scpauth_ctx_info info;
    assert_int_equal(scpauth_ctx_info_get(p.client, &info, NULL), SCPAUTH_ESTATE);
    mock_pair_free(&p);
}

static void test_service_refuses_client_without_mutual(void **state)
{
    (void)state;
    scpauth_mock_script cs = {0};
    cs.local_name = "mallory@EXAMPLE.TEST";
    scpauth_mock_script ss = {0};
    ss.peer_name = "mallory@EXAMPLE.TEST";
    mock_pair p;
    unsigned no_mutual = (SCPAUTH_FLAGS_CLIENT_DEFAULT & ~SCPAUTH_FLAG_MUTUAL) |
                         SCPAUTH_FLAG_ALLOW_NO_MUTUAL;
    assert_int_not_equal(mock_pair_run(&p, &cs, no_mutual, &ss, 0), 0);
    assert_int_equal(p.service_rc, SCPAUTH_ENOMUTUAL);
    assert_non_null(strstr(p.serr.message, "mallory@EXAMPLE.TEST"));
    assert_non_null(strstr(p.serr.message, "did not request mutual"));
    assert_true(p.serr.hint[0] != '\0');
    assert_false(scpauth_ctx_is_established(p.service));
    mock_pair_free(&p);
}

static void test_explicit_opt_out_on_both_sides(void **state)
{
    (void)state;
    unsigned no_mutual = (SCPAUTH_FLAGS_CLIENT_DEFAULT & ~SCPAUTH_FLAG_MUTUAL) |
                         SCPAUTH_FLAG_ALLOW_NO_MUTUAL;
    unsigned svc = (SCPAUTH_FLAGS_SERVICE_DEFAULT & ~SCPAUTH_FLAG_MUTUAL) |
                   SCPAUTH_FLAG_ALLOW_NO_MUTUAL;
    mock_pair p;
    assert_int_equal(mock_pair_run(&p, NULL, no_mutual, NULL, svc), 0);
    scpauth_ctx_info ci;
    assert_int_equal(scpauth_ctx_info_get(p.client, &ci, NULL), SCPAUTH_OK);
    assert_false(ci.mutual);
    assert_int_equal(ci.requested_flags & SCPAUTH_FLAG_ALLOW_NO_MUTUAL, 0);
    mock_pair_free(&p);
}

static void test_dropping_mutual_needs_the_named_flag(void **state)
{
    (void)state;
    scpauth_creds *c;
    scpauth_ctx *ctx = NULL;
    scpauth_error err;
    assert_int_equal(scpauth_mock_creds_new(SCPAUTH_ROLE_CLIENT, NULL, &c, NULL), SCPAUTH_OK);
    assert_int_equal(scpauth_ctx_new(c, TEST_SPN, SCPAUTH_FLAG_CONF | SCPAUTH_FLAG_INTEG, &ctx, &err),
                     SCPAUTH_EINVAL);
    assert_null(ctx);
    assert_non_null(strstr(err.message, "SCPAUTH_FLAG_ALLOW_NO_MUTUAL"));
    assert_int_equal(scpauth_ctx_new(c, TEST_SPN, 0x40000000u, &ctx, &err), SCPAUTH_EINVAL);
    assert_int_equal(scpauth_ctx_new(c, NULL, 0, &ctx, &err), SCPAUTH_EINVAL);
    assert_non_null(strstr(err.message, "SPN"));
    scpauth_creds_free(c);
}

static void test_ntlm_is_refused_with_kerberos_required(void **state)
{
    (void)state;
    scpauth_mock_script ss = {0};
    ss.mech = SCPAUTH_MECH_NTLM;
    mock_pair p;
    assert_int_not_equal(mock_pair_run(&p, NULL, 0, &ss, 0), 0);
    assert_int_equal(p.service_rc, SCPAUTH_EMECH);
    assert_non_null(strstr(p.serr.message, "ntlm"));
    assert_non_null(strstr(p.serr.message, "requires Kerberos"));
    assert_non_null(strstr(p.serr.hint, "NTLM"));
    mock_pair_free(&p);

    scpauth_mock_script cs = {0};
    cs.mech = SCPAUTH_MECH_OTHER;
    assert_int_not_equal(mock_pair_run(&p, &cs, 0, NULL, 0), 0);
    assert_int_equal(p.client_rc, SCPAUTH_EMECH);
    mock_pair_free(&p);

    /* SPNEGO that negotiated Kerberos is what Windows' Negotiate sends */
    ss.mech = SCPAUTH_MECH_SPNEGO_KRB5;
    assert_int_equal(mock_pair_run(&p, NULL, 0, &ss, 0), 0);
    scpauth_ctx_info si;
    assert_int_equal(scpauth_ctx_info_get(p.service, &si, NULL), SCPAUTH_OK);
    assert_string_equal(si.mech_name, "spnego/krb5");
    mock_pair_free(&p);
}

static void test_missing_protection_flag_is_refused(void **state)
{
    (void)state;
    scpauth_mock_script cs = {0};
    cs.granted_flags = SCPAUTH_FLAG_MUTUAL | SCPAUTH_FLAG_REPLAY | SCPAUTH_FLAG_SEQUENCE |
                       SCPAUTH_FLAG_INTEG; /* no conf */
    mock_pair p;
    assert_int_not_equal(mock_pair_run(&p, &cs, 0, NULL, 0), 0);
    assert_int_equal(p.client_rc, SCPAUTH_EFLAGS);
    assert_non_null(strstr(p.cerr.message, "conf"));
    mock_pair_free(&p);

    /* delegation is a wish: not granted is fine */
    assert_int_equal(mock_pair_run(&p, &cs, SCPAUTH_FLAG_MUTUAL | SCPAUTH_FLAG_DELEG, NULL,
                                   SCPAUTH_FLAG_MUTUAL), 0);
    mock_pair_free(&p);
}

static void test_backend_failure_passes_through_and_sticks(void **state)
{
    (void)state;
    scpauth_mock_script ss = {0};
    ss.fail_at_step = 1;
    ss.fail_code = SCPAUTH_EKEYTAB;
    ss.fail_message = "keytab FILE:/x lacks a key for myapp/svchost1";
    mock_pair p;
    assert_int_not_equal(mock_pair_run(&p, NULL, 0, &ss, 0), 0);
    assert_int_equal(p.service_rc, SCPAUTH_EKEYTAB);
    assert_string_equal(p.serr.message, "keytab FILE:/x lacks a key for myapp/svchost1");
    scpauth_buffer out = SCPAUTH_BUFFER_INIT;
    assert_int_equal(scpauth_ctx_step(p.service, "MOCK", 4, &out, NULL), SCPAUTH_ESTATE);
    assert_int_equal(out.len, 0);
    mock_pair_free(&p);
}

static void test_refused_context_sends_nothing(void **state)
{
    (void)state;
    /* the service completes with a reply token; if the core refuses the
     * context, that token must not reach the caller */
    scpauth_creds *c, *s;
    scpauth_ctx *cc, *sc;
    assert_int_equal(scpauth_mock_creds_new(SCPAUTH_ROLE_CLIENT, NULL, &c, NULL), SCPAUTH_OK);
    scpauth_mock_script ss = {0};
    ss.mech = SCPAUTH_MECH_NTLM;
    assert_int_equal(scpauth_mock_creds_new(SCPAUTH_ROLE_SERVICE, &ss, &s, NULL), SCPAUTH_OK);
    assert_int_equal(scpauth_ctx_new(c, TEST_SPN, 0, &cc, NULL), SCPAUTH_OK);
    assert_int_equal(scpauth_ctx_new(s, NULL, 0, &sc, NULL), SCPAUTH_OK);
    scpauth_buffer tok = SCPAUTH_BUFFER_INIT, reply = SCPAUTH_BUFFER_INIT;
    assert_int_equal(scpauth_ctx_step(cc, NULL, 0, &tok, NULL), SCPAUTH_CONTINUE);
    assert_true(tok.len > 0);
    assert_int_equal(scpauth_ctx_step(sc, tok.data, tok.len, &reply, NULL), SCPAUTH_EMECH);
    assert_int_equal(reply.len, 0);
    assert_null(reply.data);
    scpauth_buffer_free(&tok);
    scpauth_ctx_free(cc);
    scpauth_ctx_free(sc);
    scpauth_creds_free(c);
    scpauth_creds_free(s);
}

static void test_multi_round_handshake(void **state)
{
    (void)state;
    scpauth_mock_script s3 = {0};
    s3.rounds = 3;
    mock_pair p;
    assert_int_equal(mock_pair_run(&p, &s3, 0, &s3, 0), 0);
    mock_pair_free(&p);
}

static void test_defective_token_is_an_auth_error(void **state)
{
    (void)state;
    scpauth_creds *s;
    scpauth_ctx *sc;
    scpauth_error err;
    assert_int_equal(scpauth_mock_creds_new(SCPAUTH_ROLE_SERVICE, NULL, &s, NULL), SCPAUTH_OK);
    assert_int_equal(scpauth_ctx_new(s, NULL, 0, &sc, NULL), SCPAUTH_OK);
    scpauth_buffer out = SCPAUTH_BUFFER_INIT;
    assert_int_equal(scpauth_ctx_step(sc, "garbage!", 8, &out, &err), SCPAUTH_EAUTH);
    assert_non_null(strstr(err.message, "defective"));
    assert_int_equal(scpauth_ctx_step(sc, NULL, 0, &out, &err), SCPAUTH_ESTATE);
    scpauth_ctx_free(sc);
    assert_int_equal(scpauth_ctx_new(s, NULL, 0, &sc, NULL), SCPAUTH_OK);
    assert_int_equal(scpauth_ctx_step(sc, NULL, 0, &out, &err), SCPAUTH_EINVAL);
    scpauth_ctx_free(sc);
    scpauth_creds_free(s);
}

static void test_creds_options_are_checked(void **state)
{
    (void)state;
    scpauth_creds *c = NULL;
    scpauth_error err;
    scpauth_creds_options o = {0};
    o.backend = scpauth_auth_backend_mock();
    assert_int_equal(scpauth_creds_acquire(&o, &c, &err), SCPAUTH_EINVAL); /* no role */
    o.role = SCPAUTH_ROLE_CLIENT;
    o.keytab = "FILE:/etc/krb5.keytab";
    assert_int_equal(scpauth_creds_acquire(&o, &c, &err), SCPAUTH_EINVAL);
    assert_non_null(strstr(err.message, "keytab"));
    o.keytab = NULL;
    o.password = "secret";
    assert_int_equal(scpauth_creds_acquire(&o, &c, &err), SCPAUTH_EINVAL);
    assert_non_null(strstr(err.message, "principal"));
    o.role = SCPAUTH_ROLE_SERVICE;
    o.principal = "myapp/h";
    assert_int_equal(scpauth_creds_acquire(&o, &c, &err), SCPAUTH_EINVAL);
    o.password = NULL;
    assert_int_equal(scpauth_creds_acquire(&o, &c, &err), SCPAUTH_OK);
    char name[8];
    assert_int_equal(scpauth_creds_name(c, name, sizeof(name), &err), SCPAUTH_ENOBUFS);
    scpauth_creds_free(c);
    assert_string_equal(scpauth_auth_backend_name(scpauth_auth_backend_mock()), "mock");
    /* the library itself knows only its platform's backend, never the mock */
    assert_null(scpauth_auth_backend_find("mock"));
    assert_ptr_equal(scpauth_auth_backend_find(scpauth_auth_backend_name(
                         scpauth_auth_backend_default())),
                     scpauth_auth_backend_default());
    assert_null(scpauth_auth_backend_find("kerberos5"));
    assert_true(scpauth_auth_max_token(scpauth_auth_backend_mock()) > 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_default_handshake_is_mutual_kerberos),
        cmocka_unit_test(test_client_refuses_granted_flags_without_mutual),
        cmocka_unit_test(test_service_refuses_client_without_mutual),
        cmocka_unit_test(test_explicit_opt_out_on_both_sides),
        cmocka_unit_test(test_dropping_mutual_needs_the_named_flag),
        cmocka_unit_test(test_ntlm_is_refused_with_kerberos_required),
        cmocka_unit_test(test_missing_protection_flag_is_refused),
        cmocka_unit_test(test_backend_failure_passes_through_and_sticks),
        cmocka_unit_test(test_refused_context_sends_nothing),
        cmocka_unit_test(test_multi_round_handshake),
        cmocka_unit_test(test_defective_token_is_an_auth_error),
        cmocka_unit_test(test_creds_options_are_checked),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
