/* test_spn.c - SPN text: DsMakeSpn / DsCrackSpn / DsGetSpn semantics, checks,
 * size reporting, and the local host names.
 *
 * Sources of the expected values:
 *   NOTES  DsMakeSpnW observed under Wine (reference/wine/NOTES.md), which
 *          match Wine's conformance tests (written against Windows);
 *   WINE   dlls/ntdsapi/tests/ntdsapi.c test_DsMakeSpn (wszSpn1..5);
 *   MSDOC  Microsoft's DsMakeSpn / DsCrackSpn / DsGetSpn / DS_SPN_NAME_TYPE
 *          pages and "Name Formats for Unique SPNs";
 *   ADTS   MS-ADTS 2.2.21 (SPN syntax, ":instancename", the ldap example). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <scpauth.h>

#include "spn_internal.h"

#define DN_WINSOCK "cn=aWsService,cn=Winsock Services,cn=system,dc=fabrikam,dc=com"
#define DN_SCP "CN=MyService,CN=host1,OU=Computers,DC=fabrikam,DC=com"
#define DRS_CLASS "E3514235-4B06-11D1-AB04-00C04FC2DCD2"

/* ---- helpers ------------------------------------------------------------ */

/* Asserts that rc is `code` and that the message mentions `needle`. */
static void expect_error(int rc, const scpauth_error *err, int code, const char *needle)
{
    if (rc != code || strstr(err->message, needle) == NULL)
        print_error("got %s \"%s\", wanted %s mentioning \"%s\"\n", scpauth_err_name(rc),
                    err->message, scpauth_err_name(code), needle);
    assert_int_equal(rc, code);
    assert_int_equal(err->code, code);
    assert_non_null(strstr(err->message, needle));
}

static void assert_part(scpauth_spn_part p, const char *want)
{
    if (want == NULL) {
        assert_int_equal(p.len, 0);
        return;
    }
    assert_int_equal(p.len, strlen(want));
    assert_memory_equal(p.ptr, want, p.len);
}

static char *part_dup(scpauth_spn_part p)
{
    char *s = malloc(p.len + 1);
    assert_non_null(s);
    if (p.len > 0)
        memcpy(s, p.ptr, p.len);
    s[p.len] = '\0';
    return s;
}

/* ---- DsMakeSpn ---------------------------------------------------------- */

static const struct make_vector {
    const char *service_class, *service_name, *instance, *referrer;
    unsigned port;
    const char *want, *source;
} make_vectors[] = {
    {"host", "svc.wine.test", NULL, NULL, 0, "host/svc.wine.test", "NOTES 1"},
    {"class", "host", "instance", NULL, 0, "class/instance/host", "NOTES 2, WINE wszSpn2"},
    {"class", "host", "instance", NULL, 555, "class/instance:555/host", "NOTES 3, WINE wszSpn3"},
    {"scptest", "svc.wine.test", "svc.wine.test", NULL, 8080,
     "scptest/svc.wine.test:8080/svc.wine.test", "NOTES 4 (equal names keep 3 parts)"},
    {"class", "host", NULL, NULL, 0, "class/host", "WINE wszSpn1"},
    {"class", "host", "instance", "referrer", 555, "class/instance:555/host",
     "WINE wszSpn4 (referrer ignored: no IP)"},
    {"class", "host", NULL, "referrer", 555, "class/host:555", "WINE wszSpn5"},
    {"http", "10.1.2.3", NULL, "referrer.fabrikam.com", 0, "http/10.1.2.3/referrer.fabrikam.com",
     "MSDOC DsMakeSpn: IP service name uses the referrer"},
    {"http", "10.1.2.3", NULL, "referrer.fabrikam.com", 8080,
     "http/10.1.2.3:8080/referrer.fabrikam.com", "MSDOC DsMakeSpn: referrer with port"},
    {"http", "10.1.2.3", "web.fabrikam.com", "referrer.fabrikam.com", 0,
     "http/web.fabrikam.com/referrer.fabrikam.com", "MSDOC DsMakeSpn: host = InstanceName"},
    {"http", "10.1.2.3", NULL, NULL, 0, "http/10.1.2.3", "MSDOC DsMakeSpn: IP host"},
    {"ldap", "fabrikam.com", "dc-01.fabrikam.com", NULL, 0, "ldap/dc-01.fabrikam.com/fabrikam.com",
     "ADTS 2.2.21 example"},
    {"MyService", DN_SCP, "host1.fabrikam.com", NULL, 1234,
     "MyService/host1.fabrikam.com:1234/" DN_SCP, "MSDOC DsMakeSpn: SCP DN service name"},
    {"ldap", "_ldap._tcp.fabrikam.com", "dc-01.fabrikam.com", NULL, 0,
     "ldap/dc-01.fabrikam.com/_ldap._tcp.fabrikam.com", "MSDOC: SRV record service name"},
    {DRS_CLASS, "fabrikam.com", "dc-01.fabrikam.com", NULL, 0,
     DRS_CLASS "/dc-01.fabrikam.com/fabrikam.com", "MSDOC: GUID string as class"},
    {"http", "WEB01", NULL, NULL, 65535, "http/WEB01:65535", "NetBIOS host, highest port"},
};

static void assert_cracks_back(const struct make_vector *v, const char *spn);

static void test_make_vectors(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(make_vectors) / sizeof(make_vectors[0]); i++) {
        const struct make_vector *v = &make_vectors[i];
        char spn[SCPAUTH_SPN_MAX + 1];
        size_t size = sizeof(spn);
        scpauth_error err;
        int rc = scpauth_spn_make(v->service_class, v->service_name, v->instance, v->port,
                                  v->referrer, spn, &size, &err);
        if (rc != SCPAUTH_OK || strcmp(spn, v->want) != 0)
            print_error("vector %zu (%s): rc %d \"%s\"\n", i, v->source, rc,
                        rc == SCPAUTH_OK ? spn : err.message);
        assert_int_equal(rc, SCPAUTH_OK);
        assert_string_equal(spn, v->want);
        assert_int_equal(size, strlen(v->want) + 1); /* as Wine's spn_length checks */
        assert_int_equal(scpauth_spn_validate(spn, &err), SCPAUTH_OK);
        assert_cracks_back(v, spn);
    }
}

