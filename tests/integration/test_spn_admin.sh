#!/bin/bash
# test_spn_admin.sh - `scpauth spn add|replace|delete|list|query|check` as the
# domain administrator on svc-myapp, with DsWriteAccountSpn semantics. Every
# change is verified by an independent read (ldapsearch -Y GSSAPI of
# servicePrincipalName). Test SPNs use the class itest/; the account's own
# SPNs are put back at the end and that is checked too.
. "$(dirname "$0")/lib.sh"
T=$ITEST_TMP
SVC_DN="CN=svc-myapp,CN=Users,$BASEDN"
A1=itest/a1.$DNSDOMAIN
A2=itest/a2.$DNSDOMAIN:8080
A3=itest/a3.$DNSDOMAIN
ADMIN_DN="CN=Administrator,CN=Users,$BASEDN"

# spns_of DN: the account's SPNs as ldapsearch reads them, sorted, on one line.
spns_of() {
    in_ns ldapsearch -Q -LLL -o ldif-wrap=no -Y GSSAPI -H "ldap://$DC_HOST" -b "$1" -s base \
        servicePrincipalName | sed -n 's/^servicePrincipalName: //p' | sort | tr '\n' ' ' |
        sed 's/ $//'
}
sorted() { printf '%s\n' "$@" | sort | tr '\n' ' ' | sed 's/ $//'; }

ORIG=$(spns_of "$SVC_DN")
read -r -a ORIG_LIST <<<"$ORIG"
expect_eq "setup: svc-myapp holds the harness' two SPNs" "$(sorted "$MYAPP_SPN" "$MYAPP_PORT_SPN")" "$ORIG"
# whatever happens below, svc-myapp gets its SPNs back
restore() { in_ns "$SCPAUTH" spn replace --account svc-myapp "${ORIG_LIST[@]}" >/dev/null 2>&1; }
trap 'restore; _itest_cleanup' EXIT

# --- list ---
in_ns "$SCPAUTH" spn list svc-myapp --json >"$T/list.json" 2>&1
expect_file_match "list --json: the account and its SPNs" "$T/list.json" '"ok":true' \
    "\"dn\":\"${SVC_DN//./\\.}\"" "\"${MYAPP_PORT_SPN//./\\.}\"" '"is_computer":false'
expect_match "list (text): setspn -L layout" "^	${MYAPP_SPN//./\\.}$" in_ns "$SCPAUTH" spn list svc-myapp
for name in "$SVC_DN" "svc-myapp@$REALM" "$DOMAIN\\svc-myapp"; do
    expect_match "list by $name: same account" "^Registered ServicePrincipalNames for ${SVC_DN//./\\.}:" \
        in_ns "$SCPAUTH" spn list "$name"
done
expect_match "list self (administrator): its own account" "for ${ADMIN_DN//./\\.}:" \
    in_ns "$SCPAUTH" spn list self
in_ns "$SCPAUTH" spn list svc-myapp --json --verbose >"$T/verbose.json" 2>"$T/verbose.err"
expect_file_match "--verbose: the DC found by DNS SRV and the bind's security layer" "$T/verbose.err" \
    "DC ${DC_HOST//./\\.}:389 \\(DNS SRV\\), SSF (5[6-9]|[6-9][0-9]|[1-9][0-9]{2,})"
ssf=$(sed -n 's/.*"ssf":\([0-9]*\).*/\1/p' "$T/verbose.json")
expect_ok "the session is signed and sealed: SSF $ssf >= 56" test "${ssf:-0}" -ge 56

# --- add ---
in_ns "$SCPAUTH" spn add --account svc-myapp "$A1" "$A2" --json >"$T/add.json" 2>&1
expect_file_match "add --json: both added" "$T/add.json" '"ok":true' \
    "\"added\":\\[\"${A1//./\\.}\",\"${A2//./\\.}\"\\]" '"kept":\[\]'
