#!/bin/bash
# test_spn_machine.sh - a computer registering SPNs on itself, as a service
# installed on svchost1 would: the machine account's keytab (kinit -k as
# SVCHOST1$) into a private ccache, --account self. AD's validated write lets
# it add class/its-own-host[:port]; another host or a three-part SPN is
# refused, and the error must say why and that an administrator must do it.
# Results verified by an independent read as administrator (ldapsearch).
. "$(dirname "$0")/lib.sh"
T=$ITEST_TMP
HOST1_DN="CN=SVCHOST1,CN=Computers,$BASEDN"
OWN=myapp2/$SVC_HOST
OWN_NB=myapp2/${SVC_HOST%%.*}
WITH_PORT=myapp2/$SVC_HOST:4445
FOREIGN=myapp2/$SVC2_HOST
THREE=myapp2/$SVC_HOST/$DNSDOMAIN
CC=FILE:$T/svchost1.ccache

spns_of() {
    in_ns ldapsearch -Q -LLL -o ldif-wrap=no -Y GSSAPI -H "ldap://$DC_HOST" -b "$1" -s base \
        servicePrincipalName | sed -n 's/^servicePrincipalName: //p' | sort | tr '\n' ' ' |
        sed 's/ $//'
}
machine() { in_ns "$SCPAUTH" spn "$@" --ccache "$CC"; }

KRB5CCNAME=$CC in_ns kinit -k -t "$SVCHOST1_KEYTAB" 'SVCHOST1$' >"$T/kinit.out" 2>&1
expect_ok "setup: a ticket for SVCHOST1\$ from its keytab, in a private ccache" \
    env KRB5CCNAME="$CC" KRB5_CONFIG="$KRB5_CONFIG" klist
BEFORE=$(spns_of "$HOST1_DN")
trap 'in_ns "$SCPAUTH" spn delete --account "SVCHOST1\$" "$OWN" "$OWN_NB" "$FOREIGN" "$THREE" "$WITH_PORT" >/dev/null 2>&1; _itest_cleanup' EXIT

machine list self --json >"$T/self.json" 2>&1
expect_file_match "self = the account of --ccache (SVCHOST1\$), not of KRB5CCNAME (administrator)" "$T/self.json" \
    "\"dn\":\"${HOST1_DN//./\\.}\"" '"is_computer":true' '"is_self":true' \
    '"principal":"SVCHOST1\$@'

# --- validated write allows its own host (DNS or NetBIOS name) ---
machine add --account self "$OWN" "$OWN_NB" >"$T/own.out" 2>&1
expect_eq "self-register $OWN and $OWN_NB: exit 0" 0 $?
expect_eq "... ldapsearch (as administrator) sees both on SVCHOST1" \
    "$(printf '%s\n' $BEFORE "$OWN" "$OWN_NB" | sort | tr '\n' ' ' | sed 's/ $//')" \
    "$(spns_of "$HOST1_DN")"
expect_exit "service start check (--account self): exit 0" 0 \
    machine check --account self "$OWN" "HOST/$SVC_HOST"

# --- another host: refused, explained ---
machine add --account self "$FOREIGN" >"$T/foreign.out" 2>&1
expect_eq "a foreign host ($FOREIGN): exit 5" 5 $?
expect_file_match "... EDIRACCESS explaining validated write, the host, the DC's words" "$T/foreign.out" \
    'SCPAUTH_EDIRACCESS' 'validated write' \
    "${FOREIGN//./\\.}: host ${SVC2_HOST//./\\.} is not this computer \\(${SVC_HOST//./\\.}\\)" \
    'DC said: .*spn validation failed'
expect_file_match "... hint: an administrator must register it, with the command" "$T/foreign.out" \
    "hint: .*administrator must register" \
    "scpauth spn add --account 'SVCHOST1\\\$' ${FOREIGN//./\\.}"

# --- a three-part SPN on its own host: refused, explained ---
machine add --account self "$THREE" >"$T/three.out" 2>&1
expect_eq "a three-part SPN ($THREE): exit 5" 5 $?
expect_file_match "... EDIRACCESS naming the three-part form" "$T/three.out" \
    'SCPAUTH_EDIRACCESS' "${THREE//./\\.}: three-part SPN" 'administrator must register'
expect_eq "neither refused SPN was written" \
    "$(printf '%s\n' $BEFORE "$OWN" "$OWN_NB" | sort | tr '\n' ' ' | sed 's/ $//')" \
    "$(spns_of "$HOST1_DN")"

# --- with a port: Windows DCs accept it under validated write, Samba's do not ---
machine add --account self "$WITH_PORT" >"$T/port.out" 2>&1
rc=$?
if [ $rc = 0 ]; then
    expect_eq "$WITH_PORT accepted by this DC" 0 $rc
else
    expect_file_match "$WITH_PORT refused by this DC: exit 5, the port named as the likely reason" \
        "$T/port.out" 'SCPAUTH_EDIRACCESS' "${WITH_PORT//./\\.}: a port" 'administrator must register'
fi

# --- another account's SPNs: rights, not validated write ---
machine add --account svc-myapp "itest/m.$DNSDOMAIN" >"$T/other.out" 2>&1
expect_eq "the computer writing svc-myapp's SPNs: exit 5" 5 $?
expect_file_match "... EDIRACCESS: these credentials may not change it; an administrator must" \
    "$T/other.out" 'SCPAUTH_EDIRACCESS' 'may not change its servicePrincipalName' \
    'hint: an administrator'

# --- start check with one missing: the command that fixes it ---
machine check --account self "$OWN" "$FOREIGN" >"$T/check.out" 2>&1
expect_eq "service start check with $FOREIGN missing: exit 4" 4 $?
expect_file_match "... names the missing SPN and the registering command" "$T/check.out" \
    "not registered on SVCHOST1\\\$ .*${FOREIGN//./\\.}" \
    "hint: .*scpauth spn add --account 'SVCHOST1\\\$' ${FOREIGN//./\\.}"

# --- the computer removes what it added ---
expect_ok "delete its own SPNs (--account self)" machine delete --account self "$OWN" "$OWN_NB" \
    "$WITH_PORT"
expect_eq "... ldapsearch sees SVCHOST1 as before" "$BEFORE" "$(spns_of "$HOST1_DN")"

itest_done
