/* test_dir_srv.c - DC discovery: the DNS SRV answer parser (hostile input
 * included) and RFC 2782 ordering by priority and weighted random choice. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "dir_srv.h"

#define QNAME "_ldap._tcp.dc._msdcs.example.test"

/* ---- a small DNS message builder ----------------------------------------- */

typedef struct msg {
    unsigned char b[4096];
    size_t n;
} msg;

static void put8(msg *m, unsigned v)
{
    m->b[m->n++] = (unsigned char)v;
}

static void put16(msg *m, unsigned v)
{
    put8(m, v >> 8);
    put8(m, v & 0xFF);
}

static void put_name(msg *m, const char *name)
{
    while (*name != '\0') {
        const char *dot = strchr(name, '.');
        size_t l = dot != NULL ? (size_t)(dot - name) : strlen(name);
        put8(m, (unsigned)l);
        memcpy(m->b + m->n, name, l);
        m->n += l;
        name += l + (dot != NULL);
    }
    put8(m, 0);
}

static void pad(msg *m, size_t n)
{
    memset(m->b + m->n, 0, n);
    m->n += n;
}

static void put_pointer(msg *m, size_t off)
{
    put16(m, 0xC000u | (unsigned)off);
}

/* After an owner name: TYPE, class IN and a TTL (rdlength follows). */
static void rr_fixed(msg *m, unsigned type)
{
    put16(m, type);
    put16(m, 1);
    put16(m, 0);
    put16(m, 60);
}

/* Header: response, rcode, one question (QNAME SRV IN), ancount answers. */
static void header(msg *m, unsigned flags, unsigned ancount)
{
    m->n = 0;
    put16(m, 0x1234);
    put16(m, 0x8000u | flags);
    put16(m, 1);
    put16(m, ancount);
    put16(m, 0);
    put16(m, 0);
    put_name(m, QNAME); /* at offset 12: pointers to it use 12 */
    put16(m, 33);
    put16(m, 1);
}

/* An SRV record owned by owner_name, or when NULL by the name at owner_ptr. */
static void srv_rr(msg *m, const char *owner_name, size_t owner_ptr, unsigned prio,
                   unsigned weight, unsigned port, const char *target)
{
    if (owner_name != NULL)
        put_name(m, owner_name);
    else
        put_pointer(m, owner_ptr);
    rr_fixed(m, 33);
    size_t len_at = m->n;
    put16(m, 0);
    put16(m, prio);
    put16(m, weight);
    put16(m, port);
    put_name(m, target);
    size_t rdlen = m->n - len_at - 2;
    m->b[len_at] = (unsigned char)(rdlen >> 8);
    m->b[len_at + 1] = (unsigned char)rdlen;
}

/* An SRV record whose owner is the question name (pointer to offset 12). */
static void srv(msg *m, unsigned prio, unsigned weight, unsigned port, const char *target)
{
    srv_rr(m, NULL, 12, prio, weight, port, target);
}

static int parse(const msg *m, scpauth__srv_list *out, scpauth_error *err)
{
    scpauth_error_clear(err);
    return scpauth__srv_parse(m->b, m->n, QNAME, out, err);
}

/* m parses into exactly one record, for target. */
static void expect_one(const msg *m, const char *target)
{
    scpauth__srv_list l;
    scpauth_error err;
    assert_int_equal(parse(m, &l, &err), SCPAUTH_OK);
    assert_int_equal(l.count, 1);
    assert_string_equal(l.items[0].target, target);
    scpauth__srv_list_free(&l);
}

/* ---- parsing ---------------------------------------------------------------- */

static void test_parse_two_records(void **state)
{
    (void)state;
    msg m;
    header(&m, 0, 2);
    srv(&m, 0, 100, 389, "DC1.Example.Test");
    srv(&m, 10, 5, 3268, "dc2.example.test.");
    scpauth__srv_list l;
    scpauth_error err;
    assert_int_equal(parse(&m, &l, &err), SCPAUTH_OK);
    assert_int_equal(l.count, 2);
    assert_string_equal(l.items[0].target, "dc1.example.test"); /* lower-cased */
    assert_int_equal(l.items[0].port, 389);
    assert_int_equal(l.items[0].weight, 100);
    assert_string_equal(l.items[1].target, "dc2.example.test");
    assert_int_equal(l.items[1].priority, 10);
    assert_int_equal(l.items[1].port, 3268);
    scpauth__srv_list_free(&l);
}

