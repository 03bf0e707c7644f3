/* example_os.h - the example service's few platform tasks, one file per
 * platform (example_os_posix.c, example_os_win.c; meson picks one): so that
 * service.c and client.c hold no platform #ifdef. */
#ifndef SCPAUTH_EXAMPLE_OS_H
#define SCPAUTH_EXAMPLE_OS_H

#include <stddef.h>
#include <scpauth.h>

/* The most arguments `run` is given in example_unit.argv. */
#define EXAMPLE_RUN_ARGS_MAX 12

/* How the service registers with the system's service manager. */
typedef struct example_unit {
    const char *name;        /* "scpauth-example-4455" */
    const char *description;
    const char *program;     /* absolute path of the service binary */
    const char *unit_dir;    /* POSIX: where to write NAME.service */
    const char *template_path; /* POSIX: the unit template (@...@ placeholders) */
    const char *const *argv; /* its arguments for `run`, one by one, unquoted */
    size_t argc;
} example_unit;

/* The Windows command line of program and argv (argc of them): the
 * program in double quotes, each argument quoted so that the C runtime's
 * parser gives it back unchanged. 1 on success; 0 when it does not fit in
 * buf (size) or program holds a '"'. */
int example_cmdline(const char *program, const char *const *argv, size_t argc, char *buf,
                    size_t size);

/* 1 when registering writes a file into a unit directory (systemd), 0 when
 * the service manager keeps the registration itself (Windows SCM). */
int example_os_unit_needs_dir(void);

/* Creates directory path unless it exists. Errors: EIO naming it. */
int example_os_mkdir(const char *path, scpauth_error *err);

/* Replaces file NAME in directory DIR with data (len bytes) at once: a new
 * file (POSIX mode, e.g. 0644) created exclusively under a random name in
 * DIR, written, synced, then renamed over NAME. A symbolic link at NAME is
 * replaced, never written through. Errors: EIO naming the file. */
int example_os_file_replace(const char *dir, const char *name, const char *data, size_t len,
                            unsigned mode, scpauth_error *err);

/* Reads file NAME in DIR into buf (NUL-terminated, *len bytes) only when
 * nobody but an administrator or this user can have written it. POSIX:
 * DIR owned by root or the effective user, not writable by group or others
 * unless sticky; NAME a regular file with one link, not a symbolic link,
 * owned by root or the effective user, not writable by group or others.
 * Windows: not a reparse point, one link (the directory's ACL decides who
 * writes). Errors: ENOTFOUND (no such file or directory), EINVAL naming
 * the file or directory and what is wrong with it (also: over cap-1
 * bytes), EIO. */
int example_os_file_read(const char *dir, const char *name, char *buf, size_t cap, size_t *len,
                         scpauth_error *err);

/* Absolute path of the running program (argv0 helps on POSIX). */
int example_os_self(const char *argv0, char *buf, size_t size, scpauth_error *err);

/* Registers the service: a systemd unit NAME.service written into unit_dir
 * from the template (not enabled, not started) on Linux, each argument of
 * ExecStart= quoted for systemd (a control character in any value, or '$'
 * or '%' in the program path, is refused: EINVAL naming it); a demand-start
 * service in the Service Control Manager on Windows. Idempotent: an
 * identical registration is left alone (*changed 0). where gets the unit
 * file's path or the SCM service name. Errors: EIO, EDIRACCESS, EINVAL. */
int example_os_service_install(const example_unit *u, char *where, size_t size, int *changed,
                               scpauth_error *err);

/* Removes what example_os_service_install registered (where: its path or
 * name). A registration already gone is SCPAUTH_OK. */
int example_os_service_remove(const char *where, scpauth_error *err);

/* Runs body(arg) as the process's service and returns its status. Under
 * the Windows Service Control Manager: through its dispatcher, reporting
 * running/stopped, a stop or shutdown request calling stop(arg). Otherwise
 * (POSIX, or a console on Windows): body directly, with SIGINT and SIGTERM
 * calling stop(arg) (which must be async-signal-safe). */
int example_os_run_service(const char *name, int (*body)(void *), void (*stop)(void *),
                           void *arg);

/* Sets err (code, printf message) and returns code: the examples' own
 * errors, in the library's error record. */
int example_error(scpauth_error *err, int code, const char *fmt, ...) SCPAUTH_PRINTF(3, 4);

/* The first control character in s (what would end a line of the state
 * file or the unit and forge another), or NULL. */
const char *example_control_char(const char *s);

#endif
