#!/bin/bash
# ci/demo.sh - README's first command: the whole scenario of Microsoft's
# "Mutual Authentication in a Windows Sockets Service with an SCP", on a
# throwaway Samba AD DC (ci/samba-ad.sh) in a network namespace, with the
# example service and client (examples/). On a fresh Debian 12 machine, as
# root: installs what it needs, builds into build-demo, then
#
#   1. brings the DC up (accounts, the host SVCHOST1$ with its keytab, as a
#      join tool would leave it);
#   2. install: an administrator registers the service's SPN on SVCHOST1$;
#      the host publishes the service connection point (SCP) under its own
#      computer object; the SCP's GUID goes to a state file, a systemd unit
#      is written (not enabled);
#   3. run: the service starts as SVCHOST1$ (its keytab), checks its SPN,
#      and serves clients;
#   4. clients alice and bob find it through the SCP, authenticate mutually,
#      exchange sealed and signed messages; 10 more at once; one with a wrong
#      SPN, to show the error;
#   5. uninstall, and the DC goes down (on every exit path).
# Prints a transcript and the measured figures. Environment: NETNS, STATE
# (default: a DC of its own), BUILD (default build-demo), KEEP=1 leaves the
# build directory's demo files in place.
set -Eeuo pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd)
cd "$REPO"
# shellcheck source=lib/own_root.sh
. "$REPO/ci/lib/own_root.sh"
own_root_enter "$0" "$@"
export NETNS=${NETNS:-scpauth-ad-demo}
export STATE=${STATE:-$REPO/ci/.state/ad-demo}
BUILD=${BUILD:-$REPO/build-demo}
PACKAGES=(meson ninja-build pkg-config gcc libc6-dev libkrb5-dev libldap2-dev libsasl2-dev
          libsasl2-modules-gssapi-mit krb5-user iproute2)

now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN{printf "%.2f", b-a}'; }
say() { printf '\n== %s\n' "$*"; }
indent() { sed 's/^/   /'; }
T_ALL=$(now)
# set -e ends the demo at the first failing command: say which one.
# (only where set -e is on, and not inside $(...): failures the caller handles)
trap '__rc=$?; [ "$BASH_SUBSHELL" = 0 ] && [[ $- == *e* ]] && echo "demo: FAILED (exit $__rc) at line $LINENO: $BASH_COMMAND" >&2' ERR

# ---- packages and build (not part of the timed scenario) ----------------------
ci/packages.sh --who demo "${PACKAGES[@]}"
ci/samba-ad.sh install
quiet() { # runs a command, showing its output only when it fails
    local out rc=0
    out=$("$@" 2>&1) || rc=$?
    [ $rc = 0 ] || printf '%s\n' "$out" | tail -n 40 >&2
    return $rc
}
[ -f "$BUILD/build.ninja" ] || quiet meson setup "$BUILD" -Dtests=false -Dbench=false
quiet ninja -C "$BUILD" examples/scpauth-example-service examples/scpauth-example-client
SVC=$BUILD/examples/scpauth-example-service
CLI=$BUILD/examples/scpauth-example-client
echo "demo: packages and build ready in $(since "$T_ALL") s"

