/* test_doctor.c - the doctor's decisions without a DC: time text, skew
 * thresholds, msDS-SupportedEncryptionTypes, keytab contents against the
 * directory's kvno, the AP-REQ inside a first token (and every truncation
 * of it), and whole runs over the directory and auth mocks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#ifndef _WIN32
#include <unistd.h>
#endif

#include "doctor_internal.h"
#include "mock_backend.h"
#include "test_dir_mock.h"

/* ---- GeneralizedTime --------------------------------------------------- */

static void test_gentime(void **state)
{
    (void)state;
    double t = 0;
    assert_int_equal(scpauth__doctor_gentime("19700101000000.0Z", &t, NULL), SCPAUTH_OK);
    assert_true(t == 0.0);
    /* 2026-11-27 01:15:00 UTC = 1795742100 */
    assert_int_equal(scpauth__doctor_gentime("20261127011500.0Z", &t, NULL), SCPAUTH_OK);
    assert_true(t == 1795742100.0);
    assert_int_equal(scpauth__doctor_gentime("20000229235959Z", &t, NULL), SCPAUTH_OK);
    assert_true(t == 951868799.0);
    assert_int_equal(scpauth__doctor_gentime("20261127011500.5Z", &t, NULL), SCPAUTH_OK);
    assert_true(t == 1795742100.5);
    static const char *const bad[] = {"", "2026112701150Z", "20261127011500.0", "20261327011500Z",
                                      "20261127251500Z", "2026112701150aZ", "20261127011500Z+",
                                      "20261127011500.0+0100"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        scpauth_error err;
        scpauth_error_clear(&err);
        assert_int_equal(scpauth__doctor_gentime(bad[i], &t, &err), SCPAUTH_EINVAL);
        assert_non_null(strstr(err.message, "currentTime"));
    }
}

/* ---- skew -------------------------------------------------------------- */

static scpauth_doctor_check judge_skew(double skew)
{
    scpauth_doctor_check c;
    memset(&c, 0, sizeof(c));
    scpauth__doctor_skew_judge(&c, skew, 60, 300, "DC x");
    return c;
}

static void test_skew(void **state)
{
    (void)state;
    scpauth_doctor_check c = judge_skew(-0.2);
    assert_int_equal(c.status, SCPAUTH_DOCTOR_OK);
    assert_non_null(strstr(c.detail, "+0 s off DC x"));
    assert_string_equal(c.fix, "");
    c = judge_skew(59.0);
    assert_int_equal(c.status, SCPAUTH_DOCTOR_OK);
    c = judge_skew(-90.0); /* remote behind local: this host is ahead */
    assert_int_equal(c.status, SCPAUTH_DOCTOR_WARN);
    assert_non_null(strstr(c.detail, "90 s ahead of DC x"));
    assert_non_null(strstr(c.fix, "synchronise"));
    c = judge_skew(300.0);
    assert_int_equal(c.status, SCPAUTH_DOCTOR_WARN);
    c = judge_skew(600.0);
    assert_int_equal(c.status, SCPAUTH_DOCTOR_PROBLEM);
    assert_int_equal(c.code, SCPAUTH_ESKEW);
    assert_non_null(strstr(c.detail, "600 s behind DC x"));
    assert_non_null(strstr(c.detail, "KRB_AP_ERR_SKEW"));
}

/* ---- msDS-SupportedEncryptionTypes ------------------------------------- */

static scpauth_doctor_check judge_etypes(const char *value)
{
    scpauth_doctor_check c;
    memset(&c, 0, sizeof(c));
    scpauth__doctor_etypes_judge(&c, "svc", value);
    return c;
}

