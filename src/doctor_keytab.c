/* doctor_keytab.c - service side: does the keytab hold the SPN's key at the
 * version the directory has now, with an AES enctype? The keytab is read by
 * the platform hook (src/gssapi/gss_doctor.c); the judgement is here. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doctor_internal.h"

void scpauth__keytab_keys_free(scpauth__keytab_keys *k)
{
    if (k == NULL)
        return;
    free(k->items);
    k->items = NULL;
    k->count = k->cap = 0;
}

/* 1 when principal ("spn@REALM") names spn; the realm is compared only
 * when spn carries one. AD compares names without case. */
static int names_spn(const char *principal, const char *spn)
{
    size_t n = strlen(spn);
    if (strchr(spn, '@') != NULL)
        return scpauth__ascii_equal_nocase(principal, spn);
    const char *at = strrchr(principal, '@');
    size_t pn = at != NULL ? (size_t)(at - principal) : strlen(principal);
    if (pn != n)
        return 0;
    char buf[SCPAUTH_NAME_MAX];
    if (n >= sizeof(buf))
        return 0;
    memcpy(buf, principal, n);
    buf[n] = '\0';
    return scpauth__ascii_equal_nocase(buf, spn);
}

/* "aes256-cts-hmac-sha1-96, rc4-hmac" for the keys of spn at kvno. */
static int enctypes_at(const scpauth__keytab_keys *keys, const char *spn, uint32_t kvno,
                       char *out, size_t size)
{
    int aes = 0;
    out[0] = '\0';
    for (size_t i = 0; i < keys->count; i++) {
        const scpauth__keytab_key *k = &keys->items[i];
        if (k->kvno != kvno || !names_spn(k->principal, spn))
            continue;
        char b[24];
        scpauth__doctor_append(out, size, "%s%s", out[0] ? ", " : "", scpauth_enctype_name(k->enctype, b,
                                                                                sizeof(b)));
        aes |= scpauth__enctype_is_aes(k->enctype);
    }
    return aes;
}

/* The principals of the keytab, for a message: "a@R (kvno 2), b@R (kvno 3)". */
static void list_principals(const scpauth__keytab_keys *keys, char *out, size_t size)
{
    out[0] = '\0';
    for (size_t i = 0; i < keys->count && strlen(out) + 2 < size; i++) {
        int seen = 0;
        for (size_t j = 0; j < i && !seen; j++)
            seen = keys->items[j].kvno == keys->items[i].kvno &&
                   strcmp(keys->items[j].principal, keys->items[i].principal) == 0;
        if (seen)
            continue;
        scpauth__doctor_append(out, size, "%s%s (kvno %lu)", out[0] ? ", " : "", keys->items[i].principal,
                 (unsigned long)keys->items[i].kvno);
    }
    if (out[0] == '\0')
        snprintf(out, size, "no key at all");
}

static void export_fix(scpauth_doctor_check *c, const char *spn)
{
    scpauth__doctor_fix(c, "export the account's current keys for %s into the keytab again "
                           "(Samba: samba-tool domain exportkeytab FILE --principal=%s; "
                           "Windows: ktpass /princ %s@REALM /mapuser ACCOUNT /crypto AES256-SHA1 "
                           "/ptype KRB5_NT_PRINCIPAL /out FILE, which also sets a new password)",
                        spn, spn, spn);
}

void scpauth__doctor_keytab_judge(scpauth_doctor_check *c, const char *keytab,
                                  const char *spn, const scpauth__keytab_keys *keys,
                                  int has_kvno, uint32_t kvno)
{
    uint32_t newest = 0;
    int found = 0;
    char versions[128] = "";
    for (size_t i = 0; i < keys->count; i++) {
        const scpauth__keytab_key *k = &keys->items[i];
        if (!names_spn(k->principal, spn))
            continue;
        if (!found || k->kvno > newest)
            newest = k->kvno;
        char v[16];
        snprintf(v, sizeof(v), " %lu", (unsigned long)k->kvno);
        if (strstr(versions, v) == NULL && strlen(versions) + strlen(v) < sizeof(versions))
            strcat(versions, v);
        found = 1;
    }
    if (!found) {
        char held[SCPAUTH_DOCTOR_TEXT_MAX / 2];
        list_principals(keys, held, sizeof(held));
        scpauth__doctor_set(c, SCPAUTH_DOCTOR_PROBLEM, SCPAUTH_EKEYTAB,
                            "keytab %s has no key for %s (it holds: %s)", keytab, spn, held);
        export_fix(c, spn);
        return;
    }
    uint32_t want = has_kvno ? kvno : newest;
    char etypes[256];
    int aes = enctypes_at(keys, spn, want, etypes, sizeof(etypes));
    if (etypes[0] == '\0') {
        scpauth__doctor_set(c, SCPAUTH_DOCTOR_PROBLEM, SCPAUTH_EKVNO,
                            "keytab %s holds %s at kvno%s, but the directory says the "
                            "account's key is at kvno %lu (msDS-KeyVersionNumber): the password "
                            "changed after the keytab was made, so the service cannot decrypt "
                            "new tickets", keytab, spn, versions, (unsigned long)kvno);
        export_fix(c, spn);
        return;
    }
    if (!aes) {
        scpauth__doctor_set(c, SCPAUTH_DOCTOR_PROBLEM, SCPAUTH_EKEYTAB,
                            "keytab %s holds %s at kvno %lu with %s only: no AES key", keytab,
                            spn, (unsigned long)want, etypes);
        export_fix(c, spn);
        return;
    }
    if (!has_kvno) {
        scpauth__doctor_set(c, SCPAUTH_DOCTOR_WARN, SCPAUTH_OK,
                            "keytab %s holds %s at kvno %lu (%s); the directory's key version "
                            "is unknown (msDS-KeyVersionNumber not read)", keytab, spn,
                            (unsigned long)want, etypes);
        scpauth__doctor_fix(c, "let the enctypes check read the account (it needs the SPN's "
                               "one owner in this session's domain)");
        return;
    }
    scpauth__doctor_set(c, SCPAUTH_DOCTOR_OK, SCPAUTH_OK,
                        "keytab %s holds %s at kvno %lu, the directory's, with %s", keytab, spn,
                        (unsigned long)want, etypes);
}

void scpauth__doctor_check_keytab(scpauth__doctor *d)
{
    scpauth_doctor_check *c = scpauth__doctor_add(d, "keytab");
    const char *keytab = d->opts->keytab;
    if (keytab == NULL) {
        scpauth__doctor_set(c, SCPAUTH_DOCTOR_SKIPPED, SCPAUTH_OK,
                            "service side only (give the service's keytab)");
        return;
    }
    if (d->spn[0] == '\0') {
        scpauth__doctor_set(c, SCPAUTH_DOCTOR_SKIPPED, SCPAUTH_OK, "no SPN to look for");
        return;
    }
    scpauth__keytab_keys keys = {NULL, 0, 0};
    scpauth_error err;
    scpauth_error_clear(&err);
    int rc = scpauth__keytab_keys_read(keytab, &keys, &err);
    if (rc == SCPAUTH_ENOTSUP)
        scpauth__doctor_set(c, SCPAUTH_DOCTOR_SKIPPED, rc,
                            "this auth backend has no keytab (a Windows service uses its "
                            "account's keys through the logon session)");
    else if (rc != SCPAUTH_OK)
        scpauth__doctor_fail(c, &err, "check the keytab's path and that this user may read it");
    else
        scpauth__doctor_keytab_judge(c, keytab, d->spn, &keys, d->has_kvno, d->kvno);
    scpauth__keytab_keys_free(&keys);
}
