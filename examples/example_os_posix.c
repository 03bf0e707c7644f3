/* example_os_posix.c - the example service's platform tasks on Linux/Unix:
 * directories, its own path, and a systemd unit written from a template. */
#include <errno.h>
#include <fcntl.h>
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
    if (mkdir(path, 0755) == 0 || errno == EEXIST)
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

/* Refuses a control character (a newline would end the unit's line and
 * start another directive) in the value of what. */
static int check_text(const char *what, const char *v, scpauth_error *err)
{
    const char *p = example_control_char(v);
    if (p != NULL)
        return example_error(err, SCPAUTH_EINVAL,
                             "unit: %s holds a control character (0x%02x): %.200s", what,
                             (unsigned)(unsigned char)*p, v);
    return SCPAUTH_OK;
}

/* Appends v with each of the characters in special preceded by esc[i]
 * (same index), e.g. '%' -> "%%"; 0 when it does not fit. */
static int put_escaped(char *out, size_t cap, size_t *len, const char *v, const char *special,
                       const char *esc)
{
    for (; *v; v++) {
        const char *s = strchr(special, *v);
        if ((s != NULL && !put(out, cap, len, esc + (s - special), 1)) ||
            !put(out, cap, len, v, 1))
            return 0;
    }
    return 1;
}

/* One ExecStart= word (systemd.syntax "Quoting", systemd.service "Command
 * lines"): in double quotes, with '\' and '"' backslash-escaped, '%' as
 * "%%" (specifiers are expanded inside quotes too), '$' as "$$" (so are
 * variables). */
static int put_word(char *out, size_t cap, size_t *len, const char *v)
{
    return put(out, cap, len, "\"", 1) && put_escaped(out, cap, len, v, "\\\"%$", "\\\\%$") &&
           put(out, cap, len, "\"", 1);
}

/* The program: quoted as a word; '$' and '%' refused, since systemd does not
 * expand variables in it (so "$$" would stay) and older versions no
 * specifiers either. */
static int check_program(const char *program, scpauth_error *err)
{
    int rc = check_text("the program path", program, err);
    if (rc == SCPAUTH_OK && strpbrk(program, "$%") != NULL)
        rc = example_error(err, SCPAUTH_EINVAL,
                           "unit: the program path %.200s holds '$' or '%%', which systemd "
                           "would not take literally; install the program under a plain path",
                           program);
    return rc;
}

static int check_values(const example_unit *u, scpauth_error *err)
{
    int rc = check_text("the description", u->description, err);
    if (rc == SCPAUTH_OK)
        rc = check_program(u->program, err);
    for (size_t i = 0; rc == SCPAUTH_OK && i < u->argc; i++) {
        char what[48];
        snprintf(what, sizeof(what), "argument %zu of run", i + 1);
        rc = check_text(what, u->argv[i], err);
    }
    return rc;
}

/* Appends what the placeholder k stands for. */
static int put_value(const example_unit *u, size_t k, char *out, size_t cap, size_t *len)
{
    if (k == 0) /* Description=: a plain value, specifiers expanded */
        return put_escaped(out, cap, len, u->description, "%", "%");
    if (k == 1)
        return put_word(out, cap, len, u->program);
    for (size_t i = 0; i < u->argc; i++)
        if ((i > 0 && !put(out, cap, len, " ", 1)) || !put_word(out, cap, len, u->argv[i]))
            return 0;
    return 1;
}

/* The template with @DESCRIPTION@, @PROGRAM@ and @ARGS@ replaced. */
static int render(const example_unit *u, const char *tpl, char *out, size_t cap)
{
    static const char *const keys[] = {"@DESCRIPTION@", "@PROGRAM@", "@ARGS@"};
    size_t len = 0;
    out[0] = '\0';
    for (const char *p = tpl; *p;) {
        size_t k = 0;
        while (k < 3 && strncmp(p, keys[k], strlen(keys[k])) != 0)
            k++;
        int ok = k < 3 ? put_value(u, k, out, cap, &len) : put(out, cap, &len, p, 1);
        if (!ok)
            return 0;
        p += k < 3 ? strlen(keys[k]) : 1;
    }
    return 1;
}

/* Reads at most cap-1 bytes of path into buf; -1 if it cannot be read.
 * nofollow: a symbolic link counts as unreadable. */
static long read_file(const char *path, int nofollow, char *buf, size_t cap)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | (nofollow ? O_NOFOLLOW : 0));
    FILE *f = fd < 0 ? NULL : fdopen(fd, "r");
    if (f == NULL) {
        if (fd >= 0)
            close(fd);
        return -1;
    }
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
    char file[256];
    *changed = 0;
    if (u->unit_dir == NULL || u->template_path == NULL)
        return example_error(err, SCPAUTH_EINVAL, "no unit directory or unit template given");
    int rc = check_values(u, err);
    if (rc != SCPAUTH_OK)
        return rc;
    if (read_file(u->template_path, 0, tpl, sizeof(tpl)) < 0)
        return example_error(err, SCPAUTH_EIO, "cannot read the unit template %s",
                             u->template_path);
    if (!render(u, tpl, unit, sizeof(unit)))
        return example_error(err, SCPAUTH_EINVAL, "unit file from %s over %d bytes",
                             u->template_path, UNIT_MAX);
    if ((size_t)snprintf(file, sizeof(file), "%s.service", u->name) >= sizeof(file) ||
        (size_t)snprintf(where, size, "%s/%s", u->unit_dir, file) >= size)
        return example_error(err, SCPAUTH_ENOBUFS, "unit path too long in %s", u->unit_dir);
    /* a link there is not "identical": it is replaced by a file */
    if (read_file(where, 1, old, sizeof(old)) >= 0 && strcmp(old, unit) == 0)
        return SCPAUTH_OK;
    rc = example_os_file_replace(u->unit_dir, file, unit, strlen(unit), 0644, err);
    if (rc == SCPAUTH_OK)
        *changed = 1;
    return rc;
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
