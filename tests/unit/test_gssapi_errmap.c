/* test_gssapi_errmap.c - GSS major / krb5 minor status -> scpauth code, hint
 * and message, as the GSSAPI backend reports them. No KDC needed: the
 * statuses are fed in directly and the texts come from MIT's tables. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "gssapi/gss_internal.h"

#define OP_CLIENT SCPAUTH__GSS_OP_CLIENT_CREDS
#define OP_SERVICE SCPAUTH__GSS_OP_SERVICE_CREDS
#define OP_INIT SCPAUTH__GSS_OP_INIT
#define OP_ACCEPT SCPAUTH__GSS_OP_ACCEPT
#define OP_MSG SCPAUTH__GSS_OP_MESSAGE

static void assert_krb5(scpauth__gss_op op, int32_t code, int want, const char *hint_part)
{
    const char *hint = "unset";
    assert_int_equal(scpauth__gss_map_krb5(op, code, &hint), want);
    if (hint_part == NULL) {
        assert_null(hint);
    } else {
        assert_non_null(hint);
        assert_non_null(strstr(hint, hint_part));
    }
}

static void test_krb5_codes_map_to_neutral_codes(void **state)
{
    (void)state;
    assert_krb5(OP_INIT, KRB5KDC_ERR_S_PRINCIPAL_UNKNOWN, SCPAUTH_ENOSPN, "setspn -S SPN ACCOUNT");
    assert_krb5(OP_INIT, KRB5KDC_ERR_S_PRINCIPAL_UNKNOWN, SCPAUTH_ENOSPN,
                "scpauth spn add --account ACCOUNT SPN");
    assert_krb5(OP_INIT, KRB5_KDC_UNREACH, SCPAUTH_EKDC, "KDC");
    assert_krb5(OP_CLIENT, KRB5_KDC_UNREACH, SCPAUTH_EKDC, "KDC");
    assert_krb5(OP_CLIENT, KRB5_REALM_UNKNOWN, SCPAUTH_EKDC, "realm");
    assert_krb5(OP_INIT, KRB5KRB_AP_ERR_SKEW, SCPAUTH_ESKEW, "clocks");
    assert_krb5(OP_ACCEPT, KRB5KRB_AP_ERR_SKEW, SCPAUTH_ESKEW, "clocks");
    assert_krb5(OP_CLIENT, KRB5_FCC_NOFILE, SCPAUTH_ENOCREDS, "kinit");
    assert_krb5(OP_INIT, KRB5_CC_NOTFOUND, SCPAUTH_ENOCREDS, "kinit");
    assert_krb5(OP_CLIENT, SCPAUTH__KG_EMPTY_CCACHE, SCPAUTH_ENOCREDS, "kinit");
    assert_krb5(OP_INIT, KRB5KRB_AP_ERR_TKT_EXPIRED, SCPAUTH_ECREDEXPIRED, "kinit");
    assert_krb5(OP_CLIENT, KRB5KDC_ERR_KEY_EXP, SCPAUTH_ECREDEXPIRED, "password");
    assert_krb5(OP_ACCEPT, KRB5_KT_NOTFOUND, SCPAUTH_EKEYTAB, "keytab");
    assert_krb5(OP_SERVICE, KRB5_KT_NOTFOUND, SCPAUTH_EKEYTAB, "missing");
    assert_krb5(OP_SERVICE, KRB5_KT_END, SCPAUTH_EKEYTAB, "keytab");
    assert_krb5(OP_ACCEPT, KRB5KRB_AP_ERR_NOKEY, SCPAUTH_EKEYTAB, "keytab");
    assert_krb5(OP_ACCEPT, KRB5KRB_AP_ERR_BADKEYVER, SCPAUTH_EKVNO, "re-export the keytab");
    assert_krb5(OP_ACCEPT, KRB5_KT_KVNONOTFOUND, SCPAUTH_EKVNO, "re-export the keytab");
    assert_krb5(OP_ACCEPT, KRB5KRB_AP_ERR_REPEAT, SCPAUTH_EREPLAY, "replayed");
    assert_krb5(OP_CLIENT, KRB5KDC_ERR_C_PRINCIPAL_UNKNOWN, SCPAUTH_ENOCREDS, "does not exist");
    assert_krb5(OP_INIT, KRB5KDC_ERR_ETYPE_NOSUPP, SCPAUTH_EAUTH, "AES");
    assert_krb5(OP_CLIENT, KRB5KDC_ERR_CLIENT_REVOKED, SCPAUTH_EAUTH, "disabled");
    /* not in the table */
    assert_krb5(OP_INIT, 12345, 0, NULL);
    assert_krb5(OP_INIT, 0, 0, NULL);
}

