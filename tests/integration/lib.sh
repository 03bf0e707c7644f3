# lib.sh - sourced by tests/integration/test_*.sh. Gives TAP-style checks
# ("ok N - desc" / "not ok N - desc"), counted by run.sh, and helpers that run
# commands inside the harness namespace with the harness' client files.
#
# Environment (set by run.sh): REPO, BUILD (meson build dir), SCPAUTH (the
# tool), and everything in the harness' STATE/env (NETNS, REALM, BASEDN,
# keytab/ccache paths, passwords).
set -u

ITEST_N=0
ITEST_FAILED=0
ITEST_OUT=$(mktemp)
ITEST_BG=()   # background commands started with bg, stopped at exit
ITEST_TMP=$(mktemp -d)   # scratch directory of this test file, removed at exit

_itest_cleanup() {
    local p
    for p in "${ITEST_BG[@]}"; do kill "$p" 2>/dev/null; done
    rm -rf "$ITEST_OUT" "$ITEST_TMP"
}
trap _itest_cleanup EXIT

_itest_report() { # status desc
    ITEST_N=$((ITEST_N + 1))
    if [ "$1" = 0 ]; then
        echo "ok $ITEST_N - $2"
    else
        ITEST_FAILED=$((ITEST_FAILED + 1))
        echo "not ok $ITEST_N - $2"
        sed 's/^/#   /' "$ITEST_OUT" | tail -25
    fi
}

# in_ns CMD...: run CMD inside the namespace with the harness' client files.
# KRB5CCNAME stays as the caller set it (default: the administrator's).
in_ns() {
    ip netns exec "$NETNS" env KRB5_CONFIG="$KRB5_CONFIG" LDAPCONF="$LDAPCONF" \
        KRB5CCNAME="${KRB5CCNAME:-FILE:$STATE/admin.ccache}" "$@"
}

# as USER CMD...: in_ns with USER's ccache (alice, bob, admin, svchost1...).
as() {
    local who=$1; shift
    KRB5CCNAME="FILE:$STATE/$who.ccache" in_ns "$@"
}

# expect_ok DESC CMD...: CMD exits 0.
expect_ok() {
    local desc=$1; shift
    "$@" >"$ITEST_OUT" 2>&1
    _itest_report $? "$desc"
}

# expect_exit DESC CODE CMD...: CMD exits with CODE.
expect_exit() {
    local desc=$1 code=$2 rc; shift 2
    "$@" >"$ITEST_OUT" 2>&1; rc=$?
    [ "$rc" = "$code" ] || echo "exit code $rc, expected $code" >>"$ITEST_OUT"
    _itest_report "$([ "$rc" = "$code" ] && echo 0 || echo 1)" "$desc"
}

# expect_match DESC ERE CMD...: CMD's output (stdout+stderr) matches ERE,
# whatever its exit code. Use expect_ok/expect_exit for the exit code.
expect_match() {
    local desc=$1 re=$2 ok=0; shift 2
    "$@" >"$ITEST_OUT" 2>&1
    # decide before appending the note: the note quotes re and would match it
    grep -Eq -- "$re" "$ITEST_OUT" || { ok=1; echo "output does not match /$re/" >>"$ITEST_OUT"; }
    _itest_report "$ok" "$desc"
}

# expect_fail_match DESC ERE CMD...: CMD fails (non-zero) and says ERE.
expect_fail_match() {
    local desc=$1 re=$2 rc ok=0; shift 2
    "$@" >"$ITEST_OUT" 2>&1; rc=$?
    [ "$rc" != 0 ] || { ok=1; echo "exit code 0, expected a failure" >>"$ITEST_OUT"; }
    grep -Eq -- "$re" "$ITEST_OUT" || { ok=1; echo "output does not match /$re/" >>"$ITEST_OUT"; }
    _itest_report "$ok" "$desc"
}

# expect_file_match DESC FILE ERE...: FILE has a line matching each ERE.
expect_file_match() {
    local desc=$1 f=$2 re bad=0; shift 2
    for re in "$@"; do
        grep -Eq -- "$re" "$f" 2>/dev/null || { echo "no line matches /$re/"; bad=1; }
    done >"$ITEST_OUT"
    { echo "--- $f:"; cat "$f"; } >>"$ITEST_OUT" 2>&1
    _itest_report "$bad" "$desc"
}

# expect_eq DESC EXPECTED ACTUAL
expect_eq() {
    printf 'expected: %s\nactual:   %s\n' "$2" "$3" >"$ITEST_OUT"
    _itest_report "$([ "$2" = "$3" ] && echo 0 || echo 1)" "$1"
}

# wait_port HOST PORT [TRIES]: until something listens (inside the namespace).
wait_port() {
    local i
    for i in $(seq 1 "${3:-100}"); do
        in_ns bash -c "exec 3<>/dev/tcp/$1/$2" 2>/dev/null && return 0
        sleep 0.05
    done
    return 1
}

# bg LOG (in_ns|as USER) CMD...: starts CMD in the background inside the
# namespace, stdout+stderr to LOG; BG_PID is CMD's own PID (ip netns exec
# and env exec it), so /proc/$BG_PID is CMD's. Stopped at exit at the latest.
bg() {
    local log=$1 cc=${KRB5CCNAME:-FILE:$STATE/admin.ccache}; shift
    case $1 in
    as) cc=FILE:$STATE/$2.ccache; shift 2 ;;
    in_ns) shift ;;
    *) echo "bg: usage: bg LOG (in_ns|as USER) CMD..." >&2; return 2 ;;
    esac
    ip netns exec "$NETNS" env KRB5_CONFIG="$KRB5_CONFIG" LDAPCONF="$LDAPCONF" \
        KRB5CCNAME="$cc" "$@" >"$log" 2>&1 &
    BG_PID=$!
    ITEST_BG+=("$BG_PID")
}

