/* mock_backend.c - a scripted backend for unit tests without a KDC (a
 * test-only static library, never in libscpauth). It behaves
 * like a real mechanism where the core depends on it (handshake rounds,
 * mutual-auth reply, flags, per-message sequence and integrity checks) and
 * lets a test choose what it reports or where it fails. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "auth_internal.h"
#include "error_internal.h"
#include "mock_backend.h"

#define MOCK_TAG_CLIENT 'C'
#define MOCK_TAG_SERVICE 'S'
#define MOCK_TAG_MIC 'M'
#define MOCK_TAG_WRAP 'W'
#define MOCK_HDR 5            /* "MOCK" + tag */
#define MOCK_MIC_LEN (MOCK_HDR + 16)
#define MOCK_WRAP_OVERHEAD (MOCK_HDR + 17)

typedef struct mock_creds {
    scpauth_role role;
    scpauth_mock_script script;
    char local_name[SCPAUTH_NAME_MAX];
    char peer_name[SCPAUTH_NAME_MAX];
    char enctype[64];
    char fail_message[256];
} mock_creds;

typedef struct mock_ctx {
    const mock_creds *creds;
    scpauth_role role;
    char target[SCPAUTH_NAME_MAX];
    unsigned requested;
    unsigned peer_requested; /* service: flags carried by the client's token */
    unsigned steps;          /* ctx_step calls so far */
    unsigned round;          /* client tokens sent / received */
    int established;
    uint64_t send_seq, recv_seq;
} mock_ctx;

static const struct scpauth_auth_backend scpauth__backend_mock;

/* ---- small encoding helpers ---- */

static void put_u32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)(v >> 24); p[1] = (unsigned char)(v >> 16);
    p[2] = (unsigned char)(v >> 8);  p[3] = (unsigned char)v;
}

static uint32_t get_u32(const unsigned char *p)
{
    return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}

static void put_u64(unsigned char *p, uint64_t v)
{
    put_u32(p, (uint32_t)(v >> 32));
    put_u32(p + 4, (uint32_t)v);
}

static uint64_t get_u64(const unsigned char *p)
{
    return ((uint64_t)get_u32(p) << 32) | get_u32(p + 4);
}

/* FNV-1a over key, direction, sequence number and data: a stand-in for a
 * keyed checksum, enough to detect tampering in tests. */
static uint64_t mock_checksum(uint64_t key, int dir, uint64_t seq, const void *data, size_t len)
{
    uint64_t h = 1469598103934665603ull ^ key;
    unsigned char pre[9];
    pre[0] = (unsigned char)dir;
    put_u64(pre + 1, seq);
    for (size_t i = 0; i < sizeof(pre); i++)
        h = (h ^ pre[i]) * 1099511628211ull;
    for (size_t i = 0; i < len; i++)
        h = (h ^ ((const unsigned char *)data)[i]) * 1099511628211ull;
    return h;
}

static void mock_xor(uint64_t key, uint64_t seq, unsigned char *p, size_t len)
{
    uint64_t s = key ^ (seq * 0x9E3779B97F4A7C15ull) ^ 0x5DEECE66Dull;
    for (size_t i = 0; i < len; i++) {
        s ^= s << 13; s ^= s >> 7; s ^= s << 17;
        p[i] ^= (unsigned char)s;
    }
}

static int mock_token_new(scpauth_buffer *b, char tag, size_t extra, scpauth_error *err)
{
    int rc = scpauth__buffer_alloc(b, MOCK_HDR + extra, err);
    if (rc == SCPAUTH_OK) {
        memcpy(b->data, "MOCK", 4);
        b->data[4] = (unsigned char)tag;
    }
    return rc;
}

static int mock_token_is(const void *in, size_t len, char tag, size_t min_extra)
{
    const unsigned char *p = in;
    return len >= MOCK_HDR + min_extra && memcmp(p, "MOCK", 4) == 0 && p[4] == (unsigned char)tag;
}

static int mock_defective(scpauth_error *err, const char *what)
{
    return scpauth__error_set(err, SCPAUTH_EAUTH, "mock mechanism: defective %s token", what);
}

/* ---- credentials ---- */

