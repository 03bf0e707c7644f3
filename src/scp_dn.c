/* scp_dn.c - RFC 4514 escaping of an RDN value and the SCP's DN
 * "CN=<cn>,<parent>". */
#include <string.h>

#include "scp_internal.h"

size_t scpauth__dn_escape_value(const char *p, size_t n, char *out)
{
    size_t w = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)p[i];
        if (c == '\0') { /* RFC 4514 admits NUL only as a hex pair */
            if (out != NULL)
                memcpy(out + w, "\\00", 3);
            w += 3;
            continue;
        }
        int special = strchr(",+\"\\<>;=", c) != NULL;
        int edge = (c == '#' && i == 0) || (c == ' ' && (i == 0 || i + 1 == n));
        if (special || edge) {
            if (out != NULL)
                out[w] = '\\';
            w++;
        }
        if (out != NULL)
            out[w] = (char)c;
        w++;
    }
    return w;
}

size_t scpauth__scp_dn_compose(const char *cn, size_t cn_len, const char *parent,
                               size_t parent_len, char *out)
{
    size_t w = 3 + scpauth__dn_escape_value(cn, cn_len, NULL) + 1 + parent_len;
    if (out != NULL) {
        memcpy(out, "CN=", 3);
        size_t e = scpauth__dn_escape_value(cn, cn_len, out + 3);
        out[3 + e] = ',';
        memcpy(out + 4 + e, parent, parent_len);
        out[w] = '\0';
    }
    return w;
}

int scpauth__scp_check_parent_dn(const char *parent, size_t *len, scpauth_error *err)
{
    size_t n = strlen(parent);
    int rc = scpauth__scp_check_text("parent DN", parent, n, SCPAUTH_SCP_DN_MAX,
                                     SCPAUTH__TEXT_TRIMMED, err);
    if (rc == SCPAUTH_OK && memchr(parent, '=', n) == NULL) {
        char show[SCPAUTH__SCP_SHOW_SIZE];
        rc = scpauth__error_set(err, SCPAUTH_EINVAL, "parent DN \"%s\" is not a DN (no '=')",
                                scpauth__scp_show(show, sizeof(show), parent, n));
    }
    *len = n;
    return rc;
}

int scpauth__scp_check_dn_length(size_t len, scpauth_error *err)
{
    if (len > SCPAUTH_SCP_DN_MAX)
        return scpauth__error_set(err, SCPAUTH_EINVAL, "the SCP's DN would be %lu bytes, over %d",
                                  (unsigned long)len, SCPAUTH_SCP_DN_MAX);
    return SCPAUTH_OK;
}

int scpauth_scp_dn_make(const char *cn, const char *parent_dn, char *dn, size_t *dn_size,
                        scpauth_error *err)
{
    if (cn == NULL || parent_dn == NULL || dn_size == NULL)
        return scpauth__error_set(err, SCPAUTH_EINVAL, "cn, parent DN or size is NULL");
    size_t cn_len = strlen(cn), parent_len = 0;
    int rc = scpauth__scp_check_text("cn", cn, cn_len, SCPAUTH_SCP_CN_MAX, 0, err);
    if (rc == SCPAUTH_OK)
        rc = scpauth__scp_check_parent_dn(parent_dn, &parent_len, err);
    if (rc != SCPAUTH_OK)
        return rc;
    size_t need = scpauth__scp_dn_compose(cn, cn_len, parent_dn, parent_len, NULL) + 1;
    rc = scpauth__scp_check_dn_length(need - 1, err);
    if (rc == SCPAUTH_OK)
        rc = scpauth__scp_size_check("SCP DN", dn, dn_size, need, err);
    if (rc == SCPAUTH_OK)
        scpauth__scp_dn_compose(cn, cn_len, parent_dn, parent_len, dn);
    return rc;
}
