/* test_bench_frame.c - the benchmarks' raw peers speak exactly scpauth's
 * gss-sample frames (bench/bench_frame.c against src/wire), and the
 * benchmark statistics take the median they claim to. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>

#include "bench.h"

static const scpauth_wire_options gss_sample = {SCPAUTH_WIRE_GSS_SAMPLE, 0, 2000};

static void pair(int sv[2])
{
    assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
}

/* A frame written by the raw peer reads back through scpauth's wire layer. */
static void test_raw_to_scpauth(void **state)
{
    (void)state;
    static const size_t sizes[] = {0, 1, 1000, 70000};
    int sv[2];
    pair(sv);
    for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
        unsigned char *body = malloc(sizes[i] + 1);
        assert_non_null(body);
        for (size_t k = 0; k < sizes[i]; k++)
            body[k] = (unsigned char)(k * 7u + i);
        unsigned flags = 0;
        scpauth_buffer got = SCPAUTH_BUFFER_INIT;
        /* the reader runs after the writer: a socketpair buffers 70000 bytes */
        assert_int_equal(bench_frame_send(sv[0], 0x21u + (unsigned)i, body, sizes[i]), 0);
        assert_int_equal(scpauth_wire_recv(sv[1], &gss_sample, &flags, &got, NULL), SCPAUTH_OK);
        assert_int_equal(flags, 0x21u + (unsigned)i);
        assert_int_equal(got.len, sizes[i]);
        if (sizes[i] > 0)
            assert_memory_equal(got.data, body, sizes[i]);
        scpauth_buffer_free(&got);
        free(body);
    }
    close(sv[0]);
    close(sv[1]);
}

/* A frame written by scpauth reads back through the raw peer. */
static void test_scpauth_to_raw(void **state)
{
    (void)state;
    int sv[2];
    pair(sv);
    const char text[] = "sealed bytes stand-in";
    unsigned flags = 0;
    unsigned char *body = NULL;
    size_t len = 0;
    assert_int_equal(scpauth_wire_send(sv[0], &gss_sample, SCPAUTH_WIRE_TOKEN_MIC, text,
                                       sizeof(text), NULL),
                     SCPAUTH_OK);
    assert_int_equal(bench_frame_recv(sv[1], &flags, &body, &len), 0);
    assert_int_equal(flags, SCPAUTH_WIRE_TOKEN_MIC);
    assert_int_equal(len, sizeof(text));
    assert_memory_equal(body, text, sizeof(text));
    free(body);
    /* an empty NOOP: no body allocated */
    assert_int_equal(scpauth_wire_send(sv[0], &gss_sample, SCPAUTH_WIRE_TOKEN_NOOP, NULL, 0,
                                       NULL),
                     SCPAUTH_OK);
    assert_int_equal(bench_frame_recv(sv[1], &flags, &body, &len), 0);
    assert_int_equal(flags, SCPAUTH_WIRE_TOKEN_NOOP);
    assert_int_equal(len, 0);
    assert_null(body);
    close(sv[0]);
    close(sv[1]);
}

/* A length over the raw peer's 2 MiB limit, and a header cut short. */
static void test_raw_refuses_bad_frames(void **state)
{
    (void)state;
    int sv[2];
    unsigned flags;
    unsigned char *body = (unsigned char *)"x";
    size_t len = 1;
    pair(sv);
    const unsigned char huge[5] = {SCPAUTH_WIRE_TOKEN_CONTEXT, 0x7f, 0xff, 0xff, 0xff};
    assert_int_equal(write(sv[0], huge, sizeof(huge)), (ssize_t)sizeof(huge));
    assert_int_equal(bench_frame_recv(sv[1], &flags, &body, &len), -1);
    assert_null(body);
    assert_int_equal(len, 0);
    const unsigned char cut[3] = {SCPAUTH_WIRE_TOKEN_CONTEXT, 0, 0};
    assert_int_equal(write(sv[0], cut, sizeof(cut)), (ssize_t)sizeof(cut));
    close(sv[0]);
    assert_int_equal(bench_frame_recv(sv[1], &flags, &body, &len), -1);
    assert_null(body);
    close(sv[1]);
}

static void test_median(void **state)
{
    (void)state;
    double odd[] = {5, 1, 9, 3, 7};
    double even[] = {4, 10, 2, 8};
    double one[] = {42};
    assert_true(bench_median(odd, 5) == 5);
    assert_true(bench_median(even, 4) == 6);
    assert_true(bench_median(one, 1) == 42);
    assert_true(bench_median(NULL, 0) == 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_raw_to_scpauth),
        cmocka_unit_test(test_scpauth_to_raw),
        cmocka_unit_test(test_raw_refuses_bad_frames),
        cmocka_unit_test(test_median),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
