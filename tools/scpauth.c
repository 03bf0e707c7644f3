/* scpauth.c - the command-line tool: one verb per file, dispatched here. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "verbs.h"

static const struct {
    const char *name;
    cli_verb_fn fn;
    const char *summary;
} verbs[] = {
#define CLI_VERB_(name, fn, summary) {name, fn, summary},
    CLI_VERBS(CLI_VERB_)
#undef CLI_VERB_
};

static void usage(FILE *out)
{
    fprintf(out, "usage: scpauth VERB [options]   (scpauth VERB --help for a verb's options)\n\n"
                 "Kerberos mutual authentication for Active Directory services.\n\nverbs:\n");
    for (size_t i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++)
        fprintf(out, "  %-10s %s\n", verbs[i].name, verbs[i].summary);
    fprintf(out, "\nexit codes:\n"
                 "  0 success            1 operation failed      2 bad command line\n"
                 "  3 authentication failed (incl. not mutual, not Kerberos, bad signature)\n"
                 "  4 not found (SPN, account, SCP)     5 conflict or trust check failed\n"
                 "  6 network, DNS, timeout, KDC or DC unreachable\n");
}

int main(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? CLI_EXIT_USAGE : CLI_EXIT_OK;
    }
    if (strcmp(argv[1], "--version") == 0) {
        printf("scpauth %s (auth backend %s)\n", scpauth_version(),
               scpauth_auth_backend_name(scpauth_auth_backend_default()));
        return CLI_EXIT_OK;
    }
    for (size_t i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++)
        if (strcmp(argv[1], verbs[i].name) == 0)
            return verbs[i].fn(argc - 1, argv + 1);
    fprintf(stderr, "scpauth: unknown verb '%s'\n", argv[1]);
    usage(stderr);
    return CLI_EXIT_USAGE;
}
