/* os_thread.c - threads, a monitor (mutex + condition), a monotonic clock
 * and sleeping: pthreads/clock_gettime on POSIX, Win32 on Windows. The
 * library's one file of threading #ifdefs (see os_thread.h). */
#include <stdlib.h>

#ifdef _WIN32
#include <windows.h>
#else
#include <errno.h>
#include <pthread.h>
#include <time.h>
#include <unistd.h>
#endif

#include "os_thread.h"

struct scpauth__monitor {
#ifdef _WIN32
    SRWLOCK lock;
    CONDITION_VARIABLE cond;
#else
    pthread_mutex_t lock;
    pthread_cond_t cond;
#endif
};

struct start {
    void (*fn)(void *);
    void *arg;
};

#ifdef _WIN32
static DWORD WINAPI trampoline(LPVOID p)
#else
static void *trampoline(void *p)
#endif
{
    struct start s = *(struct start *)p;
    free(p);
    s.fn(s.arg);
    return 0;
}

#ifdef _WIN32

double scpauth__now_ms(void)
{
    LARGE_INTEGER freq, now;
    QueryPerformanceFrequency(&freq);
    QueryPerformanceCounter(&now);
    return (double)now.QuadPart * 1000.0 / (double)freq.QuadPart;
}

/* Runs trampoline(s) on a detached thread; 0 or -1. */
static int start_detached(struct start *s)
{
    HANDLE h = CreateThread(NULL, 0, trampoline, s, 0, NULL);
    if (h == NULL)
        return -1;
    CloseHandle(h);
    return 0;
}

scpauth__monitor *scpauth__monitor_new(void)
{
    scpauth__monitor *m = calloc(1, sizeof(*m));
    if (m != NULL) {
        InitializeSRWLock(&m->lock);
        InitializeConditionVariable(&m->cond);
    }
    return m;
}

void scpauth__monitor_free(scpauth__monitor *m)
{
    free(m); /* SRW locks and condition variables need no teardown */
}

void scpauth__monitor_lock(scpauth__monitor *m) { AcquireSRWLockExclusive(&m->lock); }
void scpauth__monitor_unlock(scpauth__monitor *m) { ReleaseSRWLockExclusive(&m->lock); }
void scpauth__monitor_broadcast(scpauth__monitor *m) { WakeAllConditionVariable(&m->cond); }

void scpauth__monitor_wait(scpauth__monitor *m, int timeout_ms)
{
    SleepConditionVariableSRW(&m->cond, &m->lock, timeout_ms < 0 ? INFINITE : (DWORD)timeout_ms,
                              0);
}

void scpauth__sleep_ms(int ms) { Sleep(ms < 0 ? 0 : (DWORD)ms); }

unsigned scpauth__cpu_count(void)
{
    SYSTEM_INFO si;
    GetSystemInfo(&si);
    return si.dwNumberOfProcessors > 0 ? (unsigned)si.dwNumberOfProcessors : 1u;
}

#else

double scpauth__now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

static int start_detached(struct start *s)
{
    pthread_t t;
    pthread_attr_t attr;
    int rc = pthread_attr_init(&attr);
    if (rc == 0) {
        pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
        rc = pthread_create(&t, &attr, trampoline, s);
        pthread_attr_destroy(&attr);
    }
    return rc == 0 ? 0 : -1;
}

scpauth__monitor *scpauth__monitor_new(void)
{
    scpauth__monitor *m = calloc(1, sizeof(*m));
    if (m == NULL)
        return NULL;
    pthread_condattr_t ca;
    int ok = pthread_mutex_init(&m->lock, NULL) == 0;
    if (ok && pthread_condattr_init(&ca) == 0) {
        /* timed waits on the monotonic clock: immune to clock changes */
        pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
        ok = pthread_cond_init(&m->cond, &ca) == 0;
        pthread_condattr_destroy(&ca);
    } else if (ok) {
        pthread_mutex_destroy(&m->lock);
        ok = 0;
    }
    if (!ok) {
        free(m);
        return NULL;
    }
    return m;
}

void scpauth__monitor_free(scpauth__monitor *m)
{
    if (m == NULL)
        return;
    pthread_cond_destroy(&m->cond);
    pthread_mutex_destroy(&m->lock);
    free(m);
}

void scpauth__monitor_lock(scpauth__monitor *m) { pthread_mutex_lock(&m->lock); }
void scpauth__monitor_unlock(scpauth__monitor *m) { pthread_mutex_unlock(&m->lock); }
void scpauth__monitor_broadcast(scpauth__monitor *m) { pthread_cond_broadcast(&m->cond); }

void scpauth__monitor_wait(scpauth__monitor *m, int timeout_ms)
{
    if (timeout_ms < 0) {
        pthread_cond_wait(&m->cond, &m->lock);
        return;
    }
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    ts.tv_sec += timeout_ms / 1000;
    ts.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
    if (ts.tv_nsec >= 1000000000L) {
        ts.tv_sec++;
        ts.tv_nsec -= 1000000000L;
    }
    (void)pthread_cond_timedwait(&m->cond, &m->lock, &ts);
}

unsigned scpauth__cpu_count(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (unsigned)n : 1u;
}

void scpauth__sleep_ms(int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
}

#endif

int scpauth__thread_spawn(void (*fn)(void *), void *arg)
{
    struct start *s = malloc(sizeof(*s));
    if (s == NULL)
        return -1;
    s->fn = fn;
    s->arg = arg;
    if (start_detached(s) != 0) {
        free(s);
        return -1;
    }
    return 0;
}
