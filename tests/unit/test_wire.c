/* test_wire.c - frame headers, the incremental decoder, blocking send and
 * receive over real loopback sockets, and the socket helpers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <scpauth.h>
#include "compat_socket.h"

/* A helper thread for the peer side, and a sleep: the only platform detail
 * a test needs beyond compat_socket.h. */
#ifdef _WIN32
typedef HANDLE test_thread;
static DWORD WINAPI thread_trampoline(LPVOID arg);
static void sleep_ms(int ms) { Sleep((DWORD)ms); }
#else
#  include <pthread.h>
typedef pthread_t test_thread;
static void *thread_trampoline(void *arg);
static void sleep_ms(int ms)
{
    struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };
    nanosleep(&ts, NULL);
}
#endif
#ifndef MSG_NOSIGNAL
#  define MSG_NOSIGNAL 0
#endif

struct thread_job {
    void (*fn)(struct thread_job *);
    scpauth_socket s;
    const unsigned char *data; /* writer: bytes to write raw */
    size_t len;
    size_t chunk;              /* writer: bytes per send() */
    int delay_ms;              /* writer: pause between sends */
    int close_after;           /* writer: close s when done */
    scpauth_wire_options opts; /* reader */
    int rc;                    /* reader: scpauth_wire_recv result */
    unsigned flags;
    scpauth_buffer body;
};

#ifdef _WIN32
static DWORD WINAPI thread_trampoline(LPVOID arg)
{
    struct thread_job *j = arg;
    j->fn(j);
    return 0;
}
static test_thread thread_start(struct thread_job *j)
{
    HANDLE h = CreateThread(NULL, 0, thread_trampoline, j, 0, NULL);
    assert_non_null(h);
    return h;
}
static void thread_join(test_thread t)
{
    WaitForSingleObject(t, INFINITE);
    CloseHandle(t);
}
#else
static void *thread_trampoline(void *arg)
{
    struct thread_job *j = arg;
    j->fn(j);
    return NULL;
}
static test_thread thread_start(struct thread_job *j)
{
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, thread_trampoline, j), 0);
    return t;
}
static void thread_join(test_thread t) { pthread_join(t, NULL); }
#endif

static void job_write(struct thread_job *j)
{
    for (size_t off = 0; off < j->len;) {
        size_t n = j->len - off < j->chunk ? j->len - off : j->chunk;
        long long k = send(j->s, (const char *)j->data + off, (int)n, MSG_NOSIGNAL);
        if (k <= 0)
            break;
        off += (size_t)k;
        if (j->delay_ms > 0)
            sleep_ms(j->delay_ms);
    }
    if (j->close_after)
        scpauth_net_close(j->s);
}

static void job_read(struct thread_job *j)
{
    j->rc = scpauth_wire_recv(j->s, &j->opts, &j->flags, &j->body, NULL);
}

/* Two connected TCP sockets over 127.0.0.1. */
static void tcp_pair(scpauth_socket *client, scpauth_socket *server)
{
    scpauth_error err;
    scpauth_socket l;
    assert_int_equal(scpauth_net_init(&err), SCPAUTH_OK);
    assert_int_equal(scpauth_net_listen("127.0.0.1", 0, 4, &l, &err), SCPAUTH_OK);
    unsigned p = scpauth_net_local_port(l);
    assert_true(p > 0);
    assert_int_equal(scpauth_net_connect("127.0.0.1", p, 2000, client, &err), SCPAUTH_OK);
    assert_int_equal(scpauth_net_accept(l, 2000, server, NULL, 0, &err), SCPAUTH_OK);
    scpauth_net_close(l);
}

/* Fixture: a connected pair in *state, closed after the test. */
struct pair {
    scpauth_socket c, s;
};

static int pair_setup(void **state)
{
    struct pair *p = calloc(1, sizeof *p);
    assert_non_null(p);
    tcp_pair(&p->c, &p->s);
    *state = p;
    return 0;
}

static int pair_teardown(void **state)
{
    struct pair *p = *state;
    scpauth_net_close(p->c);
    scpauth_net_close(p->s);
    free(p);
    return 0;
}

/* Closes one end early; the teardown skips it. */
static void close_end(scpauth_socket *x)
{
    scpauth_net_close(*x);
    *x = SCPAUTH_INVALID_SOCKET;
}

static void send_raw(scpauth_socket s, const void *p, size_t n)
{
    assert_int_equal(send(s, (const char *)p, (int)n, MSG_NOSIGNAL), (long long)n);
}

static scpauth_wire_options opts_of(scpauth_wire_profile p, size_t max, int timeout_ms)
{
    scpauth_wire_options o = { p, max, timeout_ms };
    return o;
}

/* ---- headers ---- */

