# run_stall.sh - a new client's latency (connect, mutual handshake, one
# echoed message) while clients stall `scpauth listen` (bench_stall): a
# SPNEGO token without Kerberos that leaves the handshake waiting for a
# second token, authenticated clients that never read their answers,
# silent connections (2 x workers of each; and 64 silent ones, as many as
# --max-clients). Each figure is the median under attack over the median
# with no attack, rounds alternated in the same run.
# Sourced by run.sh after bench_prepare.
# shellcheck shell=bash

STALL_PORT=4447
STALL_WORKERS=2

# stall_once ATTACK N: one bench_stall run; prints its median (ms).
stall_once() {
    local line
    line=$(ns "$BIN/bench_stall" --ccache "FILE:$WORK/alice.cc" --spn "$MYAPP_SPN" \
        --host "$SVC_IP" --port "$STALL_PORT" --attack "$1" --attackers "$2" --probes 9 \
        2>>"$WORK/stall.err")
    printf '%s port=%s\n' "$line" "$STALL_PORT" >>"$RESULTS"
    if [ -z "$line" ] || [ "$(printf '%s\n' "$line" | field failed)" != 0 ]; then
        bench_log "stall $1 x$2 FAILED: $(tail -n 2 "$WORK/stall.err" | tr '\n' ' ')"
        FAILED=$((FAILED + 1))
        echo 0
        return
    fi
    printf '%s\n' "$line" | field median_ms
}

stall_all() {
    local attack n r rounds=3 a b as bs
    [ "$SMOKE" = 1 ] && rounds=1
    server_start listen-stall "$STALL_PORT" "$BUILD/tools/scpauth" listen --bind "$SVC_IP" \
        --port "$STALL_PORT" --keytab "$SVC_MYAPP_KEYTAB" --profile sspi-sample \
        --workers "$STALL_WORKERS" || { FAILED=$((FAILED + 1)); return; }
    local pid=$SERVER_PID
    for attack in spnego:$((2 * STALL_WORKERS)) deaf:$((2 * STALL_WORKERS)) \
        silent:$((2 * STALL_WORKERS)) silent:64; do
        n=${attack#*:} attack=${attack%:*}
        bench_log "running stall_${attack}_x$n"
        as=() bs=()
        for ((r = 0; r < rounds; r++)); do
            if ((r % 2 == 0)); then
                a=$(stall_once "$attack" "$n")
                b=$(stall_once none 0)
            else
                b=$(stall_once none 0)
                a=$(stall_once "$attack" "$n")
            fi
            as+=("$a") bs+=("$b")
        done
        a=$(printf '%s\n' "${as[@]}" | median)
        b=$(printf '%s\n' "${bs[@]}" | median)
        bench_figure "stall_${attack}_x$n" "$(div "$a" "$b")" attack_us \
            "$(awk -v v="$a" 'BEGIN { print v * 1000 }')" none_us \
            "$(awk -v v="$b" 'BEGIN { print v * 1000 }')" "<=" 5 \
            "unit=new_client_connect+handshake+echo_latency workers=$STALL_WORKERS profile=sspi-sample"
    done
    server_stop "$pid"
}
