#!/bin/bash
# test_spn_discovery.sh - DC discovery by DNS SRV and failover. Records are
# added to the DC's DNS (samba-tool dns, as administrator) so that the best
# priority points at a dead DC (dead.$DNSDOMAIN, connection refused) and the
# next one at a DC that accepts TCP but never answers (dc1:3899, a silent
# listener); the real DC comes last. Every operation must still succeed on
# the live DC, the hung one costing no more than --timeout. The measured
# failover delays are printed. All records are restored at the end.
. "$(dirname "$0")/lib.sh"
T=$ITEST_TMP
MSDCS=_msdcs.$DNSDOMAIN
SRV=_ldap._tcp.dc
LIVE="$DC_HOST 389 0 100"
LIVE_LATER="$DC_HOST 389 10 100"
DEAD="dead.$DNSDOMAIN 389 0 100"
HUNG="$DC_HOST 3899 5 100"
TIMEOUT_MS=2000

dns() { in_ns samba-tool dns "$@" --use-kerberos=required >>"$T/dns.log" 2>&1; }
srv_records() { in_ns dig +short +time=2 +tries=1 "@$DC_IP" "$SRV.$MSDCS" SRV | sort; }
ms_since() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }

ORIG_SRV=$(srv_records)
restore_dns() {
    dns delete "$DC_HOST" "$MSDCS" "$SRV" SRV "$DEAD"
    dns delete "$DC_HOST" "$MSDCS" "$SRV" SRV "$HUNG"
    dns update "$DC_HOST" "$MSDCS" "$SRV" SRV "$LIVE_LATER" "$LIVE"
    dns delete "$DC_HOST" "$DNSDOMAIN" dead A 127.0.0.99
}
trap 'restore_dns; _itest_cleanup' EXIT
expect_eq "setup: one SRV record, the live DC" "0 100 389 $DC_HOST." "$ORIG_SRV"

# --- a silent DC: accepts TCP connections, never answers ---
bg "$T/hung.log" in_ns python3 "$(dirname "$0")/test_spn_silent_dc.py" "$DC_IP" 3899
HUNG_PID=$BG_PID
wait_match "$T/hung.log" '^listening' 100
expect_ok "setup: a silent listener on $DC_IP:3899" wait_port "$DC_IP" 3899

dns add "$DC_HOST" "$DNSDOMAIN" dead A 127.0.0.99 &&
    dns add "$DC_HOST" "$MSDCS" "$SRV" SRV "$DEAD" &&
    dns add "$DC_HOST" "$MSDCS" "$SRV" SRV "$HUNG" &&
    dns update "$DC_HOST" "$MSDCS" "$SRV" SRV "$LIVE" "$LIVE_LATER"
expect_eq "setup: SRV priorities 0 dead, 5 silent, 10 live" \
    "$(printf '%s\n' "0 100 389 dead.$DNSDOMAIN." "10 100 389 $DC_HOST." "5 100 3899 $DC_HOST." | sort)" \
    "$(srv_records)"

# --- the operation fails over to the live DC within the timeout ---
t0=$(date +%s%N)
in_ns "$SCPAUTH" spn list svc-myapp --json --timeout "$TIMEOUT_MS" >"$T/list.json" 2>"$T/list.err"
rc=$? total=$(ms_since "$t0")
expect_eq "spn list through discovery: exit 0" 0 $rc
expect_file_match "attempts in RFC 2782 order: dead refused, silent timed out, live ok" "$T/list.json" \
    "\"attempts\":\\[\\{\"host\":\"dead\\.${DNSDOMAIN//./\\.}\",\"port\":389,\"status\":\"SCPAUTH_ECONNREFUSED\"" \
    "\\{\"host\":\"${DC_HOST//./\\.}\",\"port\":3899,\"status\":\"SCPAUTH_ETIMEDOUT\"" \
    "\\{\"host\":\"${DC_HOST//./\\.}\",\"port\":389,\"status\":\"ok\"" '"discovered":true'
expect_ok "... within the timeout plus the live bind: ${total} ms <= $((TIMEOUT_MS + 1500)) ms" \
    test "$total" -le $((TIMEOUT_MS + 1500))
attempt_ms() { sed -n "s/.*{\"host\":\"$1\",\"port\":$2,\"status\":\"[A-Za-z_]*\",\"ms\":\([0-9.]*\)}.*/\1/p" "$T/list.json"; }
dead_ms=$(attempt_ms "dead.$DNSDOMAIN" 389)
hung_ms=$(attempt_ms "$DC_HOST" 3899)
live_ms=$(attempt_ms "$DC_HOST" 389)
connect_ms=$(sed -n 's/.*"connect_ms":\([0-9.]*\).*/\1/p' "$T/list.json")
echo "# failover delay: dead DC (refused) ${dead_ms} ms, silent DC (timeout ${TIMEOUT_MS} ms) ${hung_ms} ms, live DC bind ${live_ms} ms; DC found in ${connect_ms} ms, whole command ${total} ms"
expect_ok "the silent DC cost about the timeout (${hung_ms} ms)" \
    awk -v v="$hung_ms" -v t="$TIMEOUT_MS" 'BEGIN { exit !(v >= t * 0.9 && v <= t + 500) }'
expect_ok "the dead DC cost little (${dead_ms} ms < 500 ms)" \
    awk -v v="$dead_ms" 'BEGIN { exit !(v < 500) }'

# --- writes too, and the forest-wide lookup through _gc._tcp ---
A=itest/disc.$DNSDOMAIN
expect_ok "spn add through the same failover" \
    in_ns "$SCPAUTH" spn add --account svc-myapp "$A" --timeout "$TIMEOUT_MS"
expect_match "spn query (global catalog found by _gc._tcp.$DNSDOMAIN)" "^CN=svc-myapp," \
    in_ns "$SCPAUTH" spn query "$A" --timeout "$TIMEOUT_MS"
expect_ok "spn delete through the same failover" \
    in_ns "$SCPAUTH" spn delete --account svc-myapp "$A" --timeout "$TIMEOUT_MS"

# --- an explicit DC list overrides discovery (and fails over in its order) ---
in_ns "$SCPAUTH" spn list svc-myapp --json --dc "$DC_HOST" >"$T/explicit.json" 2>&1
expect_file_match "--dc: one attempt, no DNS" "$T/explicit.json" '"discovered":false' \
    "\"attempts\":\\[\\{\"host\":\"${DC_HOST//./\\.}\",\"port\":389,\"status\":\"ok\""
in_ns "$SCPAUTH" spn list svc-myapp --json --dc 127.0.0.99 --dc "$DC_HOST:389" >"$T/two.json" 2>&1
expect_file_match "--dc twice: the first refused, the second used" "$T/two.json" \
    '"host":"127\.0\.0\.99","port":389,"status":"SCPAUTH_ECONNREFUSED"' \
    "\"host\":\"${DC_HOST//./\\.}\",\"port\":389,\"status\":\"ok\""

bg_stop "$HUNG_PID"
restore_dns
expect_eq "cleanup: SRV records as they were" "$ORIG_SRV" "$(srv_records)"
expect_eq "cleanup: dead.$DNSDOMAIN gone" "" \
    "$(in_ns dig +short +time=2 +tries=1 "@$DC_IP" "dead.$DNSDOMAIN" A)"

itest_done
