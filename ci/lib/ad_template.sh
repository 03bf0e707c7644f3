# shellcheck shell=bash
# ad_template.sh - cache of a provisioned DC with its accounts, so that `up`
# restores a tarball (~0.2 s) instead of provisioning (~6 s). Sourced, not run.
# The key hashes everything the provisioned database depends on: the
# configuration, the harness's own code and the samba version.

# Files of STATE that make up a template (paths relative to STATE).
ad_template_files() {
    local f
    for f in "$DCDIR" "$STATE/secrets" "$SVCHOST1_KEYTAB" "$SVCHOST2_KEYTAB" "$SVC_MYAPP_KEYTAB"; do
        printf '%s\n' "${f#"$STATE"/}"
    done
    [ -n "$NO_TLS" ] || printf '%s\n' "${DC_CA_CERT#"$STATE"/}"
}

ad_template_key() {
    local v
    {
        for v in STATE REALM DOMAIN ADMINPASS ALICE_PASS BOB_PASS SVC_MYAPP_PASS \
            DC_NAME DC_IP SVC_NAME SVC_IP SVC2_NAME SVC2_IP CLIENT_NAME CLIENT_IP \
            MYAPP_PORT SAMBA_SERVICES NO_TLS; do
            printf '%s=%s\n' "$v" "${!v}"
        done
        dpkg-query -W -f='${Version}\n' samba 2>/dev/null || samba -V
        cat "$AD_HERE/samba-ad.sh" "$AD_HERE"/lib/ad_*.sh
    } | sha256sum | cut -c1-16
}

ad_template_path() { printf '%s/template/dc-%s.tar' "$STATE" "$(ad_template_key)"; }

# Saves the (stopped) DC and its secrets; keeps only the current template.
ad_template_save() {
    local tar=$1 dir
    dir=$(dirname "$tar")
    mkdir -p "$dir"
    find "$dir" -maxdepth 1 -name 'dc-*.tar*' ! -name "$(basename "$tar")" -delete
    # runtime sockets and messaging state are recreated by every start
    ad_template_files | tar -C "$STATE" --sparse --warning=no-file-ignored \
        --exclude=msg.sock --exclude=msg.lock -cf "$tar.tmp" -T -
    mv -f "$tar.tmp" "$tar"
}

# Replaces the DC's files with the template's: every `up` starts from the
# same clean directory.
ad_template_restore() {
    local tar=$1 f
    while read -r f; do rm -rf "${STATE:?}/$f"; done < <(ad_template_files)
    tar -C "$STATE" -xf "$tar"
}
