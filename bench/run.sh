#!/bin/bash
# bench/run.sh - scpauth's benchmarks, each a ratio against a peer measured
# in the same run, on a throwaway Samba AD DC in its own network namespace.
#
#   bench/run.sh [BUILD_DIR]           everything (about 4 minutes)
#   bench/run.sh --smoke [BUILD_DIR]   every benchmark for a few iterations
#
# Brings the DC up (NETNS [scpauth-ad-bench], STATE [<repo>/ci/.state/ad-bench]),
# builds what it needs in BUILD_DIR [build-bench] (meson), runs everything,
# takes the DC and every server down again (trap), and prints a table and
# one line per figure:
#   BENCH name=N ratio=R <a>=.. <b>=.. target<=T ok|MISS ...   (or target=info)
# Exits non-zero only when a benchmark fails to run, never on a ratio.
set -uo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/.." && pwd)
# shellcheck source=lib/run_util.sh
. "$HERE/lib/run_util.sh"
# shellcheck source=../ci/lib/own_root.sh
. "$REPO/ci/lib/own_root.sh"
own_root_enter "$0" "$@"

SMOKE=0
if [ "${1:-}" = --smoke ]; then SMOKE=1; shift; fi
BUILD=${1:-build-bench}
case $BUILD in /*) ;; *) BUILD=$REPO/$BUILD ;; esac
export NETNS=${NETNS:-scpauth-ad-bench}
export STATE=${STATE:-$REPO/ci/.state/ad-bench}
AD=$REPO/ci/samba-ad.sh
WORK=$STATE/bench
T0=$(date +%s)

trap bench_cleanup EXIT
trap 'exit 130' INT TERM

# what the benchmarks and their peers need (MIT's gss-sample programs, openssl,
# ldapsearch, strace, valgrind, perf)
"$REPO/ci/packages.sh" --who bench meson ninja-build pkg-config gcc libc6-dev libkrb5-dev \
    libldap2-dev libsasl2-dev libsasl2-modules-gssapi-mit libcmocka-dev krb5-user \
    krb5-gss-samples ldap-utils openssl strace valgrind linux-perf python3 iproute2 ||
    bench_fatal "the benchmarks' Debian packages could not be installed"
"$AD" install >&2 || bench_fatal "the Samba AD DC's packages could not be installed"
bench_build "$BUILD" || bench_fatal "build failed in $BUILD"
"$AD" up >&2 || bench_fatal "the Samba AD DC did not come up"
DC_UP=1
# shellcheck source=/dev/null
. "$STATE/env"
bench_prepare

# shellcheck source=lib/run_micro.sh
. "$HERE/lib/run_micro.sh"
# shellcheck source=lib/run_service.sh
. "$HERE/lib/run_service.sh"
# shellcheck source=lib/run_stall.sh
. "$HERE/lib/run_stall.sh"
# shellcheck source=lib/run_memory.sh
. "$HERE/lib/run_memory.sh"
# shellcheck source=lib/run_discovery.sh
. "$HERE/lib/run_discovery.sh"

bench_machine >"$WORK/machine.txt"
micro_all
service_all
stall_all
memory_all
discovery_all

bench_table
echo "bench: done in $(($(date +%s) - T0)) s; $FAILED benchmark(s) failed to run" >&2
[ "$FAILED" = 0 ]
