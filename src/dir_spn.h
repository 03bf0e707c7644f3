/* dir_spn.h - SPN administration shared by both backends (private). */
#ifndef SCPAUTH_DIR_SPN_H
#define SCPAUTH_DIR_SPN_H

#include "dir_internal.h"

/* Appends a copy of spn to list. Errors: ENOMEM. */
int scpauth__spn_list_push(scpauth_spn_list *list, const char *spn, scpauth_error *err);

/* 1 when list holds spn (ASCII case ignored, as AD compares SPNs). */
int scpauth__spn_list_has(const scpauth_spn_list *list, const char *spn);

/* Checks op and the n SPNs: n > 0 except for REPLACE, n <= SCPAUTH_DIR_SPNS_MAX,
 * SPNs to write pass scpauth_spn_validate, SPNs to delete scpauth_spn_crack.
 * Errors: EINVAL, ESPNSYNTAX. */
int scpauth__spn_args_check(scpauth_dir_spn_op op, const char *const *spns, size_t n,
                            scpauth_error *err);

/* Fills plan's lists (not its account) from what the account holds now
 * (current may be NULL: none): add -> added/kept; delete -> removed (as
 * stored)/absent; replace -> added/kept/removed. Duplicates in spns are
 * ignored. Errors: ENOMEM. */
int scpauth__spn_plan(scpauth_dir_spn_op op, const char *const *spns, size_t n,
                      const scpauth__dir_attr *current, scpauth_dir_spn_result *plan,
                      scpauth_error *err);

/* Checks the arguments, finds the account and plans op on it (see
 * scpauth__spn_plan); plan is freed on error. */
int scpauth__spn_plan_account(scpauth_dir *dir, scpauth_dir_spn_op op, const char *account,
                              const char *const *spns, size_t n, scpauth_dir_spn_result *plan,
                              scpauth_error *err);

/* 1 when the plan changes nothing on the account. */
int scpauth__spn_plan_is_noop(const scpauth_dir_spn_result *plan);

/* Accounts other than account_dn that hold one of spns, forest-wide (global
 * catalog; the session's domain when no GC answers): one entry each, with
 * servicePrincipalName, sAMAccountName and objectClass. */
int scpauth__spn_owners(scpauth_dir *dir, const char *const *spns, size_t n,
                        const char *account_dn, scpauth__dir_entries *owners,
                        scpauth_error *err);

/* ECONFLICT naming, for each of spns another account holds, that account
 * (like setspn -S); SCPAUTH_OK when owners hold none of them. */
int scpauth__spn_conflicts(const scpauth_dir_spn_result *plan,
                           const scpauth__dir_entries *owners, scpauth_error *err);

/* Rewords a refused write (ECONFLICT / EDIRACCESS / other from the backend,
 * already in err) into a message naming the account and the SPNs, and a
 * hint: validated write for a computer writing its own SPNs, or an
 * administrator's help. self_dn may be "" when unknown. */
void scpauth__spn_explain_refusal(scpauth_dir_spn_op op, const scpauth_dir_account *acct,
                                  const char *self_dn, const scpauth_spn_list *spns,
                                  scpauth_error *err);

/* "add", "replace" or "delete": the CLI verb of an operation. */
const char *scpauth__spn_op_verb(scpauth_dir_spn_op op);

/* Shell-quotes an account name for a command shown in a hint
 * ('HOST$' -> "'HOST$'"). */
void scpauth__shell_quote(const char *in, char *out, size_t size);

#endif
