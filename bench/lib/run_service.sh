# run_service.sh - the service under load: `scpauth listen` against MIT's
# gss-server, the same load generator (bench_load: scpauth's client API
# towards scpauth, raw GSSAPI with MIT's sample protocol towards
# gss-server), at 1, 16 and 128 clients, alternated round by round; the
# limit is the raw in-process handshake loop, one thread per core, measured
# in the same run. Also the replay cache's cost (KRB5RCACHETYPE=none on the
# service) and a perf profile of the service under load.
# Sourced by run.sh after bench_prepare.
# shellcheck shell=bash

SCP_PORT=4444
GSS_PORT=4445
NONE_PORT=4446

declare -A PORT_PID # the server behind each port: its CPU time is read
CLK_TCK=$(getconf CLK_TCK)

# proc_cpu PID: CPU seconds the process has used (all threads, user + system)
proc_cpu() { awk -v t="$CLK_TCK" '{ sub(/^.*\) /, ""); print ($12 + $13) / t }' "/proc/$1/stat"; }

# load_once PORT api|raw MODE CLIENTS: one load run; prints "PER_S ERRORS
# PER_CPU_S", the last counting the CPU of the service and of the generator.
load_once() {
    local line sec=(--seconds 1.5) pid=${PORT_PID[$1]:-} c0=0 c1=0
    [ "$SMOKE" = 1 ] && sec=(--smoke)
    [ -n "$pid" ] && c0=$(proc_cpu "$pid")
    line=$(ns "$BIN/bench_load" --ccache "FILE:$WORK/alice.cc" --spn "$MYAPP_SPN" \
        --host "$SVC_IP" --port "$1" --client "$2" --mode "$3" --clients "$4" "${sec[@]}" \
        2>>"$WORK/load.err")
    local rc=$?
    [ -n "$pid" ] && c1=$(proc_cpu "$pid")
    printf '%s port=%s service_cpu_s=%s\n' "$line" "$1" \
        "$(awk -v a="$c1" -v b="$c0" 'BEGIN { printf "%.2f", a - b }')" >>"$RESULTS"
    if [ $rc != 0 ] || [ -z "$line" ]; then
        bench_log "load $3 x$4 on port $1 FAILED: $(tail -n 2 "$WORK/load.err" | tr '\n' ' ')"
        FAILED=$((FAILED + 1))
        echo "0 0 0"
        return
    fi
    awk -v l="$line" -v c0="$c0" -v c1="$c1" 'BEGIN {
        n = split(l, f, " "); for (i = 1; i <= n; i++) { split(f[i], kv, "="); v[kv[1]] = kv[2] }
        cpu = v["cpu_s"] + c1 - c0
        printf "%s %s %.1f\n", v["per_s"], v["errors"], (cpu > 0) ? v["ops"] / cpu : 0 }'
}

# listen_cmd PORT: the service's command line into LISTEN_CMD
listen_cmd() {
    LISTEN_CMD=("$BUILD/tools/scpauth" listen --bind "$SVC_IP" --port "$1" --keytab
        "$SVC_MYAPP_KEYTAB" --max-clients 1100 --client-timeout 600000)
}

# compare_load MODE CLIENTS PORT_A CLIENT_A PORT_B CLIENT_B: medians of
# alternated rounds; sets A_PS B_PS (per second), A_CPU B_CPU (per CPU
# second of service + generator) and B_ERR.
compare_load() {
    local mode=$1 c=$2 r rounds=5 a b ac bc e ea=() eb=() ca=() cb=() errs=0
    [ "$SMOKE" = 1 ] && rounds=1
    for ((r = 0; r < rounds; r++)); do
        if ((r % 2 == 0)); then
            read -r a _ ac < <(load_once "$3" "$4" "$mode" "$c")
            read -r b e bc < <(load_once "$5" "$6" "$mode" "$c")
        else
            read -r b e bc < <(load_once "$5" "$6" "$mode" "$c")
            read -r a _ ac < <(load_once "$3" "$4" "$mode" "$c")
        fi
        ea+=("$a") eb+=("$b") ca+=("$ac") cb+=("$bc")
        errs=$((errs + ${e:-0}))
    done
    A_PS=$(printf '%s\n' "${ea[@]}" | median)
    B_PS=$(printf '%s\n' "${eb[@]}" | median)
    A_CPU=$(printf '%s\n' "${ca[@]}" | median)
    B_CPU=$(printf '%s\n' "${cb[@]}" | median)
    B_ERR=$errs
}

