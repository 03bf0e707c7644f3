# shellcheck shell=bash
# ad_netns.sh - the harness's network namespace: a private loopback that carries
# the DC and the member-host addresses, plus the hosts/resolv.conf that
# `ip netns exec` bind-mounts over /etc inside it. Sourced, not run.
# Uses NETNS, DNSDOMAIN and the *_NAME/*_IP pairs of ci/samba-ad.sh.

# The namespace's hosts, one "ip name" pair a line (order = /etc/hosts order).
ad_netns_hosts() {
    printf '%s %s\n' "$DC_IP" "$DC_NAME" "$SVC_IP" "$SVC_NAME" \
        "$SVC2_IP" "$SVC2_NAME" "$CLIENT_IP" "$CLIENT_NAME"
}

ad_netns_exists() { [ -e "/run/netns/$NETNS" ]; }

# Runs a command inside the namespace.
ad_ns() { ip netns exec "$NETNS" "$@"; }

# Creates the namespace (idempotent) with lo up and every host address on it.
ad_netns_up() {
    local ip name
    mountpoint -q / || ad_die "/ is not a mount point (a chroot?), which \`ip netns exec\` needs;" \
        "run through ci/test.sh, ci/demo.sh or bench/run.sh, which enter a mount namespace where it is"
    ad_netns_exists || ip netns add "$NETNS"
    ip -n "$NETNS" link set lo up
    while read -r ip name; do
        # /8 like 127.0.0.1 itself: samba's interface code wants a real netmask
        ip -n "$NETNS" -4 -o addr show dev lo | grep -qF " $ip/" ||
            ip -n "$NETNS" addr add "$ip/8" dev lo
    done < <(ad_netns_hosts)
    mkdir -p "/etc/netns/$NETNS"
    {
        printf '127.0.0.1\tlocalhost\n'
        while read -r ip name; do
            printf '%s\t%s.%s %s\n' "$ip" "$name" "$DNSDOMAIN" "$name"
        done < <(ad_netns_hosts)
    } > "/etc/netns/$NETNS/hosts"
    # Samba's own DNS is the only resolver: names outside the domain fail fast.
    printf 'nameserver %s\nsearch %s\noptions timeout:1 attempts:1\n' \
        "$DC_IP" "$DNSDOMAIN" > "/etc/netns/$NETNS/resolv.conf"
}

# Kills whatever still runs inside the namespace, then deletes it and its /etc files.
ad_netns_down() {
    local pids p i
    if ad_netns_exists; then
        pids=$(ip netns pids "$NETNS" 2>/dev/null || true)
        if [ -n "$pids" ]; then
            for p in $pids; do kill -TERM "$p" 2>/dev/null || true; done
            for ((i = 0; i < 40; i++)); do
                pids=$(ip netns pids "$NETNS" 2>/dev/null || true)
                [ -z "$pids" ] && break
                sleep 0.05
            done
            for p in $pids; do kill -KILL "$p" 2>/dev/null || true; done
        fi
        ip netns del "$NETNS"
    fi
    rm -rf "/etc/netns/${NETNS:?}"
}