static void test_header_encode_both_profiles(void **state)
{
    (void)state;
    unsigned char h[SCPAUTH_WIRE_MAX_HEADER];
    assert_int_equal(scpauth_wire_header_size(SCPAUTH_WIRE_GSS_SAMPLE), 5);
    assert_int_equal(scpauth_wire_header_size(SCPAUTH_WIRE_SSPI_SAMPLE), 4);
    assert_int_equal(scpauth_wire_header_size(0), 4);
    assert_int_equal(scpauth_wire_header_size(99), 0);

    assert_int_equal(scpauth_wire_encode_header(SCPAUTH_WIRE_GSS_SAMPLE,
                                                SCPAUTH_WIRE_TOKEN_CONTEXT, 0x01020304, h),
                     5);
    const unsigned char gss[5] = { 0x02, 0x01, 0x02, 0x03, 0x04 };
    assert_memory_equal(h, gss, 5);

    assert_int_equal(scpauth_wire_encode_header(SCPAUTH_WIRE_SSPI_SAMPLE, 0xff, 0x01020304, h),
                     4);
    const unsigned char sspi[4] = { 0x04, 0x03, 0x02, 0x01 };
    assert_memory_equal(h, sspi, 4);

    assert_int_equal(scpauth_wire_encode_header(SCPAUTH_WIRE_SSPI_SAMPLE, 0, 12, NULL),
                     SCPAUTH_EINVAL);
    assert_int_equal(scpauth_wire_encode_header(7, 0, 12, h), SCPAUTH_EINVAL);
#if SIZE_MAX > UINT32_MAX
    assert_int_equal(scpauth_wire_encode_header(SCPAUTH_WIRE_GSS_SAMPLE, 0,
                                                (size_t)UINT32_MAX + 1, h),
                     SCPAUTH_EINVAL);
#endif
}

/* Decodes one header through the decoder: what parse gives on the wire. */
static void test_header_parse_both_profiles(void **state)
{
    (void)state;
    scpauth_wire_options o = opts_of(SCPAUTH_WIRE_GSS_SAMPLE, 0, 0);
    scpauth_wire_decoder d;
    scpauth_wire_decoder_init(&d, &o);
    const unsigned char gss[] = { 0x44, 0, 0, 0, 3, 'a', 'b', 'c' };
    size_t used;
    assert_int_equal(scpauth_wire_decoder_feed(&d, gss, sizeof gss, &used, NULL), SCPAUTH_OK);
    assert_int_equal(used, sizeof gss);
    unsigned flags;
    scpauth_buffer b = SCPAUTH_BUFFER_INIT;
    scpauth_wire_decoder_take(&d, &flags, &b);
    assert_int_equal(flags, SCPAUTH_WIRE_TOKEN_DATA | SCPAUTH_WIRE_TOKEN_ENCRYPTED);
    assert_int_equal(b.len, 3);
    assert_memory_equal(b.data, "abc", 3);
    scpauth_buffer_free(&b);
    scpauth_wire_decoder_reset(&d);

    o.profile = 0; /* default: sspi-sample */
    scpauth_wire_decoder_init(&d, &o);
    const unsigned char sspi[] = { 2, 0, 0, 0, 'x', 'y' };
    assert_int_equal(scpauth_wire_decoder_feed(&d, sspi, sizeof sspi, &used, NULL), SCPAUTH_OK);
    scpauth_wire_decoder_take(&d, &flags, &b);
    assert_int_equal(flags, 0);
    assert_int_equal(b.len, 2);
    assert_memory_equal(b.data, "xy", 2);
    scpauth_buffer_free(&b);
    scpauth_wire_decoder_reset(&d);
}

/* ---- decoder ---- */

/* Two frames back to back ("hello", then 300 bytes) in profile p. */
static size_t two_frames(scpauth_wire_profile p, unsigned char *out, unsigned char *big)
{
    for (size_t i = 0; i < 300; i++)
        big[i] = (unsigned char)(i * 7 + 1);
    size_t n = (size_t)scpauth_wire_encode_header(p, SCPAUTH_WIRE_TOKEN_CONTEXT, 5, out);
    memcpy(out + n, "hello", 5);
    n += 5;
    n += (size_t)scpauth_wire_encode_header(p, SCPAUTH_WIRE_TOKEN_MIC, 300, out + n);
    memcpy(out + n, big, 300);
    return n + 300;
}

/* Feeds stream in chunks of `chunk` bytes and checks both frames come out. */
static void decode_in_chunks(scpauth_wire_profile p, size_t chunk)
{
    unsigned char stream[400], big[300];
    size_t total = two_frames(p, stream, big);
    scpauth_wire_options o = opts_of(p, 1000, 0);
    scpauth_wire_decoder d;
    scpauth_wire_decoder_init(&d, &o);
    int frames = 0;
    size_t off = 0;
    while (off < total) {
        size_t n = total - off < chunk ? total - off : chunk;
        size_t used;
        int rc = scpauth_wire_decoder_feed(&d, stream + off, n, &used, NULL);
        off += used;
        if (rc == SCPAUTH_CONTINUE) {
            assert_int_equal(used, n); /* a partial frame consumes everything */
            continue;
        }
        assert_int_equal(rc, SCPAUTH_OK);
        unsigned flags;
        scpauth_buffer b = SCPAUTH_BUFFER_INIT;
        scpauth_wire_decoder_take(&d, &flags, &b);
        if (frames == 0) {
            assert_int_equal(b.len, 5);
            assert_memory_equal(b.data, "hello", 5);
            assert_int_equal(flags, p == SCPAUTH_WIRE_GSS_SAMPLE ? SCPAUTH_WIRE_TOKEN_CONTEXT : 0);
        } else {
            assert_int_equal(b.len, 300);
            assert_memory_equal(b.data, big, 300);
            assert_int_equal(flags, p == SCPAUTH_WIRE_GSS_SAMPLE ? SCPAUTH_WIRE_TOKEN_MIC : 0);
        }
        scpauth_buffer_free(&b);
        frames++;
    }
    assert_int_equal(frames, 2);
    assert_int_equal(scpauth_wire_decoder_finish(&d, NULL), SCPAUTH_OK);
    scpauth_wire_decoder_reset(&d);
}

