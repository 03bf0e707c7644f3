/* test_cli_session.c - the protocol `scpauth listen` and `scpauth connect`
 * share (tools/cli_session.c), both ends over real loopback sockets with the
 * mock backend: both wire profiles, the bad messages a test client sends,
 * and what a service must refuse. Also the credential options
 * (tools/cli_creds.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <scpauth.h>
#include "cli_creds.h"
#include "cli_session.h"
#include "cli_thread.h"

/* One connection: a client session here, a service session on a thread. */
typedef struct conn {
    scpauth_wire_profile profile;
    scpauth_creds *ccreds, *screds;
    scpauth_ctx *cctx, *sctx;
    cli_session client, service;
    scpauth_socket listener;
    int service_rc;
    scpauth_error serr;
} conn;

static void service_main(void *arg)
{
    conn *c = arg;
    scpauth_error_clear(&c->serr);
    c->service_rc = cli_session_handshake(&c->service, &c->serr);
    if (c->service_rc == SCPAUTH_OK)
        c->service_rc = cli_session_serve(&c->service, &c->serr);
    scpauth_net_close(c->service.sock);
    cli_gate_leave();
}

/* Connects a client to a fresh service (running on a thread). */
static void conn_open(conn *c, scpauth_wire_profile profile, unsigned client_flags, int budget_ms)
{
    memset(c, 0, sizeof(*c));
    scpauth_wire_options w = {profile, 0, 3000};
    assert_int_equal(scpauth_net_init(NULL), SCPAUTH_OK);
    assert_int_equal(scpauth_mock_creds_new(SCPAUTH_ROLE_CLIENT, NULL, &c->ccreds, NULL), 0);
    assert_int_equal(scpauth_mock_creds_new(SCPAUTH_ROLE_SERVICE, NULL, &c->screds, NULL), 0);
    assert_int_equal(scpauth_ctx_new(c->ccreds, "svc/host", client_flags, &c->cctx, NULL), 0);
    assert_int_equal(scpauth_ctx_new(c->screds, NULL, 0, &c->sctx, NULL), 0);
    assert_int_equal(scpauth_net_listen("127.0.0.1", 0, 4, &c->listener, NULL), SCPAUTH_OK);
    scpauth_socket cs, ss;
    assert_int_equal(scpauth_net_connect("127.0.0.1", scpauth_net_local_port(c->listener), 3000,
                                         &cs, NULL), SCPAUTH_OK);
    assert_int_equal(scpauth_net_accept(c->listener, 3000, &ss, NULL, 0, NULL), SCPAUTH_OK);
    cli_session_init(&c->client, cs, SCPAUTH_ROLE_CLIENT, c->cctx, &w);
    cli_session_init(&c->service, ss, SCPAUTH_ROLE_SERVICE, c->sctx, &w);
    c->service.handshake_budget_ms = budget_ms;
    snprintf(c->client.peer, sizeof(c->client.peer), "the test service");
    snprintf(c->service.peer, sizeof(c->service.peer), "the test client");
    cli_gate_init(1);
    cli_gate_enter();
    assert_int_equal(cli_thread_spawn(service_main, c), 0);
}

/* Closes the client, waits for the service thread, frees everything. */
static void conn_close(conn *c)
{
    scpauth_net_close(c->client.sock);
    cli_gate_wait_idle();
    scpauth_net_close(c->listener);
    cli_session_clear(&c->client);
    cli_session_clear(&c->service);
    scpauth_ctx_free(c->cctx);
    scpauth_ctx_free(c->sctx);
    scpauth_creds_free(c->ccreds);
    scpauth_creds_free(c->screds);
}