static void test_make_size_reporting(void **state)
{
    (void)state;
    scpauth_error err;
    size_t size = 0;
    /* size 0 and no buffer: ask for the size (MSDOC pcSpnLength) */
    expect_error(scpauth_spn_make("host", "svc.wine.test", NULL, 0, NULL, NULL, &size, &err),
                 &err, SCPAUTH_ENOBUFS, "needs 19 bytes");
    assert_int_equal(size, 19);
    char spn[32];
    memset(spn, 'x', sizeof(spn));
    size = 18; /* one short */
    expect_error(scpauth_spn_make("host", "svc.wine.test", NULL, 0, NULL, spn, &size, &err), &err,
                 SCPAUTH_ENOBUFS, "the buffer has 18");
    assert_int_equal(size, 19);
    assert_int_equal(spn[0], 'x'); /* nothing written */
    assert_int_equal(scpauth_spn_make("host", "svc.wine.test", NULL, 0, NULL, spn, &size, &err),
                     SCPAUTH_OK);
    assert_string_equal(spn, "host/svc.wine.test");
    assert_int_equal(size, 19);
    size = sizeof(spn);
    assert_int_equal(scpauth_spn_make("c", "h", "i", 80, NULL, spn, &size, NULL), SCPAUTH_OK);
    assert_string_equal(spn, "c/i:80/h");
    assert_int_equal(size, 9);
}

static const struct bad_make {
    const char *service_class, *service_name, *instance, *referrer;
    unsigned port;
    int code;
    const char *needle;
} bad_makes[] = {
    {NULL, NULL, NULL, NULL, 0, SCPAUTH_EINVAL, "the service class is NULL"}, /* WINE */
    {NULL, "host", NULL, NULL, 0, SCPAUTH_EINVAL, "the service class is NULL"}, /* WINE */
    {"class", NULL, NULL, NULL, 0, SCPAUTH_EINVAL, "the service name is NULL"},
    {"", "host", NULL, NULL, 0, SCPAUTH_ESPNSYNTAX, "service class is empty"},
    {"class", "", NULL, NULL, 0, SCPAUTH_ESPNSYNTAX, "service name (host) is empty"},
    {"class", "svc", "", NULL, 0, SCPAUTH_ESPNSYNTAX, "instance name (host) is empty"},
    {"class", "host", NULL, NULL, 65536, SCPAUTH_EINVAL, "port 65536 is over 65535"},
    {"cl/ass", "host", NULL, NULL, 0, SCPAUTH_ESPNSYNTAX, "service class \"cl/ass\" has '/'"},
    {"cl ass", "host", NULL, NULL, 0, SCPAUTH_ESPNSYNTAX, "service class \"cl ass\" has ' '"},
    {"cl:ass", "host", NULL, NULL, 0, SCPAUTH_ESPNSYNTAX, "service class \"cl:ass\" has ':'"},
    {"class", "a/b", NULL, NULL, 0, SCPAUTH_ESPNSYNTAX, "service name (host) \"a/b\" has '/'"},
    {"class", "svc", "h/x", NULL, 0, SCPAUTH_ESPNSYNTAX, "instance name (host) \"h/x\" has '/'"},
    {"class", "a/b", "h", NULL, 0, SCPAUTH_ESPNSYNTAX, "service name \"a/b\" has '/'"},
    {"class", "web_01.example.com", NULL, NULL, 0, SCPAUTH_ESPNSYNTAX, "has '_' at position 4"},
    {"class", "svc", "-h.example.com", NULL, 0, SCPAUTH_ESPNSYNTAX, "starts or ends with '-'"},
    {"class", "svc", "h-.example.com", NULL, 0, SCPAUTH_ESPNSYNTAX, "starts or ends with '-'"},
    {"class", "svc", "h..example.com", NULL, 0, SCPAUTH_ESPNSYNTAX, "empty DNS label"},
    {"class", "svc", "h.example.com.", NULL, 0, SCPAUTH_ESPNSYNTAX, "empty DNS label"},
    {"class", "svc", " h.example.com", NULL, 0, SCPAUTH_ESPNSYNTAX, "leading or trailing white"},
    {"class", "svc ", "h.example.com", NULL, 0, SCPAUTH_ESPNSYNTAX, "leading or trailing white"},
    {"class", "svc", "h\tx", NULL, 0, SCPAUTH_ESPNSYNTAX, "has '\\x09' at position 2"},
    {"class", "svc", "h:80", NULL, 0, SCPAUTH_ESPNSYNTAX, "has ':' at position 2"},
    {"class", "svc:1", "h", NULL, 0, SCPAUTH_ESPNSYNTAX, "service name \"svc:1\" has ':'"},
    {"class", "CN=a@b,DC=x", "h", NULL, 0, SCPAUTH_ESPNSYNTAX, "has '@'"},
    {"class", "CN=x,DC=y", NULL, NULL, 0, SCPAUTH_ESPNSYNTAX, "service name (host) \"CN=x,DC=y\""},
    {"class", "10.1.2.3", NULL, "", 0, SCPAUTH_ESPNSYNTAX, "referrer is empty"},
    {"class", "10.1.2.3", NULL, "bad ref", 0, SCPAUTH_ESPNSYNTAX, "referrer \"bad ref\""},
};

