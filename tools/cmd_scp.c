/* cmd_scp.c - `scpauth scp SUBCOMMAND`: publish, update, find, show and
 * remove serviceConnectionPoint objects (Microsoft's ScpCreate, ScpUpdate,
 * ScpLocate). */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "cmd_scp.h"
#include "verbs.h"

static void usage(FILE *out)
{
    fprintf(out,
        "usage: scpauth scp SUBCOMMAND [options]\n\n"
        "Service connection points (SCPs): where a service says, in the directory, on\n"
        "which host and port it listens; clients find it by keyword (its GUID).\n\n"
        "  publish --class CLASS --port N --keyword GUID [--keyword WORD]... [--host FQDN]\n"
        "          [--instance NAME | --cn NAME] [--parent DN | --account HOST$]\n"
        "          [--description TEXT] [--state-file FILE]\n"
        "        create the SCP under the host's computer object (default: the account\n"
        "        named after --host, default this host); prints its objectGUID and writes\n"
        "        it to FILE. cn is CLASS-INSTANCE (default instance: the port)\n"
        "  update  (--guid GUID | --state-file FILE) and the publish options\n"
        "        rewrite host and port of the SCP when they changed; an SCP that was\n"
        "        removed is published again and FILE gets its new GUID\n"
        "  find    --keyword K [--class CLASS] [--base DN] [--expect-account ACCOUNT]\n"
        "          [--no-trust-checks] [--spn-without-port]\n"
        "        search the global catalog; print each valid, trusted SCP (host, port,\n"
        "        class, DN, the SPN to use and its owner). Checks (default): the SCP's\n"
        "        host is the dNSHostName of the computer it sits under, exactly one\n"
        "        account owns the SPN (--expect-account: that one). Rejected SCPs are\n"
        "        listed on stderr with the reason\n"
        "  show    (--guid GUID | --state-file FILE)    the SCP's attributes\n"
        "  remove  (--guid GUID | --state-file FILE)    delete the SCP\n\n"
        "Directory options:\n"
        "%s"
        "%s\n"
        "Every subcommand takes --json: one JSON object on stdout (also on failure).\n\n"
        "exit codes: 0 ok; 1 operation failed or SCP malformed; 2 bad command line;\n"
        "3 credentials missing or expired, or the bind refused; 4 not found;\n"
        "5 trust check failed, SCP exists already, or access denied; 6 network, DNS,\n"
        "timeout or no DC reachable.\n",
        cli_dir_help(), cli_creds_help(SCPAUTH_ROLE_CLIENT));
}

static int parse_value(scp_opts *o, const char *a, const char *v)
{
    static const struct {
        const char *name;
        size_t offset;
    } strings[] = {
        {"--guid", offsetof(scp_opts, guid)},
        {"--class", offsetof(scp_opts, service_class)},
        {"--host", offsetof(scp_opts, host)},
        {"--instance", offsetof(scp_opts, instance)},
        {"--cn", offsetof(scp_opts, instance)},
        {"--parent", offsetof(scp_opts, parent)},
        {"--account", offsetof(scp_opts, account)},
        {"--description", offsetof(scp_opts, description)},
        {"--expect-account", offsetof(scp_opts, expect_account)},
        {"--base", offsetof(scp_opts, base)},
        {"--state-file", offsetof(scp_opts, state_file)},
    };
    int d = cli_dir_parse(&o->dir, o->verb, a, v);
    if (d != 0)
        return d > 0 ? CLI_EXIT_OK : CLI_EXIT_USAGE;
    for (size_t k = 0; k < sizeof(strings) / sizeof(strings[0]); k++)
        if (strcmp(a, strings[k].name) == 0) {
            *(const char **)((char *)o + strings[k].offset) = v;
            return CLI_EXIT_OK;
        }
    if (strcmp(a, "--port") == 0) {
        if ((o->port = cli_parse_port(v, 0)) < 0)
            return cli_usage_error(o->verb, "--port: 1..65535, not %s", v);
    } else if (strcmp(a, "--keyword") == 0) {
        if (o->n_keywords == SCPAUTH_SCP_KEYWORDS_MAX)
            return cli_usage_error(o->verb, "at most %d --keyword options",
                                   SCPAUTH_SCP_KEYWORDS_MAX);
        o->keywords[o->n_keywords++] = v;
    } else {
        return cli_usage_error(o->verb, "unknown option %s", a);
    }
    return CLI_EXIT_OK;
}

static int parse(scp_opts *o, int argc, char **argv)
{
    static const struct {
        const char *name;
        size_t offset;
    } flags[] = {
        {"--json", offsetof(scp_opts, json)},
        {"--no-trust-checks", offsetof(scp_opts, no_trust_checks)},
        {"--spn-without-port", offsetof(scp_opts, spn_without_port)},
        {"--verbose", offsetof(scp_opts, dir) + offsetof(cli_dir_opts, verbose)},
    };
    for (int i = 1; i < argc;) {
        const char *a = argv[i];
        int c = cli_creds_parse(&o->creds, o->verb, argc, argv, &i);
        if (c < 0)
            return CLI_EXIT_USAGE;
        if (c > 0)
            continue;
        size_t k = 0, nf = sizeof(flags) / sizeof(flags[0]);
        while (k < nf && strcmp(a, flags[k].name) != 0)
            k++;
        if (k < nf) {
            *(int *)((char *)o + flags[k].offset) = 1;
            i++;
            continue;
        }
        if (a[0] != '-' || i + 1 >= argc)
            return cli_usage_error(o->verb, "unexpected argument or missing value: %s", a);
        int rc = parse_value(o, a, argv[i + 1]);
        if (rc != CLI_EXIT_OK)
            return rc;
        i += 2;
    }
    return CLI_EXIT_OK;
}

int cli_scp_fail(const scp_opts *o, const scpauth_error *err)
{
    return cli_dir_fail(o->json, o->verb, err);
}

static const struct {
    const char *name;
    int (*fn)(const scp_opts *o);
} subcommands[] = {
    {"publish", cli_scp_publish}, {"update", cli_scp_update}, {"find", cli_scp_find},
    {"show", cli_scp_show},       {"remove", cli_scp_remove},
};

int cli_cmd_scp(int argc, char **argv)
{
    int code;
    if (cli_dir_help_asked(argc, argv, usage, &code))
        return code;
    for (size_t k = 0; k < sizeof(subcommands) / sizeof(subcommands[0]); k++) {
        if (strcmp(argv[1], subcommands[k].name) != 0)
            continue;
        static char verb[32];
        snprintf(verb, sizeof(verb), "scp %s", subcommands[k].name);
        scp_opts o;
        memset(&o, 0, sizeof(o));
        o.verb = verb;
        int rc = parse(&o, argc - 1, argv + 1);
        return rc != CLI_EXIT_OK ? rc : subcommands[k].fn(&o);
    }
    return cli_usage_error("scp", "unknown subcommand '%s'", argv[1]);
}
