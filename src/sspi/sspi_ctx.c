/* sspi_ctx.c - security contexts: InitializeSecurityContextW (client) and
 * AcceptSecurityContext (service), one call per handshake step. */
#include "sspi.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error_internal.h"
#include "spn_internal.h"

int scpauth__sspi_ctx_new(void *bcreds, scpauth_role role, const char *target, unsigned flags,
                          void **bctx, scpauth_error *err)
{
    scpauth__sspi_creds *c = bcreds;
    *bctx = NULL;
    scpauth__sspi_ctx *x = calloc(1, sizeof *x);
    if (x == NULL)
        return scpauth__error_set(err, SCPAUTH_ENOMEM, "out of memory for a security context");
    x->creds = c;
    x->role = role;
    x->req = scpauth__sspi_req_flags(role, flags);
    size_t max = scpauth__sspi_max_token();
    x->max_token = max > ULONG_MAX ? ULONG_MAX : (unsigned long)max;
    if (role == SCPAUTH_ROLE_CLIENT) {
        /* The SPN string goes to the package as-is: no DNS canonicalisation. */
        x->target = scpauth__sspi_widen(target, NULL);
        x->spn = x->target ? strdup(target) : NULL;
        if (x->spn == NULL) {
            scpauth__sspi_wfree(x->target);
            free(x);
            return scpauth__error_set(err, SCPAUTH_EINVAL,
                                      "SPN '%s' is not valid UTF-8 (or out of memory)", target);
        }
        snprintf(x->subject, sizeof x->subject, "SPN '%s'", target);
    } else if (c->name[0] != '\0') {
        snprintf(x->subject, sizeof x->subject, "service '%s'", c->name);
    } else {
        snprintf(x->subject, sizeof x->subject, "the service context");
    }
    *bctx = x;
    return SCPAUTH_OK;
}

/* One InitializeSecurityContextW / AcceptSecurityContext call. */
static SECURITY_STATUS ctx_call(scpauth__sspi_ctx *x, SecBufferDesc *in, SecBufferDesc *out,
                                unsigned long *attrs, TimeStamp *expiry)
{
    PCtxtHandle cur = x->have_handle ? &x->handle : NULL;
    if (x->role == SCPAUTH_ROLE_CLIENT)
        return InitializeSecurityContextW(&x->creds->handle, cur, x->target, x->req, 0,
                                          SECURITY_NATIVE_DREP, in, 0, &x->handle, out, attrs,
                                          expiry);
    return AcceptSecurityContext(&x->creds->handle, cur, in, x->req, SECURITY_NATIVE_DREP,
                                 &x->handle, out, attrs, expiry);
}

/* A service configured with an SPN accepts only tickets for it: its
 * inbound credential takes any of the account's SPNs, so ask the package
 * which one this client's ticket names (NATIVE_NAMES' sServerName). Fails
 * closed when the package does not say. */
static int ctx_check_spn(scpauth__sspi_ctx *x, scpauth_error *err)
{
    SecPkgContext_NativeNamesW nn;
    char server[SCPAUTH_NAME_MAX] = "";
    memset(&nn, 0, sizeof nn);
    SECURITY_STATUS st = QueryContextAttributesW(&x->handle, SECPKG_ATTR_NATIVE_NAMES, &nn);
    if (st == SEC_E_OK && scpauth__sspi_narrow(nn.sServerName, server, sizeof server) != 0)
        server[0] = '\0';
    if (nn.sClientName != NULL)
        FreeContextBuffer(nn.sClientName);
    if (nn.sServerName != NULL)
        FreeContextBuffer(nn.sServerName);
    int rc = scpauth__spn_principal_check(x->creds->name, server, err);
    if (rc != SCPAUTH_OK && st != SEC_E_OK)
        scpauth__error_native(err, SCPAUTH_NATIVE_SSPI, (uint32_t)st, 0);
    return rc;
}

