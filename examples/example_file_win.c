/* example_file_win.c - the example service's files on Windows (see
 * example_os.h): written under a fresh name and moved over the old one, read
 * only when not a reparse point (symbolic link, junction) or a hard link.
 * Who may write them is the directory's ACL: keep the state directory where
 * only administrators write. */
#include <windows.h>
#include <stdio.h>
#include <string.h>

#include "example_os.h"

#define PATH_WIDE 1024

static int to_wide(const char *s, wchar_t *w)
{
    return MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, s, -1, w, PATH_WIDE) > 0;
}

int example_os_file_replace(const char *dir, const char *name, const char *data, size_t len,
                            unsigned mode, scpauth_error *err)
{
    static LONG serial;
    char path[PATH_WIDE], tmp[PATH_WIDE];
    wchar_t wpath[PATH_WIDE], wtmp[PATH_WIDE];
    (void)mode; /* the directory's ACL applies */
    if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, name) >= sizeof(path) ||
        (size_t)snprintf(tmp, sizeof(tmp), "%s/.%s.%lu.%lu.%lu", dir, name,
                         (unsigned long)GetCurrentProcessId(), (unsigned long)GetTickCount(),
                         (unsigned long)InterlockedIncrement(&serial)) >= sizeof(tmp) ||
        !to_wide(path, wpath) || !to_wide(tmp, wtmp))
        return example_error(err, SCPAUTH_EINVAL, "file name too long or not UTF-8: %.200s/%.200s",
                             dir, name);
    /* CREATE_NEW fails on anything already there, a link included */
    HANDLE h = CreateFileW(wtmp, GENERIC_WRITE, 0, NULL, CREATE_NEW, FILE_ATTRIBUTE_NORMAL, NULL);
    if (h == INVALID_HANDLE_VALUE)
        return example_error(err, SCPAUTH_EIO, "cannot create %s (error %lu)", tmp,
                             (unsigned long)GetLastError());
    int ok = 1;
    while (ok && len > 0) {
        DWORD chunk = len > 65536 ? 65536 : (DWORD)len, n = 0;
        ok = WriteFile(h, data, chunk, &n, NULL) && n > 0;
        data += n;
        len -= n;
    }
    ok = ok && FlushFileBuffers(h);
    DWORD e = GetLastError();
    CloseHandle(h);
    if (ok && !MoveFileExW(wtmp, wpath, MOVEFILE_REPLACE_EXISTING | MOVEFILE_WRITE_THROUGH)) {
        ok = 0;
        e = GetLastError();
    }
    if (!ok) {
        DeleteFileW(wtmp);
        return example_error(err, SCPAUTH_EIO, "cannot write %s (error %lu)", path,
                             (unsigned long)e);
    }
    return SCPAUTH_OK;
}

int example_os_file_read(const char *dir, const char *name, char *buf, size_t cap, size_t *len,
                         scpauth_error *err)
{
    char path[PATH_WIDE];
    wchar_t wpath[PATH_WIDE];
    *len = 0;
    if (cap == 0 || (size_t)snprintf(path, sizeof(path), "%s/%s", dir, name) >= sizeof(path) ||
        !to_wide(path, wpath))
        return example_error(err, SCPAUTH_EINVAL, "file name too long or not UTF-8: %.200s/%.200s",
                             dir, name);
    /* FILE_FLAG_OPEN_REPARSE_POINT: a link is opened itself, then refused */
    HANDLE h = CreateFileW(wpath, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING,
                           FILE_FLAG_OPEN_REPARSE_POINT, NULL);
    if (h == INVALID_HANDLE_VALUE) {
        DWORD e = GetLastError();
        return example_error(err,
                             e == ERROR_FILE_NOT_FOUND || e == ERROR_PATH_NOT_FOUND
                                 ? SCPAUTH_ENOTFOUND
                                 : SCPAUTH_EIO,
                             "cannot read %s (error %lu)", path, (unsigned long)e);
    }
    BY_HANDLE_FILE_INFORMATION fi;
    int rc = SCPAUTH_OK;
    if (!GetFileInformationByHandle(h, &fi))
        rc = example_error(err, SCPAUTH_EIO, "cannot inspect %s (error %lu)", path,
                           (unsigned long)GetLastError());
    else if (fi.dwFileAttributes & (FILE_ATTRIBUTE_REPARSE_POINT | FILE_ATTRIBUTE_DIRECTORY))
        rc = example_error(err, SCPAUTH_EINVAL, "%s is a link or a directory: not followed", path);
    else if (fi.nNumberOfLinks != 1)
        rc = example_error(err, SCPAUTH_EINVAL, "%s has %lu hard links", path,
                           (unsigned long)fi.nNumberOfLinks);
    else if (fi.nFileSizeHigh != 0 || fi.nFileSizeLow > cap - 1)
        rc = example_error(err, SCPAUTH_EINVAL, "%s is over %lu bytes", path,
                           (unsigned long)(cap - 1));
    DWORD n = 0;
    if (rc == SCPAUTH_OK && !ReadFile(h, buf, fi.nFileSizeLow, &n, NULL))
        rc = example_error(err, SCPAUTH_EIO, "cannot read %s (error %lu)", path,
                           (unsigned long)GetLastError());
    CloseHandle(h);
    if (rc == SCPAUTH_OK) {
        buf[n] = '\0';
        *len = n;
    }
    return rc;
}