static void test_etypes(void **state)
{
    (void)state;
    scpauth_doctor_check c = judge_etypes(NULL);
    assert_int_equal(c.status, SCPAUTH_DOCTOR_PROBLEM);
    assert_non_null(strstr(c.detail, "not set on svc"));
    assert_non_null(strstr(c.fix, "msDS-SupportedEncryptionTypes=24"));
    c = judge_etypes("4");
    assert_int_equal(c.status, SCPAUTH_DOCTOR_PROBLEM);
    assert_non_null(strstr(c.detail, "is 4 (RC4-HMAC): no AES"));
    assert_non_null(strstr(c.detail, "RC4-HMAC service tickets"));
    c = judge_etypes("3");
    assert_int_equal(c.status, SCPAUTH_DOCTOR_PROBLEM);
    assert_non_null(strstr(c.detail, "DES-CBC-CRC, DES-CBC-MD5"));
    c = judge_etypes("24");
    assert_int_equal(c.status, SCPAUTH_DOCTOR_OK);
    assert_non_null(strstr(c.detail, "AES128-CTS-HMAC-SHA1-96, AES256-CTS-HMAC-SHA1-96"));
    assert_int_equal(judge_etypes("8").status, SCPAUTH_DOCTOR_OK);
    assert_int_equal(judge_etypes("28").status, SCPAUTH_DOCTOR_OK);
    /* AD stores a signed 32-bit value: 0x80000018 reads back negative */
    c = judge_etypes("-2147483624");
    assert_int_equal(c.status, SCPAUTH_DOCTOR_OK);
    assert_non_null(strstr(c.detail, "2147483672"));
    c = judge_etypes("65536"); /* FAST only */
    assert_int_equal(c.status, SCPAUTH_DOCTOR_PROBLEM);
    assert_non_null(strstr(c.detail, "FAST"));
    assert_int_equal(judge_etypes("x24").code, SCPAUTH_EDIR);
    assert_int_equal(judge_etypes("24 ").code, SCPAUTH_EDIR);
    assert_int_equal(judge_etypes("99999999999").code, SCPAUTH_EDIR);
}

static void test_enctype_names(void **state)
{
    (void)state;
    char b[24];
    assert_string_equal(scpauth_enctype_name(18, b, sizeof(b)), "aes256-cts-hmac-sha1-96");
    assert_string_equal(scpauth_enctype_name(23, b, sizeof(b)), "rc4-hmac");
    assert_string_equal(scpauth_enctype_name(-135, b, sizeof(b)), "enctype--135");
    assert_true(scpauth__enctype_is_aes(17) && scpauth__enctype_is_aes(20));
    assert_false(scpauth__enctype_is_aes(23) || scpauth__enctype_is_aes(16));
    assert_string_equal(scpauth_doctor_status_name(SCPAUTH_DOCTOR_SKIPPED), "skipped");
}

/* ---- keytab ------------------------------------------------------------ */

static scpauth__keytab_key keys_buf[8];

static scpauth__keytab_keys keys_of(size_t n)
{
    scpauth__keytab_keys k = {keys_buf, n, 8};
    return k;
}

static void key(size_t i, const char *principal, uint32_t kvno, int enctype)
{
    snprintf(keys_buf[i].principal, sizeof(keys_buf[i].principal), "%s", principal);
    keys_buf[i].kvno = kvno;
    keys_buf[i].enctype = enctype;
}

static scpauth_doctor_check judge_keytab(size_t n, const char *spn, int has_kvno,
                                         uint32_t kvno)
{
    scpauth_doctor_check c;
    memset(&c, 0, sizeof(c));
    scpauth__keytab_keys k = keys_of(n);
    scpauth__doctor_keytab_judge(&c, "FILE:/k", spn, &k, has_kvno, kvno);
    return c;
}

