# shellcheck shell=bash
# own_root.sh - makes sure / is a mount point before anything uses
# `ip netns exec` or `ip -n`. Sourced first by the entry scripts (ci/test.sh,
# ci/demo.sh, bench/run.sh); their children inherit the result.
#
# `ip netns exec` and `ip -n` remount / as a slave in a private mount
# namespace, which fails with "mount --make-rslave / failed: Invalid argument"
# where / is a plain directory: inside a chroot, such as a freshly
# bootstrapped Debian root. There, own_root_enter re-runs the calling script
# in a private mount namespace whose / is a bind mount of the same tree (same
# files, same /proc, /sys, /dev and /run). Nothing is mounted outside that
# namespace: the mounts it inherits are made private before the bind, and the
# bind lands under /run, a mount point of the chroot's own.

own_root_enter() { # "$0" "$@" of the entry script
    mountpoint -q / && return 0
    if [ -n "${SCPAUTH_OWN_ROOT:-}" ]; then
        echo "own-root: / is still not a mount point inside the private mount namespace" >&2
        exit 1
    fi
    mountpoint -q /run || {
        echo "own-root: / is not a mount point (a chroot?) and /run is not one either:" \
            "mount a tmpfs on the root's /run, or run on a real root" >&2
        exit 1
    }
    local script
    script=$(realpath "$1") || exit 1
    shift
    export SCPAUTH_OWN_ROOT=1
    echo "own-root: / is not a mount point (a chroot?): running ${script##*/} in a private mount namespace" >&2
    # shellcheck disable=SC2016 # expanded by the inner shell
    exec unshare --mount --propagation unchanged -- /bin/bash -c '
        set -e
        for m in /run /proc /sys /dev; do
            mountpoint -q "$m" && mount --make-rprivate "$m"
        done
        new=/run/scpauth-own-root
        mkdir -p "$new"
        mount --rbind / "$new"
        mount --make-rprivate "$new"
        dir=$1; shift
        exec chroot "$new" /bin/bash -c "cd \"\$0\" && exec \"\$@\"" "$dir" "$@"
    ' own-root "$PWD" "$script" "$@"
}
