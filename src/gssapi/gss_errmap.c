/* gss_errmap.c - which scpauth code (and hint) a GSS / krb5 status means.
 * Table rows are checked in order; the first that matches the code and the
 * operation wins, so an operation-specific row precedes a generic one. */
#include <stddef.h>

#include <gssapi/gssapi.h>
#include <krb5.h>

#include "scpauth/error.h"
#include "gss_errmap.h"

/* Operation masks for table rows. */
#define OP(o) (1u << (o))
#define OP_ANY 0u
#define OP_CREDS (OP(SCPAUTH__GSS_OP_CLIENT_CREDS) | OP(SCPAUTH__GSS_OP_SERVICE_CREDS))
#define OP_CLIENT (OP(SCPAUTH__GSS_OP_CLIENT_CREDS) | OP(SCPAUTH__GSS_OP_INIT))
#define OP_SERVICE (OP(SCPAUTH__GSS_OP_SERVICE_CREDS) | OP(SCPAUTH__GSS_OP_ACCEPT))

#define HINT_SPN                                                                           \
    "the SPN is not registered on any account: register it with `scpauth spn add "         \
    "--account ACCOUNT SPN` or `setspn -S SPN ACCOUNT`"
#define HINT_KINIT "run kinit (or give a principal and password) to get a ticket-granting ticket"
#define HINT_KDC                                                                           \
    "check that a KDC of the realm is reachable: [realms] kdc in krb5.conf, or DNS SRV "    \
    "_kerberos._tcp records with dns_lookup_kdc = true"
#define HINT_REALM                                                                         \
    "the realm is unknown: set default_realm and [realms] in krb5.conf, or use dns_lookup_kdc"
#define HINT_SKEW "synchronise the clocks of client, service and DC (NTP); Kerberos allows 5 minutes"
#define HINT_PASSWORD "check the password and that the account is not locked out"
#define HINT_EXPIRED "the ticket expired: run kinit again (or acquire the credentials again)"
#define HINT_PW_EXPIRED "the account's password expired: change it"
#define HINT_KEYTAB_KEY                                                                    \
    "the keytab has no key for the SPN the client asked for: export the service account's "  \
    "keys (`samba-tool domain exportkeytab` or `ktpass`), or acquire without a fixed principal"
#define HINT_KEYTAB_FILE                                                                   \
    "the keytab is missing, unreadable or empty: export the service account's keys into "  \
    "it (`samba-tool domain exportkeytab` or `ktpass`)"
/* MIT says KRB5_KT_NOTFOUND both for a missing keytab and a missing key. */
#define HINT_KEYTAB_ACQUIRE                                                                \
    "the keytab is missing, unreadable, empty or lacks the requested principal's keys: "   \
    "export the service account's keys into it (`samba-tool domain exportkeytab` or "      \
    "`ktpass`)"
#define HINT_KVNO                                                                          \
    "the keytab's key version differs from the ticket's: if the account's password "       \
    "changed since the keytab was exported, re-export the keytab; if the keytab is newer, " \
    "the client holds an old ticket (kdestroy, then kinit)"
#define HINT_BADKEY                                                                        \
    "the keytab's key does not decrypt the ticket: the account's password changed or the " \
    "keytab belongs to another account; re-export the keytab"
#define HINT_ETYPE                                                                         \
    "no common encryption type: enable AES on the account (msDS-SupportedEncryptionTypes) " \
    "and check permitted_enctypes in krb5.conf"
#define HINT_REVOKED "the account is disabled, locked out or expired in the directory"
#define HINT_NOMATCH "the credential cache holds another principal: kinit as the wanted principal"
#define HINT_CLIENT_UNKNOWN "the user principal does not exist in the realm: check its spelling and realm"
#define HINT_NAME "write principals as name[/instance...]@REALM, SPNs as class/host[:port][/name]"
#define HINT_REPLAY "the same authenticator was seen before: a replayed or duplicated handshake"

struct krb5_row {
    int32_t krb5;
    unsigned ops; /* OP_ANY or a mask of OP() */
    int code;
    const char *hint;
};

