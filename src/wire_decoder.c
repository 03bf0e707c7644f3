/* wire_decoder.c - incremental frame decoder for non-blocking callers: any
 * split of the byte stream (down to one byte at a time) gives the same frames. */
#include <string.h>

#include "wire_internal.h"

#include "error_internal.h"

/* state_: one of these, or a negative code after an error (sticky: the
 * stream is out of sync once a header was bad). */
enum { ST_HEADER = 0, ST_BODY = 1, ST_DONE = 2 };

void scpauth_wire_decoder_init(scpauth_wire_decoder *d, const scpauth_wire_options *o)
{
    memset(d, 0, sizeof *d);
    if (scpauth__wire_resolve(o, &d->opts_, NULL) != SCPAUTH_OK)
        d->state_ = SCPAUTH_EINVAL;
}

void scpauth_wire_decoder_reset(scpauth_wire_decoder *d)
{
    if (d == NULL)
        return;
    scpauth_wire_options o = d->opts_;
    int bad_profile = d->state_ == SCPAUTH_EINVAL;
    scpauth_buffer_free(&d->body_);
    scpauth_memzero(d, sizeof *d);
    d->opts_ = o;
    d->state_ = bad_profile ? SCPAUTH_EINVAL : ST_HEADER;
}

static int fail(scpauth_wire_decoder *d, int code)
{
    d->state_ = code;
    return code;
}

/* Header complete: check it, then allocate the body (limit already checked). */
static int header_done(scpauth_wire_decoder *d, scpauth_error *err)
{
    int rc = scpauth__wire_parse_header(&d->opts_, d->hdr_, &d->flags_, &d->body_len_);
    if (rc != SCPAUTH_OK)
        return fail(d, scpauth__wire_header_error(err, rc, &d->opts_, d->flags_, d->body_len_,
                                                  "peer"));
    if (d->body_len_ == 0) {
        d->state_ = ST_DONE;
        return SCPAUTH_OK;
    }
    rc = scpauth__buffer_alloc(&d->body_, d->body_len_, err);
    if (rc != SCPAUTH_OK)
        return fail(d, rc);
    d->body_have_ = 0;
    d->state_ = ST_BODY;
    return SCPAUTH_CONTINUE;
}

int scpauth_wire_decoder_feed(scpauth_wire_decoder *d, const void *data, size_t len,
                              size_t *consumed, scpauth_error *err)
{
    if (consumed != NULL)
        *consumed = 0;
    if (d == NULL || consumed == NULL || (data == NULL && len > 0))
        return scpauth__error_set(err, SCPAUTH_EINVAL, "wire decoder: NULL argument");
    if (d->state_ < 0)
        return scpauth__error_set(err, d->state_,
                                  "wire decoder stopped after an earlier error (%s); reset it "
                                  "or close the connection",
                                  scpauth_strerror(d->state_));
    if (d->state_ == ST_DONE)
        return scpauth__error_set(err, SCPAUTH_ESTATE,
                                  "wire decoder holds a complete frame; take it before feeding "
                                  "more bytes");

    const unsigned char *p = data;
    size_t used = 0;
    int rc = SCPAUTH_CONTINUE;
    size_t hsize = scpauth_wire_header_size(d->opts_.profile);
    while (used < len && rc == SCPAUTH_CONTINUE) {
        if (d->state_ == ST_HEADER) {
            size_t n = hsize - d->hdr_have_;
            if (n > len - used)
                n = len - used;
            memcpy(d->hdr_ + d->hdr_have_, p + used, n);
            d->hdr_have_ += n;
            used += n;
            if (d->hdr_have_ == hsize)
                rc = header_done(d, err);
        } else {
            size_t n = d->body_len_ - d->body_have_;
            if (n > len - used)
                n = len - used;
            memcpy(d->body_.data + d->body_have_, p + used, n);
            d->body_have_ += n;
            used += n;
            if (d->body_have_ == d->body_len_) {
                d->state_ = ST_DONE;
                rc = SCPAUTH_OK;
            }
        }
    }
    *consumed = used;
    return rc;
}

void scpauth_wire_decoder_take(scpauth_wire_decoder *d, unsigned *flags, scpauth_buffer *body)
{
    scpauth_buffer empty = SCPAUTH_BUFFER_INIT;
    int done = d->state_ == ST_DONE;
    if (flags != NULL)
        *flags = done ? d->flags_ : 0;
    if (body != NULL) {
        *body = done ? d->body_ : empty;
        if (done)
            d->body_ = empty; /* ownership moved to the caller */
    }
    if (done)
        scpauth_wire_decoder_reset(d);
}

int scpauth_wire_decoder_finish(const scpauth_wire_decoder *d, scpauth_error *err)
{
    size_t hsize = scpauth_wire_header_size(d->opts_.profile);
    if (d->state_ == ST_HEADER && d->hdr_have_ > 0)
        return scpauth__wire_truncated_error(err, "peer", d->hdr_have_, hsize);
    if (d->state_ == ST_BODY)
        return scpauth__wire_truncated_error(err, "peer", hsize + d->body_have_,
                                             hsize + d->body_len_);
    return SCPAUTH_OK;
}