static int mock_creds_make(scpauth_role role, const scpauth_mock_script *s, void **out,
                           scpauth_error *err)
{
    mock_creds *c = calloc(1, sizeof(*c));
    if (c == NULL)
        return scpauth__error_set(err, SCPAUTH_ENOMEM, "cannot allocate mock credentials");
    c->role = role;
    if (s != NULL)
        c->script = *s;
    if (c->script.rounds == 0)
        c->script.rounds = 1;
    if (c->script.mech == SCPAUTH_MECH_UNKNOWN)
        c->script.mech = SCPAUTH_MECH_KRB5;
    if (c->script.granted_flags == 0)
        c->script.granted_flags = SCPAUTH_MOCK_FLAGS_AS_REQUESTED;
    if (c->script.key == 0)
        c->script.key = 0x5eedULL;
    snprintf(c->local_name, sizeof(c->local_name), "%s",
             s && s->local_name ? s->local_name
             : role == SCPAUTH_ROLE_CLIENT ? "client@MOCK.TEST" : "svc/host.mock.test@MOCK.TEST");
    snprintf(c->peer_name, sizeof(c->peer_name), "%s", s && s->peer_name ? s->peer_name : "");
    snprintf(c->enctype, sizeof(c->enctype), "%s",
             s && s->enctype ? s->enctype : "aes256-cts-hmac-sha1-96");
    snprintf(c->fail_message, sizeof(c->fail_message), "%s",
             s && s->fail_message ? s->fail_message : "mock: scripted failure");
    /* the pointers in the copy must not outlive the caller's strings */
    c->script.local_name = c->script.peer_name = c->script.enctype = NULL;
    c->script.fail_message = NULL;
    *out = c;
    return SCPAUTH_OK;
}

static int mock_creds_acquire(const scpauth_creds_options *o, void **bcreds, scpauth_error *err)
{
    return mock_creds_make(o->role, NULL, bcreds, err);
}

static void mock_creds_free(void *bcreds)
{
    free(bcreds);
}

static int mock_creds_name(void *bcreds, char *buf, size_t size, scpauth_error *err)
{
    const mock_creds *c = bcreds;
    if (strlen(c->local_name) >= size)
        return scpauth__error_set(err, SCPAUTH_ENOBUFS, "principal name needs %zu bytes",
                                  strlen(c->local_name) + 1);
    memcpy(buf, c->local_name, strlen(c->local_name) + 1);
    return SCPAUTH_OK;
}

int scpauth_mock_creds_new(scpauth_role role, const scpauth_mock_script *script,
                           scpauth_creds **out, scpauth_error *err)
{
    if (out == NULL || (role != SCPAUTH_ROLE_CLIENT && role != SCPAUTH_ROLE_SERVICE))
        return scpauth__error_set(err, SCPAUTH_EINVAL, "scpauth_mock_creds_new: bad argument");
    *out = NULL;
    void *bcreds;
    int rc = mock_creds_make(role, script, &bcreds, err);
    if (rc != SCPAUTH_OK)
        return rc;
    return scpauth__creds_new(&scpauth__backend_mock, role, bcreds, out, err);
}

/* ---- handshake ---- */

static int mock_ctx_new(void *bcreds, scpauth_role role, const char *target, unsigned flags,
                        void **bctx, scpauth_error *err)
{
    mock_ctx *m = calloc(1, sizeof(*m));
    if (m == NULL)
        return scpauth__error_set(err, SCPAUTH_ENOMEM, "cannot allocate mock context");
    m->creds = bcreds;
    m->role = role;
    m->requested = flags;
    if (target != NULL)
        snprintf(m->target, sizeof(m->target), "%s", target);
    *bctx = m;
    return SCPAUTH_OK;
}

