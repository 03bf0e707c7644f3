/* test_auth_message.c - sign/verify, seal/unseal, sizes and export/import
 * through the core, on mock contexts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "mock_pair.h"

static int contains(const unsigned char *hay, size_t n, const char *needle, size_t m)
{
    for (size_t i = 0; i + m <= n; i++)
        if (memcmp(hay + i, needle, m) == 0)
            return 1;
    return 0;
}

static int setup_pair(void **state)
{
    static mock_pair p;
    if (mock_pair_run(&p, NULL, 0, NULL, 0) != 0)
        return -1;
    *state = &p;
    return 0;
}

static int teardown_pair(void **state)
{
    mock_pair_free(*state);
    return 0;
}

static void test_seal_roundtrip_both_directions(void **state)
{
    mock_pair *p = *state;
    const char msg[] = "hello, service";
    scpauth_buffer tok = SCPAUTH_BUFFER_INIT, out = SCPAUTH_BUFFER_INIT;
    int enc = -1;
    assert_int_equal(scpauth_ctx_seal(p->client, 1, msg, sizeof(msg), &tok, NULL), SCPAUTH_OK);
    assert_false(contains(tok.data, tok.len, msg, sizeof(msg) - 1)); /* not in clear */
    assert_int_equal(scpauth_ctx_unseal(p->service, 1, tok.data, tok.len, &out, &enc, NULL), SCPAUTH_OK);
    assert_int_equal(enc, 1);
    assert_int_equal(out.len, sizeof(msg));
    assert_memory_equal(out.data, msg, sizeof(msg));
    scpauth_buffer_free(&tok);
    scpauth_buffer_free(&out);
    assert_null(out.data);

    assert_int_equal(scpauth_ctx_seal(p->service, 1, "reply", 5, &tok, NULL), SCPAUTH_OK);
    assert_int_equal(scpauth_ctx_unseal(p->client, 1, tok.data, tok.len, &out, NULL, NULL), SCPAUTH_OK);
    assert_memory_equal(out.data, "reply", 5);
    scpauth_buffer_free(&tok);
    scpauth_buffer_free(&out);

    /* an empty message is a valid message */
    assert_int_equal(scpauth_ctx_seal(p->client, 1, NULL, 0, &tok, NULL), SCPAUTH_OK);
    assert_int_equal(scpauth_ctx_unseal(p->service, 1, tok.data, tok.len, &out, NULL, NULL), SCPAUTH_OK);
    assert_int_equal(out.len, 0);
    scpauth_buffer_free(&tok);
    scpauth_buffer_free(&out);
}

static void test_integrity_only_vs_required_confidentiality(void **state)
{
    mock_pair *p = *state;
    scpauth_buffer tok = SCPAUTH_BUFFER_INIT, out = SCPAUTH_BUFFER_INIT;
    scpauth_error err;
    int enc = -1;
    assert_int_equal(scpauth_ctx_seal(p->client, 0, "plain", 5, &tok, NULL), SCPAUTH_OK);
    assert_int_equal(scpauth_ctx_unseal(p->service, 1, tok.data, tok.len, &out, &enc, &err),
                     SCPAUTH_ENOTSEALED);
    assert_null(out.data);
    assert_non_null(strstr(err.message, "not encrypted"));
    assert_non_null(strstr(err.message, "client@MOCK.TEST"));
    scpauth_buffer_free(&tok);

    assert_int_equal(scpauth_ctx_seal(p->client, 0, "plain", 5, &tok, NULL), SCPAUTH_OK);
    assert_int_equal(scpauth_ctx_unseal(p->service, 0, tok.data, tok.len, &out, &enc, NULL), SCPAUTH_OK);
    assert_int_equal(enc, 0);
    assert_memory_equal(out.data, "plain", 5);
    scpauth_buffer_free(&tok);
    scpauth_buffer_free(&out);
}

