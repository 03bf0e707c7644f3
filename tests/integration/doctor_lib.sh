# doctor_lib.sh - sourced by tests/integration/test_doctor_*.sh: lib.sh and
# readers of `scpauth doctor --json` output.
. "$(dirname "$0")/lib.sh"
T=$ITEST_TMP

# doctor_json OUT USER ARGS...: `scpauth doctor --json ARGS` as USER (a
# ccache of the harness) into OUT; DOCTOR_RC gets its exit code.
doctor_json() {
    local out=$1 who=$2; shift 2
    as "$who" "$SCPAUTH" doctor --json "$@" >"$out" 2>"$out.err"
    DOCTOR_RC=$?
}

# status FILE CHECK: the status of CHECK in a doctor --json FILE.
status() {
    python3 -c 'import json,sys
d=json.load(open(sys.argv[1]))
print(next((c["status"] for c in d["checks"] if c["name"]==sys.argv[2]), "absent"))' "$1" "$2" 2>/dev/null ||
        echo "unparsable"
}
# field FILE CHECK KEY: detail, fix or code of CHECK.
field() {
    python3 -c 'import json,sys
d=json.load(open(sys.argv[1]))
print(next((c[sys.argv[3]] for c in d["checks"] if c["name"]==sys.argv[2]), ""))' "$1" "$2" "$3" 2>/dev/null
}
# statuses FILE: "name=status ..." of every check, in report order.
statuses() {
    python3 -c 'import json,sys
d=json.load(open(sys.argv[1]))
print(" ".join(c["name"]+"="+c["status"] for c in d["checks"]))' "$1" 2>/dev/null
}