static void test_decoder_byte_by_byte_and_in_one_go(void **state)
{
    (void)state;
    const scpauth_wire_profile ps[2] = { SCPAUTH_WIRE_GSS_SAMPLE, SCPAUTH_WIRE_SSPI_SAMPLE };
    const size_t chunks[] = { 1, 2, 3, 7, 64, 4096 };
    for (int i = 0; i < 2; i++)
        for (size_t c = 0; c < sizeof chunks / sizeof chunks[0]; c++)
            decode_in_chunks(ps[i], chunks[c]);
}

static void test_decoder_one_go_stops_after_first_frame(void **state)
{
    (void)state;
    unsigned char stream[400], big[300];
    size_t total = two_frames(SCPAUTH_WIRE_GSS_SAMPLE, stream, big);
    scpauth_wire_options o = opts_of(SCPAUTH_WIRE_GSS_SAMPLE, 0, 0);
    scpauth_wire_decoder d;
    scpauth_wire_decoder_init(&d, &o);
    size_t used;
    assert_int_equal(scpauth_wire_decoder_feed(&d, stream, total, &used, NULL), SCPAUTH_OK);
    assert_int_equal(used, 5 + 5); /* the second frame is left to the caller */
    /* feeding again before take is a caller error, not a silent loss */
    scpauth_error err;
    assert_int_equal(scpauth_wire_decoder_feed(&d, stream + used, total - used, &used, &err),
                     SCPAUTH_ESTATE);
    assert_int_equal(used, 0);
    scpauth_wire_decoder_reset(&d);
}

static void test_decoder_zero_length(void **state)
{
    (void)state;
    scpauth_error err;
    size_t used;
    scpauth_wire_decoder d;

    scpauth_wire_options o = opts_of(SCPAUTH_WIRE_SSPI_SAMPLE, 0, 0);
    scpauth_wire_decoder_init(&d, &o);
    const unsigned char zero4[4] = { 0 };
    assert_int_equal(scpauth_wire_decoder_feed(&d, zero4, 4, &used, &err), SCPAUTH_EZEROLEN);
    assert_int_equal(err.code, SCPAUTH_EZEROLEN);
    assert_string_equal(err.message, "zero-length frame from peer");
    /* the stream is out of sync: the error sticks until reset */
    assert_int_equal(scpauth_wire_decoder_feed(&d, zero4, 1, &used, &err), SCPAUTH_EZEROLEN);
    scpauth_wire_decoder_reset(&d);
    assert_int_equal(scpauth_wire_decoder_feed(&d, "\1\0\0\0x", 5, &used, &err), SCPAUTH_OK);
    scpauth_wire_decoder_reset(&d);

    o.profile = SCPAUTH_WIRE_GSS_SAMPLE;
    scpauth_wire_decoder_init(&d, &o);
    const unsigned char ctx0[5] = { SCPAUTH_WIRE_TOKEN_CONTEXT, 0, 0, 0, 0 };
    assert_int_equal(scpauth_wire_decoder_feed(&d, ctx0, 5, &used, &err), SCPAUTH_EZEROLEN);
    assert_non_null(strstr(err.message, "flags 0x02"));
    scpauth_wire_decoder_reset(&d);

    /* what gss-client sends: empty NOOP|CONTEXT_NEXT, then empty NOOP */
    const unsigned char noops[10] = { SCPAUTH_WIRE_TOKEN_NOOP | SCPAUTH_WIRE_TOKEN_CONTEXT_NEXT,
                                      0, 0, 0, 0, SCPAUTH_WIRE_TOKEN_NOOP, 0, 0, 0, 0 };
    const unsigned want[2] = { SCPAUTH_WIRE_TOKEN_NOOP | SCPAUTH_WIRE_TOKEN_CONTEXT_NEXT,
                               SCPAUTH_WIRE_TOKEN_NOOP };
    size_t off = 0;
    for (int i = 0; i < 2; i++) {
        assert_int_equal(scpauth_wire_decoder_feed(&d, noops + off, 10 - off, &used, &err),
                         SCPAUTH_OK);
        assert_int_equal(used, 5);
        off += used;
        unsigned flags;
        scpauth_buffer b = SCPAUTH_BUFFER_INIT;
        scpauth_wire_decoder_take(&d, &flags, &b);
        assert_int_equal(flags, want[i]);
        assert_int_equal(b.len, 0);
        scpauth_buffer_free(&b);
    }
    scpauth_wire_decoder_reset(&d);
}

