/* example_common.c - directory options, exit codes and messages shared by
 * the example service and client. */
#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "example.h"
#include "example_os.h"

int example_dir_opt(example_dir_opts *o, const char *prog, int argc, char **argv, int *i)
{
    const char *a = argv[*i];
    if (strcmp(a, "--dc") != 0 && strcmp(a, "--domain") != 0 && strcmp(a, "--ccache") != 0)
        return 0;
    if (*i + 1 >= argc) {
        (void)example_usage_error(prog, "%s needs a value", a);
        return -1;
    }
    const char *v = argv[*i + 1];
    *i += 2;
    if (strcmp(a, "--domain") == 0) {
        o->domain = v;
    } else if (strcmp(a, "--ccache") == 0) {
        o->ccache = v;
    } else if (o->n_dcs == EXAMPLE_MAX_DCS) {
        (void)example_usage_error(prog, "at most %d --dc options", EXAMPLE_MAX_DCS);
        return -1;
    } else {
        o->dcs[o->n_dcs++] = v;
    }
    return 1;
}

int example_dir_open(const example_dir_opts *o, scpauth_dir **dir, scpauth_error *err)
{
    scpauth_dir_options d;
    memset(&d, 0, sizeof(d));
    d.domain = o->domain;
    d.dcs = o->n_dcs ? o->dcs : NULL;
    d.n_dcs = o->n_dcs;
    d.ccache = o->ccache;
    d.timeout_ms = EXAMPLE_TIMEOUT_MS;
    d.defer_dc = o->defer_dc;
    double t0 = scpauth_clock_ms();
    int rc = scpauth_dir_open(&d, dir, err);
    if (rc != SCPAUTH_OK)
        return rc;
    static scpauth_dir_info info; /* large; read once per run */
    if (scpauth_dir_info_get(*dir, &info, err) != SCPAUTH_OK)
        return SCPAUTH_OK; /* only the report is missing */
    if (info.dc[0] != '\0')
        printf("directory: %s bound to %s (domain %s, security layer %u bits) in %.1f ms\n",
               info.principal, info.dc, info.domain, info.ssf, scpauth_clock_ms() - t0);
    else
        printf("directory: %s, domain %s: the global catalog is bound when first searched\n",
               info.principal, info.domain);
    return SCPAUTH_OK;
}

int example_exit_code(int status)
{
    switch (status) {
    case SCPAUTH_OK: return EXAMPLE_EXIT_OK;
    case SCPAUTH_EAUTH: case SCPAUTH_ENOMUTUAL: case SCPAUTH_EMECH: case SCPAUTH_EFLAGS:
    case SCPAUTH_ENOCREDS: case SCPAUTH_ECREDEXPIRED: case SCPAUTH_EBADPASSWORD:
    case SCPAUTH_EKEYTAB: case SCPAUTH_EKVNO: case SCPAUTH_ESKEW: case SCPAUTH_EBADSIG:
    case SCPAUTH_EREPLAY: case SCPAUTH_ESEQUENCE: case SCPAUTH_ENOTSEALED:
    case SCPAUTH_EDIRAUTH:
        return EXAMPLE_EXIT_AUTH;
    case SCPAUTH_ENOSPN: case SCPAUTH_ENOTFOUND:
        return EXAMPLE_EXIT_NOTFOUND;
    case SCPAUTH_ECONFLICT: case SCPAUTH_ESCPUNTRUSTED: case SCPAUTH_ESCPINVALID:
    case SCPAUTH_EDIRACCESS:
        return EXAMPLE_EXIT_CONFLICT;
    case SCPAUTH_EKDC: case SCPAUTH_ETIMEDOUT: case SCPAUTH_ECONNREFUSED: case SCPAUTH_ERESOLVE:
    case SCPAUTH_EIO: case SCPAUTH_ENODC: case SCPAUTH_EDNS: case SCPAUTH_EOF:
        return EXAMPLE_EXIT_NET;
    default:
        return EXAMPLE_EXIT_FAIL;
    }
}

int example_fail(const char *prog, const scpauth_error *err)
{
    fflush(stdout);
    fprintf(stderr, "%s: %s\n", prog, err->message[0] ? err->message : scpauth_strerror(err->code));
    if (err->hint[0])
        fprintf(stderr, "  hint: %s\n", err->hint);
    return example_exit_code(err->code);
}

int example_usage_error(const char *prog, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "%s: ", prog);
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, " (see --help)\n");
    va_end(ap);
    return EXAMPLE_EXIT_USAGE;
}

long long example_parse_count(const char *s, long long max)
{
    char *end = NULL;
    if (s == NULL || *s < '0' || *s > '9')
        return -1;
    long long v = strtoll(s, &end, 10);
    return (*end != '\0' || v < 0 || v > max) ? -1 : v;
}

long example_parse_port(const char *s)
{
    long long v = example_parse_count(s, 65535);
    return v < 1 ? -1 : (long)v;
}

int example_error(scpauth_error *err, int code, const char *fmt, ...)
{
    if (err == NULL)
        return code;
    scpauth_error_clear(err);
    err->code = (scpauth_status)code;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof(err->message), fmt, ap);
    va_end(ap);
    return code;
}

const char *example_control_char(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || *s == 0x7f)
            return s;
    return NULL;
}

int example_same_text(const char *a, const char *b)
{
    for (; *a && *b; a++, b++)
        if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
            return 0;
    return *a == *b;
}