/* A compressed target: "dc3" + pointer to "example.test" inside the question. */
static void test_parse_compressed_target(void **state)
{
    (void)state;
    msg m;
    header(&m, 0, 1);
    put_pointer(&m, 12);
    rr_fixed(&m, 33);
    put16(&m, 6 + 4 + 2);
    put16(&m, 1);
    put16(&m, 2);
    put16(&m, 389);
    put8(&m, 3);
    memcpy(m.b + m.n, "dc3", 3);
    m.n += 3;
    /* "example.test" starts at 12 + len("_ldap._tcp.dc._msdcs.") + 4 label bytes */
    put_pointer(&m, 12 + 1 + 5 + 1 + 4 + 1 + 2 + 1 + 6);
    expect_one(&m, "dc3.example.test");
}

static void test_parse_follows_cname(void **state)
{
    (void)state;
    msg m;
    header(&m, 0, 2);
    put_pointer(&m, 12); /* QNAME CNAME alias.example.test */
    rr_fixed(&m, 5);
    size_t at = m.n;
    put16(&m, 0);
    size_t alias_off = m.n;
    put_name(&m, "alias.example.test");
    m.b[at + 1] = (unsigned char)(m.n - alias_off);
    srv_rr(&m, NULL, alias_off, 0, 0, 389, "dc9.example.test");
    expect_one(&m, "dc9.example.test");
}

static void test_parse_ignores_other_names(void **state)
{
    (void)state;
    msg m;
    header(&m, 0, 1);
    srv_rr(&m, "_ldap._tcp.evil.test", 0, 0, 0, 389, "evil.test");
    scpauth__srv_list l;
    scpauth_error err;
    assert_int_equal(parse(&m, &l, &err), SCPAUTH_OK);
    assert_int_equal(l.count, 0);
    assert_null(l.items);
}

static void test_parse_nxdomain_and_empty(void **state)
{
    (void)state;
    msg m;
    scpauth__srv_list l;
    scpauth_error err;
    header(&m, 3, 0); /* NXDOMAIN */
    assert_int_equal(parse(&m, &l, &err), SCPAUTH_OK);
    assert_int_equal(l.count, 0);
    header(&m, 0, 0);
    assert_int_equal(parse(&m, &l, &err), SCPAUTH_OK);
    assert_int_equal(l.count, 0);
}

static void test_parse_server_errors(void **state)
{
    (void)state;
    msg m;
    scpauth__srv_list l;
    scpauth_error err;
    header(&m, 2, 0); /* SERVFAIL */
    assert_int_equal(parse(&m, &l, &err), SCPAUTH_EDNS);
    assert_non_null(strstr(err.message, "rcode 2"));
    assert_int_equal(err.native_kind, SCPAUTH_NATIVE_DNS);
    header(&m, 0x0200, 0); /* TC */
    assert_int_equal(parse(&m, &l, &err), SCPAUTH_EDNS);
    assert_non_null(strstr(err.message, "truncated"));
    header(&m, 0, 0);
    m.b[2] &= 0x7F; /* a query, not a response */
    assert_int_equal(parse(&m, &l, &err), SCPAUTH_EDNS);
}

static void test_parse_dropped_records(void **state)
{
    (void)state;
    msg m;
    scpauth__srv_list l;
    scpauth_error err;
    header(&m, 0, 3);
    srv(&m, 0, 0, 389, "");          /* "." : not offered */
    srv(&m, 0, 0, 0, "dc.example.test"); /* port 0 */
    srv(&m, 0, 0, 389, "d c.example.test"); /* a space in a label */
    assert_int_equal(parse(&m, &l, &err), SCPAUTH_EDNS);
    assert_non_null(strstr(err.message, "3 record(s)"));
    header(&m, 0, 2);
    srv(&m, 0, 0, 389, "");
    srv(&m, 0, 0, 389, "ok.example.test");
    assert_int_equal(parse(&m, &l, &err), SCPAUTH_OK);
    assert_int_equal(l.count, 1);
    assert_string_equal(l.items[0].target, "ok.example.test");
    scpauth__srv_list_free(&l);
}