static void test_decoder_oversized_rejected_before_allocation(void **state)
{
    (void)state;
    scpauth_error err;
    size_t used;
    scpauth_wire_decoder d;
    scpauth_wire_options o = opts_of(SCPAUTH_WIRE_SSPI_SAMPLE, 1024, 0);
    scpauth_wire_decoder_init(&d, &o);
    const unsigned char huge[4] = { 0xff, 0xff, 0xff, 0xff };
    for (int i = 0; i < 3; i++) { /* header split byte by byte: no early decision */
        assert_int_equal(scpauth_wire_decoder_feed(&d, huge + i, 1, &used, &err),
                         SCPAUTH_CONTINUE);
    }
    assert_int_equal(scpauth_wire_decoder_feed(&d, huge + 3, 1, &used, &err), SCPAUTH_ETOOBIG);
    assert_string_equal(err.message,
                        "frame of 4294967295 bytes from peer exceeds the limit of 1024 bytes");
    assert_string_not_equal(err.hint, "");
    assert_null(d.body_.data); /* nothing was allocated */
    assert_int_equal(d.body_.len, 0);
    scpauth_wire_decoder_reset(&d);

    /* the default limit, exactly at and one over */
    o = opts_of(SCPAUTH_WIRE_GSS_SAMPLE, 0, 0);
    scpauth_wire_decoder_init(&d, &o);
    unsigned char h[5];
    scpauth_wire_encode_header(SCPAUTH_WIRE_GSS_SAMPLE, 0, SCPAUTH_WIRE_DEFAULT_MAX_FRAME + 1, h);
    assert_int_equal(scpauth_wire_decoder_feed(&d, h, 5, &used, &err), SCPAUTH_ETOOBIG);
    assert_non_null(strstr(err.message, "limit of 1052672 bytes"));
    assert_null(d.body_.data);
    scpauth_wire_decoder_reset(&d);
    scpauth_wire_encode_header(SCPAUTH_WIRE_GSS_SAMPLE, 0, SCPAUTH_WIRE_DEFAULT_MAX_FRAME, h);
    assert_int_equal(scpauth_wire_decoder_feed(&d, h, 5, &used, &err), SCPAUTH_CONTINUE);
    assert_non_null(d.body_.data);
    scpauth_wire_decoder_reset(&d);
    assert_null(d.body_.data);
}

static void test_decoder_finish_reports_partial_frames(void **state)
{
    (void)state;
    scpauth_error err;
    size_t used;
    scpauth_wire_decoder d;
    scpauth_wire_options o = opts_of(SCPAUTH_WIRE_GSS_SAMPLE, 0, 0);
    scpauth_wire_decoder_init(&d, &o);
    assert_int_equal(scpauth_wire_decoder_finish(&d, &err), SCPAUTH_OK); /* boundary */
    assert_int_equal(scpauth_wire_decoder_feed(&d, "\4\0\0", 3, &used, &err), SCPAUTH_CONTINUE);
    assert_int_equal(scpauth_wire_decoder_finish(&d, &err), SCPAUTH_ETRUNCATED);
    assert_non_null(strstr(err.message, "3 of 5 bytes"));
    assert_int_equal(scpauth_wire_decoder_feed(&d, "\0\4ab", 4, &used, &err), SCPAUTH_CONTINUE);
    assert_int_equal(scpauth_wire_decoder_finish(&d, &err), SCPAUTH_ETRUNCATED);
    assert_non_null(strstr(err.message, "7 of 9 bytes"));
    /* take before completion hands out nothing and keeps the partial frame */
    unsigned flags = 99;
    scpauth_buffer b = SCPAUTH_BUFFER_INIT;
    scpauth_wire_decoder_take(&d, &flags, &b);
    assert_int_equal(flags, 0);
    assert_null(b.data);
    assert_int_equal(scpauth_wire_decoder_feed(&d, "cd", 2, &used, &err), SCPAUTH_OK);
    assert_int_equal(scpauth_wire_decoder_finish(&d, &err), SCPAUTH_OK);
    scpauth_wire_decoder_take(&d, &flags, &b);
    assert_memory_equal(b.data, "abcd", 4);
    scpauth_buffer_free(&b);
    scpauth_wire_decoder_reset(&d);
}

static void test_decoder_bad_arguments(void **state)
{
    (void)state;
    scpauth_wire_decoder d;
    scpauth_wire_options bad = opts_of(42, 0, 0);
    size_t used;
    scpauth_wire_decoder_init(&d, &bad);
    assert_int_equal(scpauth_wire_decoder_feed(&d, "x", 1, &used, NULL), SCPAUTH_EINVAL);
    scpauth_wire_decoder_init(&d, NULL);
    assert_int_equal(scpauth_wire_decoder_feed(&d, NULL, 1, &used, NULL), SCPAUTH_EINVAL);
    assert_int_equal(scpauth_wire_decoder_feed(&d, "x", 1, NULL, NULL), SCPAUTH_EINVAL);
    assert_int_equal(scpauth_wire_decoder_feed(&d, NULL, 0, &used, NULL), SCPAUTH_CONTINUE);
    scpauth_wire_decoder_reset(&d);
}

/* ---- blocking I/O over sockets ---- */

/* The peer writes bytes raw and closes: every whole frame is received, then
 * the receive that meets the close fails with want_rc and want_text. */