static void test_make_bad_inputs(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(bad_makes) / sizeof(bad_makes[0]); i++) {
        const struct bad_make *b = &bad_makes[i];
        char spn[64];
        size_t size = sizeof(spn);
        scpauth_error err;
        int rc = scpauth_spn_make(b->service_class, b->service_name, b->instance, b->port,
                                  b->referrer, spn, &size, &err);
        if (rc != b->code)
            print_error("bad make %zu\n", i);
        expect_error(rc, &err, b->code, b->needle);
        assert_int_equal(size, sizeof(spn)); /* untouched on a syntax error */
    }
    scpauth_error err;
    expect_error(scpauth_spn_make("c", "h", NULL, 0, NULL, NULL, NULL, &err), &err,
                 SCPAUTH_EINVAL, "the size pointer is NULL");
}

static void test_make_lengths(void **state)
{
    (void)state;
    char label[70], host[300], cls[300], *dn;
    char spn[SCPAUTH_SPN_MAX + 1];
    size_t size = sizeof(spn);
    scpauth_error err;
    memset(label, 'a', 64);
    label[64] = '\0';
    expect_error(scpauth_spn_make("c", label, NULL, 0, NULL, spn, &size, &err), &err,
                 SCPAUTH_ESPNSYNTAX, "DNS label of 64 characters, over 63");
    label[63] = '\0';
    assert_int_equal(scpauth_spn_make("c", label, NULL, 0, NULL, spn, &size, &err), SCPAUTH_OK);
    /* 4 labels of 63 + 3 dots = 255: the longest DNS name */
    snprintf(host, sizeof(host), "%s.%s.%s.%s", label, label, label, label);
    size = sizeof(spn);
    assert_int_equal(scpauth_spn_make("c", host, NULL, 0, NULL, spn, &size, &err), SCPAUTH_OK);
    strcat(host, ".a"); /* 257 characters, every label valid */
    expect_error(scpauth_spn_make("c", host, NULL, 0, NULL, spn, &size, &err), &err,
                 SCPAUTH_ESPNSYNTAX, "over 255 for a DNS name");
    memset(cls, 'k', 256);
    cls[256] = '\0';
    expect_error(scpauth_spn_make(cls, "h", NULL, 0, NULL, spn, &size, &err), &err,
                 SCPAUTH_ESPNSYNTAX, "is 256 characters, over 255");
    cls[255] = '\0';
    size = sizeof(spn);
    assert_int_equal(scpauth_spn_make(cls, "h", NULL, 0, NULL, spn, &size, &err), SCPAUTH_OK);
    /* a DN service name past the SPN limit */
    dn = malloc(SCPAUTH_SPN_MAX + 8);
    assert_non_null(dn);
    memcpy(dn, "CN=", 3);
    memset(dn + 3, 'd', SCPAUTH_SPN_MAX);
    dn[SCPAUTH_SPN_MAX + 3] = '\0';
    size = sizeof(spn);
    expect_error(scpauth_spn_make("c", dn, "h", 0, NULL, spn, &size, &err), &err,
                 SCPAUTH_ESPNSYNTAX, "over the limit of 2048");
    /* exactly at the limit: "c/h/" + DN of 2044 */
    dn[SCPAUTH_SPN_MAX - 4] = '\0';
    assert_int_equal(scpauth_spn_make("c", dn, "h", 0, NULL, spn, &size, &err), SCPAUTH_OK);
    assert_int_equal(strlen(spn), SCPAUTH_SPN_MAX);
    free(dn);
}

/* ---- DsCrackSpn --------------------------------------------------------- */

static const struct crack_vector {
    const char *spn, *service_class, *host, *port_text, *instancename, *service_name, *realm;
    unsigned port;
    const char *source;
} crack_vectors[] = {
    {"host/svc.wine.test", "host", "svc.wine.test", NULL, NULL, NULL, NULL, 0, "NOTES 1"},
    {"class/instance/host", "class", "instance", NULL, NULL, "host", NULL, 0, "NOTES 2"},
    {"class/instance:555/host", "class", "instance", "555", NULL, "host", NULL, 555, "NOTES 3"},
    {"scptest/svc.wine.test:8080/svc.wine.test", "scptest", "svc.wine.test", "8080", NULL,
     "svc.wine.test", NULL, 8080, "NOTES 4"},
    {"class/host:555", "class", "host", "555", NULL, NULL, NULL, 555, "WINE wszSpn5"},
    {"ldap/dc-01.fabrikam.com/fabrikam.com", "ldap", "dc-01.fabrikam.com", NULL, NULL,
     "fabrikam.com", NULL, 0, "ADTS 2.2.21 example"},
    {"MSSQLSvc/sql01.fabrikam.com:SQLEXPRESS", "MSSQLSvc", "sql01.fabrikam.com", NULL,
     "SQLEXPRESS", NULL, NULL, 0, "ADTS :instancename"},
    {"MSSQLSvc/sql01.fabrikam.com:1433", "MSSQLSvc", "sql01.fabrikam.com", "1433", NULL, NULL,
     NULL, 1433, "ADTS :port"},
    {"HTTP/web.fabrikam.com@FABRIKAM.COM", "HTTP", "web.fabrikam.com", NULL, NULL, NULL,
     "FABRIKAM.COM", 0, "DsCrackSpn3 realm"},
    {"scptest/h.example.com:8080/svc.example.com@EXAMPLE.COM", "scptest", "h.example.com",
     "8080", NULL, "svc.example.com", "EXAMPLE.COM", 8080, "DsCrackSpn3 all parts"},
    {"MyService/h.fabrikam.com/" DN_WINSOCK, "MyService", "h.fabrikam.com", NULL, NULL,
     DN_WINSOCK, NULL, 0, "MSDOC DS_SPN_SERVICE DN with spaces"},
    {"http/h:65535", "http", "h", "65535", NULL, NULL, NULL, 65535, "highest port"},
    {"http/h:1", "http", "h", "1", NULL, NULL, NULL, 1, "lowest port"},
};

