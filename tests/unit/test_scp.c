/* test_scp.c - the serviceConnectionPoint model: objectGUID text forms,
 * parsing and validation of entries as read from the directory (good SCPs and
 * every class of bad input), the attribute set a service publishes, DN and
 * filter escaping, and the order of located SCPs.
 *
 * Sources of the expected values:
 *   MSDOC  "Creating a Service Connection Point" (ScpCreate: keywords, cn,
 *          serviceBindingInformation = the port), "How Clients Find and Use a
 *          Service Connection Point" (ScpLocate: _wtoi of the binding),
 *          "Using objectGUID to Bind to an Object" (<GUID=...> forms);
 *   RFC    RFC 4514 section 2.4 (DN escaping), RFC 4515 section 3 (filter
 *          value escaping). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <scpauth.h>
#include "dir_entries.h"
#include "scp_internal.h"

#define DN "CN=fabrikam-auth-4444,CN=HOST1,OU=Computers,DC=fabrikam,DC=com"
#define PARENT "CN=HOST1,OU=Computers,DC=fabrikam,DC=com"
#define HOST "host1.fabrikam.com"
#define CLASS "fabrikam-auth"
#define GUID_KW "A762885A-AA44-11d2-81F1-00C04FB9624E" /* MSDOC ScpCreate's product GUID */

/* ---- a fake entry, as a backend would hand it over ----------------------- */

#define FAKE_ATTRS 80
#define FAKE_VALUES 40

static struct fake {
    scpauth_entry_attr attrs[FAKE_ATTRS];
    scpauth_entry_value values[FAKE_ATTRS][FAKE_VALUES];
    scpauth_entry entry;
} F;

static const unsigned char GUID_OCTETS[16] = { 0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77,
                                               0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff };

static scpauth_entry_attr *fake_attr(const char *name)
{
    for (size_t i = 0; i < F.entry.count; i++)
        if (strcmp(F.attrs[i].name, name) == 0)
            return &F.attrs[i];
    assert_true(F.entry.count < FAKE_ATTRS);
    scpauth_entry_attr *a = &F.attrs[F.entry.count];
    a->name = name;
    a->values = F.values[F.entry.count];
    a->count = 0;
    F.entry.count++;
    return a;
}

/* Sets the values of an attribute: n byte strings with their lengths. */
static void fake_set_bytes(const char *name, size_t n, const char *const *vals, const size_t *lens)
{
    scpauth_entry_attr *a = fake_attr(name);
    assert_true(n <= FAKE_VALUES);
    scpauth_entry_value *v = (scpauth_entry_value *)a->values;
    for (size_t i = 0; i < n; i++) {
        v[i].data = vals[i];
        v[i].len = lens != NULL ? lens[i] : strlen(vals[i]);
    }
    a->count = n;
}

static void fake_set(const char *name, const char *value)
{
    fake_set_bytes(name, 1, &value, NULL);
}

static void fake_set_len(const char *name, const char *value, size_t len)
{
    fake_set_bytes(name, 1, &value, &len);
}

static void fake_set_list(const char *name, size_t n, const char *const *vals)
{
    fake_set_bytes(name, n, vals, NULL);
}

static void fake_drop(const char *name)
{
    for (size_t i = 0; i < F.entry.count; i++)
        if (strcmp(F.attrs[i].name, name) == 0)
            F.attrs[i].name = "ignoredAttribute";
}

/* What MSDOC's ScpCreate publishes (with scpauth's cn), plus objectGUID. */
static void fake_good(void)
{
    static const char *const classes[] = { "top", "leaf", "connectionPoint",
                                           "serviceConnectionPoint" };
    static const char *const keywords[] = { GUID_KW, "Fabrikam", "Auth-O-Matic" };
    memset(&F, 0, sizeof(F));
    F.entry.dn = DN;
    F.entry.attrs = F.attrs;
    fake_set_list("objectClass", 4, classes);
    fake_set("cn", "fabrikam-auth-4444");
    fake_set_list("keywords", 3, keywords);
    fake_set("serviceClassName", CLASS);
    fake_set("serviceDNSName", HOST);
    fake_set("serviceDNSNameType", "A");
    fake_set("serviceBindingInformation", "4444");
    fake_set("description", "Fabrikam authentication service");
    fake_set_len("objectGUID", (const char *)GUID_OCTETS, 16);
}

/* ---- helpers ------------------------------------------------------------ */

static void expect_error(int rc, const scpauth_error *err, int code, const char *needle)
{
    if (rc != code || strstr(err->message, needle) == NULL)
        print_error("got %s \"%s\", wanted %s mentioning \"%s\"\n", scpauth_err_name(rc),
                    err->message, scpauth_err_name(code), needle);
    assert_int_equal(rc, code);
    assert_int_equal(err->code, code);
    assert_non_null(strstr(err->message, needle));
}

/* Parses F and expects ESCPINVALID naming the DN and `needle`, and an empty
 * result. */
static void expect_invalid(const char *needle)
{
    scpauth_scp scp;
    memset(&scp, 0x5a, sizeof(scp)); /* garbage in must not survive */
    scpauth_error err;
    scpauth_error_clear(&err);
    int rc = scpauth_scp_parse(&F.entry, &scp, &err);
    expect_error(rc, &err, SCPAUTH_ESCPINVALID, needle);
    if (F.entry.dn != NULL && F.entry.dn[0] != '\0' && strlen(F.entry.dn) < 80 &&
        strspn(F.entry.dn, "=,-abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") ==
            strlen(F.entry.dn))
        assert_non_null(strstr(err.message, F.entry.dn));
    assert_true(err.hint[0] != '\0');
    assert_null(scp.dn);
    assert_null(scp.block_);
    assert_null(scp.bindings);
    assert_int_equal(scp.port, 0);
    scpauth_scp_free(&scp);
}

/* Each value in turn replaces attr in a good SCP, which must then be refused
 * with a message that mentions needle. */
static void expect_each_invalid(const char *attr, const char *const *vals, size_t n,
                                const char *needle)
{
    for (size_t i = 0; i < n; i++) {
        fake_good();
        fake_set(attr, vals[i]);
        expect_invalid(attr);
        expect_invalid(needle);
    }
}

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static void parse_ok(scpauth_scp *scp)
{
    scpauth_error err;
    scpauth_error_clear(&err);
    int rc = scpauth_scp_parse(&F.entry, scp, &err);
    if (rc != SCPAUTH_OK)
        print_error("parse: %s\n", err.message);
    assert_int_equal(rc, SCPAUTH_OK);
}

/* ---- objectGUID --------------------------------------------------------- */

