#!/bin/bash
# test_scp_malformed.sh - malformed SCPs an administrator planted with
# ldapadd beside a good one (a port out of range, required attributes
# missing, a host name that is no host name, an empty host, an over-long
# host, two ports): find reports each
# with its DN and the bad attribute, and returns the good one.
. "$(dirname "$0")/scp_lib.sh"
G=$(new_guid)
SPN=scpbad/$SVC_HOST:7001
GOOD="CN=scpbad-7001,$H1_DN"
BADS=(scpbad-port scpbad-missing scpbad-host scpbad-twoports scpbad-empty scpbad-long)
cleanup() {
    local cn
    for cn in scpbad-7001 "${BADS[@]}"; do
        as admin ldapdelete -Q -Y GSSAPI -H "ldap://$DC_HOST" "CN=$cn,$H1_DN" >/dev/null 2>&1
    done
}
cleanup

expect_ok "kinit -k SVCHOST1\$" host_ccache svchost1 "$SVCHOST1_KEYTAB"
expect_ok "administrator registers $SPN on SVCHOST1\$" \
    as admin "$SCPAUTH" spn add --account 'SVCHOST1$' "$SPN"
expect_ok "SVCHOST1\$ publishes the good SCP" \
    as_host svchost1 "$SCPAUTH" scp publish --class scpbad --host "$SVC_HOST" --port 7001 \
    --keyword "$G"

LONG_HOST=$(printf 'a%.0s' $(seq 70)); LONG_HOST="$LONG_HOST.$LONG_HOST.$LONG_HOST.$LONG_HOST"
scp_ldif() { # CN LINES...
    printf 'dn: CN=%s,%s\nobjectClass: serviceConnectionPoint\nkeywords: %s\n' "$1" "$H1_DN" "$G"
    shift
    printf '%s\n' "$@"
    echo
}
{
    scp_ldif scpbad-port "serviceClassName: scpbad" "serviceDNSName: $SVC_HOST" \
        "serviceDNSNameType: A" "serviceBindingInformation: 99999"
    scp_ldif scpbad-missing "serviceClassName: scpbad" "serviceBindingInformation: 7001"
    scp_ldif scpbad-host "serviceClassName: scpbad" "serviceDNSName: bad host!" \
        "serviceDNSNameType: A" "serviceBindingInformation: 7001"
    # a host of a single blank (AD refuses a truly empty value) and one of
    # 4 x 70-character labels (labels over 63, name over 255)
    scp_ldif scpbad-empty "serviceClassName: scpbad" "serviceDNSName:: IA==" \
        "serviceDNSNameType: A" "serviceBindingInformation: 7001"
    scp_ldif scpbad-long "serviceClassName: scpbad" "serviceDNSName: $LONG_HOST" \
        "serviceDNSNameType: A" "serviceBindingInformation: 7001"
    scp_ldif scpbad-twoports "serviceClassName: scpbad" "serviceDNSName: $SVC_HOST" \
        "serviceDNSNameType: A" "serviceBindingInformation: 7001" \
        "serviceBindingInformation: $SVC_HOST:7002"
} >"$T/bad.ldif"
expect_ok "administrator adds 6 malformed SCPs beside it (ldapadd)" \
    as admin ldapadd -Q -Y GSSAPI -H "ldap://$DC_HOST" -f "$T/bad.ldif"
expect_eq "ldapsearch: the GC has all 7" 7 \
    "$(gc_dns "(&(objectClass=serviceConnectionPoint)(keywords=$G))" | wc -l)"

as alice "$SCPAUTH" scp find --keyword "$G" >"$T/f.out" 2>"$T/f.err"
expect_eq "find: exit 0" 0 "$?"
expect_eq "find returns the good SCP only" "$GOOD" "$(grep -v $'^\t' "$T/f.out")"
expect_file_match "each malformed SCP reported with its DN and the bad attribute" "$T/f.err" \
    "rejected CN=scpbad-port,$H1_DN: .*serviceBindingInformation.*99999" \
    "rejected CN=scpbad-missing,$H1_DN: .*serviceDNSName" \
    "rejected CN=scpbad-host,$H1_DN: .*serviceDNSName.*bad host" \
    "rejected CN=scpbad-empty,$H1_DN: .*serviceDNSName" \
    "rejected CN=scpbad-long,$H1_DN: .*serviceDNSName" \
    "rejected CN=scpbad-twoports,$H1_DN: .*serviceBindingInformation" \
    "1 SCP\\(s\\) found, 6 rejected, of 7 read; located in [0-9.]+ ms"
as alice "$SCPAUTH" scp find --keyword "$G" --json >"$T/f.json" 2>/dev/null
expect_eq "--json: 7 read, the good one, 6 rejected as ESCPINVALID" \
    "7 $GOOD$(printf ' SCPAUTH_ESCPINVALID%.0s' 1 2 3 4 5 6)" \
    "$(json "$T/f.json" '" ".join([str(d["seen"])] + [x["scp"]["dn"] for x in d["scps"]] + [r["error"]["code"] for r in d["rejected"]])')"
expect_fail_match "only a malformed one (--base): the error names it (exit 1)" \
    "CN=scpbad-port,$H1_DN.*serviceBindingInformation" \
    as alice "$SCPAUTH" scp find --keyword "$G" --base "CN=scpbad-port,$H1_DN"
expect_exit "... with exit 1" 1 \
    as alice "$SCPAUTH" scp find --keyword "$G" --base "CN=scpbad-port,$H1_DN"
expect_exit "show of a malformed SCP by GUID fails (exit 1)" 1 as alice "$SCPAUTH" scp show \
    --guid "$(as admin ldapsearch -LLL -Q -Y GSSAPI -H "ldap://$DC_HOST" -s base \
        -b "CN=scpbad-port,$H1_DN" objectGUID 2>/dev/null | sed -n 's/^objectGUID:: //p' |
        python3 -c 'import sys,base64,uuid; print(uuid.UUID(bytes_le=base64.b64decode(sys.stdin.read())))')"

cleanup
as admin "$SCPAUTH" spn delete --account 'SVCHOST1$' "$SPN" >/dev/null 2>&1
itest_done
