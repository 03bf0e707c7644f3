#!/bin/bash
# test_auth_export.sh - scpauth_ctx_export / scpauth_ctx_import of real
# Kerberos contexts (tests/integration/ctx_export.c): alice's client and the
# myapp service authenticate through the DC, both contexts are moved through
# an export blob, and the imported pair keeps mutual authentication, its
# flags and mechanism, and protects messages both ways; damaged blobs are
# refused with EINVAL and an error naming what is wrong.
. "$(dirname "$0")/lib.sh"
out=$ITEST_TMP/export.out
prog=$BUILD/tests/integration/itest_ctx_export
as alice "$prog" "$MYAPP_SPN" "$SVC_MYAPP_KEYTAB" >"$out" 2>&1
rc=$?

expect_ok "itest_ctx_export: every check passed" sh -c "cat '$out'; exit $rc"
expect_file_match "the imported client context keeps mutual, its granted flags, krb5 and the SPN" \
    "$out" '^pass: the imported client context keeps mutual' \
    "^# before export: flags (0x[0-9a-f]+) mech krb5 peer myapp/.*after import: flags \\1 mech krb5"
expect_file_match "the imported service context keeps mutual and krb5" \
    "$out" '^pass: the imported service context keeps mutual and krb5'
expect_file_match "imported contexts seal/unseal and sign/verify with each other, both ways" \
    "$out" '^pass: imported client seals, imported service unseals' \
    '^pass: imported service seals, imported client unseals'
expect_file_match "damaged blobs are refused with EINVAL saying what is wrong" "$out" \
    '^# a client blob cut short by one byte is refused: SCPAUTH_EINVAL: cannot import a [0-9]+-byte exported security context \(damaged' \
    '^# a client blob with a damaged scpauth header is refused: SCPAUTH_EINVAL: not an exported scpauth context' \
    '^# a client blob with a damaged mechanism OID is refused: SCPAUTH_EINVAL: cannot import' \
    '^# a service blob is refused with client credentials: SCPAUTH_EINVAL: exported context is for the other role' \
    '^# a client blob relabelled as a service.s is refused: SCPAUTH_EINVAL: the imported security context was initiated here'
