#!/usr/bin/env python3
"""hostile_client.py - misbehaving clients for `scpauth listen`.

Opens COUNT connections per MODE at once, each misbehaving its own way, then
waits (up to --hold seconds) for the service to hang up. Prints one JSON
object per mode: how many connections the service closed, how many it left
open, and the longest time it took to close one. A service that keeps
serving everyone else and closes each of these within its client timeout is
what the integration test expects.

Modes (gss-sample: 1 flag byte + 4-byte big-endian length; sspi-sample:
4-byte little-endian length):
  http        an HTTP request (a port scanner): a huge length   -> ETOOBIG
  oversize    a well-formed header announcing 0xfffffff0 bytes  -> ETOOBIG
  zero        a zero-length frame                               -> EZEROLEN / EPROTO
  garbage     a well-framed handshake token of random bytes     -> EAUTH / EMECH
  half        a header for 1000 bytes, 10 of them, silence      -> ETIMEDOUT
  silent      connects and says nothing                         -> ETIMEDOUT
  midhandshake  the opening, then half a token frame, then close -> ETRUNCATED / EOF
"""
import argparse
import json
import os
import socket
import struct
import sys
import threading
import time

NOOP, CONTEXT, CONTEXT_NEXT = 0x01, 0x02, 0x10


def frame(profile, flags, body, length=None):
    n = len(body) if length is None else length
    if profile == "gss-sample":
        return struct.pack(">BI", flags, n) + body
    return struct.pack("<I", n) + body


def opening(profile):
    """The gss-sample opening token; sspi-sample has none."""
    return frame(profile, NOOP | CONTEXT_NEXT, b"") if profile == "gss-sample" else b""


def payload(mode, profile):
    """(bytes to send, close right after sending?)"""
    if mode == "http":
        return b"GET / HTTP/1.1\r\nHost: svchost1\r\n\r\n", False
    if mode == "oversize":
        return opening(profile) + frame(profile, CONTEXT, b"", 0xFFFFFFF0), False
    if mode == "zero":
        return frame(profile, CONTEXT, b""), False
    if mode == "garbage":
        return opening(profile) + frame(profile, CONTEXT, os.urandom(300)), False
    if mode == "half":
        return opening(profile) + frame(profile, CONTEXT, os.urandom(10), 1000), False
    if mode == "silent":
        return b"", False
    if mode == "midhandshake":
        return opening(profile) + frame(profile, CONTEXT, os.urandom(200), 400), True
    raise ValueError(mode)


def one(host, port, mode, profile, hold, results, lock):
    t0 = time.monotonic()
    outcome = "error"
    try:
        s = socket.create_connection((host, port), timeout=5)
        data, close_now = payload(mode, profile)
        if data:
            s.sendall(data)
        if close_now:
            s.close()
            outcome = "closed_by_us"
        else:
            s.settimeout(hold)
            try:
                while s.recv(4096):  # the service owes us nothing: wait for its close
                    pass
                outcome = "closed_by_server"
            except ConnectionResetError:
                outcome = "closed_by_server"
            except socket.timeout:
                outcome = "still_open"
            s.close()
    except OSError as e:
        outcome = "error: %s" % e
    with lock:
        results.append((outcome, time.monotonic() - t0))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("host")
    ap.add_argument("port", type=int)
    ap.add_argument("modes", help="comma-separated modes")
    ap.add_argument("--count", type=int, default=5, help="connections per mode")
    ap.add_argument("--profile", default="gss-sample", choices=["gss-sample", "sspi-sample"])
    ap.add_argument("--hold", type=float, default=10.0,
                    help="seconds to wait for the service to hang up")
    a = ap.parse_args()
    lock = threading.Lock()
    per_mode = {m: [] for m in a.modes.split(",")}
    threads = []
    for mode, results in per_mode.items():
        payload(mode, a.profile)  # unknown modes fail before any connection
        for _ in range(a.count):
            t = threading.Thread(target=one, args=(a.host, a.port, mode, a.profile, a.hold,
                                                   results, lock))
            t.start()
            threads.append(t)
    for t in threads:
        t.join()
    for mode, results in per_mode.items():
        summary = {"mode": mode, "connections": len(results)}
        for outcome, _ in results:
            key = outcome if not outcome.startswith("error") else "errors"
            summary[key] = summary.get(key, 0) + 1
        closed = [dt for o, dt in results if o == "closed_by_server"]
        summary["max_close_s"] = round(max(closed), 3) if closed else None
        print(json.dumps(summary, sort_keys=True))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
