/* os_thread.h - the little threading and timing the library's server helper
 * and sessions need, the same on POSIX (pthreads) and Windows (Win32
 * threads, SRWLOCK, CONDITION_VARIABLE) (private). Every platform #ifdef of
 * it lives in os_thread.c; the types here are opaque. C11 <threads.h> is
 * missing from mingw-w64, hence this layer. */
#ifndef SCPAUTH_OS_THREAD_H
#define SCPAUTH_OS_THREAD_H

/* Monotonic milliseconds (arbitrary origin), for durations. */
double scpauth__now_ms(void);

/* Starts fn(arg) on a detached thread. 0 on success, -1 if the system
 * refused (the caller still owns arg then). */
int scpauth__thread_spawn(void (*fn)(void *), void *arg);

/* A mutex with one condition variable. NULL when out of memory. */
typedef struct scpauth__monitor scpauth__monitor;
scpauth__monitor *scpauth__monitor_new(void);
void scpauth__monitor_free(scpauth__monitor *m);
void scpauth__monitor_lock(scpauth__monitor *m);
void scpauth__monitor_unlock(scpauth__monitor *m);
/* Waits (lock held) until woken or timeout_ms passed (< 0: no limit). */
void scpauth__monitor_wait(scpauth__monitor *m, int timeout_ms);
void scpauth__monitor_broadcast(scpauth__monitor *m);

/* Processors online (at least 1). */
unsigned scpauth__cpu_count(void);

/* Sleeps about ms milliseconds. */
void scpauth__sleep_ms(int ms);

#endif
