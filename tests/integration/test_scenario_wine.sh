#!/bin/bash
# test_scenario_wine.sh - the same client source, built for Windows (mingw,
# SSPI "Kerberos" package), under Wine against the Linux build of the
# example service: mutual authentication to the SPN it composes
# (DsMakeSpn semantics), sealed requests, sealed and signed replies
# (EncryptMessage/DecryptMessage/VerifySignature <-> gss_unwrap/gss_wrap/
# gss_get_mic). The directory part (SCP lookup through ADSI) is not run:
# Wine's wldap32 has no Kerberos SASL bind, so the client gets --host/--port.
#
# Needs the cross build: CROSS_BUILD_DIR (default $REPO/build-cross, built by
# ci/cross.sh); without it (or wine) the file reports one SKIP line. Wine
# prefix: WINE_ITEST_PREFIX as test_wine_interop.sh (its wineserver must run
# inside the namespace: stopped before and after).
. "$REPO/tests/integration/lib.sh"
CROSS=${CROSS_BUILD_DIR:-$REPO/build-cross}
WIN_CLI=$CROSS/examples/scpauth-example-client.exe
if [ ! -f "$WIN_CLI" ] || ! command -v wine >/dev/null 2>&1; then
    echo "ok 1 - Windows example client under Wine # SKIP no $WIN_CLI or no wine (ci/cross.sh builds it)"
    exit 0
fi
. "$REPO/tests/integration/scenario_lib.sh"
wine_setup || exit 1
D=$ITEST_TMP/state
PORT=4561
SPN="scpauth-example/$SVC_HOST:$PORT"

expect_ok "install (Linux build)" ex_install "$D" "$PORT"
L=$ITEST_TMP/service.log
expect_ok "run (Linux build, as SVCHOST1\$)" ex_run_start "$L" "$D" "$PORT" --client-timeout 20000
W=$ITEST_TMP/wine.out
as alice wine "$WIN_CLI" --host "$SVC_HOST" --port "$PORT" --message "hello from Windows" \
    --message "second" --count 2 >"$W" 2>&1
expect_eq "scpauth-example-client.exe (Wine, SSPI) as alice: exit 0" 0 $?
expect_file_match "... composed the SPN, required and got mutual authentication" "$W" \
    "^spn: composed $SPN" "^auth: service $SPN(@$REALM)? proved its identity: mutual=yes" \
    'granted flags mutual,.*conf,integ'
expect_file_match "... 4 sealed requests, 4 replies unsealed with their MIC verified" "$W" \
    '^message 1: sealed request; reply unsealed, MIC verified .*received "hello from Windows"' \
    '^messages: 4 sealed and signed round trips' '^result: ok'
expect_fail_match "a wrong SPN: refused with the SPN named" "svchost9" \
    as alice wine "$WIN_CLI" --host "$SVC_HOST" --port "$PORT" \
    --spn "scpauth-example/svchost9.$DNSDOMAIN:$PORT"
ex_stop
expect_file_match "the Linux service served alice from Windows: mutual, 4 requests" "$L" \
    "^client .*: ok principal=alice@$REALM mutual=yes .* requests=4"
expect_ok "uninstall" ex_uninstall "$D"
itest_done