static void recv_until_close(const char *bytes, size_t n, int frames, int want_rc,
                             const char *want_text)
{
    scpauth_error err;
    scpauth_socket c, s;
    tcp_pair(&c, &s);
    send_raw(c, bytes, n);
    scpauth_net_close(c);
    scpauth_wire_options o = opts_of(SCPAUTH_WIRE_GSS_SAMPLE, 0, 2000);
    unsigned flags;
    scpauth_buffer b = SCPAUTH_BUFFER_INIT;
    for (int i = 0; i < frames; i++) {
        assert_int_equal(scpauth_wire_recv(s, &o, &flags, &b, &err), SCPAUTH_OK);
        assert_int_equal(flags, SCPAUTH_WIRE_TOKEN_DATA);
        assert_memory_equal(b.data, "abc", 3);
        scpauth_buffer_free(&b);
    }
    assert_int_equal(scpauth_wire_recv(s, &o, &flags, &b, &err), want_rc);
    assert_non_null(strstr(err.message, want_text));
    assert_non_null(strstr(err.message, "127.0.0.1:")); /* names the peer */
    assert_null(b.data);
    scpauth_net_close(s);
}

static void test_recv_eof_at_boundary_vs_mid_frame(void **state)
{
    (void)state;
    /* whole frames, then close: the frames, then EOF */
    recv_until_close("\4\0\0\0\3abc\4\0\0\0\3abc", 16, 2, SCPAUTH_EOF, "closed by");
    /* header and half the body, then close */
    recv_until_close("\4\0\0\0\6abc", 8, 0, SCPAUTH_ETRUNCATED, "8 of 11 bytes");
    /* part of the header, then close */
    recv_until_close("\4\0", 2, 0, SCPAUTH_ETRUNCATED, "2 of 5 bytes");
    /* a frame, then part of the next */
    recv_until_close("\4\0\0\0\3abc\4", 9, 1, SCPAUTH_ETRUNCATED, "1 of 5 bytes");
}

static void test_recv_rejects_bad_headers_with_peer_name(void **state)
{
    struct pair *p = *state;
    scpauth_socket c = p->c, s = p->s;
    scpauth_error err;
    scpauth_buffer b = SCPAUTH_BUFFER_INIT;
    scpauth_wire_options o = opts_of(SCPAUTH_WIRE_SSPI_SAMPLE, 4096, 2000);
    send_raw(c, "\xff\xff\xff\xff", 4);
    assert_int_equal(scpauth_wire_recv(s, &o, NULL, &b, &err), SCPAUTH_ETOOBIG);
    assert_null(b.data);
    assert_non_null(strstr(err.message, "frame of 4294967295 bytes from 127.0.0.1:"));
    assert_non_null(strstr(err.message, "exceeds the limit of 4096 bytes"));
    send_raw(c, "\0\0\0\0", 4);
    assert_int_equal(scpauth_wire_recv(s, &o, NULL, &b, &err), SCPAUTH_EZEROLEN);
    assert_non_null(strstr(err.message, "zero-length frame from 127.0.0.1:"));
}

static void test_recv_short_reads_one_byte_at_a_time(void **state)
{
    struct pair *p = *state;
    scpauth_socket c = p->c, s = p->s;
    scpauth_error err;
    unsigned char frame[5 + 20];
    scpauth_wire_encode_header(SCPAUTH_WIRE_GSS_SAMPLE, SCPAUTH_WIRE_TOKEN_WRAPPED, 20, frame);
    for (int i = 0; i < 20; i++)
        frame[5 + i] = (unsigned char)('A' + i);
    struct thread_job w = {
        .fn = job_write, .s = c, .data = frame, .len = sizeof frame, .chunk = 1, .delay_ms = 2
    };
    test_thread t = thread_start(&w);
    scpauth_wire_options o = opts_of(SCPAUTH_WIRE_GSS_SAMPLE, 0, 5000);
    unsigned flags;
    scpauth_buffer b = SCPAUTH_BUFFER_INIT;
    assert_int_equal(scpauth_wire_recv(s, &o, &flags, &b, &err), SCPAUTH_OK);
    thread_join(t);
    assert_int_equal(flags, SCPAUTH_WIRE_TOKEN_WRAPPED);
    assert_int_equal(b.len, 20);
    assert_memory_equal(b.data, frame + 5, 20);
    scpauth_buffer_free(&b);
}

/* A 1 MiB frame through a small send buffer: many short writes. */
static void test_send_short_writes_large_frame(void **state)
{
    struct pair *p = *state;
    scpauth_socket c = p->c, s = p->s;
    scpauth_error err;
    int small = 4096;
    setsockopt(c, SOL_SOCKET, SO_SNDBUF, (const char *)&small, sizeof small);
    size_t len = (size_t)1 << 20;
    unsigned char *body = malloc(len);
    assert_non_null(body);
    for (size_t i = 0; i < len; i++)
        body[i] = (unsigned char)(i ^ (i >> 8));
    struct thread_job r = { .fn = job_read, .s = s,
                            .opts = opts_of(SCPAUTH_WIRE_SSPI_SAMPLE, 0, 10000) };
    test_thread t = thread_start(&r);
    assert_int_equal(scpauth_wire_send(c, &r.opts, 0, body, len, &err), SCPAUTH_OK);
    thread_join(t);
    assert_int_equal(r.rc, SCPAUTH_OK);
    assert_int_equal(r.body.len, len);
    assert_memory_equal(r.body.data, body, len);
    scpauth_buffer_free(&r.body);
    free(body);
}

