/* ldap_search.c - searches: subtree searches are paged (RFC 2696), each
 * request bounded by the timeout, continuation references skipped, and
 * every DN and value handed to the core's checks before it is kept. */
#include <stdlib.h>
#include <string.h>

#include "ldap_internal.h"

static int take_entry(scpauth__ldap_conn *c, LDAPMessage *msg, scpauth__dir_entries *out,
                      scpauth_error *err)
{
    char *dn = ldap_get_dn(c->ld, msg);
    if (dn == NULL)
        return scpauth__error_set(err, SCPAUTH_EDIR, "%s:%u sent an entry without a DN",
                                  c->host, c->port);
    scpauth__dir_entry *e;
    int rc = scpauth__dir_entry_new(out, dn, strlen(dn), &e, err);
    ldap_memfree(dn);
    BerElement *ber = NULL;
    for (char *a = rc == SCPAUTH_OK ? ldap_first_attribute(c->ld, msg, &ber) : NULL; a != NULL;
         a = ldap_next_attribute(c->ld, msg, ber)) {
        struct berval **vals = ldap_get_values_len(c->ld, msg, a);
        for (size_t i = 0; rc == SCPAUTH_OK && vals != NULL && vals[i] != NULL; i++)
            rc = scpauth__dir_entry_add(out, e, a, vals[i]->bv_val, vals[i]->bv_len, err);
        ldap_value_free_len(vals);
        ldap_memfree(a);
        if (rc != SCPAUTH_OK)
            break;
    }
    ber_free(ber, 0);
    return rc;
}

/* The paged-results cookie of a final result message (NULL: no more pages). */
static int next_cookie(scpauth__ldap_conn *c, LDAPControl **ctrls, struct berval **cookie)
{
    LDAPControl *page = ldap_control_find(LDAP_CONTROL_PAGEDRESULTS, ctrls, NULL);
    ber_bvfree(*cookie);
    *cookie = NULL;
    if (page == NULL)
        return LDAP_SUCCESS;
    ber_int_t estimate = 0;
    struct berval next = {0, NULL};
    int rc = ldap_parse_pageresponse_control(c->ld, page, &estimate, &next);
    if (rc == LDAP_SUCCESS && next.bv_len > 0)
        *cookie = ber_bvdup(&next);
    ber_memfree(next.bv_val);
    return rc;
}

static int finish(scpauth__ldap_conn *c, const scpauth__dir_query *q, LDAPMessage *msg,
                  struct berval **cookie, scpauth_error *err)
{
    int code = LDAP_OTHER;
    char *diag = NULL;
    LDAPControl **ctrls = NULL;
    int rc = ldap_parse_result(c->ld, msg, &code, NULL, &diag, NULL, &ctrls, 0);
    if (rc == LDAP_SUCCESS)
        rc = code;
    /* a base object that does not exist is an empty answer */
    if (rc == LDAP_NO_SUCH_OBJECT && q->scope == SCPAUTH__DIR_SCOPE_BASE)
        rc = LDAP_SUCCESS;
    if (rc == LDAP_SUCCESS && next_cookie(c, ctrls, cookie) != LDAP_SUCCESS)
        rc = LDAP_PROTOCOL_ERROR;
    int out = rc == LDAP_SUCCESS
                  ? SCPAUTH_OK
                  : scpauth__ldap_fail(err, c->ld, rc, diag, "search of \"%.200s\" under \"%.200s\" on %s:%u",
                                       q->filter, q->base, c->host, c->port);
    ldap_memfree(diag);
    ldap_controls_free(ctrls);
    return out;
}

/* One request (one page), read to its final result. */
static int one_page(scpauth__ldap_conn *c, unsigned timeout_ms, const scpauth__dir_query *q,
                    struct berval **cookie, scpauth__dir_entries *out, scpauth_error *err)
{
    LDAPControl *page = NULL, *ctrls[2] = {NULL, NULL};
    int paged = q->scope != SCPAUTH__DIR_SCOPE_BASE;
    if (paged && ldap_create_page_control(c->ld, SCPAUTH__LDAP_PAGE_SIZE, *cookie, 0, &page) !=
                     LDAP_SUCCESS)
        return scpauth__error_set(err, SCPAUTH_ENOMEM, "cannot build a paged-results control");
    ctrls[0] = page;
    struct timeval tv = scpauth__ldap_tv(timeout_ms);
    int msgid = -1;
    int rc = ldap_search_ext(c->ld, q->base, q->scope == SCPAUTH__DIR_SCOPE_BASE
                                                 ? LDAP_SCOPE_BASE : LDAP_SCOPE_SUBTREE,
                             q->filter, (char **)(uintptr_t)q->attrs, 0, paged ? ctrls : NULL,
                             NULL, &tv, LDAP_NO_LIMIT, &msgid);
    ldap_control_free(page);
    if (rc != LDAP_SUCCESS)
        return scpauth__ldap_fail(err, c->ld, rc, NULL, "search on %s:%u", c->host, c->port);
    double deadline = scpauth__ldap_now_ms() + timeout_ms;
    for (;;) {
        double left = deadline - scpauth__ldap_now_ms();
        struct timeval wait = scpauth__ldap_tv(left > 1 ? (unsigned)left : 1);
        LDAPMessage *msg = NULL;
        int type = ldap_result(c->ld, msgid, LDAP_MSG_ONE, &wait, &msg);
        if (type == 0) {
            ldap_abandon_ext(c->ld, msgid, NULL, NULL);
            return scpauth__error_set(err, SCPAUTH_ETIMEDOUT,
                                      "search on %s:%u: no answer within %u ms", c->host,
                                      c->port, timeout_ms);
        }
        if (type < 0) {
            int code = LDAP_OTHER;
            ldap_get_option(c->ld, LDAP_OPT_RESULT_CODE, &code);
            return scpauth__ldap_fail(err, c->ld, code, NULL, "search on %s:%u", c->host,
                                      c->port);
        }
        if (type == LDAP_RES_SEARCH_ENTRY)
            rc = take_entry(c, msg, out, err);
        else if (type == LDAP_RES_SEARCH_RESULT)
            rc = finish(c, q, msg, cookie, err);
        else
            rc = SCPAUTH_OK; /* continuation references (pitfall 12) and the rest */
        ldap_msgfree(msg);
        if (rc != SCPAUTH_OK) {
            if (type != LDAP_RES_SEARCH_RESULT)
                ldap_abandon_ext(c->ld, msgid, NULL, NULL);
            return rc;
        }
        if (type == LDAP_RES_SEARCH_RESULT)
            return SCPAUTH_OK;
    }
}

int scpauth__ldap_search(void *bconn, unsigned timeout_ms, const scpauth__dir_query *q,
                         scpauth__dir_entries *out, scpauth_error *err)
{
    scpauth__ldap_conn *c = bconn;
    struct berval *cookie = NULL;
    int rc, pages = 0;
    do
        rc = one_page(c, timeout_ms, q, &cookie, out, err);
    while (rc == SCPAUTH_OK && cookie != NULL && ++pages < SCPAUTH__LDAP_PAGES_MAX);
    /* a server that hands out cookies forever must not keep us here */
    if (rc == SCPAUTH_OK && cookie != NULL)
        rc = scpauth__error_set(err, SCPAUTH_EDIR, "search on %s:%u: more than %d pages",
                                c->host, c->port, SCPAUTH__LDAP_PAGES_MAX);
    ber_bvfree(cookie);
    return rc;
}
