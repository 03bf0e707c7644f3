#!/bin/sh
# cross.sh - the Windows build: cross-compiles the whole tree (library, tools,
# examples, unit tests) with mingw-w64 and -Dwerror=true, then runs the
# portable unit tests (`meson test --suite unit`) as .exe files under Wine.
#
# State kept between runs (git-ignored): ci/.state/mingw-cmocka (static
# mingw cmocka, see ci/cross/build-cmocka.sh; ci/cross/mingw64.txt points
# pkg-config there) and ci/.state/wineprefix (a private Wine prefix).
# Environment: CROSS_BUILD_DIR (default build-cross).
set -eu

root=$(cd "$(dirname "$0")/.." && pwd)
state=$root/ci/.state
build=${CROSS_BUILD_DIR:-$root/build-cross}
cd "$root"

# ---- packages ---------------------------------------------------------------
"$root/ci/packages.sh" --who cross gcc-mingw-w64-x86-64 wine wine64 cmake dpkg-dev \
    pkgconf meson ninja-build python3 || exit 1

# ---- cmocka for the target --------------------------------------------------
sh "$root/ci/cross/build-cmocka.sh" "$state/mingw-cmocka"

# ---- Wine -------------------------------------------------------------------
# A private prefix; headless; no Mono/Gecko installers; quiet. Wine requires
# the prefix to belong to the user running it (root here: the folder is ours).
export WINEPREFIX="$state/wineprefix"
export WINEDLLOVERRIDES="mscoree,mshtml="
export WINEDEBUG=-all
mkdir -p "$WINEPREFIX"
# Stop only this prefix's wineserver, whatever happens below.
trap 'wineserver -k 2>/dev/null || true' EXIT
if [ ! -f "$WINEPREFIX/system.reg" ]; then
    echo "cross: creating the Wine prefix (about 10 s)"
    t0=$(date +%s)
    wineboot -i >"$state/wineboot.log" 2>&1 || { cat "$state/wineboot.log" >&2; exit 1; }
    echo "cross: wineboot -i took $(( $(date +%s) - t0 )) s"
fi

# ---- configure, build -------------------------------------------------------
# The second cross file points pkg-config at the mingw cmocka only.
printf "[properties]\npkg_config_libdir = '%s'\n" "$state/mingw-cmocka/lib/pkgconfig" \
    >"$state/mingw-cmocka.txt"
if [ -f "$build/build.ninja" ]; then
    meson configure "$build" -Dwerror=true -Dtests=true -Dtools=true -Dexamples=true
else
    meson setup "$build" --cross-file "$root/ci/cross/mingw64.txt" \
        --cross-file "$state/mingw-cmocka.txt" \
        -Dwerror=true -Dtests=true -Dtools=true -Dexamples=true
fi
t0=$(date +%s)
meson compile -C "$build"
echo "cross: build took $(( $(date +%s) - t0 )) s"

# ---- unit tests under Wine --------------------------------------------------
t0=$(date +%s)
rc=0
meson test -C "$build" --suite unit --print-errorlogs >"$state/cross-test.log" 2>&1 || rc=$?
cat "$state/cross-test.log"
echo "cross: unit tests under Wine took $(( $(date +%s) - t0 )) s"
# meson's summary ("Ok:   3   ", "Fail:   0   ", ...) counts executables;
# cmocka's "[  PASSED  ] N test(s)." lines in the test log count test cases.
counts=$(sed -n 's/^\(Ok\|Fail\|Skipped\|Timeout\|Expected Fail\|Unexpected Pass\): *\([0-9][0-9]*\) *$/\1=\2/p' \
    "$state/cross-test.log" | tr '\n' ' ')
cases=$(awk '/^\[  PASSED  \]/ { p += $4 } /^\[  FAILED  \] [0-9]+ test/ { f += $4 }
             END { printf "%d passed, %d failed", p, f }' "$build/meson-logs/testlog.txt" 2>/dev/null)
echo "cross: unit test executables under Wine: ${counts:-none run}"
echo "cross: cmocka test cases under Wine: ${cases:-unknown}"
exit "$rc"
