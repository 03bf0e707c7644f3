/* ctx_export.c - export and import of real Kerberos contexts, for
 * test_auth_export.sh. In one process: a client (the default ccache) and a
 * service (the keytab) authenticate to each other through the KDC; each
 * side's context is exported and imported, and the imported pair must keep
 * mutual authentication and the granted flags, and seal/unseal and
 * sign/verify with its peer in both directions. Damaged export blobs must
 * be refused with an error saying what is wrong.
 *
 *   itest_ctx_export SPN KEYTAB
 *
 * Prints "pass: <check>" or "FAIL: <check>: <why>" per check; exits 1 if
 * any failed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scpauth.h"

static int failures;

static void check(int ok, const char *what, const scpauth_error *err)
{
    if (ok) {
        printf("pass: %s\n", what);
        return;
    }
    failures++;
    printf("FAIL: %s: %s %s\n", what, err ? scpauth_err_name(err->code) : "",
           err ? err->message : "");
}

/* Client and service step through the handshake in memory. */
static int handshake(scpauth_ctx *cli, scpauth_ctx *svc, scpauth_error *err)
{
    scpauth_buffer tok = SCPAUTH_BUFFER_INIT, reply = SCPAUTH_BUFFER_INIT;
    int crc = scpauth_ctx_step(cli, NULL, 0, &tok, err), src = SCPAUTH_CONTINUE;
    for (int round = 0; round < 8 && (crc == SCPAUTH_CONTINUE || src == SCPAUTH_CONTINUE);
         round++) {
        if (crc < 0)
            return crc;
        if (tok.len > 0) {
            src = scpauth_ctx_step(svc, tok.data, tok.len, &reply, err);
            if (src < 0)
                break;
        }
        scpauth_buffer_free(&tok);
        if (reply.len > 0)
            crc = scpauth_ctx_step(cli, reply.data, reply.len, &tok, err);
        scpauth_buffer_free(&reply);
    }
    scpauth_buffer_free(&tok);
    if (crc < 0)
        return crc;
    return src < 0 ? src : (crc == SCPAUTH_OK && src == SCPAUTH_OK ? SCPAUTH_OK : SCPAUTH_EAUTH);
}

/* Exports ctx (freed) and imports it again with creds. */
static int move(scpauth_ctx **ctx, scpauth_creds *creds, scpauth_buffer *blob,
                scpauth_error *err)
{
    int rc = scpauth_ctx_export(*ctx, blob, err);
    *ctx = NULL;
    if (rc == SCPAUTH_OK)
        rc = scpauth_ctx_import(creds, blob->data, blob->len, ctx, err);
    return rc;
}

/* One sealed message from -> to and one MIC back, contents compared. */
static int exchange(scpauth_ctx *from, scpauth_ctx *to, const char *text, scpauth_error *err)
{
    scpauth_buffer tok = SCPAUTH_BUFFER_INIT, msg = SCPAUTH_BUFFER_INIT, mic = SCPAUTH_BUFFER_INIT;
    int enc = 0;
    int rc = scpauth_ctx_seal(from, 1, text, strlen(text), &tok, err);
    if (rc == SCPAUTH_OK)
        rc = scpauth_ctx_unseal(to, 1, tok.data, tok.len, &msg, &enc, err);
    if (rc == SCPAUTH_OK && (!enc || msg.len != strlen(text) || memcmp(msg.data, text, msg.len))) {
        snprintf(err->message, sizeof(err->message), "the unsealed message differs");
        rc = err->code = SCPAUTH_EBADSIG;
    }
    if (rc == SCPAUTH_OK)
        rc = scpauth_ctx_sign(to, text, strlen(text), &mic, err);
    if (rc == SCPAUTH_OK)
        rc = scpauth_ctx_verify(from, text, strlen(text), mic.data, mic.len, err);
    scpauth_buffer_free(&tok);
    scpauth_buffer_free(&msg);
    scpauth_buffer_free(&mic);
    return rc;
}

/* A damaged copy of blob must be refused with `code` and a message that
 * contains `says`. */
