/* cli_common.c - exit codes, error printing and parsing shared by verbs. */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

int cli_exit_code(int status)
{
    switch (status) {
    case SCPAUTH_OK:
        return CLI_EXIT_OK;
    case SCPAUTH_EINVAL:
    case SCPAUTH_ESPNSYNTAX:
        return CLI_EXIT_USAGE;
    case SCPAUTH_EAUTH: case SCPAUTH_ENOMUTUAL: case SCPAUTH_EMECH: case SCPAUTH_EFLAGS:
    case SCPAUTH_ENOCREDS: case SCPAUTH_ECREDEXPIRED: case SCPAUTH_EBADPASSWORD:
    case SCPAUTH_EKEYTAB: case SCPAUTH_EKVNO: case SCPAUTH_ESKEW: case SCPAUTH_EBADSIG:
    case SCPAUTH_EREPLAY: case SCPAUTH_ESEQUENCE: case SCPAUTH_ENOTSEALED:
    case SCPAUTH_EDIRAUTH: case SCPAUTH_ECTXEXPIRED:
        return CLI_EXIT_AUTH;
    case SCPAUTH_ENOSPN: case SCPAUTH_ENOTFOUND:
        return CLI_EXIT_NOTFOUND;
    case SCPAUTH_ECONFLICT: case SCPAUTH_ESCPUNTRUSTED: case SCPAUTH_EDIRACCESS:
        return CLI_EXIT_CONFLICT;
    case SCPAUTH_EKDC: case SCPAUTH_ETIMEDOUT: case SCPAUTH_ECONNREFUSED: case SCPAUTH_ERESOLVE:
    case SCPAUTH_EIO: case SCPAUTH_EOF: case SCPAUTH_ETRUNCATED: case SCPAUTH_ENODC:
    case SCPAUTH_EDNS:
        return CLI_EXIT_NET;
    default:
        return CLI_EXIT_FAIL;
    }
}

int cli_fail(const char *verb, const scpauth_error *err)
{
    fprintf(stderr, "scpauth %s: %s\n", verb,
            err->message[0] ? err->message : scpauth_strerror(err->code));
    if (err->hint[0])
        fprintf(stderr, "  hint: %s\n", err->hint);
    fprintf(stderr, "  (%s)\n", scpauth_err_name(err->code));
    return cli_exit_code(err->code);
}

int cli_usage_error(const char *verb, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "scpauth %s: ", verb);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\n  try: scpauth %s --help\n", verb);
    return CLI_EXIT_USAGE;
}

long cli_parse_port(const char *s, int allow_zero)
{
    long long v = cli_parse_count(s, 65535);
    if (v < 0 || (v == 0 && !allow_zero))
        return -1;
    return (long)v;
}

long long cli_parse_count(const char *s, long long max)
{
    if (s == NULL || *s < '0' || *s > '9')
        return -1;
    errno = 0;
    char *end;
    long long v = strtoll(s, &end, 10);
    if (errno != 0 || *end != '\0' || v > max)
        return -1;
    return v;
}
