#!/usr/bin/env bash
# Resident memory of the interactive `procscope top` (with its rewind history) in tmux, with N
# extra idle processes (bench/spawn-idle). Usage:
#   bench/top-interactive-rss.sh [-d DELAY] [-t SECONDS] N [BINARY...]
# Starts `BINARY top -d DELAY` (default: this tree's artifacts/bin/procscope) in a detached
# 200x50 tmux session per binary, all at once against the same processes, samples VmRSS every
# 10 s for SECONDS (default 120: long enough for the history to reach its cap at DELAY), then
# prints VmRSS and VmHWM and the help screen's line saying how much history is kept.
# Kills only the tmux sessions and the spawner it started.
set -euo pipefail
here=$(cd "${0%/*}" && pwd)
root=$(cd "$here/.." && pwd)
delay=0.3 seconds=120
while getopts d:t: o; do case $o in d) delay=$OPTARG ;; t) seconds=$OPTARG ;; *) exit 2 ;; esac; done
shift $((OPTIND - 1))
n=${1:-10000}
shift || true
"$here/build.sh" >/dev/null
if [ $# -eq 0 ]; then "$root/procscope" --version >/dev/null; set -- "$root/artifacts/bin/procscope"; fi
bins=("$@")
sessions=()
spawner=
cleanup() {
  for s in "${sessions[@]}"; do tmux kill-session -t "$s" 2>/dev/null || true; done
  [ -n "$spawner" ] && kill "$spawner" 2>/dev/null && wait "$spawner" 2>/dev/null; spawner=
}
trap cleanup EXIT INT TERM HUP
coproc SP { "$here/bin/spawn-idle" "$n"; }
spawner=$SP_PID
read -r _ _ <&"${SP[0]}"   # "ready N"
procs=$( (ls -d /proc/[0-9]* 2>/dev/null || true) | wc -l)
pids=()
for i in "${!bins[@]}"; do
  s="top-rss-$$-$i"
  sessions+=("$s")
  tmux new-session -d -s "$s" -x 200 -y 50 "${bins[$i]} top -d $delay"
  pids+=("$(tmux list-panes -t "$s" -F '#{pane_pid}')")
done
echo "processes at start: $procs  delay: $delay s"
for ((t = 10; t <= seconds; t += 10)); do
  sleep 10
  line=$(printf '%4d s' "$t")
  for p in "${pids[@]}"; do line+=$(printf '  VmRSS %6s kB' "$(awk '/^VmRSS/ { print $2 }' "/proc/$p/status")"); done
  echo "$line  ($(ls /proc | grep -c '^[0-9]') processes)"
done
for i in "${!bins[@]}"; do
  echo "${bins[$i]}: $(awk '/^Vm(RSS|HWM)/ { printf "%s %s kB  ", $1, $2 }' "/proc/${pids[$i]}/status")"
  tmux send-keys -t "${sessions[$i]}" '?'
  sleep 1
  tmux capture-pane -p -t "${sessions[$i]}" | grep -i 'rewind keeps' || true
  tmux send-keys -t "${sessions[$i]}" q
done
