#!/bin/bash
# test_auth_mutual.sh - Kerberos mutual authentication over TCP between
# `scpauth connect` and `scpauth listen` against the AD DC: a service keyed by
# a user account's keytab (svc-myapp) and by a computer account's keytab
# (SVCHOST1$), SPNs with and without a port, both wire profiles, ccache and
# password logins. Each side's report is checked: mutual, Kerberos, and the
# right names (the client sees the SPN, the service sees the user).
. "$(dirname "$0")/lib.sh"
T=$ITEST_TMP

# pair NAME "LISTEN ARGS" USER "CONNECT ARGS": one `listen --once --json` and
# one `connect --json` as USER; outputs in $T/NAME.{listen,connect}, exit
# codes in LRC and CRC.
pair() {
    local name=$1 largs=$2 user=$3 cargs=$4
    LRC=none CRC=none
    # shellcheck disable=SC2086 # the argument strings hold no spaces
    listen_start "$T/$name.listen" --once --json $largs || return 1
    # shellcheck disable=SC2086
    as "$user" "$SCPAUTH" connect "$SVC_HOST" "$LISTEN_PORT" $cargs --json >"$T/$name.connect" 2>&1
    CRC=$?
    bg_wait "$LISTEN_PID" 10
    LRC=$BG_RC
    log_handshake_ms "$T/$name.connect"
}

# both_ok NAME: both sides exited 0.
both_ok() {
    expect_eq "$1: connect and listen --once both exit 0" "0 0" "$CRC $LRC"
}

