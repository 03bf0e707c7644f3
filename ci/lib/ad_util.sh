# shellcheck shell=bash
# ad_util.sh - small shell helpers for ci/samba-ad.sh: messages, timing, processes.
# Sourced, not run. Needs bash >= 5 (EPOCHREALTIME).

ad_log() { printf 'samba-ad: %s\n' "$*" >&2; }
ad_die() { printf 'samba-ad: error: %s\n' "$*" >&2; exit 1; }

# Seconds since the epoch with microseconds, without forking.
ad_now() { printf '%s' "${EPOCHREALTIME/,/.}"; }
# Seconds elapsed since a value of ad_now, two decimals.
ad_since() { awk -v a="$1" -v b="$(ad_now)" 'BEGIN { printf "%.2f", b - a }'; }

# True while PID runs. A zombie counts as gone: a daemon whose starter has
# exited belongs to PID 1, which may take a second to reap it.
ad_pid_alive() {
    local stat
    stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
    stat=${stat##*) }
    [ "${stat%% *}" != Z ]
}

# True when PID runs and its command name is NAME.
ad_pid_is() {
    local pid=$1 name=$2 comm
    [[ $pid =~ ^[0-9]+$ ]] || return 1
    ad_pid_alive "$pid" || return 1
    comm=$(cat "/proc/$pid/comm" 2>/dev/null) || return 1
    [ "$comm" = "$name" ]
}

# Stops PID with TERM, waits up to TIMEOUT seconds, then KILL; returns once it is gone.
ad_stop_pid() {
    local pid=$1 timeout=${2:-10} i
    kill -TERM "$pid" 2>/dev/null || return 0
    for ((i = 0; i < timeout * 50; i++)); do
        ad_pid_alive "$pid" || return 0
        sleep 0.02
    done
    ad_log "pid $pid ignored TERM for ${timeout}s, sending KILL"
    kill -KILL "$pid" 2>/dev/null || true
    for ((i = 0; i < 250; i++)); do
        ad_pid_alive "$pid" || return 0
        sleep 0.02
    done
    ad_die "pid $pid survived KILL"
}

# Fails with a hint when a command the harness needs is missing.
ad_need_cmds() {
    local c missing=()
    for c in "$@"; do command -v "$c" >/dev/null 2>&1 || missing+=("$c"); done
    [ ${#missing[@]} -eq 0 ] ||
        ad_die "missing commands: ${missing[*]} (run: ci/samba-ad.sh install)"
}
