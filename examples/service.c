/* service.c - scpauth-example-service: Microsoft's "Mutual Authentication
 * in a Windows Sockets Service with an SCP", done right, one source for
 * Linux and Windows.
 *
 *   install    compose the service's SPN (DsGetSpn), register it on the
 *              service's account (DsWriteAccountSpn), publish the service
 *              connection point with the product's GUID keyword, remember
 *              its objectGUID, register with the service manager.
 *   run        refuse to start unless the SPN is on the service's account;
 *              update the SCP if host or port changed; serve many clients at
 *              once: mutual Kerberos authentication required, every request
 *              sealed, every reply sealed and signed (MIC).
 *   uninstall  remove the SCP, the SPNs install added and the registration.
 * Every step says what it did; running install again is safe.
 *
 * The state file (install record) tells uninstall what to delete, and
 * uninstall usually runs as an administrator: so it lives by default in a
 * directory only root writes, is read only when root or the installing user
 * owns it and nobody else can write it, and uninstall still removes only
 * what it re-derives from its own arguments (example_state.h). */
#include <stdlib.h>
#include <string.h>

#include "example.h"
#include "example_os.h"
#include "example_state.h"

#define PROG "scpauth-example-service"
#define MAX_REQUEST 4096 /* a request longer than this is refused */

typedef struct service_cfg {
    const char *verb;
    const char *service_class;
    char host[SCPAUTH_HOST_NAME_MAX];
    long port;
    int port_set;             /* --port given (uninstall: must match the record) */
    const char *account;      /* the account the service runs as */
    int account_set;          /* --account given (uninstall: must match the record) */
    const char *host_account; /* the computer object the SCP sits under */
    const char *state_dir;
    const char *unit_dir;
    const char *unit_template;
    const char *keytab;
    const char *bind;
    const char *guid_keyword;
    const char *scp_ccache;   /* install: identity that publishes the SCP */
    long long max_clients;
    long long client_timeout_ms;
    example_dir_opts dir;
    const char *argv0;
} service_cfg;

static void usage(FILE *out)
{
    fprintf(out,
            "usage: " PROG " install|run|uninstall [options]\n\n"
            "  install    register the SPN %s/HOST:PORT on the service's account, publish\n"
            "             the service connection point (keyword %s),\n"
            "             keep its GUID in the state directory, register the service unit\n"
            "  run        check the SPN, update the SCP, serve clients (mutual auth, sealed\n"
            "             requests, sealed and signed replies) until SIGINT/SIGTERM\n"
            "  uninstall  remove the SCP, the SPNs install added, the unit: only those of\n"
            "             --class on --host, an SCP only with --guid-keyword (a record\n"
            "             naming anything else is refused, nothing removed)\n\n"
            "options:\n"
            "  --port N             TCP port (default %d)\n"
            "  --host FQDN          the host's DNS name (default: this host's)\n"
            "  --class NAME         SPN service class (default %s)\n"
            "  --account NAME       account the service runs as (default self)\n"
            "  --host-account NAME  computer object the SCP goes under (default: from HOST)\n"
            "  --state-dir DIR      where install keeps its record, writable by root (or\n"
            "                       the installing user) only (default %s)\n"
            "  --unit-dir DIR       install: write the systemd unit there (Linux)\n"
            "  --unit-template F    the unit template (default: the one built in)\n"
            "  --keytab FILE        run: the service's keys (default: the default keytab)\n"
            "  --bind ADDR          run: listen on ADDR only\n"
            "  --max-clients N      run: connections held at once, idle ones too (default %d)\n"
            "  --client-timeout MS  run: per client, each step within MS (default %d)\n"
            "  --guid-keyword GUID  the product GUID keyword (default above)\n"
            "  --scp-ccache NAME    install: publish the SCP as this identity (the service's\n"
            "                       own, so that `run` may update it: its creator owns it)\n"
            "  --ccache NAME        directory identity (default: the default ccache)\n"
            "  --dc HOST[:PORT]     domain controller (repeatable; default: DNS SRV)\n"
            "  --domain DNSNAME     domain (default: the credentials' realm)\n",
            EXAMPLE_CLASS, EXAMPLE_PRODUCT_GUID, EXAMPLE_DEFAULT_PORT, EXAMPLE_CLASS,
            EXAMPLE_STATE_DIR, SCPAUTH_SERVER_DEFAULT_MAX_CLIENTS, SCPAUTH_SERVER_DEFAULT_CLIENT_TIMEOUT_MS);
}

