/* cmd_listen.c - `scpauth listen`: a Kerberos service in the style of
 * `openssl s_server`, on the library's server helper: accepts clients
 * concurrently (a thread each, capped), authenticates them (mutual auth
 * required), answers their sealed messages (the session echo protocol), and
 * prints one line (or JSON object) per client. A client's failure is logged,
 * never fatal. */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "cli_creds.h"
#include "verbs.h"

#define LISTEN_DEFAULT_MAX_CLIENTS SCPAUTH_SERVER_DEFAULT_MAX_CLIENTS
#define LISTEN_DEFAULT_CLIENT_TIMEOUT_MS SCPAUTH_SERVER_DEFAULT_CLIENT_TIMEOUT_MS

typedef struct listen_cfg {
    cli_creds creds_opts;
    scpauth_creds *creds;
    scpauth_wire_options wire;
    const char *bind;
    long port;
    int once;
    long long max_clients;
    long long client_timeout_ms;
    long long max_unauthenticated; /* 0 = the library's default */
    long long first_byte_timeout_ms;
    long long workers;
    int json;
    int last_rc; /* --once: the client's status */
} listen_cfg;

static void usage(FILE *out)
{
    fprintf(out,
            "usage: scpauth listen --port N [--keytab FILE] [--principal SPN] [--bind ADDR]\n"
            "                      [--profile gss-sample|sspi-sample] [--once]\n"
            "                      [--max-clients N] [--client-timeout MS] [--workers N]\n"
            "                      [--max-unauthenticated N] [--first-byte-timeout MS]\n"
            "                      [--json]\n\n"
            "A Kerberos service for testing (the `openssl s_server` of Kerberos): accepts\n"
            "clients, requires mutual authentication with Kerberos (raw or via SPNEGO), then\n"
            "answers each sealed message, and prints one line per client: peer address,\n"
            "client principal, granted flags, mutual, mechanism, enctype, handshake time,\n"
            "messages handled, or the error with a hint. A client's failure never stops it.\n\n"
            "%s"
            "  --port N             TCP port (0 = any free port; the port is printed)\n"
            "  --bind ADDR          listen on ADDR only (default: all addresses)\n"
            "  --profile P          wire protocol (default gss-sample):\n"
            "      gss-sample   MIT's gss-server protocol: the client sends NOOP|CONTEXT_NEXT,\n"
            "                   then CONTEXT tokens; each message arrives sealed\n"
            "                   (DATA|WRAPPED|ENCRYPTED|SEND_MIC) and is answered with a MIC\n"
            "                   over its plaintext; the client ends with NOOP.\n"
            "      sspi-sample  4-byte little-endian lengths, as Microsoft's Windows Sockets\n"
            "                   SSPI sample: handshake tokens back and forth; each message\n"
            "                   arrives sealed and is answered with two frames: the same text\n"
            "                   sealed by the service, then a MIC over it; the client ends\n"
            "                   by closing the connection.\n"
            "  --once               serve one client, then exit with its result\n"
            "  --max-clients N      clients served at once (default %d); more wait\n"
            "  --client-timeout MS  per client: the handshake, and every frame after it,\n"
            "                       must arrive within MS (default %d)\n"
            "  --workers N          threads that run handshake steps and answers (default\n"
            "                       2 per CPU, at least %d); a client waiting between\n"
            "                       tokens or messages holds none\n"
            "  --max-unauthenticated N  connections held before their handshake completed\n"
            "                       (default max-clients / 4, at least %d); when full, a new\n"
            "                       connection replaces one that sent nothing for %d ms, or\n"
            "                       the oldest still in its handshake after %d ms\n"
            "  --first-byte-timeout MS  a connection that sends nothing for MS is closed\n"
            "                       (default %d)\n"
            "  --json               one JSON object per line instead of text\n",
            cli_creds_help(SCPAUTH_ROLE_SERVICE), LISTEN_DEFAULT_MAX_CLIENTS,
            LISTEN_DEFAULT_CLIENT_TIMEOUT_MS, SCPAUTH_SERVER_MIN_WORKERS,
            SCPAUTH_SERVER_MIN_UNAUTHENTICATED, SCPAUTH_SERVER_EVICT_SILENT_MS,
            SCPAUTH_SERVER_EVICT_GRACE_MS, SCPAUTH_SERVER_DEFAULT_FIRST_BYTE_TIMEOUT_MS);
}

