/* test_sspi_map.c - the SSPI backend's pure mappings (Windows build only):
 * context flags both ways, etype names, packages, time stamps, QOP, status
 * codes and messages, UTF-8/UTF-16 and the explicit-credentials identity. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "sspi/sspi.h"

#include <ntsecapi.h> /* KERB_WRAP_NO_ENCRYPT, KERB_ETYPE_* */

static const unsigned all_flags[] = {SCPAUTH_FLAG_MUTUAL, SCPAUTH_FLAG_REPLAY,
                                     SCPAUTH_FLAG_SEQUENCE, SCPAUTH_FLAG_CONF,
                                     SCPAUTH_FLAG_INTEG, SCPAUTH_FLAG_DELEG};

static void test_req_flags_client(void **state)
{
    (void)state;
    unsigned long r = scpauth__sspi_req_flags(SCPAUTH_ROLE_CLIENT, SCPAUTH_FLAGS_CLIENT_DEFAULT);
    assert_int_equal(r, ISC_REQ_MUTUAL_AUTH | ISC_REQ_REPLAY_DETECT | ISC_REQ_SEQUENCE_DETECT |
                            ISC_REQ_CONFIDENTIALITY | ISC_REQ_INTEGRITY);
    /* We supply output buffers: the package must not allocate (Wine 8 can't). */
    assert_int_equal(r & ISC_REQ_ALLOCATE_MEMORY, 0);
    assert_int_equal(scpauth__sspi_req_flags(SCPAUTH_ROLE_CLIENT, 0), 0);
    assert_int_equal(scpauth__sspi_req_flags(SCPAUTH_ROLE_CLIENT, SCPAUTH_FLAG_DELEG),
                     ISC_REQ_DELEGATE);
    /* The opt-out is the core's business, never a package flag. */
    assert_int_equal(scpauth__sspi_req_flags(SCPAUTH_ROLE_CLIENT, SCPAUTH_FLAG_ALLOW_NO_MUTUAL), 0);
}

static void test_req_flags_service_uses_asc_values(void **state)
{
    (void)state;
    /* ASC_REQ_INTEGRITY (0x20000) differs from ISC_REQ_INTEGRITY (0x10000,
     * which is ASC_REQ_STREAM): a mix-up would ask for a stream context. */
    unsigned long r = scpauth__sspi_req_flags(SCPAUTH_ROLE_SERVICE, SCPAUTH_FLAG_INTEG);
    assert_int_equal(r, ASC_REQ_INTEGRITY);
    assert_int_equal(r & ASC_REQ_STREAM, 0);
    r = scpauth__sspi_req_flags(SCPAUTH_ROLE_SERVICE, SCPAUTH_FLAGS_SERVICE_DEFAULT);
    assert_int_equal(r, ASC_REQ_MUTUAL_AUTH | ASC_REQ_REPLAY_DETECT | ASC_REQ_CONFIDENTIALITY |
                            ASC_REQ_INTEGRITY);
}

static void test_ret_flags_bit_test_not_logical_and(void **state)
{
    (void)state;
    /* Microsoft's sample: `attrs && ISC_RET_MUTUAL_AUTH` is true here. */
    unsigned long attrs = ISC_RET_DELEGATE | ISC_RET_CONFIDENTIALITY | ISC_RET_ALLOCATED_MEMORY;
    unsigned f = scpauth__sspi_ret_flags(SCPAUTH_ROLE_CLIENT, attrs);
    assert_int_equal(f & SCPAUTH_FLAG_MUTUAL, 0);
    assert_int_equal(f, SCPAUTH_FLAG_DELEG | SCPAUTH_FLAG_CONF);
    assert_int_equal(scpauth__sspi_ret_flags(SCPAUTH_ROLE_CLIENT, 0), 0);
    /* Bits with no neutral meaning are dropped. */
    assert_int_equal(scpauth__sspi_ret_flags(SCPAUTH_ROLE_CLIENT,
                                             ISC_RET_CONNECTION | ISC_RET_USED_SUPPLIED_CREDS),
                     0);
}

