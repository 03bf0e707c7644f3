/* mock_pair.h - a client and a service context over the mock backend,
 * driven through the public API exactly as a program would. */
#ifndef SCPAUTH_TEST_MOCK_PAIR_H
#define SCPAUTH_TEST_MOCK_PAIR_H

#include <scpauth.h>

#include "mock_backend.h"

typedef struct mock_pair {
    scpauth_creds *ccreds, *screds;
    scpauth_ctx *client, *service;
    int client_rc, service_rc;  /* last status of each side */
    scpauth_error cerr, serr;
    int client_sent_after_fail; /* a refused side still produced a token */
} mock_pair;

#define TEST_SPN "myapp/svchost1.example.test:4444"

/* Creates both sides (scripts may be NULL) and runs the handshake until one
 * side fails or both are established. Returns 0 when both established. */
static inline int mock_pair_run(mock_pair *p, const scpauth_mock_script *cs, unsigned cflags,
                                const scpauth_mock_script *ss, unsigned sflags)
{
    memset(p, 0, sizeof(*p));
    if (scpauth_mock_creds_new(SCPAUTH_ROLE_CLIENT, cs, &p->ccreds, NULL) != SCPAUTH_OK ||
        scpauth_mock_creds_new(SCPAUTH_ROLE_SERVICE, ss, &p->screds, NULL) != SCPAUTH_OK)
        return -1;
    p->client_rc = scpauth_ctx_new(p->ccreds, TEST_SPN, cflags, &p->client, &p->cerr);
    if (p->client_rc != SCPAUTH_OK)
        return -1;
    p->service_rc = scpauth_ctx_new(p->screds, NULL, sflags, &p->service, &p->serr);
    if (p->service_rc != SCPAUTH_OK)
        return -1;
    scpauth_buffer tok = SCPAUTH_BUFFER_INIT, reply = SCPAUTH_BUFFER_INIT;
    p->client_rc = scpauth_ctx_step(p->client, NULL, 0, &tok, &p->cerr);
    for (int guard = 0; guard < 16; guard++) {
        if (p->client_rc < 0)
            break;
        if (tok.len == 0)
            break;
        p->service_rc = scpauth_ctx_step(p->service, tok.data, tok.len, &reply, &p->serr);
        scpauth_buffer_free(&tok);
        if (p->service_rc < 0 || reply.len == 0)
            break;
        if (p->client_rc == SCPAUTH_OK) {
            p->client_sent_after_fail = 1; /* client done but service answered */
            break;
        }
        p->client_rc = scpauth_ctx_step(p->client, reply.data, reply.len, &tok, &p->cerr);
        scpauth_buffer_free(&reply);
    }
    scpauth_buffer_free(&tok);
    scpauth_buffer_free(&reply);
    return (scpauth_ctx_is_established(p->client) && scpauth_ctx_is_established(p->service)) ? 0 : -1;
}

static inline void mock_pair_free(mock_pair *p)
{
    scpauth_ctx_free(p->client);
    scpauth_ctx_free(p->service);
    scpauth_creds_free(p->ccreds);
    scpauth_creds_free(p->screds);
    memset(p, 0, sizeof(*p));
}

#endif
