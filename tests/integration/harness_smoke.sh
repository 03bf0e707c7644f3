#!/bin/bash
# harness_smoke.sh - checks that ci/samba-ad.sh gives a working AD DC: brings it
# up from nothing and again from its template, then verifies it with
# independent client commands inside the namespace (kinit, klist, LDAP, DNS,
# MIT gss-server/gss-client mutual authentication), and that `down` leaves
# nothing behind. Runs in its own namespace and state directory so that it
# never disturbs a DC someone else has up. Needs root.
#   SMOKE_COLD=0 skips the first up from nothing (reuses the template).
set -uo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
H=$REPO/ci/samba-ad.sh
export NETNS=${SMOKE_NETNS:-scpauth-ad-smoke}
export STATE=${SMOKE_STATE:-$REPO/ci/.state/ad-smoke}
SMOKE_COLD=${SMOKE_COLD:-1}
WORK=$(mktemp -d)
PASSED=0 FAILED=0

cleanup() {
    "$H" down >/dev/null 2>&1
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

pass() { PASSED=$((PASSED + 1)); printf 'ok   %s\n' "$1"; }
fail() { FAILED=$((FAILED + 1)); printf 'FAIL %s\n' "$1"; [ -z "${2:-}" ] || printf '%s\n' "$2" | sed 's/^/     /'; }
# check NAME CMD...: passes when CMD exits 0; shows its output otherwise.
check() {
    local name=$1 out
    shift
    if out=$("$@" 2>&1); then pass "$name"; else fail "$name" "$out"; fi
}
# Runs a command inside the namespace with the harness's client environment.
ns() { "$H" exec "$@"; }

# Time of one `up`, from its own "samba-ad: up in N s" line.
up_timed() {
    local out
    out=$("$H" up 2>&1) || { printf '%s\n' "$out"; return 1; }
    printf '%s\n' "$out" | sed -n 's/^samba-ad: up in \([0-9.]*\) s$/\1/p'
}

# The namespace holds nothing of ours: no samba, no namespace, no /etc/netns.
nothing_left() {
    local p
    [ ! -e "/run/netns/$NETNS" ] || { echo "namespace $NETNS still exists"; return 1; }
    [ ! -e "/etc/netns/$NETNS" ] || { echo "/etc/netns/$NETNS still exists"; return 1; }
    for p in $(pgrep -x samba); do
        # ours = a samba whose pid file lives in our state directory
        if [ "$(cat "$STATE/run/samba.pid" 2>/dev/null)" = "$p" ] ||
            [ "$(cat "$STATE/samba-ad.pid" 2>/dev/null)" = "$p" ]; then
            echo "samba pid $p still running"
            return 1
        fi
    done
}

echo "== harness: install, up from nothing, down, up from template"
check "install (skips installed packages)" "$H" install
if [ "$SMOKE_COLD" = 1 ]; then
    "$H" down --purge-all >/dev/null 2>&1
    if ! t=$(up_timed) || [ -z "$t" ]; then
        fail "first up" "$t"
        echo "$PASSED passed, $FAILED failed"
        exit 1
    fi
    pass "first up (provision + template) in $t s"
    check "down" "$H" down
    check "down leaves no samba, namespace or /etc/netns" nothing_left
    check "down again (idempotent)" "$H" down
fi
if ! t=$(up_timed) || [ -z "$t" ]; then
    fail "up from template" "$t"
    echo "$PASSED passed, $FAILED failed"
    exit 1
fi
pass "up from template in $t s"
check "status says up" "$H" status
check "up while up is a no-op" "$H" up

# shellcheck source=/dev/null
. "$STATE/env"

echo "== Kerberos"
check "kinit alice with her password" bash -c \
    "printf '%s\n' \"\$ALICE_PASS\" | KRB5CCNAME=FILE:$WORK/alice.cc $H exec kinit alice@$REALM >/dev/null &&
     KRB5CCNAME=FILE:$WORK/alice.cc $H exec klist | grep -q 'Default principal: alice@$REALM'"
for cc in "$ADMIN_CCACHE" "$ALICE_CCACHE" "$BOB_CCACHE"; do
    check "ccache $(basename "${cc#FILE:}") holds a valid TGT" env KRB5CCNAME="$cc" "$H" exec klist -s
done

# keytab_has KEYTAB PRINCIPAL [KVNO]: an aes256-cts key for PRINCIPAL (at KVNO).
keytab_has() {
    klist -kte "$1" | awk -v p="$2@$REALM" -v k="${3:-}" '
        $4 == p && $5 ~ /^\(aes256-cts/ && (k == "" || $1 == k) { found = 1 }
        END { exit !found }'
}
for p in 'SVCHOST1$' HOST/svchost1.example.test HOST/svchost1; do
    check "svchost1.keytab: aes256 key for $p" keytab_has "$SVCHOST1_KEYTAB" "$p"
done
for p in 'SVCHOST2$' HOST/svchost2.example.test HOST/svchost2; do
    check "svchost2.keytab: aes256 key for $p" keytab_has "$SVCHOST2_KEYTAB" "$p"
done
kvno=$(ns ldapsearch -LLL -Q -o ldif-wrap=no -b "CN=svc-myapp,CN=Users,$BASEDN" -s base \
    msDS-KeyVersionNumber 2>/dev/null | sed -n 's/^msDS-KeyVersionNumber: //p')
check "LDAP (GSSAPI as administrator) reads svc-myapp's kvno ($kvno)" test -n "$kvno"
for p in "$MYAPP_SPN" "$MYAPP_PORT_SPN"; do
    check "svc-myapp.keytab: aes256 key for $p at kvno $kvno" keytab_has "$SVC_MYAPP_KEYTAB" "$p" "$kvno"
done
for h in SVCHOST1 SVCHOST2; do
    kt=${h}_KEYTAB
    check "kinit -k $h\$ with its keytab" env KRB5CCNAME="FILE:$WORK/$h.cc" \
        "$H" exec kinit -k -t "${!kt}" "$h\$@$REALM"
done

# gss_mutual SERVICE PORT: gss-server with svc-myapp.keytab accepts gss-client
# run as alice, with mutual authentication, for SERVICE (host-based name).
gss_mutual() {
    local svc=$1 port=$2 spn=$3 spid i rc=0
    ip netns exec "$NETNS" env KRB5_CONFIG="$KRB5_CONFIG" KRB5_KTNAME="FILE:$SVC_MYAPP_KEYTAB" \
        gss-server -port "$port" -once "$svc" >"$WORK/server.out" 2>&1 &
    spid=$!
    for ((i = 0; i < 50; i++)); do
        ip netns exec "$NETNS" ss -Hltn "sport = :$port" | grep -q . && break
        sleep 0.05
    done
    KRB5CCNAME="FILE:$WORK/alice.cc" "$H" exec gss-client -port "$port" "$SVC_HOST" "$svc" \
        "hello $port" >"$WORK/client.out" 2>&1 || rc=1
    wait "$spid" || rc=1
    grep -q 'GSS_C_MUTUAL_FLAG' "$WORK/client.out" || rc=1
    grep -qF "to \"$spn@$REALM\"" "$WORK/client.out" || rc=1
    grep -qF "Accepted connection: \"alice@$REALM\"" "$WORK/server.out" || rc=1
    grep -qF "Received message: \"hello $port\"" "$WORK/server.out" || rc=1
    [ $rc = 0 ] || { cat "$WORK/client.out" "$WORK/server.out" | grep -v '^[0-9a-f]*$' | head -20; }
    return $rc
}
echo "== GSSAPI (krb5-gss-samples)"
check "gss-server accepts alice, mutual auth, $MYAPP_SPN" \
    gss_mutual "myapp@$SVC_HOST" 4443 "$MYAPP_SPN"
check "gss-server accepts alice, mutual auth, $MYAPP_PORT_SPN" \
    gss_mutual "myapp@$SVC_HOST:$MYAPP_PORT" "$MYAPP_PORT" "$MYAPP_PORT_SPN"

echo "== DNS, LDAP, isolation"
srv=$(ns dig +short +time=2 +tries=1 _ldap._tcp.dc._msdcs."$DNSDOMAIN" SRV 2>&1)
check "SRV _ldap._tcp.dc._msdcs.$DNSDOMAIN -> $srv" grep -qx "0 100 389 $DC_HOST." <<<"$srv"
a=$(ns dig +short +time=2 +tries=1 "$SVC_HOST" A 2>&1)
check "A $SVC_HOST -> $a (dynamic update at template build)" test "$a" = "$SVC_IP"
st=$(ns dig +time=2 +tries=1 www.example.com A 2>&1 | sed -n 's/.*status: \([A-Z]*\),.*/\1/p')
check "a name outside the domain is not forwarded (status $st)" test -n "$st" -a "$st" != NOERROR
check "smb.conf has no dns forwarder" bash -c "! grep -qi 'dns forwarder' '$SMBCONF'"
check "the namespace has no interface but lo" \
    test "$(ip -n "$NETNS" -o link show | awk -F': ' '{print $2}')" = lo
check "LDAPS certificate verifies against ca.pem" \
    ns ldapsearch -x -LLL -H "ldaps://$DC_HOST" -b '' -s base dnsHostName
check "LDAP SASL/GSSAPI bind as alice (sign+seal)" env KRB5CCNAME="FILE:$WORK/alice.cc" \
    "$H" exec ldapsearch -LLL -Q -b "$BASEDN" -s base dn

echo "== down"
check "down" "$H" down
check "down leaves no samba, namespace or /etc/netns" nothing_left
check "status says down (exit 1)" bash -c "! '$H' status"

echo "$PASSED passed, $FAILED failed"
[ "$FAILED" = 0 ]
