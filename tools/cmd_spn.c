/* cmd_spn.c - `scpauth spn SUBCOMMAND`: SPN text offline (make, crack,
 * get) and SPN administration in the directory (add, replace, delete,
 * list, query, check), shaped like Windows' setspn. */
#include <stdio.h>
#include <string.h>

#include "cmd_spn.h"
#include "verbs.h"

static void usage(FILE *out)
{
    fprintf(out,
        "usage: scpauth spn SUBCOMMAND [options]\n\n"
        "Service principal names, like Windows' setspn.\n\n"
        "Offline (SPN text with DsMakeSpn / DsCrackSpn / DsGetSpn semantics):\n"
        "  make CLASS SERVICE-NAME [--instance NAME] [--port N] [--referrer NAME]\n"
        "        compose one SPN and print it alone on a line: CLASS/SERVICE-NAME[:N],\n"
        "        or CLASS/NAME[:N]/SERVICE-NAME with --instance; --referrer replaces an\n"
        "        IPv4 SERVICE-NAME in the last part\n"
        "  crack SPN\n"
        "        the parts of an SPN: class, host, port, instance name, service name, realm\n"
        "  get --type TYPE CLASS [--service-name NAME] [--port N] [--instance NAME[:PORT]]...\n"
        "        the SPNs a service registers (DsGetSpn). TYPE: dns-host, dn-host, nb-host\n"
        "        (no service name), domain, nb-domain, service (--service-name required);\n"
        "        default instance: this host (its NetBIOS name for nb-* types)\n\n"
        "Directory (Kerberos bind with sign+seal, never to an unauthenticated DC):\n"
        "  add     --account ACCOUNT SPN...  register SPNs; refused before writing, naming\n"
        "                                    the owner, when another account holds one\n"
        "                                    (like setspn -S)\n"
        "  replace --account ACCOUNT [SPN...] the account's SPNs become exactly these\n"
        "  delete  --account ACCOUNT SPN...  unregister SPNs\n"
        "  list    ACCOUNT                   the SPNs of an account (like setspn -L)\n"
        "  query   SPN                       the accounts holding SPN, forest-wide through\n"
        "                                    the global catalog (like setspn -Q)\n"
        "  check   --account ACCOUNT SPN...  exit 0 when every SPN is on the account; else\n"
        "                                    exit 4 naming the missing ones and the command\n"
        "                                    that registers them\n\n"
        "ACCOUNT: a sAMAccountName (svc-app, or HOST$ for a computer), DOMAIN\\name,\n"
        "user@domain, a DN (CN=...,DC=...), or self (the account of the credentials).\n"
        "A computer may add to itself only CLASS/its-own-host[:port] (validated write);\n"
        "other SPNs need an administrator.\n\n"
        "Directory options:\n"
        "%s"
        "%s\n"
        "Every subcommand takes --json: one JSON object on stdout (also on failure,\n"
        "with an \"error\" member).\n\n"
        "exit codes: 0 ok; 1 operation failed; 2 bad command line or malformed SPN;\n"
        "3 credentials missing or expired, or the bind refused; 4 not found (account,\n"
        "or check: SPNs missing); 5 conflict (an SPN another account holds) or access\n"
        "denied (validated write); 6 network, DNS, timeout or no DC reachable.\n",
        cli_dir_help(), cli_creds_help(SCPAUTH_ROLE_CLIENT));
}

static int add_instance(spn_opts *o, const char *v)
{
    if (o->n_instances == SPN_MAX_INSTANCES)
        return cli_usage_error(o->verb, "at most %d --instance options", SPN_MAX_INSTANCES);
    /* make takes one instance name; get takes NAME[:PORT], repeatable */
    o->instance = v;
    size_t k = o->n_instances, n = strlen(v);
    const char *colon = strrchr(v, ':');
    o->instance_ports[k] = 0;
    if (colon != NULL && strcmp(o->verb, "spn get") == 0) {
        long p = cli_parse_port(colon + 1, 0);
        if (p < 0)
            return cli_usage_error(o->verb, "--instance %s: port must be 1..65535", v);
        o->instance_ports[k] = (unsigned short)p;
        o->instances_have_ports = 1;
        n = (size_t)(colon - v);
    }
    if (n >= sizeof(o->instance_names[k]))
        return cli_usage_error(o->verb, "--instance %s: name too long", v);
    memcpy(o->instance_names[k], v, n);
    o->instance_names[k][n] = '\0';
    o->instances[k] = o->instance_names[k];
    o->n_instances++;
    return CLI_EXIT_OK;
}

