/* example_cmdline.c - a Windows command line from separate arguments, for
 * the Service Control Manager's lpBinaryPathName. Portable (no Windows
 * header) so that it is unit-tested on every platform. */
#include <string.h>

#include "example_os.h"

/* Appends n bytes of s to buf (size) at *len; 0 when it does not fit. */
static int put(char *buf, size_t size, size_t *len, const char *s, size_t n)
{
    if (n >= size - *len)
        return 0;
    memcpy(buf + *len, s, n);
    *len += n;
    buf[*len] = '\0';
    return 1;
}

static int put_backslashes(char *buf, size_t size, size_t *len, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!put(buf, size, len, "\\", 1))
            return 0;
    return 1;
}

/* One argument as the C runtime's parser (CommandLineToArgvW) reads it
 * back: bare when nothing in it needs quoting; otherwise in double quotes,
 * where backslashes are literal except before a quote, so a run of them
 * before a '"' (or the closing quote) is doubled and the '"' escaped. */
static int put_arg(char *buf, size_t size, size_t *len, const char *arg)
{
    if (arg[0] != '\0' && strpbrk(arg, " \t\n\v\"") == NULL)
        return put(buf, size, len, arg, strlen(arg));
    if (!put(buf, size, len, "\"", 1))
        return 0;
    for (const char *p = arg;; p++) {
        size_t slashes = 0;
        while (*p == '\\') {
            slashes++;
            p++;
        }
        if (*p == '\0')
            return put_backslashes(buf, size, len, 2 * slashes) && put(buf, size, len, "\"", 1);
        if (*p == '"') {
            if (!put_backslashes(buf, size, len, 2 * slashes + 1) || !put(buf, size, len, "\"", 1))
                return 0;
        } else if (!put_backslashes(buf, size, len, slashes) || !put(buf, size, len, p, 1)) {
            return 0;
        }
    }
}

int example_cmdline(const char *program, const char *const *argv, size_t argc, char *buf,
                    size_t size)
{
    size_t len = 0;
    if (size == 0)
        return 0;
    buf[0] = '\0';
    /* the program name is parsed by other rules: quoted, with no '"' inside */
    if (strchr(program, '"') != NULL || !put(buf, size, &len, "\"", 1) ||
        !put(buf, size, &len, program, strlen(program)) || !put(buf, size, &len, "\"", 1))
        return 0;
    for (size_t i = 0; i < argc; i++)
        if (!put(buf, size, &len, " ", 1) || !put_arg(buf, size, &len, argv[i]))
            return 0;
    return 1;
}
