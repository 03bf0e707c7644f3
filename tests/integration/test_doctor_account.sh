#!/bin/bash
# test_doctor_account.sh - `scpauth doctor` on broken accounts: an SPN no
# account holds (and a duplicate, which Samba's DC refuses to store), an
# account without AES in msDS-SupportedEncryptionTypes (the KDC then issues
# RC4 tickets, which the ticket check shows), and a keytab left behind by a
# password change (the kvno moved on). Accounts made here are removed.
. "$(dirname "$0")/doctor_lib.sh"
RC4=svc-doc-rc4 RC4_SPN=docrc4/$SVC_HOST
KV=svc-doc-kvno KV_SPN=dockvno/$SVC_HOST
cleanup() {
    in_ns samba-tool user delete "$RC4" -s "$SMBCONF" >/dev/null 2>&1
    in_ns samba-tool user delete "$KV" -s "$SMBCONF" >/dev/null 2>&1
}
cleanup   # left by an aborted run
trap 'cleanup; _itest_cleanup' EXIT
ldap_as_admin() { as admin ldapmodify -Q -Y GSSAPI -H "ldap://$DC_HOST" >"$T/ldapmodify.out" 2>&1; }

# --- SPN on no account ---
NOSPN=myapp/nowhere.$DNSDOMAIN
doctor_json "$T/nospn.json" alice "$NOSPN"
expect_eq "an SPN nobody holds: exit 1" 1 "$DOCTOR_RC"
expect_eq "... spn is the problem, enctypes skipped, no ticket either" "problem skipped problem" \
    "$(status "$T/nospn.json" spn) $(status "$T/nospn.json" enctypes) $(status "$T/nospn.json" ticket)"
expect_match "... registered on no account" "SPN ${NOSPN//./\\.} is registered on no account" \
    field "$T/nospn.json" spn detail
expect_match "... fix: the command that registers it" "scpauth spn add --account ACCOUNT ${NOSPN//./\\.}" \
    field "$T/nospn.json" spn fix
expect_match "... the ticket check: the KDC does not know it" '(not found|unknown|ENOSPN)' \
    field "$T/nospn.json" ticket detail

# --- SPN on two accounts: the DC itself refuses the second (rc 19) ---
printf 'dn: CN=bob,CN=Users,%s\nchangetype: modify\nadd: servicePrincipalName\nservicePrincipalName: %s\n' \
    "$BASEDN" "$MYAPP_SPN" | ldap_as_admin
expect_eq "a duplicate of $MYAPP_SPN on bob (ldapmodify as admin): the DC refuses it, rc 19" "19" \
    "$(grep -o 'Constraint violation (19)' "$T/ldapmodify.out" | grep -o 19)"
doctor_json "$T/one.json" alice "$MYAPP_SPN"
expect_match "... so the doctor still finds exactly one account" 'exactly one account: svc-myapp' \
    field "$T/one.json" spn detail

# --- account without AES ---
in_ns samba-tool user create "$RC4" 'Rc4-Passw0rd!1' -s "$SMBCONF" >"$T/rc4.out" 2>&1
printf 'dn: CN=%s,CN=Users,%s\nchangetype: modify\nreplace: msDS-SupportedEncryptionTypes\nmsDS-SupportedEncryptionTypes: 4\n-\nadd: servicePrincipalName\nservicePrincipalName: %s\n' \
    "$RC4" "$BASEDN" "$RC4_SPN" | ldap_as_admin
expect_eq "setup: $RC4 with msDS-SupportedEncryptionTypes 4 and SPN $RC4_SPN (ldapsearch)" "4 $RC4_SPN" \
    "$(as admin ldapsearch -Q -LLL -Y GSSAPI -H "ldap://$DC_HOST" -b "CN=$RC4,CN=Users,$BASEDN" -s base \
        msDS-SupportedEncryptionTypes servicePrincipalName 2>/dev/null |
        sed -n 's/^msDS-SupportedEncryptionTypes: //p; s/^servicePrincipalName: //p' | paste -sd' ')"
doctor_json "$T/rc4.json" alice "$RC4_SPN"
expect_eq "RC4-only account: exit 1, enctypes problem" "1 problem" "$DOCTOR_RC $(status "$T/rc4.json" enctypes)"
expect_match "... explains: no AES, the KDC issues RC4 tickets" \
    "msDS-SupportedEncryptionTypes of $RC4 is 4 \\(RC4-HMAC\\): no AES, so the KDC issues RC4-HMAC service tickets" \
    field "$T/rc4.json" enctypes detail
expect_match "... fix: set it to 24" 'set msDS-SupportedEncryptionTypes=24' field "$T/rc4.json" enctypes fix
expect_eq "... the ticket check sees the RC4 ticket: warn" warn "$(status "$T/rc4.json" ticket)"
expect_match "... ticket enctype rc4-hmac" 'ticket enctype rc4-hmac' field "$T/rc4.json" ticket detail

