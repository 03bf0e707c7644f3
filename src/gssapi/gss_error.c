/* gss_error.c - scpauth_error records from GSS and krb5 failures: the mapped
 * code, the library's own texts, a hint and the native status. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "error_internal.h"
#include "gss_internal.h"

/* Appends "sep text" to buf (len bytes used of size), truncating. */
static void append(char *buf, size_t size, size_t *len, const char *sep, const char *text,
                   size_t text_len)
{
    int n = snprintf(buf + *len, size - *len, "%s%.*s", sep, (int)text_len, text);
    if (n > 0)
        *len += (size_t)n < size - *len ? (size_t)n : size - *len - 1;
}

/* Every message gss_display_status gives for one status value. A minor
 * status the mechglue never mapped (a krb5 code reported by other means)
 * falls back to its com_err text. */
static void display_status(OM_uint32 value, int type, char *buf, size_t size, size_t *len)
{
    OM_uint32 msg_ctx = 0, major, minor;
    int shown = 0;
    do {
        gss_buffer_desc text = GSS_C_EMPTY_BUFFER;
        major = gss_display_status(&minor, value, type, GSS_C_NO_OID, &msg_ctx, &text);
        if (GSS_ERROR(major))
            break;
        /* The mechglue maps a mechanism's minor 0 to a non-zero number that
         * reads "Success": no information, so it is left out. */
        if (text.length > 0 && !(type == GSS_C_MECH_CODE && text.length == 7 &&
                                 memcmp(text.value, "Success", 7) == 0))
            append(buf, size, len, *len > 0 ? ": " : "", text.value, text.length);
        shown = 1;
        gss_release_buffer(&minor, &text);
    } while (msg_ctx != 0);
    krb5_context kctx = NULL;
    if (!shown && type == GSS_C_MECH_CODE && krb5_init_context(&kctx) == 0) {
        const char *text = krb5_get_error_message(kctx, (krb5_error_code)value);
        if (text != NULL)
            append(buf, size, len, *len > 0 ? ": " : "", text, strlen(text));
        krb5_free_error_message(kctx, text);
        krb5_free_context(kctx);
    }
}

/* Sets err from the mapped code, the caller's object text, the status text
 * and the hint. */
static int fill(scpauth_error *err, int code, const char *hint, const char *object,
                const char *status)
{
    scpauth__error_set(err, code, "%s: %s", object, status[0] ? status : "unknown failure");
    if (hint != NULL)
        scpauth__error_hint(err, "%s", hint);
    return code;
}

int scpauth__gss_fail(scpauth_error *err, scpauth__gss_op op, OM_uint32 major, OM_uint32 minor,
                      const char *fmt, ...)
{
    char object[SCPAUTH_ERROR_MESSAGE_MAX / 2], status[SCPAUTH_ERROR_MESSAGE_MAX];
    size_t len = 0;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(object, sizeof(object), fmt, ap);
    va_end(ap);

    status[0] = '\0';
    display_status(major, GSS_C_GSS_CODE, status, sizeof(status), &len);
    if (minor != 0)
        display_status(minor, GSS_C_MECH_CODE, status, sizeof(status), &len);

    const char *hint = NULL;
    int code = scpauth__gss_map_status(op, major, minor, &hint);
    if (code == 0)
        code = SCPAUTH_EINTERNAL; /* a caller passed a non-error status */
    fill(err, code, hint, object, status);
    /* Mechanism minors are krb5_error_codes (int32): keep their sign. */
    scpauth__error_native(err, SCPAUTH_NATIVE_GSS, major, (int32_t)minor);
    return code;
}

int scpauth__krb5_fail(scpauth_error *err, scpauth__gss_op op, krb5_context kctx,
                       krb5_error_code code, const char *fmt, ...)
{
    char object[SCPAUTH_ERROR_MESSAGE_MAX / 2];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(object, sizeof(object), fmt, ap);
    va_end(ap);

    const char *hint = NULL;
    int scode = scpauth__gss_map_krb5(op, code, &hint);
    if (scode == 0)
        scode = op == SCPAUTH__GSS_OP_CLIENT_CREDS ? SCPAUTH_ENOCREDS : SCPAUTH_EINTERNAL;
    const char *text = krb5_get_error_message(kctx, code);
    fill(err, scode, hint, object, text != NULL ? text : "");
    krb5_free_error_message(kctx, text);
    scpauth__error_native(err, SCPAUTH_NATIVE_KRB5, 0, code);
    return scode;
}