/* The same integrity failure means a wrong password on a login and a
 * stale keytab on an AP-REQ. */
static void test_integrity_failure_depends_on_operation(void **state)
{
    (void)state;
    assert_krb5(OP_CLIENT, KRB5KDC_ERR_PREAUTH_FAILED, SCPAUTH_EBADPASSWORD, "password");
    assert_krb5(OP_CLIENT, KRB5KRB_AP_ERR_BAD_INTEGRITY, SCPAUTH_EBADPASSWORD, "password");
    assert_krb5(OP_ACCEPT, KRB5KRB_AP_ERR_BAD_INTEGRITY, SCPAUTH_EKEYTAB, "re-export");
    assert_krb5(OP_ACCEPT, KRB5KRB_AP_ERR_MODIFIED, SCPAUTH_EKEYTAB, "re-export");
    assert_krb5(OP_INIT, KRB5KRB_AP_ERR_BAD_INTEGRITY, SCPAUTH_EAUTH, NULL);
    assert_krb5(OP_INIT, KRB5KDC_ERR_PREAUTH_FAILED, SCPAUTH_EAUTH, NULL);
}

static int status(scpauth__gss_op op, OM_uint32 major, OM_uint32 minor)
{
    return scpauth__gss_map_status(op, major, minor, NULL);
}

static void test_major_status_routine_errors(void **state)
{
    (void)state;
    assert_int_equal(status(OP_INIT, GSS_S_COMPLETE, 0), 0);
    assert_int_equal(status(OP_INIT, GSS_S_CONTINUE_NEEDED, 0), 0);
    /* the minor decides first */
    assert_int_equal(status(OP_INIT, GSS_S_FAILURE, (OM_uint32)KRB5KDC_ERR_S_PRINCIPAL_UNKNOWN),
                     SCPAUTH_ENOSPN);
    assert_int_equal(status(OP_INIT, GSS_S_FAILURE, (OM_uint32)KRB5_KDC_UNREACH), SCPAUTH_EKDC);
    /* then the routine error, by operation */
    assert_int_equal(status(OP_CLIENT, GSS_S_NO_CRED, 0), SCPAUTH_ENOCREDS);
    assert_int_equal(status(OP_INIT, GSS_S_NO_CRED, 0), SCPAUTH_ENOCREDS);
    assert_int_equal(status(OP_SERVICE, GSS_S_NO_CRED, 0), SCPAUTH_EKEYTAB);
    assert_int_equal(status(OP_CLIENT, GSS_S_CREDENTIALS_EXPIRED, 0), SCPAUTH_ECREDEXPIRED);
    assert_int_equal(status(OP_MSG, GSS_S_CONTEXT_EXPIRED, 0), SCPAUTH_ECTXEXPIRED);
    assert_int_equal(status(OP_MSG, GSS_S_BAD_SIG, 0), SCPAUTH_EBADSIG);
    assert_int_equal(status(OP_MSG, GSS_S_BAD_MIC, 0), SCPAUTH_EBADSIG);
    assert_int_equal(status(OP_MSG, GSS_S_DEFECTIVE_TOKEN, 0), SCPAUTH_EBADSIG);
    assert_int_equal(status(OP_ACCEPT, GSS_S_DEFECTIVE_TOKEN, 0), SCPAUTH_EAUTH);
    assert_int_equal(status(OP_ACCEPT, GSS_S_BAD_MECH, 0), SCPAUTH_EMECH);
    assert_int_equal(status(OP_INIT, GSS_S_BAD_NAME, 0), SCPAUTH_ESPNSYNTAX);
    assert_int_equal(status(OP_INIT, GSS_S_FAILURE, 0), SCPAUTH_EAUTH);
    assert_int_equal(status(OP_ACCEPT, GSS_S_FAILURE, 0), SCPAUTH_EAUTH);
    assert_int_equal(status(OP_SERVICE, GSS_S_FAILURE, 0), SCPAUTH_EKEYTAB);
    assert_int_equal(status(OP_CLIENT, GSS_S_FAILURE, 0), SCPAUTH_ENOCREDS);
    /* a context-level routine error wins over whatever minor comes with it */
    assert_int_equal(status(OP_MSG, GSS_S_CONTEXT_EXPIRED, (OM_uint32)KRB5KRB_AP_ERR_TKT_EXPIRED),
                     SCPAUTH_ECTXEXPIRED);
    assert_int_equal(status(OP_MSG, GSS_S_BAD_SIG, (OM_uint32)KRB5KRB_AP_ERR_BAD_INTEGRITY),
                     SCPAUTH_EBADSIG);
}

