/* doctor_nokrb5.c - the doctor's platform hooks where there is no MIT krb5
 * (the SSPI backend): a Windows service has no keytab, and SSPI offers no
 * way to read a KDC's time. */
#include "doctor_internal.h"

int scpauth__keytab_keys_read(const char *keytab, scpauth__keytab_keys *out,
                              scpauth_error *err)
{
    out->items = NULL;
    out->count = out->cap = 0;
    return scpauth__error_set(err, SCPAUTH_ENOTSUP,
                              "keytab %.300s: keytabs are read by the GSSAPI backend only",
                              keytab != NULL ? keytab : "(none)");
}

int scpauth__kdc_skew(const char *principal, double *skew, char *realm, size_t size,
                      scpauth_error *err)
{
    (void)principal;
    *skew = 0;
    if (size > 0)
        realm[0] = '\0';
    return scpauth__error_set(err, SCPAUTH_ENOTSUP,
                              "the KDC's time is read by the GSSAPI backend only");
}
