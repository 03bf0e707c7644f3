/* cmd_doctor.c - `scpauth doctor`: the library's pre-handshake diagnostics
 * (scpauth/doctor.h) as text or one JSON object. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <scpauth/doctor.h>

#include "cli_creds.h"
#include "cli_dir.h"
#include "verbs.h"

#define VERB "doctor"

typedef struct doctor_opts {
    scpauth_doctor_options lib;
    cli_dir_opts dir;
    cli_creds creds;
    int json;
} doctor_opts;

static void usage(FILE *out)
{
    fprintf(out,
        "usage: scpauth doctor [--spn] SPN [--keytab FILE] [options]      (service side)\n"
        "       scpauth doctor [--spn SPN] (--guid GUID | --keyword K)  (client side)\n\n"
        "Checks what makes a Kerberos handshake with an AD service fail before it\n"
        "starts, and says how to fix each problem:\n"
        "  creds     the client credentials (ccache) for the directory and the ticket\n"
        "  dc        a DC answers and accepts the bind (which one, how fast)\n"
        "  clock     skew to the DC (RootDSE currentTime) or, without a session, to the\n"
        "            KDC; warn above --skew-warn, problem above --skew-max seconds\n"
        "  scp       (--guid/--keyword) an SCP is found and passes the trust checks;\n"
        "            it gives the SPN when none is named\n"
        "  spn       the SPN is registered on exactly one account (global catalog)\n"
        "  enctypes  that account's msDS-SupportedEncryptionTypes includes AES\n"
        "  keytab    (--keytab) the keytab has the SPN's key at the directory's\n"
        "            msDS-KeyVersionNumber, with an AES enctype\n"
        "  ticket    (client side) a service ticket for the SPN can be had; its enctypes\n\n"
        "Options:\n"
        "  --spn SPN            the service's SPN, class/host[:port][/name]\n"
        "  --keytab FILE        service side: the keytab the service uses\n"
        "  --guid GUID, --keyword K   client side: the SCP keyword to locate\n"
        "  --class CLASS        only SCPs of this service class\n"
        "  --skew-warn S        warn above S seconds of clock skew (default %u)\n"
        "  --skew-max S         problem above S seconds (default %u, Kerberos' own)\n"
        "  --json               one JSON object: {\"ok\", \"spn\", \"problems\",\n"
        "                       \"warnings\", \"checks\": [{\"name\", \"status\", \"detail\",\n"
        "                       \"fix\", \"code\", \"ms\"}...]}; status is ok, warn,\n"
        "                       problem or skipped\n"
        "Directory options:\n"
        "%s"
        "Client credentials (directory bind and service ticket):\n"
        "  --ccache NAME        a ccache (default: the default ccache)\n"
        "  --user NAME --password-file FILE | --password   a password logon instead\n\n"
        "exit codes: 0 no problem (warnings allowed); 1 at least one problem;\n"
        "2 bad command line.\n",
        SCPAUTH_DOCTOR_SKEW_WARN_S, SCPAUTH_DOCTOR_SKEW_MAX_S, cli_dir_help());
}

static int parse_seconds(const char *v, unsigned *out)
{
    long long s = cli_parse_count(v, 86400);
    if (s < 1)
        return cli_usage_error(VERB, "seconds 1..86400, not %s", v);
    *out = (unsigned)s;
    return CLI_EXIT_OK;
}

static int parse_value(doctor_opts *o, const char *a, const char *v)
{
    int d = cli_dir_parse(&o->dir, VERB, a, v);
    if (d != 0)
        return d > 0 ? CLI_EXIT_OK : CLI_EXIT_USAGE;
    if (strcmp(a, "--spn") == 0)
        o->lib.spn = v;
    else if (strcmp(a, "--guid") == 0 || strcmp(a, "--keyword") == 0)
        o->lib.keyword = v;
    else if (strcmp(a, "--class") == 0)
        o->lib.service_class = v;
    else if (strcmp(a, "--skew-warn") == 0)
        return parse_seconds(v, &o->lib.skew_warn_s);
    else if (strcmp(a, "--skew-max") == 0)
        return parse_seconds(v, &o->lib.skew_max_s);
    else
        return cli_usage_error(VERB, "unknown option %s", a);
    return CLI_EXIT_OK;
}

static int parse(doctor_opts *o, int argc, char **argv)
{
    for (int i = 1; i < argc;) {
        const char *a = argv[i];
        int c = cli_creds_parse(&o->creds, VERB, argc, argv, &i);
        if (c < 0)
            return CLI_EXIT_USAGE;
        if (c > 0)
            continue;
        if (strcmp(a, "--json") == 0 || strcmp(a, "--verbose") == 0) {
            *(a[2] == 'j' ? &o->json : &o->dir.verbose) = 1;
            i++;
            continue;
        }
        if (a[0] != '-') {
            if (o->lib.spn != NULL)
                return cli_usage_error(VERB, "one SPN only, not also %s", a);
            o->lib.spn = a;
            i++;
            continue;
        }
        if (i + 1 >= argc)
            return cli_usage_error(VERB, "missing value after %s", a);
        int rc = parse_value(o, a, argv[i + 1]);
        if (rc != CLI_EXIT_OK)
            return rc;
        i += 2;
    }
    if (o->lib.spn == NULL && o->lib.keyword == NULL)
        return cli_usage_error(VERB, "give the SPN, or on a client --guid/--keyword");
    if (o->lib.keyword != NULL && o->creds.keytab != NULL)
        return cli_usage_error(VERB, "--keytab (service side) and --guid/--keyword (client "
                                     "side) do not go together");
    return CLI_EXIT_OK;
}

static void print_text(const scpauth_doctor_report *r, const doctor_opts *o)
{
    printf("scpauth doctor: SPN %s (%s side)\n", r->spn[0] ? r->spn : "(unknown)",
           o->lib.keytab != NULL ? "service" : "client");
    for (size_t i = 0; i < r->count; i++) {
        const scpauth_doctor_check *c = &r->checks[i];
        printf("  %-8s %-9s %s", scpauth_doctor_status_name(c->status), c->name, c->detail);
        printf(o->dir.verbose ? " (%.1f ms)\n" : "\n", c->elapsed_ms);
        if (c->fix[0] && (c->status == SCPAUTH_DOCTOR_PROBLEM || c->status == SCPAUTH_DOCTOR_WARN))
            printf("  %-8s %-9s fix: %s\n", "", "", c->fix);
    }
    printf("%zu problem(s), %zu warning(s)\n", r->problems, r->warnings);
}

static void print_json(const scpauth_doctor_report *r)
{
    cli_json j;
    cli_json_begin(&j, stdout);
    cli_json_bool(&j, "ok", r->problems == 0);
    cli_json_str(&j, "spn", r->spn[0] ? r->spn : NULL);
    cli_json_int(&j, "problems", (long long)r->problems);
    cli_json_int(&j, "warnings", (long long)r->warnings);
    if (r->has_skew)
        cli_json_num(&j, "skew_s", r->skew_s);
    cli_json_arr_begin(&j, "checks");
    for (size_t i = 0; i < r->count; i++) {
        const scpauth_doctor_check *c = &r->checks[i];
        cli_json_obj_begin(&j, NULL);
        cli_json_str(&j, "name", c->name);
        cli_json_str(&j, "status", scpauth_doctor_status_name(c->status));
        cli_json_str(&j, "detail", c->detail);
        cli_json_str(&j, "fix", c->fix[0] ? c->fix : NULL);
        cli_json_str(&j, "code", c->code != SCPAUTH_OK ? scpauth_err_name(c->code) : NULL);
        cli_json_num(&j, "ms", c->elapsed_ms);
        cli_json_obj_end(&j);
    }
    cli_json_arr_end(&j);
    cli_json_end(&j);
}

/* A password logon (--user + --password...) becomes credentials here;
 * a ccache is left to the doctor, whose creds check explains a missing one. */
