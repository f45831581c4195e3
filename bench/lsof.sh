#!/usr/bin/env bash
# procscope lsof against lsof 4.95 on this machine (hyperfine medians, output to /dev/null):
#   - the whole system, `lsof -n`, with N extra idle processes (bench/spawn-idle) for each N given;
#   - `lsof -n -p PID` of one process holding 15,000 descriptors (tests/tracees/holdfds).
# Usage: bench/lsof.sh [-r RUNS] [N...]     (default: -r 5  2000 10000)
# Needs root for N beyond kernel.pid_max's room (raised for the run, restored after), hyperfine,
# lsof, a C compiler. Every helper process is removed on exit, error, Ctrl-C or SIGTERM.
set -euo pipefail
here=$(cd "${0%/*}" && pwd)
root=$(cd "$here/.." && pwd)
runs=5
while getopts r: o; do case $o in r) runs=$OPTARG ;; *) exit 2 ;; esac; done
shift $((OPTIND - 1))
[ $# -gt 0 ] || set -- 2000 10000
command -v hyperfine >/dev/null || { echo "bench/lsof.sh: needs hyperfine" >&2; exit 1; }
command -v lsof >/dev/null || { echo "bench/lsof.sh: needs lsof" >&2; exit 1; }
"$here/build.sh" >/dev/null
cc=$(command -v cc || command -v gcc)
"$cc" -O2 -Wall -Wextra -Werror -o "$here/bin/holdfds" "$root/tests/tracees/holdfds.c"
ours="$root/artifacts/bin/procscope"
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

median_ms() { # hyperfine JSON -> median ms of command index $2
  python3 -c 'import json,sys; print("%.0f" % (json.load(open(sys.argv[1]))["results"][int(sys.argv[2])]["median"] * 1000))' "$1" "$2"
}

compare() { # label, ours args..., --, lsof args...
  local label=$1; shift
  local a=() b=()
  while [ "$1" != -- ]; do a+=("$1"); shift; done; shift
  b=("$@")
  local json; json=$(mktemp)
  hyperfine -N -w 1 -r "$runs" -i --export-json "$json" --output=null "$ours lsof ${a[*]}" "lsof ${b[*]}" >/dev/null 2>&1
  local o l; o=$(median_ms "$json" 0); l=$(median_ms "$json" 1); rm -f "$json"
  awk -v lab="$label" -v p="$(ls -d /proc/[0-9]* | wc -l)" -v o="$o" -v l="$l" 'BEGIN { printf "| %s | %d | %d | %d | %.2f |\n", lab, p, o, l, o / l }'
}

printf '| case | processes | ours ms | lsof ms | ours/lsof |\n|---|---|---|---|---|\n'
for n in "$@"; do
  need=$(( $(ls -d /proc/[0-9]* | wc -l) + n + 2000 ))
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
