/* scp_dir.c - where the directory layer's search results (dir_entries.h)
 * meet the SCP parser: a view of one entry as a scpauth_entry, without
 * copying a value. */
#include <stdlib.h>

#include "dir_entries.h"
#include "scp_internal.h"

int scpauth__scp_from_dir_entry(const struct scpauth__dir_entry *e, scpauth_scp *out,
                                scpauth_error *err)
{
    if (e == NULL || out == NULL)
        return scpauth_scp_parse(NULL, out, err);
    scpauth_scp empty = SCPAUTH_SCP_INIT;
    *out = empty;
    /* Only the attributes the parser reads; a repeated one is kept (up to the
     * parser's limit) so that the parser reports it. */
    scpauth_entry_attr attrs[SCPAUTH_SCP_ATTRS_MAX];
    const scpauth__dir_attr *src[SCPAUTH_SCP_ATTRS_MAX];
    size_t n_attrs = 0, n_values = 0;
    for (size_t i = 0; i < e->n_attrs && n_attrs < SCPAUTH_SCP_ATTRS_MAX; i++) {
        const scpauth__dir_attr *a = &e->attrs[i];
        if (!scpauth__scp_attr_read(a->name))
            continue;
        src[n_attrs] = a;
        attrs[n_attrs].name = a->name;
        attrs[n_attrs].values = NULL;
        attrs[n_attrs].count = a->count;
        /* an over-long list is refused by its count alone: no view needed */
        if (a->count <= SCPAUTH_SCP_VALUES_MAX)
            n_values += a->count;
        n_attrs++;
    }
    scpauth_entry_value *views = NULL;
    if (n_values > 0 && (views = malloc(n_values * sizeof(*views))) == NULL)
        return scpauth__error_set(err, SCPAUTH_ENOMEM, "SCP \"%s\": cannot allocate %lu bytes",
                                  e->dn, (unsigned long)(n_values * sizeof(*views)));
    size_t v = 0;
    for (size_t k = 0; k < n_attrs; k++) {
        const scpauth__dir_attr *a = src[k];
        if (a->count > SCPAUTH_SCP_VALUES_MAX)
            continue;
        attrs[k].values = views != NULL ? views + v : NULL;
        for (size_t j = 0; j < attrs[k].count; j++, v++) {
            views[v].data = a->values[j].data;
            views[v].len = a->values[j].len;
        }
    }
    scpauth_entry view = { e->dn, attrs, n_attrs };
    int rc = scpauth_scp_parse(&view, out, err);
    free(views);
    return rc;
}
