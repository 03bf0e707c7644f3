/* error.c - status texts and error records, generated from SCPAUTH_ERRNO_MAP. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "error_internal.h"

const char *scpauth_strerror(int code)
{
    switch (code) {
    case SCPAUTH_OK: return "success";
    case SCPAUTH_CONTINUE: return "continue needed";
#define SCPAUTH__STR_(name, text) case SCPAUTH_##name: return text;
    SCPAUTH_ERRNO_MAP(SCPAUTH__STR_)
#undef SCPAUTH__STR_
    default: return "unknown error";
    }
}

const char *scpauth_err_name(int code)
{
    switch (code) {
    case SCPAUTH_OK: return "SCPAUTH_OK";
    case SCPAUTH_CONTINUE: return "SCPAUTH_CONTINUE";
#define SCPAUTH__NAME_(name, text) case SCPAUTH_##name: return "SCPAUTH_" #name;
    SCPAUTH_ERRNO_MAP(SCPAUTH__NAME_)
#undef SCPAUTH__NAME_
    default: return "SCPAUTH_UNKNOWN";
    }
}

void scpauth_error_clear(scpauth_error *err)
{
    if (err == NULL)
        return;
    memset(err, 0, sizeof(*err));
    err->code = SCPAUTH_OK;
}

const char *scpauth_error_format(const scpauth_error *err, char *buf, size_t size)
{
    if (buf == NULL || size == 0)
        return "";
    if (err == NULL) {
        buf[0] = '\0';
        return buf;
    }
    const char *msg = err->message[0] ? err->message : scpauth_strerror(err->code);
    if (err->hint[0])
        snprintf(buf, size, "%s (hint: %s)", msg, err->hint);
    else
        snprintf(buf, size, "%s", msg);
    return buf;
}

int scpauth__error_set(scpauth_error *err, int code, const char *fmt, ...)
{
    if (err == NULL)
        return code;
    scpauth_error_clear(err);
    err->code = (scpauth_status)code;
    if (fmt != NULL) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->message, sizeof(err->message), fmt, ap);
        va_end(ap);
    } else {
        snprintf(err->message, sizeof(err->message), "%s", scpauth_strerror(code));
    }
    return code;
}

void scpauth__error_native(scpauth_error *err, scpauth_native_kind kind, uint32_t major,
                           int64_t minor)
{
    if (err == NULL)
        return;
    err->native_kind = kind;
    err->native_major = major;
    err->native_minor = minor;
}

void scpauth__error_hint(scpauth_error *err, const char *fmt, ...)
{
    if (err == NULL)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->hint, sizeof(err->hint), fmt, ap);
    va_end(ap);
}

void scpauth__error_prefix(scpauth_error *err, const char *fmt, ...)
{
    if (err == NULL)
        return;
    char prefix[256], old[sizeof(err->message)];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(prefix, sizeof(prefix), fmt, ap);
    va_end(ap);
    memcpy(old, err->message, sizeof(old));
    /* prefix + ": " + old, truncated to fit (a long message loses its tail) */
    size_t cap = sizeof(err->message) - 1, n = 0;
    for (const char *parts[] = {prefix, ": ", old}, **q = parts; q < parts + 3; q++) {
        size_t len = strlen(*q);
        if (len > cap - n)
            len = cap - n;
        memcpy(err->message + n, *q, len);
        n += len;
    }
    err->message[n] = '\0';
}