static void test_guid_known_vector(void **state)
{
    (void)state;
    scpauth_guid g;
    memcpy(g.bytes, GUID_OCTETS, 16);
    char s[SCPAUTH_GUID_STRING_SIZE], hex[SCPAUTH_GUID_HEX_SIZE], dn[SCPAUTH_GUID_DN_SIZE];
    scpauth_guid_to_string(&g, s);
    assert_string_equal(s, "33221100-5544-7766-8899-aabbccddeeff");
    scpauth_guid_to_hex(&g, hex);
    assert_string_equal(hex, "00112233445566778899aabbccddeeff");
    scpauth_guid_to_dn(&g, dn);
    assert_string_equal(dn, "<GUID=33221100-5544-7766-8899-aabbccddeeff>");
    assert_int_equal(strlen(dn) + 1, SCPAUTH_GUID_DN_SIZE);

    /* every text form gives the same octets back */
    const char *forms[] = { "33221100-5544-7766-8899-aabbccddeeff",
                            "33221100-5544-7766-8899-AABBCCDDEEFF",
                            "{33221100-5544-7766-8899-aabbccddeeff}",
                            "00112233445566778899AABBCCDDEEFF" };
    for (size_t i = 0; i < 4; i++) {
        scpauth_guid back;
        memset(&back, 0, sizeof(back));
        assert_int_equal(scpauth_guid_from_string(forms[i], strlen(forms[i]), &back, NULL),
                         SCPAUTH_OK);
        assert_memory_equal(back.bytes, GUID_OCTETS, 16);
    }
    /* MSDOC ScpCreate's product GUID: Data1 little-endian in the octets */
    scpauth_guid p;
    assert_int_equal(scpauth_guid_from_string(GUID_KW, strlen(GUID_KW), &p, NULL), SCPAUTH_OK);
    static const unsigned char want[16] = { 0x5a, 0x88, 0x62, 0xa7, 0x44, 0xaa, 0xd2, 0x11,
                                            0x81, 0xf1, 0x00, 0xc0, 0x4f, 0xb9, 0x62, 0x4e };
    assert_memory_equal(p.bytes, want, 16);
}

static void test_guid_round_trip_all_positions(void **state)
{
    (void)state;
    /* a distinct value in each octet catches any swapped position */
    for (unsigned seed = 1; seed < 200; seed++) {
        scpauth_guid g, back;
        for (size_t k = 0; k < 16; k++)
            g.bytes[k] = (unsigned char)(seed * 31 + k * 17);
        char s[SCPAUTH_GUID_STRING_SIZE], hex[SCPAUTH_GUID_HEX_SIZE], dn[SCPAUTH_GUID_DN_SIZE];
        scpauth_guid_to_string(&g, s);
        assert_int_equal(scpauth_guid_from_string(s, 36, &back, NULL), SCPAUTH_OK);
        assert_memory_equal(back.bytes, g.bytes, 16);
        scpauth_guid_to_hex(&g, hex);
        assert_int_equal(scpauth_guid_from_string(hex, 32, &back, NULL), SCPAUTH_OK);
        assert_memory_equal(back.bytes, g.bytes, 16);
        scpauth_guid_to_dn(&g, dn);
        assert_int_equal(scpauth_guid_from_dn(dn, strlen(dn), &back, NULL), SCPAUTH_OK);
        assert_memory_equal(back.bytes, g.bytes, 16);
    }
}

static void test_guid_dn_forms(void **state)
{
    (void)state;
    const char *good[] = { "<GUID=33221100-5544-7766-8899-aabbccddeeff>",
                           "<guid=00112233445566778899aabbccddeeff>",
                           "LDAP://<GUID=33221100-5544-7766-8899-aabbccddeeff>",
                           "gc://<GUID=00112233445566778899aabbccddeeff>" };
    for (size_t i = 0; i < 4; i++) {
        scpauth_guid g;
        memset(&g, 0, sizeof(g));
        assert_int_equal(scpauth_guid_from_dn(good[i], strlen(good[i]), &g, NULL), SCPAUTH_OK);
        assert_memory_equal(g.bytes, GUID_OCTETS, 16);
    }
    const char *bad[] = { "<GUID=>", "<GUID=33221100-5544-7766-8899-aabbccddeeff",
                          "GUID=33221100-5544-7766-8899-aabbccddeeff>",
                          "<GUID={33221100-5544-7766-8899-aabbccddeeff}>",
                          "<SID=33221100-5544-7766-8899-aabbccddeeff>", "" };
    for (size_t i = 0; i < 6; i++) {
        scpauth_guid g;
        scpauth_error err;
        scpauth_error_clear(&err);
        assert_int_equal(scpauth_guid_from_dn(bad[i], strlen(bad[i]), &g, &err), SCPAUTH_EINVAL);
        assert_true(err.message[0] != '\0');
    }
}

static void test_guid_bad_text(void **state)
{
    (void)state;
    const char *bad[] = { "",
                          "33221100-5544-7766-8899-aabbccddeef",    /* short */
                          "33221100-5544-7766-8899-aabbccddeeff0",  /* long */
                          "33221100-5544-7766-8899-aabbccddeefg",   /* not hex */
                          "332211005-544-7766-8899-aabbccddeeff",   /* dash moved */
                          "33221100 5544 7766 8899 aabbccddeeff",   /* no dashes */
                          "{33221100-5544-7766-8899-aabbccddeeff)", /* braces */
                          "0011223344556677-8899aabbccddeeff",
                          "0x112233445566778899aabbccddeeff" };
    for (size_t i = 0; i < COUNT(bad); i++) {
        scpauth_guid g;
        scpauth_error err;
        scpauth_error_clear(&err);
        assert_int_equal(scpauth_guid_from_string(bad[i], strlen(bad[i]), &g, &err),
                         SCPAUTH_EINVAL);
        assert_non_null(strstr(err.message, "GUID"));
    }
    /* a NUL inside is not hex, and the message shows it escaped */
    scpauth_error err;
    scpauth_guid g;
    assert_int_equal(scpauth_guid_from_string("33221100-5544-7766-8899-aabbccdd\0eff", 36, &g,
                                              &err),
                     SCPAUTH_EINVAL);
    assert_non_null(strstr(err.message, "\\x00"));
    assert_int_equal(scpauth_guid_from_string(NULL, 0, &g, &err), SCPAUTH_EINVAL);
}

/* ---- parsing good SCPs -------------------------------------------------- */

