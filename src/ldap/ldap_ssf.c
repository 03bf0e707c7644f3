/* ldap_ssf.c - the SASL security strength options of libldap. OpenLDAP
 * reads and writes LDAP_OPT_X_SASL_SSF / _SSF_MIN as a ber_len_t (8 bytes
 * on LP64), not as the int or sasl_ssf_t (4 bytes) one would guess: a
 * narrower variable is over-read on set and overwritten on get. Both
 * directions go through a ber_len_t here, and nowhere else. */
#include <limits.h>

#include "ldap_internal.h"

int scpauth__ldap_ssf_get(LDAP *ld, int option, unsigned *ssf)
{
    ber_len_t v = 0;
    if ((option != LDAP_OPT_X_SASL_SSF && option != LDAP_OPT_X_SASL_SSF_MIN) ||
        ldap_get_option(ld, option, &v) != LDAP_OPT_SUCCESS)
        return 0;
    *ssf = v > UINT_MAX ? UINT_MAX : (unsigned)v;
    return 1;
}

int scpauth__ldap_ssf_min_set(LDAP *ld, unsigned min)
{
    ber_len_t v = min;
    unsigned kept = 0;
    /* read back: a library that ignored the minimum must not bind */
    return ldap_set_option(ld, LDAP_OPT_X_SASL_SSF_MIN, &v) == LDAP_OPT_SUCCESS &&
           scpauth__ldap_ssf_get(ld, LDAP_OPT_X_SASL_SSF_MIN, &kept) && kept == min;
}
