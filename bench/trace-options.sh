#!/bin/bash
# strace's less common options in procscope trace, two questions:
#  1. Do they cost the default paths anything? This binary against BASE (a procscope built from the
#     branch point, e.g. `git archive main | tar -x -C /tmp/base` then dotnet publish there) on full
#     tracing, -c and -e trace=openat of a getppid() loop. Ratio = this / base.
#  2. What do they cost against strace with the same options? -n -i, -e write=1 dumps (dd bs=1,
#     a dump per byte), inject (every getppid() skipped with retval=), fault (every second one
#     failed). Ratio = ours / strace.
#   bench/trace-options.sh [-r RUNS] [-g GETPPID_CALLS] [-b BASE_BINARY]
# Needs hyperfine, strace, a C compiler; publish first (./procscope --version).
set -euo pipefail
runs=10; calls=20000; base=""
while getopts "r:g:b:" o; do
  case $o in r) runs=$OPTARG ;; g) calls=$OPTARG ;; b) base=$OPTARG ;; *) exit 2 ;; esac
done
root=$(cd "$(dirname "$0")/.." && pwd)
ours="$root/artifacts/bin/procscope"
[ -x "$ours" ] || { echo "bench/trace-options.sh: publish first: ./procscope --version" >&2; exit 1; }
command -v hyperfine >/dev/null || { echo "bench/trace-options.sh: needs hyperfine" >&2; exit 1; }
command -v strace >/dev/null || { echo "bench/trace-options.sh: needs strace" >&2; exit 1; }
mkdir -p "$root/bench/bin"
loop="$root/bench/bin/getppid-loop"
cc -O2 -o "$loop" "$root/tests/tracees/getppid-loop.c"
json=$(mktemp)
trap 'rm -f "$json"' EXIT

# Median seconds of each command, run alternately by hyperfine.
medians() {
  hyperfine -N -w 1 -r "$runs" --export-json "$json" "$@" >/dev/null 2>&1
  python3 -c 'import json,sys; print(" ".join("%.4f" % r["median"] for r in json.load(open(sys.argv[1]))["results"]))' "$json"
}

echo "# load: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) CPUs, $(date -u +%FT%TZ), getppid x $calls, $runs runs"
printf '%-34s %10s %10s %7s\n' case this other ratio
if [ -n "$base" ]; then
  for opts in "-f -o /dev/null" "-c -o /dev/null" "-e trace=openat -o /dev/null"; do
    read -r a b < <(medians "$ours trace $opts $loop $calls" "$base trace $opts $loop $calls")
    printf '%-34s %10s %10s %7.2f\n' "default: $opts (vs base)" "$a" "$b" "$(echo "$a / $b" | bc -l)"
  done
fi
dd="dd if=/dev/zero of=/dev/null bs=1 count=$((calls / 2))"
while IFS='|' read -r opts cmd; do
  read -r a b < <(medians "$ours trace $opts -o /dev/null $cmd" "strace $opts -o /dev/null $cmd")
  printf '%-34s %10s %10s %7.2f\n' "$opts (vs strace)" "$a" "$b" "$(echo "$a / $b" | bc -l)"
done <<EOF
-n -i|$loop $calls
-e trace=write -e write=1|$dd
-e trace=getppid -e inject=getppid:retval=1|$loop $calls
-e trace=getppid -e fault=getppid:when=2+2|$loop $calls
EOF