static void test_ret_flags_service_integrity(void **state)
{
    (void)state;
    assert_int_equal(scpauth__sspi_ret_flags(SCPAUTH_ROLE_SERVICE, ASC_RET_INTEGRITY),
                     SCPAUTH_FLAG_INTEG);
    /* 0x10000 is ASC_RET_STREAM for a service, not integrity. */
    assert_int_equal(scpauth__sspi_ret_flags(SCPAUTH_ROLE_SERVICE, ISC_RET_INTEGRITY), 0);
    assert_int_equal(scpauth__sspi_ret_flags(SCPAUTH_ROLE_SERVICE, ASC_RET_MUTUAL_AUTH),
                     SCPAUTH_FLAG_MUTUAL);
}

static void test_flags_round_trip_each_role(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof all_flags / sizeof all_flags[0]; i++) {
        scpauth_role roles[] = {SCPAUTH_ROLE_CLIENT, SCPAUTH_ROLE_SERVICE};
        for (size_t j = 0; j < 2; j++) {
            unsigned long req = scpauth__sspi_req_flags(roles[j], all_flags[i]);
            /* REQ and RET share values for these bits: a package granting
             * exactly what was asked reports exactly that flag. */
            assert_int_equal(scpauth__sspi_ret_flags(roles[j], req), all_flags[i]);
        }
    }
}

static void test_etype_names(void **state)
{
    (void)state;
    assert_string_equal(scpauth__sspi_etype_name(KERB_ETYPE_AES256_CTS_HMAC_SHA1_96),
                        "aes256-cts-hmac-sha1-96");
    assert_string_equal(scpauth__sspi_etype_name(KERB_ETYPE_AES128_CTS_HMAC_SHA1_96),
                        "aes128-cts-hmac-sha1-96");
    assert_string_equal(scpauth__sspi_etype_name(KERB_ETYPE_RC4_HMAC_NT), "arcfour-hmac");
    assert_string_equal(scpauth__sspi_etype_name(20), "aes256-cts-hmac-sha384-192");
    assert_null(scpauth__sspi_etype_name(0));
    assert_null(scpauth__sspi_etype_name(KERB_ETYPE_AES256_CTS_HMAC_SHA1_96_PLAIN));
}

static void test_mech_of_package(void **state)
{
    (void)state;
    assert_int_equal(scpauth__sspi_mech_of_package(L"Kerberos"), SCPAUTH_MECH_KRB5);
    assert_int_equal(scpauth__sspi_mech_of_package(L"KERBEROS"), SCPAUTH_MECH_KRB5);
    assert_int_equal(scpauth__sspi_mech_of_package(L"NTLM"), SCPAUTH_MECH_NTLM);
    assert_int_equal(scpauth__sspi_mech_of_package(L"Negotiate"), SCPAUTH_MECH_OTHER);
    assert_int_equal(scpauth__sspi_mech_of_package(L"Kerberos2"), SCPAUTH_MECH_OTHER);
    assert_int_equal(scpauth__sspi_mech_of_package(NULL), SCPAUTH_MECH_UNKNOWN);
}

static void test_timestamp_to_unix(void **state)
{
    (void)state;
    const int64_t epoch = 116444736000000000LL; /* 1970-01-01 in FILETIME units */
    assert_int_equal(scpauth__sspi_timestamp_to_unix(epoch + 10000000LL), 1);
    /* 2024-01-01T00:00:00Z */
    assert_int_equal(scpauth__sspi_timestamp_to_unix(epoch + 1704067200LL * 10000000LL),
                     1704067200LL);
    assert_int_equal(scpauth__sspi_timestamp_to_unix(INT64_MAX), 0); /* "never" */
    assert_int_equal(scpauth__sspi_timestamp_to_unix(epoch), 0);
    assert_int_equal(scpauth__sspi_timestamp_to_unix(0), 0);
}

static void test_qop_encrypted(void **state)
{
    (void)state;
    assert_true(scpauth__sspi_qop_encrypted(0));
    assert_false(scpauth__sspi_qop_encrypted(SECQOP_WRAP_NO_ENCRYPT));
    assert_false(scpauth__sspi_qop_encrypted(KERB_WRAP_NO_ENCRYPT));
    /* Fail closed: a partial "no encrypt" value is not taken as encrypted. */
    assert_false(scpauth__sspi_qop_encrypted(0x80000000ul));
}

