/* dir_spn_plan.c - DsWriteAccountSpn semantics as a plan: given the SPNs an
 * account holds and the operation asked for, what gets added, removed, kept
 * or was absent. Pure: no directory access (unit-tested directly). */
#include <stdlib.h>
#include <string.h>

#include "dir_spn.h"

int scpauth__spn_list_push(scpauth_spn_list *list, const char *spn, scpauth_error *err)
{
    char **items = realloc(list->items, (list->count + 1) * sizeof(*items));
    if (items == NULL)
        return scpauth__error_set(err, SCPAUTH_ENOMEM, "out of memory listing SPNs");
    list->items = items;
    size_t n = strlen(spn);
    if ((items[list->count] = malloc(n + 1)) == NULL)
        return scpauth__error_set(err, SCPAUTH_ENOMEM, "out of memory listing SPNs");
    memcpy(items[list->count], spn, n + 1);
    list->count++;
    return SCPAUTH_OK;
}

int scpauth__spn_list_has(const scpauth_spn_list *list, const char *spn)
{
    for (size_t i = 0; i < list->count; i++)
        if (scpauth__ascii_equal_nocase(list->items[i], spn))
            return 1;
    return 0;
}

static int seen_before(const char *const *spns, size_t i)
{
    for (size_t j = 0; j < i; j++)
        if (scpauth__ascii_equal_nocase(spns[j], spns[i]))
            return 1;
    return 0;
}

int scpauth__spn_args_check(scpauth_dir_spn_op op, const char *const *spns, size_t n,
                            scpauth_error *err)
{
    if (op != SCPAUTH_DIR_SPN_ADD && op != SCPAUTH_DIR_SPN_REPLACE &&
        op != SCPAUTH_DIR_SPN_DELETE)
        return scpauth__error_set(err, SCPAUTH_EINVAL, "unknown SPN operation %d", (int)op);
    if (n == 0 && op != SCPAUTH_DIR_SPN_REPLACE)
        return scpauth__error_set(err, SCPAUTH_EINVAL, "no SPN given to %s",
                                  op == SCPAUTH_DIR_SPN_ADD ? "add" : "delete");
    if (n > SCPAUTH_DIR_SPNS_MAX)
        return scpauth__error_set(err, SCPAUTH_EINVAL, "%zu SPNs given; at most %d at once", n,
                                  SCPAUTH_DIR_SPNS_MAX);
    if (n > 0 && spns == NULL)
        return scpauth__error_set(err, SCPAUTH_EINVAL, "SPN list is NULL");
    for (size_t i = 0; i < n; i++) {
        if (spns[i] == NULL)
            return scpauth__error_set(err, SCPAUTH_EINVAL, "SPN %zu of %zu is NULL", i + 1, n);
        /* what is written must be well-formed; what is deleted only needs
         * the structure (the directory may hold odd values) */
        scpauth_spn_parts parts;
        int rc = op == SCPAUTH_DIR_SPN_DELETE
                     ? scpauth_spn_crack(spns[i], strlen(spns[i]), &parts, err)
                     : scpauth_spn_validate(spns[i], err);
        if (rc != SCPAUTH_OK)
            return rc;
    }
    return SCPAUTH_OK;
}

/* The stored spelling of spn on the account, or NULL. */
static const char *held(const scpauth__dir_attr *current, const char *spn)
{
    for (size_t i = 0; current != NULL && i < current->count; i++)
        if (scpauth__ascii_equal_nocase(current->values[i].data, spn))
            return current->values[i].data;
    return NULL;
}

int scpauth__spn_plan(scpauth_dir_spn_op op, const char *const *spns, size_t n,
                      const scpauth__dir_attr *current, scpauth_dir_spn_result *plan,
                      scpauth_error *err)
{
    int rc = SCPAUTH_OK;
    for (size_t i = 0; rc == SCPAUTH_OK && i < n; i++) {
        if (seen_before(spns, i))
            continue;
        const char *have = held(current, spns[i]);
        if (op == SCPAUTH_DIR_SPN_DELETE)
            /* delete the value as stored: AD matches SPNs without case */
            rc = have != NULL ? scpauth__spn_list_push(&plan->removed, have, err)
                              : scpauth__spn_list_push(&plan->absent, spns[i], err);
        else
            rc = scpauth__spn_list_push(have != NULL ? &plan->kept : &plan->added, spns[i], err);
    }
    /* replace: whatever the account holds beyond the new set goes */
    for (size_t i = 0; rc == SCPAUTH_OK && op == SCPAUTH_DIR_SPN_REPLACE && current != NULL &&
                       i < current->count;
         i++) {
        const char *v = current->values[i].data;
        if (!scpauth__spn_list_has(&plan->kept, v) && !scpauth__spn_list_has(&plan->removed, v))
            rc = scpauth__spn_list_push(&plan->removed, v, err);
    }
    return rc;
}

int scpauth__spn_plan_is_noop(const scpauth_dir_spn_result *plan)
{
    return plan->added.count == 0 && plan->removed.count == 0;
}

void scpauth_dir_spn_result_free(scpauth_dir_spn_result *r)
{
    if (r == NULL)
        return;
    scpauth_spn_list_free(&r->added);
    scpauth_spn_list_free(&r->removed);
    scpauth_spn_list_free(&r->kept);
    scpauth_spn_list_free(&r->absent);
}