static int parse_option(service_cfg *c, const char *a, const char *v)
{
    if (strcmp(a, "--port") == 0) {
        if ((c->port = example_parse_port(v)) < 0)
            return example_usage_error(PROG, "--port: not a port number: %s", v);
        c->port_set = 1;
    } else if (strcmp(a, "--host") == 0) {
        snprintf(c->host, sizeof(c->host), "%s", v);
    } else if (strcmp(a, "--account") == 0) {
        c->account = v;
        c->account_set = 1;
    } else if (strcmp(a, "--max-clients") == 0) {
        if ((c->max_clients = example_parse_count(v, 4096)) < 1)
            return example_usage_error(PROG, "--max-clients: 1..4096, not %s", v);
    } else if (strcmp(a, "--client-timeout") == 0) {
        if ((c->client_timeout_ms = example_parse_count(v, 3600000)) < 1)
            return example_usage_error(PROG, "--client-timeout: 1..3600000 ms, not %s", v);
    } else {
        static const struct {
            const char *name;
            size_t off;
        } texts[] = {
            {"--class", offsetof(service_cfg, service_class)},
            {"--host-account", offsetof(service_cfg, host_account)},
            {"--state-dir", offsetof(service_cfg, state_dir)},
            {"--unit-dir", offsetof(service_cfg, unit_dir)},
            {"--unit-template", offsetof(service_cfg, unit_template)},
            {"--keytab", offsetof(service_cfg, keytab)},
            {"--bind", offsetof(service_cfg, bind)},
            {"--guid-keyword", offsetof(service_cfg, guid_keyword)},
            {"--scp-ccache", offsetof(service_cfg, scp_ccache)},
        };
        for (size_t k = 0; k < sizeof(texts) / sizeof(texts[0]); k++)
            if (strcmp(a, texts[k].name) == 0) {
                *(const char **)((char *)c + texts[k].off) = v;
                return EXAMPLE_EXIT_OK;
            }
        return example_usage_error(PROG, "unknown option %s", a);
    }
    return EXAMPLE_EXIT_OK;
}

static int parse_args(service_cfg *c, int argc, char **argv)
{
    if (argc < 2)
        return example_usage_error(PROG, "needs install, run or uninstall");
    c->verb = argv[1];
    if (strcmp(c->verb, "install") != 0 && strcmp(c->verb, "run") != 0 &&
        strcmp(c->verb, "uninstall") != 0)
        return example_usage_error(PROG, "unknown command %s", c->verb);
    for (int i = 2; i < argc;) {
        int d = example_dir_opt(&c->dir, PROG, argc, argv, &i);
        if (d < 0)
            return EXAMPLE_EXIT_USAGE;
        if (d > 0)
            continue;
        if (i + 1 >= argc)
            return example_usage_error(PROG, "unknown option or missing value: %s", argv[i]);
        int rc = parse_option(c, argv[i], argv[i + 1]);
        if (rc != EXAMPLE_EXIT_OK)
            return rc;
        i += 2;
    }
    return EXAMPLE_EXIT_OK;
}

/* The service's SPN: class/host:port (DsGetSpn, DNS host type). */
static int compose_spns(const service_cfg *c, scpauth_spn_list *spns, scpauth_error *err)
{
    const char *hosts[1] = {c->host};
    unsigned short ports[1] = {(unsigned short)c->port};
    return scpauth_spn_get(SCPAUTH_SPN_DNS_HOST, c->service_class, NULL, 0, 1, hosts, ports, spns,
                           err);
}

static void scp_params(const service_cfg *c, scpauth_scp_params *p)
{
    memset(p, 0, sizeof(*p));
    p->service_class = c->service_class;
    p->dns_name = c->host;
    p->port = (unsigned)c->port;
    p->guid_keyword = c->guid_keyword;
    p->description = "scpauth example service (mutual Kerberos authentication)";
}

