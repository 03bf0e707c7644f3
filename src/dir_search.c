/* dir_search.c - searches through the backend, completing attributes AD
 * returns in ranges ("servicePrincipalName;range=0-1499" when an attribute
 * has more values than MaxValRange) by asking for the next ranges. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dir_internal.h"

typedef struct range {
    char type[SCPAUTH__DIR_ATTR_NAME_MAX];
    unsigned long low, high;
    int last; /* high was "*" */
} range;

static int parse_ulong(const char **p, unsigned long *v)
{
    const char *s = *p;
    if (*s < '0' || *s > '9')
        return 0;
    unsigned long x = 0;
    for (; *s >= '0' && *s <= '9'; s++) {
        if (x > 100000000ul)
            return 0;
        x = x * 10 + (unsigned long)(*s - '0');
    }
    *v = x;
    *p = s;
    return 1;
}

/* 1 when desc is "type;range=LOW-HIGH" or "type;range=LOW-*". */
static int parse_range(const char *desc, range *r)
{
    const char *opt = strchr(desc, ';');
    if (opt == NULL || (size_t)(opt - desc) >= sizeof(r->type))
        return 0;
    static const char key[] = ";range=";
    size_t kn = sizeof(key) - 1;
    for (size_t i = 0; i < kn; i++)
        if (opt[i] == '\0' || (opt[i] | 0x20) != (key[i] | 0x20))
            return 0;
    const char *p = opt + kn;
    if (!parse_ulong(&p, &r->low) || *p++ != '-')
        return 0;
    r->last = p[0] == '*' && p[1] == '\0';
    if (!r->last && (!parse_ulong(&p, &r->high) || *p != '\0' || r->high < r->low))
        return 0;
    memcpy(r->type, desc, (size_t)(opt - desc));
    r->type[opt - desc] = '\0';
    return 1;
}

static int bad_range(const char *dn, const char *type, scpauth_error *err)
{
    return scpauth__error_set(err, SCPAUTH_EDIR,
                              "directory sent a malformed range of %s values for %s", type, dn);
}

/* Fetches the ranges after r of attribute r->type of entry i. */
static int fetch_rest(scpauth_dir *dir, void *conn, scpauth__dir_entries *es, size_t i,
                      range r, scpauth_error *err)
{
    while (!r.last) {
        char want[SCPAUTH__DIR_ATTR_NAME_MAX + 32];
        snprintf(want, sizeof(want), "%s;range=%lu-*", r.type, r.high + 1);
        const char *attrs[] = {want, NULL};
        scpauth__dir_query q = {es->items[i].dn, SCPAUTH__DIR_SCOPE_BASE, "(objectClass=*)",
                                attrs, es->binary_attrs};
        scpauth__dir_entries part = {0};
        part.binary_attrs = es->binary_attrs;
        int rc = dir->backend->search(conn, dir->timeout_ms, &q, &part, err);
        range next = {0};
        const scpauth__dir_attr *a = NULL;
        for (size_t j = 0; rc == SCPAUTH_OK && part.count > 0 && j < part.items[0].n_attrs; j++)
            if (parse_range(part.items[0].attrs[j].name, &next) &&
                scpauth__ascii_equal_nocase(next.type, r.type))
                a = &part.items[0].attrs[j];
        /* each step must start where the last ended: a hostile server
         * cannot make this loop forever */
        if (rc == SCPAUTH_OK && (a == NULL || next.low != r.high + 1))
            rc = bad_range(es->items[i].dn, r.type, err);
        for (size_t k = 0; rc == SCPAUTH_OK && k < a->count; k++)
            rc = scpauth__dir_entry_add(es, &es->items[i], r.type, a->values[k].data,
                                        a->values[k].len, err);
        scpauth__dir_entries_free(&part);
        if (rc != SCPAUTH_OK)
            return rc;
        r = next;
    }
    return SCPAUTH_OK;
}

static int complete_ranges(scpauth_dir *dir, void *conn, scpauth__dir_entries *es,
                           scpauth_error *err)
{
    for (size_t i = 0; i < es->count; i++) {
        for (size_t j = 0; j < es->items[i].n_attrs; j++) {
            range r;
            scpauth__dir_attr *a = &es->items[i].attrs[j];
            if (!parse_range(a->name, &r))
                continue;
            if (scpauth__dir_entry_attr(&es->items[i], r.type) != NULL)
                return bad_range(es->items[i].dn, r.type, err);
            /* the values so far become the plain attribute */
            char *plain = malloc(strlen(r.type) + 1);
            if (plain == NULL)
                return scpauth__error_set(err, SCPAUTH_ENOMEM, "out of memory");
            strcpy(plain, r.type);
            free(a->name);
            a->name = plain;
            int rc = fetch_rest(dir, conn, es, i, r, err);
            if (rc != SCPAUTH_OK)
                return rc;
        }
    }
    return SCPAUTH_OK;
}

int scpauth__dir_search(scpauth_dir *dir, void *conn, const scpauth__dir_query *q,
                        scpauth__dir_entries *out, scpauth_error *err)
{
    out->binary_attrs = q->binary;
    int rc = dir->backend->search(conn, dir->timeout_ms, q, out, err);
    if (rc == SCPAUTH_OK)
        rc = complete_ranges(dir, conn, out, err);
    if (rc != SCPAUTH_OK)
        scpauth__dir_entries_free(out);
    return rc;
}
