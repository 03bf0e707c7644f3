/* error_internal.h - filling scpauth_error records (private). */
#ifndef SCPAUTH_ERROR_INTERNAL_H
#define SCPAUTH_ERROR_INTERNAL_H

#include "scpauth/error.h"

/* Sets err (if not NULL) to code with a printf-style message, clears native
 * status and hint; returns code so callers can `return scpauth__error_set(...)`. */
int scpauth__error_set(scpauth_error *err, int code, const char *fmt, ...)
    SCPAUTH_PRINTF(3, 4);

/* Records the backend's native status on an error already set. */
void scpauth__error_native(scpauth_error *err, scpauth_native_kind kind, uint32_t major,
                           int64_t minor);

/* Sets the hint (printf-style) on an error already set. */
void scpauth__error_hint(scpauth_error *err, const char *fmt, ...) SCPAUTH_PRINTF(2, 3);

/* Prefixes the message with "prefix: " (context added by an outer layer). */
void scpauth__error_prefix(scpauth_error *err, const char *fmt, ...) SCPAUTH_PRINTF(2, 3);

/* Allocates a buffer of len bytes released by scpauth_buffer_free
 * (malloc + wipe). Returns SCPAUTH_OK or ENOMEM (err filled). */
int scpauth__buffer_alloc(scpauth_buffer *b, size_t len, scpauth_error *err);

/* Copies len bytes into a fresh buffer. */
int scpauth__buffer_copy(scpauth_buffer *b, const void *data, size_t len, scpauth_error *err);

#endif
