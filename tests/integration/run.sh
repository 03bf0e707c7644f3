#!/bin/bash
# run.sh BUILD_DIR [TEST...] - brings the throwaway Samba AD DC up, runs every
# tests/integration/test_*.sh (or the ones named) against it, and brings it
# down on every exit path. Prints "integration: N passed, N failed".
set -u
REPO=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=$(cd "${1:?usage: run.sh BUILD_DIR [TEST...]}" && pwd); shift
export REPO BUILD SCPAUTH="$BUILD/tools/scpauth"

trap '"$REPO/ci/samba-ad.sh" down >/dev/null 2>&1' EXIT INT TERM
"$REPO/ci/samba-ad.sh" install >/dev/null || exit 1
t0=$(date +%s.%N)
"$REPO/ci/samba-ad.sh" up || { echo "integration: DC did not come up"; exit 1; }
echo "integration: DC up in $(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN{printf "%.2f", b-a}') s"
eval "$("$REPO/ci/samba-ad.sh" env)"
set -a; . "$STATE/env"; set +a
rm -f "$STATE/handshake_ms.log"

tests=("$@")
[ ${#tests[@]} -gt 0 ] || tests=("$REPO"/tests/integration/test_*.sh)
passed=0 failed=0 files_failed=()
for t in "${tests[@]}"; do
    echo "# --- $(basename "$t")"
    out=$(mktemp)
    timeout 600 bash "$t" 2>&1 | tee "$out"
    rc=${PIPESTATUS[0]}   # now: the next command resets PIPESTATUS
    p=$(grep -c '^ok ' "$out"); f=$(grep -c '^not ok ' "$out")
    # a file that died before reporting anything is a failure too
    if [ "$rc" != 0 ] && [ "$f" = 0 ]; then f=1; fi
    passed=$((passed + p)); failed=$((failed + f))
    [ "$f" = 0 ] || files_failed+=("$(basename "$t")")
    rm -f "$out"
done
# tests append one handshake time (ms) per line to $STATE/handshake_ms.log
if [ -s "$STATE/handshake_ms.log" ]; then
    sort -n "$STATE/handshake_ms.log" | awk '{v[NR]=$1} END {
        p95 = int(NR * 0.95); if (p95 < 1) p95 = 1
        printf "integration: handshakes seen: %d, min %.2f ms, median %.2f ms, p95 %.2f ms, max %.2f ms\n",
            NR, v[1], v[int((NR+1)/2)], v[p95], v[NR] }'
fi
[ ${#files_failed[@]} = 0 ] || echo "integration: failing files: ${files_failed[*]}"
echo "integration: $passed passed, $failed failed"
[ "$failed" = 0 ] && [ "$passed" -gt 0 ]
