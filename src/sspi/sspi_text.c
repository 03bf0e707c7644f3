/* sspi_text.c - UTF-8 <-> UTF-16 for the wide-character SSPI calls, the
 * split of a principal into user and domain, and the identity they fill. */
#include "sspi.h"

#include <stdlib.h>
#include <string.h>
#include <wchar.h>

wchar_t *scpauth__sspi_widen(const char *s, size_t *nchars)
{
    if (nchars)
        *nchars = 0;
    if (s == NULL)
        return NULL;
    /* Count includes the NUL because we pass -1 as the input length. */
    int n = MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, s, -1, NULL, 0);
    if (n <= 0)
        return NULL;
    wchar_t *w = malloc((size_t)n * sizeof *w);
    if (w == NULL)
        return NULL;
    if (MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, s, -1, w, n) != n) {
        free(w);
        return NULL;
    }
    if (nchars)
        *nchars = (size_t)n - 1;
    return w;
}

void scpauth__sspi_wfree(wchar_t *w)
{
    if (w == NULL)
        return;
    /* Passwords travel through here: always wipe. */
    scpauth_memzero(w, wcslen(w) * sizeof *w);
    free(w);
}

int scpauth__sspi_narrow(const wchar_t *w, char *buf, size_t size)
{
    if (size == 0)
        return -1;
    buf[0] = '\0';
    if (w == NULL)
        return 0;
    int cap = size > (size_t)INT_MAX ? INT_MAX : (int)size;
    int n = WideCharToMultiByte(CP_UTF8, WC_ERR_INVALID_CHARS, w, -1, buf, cap, NULL, NULL);
    if (n <= 0) {
        buf[0] = '\0';
        return -1;
    }
    return 0;
}

void scpauth__sspi_split_principal(wchar_t *w, wchar_t **user, wchar_t **domain)
{
    *user = w;
    *domain = NULL;
    /* "DOMAIN\user" (down-level logon name) */
    wchar_t *bs = wcschr(w, L'\\');
    if (bs != NULL) {
        *bs = L'\0';
        *domain = w;
        *user = bs + 1;
        return;
    }
    /* "user@REALM": the last '@', since an enterprise name may hold one. */
    wchar_t *at = wcsrchr(w, L'@');
    if (at != NULL) {
        *at = L'\0';
        *domain = at + 1;
    }
}

void scpauth__sspi_identity_fill(SEC_WINNT_AUTH_IDENTITY_W *id, wchar_t *user, wchar_t *domain,
                                 wchar_t *password, size_t password_chars)
{
    memset(id, 0, sizeof *id);
    /* Lengths in characters, NUL excluded (Microsoft's sample passed bytes). */
    id->User = (unsigned short *)user;
    id->UserLength = (unsigned long)wcslen(user);
    id->Domain = (unsigned short *)domain;
    id->DomainLength = domain ? (unsigned long)wcslen(domain) : 0;
    id->Password = (unsigned short *)password;
    id->PasswordLength = (unsigned long)password_chars;
    id->Flags = SEC_WINNT_AUTH_IDENTITY_UNICODE;
}
