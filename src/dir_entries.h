/* dir_entries.h - search results as the core sees them, filled by a backend
 * through checks that treat every byte as untrusted (private; portable). */
#ifndef SCPAUTH_DIR_ENTRIES_H
#define SCPAUTH_DIR_ENTRIES_H

#include <stddef.h>

#include "scpauth/error.h"

#define SCPAUTH__DIR_VALUE_MAX 65536u      /* bytes of one attribute value */
#define SCPAUTH__DIR_ATTR_NAME_MAX 128u    /* bytes of an attribute description */
#define SCPAUTH__DIR_ENTRIES_MAX 10000u    /* entries of one search */
#define SCPAUTH__DIR_VALUES_MAX 100000u    /* values of one search */
#define SCPAUTH__DIR_BYTES_MAX (32u << 20) /* value bytes of one search */

typedef struct scpauth__dir_value {
    char *data; /* NUL-terminated copy (a text value holds no NUL) */
    size_t len;
} scpauth__dir_value;

typedef struct scpauth__dir_attr {
    char *name; /* as received, e.g. "servicePrincipalName;range=0-1499" */
    scpauth__dir_value *values;
    size_t count, cap;
} scpauth__dir_attr;

typedef struct scpauth__dir_entry {
    char *dn;
    scpauth__dir_attr *attrs;
    size_t n_attrs, cap_attrs;
} scpauth__dir_entry;

typedef struct scpauth__dir_entries {
    scpauth__dir_entry *items;
    size_t count, cap;
    size_t values, bytes;             /* totals, against the limits above */
    const char *const *binary_attrs;  /* NULL-terminated; others must be UTF-8 text */
} scpauth__dir_entries;

/* Starts an entry for dn (dn_len bytes, checked: UTF-8, no NUL, shorter than
 * SCPAUTH_DIR_DN_MAX). *out stays valid until the next entry_new on es.
 * Errors: EDIR (malformed or over a limit), ENOMEM. */
int scpauth__dir_entry_new(scpauth__dir_entries *es, const char *dn, size_t dn_len,
                           scpauth__dir_entry **out, scpauth_error *err);

/* Appends one value of attribute attr to e (the last entry of es): checked
 * for length, and unless attr is listed in es->binary_attrs for NUL bytes
 * and UTF-8. Errors: EDIR, ENOMEM. */
int scpauth__dir_entry_add(scpauth__dir_entries *es, scpauth__dir_entry *e, const char *attr,
                           const void *val, size_t len, scpauth_error *err);

/* The attribute of e named name (case-insensitive, without options), or NULL. */
const scpauth__dir_attr *scpauth__dir_entry_attr(const scpauth__dir_entry *e, const char *name);

/* The first value of an attribute as text, or "" when absent. */
const char *scpauth__dir_entry_first(const scpauth__dir_entry *e, const char *name);

/* 1 when one of attr's values equals value, ignoring ASCII case. */
int scpauth__dir_attr_has(const scpauth__dir_attr *a, const char *value);

/* Frees entry i; the last entry takes its place (order is not kept). */
void scpauth__dir_entries_remove(scpauth__dir_entries *es, size_t i);

void scpauth__dir_entries_free(scpauth__dir_entries *es);

/* 1 when p[0..n) is well-formed UTF-8 (no overlongs, no surrogates, <= U+10FFFF). */
int scpauth__utf8_valid(const unsigned char *p, size_t n);

/* ASCII case-insensitive equality of two NUL-terminated strings. */
int scpauth__ascii_equal_nocase(const char *a, const char *b);

#endif