static void test_parse_good_single_binding(void **state)
{
    (void)state;
    fake_good();
    scpauth_scp scp;
    parse_ok(&scp);
    assert_string_equal(scp.dn, DN);
    assert_ptr_not_equal(scp.dn, DN); /* a copy: the entry's storage may go */
    assert_string_equal(scp.cn, "fabrikam-auth-4444");
    assert_string_equal(scp.service_class, CLASS);
    assert_string_equal(scp.dns_name, HOST);
    assert_int_equal(scp.dns_name_type, SCPAUTH_SCP_DNS_A);
    assert_int_equal(scp.port, 4444);
    assert_int_equal(scp.n_bindings, 1);
    assert_string_equal(scp.bindings[0], "4444");
    assert_int_equal(scp.n_keywords, 3);
    assert_string_equal(scp.keywords[0], GUID_KW);
    assert_string_equal(scp.keywords[2], "Auth-O-Matic");
    assert_string_equal(scp.description, "Fabrikam authentication service");
    assert_true(scp.has_guid);
    assert_memory_equal(scp.guid.bytes, GUID_OCTETS, 16);
    scpauth_scp_free(&scp);
    assert_null(scp.dn);
    assert_null(scp.block_);
    scpauth_scp_free(&scp); /* twice is fine */
    scpauth_scp_free(NULL);
}

static void test_parse_good_multi_binding(void **state)
{
    (void)state;
    fake_good();
    const char *b[] = { "host1.fabrikam.com:4444", "tcp://host1.fabrikam.com:4444", "4444",
                        "TCP://HOST1:4444", "10.0.0.1:4444", "65535:4444" };
    fake_set_list("serviceBindingInformation", 6, b);
    scpauth_scp scp;
    parse_ok(&scp);
    assert_int_equal(scp.port, 4444);
    assert_int_equal(scp.n_bindings, 6);
    for (size_t i = 0; i < 6; i++)
        assert_string_equal(scp.bindings[i], b[i]);
    scpauth_scp_free(&scp);

    /* the ends of the range */
    const char *ends[] = { "65535", "1", "tcp://h:65535" };
    const unsigned want[] = { 65535, 1, 65535 };
    for (size_t i = 0; i < COUNT(ends); i++) {
        fake_set("serviceBindingInformation", ends[i]);
        parse_ok(&scp);
        assert_int_equal(scp.port, want[i]);
        scpauth_scp_free(&scp);
    }
}

static void test_parse_good_srv(void **state)
{
    (void)state;
    fake_good();
    fake_set("serviceDNSName", "_fabrikam-auth._tcp.fabrikam.com");
    const char *types[] = { "SRV", "srv" }; /* case-insensitive string syntax */
    scpauth_scp scp;
    for (size_t i = 0; i < COUNT(types); i++) {
        fake_set("serviceDNSNameType", types[i]);
        parse_ok(&scp);
        assert_int_equal(scp.dns_name_type, SCPAUTH_SCP_DNS_SRV);
        assert_string_equal(scp.dns_name, "_fabrikam-auth._tcp.fabrikam.com");
        scpauth_scp_free(&scp);
    }
    /* the same name is no host name */
    fake_set("serviceDNSNameType", "A");
    expect_invalid("serviceDNSName");
}

static void test_parse_minimal_and_names_case_insensitive(void **state)
{
    (void)state;
    fake_good();
    fake_drop("objectClass");
    fake_drop("cn");
    fake_drop("keywords");
    fake_drop("description");
    fake_drop("objectGUID");
    /* attribute names as a server might spell them */
    F.attrs[3].name = "SERVICECLASSNAME";
    F.attrs[4].name = "servicednsname;x-option"; /* options do not change the type */
    scpauth_scp scp;
    parse_ok(&scp);
    assert_null(scp.cn);
    assert_null(scp.description);
    assert_false(scp.has_guid);
    assert_int_equal(scp.n_keywords, 0);
    assert_string_equal(scp.service_class, CLASS);
    assert_string_equal(scp.dns_name, HOST);
    scpauth_scp_free(&scp);
    /* an attribute with no values counts as absent */
    fake_set_list("keywords", 0, NULL);
    parse_ok(&scp);
    assert_int_equal(scp.n_keywords, 0);
    scpauth_scp_free(&scp);
}

static void test_parse_valid_utf8_accepted(void **state)
{
    (void)state;
    fake_good();
    const char *kw[] = { "Fabrikam \xc3\xa9t\xc3\xa9", "\xe2\x82\xac", "\xf0\x9d\x84\x9e",
                         "\xef\xbf\xbd" };
    fake_set_list("keywords", 4, kw);
    fake_set("description", "Service d'authentification \xc3\xa0 Z\xc3\xbcrich");
    fake_set("cn", "auth-\xc3\xa9");
    scpauth_scp scp;
    parse_ok(&scp);
    assert_string_equal(scp.keywords[2], "\xf0\x9d\x84\x9e");
    scpauth_scp_free(&scp);
}

/* ---- parsing bad SCPs --------------------------------------------------- */

static void test_parse_bad_port(void **state)
{
    (void)state;
    const char *bad[] = { "0", "65536", "99999", "-1", "+4444", "44a", "04444", " 4444", "4444 ",
                          "host:", "host:99999", "host:0", "tcp://host1", "udp://host1:4444",
                          "tcp://:4444", ":4444", "host:4444/x", "tcp://host:4444/",
                          "[::1]:4444", "host:44:44x", "123456" };
    expect_each_invalid("serviceBindingInformation", bad, COUNT(bad), "binding");
    /* ports that disagree make the SCP ambiguous */
    fake_good();
    const char *two[] = { "4444", "host1.fabrikam.com:5555" };
    fake_set_list("serviceBindingInformation", 2, two);
    expect_invalid("disagree");
}

static void test_parse_bad_host(void **state)
{
    (void)state;
    char label64[80], long_name[300];
    memset(label64, 'a', 64);
    strcpy(label64 + 64, ".fabrikam.com");
    for (size_t i = 0; i < 256; i += 2) {
        long_name[i] = 'a';
        long_name[i + 1] = '.';
    }
    strcpy(long_name + 256, "com");
    const char *bad[] = { "", "host1..fabrikam.com", "-host1.fabrikam.com", "host1-.fabrikam.com",
                          "host1.fabrikam.com.", ".fabrikam.com", "host_1.fabrikam.com",
                          "host1.fabrikam.com x", "host1.fabrikam.com\n", "host1/fabrikam",
                          "host1:4444", "h\xc3\xa9.fabrikam.com", "CN=host1,DC=fabrikam",
                          label64, long_name };
    expect_each_invalid("serviceDNSName", bad, COUNT(bad), "serviceDNSName: ");
    /* an SRV name is still a DNS name */
    fake_good();
    fake_set("serviceDNSNameType", "SRV");
    fake_set("serviceDNSName", "_x._tcp.CN=host1");
    expect_invalid("serviceDNSName");
    /* bindings' hosts follow the same rules */
    fake_good();
    fake_set("serviceBindingInformation", "host..x:4444");
    expect_invalid("binding host");
    /* and the type must be one of the two */
    fake_good();
    fake_set("serviceDNSNameType", "AAAA");
    expect_invalid("serviceDNSNameType \"AAAA\"");
}

