#!/bin/bash
# test_doctor_dc_clock.sh - `scpauth doctor` names an unreachable DC and a
# skewed clock (faketime shifts only the doctor's process): above the
# warning threshold a warning, above Kerberos' 5 minutes a problem, measured
# against the KDC's own time when the skew keeps the bind from working.
. "$(dirname "$0")/doctor_lib.sh"

# --- DC unreachable ---
t0=$(date +%s%N)
doctor_json "$T/nodc.json" alice "$MYAPP_SPN" --dc 127.0.0.99 --timeout 2000
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
echo "# doctor with an unreachable DC: $ms ms"
expect_eq "--dc 127.0.0.99: exit 1" 1 "$DOCTOR_RC"
expect_eq "... dc is the problem; the directory checks are skipped; clock from the KDC" \
    "creds=ok dc=problem clock=ok scp=skipped spn=skipped enctypes=skipped keytab=skipped ticket=ok" \
    "$(statuses "$T/nodc.json")"
expect_match "... dc names the address tried and why" '127\.0\.0\.99:389.*(refused|timed out)' \
    field "$T/nodc.json" dc detail
expect_match "... with a fix" '(port 389|--dc)' field "$T/nodc.json" dc fix
expect_match "... the clock measured against the KDC instead" \
    'off the KDC of EXAMPLE\.TEST \(time in its reply to an AS-REQ\)' field "$T/nodc.json" clock detail
expect_match "... spn says why it was skipped" 'no directory session \(see dc\)' \
    field "$T/nodc.json" spn detail
as alice "$SCPAUTH" doctor "$MYAPP_SPN" --dc 127.0.0.99 --timeout 2000 >"$T/nodc.txt" 2>&1
expect_file_match "text: the problem and its fix line" "$T/nodc.txt" '^  problem +dc +' \
    '^ +fix: ' '^1 problem\(s\), 0 warning\(s\)$'

# --- clock 10 minutes ahead: the bind fails, the KDC gives its time ---
as alice faketime -f +10m "$SCPAUTH" doctor --json "$MYAPP_SPN" >"$T/skew.json" 2>/dev/null
expect_eq "faketime +10m: exit 1" 1 $?
expect_eq "... clock is a problem (and the bind with it)" "problem problem" \
    "$(status "$T/skew.json" clock) $(status "$T/skew.json" dc)"
expect_match "... 600 s ahead of the KDC, Kerberos allows 300 s" \
    "clock is 600 s ahead of the KDC of EXAMPLE\\.TEST .*Kerberos allows 300 s.*KRB_AP_ERR_SKEW" \
    field "$T/skew.json" clock detail
expect_match "... fix: synchronise the clock" 'synchronise this host.s clock' \
    field "$T/skew.json" clock fix
expect_match "... code SCPAUTH_ESKEW" '^SCPAUTH_ESKEW$' field "$T/skew.json" clock code
expect_match "... dc: the DC's own words about the skew" '[Ss]kew' field "$T/skew.json" dc detail
expect_match "... skew_s about -600" '"skew_s":-(599|600|601)\.' cat "$T/skew.json"

as alice faketime -f -10m "$SCPAUTH" doctor --json "$MYAPP_SPN" >"$T/behind.json" 2>/dev/null
expect_match "faketime -10m: 600 s behind, a problem" 'clock is 600 s behind the KDC' \
    field "$T/behind.json" clock detail

# --- 90 s: the session works, currentTime shows the skew, a warning ---
as alice faketime -f +90s "$SCPAUTH" doctor --json "$MYAPP_SPN" >"$T/warn.json" 2>/dev/null
expect_eq "faketime +90s: exit 0 (a warning is no problem)" 0 $?
expect_eq "... clock warn, dc ok" "warn ok" "$(status "$T/warn.json" clock) $(status "$T/warn.json" dc)"
expect_match "... 90 s ahead of the DC's RootDSE currentTime" \
    'clock is (89|90|91) s ahead of DC dc1\.example\.test \(RootDSE currentTime\)' \
    field "$T/warn.json" clock detail
expect_match "... warnings 1" '"problems":0,"warnings":1' cat "$T/warn.json"
expect_eq "--skew-warn 120: no warning at 90 s" ok \
    "$(as alice faketime -f +90s "$SCPAUTH" doctor --json "$MYAPP_SPN" --skew-warn 120 \
        >"$T/w120.json" 2>/dev/null; status "$T/w120.json" clock)"

itest_done
