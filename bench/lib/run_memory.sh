# run_memory.sh - memory: heap per established context pair (scpauth vs raw
# GSSAPI), the service's RSS per idle authenticated connection, and the
# massif heap peak of a whole client run (scpauth connect vs MIT gss-client).
# Sourced by run.sh after bench_prepare.
# shellcheck shell=bash

IDLE_PORT=4447

# massif_peak FILE: the largest heap (useful + malloc overhead) in bytes
massif_peak() {
    awk -F= '/^mem_heap_B=/ { h = $2 } /^mem_heap_extra_B=/ { if (h + $2 > m) m = h + $2 }
        END { print m + 0 }' "$1"
}

memory_massif() {
    local a b
    command -v valgrind >/dev/null || { bench_emit "NOTE massif: valgrind missing"; return; }
    bench_log "running massif (scpauth connect vs gss-client, one message)"
    KRB5CCNAME="FILE:$WORK/alice.cc" ns valgrind --tool=massif \
        --massif-out-file="$WORK/massif.scpauth" "$BUILD/tools/scpauth" connect "$SVC_HOST" \
        "$IDLE_PORT" "$MYAPP_SPN" --ccache "FILE:$WORK/alice.cc" --message hello \
        >"$WORK/massif.scpauth.out" 2>&1 || { FAILED=$((FAILED + 1)); return; }
    KRB5CCNAME="FILE:$WORK/alice.cc" ns valgrind --tool=massif \
        --massif-out-file="$WORK/massif.gss-client" gss-client -port "$IDLE_PORT" "$SVC_HOST" \
        "myapp@$SVC_HOST" hello >"$WORK/massif.gss-client.out" 2>&1 ||
        { FAILED=$((FAILED + 1)); return; }
    a=$(massif_peak "$WORK/massif.scpauth")
    b=$(massif_peak "$WORK/massif.gss-client")
    bench_figure massif_client_peak "$(div "$a" "$b")" scpauth_bytes "$a" peer_bytes "$b" "" 0 \
        "unit=heap_peak_bytes peer=mit-gss-client note=connect+handshake+1_message"
}

# The listener's RSS before and while N authenticated clients sit idle.
memory_idle() {
    local pid n=1000 rss0 rss1 thr fifo=$WORK/hold.fifo line hpid
    [ "$SMOKE" = 1 ] && n=20
    pid=$1
    bench_log "running idle connections ($n held open against scpauth listen)"
    rss0=$(rss_kib "$pid")
    rm -f "$fifo"
    mkfifo "$fifo"
    ip netns exec "$NETNS" "$BIN/bench_load" --ccache "FILE:$WORK/alice.cc" --spn "$MYAPP_SPN" \
        --host "$SVC_IP" --port "$IDLE_PORT" --client api --mode hold --hold "$n" <"$fifo" >"$WORK/hold.out" \
        2>"$WORK/hold.err" &
    hpid=$!
    exec 7>"$fifo" # holds the holder's stdin open
    for ((i = 0; i < 600; i++)); do
        grep -q '^HELD' "$WORK/hold.out" && break
        kill -0 "$hpid" 2>/dev/null || break
        sleep 0.1
    done
    line=$(grep '^HELD' "$WORK/hold.out")
    sleep 0.5
    rss1=$(rss_kib "$pid")
    thr=$(awk '/^Threads:/ { print $2 }' "/proc/$pid/status")
    exec 7>&-
    wait "$hpid"
    if [ -z "$line" ]; then
        bench_log "idle connections FAILED: $(tail -n 2 "$WORK/hold.err" | tr '\n' ' ')"
        FAILED=$((FAILED + 1))
        return
    fi
    local per=$(((rss1 - rss0) * 1024 / n))
    bench_figure rss_per_idle_connection "$(div "$per" 16384)" scpauth_bytes "$per" \
        target_bytes 16384 "<=" 1.0 \
        "unit=service_rss_bytes_per_connection connections=$n rss_before_kib=$rss0 rss_held_kib=$rss1 threads=$thr note=ratio_is_against_the_16KiB_budget"
}

memory_all() {
    local pid
    bench_run memory_context ns "$BIN/bench_memory" "${CC_OPT[@]}" "${SMOKE_OPT[@]}" >/dev/null
    listen_cmd "$IDLE_PORT"
    server_start listen-idle "$IDLE_PORT" "${LISTEN_CMD[@]}" || { FAILED=$((FAILED + 1)); return; }
    pid=$SERVER_PID
    memory_massif # also the warm-up: the listener's first client is behind it
    memory_idle "$pid"
    server_stop "$pid"
}