expect_eq "add: ldapsearch sees the two new SPNs" "$(sorted "${ORIG_LIST[@]}" "$A1" "$A2")" \
    "$(spns_of "$SVC_DN")"
expect_match "add again: already registered, nothing written" "kept \\(already registered\\): ${A1//./\\.}" \
    in_ns "$SCPAUTH" spn add --account svc-myapp "$A1"
expect_match "add with a case variant: the same SPN for AD" "kept" \
    in_ns "$SCPAUTH" spn add --account svc-myapp "ITEST/A1.$DNSDOMAIN"
expect_eq "... still exactly one copy" "$(sorted "${ORIG_LIST[@]}" "$A1" "$A2")" "$(spns_of "$SVC_DN")"

# --- query / check ---
in_ns "$SCPAUTH" spn query "$A1" --json >"$T/query.json" 2>&1
expect_file_match "query (global catalog): svc-myapp owns it" "$T/query.json" \
    '"owners":\[\{"dn":"CN=svc-myapp,' '"sam_account_name":"svc-myapp"'
expect_exit "query of an SPN nobody holds: exit 4" 4 in_ns "$SCPAUTH" spn query "itest/none.$DNSDOMAIN"
expect_exit "check: every SPN registered: exit 0" 0 \
    in_ns "$SCPAUTH" spn check --account svc-myapp "$MYAPP_SPN" "$A1" "$A2"

# --- replace ---
in_ns "$SCPAUTH" spn replace --account svc-myapp "${ORIG_LIST[@]}" "$A3" --json >"$T/rep.json" 2>&1
expect_file_match "replace --json: A3 added, A1 A2 removed, the rest kept" "$T/rep.json" \
    "\"added\":\\[\"${A3//./\\.}\"\\]" "\"removed\":\\[\"${A1//./\\.}\",\"${A2//./\\.}\"\\]"
expect_eq "replace: ldapsearch sees exactly the new set" "$(sorted "${ORIG_LIST[@]}" "$A3")" \
    "$(spns_of "$SVC_DN")"

# --- delete ---
in_ns "$SCPAUTH" spn delete --account svc-myapp "$A3" "itest/a9.$DNSDOMAIN" >"$T/del.out" 2>&1
expect_eq "delete: exit 0 even for an SPN that was not there" 0 $?
expect_file_match "delete: says which was removed and which was absent" "$T/del.out" \
    "removed: ${A3//./\\.}" "absent \\(was not registered\\): itest/a9"
expect_eq "delete: ldapsearch sees the original set again" "$ORIG" "$(spns_of "$SVC_DN")"

# --- check, missing SPN: the service start check ---
in_ns "$SCPAUTH" spn check --account svc-myapp "$MYAPP_SPN" "$A1" >"$T/check.out" 2>&1
expect_eq "check with a missing SPN: exit 4" 4 $?
expect_file_match "... ENOSPN naming the missing SPN and the command that registers it" "$T/check.out" \
    'SCPAUTH_ENOSPN' "not registered on svc-myapp .*${A1//./\\.}" \
    "hint: .*scpauth spn add --account svc-myapp ${A1//./\\.}"

# --- not found ---
expect_fail_match "list of an unknown account: ENOTFOUND" 'SCPAUTH_ENOTFOUND' \
    in_ns "$SCPAUTH" spn list no-such-user
expect_exit "... exit 4" 4 in_ns "$SCPAUTH" spn list no-such-user
expect_fail_match "a computer named without its '\$': a hint" "HOST\\$" \
    in_ns "$SCPAUTH" spn list SVCHOST1

# --- replace with nothing, then put everything back (on a scratch account) ---
in_ns "$SCPAUTH" spn replace --account svc-myapp >/dev/null 2>&1
expect_eq "replace with no SPN: every SPN removed" "" "$(spns_of "$SVC_DN")"
restore
expect_eq "restored: svc-myapp holds exactly its original SPNs" "$ORIG" "$(spns_of "$SVC_DN")"

itest_done
