/* adsi_text.c - UTF-8 (the core's text) <-> UTF-16 (the Windows APIs'),
 * refusing invalid sequences instead of replacing them. */
#include <stdlib.h>

#include "adsi_internal.h"

wchar_t *scpauth__adsi_wide(const char *utf8, scpauth_error *err)
{
    int n = MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, utf8, -1, NULL, 0);
    if (n <= 0) {
        scpauth__error_set(err, SCPAUTH_EINVAL, "\"%.200s\" is not valid UTF-8", utf8);
        return NULL;
    }
    wchar_t *w = malloc((size_t)n * sizeof(*w));
    if (w == NULL) {
        scpauth__error_set(err, SCPAUTH_ENOMEM, "out of memory converting text");
        return NULL;
    }
    MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, utf8, -1, w, n);
    return w;
}

char *scpauth__adsi_utf8(const wchar_t *wide, size_t *len)
{
    int n = WideCharToMultiByte(CP_UTF8, WC_ERR_INVALID_CHARS, wide, -1, NULL, 0, NULL, NULL);
    if (n <= 0)
        return NULL;
    char *s = malloc((size_t)n);
    if (s == NULL)
        return NULL;
    WideCharToMultiByte(CP_UTF8, WC_ERR_INVALID_CHARS, wide, -1, s, n, NULL, NULL);
    if (len != NULL)
        *len = (size_t)n - 1;
    return s;
}

wchar_t **scpauth__adsi_wide_array(const char *const *utf8, size_t n, scpauth_error *err)
{
    wchar_t **a = calloc(n + 1, sizeof(*a));
    if (a == NULL) {
        scpauth__error_set(err, SCPAUTH_ENOMEM, "out of memory converting text");
        return NULL;
    }
    for (size_t i = 0; i < n; i++)
        if ((a[i] = scpauth__adsi_wide(utf8[i], err)) == NULL) {
            scpauth__adsi_wide_array_free(a);
            return NULL;
        }
    return a;
}

void scpauth__adsi_wide_array_free(wchar_t **a)
{
    for (size_t i = 0; a != NULL && a[i] != NULL; i++)
        free(a[i]);
    free(a);
}