static void good_session(scpauth_wire_profile profile)
{
    conn c;
    scpauth_error err;
    conn_open(&c, profile, 0, 3000);
    assert_int_equal(cli_session_handshake(&c.client, &err), SCPAUTH_OK);
    assert_true(c.client.steps >= 1);
    for (int i = 0; i < 3; i++)
        assert_int_equal(cli_session_call(&c.client, "hello", 5, &err), SCPAUTH_OK);
    assert_int_equal(cli_session_end(&c.client, &err), SCPAUTH_OK);
    conn_close(&c);
    assert_int_equal(c.service_rc, SCPAUTH_OK);
    assert_int_equal(c.client.messages, 3);
    assert_int_equal(c.service.messages, 3);
}

static void test_gss_sample_session(void **state)
{
    (void)state;
    good_session(SCPAUTH_WIRE_GSS_SAMPLE);
}

static void test_sspi_sample_session(void **state)
{
    (void)state;
    good_session(SCPAUTH_WIRE_SSPI_SAMPLE);
}

/* The client's first step taken before connecting, as `connect` does. */
static void test_first_step_before_connect(void **state)
{
    (void)state;
    conn c;
    scpauth_error err;
    conn_open(&c, SCPAUTH_WIRE_GSS_SAMPLE, 0, 3000);
    assert_int_equal(cli_session_first_step(&c.client, &err), SCPAUTH_OK);
    assert_int_equal(c.client.steps, 1);
    assert_int_equal(cli_session_handshake(&c.client, &err), SCPAUTH_OK);
    assert_int_equal(cli_session_call(&c.client, "x", 1, &err), SCPAUTH_OK);
    assert_int_equal(cli_session_end(&c.client, &err), SCPAUTH_OK);
    conn_close(&c);
    assert_int_equal(c.service_rc, SCPAUTH_OK);
}

/* Each bad message: the client sees a hang-up, the service its own error. */
static void bad_message(scpauth_wire_profile profile, cli_bad kind, int expected)
{
    conn c;
    scpauth_error err;
    conn_open(&c, profile, 0, 3000);
    c.client.keep_last = 1;
    assert_int_equal(cli_session_handshake(&c.client, &err), SCPAUTH_OK);
    assert_int_equal(cli_session_call(&c.client, "good", 4, &err), SCPAUTH_OK);
    assert_int_equal(cli_session_call_bad(&c.client, kind, "bad!", 4, &err), SCPAUTH_OK);
    conn_close(&c);
    assert_int_equal(c.service_rc, expected);
    assert_int_equal(c.service.messages, 1);
}

static void test_bad_messages(void **state)
{
    (void)state;
    scpauth_wire_profile profiles[] = {SCPAUTH_WIRE_GSS_SAMPLE, SCPAUTH_WIRE_SSPI_SAMPLE};
    for (size_t p = 0; p < 2; p++) {
        bad_message(profiles[p], CLI_BAD_TAMPER, SCPAUTH_EBADSIG);
        bad_message(profiles[p], CLI_BAD_REPLAY, SCPAUTH_EREPLAY);
        bad_message(profiles[p], CLI_BAD_REORDER, SCPAUTH_ESEQUENCE);
        bad_message(profiles[p], CLI_BAD_TRUNCATE, SCPAUTH_ETRUNCATED);
    }
}

static void test_replay_needs_a_message(void **state)
{
    (void)state;
    conn c;
    scpauth_error err;
    conn_open(&c, SCPAUTH_WIRE_GSS_SAMPLE, 0, 3000);
    c.client.keep_last = 1;
    assert_int_equal(cli_session_handshake(&c.client, &err), SCPAUTH_OK);
    assert_int_equal(cli_session_call_bad(&c.client, CLI_BAD_REPLAY, "x", 1, &err), SCPAUTH_EINVAL);
    assert_int_equal(cli_session_end(&c.client, &err), SCPAUTH_OK);
    conn_close(&c);
    assert_int_equal(c.service_rc, SCPAUTH_OK);
}

/* A client that does not request mutual authentication is refused by the
 * service, whose error names the client. */
