/* adsi_internal.h - the Windows directory backend: ntdsapi (DsBindWithSpnExW,
 * DsWriteAccountSpnW, DsCrackNamesW) for SPN writes and names, wldap32 for
 * searches, dnsapi for SRV lookups (private to src/adsi/). */
#ifndef SCPAUTH_ADSI_INTERNAL_H
#define SCPAUTH_ADSI_INTERNAL_H

#ifndef SECURITY_WIN32
#  define SECURITY_WIN32
#endif
#include <winsock2.h>
#include <windows.h>
#include <winldap.h>
#include <winber.h>

#include "dir_internal.h"

#define SCPAUTH__ADSI_PAGE_SIZE 500
#define SCPAUTH__ADSI_PAGES_MAX 200
/* winerror.h of mingw-w64 lacks it: the DC's answer to a duplicate SPN */
#define SCPAUTH__ERROR_DS_SPN_VALUE_NOT_UNIQUE_IN_FOREST 8647L

/* One connection: an ntdsapi handle for writes and name cracking, and a
 * wldap32 session (signed and sealed) for searches. */
typedef struct scpauth__adsi_conn {
    HANDLE hds;
    LDAP *ld;
    char host[SCPAUTH_DIR_HOST_MAX];
    unsigned port;
} scpauth__adsi_conn;

/* ---- text (adsi_text.c) -------------------------------------------------- */

/* UTF-8 -> new UTF-16 string (free with free()); NULL on failure with err
 * set (EINVAL for invalid UTF-8, ENOMEM). */
wchar_t *scpauth__adsi_wide(const char *utf8, scpauth_error *err);

/* UTF-16 -> new UTF-8 string (free with free()); NULL on failure. *len
 * (may be NULL) receives its length. */
char *scpauth__adsi_utf8(const wchar_t *wide, size_t *len);

/* An array of n new UTF-16 strings, NULL-terminated; NULL on failure. */
wchar_t **scpauth__adsi_wide_array(const char *const *utf8, size_t n, scpauth_error *err);
void scpauth__adsi_wide_array_free(wchar_t **a);

/* ---- errors (adsi_error.c) ----------------------------------------------- */

/* Sets err for a Win32 / ntdsapi status: the mapped code, "<object>: <system
 * text> (error N)", the native status. Returns the code. */
int scpauth__adsi_fail_win32(scpauth_error *err, DWORD status, const char *fmt, ...)
    SCPAUTH_PRINTF(3, 4);

/* Same for a wldap32 result code, with the server's diagnostic if any. */
int scpauth__adsi_fail_ldap(scpauth_error *err, LDAP *ld, ULONG rc, const char *fmt, ...)
    SCPAUTH_PRINTF(4, 5);

/* ---- the backend's operations -------------------------------------------- */

double scpauth__adsi_now_ms(void);
int scpauth__adsi_creds_acquire(const scpauth_dir_options *opts, void **bcreds,
                                char *principal, size_t size, scpauth_error *err);
void scpauth__adsi_creds_free(void *bcreds);
int scpauth__adsi_srv_lookup(const char *qname, unsigned timeout_ms, scpauth__srv_list *out,
                             scpauth_error *err);
int scpauth__adsi_connect(void *bcreds, const char *host, unsigned port, unsigned timeout_ms,
                          void **bconn, unsigned *ssf, scpauth_error *err);
void scpauth__adsi_disconnect(void *bconn);
int scpauth__adsi_search(void *bconn, unsigned timeout_ms, const scpauth__dir_query *q,
                         scpauth__dir_entries *out, scpauth_error *err);
int scpauth__adsi_spn_write(void *bconn, unsigned timeout_ms, scpauth_dir_spn_op op,
                            const char *dn, const char *const *spns, size_t n,
                            scpauth_error *err);
int scpauth__adsi_crack_name(void *bconn, const char *name, char *dn, size_t size,
                             scpauth_error *err);
int scpauth__adsi_entry_add(void *bconn, unsigned timeout_ms, const scpauth_entry *entry,
                            scpauth_error *err);
int scpauth__adsi_entry_replace(void *bconn, unsigned timeout_ms, const char *dn,
                                const scpauth_entry_attr *attrs, size_t n, scpauth_error *err);
int scpauth__adsi_entry_delete(void *bconn, unsigned timeout_ms, const char *dn,
                               scpauth_error *err);

#endif
