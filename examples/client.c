/* client.c - scpauth-example-client: finds the example service through its
 * service connection point (by the product's GUID keyword, with trust
 * checks), composes the SPN from the SCP's host and port (DsMakeSpn),
 * connects, authenticates with Kerberos and REQUIRES mutual authentication
 * (the check Microsoft's sample got wrong), then sends sealed requests and
 * verifies each reply's seal and signature. One source for Linux and
 * Windows. --host/--port/--spn bypass the directory. */
#include <stdlib.h>
#include <string.h>

#include "example.h"

#define PROG "scpauth-example-client"
#define MAX_MESSAGES 16

typedef struct client_cfg {
    const char *service_class, *keyword, *expect_account;
    const char *host, *spn;
    long port;
    const char *messages[MAX_MESSAGES];
    unsigned n_messages;
    long long count;
    example_dir_opts dir;
} client_cfg;

/* What the run found and measured, printed at the end. */
typedef struct client_run {
    char host[SCPAUTH_HOST_NAME_MAX];
    unsigned port;
    char spn[SCPAUTH_SPN_MAX + 1];
    double locate_ms, creds_ms, connect_ms, total_ms, rtt_min, rtt_max, rtt_sum;
    unsigned long long n_rtt;
} client_run;

static void usage(FILE *out)
{
    fprintf(out,
            "usage: " PROG " [--keyword GUID] [--class NAME] [--expect-account NAME]\n"
            "                              [--host H --port P [--spn SPN]] [--message TEXT]...\n"
            "                              [--count N] [--ccache NAME] [--dc HOST] [--domain D]\n\n"
            "Finds the service by its SCP (keyword %s by default, trust\n"
            "checked), composes its SPN (class/host:port), authenticates with mutual Kerberos\n"
            "authentication, sends each message sealed and verifies the sealed, signed reply.\n"
            "  --host/--port  skip the directory; --spn overrides the composed SPN\n"
            "  --count N      send the messages N times (default 1)\n"
            "exit codes: 0 ok, 3 authentication failed or not mutual, 4 no SCP / unknown SPN,\n"
            "5 SCP failed a trust check, 6 network/KDC/DC unreachable.\n",
            EXAMPLE_PRODUCT_GUID);
}

static int parse_args(client_cfg *c, int argc, char **argv)
{
    for (int i = 1; i < argc;) {
        int d = example_dir_opt(&c->dir, PROG, argc, argv, &i);
        if (d < 0)
            return EXAMPLE_EXIT_USAGE;
        if (d > 0)
            continue;
        const char *a = argv[i];
        if (i + 1 >= argc)
            return example_usage_error(PROG, "unknown option or missing value: %s", a);
        const char *v = argv[i + 1];
        i += 2;
        if (strcmp(a, "--keyword") == 0)
            c->keyword = v;
        else if (strcmp(a, "--class") == 0)
            c->service_class = v;
        else if (strcmp(a, "--expect-account") == 0)
            c->expect_account = v;
        else if (strcmp(a, "--host") == 0)
            c->host = v;
        else if (strcmp(a, "--spn") == 0)
            c->spn = v;
        else if (strcmp(a, "--port") == 0 && (c->port = example_parse_port(v)) < 0)
            return example_usage_error(PROG, "--port: not a port number: %s", v);
        else if (strcmp(a, "--count") == 0 && (c->count = example_parse_count(v, 100000)) < 0)
            return example_usage_error(PROG, "--count: 0..100000, not %s", v);
        else if (strcmp(a, "--message") == 0) {
            if (c->n_messages == MAX_MESSAGES || v[0] == '\0')
                return example_usage_error(PROG, "--message: 1..%d non-empty messages",
                                           MAX_MESSAGES);
            c->messages[c->n_messages++] = v;
        } else if (strcmp(a, "--port") != 0 && strcmp(a, "--count") != 0)
            return example_usage_error(PROG, "unknown option %s", a);
    }
    if ((c->host == NULL) != (c->port == 0))
        return example_usage_error(PROG, "--host and --port go together");
    if (c->spn != NULL && c->host == NULL)
        return example_usage_error(PROG, "--spn needs --host and --port");
    if (c->n_messages == 0)
        c->messages[c->n_messages++] = "hello from the example client";
    return EXAMPLE_EXIT_OK;
}

