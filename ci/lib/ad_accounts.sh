# shellcheck shell=bash
# ad_accounts.sh - the test accounts, created the way a join tool or an
# administrator creates them on a real AD: one LDAP add over SASL/GSSAPI
# (sealed, so the DC accepts unicodePwd), then keytabs exported from the DC.
# Sourced, not run. Uses the configuration variables of ci/samba-ad.sh.

# AD password attribute value: the quoted password in UTF-16LE, base64.
ad_unicodepwd() { printf '"%s"' "$1" | iconv -f UTF-8 -t UTF-16LE | base64 -w0; }

# A random password that meets AD's default complexity rules.
ad_random_password() { printf 'Pw1-%s!' "$(head -c 24 /dev/urandom | base64 -w0 | tr -d '/+=')"; }

# LDIF of a member host's computer account: enabled workstation trust account
# with its password set (pitfall 5), AES only (pitfall 6), host SPNs.
ad_ldif_computer() {
    local name=$1 pass=$2 fqdn=$1.$DNSDOMAIN up=${1^^} class
    printf 'dn: CN=%s,CN=Computers,%s\nchangetype: add\nobjectClass: computer\n' "$up" "$BASEDN"
    printf 'cn: %s\nsAMAccountName: %s$\n' "$up" "$up"
    # 4096 = WORKSTATION_TRUST_ACCOUNT
    printf 'userAccountControl: 4096\ndNSHostName: %s\n' "$fqdn"
    printf 'msDS-SupportedEncryptionTypes: 24\n'
    for class in HOST RestrictedKrbHost; do
        printf 'servicePrincipalName: %s/%s\nservicePrincipalName: %s/%s\n' \
            "$class" "$fqdn" "$class" "$name"
    done
    printf 'unicodePwd:: %s\n\n' "$(ad_unicodepwd "$pass")"
}

# LDIF of a user account; extra attribute lines (SPNs, enctypes) come on stdin.
ad_ldif_user() {
    local name=$1 pass=$2
    printf 'dn: CN=%s,CN=Users,%s\nchangetype: add\nobjectClass: user\n' "$name" "$BASEDN"
    printf 'cn: %s\nsAMAccountName: %s\nuserPrincipalName: %s@%s\n' \
        "$name" "$name" "$name" "$REALM"
    # 66048 = NORMAL_ACCOUNT | DONT_EXPIRE_PASSWORD: a cached template stays usable
    printf 'userAccountControl: 66048\n'
    cat
    printf 'unicodePwd:: %s\n\n' "$(ad_unicodepwd "$pass")"
}

# The whole directory content the tests expect, as one LDIF.
ad_ldif_all() {
    ad_ldif_computer "$SVC_NAME" "$SVCHOST1_PASS"
    ad_ldif_computer "$SVC2_NAME" "$SVCHOST2_PASS"
    ad_ldif_user svc-myapp "$SVC_MYAPP_PASS" <<EOF
msDS-SupportedEncryptionTypes: 24
servicePrincipalName: $MYAPP_SPN
servicePrincipalName: $MYAPP_PORT_SPN
EOF
    ad_ldif_user alice "$ALICE_PASS" </dev/null
    ad_ldif_user bob "$BOB_PASS" </dev/null
}

# Exports keytabs straight from the DC's database in one process (one
# samba-tool call per principal costs ~0.7 s each).
# Args: smb.conf, then pairs of keytab path and principal.
ad_export_keytabs() {
    /usr/bin/python3 - "$@" <<'PY'
import sys
from samba import enable_net_export_keytab
from samba.net import Net
from samba.param import LoadParm

enable_net_export_keytab()
lp = LoadParm()
lp.load(sys.argv[1])
net = Net(None, lp)
pairs = sys.argv[2:]
for keytab, principal in zip(pairs[0::2], pairs[1::2]):
    net.export_keytab(keytab=keytab, principal=principal)
PY
}

# Fails unless KEYTAB holds an aes256-cts key for each PRINCIPAL (exportkeytab
# exits 0 even when it exported nothing: pitfall 5).
ad_keytab_check() {
    local keytab=$1 listing p
    shift
    listing=$(klist -ke "$keytab" 2>&1) || ad_die "cannot list keytab $keytab: $listing"
    for p in "$@"; do
        grep -qF " $p@$REALM (aes256-cts" <<<"$listing" ||
            ad_die "keytab $keytab has no aes256-cts key for $p@$REALM"
    done
}

# Creates every account over LDAP as administrator and writes the keytabs.
# Needs a running DC and a valid administrator ccache in KRB5CCNAME.
ad_accounts_create() {
    local smbconf=$1 out h
    out=$(ad_ldif_all | ad_ns ldapmodify -Q -Y GSSAPI -H "ldap://$DC_NAME.$DNSDOMAIN" 2>&1) ||
        ad_die "creating accounts over LDAP failed: $out"
    rm -f "$SVCHOST1_KEYTAB" "$SVCHOST2_KEYTAB" "$SVC_MYAPP_KEYTAB"
    local args=()
    for h in "$SVC_NAME:$SVCHOST1_KEYTAB" "$SVC2_NAME:$SVCHOST2_KEYTAB"; do
        local name=${h%%:*} kt=${h#*:}
        args+=("$kt" "${name^^}\$" "$kt" "HOST/$name.$DNSDOMAIN" "$kt" "HOST/$name")
    done
    args+=("$SVC_MYAPP_KEYTAB" "$MYAPP_SPN" "$SVC_MYAPP_KEYTAB" "$MYAPP_PORT_SPN")
    out=$(ad_export_keytabs "$smbconf" "${args[@]}" 2>&1) ||
        ad_die "exporting keytabs failed: $out"
    ad_keytab_check "$SVCHOST1_KEYTAB" "${SVC_NAME^^}\$" "HOST/$SVC_NAME.$DNSDOMAIN" "HOST/$SVC_NAME"
    ad_keytab_check "$SVCHOST2_KEYTAB" "${SVC2_NAME^^}\$" "HOST/$SVC2_NAME.$DNSDOMAIN" "HOST/$SVC2_NAME"
    ad_keytab_check "$SVC_MYAPP_KEYTAB" "$MYAPP_SPN" "$MYAPP_PORT_SPN"
}
