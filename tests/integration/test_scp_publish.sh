#!/bin/bash
# test_scp_publish.sh - the SCP's life: published by the machine account
# under its own computer object, located by alice through the global
# catalog, a second instance beside it, updated (nothing to do; a port
# change rewrites the binding only; recreated after an administrator
# deleted it) and removed. Each step is checked with an independent
# ldapsearch. Prints the locate time.
. "$(dirname "$0")/scp_lib.sh"
G=$(new_guid)
SPN1=scptest/$SVC_HOST:5001
SPN2=scptest/$SVC_HOST:5002
DN1="CN=scptest-5001,$H1_DN"
DN2="CN=scptest-b,$H1_DN"
pub() { as_host svchost1 "$SCPAUTH" scp "$@"; }
common=(--class scptest --host "$SVC_HOST" --keyword "$G" --keyword acme)

# leftovers of an interrupted run against the same DC
for cn in scptest-5001 scptest-5003 scptest-b; do
    as admin ldapdelete -Q -Y GSSAPI -H "ldap://$DC_HOST" "CN=$cn,$H1_DN" >/dev/null 2>&1
done
expect_ok "kinit -k SVCHOST1\$" host_ccache svchost1 "$SVCHOST1_KEYTAB"
# Samba's validated write lets a computer add class/host only: an SPN with
# a port is registered by the administrator (as at install time)
expect_ok "administrator registers $SPN1 $SPN2 on SVCHOST1\$" \
    as admin "$SCPAUTH" spn add --account 'SVCHOST1$' "$SPN1" "$SPN2"

# --- publish as the machine account ---
expect_ok "publish as SVCHOST1\$ (--state-file)" \
    pub publish "${common[@]}" --port 5001 --description "scp test" --state-file "$T/state1"
GUID1=$(cat "$T/state1" 2>/dev/null)
expect_match "state file holds one GUID" '^[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}$' cat "$T/state1"
ldap_read "<GUID=$GUID1>" >"$T/l1.ldif"
expect_file_match "ldapsearch <GUID=...>: the SCP under SVCHOST1 with every attribute published" \
    "$T/l1.ldif" "^dn: $DN1\$" '^objectClass: serviceConnectionPoint$' '^cn: scptest-5001$' \
    '^serviceClassName: scptest$' "^serviceDNSName: $SVC_HOST\$" '^serviceDNSNameType: A$' \
    '^serviceBindingInformation: 5001$' "^keywords: $G\$" '^keywords: acme$' \
    '^description: scp test$'
expect_eq "exactly one serviceBindingInformation value" 1 \
    "$(attr_values "$T/l1.ldif" serviceBindingInformation | wc -l)"

# --- locate from alice through the GC ---
t0=$(date +%s%N)
as alice "$SCPAUTH" scp find --keyword "$G" --json >"$T/f1.json" 2>"$T/f1.err"
rc=$?; wall=$(( ($(date +%s%N) - t0) / 1000000 ))
expect_eq "find as alice: exit 0" 0 "$rc"
expect_eq "the GC has exactly this SCP (independent GC search)" "$DN1" \
    "$(gc_dns "(&(objectClass=serviceConnectionPoint)(keywords=$G))")"
expect_eq "find returns it with what was published (dn guid class host port keywords description spn owner)" \
    "1|$DN1|$GUID1|scptest|$SVC_HOST|5001|['$G', 'acme']|scp test|$SPN1|SVCHOST1\$|True" \
    "$(json "$T/f1.json" '"|".join(str(x) for x in [len(d["scps"])] + [d["scps"][0]["scp"][k] for k in ("dn","guid","class","host","port","keywords","description")] + [d["scps"][0][k] for k in ("spn","owner","checked")])')"
as bob "$SCPAUTH" scp show --guid "$GUID1" >"$T/show.out" 2>&1
expect_file_match "show --guid as bob: the SCP read by GUID" "$T/show.out" "^$DN1\$" \
    "^	guid: $GUID1\$" "^	host: $SVC_HOST\$" '^	port: 5001$' '^	class: scptest$'

echo "# locate time: $(json "$T/f1.json" 'd["total_ms"]') ms in the library (global catalog search $(json "$T/f1.json" 'd["search_ms"]') ms), ${wall} ms for the whole command (ccache, DC bind, GC bind, search, checks)"

# --- a second instance on the same host ---
expect_ok "publish a second instance (--instance b, port 5002)" \
    pub publish "${common[@]}" --port 5002 --instance b --state-file "$T/state2"
GUID2=$(cat "$T/state2" 2>/dev/null)
expect_eq "ldapsearch: both instances under SVCHOST1" "$(printf '%s\n' "$DN1" "$DN2" | sort)" \
    "$(gc_dns "(&(objectClass=serviceConnectionPoint)(keywords=$G))")"
as alice "$SCPAUTH" scp find --keyword "$G" --json >"$T/f2.json" 2>/dev/null
expect_eq "find: both, in the model's order, each with its port and SPN" \
    "$DN1 5001 $SPN1|$DN2 5002 $SPN2" \
    "$(json "$T/f2.json" '"|".join("%s %s %s" % (x["scp"]["dn"], x["scp"]["port"], x["spn"]) for x in d["scps"])')"
