/* sspi_map.c - pure mappings between scpauth's neutral values and SSPI's:
 * context flags, Kerberos etype names, package names, time stamps. */
#include "sspi.h"

#include <wchar.h>

/* One row per flag: the neutral bit and its ISC_* / ASC_* counterparts
 * (REQ and RET share values for these bits, but we name both for clarity). */
typedef struct flag_row {
    unsigned flag;
    unsigned long isc_req, isc_ret, asc_req, asc_ret;
} flag_row;

static const flag_row flag_rows[] = {
    {SCPAUTH_FLAG_MUTUAL, ISC_REQ_MUTUAL_AUTH, ISC_RET_MUTUAL_AUTH, ASC_REQ_MUTUAL_AUTH,
     ASC_RET_MUTUAL_AUTH},
    {SCPAUTH_FLAG_REPLAY, ISC_REQ_REPLAY_DETECT, ISC_RET_REPLAY_DETECT, ASC_REQ_REPLAY_DETECT,
     ASC_RET_REPLAY_DETECT},
    {SCPAUTH_FLAG_SEQUENCE, ISC_REQ_SEQUENCE_DETECT, ISC_RET_SEQUENCE_DETECT,
     ASC_REQ_SEQUENCE_DETECT, ASC_RET_SEQUENCE_DETECT},
    {SCPAUTH_FLAG_CONF, ISC_REQ_CONFIDENTIALITY, ISC_RET_CONFIDENTIALITY,
     ASC_REQ_CONFIDENTIALITY, ASC_RET_CONFIDENTIALITY},
    {SCPAUTH_FLAG_INTEG, ISC_REQ_INTEGRITY, ISC_RET_INTEGRITY, ASC_REQ_INTEGRITY,
     ASC_RET_INTEGRITY},
    {SCPAUTH_FLAG_DELEG, ISC_REQ_DELEGATE, ISC_RET_DELEGATE, ASC_REQ_DELEGATE,
     ASC_RET_DELEGATE},
};

unsigned long scpauth__sspi_req_flags(scpauth_role role, unsigned flags)
{
    int client = role == SCPAUTH_ROLE_CLIENT;
    /* No *_REQ_ALLOCATE_MEMORY: we pass an output buffer of cbMaxToken bytes,
     * which every package supports (Wine 8's Kerberos ignores the flag and
     * fails with SEC_E_INCOMPLETE_MESSAGE on an empty output buffer). */
    unsigned long req = 0;
    for (size_t i = 0; i < sizeof flag_rows / sizeof flag_rows[0]; i++)
        if (flags & flag_rows[i].flag)
            req |= client ? flag_rows[i].isc_req : flag_rows[i].asc_req;
    return req;
}

unsigned scpauth__sspi_ret_flags(scpauth_role role, unsigned long attrs)
{
    int client = role == SCPAUTH_ROLE_CLIENT;
    unsigned flags = 0;
    /* A bit test per flag: Microsoft's sample checks `attrs && ISC_RET_MUTUAL_AUTH`,
     * which is true for any non-zero attrs. */
    for (size_t i = 0; i < sizeof flag_rows / sizeof flag_rows[0]; i++)
        if ((attrs & (client ? flag_rows[i].isc_ret : flag_rows[i].asc_ret)) != 0)
            flags |= flag_rows[i].flag;
    return flags;
}

/* RFC 3961/3962/8009 numbers, MIT's names (what the GSSAPI backend reports). */
static const struct {
    long etype;
    const char *name;
} etypes[] = {
    {1, "des-cbc-crc"},
    {3, "des-cbc-md5"},
    {16, "des3-cbc-sha1"},
    {17, "aes128-cts-hmac-sha1-96"},
    {18, "aes256-cts-hmac-sha1-96"},
    {19, "aes128-cts-hmac-sha256-128"},
    {20, "aes256-cts-hmac-sha384-192"},
    {23, "arcfour-hmac"},
    {24, "arcfour-hmac-exp"},
    {25, "camellia128-cts-cmac"},
    {26, "camellia256-cts-cmac"},
};

const char *scpauth__sspi_etype_name(long etype)
{
    for (size_t i = 0; i < sizeof etypes / sizeof etypes[0]; i++)
        if (etypes[i].etype == etype)
            return etypes[i].name;
    return NULL;
}

scpauth_mech scpauth__sspi_mech_of_package(const wchar_t *name)
{
    if (name == NULL)
        return SCPAUTH_MECH_UNKNOWN;
    /* Package names are case-insensitive on Windows. */
    if (_wcsicmp(name, L"Kerberos") == 0)
        return SCPAUTH_MECH_KRB5;
    if (_wcsicmp(name, L"NTLM") == 0)
        return SCPAUTH_MECH_NTLM;
    return SCPAUTH_MECH_OTHER;
}

int scpauth__sspi_qop_encrypted(unsigned long qop)
{
    return (qop & SECQOP_WRAP_NO_ENCRYPT) == 0;
}

/* 100 ns intervals between 1601-01-01 and 1970-01-01. */
#define FILETIME_UNIX_EPOCH 116444736000000000LL

int64_t scpauth__sspi_timestamp_to_unix(int64_t ts)
{
    /* Packages say "never expires" with the largest signed value; anything
     * before 1970 is as meaningless here. */
    if (ts == INT64_MAX || ts <= FILETIME_UNIX_EPOCH)
        return 0;
    return (ts - FILETIME_UNIX_EPOCH) / 10000000LL;
}
