/* cmd_spn_dir.c - the directory subcommands: add, replace, delete, list,
 * query and check, each through one scpauth_dir session. */
#include <stdio.h>
#include <string.h>

#include "cmd_spn.h"

static void json_account(cli_json *j, const scpauth_dir_account *a)
{
    cli_json_obj_begin(j, "account");
    cli_json_str(j, "dn", a->dn);
    cli_json_str(j, "sam_account_name", a->sam_account_name);
    cli_json_str(j, "upn", a->upn[0] ? a->upn : NULL);
    cli_json_str(j, "dns_host_name", a->dns_host_name[0] ? a->dns_host_name : NULL);
    cli_json_bool(j, "is_computer", a->is_computer);
    cli_json_bool(j, "is_self", a->is_self);
    cli_json_obj_end(j);
}

static void json_list(cli_json *j, const char *key, const scpauth_spn_list *l)
{
    cli_json_arr_begin(j, key);
    for (size_t i = 0; i < l->count; i++)
        cli_json_str(j, NULL, l->items[i]);
    cli_json_arr_end(j);
}

/* Ends a subcommand: the failure report, or nothing more on success. */
static int done(const spn_opts *o, cli_dir_session *s, int rc, const scpauth_error *err)
{
    cli_dir_close(s);
    return rc == SCPAUTH_OK ? CLI_EXIT_OK : cli_spn_fail(o, err);
}

static int need_account(const spn_opts *o, size_t min_spns)
{
    if (o->account == NULL)
        return cli_usage_error(o->verb, "--account ACCOUNT is required");
    if (o->n_pos < min_spns)
        return cli_usage_error(o->verb, "give at least one SPN");
    return CLI_EXIT_OK;
}

static void print_write(const scpauth_dir_spn_result *r)
{
    static const struct {
        size_t offset;
        const char *label;
    } groups[] = {
        {offsetof(scpauth_dir_spn_result, added), "added"},
        {offsetof(scpauth_dir_spn_result, removed), "removed"},
        {offsetof(scpauth_dir_spn_result, kept), "kept (already registered)"},
        {offsetof(scpauth_dir_spn_result, absent), "absent (was not registered)"},
    };
    printf("%s (%s):\n", r->account.dn, r->account.sam_account_name);
    for (size_t g = 0; g < sizeof(groups) / sizeof(groups[0]); g++) {
        const scpauth_spn_list *l =
            (const scpauth_spn_list *)((const char *)r + groups[g].offset);
        for (size_t i = 0; i < l->count; i++)
            printf("\t%s: %s\n", groups[g].label, l->items[i]);
    }
}

int cli_spn_write(const spn_opts *o, scpauth_dir_spn_op op)
{
    int rc = need_account(o, op == SCPAUTH_DIR_SPN_REPLACE ? 0 : 1);
    if (rc != CLI_EXIT_OK)
        return rc;
    cli_dir_session s;
    scpauth_error err;
    scpauth_error_clear(&err);
    scpauth_dir_spn_result r;
    memset(&r, 0, sizeof(r));
    rc = cli_dir_open(&o->dir, &o->creds, o->verb, &s, &err);
    if (rc == SCPAUTH_OK)
        rc = scpauth_dir_spn_write(s.dir, op, o->account, o->pos, o->n_pos, &r, &err);
    if (rc == SCPAUTH_OK && o->json) {
        cli_json j;
        cli_json_begin(&j, stdout);
        cli_json_bool(&j, "ok", 1);
        json_account(&j, &r.account);
        json_list(&j, "added", &r.added);
        json_list(&j, "removed", &r.removed);
        json_list(&j, "kept", &r.kept);
        json_list(&j, "absent", &r.absent);
        cli_dir_json_dc(&j, &s.info);
        cli_json_end(&j);
    } else if (rc == SCPAUTH_OK) {
        print_write(&r);
    }
    scpauth_dir_spn_result_free(&r);
    return done(o, &s, rc, &err);
}

