/* server_internal.h - the server's shared state (private): held
 * connections, the work queue of the worker pool, and the functions
 * server.c (the poller) and server_conn.c (a connection's life) share. */
#ifndef SCPAUTH_SERVER_INTERNAL_H
#define SCPAUTH_SERVER_INTERNAL_H

#include <signal.h>

#include "os_poll.h"
#include "os_thread.h"
#include "scpauth/server.h"

/* Who may touch a connection: PARKED ones only the poller, QUEUED ones
 * nobody until a worker takes them (BUSY). */
typedef enum conn_state { CONN_QUEUED = 1, CONN_BUSY, CONN_PARKED } conn_state;

typedef struct server_conn {
    struct server_conn *next; /* work queue, or a local list */
    size_t slot;              /* index in srv->held */
    conn_state state;
    int authed;               /* the handshake succeeded */
    int have_info;
    int eof;                  /* the poller saw the end of the stream */
    int partial;              /* part of a frame is in dec */
    int heard;                /* a byte arrived: the first-byte limit is past */
    int writing;              /* parked until the queued output is sent */
    double since;             /* accepted (until authenticated), then parked at */
    double frame_at;          /* the partial frame's first bytes */
    double write_at;          /* parked with output queued */
    scpauth_socket sock;
    scpauth_session *s;
    scpauth_ctx *ctx;
    scpauth_ctx_info info;
    scpauth_wire_decoder dec; /* a parked connection's next frame */
    char peer[SCPAUTH_SESSION_PEER_MAX];
} server_conn;

struct scpauth_server {
    scpauth_socket listener;
    scpauth_server_options o;
    scpauth__monitor *mon;    /* everything below, and the workers' wake-up */
    scpauth__monitor *report; /* keeps on_done calls apart */
    scpauth__poller *poller;
    volatile sig_atomic_t stop;
    server_conn **held; /* max_clients slots */
    size_t n_held;
    size_t n_unauthed; /* held connections not yet authenticated */
    size_t queue_max;  /* bytes of output a connection may queue */
    server_conn *q_head, *q_tail; /* ready for a worker */
    size_t q_len;
    unsigned alive, idle; /* worker threads, and those waiting for work */
    int quit;             /* workers leave once the queue is empty */
    unsigned long long accepted, finished;
    int running;
    /* the poller's own scratch, max_clients + 1 entries */
    scpauth_socket *socks;
    server_conn **who;
    unsigned char *ready;
    unsigned char *out; /* 1: watch for room to write, not for input */
};

/* A new connection for sock, parked until its first handshake frames
 * arrive; NULL when out of memory. */
server_conn *scpauth__server_conn_new(scpauth_server *srv, scpauth_socket sock,
                                      const char *peer);

/* Milliseconds left (<= 0: expired) before c, parked, passes its limit:
 * the queued output's, the first byte's, the handshake's, the frame's or
 * the idle limit. */
double scpauth__server_conn_left(const scpauth_server *srv, const server_conn *c, double now);

/* Fills err for a parked connection past its limit (see
 * scpauth__server_conn_left). */
void scpauth__server_conn_expired(const scpauth_server *srv, const server_conn *c,
                                  scpauth_error *err);

/* Queues c for a worker, starting one if all are busy (lock not held). */
void scpauth__server_dispatch(scpauth_server *srv, server_conn *c);

/* Poller: reads what a parked connection sent; a complete frame is handed
 * to its session and c queued; the end of the stream queued too (the
 * worker's read tells how it ended); a broken frame ends c. */
void scpauth__server_conn_readable(scpauth_server *srv, server_conn *c);

/* Poller: sends what c queued, never waiting; once all is sent c waits
 * for input again; a socket error ends c. */
void scpauth__server_conn_writable(scpauth_server *srv, server_conn *c);

/* Ends c (no longer queued or parked): reports rc/err, frees it, counts it. */
void scpauth__server_conn_finish(scpauth_server *srv, server_conn *c, int rc, scpauth_error *err);

#endif