/* Replay and sequence problems arrive as supplementary bits on an otherwise
 * complete status; they must still be errors. */
static void test_supplementary_bits(void **state)
{
    (void)state;
    const char *hint = NULL;
    assert_int_equal(scpauth__gss_map_status(OP_MSG, GSS_S_DUPLICATE_TOKEN, 0, &hint),
                     SCPAUTH_EREPLAY);
    assert_non_null(hint);
    assert_int_equal(status(OP_MSG, GSS_S_UNSEQ_TOKEN, 0), SCPAUTH_ESEQUENCE);
    assert_int_equal(status(OP_MSG, GSS_S_GAP_TOKEN, 0), SCPAUTH_ESEQUENCE);
    assert_int_equal(status(OP_MSG, GSS_S_OLD_TOKEN, 0), SCPAUTH_ESEQUENCE);
    assert_int_equal(status(OP_MSG, GSS_S_OLD_TOKEN | GSS_S_DUPLICATE_TOKEN, 0), SCPAUTH_EREPLAY);
    /* a routine error outranks the bits */
    assert_int_equal(status(OP_MSG, GSS_S_BAD_SIG | GSS_S_DUPLICATE_TOKEN, 0), SCPAUTH_EBADSIG);
}

/* The krb5 mechanism's own error table has no installed header: check the
 * base we compiled in against MIT's texts (as the backend shows them). */
static void test_k5g_table_base_matches_mit(void **state)
{
    (void)state;
    struct {
        OM_uint32 code;
        const char *text;
    } rows[] = {
        {SCPAUTH__KG_CCACHE_NOMATCH, "Principal in credential cache does not match desired name"},
        {SCPAUTH__KG_KEYTAB_NOMATCH, "No principal in keytab matches desired name"},
        {SCPAUTH__KG_TGT_MISSING, "Credential cache has no TGT"},
        {SCPAUTH__KG_EMPTY_CCACHE, "Credential cache is empty"},
    };
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        scpauth_error err;
        scpauth_error_clear(&err);
        scpauth__gss_fail(&err, OP_CLIENT, GSS_S_NO_CRED, rows[i].code, "ccache X");
        assert_non_null(strstr(err.message, rows[i].text));
        assert_int_equal(err.code, rows[i].code == SCPAUTH__KG_KEYTAB_NOMATCH ? SCPAUTH_EKEYTAB
                                                                               : SCPAUTH_ENOCREDS);
    }
}

