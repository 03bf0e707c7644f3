/* cmd_connect.c - `scpauth connect`: a Kerberos client in the style of
 * `openssl s_client`. Connects, authenticates to the exact SPN with mutual
 * authentication, exchanges sealed and signed messages, and prints what it
 * verified and how long each step took. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli_creds.h"
#include "verbs.h"

#define CONNECT_DEFAULT_TIMEOUT_MS 10000
#define CONNECT_MAX_MESSAGES 64
#define CONNECT_KEPT_RTT 16 /* round trips listed one by one; beyond, a summary */
#define CONNECT_DEFAULT_MESSAGE "scpauth test message"

typedef struct connect_cfg {
    cli_creds creds_opts;
    const char *host, *spn;
    long port;
    scpauth_wire_options wire;
    const char *messages[CONNECT_MAX_MESSAGES];
    unsigned n_messages;
    long long count;
    long long timeout_ms;
    int json;
    int no_mutual;
    scpauth_session_bad bad; /* hidden test options (0 = none) */
} connect_cfg;

/* What one run observed, printed at the end (text or JSON). */
typedef struct connect_result {
    double creds_ms, connect_ms, total_ms;
    double rtt_ms[CONNECT_KEPT_RTT];
    unsigned long long n_rtt;
    double rtt_min, rtt_max, rtt_sum;
    int have_info;
    scpauth_ctx_info info;
    const char *bad_outcome; /* hidden test options: what the service did */
} connect_result;

static void usage(FILE *out)
{
    fprintf(out,
            "usage: scpauth connect HOST PORT SPN [--ccache NAME | --user PRINCIPAL\n"
            "                       (--password-file F | --password)] [--profile P]\n"
            "                       [--message TEXT ...] [--count N] [--timeout MS]\n"
            "                       [--json] [--no-mutual]\n\n"
            "A Kerberos client for testing (the `openssl s_client` of Kerberos): connects to\n"
            "HOST:PORT, authenticates to exactly SPN (class/host[:port][/name]) with mutual\n"
            "authentication, sends each message sealed and verifies the service's MIC, and\n"
            "prints what it verified: the service principal, local name, requested and\n"
            "granted flags, mutual, mechanism, enctype, expiry, and the time of each step.\n\n"
            "%s"
            "  --profile P          gss-sample (default; MIT's gss-client/gss-server protocol)\n"
            "                       or sspi-sample (see `scpauth listen --help`)\n"
            "  --message TEXT       a message to send (repeatable; default \"%s\")\n"
            "  --count N            send the messages N times (default 1; 0 = handshake only)\n"
            "  --timeout MS         connect, and each frame, within MS (default %d)\n"
            "  --json               one JSON object instead of text\n"
            "  --no-mutual          do NOT require mutual authentication (the service's\n"
            "                       identity is then unverified; said loudly in the output)\n\n"
            "exit codes: 0 ok, 3 authentication failed, 4 SPN not found, 6 network/KDC\n"
            "(see `scpauth --help`).\n",
            cli_creds_help(SCPAUTH_ROLE_CLIENT), CONNECT_DEFAULT_MESSAGE,
            CONNECT_DEFAULT_TIMEOUT_MS);
}

static int parse_flag(connect_cfg *cfg, const char *a)
{
    static const struct {
        const char *name;
        scpauth_session_bad bad;
    } bads[] = {
        {"--tamper", SCPAUTH_SESSION_BAD_TAMPER},
        {"--replay", SCPAUTH_SESSION_BAD_REPLAY},
        {"--reorder", SCPAUTH_SESSION_BAD_REORDER},
        {"--truncate", SCPAUTH_SESSION_BAD_TRUNCATE},
    };
    if (strcmp(a, "--json") == 0)
        return cfg->json = 1;
    if (strcmp(a, "--no-mutual") == 0)
        return cfg->no_mutual = 1;
    for (size_t k = 0; k < sizeof(bads) / sizeof(bads[0]); k++)
        if (strcmp(a, bads[k].name) == 0) {
            cfg->bad = bads[k].bad;
            return 1;
        }
    return 0;
}

