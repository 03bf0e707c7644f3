/* example.h - what scpauth-example-service and scpauth-example-client share:
 * the product's identity, directory options, exit codes and messages. The
 * same source builds on Linux and Windows: the library hides the platform,
 * and the one platform task of the example (registering the service with
 * the system's service manager) is in example_unit_*.c, picked by meson. */
#ifndef SCPAUTH_EXAMPLE_H
#define SCPAUTH_EXAMPLE_H

#include <stdio.h>
#include <scpauth.h>

/* The product: its SPN service class, the GUID keyword its SCPs carry and
 * the default port. */
#define EXAMPLE_CLASS "scpauth-example"
#define EXAMPLE_PRODUCT_GUID "6f0a3a52-3c1d-4b8e-9d27-5e41c0a8b7f3"
#define EXAMPLE_DEFAULT_PORT 4455
#define EXAMPLE_PROFILE SCPAUTH_WIRE_SSPI_SAMPLE /* the Windows sample's framing */
#define EXAMPLE_TIMEOUT_MS 10000
#define EXAMPLE_MAX_DCS 8

/* Exit codes (as the scpauth tool's). */
enum {
    EXAMPLE_EXIT_OK = 0,
    EXAMPLE_EXIT_FAIL = 1,
    EXAMPLE_EXIT_USAGE = 2,
    EXAMPLE_EXIT_AUTH = 3,     /* authentication failed or was not mutual */
    EXAMPLE_EXIT_NOTFOUND = 4, /* SPN, SCP or account missing */
    EXAMPLE_EXIT_CONFLICT = 5, /* owned by another account, trust check failed */
    EXAMPLE_EXIT_NET = 6       /* network, KDC or DC unreachable, timeout */
};

/* Options both programs take for the directory. */
typedef struct example_dir_opts {
    const char *domain;
    const char *dcs[EXAMPLE_MAX_DCS];
    size_t n_dcs;
    const char *ccache; /* the directory identity; NULL = default */
    int defer_dc;       /* bind a DC only when needed (a locate needs only the GC) */
} example_dir_opts;

/* Takes --dc HOST, --domain D, --ccache NAME at argv[*i] (and its value).
 * 1 if taken (*i advanced), 0 if not ours, -1 on a usage error (printed). */
int example_dir_opt(example_dir_opts *o, const char *prog, int argc, char **argv, int *i);

/* Opens a directory session with o; prints what it bound to. */
int example_dir_open(const example_dir_opts *o, scpauth_dir **dir, scpauth_error *err);

/* Maps a status to the exit codes above. */
int example_exit_code(int status);

/* Prints "PROG: message" and "  hint: ..." to stderr; returns the exit code. */
int example_fail(const char *prog, const scpauth_error *err);

/* Prints "PROG: <printf>" to stderr and returns EXAMPLE_EXIT_USAGE. */
int example_usage_error(const char *prog, const char *fmt, ...) SCPAUTH_PRINTF(2, 3);

/* Parses a port 1..65535; -1 if invalid. */
long example_parse_port(const char *s);

/* Parses a decimal count 0..max; -1 if invalid. */
long long example_parse_count(const char *s, long long max);

/* 1 if a and b are the same text ignoring ASCII case (as AD compares). */
int example_same_text(const char *a, const char *b);

#endif