static void test_status_codes(void **state)
{
    (void)state;
    static const struct {
        SECURITY_STATUS st;
        int code;
    } want[] = {
        {SEC_E_TARGET_UNKNOWN, SCPAUTH_ENOSPN},
        {SEC_E_NO_CREDENTIALS, SCPAUTH_ENOCREDS},
        {SEC_E_NO_AUTHENTICATING_AUTHORITY, SCPAUTH_EKDC},
        {SEC_E_TIME_SKEW, SCPAUTH_ESKEW},
        {SEC_E_LOGON_DENIED, SCPAUTH_EBADPASSWORD},
        {SEC_E_WRONG_PRINCIPAL, SCPAUTH_EAUTH},
        {SEC_E_INTERNAL_ERROR, SCPAUTH_EAUTH},
        {SEC_E_MESSAGE_ALTERED, SCPAUTH_EBADSIG},
        {SEC_E_OUT_OF_SEQUENCE, SCPAUTH_ESEQUENCE},
        {SEC_E_CONTEXT_EXPIRED, SCPAUTH_ECTXEXPIRED},
        {SEC_E_MUTUAL_AUTH_FAILED, SCPAUTH_ENOMUTUAL},
        {SEC_E_UNSUPPORTED_FUNCTION, SCPAUTH_ENOTSUP},
        {SEC_E_BUFFER_TOO_SMALL, SCPAUTH_ENOBUFS},
        {(SECURITY_STATUS)0xC0000001, SCPAUTH_ENOCREDS}, /* Wine: password logon failed */
        {(SECURITY_STATUS)0x8009FFF0, SCPAUTH_EAUTH},
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
        assert_int_equal(scpauth__sspi_status_code(want[i].st), want[i].code);
    assert_string_equal(scpauth__sspi_status_name(SEC_E_TIME_SKEW), "SEC_E_TIME_SKEW");
    assert_string_equal(scpauth__sspi_status_name((SECURITY_STATUS)0x8009FFF0), "unknown status");
}

static void test_fail_fills_error(void **state)
{
    (void)state;
    scpauth_error err;
    memset(&err, 0, sizeof err);
    int rc = scpauth__sspi_fail(&err, SEC_E_TARGET_UNKNOWN, 0, "InitializeSecurityContext",
                                "SPN 'scptest/svc.example.test:8080'");
    assert_int_equal(rc, SCPAUTH_ENOSPN);
    assert_int_equal(err.code, SCPAUTH_ENOSPN);
    assert_int_equal(err.native_kind, SCPAUTH_NATIVE_SSPI);
    assert_int_equal(err.native_major, 0x80090303u);
    assert_non_null(strstr(err.message, "InitializeSecurityContext"));
    assert_non_null(strstr(err.message, "scptest/svc.example.test:8080"));
    assert_non_null(strstr(err.message, "SEC_E_TARGET_UNKNOWN (0x80090303)"));
    assert_non_null(strstr(err.hint, "register the SPN"));

    /* A per-message caller may override the code; the native status stays. */
    rc = scpauth__sspi_fail(&err, SEC_E_INVALID_TOKEN, SCPAUTH_EBADSIG, "DecryptMessage", "x");
    assert_int_equal(rc, SCPAUTH_EBADSIG);
    assert_int_equal(err.native_major, 0x80090308u);
    assert_string_equal(err.hint, "check that both sides speak Kerberos over the same framing");

    /* Unknown status: still named by its hex value; NULL err is fine. */
    rc = scpauth__sspi_fail(&err, (SECURITY_STATUS)0x8009FFF0, 0, "AcceptSecurityContext", "y");
    assert_int_equal(rc, SCPAUTH_EAUTH);
    assert_non_null(strstr(err.message, "0x8009FFF0"));
    assert_string_equal(err.hint, "");
    assert_int_equal(scpauth__sspi_fail(NULL, SEC_E_TIME_SKEW, 0, "a", "b"), SCPAUTH_ESKEW);
}

static void test_widen_narrow(void **state)
{
    (void)state;
    size_t n = 99;
    wchar_t *w = scpauth__sspi_widen("p\xc3\xa4r@EXAMPLE.TEST", &n); /* "pär@..." */
    assert_non_null(w);
    assert_int_equal(n, 16); /* characters, not the 17 UTF-8 bytes */
    assert_int_equal(w[1], 0xE4);
    char buf[32];
    assert_int_equal(scpauth__sspi_narrow(w, buf, sizeof buf), 0);
    assert_string_equal(buf, "p\xc3\xa4r@EXAMPLE.TEST");
    assert_int_equal(scpauth__sspi_narrow(w, buf, 8), -1); /* does not fit */
    assert_string_equal(buf, "");
    scpauth__sspi_wfree(w);

    assert_null(scpauth__sspi_widen("bad \xff utf-8", &n));
    assert_int_equal(n, 0);
    assert_null(scpauth__sspi_widen(NULL, NULL));
    assert_int_equal(scpauth__sspi_narrow(NULL, buf, sizeof buf), 0);
    assert_string_equal(buf, "");
    scpauth__sspi_wfree(NULL);
}

static void test_split_principal(void **state)
{
    (void)state;
    wchar_t a[] = L"alice@EXAMPLE.TEST", b[] = L"first@corp@EXAMPLE.TEST",
            c[] = L"EXAMPLE\\bob", d[] = L"carol";
    wchar_t *user, *domain;
    scpauth__sspi_split_principal(a, &user, &domain);
    assert_true(wcscmp(user, L"alice") == 0 && wcscmp(domain, L"EXAMPLE.TEST") == 0);
    scpauth__sspi_split_principal(b, &user, &domain); /* enterprise name: last '@' */
    assert_true(wcscmp(user, L"first@corp") == 0 && wcscmp(domain, L"EXAMPLE.TEST") == 0);
    scpauth__sspi_split_principal(c, &user, &domain);
    assert_true(wcscmp(user, L"bob") == 0 && wcscmp(domain, L"EXAMPLE") == 0);
    scpauth__sspi_split_principal(d, &user, &domain);
    assert_true(wcscmp(user, L"carol") == 0);
    assert_null(domain);
}

static void test_identity_lengths_in_characters(void **state)
{
    (void)state;
    size_t chars = 0;
    wchar_t *pw = scpauth__sspi_widen("p\xc3\xa4ssw\xc3\xb6rd", &chars); /* 8 chars, 10 bytes */
    wchar_t user[] = L"alice", realm[] = L"EXAMPLE.TEST";
    assert_non_null(pw);
    SEC_WINNT_AUTH_IDENTITY_W id;
    scpauth__sspi_identity_fill(&id, user, realm, pw, chars);
    assert_int_equal(id.UserLength, 5);
    assert_int_equal(id.DomainLength, 12);
    assert_int_equal(id.PasswordLength, 8);
    assert_int_equal(id.Flags, SEC_WINNT_AUTH_IDENTITY_UNICODE);
    assert_ptr_equal(id.Password, pw);
    scpauth__sspi_identity_fill(&id, user, NULL, pw, chars);
    assert_null(id.Domain);
    assert_int_equal(id.DomainLength, 0);
    scpauth__sspi_wfree(pw);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_req_flags_client),
        cmocka_unit_test(test_req_flags_service_uses_asc_values),
        cmocka_unit_test(test_ret_flags_bit_test_not_logical_and),
        cmocka_unit_test(test_ret_flags_service_integrity),
        cmocka_unit_test(test_flags_round_trip_each_role),
        cmocka_unit_test(test_etype_names),
        cmocka_unit_test(test_mech_of_package),
        cmocka_unit_test(test_timestamp_to_unix),
        cmocka_unit_test(test_qop_encrypted),
        cmocka_unit_test(test_status_codes),
        cmocka_unit_test(test_fail_fills_error),
        cmocka_unit_test(test_widen_narrow),
        cmocka_unit_test(test_split_principal),
        cmocka_unit_test(test_identity_lengths_in_characters),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
