/* adsi_srv.c - SRV lookups through DnsQuery_W. dnsapi parses the message;
 * each target it returns is still checked (length, characters) before the
 * core orders the records. DnsQuery takes no timeout: the system resolver's
 * own retries bound it. */
#include <stdlib.h>
#include <string.h>

#include "adsi_internal.h"

#include <windns.h>

/* Lower-cased target without trailing dot into out; 0 when unfit. */
static int target_ok(const wchar_t *w, char *out, size_t size)
{
    size_t n;
    char *s = w != NULL ? scpauth__adsi_utf8(w, &n) : NULL;
    if (s == NULL)
        return 0;
    if (n > 0 && s[n - 1] == '.')
        s[--n] = '\0';
    int ok = n > 0 && n < size;
    for (size_t i = 0; ok && i < n; i++) {
        char c = s[i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c + 32);
        ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
             c == '.';
        out[i] = c;
    }
    if (ok)
        out[n] = '\0';
    free(s);
    return ok;
}

int scpauth__adsi_srv_lookup(const char *qname, unsigned timeout_ms, scpauth__srv_list *out,
                             scpauth_error *err)
{
    (void)timeout_ms;
    out->items = NULL;
    out->count = 0;
    wchar_t *wq = scpauth__adsi_wide(qname, err);
    if (wq == NULL)
        return err != NULL ? err->code : SCPAUTH_EINVAL;
    PDNS_RECORDW records = NULL;
    DNS_STATUS st = DnsQuery_W(wq, DNS_TYPE_SRV, DNS_QUERY_STANDARD, NULL, (PDNS_RECORD *)&records,
                               NULL);
    free(wq);
    if (st == DNS_ERROR_RCODE_NAME_ERROR || st == DNS_INFO_NO_RECORDS)
        return SCPAUTH_OK;
    if (st != 0) {
        scpauth__adsi_fail_win32(err, (DWORD)st, "DNS lookup of %s", qname);
        if (err != NULL)
            err->code = SCPAUTH_EDNS;
        return SCPAUTH_EDNS;
    }
    int rc = SCPAUTH_OK;
    if ((out->items = calloc(SCPAUTH__SRV_MAX, sizeof(*out->items))) == NULL)
        rc = scpauth__error_set(err, SCPAUTH_ENOMEM, "out of memory looking up %s", qname);
    for (PDNS_RECORDW r = records; rc == SCPAUTH_OK && r != NULL && out->count < SCPAUTH__SRV_MAX;
         r = r->pNext) {
        if (r->wType != DNS_TYPE_SRV || r->Flags.S.Section != DnsSectionAnswer)
            continue;
        scpauth__srv *s = &out->items[out->count];
        if (!target_ok(r->Data.SRV.pNameTarget, s->target, sizeof(s->target)) ||
            r->Data.SRV.wPort == 0)
            continue;
        s->priority = r->Data.SRV.wPriority;
        s->weight = r->Data.SRV.wWeight;
        s->port = r->Data.SRV.wPort;
        out->count++;
    }
    DnsRecordListFree((PDNS_RECORD)records, DnsFreeRecordList);
    if (rc != SCPAUTH_OK)
        scpauth__srv_list_free(out);
    return rc;
}
