#!/usr/bin/env bash
# procscope lsof against lsof 4.95 on this machine (medians of alternating runs, output to /dev/null;
# wall time, CPU time and peak resident memory, GNU time's %e, %U+%S and %M):
#   - the whole system, `lsof -n`, with N extra idle processes (bench/spawn-idle) for each N given;
#   - `lsof -n -p PID` of one process holding 15,000 descriptors (tests/tracees/holdfds).
# Usage: bench/lsof.sh [-r RUNS] [N...]     (default: -r 5  2000 10000; N = 0: the machine as it is)
# PROCSCOPE=path/to/procscope measures another build (default artifacts/bin/procscope).
# Needs root for N beyond kernel.pid_max's room (raised for the run, restored after), GNU time,
# lsof, a C compiler. Every helper process is removed on exit, error, Ctrl-C or SIGTERM.
set -euo pipefail
here=$(cd "${0%/*}" && pwd)
root=$(cd "$here/.." && pwd)
runs=5
while getopts r: o; do case $o in r) runs=$OPTARG ;; *) exit 2 ;; esac; done
shift $((OPTIND - 1))
[ $# -gt 0 ] || set -- 2000 10000
[ -x /usr/bin/time ] || { echo "bench/lsof.sh: needs GNU time (apt-get install time)" >&2; exit 1; }
command -v lsof >/dev/null || { echo "bench/lsof.sh: needs lsof" >&2; exit 1; }
"$here/build.sh" >/dev/null
cc=$(command -v cc || command -v gcc)
"$cc" -O2 -Wall -Wextra -Werror -o "$here/bin/holdfds" "$root/tests/tracees/holdfds.c"
ours=${PROCSCOPE:-"$root/artifacts/bin/procscope"}
[ -x "$ours" ] || { echo "bench/lsof.sh: run ./procscope --version first (publishes $ours)" >&2; exit 1; }

spawner= holder= holddir= old_pid_max=
cleanup() {
  [ -n "$spawner" ] && { kill "$spawner" 2>/dev/null; wait "$spawner" 2>/dev/null || true; }
  spawner=
  [ -n "$holder" ] && { kill "$holder" 2>/dev/null; wait "$holder" 2>/dev/null || true; }
  holder=
  [ -n "$holddir" ] && rm -rf "$holddir"
  holddir=
  [ -n "$old_pid_max" ] && sysctl -q -w kernel.pid_max="$old_pid_max" >/dev/null
  old_pid_max=
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# Runs ours and lsof alternately (one warm-up each, then RUNS pairs), so that the load of a
# shared machine drifting during the run weighs on both sides alike. Wall and CPU (user+system)
# medians from GNU time, and the median of the peak resident set (max RSS).
compare() { # label, ours args..., --, lsof args...
  local label=$1; shift
  local a=() b=()
  while [ "$1" != -- ]; do a+=("$1"); shift; done; shift
  b=("$@")
  local t; t=$(mktemp)
  local ow=() oc=() lw=() lc=() om=() lm=()
  "$ours" lsof "${a[@]}" >/dev/null 2>&1 || true
  lsof "${b[@]}" >/dev/null 2>&1 || true
  for ((k = 0; k < runs; k++)); do
    /usr/bin/time -f '%e %U %S %M' -o "$t" "$ours" lsof "${a[@]}" >/dev/null 2>&1 || true
    read -r e u s m <"$t"; ow+=("$e"); oc+=("$(awk -v u="$u" -v s="$s" 'BEGIN { print u + s }')"); om+=("$m")
    /usr/bin/time -f '%e %U %S %M' -o "$t" lsof "${b[@]}" >/dev/null 2>&1 || true
    read -r e u s m <"$t"; lw+=("$e"); lc+=("$(awk -v u="$u" -v s="$s" 'BEGIN { print u + s }')"); lm+=("$m")
  done
  rm -f "$t"
  local procs=(/proc/[0-9]*)
  local owm ocm lwm lcm omm lmm
  owm=$(printf '%s\n' "${ow[@]}" | median); ocm=$(printf '%s\n' "${oc[@]}" | median)
  lwm=$(printf '%s\n' "${lw[@]}" | median); lcm=$(printf '%s\n' "${lc[@]}" | median)
  omm=$(printf '%s\n' "${om[@]}" | median); lmm=$(printf '%s\n' "${lm[@]}" | median)
  awk -v lab="$label" -v p="${#procs[@]}" -v ow="$owm" -v lw="$lwm" -v oc="$ocm" -v lc="$lcm" -v om="$omm" -v lm="$lmm" \
    'BEGIN { printf "| %s | %d | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %.1f | %.1f | %.2f |\n", lab, p, ow, lw, ow / lw, oc, lc, (lc > 0 ? oc / lc : 0), om / 1024, lm / 1024, om / lm }'
}

printf '| case | processes | ours s | lsof s | wall ours/lsof | ours CPU s | lsof CPU s | CPU ours/lsof | ours max RSS MB | lsof max RSS MB | RSS ours/lsof |\n|---|---|---|---|---|---|---|---|---|---|---|\n'
for n in "$@"; do
  if [ "$n" = 0 ]; then
    compare "lsof -n, the machine as it is" -n -- -n
    continue
  fi
  running=(/proc/[0-9]*)
  need=$(( ${#running[@]} + n + 2000 ))
  if [ "$(cat /proc/sys/kernel/pid_max)" -lt "$need" ]; then
    old_pid_max=$(cat /proc/sys/kernel/pid_max)
    sysctl -q -w kernel.pid_max="$need" >/dev/null
  fi
  coproc SP { "$here/bin/spawn-idle" "$n"; }
  spawner=$SP_PID
  read -r _ _ <&"${SP[0]}"   # "ready N"
  compare "lsof -n, $n extra idle processes" -n -- -n
  cleanup
done

holddir=$(mktemp -d)
coproc HF { "$here/bin/holdfds" "$holddir" 15000; }
holder=$HF_PID
while read -r line <&"${HF[0]}"; do [ "$line" = "# ready" ] && break; done
compare "lsof -n -p (15,000 fds)" -n -p "$holder" -- -n -p "$holder"
