#!/bin/bash
# test_auth_errors.sh - what `scpauth connect` and `scpauth listen` say when
# authentication cannot work: each failure has its own code and exit status,
# a message naming the object (SPN, keytab, ccache, principal, host:port)
# and a hint. SPN registered nowhere, keytab lacking the key, a keytab made
# stale by a password reset (kvno), no ccache, an expired ccache, a wrong
# password, an unreachable KDC (within a bounded time), nothing listening.
. "$(dirname "$0")/lib.sh"
T=$ITEST_TMP
SPN_NOWHERE=myapp/nowhere.$DNSDOMAIN

# --- SPN registered nowhere: fails before connecting (nothing listens on 9) ---
as alice "$SCPAUTH" connect "$SVC_HOST" 9 "$SPN_NOWHERE" >"$T/nospn.out" 2>&1
expect_eq "unknown SPN: exit 4 (not found), not a network error" 4 $?
expect_file_match "unknown SPN: ENOSPN; message names the SPN; hint says register it" "$T/nospn.out" \
    'SCPAUTH_ENOSPN' "^scpauth connect: .*${SPN_NOWHERE//./\\.}" "hint: .*register.*${SPN_NOWHERE//./\\.}"

# --- keytab lacking the key: the computer's keytab restricted to myapp/ ---
in_ns "$SCPAUTH" listen --keytab "$SVCHOST1_KEYTAB" --principal "$MYAPP_SPN" --port 0 \
    >"$T/nokey.out" 2>&1
expect_eq "listen with a keytab lacking the SPN's key: exit 3" 3 $?
expect_file_match "... EKEYTAB naming the keytab and the SPN, hint to export the keys" "$T/nokey.out" \
    'SCPAUTH_EKEYTAB' "keytab ${SVCHOST1_KEYTAB//./\\.} for ${MYAPP_SPN//./\\.}" 'hint: .*export' 
in_ns "$SCPAUTH" listen --keytab "$T/missing.keytab" --port 0 >"$T/nokt.out" 2>&1
expect_eq "listen with a keytab that does not exist: exit 3" 3 $?
expect_file_match "... EKEYTAB naming the missing keytab" "$T/nokt.out" \
    'SCPAUTH_EKEYTAB' "${T//./\\.}/missing\\.keytab"

# --- stale keytab: export, then reset the account's password (kvno moves on) ---
KVNO_SPN=kvno/$SVC_HOST
in_ns samba-tool user delete svc-kvno -s "$SMBCONF" >/dev/null 2>&1   # left by an aborted run
in_ns samba-tool user create svc-kvno 'Kvno-Passw0rd!1' -s "$SMBCONF" >"$T/kvno-setup.out" 2>&1 &&
    in_ns samba-tool spn add "$KVNO_SPN" svc-kvno -s "$SMBCONF" >>"$T/kvno-setup.out" 2>&1 &&
    printf 'dn: CN=svc-kvno,CN=Users,%s\nchangetype: modify\nreplace: msDS-SupportedEncryptionTypes\nmsDS-SupportedEncryptionTypes: 24\n' \
        "$BASEDN" | in_ns ldapmodify -Q >>"$T/kvno-setup.out" 2>&1 &&
    in_ns samba-tool domain exportkeytab "$T/kvno.keytab" --principal="$KVNO_SPN" -s "$SMBCONF" \
        >>"$T/kvno-setup.out" 2>&1
expect_ok "setup: account svc-kvno with $KVNO_SPN and its exported keytab" \
    in_ns klist -k "$T/kvno.keytab"
expect_ok "setup: the account's password is reset (the keytab is now stale)" \
    in_ns samba-tool user setpassword svc-kvno --newpassword='Kvno-Passw0rd!2' -s "$SMBCONF"
cp "$STATE/alice.ccache" "$T/alice.ccache"   # keep alice's own ccache free of this ticket
listen_start "$T/kvno.listen" --once --keytab "$T/kvno.keytab"
in_ns env KRB5CCNAME="FILE:$T/alice.ccache" "$SCPAUTH" connect "$SVC_HOST" "$LISTEN_PORT" "$KVNO_SPN" \
    >"$T/kvno.connect" 2>&1
expect_eq "stale keytab: the client is refused (exit 6: the service hung up)" 6 $?
bg_wait "$LISTEN_PID"
expect_eq "stale keytab: listen --once exits 3" 3 "$BG_RC"
expect_file_match "stale keytab: EKVNO naming the keytab and the kvno, hint to re-export" \
    "$T/kvno.listen" "result=SCPAUTH_EKVNO .*keytab ${T//./\\.}/kvno\\.keytab.*kvno [0-9]+ not found" \
    'hint=".*re-export the keytab' 
expect_match "stale keytab: the client is told the service hung up" \
    'closed the connection while we waited for a handshake token' cat "$T/kvno.connect"
in_ns samba-tool user delete svc-kvno -s "$SMBCONF" >/dev/null 2>&1

