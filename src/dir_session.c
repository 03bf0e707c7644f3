/* dir_session.c - opening a directory session: credentials, the domain,
 * the DCs to try (explicit or DNS SRV), the bind, and the RootDSE facts;
 * at open, or (opts->defer_dc) when an operation first needs the DC. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dir_internal.h"

static int domain_from_principal(const char *principal, char *out, size_t size,
                                 scpauth_error *err)
{
    const char *at = strrchr(principal, '@');
    if (at == NULL || at[1] == '\0') {
        scpauth__error_set(err, SCPAUTH_EINVAL,
                           "no domain given and the credentials' name \"%.200s\" has no realm",
                           principal);
        scpauth__error_hint(err, "give the domain (--domain example.com)");
        return SCPAUTH_EINVAL;
    }
    return scpauth__dir_domain_norm("realm of the credentials", at + 1, out, size, err);
}

static int read_rootdse(scpauth_dir *dir, scpauth_error *err)
{
    static const char *const attrs[] = {"defaultNamingContext", "rootDomainNamingContext",
                                        "dnsHostName", NULL};
    scpauth__dir_query q = {"", SCPAUTH__DIR_SCOPE_BASE, "(objectClass=*)", attrs};
    scpauth__dir_entries es = {0};
    int rc = scpauth__dir_search(dir, dir->bconn, &q, &es, err);
    if (rc != SCPAUTH_OK)
        return rc;
    const char *base = es.count ? scpauth__dir_entry_first(&es.items[0], attrs[0]) : "";
    const char *forest = es.count ? scpauth__dir_entry_first(&es.items[0], attrs[1]) : "";
    if (*base == '\0') {
        scpauth__dir_entries_free(&es);
        return scpauth__error_set(err, SCPAUTH_EDIR,
                                  "DC %s:%u did not give its defaultNamingContext (RootDSE)",
                                  dir->info.dc, dir->info.port);
    }
    scpauth__dir_copy(dir->info.base_dn, sizeof(dir->info.base_dn), base);
    scpauth__dir_copy(dir->info.forest_dn, sizeof(dir->info.forest_dn),
                      *forest ? forest : base);
    scpauth__dir_entries_free(&es);
    return SCPAUTH_OK;
}

static int explicit_targets(scpauth_dir *dir, const scpauth_dir_options *opts,
                            scpauth_error *err)
{
    if (opts->n_dcs > SCPAUTH_DIR_DCS_MAX)
        return scpauth__error_set(err, SCPAUTH_EINVAL, "%zu DCs given; at most %d",
                                  opts->n_dcs, SCPAUTH_DIR_DCS_MAX);
    for (size_t i = 0; i < opts->n_dcs; i++) {
        int rc = scpauth__dir_target_parse(opts->dcs[i], SCPAUTH_DIR_PORT_LDAP,
                                           &dir->explicit_dcs[i], err);
        if (rc != SCPAUTH_OK)
            return rc;
    }
    dir->n_explicit = opts->n_dcs;
    return SCPAUTH_OK;
}

static int connect_dc(scpauth_dir *dir, scpauth_error *err)
{
    scpauth__dir_target found[SCPAUTH_DIR_DCS_MAX];
    const scpauth__dir_target *targets = dir->explicit_dcs;
    size_t n = dir->n_explicit, used = 0;
    if (n == 0) {
        char qname[SCPAUTH_DIR_HOST_MAX + 32];
        snprintf(qname, sizeof(qname), "_ldap._tcp.dc._msdcs.%s", dir->info.domain);
        int rc = scpauth__dir_discover(dir, qname, found, &n, err);
        if (rc != SCPAUTH_OK)
            return rc;
        targets = found;
        dir->info.discovered = 1;
    }
    double t0 = dir->backend->now_ms();
    int rc = scpauth__dir_connect_any(dir, targets, n, "domain controller", &dir->bconn, &used,
                                      &dir->info.ssf, dir->info.attempts,
                                      &dir->info.n_attempts, err);
    dir->info.connect_ms = dir->backend->now_ms() - t0;
    if (rc != SCPAUTH_OK)
        return rc;
    scpauth__dir_copy(dir->info.dc, sizeof(dir->info.dc), targets[used].host);
    dir->info.port = targets[used].port;
    return SCPAUTH_OK;
}

static int open_session(scpauth_dir *dir, const scpauth_dir_options *opts, scpauth_error *err)
{
    int rc = explicit_targets(dir, opts, err);
    if (rc != SCPAUTH_OK)
        return rc;
    rc = dir->backend->creds_acquire(opts, &dir->bcreds, dir->info.principal,
                                     sizeof(dir->info.principal), err);
    if (rc != SCPAUTH_OK)
        return rc;
    rc = opts->domain != NULL
             ? scpauth__dir_domain_norm("domain", opts->domain, dir->info.domain,
                                        sizeof(dir->info.domain), err)
             : domain_from_principal(dir->info.principal, dir->info.domain,
                                     sizeof(dir->info.domain), err);
    if (rc != SCPAUTH_OK)
        return rc;
    dir->dc_deferred = opts->defer_dc != 0;
    return dir->dc_deferred ? SCPAUTH_OK : scpauth__dir_dc_ready(dir, err);
}

int scpauth__dir_dc_ready(scpauth_dir *dir, scpauth_error *err)
{
    if (dir->bconn != NULL)
        return SCPAUTH_OK;
    if (!dir->dc_tried) {
        dir->dc_tried = 1;
        scpauth_error_clear(&dir->dc_error);
        int rc = connect_dc(dir, &dir->dc_error);
        if (rc == SCPAUTH_OK && (rc = read_rootdse(dir, &dir->dc_error)) != SCPAUTH_OK) {
            dir->backend->disconnect(dir->bconn); /* no half-open session */
            dir->bconn = NULL;
        }
        if (rc == SCPAUTH_OK)
            return rc;
    }
    if (err != NULL)
        *err = dir->dc_error;
    return dir->dc_error.code != SCPAUTH_OK ? dir->dc_error.code : SCPAUTH_ENODC;
}

