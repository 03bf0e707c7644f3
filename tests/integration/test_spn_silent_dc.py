#!/usr/bin/env python3
"""test_spn_silent_dc.py ADDRESS PORT - a "DC" that accepts TCP connections
and never answers (for the scpauth spn timeout and failover tests). Prints
"listening" once bound; exits after 10 minutes at the latest."""
import socket
import sys
import time

s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((sys.argv[1], int(sys.argv[2])))
s.listen(64)  # the kernel completes handshakes; nothing ever reads
print("listening", flush=True)
time.sleep(600)
