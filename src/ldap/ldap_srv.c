/* ldap_srv.c - SRV lookups through libresolv with a private resolver state
 * (res_ninit: no global state), retries bounded by the timeout. The answer
 * is parsed by the core's own bounds-checked parser (src/dir_srv.c). */
#include <arpa/nameser.h>
#include <netdb.h>
#include <netinet/in.h>
#include <resolv.h>
#include <stdlib.h>
#include <string.h>

#include "ldap_internal.h"

int scpauth__ldap_srv_lookup(const char *qname, unsigned timeout_ms, scpauth__srv_list *out,
                             scpauth_error *err)
{
    struct __res_state rs;
    memset(&rs, 0, sizeof(rs));
    out->items = NULL;
    out->count = 0;
    if (res_ninit(&rs) != 0)
        return scpauth__error_set(err, SCPAUTH_EDNS, "cannot initialise the DNS resolver "
                                                     "(resolv.conf) to look up %s", qname);
    /* retrans (s) x retry x servers stays within the timeout for one server */
    unsigned secs = timeout_ms / 2000;
    rs.retrans = secs < 1 ? 1 : secs > 5 ? 5 : (int)secs;
    rs.retry = 2;
    unsigned char *answer = malloc(SCPAUTH__DNS_MSG_MAX);
    if (answer == NULL) {
        res_nclose(&rs);
        return scpauth__error_set(err, SCPAUTH_ENOMEM, "out of memory looking up %s", qname);
    }
    int len = res_nquery(&rs, qname, ns_c_in, ns_t_srv, answer, SCPAUTH__DNS_MSG_MAX);
    int rc = SCPAUTH_OK;
    if (len >= 0) {
        rc = scpauth__srv_parse(answer, (size_t)len, qname, out, err);
    } else if (rs.res_h_errno != HOST_NOT_FOUND && rs.res_h_errno != NO_DATA) {
        /* no such name / no SRV record is an empty answer; the rest fail */
        rc = scpauth__error_set(err, SCPAUTH_EDNS, "DNS lookup of %s failed: %s", qname,
                                rs.res_h_errno == TRY_AGAIN ? "no answer from the DNS server"
                                                            : "server failure or refusal");
        scpauth__error_native(err, SCPAUTH_NATIVE_DNS, (uint32_t)rs.res_h_errno, 0);
        scpauth__error_hint(err, "check the nameserver in resolv.conf, or name the DCs "
                                 "explicitly (--dc host[:port])");
    }
    free(answer);
    res_nclose(&rs);
    return rc;
}
