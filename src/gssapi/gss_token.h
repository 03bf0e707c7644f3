/* gss_token.h - what mechanism a client's first handshake token speaks.
 *
 * MIT reports the Kerberos mechanism both for raw Kerberos and for SPNEGO
 * that negotiated Kerberos, so the acceptor looks at the first token itself.
 * It also names NTLM (raw NTLMSSP, GSS-framed or offered inside SPNEGO) so
 * that it can be refused with a clear error. Pure byte inspection with bounds
 * checks: safe on any input (a fuzz target covers it). */
#ifndef SCPAUTH_GSS_TOKEN_H
#define SCPAUTH_GSS_TOKEN_H

#include <stddef.h>

#include "scpauth/auth.h"

typedef enum scpauth__gss_token_kind {
    SCPAUTH__TOKEN_UNKNOWN = 0, /* not a recognisable initial token */
    SCPAUTH__TOKEN_KRB5,        /* RFC 1964/4121 initial token (krb5 or MS krb5 OID) */
    SCPAUTH__TOKEN_SPNEGO,      /* RFC 4178 NegTokenInit */
    SCPAUTH__TOKEN_NTLM,        /* raw NTLMSSP, or GSS-framed with the NTLM OID */
    SCPAUTH__TOKEN_OTHER        /* GSS-framed with another mechanism OID */
} scpauth__gss_token_kind;

/* Mechanisms a SPNEGO NegTokenInit offers (bit set). */
#define SCPAUTH__OFFER_KRB5 0x1u  /* krb5, MS krb5 or the old krb5 OID */
#define SCPAUTH__OFFER_NTLM 0x2u
#define SCPAUTH__OFFER_OTHER 0x4u /* NegoEx, IAKERB, anything else */

typedef struct scpauth__gss_token_info {
    scpauth__gss_token_kind kind;
    /* SPNEGO only: the mechTypes list, and whether it could be read (a
     * truncated or odd NegTokenInit leaves offers_known 0; GSS decides). */
    int offers_known;
    unsigned offers;
    scpauth_mech first_offer; /* the optimistic (preferred) mechanism */
} scpauth__gss_token_info;

/* Classifies a client's first token; never reads outside tok[0..len). */
void scpauth__gss_token_sniff(const void *tok, size_t len, scpauth__gss_token_info *info);

/* The scpauth mechanism for a DER OID body (no tag/length): the krb5 OIDs
 * (standard, MS, old) -> SCPAUTH_MECH_KRB5, NTLM -> SCPAUTH_MECH_NTLM,
 * anything else (SPNEGO included) or NULL -> SCPAUTH_MECH_OTHER. */
scpauth_mech scpauth__gss_mech_from_oid(const void *oid, size_t len);

/* 1 if the DER OID body is SPNEGO (1.3.6.1.5.5.2). */
int scpauth__gss_oid_is_spnego(const void *oid, size_t len);

#endif