static const struct krb5_row krb5_rows[] = {
    {KRB5KDC_ERR_S_PRINCIPAL_UNKNOWN, OP_ANY, SCPAUTH_ENOSPN, HINT_SPN},
    {KRB5KDC_ERR_C_PRINCIPAL_UNKNOWN, OP_ANY, SCPAUTH_ENOCREDS, HINT_CLIENT_UNKNOWN},
    {KRB5_KDC_UNREACH, OP_ANY, SCPAUTH_EKDC, HINT_KDC},
    {KRB5_REALM_CANT_RESOLVE, OP_ANY, SCPAUTH_EKDC, HINT_KDC},
    {KRB5_REALM_UNKNOWN, OP_ANY, SCPAUTH_EKDC, HINT_REALM},
    {KRB5_CONFIG_NODEFREALM, OP_ANY, SCPAUTH_EKDC, HINT_REALM},
    {KRB5KRB_AP_ERR_SKEW, OP_ANY, SCPAUTH_ESKEW, HINT_SKEW},
    {KRB5KRB_AP_ERR_TKT_NYV, OP_ANY, SCPAUTH_ESKEW, HINT_SKEW},
    {KRB5KDC_ERR_NEVER_VALID, OP_ANY, SCPAUTH_ESKEW, HINT_SKEW},
    /* On a password login a failed integrity check means a wrong password;
     * on an AP-REQ it means the keytab's key is not the account's. */
    {KRB5KDC_ERR_PREAUTH_FAILED, OP(SCPAUTH__GSS_OP_CLIENT_CREDS), SCPAUTH_EBADPASSWORD,
     HINT_PASSWORD},
    {KRB5KRB_AP_ERR_BAD_INTEGRITY, OP(SCPAUTH__GSS_OP_CLIENT_CREDS), SCPAUTH_EBADPASSWORD,
     HINT_PASSWORD},
    {KRB5_PREAUTH_FAILED, OP(SCPAUTH__GSS_OP_CLIENT_CREDS), SCPAUTH_EBADPASSWORD, HINT_PASSWORD},
    {KRB5KRB_AP_ERR_BAD_INTEGRITY, OP_SERVICE, SCPAUTH_EKEYTAB, HINT_BADKEY},
    {KRB5KRB_AP_ERR_MODIFIED, OP_SERVICE, SCPAUTH_EKEYTAB, HINT_BADKEY},
    {KRB5KDC_ERR_PREAUTH_FAILED, OP_ANY, SCPAUTH_EAUTH, NULL},
    {KRB5KRB_AP_ERR_BAD_INTEGRITY, OP_ANY, SCPAUTH_EAUTH, NULL},
    {KRB5_FCC_NOFILE, OP_ANY, SCPAUTH_ENOCREDS, HINT_KINIT},
    {KRB5_CC_NOTFOUND, OP_ANY, SCPAUTH_ENOCREDS, HINT_KINIT},
    {KRB5_CC_END, OP_ANY, SCPAUTH_ENOCREDS, HINT_KINIT},
    {SCPAUTH__KG_EMPTY_CCACHE, OP_ANY, SCPAUTH_ENOCREDS, HINT_KINIT},
    {SCPAUTH__KG_TGT_MISSING, OP_ANY, SCPAUTH_ENOCREDS, HINT_KINIT},
    {SCPAUTH__KG_CCACHE_NOMATCH, OP_ANY, SCPAUTH_ENOCREDS, HINT_NOMATCH},
    {KRB5KRB_AP_ERR_TKT_EXPIRED, OP_ANY, SCPAUTH_ECREDEXPIRED, HINT_EXPIRED},
    {KRB5KDC_ERR_KEY_EXP, OP_ANY, SCPAUTH_ECREDEXPIRED, HINT_PW_EXPIRED},
    {KRB5KDC_ERR_CLIENT_REVOKED, OP_ANY, SCPAUTH_EAUTH, HINT_REVOKED},
    {KRB5KDC_ERR_ETYPE_NOSUPP, OP_ANY, SCPAUTH_EAUTH, HINT_ETYPE},
    {KRB5_KT_NOTFOUND, OP(SCPAUTH__GSS_OP_SERVICE_CREDS), SCPAUTH_EKEYTAB, HINT_KEYTAB_ACQUIRE},
    {SCPAUTH__KG_KEYTAB_NOMATCH, OP(SCPAUTH__GSS_OP_SERVICE_CREDS), SCPAUTH_EKEYTAB,
     HINT_KEYTAB_ACQUIRE},
    {KRB5_KT_NOTFOUND, OP_ANY, SCPAUTH_EKEYTAB, HINT_KEYTAB_KEY},
    {KRB5_KT_END, OP_ANY, SCPAUTH_EKEYTAB, HINT_KEYTAB_FILE},
    {KRB5_KT_BADNAME, OP_ANY, SCPAUTH_EKEYTAB, HINT_KEYTAB_FILE},
    {KRB5_KT_UNKNOWN_TYPE, OP_ANY, SCPAUTH_EKEYTAB, HINT_KEYTAB_FILE},
    {KRB5KRB_AP_ERR_NOKEY, OP_ANY, SCPAUTH_EKEYTAB, HINT_KEYTAB_KEY},
    {KRB5KRB_AP_ERR_NOT_US, OP_ANY, SCPAUTH_EKEYTAB, HINT_KEYTAB_KEY},
    {KRB5KRB_AP_WRONG_PRINC, OP_ANY, SCPAUTH_EKEYTAB, HINT_KEYTAB_KEY},
    {SCPAUTH__KG_KEYTAB_NOMATCH, OP_ANY, SCPAUTH_EKEYTAB, HINT_KEYTAB_KEY},
    {KRB5KRB_AP_ERR_BADKEYVER, OP_ANY, SCPAUTH_EKVNO, HINT_KVNO},
    {KRB5_KT_KVNONOTFOUND, OP_ANY, SCPAUTH_EKVNO, HINT_KVNO},
    {KRB5KRB_AP_ERR_REPEAT, OP_ANY, SCPAUTH_EREPLAY, HINT_REPLAY},
    {KRB5_PARSE_MALFORMED, OP(SCPAUTH__GSS_OP_INIT), SCPAUTH_ESPNSYNTAX, HINT_NAME},
    {KRB5_PARSE_ILLCHAR, OP(SCPAUTH__GSS_OP_INIT), SCPAUTH_ESPNSYNTAX, HINT_NAME},
    {KRB5_PARSE_MALFORMED, OP_ANY, SCPAUTH_EINVAL, HINT_NAME},
    {KRB5_PARSE_ILLCHAR, OP_ANY, SCPAUTH_EINVAL, HINT_NAME},
};

