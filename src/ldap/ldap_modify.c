/* ldap_modify.c - DsWriteAccountSpn over LDAP: one modify of
 * servicePrincipalName (add / replace / delete values), bounded by the
 * timeout; a refusal keeps the DC's own words for the core to explain. */
#include <stdint.h>
#include <stdlib.h>

#include "ldap_internal.h"

static int mod_op(scpauth_dir_spn_op op)
{
    switch (op) {
    case SCPAUTH_DIR_SPN_ADD: return LDAP_MOD_ADD;
    case SCPAUTH_DIR_SPN_DELETE: return LDAP_MOD_DELETE;
    default: return LDAP_MOD_REPLACE; /* no values: every SPN goes */
    }
}

int scpauth__ldap_spn_write(void *bconn, unsigned timeout_ms, scpauth_dir_spn_op op,
                            const char *dn, const char *const *spns, size_t n,
                            scpauth_error *err)
{
    scpauth__ldap_conn *c = bconn;
    char **values = NULL;
    if (n > 0) {
        if ((values = calloc(n + 1, sizeof(*values))) == NULL)
            return scpauth__error_set(err, SCPAUTH_ENOMEM, "out of memory writing SPNs");
        for (size_t i = 0; i < n; i++)
            values[i] = (char *)(uintptr_t)spns[i]; /* libldap only reads them */
    }
    LDAPMod mod = {mod_op(op), "servicePrincipalName", {values}};
    LDAPMod *mods[] = {&mod, NULL};
    int msgid = -1;
    int rc = ldap_modify_ext(c->ld, dn, mods, NULL, NULL, &msgid);
    free(values);
    if (rc != LDAP_SUCCESS)
        return scpauth__ldap_fail(err, c->ld, rc, NULL,
                                  "writing servicePrincipalName of %s on %s:%u", dn, c->host,
                                  c->port);
    return scpauth__ldap_wait_done(c, msgid, timeout_ms, "writing servicePrincipalName of", dn,
                                   err);
}
