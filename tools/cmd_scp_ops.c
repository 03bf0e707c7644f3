/* cmd_scp_ops.c - the subcommands of `scpauth scp`, each through one
 * directory session; the GUID of a published SCP is kept in a small state
 * file (one line, the GUID's text form) as Microsoft's sample keeps it in
 * the registry. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cmd_scp.h"

/* ---- state file ---------------------------------------------------------- */

static int state_write(const char *path, const scpauth_guid *guid, scpauth_error *err)
{
    char text[SCPAUTH_GUID_STRING_SIZE], tmp[4096];
    scpauth_guid_to_string(guid, text);
    if (snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= (int)sizeof(tmp)) {
        err->code = SCPAUTH_EINVAL;
        snprintf(err->message, sizeof(err->message), "state file name too long: %.200s", path);
        return SCPAUTH_EINVAL;
    }
    FILE *f = fopen(tmp, "w");
    int ok = f != NULL && fprintf(f, "%s\n", text) > 0;
    ok = (f != NULL && fclose(f) == 0) && ok && rename(tmp, path) == 0;
    if (ok)
        return SCPAUTH_OK;
    memset(err, 0, sizeof(*err));
    err->code = SCPAUTH_EIO;
    snprintf(err->message, sizeof(err->message),
             "cannot write the SCP's GUID %s to state file %.300s: %s", text, path,
             strerror(errno));
    remove(tmp);
    return SCPAUTH_EIO;
}

/* The SCP's GUID: --guid, or the first line of --state-file. */
static int guid_of(const scp_opts *o, scpauth_guid *guid, scpauth_error *err)
{
    char line[128] = "";
    const char *text = o->guid;
    if (text == NULL && o->state_file != NULL) {
        FILE *f = fopen(o->state_file, "r");
        if (f == NULL || fgets(line, sizeof(line), f) == NULL) {
            memset(err, 0, sizeof(*err));
            err->code = f == NULL ? SCPAUTH_ENOTFOUND : SCPAUTH_EINVAL;
            snprintf(err->message, sizeof(err->message), "cannot read the SCP's GUID from "
                     "state file %.300s: %s", o->state_file,
                     f == NULL ? strerror(errno) : "empty");
            if (f != NULL)
                fclose(f);
            return err->code;
        }
        fclose(f);
        line[strcspn(line, "\r\n")] = '\0';
        text = line;
    }
    if (text == NULL) {
        memset(err, 0, sizeof(*err));
        err->code = SCPAUTH_EINVAL;
        snprintf(err->message, sizeof(err->message), "--guid GUID or --state-file FILE is "
                 "required");
        return SCPAUTH_EINVAL;
    }
    if (text[0] == '<' || strchr(text, ':') != NULL)
        return scpauth_guid_from_dn(text, strlen(text), guid, err);
    return scpauth_guid_from_string(text, strlen(text), guid, err);
}

/* ---- parameters and output ------------------------------------------------ */

static int params_of(const scp_opts *o, scpauth_scp_params *p, char *host, size_t size,
                     scpauth_error *err)
{
    memset(p, 0, sizeof(*p));
    const char *missing = o->service_class == NULL ? "--class CLASS"
                          : o->port == 0           ? "--port N"
                          : o->n_keywords == 0     ? "--keyword GUID (the service's GUID)"
                                                   : NULL;
    if (missing != NULL) {
        memset(err, 0, sizeof(*err));
        err->code = SCPAUTH_EINVAL;
        snprintf(err->message, sizeof(err->message), "%s is required", missing);
        return SCPAUTH_EINVAL;
    }
    if (o->host != NULL)
        snprintf(host, size, "%s", o->host);
    else if (scpauth_host_fqdn(host, size, err) != SCPAUTH_OK)
        return err->code;
    p->service_class = o->service_class;
    p->dns_name = host;
    p->port = (unsigned)o->port;
    p->guid_keyword = o->keywords[0];
    p->keywords = o->keywords + 1;
    p->n_keywords = o->n_keywords - 1;
    p->description = o->description;
    p->instance = o->instance;
    p->parent_dn = o->parent;
    return SCPAUTH_OK;
}

static void print_scp(const scpauth_scp *s, const char *spn, const char *owner_sam,
                      const char *owner_dn)
{
    char guid[SCPAUTH_GUID_STRING_SIZE] = "";
    if (s->has_guid)
        scpauth_guid_to_string(&s->guid, guid);
    printf("%s\n\tguid: %s\n\tclass: %s\n\thost: %s\n\tport: %u\n", s->dn, guid,
           s->service_class, s->dns_name, s->port);
    for (size_t i = 0; i < s->n_keywords; i++)
        printf("\tkeyword: %s\n", s->keywords[i]);
    if (s->description != NULL)
        printf("\tdescription: %s\n", s->description);
    if (spn != NULL && spn[0])
        printf("\tspn: %s\n", spn);
    if (owner_dn != NULL && owner_dn[0])
        printf("\towner: %s (%s)\n", owner_sam, owner_dn);
}