static void report_text(const scpauth_session *s, const scpauth_ctx_info *info, int rc,
                        const scpauth_error *err)
{
    char flags[128];
    scpauth_session_times t;
    scpauth_session_times_get(s, &t);
    printf("client=%s result=%s", scpauth_session_peer(s),
           rc == SCPAUTH_OK ? "ok" : scpauth_err_name(rc));
    if (info != NULL)
        printf(" principal=%s service=%s mutual=%s mech=%s enctype=%s flags=%s", info->peer_name,
               info->local_name, info->mutual ? "yes" : "no", info->mech_name,
               info->enctype[0] ? info->enctype : "unknown",
               scpauth_flags_format(info->granted_flags, flags, sizeof(flags)));
    printf(" handshake_ms=%.3f messages=%u", t.handshake_ms, t.messages);
    if (rc != SCPAUTH_OK) {
        printf(" error=\"%s\"", err->message[0] ? err->message : scpauth_strerror(rc));
        if (err->hint[0])
            printf(" hint=\"%s\"", err->hint);
    }
    printf("\n");
}

static void report_json(const scpauth_session *s, const scpauth_ctx_info *info, int rc,
                        const scpauth_error *err)
{
    char flags[128];
    scpauth_session_times t;
    scpauth_session_times_get(s, &t);
    cli_json j;
    cli_json_begin(&j, stdout);
    cli_json_str(&j, "event", "client");
    cli_json_str(&j, "peer", scpauth_session_peer(s));
    cli_json_bool(&j, "ok", rc == SCPAUTH_OK);
    cli_json_str(&j, "client_principal", info ? info->peer_name : NULL);
    cli_json_str(&j, "service_principal", info ? info->local_name : NULL);
    if (info != NULL) {
        cli_json_bool(&j, "mutual", info->mutual);
        cli_json_str(&j, "mech", info->mech_name);
        cli_json_str(&j, "enctype", info->enctype);
        cli_json_str(&j, "required_flags",
                     scpauth_flags_format(info->requested_flags, flags, sizeof(flags)));
        cli_json_str(&j, "granted_flags",
                     scpauth_flags_format(info->granted_flags, flags, sizeof(flags)));
    }
    cli_json_num(&j, "handshake_ms", t.handshake_ms);
    cli_json_int(&j, "messages", t.messages);
    if (rc != SCPAUTH_OK)
        cli_json_error(&j, err);
    cli_json_end(&j);
}

/* The server's report of each connection (calls never overlap). */
static void on_done(void *user, const scpauth_session *s, const scpauth_ctx_info *info, int rc,
                    const scpauth_error *err)
{
    listen_cfg *cfg = user;
    cfg->last_rc = rc;
    if (s == NULL)
        (void)cli_fail("listen", err); /* accept or thread failure: not fatal */
    else if (cfg->json)
        report_json(s, info, rc, err);
    else
        report_text(s, info, rc, err);
    fflush(stdout);
}

static void report_listening(const listen_cfg *cfg, scpauth_socket l)
{
    char name[SCPAUTH_NAME_MAX] = "";
    scpauth_error err;
    if (scpauth_creds_name(cfg->creds, name, sizeof(name), &err) != SCPAUTH_OK)
        name[0] = '\0';
    const char *keytab = cfg->creds_opts.keytab ? cfg->creds_opts.keytab : "(default keytab)";
    const char *profile = scpauth_wire_profile_name(cfg->wire.profile);
    unsigned port = scpauth_net_local_port(l);
    if (cfg->json) {
        cli_json j;
        cli_json_begin(&j, stdout);
        cli_json_str(&j, "event", "listening");
        cli_json_str(&j, "bind", cfg->bind ? cfg->bind : "*");
        cli_json_int(&j, "port", port);
        cli_json_str(&j, "profile", profile);
        cli_json_str(&j, "keytab", keytab);
        cli_json_str(&j, "principal", name[0] ? name : NULL);
        cli_json_int(&j, "max_clients", cfg->once ? 1 : cfg->max_clients);
        cli_json_end(&j);
    } else {
        printf("listening on %s:%u (profile %s, keytab %s, principal %s, up to %lld clients)\n",
               cfg->bind ? cfg->bind : "*", port, profile, keytab,
               name[0] ? name : "any key of the keytab", cfg->once ? 1 : cfg->max_clients);
    }
    fflush(stdout);
}

/* Serves clients with the library's server helper (the echo protocol). */
static int serve(listen_cfg *cfg, scpauth_socket l, scpauth_error *err)
{
    scpauth_server_options o;
    memset(&o, 0, sizeof(o));
    o.creds = cfg->creds;
    o.wire = cfg->wire;
    o.max_clients = cfg->once ? 1 : (unsigned)cfg->max_clients;
    o.client_timeout_ms = (int)cfg->client_timeout_ms;
    o.max_served = cfg->once ? 1 : 0;
    o.max_unauthenticated = (unsigned)cfg->max_unauthenticated;
    o.first_byte_timeout_ms = (int)cfg->first_byte_timeout_ms;
    o.workers = (unsigned)cfg->workers;
    o.on_done = on_done;
    o.user = cfg;
    scpauth_server *srv = NULL;
    int rc = scpauth_server_new(l, &o, &srv, err);
    if (rc == SCPAUTH_OK)
        rc = scpauth_server_run(srv, err);
    scpauth_server_free(srv);
    return rc;
}

