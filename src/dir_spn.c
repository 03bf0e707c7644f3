/* dir_spn.c - SPN administration with DsWriteAccountSpn's semantics: read
 * the account, plan the change, refuse duplicates forest-wide before
 * writing, write through the backend, explain a refusal. */
#include <string.h>

#include "dir_spn.h"

static const char *current_self_dn(scpauth_dir *dir)
{
    if (!dir->self_known) {
        scpauth_dir_account self;
        /* only to word an error better: a failure here changes nothing */
        if (scpauth__dir_account_lookup(dir, "self", &self, NULL, NULL) != SCPAUTH_OK)
            return "";
    }
    return dir->self_dn;
}

/* Refuses SPNs other accounts hold (only those the plan adds). */
static int check_owners(scpauth_dir *dir, const scpauth_dir_spn_result *plan,
                        scpauth_error *err)
{
    if (plan->added.count == 0)
        return SCPAUTH_OK;
    scpauth__dir_entries owners = {0};
    int rc = scpauth__spn_owners(dir, (const char *const *)plan->added.items, plan->added.count,
                                 plan->account.dn, &owners, err);
    if (rc == SCPAUTH_OK)
        rc = scpauth__spn_conflicts(plan, &owners, err);
    scpauth__dir_entries_free(&owners);
    return rc;
}

static int write_plan(scpauth_dir *dir, scpauth_dir_spn_op op, scpauth_dir_spn_result *plan,
                      scpauth_error *err)
{
    /* add and delete send only what changes; replace sends the whole new
     * set (kept + added, duplicates gone), as DsWriteAccountSpn does */
    scpauth_spn_list all = SCPAUTH_SPN_LIST_INIT;
    const scpauth_spn_list *send = op == SCPAUTH_DIR_SPN_ADD      ? &plan->added
                                   : op == SCPAUTH_DIR_SPN_DELETE ? &plan->removed
                                                                  : &all;
    int rc = SCPAUTH_OK;
    for (size_t i = 0; rc == SCPAUTH_OK && send == &all && i < plan->kept.count; i++)
        rc = scpauth__spn_list_push(&all, plan->kept.items[i], err);
    for (size_t i = 0; rc == SCPAUTH_OK && send == &all && i < plan->added.count; i++)
        rc = scpauth__spn_list_push(&all, plan->added.items[i], err);
    if (rc == SCPAUTH_OK)
        rc = dir->backend->spn_write(dir->bconn, dir->timeout_ms, op, plan->account.dn,
                                     (const char *const *)send->items, send->count, err);
    scpauth_spn_list_free(&all);
    if (rc != SCPAUTH_OK && rc != SCPAUTH_ENOMEM)
        scpauth__spn_explain_refusal(op, &plan->account, current_self_dn(dir),
                                     op == SCPAUTH_DIR_SPN_DELETE ? &plan->removed
                                                                  : &plan->added,
                                     err);
    return rc;
}

int scpauth__spn_plan_account(scpauth_dir *dir, scpauth_dir_spn_op op, const char *account,
                              const char *const *spns, size_t n, scpauth_dir_spn_result *plan,
                              scpauth_error *err)
{
    memset(plan, 0, sizeof(*plan));
    int rc = scpauth__spn_args_check(op, spns, n, err);
    if (rc != SCPAUTH_OK)
        return rc;
    scpauth__dir_entries entry = {0};
    rc = scpauth__dir_account_lookup(dir, account, &plan->account, &entry, err);
    if (rc == SCPAUTH_OK)
        rc = scpauth__spn_plan(op, spns, n,
                               scpauth__dir_entry_attr(&entry.items[0], "servicePrincipalName"),
                               plan, err);
    scpauth__dir_entries_free(&entry);
    if (rc != SCPAUTH_OK)
        scpauth_dir_spn_result_free(plan);
    return rc;
}

int scpauth_dir_spn_write(scpauth_dir *dir, scpauth_dir_spn_op op, const char *account,
                          const char *const *spns, size_t n, scpauth_dir_spn_result *result,
                          scpauth_error *err)
{
    if (result != NULL)
        memset(result, 0, sizeof(*result));
    if (dir == NULL || account == NULL)
        return scpauth__error_set(err, SCPAUTH_EINVAL, "scpauth_dir_spn_write: NULL argument");
    scpauth_dir_spn_result plan;
    int rc = scpauth__spn_plan_account(dir, op, account, spns, n, &plan, err);
    if (rc != SCPAUTH_OK)
        return rc;
    rc = check_owners(dir, &plan, err);
    if (rc == SCPAUTH_OK && !scpauth__spn_plan_is_noop(&plan))
        rc = write_plan(dir, op, &plan, err);
    if (rc == SCPAUTH_OK && result != NULL)
        *result = plan;
    else
        scpauth_dir_spn_result_free(&plan);
    return rc;
}

int scpauth_dir_spn_list(scpauth_dir *dir, const char *account, scpauth_dir_account *acct,
                         scpauth_spn_list *out, scpauth_error *err)
{
    if (dir == NULL || account == NULL || out == NULL)
        return scpauth__error_set(err, SCPAUTH_EINVAL, "scpauth_dir_spn_list: NULL argument");
    out->items = NULL;
    out->count = 0;
    scpauth_dir_account a;
    scpauth__dir_entries entry = {0};
    int rc = scpauth__dir_account_lookup(dir, account, &a, &entry, err);
    if (rc != SCPAUTH_OK)
        return rc;
    const scpauth__dir_attr *spns = scpauth__dir_entry_attr(&entry.items[0],
                                                            "servicePrincipalName");
    for (size_t i = 0; rc == SCPAUTH_OK && spns != NULL && i < spns->count; i++)
        rc = scpauth__spn_list_push(out, spns->values[i].data, err);
    scpauth__dir_entries_free(&entry);
    if (rc != SCPAUTH_OK) {
        scpauth_spn_list_free(out);
        return rc;
    }
    if (acct != NULL)
        *acct = a;
    return SCPAUTH_OK;
}
