#!/bin/bash
# test_scenario_instances.sh - two instances of the example service on one
# host (two ports): each gets its own SPN and its own SCP (Microsoft's sample
# had one fixed SCP name per host), both run at once, clients reach both,
# and a product keyword of its own singles one out.
. "$REPO/tests/integration/lib.sh"
. "$REPO/tests/integration/scenario_lib.sh"
A=$ITEST_TMP/a B=$ITEST_TMP/b
K2=7a1c2e3f-4b5d-4e6f-8a9b-0c1d2e3f4a5b
EX_GUID_DEFAULT=6f0a3a52-3c1d-4b8e-9d27-5e41c0a8b7f3

expect_ok "install instance A on port 4521" ex_install "$A" 4521
expect_ok "install instance B on port 4522 (its own keyword)" ex_install "$B" 4522 --guid-keyword "$K2"
spn_line() { spns_of 'SVCHOST1$' | sort | tr '\n' ' '; }
expect_match "SVCHOST1\$ holds both SPNs" "scpauth-example/$SVC_HOST:4521.*scpauth-example/$SVC_HOST:4522" \
    spn_line
ga=$(sed -n 's/^guid=//p' "$A/scpauth-example.state")
gb=$(sed -n 's/^guid=//p' "$B/scpauth-example.state")
expect_ok "two SCPs with two GUIDs ($ga, $gb)" test -n "$ga" -a -n "$gb" -a "$ga" != "$gb"

expect_ok "run A" ex_run_start "$ITEST_TMP/a.log" "$A" 4521
PA=$EX_PID
expect_ok "run B at the same time" ex_run_start "$ITEST_TMP/b.log" "$B" 4522 --guid-keyword "$K2"
PB=$EX_PID

expect_match "the product keyword finds instance A (port 4521)" \
    "^scp: host $SVC_HOST port 4521, .*trust checks passed" ex_client alice
expect_match "keyword $K2 finds instance B (port 4522) and authenticates to its SPN" \
    "^auth: service scpauth-example/$SVC_HOST:4522@$REALM proved its identity: mutual=yes" \
    ex_client bob --keyword "$K2"
expect_exit "A directly (--host/--port)" 0 ex_client alice --host "$SVC_HOST" --port 4521
expect_exit "B directly (--host/--port)" 0 ex_client bob --host "$SVC_HOST" --port 4522

EX_PID=$PA ex_stop
EX_PID=$PB ex_stop
expect_eq "A served its 2 clients" 2 "$(grep -c '^client .*: ok ' "$ITEST_TMP/a.log")"
expect_eq "B served its 2 clients" 2 "$(grep -c '^client .*: ok ' "$ITEST_TMP/b.log")"

expect_ok "uninstall A" ex_uninstall "$A"
expect_match "B's SCP is still there after A's uninstall" "^scp: found 1 of 1 .*scpauth-example-4522" \
    ex_client alice --keyword "$K2" --count 0
expect_fail_match "uninstall B without its keyword: refused, the SCP is not the product's" \
    "SCP .*CN=scpauth-example-4522.* lacks the keyword $EX_GUID_DEFAULT" ex_uninstall "$B"
expect_ok "uninstall B (with its keyword)" ex_uninstall "$B" --guid-keyword "$K2"
expect_eq "no example SPN left on SVCHOST1\$" 0 \
    "$(in_ns "$SCPAUTH" spn list --account 'SVCHOST1$' 2>&1 | grep -c scpauth-example)"
itest_done
