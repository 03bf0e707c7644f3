/* dir_entries.c - search results: every DN, attribute name and value a
 * directory sends is checked (length, NUL, UTF-8) and counted against
 * per-search limits before it is copied. */
#include <stdlib.h>
#include <string.h>

#include "dir_entries.h"
#include "error_internal.h"
#include "scpauth/dir.h"

int scpauth__utf8_valid(const unsigned char *p, size_t n)
{
    size_t i = 0;
    while (i < n) {
        unsigned c = p[i];
        size_t extra;
        unsigned min;
        if (c < 0x80) {
            i++;
            continue;
        } else if (c >= 0xC2 && c <= 0xDF) {
            extra = 1, min = 0x80;
        } else if (c >= 0xE0 && c <= 0xEF) {
            extra = 2, min = 0x800;
        } else if (c >= 0xF0 && c <= 0xF4) {
            extra = 3, min = 0x10000;
        } else {
            return 0;
        }
        if (n - i <= extra)
            return 0;
        unsigned cp = c & (0x3Fu >> extra);
        for (size_t k = 1; k <= extra; k++) {
            if ((p[i + k] & 0xC0) != 0x80)
                return 0;
            cp = (cp << 6) | (p[i + k] & 0x3Fu);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return 0;
        i += extra + 1;
    }
    return 1;
}

static unsigned char lower(char c)
{
    unsigned char u = (unsigned char)c;
    return (u >= 'A' && u <= 'Z') ? (unsigned char)(u + 32) : u;
}

int scpauth__ascii_equal_nocase(const char *a, const char *b)
{
    for (;; a++, b++) {
        if (lower(*a) != lower(*b))
            return 0;
        if (*a == '\0')
            return 1;
    }
}

/* Length of the attribute type in a description "type;option...". */
static size_t type_len(const char *name)
{
    const char *semi = strchr(name, ';');
    return semi != NULL ? (size_t)(semi - name) : strlen(name);
}

static int same_type(const char *desc, const char *type)
{
    size_t n = type_len(desc);
    if (strlen(type) != n)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (lower(desc[i]) != lower(type[i]))
            return 0;
    return 1;
}

static int is_binary(const scpauth__dir_entries *es, const char *attr)
{
    for (const char *const *b = es->binary_attrs; b != NULL && *b != NULL; b++)
        if (same_type(attr, *b))
            return 1;
    return 0;
}

static int attr_name_ok(const char *a)
{
    size_t n = strlen(a);
    if (n == 0 || n >= SCPAUTH__DIR_ATTR_NAME_MAX)
        return 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)a[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == ';' || c == '=' || c == '.' || c == '*'))
            return 0;
    }
    return 1;
}

static int text_ok(const void *p, size_t n)
{
    return memchr(p, '\0', n) == NULL && scpauth__utf8_valid(p, n);
}

static char *copy_text(const void *p, size_t n)
{
    char *s = malloc(n + 1);
    if (s != NULL) {
        if (n > 0)
            memcpy(s, p, n);
        s[n] = '\0';
    }
    return s;
}

static int grow(void **arr, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return 1;
    size_t ncap = *cap ? *cap * 2 : 4;
    while (ncap < need)
        ncap *= 2;
    void *p = realloc(*arr, ncap * size);
    if (p == NULL)
        return 0;
    memset((char *)p + *cap * size, 0, (ncap - *cap) * size);
    *arr = p;
    *cap = ncap;
    return 1;
}

static int oom(scpauth_error *err)
{
    return scpauth__error_set(err, SCPAUTH_ENOMEM, "out of memory reading directory results");
}

int scpauth__dir_entry_new(scpauth__dir_entries *es, const char *dn, size_t dn_len,
                           scpauth__dir_entry **out, scpauth_error *err)
{
    if (es->count >= SCPAUTH__DIR_ENTRIES_MAX)
        return scpauth__error_set(err, SCPAUTH_EDIR,
                                  "directory search returned more than %u entries",
                                  SCPAUTH__DIR_ENTRIES_MAX);
    if (dn_len >= SCPAUTH_DIR_DN_MAX || !text_ok(dn, dn_len))
        return scpauth__error_set(err, SCPAUTH_EDIR,
                                  "directory returned a malformed DN (%zu bytes; not UTF-8 "
                                  "text, or longer than %d)",
                                  dn_len, SCPAUTH_DIR_DN_MAX - 1);
    if (!grow((void **)&es->items, &es->cap, es->count + 1, sizeof(*es->items)))
        return oom(err);
    scpauth__dir_entry *e = &es->items[es->count];
    memset(e, 0, sizeof(*e));
    if ((e->dn = copy_text(dn, dn_len)) == NULL)
        return oom(err);
    es->count++;
    *out = e;
    return SCPAUTH_OK;
}

