/* mock_backend.h - a scripted auth backend for unit tests without a KDC.
 * Built into a static library linked by the unit tests only: it is not
 * part of libscpauth and not installed (it claims Kerberos and mutual
 * authentication with no cryptography).
 *
 * Credentials made here carry a script; contexts created from them run a
 * fake handshake of `rounds` client tokens and report the scripted flags,
 * mechanism and names, or fail at a chosen step. Its sign/seal tokens carry
 * a sequence number and a keyed checksum, so tampering, replay and
 * reordering are detected like a real mechanism would. */
#ifndef SCPAUTH_TEST_MOCK_BACKEND_H
#define SCPAUTH_TEST_MOCK_BACKEND_H

#include "scpauth/auth.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct scpauth_mock_script {
    unsigned rounds;           /* client tokens in the handshake; 0 = 1 */
    /* Flags the established context reports: for a client the flags the
     * "mechanism" granted; for a service the flags the client "asked for".
     * Use SCPAUTH_MOCK_FLAGS_AS_REQUESTED to echo the requested set. */
    unsigned granted_flags;
    scpauth_mech mech;         /* 0 = SCPAUTH_MECH_KRB5 */
    const char *local_name;    /* NULL = "client@MOCK.TEST" / "svc/host@MOCK.TEST" */
    const char *peer_name;     /* NULL = the target SPN / "client@MOCK.TEST" */
    const char *enctype;       /* NULL = "aes256-cts-hmac-sha1-96" */
    int64_t expiry;            /* 0 = now + 10 h */
    /* Failure injection: step number (1-based) at which ctx_step fails with
     * fail_code and fail_message; 0 = never. */
    unsigned fail_at_step;
    int fail_code;
    const char *fail_message;
    uint64_t key;              /* shared "session key" for the checksum */
} scpauth_mock_script;

#define SCPAUTH_MOCK_FLAGS_AS_REQUESTED 0x80000000u

/* The mock backend's table (for scpauth_creds_options.backend). */
const scpauth_auth_backend *scpauth_auth_backend_mock(void);

/* Credentials for role that run `script` (copied; may be NULL = defaults). */
SCPAUTH_WUR int scpauth_mock_creds_new(scpauth_role role, const scpauth_mock_script *script,
                                       scpauth_creds **out, scpauth_error *err);

#ifdef __cplusplus
}
#endif
#endif