service_load() {
    local limit c mode l a
    local limits=() lines=()
    local limits_cpu=() lc
    limit_once() {
        bench_run limit ns "$BIN/bench_handshake" limit "${CC_OPT[@]}" --threads "$(nproc)" \
            --seconds 2 "${SMOKE_OPT[@]}" | grep '^LIMIT'
    }
    for mode in handshake message; do
        for c in 1 16 128; do
            # the limit, measured between the handshake loads: its median
            if [ "$mode" = handshake ]; then
                l=$(limit_once)
                [ -n "$l" ] || FAILED=$((FAILED + 1))
                limits+=("$(printf '%s\n' "$l" | field per_s)")
                limits_cpu+=("$(printf '%s\n' "$l" | field per_cpu_s)")
            fi
            bench_log "running service_${mode}_c$c"
            compare_load "$mode" "$c" "$SCP_PORT" api "$GSS_PORT" raw
            bench_figure "service_${mode}_c$c" "$(div "$A_PS" "$B_PS")" scpauth_per_s "$A_PS" \
                peer_per_s "$B_PS" ">=" 1.5 \
                "unit=${mode}s_per_s peer=mit-gss-server peer_errors=$B_ERR"
            bench_figure "service_${mode}_c${c}_cpu" "$(div "$A_CPU" "$B_CPU")" \
                scpauth_per_cpu_s "$A_CPU" peer_per_cpu_s "$B_CPU" "" 0 \
                "unit=${mode}s_per_cpu_s_of_service+generator peer=mit-gss-server"
            [ "$mode" = handshake ] && lines+=("$c $A_PS $A_CPU")
        done
    done
    limit=$(printf '%s\n' "${limits[@]}" | median)
    lc=$(printf '%s\n' "${limits_cpu[@]}" | median)
    for l in "${lines[@]}"; do
        read -r c a ac <<<"$l"
        bench_figure "service_handshake_c${c}_vs_limit" "$(div "$a" "$limit")" \
            scpauth_per_s "$a" limit_per_s "$limit" ">=" 0.8 \
            "unit=handshakes_per_s limit=raw_inproc_x$(nproc)_threads_median_of_${#limits[@]}"
        bench_figure "service_handshake_c${c}_vs_limit_cpu" "$(div "$ac" "$lc")" \
            scpauth_per_cpu_s "$ac" limit_per_cpu_s "$lc" "" 0 \
            "unit=handshakes_per_cpu_s note=service+generator_cpu_vs_in-process_loop_cpu"
    done
}

# Where the service's time goes: samples by library while 16 clients load it.
service_perf() {
    local pid=$1 data=$WORK/perf.listen
    [ "$SMOKE" = 1 ] && return
    command -v perf >/dev/null || { bench_emit "NOTE perf: not installed"; return; }
    bench_log "running perf profile of scpauth listen"
    ip netns exec "$NETNS" "$BIN/bench_load" --ccache "FILE:$WORK/alice.cc" --spn "$MYAPP_SPN" \
        --host "$SVC_IP" --port "$SCP_PORT" --client api --mode handshake --clients 16 \
        --seconds 3 >>"$WORK/perf.load" 2>&1 &
    local lpid=$!
    sleep 0.5
    # system-wide: -p would miss the worker threads the listener starts later;
    # the report keeps the listener's threads (comm "scpauth")
    perf record -q -a -F 999 -o "$data" -- sleep 2 >/dev/null 2>"$WORK/perf.err"
    wait "$lpid"
    if [ ! -s "$data" ]; then
        bench_emit "NOTE perf: no samples ($(head -n 1 "$WORK/perf.err"))"
        return
    fi
    # shares of the listener's own samples (perf's --comm filter drops the
    # kernel rows when sorting by library, so group by comm,dso instead)
    perf report -i "$data" --no-children --sort comm,dso --stdio 2>/dev/null |
        awk '$2 == "scpauth" { p[$3] += $1; t += $1 }
            END { for (d in p) printf "%.1f%% %s\n", 100 * p[d] / t, d }' |
        sort -rn | head -n 8 | tr '\n' ';' | sed 's/^/NOTE perf_listen_by_library: /' |
        { read -r l; bench_emit "$l"; }
    local share
    share=$(perf report -i "$data" --no-children --sort comm --stdio 2>/dev/null |
        awk '$2 == "scpauth" { print $1 + 0 }')
    perf report -i "$data" --comm scpauth --no-children --sort dso,sym --stdio 2>/dev/null |
        awk -v t="${share:-100}" '/^ +[0-9.]+%/ { pct = $1 + 0; $1 = ""; sub(/^ +/, "");
            printf "%.1f%% %s; ", 100 * pct / t, $0; if (++n == 12) exit }' |
        sed 's/^/NOTE perf_listen_by_symbol: /' | { read -r l; bench_emit "$l"; }
}

# The replay cache on the acceptor: the same service with KRB5RCACHETYPE=none.
service_rcache() {
    local pid
    listen_cmd "$NONE_PORT"
    server_start listen-rcache-none "$NONE_PORT" env KRB5RCACHETYPE=none "${LISTEN_CMD[@]}" ||
        { FAILED=$((FAILED + 1)); return; }
    pid=$SERVER_PID
    PORT_PID[$NONE_PORT]=$pid
    bench_log "running service_rcache (16 clients, none vs default)"
    compare_load handshake 16 "$NONE_PORT" api "$SCP_PORT" api
    bench_figure service_rcache_none_vs_default "$(div "$A_PS" "$B_PS")" none_per_s "$A_PS" \
        default_per_s "$B_PS" "" 0 "unit=handshakes_per_s clients=16 note=ratio_above_1_is_the_rcache_cost"
    server_stop "$pid"
}

service_all() {
    local lpid gpid
    listen_cmd "$SCP_PORT"
    server_start listen "$SCP_PORT" "${LISTEN_CMD[@]}" || { FAILED=$((FAILED + 1)); return; }
    lpid=$SERVER_PID
    PORT_PID[$SCP_PORT]=$lpid
    server_start gss-server "$GSS_PORT" gss-server -port "$GSS_PORT" -keytab "$SVC_MYAPP_KEYTAB" \
        "myapp@$SVC_HOST" || { FAILED=$((FAILED + 1)); server_stop "$lpid"; return; }
    gpid=$SERVER_PID
    PORT_PID[$GSS_PORT]=$gpid
    bench_emit "NOTE service: scpauth listen (worker pool, idle connections parked) vs MIT gss-server $(dpkg-query -W -f='${Version}' krb5-gss-samples) (one process, one client at a time, listen backlog $(ns ss -Hltn "sport = :$GSS_PORT" | awk '{ print $3 }'))"
    service_load
    service_perf "$lpid"
    server_stop "$gpid"
    service_rcache
    server_stop "$lpid"
}
