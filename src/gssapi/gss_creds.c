/* gss_creds.c - per-handle credentials through gss_acquire_cred_from and a
 * cred store: nothing here reads or sets KRB5CCNAME / KRB5_KTNAME. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error_internal.h"
#include "gss_internal.h"

/* DER bodies of SPNEGO and of the krb5 OID Windows sends (1.2.840.48018.1.2.2). */
static gss_OID_desc oid_spnego = {6, "\x2b\x06\x01\x05\x05\x02"};
static gss_OID_desc oid_mskrb5 = {9, "\x2a\x86\x48\x82\xf7\x12\x01\x02\x02"};

/* Obtains a TGT for principal with password into a private MEMORY ccache
 * (c->mem_ccache). The caller's password is read in place, never copied. */
static int password_login(scpauth__gss_creds *c, const char *principal, const char *password,
                          scpauth_error *err)
{
    krb5_principal p = NULL;
    krb5_get_init_creds_opt *opt = NULL;
    krb5_creds creds;
    memset(&creds, 0, sizeof(creds));

    krb5_error_code ret = krb5_parse_name(c->kctx, principal, &p);
    if (ret != 0)
        return scpauth__krb5_fail(err, SCPAUTH__GSS_OP_CLIENT_CREDS, c->kctx, ret,
                                  "cannot use \"%s\" as a Kerberos principal name", principal);
    ret = krb5_cc_new_unique(c->kctx, "MEMORY", NULL, &c->mem_ccache);
    if (ret == 0)
        ret = krb5_get_init_creds_opt_alloc(c->kctx, &opt);
    if (ret == 0)
        ret = krb5_get_init_creds_opt_set_out_ccache(c->kctx, opt, c->mem_ccache);
    if (ret != 0) {
        krb5_free_principal(c->kctx, p);
        krb5_get_init_creds_opt_free(c->kctx, opt);
        return scpauth__krb5_fail(err, SCPAUTH__GSS_OP_OTHER, c->kctx, ret,
                                  "cannot prepare a memory ccache for %s", principal);
    }
    /* No prompter: an expired password fails (KEY_EXP) instead of prompting. */
    ret = krb5_get_init_creds_password(c->kctx, &creds, p, password, NULL, NULL, 0, NULL, opt);
    if (ret == 0)
        krb5_free_cred_contents(c->kctx, &creds);
    krb5_get_init_creds_opt_free(c->kctx, opt);
    krb5_free_principal(c->kctx, p);
    if (ret != 0)
        return scpauth__krb5_fail(err, SCPAUTH__GSS_OP_CLIENT_CREDS, c->kctx, ret,
                                  "cannot log in as %s with the given password", principal);
    return SCPAUTH_OK;
}

/* Fills the cred store and c->source for a client; *count is 0 or 1. */
static int client_store(scpauth__gss_creds *c, const scpauth_creds_options *o,
                        gss_key_value_element_desc *el, char *ccname, size_t ccsize,
                        OM_uint32 *count, scpauth_error *err)
{
    *count = 0;
    if (o->password != NULL) {
        int rc = password_login(c, o->principal, o->password, err);
        if (rc != SCPAUTH_OK)
            return rc;
        char *full = NULL;
        krb5_error_code ret = krb5_cc_get_full_name(c->kctx, c->mem_ccache, &full);
        if (ret != 0)
            return scpauth__krb5_fail(err, SCPAUTH__GSS_OP_OTHER, c->kctx, ret,
                                      "cannot name the memory ccache of %s", o->principal);
        snprintf(ccname, ccsize, "%s", full);
        krb5_free_string(c->kctx, full);
        snprintf(c->source, sizeof(c->source), "the password login of %s", o->principal);
    } else if (o->ccache != NULL) {
        snprintf(ccname, ccsize, "%s", o->ccache);
        snprintf(c->source, sizeof(c->source), "ccache %s", o->ccache);
    } else {
        const char *def = krb5_cc_default_name(c->kctx);
        snprintf(c->source, sizeof(c->source), "the default ccache %s", def ? def : "");
        return SCPAUTH_OK;
    }
    el->key = "ccache";
    el->value = ccname;
    *count = 1;
    return SCPAUTH_OK;
}

/* Fills the cred store and c->source for a service. */
static void service_store(scpauth__gss_creds *c, const scpauth_creds_options *o,
                          gss_key_value_element_desc *el, OM_uint32 *count)
{
    char def[SCPAUTH_NAME_MAX / 2] = "";
    *count = 0;
    if (o->keytab != NULL) {
        el->key = "keytab";
        el->value = o->keytab;
        *count = 1;
    } else if (krb5_kt_default_name(c->kctx, def, sizeof(def)) != 0) {
        def[0] = '\0';
    }
    snprintf(c->source, sizeof(c->source), "%skeytab %s", o->keytab ? "" : "the default ",
             o->keytab ? o->keytab : def);
}

/* Lets the acceptor take SPNEGO too, but negotiate Kerberos only (never
 * NTLM, which gss-ntlmssp would otherwise offer). */
