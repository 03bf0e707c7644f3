/* example_os_posix.c - the example service's platform tasks on Linux/Unix:
 * directories, its own path, and a systemd unit written from a template. */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "example_os.h"

#define UNIT_MAX 16384 /* bytes of a unit file, template included */

int example_os_unit_needs_dir(void)
{
    return 1;
}

int example_os_mkdir(const char *path, scpauth_error *err)
{
    if (mkdir(path, 0750) == 0 || errno == EEXIST)
        return SCPAUTH_OK;
    return example_error(err, SCPAUTH_EIO, "cannot create directory %s: %s", path,
                         strerror(errno));
}

int example_os_self(const char *argv0, char *buf, size_t size, scpauth_error *err)
{
    char path[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", path, sizeof(path) - 1);
    if (n > 0)
        path[n] = '\0';
    else if (realpath(argv0, path) == NULL)
        return example_error(err, SCPAUTH_EIO, "cannot find the path of %s: %s", argv0,
                             strerror(errno));
    if ((size_t)snprintf(buf, size, "%s", path) >= size)
        return example_error(err, SCPAUTH_ENOBUFS, "program path too long: %s", path);
    return SCPAUTH_OK;
}

/* Appends text to out (cap bytes) at *len; 0 when it does not fit. */
static int put(char *out, size_t cap, size_t *len, const char *text, size_t n)
{
    if (*len + n + 1 > cap)
        return 0;
    memcpy(out + *len, text, n);
    *len += n;
    out[*len] = '\0';
    return 1;
}

/* A value in a unit's command line: systemd expands '$', so "$$". */
static int put_value(char *out, size_t cap, size_t *len, const char *v)
{
    for (; *v; v++)
        if (!put(out, cap, len, v, 1) || (*v == '$' && !put(out, cap, len, v, 1)))
            return 0;
    return 1;
}

/* The template with @DESCRIPTION@, @PROGRAM@ and @ARGS@ replaced. */
static int render(const example_unit *u, const char *tpl, char *out, size_t cap)
{
    static const char *const keys[] = {"@DESCRIPTION@", "@PROGRAM@", "@ARGS@"};
    const char *vals[] = {u->description, u->program, u->args};
    size_t len = 0;
    out[0] = '\0';
    for (const char *p = tpl; *p;) {
        size_t k = 0;
        while (k < 3 && strncmp(p, keys[k], strlen(keys[k])) != 0)
            k++;
        int ok = k < 3 ? put_value(out, cap, &len, vals[k]) : put(out, cap, &len, p, 1);
        if (!ok)
            return 0;
        p += k < 3 ? strlen(keys[k]) : 1;
    }
    return 1;
}

/* Reads at most cap-1 bytes of path into buf; -1 if it cannot be read. */
static long read_file(const char *path, char *buf, size_t cap)
{
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return -1;
    size_t n = fread(buf, 1, cap - 1, f);
    int bad = ferror(f) || !feof(f);
    fclose(f);
    buf[n] = '\0';
    return bad ? -1 : (long)n;
}

int example_os_service_install(const example_unit *u, char *where, size_t size, int *changed,
                               scpauth_error *err)
{
    static char tpl[UNIT_MAX], unit[UNIT_MAX], old[UNIT_MAX];
    *changed = 0;
    if (u->unit_dir == NULL || u->template_path == NULL)
        return example_error(err, SCPAUTH_EINVAL, "no unit directory or unit template given");
    if (read_file(u->template_path, tpl, sizeof(tpl)) < 0)
        return example_error(err, SCPAUTH_EIO, "cannot read the unit template %s",
                             u->template_path);
    if (!render(u, tpl, unit, sizeof(unit)))
        return example_error(err, SCPAUTH_EINVAL, "unit file from %s over %d bytes",
                             u->template_path, UNIT_MAX);
    if ((size_t)snprintf(where, size, "%s/%s.service", u->unit_dir, u->name) >= size)
        return example_error(err, SCPAUTH_ENOBUFS, "unit path too long in %s", u->unit_dir);
    if (read_file(where, old, sizeof(old)) >= 0 && strcmp(old, unit) == 0)
        return SCPAUTH_OK; /* already there, identical */
    char tmp[PATH_MAX];
    snprintf(tmp, sizeof(tmp), "%s.tmp", where);
    FILE *f = fopen(tmp, "w");
    int ok = f != NULL && fputs(unit, f) >= 0;
    if (f != NULL && fclose(f) != 0)
        ok = 0;
    if (!ok || rename(tmp, where) != 0) { /* all or nothing */
        int e = errno;
        remove(tmp);
        return example_error(err, SCPAUTH_EIO, "cannot write unit file %s: %s", where,
                             strerror(e));
    }
    *changed = 1;
    return SCPAUTH_OK;
}

int example_os_service_remove(const char *where, scpauth_error *err)
{
    if (remove(where) == 0 || errno == ENOENT)
        return SCPAUTH_OK;
    return example_error(err, SCPAUTH_EIO, "cannot remove unit file %s: %s", where,
                         strerror(errno));
}

static void (*stop_fn)(void *);
static void *stop_arg;

static void on_signal(int sig)
{
    (void)sig;
    stop_fn(stop_arg);
}

int example_os_run_service(const char *name, int (*body)(void *), void (*stop)(void *),
                           void *arg)
{
    (void)name; /* systemd knows the unit by its file */
    stop_fn = stop;
    stop_arg = arg;
    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);
    int rc = body(arg);
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    return rc;
}
