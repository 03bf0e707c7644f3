/* scpauth/error.h - neutral status codes and the error record.
 *
 * Every call that can fail returns a scpauth_status and takes a
 * `scpauth_error *` (may be NULL) that receives the details: the neutral
 * code, the backend's native status, a message naming the object that failed
 * and, where known, a hint saying what to do. */
#ifndef SCPAUTH_ERROR_H
#define SCPAUTH_ERROR_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The one list of codes: XX(NAME, short text). A new code is one line here;
 * the enum, scpauth_strerror() and scpauth_err_name() come from it. */
#define SCPAUTH_ERRNO_MAP(XX)                                                  \
    /* generic */                                                              \
    XX(EINVAL, "invalid argument")                                             \
    XX(ENOMEM, "out of memory")                                                \
    XX(ENOBUFS, "buffer too small")                                            \
    XX(ESTATE, "operation not valid in this state")                            \
    XX(ENOTSUP, "operation not supported by this backend")                     \
    XX(EINTERNAL, "internal error")                                            \
    /* credentials */                                                          \
    XX(ENOCREDS, "no credentials")                                             \
    XX(ECREDEXPIRED, "credentials expired")                                    \
    XX(EBADPASSWORD, "wrong password")                                         \
    XX(EKEYTAB, "keytab unusable or lacks the key")                            \
    XX(EKVNO, "key version mismatch")                                          \
    /* Kerberos / handshake */                                                 \
    XX(ENOSPN, "SPN not registered in the directory")                          \
    XX(EKDC, "KDC unreachable")                                                \
    XX(ESKEW, "clock skew too great")                                          \
    XX(EAUTH, "authentication failed")                                         \
    XX(ENOMUTUAL, "mutual authentication did not happen")                      \
    XX(EMECH, "mechanism is not Kerberos")                                     \
    XX(EFLAGS, "a required context flag was not granted")                      \
    XX(ECTXEXPIRED, "security context expired")                                \
    /* per-message protection */                                               \
    XX(EBADSIG, "message signature or integrity check failed")                 \
    XX(EREPLAY, "replayed message")                                            \
    XX(ESEQUENCE, "message out of sequence")                                   \
    XX(ENOTSEALED, "message was not encrypted")                                \
    /* wire and sockets */                                                     \
    XX(EOF, "connection closed by peer")                                       \
    XX(ETRUNCATED, "connection closed in the middle of a frame")               \
    XX(EZEROLEN, "zero-length frame")                                          \
    XX(ETOOBIG, "frame length over the limit")                                 \
    XX(EPROTO, "protocol violation")                                           \
    XX(ETIMEDOUT, "timed out")                                                 \
    XX(ECONNREFUSED, "connection refused")                                     \
    XX(ERESOLVE, "host name lookup failed")                                    \
    XX(EIO, "socket or I/O error")                                             \
    /* SPN text */                                                             \
    XX(ESPNSYNTAX, "malformed SPN or SPN part")                                \
    /* directory */                                                            \
    XX(EDIR, "directory operation failed")                                     \
    XX(EDIRAUTH, "directory authentication failed")                            \
    XX(EDIRACCESS, "directory access denied")                                  \
    XX(ENOTFOUND, "not found in the directory")                                \
    XX(ECONFLICT, "already owned by another account")                          \
    XX(ENODC, "no domain controller reachable")                                \
    XX(EDNS, "DNS lookup failed or answer malformed")                          \
    XX(ESCPINVALID, "service connection point malformed")                      \
    XX(ESCPUNTRUSTED, "service connection point failed a trust check")

/* Status: 0 success, SCPAUTH_CONTINUE (positive) "call again with the
 * peer's next token", negative values are errors. */
typedef enum scpauth_status {
    SCPAUTH_OK = 0,
    SCPAUTH_CONTINUE = 1,
    SCPAUTH__ERR_FIRST_ = -1000,
#define SCPAUTH__ENUM_(name, text) SCPAUTH_##name,
    SCPAUTH_ERRNO_MAP(SCPAUTH__ENUM_)
#undef SCPAUTH__ENUM_
    SCPAUTH__ERR_LAST_
} scpauth_status;

/* Which kind of native status an error record carries. */
typedef enum scpauth_native_kind {
    SCPAUTH_NATIVE_NONE = 0,
    SCPAUTH_NATIVE_GSS,    /* major = GSS major status, minor = mech minor */
    SCPAUTH_NATIVE_SSPI,   /* major = SECURITY_STATUS */
    SCPAUTH_NATIVE_WIN32,  /* major = Win32 error / HRESULT */
    SCPAUTH_NATIVE_ERRNO,  /* major = errno, or WSA error code on Windows */
    SCPAUTH_NATIVE_LDAP,   /* major = LDAP result code */
    SCPAUTH_NATIVE_KRB5,   /* minor = krb5_error_code */
    SCPAUTH_NATIVE_DNS     /* major = h_errno / resolver status */
} scpauth_native_kind;

#define SCPAUTH_ERROR_MESSAGE_MAX 768
#define SCPAUTH_ERROR_HINT_MAX 384

/* Caller-allocated; no free needed. Zero it or pass it to
 * scpauth_error_clear() before first use. */
typedef struct scpauth_error {
    scpauth_status code;
    scpauth_native_kind native_kind;
    uint32_t native_major;
    int64_t native_minor;
    char message[SCPAUTH_ERROR_MESSAGE_MAX]; /* names the object that failed */
    char hint[SCPAUTH_ERROR_HINT_MAX];       /* what to do; may be "" */
} scpauth_error;

/* Stable short English text for a code; never NULL ("unknown error"). */
SCPAUTH_EXPORT const char *scpauth_strerror(int code);

/* Stable identifier for a code, e.g. "SCPAUTH_ENOMUTUAL"; never NULL. */
SCPAUTH_EXPORT const char *scpauth_err_name(int code);

/* Resets err to SCPAUTH_OK with empty texts. NULL is fine. */
SCPAUTH_EXPORT void scpauth_error_clear(scpauth_error *err);

/* Formats "message (hint)" or the short text into buf; returns buf. */
SCPAUTH_EXPORT const char *scpauth_error_format(const scpauth_error *err,
                                                char *buf, size_t size);

#ifdef __cplusplus
}
#endif
#endif
