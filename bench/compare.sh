#!/bin/bash
# compare.sh: our commands against procps on the same machine, with N extra idle processes.
#
#   bench/compare.sh [-r RUNS] [--ours CMD] [--no-hyperfine] N [N...]
#     N               idle processes to add (bench/spawn-idle), e.g. 1000 10000; 0 for none
#     -r RUNS         timed runs per command and side (default 10; one untimed warm-up each)
#     --ours CMD      the command that prefixes our subcommands (default: the repo's published
#                     binary, artifacts/bin/procscope); "procps" runs the procps tools themselves
#                     on both sides, to check this script
#     --no-hyperfine  time with a bash loop even when hyperfine is installed
#
# For each N: starts the idle processes, then times each case below for ours and for procps
# (the bash loop alternates ours and procps run by run; hyperfine runs each side's runs in a row),
# output to /dev/null, and prints the median wall time of each and the ratio ours/procps.
# A subcommand ours does not have yet (non-zero exit on the warm-up) shows as "missing".
# The idle processes are removed on exit, Ctrl-C, SIGTERM or error; kernel.pid_max is raised
# only if N needs it and restored afterwards.
set -u -o pipefail
export LC_ALL=C

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)

cases=(
  "ps aux"
  "ps -eLf"
  "ps -eo pid,rss,comm --sort=-rss"
  "free"
  "uptime"
)

runs=10
ours="$repo/artifacts/bin/procscope"
use_hyperfine=1
counts=()
while [ $# -gt 0 ]; do
  case "$1" in
    -r) runs=$2; shift 2 ;;
    --ours) ours=$2; shift 2 ;;
    --no-hyperfine) use_hyperfine=0; shift ;;
    -h|--help) sed -n '2,/^set -u/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    -*) echo "compare.sh: unknown option $1" >&2; exit 2 ;;
    *) counts+=("$1"); shift ;;
  esac
done
[ ${#counts[@]} -gt 0 ] || { echo "usage: bench/compare.sh [-r RUNS] [--ours CMD] N [N...]" >&2; exit 2; }
for n in "${counts[@]}"; do case "$n" in ''|*[!0-9]*) echo "compare.sh: not a count: $n" >&2; exit 2 ;; esac; done
case "$runs" in ''|*[!0-9]*|0) echo "compare.sh: -r needs a positive number" >&2; exit 2 ;; esac

if [ "$ours" = procps ]; then
  ours_prefix=()
  ours_label="procps (as ours)"
else
  [ -x "$ours" ] || { echo "compare.sh: $ours is not there; build it with ./procscope --version (or pass --ours)" >&2; exit 1; }
  ours_prefix=($ours)
  ours_label=$ours
fi
for tool in ps free uptime; do command -v "$tool" >/dev/null || { echo "compare.sh: needs procps ($tool)" >&2; exit 1; }; done
"$here/build.sh" || exit 1

hyperfine_bin=""
[ "$use_hyperfine" = 1 ] && hyperfine_bin=$(command -v hyperfine || true)

# ---- cleanup: idle processes, pid_max --------------------------------------------------------
idle_pid=""
child=""
old_pid_max=""
tmp=$(mktemp -d /tmp/procscope-bench.XXXXXX)
stop_idle() {
  [ -n "$idle_pid" ] || return 0
  kill -TERM "$idle_pid" 2>/dev/null
  # spawn-idle kills and reaps its children, then exits; give it time for 10,000 of them.
  for _ in $(seq 1 100); do kill -0 "$idle_pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$idle_pid" 2>/dev/null # its children then die of PR_SET_PDEATHSIG
  wait "$idle_pid" 2>/dev/null
  idle_pid=""
}
# run CMD...: runs it as a background job and waits, so that a signal to this script runs its trap
# at once (bash defers traps while a foreground command runs, and drops SIGINT when that command
# exits normally). The job is killed on the way out.
run() {
  "$@" &
  child=$!
  wait "$child"
  local rc=$?
  child=""
  return $rc
}
cleanup() {
  if [ -n "$child" ]; then kill -TERM "$child" 2>/dev/null; wait "$child" 2>/dev/null; child=""; fi
  stop_idle
  if [ -n "$old_pid_max" ]; then
    sysctl -q -w kernel.pid_max="$old_pid_max" >/dev/null 2>&1 || echo "compare.sh: could not restore kernel.pid_max=$old_pid_max" >&3
    old_pid_max=""
  fi
  rm -rf "$tmp"
}
# The traps may run inside a function whose stderr goes to /dev/null: they write to fd 3.
exec 3>&2
trap cleanup EXIT
trap 'echo "compare.sh: interrupted" >&3; exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