static void test_keytab_judge(void **state)
{
    (void)state;
    key(0, "app/h.example.test@EXAMPLE.TEST", 2, 18);
    key(1, "app/h.example.test@EXAMPLE.TEST", 2, 23);
    key(2, "app/h.example.test@EXAMPLE.TEST", 3, 23);
    key(3, "other/h.example.test@EXAMPLE.TEST", 3, 18);

    scpauth_doctor_check c = judge_keytab(4, "app/h.example.test", 1, 2);
    assert_int_equal(c.status, SCPAUTH_DOCTOR_OK);
    assert_non_null(strstr(c.detail, "at kvno 2, the directory's, with aes256-cts-hmac-sha1-96, "
                                     "rc4-hmac"));
    /* names compare without case, as AD does; the realm only when given */
    assert_int_equal(judge_keytab(4, "APP/H.example.test", 1, 2).status, SCPAUTH_DOCTOR_OK);
    assert_int_equal(judge_keytab(4, "app/h.example.test@EXAMPLE.TEST", 1, 2).status,
                     SCPAUTH_DOCTOR_OK);
    assert_int_equal(judge_keytab(4, "app/h.example.test@OTHER.TEST", 1, 2).code,
                     SCPAUTH_EKEYTAB);

    c = judge_keytab(4, "app/h.example.test", 1, 3); /* only RC4 at the current kvno */
    assert_int_equal(c.status, SCPAUTH_DOCTOR_PROBLEM);
    assert_int_equal(c.code, SCPAUTH_EKEYTAB);
    assert_non_null(strstr(c.detail, "at kvno 3 with rc4-hmac only: no AES"));

    c = judge_keytab(4, "app/h.example.test", 1, 4); /* password changed since */
    assert_int_equal(c.code, SCPAUTH_EKVNO);
    assert_non_null(strstr(c.detail, "at kvno 2 3, but the directory says the account's key is "
                                     "at kvno 4"));
    assert_non_null(strstr(c.fix, "exportkeytab"));

    c = judge_keytab(4, "app/h.example.test", 0, 0); /* kvno unknown: the newest, a warning */
    assert_int_equal(c.status, SCPAUTH_DOCTOR_PROBLEM); /* newest (3) is RC4 only */
    c = judge_keytab(1, "app/h.example.test", 0, 0);
    assert_int_equal(c.status, SCPAUTH_DOCTOR_WARN);
    assert_non_null(strstr(c.detail, "key version is unknown"));

    c = judge_keytab(4, "app/h2.example.test", 1, 2);
    assert_int_equal(c.code, SCPAUTH_EKEYTAB);
    assert_non_null(strstr(c.detail, "has no key for app/h2.example.test (it holds: "
                                     "app/h.example.test@EXAMPLE.TEST (kvno 2), "
                                     "app/h.example.test@EXAMPLE.TEST (kvno 3), "
                                     "other/h.example.test@EXAMPLE.TEST (kvno 3))"));
    c = judge_keytab(0, "app/h.example.test", 1, 2);
    assert_non_null(strstr(c.detail, "it holds: no key at all"));
}

/* ---- AP-REQ ------------------------------------------------------------ */

typedef struct buf {
    unsigned char b[2048];
    size_t n;
} buf;

/* Appends tag, DER length and content. */
static void tlv(buf *out, unsigned char tag, const buf *content)
{
    out->b[out->n++] = tag;
    if (content->n < 0x80) {
        out->b[out->n++] = (unsigned char)content->n;
    } else {
        out->b[out->n++] = 0x82;
        out->b[out->n++] = (unsigned char)(content->n >> 8);
        out->b[out->n++] = (unsigned char)content->n;
    }
    memcpy(out->b + out->n, content->b, content->n);
    out->n += content->n;
}

static void raw(buf *out, const void *p, size_t n)
{
    memcpy(out->b + out->n, p, n);
    out->n += n;
}

/* [tag] { INTEGER v } with v in `len` big-endian bytes. */
static void ctx_int(buf *out, unsigned char tag, unsigned long long v, size_t len)
{
    buf i = {{0}, 0}, w = {{0}, 0};
    for (size_t k = len; k > 0; k--)
        i.b[i.n++] = (unsigned char)(v >> (8 * (k - 1)));
    tlv(&w, 0x02, &i);
    tlv(out, tag, &w);
}

