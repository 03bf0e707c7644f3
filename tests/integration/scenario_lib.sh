# scenario_lib.sh - sourced by test_scenario_*.sh after lib.sh: the example
# service and client (examples/) in the harness' namespace, the way
# ci/demo.sh runs them: an administrator installs (the SPN), the host
# SVCHOST1$ publishes its SCP and runs the service from its keytab.
EXSVC=$BUILD/examples/scpauth-example-service
EXCLI=$BUILD/examples/scpauth-example-client
EXTPL=$BUILD/examples/scpauth-example.service
HOST_CC=FILE:$ITEST_TMP/svchost1.ccache
# the host's own ccache from its keytab (as a joined machine has it)
in_ns kinit -k -t "$SVCHOST1_KEYTAB" -c "$HOST_CC" "SVCHOST1\$@$REALM" ||
    echo "# kinit -k SVCHOST1\$ failed"

# ex_install STATE_DIR PORT [ARGS...]: install as the administrator.
ex_install() {
    local dir=$1 port=$2; shift 2
    in_ns "$EXSVC" install --host "$SVC_HOST" --port "$port" --state-dir "$dir" \
        --keytab "$SVCHOST1_KEYTAB" --ccache "$ADMIN_CCACHE" --account 'SVCHOST1$' \
        --scp-ccache "$HOST_CC" --unit-dir "$ITEST_TMP" --unit-template "$EXTPL" "$@"
}
# ex_uninstall STATE_DIR [ARGS...]
ex_uninstall() {
    local dir=$1; shift
    in_ns "$EXSVC" uninstall --host "$SVC_HOST" --state-dir "$dir" --ccache "$ADMIN_CCACHE" "$@"
}
# ex_run_start LOG STATE_DIR PORT [ARGS...]: the service in the background,
# as SVCHOST1$; waits for "run: listening" (or its exit). Sets EX_PID.
ex_run_start() {
    local log=$1 dir=$2 port=$3; shift 3
    bg "$log" in_ns "$EXSVC" run --host "$SVC_HOST" --port "$port" --state-dir "$dir" \
        --keytab "$SVCHOST1_KEYTAB" --ccache "$HOST_CC" "$@"
    EX_PID=$BG_PID
    local i
    for i in $(seq 1 200); do
        grep -q '^run: listening' "$log" 2>/dev/null && return 0
        kill -0 "$EX_PID" 2>/dev/null || return 1
        sleep 0.05
    done
    return 1
}
# ex_stop: SIGTERM, then wait for the graceful stop.
ex_stop() {
    kill -TERM "$EX_PID" 2>/dev/null
    bg_wait "$EX_PID" 10
}
# ex_client USER [ARGS...]: the example client with USER's ccache.
ex_client() {
    local who=$1; shift
    in_ns "$EXCLI" --ccache "FILE:$STATE/$who.ccache" "$@"
}
# spns_of ACCOUNT: the account's SPNs, one per line.
spns_of() {
    in_ns "$SCPAUTH" spn list --account "$1" 2>&1
}
# ex_log_handshake_ms FILE...: the handshake times of successful example
# clients, into $STATE/handshake_ms.log (run.sh summarises them).
ex_log_handshake_ms() {
    local f
    for f in "$@"; do
        grep -q '^result: ok' "$f" &&
            sed -nE 's/^auth: connect [0-9.]+ ms, handshake ([0-9.]+) ms.*/\1/p' "$f"
    done >>"$STATE/handshake_ms.log" 2>/dev/null
    return 0
}
