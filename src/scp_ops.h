/* scp_ops.h - what the SCP directory operations share (private; portable):
 * reads by GUID or DN, the parent of a DN, and the trust checks. */
#ifndef SCPAUTH_SCP_OPS_H
#define SCPAUTH_SCP_OPS_H

#include "dir_internal.h"
#include "scp_internal.h"

/* Reads the object at base (a DN or "<GUID=...>") on conn with the
 * attributes an SCP parse needs. An absent object leaves es empty. */
int scpauth__scp_read_entry(scpauth_dir *dir, void *conn, const char *base,
                            scpauth__dir_entries *es, scpauth_error *err);

/* The parent of dn (everything after its first unescaped ','), copied into
 * out (size bytes). Errors: EINVAL (dn has a single RDN, or does not fit). */
int scpauth__dn_parent(const char *dn, char *out, size_t size, scpauth_error *err);

/* Locate's trust checks on one parsed SCP (see scpauth_scp_locate): fills
 * loc->spn, host_dn, owner_dn, owner_sam. expect_dn: the DN the SPN's owner
 * must have, or NULL; expect_name: how the caller named it (messages).
 * Errors: ESCPUNTRUSTED naming the DN, the SPN and the accounts; the
 * directory errors. */
int scpauth__scp_trust_check(scpauth_dir *dir, const scpauth_scp *scp, int spn_without_port,
                             const char *expect_dn, const char *expect_name,
                             scpauth_scp_located *loc, scpauth_error *err);

/* The SPN a client composes from scp: class/dns_name[:port]. */
int scpauth__scp_client_spn(const scpauth_scp *scp, int without_port, char *spn, size_t size,
                            scpauth_error *err);

#endif
