/* cmd_version.c - `scpauth version [--json]`. */
#include <string.h>

#include "cli.h"
#include "verbs.h"

int cli_cmd_version(int argc, char **argv)
{
    int json = argc > 1 && strcmp(argv[1], "--json") == 0;
    const char *backend = scpauth_auth_backend_name(scpauth_auth_backend_default());
    if (json) {
        cli_json j;
        cli_json_begin(&j, stdout);
        cli_json_str(&j, "version", scpauth_version());
        cli_json_str(&j, "auth_backend", backend);
        cli_json_end(&j);
    } else {
        printf("scpauth %s\nauth backend: %s\n", scpauth_version(), backend);
    }
    return CLI_EXIT_OK;
}
