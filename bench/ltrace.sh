#!/bin/bash
# procscope ltrace against ltrace 0.7.3 on 20,000 iterations of malloc/strlen/free
# (tests/tracees/ltrace-calls.c with argv[1] = N: 3 traced calls per iteration, 60,000 calls).
# Built the way ltrace can trace it (default gcc: PIE, lazy binding). Our side runs pinned (the
# default: tracer and tracee on one CPU) and with --no-pin; also our IBT and -fno-plt builds, which
# ltrace cannot trace at all. Prints medians and ratios (ours / ltrace; below 1 = faster).
# Usage: bench/ltrace.sh [-r RUNS] [N]
set -euo pipefail
runs=5
if [ "${1:-}" = "-r" ]; then runs=$2; shift 2; fi
n=${1:-20000}
root=$(cd "$(dirname "$0")/.." && pwd)
ours="$root/artifacts/bin/procscope"
[ -x "$ours" ] || { echo "bench/ltrace.sh: run ./procscope --version first (publishes $ours)" >&2; exit 1; }
command -v ltrace >/dev/null || { echo "bench/ltrace.sh: needs ltrace (apt-get install -y ltrace)" >&2; exit 1; }
cc=$(command -v cc || command -v gcc) || { echo "bench/ltrace.sh: needs a C compiler" >&2; exit 1; }
bin="$root/bench/bin"
mkdir -p "$bin"
src="$root/tests/tracees/ltrace-calls.c"
"$cc" -O1 -o "$bin/ltrace-calls" "$src"
"$cc" -O1 -fno-plt -o "$bin/ltrace-calls-noplt" "$src"
"$cc" -O1 -fcf-protection=full -Wl,-z,ibtplt -Wl,-z,now -o "$bin/ltrace-calls-ibt" "$src"

# Same work on both sides: check both see all 3*N calls before timing anything.
want=$((3 * n))
got_theirs=$(ltrace -o /dev/stdout "$bin/ltrace-calls" "$n" 2>/dev/null | grep -cE '^(malloc|strlen|free)\(' || true)
got_ours=$("$ours" ltrace -o /dev/stdout "$bin/ltrace-calls" "$n" 2>/dev/null | grep -cE '^(malloc|strlen|free)\(' || true)
echo "calls seen: ltrace $got_theirs, procscope $got_ours (expected $want)"

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
time_of() { local s e; s=$(date +%s.%N); "$@" >/dev/null 2>&1; e=$(date +%s.%N); echo "$e - $s" | bc -l; }

declare -A med
cases=(
  "ltrace|ltrace -o /dev/null $bin/ltrace-calls $n"
  "ours-pinned|$ours ltrace -o /dev/null $bin/ltrace-calls $n"
  "ours-nopin|$ours ltrace --no-pin -o /dev/null $bin/ltrace-calls $n"
  "ours-ibt|$ours ltrace -o /dev/null $bin/ltrace-calls-ibt $n"
  "ours-noplt|$ours ltrace -o /dev/null $bin/ltrace-calls-noplt $n"
  "untraced|$bin/ltrace-calls $n"
)
declare -A samples
for ((r = 0; r < runs; r++)); do
  # Interleaved, so load changes on a shared machine hit every case alike.
  for c in "${cases[@]}"; do
    name=${c%%|*}; cmd=${c#*|}
    samples[$name]+="$(time_of $cmd) "
  done
done
printf '%-12s %10s %8s\n' case median_s ratio
base=$(echo ${samples[ltrace]} | tr ' ' '\n' | median)
for c in "${cases[@]}"; do
  name=${c%%|*}
  m=$(echo ${samples[$name]} | tr ' ' '\n' | median)
  printf '%-12s %10.3f %8.2f\n' "$name" "$m" "$(echo "$m / $base" | bc -l)"
done
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) CPUs, $runs runs, N=$n"