int scpauth__gss_map_krb5(scpauth__gss_op op, int32_t code, const char **hint)
{
    for (size_t i = 0; i < sizeof(krb5_rows) / sizeof(krb5_rows[0]); i++) {
        const struct krb5_row *r = &krb5_rows[i];
        if (r->krb5 != code || (r->ops != OP_ANY && (r->ops & OP(op)) == 0))
            continue;
        if (hint != NULL)
            *hint = r->hint;
        return r->code;
    }
    if (hint != NULL)
        *hint = NULL;
    return 0;
}

/* The routine error alone, by operation. */
static int map_routine(scpauth__gss_op op, uint32_t routine, const char **hint)
{
    int handshake = op == SCPAUTH__GSS_OP_INIT || op == SCPAUTH__GSS_OP_ACCEPT;
    *hint = NULL;
    switch (routine) {
    case GSS_S_BAD_SIG: /* == GSS_S_BAD_MIC */
    case GSS_S_DEFECTIVE_TOKEN:
        return op == SCPAUTH__GSS_OP_MESSAGE ? SCPAUTH_EBADSIG : SCPAUTH_EAUTH;
    case GSS_S_CONTEXT_EXPIRED:
        return SCPAUTH_ECTXEXPIRED;
    case GSS_S_CREDENTIALS_EXPIRED:
        *hint = HINT_EXPIRED;
        return SCPAUTH_ECREDEXPIRED;
    case GSS_S_NO_CRED:
        if ((OP_SERVICE & OP(op)) != 0) {
            *hint = HINT_KEYTAB_FILE;
            return SCPAUTH_EKEYTAB;
        }
        *hint = HINT_KINIT;
        return SCPAUTH_ENOCREDS;
    case GSS_S_BAD_MECH:
        return SCPAUTH_EMECH;
    case GSS_S_NO_CONTEXT:
        return SCPAUTH_ESTATE;
    case GSS_S_BAD_NAME:
    case GSS_S_BAD_NAMETYPE:
        return op == SCPAUTH__GSS_OP_INIT ? SCPAUTH_ESPNSYNTAX : SCPAUTH_EINVAL;
    case GSS_S_BAD_QOP:
    case GSS_S_CALL_INACCESSIBLE_READ:
    case GSS_S_CALL_INACCESSIBLE_WRITE:
    case GSS_S_CALL_BAD_STRUCTURE:
        return SCPAUTH_EINTERNAL;
    default:
        break;
    }
    /* GSS_S_FAILURE and the rest: what the operation failing means. */
    if (handshake)
        return SCPAUTH_EAUTH;
    if (op == SCPAUTH__GSS_OP_CLIENT_CREDS)
        return SCPAUTH_ENOCREDS;
    if (op == SCPAUTH__GSS_OP_SERVICE_CREDS)
        return SCPAUTH_EKEYTAB;
    if (op == SCPAUTH__GSS_OP_MESSAGE)
        return SCPAUTH_EBADSIG;
    return SCPAUTH_EINTERNAL;
}

int scpauth__gss_map_status(scpauth__gss_op op, uint32_t major, uint32_t minor,
                            const char **hint)
{
    const char *h = NULL;
    int code = 0;
    uint32_t routine = GSS_ROUTINE_ERROR(major) | GSS_CALLING_ERROR(major);
    uint32_t supp = GSS_SUPPLEMENTARY_INFO(major);

    if (routine != 0) {
        /* Context-level routine errors say more than a mech minor would. */
        if (routine != GSS_S_CONTEXT_EXPIRED && routine != GSS_S_BAD_SIG &&
            routine != GSS_S_DEFECTIVE_TOKEN && minor != 0)
            code = scpauth__gss_map_krb5(op, (int32_t)minor, &h);
        if (code == 0)
            code = map_routine(op, routine, &h);
    } else if (supp & GSS_S_DUPLICATE_TOKEN) {
        code = SCPAUTH_EREPLAY;
        h = "the message was received before: a replayed or duplicated message";
    } else if (supp & (GSS_S_UNSEQ_TOKEN | GSS_S_GAP_TOKEN | GSS_S_OLD_TOKEN)) {
        code = SCPAUTH_ESEQUENCE;
        h = "messages were lost, reordered or replayed between the peers";
    } else if (supp & GSS_S_CONTINUE_NEEDED) {
        code = 0; /* not an error */
    }
    if (hint != NULL)
        *hint = h;
    return code;
}
