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
    char line[WIDE_MAX];
    *changed = 0;
    snprintf(where, size, "%s", u->name);
    if ((size_t)snprintf(line, sizeof(line), "\"%s\" run %s", u->program, u->args) >=
            sizeof(line) ||
        !widen(u->name, name) || !widen(u->description, display) || !widen(line, cmd))
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

/* ---- running under the Service Control Manager ----------------------------- */

static struct {
    int (*body)(void *);
    void (*stop)(void *);
    void *arg;
    int rc;
    SERVICE_STATUS_HANDLE handle;
    SERVICE_STATUS status;
} svc;

static void report_status(DWORD state, DWORD exit_code)
{
    svc.status.dwServiceType = SERVICE_WIN32_OWN_PROCESS;
    svc.status.dwCurrentState = state;
    svc.status.dwControlsAccepted =
        state == SERVICE_RUNNING ? SERVICE_ACCEPT_STOP | SERVICE_ACCEPT_SHUTDOWN : 0;
    svc.status.dwWin32ExitCode = exit_code ? ERROR_SERVICE_SPECIFIC_ERROR : NO_ERROR;
    svc.status.dwServiceSpecificExitCode = exit_code;
    svc.status.dwWaitHint = state == SERVICE_STOP_PENDING ? 2000 : 0;
    SetServiceStatus(svc.handle, &svc.status);
}

static DWORD WINAPI control(DWORD code, DWORD type, LPVOID data, LPVOID ctx)
{
    (void)type, (void)data, (void)ctx;
    if (code != SERVICE_CONTROL_STOP && code != SERVICE_CONTROL_SHUTDOWN)
        return code == SERVICE_CONTROL_INTERROGATE ? NO_ERROR : ERROR_CALL_NOT_IMPLEMENTED;
    report_status(SERVICE_STOP_PENDING, 0);
    svc.stop(svc.arg); /* the accept loop notices within 100 ms */
    return NO_ERROR;
}

static void WINAPI service_main(DWORD argc, LPWSTR *argv)
{
    (void)argc, (void)argv; /* the command line already configured us */
    svc.handle = RegisterServiceCtrlHandlerExW(L"", control, NULL);
    if (svc.handle == NULL)
        return;
    report_status(SERVICE_RUNNING, 0);
    svc.rc = svc.body(svc.arg);
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