int scpauth_dir_open(const scpauth_dir_options *opts, scpauth_dir **out, scpauth_error *err)
{
    if (out != NULL)
        *out = NULL;
    if (opts == NULL || out == NULL || (opts->n_dcs > 0 && opts->dcs == NULL))
        return scpauth__error_set(err, SCPAUTH_EINVAL, "scpauth_dir_open: NULL argument");
    const struct scpauth_dir_backend *b =
        opts->backend != NULL ? opts->backend : scpauth_dir_backend_default();
    if (b == NULL)
        return scpauth__error_set(err, SCPAUTH_ENOTSUP, "no directory backend built in");
    scpauth_dir *dir = calloc(1, sizeof(*dir));
    if (dir == NULL)
        return scpauth__error_set(err, SCPAUTH_ENOMEM, "out of memory opening a directory session");
    dir->backend = b;
    dir->timeout_ms = opts->timeout_ms ? opts->timeout_ms : SCPAUTH_DIR_TIMEOUT_DEFAULT_MS;
    int rc = open_session(dir, opts, err);
    if (rc != SCPAUTH_OK) {
        scpauth_dir_close(dir);
        return rc;
    }
    *out = dir;
    return SCPAUTH_OK;
}

void scpauth_dir_close(scpauth_dir *dir)
{
    if (dir == NULL)
        return;
    if (dir->bgc != NULL)
        dir->backend->disconnect(dir->bgc);
    if (dir->bconn != NULL)
        dir->backend->disconnect(dir->bconn);
    if (dir->bcreds != NULL)
        dir->backend->creds_free(dir->bcreds);
    free(dir);
}

int scpauth_dir_info_get(const scpauth_dir *dir, scpauth_dir_info *info, scpauth_error *err)
{
    if (dir == NULL || info == NULL)
        return scpauth__error_set(err, SCPAUTH_EINVAL, "scpauth_dir_info_get: NULL argument");
    *info = dir->info;
    return SCPAUTH_OK;
}