/* ---- install ----------------------------------------------------------- */

static int install_spns(const service_cfg *c, scpauth_dir *dir, const scpauth_spn_list *spns,
                        example_state *st, scpauth_error *err)
{
    scpauth_dir_spn_result r;
    memset(&r, 0, sizeof(r));
    int rc = scpauth_dir_spn_write(dir, SCPAUTH_DIR_SPN_ADD, c->account,
                                   (const char *const *)spns->items, spns->count, &r, err);
    if (rc == SCPAUTH_OK) {
        for (size_t i = 0; i < r.added.count; i++) {
            printf("spn: registered %s on %s\n", r.added.items[i], r.account.sam_account_name);
            example_state_add_spn(st, r.added.items[i]);
        }
        for (size_t i = 0; i < r.kept.count; i++)
            printf("spn: %s already on %s\n", r.kept.items[i], r.account.sam_account_name);
    }
    scpauth_dir_spn_result_free(&r);
    return rc;
}

/* Publishes the SCP, or updates the one install published before. */
static int install_scp(const service_cfg *c, scpauth_dir *dir, example_state *st,
                       scpauth_error *err)
{
    scpauth_scp_params p;
    scp_params(c, &p);
    scpauth_scp_written w;
    memset(&w, 0, sizeof(w));
    scpauth_guid guid;
    int rc;
    if (st->guid[0] && scpauth_guid_from_string(st->guid, strlen(st->guid), &guid, err) == 0) {
        rc = scpauth_scp_update(dir, &guid, &p, c->host_account, &w, err);
        if (rc == SCPAUTH_OK)
            printf("scp: %s %s\n", w.recreated ? "was missing, published again:"
                                   : w.changed ? "updated to " : "already published:",
                   w.dn);
    } else {
        rc = scpauth_scp_publish(dir, &p, c->host_account, &w, err);
        if (rc == SCPAUTH_OK)
            printf("scp: published %s\n", w.dn);
    }
    if (rc == SCPAUTH_OK) {
        scpauth_guid_to_string(&w.guid, st->guid);
        printf("scp: objectGUID %s, keyword %s, %s:%ld\n", st->guid, c->guid_keyword, c->host,
               c->port);
    }
    return rc;
}

/* The SCP is published by --scp-ccache when given: AD makes its creator its
 * owner, and the running service may then move it to a new host or port. */
static int install_scp_as(const service_cfg *c, scpauth_dir *dir, example_state *st,
                          scpauth_error *err)
{
    if (c->scp_ccache == NULL)
        return install_scp(c, dir, st, err);
    example_dir_opts o = c->dir;
    o.ccache = c->scp_ccache;
    scpauth_dir *own = NULL;
    int rc = example_dir_open(&o, &own, err);
    if (rc == SCPAUTH_OK)
        rc = install_scp(c, own, st, err);
    scpauth_dir_close(own);
    return rc;
}

/* The options `run` needs, one by one: the unit writer (systemd) or the
 * command line's composer (SCM) quotes them. */
typedef struct run_args {
    const char *argv[EXAMPLE_RUN_ARGS_MAX];
    size_t argc;
    char port[8];
} run_args;

static void run_args_make(const service_cfg *c, run_args *r)
{
    snprintf(r->port, sizeof(r->port), "%ld", c->port);
    const char *v[] = {"--port", r->port, "--host", c->host, "--class", c->service_class,
                       "--account", c->account, "--state-dir", c->state_dir,
                       c->keytab ? "--keytab" : NULL, c->keytab};
    r->argc = 0;
    for (size_t i = 0; i < EXAMPLE_RUN_ARGS_MAX && v[i] != NULL; i++)
        r->argv[r->argc++] = v[i];
}

