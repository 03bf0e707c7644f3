/* cli_creds.h - the credential options verbs share (--keytab, --principal,
 * --ccache, --user, --password, --password-file) turned into
 * scpauth_creds_options. A password never comes from the command line: from
 * a file (first line) or the SCPAUTH_PASSWORD environment variable; it is
 * never echoed and is wiped as soon as the credentials are acquired. */
#ifndef SCPAUTH_CLI_CREDS_H
#define SCPAUTH_CLI_CREDS_H

#include "cli.h"

#define CLI_PASSWORD_MAX 1024

typedef struct cli_creds {
    const char *keytab;        /* service */
    const char *principal;     /* service: restrict to this SPN; client: the user */
    const char *ccache;        /* client */
    const char *password_file; /* client: "-" = stdin */
    int password_env;          /* client: --password, from SCPAUTH_PASSWORD */
    const char *backend;       /* hidden --backend NAME ("gssapi"/"sspi") */
} cli_creds;

/* Help text for the options of one role (two-space indented lines). */
const char *cli_creds_help(scpauth_role role);

/* If argv[*i] is a credential option, consumes it and its value (advancing
 * *i past them) and returns 1; returns 0 if it is not one, or -1 after
 * printing a usage error (missing value). */
int cli_creds_parse(cli_creds *c, const char *verb, int argc, char **argv, int *i);

/* Checks the options fit role, loads the password if any, acquires the
 * credentials and wipes the password. Errors: EINVAL for a wrong
 * combination, plus those of scpauth_creds_acquire(). */
int cli_creds_acquire(const cli_creds *c, scpauth_role role, scpauth_creds **out,
                      scpauth_error *err);

/* "keytab FILE:/x", "ccache C", "password of alice", "the default ccache",
 * ... for messages. */
const char *cli_creds_describe(const cli_creds *c, scpauth_role role, char *buf, size_t size);

#endif
