# run_util.sh - helpers of bench/run.sh: build, namespace, servers started
# and stopped by PID, results, the final table. Sourced, not run.
# shellcheck shell=bash disable=SC2034

FAILED=0
DC_UP=0
SERVER_PIDS=()
BENCH_TARGETS=(bench/bench_handshake bench/bench_message bench/bench_tcp bench/bench_load
    bench/bench_memory bench/bench_stall tools/scpauth)

bench_log() { echo "bench: $*" >&2; }
bench_fatal() { bench_log "$*"; exit 2; }

# Runs CMD inside the DC's namespace (every process that talks to the DC).
ns() { ip netns exec "$NETNS" "$@"; }

bench_cleanup() {
    local pid
    for pid in "${SERVER_PIDS[@]}"; do
        kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
    done
    SERVER_PIDS=()
    if [ "$DC_UP" = 1 ]; then "$AD" down >&2 || true; fi
    DC_UP=0
}

# Only the targets the benchmarks need: a half-finished test elsewhere in
# the tree does not stop them.
bench_build() {
    local dir=$1
    if [ ! -f "$dir/build.ninja" ]; then
        meson setup "$dir" "$REPO" -Dwerror=true -Dbench=true >&2 || return 1
    elif [ "$(meson introspect "$dir" --buildoptions 2>/dev/null |
        python3 -c 'import json,sys; print(next(o["value"] for o in json.load(sys.stdin) if o["name"]=="bench"))' \
        2>/dev/null)" != True ]; then
        meson configure "$dir" -Dbench=true >&2 || return 1
    fi
    ninja -C "$dir" "${BENCH_TARGETS[@]}" >&2
}

# Work directory, a TGT-only ccache for alice, the replay cache of this run,
# and a namespace that reuses TIME_WAIT ports (thousands of short connections).
bench_prepare() {
    rm -rf "$WORK"
    mkdir -p "$WORK/rcache"
    printf '%s\n' "$ALICE_PASS" | KRB5CCNAME="FILE:$WORK/alice.tgt" ns kinit alice >/dev/null ||
        bench_fatal "kinit alice failed"
    cp "$WORK/alice.tgt" "$WORK/alice.cc"
    export KRB5RCACHEDIR=$WORK/rcache
    ns sysctl -qw net.ipv4.tcp_tw_reuse=1 'net.ipv4.ip_local_port_range=1024 65000' >/dev/null ||
        bench_log "cannot tune the namespace's TCP (TIME_WAIT reuse); continuing"
    ulimit -n 8192 2>/dev/null || bench_log "ulimit -n stays $(ulimit -n)"
    RESULTS=$WORK/results.txt
    : >"$RESULTS"
    BIN=$BUILD/bench
    CC_OPT=(--ccache "FILE:$WORK/alice.cc" --keytab "$SVC_MYAPP_KEYTAB" --spn "$MYAPP_SPN")
    SMOKE_OPT=()
    [ "$SMOKE" = 1 ] && SMOKE_OPT=(--smoke)
}

# bench_run NAME CMD...: runs a benchmark; its BENCH/LOAD/INFO lines go to the
# results; a failure to run is counted and reported, never fatal.
bench_run() {
    local name=$1 out rc
    shift
    bench_log "running $name"
    out=$("$@" 2>"$WORK/$name.err")
    rc=$?
    printf '%s\n' "$out" >>"$RESULTS"
    printf '%s\n' "$out" | grep -E '^(BENCH|NOTE)' >&2
    if [ $rc != 0 ]; then
        FAILED=$((FAILED + 1))
        bench_log "$name FAILED (exit $rc): $(tail -n 3 "$WORK/$name.err" | tr '\n' ' ')"
        printf 'FAILED name=%s rc=%s\n' "$name" "$rc" >>"$RESULTS"
    fi
    printf '%s\n' "$out"
    return $rc
}

