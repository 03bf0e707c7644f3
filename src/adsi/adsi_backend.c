/* adsi_backend.c - the Windows directory backend's table and clock. */
#include "adsi_internal.h"

double scpauth__adsi_now_ms(void)
{
    return (double)GetTickCount64();
}

const struct scpauth_dir_backend scpauth__dir_backend_adsi = {
    .name = "adsi",
    .now_ms = scpauth__adsi_now_ms,
    .creds_acquire = scpauth__adsi_creds_acquire,
    .creds_free = scpauth__adsi_creds_free,
    .srv_lookup = scpauth__adsi_srv_lookup,
    .connect = scpauth__adsi_connect,
    .disconnect = scpauth__adsi_disconnect,
    .search = scpauth__adsi_search,
    .spn_write = scpauth__adsi_spn_write,
    .crack_name = scpauth__adsi_crack_name,
    .entry_add = scpauth__adsi_entry_add,
    .entry_replace = scpauth__adsi_entry_replace,
    .entry_delete = scpauth__adsi_entry_delete,
};
