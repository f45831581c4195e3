#!/usr/bin/env bash
# CPU per sample of `procscope iotop -b` against iotop (Python) and iotop-c, with N extra idle
# processes (bench/spawn-idle.c, removed again on exit). Per-sample CPU is the difference between
# a run of 1+K samples and a run of 1 sample, divided by K, so start-up cost cancels out.
# Usage: bench/iotop.sh [N=5000] [K=10] [DELAY=0.2]   (as root: taskstats needs CAP_NET_ADMIN)
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-5000}; K=${2:-10}; DELAY=${3:-0.2}
bench/build.sh >/dev/null
[ -x artifacts/bin/procscope ] || ./procscope --version >/dev/null
spawn=""
cleanup() { [ -n "$spawn" ] && kill "$spawn" 2>/dev/null && wait "$spawn" 2>/dev/null; true; }
trap cleanup EXIT INT TERM
if [ "$N" -gt 0 ]; then
  coproc SPAWN { exec bench/bin/spawn-idle "$N"; }
  spawn=$SPAWN_PID
  read -r ready _ <&"${SPAWN[0]}"
  [ "$ready" = ready ] || { echo "spawn-idle failed" >&2; exit 1; }
fi
echo "tasks: $(ls /proc | grep -c '^[0-9]') processes; kernel.task_delayacct=$(cat /proc/sys/kernel/task_delayacct)"

cpu() { # prints user+sys seconds of one run
  /usr/bin/time -f '%U %S' -o /tmp/iotop-bench.$$ "$@" >/dev/null 2>&1 || true
  awk '{print $1 + $2}' /tmp/iotop-bench.$$
}
per_sample() { # name, command...
  local name=$1; shift
  local one many
  one=$(cpu "$@" -b -n 1 -d "$DELAY")
  many=$(cpu "$@" -b -n $((K + 1)) -d "$DELAY")
  awk -v n="$name" -v a="$one" -v b="$many" -v k="$K" 'BEGIN { printf "%-22s %8.1f ms/sample  (1 sample: %.2f s CPU, %d samples: %.2f s)\n", n, (b - a) / k * 1000, a, k + 1, b }'
}
per_sample "procscope iotop" artifacts/bin/procscope iotop
per_sample "procscope iotop -P" artifacts/bin/procscope iotop -P
command -v iotop-c >/dev/null && per_sample "iotop-c" iotop-c
command -v iotop-c >/dev/null && per_sample "iotop-c -P" iotop-c -P
command -v iotop >/dev/null && per_sample "iotop (python)" iotop
rm -f /tmp/iotop-bench.$$