/* EncryptedData { etype, [kvno], cipher of n bytes } under context tag. */
static void enc_data(buf *out, unsigned char tag, int etype, int with_kvno, size_t kvno_len,
                     unsigned long long kvno, size_t n)
{
    buf seq = {{0}, 0}, c = {{0}, 0}, w = {{0}, 0}, s = {{0}, 0};
    ctx_int(&seq, 0xa0, (unsigned long long)etype, 1);
    if (with_kvno)
        ctx_int(&seq, 0xa1, kvno, kvno_len);
    memset(c.b, 0x5a, n);
    c.n = n;
    tlv(&w, 0x04, &c);
    tlv(&seq, 0xa2, &w);
    tlv(&s, 0x30, &seq);
    tlv(out, tag, &s);
}

static buf make_apreq(int with_kvno, size_t kvno_len, unsigned long long kvno)
{
    buf tseq = {{0}, 0}, t = {{0}, 0}, tk = {{0}, 0}, ap = {{0}, 0}, s = {{0}, 0},
        out = {{0}, 0}, realm = {{0}, 0}, w = {{0}, 0}, empty = {{0}, 0};
    ctx_int(&tseq, 0xa0, 5, 1);
    raw(&realm, "EXAMPLE.TEST", 12);
    tlv(&w, 0x1b, &realm);
    tlv(&tseq, 0xa1, &w);
    w.n = 0;
    tlv(&w, 0x30, &empty);
    tlv(&tseq, 0xa2, &w);
    enc_data(&tseq, 0xa3, 18, with_kvno, kvno_len, kvno, 300); /* long-form lengths */
    tlv(&t, 0x30, &tseq);
    tlv(&tk, 0x61, &t);
    ctx_int(&ap, 0xa0, 5, 1);
    ctx_int(&ap, 0xa1, 14, 1);
    ctx_int(&ap, 0xa2, 0x20000000, 4); /* not a BIT STRING: skipped unread */
    tlv(&ap, 0xa3, &tk);
    enc_data(&ap, 0xa4, 23, 0, 0, 0, 40);
    tlv(&s, 0x30, &ap);
    tlv(&out, 0x6e, &s);
    return out;
}

static buf make_gss(const buf *apreq, const unsigned char *oid, size_t oid_len)
{
    buf in = {{0}, 0}, o = {{0}, 0}, out = {{0}, 0};
    raw(&o, oid, oid_len);
    tlv(&in, 0x06, &o);
    raw(&in, "\x01\x00", 2);
    raw(&in, apreq->b, apreq->n);
    tlv(&out, 0x60, &in);
    return out;
}

static const unsigned char krb5_oid[] = {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x12, 0x01, 0x02, 0x02};

