/* dir_account.c - what kind of account name a person or a principal gave,
 * and the LDAP filter that finds it. Pure text: no directory access. */
#include <string.h>

#include "dir_internal.h"

/* Characters AD refuses in a sAMAccountName (MS-ADTS, "sAMAccountName"). */
static const char sam_forbidden[] = "\"/\\[]:;|=,+*?<>@";

static int has_control(const char *s)
{
    for (; *s != '\0'; s++)
        if ((unsigned char)*s < 0x20 || *s == 0x7F)
            return 1;
    return 0;
}

static int bad_name(const char *text, const char *why, scpauth_error *err)
{
    scpauth__error_set(err, SCPAUTH_EINVAL, "account \"%.200s\": %s", text, why);
    scpauth__error_hint(err, "name an account by sAMAccountName (svc-app, HOST$), "
                             "DOMAIN\\name, user@domain, a DN (CN=...,DC=...) or \"self\"");
    return SCPAUTH_EINVAL;
}

static int check_sam(const char *full, const char *s, size_t n, scpauth_error *err)
{
    if (n == 0)
        return bad_name(full, "empty sAMAccountName", err);
    if (n >= SCPAUTH_DIR_SAM_MAX)
        return bad_name(full, "sAMAccountName longer than 256 characters", err);
    if (s[0] == ' ' || s[n - 1] == ' ' || s[n - 1] == '.')
        return bad_name(full, "a sAMAccountName cannot start or end with a space, or end "
                              "with '.'", err);
    for (size_t i = 0; i < n; i++)
        if (strchr(sam_forbidden, s[i]) != NULL)
            return bad_name(full, "a sAMAccountName cannot contain \" / \\ [ ] : ; | = , + * "
                                  "? < > @", err);
    return SCPAUTH_OK;
}

static int set_name(scpauth__account_name *out, const char *s, size_t n)
{
    if (n >= sizeof(out->name))
        return 0;
    memcpy(out->name, s, n);
    out->name[n] = '\0';
    return 1;
}

static int classify_nt4(const char *text, const char *slash, scpauth__account_name *out,
                        scpauth_error *err)
{
    size_t dn = (size_t)(slash - text);
    const char *name = slash + 1;
    if (dn == 0 || dn >= sizeof(out->domain))
        return bad_name(text, "empty or too long domain before '\\'", err);
    for (size_t i = 0; i < dn; i++)
        if (strchr(sam_forbidden, text[i]) != NULL && text[i] != '.')
            return bad_name(text, "malformed domain before '\\'", err);
    int rc = check_sam(text, name, strlen(name), err);
    if (rc != SCPAUTH_OK)
        return rc;
    memcpy(out->domain, text, dn);
    out->domain[dn] = '\0';
    out->kind = SCPAUTH__ACCOUNT_NT4;
    set_name(out, name, strlen(name));
    return SCPAUTH_OK;
}

int scpauth__account_classify(const char *text, scpauth__account_name *out,
                              scpauth_error *err)
{
    if (text == NULL || out == NULL)
        return scpauth__error_set(err, SCPAUTH_EINVAL, "account: NULL argument");
    memset(out, 0, sizeof(*out));
    size_t n = strlen(text);
    if (n == 0)
        return bad_name(text, "empty name", err);
    if (n >= sizeof(out->text))
        return bad_name(text, "name too long", err);
    if (has_control(text))
        return bad_name(text, "control character in the name", err);
    memcpy(out->text, text, n + 1);
    if (scpauth__ascii_equal_nocase(text, "self")) {
        out->kind = SCPAUTH__ACCOUNT_SELF;
        return SCPAUTH_OK;
    }
    if (scpauth__dn_looks_like(text)) {
        out->kind = SCPAUTH__ACCOUNT_DN;
        set_name(out, text, n);
        return SCPAUTH_OK;
    }
    const char *slash = strchr(text, '\\');
    if (slash != NULL)
        return classify_nt4(text, slash, out, err);
    if (strchr(text, '/') != NULL) {
        out->kind = SCPAUTH__ACCOUNT_SPN;
        set_name(out, text, n);
        return SCPAUTH_OK;
    }
    const char *at = strchr(text, '@');
    if (at != NULL) {
        if (at == text || at[1] == '\0' || strchr(at + 1, '@') != NULL)
            return bad_name(text, "a user principal name is name@suffix", err);
        out->kind = SCPAUTH__ACCOUNT_UPN;
        set_name(out, text, n);
        return SCPAUTH_OK;
    }
    int rc = check_sam(text, text, n, err);
    if (rc != SCPAUTH_OK)
        return rc;
    out->kind = SCPAUTH__ACCOUNT_SAM;
    out->computer = text[n - 1] == '$';
    set_name(out, text, n);
    return SCPAUTH_OK;
}

