/* scp_locate.c - finding SCPs by keyword through the global catalog
 * (Microsoft's ScpLocate), each parsed and, by default, trust-checked; a bad
 * SCP is reported and skipped, never fatal to the others. */
#include <stdlib.h>
#include <string.h>

#include "scp_ops.h"

#define FILTER_SIZE (SCPAUTH_SCP_KEYWORD_MAX * 3 + 64)

static int cmp_located(const void *a, const void *b)
{
    return scpauth_scp_compare(&((const scpauth_scp_located *)a)->scp,
                               &((const scpauth_scp_located *)b)->scp);
}

static void reject(scpauth_scp_located_list *out, const char *dn, const scpauth_error *why)
{
    scpauth_scp_rejection *r = &out->rejected[out->n_rejected++];
    scpauth__dir_copy(r->dn, sizeof(r->dn), dn);
    r->error = *why;
}

/* Parses and checks entry e; appends it to items or to rejected. Only an
 * allocation failure stops the whole call. */
static int take(scpauth_dir *dir, const scpauth_scp_locate_options *opts, const char *expect_dn,
                const scpauth__dir_entry *e, scpauth_scp_located_list *out)
{
    scpauth_error why;
    memset(&why, 0, sizeof(why));
    scpauth_scp_located *loc = &out->items[out->count];
    memset(loc, 0, sizeof(*loc));
    int rc = scpauth__scp_from_dir_entry(e, &loc->scp, &why);
    if (rc == SCPAUTH_ENOMEM)
        return rc;
    if (rc != SCPAUTH_OK) {
        reject(out, e->dn, &why);
        return SCPAUTH_OK;
    }
    if (opts->service_class != NULL &&
        !scpauth__ascii_equal_nocase(loc->scp.service_class, opts->service_class)) {
        scpauth_scp_free(&loc->scp);
        return SCPAUTH_OK;
    }
    if (opts->no_trust_checks)
        rc = scpauth__scp_client_spn(&loc->scp, opts->spn_without_port, loc->spn,
                                     sizeof(loc->spn), &why);
    else
        rc = scpauth__scp_trust_check(dir, &loc->scp, opts->spn_without_port, expect_dn,
                                      opts->expect_account, loc, &why);
    if (rc == SCPAUTH_ENOMEM) {
        scpauth_scp_free(&loc->scp);
        return rc;
    }
    if (rc != SCPAUTH_OK) {
        reject(out, e->dn, &why);
        scpauth_scp_free(&loc->scp);
        return SCPAUTH_OK;
    }
    loc->checked = !opts->no_trust_checks;
    out->count++;
    return SCPAUTH_OK;
}

/* The result code once every entry is taken (see scpauth_scp_locate). */
static int outcome(const scpauth_scp_locate_options *opts, const scpauth_scp_located_list *out,
                   scpauth_error *err)
{
    if (out->count > 0)
        return SCPAUTH_OK;
    if (out->n_rejected > 0) {
        if (err != NULL)
            *err = out->rejected[0].error;
        if (out->n_rejected > 1)
            scpauth__error_prefix(err, "%zu SCPs with keyword \"%.200s\" rejected, the first",
                                  out->n_rejected, opts->keyword);
        return out->rejected[0].error.code;
    }
    scpauth__error_set(err, SCPAUTH_ENOTFOUND, "no serviceConnectionPoint%s%s with keyword "
                       "\"%.200s\" under %s", opts->service_class != NULL ? " of class " : "",
                       opts->service_class != NULL ? opts->service_class : "", opts->keyword,
                       opts->base != NULL ? opts->base : "the forest (global catalog)");
    scpauth__error_hint(err, "the service publishes it at install time (scpauth scp publish); "
                             "check the keyword (the service's GUID)");
    return SCPAUTH_ENOTFOUND;
}

static int search(scpauth_dir *dir, const scpauth_scp_locate_options *opts,
                  scpauth__dir_entries *es, scpauth_error *err)
{
    char filter[FILTER_SIZE];
    size_t size = sizeof(filter);
    int rc = scpauth_scp_filter(opts->keyword, strlen(opts->keyword), filter, &size, err);
    if (rc != SCPAUTH_OK)
        return rc;
    void *gc = scpauth__dir_gc(dir, err);
    if (gc == NULL) {
        scpauth__error_prefix(err, "cannot search the forest for SCPs");
        return err != NULL ? err->code : SCPAUTH_ENODC;
    }
    scpauth__dir_query q = {opts->base != NULL ? opts->base : "", SCPAUTH__DIR_SCOPE_SUBTREE,
                            filter, scpauth__scp_read_attrs, scpauth__scp_binary_attrs};
    return scpauth__dir_search(dir, gc, &q, es, err);
}

int scpauth_scp_locate(scpauth_dir *dir, const scpauth_scp_locate_options *opts,
                       scpauth_scp_located_list *out, scpauth_error *err)
{
    if (out != NULL)
        memset(out, 0, sizeof(*out));
    if (dir == NULL || opts == NULL || opts->keyword == NULL || out == NULL)
        return scpauth__error_set(err, SCPAUTH_EINVAL, "scpauth_scp_locate: NULL argument");
    double t0 = dir->backend->now_ms();
    scpauth_dir_account expect;
    int rc = SCPAUTH_OK;
    if (opts->expect_account != NULL && !opts->no_trust_checks &&
        (rc = scpauth_dir_account_find(dir, opts->expect_account, &expect, err)) != SCPAUTH_OK) {
        scpauth__error_prefix(err, "the expected owner of located SCPs");
        return rc;
    }
    scpauth__dir_entries es = {0};
    if ((rc = search(dir, opts, &es, err)) != SCPAUTH_OK)
        return rc;
    out->search_ms = dir->backend->now_ms() - t0;
    out->n_seen = es.count;
    if (es.count > 0 && ((out->items = calloc(es.count, sizeof(*out->items))) == NULL ||
                         (out->rejected = calloc(es.count, sizeof(*out->rejected))) == NULL))
        rc = scpauth__error_set(err, SCPAUTH_ENOMEM, "out of memory reading %zu SCPs",
                                es.count);
    const char *expect_dn = opts->expect_account != NULL ? expect.dn : NULL;
    for (size_t i = 0; rc == SCPAUTH_OK && i < es.count; i++)
        if ((rc = take(dir, opts, expect_dn, &es.items[i], out)) != SCPAUTH_OK)
            scpauth__error_set(err, rc, "out of memory checking SCP %s", es.items[i].dn);
    scpauth__dir_entries_free(&es);
    if (out->count > 1)
        qsort(out->items, out->count, sizeof(*out->items), cmp_located);
    out->total_ms = dir->backend->now_ms() - t0;
    return rc != SCPAUTH_OK ? rc : outcome(opts, out, err);
}

void scpauth_scp_located_list_free(scpauth_scp_located_list *list)
{
    if (list == NULL)
        return;
    for (size_t i = 0; i < list->count; i++)
        scpauth_scp_free(&list->items[i].scp);
    free(list->items);
    free(list->rejected);
    memset(list, 0, sizeof(*list));
}