int scpauth__sspi_ctx_step(void *bctx, const void *in, size_t in_len, scpauth_buffer *out,
                           scpauth_error *err)
{
    scpauth__sspi_ctx *x = bctx;
    int client = x->role == SCPAUTH_ROLE_CLIENT;
    const char *call = client ? "InitializeSecurityContext" : "AcceptSecurityContext";
    if (in_len > ULONG_MAX)
        return scpauth__error_set(err, SCPAUTH_ETOOBIG, "%s for %s: token of %llu bytes is over "
                                  "SSPI's 4 GiB limit", call, x->subject, (unsigned long long)in_len);
    if (!client && in_len == 0)
        return scpauth__error_set(err, SCPAUTH_EPROTO, "%s for %s: the client sent no token",
                                  call, x->subject);

    /* The output token goes straight into `out`, sized for the largest token. */
    int rc = scpauth__buffer_alloc(out, x->max_token, err);
    if (rc != SCPAUTH_OK)
        return rc;
    /* Input tokens are only read by the package; SecBuffer is not const. */
    SecBuffer inb = {(unsigned long)in_len, SECBUFFER_TOKEN, (void *)in};
    SecBufferDesc ind = {SECBUFFER_VERSION, 1, &inb};
    SecBuffer outb = {x->max_token, SECBUFFER_TOKEN, out->data};
    SecBufferDesc outd = {SECBUFFER_VERSION, 1, &outb};
    unsigned long attrs = 0;
    TimeStamp expiry;
    expiry.QuadPart = 0;

    SECURITY_STATUS st = ctx_call(x, in_len ? &ind : NULL, &outd, &attrs, &expiry);
    /* A handle exists once a call succeeded; later failures leave a partial
     * context that must still be deleted. */
    if (!FAILED(st))
        x->have_handle = 1;
    if (st == SEC_I_COMPLETE_NEEDED || st == SEC_I_COMPLETE_AND_CONTINUE) {
        SECURITY_STATUS cst = CompleteAuthToken(&x->handle, &outd);
        if (cst != SEC_E_OK) {
            scpauth_buffer_free(out);
            return scpauth__sspi_fail(err, cst, 0, "CompleteAuthToken", x->subject);
        }
        st = st == SEC_I_COMPLETE_NEEDED ? SEC_E_OK : SEC_I_CONTINUE_NEEDED;
    }
    if (st != SEC_E_OK && st != SEC_I_CONTINUE_NEEDED) {
        scpauth_buffer_free(out);
        return FAILED(st) ? scpauth__sspi_fail(err, st, 0, call, x->subject)
                          : scpauth__error_set(err, SCPAUTH_EAUTH,
                                               "%s for %s returned the unexpected status 0x%08lX",
                                               call, x->subject, (unsigned long)(ULONG)st);
    }
    if (outb.cbBuffer > x->max_token || (outb.cbBuffer > 0 && outb.pvBuffer != out->data)) {
        scpauth_buffer_free(out);
        return scpauth__error_set(err, SCPAUTH_EINTERNAL, "%s for %s wrote outside its buffer",
                                  call, x->subject);
    }
    out->len = outb.cbBuffer; /* may be 0: nothing to send */

    x->attrs = attrs;
    x->expiry = expiry.QuadPart;
    if (st == SEC_I_CONTINUE_NEEDED)
        return SCPAUTH_CONTINUE;
    if (!client && x->creds->name[0] != '\0') {
        rc = ctx_check_spn(x, err);
        if (rc != SCPAUTH_OK) {
            scpauth_buffer_free(out); /* no AP-REP for a refused client */
            return rc;
        }
    }
    x->established = 1;
    return SCPAUTH_OK;
}

void scpauth__sspi_ctx_free(void *bctx)
{
    scpauth__sspi_ctx *x = bctx;
    if (x == NULL)
        return;
    if (x->have_handle)
        DeleteSecurityContext(&x->handle);
    scpauth__sspi_wfree(x->target);
    free(x->spn);
    free(x);
}
