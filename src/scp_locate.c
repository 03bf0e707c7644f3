/* scp_locate.c - finding SCPs by keyword through the global catalog
 * (Microsoft's ScpLocate), each parsed and, by default, trust-checked; a bad
 * SCP is reported and skipped, never fatal to the others. Two searches in
 * all for up to TRUST_BATCH SCPs: the SCPs, then the facts every check
 * needs (scp_trust.c), both on the global catalog connection. */
#include <stdlib.h>
#include <string.h>

#include "scp_ops.h"

#define FILTER_SIZE (SCPAUTH_SCP_KEYWORD_MAX * 3 + 64)
#define TRUST_BATCH 32 /* SCPs whose trust checks share one search */

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

/* What became of one entry of the search. */
enum { SKIPPED, KEPT, REJECTED };

typedef struct pass {
    scpauth_dir *dir;
    const scpauth_scp_locate_options *opts;
    const char *expect_dn;
    scpauth__dir_entries *es;
    scpauth_scp_located *locs; /* one per entry, in entry order */
    int *state;                /* one per entry */
    scpauth_error *why;        /* one per entry: why it was rejected */
} pass;

/* Parses entry i and makes the checks that need no search. Only an
 * allocation failure stops the whole call. */
static int parse_one(pass *p, size_t i)
{
    scpauth_scp_located *loc = &p->locs[i];
    int rc = scpauth__scp_from_dir_entry(&p->es->items[i], &loc->scp, &p->why[i]);
    p->state[i] = rc == SCPAUTH_OK ? KEPT : REJECTED;
    if (rc != SCPAUTH_OK)
        return rc == SCPAUTH_ENOMEM ? rc : SCPAUTH_OK;
    if (p->opts->service_class != NULL &&
        !scpauth__ascii_equal_nocase(loc->scp.service_class, p->opts->service_class))
        p->state[i] = SKIPPED;
    else if (p->opts->no_trust_checks)
        rc = scpauth__scp_client_spn(&loc->scp, p->opts->spn_without_port, loc->spn,
                                     sizeof(loc->spn), &p->why[i]);
    else
        rc = scpauth__scp_trust_prepare(p->opts->spn_without_port, loc, &p->why[i]);
    if (rc != SCPAUTH_OK)
        p->state[i] = REJECTED;
    return rc == SCPAUTH_ENOMEM ? rc : SCPAUTH_OK;
}

/* The trust checks of the kept entries among idx[0..n): one search. */
static int check_batch(pass *p, void *gc, const size_t *idx, size_t n)
{
    scpauth_scp_located *locs[TRUST_BATCH];
    for (size_t k = 0; k < n; k++)
        locs[k] = &p->locs[idx[k]];
    scpauth__dir_entries found = {0};
    scpauth_error ferr;
    scpauth_error_clear(&ferr);
    int rc = scpauth__scp_trust_fetch(p->dir, gc, locs, n, &found, &ferr);
    for (size_t k = 0; rc != SCPAUTH_ENOMEM && k < n; k++) {
        scpauth_error *why = &p->why[idx[k]];
        int r = rc;
        if (rc == SCPAUTH_OK)
            r = scpauth__scp_trust_match(&found, p->expect_dn, p->opts->expect_account,
                                         locs[k], why);
        else
            *why = ferr; /* the search failed: each SCP of the batch says why */
        if (r != SCPAUTH_OK)
            p->state[idx[k]] = REJECTED;
    }
    scpauth__dir_entries_free(&found);
    return rc == SCPAUTH_ENOMEM ? rc : SCPAUTH_OK;
}

/* The trust checks of every kept entry, TRUST_BATCH SCPs per search. */
static int check_all(pass *p, scpauth_error *err)
{
    void *gc = scpauth__dir_gc(p->dir, err);
    if (gc == NULL)
        return err != NULL ? err->code : SCPAUTH_ENODC;
    size_t idx[TRUST_BATCH], n = 0;
    for (size_t i = 0; i <= p->es->count; i++) {
        int flush = i == p->es->count || n == TRUST_BATCH;
        if (flush && n > 0) {
            int rc = check_batch(p, gc, idx, n);
            if (rc != SCPAUTH_OK)
                return scpauth__error_set(err, rc, "out of memory checking %zu SCPs", n);
            n = 0;
        }
        if (i < p->es->count && p->state[i] == KEPT)
            idx[n++] = i;
    }
    return SCPAUTH_OK;
}

/* Moves kept entries to out->items and rejected ones to out->rejected, in
 * entry order; frees the others. */
static void settle(pass *p, scpauth_scp_located_list *out)
{
    for (size_t i = 0; i < p->es->count; i++) {
        if (p->state[i] == KEPT) {
            p->locs[i].checked = !p->opts->no_trust_checks;
            if (out->count != i)
                out->items[out->count] = p->locs[i];
            out->count++;
            continue;
        }
        if (p->state[i] == REJECTED)
            reject(out, p->es->items[i].dn, &p->why[i]);
        scpauth_scp_free(&p->locs[i].scp);
    }
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
    pass p = {dir, opts, opts->expect_account != NULL ? expect.dn : NULL, &es, NULL, NULL,
              NULL};
    if (es.count > 0 && ((out->items = calloc(es.count, sizeof(*out->items))) == NULL ||
                         (out->rejected = calloc(es.count, sizeof(*out->rejected))) == NULL ||
                         (p.state = calloc(es.count, sizeof(*p.state))) == NULL ||
                         (p.why = calloc(es.count, sizeof(*p.why))) == NULL))
        rc = scpauth__error_set(err, SCPAUTH_ENOMEM, "out of memory reading %zu SCPs",
                                es.count);
    p.locs = out->items;
    size_t parsed = 0;
    for (; rc == SCPAUTH_OK && parsed < es.count; parsed++)
        if ((rc = parse_one(&p, parsed)) != SCPAUTH_OK)
            scpauth__error_set(err, rc, "out of memory reading SCP %s", es.items[parsed].dn);
    if (rc == SCPAUTH_OK && !opts->no_trust_checks)
        rc = check_all(&p, err);
    if (rc == SCPAUTH_OK) {
        settle(&p, out);
    } else {
        for (size_t i = 0; i < parsed; i++)
            scpauth_scp_free(&p.locs[i].scp);
    }
    free(p.state);
    free(p.why);
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