static void test_crack_vectors(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(crack_vectors) / sizeof(crack_vectors[0]); i++) {
        const struct crack_vector *v = &crack_vectors[i];
        scpauth_spn_parts pt;
        scpauth_error err;
        int rc = scpauth_spn_crack(v->spn, strlen(v->spn), &pt, &err);
        if (rc != SCPAUTH_OK)
            print_error("vector %zu (%s): %s\n", i, v->source, err.message);
        assert_int_equal(rc, SCPAUTH_OK);
        assert_part(pt.service_class, v->service_class);
        assert_part(pt.host, v->host);
        assert_part(pt.port_text, v->port_text);
        assert_part(pt.instancename, v->instancename);
        assert_part(pt.service_name, v->service_name);
        assert_part(pt.realm, v->realm);
        assert_int_equal(pt.port, v->port);
        assert_true(pt.host.ptr >= v->spn && pt.host.ptr < v->spn + strlen(v->spn));
        assert_int_equal(scpauth_spn_validate(v->spn, &err), SCPAUTH_OK);
    }
}

static const struct bad_crack {
    const char *spn;
    size_t len; /* 0: strlen */
    const char *needle;
} bad_cracks[] = {
    {"host", 0, "no '/' after the service class"},
    {"/host", 0, "service class is empty"},
    {"http/", 0, "host is empty"},
    {"http/:80", 0, "host is empty"},
    {"http/h:", 0, "port after ':' is empty"},
    {"http/h:0", 0, "in the range 1-65535"},
    {"http/h:65536", 0, "in the range 1-65535"},
    {"http/h:99999999999999999999999", 0, "in the range 1-65535"},
    {"http/h:080", 0, "has a leading zero"},
    {"http/h:80:90", 0, "contains ':'"},
    {"http/h/", 0, "service name is empty"},
    {"http/h:80/", 0, "service name is empty"},
    {"http/h/a/b", 0, "service name \"a/b\" has '/'"},
    {"http/h@", 0, "realm is empty"},
    {"ht@tp/h", 0, "service class \"ht@tp\" has '@'"},
    {"http/h@x/y", 0, "host \"h@x\" has '@'"},
    {"http/h/s@r@R", 0, "service name \"s@r\" has '@'"},
    {" http/h", 0, "leading or trailing white space"},
    {"http/h ", 0, "host \"h \" has leading or trailing white space"},
    {"http/h/ svc", 0, "service name \" svc\" has leading"},
    {"http/h\tx", 0, "has '\\x09' at position 2"},
    {"http/h\x7f", 0, "has '\\x7f'"},
    {"http/h\0x", 8, "has '\\x00' at position 2"},
};

static void test_crack_bad_inputs(void **state)
{
    (void)state;
    scpauth_error err;
    scpauth_spn_parts pt;
    for (size_t i = 0; i < sizeof(bad_cracks) / sizeof(bad_cracks[0]); i++) {
        const struct bad_crack *b = &bad_cracks[i];
        size_t len = b->len ? b->len : strlen(b->spn);
        int rc = scpauth_spn_crack(b->spn, len, &pt, &err);
        if (rc != SCPAUTH_ESPNSYNTAX)
            print_error("bad crack %zu \"%s\"\n", i, b->spn);
        expect_error(rc, &err, SCPAUTH_ESPNSYNTAX, b->needle);
        assert_int_equal(strncmp(err.message, "SPN \"", 5), 0); /* names the SPN */
        assert_int_equal(pt.host.len, 0);                     /* nothing half-filled */
    }
    expect_error(scpauth_spn_crack("", 0, &pt, &err), &err, SCPAUTH_ESPNSYNTAX, "SPN is empty");
    expect_error(scpauth_spn_crack(NULL, 3, &pt, &err), &err, SCPAUTH_EINVAL, "SPN to crack");
    expect_error(scpauth_spn_crack("a/b", 3, NULL, &err), &err, SCPAUTH_EINVAL, "output");
    /* counted input: only len characters are read */
    assert_int_equal(scpauth_spn_crack("http/h:80/extra", 9, &pt, &err), SCPAUTH_OK);
    assert_int_equal(pt.port, 80);
    assert_int_equal(pt.service_name.len, 0);
    /* lengths */
    char *big = malloc(SCPAUTH_SPN_MAX + 2);
    assert_non_null(big);
    memset(big, 'h', SCPAUTH_SPN_MAX + 1);
    memcpy(big, "c/", 2);
    expect_error(scpauth_spn_crack(big, SCPAUTH_SPN_MAX + 1, &pt, &err), &err,
                 SCPAUTH_ESPNSYNTAX, "2049 characters, over the limit of 2048");
    assert_int_equal(scpauth_spn_crack(big, SCPAUTH_SPN_MAX, &pt, &err), SCPAUTH_OK);
    memset(big, 'k', 256);
    big[256] = '/';
    expect_error(scpauth_spn_crack(big, 300, &pt, &err), &err, SCPAUTH_ESPNSYNTAX,
                 "service class is 256 characters, over 255");
    free(big);
}

static void test_crack_instancename_checked(void **state)
{
    (void)state;
    scpauth_error err;
    scpauth_spn_parts pt;
    expect_error(scpauth_spn_crack("http/h:a b ", 11, &pt, &err), &err, SCPAUTH_ESPNSYNTAX,
                 "instance name \"a b \" has leading or trailing white space");
}

