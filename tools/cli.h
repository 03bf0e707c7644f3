/* cli.h - what every `scpauth` verb shares: exit codes, error printing,
 * a small JSON writer and credential options. */
#ifndef SCPAUTH_CLI_H
#define SCPAUTH_CLI_H

#include <stdio.h>
#include <scpauth.h>

/* Exit codes (documented in `scpauth --help` and the man page). */
enum {
    CLI_EXIT_OK = 0,
    CLI_EXIT_FAIL = 1,     /* the operation failed (see the message) */
    CLI_EXIT_USAGE = 2,    /* bad command line */
    CLI_EXIT_AUTH = 3,     /* authentication failed or was not mutual/Kerberos */
    CLI_EXIT_NOTFOUND = 4, /* SPN, account, SCP or object not found */
    CLI_EXIT_CONFLICT = 5, /* already owned by another account / trust check failed */
    CLI_EXIT_NET = 6       /* network, DNS, timeout, KDC or DC unreachable */
};

/* A verb: argv[0] is the verb's name. Returns an exit code. */
typedef int (*cli_verb_fn)(int argc, char **argv);

/* Maps a scpauth status to one of the exit codes above. */
int cli_exit_code(int status);

/* Prints "scpauth VERB: message" and "  hint: ..." to stderr; returns the
 * exit code for err->code. */
int cli_fail(const char *verb, const scpauth_error *err);

/* Prints "scpauth VERB: <printf>" and returns CLI_EXIT_USAGE. */
int cli_usage_error(const char *verb, const char *fmt, ...) SCPAUTH_PRINTF(2, 3);

/* Parses a decimal port 1..65535 (or 0 when allow_zero); -1 if invalid. */
long cli_parse_port(const char *s, int allow_zero);

/* Parses a non-negative decimal number; -1 if invalid or > max. */
long long cli_parse_count(const char *s, long long max);

/* Monotonic milliseconds, for the times verbs print. */
double cli_now_ms(void);

/* ---- JSON output: one object per line, keys in call order ---- */
typedef struct cli_json {
    FILE *out;
    int depth;
    int first[16]; /* first member at each depth */
} cli_json;

void cli_json_begin(cli_json *j, FILE *out);           /* "{" */
void cli_json_end(cli_json *j);                        /* "}\n" */
void cli_json_str(cli_json *j, const char *key, const char *value); /* NULL -> null */
void cli_json_int(cli_json *j, const char *key, long long value);
void cli_json_num(cli_json *j, const char *key, double value);
void cli_json_bool(cli_json *j, const char *key, int value);
void cli_json_obj_begin(cli_json *j, const char *key); /* key NULL inside arrays */
void cli_json_obj_end(cli_json *j);
void cli_json_arr_begin(cli_json *j, const char *key);
void cli_json_arr_end(cli_json *j);
/* The error record as an object under key "error". */
void cli_json_error(cli_json *j, const scpauth_error *err);

#endif