static void test_tamper_replay_reorder_are_distinct_errors(void **state)
{
    mock_pair *p = *state;
    scpauth_buffer t1 = SCPAUTH_BUFFER_INIT, t2 = SCPAUTH_BUFFER_INIT, t3 = SCPAUTH_BUFFER_INIT;
    scpauth_buffer out = SCPAUTH_BUFFER_INIT;
    assert_int_equal(scpauth_ctx_seal(p->client, 1, "one", 3, &t1, NULL), SCPAUTH_OK);
    assert_int_equal(scpauth_ctx_seal(p->client, 1, "two", 3, &t2, NULL), SCPAUTH_OK);
    assert_int_equal(scpauth_ctx_seal(p->client, 1, "three", 5, &t3, NULL), SCPAUTH_OK);

    t1.data[t1.len - 1] ^= 0x01; /* tampered */
    assert_int_equal(scpauth_ctx_unseal(p->service, 1, t1.data, t1.len, &out, NULL, NULL), SCPAUTH_EBADSIG);
    t1.data[t1.len - 1] ^= 0x01;
    assert_int_equal(scpauth_ctx_unseal(p->service, 1, t1.data, t1.len, &out, NULL, NULL), SCPAUTH_OK);
    scpauth_buffer_free(&out);
    /* replayed */
    assert_int_equal(scpauth_ctx_unseal(p->service, 1, t1.data, t1.len, &out, NULL, NULL), SCPAUTH_EREPLAY);
    assert_null(out.data);
    /* reordered: three before two */
    assert_int_equal(scpauth_ctx_unseal(p->service, 1, t3.data, t3.len, &out, NULL, NULL), SCPAUTH_ESEQUENCE);
    /* truncated */
    assert_int_equal(scpauth_ctx_unseal(p->service, 1, t2.data, 4, &out, NULL, NULL), SCPAUTH_EBADSIG);
    /* the stream carries on after the errors */
    assert_int_equal(scpauth_ctx_unseal(p->service, 1, t2.data, t2.len, &out, NULL, NULL), SCPAUTH_OK);
    scpauth_buffer_free(&out);
    scpauth_buffer_free(&t1);
    scpauth_buffer_free(&t2);
    scpauth_buffer_free(&t3);
}

static void test_sign_verify(void **state)
{
    mock_pair *p = *state;
    scpauth_buffer mic = SCPAUTH_BUFFER_INIT;
    scpauth_error err;
    assert_int_equal(scpauth_ctx_sign(p->service, "answer", 6, &mic, NULL), SCPAUTH_OK);
    size_t mic_size = 0;
    assert_int_equal(scpauth_ctx_mic_size(p->service, &mic_size, NULL), SCPAUTH_OK);
    assert_int_equal(mic.len, mic_size);
    assert_int_equal(scpauth_ctx_verify(p->client, "answeR", 6, mic.data, mic.len, &err), SCPAUTH_EBADSIG);
    assert_int_equal(err.code, SCPAUTH_EBADSIG);
    assert_int_equal(scpauth_ctx_verify(p->client, "answer", 6, mic.data, mic.len, NULL), SCPAUTH_OK);
    assert_int_equal(scpauth_ctx_verify(p->client, "answer", 6, mic.data, mic.len, NULL), SCPAUTH_EREPLAY);
    assert_int_equal(scpauth_ctx_verify(p->client, "answer", 6, NULL, 0, NULL), SCPAUTH_EINVAL);
    scpauth_buffer_free(&mic);
}

static void test_seal_overhead_matches_tokens(void **state)
{
    mock_pair *p = *state;
    static unsigned char big[70000];
    size_t sizes[] = {0, 1, 64, 1024, sizeof(big)};
    for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
        size_t overhead = 0;
        scpauth_buffer tok = SCPAUTH_BUFFER_INIT, out = SCPAUTH_BUFFER_INIT;
        assert_int_equal(scpauth_ctx_seal_overhead(p->client, sizes[i], &overhead, NULL), SCPAUTH_OK);
        assert_int_equal(scpauth_ctx_seal(p->client, 1, big, sizes[i], &tok, NULL), SCPAUTH_OK);
        assert_int_equal(tok.len, sizes[i] + overhead);
        assert_int_equal(scpauth_ctx_unseal(p->service, 1, tok.data, tok.len, &out, NULL, NULL), SCPAUTH_OK);
        scpauth_buffer_free(&tok);
        scpauth_buffer_free(&out);
    }
}