static int password_creds(const doctor_opts *o, scpauth_creds **out, scpauth_error *err)
{
    *out = NULL;
    if (o->creds.password_file == NULL && !o->creds.password_env)
        return SCPAUTH_OK;
    cli_creds c = o->creds;
    c.keytab = NULL;
    return cli_creds_acquire(&c, SCPAUTH_ROLE_CLIENT, out, err);
}

int cli_cmd_doctor(int argc, char **argv)
{
    if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
        usage(stdout);
        return CLI_EXIT_OK;
    }
    doctor_opts o;
    memset(&o, 0, sizeof(o));
    int rc = parse(&o, argc, argv);
    if (rc != CLI_EXIT_OK)
        return rc;
    scpauth_error err;
    scpauth_error_clear(&err);
    scpauth_creds *creds = NULL;
    rc = password_creds(&o, &creds, &err);
    if (rc != SCPAUTH_OK)
        return cli_dir_fail(o.json, VERB, &err);
    o.lib.keytab = o.creds.keytab;
    o.lib.dir.domain = o.dir.domain;
    o.lib.dir.dcs = o.dir.dcs;
    o.lib.dir.n_dcs = o.dir.n_dcs;
    o.lib.dir.timeout_ms = o.dir.timeout_ms;
    o.lib.dir.ccache = o.creds.ccache;
    o.lib.dir.creds = creds;
    o.lib.auth_backend = o.creds.backend ? scpauth_auth_backend_find(o.creds.backend) : NULL;
    scpauth_doctor_report *r = malloc(sizeof(*r));
    if (r == NULL) {
        scpauth_creds_free(creds);
        fprintf(stderr, "scpauth doctor: out of memory\n");
        return CLI_EXIT_FAIL;
    }
    rc = scpauth_doctor_run(&o.lib, r, &err);
    if (rc == SCPAUTH_OK && o.json)
        print_json(r);
    else if (rc == SCPAUTH_OK)
        print_text(r, &o);
    int exit = rc != SCPAUTH_OK ? cli_dir_fail(o.json, VERB, &err)
               : r->problems   ? CLI_EXIT_FAIL
                               : CLI_EXIT_OK;
    free(r);
    scpauth_creds_free(creds);
    return exit;
}