static int mock_client_step(mock_ctx *m, const void *in, size_t in_len, scpauth_buffer *out,
                            scpauth_error *err)
{
    const unsigned rounds = m->creds->script.rounds;
    if (m->round > 0) {
        /* every client token after the first answers a service token */
        if (!mock_token_is(in, in_len, MOCK_TAG_SERVICE, 4) ||
            get_u32((const unsigned char *)in + MOCK_HDR) != m->round)
            return mock_defective(err, "service");
        if (m->round == rounds)
            return SCPAUTH_OK; /* the mutual-auth reply: done, nothing to send */
    } else if (in_len != 0) {
        return mock_defective(err, "unexpected service");
    }
    m->round++;
    size_t tlen = strlen(m->target);
    int rc = mock_token_new(out, MOCK_TAG_CLIENT, 8 + tlen, err);
    if (rc != SCPAUTH_OK)
        return rc;
    put_u32(out->data + MOCK_HDR, m->round);
    put_u32(out->data + MOCK_HDR + 4, m->requested);
    memcpy(out->data + MOCK_HDR + 8, m->target, tlen);
    if (m->round < rounds || (m->requested & SCPAUTH_FLAG_MUTUAL))
        return SCPAUTH_CONTINUE;
    return SCPAUTH_OK;
}

static int mock_service_step(mock_ctx *m, const void *in, size_t in_len, scpauth_buffer *out,
                             scpauth_error *err)
{
    const unsigned char *p = in;
    if (!mock_token_is(in, in_len, MOCK_TAG_CLIENT, 8) || get_u32(p + MOCK_HDR) != m->round + 1)
        return mock_defective(err, "client");
    m->round++;
    m->peer_requested = get_u32(p + MOCK_HDR + 4);
    if (m->round == 1 && m->creds->peer_name[0] == '\0' && in_len > MOCK_HDR + 8)
        snprintf(m->target, sizeof(m->target), "%.*s", (int)(in_len - MOCK_HDR - 8),
                 (const char *)p + MOCK_HDR + 8);
    int last = m->round == m->creds->script.rounds;
    if (!last || (m->peer_requested & SCPAUTH_FLAG_MUTUAL)) {
        int rc = mock_token_new(out, MOCK_TAG_SERVICE, 4, err);
        if (rc != SCPAUTH_OK)
            return rc;
        put_u32(out->data + MOCK_HDR, m->round);
    }
    return last ? SCPAUTH_OK : SCPAUTH_CONTINUE;
}

static int mock_ctx_step(void *bctx, const void *in, size_t in_len, scpauth_buffer *out,
                         scpauth_error *err)
{
    mock_ctx *m = bctx;
    const scpauth_mock_script *s = &m->creds->script;
    m->steps++;
    if (s->fail_at_step != 0 && m->steps == s->fail_at_step)
        return scpauth__error_set(err, s->fail_code ? s->fail_code : SCPAUTH_EAUTH, "%s",
                                  m->creds->fail_message);
    int rc = m->role == SCPAUTH_ROLE_CLIENT ? mock_client_step(m, in, in_len, out, err)
                                            : mock_service_step(m, in, in_len, out, err);
    if (rc == SCPAUTH_OK)
        m->established = 1;
    return rc;
}

static void mock_ctx_status(void *bctx, unsigned *granted_flags, scpauth_mech *mech)
{
    const mock_ctx *m = bctx;
    const mock_creds *c = m->creds;
    unsigned asked = m->role == SCPAUTH_ROLE_CLIENT ? m->requested : m->peer_requested;
    *granted_flags = c->script.granted_flags == SCPAUTH_MOCK_FLAGS_AS_REQUESTED
                         ? asked : c->script.granted_flags;
    *mech = c->script.mech;
}

static int mock_ctx_facts(void *bctx, scpauth__ctx_facts *f, scpauth_error *err)
{
    (void)err;
    const mock_ctx *m = bctx;
    const mock_creds *c = m->creds;
    mock_ctx_status(bctx, &f->granted_flags, &f->mech);
    snprintf(f->local_name, sizeof(f->local_name), "%s", c->local_name);
    if (c->peer_name[0])
        snprintf(f->peer_name, sizeof(f->peer_name), "%s", c->peer_name);
    else if (m->role == SCPAUTH_ROLE_CLIENT)
        snprintf(f->peer_name, sizeof(f->peer_name), "%s", m->target);
    else
        snprintf(f->peer_name, sizeof(f->peer_name), "client@MOCK.TEST");
    snprintf(f->enctype, sizeof(f->enctype), "%s", c->enctype);
    f->expiry = c->script.expiry ? c->script.expiry : (int64_t)time(NULL) + 36000;
    return SCPAUTH_OK;
}