/* Position of the realm separator: the last '@' not escaped by '\'. */
static const char *realm_at(const char *p)
{
    const char *at = NULL;
    for (; *p != '\0'; p++) {
        if (*p == '\\' && p[1] != '\0')
            p++;
        else if (*p == '@')
            at = p;
    }
    return at;
}

int scpauth__account_from_principal(const char *principal, const char *domain,
                                    scpauth__account_name *upn, scpauth__account_name *sam,
                                    scpauth_error *err)
{
    const char *at = realm_at(principal);
    if (at == NULL || at == principal || at[1] == '\0')
        return scpauth__error_set(err, SCPAUTH_EINVAL,
                                  "credentials name \"%.200s\" is not name@REALM", principal);
    size_t first = (size_t)(at - principal);
    char name[SCPAUTH_DIR_PRINCIPAL_MAX];
    if (first >= sizeof(name) || strlen(principal) >= sizeof(upn->name))
        return scpauth__error_set(err, SCPAUTH_EINVAL, "credentials name too long");
    memcpy(name, principal, first);
    name[first] = '\0';
    memset(upn, 0, sizeof(*upn));
    memset(sam, 0, sizeof(*sam));
    if (memchr(name, '/', first) != NULL) {
        /* a service principal (host/fqdn): its account holds that SPN */
        upn->kind = SCPAUTH__ACCOUNT_SPN;
        set_name(upn, name, first);
        scpauth__dir_copy(upn->text, sizeof(upn->text), principal);
        return SCPAUTH_OK;
    }
    upn->kind = SCPAUTH__ACCOUNT_UPN;
    scpauth__dir_copy(upn->name, sizeof(upn->name), principal);
    scpauth__dir_copy(upn->text, sizeof(upn->text), principal);
    /* name@REALM is also sAMAccountName "name" when REALM is this domain */
    if (domain != NULL && scpauth__ascii_equal_nocase(at + 1, domain) &&
        scpauth__account_classify(name, sam, NULL) == SCPAUTH_OK &&
        sam->kind != SCPAUTH__ACCOUNT_SAM)
        memset(sam, 0, sizeof(*sam));
    return SCPAUTH_OK;
}

int scpauth__account_filter(const scpauth__account_name *a, char *out, size_t size,
                            scpauth_error *err)
{
    const char *attr;
    switch (a->kind) {
    case SCPAUTH__ACCOUNT_SAM:
    case SCPAUTH__ACCOUNT_NT4: attr = "sAMAccountName"; break;
    case SCPAUTH__ACCOUNT_UPN: attr = "userPrincipalName"; break;
    case SCPAUTH__ACCOUNT_SPN: attr = "servicePrincipalName"; break;
    default:
        return scpauth__error_set(err, SCPAUTH_EINVAL, "account \"%.200s\" needs no filter",
                                  a->text);
    }
    size_t need = strlen("(&(objectClass=user)(=))") + strlen(attr) + 1;
    if (size < need)
        return scpauth__error_set(err, SCPAUTH_ENOBUFS, "LDAP filter buffer too small");
    strcpy(out, "(&(objectClass=user)(");
    strcat(out, attr);
    strcat(out, "=");
    int rc = scpauth__filter_append(out, size - 2, a->name, err);
    if (rc != SCPAUTH_OK)
        return rc;
    strcat(out, "))");
    return SCPAUTH_OK;
}