static void test_parse_over_long_values(void **state)
{
    (void)state;
    static char big[4000];
    memset(big, 'k', sizeof(big) - 1);
    struct {
        const char *attr;
        size_t len;
    } cases[] = {
        { "keywords", SCPAUTH_SCP_KEYWORD_MAX + 1 },
        { "description", SCPAUTH_SCP_DESCRIPTION_MAX + 1 },
        { "cn", SCPAUTH_SCP_CN_MAX + 1 },
        { "serviceClassName", SCPAUTH_SCP_CLASS_MAX + 1 },
        { "serviceDNSName", SCPAUTH_SCP_DNS_MAX + 1 },
        { "serviceBindingInformation", SCPAUTH_SCP_BINDING_MAX + 1 },
        { "objectClass", 3000 },
    };
    for (size_t i = 0; i < COUNT(cases); i++) {
        fake_good();
        fake_set_len(cases[i].attr, big, cases[i].len);
        expect_invalid(cases[i].attr);
        expect_invalid("bytes, over");
    }
    /* at the limit is fine */
    fake_good();
    fake_set_len("description", big, SCPAUTH_SCP_DESCRIPTION_MAX);
    scpauth_scp scp;
    parse_ok(&scp);
    assert_int_equal(strlen(scp.description), SCPAUTH_SCP_DESCRIPTION_MAX);
    scpauth_scp_free(&scp);
    /* a DN over the limit */
    fake_good();
    big[SCPAUTH_SCP_DN_MAX + 1] = '\0';
    F.entry.dn = big;
    expect_invalid("DN is over");
    big[SCPAUTH_SCP_DN_MAX + 1] = 'k';
}

static void test_parse_missing_attributes(void **state)
{
    (void)state;
    const char *required[] = { "serviceClassName", "serviceDNSName", "serviceDNSNameType",
                               "serviceBindingInformation" };
    for (size_t i = 0; i < 4; i++) {
        fake_good();
        fake_drop(required[i]);
        expect_invalid(required[i]);
        expect_invalid("is missing");
    }
    fake_good();
    F.entry.dn = NULL;
    expect_invalid("no DN");
    F.entry.dn = "";
    expect_invalid("no DN");
    /* an attribute list that is not there, or an attribute without a name */
    fake_good();
    F.entry.attrs = NULL;
    expect_invalid("without a list");
    fake_good();
    F.attrs[2].name = NULL;
    expect_invalid("no name");
    fake_good();
    F.attrs[2].values = NULL;
    expect_invalid("no values");
    /* objectClass, when read, must say what this is */
    fake_good();
    const char *cls[] = { "top", "container" };
    fake_set_list("objectClass", 2, cls);
    expect_invalid("serviceConnectionPoint");
}

static void test_parse_nul_inside_value(void **state)
{
    (void)state;
    const char *attrs[] = { "serviceClassName", "serviceDNSName", "keywords", "description",
                            "cn", "serviceBindingInformation" };
    for (size_t i = 0; i < 6; i++) {
        fake_good();
        fake_set_len(attrs[i], "ab\0cd", 5);
        expect_invalid(attrs[i]);
        expect_invalid("NUL at byte 3");
        expect_invalid("\"ab\\x00cd\""); /* shown escaped */
    }
    /* a NUL inside the DN ends it: the DN is the C string before it */
    fake_good();
    fake_set_len("serviceBindingInformation", "4444\0", 5);
    expect_invalid("NUL");
}

static void test_parse_invalid_utf8(void **state)
{
    (void)state;
    const char *bad[] = {
        "\xff",                 /* never valid */
        "abc\xc3",              /* truncated sequence */
        "\xc0\xaf",             /* overlong '/' */
        "\xe0\x80\xaf",         /* overlong, 3 bytes */
        "\xed\xa0\x80",         /* UTF-16 surrogate */
        "\xf4\x90\x80\x80",     /* over U+10FFFF */
        "\xf8\x88\x80\x80\x80", /* 5-byte form */
        "a\x80z",               /* lone continuation byte */
        "\xe2\x82",             /* truncated euro sign */
    };
    expect_each_invalid("description", bad, COUNT(bad), "not valid UTF-8");
    /* control characters, C0, DEL and C1, are refused too */
    const char *ctl[] = { "a\tb", "a\rb", "a\x7f", "a\xc2\x85z", "\x1b[31m" };
    expect_each_invalid("keywords", ctl, COUNT(ctl), "control character");
    /* and in the DN */
    fake_good();
    F.entry.dn = "CN=a\xff,DC=x";
    expect_invalid("DN \"CN=a\\xff,DC=x\" is not valid UTF-8");
}

static void test_parse_too_many_values(void **state)
{
    (void)state;
    static const char *many[FAKE_VALUES];
    static char texts[FAKE_VALUES][16];
    for (size_t i = 0; i < FAKE_VALUES; i++) {
        snprintf(texts[i], sizeof(texts[i]), "kw%lu", (unsigned long)i);
        many[i] = texts[i];
    }
    fake_good();
    fake_set_list("keywords", SCPAUTH_SCP_KEYWORDS_MAX + 1, many);
    expect_invalid("keywords has 33 values, over 32");
    fake_good();
    fake_set_list("keywords", SCPAUTH_SCP_KEYWORDS_MAX, many);
    scpauth_scp scp;
    parse_ok(&scp);
    assert_int_equal(scp.n_keywords, SCPAUTH_SCP_KEYWORDS_MAX);
    assert_string_equal(scp.keywords[31], "kw31");
    scpauth_scp_free(&scp);

    const char *ports[SCPAUTH_SCP_BINDINGS_MAX + 1];
    for (size_t i = 0; i < SCPAUTH_SCP_BINDINGS_MAX + 1; i++)
        ports[i] = "4444";
    fake_good();
    fake_set_list("serviceBindingInformation", SCPAUTH_SCP_BINDINGS_MAX + 1, ports);
    expect_invalid("serviceBindingInformation has 17 values");
    /* single-valued attributes */
    const char *single[] = { "serviceClassName", "serviceDNSName", "serviceDNSNameType", "cn",
                             "description" };
    const char *two[] = { "a", "b" };
    for (size_t i = 0; i < 5; i++) {
        fake_good();
        fake_set_list(single[i], 2, two);
        expect_invalid("single-valued");
    }
    /* an entry with too many attributes, and one attribute given twice */
    fake_good();
    while (F.entry.count <= SCPAUTH_SCP_ATTRS_MAX) {
        F.attrs[F.entry.count].name = "extra";
        F.entry.count++;
    }
    expect_invalid("attributes");
    fake_good();
    F.attrs[F.entry.count] = F.attrs[4];
    F.attrs[F.entry.count].name = "SERVICEdnsNAME";
    F.entry.count++;
    expect_invalid("serviceDNSName appears twice");
    /* objectGUID is exactly 16 octets */
    fake_good();
    fake_set_len("objectGUID", (const char *)GUID_OCTETS, 15);
    expect_invalid("objectGUID");
}