printf 'dn: CN=%s,CN=Users,%s\nchangetype: modify\ndelete: msDS-SupportedEncryptionTypes\n' \
    "$RC4" "$BASEDN" | ldap_as_admin
doctor_json "$T/unset.json" alice "$RC4_SPN"
expect_match "msDS-SupportedEncryptionTypes unset: a problem, the default explained" \
    "is not set on $RC4: the KDC then assumes the domain default" field "$T/unset.json" enctypes detail

# --- stale keytab: exported, then the password changed ---
in_ns samba-tool user create "$KV" 'Kvno-Passw0rd!1' -s "$SMBCONF" >"$T/kv.out" 2>&1 &&
    printf 'dn: CN=%s,CN=Users,%s\nchangetype: modify\nreplace: msDS-SupportedEncryptionTypes\nmsDS-SupportedEncryptionTypes: 24\n-\nadd: servicePrincipalName\nservicePrincipalName: %s\n' \
        "$KV" "$BASEDN" "$KV_SPN" | ldap_as_admin &&
    in_ns samba-tool user setpassword "$KV" --newpassword='Kvno-Passw0rd!2' -s "$SMBCONF" >>"$T/kv.out" 2>&1 &&
    in_ns samba-tool domain exportkeytab "$T/kv.keytab" --principal="$KV_SPN" -s "$SMBCONF" >>"$T/kv.out" 2>&1
expect_ok "setup: $KV with AES, SPN $KV_SPN, keytab exported" test -s "$T/kv.keytab"
doctor_json "$T/kvok.json" admin "$KV_SPN" --keytab "$T/kv.keytab"
expect_eq "fresh keytab: keytab ok, exit 0" "ok 0" "$(status "$T/kvok.json" keytab) $DOCTOR_RC"
kvno() {
    as admin ldapsearch -Q -LLL -Y GSSAPI -H "ldap://$DC_HOST" -b "CN=$KV,CN=Users,$BASEDN" -s base \
        msDS-KeyVersionNumber 2>/dev/null | sed -n 's/^msDS-KeyVersionNumber: //p'
}
K1=$(kvno)
cp "$STATE/alice.ccache" "$T/alice.ccache"   # alice's tickets stay as they were
alice_doctor() { KRB5CCNAME=FILE:$T/alice.ccache in_ns "$SCPAUTH" doctor --json "$@" 2>/dev/null; }
alice_doctor "$KV_SPN" >"$T/tk1.json"
expect_match "alice's service ticket for $KV_SPN: kvno $K1, ok" \
    "ok service key kvno $K1," bash -c 'echo "$1 $2"' _ "$(status "$T/tk1.json" ticket)" \
    "$(field "$T/tk1.json" ticket detail | sed 's/.*ticket enctype [^,]*, //')"
in_ns samba-tool user setpassword "$KV" --newpassword='Kvno-Passw0rd!3' -s "$SMBCONF" >>"$T/kv.out" 2>&1
K2=$(kvno)
expect_eq "setpassword moved the kvno on (ldapsearch)" "$((K1 + 1))" "$K2"
doctor_json "$T/stale.json" admin "$KV_SPN" --keytab "$T/kv.keytab"
expect_eq "stale keytab: exit 1, keytab problem EKVNO" "1 problem SCPAUTH_EKVNO" \
    "$DOCTOR_RC $(status "$T/stale.json" keytab) $(field "$T/stale.json" keytab code)"
expect_match "... names both versions" \
    "holds ${KV_SPN//./\\.} at kvno $K1, but the directory says the account's key is at kvno $K2" \
    field "$T/stale.json" keytab detail
expect_match "... fix: export again" 'export the account.s current keys' field "$T/stale.json" keytab fix
alice_doctor "$KV_SPN" >"$T/tk2.json"
expect_eq "... after the password change her cached ticket is for the old key: warn" warn \
    "$(status "$T/tk2.json" ticket)"
expect_match "... naming both kvnos" "service key kvno $K1, .*the directory's key is at kvno $K2" \
    field "$T/tk2.json" ticket detail
expect_match "... fix: get a fresh ticket" 'kdestroy' field "$T/tk2.json" ticket fix
doctor_json "$T/wrongspn.json" admin "$MYAPP_SPN" --keytab "$T/kv.keytab"
expect_match "a keytab without the SPN: problem naming what it holds" \
    "has no key for ${MYAPP_SPN//./\\.} \\(it holds: ${KV_SPN//./\\.}@$REALM \\(kvno $K1\\)\\)" \
    field "$T/wrongspn.json" keytab detail
doctor_json "$T/nokt.json" admin "$MYAPP_SPN" --keytab "$T/missing.keytab"
expect_match "a missing keytab: problem naming the file" "keytab .*missing\\.keytab" \
    field "$T/nokt.json" keytab detail

itest_done
