/* scp_filter.c - the keyword search filter, with RFC 4515 escaping of the
 * caller's keyword (escaping every non-printable byte keeps the filter ASCII,
 * which both libldap and ADSI's wide-character filters take unchanged). */
#include <string.h>

#include "scp_internal.h"

#define FILTER_HEAD "(&(objectClass=serviceConnectionPoint)(keywords="
#define FILTER_TAIL "))"

size_t scpauth__filter_escape_value(const void *p, size_t n, char *out)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *s = p;
    size_t w = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = s[i];
        if (c >= 0x20 && c < 0x7f && c != '*' && c != '(' && c != ')' && c != '\\') {
            if (out != NULL)
                out[w] = (char)c;
            w++;
            continue;
        }
        if (out != NULL) {
            out[w] = '\\';
            out[w + 1] = hex[c >> 4];
            out[w + 2] = hex[c & 15];
        }
        w += 3;
    }
    return w;
}

int scpauth_scp_filter(const char *keyword, size_t len, char *filter, size_t *filter_size,
                       scpauth_error *err)
{
    if (keyword == NULL || filter_size == NULL)
        return scpauth__error_set(err, SCPAUTH_EINVAL, "keyword or filter size is NULL");
    if (len == 0 || len > SCPAUTH_SCP_KEYWORD_MAX)
        return scpauth__error_set(err, SCPAUTH_EINVAL,
                                  "keyword to search for is %lu bytes, expected 1 to %d",
                                  (unsigned long)len, SCPAUTH_SCP_KEYWORD_MAX);
    size_t head = sizeof(FILTER_HEAD) - 1, tail = sizeof(FILTER_TAIL) - 1;
    size_t body = scpauth__filter_escape_value(keyword, len, NULL);
    int rc = scpauth__scp_size_check("SCP search filter", filter, filter_size,
                                     head + body + tail + 1, err);
    if (rc != SCPAUTH_OK)
        return rc;
    memcpy(filter, FILTER_HEAD, head);
    scpauth__filter_escape_value(keyword, len, filter + head);
    memcpy(filter + head + body, FILTER_TAIL, tail + 1);
    return SCPAUTH_OK;
}