static void test_parse_bad_class(void **state)
{
    (void)state;
    char long_class[300];
    memset(long_class, 'c', sizeof(long_class) - 1);
    long_class[SCPAUTH_SCP_CLASS_MAX + 1] = '\0';
    const char *bad[] = { "", "fabrikam/auth", "fabrikam:auth", "fabrikam@auth", "fabrikam auth",
                          " fabrikam", "fabrikam\tauth", "fabrikam\\auth", "fabr\xc3\xa9kam",
                          long_class };
    expect_each_invalid("serviceClassName", bad, COUNT(bad), "serviceClassName: ");
}

static void test_parse_message_escapes_and_cuts(void **state)
{
    (void)state;
    static char dn[SCPAUTH_SCP_DN_MAX + 1], value[1000];
    /* a long DN with a control character near its start */
    strcpy(dn, "CN=\x01");
    memset(dn + 4, 'd', sizeof(dn) - 5);
    dn[sizeof(dn) - 1] = '\0';
    fake_good();
    F.entry.dn = dn;
    scpauth_scp scp;
    scpauth_error err;
    assert_int_equal(scpauth_scp_parse(&F.entry, &scp, &err), SCPAUTH_ESCPINVALID);
    assert_non_null(strstr(err.message, "DN \"CN=\\x01ddd"));
    assert_non_null(strstr(err.message, "...\" holds a control character at byte 4"));
    assert_true(strlen(err.message) < 300);
    /* a long printable DN is cut in every message that names it */
    dn[3] = 'd';
    fake_set("serviceDNSNameType", "B");
    assert_int_equal(scpauth_scp_parse(&F.entry, &scp, &err), SCPAUTH_ESCPINVALID);
    assert_non_null(strstr(err.message, "SCP \"CN=dddd"));
    assert_non_null(strstr(err.message, "...\": serviceDNSNameType \"B\""));
    assert_true(strlen(err.message) < 300);
    /* a long value with quotes and a bad byte at its end is cut, not dumped */
    memset(value, '"', sizeof(value));
    value[sizeof(value) - 1] = '\x01';
    fake_good();
    fake_set_len("description", value, sizeof(value));
    assert_int_equal(scpauth_scp_parse(&F.entry, &scp, &err), SCPAUTH_ESCPINVALID);
    assert_non_null(strstr(err.message, "\\\"\\\"\\\"..."));
    assert_non_null(strstr(err.message, "control character at byte 1000"));
    assert_true(strlen(err.message) < 300);
    /* NULL arguments */
    assert_int_equal(scpauth_scp_parse(NULL, &scp, &err), SCPAUTH_EINVAL);
    assert_int_equal(scpauth_scp_parse(&F.entry, NULL, &err), SCPAUTH_EINVAL);
    assert_int_equal(scpauth_scp_parse(&F.entry, &scp, NULL), SCPAUTH_ESCPINVALID);
}

static void test_entry_find(void **state)
{
    (void)state;
    fake_good();
    const scpauth_entry_attr *a = scpauth_entry_find(&F.entry, "SERVICEBINDINGINFORMATION");
    assert_non_null(a);
    assert_string_equal(a->name, "serviceBindingInformation");
    assert_null(scpauth_entry_find(&F.entry, "serviceBinding"));
    assert_null(scpauth_entry_find(&F.entry, NULL));
    assert_null(scpauth_entry_find(NULL, "cn"));
}

/* ---- entries of a directory search (dir_entries.h) ------------------------ */

static void dir_add(scpauth__dir_entries *es, scpauth__dir_entry *e, const char *attr,
                    const char *val, size_t len)
{
    scpauth_error err;
    assert_int_equal(scpauth__dir_entry_add(es, e, attr, val, len, &err), SCPAUTH_OK);
}

static void test_parse_directory_search_entry(void **state)
{
    (void)state;
    size_t n_read = 0;
    while (scpauth__scp_read_attrs[n_read] != NULL)
        n_read++;
    assert_int_equal(n_read, 9);
    assert_true(scpauth__scp_attr_read("serviceBindingInformation"));
    assert_true(scpauth__scp_attr_read("KEYWORDS;range=0-*"));
    assert_false(scpauth__scp_attr_read("whenChanged"));
    assert_false(scpauth__scp_attr_read(NULL));

    scpauth__dir_entries es;
    memset(&es, 0, sizeof(es));
    es.binary_attrs = scpauth__scp_binary_attrs; /* objectGUID holds NUL bytes */
    scpauth__dir_entry *e;
    scpauth_error err;
    assert_int_equal(scpauth__dir_entry_new(&es, DN, strlen(DN), &e, &err), SCPAUTH_OK);
    dir_add(&es, e, "objectClass", "top", 3);
    dir_add(&es, e, "objectClass", "serviceConnectionPoint", 22);
    dir_add(&es, e, "whenChanged", "20240101000000.0Z", 17);
    dir_add(&es, e, "serviceClassName", CLASS, strlen(CLASS));
    dir_add(&es, e, "serviceDNSName", HOST, strlen(HOST));
    dir_add(&es, e, "serviceDNSNameType", "A", 1);
    dir_add(&es, e, "serviceBindingInformation", "4444", 4);
    dir_add(&es, e, "serviceBindingInformation", "tcp://" HOST ":4444", strlen(HOST) + 11);
    dir_add(&es, e, "keywords", GUID_KW, strlen(GUID_KW));
    dir_add(&es, e, "objectGUID", (const char *)GUID_OCTETS, 16);
    scpauth_scp scp;
    assert_int_equal(scpauth__scp_from_dir_entry(e, &scp, &err), SCPAUTH_OK);
    assert_string_equal(scp.dn, DN);
    assert_int_equal(scp.port, 4444);
    assert_int_equal(scp.n_bindings, 2);
    assert_true(scp.has_guid);
    assert_memory_equal(scp.guid.bytes, GUID_OCTETS, 16);
    scpauth_scp_free(&scp);

    /* the same attribute under two descriptions is ambiguous */
    dir_add(&es, e, "keywords;x-other", "Fabrikam", 8);
    expect_error(scpauth__scp_from_dir_entry(e, &scp, &err), &err, SCPAUTH_ESCPINVALID,
                 "keywords appears twice");
    assert_null(scp.block_);

    /* a list over every limit is refused by its count */
    assert_int_equal(scpauth__dir_entry_new(&es, "CN=many,DC=x", 12, &e, &err), SCPAUTH_OK);
    for (int i = 0; i < 100; i++)
        dir_add(&es, e, "serviceBindingInformation", "4444", 4);
    expect_error(scpauth__scp_from_dir_entry(e, &scp, &err), &err, SCPAUTH_ESCPINVALID,
                 "serviceBindingInformation has 100 values, over 16");
    /* and an entry with none of the SCP's attributes lacks the required ones */
    assert_int_equal(scpauth__dir_entry_new(&es, "CN=empty,DC=x", 13, &e, &err), SCPAUTH_OK);
    dir_add(&es, e, "cn", "empty", 5);
    expect_error(scpauth__scp_from_dir_entry(e, &scp, &err), &err, SCPAUTH_ESCPINVALID,
                 "is missing");
    expect_error(scpauth__scp_from_dir_entry(NULL, &scp, &err), &err, SCPAUTH_EINVAL, "NULL");
    scpauth__dir_entries_free(&es);
}