static void json_scp(cli_json *j, const char *key, const scpauth_scp *s)
{
    char guid[SCPAUTH_GUID_STRING_SIZE] = "";
    if (s->has_guid)
        scpauth_guid_to_string(&s->guid, guid);
    cli_json_obj_begin(j, key);
    cli_json_str(j, "dn", s->dn);
    cli_json_str(j, "guid", s->has_guid ? guid : NULL);
    cli_json_str(j, "cn", s->cn);
    cli_json_str(j, "class", s->service_class);
    cli_json_str(j, "host", s->dns_name);
    cli_json_str(j, "host_type", s->dns_name_type == SCPAUTH_SCP_DNS_SRV ? "SRV" : "A");
    cli_json_int(j, "port", s->port);
    cli_json_arr_begin(j, "bindings");
    for (size_t i = 0; i < s->n_bindings; i++)
        cli_json_str(j, NULL, s->bindings[i]);
    cli_json_arr_end(j);
    cli_json_arr_begin(j, "keywords");
    for (size_t i = 0; i < s->n_keywords; i++)
        cli_json_str(j, NULL, s->keywords[i]);
    cli_json_arr_end(j);
    cli_json_str(j, "description", s->description);
    cli_json_obj_end(j);
}

/* Ends a subcommand: closes the session, reports a failure. */
static int done(const scp_opts *o, cli_dir_session *s, int rc, const scpauth_error *err)
{
    cli_dir_close(s);
    return rc == SCPAUTH_OK ? CLI_EXIT_OK : cli_scp_fail(o, err);
}

/* ---- subcommands ----------------------------------------------------------- */

static int write_result(const scp_opts *o, cli_dir_session *s, const scpauth_scp_written *w,
                        int update)
{
    char guid[SCPAUTH_GUID_STRING_SIZE];
    scpauth_guid_to_string(&w->guid, guid);
    scpauth_error err;
    memset(&err, 0, sizeof(err));
    int rc = SCPAUTH_OK;
    if (o->state_file != NULL) /* publish, or an update that may have recreated it */
        rc = state_write(o->state_file, &w->guid, &err);
    if (rc != SCPAUTH_OK)
        return done(o, s, rc, &err);
    if (o->json) {
        cli_json j;
        cli_json_begin(&j, stdout);
        cli_json_bool(&j, "ok", 1);
        cli_dir_json_dc(&j, &s->info);
        cli_json_str(&j, "dn", w->dn);
        cli_json_str(&j, "guid", guid);
        if (update) {
            cli_json_bool(&j, "changed", w->changed);
            cli_json_bool(&j, "recreated", w->recreated);
        }
        cli_json_end(&j);
    } else {
        printf("%s\n\tguid: %s\n", w->dn, guid);
        if (update)
            printf("\t%s\n", w->recreated ? "recreated (the SCP was missing)"
                             : w->changed ? "changed (host or port rewritten)"
                                          : "unchanged");
    }
    return done(o, s, SCPAUTH_OK, &err);
}

int cli_scp_publish(const scp_opts *o)
{
    scpauth_error err;
    memset(&err, 0, sizeof(err));
    scpauth_scp_params p;
    char host[SCPAUTH_HOST_NAME_MAX];
    cli_dir_session s;
    memset(&s, 0, sizeof(s));
    int rc = params_of(o, &p, host, sizeof(host), &err);
    if (rc == SCPAUTH_OK)
        rc = cli_dir_open(&o->dir, &o->creds, o->verb, &s, &err);
    scpauth_scp_written w;
    if (rc == SCPAUTH_OK)
        rc = scpauth_scp_publish(s.dir, &p, o->account, &w, &err);
    return rc == SCPAUTH_OK ? write_result(o, &s, &w, 0) : done(o, &s, rc, &err);
}

int cli_scp_update(const scp_opts *o)
{
    scpauth_error err;
    memset(&err, 0, sizeof(err));
    scpauth_scp_params p;
    scpauth_guid guid;
    char host[SCPAUTH_HOST_NAME_MAX];
    cli_dir_session s;
    memset(&s, 0, sizeof(s));
    int rc = guid_of(o, &guid, &err);
    if (rc == SCPAUTH_OK)
        rc = params_of(o, &p, host, sizeof(host), &err);
    if (rc == SCPAUTH_OK)
        rc = cli_dir_open(&o->dir, &o->creds, o->verb, &s, &err);
    scpauth_scp_written w;
    if (rc == SCPAUTH_OK)
        rc = scpauth_scp_update(s.dir, &guid, &p, o->account, &w, &err);
    return rc == SCPAUTH_OK ? write_result(o, &s, &w, 1) : done(o, &s, rc, &err);
}