static int parse_option(connect_cfg *cfg, const char *a, const char *v)
{
    if (strcmp(a, "--profile") == 0) {
        if ((cfg->wire.profile = scpauth_wire_profile_from_name(v)) == 0)
            return cli_usage_error("connect", "--profile: gss-sample or sspi-sample, not %s", v);
    } else if (strcmp(a, "--message") == 0) {
        if (cfg->n_messages == CONNECT_MAX_MESSAGES)
            return cli_usage_error("connect", "at most %d --message options",
                                   CONNECT_MAX_MESSAGES);
        if (v[0] == '\0')
            return cli_usage_error("connect", "--message: an empty message cannot be sealed");
        cfg->messages[cfg->n_messages++] = v;
    } else if (strcmp(a, "--count") == 0) {
        if ((cfg->count = cli_parse_count(v, 1000000)) < 0)
            return cli_usage_error("connect", "--count: 0..1000000, not %s", v);
    } else if (strcmp(a, "--timeout") == 0) {
        if ((cfg->timeout_ms = cli_parse_count(v, 3600000)) < 1)
            return cli_usage_error("connect", "--timeout: 1..3600000 ms, not %s", v);
    } else {
        return cli_usage_error("connect", "unknown option %s", a);
    }
    return CLI_EXIT_OK;
}

static int parse_args(connect_cfg *cfg, int argc, char **argv)
{
    const char *pos[3];
    int n_pos = 0;
    for (int i = 1; i < argc;) {
        const char *a = argv[i];
        int c = cli_creds_parse(&cfg->creds_opts, "connect", argc, argv, &i);
        if (c < 0)
            return CLI_EXIT_USAGE;
        if (c > 0)
            continue;
        if (a[0] != '-' || a[1] == '\0') {
            if (n_pos == 3)
                return cli_usage_error("connect", "unexpected argument %s", a);
            pos[n_pos++] = a;
            i++;
            continue;
        }
        if (parse_flag(cfg, a)) {
            i++;
            continue;
        }
        if (i + 1 >= argc)
            return cli_usage_error("connect", "unknown option or missing value: %s", a);
        int rc = parse_option(cfg, a, argv[i + 1]);
        if (rc != CLI_EXIT_OK)
            return rc;
        i += 2;
    }
    if (n_pos != 3)
        return cli_usage_error("connect", "needs HOST PORT SPN");
    cfg->host = pos[0];
    cfg->spn = pos[2];
    if ((cfg->port = cli_parse_port(pos[1], 0)) < 0)
        return cli_usage_error("connect", "not a port number: %s", pos[1]);
    if (cfg->n_messages == 0)
        cfg->messages[cfg->n_messages++] = CONNECT_DEFAULT_MESSAGE;
    if (cfg->bad == SCPAUTH_SESSION_BAD_REPLAY && cfg->count == 0)
        return cli_usage_error("connect", "a replay needs one good message first (--count >= 1)");
    return CLI_EXIT_OK;
}

static void format_expiry(int64_t expiry, char *buf, size_t size)
{
    if (expiry <= 0) {
        snprintf(buf, size, "unknown");
        return;
    }
    time_t t = (time_t)expiry;
    struct tm *tm = gmtime(&t); /* single-threaded verb */
    long long left = (long long)(expiry - (int64_t)time(NULL));
    char when[40] = "?";
    if (tm != NULL)
        strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S UTC", tm);
    snprintf(buf, size, "%s (in %lld h %02lld min)", when, left / 3600, (left % 3600) / 60);
}

static void print_steps(FILE *out, const scpauth_session_times *s)
{
    fprintf(out, "  handshake:       %.3f ms total;", s->handshake_ms);
    for (unsigned i = 0; i < s->steps; i++) {
        fprintf(out, " step %u %.3f ms", i + 1, s->step_ms[i]);
        if (s->wait_ms[i] > 0)
            fprintf(out, " (then waited %.3f ms)", s->wait_ms[i]);
        fprintf(out, "%s", i + 1 < s->steps ? "," : "\n");
    }
    if (s->steps == 0)
        fprintf(out, " no step\n");
}

