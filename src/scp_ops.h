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

/* Locate's trust checks (see scpauth_scp_locate), in three steps so that a
 * batch of SCPs costs one search. prepare, before any search: composes
 * loc->spn from loc->scp and sets loc->host_dn to the SCP's parent; an
 * SRV-type serviceDNSName is refused (ESCPUNTRUSTED). */
int scpauth__scp_trust_prepare(int spn_without_port, scpauth_scp_located *loc,
                               scpauth_error *err);

/* One search on gc (the whole forest) for the parents and the SPN owners
 * of the prepared locs[0..n), appended to es. Errors: the directory's. */
int scpauth__scp_trust_fetch(scpauth_dir *dir, void *gc, scpauth_scp_located *const *locs,
                             size_t n, scpauth__dir_entries *es, scpauth_error *err);

/* Checks a prepared loc against what fetch returned: its parent is a
 * computer whose dNSHostName is the SCP's host, and exactly one account owns
 * loc->spn (the one at expect_dn when not NULL; expect_name: how the caller
 * named it, for messages); fills owner_dn and owner_sam. Errors:
 * ESCPUNTRUSTED naming the DN, the SPN and the accounts. */
int scpauth__scp_trust_match(const scpauth__dir_entries *es, const char *expect_dn,
                             const char *expect_name, scpauth_scp_located *loc,
                             scpauth_error *err);

/* The SPN a client composes from scp: class/dns_name[:port]. */
int scpauth__scp_client_spn(const scpauth_scp *scp, int without_port, char *spn, size_t size,
                            scpauth_error *err);

#endif
