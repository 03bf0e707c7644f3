# run_discovery.sh - discovery: SCP locate + SPN compose + connect +
# handshake. Sourced by run.sh after bench_prepare.
# shellcheck shell=bash

discovery_all() {
    bench_emit "NOTE discovery: not measured yet"
}