static void report_text(const connect_cfg *cfg, const scpauth_session_times *s,
                        const connect_result *r, int rc)
{
    char buf[128];
    printf("scpauth connect: %s at %s:%ld (profile %s)\n", cfg->spn, cfg->host, cfg->port,
           scpauth_wire_profile_name(cfg->wire.profile));
    if (cfg->no_mutual)
        printf("  WARNING:         --no-mutual: mutual authentication NOT required; the "
               "service's identity may be unverified\n");
    printf("  credentials:     %s, %.3f ms\n",
           cli_creds_describe(&cfg->creds_opts, SCPAUTH_ROLE_CLIENT, buf, sizeof(buf)),
           r->creds_ms);
    if (r->connect_ms > 0)
        printf("  connect:         %.3f ms\n", r->connect_ms);
    print_steps(stdout, s);
    if (r->have_info) {
        const scpauth_ctx_info *i = &r->info;
        printf("  peer:            %s\n", i->peer_name);
        printf("  local name:      %s\n", i->local_name);
        printf("  mutual:          %s%s\n", i->mutual ? "yes" : "NO",
               i->mutual ? "" : " (--no-mutual: the service did NOT prove its identity)");
        printf("  mechanism:       %s\n", i->mech_name);
        printf("  enctype:         %s\n", i->enctype[0] ? i->enctype : "unknown");
        printf("  requested flags: %s\n", scpauth_flags_format(i->requested_flags, buf, sizeof(buf)));
        printf("  granted flags:   %s\n", scpauth_flags_format(i->granted_flags, buf, sizeof(buf)));
        format_expiry(i->expiry, buf, sizeof(buf));
        printf("  expires:         %s\n", buf);
    }
    for (unsigned k = 0; k < r->n_rtt && k < CONNECT_KEPT_RTT; k++)
        printf("  message %-3u      sealed, MIC verified, round trip %.3f ms\n", k + 1,
               r->rtt_ms[k]);
    if (r->n_rtt > CONNECT_KEPT_RTT)
        printf("  messages:        %llu sealed, MICs verified, round trip min %.3f / avg %.3f / "
               "max %.3f ms\n",
               r->n_rtt, r->rtt_min, r->rtt_sum / (double)r->n_rtt, r->rtt_max);
    if (r->bad_outcome)
        printf("  bad message:     %s\n", r->bad_outcome);
    printf("  total:           %.3f ms\n", r->total_ms);
    printf("  result:          %s\n", rc == SCPAUTH_OK ? "ok" : scpauth_err_name(rc));
}

