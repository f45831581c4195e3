#!/bin/bash
# procscope trace against strace 6.1 on the same workloads, run alternately (ours, strace, ours …),
# median wall time of R runs each, ratio = ours/strace (below 1: we are faster).
#   bench/trace.sh [-r RUNS] [-n DD_BYTES] [-g GETPPID_CALLS]
# Workloads: dd if=/dev/zero of=/dev/null bs=1 count=N (two calls per byte), a C loop of getppid()
# (tests/tracees/getppid-loop.c), tar cf /dev/null /usr/include.
# Modes: full tracing (-f -o /dev/null), -c (-c -o /dev/null), -e trace=openat (ours: seccomp-bpf by
# default; strace: --seccomp-bpf), and ours with --no-pin to show what one CPU is worth.
set -euo pipefail
runs=5; dd_bytes=100000; calls=200000
while getopts "r:n:g:" o; do
  case $o in r) runs=$OPTARG ;; n) dd_bytes=$OPTARG ;; g) calls=$OPTARG ;; *) exit 2 ;; esac
done
root=$(cd "$(dirname "$0")/.." && pwd)
ours="$root/artifacts/bin/procscope"
[ -x "$ours" ] || { echo "bench/trace.sh: publish first: ./procscope --version" >&2; exit 1; }
command -v strace >/dev/null || { echo "bench/trace.sh: needs strace (apt-get install strace)" >&2; exit 1; }
mkdir -p "$root/bench/bin"
loop="$root/bench/bin/getppid-loop"
cc -O2 -o "$loop" "$root/tests/tracees/getppid-loop.c"

# Median wall seconds of a command line, run $runs times.
median() {
  local -a t=()
  for _ in $(seq "$runs"); do
    local s e
    s=$(date +%s.%N)
    "$@" >/dev/null 2>&1 || true
    e=$(date +%s.%N)
    t+=("$(echo "$e - $s" | bc)")
  done
  printf '%s\n' "${t[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'
}

declare -A work=(
  [dd]="dd if=/dev/zero of=/dev/null bs=1 count=$dd_bytes"
  [getppid]="$loop $calls"
  [tar]="tar cf /dev/null /usr/include"
)
printf '%-8s %-16s %10s %10s %7s\n' workload mode ours strace ratio
echo "# load: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) CPUs, $(date -u +%FT%TZ)"
for w in dd getppid tar; do
  cmd=${work[$w]}
  base=$(median $cmd)
  printf '%-8s %-16s %10s %10s %7s\n' "$w" untraced "$base" - -
  # shellcheck disable=SC2086
  for mode in full count openat nopin; do
    case $mode in
      full)   o=$(median "$ours" trace -f -o /dev/null $cmd);         s=$(median strace -f -o /dev/null $cmd) ;;
      count)  o=$(median "$ours" trace -c -o /dev/null $cmd);         s=$(median strace -c -o /dev/null $cmd) ;;
      openat) o=$(median "$ours" trace -f -e trace=openat -o /dev/null $cmd); s=$(median strace -f --seccomp-bpf -e trace=openat -o /dev/null $cmd) ;;
      nopin)  o=$(median "$ours" trace --no-pin -f -o /dev/null $cmd); s=$(median strace -f -o /dev/null $cmd) ;;
    esac
    printf '%-8s %-16s %10s %10s %7.2f\n' "$w" "$mode" "$o" "$s" "$(echo "$o / $s" | bc -l)"
  done
done
