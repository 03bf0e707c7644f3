#!/bin/bash
# test_scenario_move.sh - the service restarted on another port: once an
# administrator registered the new SPN, the service moves its own SCP at
# start (it published it, so it owns it), and clients follow the SCP to the
# new port without being told.
. "$REPO/tests/integration/lib.sh"
. "$REPO/tests/integration/scenario_lib.sh"
D=$ITEST_TMP/state
OLD=4531 NEW=4532

expect_ok "install on port $OLD" ex_install "$D" "$OLD"
expect_ok "run on port $OLD" ex_run_start "$ITEST_TMP/old.log" "$D" "$OLD"
expect_match "a client reaches port $OLD through the SCP" "^scp: host $SVC_HOST port $OLD," \
    ex_client alice
ex_stop

expect_fail_match "restarted on port $NEW without its SPN: refuses to start, naming the SPN" \
    "refusing to start.*|scpauth-example/$SVC_HOST:$NEW" \
    in_ns "$EXSVC" run --host "$SVC_HOST" --port "$NEW" --state-dir "$D" \
    --keytab "$SVCHOST1_KEYTAB" --ccache "$HOST_CC"
expect_match "... and the SCP still says port $OLD" "^scp: host $SVC_HOST port $OLD," \
    ex_client alice --count 0

expect_ok "the administrator registers scpauth-example/$SVC_HOST:$NEW on SVCHOST1\$" \
    in_ns "$SCPAUTH" spn add --account 'SVCHOST1$' "scpauth-example/$SVC_HOST:$NEW"
L=$ITEST_TMP/new.log
expect_ok "run on port $NEW" ex_run_start "$L" "$D" "$NEW"
expect_file_match "the service (as SVCHOST1\$) moved its SCP to port $NEW" "$L" \
    "^scp: updated to $SVC_HOST:$NEW \(CN=scpauth-example-$OLD,"
expect_file_match "... and remembers the new port" "$D/scpauth-example.state" "^port=$NEW\$"
A=$ITEST_TMP/alice.out
ex_client alice >"$A" 2>&1
expect_file_match "a client follows the SCP to port $NEW and authenticates to the new SPN" "$A" \
    "^scp: host $SVC_HOST port $NEW," "^spn: composed scpauth-example/$SVC_HOST:$NEW\$" \
    "^auth: service scpauth-example/$SVC_HOST:$NEW@$REALM proved its identity: mutual=yes" \
    '^result: ok'
ex_log_handshake_ms "$A"
expect_exit "nothing listens on the old port any more (exit 6)" 6 \
    ex_client alice --host "$SVC_HOST" --port "$OLD"
ex_stop
expect_ok "restart on port $NEW again: the SCP is current" \
    ex_run_start "$ITEST_TMP/again.log" "$D" "$NEW"
expect_file_match "... (no rewrite)" "$ITEST_TMP/again.log" "^scp: current: $SVC_HOST:$NEW "
ex_stop

expect_ok "uninstall" ex_uninstall "$D"
expect_ok "cleanup: the administrator removes the SPN it added" \
    in_ns "$SCPAUTH" spn delete --account 'SVCHOST1$' "scpauth-example/$SVC_HOST:$NEW"
itest_done