# Room for N more processes: pid_max, the per-user limit, the cgroup's pids.max.
make_room() {
  local n=$1 running need pid_max cg max
  running=$(ls -d /proc/[0-9]* | wc -l)
  need=$((running + n + 2000))
  pid_max=$(cat /proc/sys/kernel/pid_max)
  if [ "$pid_max" -lt "$need" ]; then
    [ -n "$old_pid_max" ] || old_pid_max=$pid_max
    sysctl -q -w kernel.pid_max="$need" >/dev/null || { echo "compare.sh: kernel.pid_max is $pid_max; $need needed (run as root)" >&2; return 1; }
  fi
  if [ "$(ulimit -u)" != unlimited ] && [ "$(ulimit -u)" -lt "$need" ]; then
    ulimit -S -u "$(ulimit -H -u)" 2>/dev/null
    [ "$(ulimit -u)" = unlimited ] || [ "$(ulimit -u)" -ge "$need" ] || [ "$(id -u)" = 0 ] ||
      { echo "compare.sh: ulimit -u is $(ulimit -u); $need needed" >&2; return 1; }
  fi
  cg=$(awk -F: '$1 == "0" { print $3 }' /proc/self/cgroup)
  max=$(cat "/sys/fs/cgroup$cg/pids.max" 2>/dev/null || echo max)
  if [ "$max" != max ] && [ "$max" -lt "$need" ]; then
    echo "compare.sh: the cgroup allows $max processes; $need needed" >&2
    return 1
  fi
}

start_idle() {
  local n=$1 line
  [ "$n" -gt 0 ] || return 0
  make_room "$n" || return 1
  mkfifo "$tmp/idle.out"
  "$here/bin/spawn-idle" "$n" >"$tmp/idle.out" &
  idle_pid=$!
  read -r line <"$tmp/idle.out"
  rm -f "$tmp/idle.out"
  [ "$line" = "ready $n" ] || { echo "compare.sh: spawn-idle did not start $n processes" >&2; return 1; }
}

# ---- timing ------------------------------------------------------------------------------
# stamp: microseconds into $stamp_us, without a fork where bash has EPOCHREALTIME (5.0+); a
# command substitution would add its own fork and wait to every timed interval.
if [ -n "${EPOCHREALTIME:-}" ]; then
  stamp() { stamp_us=${EPOCHREALTIME/./}; }
else
  stamp() { stamp_us=$(date +%s%6N); }
fi
median() { sort -n | awk '{ v[NR] = $1 } END { if (NR == 0) print ""; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# time_loop: prints "ours_ns procps_ns" medians, alternating the two run by run.
time_loop() {
  local -n a=$1 b=$2
  local i t0 t1 stamp_us
  : >"$tmp/a"; : >"$tmp/b"
  for i in $(seq 1 "$runs"); do
    stamp; t0=$stamp_us; run "${a[@]}" >/dev/null 2>&1; stamp; t1=$stamp_us; echo $(((t1 - t0) * 1000)) >>"$tmp/a"
    stamp; t0=$stamp_us; run "${b[@]}" >/dev/null 2>&1; stamp; t1=$stamp_us; echo $(((t1 - t0) * 1000)) >>"$tmp/b"
  done
  echo "$(median <"$tmp/a") $(median <"$tmp/b")"
}

# time_hyperfine: the same with hyperfine (no shell, output to /dev/null), medians in ns.
time_hyperfine() {
  local -n a=$1 b=$2
  run "$hyperfine_bin" -N --style none --warmup 1 --runs "$runs" --export-json "$tmp/h.json" \
    "$(printf '%q ' "${a[@]}")" "$(printf '%q ' "${b[@]}")" >/dev/null 2>&1 || return 1
  grep -o '"median": *[0-9.e+-]*' "$tmp/h.json" | sed 's/.*: *//' | awk '{ printf "%.0f ", $1 * 1e9 } END { print "" }'
}

ms() { awk -v ns="$1" 'BEGIN { printf "%.1f", ns / 1e6 }'; }

echo "ours: $ours_label"
echo "procps: $(ps --version 2>&1 | head -1)"
echo "machine: $(uname -r) $(uname -m), $(nproc) CPUs; timing: $([ -n "$hyperfine_bin" ] && echo "hyperfine ($("$hyperfine_bin" --version))" || echo "bash loop, alternating"); $runs runs, median"
status=0
for n in "${counts[@]}"; do
  start_idle "$n" || { status=1; stop_idle; continue; }
  echo
  echo "N = $n idle processes ($(ls -d /proc/[0-9]* | wc -l) processes in all)"
  printf '%-34s %12s %12s %12s\n' "command" "ours ms" "procps ms" "ours/procps"
  for c in "${cases[@]}"; do
    read -r -a argv <<<"$c"
    theirs=("${argv[@]}")
    mine=("${ours_prefix[@]}" "${argv[@]}")
    # Warm-up, and the check that ours has this subcommand at all.
    if ! run "${mine[@]}" >/dev/null 2>"$tmp/err"; then
      printf '%-34s %12s %12s %12s   %s\n' "$c" "missing" "-" "-" "$(head -c 60 "$tmp/err" | head -1)"
      continue
    fi
    run "${theirs[@]}" >/dev/null 2>&1
    # Not in $(...): the timing must run in this shell, where the trap and $child live.
    : >"$tmp/result"
    [ -n "$hyperfine_bin" ] && time_hyperfine mine theirs >"$tmp/result"
    [ -s "$tmp/result" ] || time_loop mine theirs >"$tmp/result"
    result=$(cat "$tmp/result")
    read -r a b <<<"$result"
    printf '%-34s %12s %12s %12s\n' "$c" "$(ms "$a")" "$(ms "$b")" "$(awk -v a="$a" -v b="$b" 'BEGIN { printf "%.2f", a / b }')"
  done
  stop_idle
done
exit $status