static int install_unit(const service_cfg *c, example_state *st, scpauth_error *err)
{
    static run_args ra;
    char program[1024], name[128];
    int changed = 0;
    if (c->unit_dir == NULL && example_os_unit_needs_dir()) {
        printf("unit: not written (no --unit-dir)\n");
        return SCPAUTH_OK;
    }
    snprintf(name, sizeof(name), "%s-%ld", c->service_class, c->port);
    int rc = example_os_self(c->argv0, program, sizeof(program), err);
    run_args_make(c, &ra);
    example_unit u = {name, "scpauth example service (Kerberos mutual authentication)", program,
                      c->unit_dir, c->unit_template, ra.argv, ra.argc};
    if (rc == SCPAUTH_OK)
        rc = example_os_service_install(&u, st->unit, sizeof(st->unit), &changed, err);
    if (rc == SCPAUTH_OK)
        printf("unit: %s %s (not enabled, not started)\n", changed ? "wrote" : "unchanged",
               st->unit);
    return rc;
}

static int cmd_install(const service_cfg *c, scpauth_dir *dir, scpauth_error *err)
{
    static example_state st;
    int rc = example_state_load(c->state_dir, &st, err);
    if (rc == SCPAUTH_ENOTFOUND)
        rc = SCPAUTH_OK; /* a first install */
    if (rc != SCPAUTH_OK)
        return rc; /* an unreadable state file is left as it is */
    scpauth_spn_list spns = SCPAUTH_SPN_LIST_INIT;
    rc = compose_spns(c, &spns, err);
    for (size_t i = 0; rc == SCPAUTH_OK && i < spns.count; i++)
        printf("spn: composed %s\n", spns.items[i]);
    if (rc == SCPAUTH_OK)
        rc = install_spns(c, dir, &spns, &st, err);
    if (rc == SCPAUTH_OK)
        rc = install_scp_as(c, dir, &st, err);
    if (rc == SCPAUTH_OK) {
        snprintf(st.host, sizeof(st.host), "%s", c->host);
        st.port = (unsigned)c->port;
        snprintf(st.account, sizeof(st.account), "%s", c->account);
        rc = install_unit(c, &st, err);
    }
    /* saved even after a failure: what was done can be undone by uninstall */
    scpauth_error serr;
    if (example_state_save(c->state_dir, &st, &serr) != SCPAUTH_OK && rc == SCPAUTH_OK) {
        *err = serr;
        rc = serr.code;
    } else {
        printf("state: %s/scpauth-example.state\n", c->state_dir);
    }
    scpauth_spn_list_free(&spns);
    if (rc == SCPAUTH_OK)
        printf("install: done; start the service with: " PROG " run --port %ld\n", c->port);
    return rc;
}

/* ---- uninstall --------------------------------------------------------- */

/* Refuses to remove an SCP that is not this product's: the GUID came from a
 * file. ENOTFOUND when it is gone already. */
static int check_scp(const service_cfg *c, scpauth_dir *dir, const scpauth_guid *guid,
                     const char *text, scpauth_error *err)
{
    scpauth_scp scp = SCPAUTH_SCP_INIT;
    int rc = scpauth_scp_read(dir, guid, &scp, err);
    int keyword = 0;
    for (size_t i = 0; rc == SCPAUTH_OK && i < scp.n_keywords; i++)
        keyword |= example_same_text(scp.keywords[i], c->guid_keyword);
    int klass = rc == SCPAUTH_OK && example_same_text(scp.service_class, c->service_class);
    if (rc == SCPAUTH_OK && (!klass || !keyword)) {
        rc = example_error(err, SCPAUTH_EINVAL,
                           "the state file's SCP %s (%s) %s %s%s: not this service's, not removed",
                           text, scp.dn, klass ? "lacks the keyword" : "has class",
                           klass ? c->guid_keyword : scp.service_class,
                           klass ? "" : ", not --class's");
        snprintf(err->hint, sizeof(err->hint), "nothing was removed; give uninstall the "
                 "--class and --guid-keyword install had, or remove the SCP by hand");
    }
    scpauth_scp_free(&scp);
    return rc;
}