/* Each malformed message: EDNS, nothing allocated, no read past the end. */
static void expect_malformed(msg *m, const char *needle)
{
    scpauth__srv_list l;
    scpauth_error err;
    int rc = parse(m, &l, &err);
    if (rc != SCPAUTH_EDNS || strstr(err.message, needle) == NULL)
        print_error("got %s \"%s\", wanted EDNS mentioning \"%s\"\n", scpauth_err_name(rc),
                    err.message, needle);
    assert_int_equal(rc, SCPAUTH_EDNS);
    assert_non_null(strstr(err.message, needle));
    assert_null(l.items);
    assert_int_equal(l.count, 0);
}

static void test_parse_hostile(void **state)
{
    (void)state;
    msg m;
    header(&m, 0, 1);
    srv(&m, 0, 0, 389, "dc.example.test");
    size_t full = m.n;
    for (size_t cut = 12; cut < full; cut++) { /* every truncation */
        m.n = cut;
        scpauth__srv_list l;
        scpauth_error err;
        assert_int_equal(parse(&m, &l, &err), SCPAUTH_EDNS);
        assert_null(l.items);
    }
    m.n = 5;
    expect_malformed(&m, "header is 12");

    header(&m, 0, 1); /* a pointer to itself */
    size_t self = m.n;
    put_pointer(&m, self);
    rr_fixed(&m, 33);
    put16(&m, 0);
    expect_malformed(&m, "pointer loop");

    header(&m, 0, 1); /* a forward pointer */
    put_pointer(&m, m.n + 4);
    put16(&m, 0);
    put_name(&m, "x");
    pad(&m, 16);
    expect_malformed(&m, "pointer loop");

    header(&m, 0, 1); /* label type 0x40 */
    put8(&m, 0x41);
    pad(&m, 16);
    expect_malformed(&m, "unsupported label type");

    header(&m, 0, 1); /* a name over 255 characters */
    for (int i = 0; i < 5; i++) {
        put8(&m, 63);
        memset(m.b + m.n, 'a', 63);
        m.n += 63;
    }
    put8(&m, 0);
    expect_malformed(&m, "longer than 255");

    header(&m, 0, 1); /* rdlength past the end */
    put_pointer(&m, 12);
    rr_fixed(&m, 33);
    put16(&m, 500);
    expect_malformed(&m, "runs past the end");

    header(&m, 0, 1); /* SRV data too short */
    put_pointer(&m, 12);
    rr_fixed(&m, 33);
    put16(&m, 4);
    put16(&m, 0);
    put16(&m, 0);
    expect_malformed(&m, "shorter than 7");

    header(&m, 0, 1); /* target name longer than its record */
    put_pointer(&m, 12);
    rr_fixed(&m, 33);
    put16(&m, 8);
    put16(&m, 0);
    put16(&m, 0);
    put16(&m, 389);
    put_name(&m, "dc.example.test");
    expect_malformed(&m, "runs past its record");

    header(&m, 0, 60000); /* a count the message cannot hold */
    expect_malformed(&m, "answer count");
}

static void test_parse_caps_records(void **state)
{
    (void)state;
    static msg m;
    header(&m, 0, 80);
    for (int i = 0; i < 80; i++)
        srv(&m, (unsigned)i, 0, 389, "d.example.test");
    scpauth__srv_list l;
    scpauth_error err;
    assert_int_equal(parse(&m, &l, &err), SCPAUTH_OK);
    assert_int_equal(l.count, SCPAUTH__SRV_MAX);
    assert_int_equal(l.items[SCPAUTH__SRV_MAX - 1].priority, SCPAUTH__SRV_MAX - 1);
    scpauth__srv_list_free(&l);
}

/* ---- ordering --------------------------------------------------------------- */

static scpauth__srv rec(unsigned prio, unsigned weight, const char *name)
{
    scpauth__srv s;
    memset(&s, 0, sizeof(s));
    snprintf(s.target, sizeof(s.target), "%s", name);
    s.priority = (uint16_t)prio;
    s.weight = (uint16_t)weight;
    s.port = 389;
    return s;
}

