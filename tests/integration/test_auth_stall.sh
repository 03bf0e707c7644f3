#!/bin/bash
# test_auth_stall.sh - `scpauth listen` with 2 workers while clients stall it
# (bench/bench_stall.c): 2 x workers connections that stop after a SPNEGO
# token without Kerberos (the service asks for a second token), that
# authenticate and never read their answers, or that connect and say
# nothing (and 64 of those, max-clients). For each, a new client (connect,
# mutual handshake, one echoed message, as alice against the real DC) must
# be served within 100 ms (the median of 5 probes; each figure printed).
. "$(dirname "$0")/lib.sh"
T=$ITEST_TMP
WORKERS=2
ATTACKERS=$((2 * WORKERS))
LIMIT_MS=100
STALL=$BUILD/bench/bench_stall

expect_ok "the probe and attacker is built ($STALL; meson -Dbench=true)" test -x "$STALL"

L=$T/listen.log
listen_start "$L" --json --keytab "$SVC_MYAPP_KEYTAB" --profile sspi-sample --workers "$WORKERS"

# stall ATTACK N: N attacking connections, then 5 probes; checks the median.
stall() {
    local out=$T/stall.$1.$2 line med
    as alice "$STALL" --ccache "FILE:$STATE/alice.ccache" --spn "$MYAPP_SPN" --host "$SVC_HOST" \
        --port "$LISTEN_PORT" --attack "$1" --attackers "$2" --probes 5 >"$out" 2>&1
    line=$(grep '^STALL ' "$out")
    echo "# $line"
    med=$(sed -nE 's/.* median_ms=([0-9.]+) .*/\1/p' <<<"$line")
    expect_ok "attack $1 x$2 ($WORKERS workers): a new client served in ${med:-?} ms (median; < $LIMIT_MS ms)" \
        awk -v m="${med:-}" -v l="$LIMIT_MS" 'BEGIN { exit !(m != "" && m < l) }'
    expect_match "attack $1 x$2: every probe succeeded" "failed=0" cat "$out"
}

stall none 0
stall spnego "$ATTACKERS"
stall deaf "$ATTACKERS"
stall silent "$ATTACKERS"
stall silent 64 # as many as --max-clients: the cap on unauthenticated ones makes room

expect_ok "the service is still running" kill -0 "$LISTEN_PID"
ok_lines=$(grep -c '"event":"client","peer":"[^"]*","ok":true' "$L")
expect_eq "the service logged every probe (5 runs of 1 + 5) as ok" \
    $((5 * 6)) "$ok_lines"
expect_file_match "stalled connections got their own errors" "$L" \
    '"code":"SCPAUTH_ETIMEDOUT","message":"client [0-9.]+:[0-9]+ had not authenticated after [0-9]+ ms while 16 connections waited'
bg_stop "$LISTEN_PID"

itest_done