static void test_apreq(void **state)
{
    (void)state;
    buf ap = make_apreq(1, 1, 5);
    buf gss = make_gss(&ap, krb5_oid, sizeof(krb5_oid));
    scpauth__apreq_facts f;
    assert_int_equal(scpauth__apreq_parse(gss.b, gss.n, &f, NULL), SCPAUTH_OK);
    assert_int_equal(f.ticket_enctype, 18);
    assert_int_equal(f.has_kvno, 1);
    assert_int_equal(f.kvno, 5);
    assert_int_equal(f.session_enctype, 23);
    assert_int_equal(scpauth__apreq_parse(ap.b, ap.n, &f, NULL), SCPAUTH_OK); /* bare */
    assert_int_equal(f.session_enctype, 23);

    buf big = make_apreq(1, 5, 0xffffffffull); /* UInt32 with its leading 0 byte */
    assert_int_equal(scpauth__apreq_parse(big.b, big.n, &f, NULL), SCPAUTH_OK);
    assert_int_equal(f.kvno, 0xffffffffu);
    buf nokv = make_apreq(0, 0, 0);
    assert_int_equal(scpauth__apreq_parse(nokv.b, nokv.n, &f, NULL), SCPAUTH_OK);
    assert_int_equal(f.has_kvno, 0);
    assert_int_equal(f.ticket_enctype, 18);

    /* every truncation fails cleanly (ASan/valgrind watch the reads) */
    for (size_t n = 0; n < gss.n; n++) {
        unsigned char *copy = malloc(n ? n : 1);
        memcpy(copy, gss.b, n);
        scpauth_error err;
        scpauth_error_clear(&err);
        assert_int_equal(scpauth__apreq_parse(copy, n, &f, &err), SCPAUTH_EPROTO);
        assert_non_null(strstr(err.message, "first Kerberos token"));
        free(copy);
    }
    static const unsigned char spnego[] = {0x2b, 0x06, 0x01, 0x05, 0x05, 0x02};
    buf other = make_gss(&ap, spnego, sizeof(spnego));
    scpauth_error err;
    assert_int_equal(scpauth__apreq_parse(other.b, other.n, &f, &err), SCPAUTH_EPROTO);
    assert_non_null(strstr(err.message, "not the Kerberos mechanism"));
    gss.b[gss.n - ap.n - 2] = 0x02; /* TOK_ID 02 00: an AP-REP */
    assert_int_equal(scpauth__apreq_parse(gss.b, gss.n, &f, &err), SCPAUTH_EPROTO);
    buf huge = ap;
    huge.b[1] = 0x84; /* a 4-byte length far past the end */
    assert_int_equal(scpauth__apreq_parse(huge.b, huge.n, &f, NULL), SCPAUTH_EPROTO);
    assert_int_equal(scpauth__apreq_parse(NULL, 0, &f, NULL), SCPAUTH_EINVAL);
}

/* ---- whole runs over the mocks ------------------------------------------ */

static const char *mock_now = "20261127011500.0Z";

/* The mock's search, plus a currentTime in the RootDSE when asked. */
static int search_with_time(void *bconn, unsigned timeout_ms, const scpauth__dir_query *q,
                            scpauth__dir_entries *out, scpauth_error *err)
{
    int rc = mock_dir_backend.search(bconn, timeout_ms, q, out, err);
    int asks = 0;
    for (size_t i = 0; q->attrs != NULL && q->attrs[i] != NULL; i++)
        asks |= strcmp(q->attrs[i], "currentTime") == 0;
    if (rc == SCPAUTH_OK && asks && mock_now != NULL && q->base[0] == '\0' && out->count > 0)
        rc = scpauth__dir_entry_add(out, &out->items[out->count - 1], "currentTime", mock_now,
                                    strlen(mock_now), err);
    return rc;
}

static struct scpauth_dir_backend timed_backend;
static scpauth_creds *creds;

static int setup_run(void **state)
{
    (void)state;
    mock_reset();
    timed_backend = mock_dir_backend;
    timed_backend.search = search_with_time;
    mock_now = NULL;
    return scpauth_mock_creds_new(SCPAUTH_ROLE_CLIENT, NULL, &creds, NULL) == SCPAUTH_OK ? 0 : -1;
}

static int teardown_run(void **state)
{
    (void)state;
    scpauth_creds_free(creds);
    creds = NULL;
    return 0;
}

static scpauth_doctor_report report;

static void run(const char *spn, const char *keyword)
{
    static const char *const dcs[] = {"dc1.example.test"};
    scpauth_doctor_options o;
    memset(&o, 0, sizeof(o));
    o.spn = spn;
    o.keyword = keyword;
    o.dir = mock_options(dcs, 1);
    o.dir.backend = &timed_backend;
    o.dir.creds = creds;
    scpauth_error err;
    scpauth_error_clear(&err);
    assert_int_equal(scpauth_doctor_run(&o, &report, &err), SCPAUTH_OK);
}

static const scpauth_doctor_check *check(const char *name)
{
    const scpauth_doctor_check *c = scpauth_doctor_find(&report, name);
    assert_non_null(c);
    return c;
}

