/* cli_thread.c - threads, the client gate and the output lock on POSIX
 * (pthreads) and Windows (CreateThread, SRWLOCK, CONDITION_VARIABLE): the
 * tool's one place for threading differences. */
#include <stdlib.h>

#ifdef _WIN32
#include <windows.h>
typedef SRWLOCK cli_mutex;
typedef CONDITION_VARIABLE cli_cond;
#define CLI_MUTEX_INIT SRWLOCK_INIT
#define CLI_COND_INIT CONDITION_VARIABLE_INIT
#define mutex_lock(m) AcquireSRWLockExclusive(m)
#define mutex_unlock(m) ReleaseSRWLockExclusive(m)
#define cond_wait(c, m) SleepConditionVariableSRW((c), (m), INFINITE, 0)
#define cond_broadcast(c) WakeAllConditionVariable(c)
#else
#include <pthread.h>
typedef pthread_mutex_t cli_mutex;
typedef pthread_cond_t cli_cond;
#define CLI_MUTEX_INIT PTHREAD_MUTEX_INITIALIZER
#define CLI_COND_INIT PTHREAD_COND_INITIALIZER
#define mutex_lock(m) pthread_mutex_lock(m)
#define mutex_unlock(m) pthread_mutex_unlock(m)
#define cond_wait(c, m) pthread_cond_wait((c), (m))
#define cond_broadcast(c) pthread_cond_broadcast(c)
#endif

#include "cli_thread.h"

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

int cli_thread_spawn(void (*fn)(void *), void *arg)
{
    struct start *s = malloc(sizeof(*s));
    if (s == NULL)
        return -1;
    s->fn = fn;
    s->arg = arg;
#ifdef _WIN32
    HANDLE h = CreateThread(NULL, 0, trampoline, s, 0, NULL);
    if (h == NULL) {
        free(s);
        return -1;
    }
    CloseHandle(h);
#else
    pthread_t t;
    pthread_attr_t attr;
    int rc = pthread_attr_init(&attr);
    if (rc == 0) {
        pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
        rc = pthread_create(&t, &attr, trampoline, s);
        pthread_attr_destroy(&attr);
    }
    if (rc != 0) {
        free(s);
        return -1;
    }
#endif
    return 0;
}

static cli_mutex gate_lock = CLI_MUTEX_INIT;
static cli_cond gate_cond = CLI_COND_INIT;
static unsigned gate_max = 1, gate_held;

void cli_gate_init(unsigned max)
{
    mutex_lock(&gate_lock);
    gate_max = max > 0 ? max : 1;
    gate_held = 0;
    mutex_unlock(&gate_lock);
}

void cli_gate_enter(void)
{
    mutex_lock(&gate_lock);
    while (gate_held >= gate_max)
        cond_wait(&gate_cond, &gate_lock);
    gate_held++;
    mutex_unlock(&gate_lock);
}

void cli_gate_leave(void)
{
    mutex_lock(&gate_lock);
    if (gate_held > 0)
        gate_held--;
    cond_broadcast(&gate_cond);
    mutex_unlock(&gate_lock);
}

void cli_gate_wait_idle(void)
{
    mutex_lock(&gate_lock);
    while (gate_held > 0)
        cond_wait(&gate_cond, &gate_lock);
    mutex_unlock(&gate_lock);
}

static cli_mutex out_lock = CLI_MUTEX_INIT;

void cli_out_lock(void)
{
    mutex_lock(&out_lock);
}

void cli_out_unlock(void)
{
    mutex_unlock(&out_lock);
}
