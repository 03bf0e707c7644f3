# scp_lib.sh - sourced by tests/integration/test_scp_*.sh (after nothing
# else): lib.sh, the machine accounts' ccaches, fresh GUIDs, and reads of
# the directory that do not go through scpauth (ldapsearch -Y GSSAPI as the
# administrator), against which every scpauth result is checked.
. "$(dirname "$0")/lib.sh"
T=$ITEST_TMP
H1_DN="CN=SVCHOST1,CN=Computers,$BASEDN"
H2_DN="CN=SVCHOST2,CN=Computers,$BASEDN"

# host_ccache NAME KEYTAB: kinit -k as NAME$ into $T/NAME.ccache.
host_ccache() {
    KRB5CCNAME="FILE:$T/$1.ccache" in_ns kinit -k -t "$2" "${1^^}\$@$REALM"
}
# as_host NAME CMD...: CMD in the namespace with NAME$'s ccache.
as_host() {
    local h=$1; shift
    KRB5CCNAME="FILE:$T/$h.ccache" in_ns "$@"
}
new_guid() { cat /proc/sys/kernel/random/uuid; }

# ldap_read BASE [ATTR...]: the base object as LDIF (unwrapped), read by the
# administrator from the DC; BASE may be "<GUID=...>".
ldap_read() {
    local base=$1; shift
    as admin ldapsearch -LLL -o ldif-wrap=no -Q -Y GSSAPI -H "ldap://$DC_HOST" -s base \
        -b "$base" "$@" 2>/dev/null
}
# gc_dns FILTER: the DNs the global catalog returns for FILTER, sorted.
gc_dns() {
    as admin ldapsearch -LLL -o ldif-wrap=no -Q -Y GSSAPI -H "ldap://$DC_HOST:3268" -b "" \
        "$1" dn 2>/dev/null | sed -n 's/^dn: //p' | sort
}
# attr_values LDIF_FILE ATTR: the values of ATTR, one a line, sorted.
attr_values() { sed -n "s/^$2: //p" "$1" | sort; }

# json FILE EXPR: a Python expression over the JSON object d in FILE.
json() {
    python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2"
}