static void test_run_one_owner(void **state)
{
    (void)state;
    static const char *const spns[] = {"app/h.example.test", NULL};
    mock_entry *e = mock_account("svc-app", "svc-app", 0, spns);
    mock_attr_add(e, "msDS-SupportedEncryptionTypes", "24");
    mock_attr_add(e, "msDS-KeyVersionNumber", "7");
    run("app/h.example.test", NULL);
    assert_int_equal(report.count, 8);
    assert_string_equal(report.spn, "app/h.example.test");
    assert_int_equal(check("creds")->status, SCPAUTH_DOCTOR_OK);
    assert_int_equal(check("dc")->status, SCPAUTH_DOCTOR_OK);
    assert_non_null(strstr(check("dc")->detail, "DC dc1.example.test:389"));
    /* the mock's RootDSE has no currentTime: the clock cannot be judged */
    assert_int_equal(check("clock")->status, SCPAUTH_DOCTOR_SKIPPED);
    assert_non_null(strstr(check("clock")->detail, "gave no currentTime"));
    assert_int_equal(check("spn")->status, SCPAUTH_DOCTOR_OK);
    assert_non_null(strstr(check("spn")->detail, "exactly one account: svc-app (CN=svc-app,"));
    assert_int_equal(check("enctypes")->status, SCPAUTH_DOCTOR_OK);
    assert_int_equal(check("keytab")->status, SCPAUTH_DOCTOR_SKIPPED);
    assert_int_equal(check("scp")->status, SCPAUTH_DOCTOR_SKIPPED);
    assert_int_equal(check("ticket")->status, SCPAUTH_DOCTOR_OK);
    assert_int_equal(report.problems, 0);
    assert_int_equal(report.has_skew, 0);
}

static void test_run_clock_and_duplicates(void **state)
{
    (void)state;
    static const char *const spns[] = {"app/h.example.test", NULL};
    mock_account("svc-app", "svc-app", 0, spns);
    mock_account("svc-other", "svc-other", 0, spns);
    mock_now = "19990101000000.0Z"; /* a DC far in the past */
    run("app/h.example.test", NULL);
    assert_int_equal(check("clock")->status, SCPAUTH_DOCTOR_PROBLEM);
    assert_non_null(strstr(check("clock")->detail, "ahead of DC dc1.example.test (RootDSE "
                                                   "currentTime)"));
    assert_true(report.has_skew && report.skew_s < -1e8);
    const scpauth_doctor_check *s = check("spn");
    assert_int_equal(s->status, SCPAUTH_DOCTOR_PROBLEM);
    assert_int_equal(s->code, SCPAUTH_ECONFLICT);
    assert_non_null(strstr(s->detail, "registered on 2 accounts"));
    assert_non_null(strstr(s->detail, "svc-app (CN=svc-app,CN=Users,DC=example,DC=test)"));
    assert_non_null(strstr(s->detail, "svc-other (CN=svc-other,CN=Users,DC=example,DC=test)"));
    assert_non_null(strstr(s->fix, "scpauth spn delete"));
    assert_int_equal(check("enctypes")->status, SCPAUTH_DOCTOR_SKIPPED);
    /* a ticket while the clocks disagree: the service would refuse it */
    assert_int_equal(check("ticket")->status, SCPAUTH_DOCTOR_WARN);
    assert_int_equal(report.problems, 2);
}

static void test_run_unset_etypes_and_no_dc(void **state)
{
    (void)state;
    static const char *const spns[] = {"app/h.example.test", NULL};
    mock_account("svc-app", "svc-app", 0, spns);
    mock_now = "20261127011500.0Z";
    run("app/h.example.test", NULL);
    assert_int_equal(check("enctypes")->status, SCPAUTH_DOCTOR_PROBLEM);
    assert_non_null(strstr(check("enctypes")->detail, "not set on svc-app"));

    mock_outcome("dc1.example.test:389", SCPAUTH_ECONNREFUSED);
    run("app/h.example.test", NULL);
    assert_int_equal(check("dc")->status, SCPAUTH_DOCTOR_PROBLEM);
    assert_non_null(strstr(check("dc")->fix, "port 389"));
    assert_int_equal(check("spn")->status, SCPAUTH_DOCTOR_SKIPPED);
    assert_int_equal(check("enctypes")->status, SCPAUTH_DOCTOR_SKIPPED);
    assert_int_equal(check("scp")->status, SCPAUTH_DOCTOR_SKIPPED);
    assert_int_equal(check("clock")->status, SCPAUTH_DOCTOR_SKIPPED); /* no KDC answers */
    assert_int_equal(check("ticket")->status, SCPAUTH_DOCTOR_OK);
}