/* ---- building what a service publishes --------------------------------- */

static const char *const PRODUCT_KW[] = { "Fabrikam", "Auth-O-Matic" };

static scpauth_scp_params good_params(void)
{
    scpauth_scp_params p;
    memset(&p, 0, sizeof(p));
    p.service_class = CLASS;
    p.dns_name = HOST;
    p.port = 4444;
    p.guid_keyword = GUID_KW;
    p.keywords = PRODUCT_KW;
    p.n_keywords = 2;
    p.description = "Fabrikam authentication service";
    p.parent_dn = PARENT;
    return p;
}

static void assert_attr(const scpauth_entry *e, size_t i, const char *name, const char *value)
{
    assert_true(i < e->count);
    assert_string_equal(e->attrs[i].name, name);
    assert_true(e->attrs[i].count >= 1);
    assert_int_equal(e->attrs[i].values[0].len, strlen(value));
    assert_string_equal((const char *)e->attrs[i].values[0].data, value);
}

static void test_build_publishes_the_scenario_attributes(void **state)
{
    (void)state;
    scpauth_scp_params p = good_params();
    scpauth_scp_entry out;
    scpauth_error err;
    assert_int_equal(scpauth_scp_build(&p, &out, &err), SCPAUTH_OK);
    const scpauth_entry *e = &out.entry;
    assert_string_equal(e->dn, "CN=fabrikam-auth-4444," PARENT);
    assert_string_equal(out.cn, "fabrikam-auth-4444");
    assert_int_equal(e->count, 8);
    assert_attr(e, 0, "objectClass", "serviceConnectionPoint");
    assert_attr(e, 1, "cn", "fabrikam-auth-4444");
    assert_attr(e, 2, "keywords", "a762885a-aa44-11d2-81f1-00c04fb9624e");
    assert_int_equal(e->attrs[2].count, 3);
    assert_string_equal((const char *)e->attrs[2].values[2].data, "Auth-O-Matic");
    assert_attr(e, 3, "serviceClassName", CLASS);
    assert_attr(e, 4, "serviceDNSName", HOST);
    assert_attr(e, 5, "serviceDNSNameType", "A");
    /* one value, the port alone: what MSDOC's ScpLocate reads with _wtoi */
    assert_attr(e, 6, "serviceBindingInformation", "4444");
    assert_int_equal(e->attrs[6].count, 1);
    assert_attr(e, 7, "description", "Fabrikam authentication service");

    /* what is published parses, and is current for the same parameters */
    scpauth_scp scp;
    assert_int_equal(scpauth_scp_parse(e, &scp, &err), SCPAUTH_OK);
    assert_int_equal(scp.port, 4444);
    assert_string_equal(scp.dn, "CN=fabrikam-auth-4444," PARENT);
    assert_true(scpauth_scp_is_current(&scp, &p));
    scpauth_scp_params q = p;
    q.dns_name = "HOST1.Fabrikam.COM";
    assert_true(scpauth_scp_is_current(&scp, &q));
    q.guid_keyword = "{A762885A-AA44-11D2-81F1-00C04FB9624E}";
    assert_true(scpauth_scp_is_current(&scp, &q));
    q = p;
    q.port = 4445;
    assert_false(scpauth_scp_is_current(&scp, &q));
    q = p;
    q.dns_name = "host2.fabrikam.com";
    assert_false(scpauth_scp_is_current(&scp, &q));
    q = p;
    q.guid_keyword = "33221100-5544-7766-8899-aabbccddeeff";
    assert_false(scpauth_scp_is_current(&scp, &q));
    q = p;
    q.service_class = "other";
    assert_false(scpauth_scp_is_current(&scp, &q));
    assert_false(scpauth_scp_is_current(NULL, &p));
    scpauth_scp_free(&scp);
    scpauth_scp_entry_free(&out);
    assert_null(out.block_);
    scpauth_scp_entry_free(&out);
    scpauth_scp_entry_free(NULL);
}

static void test_build_instances_coexist(void **state)
{
    (void)state;
    scpauth_scp_params p = good_params();
    p.description = NULL;
    p.n_keywords = 0;
    p.instance = "blue, green";
    scpauth_scp_entry a, b;
    scpauth_error err;
    assert_int_equal(scpauth_scp_build(&p, &a, &err), SCPAUTH_OK);
    assert_string_equal(a.cn, "fabrikam-auth-blue, green");
    assert_string_equal(a.entry.dn, "CN=fabrikam-auth-blue\\, green," PARENT);
    assert_int_equal(a.entry.count, 7); /* no description */
    assert_int_equal(a.entry.attrs[2].count, 1);
    p.instance = NULL;
    p.port = 5555;
    p.parent_dn = NULL;
    assert_int_equal(scpauth_scp_build(&p, &b, &err), SCPAUTH_OK);
    assert_string_equal(b.cn, "fabrikam-auth-5555");
    assert_null(b.entry.dn);
    assert_string_not_equal(a.cn, b.cn);
    scpauth_scp_entry_free(&a);
    scpauth_scp_entry_free(&b);
}

