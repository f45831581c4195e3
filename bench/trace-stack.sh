#!/bin/bash
# trace -k (stack of each traced call) against strace 6.1 -k on the same workload: a C loop of
# getppid() (tests/tracees/getppid-loop.c) traced with -e trace=getppid, output to /dev/null.
# hyperfine, mean wall time of R runs each, ratio = ours/strace (below 1: we are faster).
#   bench/trace-stack.sh [-r RUNS] [-g GETPPID_CALLS]
# Rows: -k with strace's default (stop at every call) and with --seccomp-bpf (ours by default),
# ours unpinned (--no-pin: tracer and tracee on different CPUs, as strace runs), and the same
# without -k, to show what the stacks themselves cost.
set -euo pipefail
runs=5; calls=20000
while getopts "r:g:" o; do
  case $o in r) runs=$OPTARG ;; g) calls=$OPTARG ;; *) exit 2 ;; esac
done
root=$(cd "$(dirname "$0")/.." && pwd)
ours="$root/artifacts/bin/procscope"
[ -x "$ours" ] || { echo "bench/trace-stack.sh: publish first: ./procscope --version" >&2; exit 1; }
command -v strace >/dev/null || { echo "bench/trace-stack.sh: needs strace (apt-get install strace)" >&2; exit 1; }
command -v hyperfine >/dev/null || { echo "bench/trace-stack.sh: needs hyperfine (apt-get install hyperfine)" >&2; exit 1; }
strace -k -o /dev/null true 2>/dev/null || { echo "bench/trace-stack.sh: this strace has no -k" >&2; exit 1; }
mkdir -p "$root/bench/bin"
loop="$root/bench/bin/getppid-loop"
cc -O2 -o "$loop" "$root/tests/tracees/getppid-loop.c"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

mean() { # command line → mean seconds
  hyperfine -N -w 1 -r "$runs" --export-json "$tmp/h.json" "$1" >/dev/null 2>&1
  python3 -c 'import json,sys; print("%.3f" % json.load(open(sys.argv[1]))["results"][0]["mean"])' "$tmp/h.json"
}

printf '%-28s %9s %9s %7s\n' mode ours strace ratio
row() { # label, our options, strace options
  local o s
  o=$(mean "$ours trace $2 -e trace=getppid -o /dev/null $loop $calls")
  s=$(mean "strace $3 -e trace=getppid -o /dev/null $loop $calls")
  printf '%-28s %8ss %8ss %7.2f\n' "$1" "$o" "$s" "$(echo "$o / $s" | bc -l)"
}
row "-k (strace: every stop)" "-k --no-seccomp-bpf" "-k"
row "-k --seccomp-bpf" "-k" "-k --seccomp-bpf"
row "-k, ours --no-pin" "-k --no-pin --no-seccomp-bpf" "-k"
row "no -k --seccomp-bpf" "" "--seccomp-bpf"
