#!/bin/bash
# test_scenario_lifecycle.sh - the example service's whole life: install
# (SPN on the host account, SCP, state, unit; idempotent), run as the host,
# clients through the SCP with mutual authentication and sealed, signed
# messages, a wrong SPN, a graceful stop, a tampered or insecure state file
# refused, uninstall (SCP, SPN, unit gone).
. "$REPO/tests/integration/lib.sh"
. "$REPO/tests/integration/scenario_lib.sh"
D=$ITEST_TMP/state
PORT=4511
SPN="scpauth-example/$SVC_HOST:$PORT"

expect_ok "install as the administrator, SCP published by the host" ex_install "$D" "$PORT"
expect_file_match "install: state file with the SCP's GUID, the SPN it added and the unit" \
    "$D/scpauth-example.state" '^guid=[0-9a-f]{8}-' "^spn=$SPN\$" "^port=$PORT\$" '^unit=.*\.service$'
expect_file_match "install: a systemd unit that runs the service with its port and keytab" \
    "$ITEST_TMP/scpauth-example-$PORT.service" \
    '^ExecStart="/.*scpauth-example-service" run "--port" "4511" ' \
    "\"--keytab\" \"$SVCHOST1_KEYTAB\"" '"SVCHOST1\$\$"' '^\[Install\]'
expect_match "the SPN is on SVCHOST1\$" "$SPN" spns_of 'SVCHOST1$'
guid1=$(sed -n 's/^guid=//p' "$D/scpauth-example.state")
one_line() { "$@" 2>&1 | tr '\n' ' '; }
expect_match "install again: says everything is already there" \
    "already on SVCHOST1.*already published.*unchanged" one_line ex_install "$D" "$PORT"
expect_eq "install again: the same SCP (GUID kept)" "$guid1" \
    "$(sed -n 's/^guid=//p' "$D/scpauth-example.state")"

L=$ITEST_TMP/service.log
expect_ok "run: starts as SVCHOST1\$ and listens" ex_run_start "$L" "$D" "$PORT"
expect_file_match "run: checked its SPN and its SCP first" "$L" \
    "^spn: $SPN is registered on self" '^scp: current: ' "^run: listening on \*:$PORT"

A=$ITEST_TMP/alice.out
ex_client alice --message one --message two >"$A" 2>&1
expect_file_match "alice: found the SCP (trust checks passed) and composed the SPN from it" "$A" \
    "^scp: found 1 of 1 " "^scp: host $SVC_HOST port $PORT, SPN owner SVCHOST1\\$ \(trust checks passed\)" \
    "^spn: composed $SPN\$"
expect_file_match "alice: mutual authentication with the service's SPN, AES, conf+integ" "$A" \
    "^auth: service $SPN@$REALM proved its identity: mutual=yes mech=krb5 enctype=aes256" \
    '^auth: we are alice@' 'granted flags mutual,.*conf,integ'
expect_file_match "alice: both replies sealed and signed, naming her and the host" "$A" \
    '^message 1: sealed request; reply unsealed, MIC verified .*hello alice@EXAMPLE.TEST, SVCHOST1\$@EXAMPLE.TEST received "one"' \
    '^message 2: .*received "two"' '^result: ok'
ex_log_handshake_ms "$A"
expect_match "bob: 50 round trips" '^messages: 50 sealed and signed round trips' \
    ex_client bob --count 50
expect_exit "a client with a wrong SPN fails with exit 4 (SPN not found)" 4 \
    ex_client bob --host "$SVC_HOST" --port "$PORT" --spn "scpauth-example/svchost9.$DNSDOMAIN:$PORT"
expect_match "... and says which SPN and how to register it" \
    'svchost9.* not registered on any account.*scpauth spn add' \
    one_line ex_client bob --host "$SVC_HOST" --port "$PORT" \
    --spn "scpauth-example/svchost9.$DNSDOMAIN:$PORT"
expect_exit "--host/--port bypass the SCP" 0 ex_client alice --host "$SVC_HOST" --port "$PORT"
expect_exit "a client of another product keyword finds no SCP: exit 4" 4 \
    ex_client alice --keyword 00000000-0000-4000-8000-000000000000

ex_stop
expect_eq "SIGTERM: the service stops gracefully (exit 0)" 0 "$BG_RC"
expect_file_match "the service logged each client and its stop" "$L" \
    '^client .*: ok principal=alice@EXAMPLE.TEST mutual=yes .* requests=2' \
    '^client .*: ok principal=bob@EXAMPLE.TEST .* requests=50' '^run: stopped after 3 client'

# the state file steers a privileged uninstall: a tampered or insecure one is refused
cp "$D/scpauth-example.state" "$ITEST_TMP/state.good"
echo "spn=HOST/dc1.$DNSDOMAIN" >>"$D/scpauth-example.state"
expect_fail_match "uninstall refuses a state file naming an SPN it does not register" \
    "SPN HOST/dc1.$DNSDOMAIN is not scpauth-example/$SVC_HOST:PORT" ex_uninstall "$D"
cp "$ITEST_TMP/state.good" "$D/scpauth-example.state"
chmod 666 "$D/scpauth-example.state"
expect_fail_match "uninstall refuses a state file anyone may write" \
    "scpauth-example.state is writable by everyone.*not used" ex_uninstall "$D"
chmod 644 "$D/scpauth-example.state"
expect_match "... nothing was removed: the SCP is still found" "^scp: host $SVC_HOST port $PORT," \
    ex_client alice --count 0
expect_ok "uninstall" ex_uninstall "$D"
expect_eq "uninstall: SVCHOST1\$ no longer holds $SPN" 0 "$(spns_of 'SVCHOST1$' | grep -c "$SPN")"
expect_exit "uninstall: a client finds no SCP (exit 4)" 4 ex_client alice
expect_ok "uninstall: unit and state file removed" \
    bash -c '! test -e "$1" && ! test -e "$2"' _ "$ITEST_TMP/scpauth-example-$PORT.service" \
    "$D/scpauth-example.state"
expect_match "uninstall again: nothing to do" 'nothing installed' ex_uninstall "$D"
itest_done
