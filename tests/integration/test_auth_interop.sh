#!/bin/bash
# test_auth_interop.sh - scpauth's gss-sample profile against MIT's own
# sample programs (package krb5-gss-samples), both ways: gss-client ->
# scpauth listen and scpauth connect -> gss-server. Also what scpauth refuses
# and MIT's gss-server does not: a client without mutual authentication, an
# NTLM client (gss-ntlmssp), an unauthenticated session. SPNEGO that
# negotiates Kerberos is accepted.
. "$(dirname "$0")/lib.sh"
T=$ITEST_TMP
REALM_RE=${REALM//./\\.}
NTLM_OID='{ 1 3 6 1 4 1 311 2 2 10 }'   # gss-ntlmssp's mechanism

# gss_client OUT ARGS...: MIT's gss-client as alice against the listener.
gss_client() {
    local out=$1; shift
    as alice gss-client -port "$LISTEN_PORT" "$@" "$SVC_HOST" "myapp@$SVC_HOST" \
        "hello from MIT gss-client" >"$out" 2>&1
}

# --- MIT gss-client -> scpauth listen ---
L=$T/listen.log
listen_start "$L" --json --keytab "$SVC_MYAPP_KEYTAB"
n=0
expect_ok "gss-client -> scpauth listen: gss-client verifies the service's MIC" \
    gss_client "$T/mit1.out"
expect_ok "gss-client saw a mutual context and 'Signature verified.'" \
    grep -q 'context flag: GSS_C_MUTUAL_FLAG' "$T/mit1.out"
n=$((n + 1))
expect_match "scpauth listen: client alice, mutual, krb5, one message" \
    "\"ok\":true,\"client_principal\":\"alice@$REALM_RE\".*\"mutual\":true,\"mech\":\"krb5\".*\"messages\":1" \
    client_line "$L" $n

gss_client "$T/mit2.out" -mcount 3 -seq
expect_eq "gss-client -mcount 3 -seq: three MICs verified" 3 \
    "$(grep -c '^Signature verified' "$T/mit2.out")"
n=$((n + 1))
expect_match "scpauth listen: three messages, sequence flag granted" \
    '"ok":true.*"granted_flags":"mutual,replay,sequence,conf,integ".*"messages":3' client_line "$L" $n

expect_ok "gss-client -spnego -> scpauth listen" gss_client "$T/mit3.out" -spnego
n=$((n + 1))
expect_match "scpauth listen reports SPNEGO that negotiated Kerberos" \
    "\"ok\":true,\"client_principal\":\"alice@$REALM_RE\".*\"mech\":\"spnego/krb5\"" client_line "$L" $n

# --- refusals, each followed by a good client ---
gss_client "$T/mit-nomutual.out" -nomutual
n=$((n + 1))
expect_match "gss-client -nomutual is refused: ENOMUTUAL naming alice" \
    "\"code\":\"SCPAUTH_ENOMUTUAL\",\"message\":\"client [0-9.]+:[0-9]+: client alice@$REALM_RE did not request mutual" \
    client_line "$L" $n
expect_ok "... and the next gss-client is served" gss_client "$T/mit-after-nomutual.out"
n=$((n + 1))
expect_match "... (listen says ok for it)" '"ok":true' client_line "$L" $n

printf 'EXAMPLE:alice:%s\n' "$ALICE_PASS" >"$T/ntlm-users"
as alice env NTLM_USER_FILE="$T/ntlm-users" gss-client -port "$LISTEN_PORT" -mech "$NTLM_OID" \
    -user 'EXAMPLE\alice' "$SVC_HOST" "myapp@$SVC_HOST" "hello over NTLM" >"$T/ntlm.out" 2>&1
expect_ok "the NTLM (gss-ntlmssp) gss-client fails against scpauth listen" \
    bash -c '! grep -q "Signature verified" "$1"' _ "$T/ntlm.out"
n=$((n + 1))
expect_match "an NTLM client is refused with EMECH: only Kerberos is accepted" \
    '"code":"SCPAUTH_EMECH","message":"client [0-9.]+:[0-9]+: refused an NTLM token[^"]*only Kerberos is accepted' \
    client_line "$L" $n
as alice env NTLM_USER_FILE="$T/ntlm-users" gss-client -port "$LISTEN_PORT" -spnego -mech "$NTLM_OID" \
    -user 'EXAMPLE\alice' "$SVC_HOST" "myapp@$SVC_HOST" "NTLM inside SPNEGO" >"$T/ntlm2.out" 2>&1
n=$((n + 1))
expect_match "SPNEGO offering only NTLM is refused with EMECH naming Kerberos" \
    '"code":"SCPAUTH_EMECH","message":"client [0-9.]+:[0-9]+: [^"]*NTLM[^"]*Kerberos' client_line "$L" $n

as alice gss-client -port "$LISTEN_PORT" -na "$SVC_HOST" "myapp@$SVC_HOST" "anonymous" \
    >"$T/na.out" 2>&1
n=$((n + 1))
expect_match "an unauthenticated session (gss-client -na) is refused with EAUTH" \
    '"code":"SCPAUTH_EAUTH","message":"client [0-9.:]+ asked for an unauthenticated session' \
    client_line "$L" $n

expect_ok "after every refusal scpauth listen still serves gss-client" gss_client "$T/mit-last.out"
expect_ok "scpauth listen is still running" kill -0 "$LISTEN_PID"
bg_stop "$LISTEN_PID"

# --- scpauth connect -> MIT gss-server (keytab from KRB5_KTNAME: MIT's sample) ---
GSS_PORT=4460
bg "$T/gss-server.log" as alice env KRB5_KTNAME="$SVC_MYAPP_KEYTAB" gss-server -port "$GSS_PORT" \
    "myapp@$SVC_HOST"
GSS_PID=$BG_PID
wait_match "$T/gss-server.log" '^starting' 100
as alice "$SCPAUTH" connect "$SVC_HOST" "$GSS_PORT" "$MYAPP_SPN" --json \
    --message "hello gss-server" --message "second message" >"$T/to-mit.json" 2>&1
expect_eq "scpauth connect -> gss-server: exit 0" 0 $?
log_handshake_ms "$T/to-mit.json"
expect_match "scpauth connect verified gss-server: mutual, krb5, the SPN, 2 MICs" \
    "\"ok\":true.*\"peer\":\"${MYAPP_SPN//./\\.}@$REALM_RE\",\"local_name\":\"alice@$REALM_RE\",\"mutual\":true,\"mech\":\"krb5\".*\"messages\":2" \
    cat "$T/to-mit.json"
expect_ok "gss-server received our closing NOOP" wait_match "$T/gss-server.log" '^NOOP token'
expect_ok "gss-server accepted alice and unsealed both messages" bash -c \
    'grep -q "^Accepted connection: \"alice@" "$1" && grep -q "^Received message: \"hello gss-server\"" "$1" &&
     grep -q "^Received message: \"second message\"" "$1"' _ "$T/gss-server.log"

# MIT's gss-server accepts a client without mutual authentication (scpauth
# listen refused it above): shown, not endorsed.
gss_client_mit() { as alice gss-client -port "$GSS_PORT" "$@" "$SVC_HOST" "myapp@$SVC_HOST" "nomutual"; }
expect_ok "MIT gss-server accepts gss-client -nomutual (scpauth listen does not)" \
    gss_client_mit -nomutual
as alice "$SCPAUTH" connect "$SVC_HOST" "$GSS_PORT" "$MYAPP_SPN" --no-mutual >"$T/to-mit-nm.out" 2>&1
expect_match "scpauth connect --no-mutual to gss-server says loudly that mutual is off" \
    'mutual: +NO \(--no-mutual: the service did NOT prove its identity\)' cat "$T/to-mit-nm.out"
expect_ok "gss-server is still running" kill -0 "$GSS_PID"
bg_stop "$GSS_PID"

itest_done
