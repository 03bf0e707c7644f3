/* auth_flags.c - names of flags and mechanisms. */
#include <stdio.h>
#include <string.h>

#include "auth_internal.h"

static const struct {
    unsigned flag;
    const char *name;
} flag_names[] = {
    {SCPAUTH_FLAG_MUTUAL, "mutual"},     {SCPAUTH_FLAG_REPLAY, "replay"},
    {SCPAUTH_FLAG_SEQUENCE, "sequence"}, {SCPAUTH_FLAG_CONF, "conf"},
    {SCPAUTH_FLAG_INTEG, "integ"},       {SCPAUTH_FLAG_DELEG, "deleg"},
    {SCPAUTH_FLAG_ALLOW_NO_MUTUAL, "allow-no-mutual"},
};

const char *scpauth_flags_format(unsigned flags, char *buf, size_t size)
{
    if (buf == NULL || size == 0)
        return "";
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < sizeof(flag_names) / sizeof(flag_names[0]); i++) {
        if (!(flags & flag_names[i].flag))
            continue;
        int n = snprintf(buf + used, size - used, "%s%s", used ? "," : "", flag_names[i].name);
        if (n < 0 || (size_t)n >= size - used) {
            buf[used] = '\0'; /* no half names: keep the whole ones that fit */
            break;
        }
        used += (size_t)n;
    }
    if (used == 0)
        snprintf(buf, size, "none");
    return buf;
}

int scpauth__mech_is_kerberos(scpauth_mech mech)
{
    return mech == SCPAUTH_MECH_KRB5 || mech == SCPAUTH_MECH_SPNEGO_KRB5;
}

const char *scpauth__mech_name(scpauth_mech mech)
{
    switch (mech) {
    case SCPAUTH_MECH_KRB5: return "krb5";
    case SCPAUTH_MECH_SPNEGO_KRB5: return "spnego/krb5";
    case SCPAUTH_MECH_NTLM: return "ntlm";
    case SCPAUTH_MECH_OTHER: return "other";
    case SCPAUTH_MECH_UNKNOWN: break;
    }
    return "unknown";
}
