/* gss_flags.c - SCPAUTH_FLAG_* <-> GSS_C_*_FLAG. */
#include "gss_internal.h"

static const struct {
    unsigned scp;
    OM_uint32 gss;
} flag_rows[] = {
    {SCPAUTH_FLAG_MUTUAL, GSS_C_MUTUAL_FLAG},     {SCPAUTH_FLAG_REPLAY, GSS_C_REPLAY_FLAG},
    {SCPAUTH_FLAG_SEQUENCE, GSS_C_SEQUENCE_FLAG}, {SCPAUTH_FLAG_CONF, GSS_C_CONF_FLAG},
    {SCPAUTH_FLAG_INTEG, GSS_C_INTEG_FLAG},       {SCPAUTH_FLAG_DELEG, GSS_C_DELEG_FLAG},
};

#define FLAG_ROWS (sizeof(flag_rows) / sizeof(flag_rows[0]))

OM_uint32 scpauth__gss_flags_to_gss(unsigned flags)
{
    OM_uint32 g = 0;
    for (size_t i = 0; i < FLAG_ROWS; i++)
        if (flags & flag_rows[i].scp)
            g |= flag_rows[i].gss;
    return g;
}

unsigned scpauth__gss_flags_from_gss(OM_uint32 gflags)
{
    unsigned f = 0;
    for (size_t i = 0; i < FLAG_ROWS; i++)
        if (gflags & flag_rows[i].gss)
            f |= flag_rows[i].scp;
    return f;
}