static void mock_ctx_free(void *bctx)
{
    free(bctx);
}

/* ---- per-message ---- */

static int mock_dir(const mock_ctx *m, int sending)
{
    int from_client = (m->role == SCPAUTH_ROLE_CLIENT) == (sending != 0);
    return from_client ? 0 : 1;
}

/* Same rules as RFC 4121 sequence checking, strict: the next number is
 * accepted, an older one is a replay, a newer one a gap. */
static int mock_check_seq(mock_ctx *m, uint64_t seq, scpauth_error *err)
{
    if (seq == m->recv_seq) {
        m->recv_seq++;
        return SCPAUTH_OK;
    }
    if (seq < m->recv_seq)
        return scpauth__error_set(err, SCPAUTH_EREPLAY,
                                  "mock mechanism: message %llu was already received",
                                  (unsigned long long)seq);
    return scpauth__error_set(err, SCPAUTH_ESEQUENCE,
                              "mock mechanism: message %llu arrived before %llu",
                              (unsigned long long)seq, (unsigned long long)m->recv_seq);
}

static int mock_sign(void *bctx, const void *msg, size_t len, scpauth_buffer *mic,
                     scpauth_error *err)
{
    mock_ctx *m = bctx;
    int rc = mock_token_new(mic, MOCK_TAG_MIC, 16, err);
    if (rc != SCPAUTH_OK)
        return rc;
    uint64_t seq = m->send_seq++;
    put_u64(mic->data + MOCK_HDR, seq);
    put_u64(mic->data + MOCK_HDR + 8, mock_checksum(m->creds->script.key, mock_dir(m, 1), seq, msg, len));
    return SCPAUTH_OK;
}

static int mock_verify(void *bctx, const void *msg, size_t len, const void *mic, size_t mic_len,
                       scpauth_error *err)
{
    mock_ctx *m = bctx;
    if (!mock_token_is(mic, mic_len, MOCK_TAG_MIC, 16) || mic_len != MOCK_MIC_LEN)
        return scpauth__error_set(err, SCPAUTH_EBADSIG, "mock mechanism: malformed signature");
    const unsigned char *p = mic;
    uint64_t seq = get_u64(p + MOCK_HDR);
    if (get_u64(p + MOCK_HDR + 8) != mock_checksum(m->creds->script.key, mock_dir(m, 0), seq, msg, len))
        return scpauth__error_set(err, SCPAUTH_EBADSIG, "mock mechanism: signature does not match the message");
    return mock_check_seq(m, seq, err);
}

static int mock_seal(void *bctx, int encrypt, const void *msg, size_t len, scpauth_buffer *token,
                     scpauth_error *err)
{
    mock_ctx *m = bctx;
    int rc = mock_token_new(token, MOCK_TAG_WRAP, 17 + len, err);
    if (rc != SCPAUTH_OK)
        return rc;
    uint64_t seq = m->send_seq++;
    unsigned char *p = token->data + MOCK_HDR;
    p[0] = (unsigned char)(encrypt != 0);
    put_u64(p + 1, seq);
    put_u64(p + 9, mock_checksum(m->creds->script.key, mock_dir(m, 1), seq, msg, len));
    if (len > 0)
        memcpy(p + 17, msg, len);
    if (encrypt)
        mock_xor(m->creds->script.key, seq, p + 17, len);
    return SCPAUTH_OK;
}

static int mock_unseal(void *bctx, const void *token, size_t len, scpauth_buffer *msg,
                       int *was_encrypted, scpauth_error *err)
{
    mock_ctx *m = bctx;
    if (!mock_token_is(token, len, MOCK_TAG_WRAP, 17))
        return scpauth__error_set(err, SCPAUTH_EBADSIG, "mock mechanism: malformed wrap token");
    const unsigned char *p = (const unsigned char *)token + MOCK_HDR;
    size_t body = len - MOCK_WRAP_OVERHEAD;
    uint64_t seq = get_u64(p + 1);
    int rc = scpauth__buffer_copy(msg, p + 17, body, err);
    if (rc != SCPAUTH_OK)
        return rc;
    if (p[0])
        mock_xor(m->creds->script.key, seq, msg->data, body);
    if (p[0] > 1 || get_u64(p + 9) != mock_checksum(m->creds->script.key, mock_dir(m, 0), seq, msg->data, body)) {
        scpauth_buffer_free(msg);
        return scpauth__error_set(err, SCPAUTH_EBADSIG, "mock mechanism: wrap token integrity check failed");
    }
    rc = mock_check_seq(m, seq, err);
    if (rc != SCPAUTH_OK) {
        scpauth_buffer_free(msg);
        return rc;
    }
    *was_encrypted = p[0];
    return SCPAUTH_OK;
}