static int uninstall_scp(const service_cfg *c, scpauth_dir *dir, const example_state *st,
                         scpauth_error *err)
{
    scpauth_guid guid;
    scpauth_scp_written w;
    int rc = scpauth_guid_from_string(st->guid, strlen(st->guid), &guid, err);
    if (rc == SCPAUTH_OK)
        rc = check_scp(c, dir, &guid, st->guid, err);
    if (rc == SCPAUTH_OK)
        rc = scpauth_scp_remove(dir, &guid, &w, err);
    if (rc == SCPAUTH_OK)
        printf("scp: removed %s\n", w.dn);
    else if (rc == SCPAUTH_ENOTFOUND && (rc = SCPAUTH_OK) == SCPAUTH_OK)
        printf("scp: %s was already gone\n", st->guid);
    return rc;
}

static int cmd_uninstall(const service_cfg *c, scpauth_dir *dir, scpauth_error *err)
{
    static example_state st;
    int rc = example_state_load(c->state_dir, &st, err);
    if (rc == SCPAUTH_ENOTFOUND) {
        printf("uninstall: nothing installed from %s\n", c->state_dir);
        return SCPAUTH_OK;
    }
    /* before anything is removed: the record must be this instance's */
    example_instance want = {c->service_class, c->host, c->account_set ? c->account : NULL,
                             c->port_set ? (unsigned)c->port : 0u, example_os_unit_needs_dir(),
                             c->unit_dir};
    if (rc == SCPAUTH_OK)
        rc = example_state_check(&st, &want, err);
    if (rc == SCPAUTH_OK && st.guid[0])
        rc = uninstall_scp(c, dir, &st, err);
    if (rc == SCPAUTH_OK && st.n_spns > 0) {
        const char *list[EXAMPLE_STATE_SPNS];
        for (size_t i = 0; i < st.n_spns; i++)
            list[i] = st.spns[i];
        const char *account = c->account_set ? c->account : st.account[0] ? st.account : "self";
        scpauth_dir_spn_result r;
        memset(&r, 0, sizeof(r));
        rc = scpauth_dir_spn_write(dir, SCPAUTH_DIR_SPN_DELETE, account, list, st.n_spns, &r,
                                   err);
        for (size_t i = 0; rc == SCPAUTH_OK && i < r.removed.count; i++)
            printf("spn: removed %s from %s\n", r.removed.items[i], r.account.sam_account_name);
        for (size_t i = 0; rc == SCPAUTH_OK && i < r.absent.count; i++)
            printf("spn: %s was not on %s\n", r.absent.items[i], r.account.sam_account_name);
        scpauth_dir_spn_result_free(&r);
    }
    if (rc == SCPAUTH_OK && st.unit[0]) {
        rc = example_os_service_remove(st.unit, err);
        if (rc == SCPAUTH_OK)
            printf("unit: removed %s\n", st.unit);
    }
    if (rc == SCPAUTH_OK)
        rc = example_state_remove(c->state_dir, err);
    if (rc == SCPAUTH_OK)
        printf("uninstall: done\n");
    return rc;
}

/* ---- run --------------------------------------------------------------- */

/* The service manager's (or a signal's) stop request; async-signal-safe. */
static void stop_server(void *srv)
{
    scpauth_server_stop(srv);
}

static int run_server(void *srv)
{
    scpauth_error err;
    return scpauth_server_run(srv, &err);
}

/* The protocol: each sealed request gets a sealed reply, signed (MIC). The
 * server calls this once per request; between requests the client waits
 * parked, holding no thread. */
static int serve_request(void *user, scpauth_session *s, const scpauth_ctx_info *info,
                         scpauth_error *err)
{
    (void)user;
    scpauth_buffer req = SCPAUTH_BUFFER_INIT;
    int rc = scpauth_session_recv_sealed(s, &req, err);
    if (rc != SCPAUTH_OK)
        return rc; /* SCPAUTH_SESSION_END too: the client is done */
    char reply[MAX_REQUEST + SCPAUTH_NAME_MAX * 2 + 64];
    int n = req.len > MAX_REQUEST
                ? snprintf(reply, sizeof(reply), "error: request over %d bytes", MAX_REQUEST)
                : snprintf(reply, sizeof(reply), "hello %s, %s received \"%.*s\"",
                           info->peer_name, info->local_name, (int)req.len,
                           (const char *)req.data);
    scpauth_buffer_free(&req);
    return scpauth_session_reply(s, reply, (size_t)n, err);
}

