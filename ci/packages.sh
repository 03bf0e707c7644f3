#!/bin/sh
# ci/packages.sh - makes sure Debian packages are installed; the one install
# path of every script in ci/ and bench/.
#
#   ci/packages.sh [--who NAME] PACKAGE...
#
# Asks dpkg about each package on its own (dpkg-query exits non-zero when any
# one of several is unknown, so one call for all cannot tell which), refreshes
# the package lists when something is missing (or the lists are empty), installs
# what is missing without recommends, and checks afterwards that every package
# is really installed. Prints what it installs and, on failure, what failed and
# the tail of apt-get's output. Exit 0 = all present; 1 = something is missing.
set -u
who=packages
if [ "${1:-}" = --who ]; then who=$2; shift 2; fi
[ $# -gt 0 ] || { echo "$who: usage: ci/packages.sh [--who NAME] PACKAGE..." >&2; exit 2; }

is_installed() {
    dpkg-query -W -f='${db:Status-Abbrev}' "$1" 2>/dev/null | grep -q '^ii'
}
missing_of() {
    for p in "$@"; do is_installed "$p" || printf '%s ' "$p"; done
}

missing=$(missing_of "$@"); missing=${missing% }
[ -z "$missing" ] && exit 0

if [ "$(id -u)" != 0 ]; then
    echo "$who: missing Debian packages: $missing" >&2
    echo "$who: run as root, or: apt-get install --no-install-recommends $missing" >&2
    exit 1
fi
command -v apt-get >/dev/null 2>&1 || {
    echo "$who: missing packages ($missing) and no apt-get: this needs Debian 12" >&2
    exit 1
}
export DEBIAN_FRONTEND=noninteractive
log=$(mktemp "${TMPDIR:-/tmp}/packages.XXXXXX")
trap 'rm -f "$log"' EXIT
t0=$(date +%s)
echo "$who: installing $missing"
# Fresh lists every time something is missing: a stale list names versions
# the mirror no longer has.
if ! apt-get update -q >"$log" 2>&1; then
    echo "$who: apt-get update failed; its last lines:" >&2
    tail -n 15 "$log" >&2
    exit 1
fi
# shellcheck disable=SC2086 # a list of package names
if ! apt-get install -y -q --no-install-recommends $missing >"$log" 2>&1; then
    echo "$who: apt-get install failed for: $missing; its last lines:" >&2
    tail -n 25 "$log" >&2
    exit 1
fi
still=$(missing_of "$@"); still=${still% }
if [ -n "$still" ]; then
    echo "$who: still not installed after apt-get: $still" >&2
    exit 1
fi
echo "$who: installed in $(( $(date +%s) - t0 )) s"
