/* gss_doctor.c - the doctor's MIT krb5 hooks: the keys of a keytab
 * (krb5_kt_start_seq_get / krb5_kt_next_entry), and the KDC's time from
 * the KRB-ERROR it answers an AS-REQ without pre-authentication with
 * (krb5_init_creds_get_error; the error carries stime/susec). */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <krb5.h>

#include "doctor_internal.h"

static int krb5_error_set(scpauth_error *err, int code, krb5_context k, krb5_error_code kc,
                          const char *what, const char *obj)
{
    const char *text = k != NULL ? krb5_get_error_message(k, kc) : NULL;
    scpauth__error_set(err, code, "%s %.300s: %s", what, obj,
                       text != NULL ? text : "Kerberos error");
    if (text != NULL)
        krb5_free_error_message(k, text);
    scpauth__error_native(err, SCPAUTH_NATIVE_KRB5, 0, kc);
    return code;
}

static int keys_push(scpauth__keytab_keys *out, krb5_context k, const krb5_keytab_entry *e,
                     const char *keytab, scpauth_error *err)
{
    if (out->count == SCPAUTH__KEYTAB_KEYS_MAX)
        return scpauth__error_set(err, SCPAUTH_EKEYTAB, "keytab %.300s: more than %u keys",
                                  keytab, SCPAUTH__KEYTAB_KEYS_MAX);
    if (out->count == out->cap) {
        size_t cap = out->cap ? out->cap * 2 : 16;
        scpauth__keytab_key *p = realloc(out->items, cap * sizeof(*p));
        if (p == NULL)
            return scpauth__error_set(err, SCPAUTH_ENOMEM, "keytab %.300s: out of memory",
                                      keytab);
        out->items = p;
        out->cap = cap;
    }
    scpauth__keytab_key *key = &out->items[out->count];
    char *name = NULL;
    krb5_error_code kc = krb5_unparse_name(k, e->principal, &name);
    if (kc != 0)
        return krb5_error_set(err, SCPAUTH_EKEYTAB, k, kc, "keytab", keytab);
    scpauth__dir_copy(key->principal, sizeof(key->principal), name);
    krb5_free_unparsed_name(k, name);
    key->kvno = e->vno;
    key->enctype = e->key.enctype;
    out->count++;
    return SCPAUTH_OK;
}

int scpauth__keytab_keys_read(const char *keytab, scpauth__keytab_keys *out,
                              scpauth_error *err)
{
    memset(out, 0, sizeof(*out));
    krb5_context k = NULL;
    krb5_keytab kt = NULL;
    krb5_kt_cursor cur;
    krb5_error_code kc = krb5_init_context(&k);
    if (kc != 0)
        return krb5_error_set(err, SCPAUTH_EINTERNAL, NULL, kc, "krb5_init_context for",
                              keytab);
    int rc = SCPAUTH_OK;
    kc = krb5_kt_resolve(k, keytab, &kt);
    if (kc == 0)
        kc = krb5_kt_start_seq_get(k, kt, &cur);
    if (kc != 0) {
        rc = krb5_error_set(err, SCPAUTH_EKEYTAB, k, kc, "cannot read keytab", keytab);
        goto done;
    }
    krb5_keytab_entry e;
    while (rc == SCPAUTH_OK && (kc = krb5_kt_next_entry(k, kt, &e, &cur)) == 0) {
        rc = keys_push(out, k, &e, keytab, err);
        krb5_free_keytab_entry_contents(k, &e); /* wipes the key */
    }
    krb5_kt_end_seq_get(k, kt, &cur);
    if (rc == SCPAUTH_OK && kc != KRB5_KT_END)
        rc = krb5_error_set(err, SCPAUTH_EKEYTAB, k, kc, "cannot read keytab", keytab);
done:
    if (kt != NULL)
        krb5_kt_close(k, kt);
    krb5_free_context(k);
    if (rc != SCPAUTH_OK)
        scpauth__keytab_keys_free(out);
    return rc;
}

static double wall_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static krb5_error_code probe_client(krb5_context k, const char *principal,
                                    krb5_principal *out)
{
    if (principal != NULL)
        return krb5_parse_name(k, principal, out);
    char *realm = NULL;
    krb5_error_code kc = krb5_get_default_realm(k, &realm);
    if (kc != 0)
        return kc;
    /* a name nobody has: the KDC answers C_PRINCIPAL_UNKNOWN, with its time */
    kc = krb5_build_principal(k, out, (unsigned)strlen(realm), realm, "scpauth-doctor-probe",
                              (char *)NULL);
    krb5_free_default_realm(k, realm);
    return kc;
}

int scpauth__kdc_skew(const char *principal, double *skew, char *realm, size_t size,
                      scpauth_error *err)
{
    krb5_context k = NULL;
    krb5_principal client = NULL;
    krb5_init_creds_context icc = NULL;
    krb5_error *ke = NULL;
    if (size > 0)
        realm[0] = '\0';
    krb5_error_code kc = krb5_init_context(&k);
    if (kc != 0)
        return krb5_error_set(err, SCPAUTH_EINTERNAL, NULL, kc, "krb5_init_context", "");
    int rc = SCPAUTH_OK;
    kc = probe_client(k, principal, &client);
    if (kc != 0) {
        rc = krb5_error_set(err, SCPAUTH_EINVAL, k, kc, "principal",
                            principal ? principal : "(default realm)");
        goto done;
    }
    if (size > 0) {
        size_t n = client->realm.length < size - 1 ? client->realm.length : size - 1;
        memcpy(realm, client->realm.data, n);
        realm[n] = '\0';
    }
    kc = krb5_init_creds_init(k, client, NULL, NULL, 0, NULL, &icc);
    if (kc == 0)
        kc = krb5_init_creds_get(k, icc); /* no password: stops after the KDC's error */
    double now = wall_now();
    if (icc != NULL && krb5_init_creds_get_error(k, icc, &ke) == 0 && ke != NULL) {
        *skew = ((double)(uint32_t)ke->stime + /* krb5 times are unsigned */ (double)ke->susec / 1e6) - now;
    } else {
        rc = krb5_error_set(err, SCPAUTH_EKDC, k, kc, "no time from the KDC of", realm);
    }
done:
    if (ke != NULL)
        krb5_free_error(k, ke);
    if (icc != NULL)
        krb5_init_creds_free(k, icc);
    krb5_free_principal(k, client);
    krb5_free_context(k);
    return rc;
}
