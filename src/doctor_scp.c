/* doctor_scp.c - client side with a keyword: is there a
 * serviceConnectionPoint that passes locate's trust checks, and which SPN
 * does a client compose from it? */
#include <stdio.h>
#include <string.h>

#include "doctor_internal.h"

static const scpauth_scp_located *pick(const scpauth_scp_located_list *l, const char *spn)
{
    if (spn[0] == '\0')
        return &l->items[0];
    for (size_t i = 0; i < l->count; i++)
        if (scpauth__ascii_equal_nocase(l->items[i].spn, spn))
            return &l->items[i];
    return NULL;
}

static void located(scpauth__doctor *d, scpauth_doctor_check *c,
                    const scpauth_scp_located_list *l)
{
    const scpauth_scp_located *s = pick(l, d->spn);
    if (s == NULL) {
        scpauth__doctor_set(c, SCPAUTH_DOCTOR_PROBLEM, SCPAUTH_ESCPUNTRUSTED,
                            "%zu SCP(s) found with keyword %s, but none gives SPN %s (the "
                            "first, %s, gives %s)", l->count, d->opts->keyword, d->spn,
                            l->items[0].scp.dn, l->items[0].spn);
        scpauth__doctor_fix(c, "check the SPN named, or update the SCP (scpauth scp update)");
        return;
    }
    if (d->spn[0] == '\0')
        scpauth__dir_copy(d->spn, sizeof(d->spn), s->spn);
    scpauth__doctor_set(c, l->n_rejected ? SCPAUTH_DOCTOR_WARN : SCPAUTH_DOCTOR_OK, SCPAUTH_OK,
                        "SCP %s found in %.1f ms: %s port %u, SPN %s owned by %s; trust "
                        "checks passed; %zu found, %zu rejected", s->scp.dn, l->search_ms,
                        s->scp.dns_name, s->scp.port, s->spn,
                        s->owner_sam[0] ? s->owner_sam : "(unchecked)", l->count,
                        l->n_rejected);
    if (l->n_rejected)
        scpauth__doctor_fix(c, "remove or repair the rejected SCP %s: %s", l->rejected[0].dn,
                            l->rejected[0].error.message);
}

void scpauth__doctor_check_scp(scpauth__doctor *d)
{
    scpauth_doctor_check *c = scpauth__doctor_add(d, "scp");
    const scpauth_doctor_options *o = d->opts;
    if (o->keyword == NULL) {
        scpauth__doctor_set(c, SCPAUTH_DOCTOR_SKIPPED, SCPAUTH_OK,
                            "client side with an SCP keyword or GUID only");
        return;
    }
    if (d->dir == NULL) {
        scpauth__doctor_set(c, SCPAUTH_DOCTOR_SKIPPED, SCPAUTH_OK,
                            "SCP %s not looked up: no directory session (see dc)", o->keyword);
        return;
    }
    scpauth_scp_locate_options lo;
    memset(&lo, 0, sizeof(lo));
    lo.keyword = o->keyword;
    lo.service_class = o->service_class;
    scpauth_scp_located_list l;
    memset(&l, 0, sizeof(l));
    scpauth_error err;
    scpauth_error_clear(&err);
    int rc = scpauth_scp_locate(d->dir, &lo, &l, &err);
    if (rc == SCPAUTH_OK && l.count > 0) {
        located(d, c, &l);
    } else if (rc == SCPAUTH_ENOTFOUND || (rc == SCPAUTH_OK && l.count == 0)) {
        scpauth__doctor_set(c, SCPAUTH_DOCTOR_PROBLEM, SCPAUTH_ENOTFOUND,
                            "no serviceConnectionPoint with keyword %s in the forest (global "
                            "catalog)%s%s", o->keyword, rc == SCPAUTH_OK ? "" : ": ",
                            rc == SCPAUTH_OK ? "" : err.message);
        scpauth__doctor_fix(c, "publish it on the service's host (scpauth scp publish --class "
                               "CLASS --port N --keyword %s), or check the keyword", o->keyword);
    } else {
        scpauth__doctor_fail(c, &err, "remove or repair the SCP named (scpauth scp find lists "
                                      "every SCP found and why one was rejected)");
    }
    scpauth_scp_located_list_free(&l);
}
