/* sspi_facts.c - raw facts about an established context from
 * QueryContextAttributesW. Wine answers SEC_E_UNSUPPORTED_FUNCTION for
 * NAMES, SESSION_KEY and KEY_INFO: a fact the package will not give stays
 * empty / unknown and never fails the handshake. */
#include "sspi.h"

#include <stdio.h>
#include <string.h>

static void free_ctx_buffer(void *p)
{
    if (p != NULL)
        FreeContextBuffer(p);
}

static void facts_names(const scpauth__sspi_ctx *x, scpauth__ctx_facts *f)
{
    int client = x->role == SCPAUTH_ROLE_CLIENT;
    CtxtHandle *h = (CtxtHandle *)&x->handle;

    /* Both Kerberos names: client "user@REALM", server "class/host@REALM". */
    SecPkgContext_NativeNamesW nn = {0};
    if (QueryContextAttributesW(h, SECPKG_ATTR_NATIVE_NAMES, &nn) == SEC_E_OK) {
        scpauth__sspi_narrow(client ? nn.sServerName : nn.sClientName, f->peer_name,
                             sizeof f->peer_name);
        scpauth__sspi_narrow(client ? nn.sClientName : nn.sServerName, f->local_name,
                             sizeof f->local_name);
        free_ctx_buffer(nn.sClientName);
        free_ctx_buffer(nn.sServerName);
    }
    /* NAMES is the user the context stands for: the client, on either side. */
    if (f->peer_name[0] == '\0' || f->local_name[0] == '\0') {
        SecPkgContext_NamesW n = {0};
        if (QueryContextAttributesW(h, SECPKG_ATTR_NAMES, &n) == SEC_E_OK) {
            char *dst = client ? f->local_name : f->peer_name;
            size_t size = client ? sizeof f->local_name : sizeof f->peer_name;
            if (dst[0] == '\0')
                scpauth__sspi_narrow(n.sUserName, dst, size);
            free_ctx_buffer(n.sUserName);
        }
    }
    /* What we know without asking. */
    if (client && f->peer_name[0] == '\0' && strlen(x->spn) < sizeof f->peer_name)
        memcpy(f->peer_name, x->spn, strlen(x->spn) + 1);
    if (f->local_name[0] == '\0')
        memcpy(f->local_name, x->creds->name, sizeof f->local_name);
}

static scpauth_mech facts_mech(const scpauth__sspi_ctx *x)
{
    CtxtHandle *h = (CtxtHandle *)&x->handle;
    SecPkgContext_PackageInfoW pi = {0};
    if (QueryContextAttributesW(h, SECPKG_ATTR_PACKAGE_INFO, &pi) != SEC_E_OK ||
        pi.PackageInfo == NULL)
        /* The credentials belong to the "Kerberos" package, which speaks
         * Kerberos only: the package that made the context is known. */
        return SCPAUTH_MECH_KRB5;
    scpauth_mech mech = scpauth__sspi_mech_of_package(pi.PackageInfo->Name);
    if (_wcsicmp(pi.PackageInfo->Name, L"Negotiate") == 0) {
        /* Negotiate picks a package: ask which one it settled on. */
        SecPkgContext_NegotiationInfoW ni = {0};
        mech = SCPAUTH_MECH_UNKNOWN;
        if (QueryContextAttributesW(h, SECPKG_ATTR_NEGOTIATION_INFO, &ni) == SEC_E_OK &&
            ni.PackageInfo != NULL) {
            mech = scpauth__sspi_mech_of_package(ni.PackageInfo->Name);
            if (mech == SCPAUTH_MECH_KRB5)
                mech = SCPAUTH_MECH_SPNEGO_KRB5;
        }
        free_ctx_buffer(ni.PackageInfo);
    }
    free_ctx_buffer(pi.PackageInfo);
    return mech;
}

/* SSPI time stamps are local time (Microsoft recommends packages return
 * local time); the facts want Unix time (UTC). */
static int64_t local_stamp_to_unix(int64_t stamp)
{
    if (stamp <= 0 || stamp == INT64_MAX)
        return 0;
    FILETIME local, utc;
    local.dwLowDateTime = (DWORD)((uint64_t)stamp & 0xFFFFFFFFu);
    local.dwHighDateTime = (DWORD)((uint64_t)stamp >> 32);
    if (!LocalFileTimeToFileTime(&local, &utc))
        return 0;
    return scpauth__sspi_timestamp_to_unix((int64_t)(((uint64_t)utc.dwHighDateTime << 32) |
                                                     utc.dwLowDateTime));
}

static int64_t facts_expiry(const scpauth__sspi_ctx *x)
{
    SecPkgContext_Lifespan ls;
    memset(&ls, 0, sizeof ls);
    if (QueryContextAttributesW((CtxtHandle *)&x->handle, SECPKG_ATTR_LIFESPAN, &ls) == SEC_E_OK)
        return local_stamp_to_unix(ls.tsExpiry.QuadPart);
    /* The last step's ptsExpiry says the same. */
    return local_stamp_to_unix(x->expiry);
}

static void facts_enctype(const scpauth__sspi_ctx *x, scpauth__ctx_facts *f)
{
    SecPkgContext_KeyInfoW ki = {0};
    if (QueryContextAttributesW((CtxtHandle *)&x->handle, SECPKG_ATTR_KEY_INFO, &ki) != SEC_E_OK)
        return;
    /* For Kerberos, EncryptAlgorithm is the session key's etype number. */
    const char *name = scpauth__sspi_etype_name((long)ki.EncryptAlgorithm);
    if (name != NULL)
        snprintf(f->enctype, sizeof f->enctype, "%s", name);
    else if (scpauth__sspi_narrow(ki.sEncryptAlgorithmName, f->enctype, sizeof f->enctype) != 0 ||
             f->enctype[0] == '\0')
        snprintf(f->enctype, sizeof f->enctype, "etype-%lu", (unsigned long)ki.EncryptAlgorithm);
    free_ctx_buffer(ki.sSignatureAlgorithmName);
    free_ctx_buffer(ki.sEncryptAlgorithmName);
}

void scpauth__sspi_ctx_status(void *bctx, unsigned *granted_flags, scpauth_mech *mech)
{
    const scpauth__sspi_ctx *x = bctx;
    *granted_flags = scpauth__sspi_ret_flags(x->role, x->attrs);
    *mech = facts_mech(x);
}

int scpauth__sspi_ctx_facts(void *bctx, scpauth__ctx_facts *facts, scpauth_error *err)
{
    (void)err; /* every fact is optional: nothing here fails */
    const scpauth__sspi_ctx *x = bctx;
    memset(facts, 0, sizeof *facts);
    facts->granted_flags = scpauth__sspi_ret_flags(x->role, x->attrs);
    facts->mech = facts_mech(x);
    facts->expiry = facts_expiry(x);
    facts_names(x, facts);
    facts_enctype(x, facts);
    return SCPAUTH_OK;
}
