/* cmd_spn.h - `scpauth spn`: what its subcommands share (options, output). */
#ifndef SCPAUTH_CMD_SPN_H
#define SCPAUTH_CMD_SPN_H

#include "cli.h"
#include "cli_creds.h"
#include "cli_dir.h"

#define SPN_MAX_INSTANCES 64

typedef struct spn_opts {
    const char *verb;              /* "spn add", ... for messages */
    int json;
    /* online */
    const char *account;
    cli_dir_opts dir;              /* --dc, --domain, --timeout, --verbose */
    cli_creds creds;
    /* offline (make / get) */
    const char *instance, *referrer, *type, *service_name;
    long port;                     /* 0 = none */
    const char *instances[SPN_MAX_INSTANCES];       /* point into instance_names */
    char instance_names[SPN_MAX_INSTANCES][SCPAUTH_HOST_NAME_MAX];
    unsigned short instance_ports[SPN_MAX_INSTANCES];
    int instances_have_ports;
    size_t n_instances;
    /* positional arguments after the subcommand */
    const char *pos[SCPAUTH_DIR_SPNS_MAX + 1];
    size_t n_pos;
} spn_opts;

/* Subcommands; each returns an exit code. */
int cli_spn_make(const spn_opts *o);
int cli_spn_crack(const spn_opts *o);
int cli_spn_get(const spn_opts *o);
int cli_spn_write(const spn_opts *o, scpauth_dir_spn_op op);
int cli_spn_list(const spn_opts *o);
int cli_spn_query(const spn_opts *o);
int cli_spn_check(const spn_opts *o);

/* Reports a failure: with --json one object {"ok":false,"error":{...}} on
 * stdout, and always the message and hint on stderr. Returns the exit code. */
int cli_spn_fail(const spn_opts *o, const scpauth_error *err);

#endif
