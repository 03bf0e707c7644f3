/* scpauth/common.h - export macro, attributes, buffers and sockets shared by
 * every scpauth header. */
#ifndef SCPAUTH_COMMON_H
#define SCPAUTH_COMMON_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* One export macro: SCPAUTH_BUILDING is set while building the library,
 * SCPAUTH_STATIC by users of the static library on Windows. */
#if defined(_WIN32) && !defined(SCPAUTH_STATIC)
#  ifdef SCPAUTH_BUILDING
#    define SCPAUTH_EXPORT __declspec(dllexport)
#  else
#    define SCPAUTH_EXPORT __declspec(dllimport)
#  endif
#elif defined(__GNUC__) && __GNUC__ >= 4
#  define SCPAUTH_EXPORT __attribute__((visibility("default")))
#else
#  define SCPAUTH_EXPORT
#endif

/* Checks whose result must not be ignored (verify, unseal, step...). */
#if defined(__GNUC__) || defined(__clang__)
#  define SCPAUTH_WUR __attribute__((warn_unused_result))
/* mingw-w64's `printf` archetype is msvcrt's (no %zu); the library is built
 * with __USE_MINGW_ANSI_STDIO=1, whose vsnprintf is C99: check as GNU. */
#  if defined(__MINGW32__) && defined(__USE_MINGW_ANSI_STDIO) && __USE_MINGW_ANSI_STDIO
#    define SCPAUTH_PRINTF(f, a) __attribute__((format(gnu_printf, f, a)))
#  else
#    define SCPAUTH_PRINTF(f, a) __attribute__((format(printf, f, a)))
#  endif
#else
#  define SCPAUTH_WUR
#  define SCPAUTH_PRINTF(f, a)
#endif

/* A socket: a file descriptor on POSIX, a SOCKET (UINT_PTR) on Windows. */
#ifdef _WIN32
typedef uintptr_t scpauth_socket;
#  define SCPAUTH_INVALID_SOCKET ((scpauth_socket)~(uintptr_t)0)
#else
typedef int scpauth_socket;
#  define SCPAUTH_INVALID_SOCKET (-1)
#endif

/* Output bytes allocated by the library and owned by the caller, who releases
 * them with scpauth_buffer_free() (which wipes them first). A zeroed buffer
 * (SCPAUTH_BUFFER_INIT) is empty and may be freed. */
typedef struct scpauth_buffer {
    unsigned char *data;
    size_t len;
    /* private: how to release data (set by the library) */
    void (*release_)(struct scpauth_buffer *);
    void *opaque_;
} scpauth_buffer;

#define SCPAUTH_BUFFER_INIT { NULL, 0, NULL, NULL }

/* Wipes and frees b's bytes and leaves b empty. NULL and empty are fine. */
SCPAUTH_EXPORT void scpauth_buffer_free(scpauth_buffer *b);

/* Overwrites n bytes at p in a way the compiler cannot remove. */
SCPAUTH_EXPORT void scpauth_memzero(void *p, size_t n);

/* Library version as "MAJOR.MINOR.PATCH". */
SCPAUTH_EXPORT const char *scpauth_version(void);

#ifdef __cplusplus
}
#endif
#endif