REALM_RE=${REALM//./\\.}
SPN_RE=${MYAPP_SPN//./\\.}
PORT_SPN_RE=${MYAPP_PORT_SPN//./\\.}
HOST_SPN=HOST/$SVC_HOST
HOST_SPN_RE=${HOST_SPN//./\\.}

# --- user account keytab (svc-myapp), SPN without port ---
pair user-spn "--keytab $SVC_MYAPP_KEYTAB --bind $SVC_IP --port $MYAPP_PORT" alice "$MYAPP_SPN"
both_ok "svc-myapp keytab, $MYAPP_SPN"
expect_match "connect reports the SPN as its peer, mutual, krb5" \
    "\"peer\":\"$SPN_RE@$REALM_RE\",\"local_name\":\"alice@$REALM_RE\",\"mutual\":true,\"mech\":\"krb5\"" \
    cat "$T/user-spn.connect"
expect_match "connect: granted flags include mutual, conf, integ; AES session key" \
    '"enctype":"aes256-cts-hmac-sha1-96","requested_flags":"[a-z,]+","granted_flags":"mutual,replay,sequence,conf,integ"' \
    cat "$T/user-spn.connect"
expect_match "listen reports client alice, its own SPN, mutual, krb5, 1 message" \
    "\"ok\":true,\"client_principal\":\"alice@$REALM_RE\",\"service_principal\":\"$SPN_RE@$REALM_RE\",\"mutual\":true,\"mech\":\"krb5\".*\"messages\":1" \
    cat "$T/user-spn.listen"

# --- the same account's SPN with a port; the service restricted to exactly it ---
pair user-port-spn "--keytab $SVC_MYAPP_KEYTAB --principal $MYAPP_PORT_SPN --port $MYAPP_PORT" \
    alice "$MYAPP_PORT_SPN"
both_ok "svc-myapp keytab restricted to $MYAPP_PORT_SPN"
expect_match "connect's peer is the SPN with its port" \
    "\"peer\":\"$PORT_SPN_RE@$REALM_RE\".*\"mutual\":true,\"mech\":\"krb5\"" cat "$T/user-port-spn.connect"
expect_match "listen (restricted) names alice and the SPN with port" \
    "\"client_principal\":\"alice@$REALM_RE\",\"service_principal\":\"$PORT_SPN_RE@$REALM_RE\",\"mutual\":true" \
    cat "$T/user-port-spn.listen"

# --- computer account keytab (SVCHOST1$), its HOST/ SPN ---
pair host-spn "--keytab $SVCHOST1_KEYTAB --principal $HOST_SPN" alice "$HOST_SPN"
both_ok "svchost1 keytab, $HOST_SPN"
expect_match "connect's peer is HOST/svchost1, mutual, krb5" \
    "\"peer\":\"$HOST_SPN_RE@$REALM_RE\",\"local_name\":\"alice@$REALM_RE\",\"mutual\":true,\"mech\":\"krb5\"" \
    cat "$T/host-spn.connect"
expect_match "listen (computer account) names alice, mutual, krb5" \
    "\"client_principal\":\"alice@$REALM_RE\",\"service_principal\":\"$HOST_SPN_RE@$REALM_RE\",\"mutual\":true,\"mech\":\"krb5\"" \
    cat "$T/host-spn.listen"

# --- computer keytab without a fixed principal (any key), another user ---
pair host-any "--keytab $SVCHOST1_KEYTAB" bob "$HOST_SPN"
both_ok "svchost1 keytab, any key, bob"
expect_match "listen names bob (not alice) and mutual" \
    "\"client_principal\":\"bob@$REALM_RE\".*\"mutual\":true" cat "$T/host-any.listen"

# --- sspi-sample profile, several messages ---
pair sspi "--keytab $SVC_MYAPP_KEYTAB --profile sspi-sample" alice \
    "$MYAPP_SPN --profile sspi-sample --message one --message two --count 3"
both_ok "sspi-sample profile"
expect_match "sspi-sample: connect exchanged 6 messages, mutual krb5" \
    '"mutual":true,"mech":"krb5".*"round_trips":\[[0-9.,]+\].*"messages":6' cat "$T/sspi.connect"
expect_match "sspi-sample: listen handled 6 messages from alice" \
    "\"client_principal\":\"alice@$REALM_RE\".*\"messages\":6" cat "$T/sspi.listen"

# --- password logins: a file, and SCPAUTH_PASSWORD; the password never printed ---
printf '%s\n' "$ALICE_PASS" >"$T/alice.pw"
pair pw-file "--keytab $SVC_MYAPP_KEYTAB" nobody \
    "$MYAPP_SPN --user alice --password-file $T/alice.pw"
both_ok "password login from a file (no ccache at all)"
expect_match "password login: local name alice, service sees alice" \
    "\"local_name\":\"alice@$REALM_RE\",\"mutual\":true" cat "$T/pw-file.connect"
listen_start "$T/pw-env.listen" --once --keytab "$SVC_MYAPP_KEYTAB"
as nobody env SCPAUTH_PASSWORD="$ALICE_PASS" "$SCPAUTH" connect "$SVC_HOST" "$LISTEN_PORT" \
    "$MYAPP_SPN" --user alice --password >"$T/pw-env.connect" 2>&1
CRC=$?
bg_wait "$LISTEN_PID"
expect_eq "password login from SCPAUTH_PASSWORD: both exit 0" "0 0" "$CRC $BG_RC"
log_handshake_ms "$T/pw-env.connect"
expect_eq "the password appears in no output" "" \
    "$(grep -rlF --include='*.connect' --include='*.listen' -- "$ALICE_PASS" "$T")"
expect_match "text output names peer, local name, mutual, mechanism, times" \
    "peer: +$SPN_RE@$REALM_RE.*|mutual: +yes" cat "$T/pw-env.connect"
expect_ok "text output has every field" bash -c \
    'for f in "peer:" "local name:" "mutual: +yes" "mechanism: +krb5" "enctype:" "requested flags:" \
        "granted flags:" "expires:" "connect:" "handshake:.*step 1" "message 1 .*round trip" \
        "total:" "result: +ok"; do grep -Eq "^  $f" "$1" || { echo "missing $f"; exit 1; }; done' \
    _ "$T/pw-env.connect"

# --- the client's explicit opt-out is loud, and the service still refuses it ---
pair no-mutual "--keytab $SVC_MYAPP_KEYTAB" alice "$MYAPP_SPN --no-mutual"
expect_match "connect --no-mutual warns loudly" 'WARNING: --no-mutual: mutual authentication is NOT required' \
    cat "$T/no-mutual.connect"
expect_eq "connect --no-mutual fails; listen --once exits 3 (authentication failed)" \
    "fail 3" "$([ "$CRC" != 0 ] && echo fail || echo "ok?") $LRC"
expect_match "listen refuses it with ENOMUTUAL naming alice" \
    "SCPAUTH_ENOMUTUAL.*client alice@$REALM_RE did not request mutual authentication" \
    cat "$T/no-mutual.listen"

itest_done
