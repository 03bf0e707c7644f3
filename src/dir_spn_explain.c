/* dir_spn_explain.c - turning what the directory says into errors a person
 * can act on: who owns a duplicate SPN, and why a DC refused a write. */
#include <stdio.h>
#include <string.h>

#include "dir_spn.h"

void scpauth__shell_quote(const char *in, char *out, size_t size)
{
    int plain = *in != '\0';
    for (const char *p = in; *p != '\0'; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
              strchr("-_./:@", *p) != NULL))
            plain = 0;
    if (plain) {
        scpauth__dir_copy(out, size, in);
        return;
    }
    size_t o = 0;
    if (size < 3)
        return;
    out[o++] = '\'';
    for (const char *p = in; *p != '\0' && o + 5 < size; p++) {
        if (*p == '\'') {
            memcpy(out + o, "'\\''", 4);
            o += 4;
        } else {
            out[o++] = *p;
        }
    }
    out[o++] = '\'';
    out[o] = '\0';
}

/* Appends text to buf (size bytes), cutting it when full. */
static void append(char *buf, size_t size, const char *text)
{
    size_t n = strlen(buf);
    if (n + 1 < size)
        scpauth__dir_copy(buf + n, size - n, text);
}

static const char *owner_name(const scpauth__dir_entry *e)
{
    const char *sam = scpauth__dir_entry_first(e, "sAMAccountName");
    return *sam ? sam : e->dn;
}

int scpauth__spn_conflicts(const scpauth_dir_spn_result *plan,
                           const scpauth__dir_entries *owners, scpauth_error *err)
{
    char list[SCPAUTH_ERROR_MESSAGE_MAX] = "";
    char first_spn[256] = "";
    size_t found = 0;
    for (size_t i = 0; i < plan->added.count; i++) {
        const char *spn = plan->added.items[i];
        for (size_t k = 0; k < owners->count; k++) {
            const scpauth__dir_entry *e = &owners->items[k];
            if (!scpauth__dir_attr_has(scpauth__dir_entry_attr(e, "servicePrincipalName"), spn))
                continue;
            char one[SCPAUTH_DIR_DN_MAX + 600];
            snprintf(one, sizeof(one), "%s%.250s is registered on %.100s (%.400s)",
                     found ? "; " : "", spn, owner_name(e), e->dn);
            append(list, sizeof(list), one);
            if (!found)
                scpauth__dir_copy(first_spn, sizeof(first_spn), spn);
            found++;
        }
    }
    if (found == 0)
        return SCPAUTH_OK;
    scpauth__error_set(err, SCPAUTH_ECONFLICT,
                       "refusing to add to %s: %s (an SPN must belong to one account only; "
                       "nothing was written)",
                       plan->account.sam_account_name[0] ? plan->account.sam_account_name
                                                         : plan->account.dn,
                       list);
    scpauth__error_hint(err, "remove it from the other account first (scpauth spn delete "
                             "--account OWNER SPN), or check with: scpauth spn query %s",
                        first_spn);
    return SCPAUTH_ECONFLICT;
}

/* Why validated write refuses spn for this computer, or NULL if it should not. */
static const char *validated_write_reason(const scpauth_dir_account *acct, const char *spn,
                                          char *buf, size_t size)
{
    scpauth_spn_parts p;
    if (scpauth_spn_crack(spn, strlen(spn), &p, NULL) != SCPAUTH_OK)
        return "malformed";
    if (p.service_name.len > 0)
        return "three-part SPN (class/host/service-name)";
    char host[SCPAUTH_DIR_HOST_MAX], nb[SCPAUTH_DIR_SAM_MAX];
    scpauth__dir_copy(host, sizeof(host), "");
    if (p.host.len < sizeof(host)) {
        memcpy(host, p.host.ptr, p.host.len);
        host[p.host.len] = '\0';
    }
    scpauth__dir_copy(nb, sizeof(nb), acct->sam_account_name);
    size_t nbl = strlen(nb);
    if (nbl > 0 && nb[nbl - 1] == '$')
        nb[nbl - 1] = '\0';
    if (scpauth__ascii_equal_nocase(host, acct->dns_host_name) ||
        scpauth__ascii_equal_nocase(host, nb))
        return NULL;
    snprintf(buf, size, "host %.200s is not this computer (%.200s)", host,
             acct->dns_host_name[0] ? acct->dns_host_name : nb);
    return buf;
}

/* Windows accepts class/host:port under validated write, Samba only
 * class/host: a port is the likely reason only when nothing else is. */
