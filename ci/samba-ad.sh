#!/bin/bash
# samba-ad.sh - throwaway Samba AD DC for scpauth's integration tests, demo and
# benchmarks. The DC runs in a network namespace whose only interface is its
# own loopback: no packet can leave it. Needs root (ip netns).
#
#   ci/samba-ad.sh install           apt-get what the harness needs (skips when present)
#   ci/samba-ad.sh up                namespace + DC + accounts + keytabs + ccaches
#   ci/samba-ad.sh status            DC up? (PID, LDAP, KDC); exit 0 = up
#   ci/samba-ad.sh env               print STATE/env (eval "$(ci/samba-ad.sh env)")
#   ci/samba-ad.sh exec CMD...       run CMD in the namespace with the client env
#                                    (KRB5CCNAME defaults to administrator's ccache)
#   ci/samba-ad.sh down [--purge|--purge-all]
#                                    stop everything; --purge also removes the state
#                                    but keeps the template cache, --purge-all both
#
# Every `up` starts from the same clean DC: the provisioned directory with its
# accounts is cached as a template (keyed by the configuration and this code)
# and restored; only the first `up` provisions (~6 s). Each STATE needs its
# own NETNS (the addresses are per namespace, so several DCs can run at once).
#
# Configuration (environment, defaults in brackets):
#   NETNS [scpauth-ad]  STATE [<repo>/ci/.state/ad]  REALM [EXAMPLE.TEST]
#   DOMAIN [EXAMPLE]  ADMINPASS  ALICE_PASS  BOB_PASS  SVC_MYAPP_PASS
#   DC_IP [127.0.0.10]   (dc1)      SVC_IP [127.0.0.20] (svchost1)
#   SVC2_IP [127.0.0.30] (svchost2) CLIENT_IP [127.0.0.40] (client1)
#   MYAPP_PORT [4444]  SAMBA_MODEL [single]  SAMBA_SERVICES [trimmed set]
#   NO_TLS [empty; 1 = no LDAPS]  READY_TIMEOUT [60]  STOP_TIMEOUT [10]
# shellcheck source-path=SCRIPTDIR
set -Eeuo pipefail
# set -e ends the script at the first failing command: say which one (only
# while set -e is on, and not inside $(...) or a pipeline).
trap '__rc=$?; [ "$BASH_SUBSHELL" = 0 ] && [[ $- == *e* ]] && printf "samba-ad: error: exit %s at %s:%s: %s\n" "$__rc" "${BASH_SOURCE[0]##*/}" "$LINENO" "$BASH_COMMAND" >&2' ERR

AD_HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$AD_HERE/.." && pwd)
. "$AD_HERE/lib/ad_util.sh"
. "$AD_HERE/lib/ad_netns.sh"
. "$AD_HERE/lib/ad_accounts.sh"
. "$AD_HERE/lib/ad_files.sh"
. "$AD_HERE/lib/ad_template.sh"
. "$AD_HERE/lib/ad_tls.sh"

NETNS=${NETNS:-scpauth-ad}
STATE=${STATE:-$REPO/ci/.state/ad}
REALM=${REALM:-EXAMPLE.TEST}
DOMAIN=${DOMAIN:-EXAMPLE}
DC_NAME=${DC_NAME:-dc1}
DC_IP=${DC_IP:-127.0.0.10}
SVC_NAME=${SVC_NAME:-svchost1}
SVC_IP=${SVC_IP:-127.0.0.20}
SVC2_NAME=${SVC2_NAME:-svchost2}
SVC2_IP=${SVC2_IP:-127.0.0.30}
CLIENT_NAME=${CLIENT_NAME:-client1}
CLIENT_IP=${CLIENT_IP:-127.0.0.40}
ADMINPASS=${ADMINPASS:-Adm1n-Passw0rd!}
ALICE_PASS=${ALICE_PASS:-Al1ce-Passw0rd!}
BOB_PASS=${BOB_PASS:-B0b-Passw0rd!}
SVC_MYAPP_PASS=${SVC_MYAPP_PASS:-MyApp-Svc-Passw0rd!}
MYAPP_PORT=${MYAPP_PORT:-4444}
SAMBA_MODEL=${SAMBA_MODEL:-single}
# one process (~55 MiB); SAMBA_SERVICES= keeps samba's full default set
SAMBA_SERVICES=${SAMBA_SERVICES--s3fs -nbt -wrepl -winbindd -ntp_signd -kcc -drepl -dnsupdate}
NO_TLS=${NO_TLS:-}
READY_TIMEOUT=${READY_TIMEOUT:-60}
STOP_TIMEOUT=${STOP_TIMEOUT:-10}