static void test_recv_timeout_on_half_frame(void **state)
{
    struct pair *p = *state;
    scpauth_socket c = p->c, s = p->s;
    scpauth_error err;
    send_raw(c, "\x10\0\0\0abcd", 8); /* 4 of 16 body bytes, then nothing */
    scpauth_wire_options o = opts_of(SCPAUTH_WIRE_SSPI_SAMPLE, 0, 100);
    scpauth_buffer b = SCPAUTH_BUFFER_INIT;
    uint64_t t0 = scpauth__now_ms();
    assert_int_equal(scpauth_wire_recv(s, &o, NULL, &b, &err), SCPAUTH_ETIMEDOUT);
    uint64_t dt = scpauth__now_ms() - t0;
    assert_true(dt >= 90 && dt < 3000);
    assert_null(b.data);
    assert_non_null(strstr(err.message, "timed out after 100 ms (8 of 20 bytes)"));
    assert_non_null(strstr(err.message, "127.0.0.1:"));
}

static void test_send_timeout_when_peer_never_reads(void **state)
{
    struct pair *p = *state;
    scpauth_socket c = p->c, s = p->s;
    scpauth_error err;
    int small = 4096;
    setsockopt(c, SOL_SOCKET, SO_SNDBUF, (const char *)&small, sizeof small);
    setsockopt(s, SOL_SOCKET, SO_RCVBUF, (const char *)&small, sizeof small);
    size_t len = (size_t)8 << 20;
    unsigned char *body = calloc(1, len);
    assert_non_null(body);
    scpauth_wire_options o = opts_of(SCPAUTH_WIRE_GSS_SAMPLE, len, 100);
    uint64_t t0 = scpauth__now_ms();
    assert_int_equal(scpauth_wire_send(c, &o, SCPAUTH_WIRE_TOKEN_DATA, body, len, &err),
                     SCPAUTH_ETIMEDOUT);
    uint64_t dt = scpauth__now_ms() - t0;
    assert_true(dt >= 90 && dt < 3000);
    assert_non_null(strstr(err.message, "sending a 8388608-byte frame to 127.0.0.1:"));
    free(body);
}

static void test_send_refuses_zero_and_oversized_locally(void **state)
{
    struct pair *p = *state;
    scpauth_socket c = p->c, s = p->s;
    scpauth_error err;
    scpauth_wire_options o = opts_of(SCPAUTH_WIRE_GSS_SAMPLE, 16, 1000);
    char big[17] = { 0 };
    assert_int_equal(scpauth_wire_send(c, &o, 0, big, 17, &err), SCPAUTH_ETOOBIG);
    assert_non_null(strstr(err.message, "frame of 17 bytes exceeds the limit of 16 bytes"));
    assert_int_equal(scpauth_wire_send(c, &o, SCPAUTH_WIRE_TOKEN_CONTEXT, "", 0, &err),
                     SCPAUTH_EZEROLEN);
    assert_int_equal(scpauth_wire_send(c, &o, 0, NULL, 3, &err), SCPAUTH_EINVAL);
    assert_int_equal(scpauth_wire_send(SCPAUTH_INVALID_SOCKET, &o, 0, "x", 1, &err),
                     SCPAUTH_EINVAL);
    /* an empty NOOP is what gss-client sends: it goes out and comes back */
    assert_int_equal(scpauth_wire_send(c, &o, SCPAUTH_WIRE_TOKEN_NOOP, NULL, 0, &err),
                     SCPAUTH_OK);
    unsigned flags;
    scpauth_buffer b = SCPAUTH_BUFFER_INIT;
    assert_int_equal(scpauth_wire_recv(s, &o, &flags, &b, &err), SCPAUTH_OK);
    assert_int_equal(flags, SCPAUTH_WIRE_TOKEN_NOOP);
    assert_int_equal(b.len, 0);
    /* nothing else was sent: the next receive times out */
    o.timeout_ms = 50;
    assert_int_equal(scpauth_wire_recv(s, &o, &flags, &b, &err), SCPAUTH_ETIMEDOUT);
}

/* A peer that closed must give EIO, not kill us with SIGPIPE. */
static void test_send_to_closed_peer_is_an_error(void **state)
{
    struct pair *p = *state;
    scpauth_socket c = p->c;
    scpauth_error err;
    close_end(&p->s);
    scpauth_wire_options o = opts_of(SCPAUTH_WIRE_SSPI_SAMPLE, 0, 1000);
    int rc = SCPAUTH_OK;
    for (int i = 0; i < 50 && rc == SCPAUTH_OK; i++) {
        rc = scpauth_wire_send(c, &o, 0, "ping", 4, &err);
        sleep_ms(5);
    }
    assert_int_equal(rc, SCPAUTH_EIO);
    assert_non_null(strstr(err.message, "sending a 4-byte frame to"));
    assert_int_equal(err.native_kind, SCPAUTH_NATIVE_ERRNO);
}