static void test_build_rejects_bad_parameters(void **state)
{
    (void)state;
    char long_inst[SCPAUTH_SCP_INSTANCE_MAX + 2];
    memset(long_inst, 'i', sizeof(long_inst) - 1);
    long_inst[sizeof(long_inst) - 1] = '\0';
    struct {
        const char *field;
        const char *value;
        int code;
        const char *needle;
    } cases[] = {
        { "class", "fab/auth", SCPAUTH_ESPNSYNTAX, "service class" },
        { "class", NULL, SCPAUTH_EINVAL, "service class" },
        { "dns", "host1..fabrikam.com", SCPAUTH_ESPNSYNTAX, "empty DNS label" },
        { "dns", "host1.fabrikam.com ", SCPAUTH_ESPNSYNTAX, "host name" },
        { "guid", "not-a-guid", SCPAUTH_EINVAL, "GUID keyword \"not-a-guid\"" },
        { "guid", "00112233445566778899aabbccddeeff", SCPAUTH_EINVAL, "GUID keyword" },
        { "guid", NULL, SCPAUTH_EINVAL, "GUID keyword" },
        { "kw", "a762885a-AA44-11d2-81f1-00c04fb9624e", SCPAUTH_EINVAL, "given twice" },
        { "kw", "FABRIKAM", SCPAUTH_EINVAL, "given twice" },
        { "kw", " Fabrikam", SCPAUTH_EINVAL, "leading or trailing space" },
        { "kw", "", SCPAUTH_EINVAL, "keyword is empty" },
        { "kw", "a\nb", SCPAUTH_EINVAL, "control character" },
        { "desc", "\xc3", SCPAUTH_EINVAL, "not valid UTF-8" },
        { "inst", long_inst, SCPAUTH_EINVAL, "instance name" },
        { "inst", "a\x01", SCPAUTH_EINVAL, "instance name \"a\\x01\"" },
        { "parent", "fabrikam.com", SCPAUTH_EINVAL, "not a DN" },
        { "parent", "", SCPAUTH_EINVAL, "parent DN is empty" },
    };
    for (size_t i = 0; i < COUNT(cases); i++) {
        scpauth_scp_params p = good_params();
        const char *kw[] = { "Fabrikam", cases[i].value };
        if (strcmp(cases[i].field, "class") == 0)
            p.service_class = cases[i].value;
        else if (strcmp(cases[i].field, "dns") == 0)
            p.dns_name = cases[i].value;
        else if (strcmp(cases[i].field, "guid") == 0)
            p.guid_keyword = cases[i].value;
        else if (strcmp(cases[i].field, "kw") == 0)
            p.keywords = kw;
        else if (strcmp(cases[i].field, "desc") == 0)
            p.description = cases[i].value;
        else if (strcmp(cases[i].field, "inst") == 0)
            p.instance = cases[i].value;
        else
            p.parent_dn = cases[i].value;
        scpauth_scp_entry out;
        memset(&out, 0x5a, sizeof(out));
        scpauth_error err;
        scpauth_error_clear(&err);
        expect_error(scpauth_scp_build(&p, &out, &err), &err, cases[i].code, cases[i].needle);
        assert_null(out.block_);
        assert_null(out.entry.attrs);
    }
    scpauth_scp_params p = good_params();
    scpauth_scp_entry out;
    scpauth_error err;
    unsigned ports[] = { 0, 65536, 100000 };
    for (size_t i = 0; i < 3; i++) {
        p.port = ports[i];
        expect_error(scpauth_scp_build(&p, &out, &err), &err, SCPAUTH_EINVAL, "not 1-65535");
    }
    /* a class and instance that make a cn over AD's 64 */
    p = good_params();
    p.service_class = "a-rather-long-service-class-name-for-fabrikam";
    p.instance = "and-a-long-instance";
    expect_error(scpauth_scp_build(&p, &out, &err), &err, SCPAUTH_EINVAL, "over 64");
    /* a parent DN that leaves no room for the SCP's RDN */
    static char parent[SCPAUTH_SCP_DN_MAX + 1];
    memset(parent, 'p', SCPAUTH_SCP_DN_MAX - 10);
    memcpy(parent, "DC=", 3);
    p = good_params();
    p.parent_dn = parent;
    expect_error(scpauth_scp_build(&p, &out, &err), &err, SCPAUTH_EINVAL, "DN would be");
    p = good_params();
    p.n_keywords = SCPAUTH_SCP_KEYWORDS_MAX;
    expect_error(scpauth_scp_build(&p, &out, &err), &err, SCPAUTH_EINVAL, "at most 31");
    p.keywords = NULL;
    p.n_keywords = 1;
    expect_error(scpauth_scp_build(&p, &out, &err), &err, SCPAUTH_EINVAL, "no list");
    expect_error(scpauth_scp_build(NULL, &out, &err), &err, SCPAUTH_EINVAL, "NULL");
}

/* ---- DN and filter escaping --------------------------------------------- */

static void expect_dn(const char *cn, const char *want)
{
    char dn[256];
    size_t size = sizeof(dn);
    scpauth_error err;
    int rc = scpauth_scp_dn_make(cn, "DC=x", dn, &size, &err);
    if (rc != SCPAUTH_OK)
        print_error("dn_make: %s\n", err.message);
    assert_int_equal(rc, SCPAUTH_OK);
    assert_string_equal(dn, want);
    assert_int_equal(size, strlen(want) + 1);
}

static void test_dn_escaping(void **state)
{
    (void)state;
    expect_dn("plain-name", "CN=plain-name,DC=x");
    expect_dn("a,b+c\"d\\e<f>g;h=i", "CN=a\\,b\\+c\\\"d\\\\e\\<f\\>g\\;h\\=i,DC=x");
    expect_dn("#lead", "CN=\\#lead,DC=x");
    expect_dn("mid#dle", "CN=mid#dle,DC=x");
    expect_dn(" both ", "CN=\\ both\\ ,DC=x");
    expect_dn("in side", "CN=in side,DC=x");
    expect_dn(" ", "CN=\\ ,DC=x");
    expect_dn("caf\xc3\xa9", "CN=caf\xc3\xa9,DC=x"); /* UTF-8 stays as it is */
    /* NUL is only ever written as a hex pair */
    char out[16];
    size_t n = scpauth__dn_escape_value("a\0b", 3, out);
    assert_int_equal(n, 5);
    assert_memory_equal(out, "a\\00b", 5);

    /* size reporting and refusals */
    size_t size = 0;
    scpauth_error err;
    expect_error(scpauth_scp_dn_make("cn", "DC=x", NULL, &size, &err), &err, SCPAUTH_ENOBUFS,
                 "needs 11 bytes");
    assert_int_equal(size, 11);
    char small[10];
    size = sizeof(small);
    expect_error(scpauth_scp_dn_make("cn", "DC=x", small, &size, &err), &err, SCPAUTH_ENOBUFS,
                 "has 10");
    char exact[11];
    size = sizeof(exact);
    assert_int_equal(scpauth_scp_dn_make("cn", "DC=x", exact, &size, &err), SCPAUTH_OK);
    assert_string_equal(exact, "CN=cn,DC=x");
    size = sizeof(exact);
    expect_error(scpauth_scp_dn_make("", "DC=x", exact, &size, &err), &err, SCPAUTH_EINVAL,
                 "cn is empty");
    expect_error(scpauth_scp_dn_make("a\x01", "DC=x", exact, &size, &err), &err, SCPAUTH_EINVAL,
                 "control character");
    expect_error(scpauth_scp_dn_make("cn", "x", exact, &size, &err), &err, SCPAUTH_EINVAL,
                 "not a DN");
    expect_error(scpauth_scp_dn_make(NULL, "DC=x", exact, &size, &err), &err, SCPAUTH_EINVAL,
                 "NULL");
}

