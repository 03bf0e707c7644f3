#!/bin/bash
# test_spn_errors.sh - what `scpauth spn` says when the directory cannot be
# used: no credentials, an expired ticket, a DC that refuses or never
# answers, a domain without DCs, a DC named by address (no ldap/ SPN), and
# a user without rights. Each: its own code and exit status, a message
# naming the object, a hint, and a bounded time.
. "$(dirname "$0")/lib.sh"
T=$ITEST_TMP

ms_since() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }
# timed DESC MAX_MS CODE ERE CMD...: CMD exits CODE, says ERE, within MAX_MS.
timed() {
    local desc=$1 max=$2 code=$3 re=$4 t0 rc ms; shift 4
    t0=$(date +%s%N)
    "$@" >"$T/out" 2>&1; rc=$?
    ms=$(ms_since "$t0")
    expect_eq "$desc: exit $code" "$code" "$rc"
    expect_file_match "... says /$re/" "$T/out" "$re" '^  hint: '
    expect_ok "... in ${ms} ms (<= $max ms)" test "$ms" -le "$max"
}

# --- credentials ---
timed "no ccache (--ccache of a missing file)" 2000 3 \
    "SCPAUTH_ENOCREDS|ccache FILE:${T//./\\.}/none\\.cc" \
    in_ns "$SCPAUTH" spn list svc-myapp --ccache "FILE:$T/none.cc"
KRB5CCNAME=FILE:$T/none2.cc timed "no default ccache (KRB5CCNAME names a missing file)" 2000 3 \
    'SCPAUTH_ENOCREDS' in_ns "$SCPAUTH" spn list svc-myapp
printf '%s\n' "$ALICE_PASS" | KRB5CCNAME=FILE:$T/short.cc in_ns kinit -l 2s alice >/dev/null 2>&1
sleep 3
timed "an expired ticket" 2000 3 "SCPAUTH_ECREDEXPIRED|has expired" \
    in_ns "$SCPAUTH" spn list svc-myapp --ccache "FILE:$T/short.cc"
expect_file_match "... names the ccache and says kinit" "$T/out" \
    "ccache FILE:${T//./\\.}/short\\.cc has expired" 'hint: .*kinit'

# --- DCs that cannot be used ---
timed "a DC that refuses connections" 2000 6 \
    'SCPAUTH_ECONNREFUSED|domain controller 127\.0\.0\.99:389' \
    in_ns "$SCPAUTH" spn list svc-myapp --dc 127.0.0.99
bg "$T/hung.log" in_ns python3 "$(dirname "$0")/test_spn_silent_dc.py" "$DC_IP" 3898
HUNG_PID=$BG_PID
wait_match "$T/hung.log" '^listening' 100
timed "a DC that never answers (--timeout 1500)" 3000 6 \
    "SCPAUTH_ETIMEDOUT|${DC_HOST//./\\.}:3898: connected, but no answer to the bind" \
    in_ns "$SCPAUTH" spn list svc-myapp --dc "$DC_HOST:3898" --timeout 1500
timed "every DC fails: both listed" 3000 6 \
    "no domain controller of ${DNSDOMAIN//./\\.} answered \\(2 tried\\): .*127\\.0\\.0\\.99:389.*${DC_HOST//./\\.}:3898" \
    in_ns "$SCPAUTH" spn list svc-myapp --dc 127.0.0.99 --dc "$DC_HOST:3898" --timeout 1000
bg_stop "$HUNG_PID"
timed "a domain without DC records" 3000 6 \
    'SCPAUTH_ENODC|no SRV record _ldap\._tcp\.dc\._msdcs\.nowhere\.test' \
    in_ns "$SCPAUTH" spn list svc-myapp --domain nowhere.test
timed "a DC named by IP address (no ldap/ SPN for it in Kerberos)" 3000 3 \
    "SCPAUTH_EDIRAUTH|127\\.0\\.0\\.10:389" \
    in_ns "$SCPAUTH" spn list svc-myapp --dc "$DC_IP"
expect_file_match "... the hint says to name the DC by its DNS host name" "$T/out" \
    'hint: .*DNS host name'

# --- rights ---
timed "alice writing svc-myapp's SPNs" 3000 5 \
    'SCPAUTH_EDIRACCESS|may not change its servicePrincipalName' \
    as alice "$SCPAUTH" spn add --account svc-myapp "itest/alice.$DNSDOMAIN"
expect_file_match "... the hint: an administrator must run the command" "$T/out" \
    "hint: an administrator .*scpauth spn add --account svc-myapp itest/alice"

# --- bad input: refused before any network use ---
expect_exit "a malformed SPN to add: exit 2" 2 \
    in_ns "$SCPAUTH" spn add --account svc-myapp 'no slash'
expect_exit "a malformed account name: exit 2" 2 in_ns "$SCPAUTH" spn list 'a*b'
expect_exit "a malformed --dc: exit 2" 2 in_ns "$SCPAUTH" spn list svc-myapp --dc 'dc1:99999'
expect_exit "a malformed --domain: exit 2" 2 in_ns "$SCPAUTH" spn list svc-myapp --domain '1.2.3.4'

itest_done
