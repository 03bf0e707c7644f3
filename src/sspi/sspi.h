/* sspi/sspi.h - the SSPI (secur32) auth backend's private declarations.
 *
 * The backend uses the "Kerberos" package only (never NTLM, never Negotiate)
 * and the wide-character API (the Windows build defines UNICODE). Helpers
 * named scpauth__sspi_* are pure mappings kept apart so the unit tests can
 * check them under Wine without a KDC. */
#ifndef SCPAUTH_SSPI_H
#define SCPAUTH_SSPI_H

#ifndef SECURITY_WIN32
#  define SECURITY_WIN32
#endif
#include <windows.h>
#include <security.h>
#include <sspi.h>

#include "auth_backend.h"

/* The one package the backend asks for. */
#define SCPAUTH__SSPI_PACKAGE L"Kerberos"
/* Windows' default Kerberos MaxTokenSize since Windows 8 / Server 2012. */
#define SCPAUTH__SSPI_MAX_TOKEN_FALLBACK 48000u

typedef struct scpauth__sspi_creds {
    CredHandle handle;
    scpauth_role role;
    char name[SCPAUTH_NAME_MAX]; /* principal, UTF-8; "" when unknown */
} scpauth__sspi_creds;

/* Which SecBuffer layout the package uses for EncryptMessage /
 * DecryptMessage, learnt per context from its output (see sspi_layout.c
 * for what each one is and how far it is verified). */
typedef enum scpauth__sspi_layout {
    SCPAUTH__SSPI_LAYOUT_UNKNOWN = 0, /* not seen yet */
    SCPAUTH__SSPI_LAYOUT_WINDOWS = 1, /* MS-KILE: TOKEN||DATA||PADDING, STREAM */
    SCPAUTH__SSPI_LAYOUT_WINE = 2     /* Wine 8: DATA||TOKEN both ways */
} scpauth__sspi_layout;

typedef struct scpauth__sspi_ctx {
    scpauth__sspi_creds *creds;
    CtxtHandle handle;
    int have_handle;          /* handle must be deleted */
    int established;
    scpauth_role role;
    wchar_t *target;          /* client: the SPN as given */
    char *spn;                /* client: the same, UTF-8; NULL for a service */
    char subject[SCPAUTH_NAME_MAX + 32]; /* names the context in messages */
    unsigned long req;        /* ISC_REQ_* / ASC_REQ_* asked for */
    unsigned long attrs;      /* ISC_RET_* / ASC_RET_* of the last step */
    int64_t expiry;           /* the last step's TimeStamp (local time) */
    unsigned long max_token;  /* output token buffer size (cbMaxToken) */
    SecPkgContext_Sizes sizes;
    int have_sizes;
    scpauth__sspi_layout layout; /* learnt from the first seal or unseal, then fixed */
    size_t cksum_len;         /* wrap checksum length, learnt from a seal */
} scpauth__sspi_ctx;

/* ---- sspi_map.c: pure mappings ------------------------------------------ */

/* SCPAUTH_FLAG_* -> ISC_REQ_* (client) or ASC_REQ_* (service). */
unsigned long scpauth__sspi_req_flags(scpauth_role role, unsigned flags);
/* ISC_RET_* / ASC_RET_* -> SCPAUTH_FLAG_*, each bit tested with `&`. */
unsigned scpauth__sspi_ret_flags(scpauth_role role, unsigned long attrs);
/* Kerberos etype number -> MIT-style name ("aes256-cts-hmac-sha1-96");
 * NULL if unknown. */
const char *scpauth__sspi_etype_name(long etype);
/* SSPI package name -> mechanism: "Kerberos" KRB5, "NTLM" NTLM, anything
 * else OTHER (a "Negotiate" context is resolved by the caller). */
scpauth_mech scpauth__sspi_mech_of_package(const wchar_t *name);
/* Whether DecryptMessage's QOP says the message was encrypted: any bit of
 * SECQOP_WRAP_NO_ENCRYPT counts as "not encrypted" (fail closed). */
int scpauth__sspi_qop_encrypted(unsigned long qop);
/* A FILETIME-style TimeStamp in UTC (100 ns since 1601) -> Unix seconds;
 * 0 for "never" or out of range. */
