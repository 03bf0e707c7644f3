/* scp_order.c - a deterministic order of located SCPs, whatever order the
 * directory (or the global catalog) returned them in. */
#include <stdlib.h>
#include <string.h>

#include "scp_internal.h"

int scpauth_scp_compare(const scpauth_scp *a, const scpauth_scp *b)
{
    const char *da = a->dn != NULL ? a->dn : "", *db = b->dn != NULL ? b->dn : "";
    size_t la = strlen(da), lb = strlen(db);
    int c = scpauth__ascii_casecmp(da, la, db, lb);
    if (c == 0)
        c = strcmp(da, db);
    if (c == 0 && a->has_guid != b->has_guid)
        c = a->has_guid ? 1 : -1;
    if (c == 0)
        c = memcmp(a->guid.bytes, b->guid.bytes, sizeof(a->guid.bytes));
    return c < 0 ? -1 : c > 0;
}

static int compare_qsort(const void *a, const void *b)
{
    return scpauth_scp_compare(a, b);
}

void scpauth_scp_sort(scpauth_scp *scps, size_t n)
{
    if (scps != NULL && n > 1)
        qsort(scps, n, sizeof(*scps), compare_qsort);
}
