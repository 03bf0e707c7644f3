#!/bin/bash
# test_auth_hostile.sh - `scpauth listen` under load and abuse: 50 concurrent
# good clients while hostile ones (hostile_client.py) send an HTTP request, an
# oversized length, a zero-length frame, a garbage token, half a frame then
# silence, nothing at all, or hang up mid-handshake. Every good client must
# succeed, every hostile connection must be closed within the client timeout,
# the service must stay up, and its memory must stay bounded (RSS measured
# from /proc before and after two rounds).
. "$(dirname "$0")/lib.sh"
T=$ITEST_TMP
GOOD=50
HOSTILE_EACH=4
MODES=http,oversize,zero,garbage,half,silent,midhandshake
TIMEOUT_MS=2000
RSS_GROWTH_MAX_KB=4096    # between round 1 and round 2: no leak per client
RSS_MAX_KB=32768         # absolute bound after 2 x (50 good + 28 hostile)

rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }

# good_clients ROUND: GOOD concurrent `scpauth connect` as alice; sets GOOD_OK.
good_clients() {
    local i pids=()
    for i in $(seq 1 "$GOOD"); do
        as alice "$SCPAUTH" connect "$SVC_HOST" "$LISTEN_PORT" "$MYAPP_SPN" --json \
            --message "good client $i" --count 2 --timeout 15000 >"$T/good.$1.$i" 2>&1 &
        pids+=($!)
    done
    GOOD_OK=0
    for i in "${pids[@]}"; do wait "$i" && GOOD_OK=$((GOOD_OK + 1)); done
    log_handshake_ms "$T"/good."$1".*
}

# round N: hostile clients and good clients at the same time.
round() {
    in_ns python3 "$REPO/tests/integration/hostile_client.py" "$SVC_HOST" "$LISTEN_PORT" "$MODES" \
        --count "$HOSTILE_EACH" --hold $((TIMEOUT_MS / 1000 + 5)) >"$T/hostile.$1" 2>&1 &
    local hpid=$!
    sleep 0.2   # the hostile ones connect first and hold their places
    good_clients "$1"
    wait "$hpid"
    expect_eq "round $1: all $GOOD concurrent good clients succeed beside hostile ones" \
        "$GOOD" "$GOOD_OK"
    expect_hostile_closed "round $1: the service closed every hostile connection within $TIMEOUT_MS ms (+1 s)" \
        "$T/hostile.$1" $((TIMEOUT_MS / 1000 + 1))
}

L=$T/listen.log
listen_start "$L" --json --keytab "$SVC_MYAPP_KEYTAB" --max-clients 64 \
    --client-timeout "$TIMEOUT_MS"
# warm up (ticket cache, replay cache, libraries), then measure
for i in 1 2 3 4 5; do
    as alice "$SCPAUTH" connect "$SVC_HOST" "$LISTEN_PORT" "$MYAPP_SPN" >/dev/null 2>&1
done
rss0=$(rss_kb "$LISTEN_PID")
round 1
rss1=$(rss_kb "$LISTEN_PID")
round 2
rss2=$(rss_kb "$LISTEN_PID")
echo "# listener RSS: ${rss0} kB after warm-up, ${rss1} kB after round 1, ${rss2} kB after round 2"

expect_ok "the service is still running after both rounds" kill -0 "$LISTEN_PID"
expect_ok "RSS growth from round 1 to round 2 is $((rss2 - rss1)) kB (bound $RSS_GROWTH_MAX_KB kB)" \
    test $((rss2 - rss1)) -lt "$RSS_GROWTH_MAX_KB"
expect_ok "RSS after both rounds is $rss2 kB (bound $RSS_MAX_KB kB)" test "$rss2" -lt "$RSS_MAX_KB"

ok_lines=$(grep -c '"event":"client","peer":"[^"]*","ok":true' "$L")
expect_eq "the service logged every good client as ok (5 + 2 x $GOOD)" $((5 + 2 * GOOD)) "$ok_lines"
hostile_total=$((2 * HOSTILE_EACH * $(tr ',' '\n' <<<"$MODES" | wc -l)))
bad_lines=$(grep -c '"event":"client","peer":"[^"]*","ok":false' "$L")
expect_eq "the service logged one error line per hostile connection" "$hostile_total" "$bad_lines"
expect_file_match "hostile connections got their own errors" "$L" \
    '"code":"SCPAUTH_ETOOBIG","message":"frame of [0-9]+ bytes from [0-9.]+:[0-9]+ exceeds' \
    '"code":"SCPAUTH_EZEROLEN"' \
    '"code":"SCPAUTH_EAUTH","message":"client [0-9.]+:[0-9]+: cannot accept' \
    '"code":"SCPAUTH_ETIMEDOUT","message":"receiving a frame from [0-9.]+:[0-9]+ timed out' \
    '"code":"SCPAUTH_ETRUNCATED","message":"[0-9.]+:[0-9]+ closed the connection in the middle'
as alice "$SCPAUTH" connect "$SVC_HOST" "$LISTEN_PORT" "$MYAPP_SPN" >"$T/last.out" 2>&1
expect_eq "a client after all that is served" 0 $?
bg_stop "$LISTEN_PID"

itest_done