# bg_wait PID [SECONDS]: waits up to SECONDS (default 10) for a background
# command to exit, kills it if it does not; BG_RC gets its exit status (not
# printed: a $(...) subshell cannot wait for this shell's children).
bg_wait() {
    local pid=$1 i
    for i in $(seq 1 $((${2:-10} * 20))); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.05
    done
    kill "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    BG_RC=$?
}

# bg_stop PID: stops a background command.
bg_stop() { kill "$1" 2>/dev/null; wait "$1" 2>/dev/null; return 0; }

# wait_match FILE ERE [TRIES]: until a line of FILE matches ERE (0.05 s apart).
wait_match() {
    local i
    for i in $(seq 1 "${3:-200}"); do
        grep -Eq -- "$2" "$1" 2>/dev/null && return 0
        sleep 0.05
    done
    return 1
}

# listen_start LOG ARGS...: starts `$SCPAUTH listen ARGS` (port 0 if ARGS has
# no --port) and waits for its "listening" line; sets LISTEN_PID, LISTEN_PORT.
# A port check with wait_port would count as a client: this does not connect.
# client_line LOG N [TRIES]: the Nth "client" event of a `listen --json` log,
# waiting for it up to TRIES x 50 ms (default 200: 10 s).
client_line() {
    local i
    for i in $(seq 1 "${3:-200}"); do
        [ "$(grep -c '"event":"client"' "$1")" -ge "$2" ] && break
        sleep 0.05
    done
    grep '"event":"client"' "$1" | sed -n "${2}p"
}

# wine_setup: the Wine prefix Windows programs of the tests run in
# (WINE_ITEST_PREFIX, default ci/.state/wineprefix, the cross build's),
# created if needed. Wine makes its sockets inside wineserver, so that
# prefix's wineserver is stopped now and at exit: the next one starts inside
# the namespace. Returns 1 (with wineboot's output) if the prefix cannot be made.
wine_stop() { wineserver -k >/dev/null 2>&1; return 0; }
wine_setup() {
    export WINEPREFIX=${WINE_ITEST_PREFIX:-$REPO/ci/.state/wineprefix}
    export WINEDLLOVERRIDES="mscoree,mshtml=" WINEDEBUG=-all
    trap 'wine_stop; _itest_cleanup' EXIT
    wine_stop
    [ -f "$WINEPREFIX/system.reg" ] && return 0
    mkdir -p "$WINEPREFIX"
    echo "# creating the Wine prefix $WINEPREFIX (about 10 s)"
    in_ns wineboot -i >"$ITEST_TMP/wineboot.log" 2>&1 && return 0
    sed 's/^/#   /' "$ITEST_TMP/wineboot.log"
    return 1
}

# expect_hostile_closed DESC FILE LIMIT_S: every line of FILE (the JSON
# summaries tests/integration/hostile_client.py prints) shows all its
# connections closed, none later than LIMIT_S seconds.
expect_hostile_closed() {
    expect_ok "$1" python3 -c '
import json, sys
limit = float(sys.argv[2])
bad = []
for line in open(sys.argv[1]):
    r = json.loads(line)
    closed = r.get("closed_by_server", 0) + r.get("closed_by_us", 0)
    if closed != r["connections"] or (r["max_close_s"] or 0) > limit:
        bad.append(r)
print("\n".join(map(json.dumps, bad)) or "all closed")
sys.exit(1 if bad else 0)' "$2" "$3"
}

listen_start() {
    local log=$1 port=(--port 0); shift
    case " $* " in *" --port "*) port=() ;; esac
    bg "$log" in_ns "$SCPAUTH" listen "${port[@]}" "$@"
    LISTEN_PID=$BG_PID LISTEN_PORT=
    if ! wait_match "$log" '^listening on |"event":"listening"'; then
        echo "# scpauth listen did not start:"; sed 's/^/#   /' "$log"
        return 1
    fi
    LISTEN_PORT=$(sed -nE 's/^listening on [^ ]*:([0-9]+) .*/\1/p; s/.*"event":"listening".*"port":([0-9]+).*/\1/p' \
        "$log" | head -1)
}

# log_handshake_ms FILE...: appends the handshake times (ms) of the successful
# runs that scpauth connect printed (--json lines, or text) to
# $STATE/handshake_ms.log, which run.sh summarises.
log_handshake_ms() {
    local f
    for f in "$@"; do
        sed -nE '/^\{"ok":true/ s/.*"handshake":([0-9.]+).*/\1/p' "$f"
        grep -Eq '^  result: +ok$' "$f" && sed -nE 's/^  handshake: +([0-9.]+) ms total.*/\1/p' "$f"
    done >>"$STATE/handshake_ms.log" 2>/dev/null
    return 0
}

# itest_done: last line of a test file; its exit status is the file's.
itest_done() {
    echo "# $(basename "$0"): $((ITEST_N - ITEST_FAILED)) passed, $ITEST_FAILED failed"
    [ "$ITEST_FAILED" = 0 ]
}