static void test_crack_copy_sizes(void **state)
{
    (void)state;
    const char *spn = "class/instance:555/host";
    size_t len = strlen(spn);
    char cls[16], name[16], host[16];
    size_t cs = sizeof(cls), ns = sizeof(name), hs = sizeof(host);
    unsigned short port = 0;
    scpauth_error err;
    assert_int_equal(scpauth_spn_crack_copy(spn, len, cls, &cs, name, &ns, host, &hs, &port, &err),
                     SCPAUTH_OK);
    assert_string_equal(cls, "class");
    assert_string_equal(name, "host");
    assert_string_equal(host, "instance");
    assert_int_equal(cs, 6);
    assert_int_equal(ns, 5);
    assert_int_equal(hs, 9);
    assert_int_equal(port, 555);

    /* MSDOC: no service name -> ServiceName receives the instance name */
    spn = "host/svc.wine.test";
    ns = sizeof(name);
    assert_int_equal(scpauth_spn_crack_copy(spn, strlen(spn), NULL, NULL, name, &ns, NULL, NULL,
                                            &port, &err),
                     SCPAUTH_OK);
    assert_string_equal(name, "svc.wine.test");
    assert_int_equal(ns, 14);
    assert_int_equal(port, 0);

    /* MSDOC: size 1 with a buffer asks for the size; others still filled */
    spn = "class/instance:555/host";
    cs = 1;
    ns = sizeof(name);
    hs = 4;
    memset(host, 'x', sizeof(host));
    expect_error(scpauth_spn_crack_copy(spn, len, cls, &cs, name, &ns, host, &hs, NULL, &err),
                 &err, SCPAUTH_ENOBUFS, "buffer for the service class is 1 bytes, 6 needed");
    assert_int_equal(cs, 6);
    assert_int_equal(hs, 9);
    assert_string_equal(cls, "");
    assert_string_equal(host, "");
    assert_string_equal(name, "host");
    assert_int_equal(ns, 5);

    /* MSDOC: a NULL buffer, NULL size or size 0 is ignored */
    cs = 0;
    hs = sizeof(host);
    assert_int_equal(scpauth_spn_crack_copy(spn, len, cls, &cs, NULL, &ns, host, NULL, NULL, &err),
                     SCPAUTH_OK);
    assert_int_equal(cs, 0);
    assert_int_equal(hs, sizeof(host));

    /* a malformed SPN leaves every size alone */
    cs = sizeof(cls);
    expect_error(scpauth_spn_crack_copy("nope", 4, cls, &cs, NULL, NULL, NULL, NULL, NULL, &err),
                 &err, SCPAUTH_ESPNSYNTAX, "no '/'");
    assert_int_equal(cs, sizeof(cls));
}

/* ---- validate ----------------------------------------------------------- */

static const struct bad_validate {
    const char *spn, *needle;
} bad_validates[] = {
    {"http/web_01.example.com", "host \"web_01.example.com\" has '_' at position 4"},
    {"http/-web.example.com", "starts or ends with '-'"},
    {"http/web..example.com", "empty DNS label"},
    {"http/web.example.com.", "empty DNS label"},
    {"ht tp/h", "service class \"ht tp\" has ' '"},
    {"ht:tp/h", "service class \"ht:tp\" has ':'"},
    {"ht\\tp/h", "service class \"ht\\tp\" has '\\'"},
    {"http/h/svc name", "service name \"svc name\" has ' '"},
    {"http/h/svc:1", "service name \"svc:1\" has ':'"},
    {"http/h:SQL EXPRESS", "instance name \"SQL EXPRESS\" has ' '"},
    {"http/h@EX AMPLE", "realm \"EX AMPLE\" has ' '"},
    {"http/CN=x,DC=y", "host \"CN=x,DC=y\" has '='"},
    {"http/h\xc3\xa9.example.com", "has '\\xc3' at position 2"},
    {"http", "no '/'"},
};

static void test_validate(void **state)
{
    (void)state;
    scpauth_error err;
    for (size_t i = 0; i < sizeof(bad_validates) / sizeof(bad_validates[0]); i++) {
        int rc = scpauth_spn_validate(bad_validates[i].spn, &err);
        if (rc != SCPAUTH_ESPNSYNTAX)
            print_error("bad validate %zu\n", i);
        expect_error(rc, &err, SCPAUTH_ESPNSYNTAX, bad_validates[i].needle);
        assert_int_equal(strncmp(err.message, "SPN \"", 5), 0);
    }
    assert_int_equal(scpauth_spn_validate("http/web01.example.com", &err), SCPAUTH_OK);
    assert_int_equal(scpauth_spn_validate("ldap/h/_ldap._tcp.example.com", NULL), SCPAUTH_OK);
    assert_int_equal(scpauth_spn_validate("c/h/CN=M\xc3\xbcller\\, Hans,DC=x", NULL),
                     SCPAUTH_OK); /* a DN may hold UTF-8 and escapes */
    expect_error(scpauth_spn_validate(NULL, &err), &err, SCPAUTH_EINVAL, "NULL");
    /* the strict host rule explains where a DN belongs */
    assert_int_equal(scpauth_spn_validate("http/CN=x,DC=y", &err), SCPAUTH_ESPNSYNTAX);
    assert_non_null(strstr(err.hint, "service-name part"));
}

/* ---- round trips -------------------------------------------------------- */

/* make(crack(spn)) == spn for an SPN without realm or instancename. */
static void assert_remakes(const char *spn)
{
    scpauth_spn_parts pt;
    scpauth_error err;
    assert_int_equal(scpauth_spn_crack(spn, strlen(spn), &pt, &err), SCPAUTH_OK);
    char *cls = part_dup(pt.service_class), *host = part_dup(pt.host);
    char *name = part_dup(pt.service_name);
    char out[SCPAUTH_SPN_MAX + 1];
    size_t size = sizeof(out);
    int rc = pt.service_name.len > 0
                 ? scpauth_spn_make(cls, name, host, pt.port, NULL, out, &size, &err)
                 : scpauth_spn_make(cls, host, NULL, pt.port, NULL, out, &size, &err);
    assert_int_equal(rc, SCPAUTH_OK);
    assert_string_equal(out, spn);
    free(cls);
    free(host);
    free(name);
}

