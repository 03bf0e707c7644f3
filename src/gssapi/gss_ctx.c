/* gss_ctx.c - the handshake: gss_init_sec_context towards an exact SPN,
 * gss_accept_sec_context for raw Kerberos or SPNEGO-negotiated Kerberos. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error_internal.h"
#include "gss_internal.h"

int scpauth__gss_ctx_new(void *bcreds, scpauth_role role, const char *target, unsigned flags,
                         void **bctx, scpauth_error *err)
{
    OM_uint32 major, minor;
    scpauth__gss_ctx *x = calloc(1, sizeof(*x));
    if (x == NULL)
        return scpauth__error_set(err, SCPAUTH_ENOMEM, "cannot allocate a GSSAPI context");
    x->creds = bcreds;
    x->role = role;
    x->ctx = GSS_C_NO_CONTEXT;
    x->target = GSS_C_NO_NAME;
    if (role == SCPAUTH_ROLE_CLIENT) {
        snprintf(x->target_text, sizeof(x->target_text), "%s", target);
        /* The exact SPN as a krb5 principal: no host-based name, so DNS never
         * canonicalises the host behind the caller's back. */
        major = scpauth__gss_import_principal(&minor, target, &x->target);
        if (GSS_ERROR(major)) {
            free(x);
            return scpauth__gss_fail(err, SCPAUTH__GSS_OP_INIT, major, minor,
                                     "cannot use the SPN \"%s\" as a Kerberos principal name",
                                     target);
        }
        x->req_flags = scpauth__gss_flags_to_gss(flags);
    }
    *bctx = x;
    return SCPAUTH_OK;
}

void scpauth__gss_ctx_free(void *bctx)
{
    scpauth__gss_ctx *x = bctx;
    OM_uint32 minor;
    if (x == NULL)
        return;
    gss_delete_sec_context(&minor, &x->ctx, GSS_C_NO_BUFFER);
    gss_release_name(&minor, &x->target);
    free(x);
}

/* A successful step: hands the token out; on completion records the
 * mechanism. MIT reports krb5 for SPNEGO-negotiated Kerberos too, so the
 * acceptor's first token tells the two apart. */
static int step_done(scpauth__gss_ctx *x, OM_uint32 major, gss_OID mech, gss_buffer_desc *tok,
                     scpauth_buffer *out)
{
    scpauth__gss_buffer_take(out, tok);
    if (major & GSS_S_CONTINUE_NEEDED)
        return SCPAUTH_CONTINUE;
    x->established = 1;
    x->mech = mech ? scpauth__gss_mech_from_oid(mech->elements, mech->length)
                   : SCPAUTH_MECH_UNKNOWN;
    if (x->mech == SCPAUTH_MECH_KRB5 && x->first_token == SCPAUTH__TOKEN_SPNEGO)
        x->mech = SCPAUTH_MECH_SPNEGO_KRB5;
    return SCPAUTH_OK;
}

static int step_init(scpauth__gss_ctx *x, gss_buffer_t in, scpauth_buffer *out,
                     scpauth_error *err)
{
    OM_uint32 major, minor;
    gss_OID mech = GSS_C_NO_OID;
    gss_buffer_desc tok = GSS_C_EMPTY_BUFFER;

    major = gss_init_sec_context(&minor, x->creds->cred, &x->ctx, x->target, gss_mech_krb5,
                                 x->req_flags, GSS_C_INDEFINITE, GSS_C_NO_CHANNEL_BINDINGS, in,
                                 &mech, &tok, &x->ret_flags, NULL);
    if (GSS_ERROR(major)) {
        OM_uint32 tmp;
        gss_release_buffer(&tmp, &tok);
        int code = scpauth__gss_fail(err, SCPAUTH__GSS_OP_INIT, major, minor,
                                     "cannot authenticate to %s with %s", x->target_text,
                                     x->creds->source);
        if (code == SCPAUTH_ENOSPN)
            scpauth__error_hint(err,
                                "the SPN %s is not registered on any account: register it "
                                "with `scpauth spn add --account ACCOUNT %s` or `setspn -S %s "
                                "ACCOUNT`",
                                x->target_text, x->target_text, x->target_text);
        return code;
    }
    return step_done(x, major, mech, &tok, out);
}

