/* fuzz_wire_decoder.c - libFuzzer target: the incremental frame decoder must
 * survive any byte stream, split at any points, in both profiles, without a
 * crash, a leak or a frame over the limit. The first input byte picks the
 * limit and seeds the chunk sizes; the rest is the stream. */
#include <stdint.h>
#include <stdlib.h>

#include <scpauth.h>

#define CHECK(c) \
    do { \
        if (!(c)) \
            abort(); \
    } while (0)

static void decode(scpauth_wire_profile profile, size_t max_frame, unsigned seed,
                   const uint8_t *data, size_t size)
{
    scpauth_wire_options o = { profile, max_frame, 0 };
    scpauth_wire_decoder d;
    scpauth_wire_decoder_init(&d, &o);
    size_t off = 0;
    while (off < size) {
        seed = seed * 1103515245u + 12345u; /* chunk sizes 1..64 */
        size_t n = 1 + (seed >> 16) % 64;
        if (n > size - off)
            n = size - off;
        size_t used = 0;
        scpauth_error err;
        int rc = scpauth_wire_decoder_feed(&d, data + off, n, &used, &err);
        CHECK(used <= n);
        off += used;
        if (rc == SCPAUTH_CONTINUE) {
            CHECK(used == n);
        } else if (rc == SCPAUTH_OK) {
            unsigned flags;
            scpauth_buffer b = SCPAUTH_BUFFER_INIT;
            scpauth_wire_decoder_take(&d, &flags, &b);
            CHECK(b.len <= max_frame);
            CHECK(b.len == 0 || b.data != NULL);
            CHECK(profile == SCPAUTH_WIRE_GSS_SAMPLE ? flags <= 0xff : flags == 0);
            CHECK(b.len > 0 || (flags & SCPAUTH_WIRE_TOKEN_NOOP));
            scpauth_buffer_free(&b);
        } else {
            CHECK(rc == SCPAUTH_EZEROLEN || rc == SCPAUTH_ETOOBIG);
            CHECK(err.code == rc && err.message[0] != '\0');
            CHECK(d.body_.data == NULL); /* rejected before allocating */
            /* the error sticks: the stream is out of sync */
            CHECK(scpauth_wire_decoder_feed(&d, data, size, &used, NULL) == rc && used == 0);
            break;
        }
    }
    int fin = scpauth_wire_decoder_finish(&d, NULL);
    CHECK(fin == SCPAUTH_OK || fin == SCPAUTH_ETRUNCATED);
    scpauth_wire_decoder_reset(&d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    unsigned seed = data[0];
    size_t max_frame = 1 + (size_t)(data[0] & 0x3f) * 4; /* small: 1..253 */
    decode(SCPAUTH_WIRE_GSS_SAMPLE, max_frame, seed, data + 1, size - 1);
    decode(SCPAUTH_WIRE_SSPI_SAMPLE, max_frame, seed, data + 1, size - 1);
    return 0;
}