static void report_json(const connect_cfg *cfg, const scpauth_session_times *s,
                        const connect_result *r, int rc, const scpauth_error *err)
{
    char buf[128];
    cli_json j;
    cli_json_begin(&j, stdout);
    cli_json_bool(&j, "ok", rc == SCPAUTH_OK);
    cli_json_str(&j, "host", cfg->host);
    cli_json_int(&j, "port", cfg->port);
    cli_json_str(&j, "spn", cfg->spn);
    cli_json_str(&j, "profile", scpauth_wire_profile_name(cfg->wire.profile));
    cli_json_bool(&j, "mutual_required", !cfg->no_mutual);
    if (r->have_info) {
        const scpauth_ctx_info *i = &r->info;
        cli_json_str(&j, "peer", i->peer_name);
        cli_json_str(&j, "local_name", i->local_name);
        cli_json_bool(&j, "mutual", i->mutual);
        cli_json_str(&j, "mech", i->mech_name);
        cli_json_str(&j, "enctype", i->enctype);
        cli_json_str(&j, "requested_flags", scpauth_flags_format(i->requested_flags, buf, sizeof(buf)));
        cli_json_str(&j, "granted_flags", scpauth_flags_format(i->granted_flags, buf, sizeof(buf)));
        cli_json_int(&j, "expiry", i->expiry);
    }
    cli_json_obj_begin(&j, "times_ms");
    cli_json_num(&j, "credentials", r->creds_ms);
    cli_json_num(&j, "connect", r->connect_ms);
    cli_json_arr_begin(&j, "steps");
    for (unsigned k = 0; k < s->steps; k++) {
        cli_json_obj_begin(&j, NULL);
        cli_json_num(&j, "step", s->step_ms[k]);
        cli_json_num(&j, "wait", s->wait_ms[k]);
        cli_json_obj_end(&j);
    }
    cli_json_arr_end(&j);
    cli_json_num(&j, "handshake", s->handshake_ms);
    cli_json_arr_begin(&j, "round_trips");
    for (unsigned k = 0; k < r->n_rtt && k < CONNECT_KEPT_RTT; k++)
        cli_json_num(&j, NULL, r->rtt_ms[k]);
    cli_json_arr_end(&j);
    if (r->n_rtt > 0) {
        cli_json_num(&j, "round_trip_min", r->rtt_min);
        cli_json_num(&j, "round_trip_avg", r->rtt_sum / (double)r->n_rtt);
        cli_json_num(&j, "round_trip_max", r->rtt_max);
    }
    cli_json_num(&j, "total", r->total_ms);
    cli_json_obj_end(&j);
    cli_json_int(&j, "messages", s->messages);
    if (r->bad_outcome)
        cli_json_str(&j, "bad_message", r->bad_outcome);
    if (rc != SCPAUTH_OK)
        cli_json_error(&j, err);
    cli_json_end(&j);
}

static void rtt_add(connect_result *r, double ms)
{
    if (r->n_rtt < CONNECT_KEPT_RTT)
        r->rtt_ms[r->n_rtt] = ms;
    if (r->n_rtt == 0 || ms < r->rtt_min)
        r->rtt_min = ms;
    if (ms > r->rtt_max)
        r->rtt_max = ms;
    r->rtt_sum += ms;
    r->n_rtt++;
}

/* Messages, then the bad one if asked, then the profile's goodbye. */
static int exchange(const connect_cfg *cfg, scpauth_session *s, connect_result *r,
                    scpauth_error *err)
{
    int rc = SCPAUTH_OK;
    for (long long n = 0; n < cfg->count && rc == SCPAUTH_OK; n++)
        for (unsigned k = 0; k < cfg->n_messages && rc == SCPAUTH_OK; k++) {
            double a = scpauth_clock_ms();
            rc = scpauth_session_call(s, cfg->messages[k], strlen(cfg->messages[k]), err);
            if (rc == SCPAUTH_OK)
                rtt_add(r, scpauth_clock_ms() - a);
        }
    if (rc == SCPAUTH_OK && cfg->bad != 0) {
        rc = scpauth_session_call_bad(s, cfg->bad, cfg->messages[0], strlen(cfg->messages[0]),
                                      err);
        if (rc == SCPAUTH_OK)
            r->bad_outcome = cfg->bad == SCPAUTH_SESSION_BAD_TRUNCATE
                                 ? "half a frame sent, connection closed"
                                 : "sent; the service hung up (rejected it)";
        return rc;
    }
    if (rc == SCPAUTH_OK)
        rc = scpauth_session_end(s, err);
    return rc;
}

