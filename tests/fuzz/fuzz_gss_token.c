/* fuzz_gss_token.c - libFuzzer target for the GSSAPI acceptor's first-token
 * classifier (scpauth__gss_token_sniff), which reads untrusted client bytes
 * before GSSAPI does: an exact-size copy so ASan catches any over-read, and
 * the result must be one of the defined kinds with offers only for SPNEGO. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "gssapi/gss_token.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t *copy = malloc(size ? size : 1);
    if (copy == NULL)
        return 0;
    if (size > 0)
        memcpy(copy, data, size);
    scpauth__gss_token_info info;
    memset(&info, 0xA5, sizeof(info));
    scpauth__gss_token_sniff(copy, size, &info);
    if (info.kind > SCPAUTH__TOKEN_OTHER)
        abort();
    if (info.kind != SCPAUTH__TOKEN_SPNEGO && info.offers_known)
        abort();
    if (info.offers & ~(SCPAUTH__OFFER_KRB5 | SCPAUTH__OFFER_NTLM | SCPAUTH__OFFER_OTHER))
        abort();
    free(copy);
    return 0;
}
