/* sspi_backend.c - the SSPI backend's table. */
#include "sspi.h"

size_t scpauth__sspi_max_token(void)
{
    PSecPkgInfoW info = NULL;
    size_t max = SCPAUTH__SSPI_MAX_TOKEN_FALLBACK;
    if (QuerySecurityPackageInfoW(SCPAUTH__SSPI_PACKAGE, &info) == SEC_E_OK && info != NULL) {
        if (info->cbMaxToken > 0)
            max = info->cbMaxToken;
        FreeContextBuffer(info);
    }
    return max;
}

const struct scpauth_auth_backend scpauth__backend_sspi = {
    .name = "sspi",
    /* A constant table cannot ask the package; scpauth__sspi_max_token()
     * gives the package's own cbMaxToken. */
    .max_token = SCPAUTH__SSPI_MAX_TOKEN_FALLBACK,
    .creds_acquire = scpauth__sspi_creds_acquire,
    .creds_free = scpauth__sspi_creds_free,
    .creds_name = scpauth__sspi_creds_name,
    .ctx_new = scpauth__sspi_ctx_new,
    .ctx_step = scpauth__sspi_ctx_step,
    .ctx_status = scpauth__sspi_ctx_status,
    .ctx_facts = scpauth__sspi_ctx_facts,
    .ctx_free = scpauth__sspi_ctx_free,
    .sign = scpauth__sspi_sign,
    .verify = scpauth__sspi_verify,
    .seal = scpauth__sspi_seal,
    .unseal = scpauth__sspi_unseal,
    .mic_size = scpauth__sspi_mic_size,
    .seal_overhead = scpauth__sspi_seal_overhead,
    /* SSPI has no export/import of Kerberos contexts: the core answers ENOTSUP. */
    .ctx_export = NULL,
    .ctx_import = NULL,
};