static void test_service_refuses_no_mutual(void **state)
{
    (void)state;
    conn c;
    scpauth_error err;
    conn_open(&c, SCPAUTH_WIRE_GSS_SAMPLE,
              (SCPAUTH_FLAGS_CLIENT_DEFAULT & ~SCPAUTH_FLAG_MUTUAL) | SCPAUTH_FLAG_ALLOW_NO_MUTUAL,
              3000);
    (void)cli_session_handshake(&c.client, &err);
    conn_close(&c);
    assert_int_equal(c.service_rc, SCPAUTH_ENOMUTUAL);
    assert_non_null(strstr(c.serr.message, "client@MOCK.TEST"));
}

/* Raw frames the service must refuse, each with its own code. */
static void raw_first_frame(unsigned flags, const char *body, size_t len, int expected,
                            const char *says)
{
    conn c;
    scpauth_error err;
    conn_open(&c, SCPAUTH_WIRE_GSS_SAMPLE, 0, 3000);
    assert_int_equal(scpauth_wire_send(c.client.sock, &c.client.wire, flags, body, len, &err),
                     SCPAUTH_OK);
    conn_close(&c);
    assert_int_equal(c.service_rc, expected);
    assert_non_null(strstr(c.serr.message, says));
}

static void test_service_refuses_bad_openings(void **state)
{
    (void)state;
    /* gss-client -na: NOOP without CONTEXT_NEXT */
    raw_first_frame(SCPAUTH_WIRE_TOKEN_NOOP, NULL, 0, SCPAUTH_EAUTH, "unauthenticated");
    /* a data frame instead of the opening */
    raw_first_frame(SCPAUTH_WIRE_TOKEN_DATA, "x", 1, SCPAUTH_EPROTO, "the test client");
    /* the client hangs up without a word */
    raw_first_frame(SCPAUTH_WIRE_TOKEN_NOOP | SCPAUTH_WIRE_TOKEN_CONTEXT_NEXT, NULL, 0,
                    SCPAUTH_EOF, "handshake token");
}

/* A message in the clear after a good handshake: ENOTSEALED. */
static void test_service_refuses_cleartext(void **state)
{
    (void)state;
    conn c;
    scpauth_error err;
    conn_open(&c, SCPAUTH_WIRE_GSS_SAMPLE, 0, 3000);
    assert_int_equal(cli_session_handshake(&c.client, &err), SCPAUTH_OK);
    assert_int_equal(scpauth_wire_send(c.client.sock, &c.client.wire,
                                       SCPAUTH_WIRE_TOKEN_DATA | SCPAUTH_WIRE_TOKEN_SEND_MIC,
                                       "plain", 5, &err),
                     SCPAUTH_OK);
    conn_close(&c);
    assert_int_equal(c.service_rc, SCPAUTH_ENOTSEALED);
    assert_non_null(strstr(c.serr.message, "in the clear"));
}

/* A silent client: the handshake budget ends it. */
static void test_handshake_budget(void **state)
{
    (void)state;
    conn c;
    conn_open(&c, SCPAUTH_WIRE_SSPI_SAMPLE, 0, 200);
    double t0 = cli_now_ms();
    cli_gate_wait_idle(); /* the service gives up on its own */
    double waited = cli_now_ms() - t0;
    conn_close(&c);
    assert_int_equal(c.service_rc, SCPAUTH_ETIMEDOUT);
    assert_true(waited < 2500); /* the budget, not the 3 s frame timeout */
}

/* ---- credential options ---- */

static int parse(cli_creds *c, int argc, char **argv)
{
    int i = 0, rc = 0;
    while (i < argc && (rc = cli_creds_parse(c, "test", argc, argv, &i)) == 1)
        ;
    return rc < 0 ? rc : i;
}

static void test_creds_parse(void **state)
{
    (void)state;
    cli_creds c;
    memset(&c, 0, sizeof(c));
    char *argv[] = {"--keytab", "/k", "--principal", "svc/h", "--password", "--other"};
    assert_int_equal(parse(&c, 6, argv), 5); /* stops at --other */
    assert_string_equal(c.keytab, "/k");
    assert_string_equal(c.principal, "svc/h");
    assert_int_equal(c.password_env, 1);
    char *missing[] = {"--ccache"};
    memset(&c, 0, sizeof(c));
    assert_int_equal(parse(&c, 1, missing), -1);
}

