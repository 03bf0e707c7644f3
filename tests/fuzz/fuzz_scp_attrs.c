/* fuzz_scp_attrs.c - libFuzzer target for the SCP parser: arbitrary bytes
 * become an entry as a backend would hand it over, then scpauth_scp_parse.
 *
 * Input, LDIF-like: the first line is the DN; every further line is
 * "name:value" (value bytes up to the newline, NUL included) or
 * "name::hex" (value given in hex, for objectGUID and newlines). Lines with
 * the same name in a row form one attribute; a name seen again later is a
 * second attribute of that name.
 *
 * Properties checked (abort on violation): the result is OK or ESCPINVALID;
 * an error leaves the record empty and its message is printable ASCII that
 * names the SCP; a success has a port 1-65535, values within the limits,
 * bindings that all give that port, and its class and host name can be
 * published again (scpauth_scp_build) and parsed back unchanged. The same
 * entry also goes through the directory layer's checked entries
 * (dir_entries.h) and scpauth__scp_from_dir_entry, which must agree when the
 * directory layer kept every value. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <scpauth.h>
#include "dir_entries.h"
#include "scp_internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_ATTRS 80
#define MAX_VALUES 512

static void check(int ok)
{
    if (!ok)
        abort();
}

/* Decodes hex in place; stops at the first non-hex pair. Returns the length. */
static size_t unhex(char *p, size_t n)
{
    size_t w = 0;
    for (size_t i = 0; i + 1 < n; i += 2) {
        int hi = scpauth__hex_value(p[i]), lo = scpauth__hex_value(p[i + 1]);
        if (hi < 0 || lo < 0)
            break;
        p[w++] = (char)(hi << 4 | lo);
    }
    return w;
}

struct fake {
    scpauth_entry_attr attrs[MAX_ATTRS];
    scpauth_entry_value values[MAX_VALUES];
    size_t n_values;
    scpauth_entry entry;
};

/* Splits buf (NUL-terminated copy of the input) into the fake entry. */
static void make_entry(char *buf, size_t n, struct fake *f)
{
    memset(f, 0, sizeof(*f));
    f->entry.attrs = f->attrs;
    char *line = buf, *end = buf + n;
    char *nl = memchr(line, '\n', n);
    f->entry.dn = line;
    if (nl == NULL)
        return;
    *nl = '\0';
    line = nl + 1;
    const char *last_name = NULL;
    while (line < end && f->n_values < MAX_VALUES) {
        nl = memchr(line, '\n', (size_t)(end - line));
        char *stop = nl != NULL ? nl : end;
        char *colon = memchr(line, ':', (size_t)(stop - line));
        if (colon != NULL) {
            *colon = '\0';
            char *v = colon + 1;
            int hex = v < stop && *v == ':';
            v += hex;
            size_t len = (size_t)(stop - v);
            if (hex)
                len = unhex(v, len);
            if (last_name == NULL || strcmp(last_name, line) != 0) {
                if (f->entry.count == MAX_ATTRS)
                    break;
                scpauth_entry_attr *a = &f->attrs[f->entry.count++];
                a->name = line;
                a->values = &f->values[f->n_values];
                last_name = line;
            }
            f->values[f->n_values].data = v;
            f->values[f->n_values].len = len;
            f->n_values++;
            f->attrs[f->entry.count - 1].count++;
        }
        if (nl == NULL)
            break;
        line = nl + 1;
    }
}

static void check_error(int rc, const scpauth_error *err, const scpauth_scp *scp)
{
    check(rc == SCPAUTH_ESCPINVALID);
    check(err->code == rc);
    check(strncmp(err->message, "SCP ", 4) == 0);
    for (const char *m = err->message; *m; m++)
        check(*m >= 0x20 && *m < 0x7f);
    check(scp->dn == NULL && scp->block_ == NULL && scp->bindings == NULL && scp->port == 0);
}

/* The class and host name of a parsed SCP are valid to publish again. */
static void check_republish(const scpauth_scp *scp)
{
    if (scp->dns_name_type != SCPAUTH_SCP_DNS_A || strlen(scp->service_class) > 60)
        return;
    scpauth_scp_params p;
    memset(&p, 0, sizeof(p));
    p.service_class = scp->service_class;
    p.dns_name = scp->dns_name;
    p.port = scp->port;
    p.guid_keyword = "33221100-5544-7766-8899-aabbccddeeff";
    p.instance = "1";
    p.parent_dn = scp->dn;
    scpauth_scp_entry built;
    scpauth_error err;
    int rc = scpauth_scp_build(&p, &built, &err);
    if (rc == SCPAUTH_EINVAL && strstr(err.message, "DN") != NULL)
        return; /* a DN read (no '=', edge spaces, at the limit) need not make a parent */
    check(rc == SCPAUTH_OK);
    scpauth_scp again;
    check(scpauth_scp_parse(&built.entry, &again, &err) == SCPAUTH_OK);
    check(again.port == scp->port);
    check(strcmp(again.dns_name, scp->dns_name) == 0);
    check(strcmp(again.service_class, scp->service_class) == 0);
    check(scpauth_scp_is_current(&again, &p));
    scpauth_scp_free(&again);
    scpauth_scp_entry_free(&built);
}

