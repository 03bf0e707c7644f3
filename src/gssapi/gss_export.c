/* gss_export.c - moving an established context to another process:
 * gss_export_sec_context / gss_import_sec_context, behind a small header
 * that keeps what GSS cannot tell us again (role, SPNEGO or raw). */
#include <stdlib.h>
#include <string.h>

#include "error_internal.h"
#include "gss_internal.h"

/* "SCG" 1 | role | mech | GSS interprocess token */
#define EXPORT_MAGIC "SCG\x01"
#define EXPORT_HDR 6

int scpauth__gss_ctx_export(void *bctx, scpauth_buffer *token, scpauth_error *err)
{
    scpauth__gss_ctx *x = bctx;
    OM_uint32 major, minor;
    gss_buffer_desc tok = GSS_C_EMPTY_BUFFER;
    int rc;

    major = gss_export_sec_context(&minor, &x->ctx, &tok);
    if (GSS_ERROR(major)) {
        rc = scpauth__gss_fail(err, SCPAUTH__GSS_OP_OTHER, major, minor,
                               "cannot export the security context%s%s",
                               x->target_text[0] ? " with " : "", x->target_text);
    } else {
        rc = scpauth__buffer_alloc(token, EXPORT_HDR + tok.length, err);
        if (rc == SCPAUTH_OK) {
            memcpy(token->data, EXPORT_MAGIC, 4);
            token->data[4] = (unsigned char)x->role;
            token->data[5] = (unsigned char)x->mech;
            memcpy(token->data + EXPORT_HDR, tok.value, tok.length);
        }
    }
    /* The interprocess token holds the session keys. */
    scpauth_memzero(tok.value, tok.length);
    gss_release_buffer(&minor, &tok);
    scpauth__gss_ctx_free(x);
    return rc;
}

/* What the core enforces on, from GSS itself rather than from the blob:
 * the granted flags, the mechanism, that the context is open and which side
 * initiated it. Only "SPNEGO around krb5", which MIT no longer tells apart
 * once established, comes from the header. The client's target names the
 * peer SPN in later error messages. */
static int restore_state(scpauth__gss_ctx *x, unsigned char header_mech, size_t len,
                         scpauth_error *err)
{
    OM_uint32 major, minor, gflags = 0;
    gss_name_t targ = GSS_C_NO_NAME;
    gss_OID mech = GSS_C_NO_OID;
    int local = 0, open = 0;
    major = gss_inquire_context(&minor, x->ctx, NULL,
                                x->role == SCPAUTH_ROLE_CLIENT ? &targ : NULL, NULL, &mech,
                                &gflags, &local, &open);
    if (GSS_ERROR(major))
        return scpauth__gss_fail(err, SCPAUTH__GSS_OP_OTHER, major, minor,
                                 "cannot inquire a %zu-byte imported security context", len);
    if (targ != GSS_C_NO_NAME)
        scpauth__gss_name_text(targ, x->target_text, sizeof(x->target_text));
    gss_release_name(&minor, &targ);
    if (!open)
        return scpauth__error_set(err, SCPAUTH_ESTATE,
                                  "the imported security context is not established");
    if ((local != 0) != (x->role == SCPAUTH_ROLE_CLIENT))
        return scpauth__error_set(err, SCPAUTH_EINVAL,
                                  "the imported security context was %s, but the header and "
                                  "the credentials say %s",
                                  local ? "initiated here (a client's)" : "accepted (a service's)",
                                  x->role == SCPAUTH_ROLE_CLIENT ? "client" : "service");
    x->ret_flags = gflags;
    x->mech = mech != GSS_C_NO_OID ? scpauth__gss_mech_from_oid(mech->elements, mech->length)
                                   : SCPAUTH_MECH_UNKNOWN;
    if (x->mech == SCPAUTH_MECH_KRB5 && header_mech == SCPAUTH_MECH_SPNEGO_KRB5)
        x->mech = SCPAUTH_MECH_SPNEGO_KRB5;
    x->established = 1;
    return SCPAUTH_OK;
}

int scpauth__gss_ctx_import(void *bcreds, const void *token, size_t len, void **bctx,
                            scpauth_error *err)
{
    scpauth__gss_creds *c = bcreds;
    const unsigned char *p = token;
    OM_uint32 major, minor;

    if (p == NULL || len <= EXPORT_HDR || memcmp(p, EXPORT_MAGIC, 4) != 0)
        return scpauth__error_set(err, SCPAUTH_EINVAL,
                                  "not an exported scpauth GSSAPI context (%zu bytes)", len);
    if (p[4] != SCPAUTH_ROLE_CLIENT && p[4] != SCPAUTH_ROLE_SERVICE)
        return scpauth__error_set(err, SCPAUTH_EINVAL,
                                  "the exported context names an unknown role (%u)", p[4]);
    if (p[4] != (unsigned char)c->role)
        return scpauth__error_set(err, SCPAUTH_EINVAL,
                                  "the exported context is a %s's, the credentials a %s's",
                                  p[4] == SCPAUTH_ROLE_CLIENT ? "client" : "service",
                                  c->role == SCPAUTH_ROLE_CLIENT ? "client" : "service");
    if (p[5] > SCPAUTH_MECH_OTHER)
        return scpauth__error_set(err, SCPAUTH_EINVAL,
                                  "the exported context names an unknown mechanism (%u)", p[5]);

    scpauth__gss_ctx *x = calloc(1, sizeof(*x));
    if (x == NULL)
        return scpauth__error_set(err, SCPAUTH_ENOMEM, "cannot allocate a GSSAPI context");
    gss_buffer_desc in = {len - EXPORT_HDR, (void *)(uintptr_t)(p + EXPORT_HDR)};
    x->ctx = GSS_C_NO_CONTEXT;
    major = gss_import_sec_context(&minor, &in, &x->ctx);
    if (GSS_ERROR(major)) {
        free(x);
        scpauth__gss_fail(err, SCPAUTH__GSS_OP_OTHER, major, minor,
                          "cannot import a %zu-byte exported security context "
                          "(damaged, cut short, or not from scpauth_ctx_export)",
                          len);
        /* The blob is what is wrong, whatever MIT's status says (a cut-short
         * one reads as "Cannot allocate memory"). */
        if (err != NULL) {
            err->code = SCPAUTH_EINVAL;
            scpauth__error_hint(err, "import exactly what scpauth_ctx_export() returned, "
                                     "with the same Kerberos library");
        }
        return SCPAUTH_EINVAL;
    }
    x->creds = c;
    x->role = c->role;
    x->target = GSS_C_NO_NAME;
    int rc = restore_state(x, p[5], len, err);
    if (rc != SCPAUTH_OK) {
        scpauth__gss_ctx_free(x);
        return rc;
    }
    *bctx = x;
    return SCPAUTH_OK;
}