/* Refuses an opening that is not Kerberos (NTLM, SPNEGO without Kerberos,
 * another mechanism) before GSSAPI sees it, with a message naming what was
 * received: gss-ntlmssp may be installed, and GSSAPI's own answer would be
 * a vague "no credentials". */
static int refuse_first_token(const scpauth__gss_token_info *t, scpauth__gss_ctx *x,
                              scpauth_error *err)
{
    const char *what = NULL;
    if (t->kind == SCPAUTH__TOKEN_NTLM)
        what = "an NTLM token";
    else if (t->kind == SCPAUTH__TOKEN_OTHER)
        what = "a token of a mechanism other than Kerberos and SPNEGO";
    else if (t->kind == SCPAUTH__TOKEN_SPNEGO && t->offers_known &&
             (t->offers & SCPAUTH__OFFER_KRB5) == 0)
        what = (t->offers & SCPAUTH__OFFER_NTLM) ? "a SPNEGO token offering NTLM, not Kerberos"
                                                 : "a SPNEGO token offering no Kerberos mechanism";
    if (what == NULL)
        return SCPAUTH_OK;
    scpauth__error_set(err, SCPAUTH_EMECH,
                       "refused %s from a client (service with %s): only Kerberos is accepted, "
                       "raw or negotiated by SPNEGO",
                       what, x->creds->source);
    if (t->kind == SCPAUTH__TOKEN_NTLM || (t->offers & SCPAUTH__OFFER_NTLM))
        scpauth__error_hint(err, "the client could not get a Kerberos ticket for this service "
                                 "and fell back to NTLM: check that the SPN it targets is "
                                 "registered on this service's account and that it can reach "
                                 "a KDC");
    else
        scpauth__error_hint(err, "configure the client for Kerberos (GSSAPI krb5 or "
                                 "SPNEGO/Negotiate)");
    return SCPAUTH_EMECH;
}

static int step_accept(scpauth__gss_ctx *x, gss_buffer_t in, scpauth_buffer *out,
                       scpauth_error *err)
{
    OM_uint32 major, minor;
    gss_OID mech = GSS_C_NO_OID;
    gss_buffer_desc tok = GSS_C_EMPTY_BUFFER;
    gss_cred_id_t deleg = GSS_C_NO_CREDENTIAL;

    if (in == GSS_C_NO_BUFFER)
        return scpauth__error_set(err, SCPAUTH_EPROTO,
                                  "the client sent an empty handshake token (service with %s)",
                                  x->creds->source);
    if (x->ctx == GSS_C_NO_CONTEXT) {
        scpauth__gss_token_info t;
        scpauth__gss_token_sniff(in->value, in->length, &t);
        int rc = refuse_first_token(&t, x, err);
        if (rc != SCPAUTH_OK)
            return rc;
        x->first_token = t.kind;
    }
    major = gss_accept_sec_context(&minor, &x->ctx, x->creds->cred, in,
                                   GSS_C_NO_CHANNEL_BINDINGS, NULL, &mech, &tok, &x->ret_flags,
                                   NULL, &deleg);
    OM_uint32 tmp;
    gss_release_cred(&tmp, &deleg); /* delegation is not forwarded anywhere */
    if (GSS_ERROR(major)) {
        gss_release_buffer(&tmp, &tok);
        return scpauth__gss_fail(err, SCPAUTH__GSS_OP_ACCEPT, major, minor,
                                 "cannot accept a client's %s token with %s",
                                 x->first_token == SCPAUTH__TOKEN_SPNEGO ? "SPNEGO"
                                                                         : "Kerberos",
                                 x->creds->source);
    }
    return step_done(x, major, mech, &tok, out);
}

int scpauth__gss_ctx_step(void *bctx, const void *in, size_t in_len, scpauth_buffer *out,
                          scpauth_error *err)
{
    scpauth__gss_ctx *x = bctx;
    gss_buffer_desc inb = {in_len, (void *)(uintptr_t)in};
    *out = (scpauth_buffer)SCPAUTH_BUFFER_INIT;
    if (x->established)
        return scpauth__error_set(err, SCPAUTH_ESTATE, "the security context is already "
                                                       "established");
    if (x->role == SCPAUTH_ROLE_CLIENT)
        return step_init(x, in_len > 0 ? &inb : GSS_C_NO_BUFFER, out, err);
    return step_accept(x, in_len > 0 ? &inb : GSS_C_NO_BUFFER, out, err);
}
