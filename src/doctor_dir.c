/* doctor_dir.c - the checks before any SPN: client credentials, the DC
 * and its bind, and the clock skew to the DC (or the KDC). */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "doctor_internal.h"

void scpauth__doctor_check_creds(scpauth__doctor *d)
{
    scpauth_doctor_check *c = scpauth__doctor_add(d, "creds");
    const scpauth_doctor_options *o = d->opts;
    scpauth_error err;
    scpauth_error_clear(&err);
    int rc = SCPAUTH_OK;
    if (o->dir.creds != NULL) {
        d->creds = o->dir.creds;
    } else {
        scpauth_creds_options co;
        memset(&co, 0, sizeof(co));
        co.role = SCPAUTH_ROLE_CLIENT;
        co.ccache = o->dir.ccache;
        co.backend = o->auth_backend;
        rc = scpauth_creds_acquire(&co, &d->owned_creds, &err);
        d->creds = d->owned_creds;
    }
    if (rc == SCPAUTH_OK)
        rc = scpauth_creds_name(d->creds, d->principal, sizeof(d->principal), &err);
    if (rc != SCPAUTH_OK) {
        scpauth__doctor_fail(c, &err, "get a ticket-granting ticket first (kinit USER), or "
                                      "name the ccache that holds one (--ccache)");
        d->principal[0] = '\0';
        return;
    }
    scpauth__doctor_set(c, SCPAUTH_DOCTOR_OK, SCPAUTH_OK, "client credentials of %s (%s)",
                        d->principal[0] ? d->principal : "the logon session",
                        o->dir.creds != NULL ? "given by the caller"
                        : o->dir.ccache != NULL ? o->dir.ccache
                                                : "the default ccache");
}

static const char *dc_fix(int code)
{
    switch (code) {
    case SCPAUTH_ENODC:
    case SCPAUTH_ETIMEDOUT:
    case SCPAUTH_ECONNREFUSED:
    case SCPAUTH_ERESOLVE:
        return "check the DC's name or address (--dc HOST), that TCP port 389 (and 3268, "
               "the global catalog) is reachable from this host, and the DNS SRV records "
               "_ldap._tcp.dc._msdcs.DOMAIN";
    case SCPAUTH_EDNS:
        return "this host's DNS server must answer for the AD domain (SRV records "
               "_ldap._tcp.dc._msdcs.DOMAIN), or name a DC with --dc";
    case SCPAUTH_ESKEW:
        return "synchronise this host's clock with the domain (see the clock check)";
    default:
        return "see the message; --verbose lists every DC tried";
    }
}

/* The attempts that failed before the DC in use, as " (x:389 failed: E...)". */
static void failed_attempts(const scpauth_dir_info *i, char *out, size_t size)
{
    out[0] = '\0';
    for (size_t k = 0; k < i->n_attempts; k++) {
        if (i->attempts[k].status == SCPAUTH_OK)
            continue;
        scpauth__doctor_append(out, size, "; %s:%u failed first: %s (%.0f ms)", i->attempts[k].host,
                 i->attempts[k].port, scpauth_err_name(i->attempts[k].status),
                 i->attempts[k].elapsed_ms);
    }
}

void scpauth__doctor_check_dc(scpauth__doctor *d)
{
    scpauth_doctor_check *c = scpauth__doctor_add(d, "dc");
    if (d->creds == NULL) {
        scpauth__doctor_set(c, SCPAUTH_DOCTOR_SKIPPED, SCPAUTH_OK,
                            "not tried: the bind needs client credentials (see creds)");
        return;
    }
    scpauth_dir_options o = d->opts->dir;
    o.creds = d->creds;
    o.ccache = NULL;
    scpauth_error err;
    scpauth_error_clear(&err);
    scpauth_dir_info info;
    int rc = scpauth_dir_open(&o, &d->dir, &err);
    if (rc == SCPAUTH_OK)
        rc = scpauth_dir_info_get(d->dir, &info, &err);
    if (rc != SCPAUTH_OK) {
        scpauth_dir_close(d->dir);
        d->dir = NULL;
        scpauth__doctor_fail(c, &err, dc_fix(err.code));
        return;
    }
    char failed[512];
    failed_attempts(&info, failed, sizeof(failed));
    scpauth__doctor_set(c, failed[0] ? SCPAUTH_DOCTOR_WARN : SCPAUTH_DOCTOR_OK, SCPAUTH_OK,
                        "DC %s:%u of %s (%s) bound as %s in %.1f ms, SSF %u%s", info.dc,
                        info.port, info.domain, info.discovered ? "DNS SRV" : "explicit DC",
                        info.principal, info.connect_ms, info.ssf, failed);
    if (failed[0])
        scpauth__doctor_fix(c, "a DC before it did not answer: check it, or put the working "
                               "DC first (--dc)");
}