static scpauth__dir_attr *find_or_add_attr(scpauth__dir_entry *e, const char *attr)
{
    for (size_t i = 0; i < e->n_attrs; i++)
        if (scpauth__ascii_equal_nocase(e->attrs[i].name, attr))
            return &e->attrs[i];
    if (!grow((void **)&e->attrs, &e->cap_attrs, e->n_attrs + 1, sizeof(*e->attrs)))
        return NULL;
    scpauth__dir_attr *a = &e->attrs[e->n_attrs];
    if ((a->name = copy_text(attr, strlen(attr))) == NULL)
        return NULL;
    e->n_attrs++;
    return a;
}

int scpauth__dir_entry_add(scpauth__dir_entries *es, scpauth__dir_entry *e, const char *attr,
                           const void *val, size_t len, scpauth_error *err)
{
    if (attr == NULL || !attr_name_ok(attr))
        return scpauth__error_set(err, SCPAUTH_EDIR,
                                  "directory returned a malformed attribute name in %s", e->dn);
    if (len > SCPAUTH__DIR_VALUE_MAX || (len > 0 && val == NULL))
        return scpauth__error_set(err, SCPAUTH_EDIR,
                                  "directory returned a %zu-byte value of %s in %s (limit %u)",
                                  len, attr, e->dn, SCPAUTH__DIR_VALUE_MAX);
    if (!is_binary(es, attr) && !text_ok(val, len))
        return scpauth__error_set(err, SCPAUTH_EDIR,
                                  "directory returned a value of %s in %s that is not UTF-8 "
                                  "text (NUL byte or invalid sequence)",
                                  attr, e->dn);
    if (es->values >= SCPAUTH__DIR_VALUES_MAX || es->bytes + len > SCPAUTH__DIR_BYTES_MAX)
        return scpauth__error_set(err, SCPAUTH_EDIR,
                                  "directory search result too large (more than %u values or "
                                  "%u bytes)",
                                  SCPAUTH__DIR_VALUES_MAX, SCPAUTH__DIR_BYTES_MAX);
    scpauth__dir_attr *a = find_or_add_attr(e, attr);
    if (a == NULL || !grow((void **)&a->values, &a->cap, a->count + 1, sizeof(*a->values)))
        return oom(err);
    char *copy = copy_text(val, len);
    if (copy == NULL)
        return oom(err);
    a->values[a->count].data = copy;
    a->values[a->count].len = len;
    a->count++;
    es->values++;
    es->bytes += len;
    return SCPAUTH_OK;
}

const scpauth__dir_attr *scpauth__dir_entry_attr(const scpauth__dir_entry *e, const char *name)
{
    for (size_t i = 0; e != NULL && i < e->n_attrs; i++)
        if (strchr(e->attrs[i].name, ';') == NULL && same_type(e->attrs[i].name, name))
            return &e->attrs[i];
    return NULL;
}

const char *scpauth__dir_entry_first(const scpauth__dir_entry *e, const char *name)
{
    const scpauth__dir_attr *a = scpauth__dir_entry_attr(e, name);
    return a != NULL && a->count > 0 ? a->values[0].data : "";
}

int scpauth__dir_attr_has(const scpauth__dir_attr *a, const char *value)
{
    for (size_t i = 0; a != NULL && i < a->count; i++)
        if (scpauth__ascii_equal_nocase(a->values[i].data, value))
            return 1;
    return 0;
}

static void entry_free(scpauth__dir_entry *e)
{
    for (size_t j = 0; j < e->n_attrs; j++) {
        for (size_t k = 0; k < e->attrs[j].count; k++)
            free(e->attrs[j].values[k].data);
        free(e->attrs[j].values);
        free(e->attrs[j].name);
    }
    free(e->attrs);
    free(e->dn);
    memset(e, 0, sizeof(*e));
}

void scpauth__dir_entries_remove(scpauth__dir_entries *es, size_t i)
{
    if (i >= es->count)
        return;
    entry_free(&es->items[i]);
    es->items[i] = es->items[es->count - 1];
    memset(&es->items[es->count - 1], 0, sizeof(es->items[0]));
    es->count--;
}

void scpauth__dir_entries_free(scpauth__dir_entries *es)
{
    if (es == NULL)
        return;
    for (size_t i = 0; i < es->count; i++)
        entry_free(&es->items[i]);
    free(es->items);
    es->items = NULL;
    es->count = es->cap = es->values = es->bytes = 0;
}