static void on_done(void *user, const scpauth_session *s, const scpauth_ctx_info *info, int rc,
                    const scpauth_error *err)
{
    (void)user;
    char flags[128];
    scpauth_session_times t;
    memset(&t, 0, sizeof(t));
    if (s != NULL)
        scpauth_session_times_get(s, &t);
    printf("client %s: %s", s ? scpauth_session_peer(s) : "-",
           rc == SCPAUTH_OK ? "ok" : scpauth_err_name(rc));
    if (info != NULL)
        printf(" principal=%s mutual=%s enctype=%s flags=%s", info->peer_name,
               info->mutual ? "yes" : "no", info->enctype[0] ? info->enctype : "unknown",
               scpauth_flags_format(info->granted_flags, flags, sizeof(flags)));
    printf(" handshake_ms=%.2f requests=%u", t.handshake_ms, t.messages);
    if (rc != SCPAUTH_OK)
        printf(" error=\"%s\"", err->message);
    printf("\n");
    fflush(stdout);
}

/* Refuses to start unless every SPN is on the service's account. */
static int check_spns(const service_cfg *c, scpauth_dir *dir, scpauth_error *err)
{
    scpauth_spn_list spns = SCPAUTH_SPN_LIST_INIT;
    int rc = compose_spns(c, &spns, err);
    if (rc == SCPAUTH_OK)
        rc = scpauth_dir_spn_check(dir, c->account, (const char *const *)spns.items, spns.count,
                                   err);
    for (size_t i = 0; rc == SCPAUTH_OK && i < spns.count; i++)
        printf("spn: %s is registered on %s\n", spns.items[i], c->account);
    if (rc == SCPAUTH_ENOSPN) {
        fprintf(stderr, PROG ": refusing to start: clients cannot authenticate to this service\n");
        fprintf(stderr, "  to fix it, run: " PROG " install --port %ld --host %s\n", c->port,
                c->host);
    }
    scpauth_spn_list_free(&spns);
    return rc;
}

/* Moves the SCP to this host and port if either changed since install. */
static int refresh_scp(const service_cfg *c, scpauth_dir *dir, scpauth_error *err)
{
    static example_state st;
    int rc = example_state_load(c->state_dir, &st, err);
    if (rc == SCPAUTH_ENOTFOUND || (rc == SCPAUTH_OK && !st.guid[0])) {
        printf("scp: none published (run install); clients need --host/--port\n");
        return SCPAUTH_OK;
    }
    scpauth_guid guid;
    scpauth_scp_params p;
    scpauth_scp_written w;
    memset(&w, 0, sizeof(w));
    scp_params(c, &p);
    if (rc == SCPAUTH_OK)
        rc = scpauth_guid_from_string(st.guid, strlen(st.guid), &guid, err);
    if (rc == SCPAUTH_OK)
        rc = scpauth_scp_update(dir, &guid, &p, c->host_account, &w, err);
    if (rc != SCPAUTH_OK)
        return rc;
    printf("scp: %s %s:%ld (%s)\n",
           w.recreated ? "published again for" : w.changed ? "updated to" : "current:", c->host,
           c->port, w.dn);
    if (!w.recreated && !w.changed && st.port == (unsigned)c->port)
        return SCPAUTH_OK;
    scpauth_guid_to_string(&w.guid, st.guid);
    snprintf(st.host, sizeof(st.host), "%s", c->host);
    st.port = (unsigned)c->port;
    /* the record may be root's and read-only to the service: the SCP is
     * current in the directory all the same */
    scpauth_error serr;
    if (example_state_save(c->state_dir, &st, &serr) != SCPAUTH_OK)
        printf("state: not updated (%s); uninstall still finds the SCP unless it was "
               "published again\n",
               serr.message);
    return SCPAUTH_OK;
}

