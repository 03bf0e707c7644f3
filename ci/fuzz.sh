#!/bin/sh
# ci/fuzz.sh - builds every libFuzzer target listed in tests/fuzz/meson.build
# with clang (ASan + UBSan; the library is instrumented for coverage too) and
# runs each one for a bounded time. Fails if any target crashes, leaks or
# times out, and prints each target's execution count.
#
#   ci/fuzz.sh                      every target, 30 s each
#   FUZZ_SECONDS=300 ci/fuzz.sh     longer runs
#   FUZZ_TARGETS="fuzz_wire_decoder" ci/fuzz.sh   a subset
#   FUZZ_BUILD=build-fuzz           the build folder (kept between runs, with
#                                   each target's corpus in FUZZ_BUILD/corpus)
set -eu
cd "$(dirname "$0")/.."
build=${FUZZ_BUILD:-build-fuzz}
seconds=${FUZZ_SECONDS:-30}

ci/packages.sh --who fuzz clang libclang-rt-14-dev llvm meson ninja-build pkg-config \
    libkrb5-dev libldap2-dev libsasl2-dev libcmocka-dev python3 || exit 1

# tests/meson.build reaches tests/fuzz only with tests enabled; the unit tests
# are configured but not built (only fuzz_* targets are asked of ninja).
if [ ! -f "$build/build.ninja" ]; then
    CC=clang meson setup "$build" -Dfuzz=true -Dtests=true -Dtools=false -Dexamples=false \
        -Db_sanitize=address,undefined -Db_lundef=false \
        -Dc_args="-fsanitize=fuzzer-no-link -fno-sanitize-recover=all" >"$build.setup.log" 2>&1 || {
        cat "$build.setup.log" >&2
        exit 1
    }
    rm -f "$build.setup.log"
fi

# Every fuzz_* executable meson knows of: name and path relative to $build.
targets=$(meson introspect --targets "$build" | python3 -c '
import json, os, sys
build = sys.argv[1]
for t in json.load(sys.stdin):
    if t["type"] == "executable" and t["name"].startswith("fuzz_"):
        print(t["name"], os.path.relpath(t["filename"][0], os.path.abspath(build)))
' "$build")
[ -n "$targets" ] || { echo "fuzz: no fuzz_* targets in tests/fuzz/meson.build" >&2; exit 1; }
if [ -n "${FUZZ_TARGETS:-}" ]; then
    targets=$(echo "$targets" | while read -r name path; do
        case " $FUZZ_TARGETS " in *" $name "*) echo "$name $path" ;; esac
    done)
fi

# shellcheck disable=SC2046 # one ninja target per word
ninja -C "$build" $(echo "$targets" | awk '{print $2}')

failed=0
mkdir -p "$build/artifacts"
echo "$targets" | {
    while read -r name path; do
        corpus="$build/corpus/$name"
        mkdir -p "$corpus"
        seeds=""
        [ -d "tests/fuzz/corpus/$name" ] && seeds="tests/fuzz/corpus/$name"
        log="$build/$name.log"
        # shellcheck disable=SC2086 # $seeds is empty or one folder
        if "$build/$path" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
            -print_final_stats=1 -artifact_prefix="$build/artifacts/$name-" \
            "$corpus" $seeds >"$log" 2>&1; then
            execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
            units=$(find "$corpus" -type f | wc -l)
            echo "fuzz: $name passed: ${execs:-?} executions in ${seconds} s, corpus $units inputs"
        else
            echo "fuzz: $name FAILED (log: $log); last lines:" >&2
            tail -40 "$log" >&2
            failed=$((failed + 1))
        fi
    done
    [ "$failed" = 0 ]
}