int64_t scpauth__sspi_timestamp_to_unix(int64_t ts);

/* ---- sspi_text.c: UTF-8 <-> UTF-16 --------------------------------------- */

/* A fresh NUL-terminated UTF-16 copy of s (free with scpauth__sspi_wfree);
 * sets *nchars to its length in characters (NUL excluded). NULL on invalid
 * UTF-8 or no memory. */
wchar_t *scpauth__sspi_widen(const char *s, size_t *nchars);
/* Wipes (length known from wcslen) and frees a wide string; NULL is fine. */
void scpauth__sspi_wfree(wchar_t *w);
/* Converts w to UTF-8 in buf; 0, or -1 if it does not fit or is invalid
 * (buf is then ""). NULL w gives "". */
int scpauth__sspi_narrow(const wchar_t *w, char *buf, size_t size);
/* Splits "user@REALM" at its last '@' or "DOMAIN\user" at its first '\\'
 * into *user and *domain (wide, in place of w); *domain is NULL when there
 * is none. w is modified. */
void scpauth__sspi_split_principal(wchar_t *w, wchar_t **user, wchar_t **domain);
/* A Unicode identity over the given strings (borrowed, not copied); lengths
 * in characters. The caller wipes the password. */
void scpauth__sspi_identity_fill(SEC_WINNT_AUTH_IDENTITY_W *id, wchar_t *user, wchar_t *domain,
                                 wchar_t *password, size_t password_chars);

/* ---- sspi_status.c: SECURITY_STATUS -> scpauth error --------------------- */

/* Neutral code for a status (EAUTH for unknown errors). */
int scpauth__sspi_status_code(SECURITY_STATUS st);
/* Symbolic name ("SEC_E_TARGET_UNKNOWN"); "unknown status" if not listed. */
const char *scpauth__sspi_status_name(SECURITY_STATUS st);
/* Fills err for a failed call: "<call> for <subject> failed: <name> (0x...):
 * <text>" with the table's hint and the native status; returns the code,
 * which is `code` if not 0, else the table's. */
int scpauth__sspi_fail(scpauth_error *err, SECURITY_STATUS st, int code, const char *call,
                       const char *subject);

/* ---- sspi_layout.c: per-message buffer layouts --------------------------- */

/* TOKEN space offered to EncryptMessage, at least: more than any Kerberos
 * enctype's wrap token adds (AES-SHA1 60, AES-SHA2 at most 72 + EC), which
 * Wine writes whole into TOKEN. */
#define SCPAUTH__SSPI_WINE_TRAILER_MAX 128u

/* Where the plaintext goes in the seal allocation before EncryptMessage:
 * after a TOKEN of max(cbSecurityTrailer, SCPAUTH__SSPI_WINE_TRAILER_MAX). */
size_t scpauth__sspi_seal_data_offset(const SecPkgContext_Sizes *sizes);
/* Bytes scpauth__sspi_seal_buffers() needs for len; 0 on overflow. */
size_t scpauth__sspi_seal_size(size_t len, const SecPkgContext_Sizes *sizes);
/* Lays out a seal of len bytes already copied at base + the data offset over
 * one allocation of scpauth__sspi_seal_size() bytes: b[0] TOKEN, b[1] DATA,
 * b[2] PADDING, TOKEN and PADDING zeroed. One layout for both packages. */
void scpauth__sspi_seal_buffers(unsigned char *base, unsigned long len,
                                const SecPkgContext_Sizes *sizes, SecBuffer b[3]);
/* After EncryptMessage: which layout the package wrote, from the bytes:
 * WINDOWS if TOKEN||DATA||PADDING and WINE if DATA||TOKEN has the shape of
 * an RFC 4121 wrap token of len plaintext bytes, sealed iff encrypt; UNKNOWN
 * if neither or both do, or a buffer moved or grew (refuse the message).
 * When both readings are the same bytes (len 0, no padding) it answers
 * `known` (WINDOWS if UNKNOWN): such a seal says nothing of the layout. */
scpauth__sspi_layout scpauth__sspi_seal_detect(const unsigned char *base,
                                               const SecPkgContext_Sizes *sizes,
                                               unsigned long len, const SecBuffer b[3],
                                               int encrypt, scpauth__sspi_layout known);
