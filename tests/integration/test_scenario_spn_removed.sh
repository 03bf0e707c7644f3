#!/bin/bash
# test_scenario_spn_removed.sh - the service's SPN removed behind its back:
# the service refuses to start, lists the missing SPN and prints the command
# that fixes it; once fixed, it starts and serves.
. "$REPO/tests/integration/lib.sh"
. "$REPO/tests/integration/scenario_lib.sh"
D=$ITEST_TMP/state
PORT=4541
SPN="scpauth-example/$SVC_HOST:$PORT"

expect_ok "install on port $PORT" ex_install "$D" "$PORT"
expect_ok "someone removes $SPN from SVCHOST1\$" \
    in_ns "$SCPAUTH" spn delete --account 'SVCHOST1$' "$SPN"
O=$ITEST_TMP/refused.out
one_line() { "$@" 2>&1 | tr '\n' ' '; return "${PIPESTATUS[0]}"; }
run_fg() {
    in_ns "$EXSVC" run --host "$SVC_HOST" --port "$PORT" --state-dir "$D" \
        --keytab "$SVCHOST1_KEYTAB" --ccache "$HOST_CC" >"$O" 2>&1
}
t0=$(date +%s.%N)
expect_exit "run refuses to start: exit 4 (SPN not found)" 4 run_fg
echo "# refused in $(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN{printf "%.2f", b-a}') s"
expect_file_match "... says why, lists the missing SPN and the commands that fix it" "$O" \
    'refusing to start: clients cannot authenticate to this service' \
    "to fix it, run: scpauth-example-service install --port $PORT --host $SVC_HOST" \
    "not registered on SVCHOST1\\$.*$SPN" "scpauth spn add --account 'SVCHOST1\\$' $SPN"
expect_file_match "... and never listened" "$O" '^directory: '
expect_eq "... (no 'run: listening' line)" 0 "$(grep -c '^run: listening' "$O")"
expect_fail_match "a client cannot even get a ticket: SPN not registered (exit 4)" \
    "SCPAUTH_ENOSPN.*$SPN is not registered on any account" \
    one_line ex_client alice --host "$SVC_HOST" --port "$PORT"

expect_match "the fix it printed: install again registers the SPN anew" \
    "spn: registered $SPN on SVCHOST1" ex_install "$D" "$PORT"
expect_ok "run now starts" ex_run_start "$ITEST_TMP/service.log" "$D" "$PORT"
A=$ITEST_TMP/alice.out
ex_client alice >"$A" 2>&1
expect_file_match "and serves a client through the SCP" "$A" '^result: ok'
ex_log_handshake_ms "$A"
ex_stop
expect_ok "uninstall" ex_uninstall "$D"
itest_done
