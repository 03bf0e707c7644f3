#!/bin/bash
# test_spn_offline.sh - `scpauth spn make|crack|get`: SPN text without a
# directory (DsMakeSpn / DsCrackSpn / DsGetSpn semantics), text and --json
# output, usage errors (exit 2) and the help text's exit codes.
. "$(dirname "$0")/lib.sh"
T=$ITEST_TMP

"$SCPAUTH" spn make myapp "$SVC_HOST" --port 4444 >"$T/make.out" 2>&1
expect_eq "make: CLASS/HOST:PORT alone on a line" "myapp/$SVC_HOST:4444" "$(cat "$T/make.out")"
expect_eq "make --instance: three parts (DsMakeSpn InstanceName)" "ldap/dc1:389/$DNSDOMAIN" \
    "$("$SCPAUTH" spn make ldap "$DNSDOMAIN" --instance dc1 --port 389 2>&1)"
expect_eq "make --referrer: replaces an IPv4 service name" "http/web1/ref.$DNSDOMAIN" \
    "$("$SCPAUTH" spn make http 10.0.0.1 --instance web1 --referrer "ref.$DNSDOMAIN" 2>&1)"
expect_match "make --json: {\"spn\": ...}" "^\\{\"ok\":true,\"spn\":\"myapp/${SVC_HOST//./\\.}\"\\}$" \
    "$SCPAUTH" spn make myapp "$SVC_HOST" --json

"$SCPAUTH" spn crack --json "HTTP/web.$DNSDOMAIN:8080/svc.$DNSDOMAIN@$REALM" >"$T/crack.json" 2>&1
expect_file_match "crack --json: every part as a named field" "$T/crack.json" \
    '"class":"HTTP"' "\"host\":\"web\\.${DNSDOMAIN//./\\.}\"" '"port":8080' \
    '"instance_name":null' "\"service_name\":\"svc\\.${DNSDOMAIN//./\\.}\"" "\"realm\":\"$REALM\""
expect_match "crack (text): port line" '^port: +8080$' \
    "$SCPAUTH" spn crack "HTTP/web.$DNSDOMAIN:8080"
expect_match "crack: instance name after ':' (MS-ADTS)" '^instance name: +inst1$' \
    "$SCPAUTH" spn crack "MSSQLSvc/db.$DNSDOMAIN:inst1"

"$SCPAUTH" spn get --type dns-host myapp --instance "a.$DNSDOMAIN:81" --instance "b.$DNSDOMAIN" \
    >"$T/get.out" 2>&1
expect_eq "get --type dns-host: one SPN per instance" \
    "myapp/a.$DNSDOMAIN:81 myapp/b.$DNSDOMAIN" "$(tr '\n' ' ' <"$T/get.out" | sed 's/ $//')"
expect_match "get --type service --json" "\"spns\":\\[\"myapp/a\\.${DNSDOMAIN//./\\.}/_myapp\\._tcp" \
    "$SCPAUTH" spn get --type service myapp --service-name "_myapp._tcp.$DNSDOMAIN" \
    --instance "a.$DNSDOMAIN" --json

expect_exit "crack of a malformed SPN: exit 2" 2 "$SCPAUTH" spn crack 'not an spn'
expect_fail_match "... ESPNSYNTAX, naming the SPN" 'SCPAUTH_ESPNSYNTAX' \
    "$SCPAUTH" spn crack 'not an spn'
expect_match "crack --json failure: ok false + error object" '^\{"ok":false,"error":\{"code":"SCPAUTH_ESPNSYNTAX"' \
    "$SCPAUTH" spn crack --json 'not an spn'
expect_exit "get without --type: exit 2" 2 "$SCPAUTH" spn get myapp
expect_exit "get with an unknown type: exit 2" 2 "$SCPAUTH" spn get --type nonsense myapp
expect_exit "make with a '/' in the class: exit 2" 2 "$SCPAUTH" spn make a/b c
expect_exit "unknown subcommand: exit 2" 2 "$SCPAUTH" spn bogus
expect_exit "add without --account: exit 2" 2 "$SCPAUTH" spn add "x/$SVC_HOST"
expect_exit "--timeout 0: exit 2" 2 "$SCPAUTH" spn list x --timeout 0
"$SCPAUTH" spn --help >"$T/help.out" 2>&1
expect_file_match "--help: documents subcommands, options and exit codes" "$T/help.out" \
    '^  add ' '^  check ' '--dc HOST\[:PORT\]' '--timeout MS' 'exit codes: 0 ok' \
    '5 conflict' '6 network, DNS'
expect_match "scpauth --help lists the spn verb" '^  spn ' "$SCPAUTH" --help

itest_done