static int serve(const service_cfg *c, scpauth_error *err)
{
    scpauth_creds_options co;
    memset(&co, 0, sizeof(co));
    co.role = SCPAUTH_ROLE_SERVICE;
    co.keytab = c->keytab;
    scpauth_creds *creds = NULL;
    scpauth_socket l = SCPAUTH_INVALID_SOCKET;
    scpauth_server *srv = NULL;
    int rc = scpauth_creds_acquire(&co, &creds, err);
    if (rc == SCPAUTH_OK)
        rc = scpauth_net_listen(c->bind, (unsigned)c->port, 128, &l, err);
    scpauth_server_options o;
    memset(&o, 0, sizeof(o));
    o.creds = creds;
    o.wire.profile = EXAMPLE_PROFILE;
    o.max_clients = (unsigned)c->max_clients;
    o.client_timeout_ms = (int)c->client_timeout_ms;
    o.on_request = serve_request;
    o.on_done = on_done;
    if (rc == SCPAUTH_OK)
        rc = scpauth_server_new(l, &o, &srv, err);
    if (rc == SCPAUTH_OK) {
        char name[128];
        snprintf(name, sizeof(name), "%s-%ld", c->service_class, c->port);
        printf("run: listening on %s:%ld, up to %lld clients at once, mutual authentication "
               "required\n",
               c->bind ? c->bind : "*", c->port, c->max_clients);
        fflush(stdout);
        rc = example_os_run_service(name, run_server, stop_server, srv);
        if (rc != SCPAUTH_OK)
            example_error(err, rc, "service %s: cannot run under the service manager", name);
        printf("run: stopped after %llu client(s)\n", scpauth_server_finished(srv));
    }
    scpauth_server_free(srv);
    if (l != SCPAUTH_INVALID_SOCKET)
        scpauth_net_close(l);
    scpauth_creds_free(creds);
    return rc;
}

static int cmd_run(const service_cfg *c, scpauth_dir *dir, scpauth_error *err)
{
    int rc = check_spns(c, dir, err);
    if (rc == SCPAUTH_OK)
        rc = refresh_scp(c, dir, err);
    scpauth_dir_close(dir); /* not needed while serving */
    if (rc == SCPAUTH_OK)
        rc = serve(c, err);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc > 1 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
        usage(stdout);
        return EXAMPLE_EXIT_OK;
    }
    static service_cfg c;
    c.service_class = EXAMPLE_CLASS;
    c.port = EXAMPLE_DEFAULT_PORT;
    c.account = "self";
    c.state_dir = EXAMPLE_STATE_DIR;
    c.unit_template = EXAMPLE_UNIT_TEMPLATE;
    c.guid_keyword = EXAMPLE_PRODUCT_GUID;
    c.max_clients = SCPAUTH_SERVER_DEFAULT_MAX_CLIENTS;
    c.client_timeout_ms = SCPAUTH_SERVER_DEFAULT_CLIENT_TIMEOUT_MS;
    c.argv0 = argv[0];
    int rc = parse_args(&c, argc, argv);
    if (rc != EXAMPLE_EXIT_OK)
        return rc;
    setvbuf(stdout, NULL, _IOLBF, 4096);
    scpauth_error err;
    scpauth_error_clear(&err);
    scpauth_dir *dir = NULL;
    rc = scpauth_net_init(&err);
    if (rc == SCPAUTH_OK && c.host[0] == '\0')
        rc = scpauth_host_fqdn(c.host, sizeof(c.host), &err);
    if (rc == SCPAUTH_OK)
        rc = example_dir_open(&c.dir, &dir, &err);
    if (rc == SCPAUTH_OK && strcmp(c.verb, "install") == 0)
        rc = cmd_install(&c, dir, &err);
    else if (rc == SCPAUTH_OK && strcmp(c.verb, "uninstall") == 0)
        rc = cmd_uninstall(&c, dir, &err);
    else if (rc == SCPAUTH_OK) {
        rc = cmd_run(&c, dir, &err);
        dir = NULL; /* closed by cmd_run */
    }
    scpauth_dir_close(dir);
    return rc == SCPAUTH_OK ? EXAMPLE_EXIT_OK : example_fail(PROG, &err);
}
