#!/bin/bash
# test_scp_trust.sh - locate's trust checks. A good SCP (under SVCHOST1,
# SPN on SVCHOST1$) beside an SCP an administrator planted under SVCHOST2
# that points at svchost1, an SCP whose SPN nobody owns, and
# --expect-account / --base / --no-trust-checks. Every rejection names the
# SCP's DN, the SPN and the accounts; ldapsearch confirms the rejected SCPs
# exist (the check rejected them, not the search).
. "$(dirname "$0")/scp_lib.sh"
G=$(new_guid)
G2=$(new_guid)
SPN=scptrust/$SVC_HOST:6001
GOOD="CN=scptrust-6001,$H1_DN"
ROGUE="CN=scptrust-rogue,$H2_DN"
NOSPN="CN=scpnone-6002,$H1_DN"
SELF2="CN=scptrust-6001,$H2_DN"      # the rogue host's own SCP, for its own host
SPN2=scptrust/$SVC2_HOST:6001
find_as() { local who=$1; shift; as "$who" "$SCPAUTH" scp find "$@"; }

for dn in "$GOOD" "$ROGUE" "$NOSPN" "$SELF2"; do
    as admin ldapdelete -Q -Y GSSAPI -H "ldap://$DC_HOST" "$dn" >/dev/null 2>&1
done
expect_ok "kinit -k SVCHOST1\$" host_ccache svchost1 "$SVCHOST1_KEYTAB"
expect_ok "kinit -k SVCHOST2\$" host_ccache svchost2 "$SVCHOST2_KEYTAB"
expect_ok "administrator registers $SPN on SVCHOST1\$" \
    as admin "$SCPAUTH" spn add --account 'SVCHOST1$' "$SPN"
expect_ok "SVCHOST1\$ publishes the good SCP" \
    as_host svchost1 "$SCPAUTH" scp publish --class scptrust --host "$SVC_HOST" --port 6001 \
    --keyword "$G"
expect_ok "administrator plants an SCP under SVCHOST2 that points at svchost1 (--parent)" \
    as admin "$SCPAUTH" scp publish --class scptrust --host "$SVC_HOST" --port 6001 \
    --keyword "$G" --instance rogue --parent "$H2_DN"
expect_eq "ldapsearch: the GC has both" "$(printf '%s\n' "$GOOD" "$ROGUE" | sort)" \
    "$(gc_dns "(&(objectClass=serviceConnectionPoint)(keywords=$G))")"

# --- host check ---
find_as alice --keyword "$G" --json >"$T/f1.json" 2>"$T/f1.err"
expect_eq "find: exit 0 with only the good SCP, owner SVCHOST1\$" "0 1 $GOOD SVCHOST1\$" \
    "$? $(json "$T/f1.json" '"%d %s %s" % (len(d["scps"]), d["scps"][0]["scp"]["dn"], d["scps"][0]["owner"])')"
expect_file_match "the planted SCP is reported: its DN, its host, the SPN, SVCHOST2\$ and its dNSHostName" \
    "$T/f1.err" "rejected $ROGUE: .*names host $SVC_HOST \\(SPN $SPN\\) but sits under computer SVCHOST2\\\$ \\($H2_DN\\), whose dNSHostName is \"$SVC2_HOST\""
expect_fail_match "find --base SVCHOST2: only the planted one, rejected (untrusted)" \
    "SCPAUTH_ESCPUNTRUSTED" find_as alice --keyword "$G" --base "$H2_DN"
expect_exit "... with exit 5" 5 find_as alice --keyword "$G" --base "$H2_DN"
expect_match "find --base SVCHOST1: the good one only" "^$GOOD\$" \
    find_as alice --keyword "$G" --base "$H1_DN"
find_as alice --keyword "$G" --no-trust-checks --json >"$T/f2.json" 2>/dev/null
expect_eq "--no-trust-checks: both returned, in order" "$(printf '%s\n' "$GOOD" "$ROGUE" | sort | paste -sd' ')" \
    "$(json "$T/f2.json" '" ".join(x["scp"]["dn"] for x in d["scps"])')"

# --- expected account ---
expect_match "--expect-account SVCHOST1\$: accepted" "owner: SVCHOST1\\\$" \
    find_as alice --keyword "$G" --expect-account 'SVCHOST1$'
expect_fail_match "--expect-account alice: rejected, naming the SCP, the SPN, the owner and alice" \
    "$GOOD: SPN $SPN is owned by SVCHOST1\\\$ \\($H1_DN\\), not by the expected account alice" \
    find_as bob --keyword "$G" --expect-account alice
