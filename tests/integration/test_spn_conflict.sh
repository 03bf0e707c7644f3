#!/bin/bash
# test_spn_conflict.sh - an SPN must belong to one account: `scpauth spn add`
# looks every new SPN up forest-wide (global catalog) and refuses, before
# writing anything, one that another account holds, naming that account
# (like setspn -S). Verified by an independent read (ldapsearch).
. "$(dirname "$0")/lib.sh"
T=$ITEST_TMP
SVC_DN="CN=svc-myapp,CN=Users,$BASEDN"
HOST2_DN="CN=SVCHOST2,CN=Computers,$BASEDN"
DUP=itest/dup.$DNSDOMAIN
NEW=itest/new.$DNSDOMAIN

spns_of() {
    in_ns ldapsearch -Q -LLL -o ldif-wrap=no -Y GSSAPI -H "ldap://$DC_HOST" -b "$1" -s base \
        servicePrincipalName | sed -n 's/^servicePrincipalName: //p' | sort | tr '\n' ' ' |
        sed 's/ $//'
}

HOST2_BEFORE=$(spns_of "$HOST2_DN")
trap 'in_ns "$SCPAUTH" spn delete --account svc-myapp "$DUP" >/dev/null 2>&1;
      in_ns "$SCPAUTH" spn delete --account "SVCHOST2\$" "$DUP" "$NEW" >/dev/null 2>&1;
      _itest_cleanup' EXIT
expect_ok "setup: $DUP registered on svc-myapp" in_ns "$SCPAUTH" spn add --account svc-myapp "$DUP"

in_ns "$SCPAUTH" spn add --account 'SVCHOST2$' "$DUP" >"$T/dup.out" 2>&1
expect_eq "the same SPN on a second account: exit 5" 5 $?
expect_file_match "... ECONFLICT naming the owner (sAMAccountName and DN), nothing written" "$T/dup.out" \
    'SCPAUTH_ECONFLICT' "${DUP//./\\.} is registered on svc-myapp \\(${SVC_DN//./\\.}\\)" \
    'nothing was written' "hint: .*scpauth spn query ${DUP//./\\.}"
expect_eq "... ldapsearch: SVCHOST2 unchanged" "$HOST2_BEFORE" "$(spns_of "$HOST2_DN")"

in_ns "$SCPAUTH" spn add --account 'SVCHOST2$' "$NEW" "ITEST/DUP.${DNSDOMAIN^^}" >"$T/mixed.out" 2>&1
expect_eq "a new SPN with a case variant of the duplicate: exit 5" 5 $?
expect_file_match "... the duplicate named, the new SPN not blamed" "$T/mixed.out" \
    "is registered on svc-myapp"
expect_eq "... and not written either (the check comes before any write)" "$HOST2_BEFORE" \
    "$(spns_of "$HOST2_DN")"

in_ns "$SCPAUTH" spn add --account 'SVCHOST2$' "$DUP" --json >"$T/dup.json" 2>/dev/null
expect_file_match "--json failure: ok false and the error object" "$T/dup.json" \
    '^\{"ok":false,"error":\{"code":"SCPAUTH_ECONFLICT"'

in_ns "$SCPAUTH" spn query "$DUP" >"$T/query.out" 2>&1
expect_eq "query: exactly one owner, svc-myapp" "$SVC_DN (svc-myapp, user)" "$(cat "$T/query.out")"

in_ns "$SCPAUTH" spn check --account 'SVCHOST2$' "$DUP" >"$T/check.out" 2>&1
expect_eq "start check on the wrong account: exit 4" 4 $?
expect_file_match "... says where the SPN is registered instead" "$T/check.out" \
    "${DUP//./\\.} is registered on ${SVC_DN//./\\.}"

expect_ok "moving it: delete from svc-myapp" in_ns "$SCPAUTH" spn delete --account svc-myapp "$DUP"
expect_ok "... then add to SVCHOST2\$" in_ns "$SCPAUTH" spn add --account 'SVCHOST2$' "$DUP"
expect_eq "... ldapsearch: SVCHOST2 holds it now" \
    "$(printf '%s\n' $HOST2_BEFORE "$DUP" | sort | tr '\n' ' ' | sed 's/ $//')" \
    "$(spns_of "$HOST2_DN")"
expect_ok "cleanup: delete from SVCHOST2\$" in_ns "$SCPAUTH" spn delete --account 'SVCHOST2$' "$DUP"
expect_eq "... SVCHOST2 as before" "$HOST2_BEFORE" "$(spns_of "$HOST2_DN")"

itest_done
