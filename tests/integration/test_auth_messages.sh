#!/bin/bash
# test_auth_messages.sh - sealed and signed messages between `scpauth connect`
# and `scpauth listen`, in both wire profiles (gss-sample: the client seals,
# the service signs; sspi-sample: the client seals, the service seals its
# reply and signs it). A misbehaving client (hidden options --tamper,
# --replay, --reorder, --truncate) sends a bad message after a good one: the
# service must reject each with its own error, name the client, and go on
# serving the next client.
. "$(dirname "$0")/lib.sh"
T=$ITEST_TMP
REALM_RE=${REALM//./\\.}

for profile in gss-sample sspi-sample; do
    L=$T/$profile.listen
    listen_start "$L" --json --keytab "$SVC_MYAPP_KEYTAB" --profile "$profile" --client-timeout 3000
    n=0
    connect() { # OUT ARGS...: one client as alice, --json, this profile
        local out=$1; shift
        as alice "$SCPAUTH" connect "$SVC_HOST" "$LISTEN_PORT" "$MYAPP_SPN" --profile "$profile" \
            --json "$@" >"$out" 2>&1
    }

    connect "$T/$profile.good" --message "first message" --message "second, longer message" --count 3
    expect_ok "$profile: 6 sealed messages, each answered with a verified MIC" \
        grep -Eq '"ok":true.*"round_trips":\[([0-9.]+,){5}[0-9.]+\].*"messages":6' "$T/$profile.good"
    n=$((n + 1))
    expect_match "$profile: the service unsealed all 6 from alice" \
        "\"ok\":true,\"client_principal\":\"alice@$REALM_RE\".*\"messages\":6" client_line "$L" $n
    log_handshake_ms "$T/$profile.good"

    for bad in tamper:EBADSIG replay:EREPLAY reorder:ESEQUENCE truncate:ETRUNCATED; do
        opt=${bad%%:*} code=${bad#*:}
        connect "$T/$profile.$opt" --"$opt" --count 1
        expect_ok "$profile: --$opt client sees the service hang up on its bad message" \
            grep -Eq '"ok":true.*"messages":1,"bad_message":"(sent; the service hung up|half a frame)' \
            "$T/$profile.$opt"
        n=$((n + 1))
        expect_match "$profile: a $opt message is rejected with SCPAUTH_$code, naming the client" \
            "\"ok\":false,\"client_principal\":\"alice@$REALM_RE\".*\"messages\":1,\"error\":\\{\"code\":\"SCPAUTH_$code\",\"message\":\"[^\"]*(client|127\\.0\\.0\\.1:[0-9]+)" \
            client_line "$L" $n
        connect "$T/$profile.after-$opt"
        n=$((n + 1))
        expect_match "$profile: the next good client after --$opt is served" \
            "\"ok\":true,\"client_principal\":\"alice@$REALM_RE\".*\"messages\":1" client_line "$L" $n
        log_handshake_ms "$T/$profile.after-$opt"
    done
    expect_ok "$profile: the service is still running" kill -0 "$LISTEN_PID"
    bg_stop "$LISTEN_PID"
done

# gss-sample: an integrity-only (unencrypted) or cleartext message is refused:
# the service requires confidentiality. MIT's gss-client can send both.
listen_start "$T/clear.listen" --json --keytab "$SVC_MYAPP_KEYTAB"
as alice gss-client -q -port "$LISTEN_PORT" -nx "$SVC_HOST" "myapp@$SVC_HOST" "wrapped, not encrypted" \
    >"$T/nx.out" 2>&1
expect_match "gss-client -nx (integrity-only wrap) is refused with ENOTSEALED" \
    '"code":"SCPAUTH_ENOTSEALED"' client_line "$T/clear.listen" 1
as alice gss-client -q -port "$LISTEN_PORT" -nw "$SVC_HOST" "myapp@$SVC_HOST" "in the clear" \
    >"$T/nw.out" 2>&1
expect_match "gss-client -nw (cleartext) is refused with ENOTSEALED naming the client" \
    '"code":"SCPAUTH_ENOTSEALED","message":"client [0-9.]+:[0-9]+ sent message 1 in the clear' \
    client_line "$T/clear.listen" 2
bg_stop "$LISTEN_PID"

itest_done
