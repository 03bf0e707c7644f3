/* verbs.h - the verbs of `scpauth`: XX(name, function, one-line summary).
 * A new verb is one line here plus its cmd_<verb>.c file. */
#ifndef SCPAUTH_VERBS_H
#define SCPAUTH_VERBS_H

#include "cli.h"

#define CLI_VERBS(XX)                                                           \
    XX("version", cli_cmd_version, "print the version and the backends built in")

int cli_cmd_version(int argc, char **argv);

#endif
