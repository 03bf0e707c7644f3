#!/bin/bash
# test_doctor_healthy.sh - `scpauth doctor` on the healthy harness: every
# check that applies is ok, on the service side (svc-myapp's keytab) and the
# client side (alice; by SPN and by SCP GUID), in text and JSON.
. "$(dirname "$0")/doctor_lib.sh"
G=$(cat /proc/sys/kernel/random/uuid)
trap 'as admin "$SCPAUTH" scp remove --state-file "$T/scp.state" >/dev/null 2>&1; _itest_cleanup' EXIT

expect_match "--help documents every check and --json" 'msDS-KeyVersionNumber' \
    "$SCPAUTH" doctor --help
expect_exit "no SPN and no GUID: usage error (exit 2)" 2 "$SCPAUTH" doctor
expect_exit "--keytab with --guid: usage error (exit 2)" 2 \
    "$SCPAUTH" doctor --keytab "$SVC_MYAPP_KEYTAB" --guid "$G"

# --- service side ---
doctor_json "$T/svc.json" admin "$MYAPP_SPN" --keytab "$SVC_MYAPP_KEYTAB"
expect_eq "service side: exit 0" 0 "$DOCTOR_RC"
expect_eq "service side: every check ok, scp and ticket skipped" \
    "creds=ok dc=ok clock=ok spn=ok enctypes=ok keytab=ok ticket=skipped" "$(statuses "$T/svc.json")"
expect_match "... dc names the DC, how it was found and the bind time" \
    'DC dc1\.example\.test:389 of example\.test \(DNS SRV\) bound as administrator@EXAMPLE\.TEST in [0-9.]+ ms' \
    field "$T/svc.json" dc detail
expect_match "... clock read from the RootDSE, within a second" \
    '(\+0|[+-]1) s off DC dc1\.example\.test \(RootDSE currentTime\)' field "$T/svc.json" clock detail
expect_match "... spn names its one owner" 'exactly one account: svc-myapp \(CN=svc-myapp,CN=Users,' \
    field "$T/svc.json" spn detail
expect_match "... enctypes 24 = AES128 + AES256" 'is 24 \(AES128-CTS-HMAC-SHA1-96, AES256-CTS-HMAC-SHA1-96\)' \
    field "$T/svc.json" enctypes detail
KVNO=$(as admin ldapsearch -Q -LLL -Y GSSAPI -H "ldap://$DC_HOST" -b "CN=svc-myapp,CN=Users,$BASEDN" \
    -s base msDS-KeyVersionNumber 2>/dev/null | sed -n 's/^msDS-KeyVersionNumber: //p')
expect_match "... keytab at the directory's kvno ($KVNO, per ldapsearch) with AES" \
    "holds $MYAPP_SPN at kvno $KVNO, the directory's, with .*aes256-cts-hmac-sha1-96" \
    field "$T/svc.json" keytab detail

as admin "$SCPAUTH" doctor "$MYAPP_PORT_SPN" --keytab "$SVC_MYAPP_KEYTAB" >"$T/svc.txt" 2>&1
expect_eq "text, the :4444 SPN: exit 0" 0 $?
expect_file_match "... one line per check and the summary, no fix line" "$T/svc.txt" \
    "^scpauth doctor: SPN ${MYAPP_PORT_SPN//./\\.} \\(service side\\)" '^  ok +keytab ' \
    '^  skipped +ticket +client side only' '^0 problem\(s\), 0 warning\(s\)$'
expect_eq "... and no fix line" 0 "$(grep -c 'fix:' "$T/svc.txt")"

# --- client side ---
doctor_json "$T/cli.json" alice "$MYAPP_SPN"
expect_eq "client side (alice): exit 0" 0 "$DOCTOR_RC"
expect_eq "client side: every check ok, scp and keytab skipped" \
    "creds=ok dc=ok clock=ok scp=skipped spn=ok enctypes=ok keytab=skipped ticket=ok" \
    "$(statuses "$T/cli.json")"
expect_match "... ticket: AES ticket and session key, the service key's kvno" \
    "ticket enctype aes256-cts-hmac-sha1-96, service key kvno $KVNO, session key aes" \
    field "$T/cli.json" ticket detail
expect_match "... JSON: ok true, the SPN, no problem, the skew" \
    '^\{"ok":true,"spn":"myapp/svchost1\.example\.test","problems":0,"warnings":0,"skew_s":' \
    cat "$T/cli.json"

expect_ok "setup: an SCP for myapp on svchost1 port 4444" \
    as admin "$SCPAUTH" scp publish --class myapp --port "$MYAPP_PORT" --keyword "$G" \
    --host "$SVC_HOST" --state-file "$T/scp.state"
doctor_json "$T/scp.json" alice --guid "$G"
expect_eq "client side by GUID: exit 0, the SPN taken from the SCP" "0 $MYAPP_PORT_SPN" \
    "$DOCTOR_RC $(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["spn"])' "$T/scp.json")"
expect_eq "... every check ok" \
    "creds=ok dc=ok clock=ok scp=ok spn=ok enctypes=ok keytab=skipped ticket=ok" \
    "$(statuses "$T/scp.json")"
expect_match "... scp: its DN, host, port, SPN, owner; trust checks passed" \
    "SCP CN=myapp-4444,CN=SVCHOST1,CN=Computers,$BASEDN found in [0-9.]+ ms: $SVC_HOST port 4444, SPN ${MYAPP_PORT_SPN//./\\.} owned by svc-myapp; trust checks passed" \
    field "$T/scp.json" scp detail
grep -o '"ms":[0-9.]*' "$T/svc.json" "$T/cli.json" "$T/scp.json" | sed 's/.*://' |
    awk '{s+=$1} END {printf "# doctor: three runs, %.1f ms in checks\n", s}'

itest_done
