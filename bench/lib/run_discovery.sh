# run_discovery.sh - discovery: locate the service's SCP in the global
# catalog, compose the SPN, connect, mutual handshake, one sealed message.
# scpauth: `scpauth scp find` then `scpauth connect` (two processes);
# peer: `ldapsearch -Y GSSAPI` on the GC then `gss-client` with the host
# and port read from the entry (two processes). Process spawn is included on
# both sides. Cold = a ccache holding only the TGT (every service ticket is
# fetched); warm = the same ccache afterwards. Also the LDAP round trips of
# each locate (strace). Sourced by run.sh after bench_prepare.
# shellcheck shell=bash

DISC_PORT=4444 # the SPN with a port that svc-myapp owns: myapp/HOST:4444
# a keyword and an instance of this run: a DC that stayed up keeps nothing in the way
DISC_GUID=$(cat /proc/sys/kernel/random/uuid)

disc_scpauth() { # CCACHE
    local k v host='' port='' spn=''
    while read -r k v; do
        case $k in host:) host=$v ;; port:) port=$v ;; spn:) spn=$v ;; esac
    done < <(ns "$BUILD/tools/scpauth" scp find --keyword "$DISC_GUID" --ccache "$1" 2>/dev/null)
    [ -n "$spn" ] || return 1
    ns "$BUILD/tools/scpauth" connect "$host" "$port" "$spn" --ccache "$1" --message hello \
        >/dev/null
}

disc_peer() { # CCACHE
    local k v host='' port='' class=''
    while read -r k v; do
        case $k in
        serviceDNSName:) host=$v ;; serviceBindingInformation:) port=$v ;;
        serviceClassName:) class=$v ;;
        esac
    done < <(KRB5CCNAME=$1 ns ldapsearch -Y GSSAPI -Q -LLL -H "ldap://$DC_HOST:3268" -b '' \
        "(&(objectClass=serviceConnectionPoint)(keywords=$DISC_GUID))" serviceDNSName \
        serviceBindingInformation serviceClassName 2>/dev/null)
    [ -n "$host" ] || return 1
    KRB5CCNAME=$1 ns gss-client -port "$port" "$host" "$class@$host:$port" hello >/dev/null
}

# disc_ms FN CCACHE: milliseconds of one run, or nothing on failure
disc_ms() {
    local t0=$EPOCHREALTIME
    "$1" "$2" || return 1
    awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.2f\n", (b - a) * 1000 }'
}