# ---- the scenario ------------------------------------------------------------
T0=$(now)
WORK=$(mktemp -d)
SVC_PID=
cleanup() {
    [ -z "$SVC_PID" ] || kill "$SVC_PID" 2>/dev/null || true
    ci/samba-ad.sh down >/dev/null 2>&1 || true
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

say "1. throwaway Samba AD DC (network namespace $NETNS)"
t=$(now)
ci/samba-ad.sh up 2>&1 | indent
DC_UP=$(since "$t")
set -a; . "$STATE/env"; set +a
# inside the namespace, with the harness' Kerberos and LDAP client files
ns() { ip netns exec "$NETNS" env KRB5_CONFIG="$KRB5_CONFIG" LDAPCONF="$LDAPCONF" "$@"; }
# the host's own credentials from its keytab, as a joined machine has them
HOST_CC=FILE:$WORK/svchost1.ccache
ns kinit -k -t "$SVCHOST1_KEYTAB" -c "$HOST_CC" "SVCHOST1\$@$REALM"
echo "   DC up in $DC_UP s; host $SVC_HOST = SVCHOST1\$ (keytab $SVCHOST1_KEYTAB)"

COMMON=(--host "$SVC_HOST" --state-dir "$WORK/state" --keytab "$SVCHOST1_KEYTAB")
say "2. scpauth-example-service install (administrator: SPN; the host: its SCP)"
t=$(now)
ns "$SVC" install "${COMMON[@]}" --ccache "$ADMIN_CCACHE" --account 'SVCHOST1$' \
    --scp-ccache "$HOST_CC" --unit-dir "$WORK" \
    --unit-template "$BUILD/examples/scpauth-example.service" 2>&1 | indent
INSTALL_S=$(since "$t")
echo "   install took $INSTALL_S s; running it again changes nothing:"
ns "$SVC" install "${COMMON[@]}" --ccache "$ADMIN_CCACHE" --account 'SVCHOST1$' \
    --scp-ccache "$HOST_CC" --unit-dir "$WORK" \
    --unit-template "$BUILD/examples/scpauth-example.service" 2>&1 | grep -E '^(spn|scp|unit): ' |
    grep -Ev 'composed|objectGUID' | indent

say "3. scpauth-example-service run (as SVCHOST1\$, in the background)"
t=$(now)
ns "$SVC" run "${COMMON[@]}" --ccache "$HOST_CC" >"$WORK/service.log" 2>&1 &
SVC_PID=$!
for _ in $(seq 1 200); do
    grep -q '^run: listening' "$WORK/service.log" && break
    kill -0 "$SVC_PID" 2>/dev/null || { cat "$WORK/service.log"; exit 1; }
    sleep 0.05
done
RUN_S=$(since "$t")
indent <"$WORK/service.log"
echo "   ready in $RUN_S s"

say "4a. client alice: SCP -> SPN -> mutual authentication -> sealed, signed messages"
ns "$CLI" --ccache "$ALICE_CCACHE" --message "hello from alice" --message "second message" \
    >"$WORK/alice.out" 2>&1
indent <"$WORK/alice.out"

say "4b. client bob: 100 sealed and signed round trips"
ns "$CLI" --ccache "$BOB_CCACHE" --message "hello from bob" --count 100 >"$WORK/bob.out" 2>&1
grep -E '^(auth: service|auth: connect|message 1:|messages:|result:)' "$WORK/bob.out" | indent

say "4c. 10 clients at once (alice and bob)"
t=$(now)
pids=()
for i in $(seq 1 10); do
    who=$([ $((i % 2)) = 0 ] && echo "$ALICE_CCACHE" || echo "$BOB_CCACHE")
    ns "$CLI" --ccache "$who" --message "client $i" --count 5 >"$WORK/many.$i" 2>&1 &
    pids+=($!)
done
many_ok=0
for p in "${pids[@]}"; do wait "$p" && many_ok=$((many_ok + 1)); done
MANY_S=$(since "$t")
echo "   $many_ok of 10 succeeded in $MANY_S s (each: locate, authenticate, 5 round trips)"

say "4d. a client with a wrong SPN: refused before it reaches the service"
set +e
ns "$CLI" --ccache "$BOB_CCACHE" --host "$SVC_HOST" --port 4455 \
    --spn "scpauth-example/svchost9.example.test:4455" >"$WORK/wrong.out" 2>&1
WRONG_RC=$?
set -e
indent <"$WORK/wrong.out"
echo "   exit code $WRONG_RC"

say "5. stop the service, uninstall"
kill -TERM "$SVC_PID"
wait "$SVC_PID" || true
SVC_PID=
grep -E '^(client|run: stopped)' "$WORK/service.log" | tail -4 | indent
echo "   ($(grep -c '^client .*: ok' "$WORK/service.log") clients served, $(grep -c '^client .*: SCPAUTH' "$WORK/service.log") refused)"
ns "$SVC" uninstall "${COMMON[@]}" --ccache "$ADMIN_CCACHE" 2>&1 | indent
set +e
ns "$CLI" --ccache "$ALICE_CCACHE" >"$WORK/after.out" 2>&1
AFTER_RC=$?
set -e
echo "   a client now: $(grep -E 'scpauth-example-client: ' "$WORK/after.out" | head -1) (exit $AFTER_RC)"

# ---- figures -------------------------------------------------------------------
hs() { sed -nE 's/^auth: connect [0-9.]+ ms, handshake ([0-9.]+) ms.*/\1/p' "$@"; }
say "figures"
echo "   DC up:                       $DC_UP s"
echo "   install:                     $INSTALL_S s"
echo "   service ready:               $RUN_S s"
echo "   alice handshake:             $(hs "$WORK/alice.out") ms, then $(sed -nE 's/^messages: (.*)/\1/p' "$WORK/alice.out")"
echo "   bob:                         $(sed -nE 's/^messages: (.*)/\1/p' "$WORK/bob.out")"
echo "   10 concurrent clients:       $many_ok ok in $MANY_S s; handshakes $(hs "$WORK"/many.* | sort -n | awk '{v[NR]=$1} END {printf "min %.2f / median %.2f / max %.2f ms", v[1], v[int((NR+1)/2)], v[NR]}')"
echo "   client locate + whole run:   $(sed -nE 's/^result: ok \((.*)\)/\1/p' "$WORK/alice.out") (alice)"
echo "   wrong SPN:                   exit $WRONG_RC, $(grep -oE 'SCPAUTH_[A-Z]+' "$WORK/wrong.out" | head -1)"
echo "   scenario total:              $(since "$T0") s (with packages and build: $(since "$T_ALL") s)"
grep -q '^result: ok' "$WORK/alice.out" && grep -q '^result: ok' "$WORK/bob.out" &&
    [ "$many_ok" = 10 ] && [ "$WRONG_RC" != 0 ] && [ "$AFTER_RC" != 0 ]
echo; echo "demo: ok"