static void test_gss_fail_message_names_object_and_both_texts(void **state)
{
    (void)state;
    scpauth_error err;
    scpauth_error_clear(&err);
    int rc = scpauth__gss_fail(&err, OP_INIT, GSS_S_FAILURE,
                               (OM_uint32)KRB5KDC_ERR_S_PRINCIPAL_UNKNOWN,
                               "cannot authenticate to %s", "myapp/host.example.test:4444");
    assert_int_equal(rc, SCPAUTH_ENOSPN);
    assert_int_equal(err.code, SCPAUTH_ENOSPN);
    assert_non_null(strstr(err.message, "cannot authenticate to myapp/host.example.test:4444: "));
    assert_non_null(strstr(err.message, "Unspecified GSS failure")); /* major text */
    assert_non_null(strstr(err.message, "Server not found in Kerberos database")); /* minor */
    assert_non_null(strstr(err.hint, "setspn"));
    assert_int_equal(err.native_kind, SCPAUTH_NATIVE_GSS);
    assert_int_equal(err.native_major, GSS_S_FAILURE);
    assert_int_equal(err.native_minor, KRB5KDC_ERR_S_PRINCIPAL_UNKNOWN); /* sign kept */
}

static void test_gss_fail_supplementary_only(void **state)
{
    (void)state;
    scpauth_error err;
    scpauth_error_clear(&err);
    assert_int_equal(scpauth__gss_fail(&err, OP_MSG, GSS_S_DUPLICATE_TOKEN, 0, "unseal from %s",
                                       "the client"),
                     SCPAUTH_EREPLAY);
    assert_non_null(strstr(err.message, "unseal from the client: "));
    assert_non_null(strstr(err.message, "duplicate"));
    assert_int_equal(err.native_major, GSS_S_DUPLICATE_TOKEN);
    /* a status that is no error still yields an error code, never OK */
    assert_int_equal(scpauth__gss_fail(&err, OP_MSG, GSS_S_COMPLETE, 0, "x"), SCPAUTH_EINTERNAL);
    /* NULL err is allowed */
    assert_int_equal(scpauth__gss_fail(NULL, OP_MSG, GSS_S_BAD_SIG, 0, "x"), SCPAUTH_EBADSIG);
}

static void test_krb5_fail_uses_krb5_text(void **state)
{
    (void)state;
    krb5_context kctx;
    assert_int_equal(krb5_init_context(&kctx), 0);
    scpauth_error err;
    scpauth_error_clear(&err);
    int rc = scpauth__krb5_fail(&err, OP_CLIENT, kctx, KRB5KDC_ERR_PREAUTH_FAILED,
                                "cannot log in as %s", "user@EXAMPLE.TEST");
    assert_int_equal(rc, SCPAUTH_EBADPASSWORD);
    assert_non_null(strstr(err.message, "cannot log in as user@EXAMPLE.TEST: "));
    assert_non_null(strstr(err.message, "Preauthentication failed"));
    assert_non_null(strstr(err.hint, "password"));
    assert_int_equal(err.native_kind, SCPAUTH_NATIVE_KRB5);
    assert_int_equal(err.native_minor, KRB5KDC_ERR_PREAUTH_FAILED);
    /* unknown krb5 codes during a login are still "no credentials" */
    assert_int_equal(scpauth__krb5_fail(&err, OP_CLIENT, kctx, KRB5_LIBOS_PWDINTR, "login"),
                     SCPAUTH_ENOCREDS);
    krb5_free_context(kctx);
}

/* The backend only meets minor statuses after GSS calls, which load the
 * mechanisms and their error tables: do the same before the tests (the
 * built-in ones only, so no plugin from the host's /etc/gss/mech.d). */
static int setup(void **state)
{
    (void)state;
    OM_uint32 minor;
    setenv("GSS_MECH_CONFIG", "/dev/null", 1);
    gss_OID_set mechs = GSS_C_NO_OID_SET;
    if (GSS_ERROR(gss_indicate_mechs(&minor, &mechs)))
        return -1;
    gss_release_oid_set(&minor, &mechs);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_krb5_codes_map_to_neutral_codes),
        cmocka_unit_test(test_integrity_failure_depends_on_operation),
        cmocka_unit_test(test_major_status_routine_errors),
        cmocka_unit_test(test_supplementary_bits),
        cmocka_unit_test(test_k5g_table_base_matches_mit),
        cmocka_unit_test(test_gss_fail_message_names_object_and_both_texts),
        cmocka_unit_test(test_gss_fail_supplementary_only),
        cmocka_unit_test(test_krb5_fail_uses_krb5_text),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