# --- no ccache ---
in_ns env KRB5CCNAME="FILE:$T/no-such.ccache" "$SCPAUTH" connect "$SVC_HOST" 9 "$MYAPP_SPN" \
    >"$T/nocc.out" 2>&1
expect_eq "no ccache: exit 3" 3 $?
expect_file_match "no ccache: ENOCREDS naming the ccache, hint kinit" "$T/nocc.out" \
    'SCPAUTH_ENOCREDS' "ccache FILE:${T//./\\.}/no-such\\.ccache" 'hint: run kinit' 
as alice "$SCPAUTH" connect "$SVC_HOST" 9 "$MYAPP_SPN" --ccache "FILE:$T/other.ccache" \
    >"$T/nocc2.out" 2>&1
expect_file_match "--ccache that does not exist: ENOCREDS naming it" "$T/nocc2.out" \
    'SCPAUTH_ENOCREDS' "ccache FILE:${T//./\\.}/other\\.ccache"

# --- expired ccache: a 2-second TGT, used 3 s later ---
printf '%s\n' "$ALICE_PASS" | in_ns env KRB5CCNAME="FILE:$T/short.ccache" kinit -l 2s alice \
    >/dev/null 2>&1
sleep 3
in_ns env KRB5CCNAME="FILE:$T/short.ccache" "$SCPAUTH" connect "$SVC_HOST" 9 "$MYAPP_SPN" \
    >"$T/expired.out" 2>&1
expect_eq "expired ccache: exit 3" 3 $?
expect_file_match "expired ccache: ECREDEXPIRED naming the ccache, hint kinit again" "$T/expired.out" \
    'SCPAUTH_ECREDEXPIRED' "ccache FILE:${T//./\\.}/short\\.ccache.*[Ee]xpired" 'hint: .*kinit again' 

# --- wrong password ---
printf 'not-the-password\n' >"$T/wrong.pw"
in_ns "$SCPAUTH" connect "$SVC_HOST" 9 "$MYAPP_SPN" --user alice --password-file "$T/wrong.pw" \
    >"$T/badpw.out" 2>&1
expect_eq "wrong password: exit 3" 3 $?
expect_file_match "wrong password: EBADPASSWORD naming alice, hint" "$T/badpw.out" \
    'SCPAUTH_EBADPASSWORD' 'cannot log in as alice' 'hint: check the password' 
expect_eq "wrong password: the password is not echoed" 0 "$(grep -c 'not-the-password' "$T/badpw.out")"

# --- KDC unreachable: the realm's KDC at 127.0.0.99, where nothing listens ---
sed -E 's/= *'"${DC_IP//./\\.}"'$/= 127.0.0.99/' "$KRB5_CONFIG" >"$T/badkdc.conf"
expect_ok "setup: krb5.conf with the KDC at 127.0.0.99" grep -q 'kdc = 127.0.0.99' "$T/badkdc.conf"
t0=$(date +%s%N)
KRB5_CONFIG=$T/badkdc.conf in_ns "$SCPAUTH" connect "$SVC_HOST" 9 "$MYAPP_SPN" --user alice \
    --password-file "$T/wrong.pw" >"$T/nokdc.out" 2>&1
rc=$?
ms=$((($(date +%s%N) - t0) / 1000000))
expect_eq "KDC unreachable: exit 6 (network/KDC)" 6 "$rc"
expect_file_match "KDC unreachable: EKDC naming the realm, hint about the KDC" "$T/nokdc.out" \
    'SCPAUTH_EKDC' "realm '${REALM//./\\.}'" 'hint: .*KDC' 
expect_ok "KDC unreachable: the answer came in ${ms} ms (bound 10000 ms)" test "$ms" -lt 10000
KRB5_CONFIG=$T/badkdc.conf as alice "$SCPAUTH" connect "$SVC_HOST" 9 "other/$SVC_HOST" \
    >"$T/nokdc2.out" 2>&1
expect_eq "KDC unreachable for a service ticket (TGT in hand): exit 6" 6 $?

# --- nothing listening at host:port ---
as alice "$SCPAUTH" connect "$SVC_HOST" 9 "$MYAPP_SPN" >"$T/refused.out" 2>&1
expect_eq "nothing listening: exit 6" 6 $?
expect_file_match "nothing listening: ECONNREFUSED naming host:port" "$T/refused.out" \
    'SCPAUTH_ECONNREFUSED' "${SVC_HOST//./\\.}:9"

# --- bad command lines ---
expect_exit "connect without an SPN: exit 2" 2 in_ns "$SCPAUTH" connect "$SVC_HOST" 9
expect_exit "listen without --port: exit 2" 2 in_ns "$SCPAUTH" listen --keytab "$SVC_MYAPP_KEYTAB"
expect_exit "a password login without --user: exit 2" 2 \
    in_ns "$SCPAUTH" connect "$SVC_HOST" 9 "$MYAPP_SPN" --password-file "$T/wrong.pw"
expect_exit "--keytab is not a client option: exit 2" 2 \
    in_ns "$SCPAUTH" connect "$SVC_HOST" 9 "$MYAPP_SPN" --keytab "$SVC_MYAPP_KEYTAB"

itest_done