static int mock_mic_size(void *bctx, size_t *size, scpauth_error *err)
{
    (void)bctx; (void)err;
    *size = MOCK_MIC_LEN;
    return SCPAUTH_OK;
}

static int mock_seal_overhead(void *bctx, size_t msg_len, size_t *overhead, scpauth_error *err)
{
    (void)bctx; (void)msg_len; (void)err;
    *overhead = MOCK_WRAP_OVERHEAD;
    return SCPAUTH_OK;
}

/* ---- export / import: role, flags, sequence numbers ---- */

#define MOCK_EXPORT_LEN (1 + 4 + 4 + 8 + 8 + 2 + SCPAUTH_NAME_MAX)

static int mock_export(void *bctx, scpauth_buffer *token, scpauth_error *err)
{
    mock_ctx *m = bctx;
    int rc = scpauth__buffer_alloc(token, MOCK_EXPORT_LEN, err);
    if (rc == SCPAUTH_OK) {
        unsigned char *p = token->data;
        memset(p, 0, MOCK_EXPORT_LEN);
        p[0] = (unsigned char)m->role;
        put_u32(p + 1, m->requested);
        put_u32(p + 5, m->peer_requested);
        put_u64(p + 9, m->send_seq);
        put_u64(p + 17, m->recv_seq);
        size_t tlen = strlen(m->target);
        p[25] = (unsigned char)(tlen >> 8);
        p[26] = (unsigned char)tlen;
        memcpy(p + 27, m->target, tlen);
    }
    free(m);
    return rc;
}

static int mock_import(void *bcreds, const void *token, size_t len, void **bctx, scpauth_error *err)
{
    const unsigned char *p = token;
    const mock_creds *c = bcreds;
    if (len != MOCK_EXPORT_LEN || p[0] != (unsigned char)c->role)
        return scpauth__error_set(err, SCPAUTH_EINVAL, "mock mechanism: bad exported context");
    size_t tlen = ((size_t)p[25] << 8) | p[26];
    if (tlen >= SCPAUTH_NAME_MAX)
        return scpauth__error_set(err, SCPAUTH_EINVAL, "mock mechanism: bad exported context");
    mock_ctx *m = calloc(1, sizeof(*m));
    if (m == NULL)
        return scpauth__error_set(err, SCPAUTH_ENOMEM, "cannot allocate mock context");
    m->creds = c;
    m->role = c->role;
    m->requested = get_u32(p + 1);
    m->peer_requested = get_u32(p + 5);
    m->send_seq = get_u64(p + 9);
    m->recv_seq = get_u64(p + 17);
    memcpy(m->target, p + 27, tlen);
    m->established = 1;
    *bctx = m;
    return SCPAUTH_OK;
}

static const struct scpauth_auth_backend scpauth__backend_mock = {
    .name = "mock",
    .max_token = 4096,
    .creds_acquire = mock_creds_acquire,
    .creds_free = mock_creds_free,
    .creds_name = mock_creds_name,
    .ctx_new = mock_ctx_new,
    .ctx_step = mock_ctx_step,
    .ctx_status = mock_ctx_status,
    .ctx_facts = mock_ctx_facts,
    .ctx_free = mock_ctx_free,
    .sign = mock_sign,
    .verify = mock_verify,
    .seal = mock_seal,
    .unseal = mock_unseal,
    .mic_size = mock_mic_size,
    .seal_overhead = mock_seal_overhead,
    .ctx_export = mock_export,
    .ctx_import = mock_import,
};

const scpauth_auth_backend *scpauth_auth_backend_mock(void)
{
    return &scpauth__backend_mock;
}