/* Options that do not fit the role are refused before any backend call. */
static void test_creds_role_checks(void **state)
{
    (void)state;
    static const struct {
        scpauth_role role;
        const char *keytab, *ccache, *password_file, *backend, *says;
    } rows[] = {
        {SCPAUTH_ROLE_CLIENT, "/k", NULL, NULL, "mock", "--keytab"},
        {SCPAUTH_ROLE_SERVICE, NULL, "FILE:/x", NULL, "mock", "--ccache"},
        {SCPAUTH_ROLE_SERVICE, NULL, NULL, "/pw", "mock", "--password-file"},
        {SCPAUTH_ROLE_CLIENT, NULL, NULL, "/pw", "mock", "--user"},
        {SCPAUTH_ROLE_CLIENT, NULL, NULL, NULL, "no-such-backend", "no-such-backend"},
    };
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        scpauth_creds *out = NULL;
        scpauth_error err;
        cli_creds c;
        memset(&c, 0, sizeof(c));
        c.keytab = rows[i].keytab;
        c.ccache = rows[i].ccache;
        c.password_file = rows[i].password_file;
        c.backend = rows[i].backend;
        assert_int_equal(cli_creds_acquire(&c, rows[i].role, &out, &err), SCPAUTH_EINVAL);
        assert_non_null(strstr(err.message, rows[i].says));
        assert_null(out);
    }
}

static void test_creds_password_sources(void **state)
{
    (void)state;
    scpauth_creds *out = NULL;
    scpauth_error err;
    cli_creds c;
    memset(&c, 0, sizeof(c));
    c.backend = "mock";
    c.principal = "alice";
    c.password_file = "/nonexistent/password";
    assert_int_equal(cli_creds_acquire(&c, SCPAUTH_ROLE_CLIENT, &out, &err), SCPAUTH_ENOCREDS);
    assert_non_null(strstr(err.message, "/nonexistent/password"));

    /* a readable file: its first line is the password */
    char path[] = "test_cli_session.pw";
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("s3cret\r\nsecond line\n", f);
    fclose(f);
    c.password_file = path;
    assert_int_equal(cli_creds_acquire(&c, SCPAUTH_ROLE_CLIENT, &out, &err), SCPAUTH_OK);
    scpauth_creds_free(out);
    remove(path);

    /* the environment: used once, wiped */
    c.password_file = NULL;
    c.password_env = 1;
    static char var[] = "SCPAUTH_PASSWORD=env-s3cret";
    putenv(var);
    assert_int_equal(cli_creds_acquire(&c, SCPAUTH_ROLE_CLIENT, &out, &err), SCPAUTH_OK);
    scpauth_creds_free(out);
    const char *left = getenv("SCPAUTH_PASSWORD");
    assert_true(left == NULL || left[0] == '\0');
    assert_int_equal(cli_creds_acquire(&c, SCPAUTH_ROLE_CLIENT, &out, &err), SCPAUTH_EINVAL);
    assert_non_null(strstr(err.message, "SCPAUTH_PASSWORD"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_gss_sample_session),
        cmocka_unit_test(test_sspi_sample_session),
        cmocka_unit_test(test_first_step_before_connect),
        cmocka_unit_test(test_bad_messages),
        cmocka_unit_test(test_replay_needs_a_message),
        cmocka_unit_test(test_service_refuses_no_mutual),
        cmocka_unit_test(test_service_refuses_bad_openings),
        cmocka_unit_test(test_service_refuses_cleartext),
        cmocka_unit_test(test_handshake_budget),
        cmocka_unit_test(test_creds_parse),
        cmocka_unit_test(test_creds_password_sources),
        cmocka_unit_test(test_creds_role_checks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
