/* example_state.h - what `install` remembers for `run` and `uninstall`, in
 * DIR/scpauth-example.state: "key=value" lines (guid, host, port, account,
 * spn (one line each: the SPNs install added), unit).
 *
 * The file steers what a privileged `uninstall` deletes, so it is trusted
 * only as far as it must be: written atomically (never through a link),
 * read only when owned by root or the installing user and writable by its
 * owner alone (example_os_file_read), and even then uninstall removes only
 * what it re-derives from its own arguments (example_state_check): SPNs of
 * its class on its host, a unit of its class, the SCP only if it carries
 * the product's class and keyword. */
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

#define EXAMPLE_STATE_FILE "scpauth-example.state"

/* Reads DIR's state into *st (zeroed first). ENOTFOUND when there is none;
 * EINVAL naming the line for a malformed file, or naming the file or DIR
 * and what is wrong when it cannot be trusted (example_os_file_read). */
int example_state_load(const char *dir, example_state *st, scpauth_error *err);

/* Writes *st to DIR (created if missing), replacing the file at once
 * (example_os_file_replace, mode 0644). EINVAL: a value holds a control
 * character; EIO. */
int example_state_save(const char *dir, const example_state *st, scpauth_error *err);

/* Removes DIR's state file (not DIR). Gone already is SCPAUTH_OK. */
int example_state_remove(const char *dir, scpauth_error *err);

/* What uninstall would remove, derived from its own arguments. */
typedef struct example_instance {
    const char *service_class;
    const char *host;
    const char *account;  /* as given; NULL: not given, the recorded one is used */
    unsigned port;        /* as given; 0: not given */
    int unit_in_dir;      /* 1: the unit is DIR/NAME.service (systemd); 0: NAME (SCM) */
    const char *unit_dir; /* as given; NULL: any directory */
} example_instance;

/* Checks that what uninstall would act on in *st is this instance's: every
 * SPN exactly CLASS/HOST:PORT as scpauth_spn_get composes it (any port: the
 * service may have moved), the unit CLASS-PORT[.service] (in unit_dir if
 * given), account and port equal to those given. EINVAL naming the first
 * value that does not match (err's hint: nothing was removed). */
int example_state_check(const example_state *st, const example_instance *want,
                        scpauth_error *err);

/* Adds spn to st->spns unless present (case-insensitive). */
void example_state_add_spn(example_state *st, const char *spn);

#endif
