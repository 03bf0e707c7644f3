/* ldap_backend.c - the libldap directory backend's table and clock. */
#include <time.h>

#include "ldap_internal.h"

double scpauth__ldap_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

struct timeval scpauth__ldap_tv(unsigned ms)
{
    struct timeval tv;
    tv.tv_sec = (time_t)(ms / 1000);
    tv.tv_usec = (suseconds_t)((ms % 1000) * 1000);
    return tv;
}

const struct scpauth_dir_backend scpauth__dir_backend_ldap = {
    .name = "ldap",
    .now_ms = scpauth__ldap_now_ms,
    .creds_acquire = scpauth__ldap_creds_acquire,
    .creds_free = scpauth__ldap_creds_free,
    .srv_lookup = scpauth__ldap_srv_lookup,
    .connect = scpauth__ldap_connect,
    .disconnect = scpauth__ldap_disconnect,
    .search = scpauth__ldap_search,
    .spn_write = scpauth__ldap_spn_write,
    .crack_name = NULL,
    .entry_add = scpauth__ldap_entry_add,
    .entry_replace = scpauth__ldap_entry_replace,
    .entry_delete = scpauth__ldap_entry_delete,
};