#ifndef _WIN32
/* A frame leaves in one write: on a SOCK_SEQPACKET pair every send call is
 * one record, so one recv seeing header and body proves a single call. */
static void test_send_is_one_write(void **state)
{
    (void)state;
    int sv[2];
    assert_int_equal(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv), 0);
    scpauth_error err;
    const scpauth_wire_profile ps[2] = { SCPAUTH_WIRE_GSS_SAMPLE, SCPAUTH_WIRE_SSPI_SAMPLE };
    for (int i = 0; i < 2; i++) {
        scpauth_wire_options o = opts_of(ps[i], 0, 1000);
        assert_int_equal(scpauth_wire_send(sv[0], &o, SCPAUTH_WIRE_TOKEN_CONTEXT, "0123456789",
                                           10, &err),
                         SCPAUTH_OK);
        unsigned char rec[64];
        size_t h = scpauth_wire_header_size(ps[i]);
        assert_int_equal(recv(sv[1], rec, sizeof rec, 0), (long)(h + 10));
        assert_memory_equal(rec + h, "0123456789", 10);
    }
    close(sv[0]);
    close(sv[1]);
}
#else
static void test_send_is_one_write(void **state)
{
    (void)state;
    skip(); /* no SOCK_SEQPACKET on Winsock */
}
#endif

/* ---- sockets ---- */

static void round_trip(const char *addr, scpauth_wire_profile p)
{
    scpauth_error err;
    scpauth_socket l, c, s;
    assert_int_equal(scpauth_net_listen(addr, 0, 4, &l, &err), SCPAUTH_OK);
    unsigned port = scpauth_net_local_port(l);
    assert_int_equal(scpauth_net_connect(addr, port, 2000, &c, &err), SCPAUTH_OK);
    char peer[80];
    assert_int_equal(scpauth_net_accept(l, 2000, &s, peer, sizeof peer, &err), SCPAUTH_OK);
    char want[80];
    snprintf(want, sizeof want, strchr(addr, ':') ? "[%s]:%u" : "%s:%u", addr,
             scpauth_net_local_port(c));
    assert_string_equal(peer, want);

    scpauth_wire_options o = opts_of(p, 0, 2000);
    unsigned flags;
    scpauth_buffer b = SCPAUTH_BUFFER_INIT;
    assert_int_equal(scpauth_wire_send(c, &o, SCPAUTH_WIRE_TOKEN_CONTEXT, "client hello", 12,
                                       &err),
                     SCPAUTH_OK);
    assert_int_equal(scpauth_wire_recv(s, &o, &flags, &b, &err), SCPAUTH_OK);
    assert_int_equal(flags, p == SCPAUTH_WIRE_GSS_SAMPLE ? SCPAUTH_WIRE_TOKEN_CONTEXT : 0);
    assert_int_equal(b.len, 12);
    assert_memory_equal(b.data, "client hello", 12);
    scpauth_buffer_free(&b);
    assert_int_equal(scpauth_wire_send(s, &o, SCPAUTH_WIRE_TOKEN_DATA, "service reply", 13,
                                       &err),
                     SCPAUTH_OK);
    assert_int_equal(scpauth_wire_recv(c, &o, &flags, &b, &err), SCPAUTH_OK);
    assert_memory_equal(b.data, "service reply", 13);
    scpauth_buffer_free(&b);
    scpauth_net_close(c);
    scpauth_net_close(s);
    scpauth_net_close(l);
}

static void test_tcp_round_trip_both_profiles(void **state)
{
    (void)state;
    scpauth_error err;
    assert_int_equal(scpauth_net_init(&err), SCPAUTH_OK);
    assert_int_equal(scpauth_net_init(&err), SCPAUTH_OK); /* idempotent */
    round_trip("127.0.0.1", SCPAUTH_WIRE_GSS_SAMPLE);
    round_trip("127.0.0.1", SCPAUTH_WIRE_SSPI_SAMPLE);
    scpauth_socket l;
    if (scpauth_net_listen("::1", 0, 1, &l, &err) == SCPAUTH_OK) { /* when IPv6 is up */
        scpauth_net_close(l);
        round_trip("::1", SCPAUTH_WIRE_GSS_SAMPLE);
    }
}

/* NULL bind address: all addresses, IPv4 clients included. */
static void test_listen_any_accepts_ipv4(void **state)
{
    (void)state;
    scpauth_error err;
    scpauth_socket l, c, s;
    assert_int_equal(scpauth_net_listen(NULL, 0, 4, &l, &err), SCPAUTH_OK);
    unsigned port = scpauth_net_local_port(l);
    assert_int_equal(scpauth_net_connect("127.0.0.1", port, 2000, &c, &err), SCPAUTH_OK);
    char peer[80];
    assert_int_equal(scpauth_net_accept(l, 2000, &s, peer, sizeof peer, &err), SCPAUTH_OK);
    assert_int_equal(strncmp(peer, "127.0.0.1:", 10), 0); /* shown unmapped */
    scpauth_net_close(c);
    scpauth_net_close(s);
    scpauth_net_close(l);
}

