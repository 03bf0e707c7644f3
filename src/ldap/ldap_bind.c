/* ldap_bind.c - one authenticated connection to a DC: our own TCP connect
 * (bounded, with precise errors), then a SASL GSSAPI bind that requires a
 * sign + seal layer (SSF >= 56) and never canonicalises the host name.
 *
 * Per-connection credentials: cyrus-sasl's GSSAPI client reads the
 * SASL_GSS_CREDS property of its connection when it starts, but libldap
 * creates that SASL connection inside the bind. The GSSAPI client first
 * asks for the authorization identity (SASL_CB_USER) through the interact
 * callback, which runs after the SASL connection exists and before
 * gss_init_sec_context: that is where LDAP_OPT_X_SASL_GSS_CREDS hands it our
 * credential. A bind during which the callback never ran is refused, so a
 * library that stops asking cannot silently fall back to KRB5CCNAME. */
#include <openldap.h>
#include <sasl/sasl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ldap_internal.h"
#include "scpauth/net.h"

typedef struct bind_state {
    gss_cred_id_t cred;
    int creds_set;
} bind_state;

static int interact(LDAP *ld, unsigned flags, void *defaults, void *in)
{
    bind_state *b = defaults;
    (void)flags;
    if (!b->creds_set) {
        if (ldap_set_option(ld, LDAP_OPT_X_SASL_GSS_CREDS, (void *)b->cred) != LDAP_OPT_SUCCESS)
            return LDAP_LOCAL_ERROR;
        b->creds_set = 1;
    }
    for (sasl_interact_t *p = in; p != NULL && p->id != SASL_CB_LIST_END; p++) {
        if (p->id != SASL_CB_USER)
            return LDAP_LOCAL_ERROR; /* GSSAPI asks nothing else */
        p->result = ""; /* no authorization identity: act as ourselves */
        p->len = 0;
    }
    return LDAP_SUCCESS;
}

static int set_options(LDAP *ld, unsigned timeout_ms)
{
    int v3 = LDAP_VERSION3;
    int limit = (int)((timeout_ms + 999) / 1000);
    struct timeval tv = scpauth__ldap_tv(timeout_ms);
    return ldap_set_option(ld, LDAP_OPT_PROTOCOL_VERSION, &v3) == LDAP_OPT_SUCCESS &&
           ldap_set_option(ld, LDAP_OPT_REFERRALS, LDAP_OPT_OFF) == LDAP_OPT_SUCCESS &&
           ldap_set_option(ld, LDAP_OPT_X_SASL_NOCANON, LDAP_OPT_ON) == LDAP_OPT_SUCCESS &&
           scpauth__ldap_ssf_min_set(ld, SCPAUTH__LDAP_SSF_MIN) &&
           ldap_set_option(ld, LDAP_OPT_NETWORK_TIMEOUT, &tv) == LDAP_OPT_SUCCESS &&
           ldap_set_option(ld, LDAP_OPT_TIMEOUT, &tv) == LDAP_OPT_SUCCESS &&
           ldap_set_option(ld, LDAP_OPT_TIMELIMIT, &limit) == LDAP_OPT_SUCCESS;
}

/* The interactive SASL bind, each round trip bounded by what is left of
 * the deadline. */
