/* verbs.h - the verbs of `scpauth`: XX(name, function, one-line summary).
 * A new verb is one line here plus its cmd_<verb>.c file. */
#ifndef SCPAUTH_VERBS_H
#define SCPAUTH_VERBS_H

#include "cli.h"

#define CLI_VERBS(XX)                                                           \
    XX("version", cli_cmd_version, "print the version and the backends built in")             \
    XX("listen", cli_cmd_listen, "run a test Kerberos service (like openssl s_server)")       \
    XX("connect", cli_cmd_connect, "authenticate to a service by SPN (like openssl s_client)") \
    XX("spn", cli_cmd_spn, "compose, crack and register SPNs (like setspn)")                 \
    XX("scp", cli_cmd_scp, "publish, update, find and remove service connection points") \
    XX("doctor", cli_cmd_doctor, "check DC, clock, SPN, enctypes, keytab, ticket before a handshake")

int cli_cmd_version(int argc, char **argv);
int cli_cmd_listen(int argc, char **argv);
int cli_cmd_connect(int argc, char **argv);
int cli_cmd_spn(int argc, char **argv);
int cli_cmd_scp(int argc, char **argv);
int cli_cmd_doctor(int argc, char **argv);

#endif
