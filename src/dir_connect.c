/* dir_connect.c - DC discovery by DNS SRV and failover: try each DC in
 * RFC 2782 order until one binds, and say what happened to the others. */
#include <stdio.h>
#include <string.h>

#include "dir_internal.h"

int scpauth__dir_discover(scpauth_dir *dir, const char *qname, scpauth__dir_target *targets,
                          size_t *n, scpauth_error *err)
{
    scpauth__srv_list srv = {0};
    *n = 0;
    int rc = dir->backend->srv_lookup(qname, dir->timeout_ms, &srv, err);
    if (rc != SCPAUTH_OK)
        return rc;
    if (srv.count == 0) {
        scpauth__srv_list_free(&srv);
        scpauth__error_set(err, SCPAUTH_ENODC, "DNS has no SRV record %s", qname);
        scpauth__error_hint(err, "check the domain name and the DNS server, or name the DCs "
                                 "explicitly (--dc host[:port])");
        return SCPAUTH_ENODC;
    }
    uint32_t state = scpauth__rand_seed();
    scpauth__srv_order(srv.items, srv.count, scpauth__rand_xorshift, &state);
    for (size_t i = 0; i < srv.count && *n < SCPAUTH_DIR_DCS_MAX; i++) {
        scpauth__dir_copy(targets[*n].host, sizeof(targets[*n].host), srv.items[i].target);
        targets[*n].port = srv.items[i].port;
        (*n)++;
    }
    scpauth__srv_list_free(&srv);
    return SCPAUTH_OK;
}

/* Failures that no other DC can cure: stop trying. */
static int is_creds_failure(int code)
{
    return code == SCPAUTH_ENOCREDS || code == SCPAUTH_ECREDEXPIRED;
}

/* 1 when the message already names host:port. */
static int names_target(const scpauth_error *e, const scpauth__dir_target *t)
{
    char hp[SCPAUTH_DIR_HOST_MAX + 8];
    snprintf(hp, sizeof(hp), "%s:%u", t->host, t->port);
    return strstr(e->message, hp) != NULL;
}

/* Appends "host:port: why (ms)" to the failure list (cut when full). */
static void note_failure(char *list, size_t size, const scpauth__dir_target *t,
                         const scpauth_error *e, double ms)
{
    size_t used = strlen(list);
    if (used + 1 >= size)
        return;
    const char *why = e->message[0] ? e->message : scpauth_strerror(e->code);
    if (names_target(e, t))
        snprintf(list + used, size - used, "%s%.400s (%.0f ms)", used ? "; " : "", why, ms);
    else
        snprintf(list + used, size - used, "%s%.200s:%u: %.300s (%.0f ms)", used ? "; " : "",
                 t->host, t->port, why, ms);
}

int scpauth__dir_connect_any(scpauth_dir *dir, const scpauth__dir_target *targets, size_t n,
                             const char *what, void **bconn, size_t *used, unsigned *ssf,
                             scpauth_dir_attempt *attempts, size_t *n_attempts,
                             scpauth_error *err)
{
    char failures[SCPAUTH_ERROR_MESSAGE_MAX] = "";
    int all_auth = 1;
    scpauth_error last;
    scpauth_error_clear(&last);
    *bconn = NULL;
    if (n_attempts != NULL)
        *n_attempts = 0;
    for (size_t i = 0; i < n; i++) {
        double t0 = dir->backend->now_ms();
        scpauth_error e;
        scpauth_error_clear(&e);
        unsigned s = 0;
        int rc = dir->backend->connect(dir->bcreds, targets[i].host, targets[i].port,
                                       dir->timeout_ms, bconn, &s, &e);
        double ms = dir->backend->now_ms() - t0;
        if (attempts != NULL && n_attempts != NULL && *n_attempts < SCPAUTH_DIR_DCS_MAX) {
            scpauth_dir_attempt *a = &attempts[(*n_attempts)++];
            scpauth__dir_copy(a->host, sizeof(a->host), targets[i].host);
            a->port = targets[i].port;
            a->status = rc;
            a->elapsed_ms = ms;
        }
        if (rc == SCPAUTH_OK) {
            *used = i;
            if (ssf != NULL)
                *ssf = s;
            return SCPAUTH_OK;
        }
        *bconn = NULL;
        if (is_creds_failure(rc)) {
            if (err != NULL)
                *err = e;
            return rc;
        }
        all_auth = all_auth && rc == SCPAUTH_EDIRAUTH;
        note_failure(failures, sizeof(failures), &targets[i], &e, ms);
        last = e;
    }
    if (n == 1 && err != NULL) {
        /* one DC: its own error says it best */
        *err = last;
        if (names_target(&last, &targets[0]))
            scpauth__error_prefix(err, "%s", what);
        else
            scpauth__error_prefix(err, "%s %s:%u", what, targets[0].host, targets[0].port);
        return last.code;
    }
    int code = all_auth && n > 0 ? SCPAUTH_EDIRAUTH : SCPAUTH_ENODC;
    scpauth__error_set(err, code, "no %s of %s answered (%zu tried): %s", what,
                       dir->info.domain, n, failures);
    if (err != NULL && last.hint[0] != '\0' && all_auth)
        scpauth__error_hint(err, "%s", last.hint);
    else
        scpauth__error_hint(err, "check that the DCs run and are reachable, the DNS SRV "
                                 "records, or name DCs with --dc; each attempt waited at most "
                                 "%u ms (--timeout)",
                            dir->timeout_ms);
    return code;
}