/* ---- clock ------------------------------------------------------------- */

static int read_current_time(scpauth__doctor *d, double *skew, char *dc, size_t size,
                             scpauth_error *err)
{
    static const char *const attrs[] = {"currentTime", NULL};
    scpauth__dir_query q = {"", SCPAUTH__DIR_SCOPE_BASE, "(objectClass=*)", attrs, NULL};
    scpauth__dir_entries es = {0};
    time_t before = time(NULL);
    int rc = scpauth__dir_search(d->dir, d->dir->bconn, &q, &es, err);
    time_t after = time(NULL);
    if (rc != SCPAUTH_OK)
        return rc;
    const char *text = es.count ? scpauth__dir_entry_first(&es.items[0], "currentTime") : "";
    double remote = 0;
    if (*text == '\0')
        rc = scpauth__error_set(err, SCPAUTH_EDIR, "DC %s:%u gave no currentTime (RootDSE)",
                                d->dir->info.dc, d->dir->info.port);
    else
        rc = scpauth__doctor_gentime(text, &remote, err);
    scpauth__dir_entries_free(&es);
    if (rc != SCPAUTH_OK)
        return rc;
    /* currentTime has whole seconds: compare with the middle of the search */
    *skew = remote - ((double)before + (double)after) / 2.0;
    snprintf(dc, size, "DC %s (RootDSE currentTime)", d->dir->info.dc);
    return SCPAUTH_OK;
}

void scpauth__doctor_check_clock(scpauth__doctor *d)
{
    scpauth_doctor_check *c = scpauth__doctor_add(d, "clock");
    const scpauth_doctor_options *o = d->opts;
    unsigned warn_s = o->skew_warn_s ? o->skew_warn_s : SCPAUTH_DOCTOR_SKEW_WARN_S;
    unsigned max_s = o->skew_max_s ? o->skew_max_s : SCPAUTH_DOCTOR_SKEW_MAX_S;
    scpauth_error err;
    scpauth_error_clear(&err);
    double skew = 0;
    char source[SCPAUTH_DIR_HOST_MAX + 64];
    int rc;
    if (d->dir != NULL) {
        rc = read_current_time(d, &skew, source, sizeof(source), &err);
    } else {
        /* no session (a skewed clock is one reason): ask the KDC itself */
        char realm[SCPAUTH_DIR_HOST_MAX];
        rc = scpauth__kdc_skew(d->principal[0] ? d->principal : NULL, &skew, realm,
                               sizeof(realm), &err);
        snprintf(source, sizeof(source), "the KDC of %s (time in its reply to an AS-REQ)",
                 realm);
        if (rc == SCPAUTH_ENOTSUP) {
            scpauth__doctor_set(c, SCPAUTH_DOCTOR_SKIPPED, rc,
                                "no directory session, and this auth backend cannot ask the "
                                "KDC for its time");
            return;
        }
    }
    if (rc != SCPAUTH_OK) {
        scpauth__doctor_set(c, SCPAUTH_DOCTOR_SKIPPED, rc, "could not read the time: %s",
                            err.message);
        return;
    }
    d->report->skew_s = skew;
    d->report->has_skew = 1;
    scpauth__doctor_skew_judge(c, skew, warn_s, max_s, source);
}
