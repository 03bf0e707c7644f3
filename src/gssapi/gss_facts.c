/* gss_facts.c - raw facts about an established context: names, flags,
 * mechanism, expiry and the session key's enctype (never the key). */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "error_internal.h"
#include "gss_internal.h"

/* 1.2.840.113554.1.2.2.4: MIT appends the enctype as one more arc. */
static const unsigned char enctype_oid_prefix[] = {0x2a, 0x86, 0x48, 0x86, 0xf7,
                                                   0x12, 0x01, 0x02, 0x02, 0x04};

int32_t scpauth__gss_enctype_from_oid(const void *der, size_t len)
{
    const unsigned char *p = der;
    size_t n = sizeof(enctype_oid_prefix);
    if (p == NULL || len <= n || len > n + 5 || memcmp(p, enctype_oid_prefix, n) != 0)
        return -1;
    uint32_t v = 0;
    for (size_t i = n; i < len; i++) {
        int last = i == len - 1;
        /* base-128 arc: continuation bit on every byte but the last */
        if (((p[i] & 0x80) == 0) != last || v > (UINT32_MAX >> 7))
            return -1;
        v = (v << 7) | (p[i] & 0x7f);
    }
    return v <= INT32_MAX ? (int32_t)v : -1;
}

void scpauth__gss_enctype_name(int32_t enctype, char *buf, size_t size)
{
    if (krb5_enctype_to_name(enctype, FALSE, buf, size) != 0)
        snprintf(buf, size, "enctype-%ld", (long)enctype);
}

/* The session key's enctype name, or "" if the mechanism will not say. The
 * key bytes come along with the answer: they are wiped at once. */
static void session_enctype(gss_ctx_id_t ctx, char *buf, size_t size)
{
    OM_uint32 major, minor;
    gss_buffer_set_t set = GSS_C_NO_BUFFER_SET;
    buf[0] = '\0';
    major = gss_inquire_sec_context_by_oid(&minor, ctx, GSS_C_INQ_SSPI_SESSION_KEY, &set);
    if (GSS_ERROR(major) || set == GSS_C_NO_BUFFER_SET)
        return;
    if (set->count >= 1)
        scpauth_memzero(set->elements[0].value, set->elements[0].length);
    if (set->count >= 2) {
        int32_t e = scpauth__gss_enctype_from_oid(set->elements[1].value,
                                                  set->elements[1].length);
        if (e >= 0)
            scpauth__gss_enctype_name(e, buf, size);
    }
    gss_release_buffer_set(&minor, &set);
}

void scpauth__gss_ctx_status(void *bctx, unsigned *granted_flags, scpauth_mech *mech)
{
    const scpauth__gss_ctx *x = bctx;
    *granted_flags = scpauth__gss_flags_from_gss(x->ret_flags);
    *mech = x->mech;
}

int scpauth__gss_ctx_facts(void *bctx, scpauth__ctx_facts *facts, scpauth_error *err)
{
    scpauth__gss_ctx *x = bctx;
    OM_uint32 major, minor, lifetime = 0, gflags = 0;
    gss_name_t src = GSS_C_NO_NAME, targ = GSS_C_NO_NAME;
    int local = 0, open = 0;

    memset(facts, 0, sizeof(*facts));
    major = gss_inquire_context(&minor, x->ctx, &src, &targ, &lifetime, NULL, &gflags, &local,
                                &open);
    /* An expired context still has names and flags worth reporting. */
    if (GSS_ERROR(major) && GSS_ROUTINE_ERROR(major) != GSS_S_CONTEXT_EXPIRED)
        return scpauth__gss_fail(err, SCPAUTH__GSS_OP_OTHER, major, minor,
                                 "cannot inquire the security context%s%s",
                                 x->target_text[0] ? " with " : "", x->target_text);
    scpauth__gss_name_text(local ? targ : src, facts->peer_name, sizeof(facts->peer_name));
    scpauth__gss_name_text(local ? src : targ, facts->local_name, sizeof(facts->local_name));
    gss_release_name(&minor, &src);
    gss_release_name(&minor, &targ);

    facts->granted_flags = scpauth__gss_flags_from_gss(gflags);
    facts->mech = x->mech;
    if (GSS_ERROR(major))
        facts->expiry = (int64_t)time(NULL); /* expired now */
    else if (lifetime != GSS_C_INDEFINITE)
        facts->expiry = (int64_t)time(NULL) + lifetime;
    session_enctype(x->ctx, facts->enctype, sizeof(facts->enctype));
    return SCPAUTH_OK;
}
