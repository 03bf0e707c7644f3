/* minimal_client.c - the README's client, whole: default ccache, exact SPN,
 * mutual authentication required, one sealed request and a verified reply.
 * ci/test.sh compiles it against the installed headers and scpauth.pc. */
#include <scpauth.h>
#include <stdio.h>

int main(void)
{
    scpauth_error err;
    scpauth_creds *creds = NULL;
    scpauth_ctx *ctx = NULL;
    scpauth_session *sess = NULL;
    scpauth_socket s = SCPAUTH_INVALID_SOCKET;
    scpauth_buffer reply = SCPAUTH_BUFFER_INIT;
    scpauth_creds_options o = { .role = SCPAUTH_ROLE_CLIENT };      /* default ccache */
    scpauth_wire_options w = { .profile = SCPAUTH_WIRE_SSPI_SAMPLE, .timeout_ms = 5000 };

    if (scpauth_net_init(&err) != SCPAUTH_OK ||
        scpauth_creds_acquire(&o, &creds, &err) != SCPAUTH_OK ||
        scpauth_ctx_new(creds, "myapp/svchost1.example.test:4444", 0, &ctx, &err) != SCPAUTH_OK ||
        scpauth_net_connect("svchost1.example.test", 4444, 5000, &s, &err) != SCPAUTH_OK ||
        scpauth_session_new(s, SCPAUTH_ROLE_CLIENT, ctx, &w, &sess, &err) != SCPAUTH_OK ||
        scpauth_session_handshake(sess, &err) != SCPAUTH_OK ||       /* mutual, Kerberos: checked */
        scpauth_session_request(sess, "hello", 5, &reply, &err) != SCPAUTH_OK) /* sealed; reply MIC-verified */
        fprintf(stderr, "%s\n  hint: %s\n", err.message, err.hint);
    else
        printf("%.*s\n", (int)reply.len, (const char *)reply.data);
    scpauth_buffer_free(&reply);
    scpauth_session_free(sess);
    scpauth_net_close(s);
    scpauth_ctx_free(ctx);
    scpauth_creds_free(creds);
    return 0;
}
