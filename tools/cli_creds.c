/* cli_creds.c - credential options -> scpauth_creds_options, and the
 * password's short life: read into a stack buffer, handed to the library,
 * wiped. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_creds.h"
#include "error_internal.h"

const char *cli_creds_help(scpauth_role role)
{
    if (role == SCPAUTH_ROLE_SERVICE)
        return "  --keytab FILE        the service's keys (default: the default keytab)\n"
               "  --principal SPN      accept only tickets for this SPN (default: any key\n"
               "                       of the keytab)\n";
    return "  --ccache NAME        use this credential cache (default: the default ccache)\n"
           "  --user PRINCIPAL     act as this user (its ticket in the ccache, or a\n"
           "                       password login with one of the two options below)\n"
           "  --password-file F    password login: the password is the first line of F\n"
           "                       (\"-\" = standard input)\n"
           "  --password           password login: the password is in $SCPAUTH_PASSWORD\n"
           "                       (passwords are never taken from the command line)\n";
}

int cli_creds_parse(cli_creds *c, const char *verb, int argc, char **argv, int *i)
{
    static const struct {
        const char *name;
        size_t offset;
    } with_value[] = {
        {"--keytab", offsetof(cli_creds, keytab)},
        {"--principal", offsetof(cli_creds, principal)},
        {"--user", offsetof(cli_creds, principal)},
        {"--ccache", offsetof(cli_creds, ccache)},
        {"--password-file", offsetof(cli_creds, password_file)},
        {"--backend", offsetof(cli_creds, backend)},
    };
    const char *arg = argv[*i];
    if (strcmp(arg, "--password") == 0) {
        c->password_env = 1;
        (*i)++;
        return 1;
    }
    for (size_t k = 0; k < sizeof(with_value) / sizeof(with_value[0]); k++) {
        if (strcmp(arg, with_value[k].name) != 0)
            continue;
        if (*i + 1 >= argc) {
            cli_usage_error(verb, "%s needs a value", arg);
            return -1;
        }
        *(const char **)((char *)c + with_value[k].offset) = argv[*i + 1];
        *i += 2;
        return 1;
    }
    return 0;
}

/* First line of path (or stdin) into buf, without its line end. */
static int password_read_file(const char *path, char *buf, size_t size, scpauth_error *err)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
    if (f == NULL) {
        scpauth__error_set(err, SCPAUTH_ENOCREDS, "cannot open the password file %s", path);
        scpauth__error_hint(err, "check the path and that it is readable by this user");
        return SCPAUTH_ENOCREDS;
    }
    int ok = fgets(buf, (int)size, f) != NULL;
    if (f != stdin)
        fclose(f);
    if (!ok) {
        buf[0] = '\0';
        return scpauth__error_set(err, SCPAUTH_ENOCREDS, "the password file %s is empty", path);
    }
    size_t n = strcspn(buf, "\r\n");
    if (n == strlen(buf) && n == size - 1) {
        scpauth_memzero(buf, size);
        return scpauth__error_set(err, SCPAUTH_EINVAL,
                                  "the password in %s is longer than %d characters", path,
                                  CLI_PASSWORD_MAX - 1);
    }
    buf[n] = '\0';
    return SCPAUTH_OK;
}

/* $SCPAUTH_PASSWORD into buf; the variable's value is wiped in place so
 * children and later readers do not see it. */
static int password_read_env(char *buf, size_t size, scpauth_error *err)
{
    char *v = getenv("SCPAUTH_PASSWORD");
    if (v == NULL || v[0] == '\0') {
        scpauth__error_set(err, SCPAUTH_EINVAL, "--password given but SCPAUTH_PASSWORD is not set");
        scpauth__error_hint(err, "export SCPAUTH_PASSWORD, or use --password-file FILE");
        return SCPAUTH_EINVAL;
    }
    size_t n = strlen(v);
    if (n >= size) {
        scpauth_memzero(v, n);
        return scpauth__error_set(err, SCPAUTH_EINVAL,
                                  "SCPAUTH_PASSWORD is longer than %d characters",
                                  CLI_PASSWORD_MAX - 1);
    }
    memcpy(buf, v, n + 1);
    scpauth_memzero(v, n);
    return SCPAUTH_OK;
}

static int creds_check(const cli_creds *c, scpauth_role role, scpauth_error *err)
{
    const char *bad = NULL;
    if (role == SCPAUTH_ROLE_SERVICE) {
        if (c->ccache)
            bad = "--ccache";
        else if (c->password_file || c->password_env)
            bad = c->password_env ? "--password" : "--password-file";
    } else if (c->keytab) {
        bad = "--keytab";
    } else if ((c->password_file || c->password_env) && c->principal == NULL) {
        return scpauth__error_set(err, SCPAUTH_EINVAL,
                                  "a password login needs --user PRINCIPAL");
    } else if ((c->password_file || c->password_env) && c->ccache) {
        return scpauth__error_set(err, SCPAUTH_EINVAL,
                                  "give either --ccache or a password (--password-file, "
                                  "--password), not both");
    } else if (c->password_file && c->password_env) {
        return scpauth__error_set(err, SCPAUTH_EINVAL,
                                  "give --password-file or --password, not both");
    }
    if (bad != NULL)
        return scpauth__error_set(err, SCPAUTH_EINVAL, "%s is not an option of a %s", bad,
                                  role == SCPAUTH_ROLE_SERVICE ? "service" : "client");
    if (c->backend && scpauth_auth_backend_find(c->backend) == NULL) {
        scpauth__error_set(err, SCPAUTH_EINVAL,
                           "--backend %s: no auth backend of that name in this build (it has "
                           "\"%s\" only)",
                           c->backend,
                           scpauth_auth_backend_name(scpauth_auth_backend_default()));
        scpauth__error_hint(err, "leave --backend out; the mock backend of the unit tests is "
                                 "not part of the library or the tool");
        return SCPAUTH_EINVAL;
    }
    return SCPAUTH_OK;
}

int cli_creds_acquire(const cli_creds *c, scpauth_role role, scpauth_creds **out,
                      scpauth_error *err)
{
    int rc = creds_check(c, role, err);
    if (rc != SCPAUTH_OK)
        return rc;
    char password[CLI_PASSWORD_MAX];
    password[0] = '\0';
    scpauth_creds_options o;
    memset(&o, 0, sizeof(o));
    o.role = role;
    o.principal = c->principal;
    o.ccache = c->ccache;
    o.keytab = c->keytab;
    o.backend = c->backend ? scpauth_auth_backend_find(c->backend) : NULL;
    if (c->password_file)
        rc = password_read_file(c->password_file, password, sizeof(password), err);
    else if (c->password_env)
        rc = password_read_env(password, sizeof(password), err);
    if (rc == SCPAUTH_OK) {
        if (c->password_file || c->password_env)
            o.password = password;
        rc = scpauth_creds_acquire(&o, out, err);
    }
    scpauth_memzero(password, sizeof(password));
    return rc;
}

const char *cli_creds_describe(const cli_creds *c, scpauth_role role, char *buf, size_t size)
{
    if (role == SCPAUTH_ROLE_SERVICE)
        snprintf(buf, size, "keytab %s", c->keytab ? c->keytab : "(default)");
    else if (c->password_file || c->password_env)
        snprintf(buf, size, "password login of %s", c->principal);
    else
        snprintf(buf, size, "ccache %s", c->ccache ? c->ccache : "(default)");
    return buf;
}
