/* doctor.c - scpauth_doctor_run: the order of the checks, the session and
 * credentials they share, and the report's bookkeeping. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "doctor_internal.h"

const char *scpauth_doctor_status_name(scpauth_doctor_status s)
{
    switch (s) {
    case SCPAUTH_DOCTOR_OK: return "ok";
    case SCPAUTH_DOCTOR_WARN: return "warn";
    case SCPAUTH_DOCTOR_PROBLEM: return "problem";
    case SCPAUTH_DOCTOR_SKIPPED: return "skipped";
    }
    return "unknown";
}

const scpauth_doctor_check *scpauth_doctor_find(const scpauth_doctor_report *r,
                                                const char *name)
{
    for (size_t i = 0; r != NULL && name != NULL && i < r->count; i++)
        if (strcmp(r->checks[i].name, name) == 0)
            return &r->checks[i];
    return NULL;
}

scpauth_doctor_check *scpauth__doctor_add(scpauth__doctor *d, const char *name)
{
    scpauth_doctor_report *r = d->report;
    /* the run adds at most one check of each kind: the array has room */
    scpauth_doctor_check *c = &r->checks[r->count < SCPAUTH_DOCTOR_CHECKS_MAX
                                             ? r->count++
                                             : SCPAUTH_DOCTOR_CHECKS_MAX - 1];
    memset(c, 0, sizeof(*c));
    c->name = name;
    c->status = SCPAUTH_DOCTOR_SKIPPED;
    return c;
}

void scpauth__doctor_set(scpauth_doctor_check *c, scpauth_doctor_status s, int code,
                         const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->detail, sizeof(c->detail), fmt, ap);
    va_end(ap);
    c->status = s;
    c->code = code;
}

void scpauth__doctor_fix(scpauth_doctor_check *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->fix, sizeof(c->fix), fmt, ap);
    va_end(ap);
}

void scpauth__doctor_append(char *out, size_t size, const char *fmt, ...)
{
    size_t n = strlen(out);
    if (n + 1 >= size)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(out + n, size - n, fmt, ap);
    va_end(ap);
}

void scpauth__doctor_fail(scpauth_doctor_check *c, const scpauth_error *err,
                          const char *fallback_fix)
{
    int code = err->code != SCPAUTH_OK ? err->code : SCPAUTH_EINTERNAL;
    scpauth__doctor_set(c, SCPAUTH_DOCTOR_PROBLEM, code, "%s", err->message);
    scpauth__doctor_fix(c, "%s", err->hint[0] ? err->hint : fallback_fix ? fallback_fix : "");
}

static int check_options(const scpauth_doctor_options *o, scpauth_doctor_report *r,
                         scpauth_error *err)
{
    if (o == NULL || r == NULL)
        return scpauth__error_set(err, SCPAUTH_EINVAL, "doctor: NULL options or report");
    if (o->spn == NULL && o->keyword == NULL) {
        scpauth__error_set(err, SCPAUTH_EINVAL, "doctor: no SPN and no SCP keyword given");
        scpauth__error_hint(err, "name the SPN (class/host[:port]) or, on a client, the "
                                 "SCP keyword or GUID the service publishes");
        return SCPAUTH_EINVAL;
    }
    if (o->keyword != NULL && o->keytab != NULL)
        return scpauth__error_set(err, SCPAUTH_EINVAL,
                                  "doctor: a keytab (service side) and an SCP keyword "
                                  "(client side) do not go together");
    if (o->spn != NULL) {
        scpauth_spn_parts p;
        int rc = scpauth_spn_crack(o->spn, strlen(o->spn), &p, err);
        if (rc != SCPAUTH_OK)
            return rc;
        if (strlen(o->spn) >= sizeof(r->spn))
            return scpauth__error_set(err, SCPAUTH_EINVAL, "doctor: SPN too long");
    }
    return SCPAUTH_OK;
}

static double now_ms(const scpauth_doctor_options *o)
{
    const struct scpauth_dir_backend *b =
        o->dir.backend != NULL ? o->dir.backend : scpauth_dir_backend_default();
    return b != NULL && b->now_ms != NULL ? b->now_ms() : 0.0;
}

static void timed(scpauth__doctor *d, void (*check)(scpauth__doctor *))
{
    size_t before = d->report->count;
    double t0 = now_ms(d->opts);
    check(d);
    double t1 = now_ms(d->opts);
    for (size_t i = before; i < d->report->count; i++)
        d->report->checks[i].elapsed_ms = t1 - t0;
}

int scpauth_doctor_run(const scpauth_doctor_options *opts, scpauth_doctor_report *report,
                       scpauth_error *err)
{
    int rc = check_options(opts, report, err);
    if (rc != SCPAUTH_OK)
        return rc;
    memset(report, 0, sizeof(*report));
    scpauth__doctor d;
    memset(&d, 0, sizeof(d));
    d.opts = opts;
    d.report = report;
    if (opts->spn != NULL)
        scpauth__dir_copy(d.spn, sizeof(d.spn), opts->spn);

    timed(&d, scpauth__doctor_check_creds);
    timed(&d, scpauth__doctor_check_dc);
    timed(&d, scpauth__doctor_check_clock);
    if (opts->keytab == NULL)
        timed(&d, scpauth__doctor_check_scp); /* may name the SPN */
    timed(&d, scpauth__doctor_check_spn);
    timed(&d, scpauth__doctor_check_enctypes);
    timed(&d, scpauth__doctor_check_keytab);
    timed(&d, scpauth__doctor_check_ticket);

    scpauth_dir_close(d.dir);
    scpauth_creds_free(d.owned_creds);
    scpauth__dir_copy(report->spn, sizeof(report->spn), d.spn);
    for (size_t i = 0; i < report->count; i++) {
        report->problems += report->checks[i].status == SCPAUTH_DOCTOR_PROBLEM;
        report->warnings += report->checks[i].status == SCPAUTH_DOCTOR_WARN;
    }
    return SCPAUTH_OK;
}