static int service_add_spnego(scpauth__gss_creds *c, gss_name_t name,
                              gss_const_key_value_set_t store, scpauth_error *err)
{
    OM_uint32 major, minor;
    gss_OID_desc neg[2];
    gss_OID_set_desc neg_set = {2, neg};
    neg[0] = *gss_mech_krb5;
    neg[1] = oid_mskrb5;

    major = gss_add_cred_from(&minor, c->cred, name, &oid_spnego, GSS_C_ACCEPT, 0, 0, store,
                              NULL, NULL, NULL, NULL);
    if (GSS_ERROR(major))
        return scpauth__gss_fail(err, SCPAUTH__GSS_OP_SERVICE_CREDS, major, minor,
                                 "cannot accept SPNEGO with %s", c->source);
    major = gss_set_neg_mechs(&minor, c->cred, &neg_set);
    if (GSS_ERROR(major))
        return scpauth__gss_fail(err, SCPAUTH__GSS_OP_SERVICE_CREDS, major, minor,
                                 "cannot limit SPNEGO to Kerberos with %s", c->source);
    return SCPAUTH_OK;
}

static int acquire(scpauth__gss_creds *c, const scpauth_creds_options *o, scpauth_error *err)
{
    OM_uint32 major, minor, count = 0;
    gss_key_value_element_desc el;
    gss_key_value_set_desc store = {0, &el};
    gss_OID_set_desc krb5_only = {1, gss_mech_krb5};
    gss_name_t name = GSS_C_NO_NAME;
    char ccname[SCPAUTH_NAME_MAX];
    int client = o->role == SCPAUTH_ROLE_CLIENT;
    scpauth__gss_op op = client ? SCPAUTH__GSS_OP_CLIENT_CREDS : SCPAUTH__GSS_OP_SERVICE_CREDS;
    int rc = SCPAUTH_OK;

    if (client)
        rc = client_store(c, o, &el, ccname, sizeof(ccname), &count, err);
    else
        service_store(c, o, &el, &count);
    if (rc != SCPAUTH_OK)
        return rc;
    store.count = count;

    /* A service without a principal takes any key of its keytab. */
    if (o->principal != NULL && o->principal[0] != '\0') {
        major = scpauth__gss_import_principal(&minor, o->principal, &name);
        if (GSS_ERROR(major))
            return scpauth__gss_fail(err, SCPAUTH__GSS_OP_OTHER, major, minor,
                                     "cannot use \"%s\" as a Kerberos principal name",
                                     o->principal);
    }
    major = gss_acquire_cred_from(&minor, name, GSS_C_INDEFINITE, &krb5_only,
                                  client ? GSS_C_INITIATE : GSS_C_ACCEPT,
                                  count ? &store : GSS_C_NO_CRED_STORE, &c->cred, NULL, NULL);
    if (GSS_ERROR(major)) {
        rc = scpauth__gss_fail(err, op, major, minor, "cannot use %s%s%s", c->source,
                               name ? " for " : "", name ? o->principal : "");
    } else if (!client) {
        rc = service_add_spnego(c, name, count ? &store : GSS_C_NO_CRED_STORE, err);
    }
    if (rc == SCPAUTH_OK && (client || name != GSS_C_NO_NAME)) {
        gss_name_t cname = GSS_C_NO_NAME;
        if (!GSS_ERROR(gss_inquire_cred(&minor, c->cred, &cname, NULL, NULL, NULL)))
            scpauth__gss_name_text(cname, c->name, sizeof(c->name));
        gss_release_name(&minor, &cname);
    }
    gss_release_name(&minor, &name);
    return rc;
}

int scpauth__gss_creds_acquire(const scpauth_creds_options *opts, void **bcreds,
                               scpauth_error *err)
{
    scpauth__gss_creds *c = calloc(1, sizeof(*c));
    if (c == NULL)
        return scpauth__error_set(err, SCPAUTH_ENOMEM, "cannot allocate GSSAPI credentials");
    c->role = opts->role;
    c->cred = GSS_C_NO_CREDENTIAL;
    krb5_error_code ret = krb5_init_context(&c->kctx);
    if (ret != 0) {
        free(c);
        return scpauth__error_set(err, SCPAUTH_EINTERNAL,
                                  "cannot initialise Kerberos (krb5_init_context: error %ld); "
                                  "check krb5.conf",
                                  (long)ret);
    }
    int rc = acquire(c, opts, err);
    if (rc != SCPAUTH_OK) {
        scpauth__gss_creds_free(c);
        return rc;
    }
    *bcreds = c;
    return SCPAUTH_OK;
}

void scpauth__gss_creds_free(void *bcreds)
{
    scpauth__gss_creds *c = bcreds;
    OM_uint32 minor;
    if (c == NULL)
        return;
    gss_release_cred(&minor, &c->cred);
    if (c->mem_ccache != NULL)
        krb5_cc_destroy(c->kctx, c->mem_ccache); /* wipes the TGT and its key */
    krb5_free_context(c->kctx);
    free(c);
}

int scpauth__gss_creds_name(void *bcreds, char *buf, size_t size, scpauth_error *err)
{
    scpauth__gss_creds *c = bcreds;
    size_t n = strlen(c->name);
    if (n >= size)
        return scpauth__error_set(err, SCPAUTH_ENOBUFS,
                                  "the principal name %s needs %zu bytes, the buffer has %zu",
                                  c->name, n + 1, size);
    memcpy(buf, c->name, n + 1);
    return SCPAUTH_OK;
}
