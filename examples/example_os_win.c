/* example_os_win.c - the example service's platform tasks on Windows:
 * directories, its own path, and a demand-start service in the Service
 * Control Manager (CreateServiceW / DeleteService). */
#include <windows.h>
#include <direct.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "example_os.h"

#define WIDE_MAX 2048

int example_os_unit_needs_dir(void)
{
    return 0;
}

int example_os_mkdir(const char *path, scpauth_error *err)
{
    if (_mkdir(path) == 0 || errno == EEXIST)
        return SCPAUTH_OK;
    return example_error(err, SCPAUTH_EIO, "cannot create directory %s: %s", path,
                         strerror(errno));
}

int example_os_self(const char *argv0, char *buf, size_t size, scpauth_error *err)
{
    wchar_t w[MAX_PATH];
    DWORD n = GetModuleFileNameW(NULL, w, MAX_PATH);
    if (n == 0 || n == MAX_PATH ||
        WideCharToMultiByte(CP_UTF8, 0, w, -1, buf, (int)size, NULL, NULL) == 0)
        return example_error(err, SCPAUTH_EIO, "cannot find the path of %s (error %lu)", argv0,
                             (unsigned long)GetLastError());
    return SCPAUTH_OK;
}

static int widen(const char *s, wchar_t *w)
{
    return MultiByteToWideChar(CP_UTF8, 0, s, -1, w, WIDE_MAX) > 0;
}

/* A Win32 error as the library's code: access problems apart. */
static int win_error(scpauth_error *err, const char *what, const char *name)
{
    DWORD e = GetLastError();
    return example_error(err, e == ERROR_ACCESS_DENIED ? SCPAUTH_EDIRACCESS : SCPAUTH_EIO,
                         "cannot %s service %s in the Service Control Manager (error %lu)", what,
                         name, (unsigned long)e);
}

int example_os_service_install(const example_unit *u, char *where, size_t size, int *changed,
                               scpauth_error *err)
{
    static wchar_t name[WIDE_MAX], display[WIDE_MAX], cmd[WIDE_MAX];
    static char line[WIDE_MAX];
    static const char *args[EXAMPLE_RUN_ARGS_MAX + 1];
    *changed = 0;
    snprintf(where, size, "%s", u->name);
    if (u->argc > EXAMPLE_RUN_ARGS_MAX)
        return example_error(err, SCPAUTH_EINVAL, "service %s: too many arguments", u->name);
    args[0] = "run";
    memcpy(args + 1, u->argv, u->argc * sizeof(*u->argv));
    if (!example_cmdline(u->program, args, u->argc + 1, line, sizeof(line)))
        return example_error(err, SCPAUTH_EINVAL,
                             "service %s: the command line of %s is too long, or its path "
                             "holds a '\"'",
                             u->name, u->program);
    if (!widen(u->name, name) || !widen(u->description, display) || !widen(line, cmd))
        return example_error(err, SCPAUTH_EINVAL, "service %s: names too long", u->name);
    SC_HANDLE scm = OpenSCManagerW(NULL, NULL, SC_MANAGER_CREATE_SERVICE);
    if (scm == NULL)
        return win_error(err, "register", u->name);
    SC_HANDLE svc = CreateServiceW(scm, name, display, SERVICE_ALL_ACCESS,
                                   SERVICE_WIN32_OWN_PROCESS, SERVICE_DEMAND_START,
                                   SERVICE_ERROR_NORMAL, cmd, NULL, NULL, NULL, NULL, NULL);
    int rc = SCPAUTH_OK;
    if (svc != NULL)
        *changed = 1;
    else if (GetLastError() != ERROR_SERVICE_EXISTS)
        rc = win_error(err, "register", u->name);
    if (svc != NULL)
        CloseServiceHandle(svc);
    CloseServiceHandle(scm);
    return rc;
}

int example_os_service_remove(const char *where, scpauth_error *err)
{
    static wchar_t name[WIDE_MAX];
    if (!widen(where, name))
        return example_error(err, SCPAUTH_EINVAL, "service name too long: %s", where);
    SC_HANDLE scm = OpenSCManagerW(NULL, NULL, SC_MANAGER_CONNECT);
    if (scm == NULL)
        return win_error(err, "remove", where);
    SC_HANDLE svc = OpenServiceW(scm, name, DELETE);
    int rc = SCPAUTH_OK;
    if (svc == NULL && GetLastError() != ERROR_SERVICE_DOES_NOT_EXIST)
        rc = win_error(err, "remove", where);
    if (svc != NULL && !DeleteService(svc) && GetLastError() != ERROR_SERVICE_MARKED_FOR_DELETE)
        rc = win_error(err, "remove", where);
    if (svc != NULL)
        CloseServiceHandle(svc);
    CloseServiceHandle(scm);
    return rc;
}

/* ---- running under the Service Control Manager -----------------------------
 * As Microsoft documents for a service's ServiceMain: START_PENDING with a
 * growing dwCheckPoint and a wait hint until the service serves, then
 * RUNNING; on stop or shutdown STOP_PENDING with growing checkpoints while
 * the loop winds down, then STOPPED. The caller hands over a socket that
 * already listens: the service is ready once its loop thread runs. */