static int parse_value(spn_opts *o, const char *a, const char *v)
{
    int d = cli_dir_parse(&o->dir, o->verb, a, v);
    if (d != 0)
        return d > 0 ? CLI_EXIT_OK : CLI_EXIT_USAGE;
    if (strcmp(a, "--account") == 0) {
        o->account = v;
    } else if (strcmp(a, "--port") == 0) {
        if ((o->port = cli_parse_port(v, 0)) < 0)
            return cli_usage_error(o->verb, "--port: 1..65535, not %s", v);
    } else if (strcmp(a, "--instance") == 0) {
        return add_instance(o, v);
    } else if (strcmp(a, "--referrer") == 0) {
        o->referrer = v;
    } else if (strcmp(a, "--type") == 0) {
        o->type = v;
    } else if (strcmp(a, "--service-name") == 0) {
        o->service_name = v;
    } else {
        return cli_usage_error(o->verb, "unknown option %s", a);
    }
    return CLI_EXIT_OK;
}

/* Parses argv (argv[0] is the subcommand); returns CLI_EXIT_OK, or an exit
 * code after printing a usage error. */
static int parse(spn_opts *o, int argc, char **argv)
{
    int only_pos = 0;
    for (int i = 1; i < argc;) {
        const char *a = argv[i];
        if (!only_pos && strcmp(a, "--") == 0) {
            only_pos = 1;
            i++;
            continue;
        }
        if (only_pos || a[0] != '-' || a[1] == '\0') {
            if (o->n_pos == sizeof(o->pos) / sizeof(o->pos[0]))
                return cli_usage_error(o->verb, "too many arguments (at most %d SPNs)",
                                       SCPAUTH_DIR_SPNS_MAX);
            o->pos[o->n_pos++] = a;
            i++;
            continue;
        }
        int c = cli_creds_parse(&o->creds, o->verb, argc, argv, &i);
        if (c < 0)
            return CLI_EXIT_USAGE;
        if (c > 0)
            continue;
        if (strcmp(a, "--json") == 0 || strcmp(a, "--verbose") == 0) {
            *(a[2] == 'j' ? &o->json : &o->dir.verbose) = 1;
            i++;
            continue;
        }
        if (i + 1 >= argc)
            return cli_usage_error(o->verb, "unknown option or missing value: %s", a);
        int rc = parse_value(o, a, argv[i + 1]);
        if (rc != CLI_EXIT_OK)
            return rc;
        i += 2;
    }
    return CLI_EXIT_OK;
}

int cli_spn_fail(const spn_opts *o, const scpauth_error *err)
{
    return cli_dir_fail(o->json, o->verb, err);
}

static const struct {
    const char *name;
    int op; /* -1: not a write */
    int (*fn)(const spn_opts *o);
} subcommands[] = {
    {"make", -1, cli_spn_make},   {"crack", -1, cli_spn_crack},
    {"get", -1, cli_spn_get},     {"list", -1, cli_spn_list},
    {"query", -1, cli_spn_query}, {"check", -1, cli_spn_check},
    {"add", SCPAUTH_DIR_SPN_ADD, NULL},
    {"replace", SCPAUTH_DIR_SPN_REPLACE, NULL},
    {"delete", SCPAUTH_DIR_SPN_DELETE, NULL},
};

int cli_cmd_spn(int argc, char **argv)
{
    int code;
    if (cli_dir_help_asked(argc, argv, usage, &code))
        return code;
    for (size_t k = 0; k < sizeof(subcommands) / sizeof(subcommands[0]); k++) {
        if (strcmp(argv[1], subcommands[k].name) != 0)
            continue;
        static char verb[32];
        snprintf(verb, sizeof(verb), "spn %s", subcommands[k].name);
        spn_opts o;
        memset(&o, 0, sizeof(o));
        o.verb = verb;
        int rc = parse(&o, argc - 1, argv + 1);
        if (rc != CLI_EXIT_OK)
            return rc;
        return subcommands[k].op >= 0 ? cli_spn_write(&o, (scpauth_dir_spn_op)subcommands[k].op)
                                      : subcommands[k].fn(&o);
    }
    return cli_usage_error("spn", "unknown subcommand '%s'", argv[1]);
}