/* crack(make(v)) gives the parts back where DsMakeSpn put them. */
static void assert_cracks_back(const struct make_vector *v, const char *spn)
{
    scpauth_spn_parts pt;
    assert_int_equal(scpauth_spn_crack(spn, strlen(spn), &pt, NULL), SCPAUTH_OK);
    assert_part(pt.service_class, v->service_class);
    assert_int_equal(pt.port, v->port);
    if (v->referrer == NULL) {
        assert_part(pt.host, v->instance != NULL ? v->instance : v->service_name);
        assert_part(pt.service_name, v->instance != NULL ? v->service_name : NULL);
    }
    assert_remakes(spn);
}

static void test_round_trips(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(crack_vectors) / sizeof(crack_vectors[0]); i++)
        if (crack_vectors[i].realm == NULL && crack_vectors[i].instancename == NULL)
            assert_remakes(crack_vectors[i].spn);
}

/* ---- DsGetSpn ----------------------------------------------------------- */

static void assert_list(const scpauth_spn_list *l, const char *const *want, size_t n)
{
    assert_int_equal(l->count, n);
    for (size_t i = 0; i < n; i++)
        assert_string_equal(l->items[i], want[i]);
}

static void test_get_with_instances(void **state)
{
    (void)state;
    scpauth_spn_list l = SCPAUTH_SPN_LIST_INIT;
    scpauth_error err;
    const char *hosts[] = {"a.fabrikam.com", "b.fabrikam.com"};
    const unsigned short ports[] = {8080, 0};

    /* host-based types: class/instance[:port] (MSDOC DsGetSpn) */
    static const scpauth_spn_type host_types[] = {SCPAUTH_SPN_DNS_HOST, SCPAUTH_SPN_DN_HOST};
    for (size_t t = 0; t < 2; t++) {
        assert_int_equal(scpauth_spn_get(host_types[t], "scptest", NULL, 0, 2, hosts, ports, &l,
                                         &err),
                         SCPAUTH_OK);
        const char *want[] = {"scptest/a.fabrikam.com:8080", "scptest/b.fabrikam.com"};
        assert_list(&l, want, 2);
        scpauth_spn_list_free(&l);
        assert_null(l.items);
        assert_int_equal(l.count, 0);
    }
    /* MSDOC DS_SPN_NAME_TYPE examples: jeffsmith-nec, fabrikam.com, fabrikam */
    const char *nb[] = {"jeffsmith-nec"};
    assert_int_equal(scpauth_spn_get(SCPAUTH_SPN_NB_HOST, "http", NULL, 0, 1, nb, NULL, &l, &err),
                     SCPAUTH_OK);
    assert_list(&l, (const char *[]){"http/jeffsmith-nec"}, 1);
    scpauth_spn_list_free(&l);

    const char *dc[] = {"jeffsmith.fabrikam.com"};
    const unsigned short p389[] = {389};
    assert_int_equal(scpauth_spn_get(SCPAUTH_SPN_DOMAIN, "ldap", "fabrikam.com", 0, 1, dc, p389, &l,
                                     &err),
                     SCPAUTH_OK);
    assert_list(&l, (const char *[]){"ldap/jeffsmith.fabrikam.com:389/fabrikam.com"}, 1);
    scpauth_spn_list_free(&l);

    assert_int_equal(scpauth_spn_get(SCPAUTH_SPN_NB_DOMAIN, "ldap", "fabrikam", 0, 1, nb, NULL, &l,
                                     &err),
                     SCPAUTH_OK);
    assert_list(&l, (const char *[]){"ldap/jeffsmith-nec/fabrikam"}, 1);
    scpauth_spn_list_free(&l);

    /* DS_SPN_SERVICE: an SRV record name or the SCP's DN (MSDOC) */
    assert_int_equal(scpauth_spn_get(SCPAUTH_SPN_SERVICE, "scptest", DN_WINSOCK, 0, 2, hosts, ports,
                                     &l, &err),
                     SCPAUTH_OK);
    assert_list(&l,
                (const char *[]){"scptest/a.fabrikam.com:8080/" DN_WINSOCK,
                                 "scptest/b.fabrikam.com/" DN_WINSOCK},
                2);
    scpauth_spn_list_free(&l);
    assert_int_equal(scpauth_spn_get(SCPAUTH_SPN_SERVICE, "scptest", "_scptest._tcp.fabrikam.com",
                                     0, 1, hosts, NULL, &l, &err),
                     SCPAUTH_OK);
    assert_list(&l, (const char *[]){"scptest/a.fabrikam.com/_scptest._tcp.fabrikam.com"}, 1);
    scpauth_spn_list_free(&l);

    /* MSDOC pInstancePorts: NULL -> no port; InstancePort is not used then */
    assert_int_equal(scpauth_spn_get(SCPAUTH_SPN_DNS_HOST, "c", NULL, 555, 1, hosts, NULL, &l,
                                     &err),
                     SCPAUTH_OK);
    assert_list(&l, (const char *[]){"c/a.fabrikam.com"}, 1);
    scpauth_spn_list_free(&l);
    scpauth_spn_list_free(&l); /* twice is fine */
    scpauth_spn_list_free(NULL);
}

