/* spn_host.c - the local host's DNS and NetBIOS names, the defaults of
 * DsGetSpn. The only SPN file with platform code: Win32 GetComputerNameExW,
 * POSIX gethostname + getaddrinfo. */
#include <string.h>

#include "spn_internal.h"

/* Copies a found name into the caller's buffer. */
static int host_copy(const char *what, const char *name, size_t len, char *buf, size_t size,
                     scpauth_error *err)
{
    if (len == 0)
        return scpauth__error_set(err, SCPAUTH_EIO, "the system reports an empty %s", what);
    if (buf == NULL || size < len + 1)
        return scpauth__error_set(err, SCPAUTH_ENOBUFS,
                                  "%s \"%.*s\" needs %lu bytes, the buffer has %lu", what,
                                  (int)len, name, (unsigned long)(len + 1),
                                  (unsigned long)(buf == NULL ? 0 : size));
    memcpy(buf, name, len);
    buf[len] = '\0';
    return SCPAUTH_OK;
}

#ifdef _WIN32
#include <windows.h>

static int computer_name(COMPUTER_NAME_FORMAT format, const char *what, char *buf, size_t size,
                         scpauth_error *err)
{
    WCHAR wide[SCPAUTH_HOST_NAME_MAX];
    DWORD n = SCPAUTH_HOST_NAME_MAX;
    char name[SCPAUTH_HOST_NAME_MAX * 3];
    if (!GetComputerNameExW(format, wide, &n)) {
        DWORD e = GetLastError();
        scpauth__error_set(err, SCPAUTH_EIO, "GetComputerNameExW gave no %s (error %lu)", what,
                           (unsigned long)e);
        scpauth__error_native(err, SCPAUTH_NATIVE_WIN32, (uint32_t)e, 0);
        return SCPAUTH_EIO;
    }
    int len = n == 0 ? 0
                     : WideCharToMultiByte(CP_UTF8, 0, wide, (int)n, name, (int)sizeof(name),
                                           NULL, NULL);
    if (n != 0 && len <= 0) {
        DWORD e = GetLastError();
        scpauth__error_set(err, SCPAUTH_EIO, "cannot convert the %s to UTF-8 (error %lu)", what,
                           (unsigned long)e);
        scpauth__error_native(err, SCPAUTH_NATIVE_WIN32, (uint32_t)e, 0);
        return SCPAUTH_EIO;
    }
    return host_copy(what, name, (size_t)len, buf, size, err);
}

int scpauth_host_fqdn(char *buf, size_t size, scpauth_error *err)
{
    return computer_name(ComputerNameDnsFullyQualified, "host DNS name", buf, size, err);
}

int scpauth_host_netbios(char *buf, size_t size, scpauth_error *err)
{
    return computer_name(ComputerNameNetBIOS, "host NetBIOS name", buf, size, err);
}

#else
#include <errno.h>
#include <netdb.h>
#include <sys/socket.h>
#include <unistd.h>

static int host_name(char name[SCPAUTH_HOST_NAME_MAX], scpauth_error *err)
{
    if (gethostname(name, SCPAUTH_HOST_NAME_MAX) != 0) {
        int e = errno;
        scpauth__error_set(err, SCPAUTH_EIO, "gethostname failed: %s", strerror(e));
        scpauth__error_native(err, SCPAUTH_NATIVE_ERRNO, (uint32_t)e, 0);
        return SCPAUTH_EIO;
    }
    name[SCPAUTH_HOST_NAME_MAX - 1] = '\0';
    return SCPAUTH_OK;
}

/* A canonical name worth more than the host name: dotted, not localhost. */
static int better_name(const char *canon)
{
    return canon != NULL && strchr(canon, '.') != NULL && strlen(canon) < SCPAUTH_HOST_NAME_MAX &&
           strncmp(canon, "localhost", 9) != 0;
}

int scpauth_host_fqdn(char *buf, size_t size, scpauth_error *err)
{
    char name[SCPAUTH_HOST_NAME_MAX];
    int rc = host_name(name, err);
    if (rc != SCPAUTH_OK)
        return rc;
    struct addrinfo hints, *res = NULL;
    memset(&hints, 0, sizeof(hints));
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_CANONNAME;
    if (strchr(name, '.') == NULL && getaddrinfo(name, NULL, &hints, &res) == 0) {
        if (res != NULL && better_name(res->ai_canonname))
            strcpy(name, res->ai_canonname); /* length checked by better_name */
    }
    if (res != NULL)
        freeaddrinfo(res);
    return host_copy("host DNS name", name, strlen(name), buf, size, err);
}

int scpauth_host_netbios(char *buf, size_t size, scpauth_error *err)
{
    char name[SCPAUTH_HOST_NAME_MAX];
    int rc = host_name(name, err);
    if (rc != SCPAUTH_OK)
        return rc;
    size_t len = strcspn(name, ".");
    if (len > 15)
        len = 15;
    for (size_t i = 0; i < len; i++)
        if (name[i] >= 'a' && name[i] <= 'z')
            name[i] = (char)(name[i] - 'a' + 'A');
    return host_copy("host NetBIOS name", name, len, buf, size, err);
}
#endif
