/* wire_frame.c - frame headers of the two profiles: encode, parse, and the
 * errors a bad header gives. */
#include "wire_internal.h"

#include "error_internal.h"

static const char *profile_name(scpauth_wire_profile p)
{
    return p == SCPAUTH_WIRE_GSS_SAMPLE ? "gss-sample" : "sspi-sample";
}

static int profile_valid(scpauth_wire_profile p)
{
    return p == 0 || p == SCPAUTH_WIRE_GSS_SAMPLE || p == SCPAUTH_WIRE_SSPI_SAMPLE;
}

size_t scpauth_wire_header_size(scpauth_wire_profile profile)
{
    if (!profile_valid(profile))
        return 0;
    return profile == SCPAUTH_WIRE_GSS_SAMPLE ? 5 : 4;
}

int scpauth_wire_encode_header(scpauth_wire_profile profile, unsigned flags, size_t len,
                               unsigned char *hdr)
{
    if (hdr == NULL || !profile_valid(profile) || (uint64_t)len > UINT32_MAX)
        return SCPAUTH_EINVAL;
    uint32_t n = (uint32_t)len;
    if (profile == SCPAUTH_WIRE_GSS_SAMPLE) {
        hdr[0] = (unsigned char)(flags & 0xffu);
        hdr[1] = (unsigned char)(n >> 24);
        hdr[2] = (unsigned char)(n >> 16);
        hdr[3] = (unsigned char)(n >> 8);
        hdr[4] = (unsigned char)n;
        return 5;
    }
    hdr[0] = (unsigned char)n;
    hdr[1] = (unsigned char)(n >> 8);
    hdr[2] = (unsigned char)(n >> 16);
    hdr[3] = (unsigned char)(n >> 24);
    return 4;
}

int scpauth__wire_resolve(const scpauth_wire_options *o, scpauth_wire_options *out,
                          scpauth_error *err)
{
    scpauth_wire_options r = { SCPAUTH_WIRE_SSPI_SAMPLE, SCPAUTH_WIRE_DEFAULT_MAX_FRAME, 0 };
    if (o != NULL) {
        if (!profile_valid(o->profile))
            return scpauth__error_set(err, SCPAUTH_EINVAL,
                                      "unknown wire profile %d (expected gss-sample or sspi-sample)",
                                      (int)o->profile);
        if (o->profile != 0)
            r.profile = o->profile;
        if (o->max_frame != 0)
            r.max_frame = o->max_frame;
        r.timeout_ms = o->timeout_ms;
    }
    *out = r;
    return SCPAUTH_OK;
}

int scpauth__wire_parse_header(const scpauth_wire_options *o, const unsigned char *hdr,
                               unsigned *flags, size_t *len)
{
    uint32_t n;
    if (o->profile == SCPAUTH_WIRE_GSS_SAMPLE) {
        *flags = hdr[0];
        n = (uint32_t)hdr[1] << 24 | (uint32_t)hdr[2] << 16 | (uint32_t)hdr[3] << 8 | hdr[4];
    } else {
        *flags = 0;
        n = (uint32_t)hdr[3] << 24 | (uint32_t)hdr[2] << 16 | (uint32_t)hdr[1] << 8 | hdr[0];
    }
    *len = n;
    if ((uint64_t)n > (uint64_t)o->max_frame)
        return SCPAUTH_ETOOBIG;
    /* gss-client sends empty NOOP and NOOP|CONTEXT_NEXT tokens */
    if (n == 0 && !(o->profile == SCPAUTH_WIRE_GSS_SAMPLE && (*flags & SCPAUTH_WIRE_TOKEN_NOOP)))
        return SCPAUTH_EZEROLEN;
    return SCPAUTH_OK;
}

int scpauth__wire_header_error(scpauth_error *err, int code, const scpauth_wire_options *o,
                               unsigned flags, size_t len, const char *peer)
{
    const char *prof = profile_name(o->profile);
    if (code == SCPAUTH_ETOOBIG) {
        scpauth__error_set(err, code, "frame of %zu bytes from %s exceeds the limit of %zu bytes",
                           len, peer, o->max_frame);
        scpauth__error_hint(err,
                            "check that both sides use the same wire profile (this side "
                            "expects %s); raise max_frame if the peer really sends larger "
                            "tokens",
                            prof);
    } else if (o->profile == SCPAUTH_WIRE_GSS_SAMPLE) {
        scpauth__error_set(err, code,
                           "zero-length frame from %s with flags 0x%02x (only a NOOP frame "
                           "may be empty)",
                           peer, flags);
        scpauth__error_hint(err, "check that both sides use the same wire profile (this side "
                                 "expects gss-sample)");
    } else {
        scpauth__error_set(err, code, "zero-length frame from %s", peer);
        scpauth__error_hint(err, "check that both sides use the same wire profile (this side "
                                 "expects %s)", prof);
    }
    return code;
}

int scpauth__wire_truncated_error(scpauth_error *err, const char *peer, size_t have,
                                  size_t want)
{
    return scpauth__error_set(err, SCPAUTH_ETRUNCATED,
                              "%s closed the connection in the middle of a frame (%zu of %zu "
                              "bytes received)",
                              peer, have, want);
}
