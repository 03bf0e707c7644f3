/* scpauth.h - Kerberos mutual authentication for Active Directory services,
 * one API over MIT GSSAPI + OpenLDAP (Unix) and SSPI + ADSI (Windows).
 * Include this header; it pulls in every concern's header. */
#ifndef SCPAUTH_H
#define SCPAUTH_H

#include "scpauth/common.h"
#include "scpauth/error.h"
#include "scpauth/auth.h"
#include "scpauth/wire.h"
#include "scpauth/net.h"
#include "scpauth/session.h"
#include "scpauth/server.h"
#include "scpauth/spn.h"
#include "scpauth/scp.h"
#include "scpauth/dir.h"
#include "scpauth/doctor.h"

#endif