static void check_success(const scpauth_scp *scp)
{
    check(scp->port >= 1);
    check(scp->dn != NULL && strlen(scp->dn) <= SCPAUTH_SCP_DN_MAX);
    check(strlen(scp->service_class) <= SCPAUTH_SCP_CLASS_MAX);
    check(strlen(scp->dns_name) <= SCPAUTH_SCP_DNS_MAX);
    check(scp->n_bindings >= 1 && scp->n_bindings <= SCPAUTH_SCP_BINDINGS_MAX);
    check(scp->n_keywords <= SCPAUTH_SCP_KEYWORDS_MAX);
    for (size_t i = 0; i < scp->n_bindings; i++) {
        unsigned port = 0;
        check(scpauth__scp_binding_port(scp->bindings[i], strlen(scp->bindings[i]), &port,
                                        NULL) == SCPAUTH_OK);
        check(port == scp->port);
    }
    for (size_t i = 0; i < scp->n_keywords; i++) {
        size_t n = strlen(scp->keywords[i]);
        check(n >= 1 && n <= SCPAUTH_SCP_KEYWORD_MAX);
        char filter[4 * SCPAUTH_SCP_KEYWORD_MAX + 64];
        size_t fs = sizeof(filter);
        check(scpauth_scp_filter(scp->keywords[i], n, filter, &fs, NULL) == SCPAUTH_OK);
        for (const char *c = filter; *c; c++)
            check(*c >= 0x20 && *c < 0x7f);
    }
    check(scp->description == NULL || strlen(scp->description) <= SCPAUTH_SCP_DESCRIPTION_MAX);
    check(scp->cn == NULL || strlen(scp->cn) <= SCPAUTH_SCP_CN_MAX);
    check_republish(scp);
}

/* The fake entry as the directory layer would hold it, then parsed from
 * there. Same-named attributes merge there, so only "both OK or both not"
 * is compared, and only when no attribute name repeats. */
static void check_dir_path(const struct fake *f, int direct_rc)
{
    scpauth__dir_entries es;
    memset(&es, 0, sizeof(es));
    es.binary_attrs = scpauth__scp_binary_attrs;
    scpauth__dir_entry *e = NULL;
    scpauth_error err;
    const char *dn = f->entry.dn;
    int kept = scpauth__dir_entry_new(&es, dn, strlen(dn), &e, &err) == SCPAUTH_OK;
    int repeats = 0;
    for (size_t i = 0; kept && i < f->entry.count; i++) {
        const scpauth_entry_attr *a = &f->attrs[i];
        for (size_t j = 0; j < i; j++)
            repeats |= scpauth__ascii_casecmp(a->name, strlen(a->name), f->attrs[j].name,
                                              strlen(f->attrs[j].name)) == 0;
        for (size_t k = 0; kept && k < a->count; k++)
            kept = scpauth__dir_entry_add(&es, e, a->name, a->values[k].data, a->values[k].len,
                                          &err) == SCPAUTH_OK;
    }
    if (kept) {
        scpauth_scp scp;
        int rc = scpauth__scp_from_dir_entry(e, &scp, &err);
        if (rc != SCPAUTH_OK)
            check_error(rc, &err, &scp);
        if (!repeats && f->entry.count <= SCPAUTH_SCP_ATTRS_MAX)
            check((rc == SCPAUTH_OK) == (direct_rc == SCPAUTH_OK));
        scpauth_scp_free(&scp);
    }
    scpauth__dir_entries_free(&es);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 64 * 1024)
        return 0;
    char *buf = malloc(size + 1);
    if (buf == NULL)
        return 0;
    memcpy(buf, data, size);
    buf[size] = '\0';
    static struct fake f;
    make_entry(buf, size, &f);

    scpauth_scp scp;
    scpauth_error err;
    int rc = scpauth_scp_parse(&f.entry, &scp, &err);
    if (rc == SCPAUTH_OK)
        check_success(&scp);
    else
        check_error(rc, &err, &scp);
    check_dir_path(&f, rc);
    /* the parse result owns its strings: the input may go first */
    memset(buf, 0, size + 1);
    if (rc == SCPAUTH_OK)
        check(scp.service_class[0] != '\0' && scp.dns_name[0] != '\0');
    scpauth_scp_free(&scp);
    free(buf);
    return 0;
}
