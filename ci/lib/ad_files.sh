# shellcheck shell=bash
# ad_files.sh - client-side files of the harness: krb5.conf, ldap.conf and the
# shell-sourceable env that tests read. Sourced, not run.
# Uses the configuration variables of ci/samba-ad.sh.

ad_write_krb5_conf() {
    # TCP only (PAC-sized tickets), no DNS lookups and no canonicalisation:
    # the SPN a test asks for is the SPN the KDC sees.
    cat > "$STATE/krb5.conf" <<EOF
[libdefaults]
	default_realm = $REALM
	dns_lookup_realm = false
	dns_lookup_kdc = false
	rdns = false
	dns_canonicalize_hostname = false
	udp_preference_limit = 0
[realms]
	$REALM = {
		kdc = $DC_IP
		admin_server = $DC_IP
		kpasswd_server = $DC_IP
	}
[domain_realm]
	.$DNSDOMAIN = $REALM
	$DNSDOMAIN = $REALM
EOF
}

ad_write_ldap_conf() {
    cat > "$STATE/ldap.conf" <<EOF
URI ldap://$DC_NAME.$DNSDOMAIN
BASE $BASEDN
SASL_MECH GSSAPI
SASL_NOCANON on
REFERRALS off
EOF
    [ -n "$NO_TLS" ] || printf 'TLS_CACERT %s\n' "$DC_CA_CERT" >>"$STATE/ldap.conf"
}

# Escapes single quotes for a value written inside single quotes.
ad_squote() { printf '%s' "${1//\'/\'\\\'\'}"; }

# Writes STATE/env: every name, address, path and password a test needs.
ad_write_env() {
    local v
    {
        printf '# samba-ad harness (ci/samba-ad.sh); source me, run clients inside\n'
        printf '# the namespace: ip netns exec %s CMD, or ci/samba-ad.sh exec CMD\n' "$NETNS"
        for v in NETNS STATE REALM DOMAIN DNSDOMAIN BASEDN \
            KRB5_CONFIG LDAPCONF SMBCONF \
            DC_IP DC_HOST SVC_IP SVC_HOST SVC2_IP SVC2_HOST CLIENT_IP CLIENT_HOST \
            ADMINPASS ALICE_PASS BOB_PASS SVC_MYAPP_PASS SVCHOST1_PASS SVCHOST2_PASS \
            ADMIN_CCACHE ALICE_CCACHE BOB_CCACHE \
            SVCHOST1_KEYTAB SVCHOST2_KEYTAB SVC_MYAPP_KEYTAB \
            MYAPP_SPN MYAPP_PORT_SPN MYAPP_PORT DC_CA_CERT; do
            printf "export %s='%s'\n" "$v" "$(ad_squote "${!v}")"
        done
    } > "$STATE/env.tmp"
    chmod 600 "$STATE/env.tmp"
    mv -f "$STATE/env.tmp" "$STATE/env"
}