[[ $NETNS =~ ^[A-Za-z0-9][A-Za-z0-9_.-]*$ ]] || ad_die "bad NETNS name '$NETNS'"
for ip in "$DC_IP" "$SVC_IP" "$SVC2_IP" "$CLIENT_IP"; do
    # the harness only ever talks to loopback addresses
    [[ $ip =~ ^127\.[0-9]+\.[0-9]+\.[0-9]+$ ]] || ad_die "address $ip is not in 127.0.0.0/8"
done
STATE=$(realpath -m "$STATE")
DNSDOMAIN=${REALM,,}
BASEDN=DC=${DNSDOMAIN//./,DC=}
DC_HOST=$DC_NAME.$DNSDOMAIN
SVC_HOST=$SVC_NAME.$DNSDOMAIN
# shellcheck disable=SC2034 # written to STATE/env by name
SVC2_HOST=$SVC2_NAME.$DNSDOMAIN CLIENT_HOST=$CLIENT_NAME.$DNSDOMAIN
MYAPP_SPN=myapp/$SVC_HOST
MYAPP_PORT_SPN=myapp/$SVC_HOST:$MYAPP_PORT
DCDIR=$STATE/dc
RUNDIR=$STATE/run
LOGDIR=$STATE/log
SMBCONF=$DCDIR/etc/smb.conf
PIDFILE=$STATE/samba-ad.pid
KRB5_CONFIG=$STATE/krb5.conf
LDAPCONF=$STATE/ldap.conf
ADMIN_CCACHE=FILE:$STATE/admin.ccache
ALICE_CCACHE=FILE:$STATE/alice.ccache
BOB_CCACHE=FILE:$STATE/bob.ccache
SVCHOST1_KEYTAB=$STATE/$SVC_NAME.keytab
SVCHOST2_KEYTAB=$STATE/$SVC2_NAME.keytab
SVC_MYAPP_KEYTAB=$STATE/svc-myapp.keytab
DC_CA_CERT=$STATE/ca.pem
SVCHOST1_PASS='' SVCHOST2_PASS=''   # random per template, kept in STATE/secrets
export KRB5_CONFIG LDAPCONF

AD_PACKAGES=(samba samba-ad-dc samba-ad-provision samba-dsdb-modules samba-vfs-modules
    winbind krb5-user krb5-gss-samples libkrb5-dev ldap-utils libsasl2-modules-gssapi-mit
    iproute2 gss-ntlmssp faketime bind9-dnsutils openssl)

# Serialises up/down of one STATE (fd 9; never inherited by samba).
ad_lock() {
    mkdir -p "$STATE"
    exec 9>"$STATE/.lock"
    flock -w 120 9 || ad_die "another up/down holds $STATE/.lock"
}

# PID of this harness's samba; a recorded PID counts only while it is a samba
# inside our namespace or the one that wrote our pid directory (no stale PID).
ad_samba_pid() {
    local pid
    pid=$(cat "$PIDFILE" 2>/dev/null) || return 1
    ad_pid_is "$pid" samba || return 1
    if [ "$(stat -Lc %i "/proc/$pid/ns/net" 2>/dev/null)" != \
        "$(stat -Lc %i "/run/netns/$NETNS" 2>/dev/null)" ]; then
        [ "$(cat "$RUNDIR/samba.pid" 2>/dev/null)" = "$pid" ] || return 1
    fi
    printf '%s\n' "$pid"
}

ad_ldap_answers() {
    ad_ns ldapsearch -x -LLL -o nettimeout=2 -H "ldap://$DC_IP" -b '' -s base dnsHostName \
        >/dev/null 2>&1
}

# kinit PRINCIPAL PASSWORD CCACHE inside the namespace (password on stdin).
ad_kinit() {
    printf '%s\n' "$2" | KRB5CCNAME=$3 ad_ns kinit "$1@$REALM" >/dev/null 2>&1
}

ad_fail_with_log() {
    ad_log "$1; last lines of $LOGDIR/samba.out:"
    tail -n 30 "$LOGDIR/samba.out" >&2 || true
    exit 1
}

ad_samba_start() {
    rm -rf "$RUNDIR"
    mkdir -p "$RUNDIR" "$LOGDIR/cores"
    setsid ip netns exec "$NETNS" samba -F -M "$SAMBA_MODEL" --debug-stdout -d1 \
        -s "$SMBCONF" </dev/null >>"$LOGDIR/samba.out" 2>&1 9>&- &
    echo $! >"$PIDFILE"
}

# Waits until LDAP answers and the KDC issues administrator's TGT.
ad_samba_wait_ready() {
    local pid t0 deadline
    pid=$(cat "$PIDFILE")
    t0=$(ad_now)
    deadline=$((${t0%.*} + READY_TIMEOUT))
    while :; do
        ad_pid_alive "$pid" || ad_fail_with_log "samba (pid $pid) exited during start"
        if ad_ldap_answers && ad_kinit administrator "$ADMINPASS" "$ADMIN_CCACHE"; then break; fi
        [ "${EPOCHSECONDS}" -lt "$deadline" ] ||
            ad_fail_with_log "LDAP/KDC on $DC_IP not ready after ${READY_TIMEOUT}s"
        sleep 0.1
    done
    ad_pid_is "$pid" samba || ad_fail_with_log "pid $pid is not samba"
    ad_log "samba pid $pid ready (LDAP + KDC) in $(ad_since "$t0") s"
}

ad_samba_stop() {
    local pid
    if pid=$(ad_samba_pid); then ad_stop_pid "$pid" "$STOP_TIMEOUT"; fi
    rm -f "$PIDFILE"
}

# Provisions a new domain into DCDIR (pitfalls 1-4, 7-9 of the reference notes).
ad_provision() {
    local t0 fwd
    t0=$(ad_now)
    rm -rf "$DCDIR"
    mkdir -p "$DCDIR" "$LOGDIR/cores" "$RUNDIR"
    : >"$STATE/empty.conf"
    ad_ns samba-tool domain provision -s "$STATE/empty.conf" --targetdir="$DCDIR" \
        --realm="$REALM" --domain="$DOMAIN" --server-role=dc \
        --dns-backend=SAMBA_INTERNAL --adminpass="$ADMINPASS" \
        --host-name="$DC_NAME" --host-ip="$DC_IP" \
        --option="interfaces=$DC_IP" --option="bind interfaces only=yes" \
        --option="log file=$LOGDIR/samba.log" --option="pid directory=$RUNDIR" \
        --option="ncalrpc dir=$RUNDIR/ncalrpc" \
        --option="winbindd socket directory=$RUNDIR/winbindd" \
        --option="ntp signd socket directory=$RUNDIR/ntp_signd" \
        >"$LOGDIR/provision.log" 2>&1 ||
        { tail -n 30 "$LOGDIR/provision.log" >&2; ad_die "provision failed"; }
    # Provision copies a resolver into 'dns forwarder'; the DC must never
    # forward a query anywhere, so the option must be absent: samba then
    # answers NXDOMAIN for names outside its zones (4.17 has no separate
    # switch for recursion).
    sed -i '/^[[:space:]]*dns forwarder[[:space:]]*=/Id' "$SMBCONF"
    mkdir -p "$DCDIR/cache"   # testparm fails without it
    fwd=$(testparm -s --parameter-name='dns forwarder' "$SMBCONF" 2>/dev/null) ||
        ad_die "testparm cannot read $SMBCONF"
    [ -z "$fwd" ] || ad_die "dns forwarder still set in $SMBCONF: $fwd"
    [ -z "$SAMBA_SERVICES" ] ||
        sed -i "s|^\[global\]\$|&\n\tserver services = $SAMBA_SERVICES|" "$SMBCONF"
    if [ -n "$NO_TLS" ]; then
        sed -i 's|^\[global\]$|&\n\ttls enabled = no|' "$SMBCONF"
    else
        ad_tls_make "$DCDIR/private/tls" "$DC_CA_CERT"
    fi
    # the DC's own ldap/ GC/ ... SPNs come from the dnsupdate service, which is off
    ad_ns samba_spnupdate -s "$SMBCONF" >>"$LOGDIR/provision.log" 2>&1 ||
        { tail -n 30 "$LOGDIR/provision.log" >&2; ad_die "samba_spnupdate failed"; }
    ad_log "provisioned $REALM in $(ad_since "$t0") s"
}

# A records for the member hosts, added the way a joined host does: a secure
# (GSS-TSIG) dynamic update to the DC's DNS. Samba applies the update, but
# BIND 9.18's nsupdate rejects the TSIG of its reply ("tsig verify failure")
# and exits non-zero, so the records themselves are the check.
ad_dns_records() {
    local ip name out got
    out=$(while read -r ip name; do
        [ "$name" = "$DC_NAME" ] && continue
        printf 'update add %s.%s 3600 A %s\n' "$name" "$DNSDOMAIN" "$ip"
    done < <(ad_netns_hosts) | {
        printf 'server %s\nzone %s\n' "$DC_HOST" "$DNSDOMAIN"
        cat
        printf 'send\n'
    } | KRB5CCNAME=$ADMIN_CCACHE ad_ns nsupdate -g 2>&1) || true
    while read -r ip name; do
        got=$(ad_ns dig +short +time=2 +tries=1 "@$DC_IP" "$name.$DNSDOMAIN" A) || got=
        [ "$got" = "$ip" ] ||
            ad_die "DNS: $name.$DNSDOMAIN resolves to '${got}', not $ip (nsupdate said: $out)"
    done < <(ad_netns_hosts)
}

# Builds the cached template: provision, start, accounts, stop, tar.
ad_template_build() {
    local tpl=$1 t0
    t0=$(ad_now)
    ad_provision
    SVCHOST1_PASS=$(ad_random_password)
    SVCHOST2_PASS=$(ad_random_password)
    (umask 077 && printf 'SVCHOST1_PASS=%q\nSVCHOST2_PASS=%q\n' \
        "$SVCHOST1_PASS" "$SVCHOST2_PASS" >"$STATE/secrets")
    ad_samba_start
    ad_samba_wait_ready
    KRB5CCNAME=$ADMIN_CCACHE ad_accounts_create "$SMBCONF"
    ad_dns_records
    ad_samba_stop
    ad_template_save "$tpl"
    ad_log "template $(basename "$tpl") built in $(ad_since "$t0") s"
}

cmd_install() {
    local t0
    t0=$(ad_now)
    "$REPO/ci/packages.sh" --who samba-ad "${AD_PACKAGES[@]}" ||
        ad_die "install: the harness's Debian packages could not be installed (above)"
    ad_log "install: ${#AD_PACKAGES[@]} packages present ($(ad_since "$t0") s)"
}

ad_up_failed() {
    [ "$1" != 0 ] || return 0
    ad_log "up failed; stopping what it started (logs stay in $LOGDIR)"
    ad_samba_stop || true
    ad_netns_down || true
}

cmd_up() {
    local t0 tpl
    t0=$(ad_now)
    [ "$(id -u)" = 0 ] || ad_die "up needs root (ip netns)"
    ad_need_cmds ip samba samba-tool samba_spnupdate testparm ldapmodify ldapsearch \
        kinit klist nsupdate dig openssl iconv tar flock setsid /usr/bin/python3
    ad_lock
    if ad_samba_pid >/dev/null && ad_netns_exists && ad_ldap_answers; then
        ad_log "already up (pid $(ad_samba_pid)); env: $STATE/env"
        return 0
    fi
    # a failed up leaves no samba and no namespace behind, only its logs
    trap 'ad_up_failed $?' EXIT
    # leftovers of a crashed run: start from a clean slate
    ad_samba_stop
    ad_netns_down
    ad_netns_up
    mkdir -p "$LOGDIR"
    : >"$LOGDIR/samba.out"
    ad_write_krb5_conf
    ad_write_ldap_conf
    tpl=$(ad_template_path)
    if [ -f "$tpl" ]; then
        ad_template_restore "$tpl"
    else
        ad_log "no template for this configuration: provisioning"
        ad_template_build "$tpl"
    fi
    # shellcheck source=/dev/null
    . "$STATE/secrets"
    ad_write_env
    ad_samba_start
    ad_samba_wait_ready
    rm -f "${ALICE_CCACHE#FILE:}" "${BOB_CCACHE#FILE:}"
    ad_kinit alice "$ALICE_PASS" "$ALICE_CCACHE" || ad_fail_with_log "kinit alice failed"
    ad_kinit bob "$BOB_PASS" "$BOB_CCACHE" || ad_fail_with_log "kinit bob failed"
    trap - EXIT
    printf 'samba-ad: up in %s s\n' "$(ad_since "$t0")"
    ad_log "env: $STATE/env (netns $NETNS, DC $DC_HOST = $DC_IP)"
}

cmd_down() {
    local t0 mode=${1:-}
    t0=$(ad_now)
    case $mode in '' | --purge | --purge-all) ;; *) ad_die "down: unknown option $mode" ;; esac
    ad_lock
    ad_samba_stop
    ad_netns_down
    rm -rf "$RUNDIR"
    case $mode in
    --purge) find "$STATE" -mindepth 1 -maxdepth 1 ! -name template ! -name .lock \
        -exec rm -rf {} + ;;
    --purge-all) rm -rf "$STATE" ;;
    esac
    printf 'samba-ad: down in %s s\n' "$(ad_since "$t0")"
}