static int has_port(const char *spn)
{
    scpauth_spn_parts p;
    return scpauth_spn_crack(spn, strlen(spn), &p, NULL) == SCPAUTH_OK && p.port_text.len > 0;
}

static void explain_validated_write(const scpauth_dir_account *acct,
                                    const scpauth_spn_list *spns, const char *said,
                                    const char *quoted, scpauth_error *err)
{
    char reasons[SCPAUTH_ERROR_MESSAGE_MAX] = "", why[512], one[900], cmd[300] = "";
    size_t hard = 0;
    for (size_t i = 0; i < spns->count; i++)
        hard += validated_write_reason(acct, spns->items[i], why, sizeof(why)) != NULL;
    for (size_t i = 0; i < spns->count; i++) {
        const char *r = validated_write_reason(acct, spns->items[i], why, sizeof(why));
        if (r == NULL && hard == 0 && has_port(spns->items[i]))
            r = "a port (some DCs, Samba's among them, accept only class/host here)";
        if (r == NULL)
            continue;
        snprintf(one, sizeof(one), "%s%.250s: %s", reasons[0] ? "; " : "", spns->items[i], r);
        append(reasons, sizeof(reasons), one);
        if (strlen(cmd) + strlen(spns->items[i]) + 2 < sizeof(cmd)) {
            append(cmd, sizeof(cmd), " ");
            append(cmd, sizeof(cmd), spns->items[i]);
        }
    }
    scpauth__error_set(err, SCPAUTH_EDIRACCESS,
                       "the DC refused to write SPNs on %s, the computer account of these "
                       "credentials (validated write): %s (DC said: %.260s)",
                       acct->sam_account_name, reasons[0] ? reasons : "see the DC's reason",
                       said);
    scpauth__error_hint(err, "a computer may register on itself only class/HOST SPNs whose "
                             "HOST is its own dNSHostName or NetBIOS name (Windows DCs also "
                             "take class/HOST:port); an administrator must register the "
                             "others: scpauth spn add --account %s%s",
                        quoted, cmd[0] ? cmd : " SPN...");
}

const char *scpauth__spn_op_verb(scpauth_dir_spn_op op)
{
    return op == SCPAUTH_DIR_SPN_ADD ? "add" : op == SCPAUTH_DIR_SPN_DELETE ? "delete" : "replace";
}

void scpauth__spn_explain_refusal(scpauth_dir_spn_op op, const scpauth_dir_account *acct,
                                  const char *self_dn, const scpauth_spn_list *spns,
                                  scpauth_error *err)
{
    if (err == NULL)
        return;
    char said[SCPAUTH_ERROR_MESSAGE_MAX], quoted[SCPAUTH_DIR_SAM_MAX * 4 + 3];
    scpauth__dir_copy(said, sizeof(said), err->message);
    scpauth__shell_quote(acct->sam_account_name[0] ? acct->sam_account_name : acct->dn, quoted,
                         sizeof(quoted));
    const char *spn0 = spns->count ? spns->items[0] : "SPN";
    int is_self = self_dn[0] != '\0' && scpauth__dn_equal(self_dn, acct->dn);
    uint32_t major = err->native_major;
    scpauth_native_kind kind = err->native_kind;
    if (err->code == SCPAUTH_ECONFLICT) {
        scpauth__error_set(err, SCPAUTH_ECONFLICT,
                           "the DC refused to add SPNs to %s: one is already registered on "
                           "another account (DC said: %.300s)",
                           acct->sam_account_name, said);
        scpauth__error_hint(err, "find the owner with: scpauth spn query %.200s", spn0);
    } else if (err->code == SCPAUTH_EDIRACCESS && is_self && acct->is_computer) {
        explain_validated_write(acct, spns, said, quoted, err);
    } else if (err->code == SCPAUTH_EDIRACCESS) {
        scpauth__error_set(err, SCPAUTH_EDIRACCESS,
                           "the DC refused to write SPNs on %s: these credentials may not "
                           "change its servicePrincipalName (DC said: %.300s)",
                           acct->sam_account_name, said);
        scpauth__error_hint(err, "an administrator (or an account granted \"Write "
                                 "servicePrincipalName\" on it) must run: scpauth spn %s "
                                 "--account %s %.200s",
                            scpauth__spn_op_verb(op), quoted, spn0);
    } else {
        scpauth__error_prefix(err, "writing SPNs on %s", acct->dn);
        return;
    }
    scpauth__error_native(err, kind, major, 0);
}