# disc_time KIND: alternated runs; sets A_MS B_MS (medians)
disc_time() {
    local kind=$1 i rounds=7 ca cb ta=() tb=() x
    [ "$SMOKE" = 1 ] && rounds=1
    for ((i = 0; i < rounds; i++)); do
        ca="FILE:$WORK/disc-$kind-a.cc" cb="FILE:$WORK/disc-$kind-b.cc"
        if [ "$kind" = cold ] || [ "$i" = 0 ]; then
            cp "$WORK/alice.tgt" "${ca#FILE:}"
            cp "$WORK/alice.tgt" "${cb#FILE:}"
            # warm: one untimed run fills each ccache first
            [ "$kind" = warm ] && { disc_scpauth "$ca"; disc_peer "$cb"; } >/dev/null 2>&1
        fi
        if ((i % 2 == 0)); then
            x=$(disc_ms disc_scpauth "$ca") && ta+=("$x")
            x=$(disc_ms disc_peer "$cb") && tb+=("$x")
        else
            x=$(disc_ms disc_peer "$cb") && tb+=("$x")
            x=$(disc_ms disc_scpauth "$ca") && ta+=("$x")
        fi
    done
    if [ ${#ta[@]} != "$rounds" ] || [ ${#tb[@]} != "$rounds" ]; then
        bench_log "discovery ($kind): $((rounds - ${#ta[@]})) scpauth and $((rounds - ${#tb[@]})) peer runs failed"
        FAILED=$((FAILED + 1))
    fi
    A_MS=$(printf '%s\n' "${ta[@]}" | median)
    B_MS=$(printf '%s\n' "${tb[@]}" | median)
}

# ldap_trips STRACE_FILE: "ROUND_TRIPS CONNECTIONS DNS_EXCHANGES" - writes per
# LDAP connection less the closing unbind (which has no answer)
ldap_trips() {
    awk '/->[0-9.]+:(389|3268|636|3269)\]/ && /^[0-9]+ +(write|writev|sendmsg|sendto)\(/ {
            match($0, /TCP:\[[0-9.:]+->[0-9.]+:[0-9]+/); n[substr($0, RSTART, RLENGTH)]++ }
        /->[0-9.]+:53\]/ && /^[0-9]+ +(sendto|sendmmsg|sendmsg)\(/ { dns++ }
        END { for (c in n) { t += n[c] - 1; k++ } printf "%d %d %d\n", t, k, dns }' "$1"
}

disc_round_trips() {
    local cc="FILE:$WORK/disc-trace.cc" a b
    command -v strace >/dev/null || { bench_emit "NOTE discovery round trips: strace missing"; return; }
    cp "$WORK/alice.tgt" "${cc#FILE:}"
    disc_scpauth "$cc" >/dev/null 2>&1 # tickets in place: count the locate alone
    ns strace -f -yy -e trace=write,writev,sendmsg,sendto,sendmmsg -o "$WORK/strace.find" \
        "$BUILD/tools/scpauth" scp find --keyword "$DISC_GUID" --ccache "$cc" >/dev/null 2>&1
    KRB5CCNAME=$cc ns strace -f -yy -e trace=write,writev,sendmsg,sendto,sendmmsg \
        -o "$WORK/strace.ldapsearch" ldapsearch -Y GSSAPI -Q -LLL -H "ldap://$DC_HOST:3268" \
        -b '' "(&(objectClass=serviceConnectionPoint)(keywords=$DISC_GUID))" serviceDNSName \
        serviceBindingInformation serviceClassName >/dev/null 2>&1
    read -r a ac ad < <(ldap_trips "$WORK/strace.find")
    read -r b bc bd < <(ldap_trips "$WORK/strace.ldapsearch")
    bench_figure discovery_ldap_round_trips "$(div "$a" 2)" scpauth_trips "$a" peer_trips "$b" \
        "<=" 1.0 "unit=ldap_round_trips_per_locate budget=2 note=ratio_is_against_the_budget scpauth_connections=$ac peer_connections=$bc scpauth_dns=$ad peer_dns=$bd sasl_gssapi_bind=3_trips_per_connection"
}

discovery_all() {
    local pid out
    if ! "$BUILD/tools/scpauth" scp --help 2>&1 | grep -q 'find'; then
        bench_emit "NOTE discovery: not measured yet (this build has no 'scpauth scp find')"
        return
    fi
    listen_cmd "$DISC_PORT"
    server_start listen-disc "$DISC_PORT" "${LISTEN_CMD[@]}" || { FAILED=$((FAILED + 1)); return; }
    pid=$SERVER_PID
    bench_log "running discovery (publish an SCP, then cold and warm locate+connect)"
    out=$(ns "$BUILD/tools/scpauth" scp publish --class myapp --port "$DISC_PORT" \
        --keyword "$DISC_GUID" --instance "bench-${DISC_GUID:0:8}" --host "$SVC_HOST" \
        --account "${SVC_HOST%%.*}\$" --state-file "$WORK/scp.guid" --ccache "$ADMIN_CCACHE" \
        2>&1) || {
        bench_log "scp publish FAILED: $out"
        FAILED=$((FAILED + 1))
        server_stop "$pid"
        return
    }
    local kind
    for kind in cold warm; do
        disc_time "$kind"
        bench_figure "discovery_$kind" "$(div "$A_MS" "$B_MS")" scpauth_ms "$A_MS" peer_ms "$B_MS" \
            "" 0 "unit=ms_per_locate+connect+handshake+1_message peer=ldapsearch+gss-client note=two_process_spawns_each_side"
    done
    disc_round_trips
    ns "$BUILD/tools/scpauth" scp remove --state-file "$WORK/scp.guid" --ccache "$ADMIN_CCACHE" \
        >/dev/null 2>&1 || bench_log "could not remove the benchmark's SCP"
    server_stop "$pid"
}