#define PENDING_HINT_MS 3000 /* the SCM waits this long for the next checkpoint */
#define PENDING_TICK_MS 1000 /* how often a pending state reports progress */

static struct {
    int (*body)(void *);
    void (*stop)(void *);
    void *arg;
    int rc;
    SERVICE_STATUS_HANDLE handle;
    SERVICE_STATUS status;
    CRITICAL_SECTION lock;  /* status: service_main's thread and the handler */
    volatile LONG stopping; /* a stop or shutdown was asked for */
    HANDLE started;         /* set by the loop thread before it serves */
} svc;

/* Reports a state; a pending state gets the next checkpoint and a hint. */
static void report_status(DWORD state, DWORD exit_code)
{
    EnterCriticalSection(&svc.lock);
    int pending = state == SERVICE_START_PENDING || state == SERVICE_STOP_PENDING;
    /* Once stopping, a late START_PENDING / RUNNING from the other thread
     * must not undo it. */
    if (!(svc.status.dwCurrentState == SERVICE_STOP_PENDING && state != SERVICE_STOP_PENDING &&
          state != SERVICE_STOPPED)) {
        svc.status.dwServiceType = SERVICE_WIN32_OWN_PROCESS;
        svc.status.dwCheckPoint =
            pending && svc.status.dwCurrentState == state ? svc.status.dwCheckPoint + 1
                                                          : (pending ? 1 : 0);
        svc.status.dwCurrentState = state;
        svc.status.dwControlsAccepted =
            state == SERVICE_RUNNING ? SERVICE_ACCEPT_STOP | SERVICE_ACCEPT_SHUTDOWN : 0;
        svc.status.dwWin32ExitCode = exit_code ? ERROR_SERVICE_SPECIFIC_ERROR : NO_ERROR;
        svc.status.dwServiceSpecificExitCode = exit_code;
        svc.status.dwWaitHint = pending ? PENDING_HINT_MS : 0;
        SetServiceStatus(svc.handle, &svc.status);
    }
    LeaveCriticalSection(&svc.lock);
}

static DWORD WINAPI control(DWORD code, DWORD type, LPVOID data, LPVOID ctx)
{
    (void)type, (void)data, (void)ctx;
    if (code != SERVICE_CONTROL_STOP && code != SERVICE_CONTROL_SHUTDOWN)
        return code == SERVICE_CONTROL_INTERROGATE ? NO_ERROR : ERROR_CALL_NOT_IMPLEMENTED;
    /* Return at once: service_main reports the progress of the stop. */
    if (InterlockedExchange(&svc.stopping, 1) == 0) {
        report_status(SERVICE_STOP_PENDING, 0);
        svc.stop(svc.arg); /* the accept loop notices within 100 ms */
    }
    return NO_ERROR;
}

static DWORD WINAPI loop_thread(LPVOID unused)
{
    (void)unused;
    SetEvent(svc.started);
    svc.rc = svc.body(svc.arg);
    return 0;
}

static void WINAPI service_main(DWORD argc, LPWSTR *argv)
{
    (void)argc, (void)argv; /* the command line already configured us */
    svc.handle = RegisterServiceCtrlHandlerExW(L"", control, NULL);
    if (svc.handle == NULL)
        return;
    report_status(SERVICE_START_PENDING, 0);
    svc.started = CreateEventW(NULL, TRUE, FALSE, NULL);
    HANDLE loop = svc.started ? CreateThread(NULL, 0, loop_thread, NULL, 0, NULL) : NULL;
    if (loop == NULL) {
        svc.rc = SCPAUTH_EIO;
        if (svc.started)
            CloseHandle(svc.started);
        report_status(SERVICE_STOPPED, (DWORD)SCPAUTH_EIO);
        return;
    }
    HANDLE both[2] = {svc.started, loop};
    while (WaitForMultipleObjects(2, both, FALSE, PENDING_TICK_MS) == WAIT_TIMEOUT)
        report_status(SERVICE_START_PENDING, 0);
    if (!svc.stopping)
        report_status(SERVICE_RUNNING, 0);
    while (WaitForSingleObject(loop, PENDING_TICK_MS) == WAIT_TIMEOUT)
        if (svc.stopping)
            report_status(SERVICE_STOP_PENDING, 0);
    CloseHandle(loop);
    CloseHandle(svc.started);
    report_status(SERVICE_STOPPED, svc.rc < 0 ? (DWORD)-svc.rc : 0);
}

static void on_signal(int sig)
{
    (void)sig;
    svc.stop(svc.arg);
}

int example_os_run_service(const char *name, int (*body)(void *), void (*stop)(void *),
                           void *arg)
{
    static wchar_t wname[WIDE_MAX];
    svc.body = body;
    svc.stop = stop;
    svc.arg = arg;
    InitializeCriticalSection(&svc.lock);
    if (!widen(name, wname))
        wname[0] = L'\0';
    SERVICE_TABLE_ENTRYW table[] = {{wname, service_main}, {NULL, NULL}};
    if (StartServiceCtrlDispatcherW(table))
        return svc.rc;
    if (GetLastError() != ERROR_FAILED_SERVICE_CONTROLLER_CONNECT)
        return SCPAUTH_EIO;
    /* started from a console, not by the SCM: run in the foreground */
    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);
    return body(arg);
}