static int run(const connect_cfg *cfg, scpauth_session *s, connect_result *r, scpauth_error *err)
{
    scpauth_creds *creds = NULL;
    scpauth_ctx *ctx = NULL;
    scpauth_socket sock = SCPAUTH_INVALID_SOCKET;
    unsigned flags = 0;
    if (cfg->no_mutual)
        flags = (SCPAUTH_FLAGS_CLIENT_DEFAULT & ~SCPAUTH_FLAG_MUTUAL) |
                SCPAUTH_FLAG_ALLOW_NO_MUTUAL;
    double t = scpauth_clock_ms();
    int rc = scpauth_net_init(err);
    if (rc == SCPAUTH_OK)
        rc = cli_creds_acquire(&cfg->creds_opts, SCPAUTH_ROLE_CLIENT, &creds, err);
    r->creds_ms = scpauth_clock_ms() - t;
    if (rc == SCPAUTH_OK)
        rc = scpauth_ctx_new(creds, cfg->spn, flags, &ctx, err);
    scpauth_session_set_ctx(s, ctx);
    /* The ticket request comes first: an unknown SPN fails before we connect. */
    if (rc == SCPAUTH_OK)
        rc = scpauth_session_first_step(s, err);
    t = scpauth_clock_ms();
    if (rc == SCPAUTH_OK)
        rc = scpauth_net_connect(cfg->host, (unsigned)cfg->port, (int)cfg->timeout_ms, &sock, err);
    if (rc == SCPAUTH_OK) {
        r->connect_ms = scpauth_clock_ms() - t;
        scpauth_session_set_socket(s, sock);
        rc = scpauth_session_handshake(s, err);
    }
    if (rc == SCPAUTH_OK) {
        rc = scpauth_ctx_info_get(ctx, &r->info, err);
        r->have_info = rc == SCPAUTH_OK;
    }
    if (rc == SCPAUTH_OK)
        rc = exchange(cfg, s, r, err);
    if (sock != SCPAUTH_INVALID_SOCKET)
        scpauth_net_close(sock);
    scpauth_session_set_socket(s, SCPAUTH_INVALID_SOCKET);
    scpauth_session_set_ctx(s, NULL);
    scpauth_ctx_free(ctx);
    scpauth_creds_free(creds);
    return rc;
}

int cli_cmd_connect(int argc, char **argv)
{
    if (argc > 1 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
        usage(stdout);
        return CLI_EXIT_OK;
    }
    connect_cfg cfg;
    memset(&cfg, 0, sizeof(cfg));
    cfg.wire.profile = SCPAUTH_WIRE_GSS_SAMPLE;
    cfg.count = 1;
    cfg.timeout_ms = CONNECT_DEFAULT_TIMEOUT_MS;
    int rc = parse_args(&cfg, argc, argv);
    if (rc != CLI_EXIT_OK)
        return rc;
    cfg.wire.timeout_ms = (int)cfg.timeout_ms;
    if (cfg.no_mutual)
        fprintf(stderr, "scpauth connect: WARNING: --no-mutual: mutual authentication is NOT "
                        "required; the service's identity may go unverified\n");

    static connect_result r; /* large; one per process */
    memset(&r, 0, sizeof(r));
    scpauth_error err;
    scpauth_error_clear(&err);
    scpauth_session *s = NULL;
    if (scpauth_session_new(SCPAUTH_INVALID_SOCKET, SCPAUTH_ROLE_CLIENT, NULL, &cfg.wire, &s,
                            &err) != SCPAUTH_OK)
        return cli_fail("connect", &err);
    char peer[SCPAUTH_SESSION_PEER_MAX];
    snprintf(peer, sizeof(peer), "%s:%ld (%s)", cfg.host, cfg.port, cfg.spn);
    scpauth_session_set_peer(s, peer);
    scpauth_session_set_budget(s, (int)cfg.timeout_ms);
    scpauth_session_keep_last(s, cfg.bad == SCPAUTH_SESSION_BAD_REPLAY);

    double t0 = scpauth_clock_ms();
    rc = run(&cfg, s, &r, &err);
    r.total_ms = scpauth_clock_ms() - t0;
    scpauth_session_times times;
    scpauth_session_times_get(s, &times);
    if (cfg.json)
        report_json(&cfg, &times, &r, rc, &err);
    else
        report_text(&cfg, &times, &r, rc);
    fflush(stdout);
    scpauth_session_free(s);
    return rc == SCPAUTH_OK ? CLI_EXIT_OK : cli_fail("connect", &err);
}
