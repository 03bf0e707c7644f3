/* sspi_status.c - SECURITY_STATUS values -> scpauth codes, names, plain
 * English and a hint. One row per status we can say something useful about;
 * anything else is EAUTH with its hex value. */
#include "sspi.h"

#include "error_internal.h"

typedef struct status_row {
    SECURITY_STATUS status;
    const char *name;
    int code;
    const char *text; /* what it means */
    const char *hint; /* what to do; NULL = none */
} status_row;

#define ROW(st, code, text, hint) {st, #st, SCPAUTH_##code, text, hint}

static const status_row rows[] = {
    ROW(SEC_E_TARGET_UNKNOWN, ENOSPN, "the KDC does not know this SPN",
        "register the SPN on the account the service runs as (setspn -S SPN ACCOUNT) "
        "and check its spelling, host name and port"),
    ROW(SEC_E_NO_CREDENTIALS, ENOCREDS, "no Kerberos credentials are available",
        "log on with a domain account, or pass a principal and password"),
    ROW(SEC_E_UNKNOWN_CREDENTIALS, ENOCREDS, "the credentials are not recognised",
        "check the principal; a service must run as the account that holds the SPN"),
    ROW(SEC_E_NOT_OWNER, ENOCREDS, "the caller does not own these credentials", NULL),
    ROW(SEC_E_NO_AUTHENTICATING_AUTHORITY, EKDC, "no domain controller (KDC) could be contacted",
        "check DNS (_kerberos._tcp SRV records) and that a domain controller is reachable"),
    ROW(SEC_E_NO_TGT_REPLY, EKDC, "the KDC did not answer the ticket request",
        "check that a domain controller is reachable"),
    ROW(SEC_E_TIME_SKEW, ESKEW, "the clocks of this host and the KDC differ too much",
        "synchronise this host's clock with the domain (w32tm /resync)"),
    ROW(SEC_E_LOGON_DENIED, EBADPASSWORD, "the logon was denied",
        "check the principal and password, and that the account is enabled and not locked"),
    ROW(SEC_E_WRONG_PRINCIPAL, EAUTH, "the service answered with another account's key",
        "the SPN is registered on an account other than the one the service runs as: "
        "look for duplicates (setspn -Q SPN, setspn -X) and register it on the service's account"),
    ROW(SEC_E_INTERNAL_ERROR, EAUTH, "the security package reported an internal error",
        "Wine reports an unknown SPN so: check that the SPN is registered "
        "(WINEDEBUG=+kerberos shows the KDC's answer)"),
    ROW(SEC_E_INVALID_TOKEN, EAUTH, "the peer's token is malformed",
        "check that both sides speak Kerberos over the same framing"),
    ROW(SEC_E_INCOMPLETE_MESSAGE, EPROTO, "the peer's token is truncated", NULL),
    ROW(SEC_E_ILLEGAL_MESSAGE, EPROTO, "the peer sent an illegal message", NULL),
    ROW(SEC_E_MUTUAL_AUTH_FAILED, ENOMUTUAL, "the service failed mutual authentication", NULL),
    ROW(SEC_E_KDC_UNKNOWN_ETYPE, EAUTH, "the KDC shares no encryption type with this request",
        "enable AES on the account (msDS-SupportedEncryptionTypes) and reset its password"),
    ROW(SEC_E_NO_KERB_KEY, EAUTH, "the target account has no Kerberos key",
        "reset the service account's password so that its keys are created"),
    ROW(SEC_E_KDC_INVALID_REQUEST, EAUTH, "the KDC rejected the request", NULL),
    ROW(SEC_E_KDC_UNABLE_TO_REFER, EAUTH, "the KDC could not refer the request to another realm",
        "check the trust between the realms and the SPN's realm"),
    ROW(SEC_E_DOWNGRADE_DETECTED, EAUTH, "a downgrade attack was detected", NULL),
    ROW(SEC_E_STRONG_CRYPTO_NOT_SUPPORTED, EAUTH, "strong cryptography is not supported", NULL),
    ROW(SEC_E_POLICY_NLTM_ONLY, EMECH, "policy allows only NTLM here", NULL),
    ROW(SEC_E_MESSAGE_ALTERED, EBADSIG, "the message was altered or its checksum does not match",
        NULL),
    ROW(SEC_E_DECRYPT_FAILURE, EBADSIG, "the message could not be decrypted", NULL),
    ROW(SEC_E_ENCRYPT_FAILURE, EINTERNAL, "the message could not be encrypted", NULL),
    /* SSPI has no separate replay status: Kerberos reports a replayed
     * message as out of sequence. */
    ROW(SEC_E_OUT_OF_SEQUENCE, ESEQUENCE, "the message is out of sequence or replayed", NULL),
    ROW(SEC_E_CONTEXT_EXPIRED, ECTXEXPIRED, "the security context expired",
        "authenticate again to get a new context"),
    ROW(SEC_E_INCOMPLETE_CREDENTIALS, ENOCREDS, "the credentials are incomplete", NULL),
    ROW(SEC_E_QOP_NOT_SUPPORTED, ENOTSUP, "the requested protection is not supported", NULL),
    ROW(SEC_E_UNSUPPORTED_FUNCTION, ENOTSUP, "the package does not support this call", NULL),
    ROW(SEC_E_SECPKG_NOT_FOUND, ENOTSUP, "the Kerberos security package is not available", NULL),
    ROW(SEC_E_BUFFER_TOO_SMALL, ENOBUFS, "a buffer given to the package is too small", NULL),
    ROW(SEC_E_INSUFFICIENT_MEMORY, ENOMEM, "the package ran out of memory", NULL),
    ROW(SEC_E_INVALID_HANDLE, EINTERNAL, "a credential or context handle is invalid", NULL),
    ROW(SEC_E_INVALID_PARAMETER, EINTERNAL, "a parameter given to the package is invalid", NULL),
    ROW(SEC_E_WRONG_CREDENTIAL_HANDLE, EINTERNAL, "the credential handle does not match", NULL),
    /* An NTSTATUS that Wine's Kerberos passes through when a password logon
     * fails (wrong password, unknown principal or no KDC alike). */
    {(SECURITY_STATUS)0xC0000001, "STATUS_UNSUCCESSFUL", SCPAUTH_ENOCREDS,
     "the package could not get credentials",
     "check the principal, the password and that the KDC is reachable "
     "(under Wine, WINEDEBUG=+kerberos shows the KDC's answer)"},
};

static const status_row *find(SECURITY_STATUS st)
{
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
        if (rows[i].status == st)
            return &rows[i];
    return NULL;
}

int scpauth__sspi_status_code(SECURITY_STATUS st)
{
    const status_row *r = find(st);
    return r ? r->code : SCPAUTH_EAUTH;
}

const char *scpauth__sspi_status_name(SECURITY_STATUS st)
{
    const status_row *r = find(st);
    return r ? r->name : "unknown status";
}

int scpauth__sspi_fail(scpauth_error *err, SECURITY_STATUS st, int code, const char *call,
                       const char *subject)
{
    const status_row *r = find(st);
    if (code == 0)
        code = r ? r->code : SCPAUTH_EAUTH;
    scpauth__error_set(err, code, "%s for %s failed: %s (0x%08lX): %s", call, subject,
                       r ? r->name : "unknown status", (unsigned long)(ULONG)st,
                       r ? r->text : "the security package refused");
    scpauth__error_native(err, SCPAUTH_NATIVE_SSPI, (uint32_t)st, 0);
    if (r && r->hint)
        scpauth__error_hint(err, "%s", r->hint);
    return code;
}
