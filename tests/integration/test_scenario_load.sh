#!/bin/bash
# test_scenario_load.sh - the example service under load: 100 good clients
# at once (90 straight to the port, 10 through the SCP) while hostile ones
# (hostile_client.py, sspi-sample framing) send junk, oversize lengths,
# half frames or nothing. Every good client must be served, every hostile
# connection closed within the client timeout, and the service stays up.
. "$REPO/tests/integration/lib.sh"
. "$REPO/tests/integration/scenario_lib.sh"
D=$ITEST_TMP/state
PORT=4551
GOOD=100
VIA_SCP=10
TIMEOUT_MS=3000
MODES=http,oversize,zero,garbage,half,silent,midhandshake
HOSTILE_EACH=3

expect_ok "install on port $PORT" ex_install "$D" "$PORT"
L=$ITEST_TMP/service.log
expect_ok "run with up to 64 clients at once, $TIMEOUT_MS ms per client" \
    ex_run_start "$L" "$D" "$PORT" --max-clients 64 --client-timeout "$TIMEOUT_MS"

in_ns python3 "$REPO/tests/integration/hostile_client.py" "$SVC_HOST" "$PORT" "$MODES" \
    --count "$HOSTILE_EACH" --profile sspi-sample --hold $((TIMEOUT_MS / 1000 + 5)) \
    >"$ITEST_TMP/hostile.out" 2>&1 &
hpid=$!
sleep 0.2 # the hostile ones connect first and hold their places
t0=$(date +%s.%N)
pids=()
for i in $(seq 1 "$GOOD"); do
    who=$([ $((i % 2)) = 0 ] && echo alice || echo bob)
    if [ "$i" -le "$VIA_SCP" ]; then
        ex_client "$who" --message "client $i" --count 3 >"$ITEST_TMP/good.$i" 2>&1 &
    else
        ex_client "$who" --host "$SVC_HOST" --port "$PORT" --message "client $i" --count 3 \
            >"$ITEST_TMP/good.$i" 2>&1 &
    fi
    pids+=($!)
done
good_ok=0
for p in "${pids[@]}"; do wait "$p" && good_ok=$((good_ok + 1)); done
wall=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN{printf "%.2f", b-a}')
wait "$hpid"
echo "# $GOOD good clients beside $((HOSTILE_EACH * 7)) hostile ones in $wall s"
expect_eq "all $GOOD concurrent good clients succeed beside hostile ones" "$GOOD" "$good_ok"
for i in $(seq 1 "$GOOD"); do
    grep -q '^result: ok' "$ITEST_TMP/good.$i" || { echo "# client $i:"; sed 's/^/#   /' "$ITEST_TMP/good.$i" | tail -4; }
done | head -20
expect_eq "each good client verified its 3 sealed, signed replies" "$GOOD" \
    "$(cat "$ITEST_TMP"/good.* | grep -c '^messages: 3 sealed and signed round trips')"
ex_log_handshake_ms "$ITEST_TMP"/good.*
# +2 s: 100 client processes and the DC share two cores; the scheduling
# delay, not the service's timeout, is what varies
expect_hostile_closed "the service closed every hostile connection within $TIMEOUT_MS ms (+2 s)" \
    "$ITEST_TMP/hostile.out" $((TIMEOUT_MS / 1000 + 2))
echo "# longest close of a hostile connection: $(python3 -c '
import json, sys
print(max((json.loads(l)["max_close_s"] or 0) for l in open(sys.argv[1])))' "$ITEST_TMP/hostile.out") s"
expect_ok "the service is still running" kill -0 "$EX_PID"
expect_exit "and serves the next client" 0 ex_client alice
ex_stop
expect_eq "SIGTERM: graceful stop (exit 0)" 0 "$BG_RC"
expect_eq "the service logged every good client as ok" $((GOOD + 1)) \
    "$(grep -c '^client .*: ok principal=' "$L")"
expect_eq "... and one error line per hostile connection" $((HOSTILE_EACH * 7)) \
    "$(grep -c '^client .*: SCPAUTH_' "$L")"
expect_ok "uninstall" ex_uninstall "$D"
itest_done
