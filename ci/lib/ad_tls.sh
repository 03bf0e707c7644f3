# shellcheck shell=bash
# ad_tls.sh - the DC's TLS certificate (LDAPS/StartTLS), made before samba's
# first start. Samba would otherwise generate a 4096-bit RSA key itself
# (1.5-3 s) for a certificate without subjectAltName that no client can
# verify; this one is signed by a throwaway CA whose certificate the clients
# trust through ldap.conf. Sourced, not run.

# Args: directory for ca.pem/cert.pem/key.pem (samba's private/tls), and the
# copy of the CA certificate for clients.
ad_tls_make() {
    local dir=$1 ca_out=$2 tmp out
    tmp=$(mktemp -d)
    mkdir -p "$dir"
    # P-256 keys: generated in milliseconds, understood by GnuTLS and OpenSSL
    out=$( (
        umask 077
        openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
            -keyout "$tmp/ca.key" -out "$dir/ca.pem" -days 3650 \
            -subj "/O=scpauth tests/CN=throwaway CA for $REALM" \
            -addext 'basicConstraints=critical,CA:TRUE' \
            -addext 'keyUsage=critical,keyCertSign,cRLSign' &&
            openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
                -keyout "$dir/key.pem" -out "$tmp/dc.csr" -subj "/CN=$DC_HOST" &&
            printf 'subjectAltName=DNS:%s,DNS:%s,IP:%s\nextendedKeyUsage=serverAuth\n' \
                "$DC_HOST" "$DC_NAME" "$DC_IP" >"$tmp/ext" &&
            openssl x509 -req -in "$tmp/dc.csr" -CA "$dir/ca.pem" -CAkey "$tmp/ca.key" \
                -set_serial "0x$(openssl rand -hex 8)" -days 3650 -extfile "$tmp/ext" \
                -out "$dir/cert.pem"
    ) 2>&1) || { rm -rf "$tmp"; ad_die "making the DC's TLS certificate failed: $out"; }
    rm -rf "$tmp"
    chmod 600 "$dir/key.pem"
    chmod 644 "$dir/ca.pem" "$dir/cert.pem"
    cp "$dir/ca.pem" "$ca_out"
}
