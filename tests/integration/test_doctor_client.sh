#!/bin/bash
# test_doctor_client.sh - `scpauth doctor` on the client side when the
# client cannot get a service ticket (its ccache is gone) and when the SCP
# is missing, untrusted (planted under another computer) or names another
# SPN than the one given. SCPs made here are removed.
. "$(dirname "$0")/doctor_lib.sh"
G=$(cat /proc/sys/kernel/random/uuid)
H2_DN="CN=SVCHOST2,CN=Computers,$BASEDN"
ROGUE="CN=myapp-doctor,$H2_DN"
trap 'as admin ldapdelete -Q -Y GSSAPI -H "ldap://$DC_HOST" "$ROGUE" >/dev/null 2>&1; _itest_cleanup' EXIT

# --- no service ticket: alice's ccache missing ---
cp "$STATE/alice.ccache" "$T/alice.ccache"
KRB5CCNAME=FILE:$T/alice.ccache in_ns "$SCPAUTH" doctor --json "$MYAPP_SPN" >"$T/cc.json" 2>/dev/null
expect_eq "a copy of alice's ccache: ticket ok" ok "$(status "$T/cc.json" ticket)"
rm -f "$T/alice.ccache"
KRB5CCNAME=FILE:$T/alice.ccache in_ns "$SCPAUTH" doctor --json "$MYAPP_SPN" >"$T/nocc.json" 2>/dev/null
expect_eq "the ccache removed: exit 1" 1 $?
expect_eq "... creds and ticket are the problems; dc not tried; clock still measured (KDC)" \
    "creds=problem dc=skipped clock=ok scp=skipped spn=skipped enctypes=skipped keytab=skipped ticket=problem" \
    "$(statuses "$T/nocc.json")"
expect_match "... creds names the ccache" "ccache FILE:$T/alice\\.ccache.*(No credentials cache found|No Kerberos credentials available)" \
    field "$T/nocc.json" creds detail
expect_match "... ticket: no service ticket without credentials" \
    "no service ticket for ${MYAPP_SPN//./\\.}: this client has no credentials" field "$T/nocc.json" ticket detail
expect_match "... fix: kinit" 'kinit' field "$T/nocc.json" ticket fix
expect_match "--ccache works as KRB5CCNAME does" '"name":"ticket","status":"problem"' \
    as alice "$SCPAUTH" doctor --json "$MYAPP_SPN" --ccache "FILE:$T/alice.ccache"

# --- SCP not found ---
doctor_json "$T/noscp.json" alice --guid "$G"
expect_eq "an SCP GUID nobody published: exit 1" 1 "$DOCTOR_RC"
expect_eq "... scp problem; spn, enctypes and ticket skipped (no SPN known)" \
    "problem skipped skipped skipped" \
    "$(status "$T/noscp.json" scp) $(status "$T/noscp.json" spn) $(status "$T/noscp.json" enctypes) $(status "$T/noscp.json" ticket)"
expect_match "... no SCP with that keyword" "no serviceConnectionPoint with keyword $G" \
    field "$T/noscp.json" scp detail
expect_match "... fix: publish it" "scpauth scp publish .*--keyword $G" field "$T/noscp.json" scp fix

# --- SCP untrusted: planted under SVCHOST2, pointing at svchost1 ---
expect_ok "setup: administrator plants an SCP under SVCHOST2 naming $SVC_HOST" \
    as admin "$SCPAUTH" scp publish --class myapp --host "$SVC_HOST" --port "$MYAPP_PORT" \
    --keyword "$G" --instance doctor --parent "$H2_DN"
doctor_json "$T/rogue.json" alice --guid "$G"
expect_eq "untrusted SCP: exit 1, scp problem ESCPUNTRUSTED" "1 problem SCPAUTH_ESCPUNTRUSTED" \
    "$DOCTOR_RC $(status "$T/rogue.json" scp) $(field "$T/rogue.json" scp code)"
expect_match "... names the SCP, the host and the computer it sits under" \
    "$ROGUE.*$SVC_HOST.*SVCHOST2" field "$T/rogue.json" scp detail
expect_match "... with a fix" '.' field "$T/rogue.json" scp fix
expect_ok "cleanup: the planted SCP removed" as admin ldapdelete -Q -Y GSSAPI -H "ldap://$DC_HOST" "$ROGUE"

# --- SCP trusted, but for another SPN than the one named ---
expect_ok "setup: a good SCP (port $MYAPP_PORT on $SVC_HOST)" \
    as admin "$SCPAUTH" scp publish --class myapp --host "$SVC_HOST" --port "$MYAPP_PORT" \
    --keyword "$G" --state-file "$T/scp.state"
doctor_json "$T/other.json" alice --guid "$G" --spn "$MYAPP_SPN"
expect_eq "--spn without the port the SCP gives: scp problem, the rest ok" \
    "creds=ok dc=ok clock=ok scp=problem spn=ok enctypes=ok keytab=skipped ticket=ok" \
    "$(statuses "$T/other.json")"
expect_match "... names both SPNs" \
    "none gives SPN ${MYAPP_SPN//./\\.} .*gives ${MYAPP_PORT_SPN//./\\.}" field "$T/other.json" scp detail
expect_ok "cleanup: the SCP removed" as admin "$SCPAUTH" scp remove --state-file "$T/scp.state"

itest_done
