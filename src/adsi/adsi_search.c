/* adsi_search.c - searches through wldap32: subtree searches paged, each
 * request bounded by the timeout; ldap_first_entry/ldap_next_entry never
 * return continuation references, so they are skipped by construction.
 * Values arrive as bytes (UTF-8 on the wire) and go through the core's
 * checks; DNs and attribute names come back as UTF-16 and are converted. */
#include <stdlib.h>
#include <string.h>

#include "adsi_internal.h"

static int take_entry(scpauth__adsi_conn *c, LDAPMessage *msg, scpauth__dir_entries *out,
                      scpauth_error *err)
{
    PWCHAR wdn = ldap_get_dnW(c->ld, msg);
    size_t dn_len = 0;
    char *dn = wdn != NULL ? scpauth__adsi_utf8(wdn, &dn_len) : NULL;
    ldap_memfreeW(wdn);
    if (dn == NULL)
        return scpauth__error_set(err, SCPAUTH_EDIR, "%s:%u sent an entry without a valid DN",
                                  c->host, c->port);
    scpauth__dir_entry *e;
    int rc = scpauth__dir_entry_new(out, dn, dn_len, &e, err);
    free(dn);
    BerElement *ber = NULL;
    for (PWCHAR a = rc == SCPAUTH_OK ? ldap_first_attributeW(c->ld, msg, &ber) : NULL;
         a != NULL; a = ldap_next_attributeW(c->ld, msg, ber)) {
        char *name = scpauth__adsi_utf8(a, NULL);
        struct berval **vals = ldap_get_values_lenW(c->ld, msg, a);
        if (name == NULL)
            rc = scpauth__error_set(err, SCPAUTH_EDIR, "malformed attribute name in %s", e->dn);
        for (size_t i = 0; rc == SCPAUTH_OK && vals != NULL && vals[i] != NULL; i++)
            rc = scpauth__dir_entry_add(out, e, name, vals[i]->bv_val, vals[i]->bv_len, err);
        ldap_value_free_len(vals);
        free(name);
        ldap_memfreeW(a);
        if (rc != SCPAUTH_OK)
            break;
    }
    if (ber != NULL)
        ber_free(ber, 0);
    return rc;
}

/* The next page's cookie from a result (NULL: done). */
static ULONG next_cookie(scpauth__adsi_conn *c, LDAPMessage *res, struct berval **cookie)
{
    ULONG code = LDAP_SUCCESS, total = 0;
    PLDAPControlW *ctrls = NULL;
    ULONG rc = ldap_parse_resultW(c->ld, res, &code, NULL, NULL, NULL, &ctrls, FALSE);
    if (rc == LDAP_SUCCESS)
        rc = code;
    if (*cookie != NULL)
        ber_bvfree(*cookie);
    *cookie = NULL;
    if (rc == LDAP_SUCCESS && ctrls != NULL &&
        ldap_parse_page_controlW(c->ld, ctrls, &total, cookie) == LDAP_SUCCESS &&
        *cookie != NULL && (*cookie)->bv_len == 0) {
        ber_bvfree(*cookie);
        *cookie = NULL;
    }
    if (ctrls != NULL)
        ldap_controls_freeW(ctrls);
    return rc;
}

static int one_page(scpauth__adsi_conn *c, unsigned timeout_ms, const scpauth__dir_query *q,
                    const wchar_t *base, const wchar_t *filter, wchar_t **attrs,
                    struct berval **cookie, scpauth__dir_entries *out, scpauth_error *err)
{
    int paged = q->scope != SCPAUTH__DIR_SCOPE_BASE;
    PLDAPControlW page = NULL, ctrls[2] = {NULL, NULL};
    if (paged && ldap_create_page_controlW(c->ld, SCPAUTH__ADSI_PAGE_SIZE, *cookie, FALSE,
                                           &page) != LDAP_SUCCESS)
        return scpauth__error_set(err, SCPAUTH_ENOMEM, "cannot build a paged-results control");
    ctrls[0] = page;
    struct l_timeval tv = {(LONG)(timeout_ms / 1000), (LONG)((timeout_ms % 1000) * 1000)};
    LDAPMessage *res = NULL;
    ULONG rc = ldap_search_ext_sW(c->ld, (PWCHAR)base,
                                  q->scope == SCPAUTH__DIR_SCOPE_BASE ? LDAP_SCOPE_BASE
                                                                      : LDAP_SCOPE_SUBTREE,
                                  (PWCHAR)filter, attrs, 0, paged ? ctrls : NULL, NULL, &tv, 0,
                                  &res);
    if (page != NULL)
        ldap_control_freeW(page);
    int out_rc = SCPAUTH_OK;
    if (rc == LDAP_NO_SUCH_OBJECT && q->scope == SCPAUTH__DIR_SCOPE_BASE)
        rc = LDAP_SUCCESS; /* no such base object: an empty answer */
    else if (rc == LDAP_SUCCESS)
        rc = next_cookie(c, res, cookie);
    if (rc != LDAP_SUCCESS)
        out_rc = scpauth__adsi_fail_ldap(err, c->ld, rc, "search of \"%.200s\" under \"%.200s\" "
                                                         "on %s:%u",
                                         q->filter, q->base, c->host, c->port);
    for (LDAPMessage *m = out_rc == SCPAUTH_OK && res != NULL ? ldap_first_entry(c->ld, res)
                                                              : NULL;
         m != NULL && out_rc == SCPAUTH_OK; m = ldap_next_entry(c->ld, m))
        out_rc = take_entry(c, m, out, err);
    if (res != NULL)
        ldap_msgfree(res);
    return out_rc;
}

int scpauth__adsi_search(void *bconn, unsigned timeout_ms, const scpauth__dir_query *q,
                         scpauth__dir_entries *out, scpauth_error *err)
{
    scpauth__adsi_conn *c = bconn;
    size_t n_attrs = 0;
    while (q->attrs[n_attrs] != NULL)
        n_attrs++;
    wchar_t *base = scpauth__adsi_wide(q->base, err);
    wchar_t *filter = base != NULL ? scpauth__adsi_wide(q->filter, err) : NULL;
    wchar_t **attrs = filter != NULL ? scpauth__adsi_wide_array(q->attrs, n_attrs, err) : NULL;
    int rc = attrs != NULL ? SCPAUTH_OK : SCPAUTH_EINVAL;
    struct berval *cookie = NULL;
    int pages = 0;
    do
        rc = rc == SCPAUTH_OK
                 ? one_page(c, timeout_ms, q, base, filter, attrs, &cookie, out, err)
                 : rc;
    while (rc == SCPAUTH_OK && cookie != NULL && ++pages < SCPAUTH__ADSI_PAGES_MAX);
    if (rc == SCPAUTH_OK && cookie != NULL)
        rc = scpauth__error_set(err, SCPAUTH_EDIR, "search on %s:%u: more than %d pages",
                                c->host, c->port, SCPAUTH__ADSI_PAGES_MAX);
    if (cookie != NULL)
        ber_bvfree(cookie);
    scpauth__adsi_wide_array_free(attrs);
    free(filter);
    free(base);
    return rc;
}