/* The options that take a count of at least 1. */
typedef struct count_opt {
    const char *name;
    size_t off; /* a long long in listen_cfg */
    long long max;
    const char *unit;
} count_opt;

static const count_opt *count_option(const char *name)
{
    static const count_opt opts[] = {
        {"--max-clients", offsetof(listen_cfg, max_clients), 4096, ""},
        {"--client-timeout", offsetof(listen_cfg, client_timeout_ms), 3600000, " ms"},
        {"--workers", offsetof(listen_cfg, workers), 1024, ""},
        {"--max-unauthenticated", offsetof(listen_cfg, max_unauthenticated), 4096, ""},
        {"--first-byte-timeout", offsetof(listen_cfg, first_byte_timeout_ms), 3600000, " ms"},
    };
    for (size_t k = 0; k < sizeof(opts) / sizeof(opts[0]); k++)
        if (strcmp(name, opts[k].name) == 0)
            return &opts[k];
    return NULL;
}

static int parse_args(listen_cfg *cfg, int argc, char **argv)
{
    const count_opt *count;
    for (int i = 1; i < argc;) {
        const char *a = argv[i];
        int c = cli_creds_parse(&cfg->creds_opts, "listen", argc, argv, &i);
        if (c < 0)
            return CLI_EXIT_USAGE;
        if (c > 0)
            continue;
        if (strcmp(a, "--once") == 0 || strcmp(a, "--json") == 0) {
            if (strcmp(a, "--once") == 0)
                cfg->once = 1;
            else
                cfg->json = 1;
            i++;
            continue;
        }
        if (i + 1 >= argc)
            return cli_usage_error("listen", "unknown option or missing value: %s", a);
        const char *v = argv[i + 1];
        i += 2;
        if (strcmp(a, "--port") == 0) {
            if ((cfg->port = cli_parse_port(v, 1)) < 0)
                return cli_usage_error("listen", "--port: not a port number: %s", v);
        } else if (strcmp(a, "--bind") == 0) {
            cfg->bind = v;
        } else if (strcmp(a, "--profile") == 0) {
            if ((cfg->wire.profile = scpauth_wire_profile_from_name(v)) == 0)
                return cli_usage_error("listen", "--profile: gss-sample or sspi-sample, not %s", v);
        } else if ((count = count_option(a)) != NULL) {
            long long n = cli_parse_count(v, count->max);
            if (n < 1)
                return cli_usage_error("listen", "%s: 1..%lld%s, not %s", a, count->max,
                                       count->unit, v);
            *(long long *)((char *)cfg + count->off) = n;
        } else {
            return cli_usage_error("listen", "unknown option %s", a);
        }
    }
    if (cfg->port < 0)
        return cli_usage_error("listen", "--port N is required (0 = any free port)");
    return CLI_EXIT_OK;
}

int cli_cmd_listen(int argc, char **argv)
{
    if (argc > 1 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
        usage(stdout);
        return CLI_EXIT_OK;
    }
    static listen_cfg cfg; /* outlives every client thread */
    memset(&cfg, 0, sizeof(cfg));
    cfg.port = -1;
    cfg.wire.profile = SCPAUTH_WIRE_GSS_SAMPLE;
    cfg.max_clients = LISTEN_DEFAULT_MAX_CLIENTS;
    cfg.client_timeout_ms = LISTEN_DEFAULT_CLIENT_TIMEOUT_MS;
    int rc = parse_args(&cfg, argc, argv);
    if (rc != CLI_EXIT_OK)
        return rc;
    cfg.wire.timeout_ms = (int)cfg.client_timeout_ms;

    scpauth_error err;
    scpauth_error_clear(&err);
    scpauth_socket l = SCPAUTH_INVALID_SOCKET;
    rc = scpauth_net_init(&err);
    if (rc == SCPAUTH_OK)
        rc = cli_creds_acquire(&cfg.creds_opts, SCPAUTH_ROLE_SERVICE, &cfg.creds, &err);
    if (rc == SCPAUTH_OK)
        rc = scpauth_net_listen(cfg.bind, (unsigned)cfg.port, 128, &l, &err);
    if (rc != SCPAUTH_OK) {
        scpauth_creds_free(cfg.creds);
        return cli_fail("listen", &err);
    }
    report_listening(&cfg, l);
    rc = serve(&cfg, l, &err);
    scpauth_net_close(l);
    scpauth_creds_free(cfg.creds);
    if (rc != SCPAUTH_OK)
        return cli_fail("listen", &err);
    return cfg.once ? cli_exit_code(cfg.last_rc) : CLI_EXIT_OK;
}
