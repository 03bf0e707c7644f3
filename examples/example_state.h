/* example_state.h - what `install` remembers for `run` and `uninstall`, in
 * DIR/scpauth-example.state: "key=value" lines (guid, host, port, account,
 * spn (one line each: the SPNs install added), unit). */
#ifndef SCPAUTH_EXAMPLE_STATE_H
#define SCPAUTH_EXAMPLE_STATE_H

#include <scpauth.h>

#define EXAMPLE_STATE_SPNS 8

typedef struct example_state {
    char guid[SCPAUTH_GUID_STRING_SIZE]; /* the SCP's objectGUID; "" = none */
    char host[SCPAUTH_HOST_NAME_MAX];
    unsigned port;
    char account[256];
    char spns[EXAMPLE_STATE_SPNS][SCPAUTH_SPN_MAX + 1];
    size_t n_spns;
    char unit[1024]; /* unit file path or SCM service name; "" = none */
} example_state;

/* Reads DIR's state into *st (zeroed first). ENOTFOUND when there is none;
 * EINVAL naming the line for a malformed file. */
int example_state_load(const char *dir, example_state *st, scpauth_error *err);

/* Writes *st to DIR (created if missing), replacing the file at once. */
int example_state_save(const char *dir, const example_state *st, scpauth_error *err);

/* Removes DIR's state file (not DIR). Gone already is SCPAUTH_OK. */
int example_state_remove(const char *dir, scpauth_error *err);

/* Adds spn to st->spns unless present (case-insensitive). */
void example_state_add_spn(example_state *st, const char *spn);

#endif
