/* fuzz_spn_crack.c - libFuzzer target for SPN parsing: scpauth_spn_crack,
 * scpauth_spn_crack_copy and scpauth_spn_validate on arbitrary bytes.
 * Properties checked (abort on violation): parts lie inside the input and
 * are separated as the syntax says; a valid SPN without realm or
 * instancename is rebuilt exactly by scpauth_spn_make. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <scpauth.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(int ok)
{
    if (!ok)
        abort();
}

static void check_inside(const char *in, size_t n, scpauth_spn_part p)
{
    if (p.len > 0)
        check(p.ptr >= in && p.ptr + p.len <= in + n);
}

static char *dup_part(scpauth_spn_part p)
{
    char *s = malloc(p.len + 1);
    if (s != NULL) {
        if (p.len > 0)
            memcpy(s, p.ptr, p.len);
        s[p.len] = '\0';
    }
    return s;
}

/* A valid two- or three-part SPN must come back from DsMakeSpn unchanged. */
static void check_remake(const char *spn, const scpauth_spn_parts *pt)
{
    char *cls = dup_part(pt->service_class), *host = dup_part(pt->host);
    char *name = dup_part(pt->service_name);
    char out[SCPAUTH_SPN_MAX + 1];
    size_t out_size = sizeof(out);
    if (cls != NULL && host != NULL && name != NULL) {
        int rc = pt->service_name.len > 0
                     ? scpauth_spn_make(cls, name, host, pt->port, NULL, out, &out_size, NULL)
                     : scpauth_spn_make(cls, host, NULL, pt->port, NULL, out, &out_size, NULL);
        check(rc == SCPAUTH_OK && strcmp(out, spn) == 0);
    }
    free(cls);
    free(host);
    free(name);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *in = (const char *)data;
    scpauth_error err;
    scpauth_spn_parts pt;
    if (scpauth_spn_crack(in, size, &pt, &err) != SCPAUTH_OK) {
        check(err.code == SCPAUTH_ESPNSYNTAX && err.message[0] != '\0');
        return 0;
    }
    check(pt.service_class.ptr == in && pt.service_class.len > 0 && pt.host.len > 0);
    check(in[pt.service_class.len] == '/');
    check_inside(in, size, pt.host);
    check_inside(in, size, pt.port_text);
    check_inside(in, size, pt.instancename);
    check_inside(in, size, pt.service_name);
    check_inside(in, size, pt.realm);
    check((pt.port == 0) == (pt.port_text.len == 0) && pt.port <= 65535);
    check(!(pt.port_text.len > 0 && pt.instancename.len > 0));

    /* Buffers of every small size: sizes reported, never overrun. */
    char cls[8], name[8], host[8];
    size_t cs = 1 + size % 7, ns = 1 + (size / 7) % 7, hs = 1 + (size / 49) % 7;
    unsigned short port = 0;
    int rc = scpauth_spn_crack_copy(in, size, cls, &cs, name, &ns, host, &hs, &port, &err);
    check(rc == SCPAUTH_OK || rc == SCPAUTH_ENOBUFS);
    check(cs == pt.service_class.len + 1 && hs == pt.host.len + 1 && port == pt.port);

    /* The strict checks need a C string; a cracked SPN has no NUL inside. */
    char *spn = malloc(size + 1);
    if (spn == NULL)
        return 0;
    memcpy(spn, in, size);
    spn[size] = '\0';
    if (scpauth_spn_validate(spn, &err) == SCPAUTH_OK && pt.realm.len == 0 &&
        pt.instancename.len == 0) {
        scpauth_spn_parts again;
        check(scpauth_spn_crack(spn, size, &again, NULL) == SCPAUTH_OK);
        check_remake(spn, &again);
    }
    free(spn);
    return 0;
}