/* The SCP: located by keyword in the global catalog, trust checked. */
static int locate(const client_cfg *c, client_run *r, scpauth_error *err)
{
    scpauth_dir *dir = NULL;
    double t0 = scpauth_clock_ms();
    example_dir_opts d = c->dir;
    d.defer_dc = c->expect_account == NULL; /* the GC alone answers a plain locate */
    int rc = example_dir_open(&d, &dir, err);
    scpauth_scp_locate_options o;
    memset(&o, 0, sizeof(o));
    o.keyword = c->keyword;
    o.service_class = c->service_class;
    o.expect_account = c->expect_account;
    scpauth_scp_located_list list;
    memset(&list, 0, sizeof(list));
    if (rc == SCPAUTH_OK)
        rc = scpauth_scp_locate(dir, &o, &list, err);
    for (size_t i = 0; i < list.n_rejected; i++)
        printf("scp: rejected %s: %s\n", list.rejected[i].dn, list.rejected[i].error.message);
    if (rc == SCPAUTH_OK) {
        const scpauth_scp_located *l = &list.items[0];
        printf("scp: found %zu of %zu (keyword %s) in %.1f ms; using %s\n", list.count,
               list.n_seen, c->keyword, list.total_ms, l->scp.dn);
        printf("scp: host %s port %u, SPN owner %s (trust checks %s)\n", l->scp.dns_name,
               l->scp.port, l->owner_sam[0] ? l->owner_sam : "?", l->checked ? "passed" : "off");
        snprintf(r->host, sizeof(r->host), "%s", l->scp.dns_name);
        r->port = l->scp.port;
    } else if (rc == SCPAUTH_ENOTFOUND && err->hint[0] == '\0') {
        snprintf(err->hint, sizeof(err->hint),
                 "is the service installed (scpauth-example-service install)? or give --host "
                 "and --port");
    }
    scpauth_scp_located_list_free(&list);
    scpauth_dir_close(dir);
    r->locate_ms = scpauth_clock_ms() - t0;
    return rc;
}

/* The service's SPN: class/host:port (DsMakeSpn), unless --spn. */
static int compose_spn(const client_cfg *c, client_run *r, scpauth_error *err)
{
    size_t size = sizeof(r->spn);
    if (c->spn != NULL) {
        snprintf(r->spn, sizeof(r->spn), "%s", c->spn);
        printf("spn: %s (given)\n", r->spn);
        return SCPAUTH_OK;
    }
    int rc = scpauth_spn_make(c->service_class, r->host, NULL, r->port, NULL, r->spn, &size, err);
    if (rc == SCPAUTH_OK)
        printf("spn: composed %s\n", r->spn);
    return rc;
}

/* Mutual authentication or nothing: the library fails closed already;
 * this is the check the original sample got wrong, done right. */
static int require_mutual(const scpauth_ctx_info *i, scpauth_error *err)
{
    char flags[128];
    if (i->mutual && (i->granted_flags & SCPAUTH_FLAG_MUTUAL))
        return SCPAUTH_OK;
    snprintf(err->message, sizeof(err->message),
             "%s did not prove its identity (granted flags %s): refusing to continue",
             i->peer_name, scpauth_flags_format(i->granted_flags, flags, sizeof(flags)));
    err->code = SCPAUTH_ENOMUTUAL;
    return SCPAUTH_ENOMUTUAL;
}

static void print_auth(const scpauth_ctx_info *i, const scpauth_session *s, const client_run *r)
{
    char flags[128];
    scpauth_session_times t;
    scpauth_session_times_get(s, &t);
    printf("auth: service %s proved its identity: mutual=yes mech=%s enctype=%s\n", i->peer_name,
           i->mech_name, i->enctype[0] ? i->enctype : "unknown");
    printf("auth: we are %s; granted flags %s\n", i->local_name,
           scpauth_flags_format(i->granted_flags, flags, sizeof(flags)));
    printf("auth: connect %.2f ms, handshake %.2f ms (%u steps; first step, the ticket "
           "request, %.2f ms)\n",
           r->connect_ms, t.handshake_ms, t.steps, t.step_ms[0]);
}

static int exchange(const client_cfg *c, scpauth_session *s, client_run *r, scpauth_error *err)
{
    int rc = SCPAUTH_OK;
    for (long long n = 0; n < c->count && rc == SCPAUTH_OK; n++)
        for (unsigned k = 0; k < c->n_messages && rc == SCPAUTH_OK; k++) {
            scpauth_buffer reply = SCPAUTH_BUFFER_INIT;
            double a = scpauth_clock_ms();
            rc = scpauth_session_request(s, c->messages[k], strlen(c->messages[k]), &reply, err);
            double ms = scpauth_clock_ms() - a;
            if (rc == SCPAUTH_OK && r->n_rtt < 4)
                printf("message %llu: sealed request; reply unsealed, MIC verified in %.2f ms: "
                       "%.*s\n",
                       r->n_rtt + 1, ms, (int)reply.len, (const char *)reply.data);
            if (rc == SCPAUTH_OK) {
                r->rtt_min = r->n_rtt == 0 || ms < r->rtt_min ? ms : r->rtt_min;
                r->rtt_max = ms > r->rtt_max ? ms : r->rtt_max;
                r->rtt_sum += ms;
                r->n_rtt++;
            }
            scpauth_buffer_free(&reply);
        }
    if (rc == SCPAUTH_OK)
        rc = scpauth_session_end(s, err);
    return rc;
}