static void expect_filter(const char *kw, size_t len, const char *want_value)
{
    char filter[1024], want[1024];
    snprintf(want, sizeof(want), "(&(objectClass=serviceConnectionPoint)(keywords=%s))",
             want_value);
    size_t size = sizeof(filter);
    scpauth_error err;
    assert_int_equal(scpauth_scp_filter(kw, len, filter, &size, &err), SCPAUTH_OK);
    assert_string_equal(filter, want);
    assert_int_equal(size, strlen(want) + 1);
}

static void test_filter_escaping(void **state)
{
    (void)state;
    expect_filter(GUID_KW, strlen(GUID_KW), GUID_KW);
    expect_filter("*", 1, "\\2a");
    expect_filter("a*b(c)d\\e", 9, "a\\2ab\\28c\\29d\\5ce");
    expect_filter("*)(objectClass=*", 16, "\\2a\\29\\28objectClass=\\2a"); /* injection */
    expect_filter("a\0b", 3, "a\\00b");
    expect_filter("caf\xc3\xa9", 5, "caf\\c3\\a9");
    expect_filter("Auth-O-Matic 2", 14, "Auth-O-Matic 2");
    expect_filter("\n\x7f", 2, "\\0a\\7f");

    char filter[128];
    size_t size = 0;
    scpauth_error err;
    expect_error(scpauth_scp_filter("k", 1, NULL, &size, &err), &err, SCPAUTH_ENOBUFS, "needs");
    assert_int_equal(size, strlen("(&(objectClass=serviceConnectionPoint)(keywords=k))") + 1);
    size = 10;
    expect_error(scpauth_scp_filter("k", 1, filter, &size, &err), &err, SCPAUTH_ENOBUFS, "has 10");
    size = sizeof(filter);
    expect_error(scpauth_scp_filter("", 0, filter, &size, &err), &err, SCPAUTH_EINVAL, "0 bytes");
    static char big[SCPAUTH_SCP_KEYWORD_MAX + 1];
    memset(big, 'k', sizeof(big));
    expect_error(scpauth_scp_filter(big, sizeof(big), filter, &size, &err), &err, SCPAUTH_EINVAL,
                 "257 bytes");
    expect_error(scpauth_scp_filter(NULL, 1, filter, &size, &err), &err, SCPAUTH_EINVAL, "NULL");
}

/* ---- ordering ----------------------------------------------------------- */

static void test_sort_is_stable_and_case_insensitive(void **state)
{
    (void)state;
    const char *dns[] = { "CN=b,DC=x", "cn=A,DC=x", "CN=a,DC=x", "CN=C,DC=x", "CN=a,DC=x",
                          "CN=a,DC=w" };
    scpauth_scp s[6];
    for (size_t i = 0; i < 6; i++) {
        scpauth_scp init = SCPAUTH_SCP_INIT;
        s[i] = init;
        s[i].dn = dns[i];
        s[i].has_guid = 1;
        memset(s[i].guid.bytes, (int)(10 - i), 16);
    }
    memset(s[1].guid.bytes, 1, 16); /* the DN bytes must decide before the GUID */
    scpauth_scp_sort(s, 6);
    /* case-insensitive first; then bytes ("CN" < "cn"); then the GUID */
    assert_string_equal(s[0].dn, "CN=a,DC=w");
    assert_string_equal(s[1].dn, "CN=a,DC=x");
    assert_string_equal(s[2].dn, "CN=a,DC=x");
    assert_true(s[1].guid.bytes[0] < s[2].guid.bytes[0]);
    assert_string_equal(s[3].dn, "cn=A,DC=x");
    assert_string_equal(s[4].dn, "CN=b,DC=x");
    assert_string_equal(s[5].dn, "CN=C,DC=x");
    for (size_t i = 0; i + 1 < 6; i++)
        assert_true(scpauth_scp_compare(&s[i], &s[i + 1]) <= 0);
    assert_int_equal(scpauth_scp_compare(&s[1], &s[1]), 0);
    scpauth_scp_sort(NULL, 3);
    scpauth_scp_sort(s, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_guid_known_vector),
        cmocka_unit_test(test_guid_round_trip_all_positions),
        cmocka_unit_test(test_guid_dn_forms),
        cmocka_unit_test(test_guid_bad_text),
        cmocka_unit_test(test_parse_good_single_binding),
        cmocka_unit_test(test_parse_good_multi_binding),
        cmocka_unit_test(test_parse_good_srv),
        cmocka_unit_test(test_parse_minimal_and_names_case_insensitive),
        cmocka_unit_test(test_parse_valid_utf8_accepted),
        cmocka_unit_test(test_parse_bad_port),
        cmocka_unit_test(test_parse_bad_host),
        cmocka_unit_test(test_parse_over_long_values),
        cmocka_unit_test(test_parse_missing_attributes),
        cmocka_unit_test(test_parse_nul_inside_value),
        cmocka_unit_test(test_parse_invalid_utf8),
        cmocka_unit_test(test_parse_too_many_values),
        cmocka_unit_test(test_parse_bad_class),
        cmocka_unit_test(test_parse_message_escapes_and_cuts),
        cmocka_unit_test(test_entry_find),
        cmocka_unit_test(test_parse_directory_search_entry),
        cmocka_unit_test(test_build_publishes_the_scenario_attributes),
        cmocka_unit_test(test_build_instances_coexist),
        cmocka_unit_test(test_build_rejects_bad_parameters),
        cmocka_unit_test(test_dn_escaping),
        cmocka_unit_test(test_filter_escaping),
        cmocka_unit_test(test_sort_is_stable_and_case_insensitive),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