static void test_run_scp_not_found(void **state)
{
    (void)state;
    run(NULL, "6f1c3a52-8a47-4b8e-9d4f-1d2e3f405162");
    assert_int_equal(check("scp")->status, SCPAUTH_DOCTOR_PROBLEM);
    assert_int_equal(check("scp")->code, SCPAUTH_ENOTFOUND);
    assert_non_null(strstr(check("scp")->fix, "scpauth scp publish"));
    assert_int_equal(check("spn")->status, SCPAUTH_DOCTOR_SKIPPED);
    assert_int_equal(check("ticket")->status, SCPAUTH_DOCTOR_SKIPPED);
    assert_string_equal(report.spn, "");
}

static void test_run_bad_options(void **state)
{
    (void)state;
    scpauth_doctor_options o;
    memset(&o, 0, sizeof(o));
    scpauth_error err;
    assert_int_equal(scpauth_doctor_run(&o, &report, &err), SCPAUTH_EINVAL);
    assert_non_null(strstr(err.hint, "SPN"));
    assert_int_equal(scpauth_doctor_run(NULL, &report, &err), SCPAUTH_EINVAL);
    o.spn = "no slash";
    assert_int_equal(scpauth_doctor_run(&o, &report, &err), SCPAUTH_ESPNSYNTAX);
    o.spn = "app/h";
    o.keytab = "/k";
    o.keyword = "k";
    assert_int_equal(scpauth_doctor_run(&o, &report, &err), SCPAUTH_EINVAL);
}

/* Without a session the doctor asks a KDC for its time: keep that on the
 * loopback (a port nobody listens on) and out of DNS. */
#ifndef _WIN32
static char krb5_conf[] = "/tmp/test_doctor_krb5_XXXXXX";

static void private_krb5_conf(void)
{
    int fd = mkstemp(krb5_conf);
    if (fd < 0)
        return;
    static const char text[] = "[libdefaults]\n default_realm = MOCK.TEST\n"
                               " dns_lookup_kdc = false\n dns_lookup_realm = false\n"
                               " udp_preference_limit = 1\n"
                               "[realms]\n MOCK.TEST = {\n  kdc = 127.0.0.1:9\n }\n";
    if (write(fd, text, sizeof(text) - 1) != (ssize_t)(sizeof(text) - 1))
        fprintf(stderr, "cannot write %s\n", krb5_conf);
    close(fd);
    setenv("KRB5_CONFIG", krb5_conf, 1);
}

static void private_krb5_conf_remove(void)
{
    unlink(krb5_conf);
}
#else
static void private_krb5_conf(void) {}
static void private_krb5_conf_remove(void) {}
#endif

int main(void)
{
    private_krb5_conf();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_gentime),
        cmocka_unit_test(test_skew),
        cmocka_unit_test(test_etypes),
        cmocka_unit_test(test_enctype_names),
        cmocka_unit_test(test_keytab_judge),
        cmocka_unit_test(test_apreq),
        cmocka_unit_test_setup_teardown(test_run_one_owner, setup_run, teardown_run),
        cmocka_unit_test_setup_teardown(test_run_clock_and_duplicates, setup_run, teardown_run),
        cmocka_unit_test_setup_teardown(test_run_unset_etypes_and_no_dc, setup_run,
                                        teardown_run),
        cmocka_unit_test_setup_teardown(test_run_scp_not_found, setup_run, teardown_run),
        cmocka_unit_test(test_run_bad_options),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    private_krb5_conf_remove();
    return rc;
}