static int authenticate_and_talk(const client_cfg *c, scpauth_creds *creds, client_run *r,
                                 scpauth_error *err)
{
    scpauth_ctx *ctx = NULL;
    scpauth_session *s = NULL;
    scpauth_socket sock = SCPAUTH_INVALID_SOCKET;
    scpauth_wire_options w = {EXAMPLE_PROFILE, 0, EXAMPLE_TIMEOUT_MS};
    scpauth_ctx_info info;
    char peer[SCPAUTH_HOST_NAME_MAX + SCPAUTH_SPN_MAX + 16];
    snprintf(peer, sizeof(peer), "%s:%u (%s)", r->host, r->port, r->spn);
    int rc = scpauth_ctx_new(creds, r->spn, 0 /* mutual required */, &ctx, err);
    if (rc == SCPAUTH_OK)
        rc = scpauth_session_new(SCPAUTH_INVALID_SOCKET, SCPAUTH_ROLE_CLIENT, ctx, &w, &s, err);
    if (rc == SCPAUTH_OK) {
        scpauth_session_set_peer(s, peer);
        scpauth_session_set_budget(s, EXAMPLE_TIMEOUT_MS);
        rc = scpauth_session_first_step(s, err); /* an unknown SPN fails here */
    }
    double a = scpauth_clock_ms();
    if (rc == SCPAUTH_OK)
        rc = scpauth_net_connect(r->host, r->port, EXAMPLE_TIMEOUT_MS, &sock, err);
    r->connect_ms = scpauth_clock_ms() - a;
    if (rc == SCPAUTH_OK) {
        scpauth_session_set_socket(s, sock);
        rc = scpauth_session_handshake(s, err);
    }
    if (rc == SCPAUTH_OK)
        rc = scpauth_ctx_info_get(ctx, &info, err);
    if (rc == SCPAUTH_OK)
        rc = require_mutual(&info, err);
    if (rc == SCPAUTH_OK) {
        print_auth(&info, s, r);
        rc = exchange(c, s, r, err);
    }
    if (sock != SCPAUTH_INVALID_SOCKET)
        scpauth_net_close(sock);
    scpauth_session_free(s);
    scpauth_ctx_free(ctx);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc > 1 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
        usage(stdout);
        return EXAMPLE_EXIT_OK;
    }
    static client_cfg c;
    static client_run r;
    c.service_class = EXAMPLE_CLASS;
    c.keyword = EXAMPLE_PRODUCT_GUID;
    c.count = 1;
    int rc = parse_args(&c, argc, argv);
    if (rc != EXAMPLE_EXIT_OK)
        return rc;
    scpauth_error err;
    scpauth_error_clear(&err);
    double t0 = scpauth_clock_ms();
    scpauth_creds_options co;
    memset(&co, 0, sizeof(co));
    co.role = SCPAUTH_ROLE_CLIENT;
    co.ccache = c.dir.ccache;
    scpauth_creds *creds = NULL;
    rc = scpauth_net_init(&err);
    if (rc == SCPAUTH_OK)
        rc = scpauth_creds_acquire(&co, &creds, &err);
    r.creds_ms = scpauth_clock_ms() - t0;
    if (rc == SCPAUTH_OK && c.host != NULL) {
        snprintf(r.host, sizeof(r.host), "%s", c.host);
        r.port = (unsigned)c.port;
        printf("scp: not used (--host %s --port %u)\n", r.host, r.port);
    } else if (rc == SCPAUTH_OK) {
        rc = locate(&c, &r, &err);
    }
    if (rc == SCPAUTH_OK)
        rc = compose_spn(&c, &r, &err);
    if (rc == SCPAUTH_OK)
        rc = authenticate_and_talk(&c, creds, &r, &err);
    scpauth_creds_free(creds);
    r.total_ms = scpauth_clock_ms() - t0;
    if (rc == SCPAUTH_OK && r.n_rtt > 0)
        printf("messages: %llu sealed and signed round trips, min %.2f / avg %.2f / max %.2f ms\n",
               r.n_rtt, r.rtt_min, r.rtt_sum / (double)r.n_rtt, r.rtt_max);
    printf("result: %s (locate %.1f ms, total %.1f ms)\n",
           rc == SCPAUTH_OK ? "ok" : scpauth_err_name(rc), r.locate_ms, r.total_ms);
    return rc == SCPAUTH_OK ? EXAMPLE_EXIT_OK : example_fail(PROG, &err);
}