static void test_messages_need_an_established_context(void **state)
{
    (void)state;
    scpauth_creds *c;
    scpauth_ctx *ctx;
    scpauth_error err;
    scpauth_buffer b = SCPAUTH_BUFFER_INIT;
    size_t n;
    assert_int_equal(scpauth_mock_creds_new(SCPAUTH_ROLE_CLIENT, NULL, &c, NULL), SCPAUTH_OK);
    assert_int_equal(scpauth_ctx_new(c, TEST_SPN, 0, &ctx, NULL), SCPAUTH_OK);
    assert_int_equal(scpauth_ctx_seal(ctx, 1, "x", 1, &b, &err), SCPAUTH_ESTATE);
    assert_non_null(strstr(err.message, "established"));
    assert_int_equal(scpauth_ctx_unseal(ctx, 1, "x", 1, &b, NULL, NULL), SCPAUTH_ESTATE);
    assert_int_equal(scpauth_ctx_sign(ctx, "x", 1, &b, NULL), SCPAUTH_ESTATE);
    assert_int_equal(scpauth_ctx_verify(ctx, "x", 1, "y", 1, NULL), SCPAUTH_ESTATE);
    assert_int_equal(scpauth_ctx_mic_size(ctx, &n, NULL), SCPAUTH_ESTATE);
    assert_int_equal(scpauth_ctx_seal_overhead(ctx, 1, &n, NULL), SCPAUTH_ESTATE);
    assert_int_equal(scpauth_ctx_export(ctx, &b, NULL), SCPAUTH_ESTATE); /* frees ctx */
    assert_int_equal(scpauth_ctx_seal(NULL, 1, "x", 1, &b, NULL), SCPAUTH_EINVAL);
    scpauth_creds_free(c);
}

static void test_export_import_keeps_sequence_and_checks(void **state)
{
    (void)state;
    mock_pair p;
    assert_int_equal(mock_pair_run(&p, NULL, 0, NULL, 0), 0);
    scpauth_buffer t1 = SCPAUTH_BUFFER_INIT, out = SCPAUTH_BUFFER_INIT, blob = SCPAUTH_BUFFER_INIT;
    assert_int_equal(scpauth_ctx_seal(p.client, 1, "before", 6, &t1, NULL), SCPAUTH_OK);
    assert_int_equal(scpauth_ctx_unseal(p.service, 1, t1.data, t1.len, &out, NULL, NULL), SCPAUTH_OK);
    scpauth_buffer_free(&out);

    assert_int_equal(scpauth_ctx_export(p.service, &blob, NULL), SCPAUTH_OK);
    p.service = NULL;
    scpauth_ctx *svc = NULL;
    scpauth_error err;
    /* wrong role */
    assert_int_equal(scpauth_ctx_import(p.ccreds, blob.data, blob.len, &svc, &err), SCPAUTH_EINVAL);
    /* damaged header */
    blob.data[0] ^= 0xff;
    assert_int_equal(scpauth_ctx_import(p.screds, blob.data, blob.len, &svc, &err), SCPAUTH_EINVAL);
    blob.data[0] ^= 0xff;
    assert_int_equal(scpauth_ctx_import(p.screds, blob.data, blob.len, &svc, &err), SCPAUTH_OK);
    assert_true(scpauth_ctx_is_established(svc));
    /* the imported context remembers the sequence: a replay is still a replay */
    assert_int_equal(scpauth_ctx_unseal(svc, 1, t1.data, t1.len, &out, NULL, NULL), SCPAUTH_EREPLAY);
    scpauth_buffer_free(&t1);
    assert_int_equal(scpauth_ctx_seal(p.client, 1, "after", 5, &t1, NULL), SCPAUTH_OK);
    assert_int_equal(scpauth_ctx_unseal(svc, 1, t1.data, t1.len, &out, NULL, NULL), SCPAUTH_OK);
    assert_memory_equal(out.data, "after", 5);
    scpauth_buffer_free(&out);
    scpauth_buffer_free(&t1);
    scpauth_buffer_free(&blob);
    scpauth_ctx_free(svc);
    mock_pair_free(&p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_seal_roundtrip_both_directions, setup_pair, teardown_pair),
        cmocka_unit_test_setup_teardown(test_integrity_only_vs_required_confidentiality, setup_pair, teardown_pair),
        cmocka_unit_test_setup_teardown(test_tamper_replay_reorder_are_distinct_errors, setup_pair, teardown_pair),
        cmocka_unit_test_setup_teardown(test_sign_verify, setup_pair, teardown_pair),
        cmocka_unit_test_setup_teardown(test_seal_overhead_matches_tokens, setup_pair, teardown_pair),
        cmocka_unit_test(test_messages_need_an_established_context),
        cmocka_unit_test(test_export_import_keeps_sequence_and_checks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
