/* cli_thread.h - the little threading `scpauth listen` needs: detached
 * worker threads, a gate that caps how many run at once, and a lock that
 * keeps each output line whole. POSIX threads or Win32 threads, chosen in
 * cli_thread.c only (C11 <threads.h> is missing from mingw-w64). */
#ifndef SCPAUTH_CLI_THREAD_H
#define SCPAUTH_CLI_THREAD_H

/* Starts fn(arg) on a detached thread. 0 on success, -1 if the system
 * refused (the caller still owns arg then). */
int cli_thread_spawn(void (*fn)(void *), void *arg);

/* The gate: at most `max` holders at a time. One process-wide gate. */
void cli_gate_init(unsigned max);
/* Blocks while the gate is full, then takes a place. */
void cli_gate_enter(void);
/* Gives a place back and wakes a waiter. */
void cli_gate_leave(void);
/* Blocks until no one holds a place (orderly shutdown). */
void cli_gate_wait_idle(void);

/* Serialises writers of whole lines/objects to stdout and stderr. */
void cli_out_lock(void);
void cli_out_unlock(void);

#endif
