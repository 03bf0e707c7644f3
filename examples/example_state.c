/* example_state.c - the example service's state file (see example_state.h). */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "example_os.h"
#include "example_state.h"

#define STATE_FILE "scpauth-example.state"

static int path_of(const char *dir, char *buf, size_t size, scpauth_error *err)
{
    if ((size_t)snprintf(buf, size, "%s/%s", dir, STATE_FILE) >= size)
        return example_error(err, SCPAUTH_EINVAL, "state directory name too long: %.200s", dir);
    return SCPAUTH_OK;
}

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

int example_state_load(const char *dir, example_state *st, scpauth_error *err)
{
    char path[1200], line[SCPAUTH_SPN_MAX + 64];
    memset(st, 0, sizeof(*st));
    int rc = path_of(dir, path, sizeof(path), err);
    if (rc != SCPAUTH_OK)
        return rc;
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return example_error(err, errno == ENOENT ? SCPAUTH_ENOTFOUND : SCPAUTH_EIO,
                             "cannot read state file %s: %s", path, strerror(errno));
    for (unsigned n = 1; fgets(line, sizeof(line), f) != NULL; n++) {
        line[strcspn(line, "\r\n")] = '\0';
        char *eq = strchr(line, '=');
        if (line[0] == '\0' || line[0] == '#')
            continue;
        if (eq != NULL)
            *eq = '\0';
        if (eq == NULL || !take(st, line, eq + 1)) {
            fclose(f);
            return example_error(err, SCPAUTH_EINVAL, "state file %s, line %u: not understood",
                                 path, n);
        }
    }
    fclose(f);
    return SCPAUTH_OK;
}

int example_state_save(const char *dir, const example_state *st, scpauth_error *err)
{
    char path[1200], tmp[1210];
    int rc = example_os_mkdir(dir, err);
    if (rc == SCPAUTH_OK)
        rc = path_of(dir, path, sizeof(path), err);
    if (rc != SCPAUTH_OK)
        return rc;
    snprintf(tmp, sizeof(tmp), "%s.tmp", path);
    FILE *f = fopen(tmp, "w");
    if (f == NULL)
        return example_error(err, SCPAUTH_EIO, "cannot write state file %s: %s", tmp,
                             strerror(errno));
    fprintf(f, "# scpauth-example-service: written by install, read by run and uninstall\n");
    fprintf(f, "guid=%s\nhost=%s\nport=%u\naccount=%s\n", st->guid, st->host, st->port,
            st->account);
    for (size_t i = 0; i < st->n_spns; i++)
        fprintf(f, "spn=%s\n", st->spns[i]);
    if (st->unit[0])
        fprintf(f, "unit=%s\n", st->unit);
    int bad = ferror(f);
    if (fclose(f) != 0 || bad || (remove(path) != 0 && errno != ENOENT) || rename(tmp, path) != 0) {
        remove(tmp);
        return example_error(err, SCPAUTH_EIO, "cannot write state file %s", path);
    }
    return SCPAUTH_OK;
}

int example_state_remove(const char *dir, scpauth_error *err)
{
    char path[1200];
    int rc = path_of(dir, path, sizeof(path), err);
    if (rc == SCPAUTH_OK && remove(path) != 0 && errno != ENOENT)
        rc = example_error(err, SCPAUTH_EIO, "cannot remove state file %s: %s", path,
                           strerror(errno));
    return rc;
}

static int same_text(const char *a, const char *b)
{
    for (; *a && *b; a++, b++)
        if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
            return 0;
    return *a == *b;
}

void example_state_add_spn(example_state *st, const char *spn)
{
    for (size_t i = 0; i < st->n_spns; i++)
        if (same_text(st->spns[i], spn))
            return;
    if (st->n_spns < EXAMPLE_STATE_SPNS)
        copy(st->spns[st->n_spns++], sizeof(st->spns[0]), spn);
}
