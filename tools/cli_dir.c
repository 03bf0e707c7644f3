/* cli_dir.c - directory options and sessions shared by `scpauth spn` and
 * `scpauth scp`. */
#include <stdio.h>
#include <string.h>

#include "cli_dir.h"

const char *cli_dir_help(void)
{
    static char text[1024];
    snprintf(text, sizeof(text),
             "  --dc HOST[:PORT]     a DC to use (repeatable, tried in order; its global\n"
             "                       catalog is HOST:3268). Default: DNS SRV records\n"
             "                       _ldap._tcp.dc._msdcs.DOMAIN (and _gc._tcp.FOREST), in\n"
             "                       RFC 2782 order, with failover to the next DC\n"
             "  --domain DOMAIN      the AD domain (default: the realm of the credentials)\n"
             "  --timeout MS         bound on each connect+bind and on each directory\n"
             "                       operation (default %u)\n"
             "  --verbose            on stderr: the DCs tried, why any failed, and the times\n",
             SCPAUTH_DIR_TIMEOUT_DEFAULT_MS);
    return text;
}

int cli_dir_parse(cli_dir_opts *d, const char *verb, const char *a, const char *v)
{
    if (strcmp(a, "--dc") == 0) {
        if (d->n_dcs == SCPAUTH_DIR_DCS_MAX) {
            cli_usage_error(verb, "at most %d --dc options", SCPAUTH_DIR_DCS_MAX);
            return -1;
        }
        d->dcs[d->n_dcs++] = v;
    } else if (strcmp(a, "--domain") == 0) {
        d->domain = v;
    } else if (strcmp(a, "--timeout") == 0) {
        long long t = cli_parse_count(v, 3600000);
        if (t < 1) {
            cli_usage_error(verb, "--timeout: 1..3600000 ms, not %s", v);
            return -1;
        }
        d->timeout_ms = (unsigned)t;
    } else {
        return 0;
    }
    return 1;
}

static void print_attempts(const char *verb, const scpauth_dir_info *i)
{
    fprintf(stderr, "scpauth %s: DC %s:%u (%s), SSF %u, bound in %.1f ms after %zu attempt(s)\n",
            verb, i->dc, i->port, i->discovered ? "DNS SRV" : "--dc", i->ssf, i->connect_ms,
            i->n_attempts);
    for (size_t k = 0; k < i->n_attempts; k++)
        fprintf(stderr, "  tried %s:%u: %s (%.1f ms)\n", i->attempts[k].host,
                i->attempts[k].port,
                i->attempts[k].status == SCPAUTH_OK ? "ok"
                                                    : scpauth_err_name(i->attempts[k].status),
                i->attempts[k].elapsed_ms);
}

int cli_dir_open(const cli_dir_opts *d, const cli_creds *c, const char *verb,
                 cli_dir_session *s, scpauth_error *err)
{
    memset(s, 0, sizeof(*s));
    int rc = cli_creds_acquire(c, SCPAUTH_ROLE_CLIENT, &s->creds, err);
    if (rc != SCPAUTH_OK)
        return rc;
    scpauth_dir_options o;
    memset(&o, 0, sizeof(o));
    o.domain = d->domain;
    o.dcs = d->dcs;
    o.n_dcs = d->n_dcs;
    o.creds = s->creds;
    o.timeout_ms = d->timeout_ms;
    o.defer_dc = d->defer_dc;
    rc = scpauth_dir_open(&o, &s->dir, err);
    if (rc == SCPAUTH_OK)
        rc = scpauth_dir_info_get(s->dir, &s->info, err);
    if (rc == SCPAUTH_OK && d->verbose && s->info.dc[0] != '\0')
        print_attempts(verb, &s->info);
    return rc;
}

void cli_dir_close(cli_dir_session *s)
{
    scpauth_dir_close(s->dir);
    scpauth_creds_free(s->creds);
    s->dir = NULL;
    s->creds = NULL;
}

void cli_dir_json_dc(cli_json *j, const scpauth_dir_info *i)
{
    cli_json_obj_begin(j, "dc");
    cli_json_str(j, "host", i->dc);
    cli_json_int(j, "port", i->port);
    cli_json_str(j, "domain", i->domain);
    cli_json_str(j, "principal", i->principal);
    cli_json_bool(j, "discovered", i->discovered);
    cli_json_int(j, "ssf", i->ssf);
    cli_json_num(j, "connect_ms", i->connect_ms);
    cli_json_arr_begin(j, "attempts");
    for (size_t k = 0; k < i->n_attempts; k++) {
        cli_json_obj_begin(j, NULL);
        cli_json_str(j, "host", i->attempts[k].host);
        cli_json_int(j, "port", i->attempts[k].port);
        cli_json_str(j, "status", i->attempts[k].status == SCPAUTH_OK
                                      ? "ok"
                                      : scpauth_err_name(i->attempts[k].status));
        cli_json_num(j, "ms", i->attempts[k].elapsed_ms);
        cli_json_obj_end(j);
    }
    cli_json_arr_end(j);
    cli_json_obj_end(j);
}

int cli_dir_fail(int json, const char *verb, const scpauth_error *err)
{
    if (json) {
        cli_json j;
        cli_json_begin(&j, stdout);
        cli_json_bool(&j, "ok", 0);
        cli_json_error(&j, err);
        cli_json_end(&j);
    }
    return cli_fail(verb, err);
}

int cli_dir_help_asked(int argc, char **argv, void (*usage)(FILE *out), int *code)
{
    if (argc < 2) {
        usage(stderr);
        *code = CLI_EXIT_USAGE;
        return 1;
    }
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            usage(stdout);
            *code = CLI_EXIT_OK;
            return 1;
        }
    return 0;
}
