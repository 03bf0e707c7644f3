#!/bin/bash
# ci/test.sh - README's test command: installs what it needs (Debian 12),
# builds native and cross, and runs every suite: unit (native, ASan+UBSan,
# valgrind, Wine), fuzz, and integration against a throwaway Samba AD DC.
#
#   ci/test.sh            everything
#   SUITES="unit asan" ci/test.sh   a subset (unit asan valgrind fuzz cross integration demo bench)
set -uo pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd)
cd "$REPO"
# shellcheck source=lib/own_root.sh
. "$REPO/ci/lib/own_root.sh"
own_root_enter "$0" "$@"
SUITES=${SUITES:-unit asan valgrind fuzz cross integration demo bench}
export DEBIAN_FRONTEND=noninteractive

PACKAGES=(meson ninja-build pkg-config gcc libc6-dev libkrb5-dev libldap2-dev libsasl2-dev
          libsasl2-modules-gssapi-mit libcmocka-dev valgrind clang libclang-rt-14-dev llvm
          krb5-user krb5-gss-samples gss-ntlmssp ldap-utils iproute2 python3 faketime)

now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN{printf "%.1f", b-a}'; }
declare -A RESULT
failed_suites=0
step() { # name command...
    local name=$1 t0 rc; shift
    echo; echo "=== $name"
    t0=$(now)
    "$@"; rc=$?
    RESULT[$name]="$([ $rc = 0 ] && echo passed || echo FAILED) in $(since "$t0") s"
    [ $rc = 0 ] || failed_suites=$((failed_suites + 1))
    echo "=== $name: ${RESULT[$name]}"
}
wants() { [[ " $SUITES " == *" $1 "* ]]; }

install_packages() { ci/packages.sh --who test "${PACKAGES[@]}"; }

native_build() {
    { [ -d build-ci ] || meson setup build-ci -Dwerror=true >/dev/null; } &&
        meson configure build-ci -Dwerror=true >/dev/null && ninja -C build-ci
}
unit() { meson test -C build-ci --suite unit --print-errorlogs; }
asan() {
    { [ -d build-ci-asan ] || meson setup build-ci-asan -Dwerror=true -Db_sanitize=address,undefined \
          -Db_lundef=false -Dc_args=-fno-sanitize-recover=all >/dev/null; } &&
        ninja -C build-ci-asan >/dev/null &&
        ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
            meson test -C build-ci-asan --suite unit --print-errorlogs
}
memcheck() {
    meson test -C build-ci --suite unit --print-errorlogs --timeout-multiplier 4 \
        --wrapper 'valgrind --quiet --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect --track-origins=yes'
}
install_check() {
    # a program using only the installed headers and `pkg-config scpauth`
    local dest; dest=$(mktemp -d)
    DESTDIR=$dest meson install -C build-ci --quiet >/dev/null || return 1
    local prefix; prefix=$(meson introspect build-ci --buildoptions | python3 -c \
        'import json,sys; print(next(o["value"] for o in json.load(sys.stdin) if o["name"]=="prefix"))')
    local pc; pc=$(dirname "$(find "$dest" -name scpauth.pc | head -1)")
    cat > "$dest/use.c" <<'C'
#include <scpauth.h>
#include <stdio.h>
#include <string.h>
int main(void) {
    scpauth_error err; char spn[SCPAUTH_SPN_MAX + 1]; size_t n = sizeof(spn);
    scpauth_error_clear(&err);
    if (scpauth_spn_make("myapp", "svchost1.example.test", NULL, 4444, NULL, spn, &n, &err) !=
            SCPAUTH_OK || strcmp(spn, "myapp/svchost1.example.test:4444") != 0) return 1;
    printf("scpauth %s, %s, %s\n", scpauth_version(), spn, scpauth_strerror(SCPAUTH_ENOMUTUAL));
    return 0;
}
C
    local flags
    flags=$(PKG_CONFIG_SYSROOT_DIR=$dest PKG_CONFIG_PATH=$pc pkg-config --cflags --libs scpauth) &&
        cc -std=c11 -Wall -Werror -o "$dest/use" "$dest/use.c" $flags &&
        cc -std=c11 -Wall -Wextra -Werror -o "$dest/minimal_client" examples/minimal_client.c $flags &&
        LD_LIBRARY_PATH=$dest$prefix/lib:$(dirname "$(find "$dest" -name 'libscpauth.so' | head -1)") "$dest/use" &&
        # the tests' mock backend is neither exported nor installed
        ! nm -D "$(find "$dest" -name 'libscpauth.so' | head -1)" | grep -i mock &&
        ! grep -ril mock "$(dirname "$(find "$dest" -name scpauth.h | head -1)")"
    local rc=$?
    rm -rf "$dest"
    return $rc
}

step install install_packages || true
[ "${RESULT[install]}" != "${RESULT[install]#FAILED}" ] && { echo "package installation failed"; exit 1; }
step build native_build
wants unit && step unit unit
wants unit && step install-check install_check
wants asan && step asan asan
wants valgrind && step valgrind memcheck
wants fuzz && [ -x ci/fuzz.sh ] && step fuzz ci/fuzz.sh
wants cross && [ -x ci/cross.sh ] && step cross ci/cross.sh
wants integration && step harness tests/integration/harness_smoke.sh
wants integration && step integration tests/integration/run.sh build-ci
wants demo && step demo ci/demo.sh
wants bench && [ -x bench/run.sh ] && step bench-smoke bench/run.sh --smoke build-ci

echo
echo "=== summary"
for k in "${!RESULT[@]}"; do printf '  %-14s %s\n' "$k" "${RESULT[$k]}"; done | sort
total=${#RESULT[@]}
echo "suites: $((total - failed_suites)) passed, $failed_suites failed"
[ "$failed_suites" = 0 ]