# bench_emit LINE: a figure computed here from several measurements.
bench_emit() {
    printf '%s\n' "$1" >>"$RESULTS"
    printf '%s\n' "$1" >&2
}

# bench_figure NAME RATIO AKEY A BKEY B OP TARGET [EXTRA]: a BENCH line in the
# format of bench_common.c's bench_line (OP empty = information only).
bench_figure() {
    local name=$1 ratio=$2 ak=$3 a=$4 bk=$5 b=$6 op=$7 target=$8 extra=${9:-}
    bench_emit "$(awk -v n="$name" -v r="$ratio" -v ak="$ak" -v a="$a" -v bk="$bk" -v b="$b" \
        -v op="$op" -v t="$target" -v x="$extra" 'BEGIN {
        s = sprintf("BENCH name=%s ratio=%.3f %s=%.1f %s=%.1f", n, r, ak, a, bk, b)
        if (op == "") s = s " target=info"
        else {
            ok = (op == "<=") ? (r <= t) : (r >= t)
            s = s sprintf(" target%s%.2f %s", op, t, ok ? "ok" : "MISS")
        }
        if (x != "") s = s " " x
        print s }')"
}

# median of the numbers on stdin
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print 0; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
# field KEY: the value of KEY=... in the line on stdin
field() { sed -n "s/.*[[:space:]]$1=\([^[:space:]]*\).*/\1/p" | head -n 1; }
div() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.6f", (b == 0) ? 0 : a / b }'; }

# server_start NAME PORT CMD...: starts a server in the namespace, waits for
# its port; its PID goes to SERVER_PID and is remembered for the cleanup.
server_start() {
    local name=$1 port=$2 pid i
    shift 2
    # not through ns(): a backgrounded function would give a subshell's PID
    ip netns exec "$NETNS" "$@" >/dev/null 2>"$WORK/$name.server.err" &
    pid=$!
    SERVER_PIDS+=("$pid")
    SERVER_PID=$pid
    for ((i = 0; i < 100; i++)); do
        ns ss -Hltn "sport = :$port" | grep -q . && return 0
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.05
    done
    bench_log "$name did not listen on port $port: $(tail -n 3 "$WORK/$name.server.err")"
    return 1
}

server_stop() {
    local pid=$1 keep=() p
    kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
    for p in "${SERVER_PIDS[@]}"; do [ "$p" = "$pid" ] || keep+=("$p"); done
    SERVER_PIDS=("${keep[@]}")
}

rss_kib() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }

bench_machine() {
    echo "date: $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo "nproc: $(nproc)"
    echo "cpu: $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)"
    echo "kernel: $(uname -r)"
    echo "mit-krb5: $(dpkg-query -W -f='${Version}' libkrb5-3 2>/dev/null)"
    echo "samba: $(samba --version 2>/dev/null)"
    echo "openssl: $(openssl version 2>/dev/null)"
    echo "gcc: $(gcc -dumpfullversion 2>/dev/null)"
    echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
}

bench_table() {
    echo
    echo "== scpauth benchmarks ($([ "$SMOKE" = 1 ] && echo smoke || echo full)), $(nproc) cores"
    sed 's/^/  /' "$WORK/machine.txt"
    echo
    # BENCH name=N ratio=R A B ...: the two values are fields 4 and 5
    awk '/^BENCH / {
        t = "info"; st = ""
        for (i = 6; i <= NF; i++)
            if ($i ~ /^target[<>]/) { t = substr($i, 7); st = $(i + 1) }
        printf "  %-44s %9s  %-8s %-4s  %s  %s\n", substr($2, 6), substr($3, 7), t, st, $4, $5
    }' "$RESULTS" | { printf '  %-44s %9s  %-8s %-4s  %s\n' figure ratio target ok "values"; cat; }
    grep -E '^NOTE' "$RESULTS" | sed 's/^/  /'
    grep -E '^FAILED' "$RESULTS" | sed 's/^/  /'
    echo
    grep -E '^BENCH' "$RESULTS"
}
