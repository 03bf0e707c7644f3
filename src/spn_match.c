/* spn_match.c - does the service principal a client's ticket names match the
 * SPN a service was configured with? Compared as Windows compares
 * principals: case-insensitively, the realm only when both names carry one
 * (an SPN's parts never hold '@', so the realm is after the last '@'). */
#include <string.h>

#include "spn_internal.h"

static int ascii_lower(int c)
{
    return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

static int same_text(const char *a, size_t an, const char *b, size_t bn)
{
    if (an != bn)
        return 0;
    for (size_t i = 0; i < an; i++)
        if (ascii_lower((unsigned char)a[i]) != ascii_lower((unsigned char)b[i]))
            return 0;
    return 1;
}

int scpauth__spn_principal_match(const char *configured, const char *actual)
{
    if (configured == NULL || actual == NULL || configured[0] == '\0' || actual[0] == '\0')
        return 0;
    const char *ca = strrchr(configured, '@'), *aa = strrchr(actual, '@');
    size_t cn = ca ? (size_t)(ca - configured) : strlen(configured);
    size_t an = aa ? (size_t)(aa - actual) : strlen(actual);
    if (cn == 0 || an == 0 || !same_text(configured, cn, actual, an))
        return 0;
    return ca == NULL || aa == NULL || same_text(ca + 1, strlen(ca + 1), aa + 1, strlen(aa + 1));
}

int scpauth__spn_principal_check(const char *configured, const char *actual,
                                 scpauth_error *err)
{
    if (scpauth__spn_principal_match(configured, actual))
        return SCPAUTH_OK;
    if (actual == NULL || actual[0] == '\0') {
        scpauth__error_set(err, SCPAUTH_EAUTH,
                           "the Kerberos package did not say which SPN the client's ticket is "
                           "for, so it cannot be checked against this service's SPN '%s'; "
                           "client refused", configured);
        scpauth__error_hint(err, "run the service without a fixed principal to accept any SPN "
                                 "of its account");
        return SCPAUTH_EAUTH;
    }
    scpauth__error_set(err, SCPAUTH_EAUTH,
                       "the client's ticket is for SPN '%s', but this service is configured "
                       "for '%s'; client refused", actual, configured);
    scpauth__error_hint(err, "the client must ask for the service's own SPN (or the service "
                             "must be configured with the SPN clients use)");
    return SCPAUTH_EAUTH;
}
