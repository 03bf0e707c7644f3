/* doctor_ticket.c - client side: can this client get a service ticket for
 * the SPN? The first handshake step asks the KDC for it; its token shows
 * which keys the KDC chose. */
#include <stdio.h>
#include <string.h>

#include "doctor_internal.h"

/* Appends what the token reveals to the check's detail; 1 when the
 * ticket is encrypted with an AES key. *f receives the facts. */
static int describe_token(scpauth_doctor_check *c, const scpauth_buffer *tok,
                          scpauth__apreq_facts *fp, int *known)
{
    scpauth__apreq_facts f;
    *known = 0;
    if (scpauth__apreq_parse(tok->data, tok->len, &f, NULL) != SCPAUTH_OK)
        return 0;
    *fp = f;
    char b1[24], b2[24], kv[32] = "";
    if (f.has_kvno)
        snprintf(kv, sizeof(kv), ", service key kvno %lu", (unsigned long)f.kvno);
    scpauth__doctor_append(c->detail, sizeof(c->detail), "; ticket enctype %s%s, session key %s",
             scpauth_enctype_name(f.ticket_enctype, b1, sizeof(b1)), kv,
             scpauth_enctype_name(f.session_enctype, b2, sizeof(b2)));
    *known = 1;
    return scpauth__enctype_is_aes(f.ticket_enctype);
}

void scpauth__doctor_check_ticket(scpauth__doctor *d)
{
    scpauth_doctor_check *c = scpauth__doctor_add(d, "ticket");
    if (d->opts->keytab != NULL) {
        scpauth__doctor_set(c, SCPAUTH_DOCTOR_SKIPPED, SCPAUTH_OK,
                            "client side only (a keytab was given)");
        return;
    }
    if (d->spn[0] == '\0') {
        scpauth__doctor_set(c, SCPAUTH_DOCTOR_SKIPPED, SCPAUTH_OK, "no SPN to ask a ticket for");
        return;
    }
    if (d->creds == NULL) {
        scpauth__doctor_set(c, SCPAUTH_DOCTOR_PROBLEM, SCPAUTH_ENOCREDS,
                            "no service ticket for %s: this client has no credentials "
                            "(see creds)", d->spn);
        scpauth__doctor_fix(c, "get a ticket-granting ticket first (kinit USER), or name the "
                               "ccache that holds one (--ccache)");
        return;
    }
    scpauth_error err;
    scpauth_error_clear(&err);
    scpauth_ctx *ctx = NULL;
    scpauth_buffer tok = {0};
    int rc = scpauth_ctx_new(d->creds, d->spn, 0, &ctx, &err);
    if (rc == SCPAUTH_OK)
        rc = scpauth_ctx_step(ctx, NULL, 0, &tok, &err);
    if (rc != SCPAUTH_OK && rc != SCPAUTH_CONTINUE) {
        scpauth__doctor_fail(c, &err, "see the spn and clock checks");
    } else {
        scpauth__doctor_set(c, SCPAUTH_DOCTOR_OK, SCPAUTH_OK,
                            "%s got a service ticket for %s",
                            d->principal[0] ? d->principal : "this client", d->spn);
        scpauth__apreq_facts f;
        int known, aes = describe_token(c, &tok, &f, &known);
        const scpauth_doctor_check *clock = scpauth_doctor_find(d->report, "clock");
        if (known && f.has_kvno && d->has_kvno && f.kvno != d->kvno) {
            /* a ticket cached before the account's password changed */
            c->status = SCPAUTH_DOCTOR_WARN;
            scpauth__doctor_append(c->detail, sizeof(c->detail),
                                   "; the directory's key is at kvno %lu",
                                   (unsigned long)d->kvno);
            scpauth__doctor_fix(c, "the ticket is for an older key of the service's account "
                                   "(cached before a password change): the service refuses it "
                                   "once its keytab is current; get a fresh one (kdestroy and "
                                   "kinit again, or wait for it to expire)");
        } else if (clock != NULL && clock->status == SCPAUTH_DOCTOR_PROBLEM) {
            /* the ticket may come from the ccache; the service checks the time */
            c->status = SCPAUTH_DOCTOR_WARN;
            scpauth__doctor_fix(c, "the service will refuse this client's authenticator while "
                                   "the clocks disagree (see the clock check)");
        } else if (known && !aes) {
            c->status = SCPAUTH_DOCTOR_WARN;
            scpauth__doctor_fix(c, "the KDC encrypted the ticket without AES: give the "
                                   "service's account AES (see the enctypes check)");
        }
    }
    scpauth_buffer_free(&tok);
    scpauth_ctx_free(ctx);
}
