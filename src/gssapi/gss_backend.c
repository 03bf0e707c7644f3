/* gss_backend.c - the MIT krb5 GSSAPI backend's table of operations. */
#include "gss_internal.h"

/* Largest handshake token: an AP-REQ carries the ticket and its PAC, which
 * grows with the user's group memberships. Windows' Kerberos package says
 * 48000 (cbMaxToken) and lets admins raise MaxTokenSize up to 65535 for
 * users in very many groups; accept that much. */
#define GSS_MAX_TOKEN 65535

const struct scpauth_auth_backend scpauth__backend_gssapi = {
    .name = "gssapi",
    .max_token = GSS_MAX_TOKEN,
    .creds_acquire = scpauth__gss_creds_acquire,
    .creds_free = scpauth__gss_creds_free,
    .creds_name = scpauth__gss_creds_name,
    .ctx_new = scpauth__gss_ctx_new,
    .ctx_step = scpauth__gss_ctx_step,
    .ctx_status = scpauth__gss_ctx_status,
    .ctx_facts = scpauth__gss_ctx_facts,
    .ctx_free = scpauth__gss_ctx_free,
    .sign = scpauth__gss_sign,
    .verify = scpauth__gss_verify,
    .seal = scpauth__gss_seal,
    .unseal = scpauth__gss_unseal,
    .mic_size = scpauth__gss_mic_size,
    .seal_overhead = scpauth__gss_seal_overhead,
    .ctx_export = scpauth__gss_ctx_export,
    .ctx_import = scpauth__gss_ctx_import,
};
