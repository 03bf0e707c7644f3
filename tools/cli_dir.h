/* cli_dir.h - what the directory verbs (spn, scp) share: the options
 * --dc, --domain, --timeout and --verbose, the session they open, and its
 * description in text and JSON. */
#ifndef SCPAUTH_CLI_DIR_H
#define SCPAUTH_CLI_DIR_H

#include "cli.h"
#include "cli_creds.h"

typedef struct cli_dir_opts {
    const char *dcs[SCPAUTH_DIR_DCS_MAX];
    size_t n_dcs;
    const char *domain;
    unsigned timeout_ms; /* 0 = the library's default */
    int verbose;
    int defer_dc; /* bind a DC only when an operation needs one (locate) */
} cli_dir_opts;

/* Help text of the options above (two-space indented lines). */
const char *cli_dir_help(void);

/* If option a (with value v) is one of --dc, --domain, --timeout, stores it
 * and returns 1; 0 if it is not one; -1 after printing a usage error. */
int cli_dir_parse(cli_dir_opts *d, const char *verb, const char *a, const char *v);

typedef struct cli_dir_session {
    scpauth_creds *creds;
    scpauth_dir *dir;
    scpauth_dir_info info;
} cli_dir_session;

/* Acquires the client credentials and opens a session; with --verbose,
 * prints the DCs tried on stderr. Close with cli_dir_close even on failure. */
int cli_dir_open(const cli_dir_opts *d, const cli_creds *c, const char *verb,
                 cli_dir_session *s, scpauth_error *err);
void cli_dir_close(cli_dir_session *s);

/* The session as a "dc" member: host, port, domain, principal, attempts. */
void cli_dir_json_dc(cli_json *j, const scpauth_dir_info *i);

/* The help of a verb with subcommands: with no subcommand prints usage on
 * stderr (*code = CLI_EXIT_USAGE), with --help or -h anywhere on stdout
 * (*code = CLI_EXIT_OK), and returns 1; else returns 0. */
int cli_dir_help_asked(int argc, char **argv, void (*usage)(FILE *out), int *code);

/* Reports a failure: with json one object {"ok":false,"error":{...}} on
 * stdout, and always the message and hint on stderr. Returns the exit code. */
int cli_dir_fail(int json, const char *verb, const scpauth_error *err);

#endif
