/* example_file_posix.c - the example service's files on Linux/Unix, written
 * so that a symbolic link planted beside them is never followed and read only
 * when nobody but root or the installing user can have written them (see
 * example_os.h): the state file tells a root `uninstall` what to remove. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "example_os.h"

static int trusted_owner(uid_t uid)
{
    return uid == 0 || uid == geteuid();
}

/* Writes all of data to fd; 0 on error (errno set). */
static int write_all(int fd, const char *data, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, data, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return 0;
        data += n;
        len -= (size_t)n;
    }
    return 1;
}

int example_os_file_replace(const char *dir, const char *name, const char *data, size_t len,
                            unsigned mode, scpauth_error *err)
{
    char path[PATH_MAX], tmp[PATH_MAX];
    if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, name) >= sizeof(path) ||
        (size_t)snprintf(tmp, sizeof(tmp), "%s/.%s.XXXXXX", dir, name) >= sizeof(tmp))
        return example_error(err, SCPAUTH_EINVAL, "file name too long: %.200s/%.200s", dir, name);
    /* mkstemp: O_CREAT|O_EXCL under a random name, so nothing planted at a
     * guessable temporary name is opened; rename replaces a link at path. */
    int fd = mkstemp(tmp);
    if (fd < 0)
        return example_error(err, SCPAUTH_EIO, "cannot create a file in %s: %s", dir,
                             strerror(errno));
    int ok = fchmod(fd, (mode_t)mode) == 0 && write_all(fd, data, len) && fsync(fd) == 0;
    int e = errno;
    if (close(fd) != 0 && ok) {
        ok = 0;
        e = errno;
    }
    if (ok && rename(tmp, path) != 0) {
        ok = 0;
        e = errno;
    }
    if (!ok) {
        unlink(tmp);
        return example_error(err, SCPAUTH_EIO, "cannot write %s: %s", path, strerror(e));
    }
    int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) { /* the rename itself durable; best effort (not every fs can) */
        (void)fsync(dfd);
        close(dfd);
    }
    return SCPAUTH_OK;
}

/* Says why st (of what) cannot be trusted, or returns SCPAUTH_OK. */
static int check_stat(const struct stat *st, int is_dir, const char *what, scpauth_error *err)
{
    int rc = SCPAUTH_OK;
    if (is_dir ? !S_ISDIR(st->st_mode) : !S_ISREG(st->st_mode))
        rc = example_error(err, SCPAUTH_EINVAL, "%s is not a %s", what,
                           is_dir ? "directory" : "regular file");
    else if (!trusted_owner(st->st_uid))
        rc = example_error(err, SCPAUTH_EINVAL, "%s is owned by uid %lu, not by root or uid %lu",
                           what, (unsigned long)st->st_uid, (unsigned long)geteuid());
    else if ((st->st_mode & (S_IWGRP | S_IWOTH)) && !(is_dir && (st->st_mode & S_ISVTX)))
        rc = example_error(err, SCPAUTH_EINVAL, "%s is writable by %s (mode %03o)", what,
                           (st->st_mode & S_IWOTH) ? "everyone" : "its group",
                           (unsigned)(st->st_mode & 0777));
    else if (!is_dir && st->st_nlink != 1)
        rc = example_error(err, SCPAUTH_EINVAL, "%s has %lu hard links", what,
                           (unsigned long)st->st_nlink);
    if (rc != SCPAUTH_OK && err != NULL)
        snprintf(err->hint, sizeof(err->hint),
                 "not trusted; keep it owned by root (or the installing user) and writable "
                 "by its owner only, then run again");
    return rc;
}

static int read_fd(int fd, const char *path, char *buf, size_t cap, size_t *len,
                   scpauth_error *err)
{
    size_t n = 0;
    for (;;) {
        ssize_t r = read(fd, buf + n, cap - 1 - n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            return example_error(err, SCPAUTH_EIO, "cannot read %s: %s", path, strerror(errno));
        if (r == 0)
            break;
        n += (size_t)r;
        if (n == cap - 1) {
            char extra;
            if (read(fd, &extra, 1) > 0)
                return example_error(err, SCPAUTH_EINVAL, "%s is over %zu bytes", path,
                                     cap - 1);
            break;
        }
    }
    buf[n] = '\0';
    *len = n;
    return SCPAUTH_OK;
}

int example_os_file_read(const char *dir, const char *name, char *buf, size_t cap, size_t *len,
                         scpauth_error *err)
{
    char path[PATH_MAX];
    struct stat st;
    *len = 0;
    if (cap == 0 || (size_t)snprintf(path, sizeof(path), "%s/%s", dir, name) >= sizeof(path))
        return example_error(err, SCPAUTH_EINVAL, "file name too long: %.200s/%.200s", dir, name);
    /* the directory first, then the file relative to that same directory */
    int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd < 0)
        return example_error(err, errno == ENOENT ? SCPAUTH_ENOTFOUND : SCPAUTH_EIO,
                             "cannot read %s: %s", path, strerror(errno));
    char what[PATH_MAX + 16];
    snprintf(what, sizeof(what), "directory %s", dir);
    int rc = fstat(dfd, &st) == 0 ? check_stat(&st, 1, what, err)
                                  : example_error(err, SCPAUTH_EIO, "cannot stat %s", what);
    int fd = -1;
    if (rc == SCPAUTH_OK) {
        fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
        if (fd < 0 && errno == ELOOP)
            rc = example_error(err, SCPAUTH_EINVAL, "%s is a symbolic link: not followed", path);
        else if (fd < 0)
            rc = example_error(err, errno == ENOENT ? SCPAUTH_ENOTFOUND : SCPAUTH_EIO,
                               "cannot read %s: %s", path, strerror(errno));
    }
    close(dfd);
    snprintf(what, sizeof(what), "%s", path);
    if (rc == SCPAUTH_OK)
        rc = fstat(fd, &st) == 0 ? check_stat(&st, 0, what, err)
                                 : example_error(err, SCPAUTH_EIO, "cannot stat %s", path);
    if (rc == SCPAUTH_OK)
        rc = read_fd(fd, path, buf, cap, len, err);
    if (fd >= 0)
        close(fd);
    return rc;
}
