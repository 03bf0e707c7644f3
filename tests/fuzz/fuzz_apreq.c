/* fuzz_apreq.c - libFuzzer target for the doctor's AP-REQ reader
 * (scpauth__apreq_parse) on arbitrary bytes: a copy of exactly size bytes
 * (ASan catches any read past it); a success must come with enctypes that
 * fit an Int32 and an error with EPROTO. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "doctor_internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t *copy = malloc(size ? size : 1);
    if (copy == NULL)
        return 0;
    if (size > 0)
        memcpy(copy, data, size);
    scpauth__apreq_facts f;
    scpauth_error err;
    int rc = scpauth__apreq_parse(copy, size, &f, &err);
    if (rc != SCPAUTH_OK && rc != SCPAUTH_EPROTO)
        abort();
    if (rc == SCPAUTH_OK && !f.has_kvno && f.kvno != 0)
        abort();
    free(copy);
    return 0;
}
