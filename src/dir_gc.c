/* dir_gc.c - the global catalog, opened when a forest-wide question is
 * first asked: the explicit DCs on port 3268, or _gc._tcp.FOREST. */
#include <stdio.h>
#include <string.h>

#include "dir_internal.h"

static int gc_targets(scpauth_dir *dir, scpauth__dir_target *targets, size_t *n,
                      scpauth_error *err)
{
    if (dir->n_explicit > 0) {
        for (size_t i = 0; i < dir->n_explicit; i++) {
            targets[i] = dir->explicit_dcs[i];
            targets[i].port = SCPAUTH_DIR_PORT_GC;
        }
        *n = dir->n_explicit;
        return SCPAUTH_OK;
    }
    char forest[SCPAUTH_DIR_HOST_MAX], qname[SCPAUTH_DIR_HOST_MAX + 16];
    if (dir->bconn == NULL) {
        /* no DC bound yet (defer_dc): the domain is the forest root in most
         * forests; only a child domain needs its DC to name the forest */
        snprintf(qname, sizeof(qname), "_gc._tcp.%s", dir->info.domain);
        int rc = scpauth__dir_discover(dir, qname, targets, n, err);
        if (rc != SCPAUTH_ENODC || (rc = scpauth__dir_dc_ready(dir, err)) != SCPAUTH_OK)
            return rc;
    }
    int rc = scpauth__dn_to_domain(dir->info.forest_dn, forest, sizeof(forest), err);
    if (rc != SCPAUTH_OK)
        return rc;
    snprintf(qname, sizeof(qname), "_gc._tcp.%s", forest);
    return scpauth__dir_discover(dir, qname, targets, n, err);
}

void *scpauth__dir_gc(scpauth_dir *dir, scpauth_error *err)
{
    if (dir->bgc != NULL)
        return dir->bgc;
    if (!dir->gc_tried) {
        dir->gc_tried = 1;
        scpauth_error_clear(&dir->gc_error);
        scpauth__dir_target targets[SCPAUTH_DIR_DCS_MAX];
        size_t n = 0, used = 0;
        int rc = gc_targets(dir, targets, &n, &dir->gc_error);
        if (rc == SCPAUTH_OK)
            rc = scpauth__dir_connect_any(dir, targets, n, "global catalog", &dir->bgc, &used,
                                          NULL, NULL, NULL, &dir->gc_error);
        if (rc == SCPAUTH_OK) {
            snprintf(dir->gc_host, sizeof(dir->gc_host), "%s:%u", targets[used].host,
                     targets[used].port);
            return dir->bgc;
        }
    }
    if (err != NULL)
        *err = dir->gc_error;
    return NULL;
}
