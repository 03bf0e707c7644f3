/* example_state.c - the example service's state file (see example_state.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "example.h"
#include "example_os.h"
#include "example_state.h"

#define STATE_FILE_MAX 16384 /* bytes; a full record is under 5 KiB */

/* Copies v into dst (size bytes); 0 if it does not fit. */
static int copy(char *dst, size_t size, const char *v)
{
    return (size_t)snprintf(dst, size, "%s", v) < size;
}

static int take(example_state *st, const char *key, const char *v)
{
    if (strcmp(key, "guid") == 0)
        return copy(st->guid, sizeof(st->guid), v);
    if (strcmp(key, "host") == 0)
        return copy(st->host, sizeof(st->host), v);
    if (strcmp(key, "account") == 0)
        return copy(st->account, sizeof(st->account), v);
    if (strcmp(key, "unit") == 0)
        return copy(st->unit, sizeof(st->unit), v);
    if (strcmp(key, "port") == 0) {
        char *end = NULL;
        long p = strtol(v, &end, 10);
        st->port = (unsigned)p;
        return *end == '\0' && end != v && p >= 0 && p <= 65535; /* 0: not known */
    }
    if (strcmp(key, "spn") == 0 && st->n_spns < EXAMPLE_STATE_SPNS)
        return copy(st->spns[st->n_spns++], sizeof(st->spns[0]), v);
    return 0;
}

/* Parses text (len bytes) into *st; the error names path and the line. */
static int parse(char *text, size_t len, const char *path, example_state *st,
                 scpauth_error *err)
{
    if (strlen(text) != len)
        return example_error(err, SCPAUTH_EINVAL, "state file %s holds a NUL byte", path);
    char *line = text;
    for (unsigned n = 1; *line != '\0'; n++) {
        char *next = line + strcspn(line, "\n");
        if (*next != '\0')
            *next++ = '\0';
        line[strcspn(line, "\r")] = '\0';
        char *eq = strchr(line, '=');
        if (line[0] != '\0' && line[0] != '#') {
            if (eq != NULL)
                *eq = '\0';
            if (eq == NULL || !take(st, line, eq + 1))
                return example_error(err, SCPAUTH_EINVAL,
                                     "state file %s, line %u: not understood", path, n);
        }
        line = next;
    }
    return SCPAUTH_OK;
}

int example_state_load(const char *dir, example_state *st, scpauth_error *err)
{
    static char text[STATE_FILE_MAX];
    char path[1200];
    size_t len = 0;
    memset(st, 0, sizeof(*st));
    snprintf(path, sizeof(path), "%s/%s", dir, EXAMPLE_STATE_FILE);
    int rc = example_os_file_read(dir, EXAMPLE_STATE_FILE, text, sizeof(text), &len, err);
    if (rc == SCPAUTH_EINVAL && err != NULL) /* untrusted: say whose file it is */
        snprintf(err->message + strlen(err->message),
                 sizeof(err->message) - strlen(err->message),
                 ": the state file (install record) is not used");
    if (rc == SCPAUTH_OK)
        rc = parse(text, len, path, st, err);
    return rc;
}

/* Appends "key=value\n" to out; 0 when it does not fit or value holds a
 * control character (a newline would forge another line). */
static int put_line(char *out, size_t cap, size_t *len, const char *key, const char *v)
{
    if (example_control_char(v) != NULL)
        return 0;
    int n = snprintf(out + *len, cap - *len, "%s=%s\n", key, v);
    if (n < 0 || (size_t)n >= cap - *len)
        return 0;
    *len += (size_t)n;
    return 1;
}

int example_state_save(const char *dir, const example_state *st, scpauth_error *err)
{
    static char text[STATE_FILE_MAX];
    char port[16];
    size_t len = 0;
    snprintf(port, sizeof(port), "%u", st->port);
    const char *keys[] = {"guid", "host", "port", "account"};
    const char *vals[] = {st->guid, st->host, port, st->account};
    len = (size_t)snprintf(text, sizeof(text), "%s",
                           "# scpauth-example-service: written by install, read by run and "
                           "uninstall\n");
    int ok = 1;
    for (size_t i = 0; ok && i < 4; i++)
        ok = put_line(text, sizeof(text), &len, keys[i], vals[i]);
    for (size_t i = 0; ok && i < st->n_spns; i++)
        ok = put_line(text, sizeof(text), &len, "spn", st->spns[i]);
    if (ok && st->unit[0])
        ok = put_line(text, sizeof(text), &len, "unit", st->unit);
    if (!ok)
        return example_error(err, SCPAUTH_EINVAL,
                             "state for %s/%s: a value holds a control character",
                             dir, EXAMPLE_STATE_FILE);
    int rc = example_os_mkdir(dir, err);
    if (rc == SCPAUTH_OK) /* readable by all: `run` may be another user; nothing secret */
        rc = example_os_file_replace(dir, EXAMPLE_STATE_FILE, text, len, 0644, err);
    return rc;
}