/* Packs the message of a seal that scpauth__sspi_seal_detect() accepted,
 * in place at base, in that layout's order; returns its length (0 for
 * UNKNOWN). */
size_t scpauth__sspi_seal_pack(scpauth__sspi_layout layout, unsigned char *base,
                               const SecPkgContext_Sizes *sizes, unsigned long len,
                               const SecBuffer b[3]);
/* Checksum length of an RFC 4121 enctype's wrap token: 12 (AES-SHA1, and
 * any etype not known: AD's only RFC 4121 enctypes), 16 or 24 (RFC 8009). */
size_t scpauth__sspi_cfx_cksum_len(long etype);
/* Bytes a sealed (encrypted) message adds under this layout, for a context
 * whose wrap checksum is cksum_len bytes (WINE); UNKNOWN: the larger. */
size_t scpauth__sspi_seal_overhead_of(scpauth__sspi_layout layout,
                                      const SecPkgContext_Sizes *sizes, size_t cksum_len);
/* Bytes of an RFC 4121 wrap token that are not plaintext, from its header
 * (sealed flag, EC) and the checksum length; 0 if tok is not such a token
 * or is shorter than that. */
size_t scpauth__sspi_wrap_trailer(const unsigned char *tok, size_t len, size_t cksum_len);
/* The checksum length a sealed RFC 4121 token of len bytes carrying
 * plain_len bytes implies; 0 if it is not one or the sizes do not fit. */
size_t scpauth__sspi_wrap_cksum_len(const unsigned char *tok, size_t len, size_t plain_len);
/* Lays out an unseal of the whole token at base: WINDOWS (and UNKNOWN) b[0]
 * STREAM, b[1] DATA (filled by the package); WINE b[0] TOKEN (the trailer),
 * b[1] DATA (the rest, where Wine writes the plaintext). -1 if WINE cannot
 * split tok (not an RFC 4121 wrap token), else 0. */
int scpauth__sspi_unseal_buffers(scpauth__sspi_layout layout, unsigned char *base,
                                 unsigned long len, size_t cksum_len, SecBuffer b[2]);

/* ---- the backend's operations (sspi_creds.c, sspi_ctx.c, ...) ------------ */

int scpauth__sspi_creds_acquire(const scpauth_creds_options *opts, void **bcreds,
                                scpauth_error *err);
void scpauth__sspi_creds_free(void *bcreds);
int scpauth__sspi_creds_name(void *bcreds, char *buf, size_t size, scpauth_error *err);

int scpauth__sspi_ctx_new(void *bcreds, scpauth_role role, const char *target, unsigned flags,
                          void **bctx, scpauth_error *err);
int scpauth__sspi_ctx_step(void *bctx, const void *in, size_t in_len, scpauth_buffer *out,
                           scpauth_error *err);
void scpauth__sspi_ctx_free(void *bctx);
void scpauth__sspi_ctx_status(void *bctx, unsigned *granted_flags, scpauth_mech *mech);
int scpauth__sspi_ctx_facts(void *bctx, scpauth__ctx_facts *facts, scpauth_error *err);

int scpauth__sspi_sign(void *bctx, const void *msg, size_t len, scpauth_buffer *mic,
                       scpauth_error *err);
int scpauth__sspi_verify(void *bctx, const void *msg, size_t len, const void *mic,
                         size_t mic_len, scpauth_error *err);
int scpauth__sspi_seal(void *bctx, int encrypt, const void *msg, size_t len,
                       scpauth_buffer *token, scpauth_error *err);
int scpauth__sspi_unseal(void *bctx, const void *token, size_t len, scpauth_buffer *msg,
                         int *was_encrypted, scpauth_error *err);
int scpauth__sspi_mic_size(void *bctx, size_t *size, scpauth_error *err);
int scpauth__sspi_seal_overhead(void *bctx, size_t msg_len, size_t *overhead,
                                scpauth_error *err);

/* cbMaxToken of the Kerberos package, or SCPAUTH__SSPI_MAX_TOKEN_FALLBACK. */
size_t scpauth__sspi_max_token(void);

#endif
