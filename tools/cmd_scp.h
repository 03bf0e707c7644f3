/* cmd_scp.h - `scpauth scp`: what its subcommands share. */
#ifndef SCPAUTH_CMD_SCP_H
#define SCPAUTH_CMD_SCP_H

#include "cli.h"
#include "cli_creds.h"
#include "cli_dir.h"

typedef struct scp_opts {
    const char *verb; /* "scp publish", ... for messages */
    int json;
    cli_dir_opts dir;
    cli_creds creds;
    const char *guid;                /* --guid: the SCP's objectGUID */
    const char *keywords[SCPAUTH_SCP_KEYWORDS_MAX]; /* --keyword; [0]: the service GUID */
    size_t n_keywords;
    const char *service_class, *host, *instance, *parent, *account, *description;
    long port;                       /* 0 = not given */
    const char *expect_account, *base, *state_file;
    int no_trust_checks, spn_without_port;
} scp_opts;

int cli_scp_publish(const scp_opts *o);
int cli_scp_update(const scp_opts *o);
int cli_scp_find(const scp_opts *o);
int cli_scp_show(const scp_opts *o);
int cli_scp_remove(const scp_opts *o);

/* With --json one object {"ok":false,"error":{...}} on stdout; always the
 * message on stderr. Returns the exit code. */
int cli_scp_fail(const scp_opts *o, const scpauth_error *err);

#endif