static void test_order_priority_first(void **state)
{
    (void)state;
    uint32_t seed = 12345;
    for (int round = 0; round < 200; round++) {
        scpauth__srv s[5] = {rec(20, 1, "c"), rec(0, 0, "a"), rec(10, 50, "b1"),
                             rec(10, 50, "b2"), rec(65535, 9, "z")};
        scpauth__srv_order(s, 5, scpauth__rand_xorshift, &seed);
        assert_string_equal(s[0].target, "a");
        assert_true(s[1].priority == 10 && s[2].priority == 10);
        assert_string_not_equal(s[1].target, s[2].target);
        assert_string_equal(s[3].target, "c");
        assert_string_equal(s[4].target, "z");
    }
}

/* Within one priority the first choice follows the weights (90 : 10). */
static void test_order_weights(void **state)
{
    (void)state;
    uint32_t seed = 99;
    int heavy_first = 0, rounds = 10000;
    for (int i = 0; i < rounds; i++) {
        scpauth__srv s[2] = {rec(0, 10, "light"), rec(0, 90, "heavy")};
        scpauth__srv_order(s, 2, scpauth__rand_xorshift, &seed);
        heavy_first += strcmp(s[0].target, "heavy") == 0;
    }
    /* expected 90/101*rounds ~ 8911 (the sum's "0" slot goes to "light") */
    assert_in_range(heavy_first, 8600, 9200);
}

/* Weight 0 next to others: chosen first only when the draw is exactly 0. */
static void test_order_zero_weight_rare(void **state)
{
    (void)state;
    uint32_t seed = 7;
    int zero_first = 0;
    for (int i = 0; i < 10000; i++) {
        scpauth__srv s[2] = {rec(0, 100, "w100"), rec(0, 0, "w0")};
        scpauth__srv_order(s, 2, scpauth__rand_xorshift, &seed);
        zero_first += strcmp(s[0].target, "w0") == 0;
    }
    assert_in_range(zero_first, 30, 200); /* ~1/101 */
}

/* All weights 0: every record can come first. */
static void test_order_all_zero(void **state)
{
    (void)state;
    uint32_t seed = 3;
    int first[3] = {0, 0, 0};
    for (int i = 0; i < 3000; i++) {
        scpauth__srv s[3] = {rec(0, 0, "0"), rec(0, 0, "1"), rec(0, 0, "2")};
        scpauth__srv_order(s, 3, scpauth__rand_xorshift, &seed);
        first[s[0].target[0] - '0']++;
    }
    for (int k = 0; k < 3; k++)
        assert_in_range(first[k], 700, 1300);
}

/* Weights 0, 30, 70 (sum 100, draw 0..100): first choice ~ 1 : 30 : 70. */
static void test_order_running_sum(void **state)
{
    (void)state;
    uint32_t seed = 2024;
    int first[3] = {0, 0, 0}, rounds = 20000;
    for (int i = 0; i < rounds; i++) {
        scpauth__srv s[3] = {rec(5, 70, "2"), rec(5, 0, "0"), rec(5, 30, "1")};
        scpauth__srv_order(s, 3, scpauth__rand_xorshift, &seed);
        first[s[0].target[0] - '0']++;
    }
    assert_in_range(first[0], 80, 330);      /* ~198 */
    assert_in_range(first[1], 5500, 6400);   /* ~5940 */
    assert_in_range(first[2], 13400, 14300); /* ~13861 */
}

static void test_seed_nonzero(void **state)
{
    (void)state;
    uint32_t s = scpauth__rand_seed();
    assert_int_not_equal(s, 0);
    uint32_t a = scpauth__rand_xorshift(&s), b = scpauth__rand_xorshift(&s);
    assert_int_not_equal(a, b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_two_records),
        cmocka_unit_test(test_parse_compressed_target),
        cmocka_unit_test(test_parse_follows_cname),
        cmocka_unit_test(test_parse_ignores_other_names),
        cmocka_unit_test(test_parse_nxdomain_and_empty),
        cmocka_unit_test(test_parse_server_errors),
        cmocka_unit_test(test_parse_dropped_records),
        cmocka_unit_test(test_parse_hostile),
        cmocka_unit_test(test_parse_caps_records),
        cmocka_unit_test(test_order_priority_first),
        cmocka_unit_test(test_order_weights),
        cmocka_unit_test(test_order_zero_weight_rare),
        cmocka_unit_test(test_order_all_zero),
        cmocka_unit_test(test_order_running_sum),
        cmocka_unit_test(test_seed_nonzero),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