int cli_spn_list(const spn_opts *o)
{
    const char *account = o->n_pos == 1 ? o->pos[0] : o->account;
    if (account == NULL || o->n_pos > 1 || (o->n_pos == 1 && o->account != NULL))
        return cli_usage_error(o->verb, "expected one ACCOUNT");
    cli_dir_session s;
    scpauth_error err;
    scpauth_error_clear(&err);
    scpauth_dir_account a;
    scpauth_spn_list l = SCPAUTH_SPN_LIST_INIT;
    int rc = cli_dir_open(&o->dir, &o->creds, o->verb, &s, &err);
    if (rc == SCPAUTH_OK)
        rc = scpauth_dir_spn_list(s.dir, account, &a, &l, &err);
    if (rc == SCPAUTH_OK && o->json) {
        cli_json j;
        cli_json_begin(&j, stdout);
        cli_json_bool(&j, "ok", 1);
        json_account(&j, &a);
        json_list(&j, "spns", &l);
        cli_dir_json_dc(&j, &s.info);
        cli_json_end(&j);
    } else if (rc == SCPAUTH_OK) {
        printf("Registered ServicePrincipalNames for %s:\n", a.dn);
        for (size_t i = 0; i < l.count; i++)
            printf("\t%s\n", l.items[i]);
    }
    scpauth_spn_list_free(&l);
    return done(o, &s, rc, &err);
}

int cli_spn_query(const spn_opts *o)
{
    if (o->n_pos != 1)
        return cli_usage_error(o->verb, "expected one SPN");
    cli_dir_session s;
    scpauth_error err;
    scpauth_error_clear(&err);
    scpauth_dir_owner_list owners = {NULL, 0};
    int rc = cli_dir_open(&o->dir, &o->creds, o->verb, &s, &err);
    if (rc == SCPAUTH_OK)
        rc = scpauth_dir_spn_query(s.dir, o->pos[0], &owners, &err);
    if (rc == SCPAUTH_OK && o->json) {
        cli_json j;
        cli_json_begin(&j, stdout);
        cli_json_bool(&j, "ok", 1);
        cli_json_str(&j, "spn", o->pos[0]);
        cli_json_arr_begin(&j, "owners");
        for (size_t i = 0; i < owners.count; i++) {
            cli_json_obj_begin(&j, NULL);
            cli_json_str(&j, "dn", owners.items[i].dn);
            cli_json_str(&j, "sam_account_name", owners.items[i].sam_account_name);
            cli_json_bool(&j, "is_computer", owners.items[i].is_computer);
            cli_json_obj_end(&j);
        }
        cli_json_arr_end(&j);
        cli_dir_json_dc(&j, &s.info);
        cli_json_end(&j);
    } else if (rc == SCPAUTH_OK) {
        for (size_t i = 0; i < owners.count; i++)
            printf("%s (%s, %s)\n", owners.items[i].dn, owners.items[i].sam_account_name,
                   owners.items[i].is_computer ? "computer" : "user");
        if (owners.count == 0)
            fprintf(stderr, "scpauth %s: no account in the forest holds %s\n", o->verb,
                    o->pos[0]);
    }
    int none = rc == SCPAUTH_OK && owners.count == 0;
    scpauth_dir_owner_list_free(&owners);
    int code = done(o, &s, rc, &err);
    return none ? CLI_EXIT_NOTFOUND : code;
}

int cli_spn_check(const spn_opts *o)
{
    int rc = need_account(o, 1);
    if (rc != CLI_EXIT_OK)
        return rc;
    cli_dir_session s;
    scpauth_error err;
    scpauth_error_clear(&err);
    rc = cli_dir_open(&o->dir, &o->creds, o->verb, &s, &err);
    if (rc == SCPAUTH_OK)
        rc = scpauth_dir_spn_check(s.dir, o->account, o->pos, o->n_pos, &err);
    if (rc == SCPAUTH_OK && o->json) {
        cli_json j;
        cli_json_begin(&j, stdout);
        cli_json_bool(&j, "ok", 1);
        cli_json_str(&j, "account", o->account);
        cli_json_int(&j, "checked", (long long)o->n_pos);
        cli_dir_json_dc(&j, &s.info);
        cli_json_end(&j);
    } else if (rc == SCPAUTH_OK) {
        printf("all %zu SPN(s) are registered on %s\n", o->n_pos, o->account);
    }
    return done(o, &s, rc, &err);
}