static void refused(scpauth_creds *creds, const scpauth_buffer *blob, size_t len, size_t flip,
                    int code, const char *says, const char *what)
{
    scpauth_error err;
    scpauth_ctx *ctx = NULL;
    unsigned char *copy = malloc(blob->len);
    if (copy == NULL)
        exit(2);
    memcpy(copy, blob->data, blob->len);
    if (flip < len)
        copy[flip] ^= 0x5a;
    scpauth_error_clear(&err);
    int rc = scpauth_ctx_import(creds, copy, len, &ctx, &err);
    int ok = rc == code && ctx == NULL && strstr(err.message, says) != NULL;
    if (ok)
        printf("# %s: %s: %s\n", what, scpauth_err_name(rc), err.message);
    check(ok, what, &err);
    scpauth_ctx_free(ctx);
    free(copy);
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: itest_ctx_export SPN KEYTAB\n");
        return 2;
    }
    scpauth_error err;
    scpauth_creds *cc = NULL, *sc = NULL;
    scpauth_ctx *cli = NULL, *svc = NULL;
    scpauth_ctx_info before, after;
    scpauth_buffer cblob = SCPAUTH_BUFFER_INIT, sblob = SCPAUTH_BUFFER_INIT;
    scpauth_creds_options co = {.role = SCPAUTH_ROLE_CLIENT};
    scpauth_creds_options so = {.role = SCPAUTH_ROLE_SERVICE, .keytab = argv[2]};

    scpauth_error_clear(&err);
    int rc = scpauth_creds_acquire(&co, &cc, &err);
    if (rc == SCPAUTH_OK)
        rc = scpauth_creds_acquire(&so, &sc, &err);
    if (rc == SCPAUTH_OK)
        rc = scpauth_ctx_new(cc, argv[1], 0, &cli, &err);
    if (rc == SCPAUTH_OK)
        rc = scpauth_ctx_new(sc, NULL, 0, &svc, &err);
    if (rc == SCPAUTH_OK)
        rc = handshake(cli, svc, &err);
    check(rc == SCPAUTH_OK, "client and service authenticated through the KDC", &err);
    if (rc != SCPAUTH_OK)
        return 1;
    check(scpauth_ctx_info_get(cli, &before, &err) == SCPAUTH_OK && before.mutual,
          "the client's context is mutual before export", &err);

    rc = move(&cli, cc, &cblob, &err);
    check(rc == SCPAUTH_OK, "the client's context exported and imported", &err);
    rc = rc == SCPAUTH_OK ? scpauth_ctx_info_get(cli, &after, &err) : rc;
    if (rc == SCPAUTH_OK)
        printf("# before export: flags 0x%x mech %s peer %s; after import: flags 0x%x mech %s "
               "peer %s\n",
               before.granted_flags, before.mech_name, before.peer_name, after.granted_flags,
               after.mech_name, after.peer_name);
    check(rc == SCPAUTH_OK && after.mutual && after.granted_flags == before.granted_flags &&
              after.mech == SCPAUTH_MECH_KRB5 &&
              strncmp(after.peer_name, argv[1], strlen(argv[1])) == 0 &&
              strcmp(after.peer_name, before.peer_name) == 0,
          "the imported client context keeps mutual, the granted flags, krb5 and the SPN",
          &err);
    rc = move(&svc, sc, &sblob, &err);
    check(rc == SCPAUTH_OK, "the service's context exported and imported", &err);
    rc = rc == SCPAUTH_OK ? scpauth_ctx_info_get(svc, &after, &err) : rc;
    check(rc == SCPAUTH_OK && after.mutual && after.mech == SCPAUTH_MECH_KRB5,
          "the imported service context keeps mutual and krb5", &err);
    if (cli == NULL || svc == NULL)
        return 1;

    check(exchange(cli, svc, "client to service, after import", &err) == SCPAUTH_OK,
          "imported client seals, imported service unseals; service signs, client verifies",
          &err);
    check(exchange(svc, cli, "service to client, after import", &err) == SCPAUTH_OK,
          "imported service seals, imported client unseals; client signs, service verifies",
          &err);

    /* Damaged blobs: the scpauth header (11 bytes), the GSSAPI backend's
     * (6), then MIT's interprocess token: 4-byte OID length, the OID, ... */
    const size_t core = 11, gss = core + 6;
    refused(cc, &cblob, cblob.len - 1, (size_t)-1, SCPAUTH_EINVAL, "cannot import",
            "a client blob cut short by one byte is refused");
    refused(cc, &cblob, cblob.len, 0, SCPAUTH_EINVAL, "bad header",
            "a client blob with a damaged scpauth header is refused");
    refused(cc, &cblob, cblob.len, core + 4, SCPAUTH_EINVAL, "unknown role",
            "a client blob naming an unknown role is refused");
    refused(cc, &cblob, cblob.len, gss + 4 + 2, SCPAUTH_EINVAL, "cannot import",
            "a client blob with a damaged mechanism OID is refused");
    refused(cc, &sblob, sblob.len, (size_t)-1, SCPAUTH_EINVAL, "other role",
            "a service blob is refused with client credentials");
    /* both headers rewritten to "service": GSS itself says who initiated */
    unsigned char role_core = cblob.data[5], role_gss = cblob.data[core + 4];
    cblob.data[5] = cblob.data[core + 4] = SCPAUTH_ROLE_SERVICE;
    refused(sc, &cblob, cblob.len, (size_t)-1, SCPAUTH_EINVAL, "initiated here",
            "a client blob relabelled as a service's is refused");
    cblob.data[5] = role_core;
    cblob.data[core + 4] = role_gss;

    scpauth_ctx_free(cli);
    scpauth_ctx_free(svc);
    scpauth_buffer_free(&cblob);
    scpauth_buffer_free(&sblob);
    scpauth_creds_free(cc);
    scpauth_creds_free(sc);
    return failures ? 1 : 0;
}