cmd_status() {
    local pid ldap=no kdc=no
    if ! pid=$(ad_samba_pid); then
        echo "samba-ad: down (no samba for $STATE)"
        return 1
    fi
    if ! ad_netns_exists; then
        echo "samba-ad: broken (samba pid $pid but no namespace $NETNS)"
        return 1
    fi
    ad_ldap_answers && ldap=yes
    ad_kinit administrator "$ADMINPASS" MEMORY:status && kdc=yes
    echo "samba-ad: pid $pid, namespace $NETNS, LDAP $ldap, KDC $kdc ($DC_HOST = $DC_IP)"
    [ $ldap = yes ] && [ $kdc = yes ]
}

cmd_env() {
    [ -f "$STATE/env" ] || ad_die "no $STATE/env: run ci/samba-ad.sh up"
    cat "$STATE/env"
}

cmd_exec() {
    [ $# -gt 0 ] || ad_die "exec: no command"
    ad_netns_exists || ad_die "namespace $NETNS does not exist: run ci/samba-ad.sh up"
    [ -f "$STATE/env" ] || ad_die "no $STATE/env: run ci/samba-ad.sh up"
    # shellcheck source=/dev/null
    . "$STATE/env"
    export KRB5CCNAME=${KRB5CCNAME:-$ADMIN_CCACHE}
    exec ip netns exec "$NETNS" "$@"
}

case ${1:-} in
install) cmd_install ;;
up) cmd_up ;;
down) cmd_down "${2:-}" ;;
status) cmd_status ;;
env) cmd_env ;;
exec) shift && cmd_exec "$@" ;;
*)
    sed -n '2,27p' "$0" >&2
    exit 2
    ;;
esac