for i in $(seq 1 20); do
    as alice "$SCPAUTH" scp find --keyword "$G" --json 2>/dev/null |
        python3 -c 'import json,sys; print(json.load(sys.stdin)["total_ms"])'
done | sort -n >"$T/times"
expect_eq "20 more locates, each succeeding" 20 "$(wc -l <"$T/times")"
echo "# locate time over 20 runs (2 SCPs, all checks): min $(head -1 "$T/times") ms, median $(sed -n 10p "$T/times") ms, max $(tail -1 "$T/times") ms"
expect_exit "publishing the same instance again is refused (exit 5)" 5 \
    pub publish "${common[@]}" --port 5002 --instance b

# --- update: nothing changed ---
usn0=$(ldap_read "$DN1" uSNChanged | sed -n 's/^uSNChanged: //p')
pub update --state-file "$T/state1" "${common[@]}" --port 5001 --json >"$T/u0.json" 2>"$T/u0.err"
expect_eq "update with the same host and port: unchanged, same GUID" "False False $GUID1" \
    "$(json "$T/u0.json" '"%s %s %s" % (d["changed"], d["recreated"], d["guid"])')"
expect_eq "ldapsearch: uSNChanged did not move" "$usn0" \
    "$(ldap_read "$DN1" uSNChanged | sed -n 's/^uSNChanged: //p')"

# --- update after a port change ---
pub update --state-file "$T/state1" "${common[@]}" --port 5003 --json >"$T/u1.json" 2>"$T/u1.err"
expect_eq "update after a port change: changed, same GUID" "True False $GUID1" \
    "$(json "$T/u1.json" '"%s %s %s" % (d["changed"], d["recreated"], d["guid"])')"
ldap_read "<GUID=$GUID1>" >"$T/l2.ldif"
expect_file_match "ldapsearch: binding rewritten to 5003, everything else as published" \
    "$T/l2.ldif" "^dn: $DN1\$" '^serviceBindingInformation: 5003$' "^serviceDNSName: $SVC_HOST\$" \
    '^cn: scptest-5001$' "^keywords: $G\$" '^keywords: acme$' '^description: scp test$'
expect_eq "ldapsearch: still one binding value" 1 \
    "$(attr_values "$T/l2.ldif" serviceBindingInformation | wc -l)"

# --- update after an administrator deleted it ---
expect_ok "administrator deletes the SCP (ldapdelete)" \
    as admin ldapdelete -Q -Y GSSAPI -H "ldap://$DC_HOST" "$DN1"
expect_eq "ldapsearch: gone" "" "$(ldap_read "<GUID=$GUID1>" dn)"
pub update --state-file "$T/state1" "${common[@]}" --port 5003 --json >"$T/u2.json" 2>"$T/u2.err"
GUID3=$(cat "$T/state1" 2>/dev/null)
expect_eq "update recreates it: recreated, new GUID, state file updated" "True $GUID3" \
    "$(json "$T/u2.json" '"%s %s" % (d["recreated"], d["guid"])')"
expect_ok "the new GUID differs from the old one" test "$GUID3" != "$GUID1"
ldap_read "<GUID=$GUID3>" >"$T/l3.ldif"
expect_file_match "ldapsearch <GUID=new>: the recreated SCP" "$T/l3.ldif" \
    "^dn: CN=scptest-5003,$H1_DN\$" '^serviceBindingInformation: 5003$' "^keywords: $G\$"

# --- an administrator publishes for another host (found by its account) ---
as admin "$SCPAUTH" scp publish --class scptest --host "$SVC2_HOST" --port 5009 \
    --keyword "$G" --account 'SVCHOST2$' --json >"$T/p2.json" 2>"$T/p2.err"
GUID_A=$(json "$T/p2.json" 'd["guid"]' 2>/dev/null)
expect_eq "administrator publishes under SVCHOST2 (--account SVCHOST2\$)" "CN=scptest-5009,$H2_DN" \
    "$(ldap_read "<GUID=$GUID_A>" dn | sed -n 's/^dn: //p')"
expect_ok "administrator removes it" as admin "$SCPAUTH" scp remove --guid "$GUID_A"

# --- remove ---
expect_ok "remove by GUID (state file) as SVCHOST1\$" pub remove --state-file "$T/state1"
expect_eq "ldapsearch: removed" "" "$(ldap_read "<GUID=$GUID3>" dn)"
expect_exit "remove again: not found (exit 4)" 4 pub remove --guid "$GUID3"
expect_ok "remove the second instance (--guid)" pub remove --guid "$GUID2"
expect_eq "the GC has no SCP with the keyword left" "" \
    "$(gc_dns "(&(objectClass=serviceConnectionPoint)(keywords=$G))")"
expect_exit "find now: not found (exit 4)" 4 as alice "$SCPAUTH" scp find --keyword "$G"
as admin "$SCPAUTH" spn delete --account 'SVCHOST1$' "$SPN1" "$SPN2" >/dev/null 2>&1
itest_done