static void test_get_local_host(void **state)
{
    (void)state;
    /* MSDOC: no instance names -> one SPN for the local FQDN (NetBIOS for NB_) */
    static const struct {
        scpauth_spn_type type;
        const char *service_class, *service_name;
        unsigned port;
        const char *before, *after;
    } cases[] = {
        {SCPAUTH_SPN_DNS_HOST, "scptest", NULL, 8080, "scptest/", ":8080"},
        {SCPAUTH_SPN_DN_HOST, "scptest", NULL, 0, "scptest/", ""},
        {SCPAUTH_SPN_NB_HOST, "scptest", NULL, 0, "scptest/", ""},
        {SCPAUTH_SPN_DOMAIN, "ldap", "fabrikam.com", 0, "ldap/", "/fabrikam.com"},
        {SCPAUTH_SPN_NB_DOMAIN, "ldap", "FABRIKAM", 389, "ldap/", ":389/FABRIKAM"},
        {SCPAUTH_SPN_SERVICE, "scptest", DN_SCP, 0, "scptest/", "/" DN_SCP},
    };
    char fqdn[SCPAUTH_HOST_NAME_MAX], nb[SCPAUTH_NETBIOS_NAME_MAX], want[600];
    scpauth_error err;
    assert_int_equal(scpauth_host_fqdn(fqdn, sizeof(fqdn), &err), SCPAUTH_OK);
    assert_int_equal(scpauth_host_netbios(nb, sizeof(nb), &err), SCPAUTH_OK);
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        int is_nb = cases[i].type == SCPAUTH_SPN_NB_HOST || cases[i].type == SCPAUTH_SPN_NB_DOMAIN;
        scpauth_spn_list l = SCPAUTH_SPN_LIST_INIT;
        assert_int_equal(scpauth_spn_get(cases[i].type, cases[i].service_class,
                                         cases[i].service_name, cases[i].port, 0, NULL, NULL, &l,
                                         &err),
                         SCPAUTH_OK);
        snprintf(want, sizeof(want), "%s%s%s", cases[i].before, is_nb ? nb : fqdn, cases[i].after);
        assert_list(&l, (const char *[]){want}, 1);
        scpauth_spn_list_free(&l);
    }
}

static void test_get_bad_inputs(void **state)
{
    (void)state;
    scpauth_spn_list l = {(char **)&l, 99}; /* garbage in: emptied on error */
    scpauth_error err;
    const char *hosts[] = {"good.example.com", "bad_host", NULL};
    expect_error(scpauth_spn_get(SCPAUTH_SPN_DNS_HOST, "c", "svc", 0, 1, hosts, NULL, &l, &err),
                 &err, SCPAUTH_EINVAL, "takes no service name");
    assert_null(l.items);
    assert_int_equal(l.count, 0);
    expect_error(scpauth_spn_get(SCPAUTH_SPN_DOMAIN, "c", NULL, 0, 1, hosts, NULL, &l, &err), &err,
                 SCPAUTH_EINVAL, "needs a service name");
    expect_error(scpauth_spn_get(SCPAUTH_SPN_SERVICE, "c", NULL, 0, 1, hosts, NULL, &l, &err),
                 &err, SCPAUTH_EINVAL, "canonical DNS name or DN");
    expect_error(scpauth_spn_get((scpauth_spn_type)42, "c", NULL, 0, 1, hosts, NULL, &l, &err),
                 &err, SCPAUTH_EINVAL, "unknown SPN type 42");
    expect_error(scpauth_spn_get(SCPAUTH_SPN_DNS_HOST, NULL, NULL, 0, 1, hosts, NULL, &l, &err),
                 &err, SCPAUTH_EINVAL, "service class is NULL");
    expect_error(scpauth_spn_get(SCPAUTH_SPN_DNS_HOST, "c", NULL, 0, 2, NULL, NULL, &l, &err),
                 &err, SCPAUTH_EINVAL, "array is NULL");
    expect_error(scpauth_spn_get(SCPAUTH_SPN_DNS_HOST, "c", NULL, 0, 3, hosts, NULL, &l, &err),
                 &err, SCPAUTH_EINVAL, "instance name 2 is NULL");
    expect_error(scpauth_spn_get(SCPAUTH_SPN_DNS_HOST, "c", NULL, 0, 70000, hosts, NULL, &l, &err),
                 &err, SCPAUTH_EINVAL, "over 65535");
    expect_error(scpauth_spn_get(SCPAUTH_SPN_DNS_HOST, "c", NULL, 70000, 0, NULL, NULL, &l, &err),
                 &err, SCPAUTH_EINVAL, "port 70000");
    expect_error(scpauth_spn_get(SCPAUTH_SPN_DNS_HOST, "c", NULL, 0, 1, hosts, NULL, NULL, &err),
                 &err, SCPAUTH_EINVAL, "output list is NULL");
    /* the second instance fails: the first SPN is freed, the list stays empty */
    expect_error(scpauth_spn_get(SCPAUTH_SPN_DNS_HOST, "c", NULL, 0, 2, hosts, NULL, &l, &err),
                 &err, SCPAUTH_ESPNSYNTAX, "instance 1: ");
    assert_non_null(strstr(err.message, "\"bad_host\" has '_'"));
    assert_null(l.items);
    assert_int_equal(l.count, 0);
    expect_error(scpauth_spn_get(SCPAUTH_SPN_DNS_HOST, "c/x", NULL, 0, 1, hosts, NULL, &l, &err),
                 &err, SCPAUTH_ESPNSYNTAX, "service class \"c/x\" has '/'");
}

/* ---- type names and host names ----------------------------------------- */