int cli_scp_show(const scp_opts *o)
{
    scpauth_error err;
    memset(&err, 0, sizeof(err));
    scpauth_guid guid;
    cli_dir_session s;
    memset(&s, 0, sizeof(s));
    scpauth_scp scp = SCPAUTH_SCP_INIT;
    int rc = guid_of(o, &guid, &err);
    if (rc == SCPAUTH_OK)
        rc = cli_dir_open(&o->dir, &o->creds, o->verb, &s, &err);
    if (rc == SCPAUTH_OK)
        rc = scpauth_scp_read(s.dir, &guid, &scp, &err);
    if (rc == SCPAUTH_OK && o->json) {
        cli_json j;
        cli_json_begin(&j, stdout);
        cli_json_bool(&j, "ok", 1);
        cli_dir_json_dc(&j, &s.info);
        json_scp(&j, "scp", &scp);
        cli_json_end(&j);
    } else if (rc == SCPAUTH_OK) {
        print_scp(&scp, NULL, NULL, NULL);
    }
    scpauth_scp_free(&scp);
    return done(o, &s, rc, &err);
}

int cli_scp_remove(const scp_opts *o)
{
    scpauth_error err;
    memset(&err, 0, sizeof(err));
    scpauth_guid guid;
    cli_dir_session s;
    memset(&s, 0, sizeof(s));
    scpauth_scp_written w;
    int rc = guid_of(o, &guid, &err);
    if (rc == SCPAUTH_OK)
        rc = cli_dir_open(&o->dir, &o->creds, o->verb, &s, &err);
    if (rc == SCPAUTH_OK)
        rc = scpauth_scp_remove(s.dir, &guid, &w, &err);
    if (rc == SCPAUTH_OK && o->json) {
        cli_json j;
        cli_json_begin(&j, stdout);
        cli_json_bool(&j, "ok", 1);
        cli_json_str(&j, "removed", w.dn);
        cli_json_end(&j);
    } else if (rc == SCPAUTH_OK) {
        printf("removed %s\n", w.dn);
    }
    return done(o, &s, rc, &err);
}

static void json_found(cli_json *j, const scpauth_scp_located_list *l)
{
    cli_json_int(j, "seen", (long long)l->n_seen);
    cli_json_num(j, "search_ms", l->search_ms);
    cli_json_num(j, "total_ms", l->total_ms);
    cli_json_arr_begin(j, "scps");
    for (size_t i = 0; i < l->count; i++) {
        const scpauth_scp_located *x = &l->items[i];
        cli_json_obj_begin(j, NULL);
        json_scp(j, "scp", &x->scp);
        cli_json_str(j, "spn", x->spn);
        cli_json_bool(j, "checked", x->checked);
        cli_json_str(j, "host_dn", x->host_dn[0] ? x->host_dn : NULL);
        cli_json_str(j, "owner_dn", x->owner_dn[0] ? x->owner_dn : NULL);
        cli_json_str(j, "owner", x->owner_sam[0] ? x->owner_sam : NULL);
        cli_json_obj_end(j);
    }
    cli_json_arr_end(j);
    cli_json_arr_begin(j, "rejected");
    for (size_t i = 0; i < l->n_rejected; i++) {
        cli_json_obj_begin(j, NULL);
        cli_json_str(j, "dn", l->rejected[i].dn);
        cli_json_error(j, &l->rejected[i].error);
        cli_json_obj_end(j);
    }
    cli_json_arr_end(j);
}

int cli_scp_find(const scp_opts *o)
{
    if (o->n_keywords != 1)
        return cli_usage_error(o->verb, "give exactly one --keyword (the service's GUID)");
    scpauth_error err;
    memset(&err, 0, sizeof(err));
    cli_dir_session s;
    cli_dir_opts d = o->dir;
    d.defer_dc = 1; /* the global catalog alone unless --expect-account needs the DC */
    int rc = cli_dir_open(&d, &o->creds, o->verb, &s, &err);
    scpauth_scp_locate_options lo = {o->keywords[0], o->service_class, o->base,
                                     o->expect_account, o->no_trust_checks,
                                     o->spn_without_port};
    scpauth_scp_located_list l;
    memset(&l, 0, sizeof(l));
    if (rc == SCPAUTH_OK)
        rc = scpauth_scp_locate(s.dir, &lo, &l, &err);
    for (size_t i = 0; i < l.n_rejected; i++)
        fprintf(stderr, "scpauth %s: rejected %s: %s\n", o->verb, l.rejected[i].dn,
                l.rejected[i].error.message);
    if (rc == SCPAUTH_OK || l.n_seen > 0)
        fprintf(stderr, "scpauth %s: %zu SCP(s) found, %zu rejected, of %zu read; located in "
                "%.1f ms (global catalog search %.1f ms)\n", o->verb, l.count, l.n_rejected,
                l.n_seen, l.total_ms, l.search_ms);
    if (rc == SCPAUTH_OK && o->json) {
        cli_json j;
        cli_json_begin(&j, stdout);
        cli_json_bool(&j, "ok", 1);
        cli_dir_json_dc(&j, &s.info);
        json_found(&j, &l);
        cli_json_end(&j);
    }
    for (size_t i = 0; rc == SCPAUTH_OK && !o->json && i < l.count; i++)
        print_scp(&l.items[i].scp, l.items[i].spn, l.items[i].owner_sam, l.items[i].owner_dn);
    scpauth_scp_located_list_free(&l);
    return done(o, &s, rc, &err);
}