int example_state_remove(const char *dir, scpauth_error *err)
{
    char path[1200];
    if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, EXAMPLE_STATE_FILE) >= sizeof(path))
        return example_error(err, SCPAUTH_EINVAL, "state directory name too long: %.200s", dir);
    if (remove(path) != 0 && errno != ENOENT)
        return example_error(err, SCPAUTH_EIO, "cannot remove state file %s: %s", path,
                             strerror(errno));
    return SCPAUTH_OK;
}

void example_state_add_spn(example_state *st, const char *spn)
{
    for (size_t i = 0; i < st->n_spns; i++)
        if (example_same_text(st->spns[i], spn))
            return;
    if (st->n_spns < EXAMPLE_STATE_SPNS)
        copy(st->spns[st->n_spns++], sizeof(st->spns[0]), spn);
}

/* The port in text as install writes it (1-65535, no leading zero); 0 if
 * text is anything else. */
static unsigned port_of(const char *text)
{
    long p = text[0] == '0' ? -1 : example_parse_port(text);
    return p > 0 ? (unsigned)p : 0;
}

/* 1 if spn is exactly what this instance composes for some port
 * (scpauth_spn_get, as install does): class/host:PORT. */
static int spn_is_ours(const example_instance *want, const char *spn)
{
    size_t cl = strlen(want->service_class), hl = strlen(want->host);
    char part[SCPAUTH_SPN_MAX + 1];
    if (strlen(spn) <= cl + hl + 2 || cl + hl + 2 >= sizeof(part) || spn[cl] != '/' ||
        spn[cl + 1 + hl] != ':')
        return 0;
    memcpy(part, spn, cl);
    part[cl] = '\0';
    if (!example_same_text(part, want->service_class))
        return 0;
    memcpy(part, spn + cl + 1, hl);
    part[hl] = '\0';
    unsigned short port = (unsigned short)port_of(spn + cl + hl + 2);
    if (port == 0 || !example_same_text(part, want->host))
        return 0;
    scpauth_spn_list l = SCPAUTH_SPN_LIST_INIT;
    const char *hosts[1] = {want->host};
    int ok = scpauth_spn_get(SCPAUTH_SPN_DNS_HOST, want->service_class, NULL, 0, 1, hosts, &port,
                             &l, NULL) == SCPAUTH_OK &&
             l.count == 1 && example_same_text(l.items[0], spn);
    scpauth_spn_list_free(&l);
    return ok;
}

/* 1 if unit is the registration install makes for this instance and some
 * port: DIR/CLASS-PORT.service (systemd) or CLASS-PORT (SCM). */
static int unit_is_ours(const example_instance *want, const char *unit)
{
    const char *base = unit;
    if (want->unit_in_dir) {
        const char *slash = strrchr(unit, '/');
        if (slash == NULL)
            return 0;
        base = slash + 1;
        if (want->unit_dir != NULL &&
            ((size_t)(slash - unit) != strlen(want->unit_dir) ||
             strncmp(unit, want->unit_dir, (size_t)(slash - unit)) != 0))
            return 0;
    }
    size_t cl = strlen(want->service_class);
    if (strncmp(base, want->service_class, cl) != 0 || base[cl] != '-')
        return 0;
    char digits[8];
    const char *p = base + cl + 1;
    size_t n = strspn(p, "0123456789");
    if (n == 0 || n >= sizeof(digits))
        return 0;
    snprintf(digits, sizeof(digits), "%.*s", (int)n, p);
    return port_of(digits) != 0 && strcmp(p + n, want->unit_in_dir ? ".service" : "") == 0;
}

int example_state_check(const example_state *st, const example_instance *want,
                        scpauth_error *err)
{
    static const char *const hint =
        "the state file does not match this service's arguments: nothing was removed; "
        "check --class, --host, --port, --account and --unit-dir, or remove by hand";
    int rc = SCPAUTH_OK;
    if (want->account != NULL && st->account[0] && !example_same_text(st->account, want->account))
        rc = example_error(err, SCPAUTH_EINVAL, "state file: account %s, not %s as given",
                           st->account, want->account);
    else if (want->port != 0 && st->port != want->port)
        rc = example_error(err, SCPAUTH_EINVAL, "state file: port %u, not %u as given", st->port,
                           want->port);
    for (size_t i = 0; rc == SCPAUTH_OK && i < st->n_spns; i++)
        if (!spn_is_ours(want, st->spns[i]))
            rc = example_error(err, SCPAUTH_EINVAL,
                               "state file: SPN %s is not %s/%s:PORT, which this service "
                               "registers: refusing to remove it",
                               st->spns[i], want->service_class, want->host);
    if (rc == SCPAUTH_OK && st->unit[0] && !unit_is_ours(want, st->unit))
        rc = example_error(err, SCPAUTH_EINVAL,
                           "state file: unit %s is not %s%s%s-PORT%s, which this service "
                           "registers: refusing to remove it",
                           st->unit, want->unit_dir ? want->unit_dir : "",
                           want->unit_dir ? "/" : want->unit_in_dir ? ".../" : "",
                           want->service_class, want->unit_in_dir ? ".service" : "");
    if (rc != SCPAUTH_OK && err != NULL)
        snprintf(err->hint, sizeof(err->hint), "%s", hint);
    return rc;
}
