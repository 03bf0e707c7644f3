/* gss_buffer.c - GSS buffers handed to the caller, and principal names. */
#include <string.h>

#include "gss_internal.h"

/* scpauth_buffer release hook: wipe (plaintext, exported keys) then free. */
static void gss_buffer_release(scpauth_buffer *b)
{
    OM_uint32 minor;
    gss_buffer_desc g = {b->len, b->data};
    scpauth_memzero(b->data, b->len);
    gss_release_buffer(&minor, &g);
}

void scpauth__gss_buffer_take(scpauth_buffer *dst, gss_buffer_desc *src)
{
    OM_uint32 minor;
    if (src->length == 0) {
        gss_release_buffer(&minor, src); /* an empty buffer may still own memory */
        *dst = (scpauth_buffer)SCPAUTH_BUFFER_INIT;
        return;
    }
    dst->data = src->value;
    dst->len = src->length;
    dst->release_ = gss_buffer_release;
    dst->opaque_ = NULL;
    src->value = NULL;
    src->length = 0;
}

void scpauth__gss_name_text(gss_name_t name, char *buf, size_t size)
{
    OM_uint32 major, minor;
    gss_buffer_desc text = GSS_C_EMPTY_BUFFER;
    buf[0] = '\0';
    if (name == GSS_C_NO_NAME)
        return;
    major = gss_display_name(&minor, name, &text, NULL);
    if (GSS_ERROR(major))
        return;
    size_t n = text.length < size - 1 ? text.length : size - 1;
    memcpy(buf, text.value, n);
    buf[n] = '\0';
    gss_release_buffer(&minor, &text);
}

OM_uint32 scpauth__gss_import_principal(OM_uint32 *minor, const char *text, gss_name_t *out)
{
    gss_buffer_desc b = {strlen(text), (void *)(uintptr_t)text};
    return gss_import_name(minor, &b, GSS_KRB5_NT_PRINCIPAL_NAME, out);
}