expect_exit "... with exit 5" 5 find_as bob --keyword "$G" --expect-account alice

# --- a rogue computer that registered the SPN for itself ---
# SVCHOST2$ publishes, under its own object and for its own host, an SCP with
# the product's keyword, and holds the SPN a client would compose from it:
# host check and owner check pass. Only --expect-account tells it apart.
# (Samba's validated write refuses class/host:port on a computer's own
# account, which Windows allows; the administrator stands in for that write.)
expect_ok "administrator registers $SPN2 on SVCHOST2\$ (as Windows lets the computer do)" \
    as admin "$SCPAUTH" spn add --account 'SVCHOST2$' "$SPN2"
expect_ok "SVCHOST2\$ publishes its own SCP with the product keyword" \
    as_host svchost2 "$SCPAUTH" scp publish --class scptrust --host "$SVC2_HOST" --port 6001 \
    --keyword "$G"
find_as alice --keyword "$G" --json >"$T/f3.json" 2>/dev/null
expect_eq "without --expect-account the rogue's SCP passes the host and owner checks" \
    "$GOOD=SVCHOST1\$ $SELF2=SVCHOST2\$" \
    "$(json "$T/f3.json" '" ".join("%s=%s" % (x["scp"]["dn"], x["owner"]) for x in d["scps"])')"
find_as alice --keyword "$G" --expect-account 'SVCHOST1$' --json >"$T/f4.json" 2>"$T/f4.err"
expect_eq "--expect-account SVCHOST1\$: exit 0 with only the legitimate SCP" "0 1 $GOOD" \
    "$? $(json "$T/f4.json" '"%d %s" % (len(d["scps"]), d["scps"][0]["scp"]["dn"])')"
expect_file_match "... and the rogue's SCP is rejected naming its DN, its SPN, SVCHOST2\$ and SVCHOST1\$" \
    "$T/f4.err" "$SELF2: SPN $SPN2 is owned by SVCHOST2\\\$ .*not by the expected account SVCHOST1\\\$"
as admin ldapdelete -Q -Y GSSAPI -H "ldap://$DC_HOST" "$SELF2" >/dev/null 2>&1
as admin "$SCPAUTH" spn delete --account 'SVCHOST2$' "$SPN2" >/dev/null 2>&1

# --- an SPN nobody owns ---
expect_ok "SVCHOST1\$ publishes an SCP for class scpnone (no SPN registered)" \
    as_host svchost1 "$SCPAUTH" scp publish --class scpnone --host "$SVC_HOST" --port 6002 \
    --keyword "$G2"
expect_eq "ldapsearch: it exists, and nobody owns scpnone/$SVC_HOST:6002" "$NOSPN|" \
    "$(gc_dns "(&(objectClass=serviceConnectionPoint)(keywords=$G2))")|$(gc_dns "(servicePrincipalName=scpnone/$SVC_HOST:6002)")"
expect_fail_match "find: rejected, naming the SCP and the SPN nobody owns" \
    "$NOSPN: no account in the forest owns SPN scpnone/$SVC_HOST:6002" \
    find_as alice --keyword "$G2"
expect_exit "... with exit 5" 5 find_as alice --keyword "$G2"
expect_match "--no-trust-checks returns it" "^$NOSPN\$" \
    find_as alice --keyword "$G2" --no-trust-checks

# --- publish refuses what locate would reject ---
expect_fail_match "SVCHOST2\$ publishing for host svchost1 under itself is refused before writing" \
    "account SVCHOST2\\\$ .* has dNSHostName \"$SVC2_HOST\"" \
    as_host svchost2 "$SCPAUTH" scp publish --class scptrust --host "$SVC_HOST" --port 6001 \
    --keyword "$G" --instance x --account 'SVCHOST2$'
expect_eq "ldapsearch: nothing was written under SVCHOST2 but the planted SCP" "$ROGUE" \
    "$(as admin ldapsearch -LLL -Q -Y GSSAPI -H "ldap://$DC_HOST" -b "$H2_DN" \
        '(objectClass=serviceConnectionPoint)' dn 2>/dev/null | sed -n 's/^dn: //p')"

for dn in "$GOOD" "$ROGUE" "$NOSPN" "$SELF2"; do
    as admin ldapdelete -Q -Y GSSAPI -H "ldap://$DC_HOST" "$dn" >/dev/null 2>&1
done
as admin "$SCPAUTH" spn delete --account 'SVCHOST1$' "$SPN" >/dev/null 2>&1
itest_done
