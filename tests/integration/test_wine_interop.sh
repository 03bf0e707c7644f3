#!/bin/bash
# test_wine_interop.sh - the Windows build (mingw-w64, SSPI "Kerberos"
# package) under Wine against the native Linux build (MIT GSSAPI) and MIT's
# own samples, through the harness' AD DC: mutual authentication, sealed
# messages (EncryptMessage/DecryptMessage <-> gss_wrap/gss_unwrap) and MICs,
# both directions, both wire profiles.
#   Windows clients -> native `scpauth listen`, MIT gss-server
#   native `scpauth connect`, MIT gss-client -> Windows `scpauth.exe listen`
# Wine's Kerberos is the host's MIT libkrb5: KRB5CCNAME gives a client its
# tickets, KRB5_KTNAME a service its keys.
#
# Needs the cross build: CROSS_BUILD_DIR (default $REPO/build-cross, built by
# ci/cross.sh). Without it (or without wine) the file reports one SKIP line.
# Wine prefix: WINE_ITEST_PREFIX, default ci/cross.sh's (ci/.state/wineprefix),
# created when missing (~10 s). Wine opens sockets in its wineserver, so the
# prefix's wineserver must run inside the namespace: the file stops it
# before and after (only this prefix's). Do not share the prefix with a Wine
# run outside the namespace while this file runs.
#
# More Windows clients: write win_client_NAME (runs it) and, if it prints
# something worth checking, win_check_NAME; add NAME to WIN_CLIENTS.
. "$(dirname "$0")/lib.sh"
T=$ITEST_TMP
REALM_RE=${REALM//./\\.}
SPN_RE=${MYAPP_SPN//./\\.}
CROSS=${CROSS_BUILD_DIR:-$REPO/build-cross}
WIN_SCPAUTH=$CROSS/tools/scpauth.exe
MSG1="hello from Wine" MSG2="a second, longer message: sealed both ways"

if [ ! -f "$WIN_SCPAUTH" ] || ! command -v wine >/dev/null 2>&1; then
    echo "ok 1 - Windows build under Wine # SKIP no $WIN_SCPAUTH or no wine (ci/cross.sh builds it)"
    exit 0
fi

wine_setup || exit 1

# win_as USER PROGRAM ARGS...: a Windows program under Wine inside the
# namespace with USER's ccache.
win_as() { local who=$1; shift; as "$who" wine "$@"; }

# listen_line LOG N: lib.sh's client_line with up to 20 s (Wine's first
# start in a namespace takes seconds).
listen_line() { client_line "$1" "$2" 400; }

# ---- Windows clients -> native services ----------------------------------
# win_client_NAME OUT PROFILE HOST PORT SPN: one run of the client as alice
# that sends MSG1 and MSG2 twice (4 messages), output to OUT.
win_client_scpauth() {
    win_as alice "$WIN_SCPAUTH" connect "$3" "$4" "$5" --profile "$2" --json --timeout 20000 \
        --message "$MSG1" --message "$MSG2" --count 2 >"$1" 2>&1
}
# win_check_NAME DESC OUT: what the client itself says it verified.
win_check_scpauth() {
    expect_match "$1: scpauth.exe verified the service: mutual, the SPN, 4 messages" \
        "^\\{\"ok\":true.*\"peer\":\"$SPN_RE(@$REALM_RE)?\".*\"mutual\":true,\"mech\":\"krb5\".*\"granted_flags\":\"mutual,[^\"]*conf,integ\".*\"messages\":4" \
        cat "$2"
}
WIN_CLIENTS=(scpauth)

for profile in gss-sample sspi-sample; do
    L=$T/native-$profile.listen
    listen_start "$L" --json --keytab "$SVC_MYAPP_KEYTAB" --profile "$profile" --client-timeout 20000
    n=0
    for c in "${WIN_CLIENTS[@]}"; do
        out=$T/win-$c-$profile.out
        win_client_"$c" "$out" "$profile" "$SVC_HOST" "$LISTEN_PORT" "$MYAPP_SPN"
        expect_eq "$c.exe -> native listen ($profile): exit 0" 0 $?
        n=$((n + 1))
        # sspi-sample: the service also seals each message back and the
        # client compares it with what it sent: sealing both ways.
        expect_match "$c.exe -> native listen ($profile): alice, mutual, 4 messages unsealed" \
            "\"ok\":true,\"client_principal\":\"alice@$REALM_RE\",\"service_principal\":\"$SPN_RE@$REALM_RE\",\"mutual\":true,\"mech\":\"krb5\".*\"messages\":4" \
            listen_line "$L" $n
        ! declare -F win_check_"$c" >/dev/null || win_check_"$c" "$c.exe -> native listen ($profile)" "$out"
    done
    bg_stop "$LISTEN_PID"
done

# MIT's gss-server prints what it unsealed: the exact texts, in order.
GSS_PORT=4461
bg "$T/gss-server.log" in_ns env KRB5_KTNAME="$SVC_MYAPP_KEYTAB" gss-server -port "$GSS_PORT" \
    "myapp@$SVC_HOST"
GSS_PID=$BG_PID
wait_match "$T/gss-server.log" '^starting' 100
win_as alice "$WIN_SCPAUTH" connect "$SVC_HOST" "$GSS_PORT" "$MYAPP_SPN" --json --timeout 20000 \
    --message "$MSG1" --message "$MSG2" >"$T/win-to-mit.out" 2>&1
expect_eq "scpauth.exe -> MIT gss-server: exit 0 (2 MICs from gss_get_mic verified)" 0 $?
expect_ok "gss-server accepted alice, unsealed both texts as sent, got the closing NOOP" bash -c \
    'grep -q "^Accepted connection: \"alice@" "$1" &&
     grep -A1 "^Received message: \"$2\"" "$1" | grep -q "^Received message: \"$3\"" &&
     grep -q "^NOOP token" "$1"' _ "$T/gss-server.log" "$MSG1" "$MSG2"
bg_stop "$GSS_PID"

# A password logon, no ticket cache: Wine's SSPI gets alice's tickets itself.
listen_start "$T/native-pw.listen" --json --keytab "$SVC_MYAPP_KEYTAB"
KRB5CCNAME=FILE:$T/none.ccache SCPAUTH_PASSWORD=$ALICE_PASS in_ns wine "$WIN_SCPAUTH" connect \
    "$SVC_HOST" "$LISTEN_PORT" "$MYAPP_SPN" --user "alice@$REALM" --password --json \
    --timeout 20000 --message "$MSG1" >"$T/win-pw.out" 2>&1
expect_eq "scpauth.exe connect --user alice --password (no ccache) -> native listen: exit 0" 0 $?
expect_match "... scpauth.exe: mutual, local name alice@$REALM, 1 message" \
    "^\\{\"ok\":true.*\"local_name\":\"alice@$REALM_RE\",\"mutual\":true.*\"messages\":1" cat "$T/win-pw.out"
expect_match "... the native service saw alice, mutual, 1 message" \
    "\"ok\":true,\"client_principal\":\"alice@$REALM_RE\".*\"mutual\":true.*\"messages\":1" \
    listen_line "$T/native-pw.listen" 1
bg_stop "$LISTEN_PID"

# ---- native clients -> the Windows service --------------------------------
# wine_listen_start LOG ARGS...: scpauth.exe listen --json on a free port
# with the service's keytab; sets WLISTEN_PID, WLISTEN_PORT.
wine_listen_start() {
    local log=$1; shift
    bg "$log" in_ns env KRB5_KTNAME="$SVC_MYAPP_KEYTAB" wine "$WIN_SCPAUTH" listen --port 0 \
        --json --client-timeout 20000 "$@"
    WLISTEN_PID=$BG_PID WLISTEN_PORT=
    if ! wait_match "$log" '"event":"listening"' 600; then
        echo "# scpauth.exe listen did not start:"; sed 's/^/#   /' "$log"
        return 1
    fi
    WLISTEN_PORT=$(sed -nE 's/.*"event":"listening".*"port":([0-9]+).*/\1/p' "$log" | head -1)
}

for profile in gss-sample sspi-sample; do
    W=$T/wine-$profile.listen
    wine_listen_start "$W" --profile "$profile"
    expect_ok "scpauth.exe listen ($profile) under Wine says which port" test -n "$WLISTEN_PORT"
    n=0
    as alice "$SCPAUTH" connect "$SVC_HOST" "$WLISTEN_PORT" "$MYAPP_SPN" --profile "$profile" --json \
        --message "$MSG1" --message "$MSG2" --count 2 >"$T/to-wine-$profile.json" 2>&1
    expect_eq "native connect -> scpauth.exe listen ($profile): exit 0" 0 $?
    log_handshake_ms "$T/to-wine-$profile.json"
    expect_match "native connect verified the Windows service: mutual, the SPN, 4 MICs" \
        "^\\{\"ok\":true.*\"peer\":\"$SPN_RE@$REALM_RE\",\"local_name\":\"alice@$REALM_RE\",\"mutual\":true,\"mech\":\"krb5\",\"enctype\":\"aes256-cts-hmac-sha1-96\".*\"messages\":4" \
        cat "$T/to-wine-$profile.json"
    n=$((n + 1))
    # Wine has no SECPKG_ATTR_NAMES: the client's name stays empty there.
    expect_match "scpauth.exe listen ($profile): mutual, 4 messages unsealed and answered" \
        '"ok":true,.*"mutual":true,"mech":"krb5".*"granted_flags":"mutual,[^"]*conf,integ".*"messages":4' \
        listen_line "$W" $n

    # A bad message after a good one: refused, the client named, next served.
    # Wine reports a replayed token as SEC_E_INVALID_TOKEN (it maps MIT's
    # GSS_S_DUPLICATE_TOKEN so): EBADSIG there, EREPLAY on Windows.
    for bad in tamper:EBADSIG replay:'(EREPLAY|EBADSIG)' reorder:ESEQUENCE; do
        opt=${bad%%:*} code=${bad#*:}
        as alice "$SCPAUTH" connect "$SVC_HOST" "$WLISTEN_PORT" "$MYAPP_SPN" --profile "$profile" \
            --json --"$opt" --count 1 >"$T/$opt-$profile.json" 2>&1
        n=$((n + 1))
        expect_match "scpauth.exe listen ($profile): a $opt message is refused with SCPAUTH_$code, client named" \
            "\"ok\":false,.*\"messages\":1,\"error\":\\{\"code\":\"SCPAUTH_$code\",\"message\":\"[^\"]*client 127\\.0\\.0\\.1:[0-9]+" \
            listen_line "$W" $n
        as alice "$SCPAUTH" connect "$SVC_HOST" "$WLISTEN_PORT" "$MYAPP_SPN" --profile "$profile" \
            --count 1 >"$T/after-$opt-$profile.out" 2>&1
        expect_eq "... and the next client after --$opt is served (exit 0)" 0 $?
        n=$((n + 1))
        expect_match "... (the Windows service says ok for it)" '"ok":true' listen_line "$W" $n
    done

    # Wine on both ends: SSPI seals and unseals SSPI's own tokens.
    for c in "${WIN_CLIENTS[@]}"; do
        out=$T/win-$c-wine-$profile.out
        win_client_"$c" "$out" "$profile" "$SVC_HOST" "$WLISTEN_PORT" "$MYAPP_SPN"
        expect_eq "$c.exe -> scpauth.exe listen ($profile): exit 0" 0 $?
        n=$((n + 1))
        expect_match "$c.exe -> scpauth.exe listen ($profile): mutual, 4 messages" \
            '"ok":true,.*"mutual":true,"mech":"krb5".*"messages":4' listen_line "$W" $n
        ! declare -F win_check_"$c" >/dev/null || win_check_"$c" "$c.exe -> scpauth.exe listen ($profile)" "$out"
    done
    bg_stop "$WLISTEN_PID"
done

# MIT's gss-client verifies a MIC over each text it sent: the Windows
# service unsealed exactly those bytes.
wine_listen_start "$T/wine-mit.listen"
as alice gss-client -port "$WLISTEN_PORT" -mcount 3 "$SVC_HOST" "myapp@$SVC_HOST" "$MSG2" \
    >"$T/mit-to-wine.out" 2>&1
expect_eq "MIT gss-client -> scpauth.exe listen: 3 MICs over the sent text verified" 3 \
    "$(grep -c '^Signature verified' "$T/mit-to-wine.out")"
expect_match "scpauth.exe listen: gss-client's session ok, 3 messages" '"ok":true,.*"messages":3' \
    listen_line "$T/wine-mit.listen" 1
as alice gss-client -port "$WLISTEN_PORT" -nx "$SVC_HOST" "myapp@$SVC_HOST" "integrity only" \
    >"$T/mit-nx.out" 2>&1
expect_match "an integrity-only wrap token (gss-client -nx) is unwrapped and refused: ENOTSEALED" \
    '"ok":false,.*"code":"SCPAUTH_ENOTSEALED","message":"message 1 from client 127\.0\.0\.1:[0-9]+: [^"]*not encrypted' \
    listen_line "$T/wine-mit.listen" 2
expect_ok "scpauth.exe listen is still running" kill -0 "$WLISTEN_PID"
bg_stop "$WLISTEN_PID"

itest_done
