/* sspi_shim_mit.h - switches of the secur32-over-MIT shim (native test). */
#ifndef SCPAUTH_TEST_SSPI_SHIM_MIT_H
#define SCPAUTH_TEST_SSPI_SHIM_MIT_H

#include <windows.h>

/* 0: EncryptMessage/DecryptMessage as Windows; 1: as Wine 8. */
extern int shim_wine_mode;
/* 1: EncryptMessage makes an integrity-only token even when asked to encrypt. */
extern int shim_downgrade;

#endif
