/* buffer.c - caller-owned output buffers and secret wiping. */
#include <stdlib.h>
#include <string.h>

#include "error_internal.h"
#include "scpauth/common.h"

/* A volatile function pointer keeps the compiler from proving the memset
 * dead (the libsodium approach, portable to every C11 compiler). */
static void *(*const volatile scpauth__memset_ptr)(void *, int, size_t) = memset;

void scpauth_memzero(void *p, size_t n)
{
    if (p != NULL && n > 0)
        scpauth__memset_ptr(p, 0, n);
}

static void buffer_release_malloc(scpauth_buffer *b)
{
    scpauth_memzero(b->data, b->len);
    free(b->data);
}

void scpauth_buffer_free(scpauth_buffer *b)
{
    if (b == NULL)
        return;
    if (b->release_ != NULL)
        b->release_(b);
    b->data = NULL;
    b->len = 0;
    b->release_ = NULL;
    b->opaque_ = NULL;
}

int scpauth__buffer_alloc(scpauth_buffer *b, size_t len, scpauth_error *err)
{
    /* malloc(0) may return NULL: allocate one byte so data is never NULL. */
    unsigned char *p = malloc(len > 0 ? len : 1);
    if (p == NULL)
        return scpauth__error_set(err, SCPAUTH_ENOMEM, "cannot allocate %zu bytes", len);
    b->data = p;
    b->len = len;
    b->release_ = buffer_release_malloc;
    b->opaque_ = NULL;
    return SCPAUTH_OK;
}

int scpauth__buffer_copy(scpauth_buffer *b, const void *data, size_t len, scpauth_error *err)
{
    int rc = scpauth__buffer_alloc(b, len, err);
    if (rc == SCPAUTH_OK && len > 0)
        memcpy(b->data, data, len);
    return rc;
}

const char *scpauth_version(void)
{
    return SCPAUTH_VERSION_STRING;
}