static int sasl_bind(scpauth__ldap_conn *c, bind_state *b, double deadline, unsigned timeout_ms,
                     scpauth_error *err)
{
    LDAPMessage *res = NULL;
    const char *mech = NULL;
    int msgid = -1, rc;
    for (;;) {
        rc = ldap_sasl_interactive_bind(c->ld, NULL, "GSSAPI", NULL, NULL, LDAP_SASL_QUIET,
                                        interact, b, res, &mech, &msgid);
        ldap_msgfree(res);
        res = NULL;
        if (rc != LDAP_SASL_BIND_IN_PROGRESS)
            break;
        double left = deadline - scpauth__ldap_now_ms();
        struct timeval tv = scpauth__ldap_tv(left > 1 ? (unsigned)left : 1);
        int got = ldap_result(c->ld, msgid, LDAP_MSG_ALL, &tv, &res);
        if (got == 0) {
            ldap_abandon_ext(c->ld, msgid, NULL, NULL);
            scpauth__error_set(err, SCPAUTH_ETIMEDOUT,
                               "%s:%u: connected, but no answer to the bind within %u ms",
                               c->host, c->port, timeout_ms);
            scpauth__error_hint(err, "the DC accepts connections but does not answer: check "
                                     "that it runs, or allow more time (--timeout)");
            return SCPAUTH_ETIMEDOUT;
        }
        if (got < 0) {
            int code = LDAP_OTHER;
            ldap_get_option(c->ld, LDAP_OPT_RESULT_CODE, &code);
            return scpauth__ldap_fail(err, c->ld, code, NULL, "%s:%u: bind", c->host,
                                      c->port);
        }
    }
    if (rc != LDAP_SUCCESS)
        return scpauth__ldap_fail(err, c->ld, rc, NULL, "%s:%u: SASL GSSAPI bind", c->host,
                                  c->port);
    if (!b->creds_set)
        return scpauth__error_set(err, SCPAUTH_EINTERNAL,
                                  "%s:%u: the SASL library bound without taking the "
                                  "session's credentials; refusing the connection",
                                  c->host, c->port);
    return SCPAUTH_OK;
}

static int check_ssf(scpauth__ldap_conn *c, unsigned *ssf, scpauth_error *err)
{
    unsigned got = 0;
    if (!scpauth__ldap_ssf_get(c->ld, LDAP_OPT_X_SASL_SSF, &got) || got < SCPAUTH__LDAP_SSF_MIN)
        return scpauth__error_set(err, SCPAUTH_EDIRAUTH,
                                  "%s:%u: the bind has no sign+seal layer (SSF %u, need "
                                  ">= %d)",
                                  c->host, c->port, got, SCPAUTH__LDAP_SSF_MIN);
    *ssf = got;
    return SCPAUTH_OK;
}

static int open_fd(scpauth__ldap_conn *c, scpauth_socket fd, scpauth_error *err)
{
    char url[SCPAUTH_DIR_HOST_MAX + 32];
    int v6 = strchr(c->host, ':') != NULL;
    snprintf(url, sizeof(url), v6 ? "ldap://[%s]:%u" : "ldap://%s:%u", c->host, c->port);
    int rc = ldap_init_fd(fd, LDAP_PROTO_TCP, url, &c->ld);
    if (rc != LDAP_SUCCESS) {
        scpauth_net_close(fd);
        c->ld = NULL;
        return scpauth__ldap_fail(err, NULL, rc, NULL, "%s:%u: LDAP handle", c->host,
                                  c->port);
    }
    return SCPAUTH_OK;
}

int scpauth__ldap_connect(void *bcreds, const char *host, unsigned port, unsigned timeout_ms,
                          void **bconn, unsigned *ssf, scpauth_error *err)
{
    scpauth__ldap_creds *creds = bcreds;
    double deadline = scpauth__ldap_now_ms() + timeout_ms;
    scpauth__ldap_conn *c = calloc(1, sizeof(*c));
    if (c == NULL)
        return scpauth__error_set(err, SCPAUTH_ENOMEM, "out of memory connecting to %s", host);
    snprintf(c->host, sizeof(c->host), "%s", host);
    c->port = port;
    scpauth_socket fd = SCPAUTH_INVALID_SOCKET;
    int rc = scpauth_net_connect(host, port, (int)timeout_ms, &fd, err);
    if (rc == SCPAUTH_OK)
        rc = open_fd(c, fd, err);
    if (rc == SCPAUTH_OK && !set_options(c->ld, timeout_ms))
        rc = scpauth__error_set(err, SCPAUTH_EINTERNAL, "%s:%u: cannot set LDAP options",
                                host, port);
    bind_state b = {creds->cred, 0};
    if (rc == SCPAUTH_OK)
        rc = sasl_bind(c, &b, deadline, timeout_ms, err);
    if (rc == SCPAUTH_OK)
        rc = check_ssf(c, ssf, err);
    if (rc != SCPAUTH_OK) {
        scpauth__ldap_disconnect(c);
        return rc;
    }
    *bconn = c;
    return SCPAUTH_OK;
}

void scpauth__ldap_disconnect(void *bconn)
{
    scpauth__ldap_conn *c = bconn;
    if (c == NULL)
        return;
    if (c->ld != NULL)
        ldap_unbind_ext_s(c->ld, NULL, NULL);
    free(c);
}