static void test_connect_refused_names_host_port(void **state)
{
    (void)state;
    scpauth_error err;
    scpauth_socket l, c;
    assert_int_equal(scpauth_net_listen("127.0.0.1", 0, 1, &l, &err), SCPAUTH_OK);
    unsigned port = scpauth_net_local_port(l);
    scpauth_net_close(l); /* nothing listens there now */
    assert_int_equal(scpauth_net_connect("127.0.0.1", port, 2000, &c, &err),
                     SCPAUTH_ECONNREFUSED);
    assert_true(c == SCPAUTH_INVALID_SOCKET);
    char want[40];
    snprintf(want, sizeof want, "127.0.0.1:%u", port);
    assert_non_null(strstr(err.message, want));
    assert_non_null(strstr(err.hint, "listening"));
    assert_int_equal(scpauth_net_connect("127.0.0.1", 70000, 2000, &c, &err), SCPAUTH_EINVAL);
}

/* A listener that never accepts and whose queue is full drops new SYNs: a
 * connect then times out within its timeout, naming host:port. */
static void test_connect_timeout(void **state)
{
    (void)state;
    scpauth_error err;
    scpauth_socket l, c[16];
    assert_int_equal(scpauth_net_listen("127.0.0.1", 0, 1, &l, &err), SCPAUTH_OK);
    unsigned port = scpauth_net_local_port(l);
    int n = 0, rc = SCPAUTH_OK;
    uint64_t dt = 0;
    while (n < 16 && rc == SCPAUTH_OK) {
        uint64_t t0 = scpauth__now_ms();
        rc = scpauth_net_connect("127.0.0.1", port, 200, &c[n], &err);
        dt = scpauth__now_ms() - t0;
        if (rc == SCPAUTH_OK)
            n++;
    }
    for (int i = 0; i < n; i++)
        scpauth_net_close(c[i]);
    scpauth_net_close(l);
    if (rc == SCPAUTH_OK)
        skip(); /* this stack never drops a SYN on loopback */
    assert_int_equal(rc, SCPAUTH_ETIMEDOUT);
    assert_true(dt >= 190 && dt < 3000);
    char want[64];
    snprintf(want, sizeof want, "connecting to 127.0.0.1:%u timed out after 200 ms", port);
    assert_string_equal(err.message, want);
}

static void test_accept_timeout_and_busy_port(void **state)
{
    (void)state;
    scpauth_error err;
    scpauth_socket l, l2, s;
    assert_int_equal(scpauth_net_listen("127.0.0.1", 0, 1, &l, &err), SCPAUTH_OK);
    uint64_t t0 = scpauth__now_ms();
    assert_int_equal(scpauth_net_accept(l, 100, &s, NULL, 0, &err), SCPAUTH_ETIMEDOUT);
    assert_true(scpauth__now_ms() - t0 >= 90);
    unsigned port = scpauth_net_local_port(l);
    char want[40];
    snprintf(want, sizeof want, "port %u", port);
    assert_non_null(strstr(err.message, want));

    assert_int_equal(scpauth_net_listen("127.0.0.1", port, 1, &l2, &err), SCPAUTH_EIO);
    snprintf(want, sizeof want, "127.0.0.1:%u", port);
    assert_non_null(strstr(err.message, want));
    assert_non_null(strstr(err.hint, "another process"));
    scpauth_net_close(l);
    assert_int_equal(scpauth_net_local_port(SCPAUTH_INVALID_SOCKET), 0);
    scpauth_net_close(SCPAUTH_INVALID_SOCKET); /* harmless */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_header_encode_both_profiles),
        cmocka_unit_test(test_header_parse_both_profiles),
        cmocka_unit_test(test_decoder_byte_by_byte_and_in_one_go),
        cmocka_unit_test(test_decoder_one_go_stops_after_first_frame),
        cmocka_unit_test(test_decoder_zero_length),
        cmocka_unit_test(test_decoder_oversized_rejected_before_allocation),
        cmocka_unit_test(test_decoder_finish_reports_partial_frames),
        cmocka_unit_test(test_decoder_bad_arguments),
        cmocka_unit_test(test_recv_eof_at_boundary_vs_mid_frame),
        cmocka_unit_test_setup_teardown(test_recv_rejects_bad_headers_with_peer_name, pair_setup, pair_teardown),
        cmocka_unit_test_setup_teardown(test_recv_short_reads_one_byte_at_a_time, pair_setup, pair_teardown),
        cmocka_unit_test_setup_teardown(test_send_short_writes_large_frame, pair_setup, pair_teardown),
        cmocka_unit_test_setup_teardown(test_recv_timeout_on_half_frame, pair_setup, pair_teardown),
        cmocka_unit_test_setup_teardown(test_send_timeout_when_peer_never_reads, pair_setup, pair_teardown),
        cmocka_unit_test_setup_teardown(test_send_refuses_zero_and_oversized_locally, pair_setup, pair_teardown),
        cmocka_unit_test_setup_teardown(test_send_to_closed_peer_is_an_error, pair_setup, pair_teardown),
        cmocka_unit_test(test_send_is_one_write),
        cmocka_unit_test(test_tcp_round_trip_both_profiles),
        cmocka_unit_test(test_listen_any_accepts_ipv4),
        cmocka_unit_test(test_connect_refused_names_host_port),
        cmocka_unit_test(test_connect_timeout),
        cmocka_unit_test(test_accept_timeout_and_busy_port),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
