# run_micro.sh - in-process benchmarks of bench/run.sh: handshakes (cached
# ticket, first contact, loopback TCP), the replay cache, per-message
# protection, the crypto bound, and an instruction count of one handshake.
# Sourced by run.sh after bench_prepare.
# shellcheck shell=bash

micro_handshakes() {
    local it=(--iters 60 --rounds 21)
    [ "$SMOKE" = 1 ] && it=()
    bench_run handshake_inproc ns "$BIN/bench_handshake" inproc "${CC_OPT[@]}" "${it[@]}" \
        "${SMOKE_OPT[@]}" >/dev/null
    bench_run handshake_tcp ns "$BIN/bench_tcp" "${CC_OPT[@]}" --host "$SVC_IP" "${it[@]}" \
        "${SMOKE_OPT[@]}" >/dev/null
    bench_run handshake_first ns "$BIN/bench_handshake" first "${CC_OPT[@]}" \
        --tgt "$WORK/alice.tgt" --iters 15 "${SMOKE_OPT[@]}" >/dev/null
    bench_run rcache_inproc ns "$BIN/bench_handshake" rcache "${CC_OPT[@]}" "${it[@]}" \
        "${SMOKE_OPT[@]}" >/dev/null
}

# Instructions per handshake (callgrind): the noise-free view of the
# in-process ratio, and the share of the context facts scpauth gathers.
micro_profile() {
    local n=30 r=2 out calls api raw facts
    [ "$SMOKE" = 1 ] && { n=2; r=1; }
    command -v valgrind >/dev/null || { bench_emit "NOTE profile: valgrind missing"; return; }
    bench_log "running handshake_instructions (callgrind)"
    ns valgrind --tool=callgrind --callgrind-out-file="$WORK/callgrind.inproc" \
        "$BIN/bench_handshake" inproc "${CC_OPT[@]}" --iters $n --rounds $r \
        >/dev/null 2>"$WORK/callgrind.err" || { FAILED=$((FAILED + 1)); return; }
    out=$(callgrind_annotate --inclusive=yes "$WORK/callgrind.inproc" 2>/dev/null | grep -v '=>')
    calls=$((n * r + 1))
    ir() { printf '%s\n' "$out" | grep -m1 -E "[:]$1( \[|\$)" | awk '{ gsub(",", "", $1); print $1 }'; }
    api=$(ir run_api)
    raw=$(ir run_gss)
    facts=$(ir scpauth__gss_ctx_facts)
    if [ -z "$api" ] || [ -z "$raw" ]; then
        bench_emit "NOTE profile: no symbols in callgrind output"
        return
    fi
    bench_figure handshake_instructions "$(div "$api" "$raw")" \
        scpauth_instr "$(div "$api" $calls)" peer_instr "$(div "$raw" $calls)" "<=" 1.05 \
        "unit=instructions_per_handshake facts_instr=$(awk -v f="${facts:-0}" -v c=$calls 'BEGIN { printf "%.0f", f / c }') note=callgrind"
}

micro_messages() {
    local it=(--rounds 15)
    [ "$SMOKE" = 1 ] && it=()
    bench_run message ns "$BIN/bench_message" "${CC_OPT[@]}" "${it[@]}" "${SMOKE_OPT[@]}" \
        >/dev/null
}

# openssl's AES-256-CBC + HMAC-SHA1 at 64 KiB, in MB/s: the stitched cipher
# where this openssl has it, else the two measured apart and combined.
crypto_bound_mbps() {
    local s=1 v a b
    v=$(openssl speed -seconds $s -bytes 65536 -evp aes-256-cbc-hmac-sha1 2>/dev/null |
        awk '/^AES-256-CBC-HMAC-SHA1/ { sub("k", "", $2); print $2 / 1000 }')
    if [ -n "$v" ]; then
        echo "$v stitched"
        return
    fi
    a=$(openssl speed -seconds $s -bytes 65536 -evp aes-256-cbc 2>/dev/null |
        awk '/^(AES-256-CBC|aes-256-cbc)/ { sub("k", "", $2); print $2 / 1000 }')
    b=$(openssl speed -seconds $s -bytes 65536 -evp sha1 2>/dev/null |
        awk '/^sha1/ { sub("k", "", $2); print $2 / 1000 }')
    awk -v a="$a" -v b="$b" 'BEGIN { if (a > 0 && b > 0) printf "%.1f separate\n", 1 / (1 / a + 1 / b) }'
}

micro_crypto_bound() {
    local line bound how seal enc
    bench_log "running crypto_bound (openssl speed)"
    read -r bound how < <(crypto_bound_mbps)
    line=$(grep -m1 '^BENCH name=seal_only_64k ' "$RESULTS")
    seal=$(printf '%s\n' "$line" | field scpauth_MBps)
    enc=$(grep -m1 '^INFO enctype=' "$RESULTS" | field enctype)
    if [ -z "$bound" ] || [ -z "$seal" ]; then
        bench_emit "NOTE crypto_bound: not measured (openssl speed: '${bound:-none}', seal: '${seal:-none}')"
        FAILED=$((FAILED + 1))
        return
    fi
    bench_figure "seal_vs_crypto_bound_${enc:-unknown}" "$(div "$seal" "$bound")" \
        scpauth_MBps "$seal" openssl_MBps "$bound" ">=" 0.5 \
        "unit=MBps bytes=65536 bound=aes-256-cbc-hmac-sha1_$how"
    # aes256-cts-hmac-sha384-192 (RFC 8009): only if the service's keys have it
    if klist -ke "$SVC_MYAPP_KEYTAB" 2>/dev/null | grep -q 'sha384'; then
        bench_emit "NOTE sha384: the keytab has aes256-cts-hmac-sha384-192 keys but the KDC issued ${enc:-?}"
    else
        bench_emit "NOTE sha384: not measured: Samba $(samba --version | awk '{print $2}') issues no aes256-cts-hmac-sha384-192 keys or tickets (keytab: $(klist -ke "$SVC_MYAPP_KEYTAB" | sed -n 's/.*(\(.*\)).*/\1/p' | sort -u | tr '\n' ' '))"
    fi
}

micro_all() {
    micro_handshakes
    micro_profile
    micro_messages
    micro_crypto_bound
}