static void test_type_names(void **state)
{
    (void)state;
    static const char *const names[] = {"dns-host", "dn-host",   "nb-host",
                                        "domain",   "nb-domain", "service"};
    scpauth_error err;
    for (int t = 0; t < 6; t++) {
        scpauth_spn_type got = (scpauth_spn_type)99;
        assert_string_equal(scpauth_spn_type_name((scpauth_spn_type)t), names[t]);
        assert_int_equal(scpauth_spn_type_from_name(names[t], &got, &err), SCPAUTH_OK);
        assert_int_equal(got, t);
    }
    scpauth_spn_type got;
    assert_int_equal(scpauth_spn_type_from_name("DS_SPN_NB_DOMAIN", &got, &err), SCPAUTH_OK);
    assert_int_equal(got, SCPAUTH_SPN_NB_DOMAIN);
    assert_int_equal(scpauth_spn_type_from_name("DNS-Host", &got, &err), SCPAUTH_OK);
    assert_int_equal(got, SCPAUTH_SPN_DNS_HOST);
    expect_error(scpauth_spn_type_from_name("dns-hostx", &got, &err), &err, SCPAUTH_EINVAL,
                 "unknown SPN type \"dns-hostx\"");
    assert_non_null(strstr(err.hint, "nb-domain"));
    expect_error(scpauth_spn_type_from_name(NULL, &got, &err), &err, SCPAUTH_EINVAL, "(null)");
    expect_error(scpauth_spn_type_from_name("domain", NULL, &err), &err, SCPAUTH_EINVAL, "NULL");
    assert_string_equal(scpauth_spn_type_name((scpauth_spn_type)6), "unknown");
}

static void test_host_names(void **state)
{
    (void)state;
    char buf[SCPAUTH_HOST_NAME_MAX];
    scpauth_error err;
    assert_int_equal(scpauth_host_fqdn(buf, sizeof(buf), &err), SCPAUTH_OK);
    size_t n = strlen(buf);
    assert_true(n > 0 && n < SCPAUTH_HOST_NAME_MAX);
    assert_null(strchr(buf, '/'));
    expect_error(scpauth_host_fqdn(buf, n, &err), &err, SCPAUTH_ENOBUFS, "needs");
    expect_error(scpauth_host_fqdn(NULL, 0, &err), &err, SCPAUTH_ENOBUFS, "host DNS name");

    assert_int_equal(scpauth_host_netbios(buf, SCPAUTH_NETBIOS_NAME_MAX, &err), SCPAUTH_OK);
    n = strlen(buf);
    assert_true(n > 0 && n <= 15);
    for (size_t i = 0; i < n; i++)
        assert_false((buf[i] >= 'a' && buf[i] <= 'z') || buf[i] == '.');
    expect_error(scpauth_host_netbios(buf, 1, &err), &err, SCPAUTH_ENOBUFS, "host NetBIOS name");
}

/* A service configured with an SPN against the name a client's ticket
 * carries (what SSPI reports after AcceptSecurityContext). */
static void test_principal_match(void **state)
{
    (void)state;
    const char *svc = "myapp/host.example.com:4444";
    assert_true(scpauth__spn_principal_match(svc, "myapp/host.example.com:4444"));
    assert_true(scpauth__spn_principal_match(svc, "MyApp/HOST.Example.COM:4444@EXAMPLE.COM"));
    assert_true(scpauth__spn_principal_match("myapp/host.example.com:4444@EXAMPLE.COM",
                                             "myapp/host.example.com:4444@example.com"));
    assert_true(scpauth__spn_principal_match("myapp/host.example.com:4444@EXAMPLE.COM",
                                             "myapp/host.example.com:4444"));
    /* Another port, host, class, instance or realm is another service. */
    assert_false(scpauth__spn_principal_match(svc, "myapp/host.example.com:4445"));
    assert_false(scpauth__spn_principal_match(svc, "myapp/host.example.com"));
    assert_false(scpauth__spn_principal_match(svc, "myapp/other.example.com:4444"));
    assert_false(scpauth__spn_principal_match(svc, "host/host.example.com:4444"));
    assert_false(scpauth__spn_principal_match(svc, "myapp/host.example.com:4444/x"));
    assert_false(scpauth__spn_principal_match("myapp/host.example.com:4444@EXAMPLE.COM",
                                              "myapp/host.example.com:4444@EVIL.COM"));
    assert_false(scpauth__spn_principal_match(svc, "myapp/host.example.com:44"));
    assert_false(scpauth__spn_principal_match(svc, "@EXAMPLE.COM"));
    assert_false(scpauth__spn_principal_match(svc, ""));
    assert_false(scpauth__spn_principal_match(svc, NULL));
    assert_false(scpauth__spn_principal_match("", ""));

    scpauth_error err;
    memset(&err, 0, sizeof err);
    assert_int_equal(scpauth__spn_principal_check(svc, "MYAPP/host.example.com:4444", &err),
                     SCPAUTH_OK);
    assert_int_equal(scpauth__spn_principal_check(svc, "myapp/evil.example.com:4444", &err),
                     SCPAUTH_EAUTH);
    assert_non_null(strstr(err.message, "'myapp/evil.example.com:4444'"));
    assert_non_null(strstr(err.message, "'myapp/host.example.com:4444'"));
    assert_int_equal(scpauth__spn_principal_check(svc, "", &err), SCPAUTH_EAUTH);
    assert_non_null(strstr(err.message, "did not say"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_make_vectors),
        cmocka_unit_test(test_make_size_reporting),
        cmocka_unit_test(test_make_bad_inputs),
        cmocka_unit_test(test_make_lengths),
        cmocka_unit_test(test_crack_vectors),
        cmocka_unit_test(test_crack_bad_inputs),
        cmocka_unit_test(test_crack_instancename_checked),
        cmocka_unit_test(test_crack_copy_sizes),
        cmocka_unit_test(test_validate),
        cmocka_unit_test(test_round_trips), /* and in test_make_vectors */
        cmocka_unit_test(test_get_with_instances),
        cmocka_unit_test(test_get_local_host),
        cmocka_unit_test(test_get_bad_inputs),
        cmocka_unit_test(test_type_names),
        cmocka_unit_test(test_host_names),
        cmocka_unit_test(test_principal_match),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
