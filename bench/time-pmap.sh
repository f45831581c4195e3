#!/bin/bash
# time-pmap.sh: procscope time and pmap against GNU time and procps pmap on this machine.
#
#   bench/time-pmap.sh [-r RUNS] [-m MAPPINGS]
#     -r RUNS      timed runs per command (default 200 for time, RUNS/4 for pmap)
#     -m MAPPINGS  mappings of the process pmap reads (default 1000; bench/many-maps)
#
# 1. Start-up overhead: "true", "/usr/bin/time true" and "procscope time true" (report to
#    /dev/null with -o), each run RUNS times; prints medians and the overhead over bare "true".
#    Also "procscope time -v true", which creates and removes the transient cgroup and samples.
# 2. pmap -X, -x and the default format on a process with MAPPINGS mappings, ours and procps.
# Uses hyperfine (-N, no shell) when installed, else a bash loop with $EPOCHREALTIME.
set -u -o pipefail
export LC_ALL=C
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
ours="$repo/artifacts/bin/procscope"
runs=200
maps=1000
while [ $# -gt 0 ]; do
  case "$1" in
    -r) runs=$2; shift 2 ;;
    -m) maps=$2; shift 2 ;;
    -h|--help) sed -n '2,/^set -u/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "time-pmap.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
[ -x "$ours" ] || { echo "time-pmap.sh: build first: ./procscope --version" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "time-pmap.sh: needs GNU time (apt-get install time)" >&2; exit 1; }
command -v pmap >/dev/null || { echo "time-pmap.sh: needs procps pmap" >&2; exit 1; }
"$here/build.sh" || exit 1

holder=""
cleanup() { [ -n "$holder" ] && kill "$holder" 2>/dev/null && wait "$holder" 2>/dev/null; holder=""; }
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM HUP

# median_ms RUNS CMD...: median wall time in ms of RUNS runs (bash loop).
median_ms() {
  local n=$1; shift
  local t=() i s e
  for ((i = 0; i < n; i++)); do
    s=$EPOCHREALTIME; "$@" >/dev/null 2>&1; e=$EPOCHREALTIME
    t+=("$(awk -v s="$s" -v e="$e" 'BEGIN { printf "%.4f", (e - s) * 1000 }')")
  done
  printf '%s\n' "${t[@]}" | sort -g | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}

hf=$(command -v hyperfine || true)
# measure RUNS NAME CMD: median ms
measure() {
  local n=$1 name=$2 cmd=$3
  if [ -n "$hf" ]; then
    "$hf" -N -w 5 -r "$n" --export-json "$tmp/$name.json" "$cmd" >/dev/null 2>&1 || { echo "failed"; return; }
    python3 -c "import json,sys; print('%.3f' % (json.load(open(sys.argv[1]))['results'][0]['median'] * 1000))" "$tmp/$name.json"
  else
    # shellcheck disable=SC2086
    median_ms "$n" $cmd
  fi
}
tmp=$(mktemp -d /tmp/procscope-bench.XXXXXX)
trap 'cleanup; rm -rf "$tmp"' EXIT

echo "machine: $(uname -r), $(nproc) CPUs, $(awk '/MemTotal/ { printf "%.1f GB", $2 / 1048576 }' /proc/meminfo)"
echo
echo "== time: start-up overhead ($runs runs each, median ms) =="
t_true=$(measure "$runs" true "/bin/true")
t_gnu=$(measure "$runs" gnu "/usr/bin/time -o /dev/null /bin/true")
t_ours=$(measure "$runs" ours "$ours time -o /dev/null /bin/true")
t_v=$(measure "$runs" oursv "$ours time -v -o /dev/null /bin/true")
printf '%-40s %8s %12s\n' command median "over true"
for row in "true:$t_true" "/usr/bin/time true:$t_gnu" "procscope time true:$t_ours" "procscope time -v true (cgroup+sampler):$t_v"; do
  name=${row%%:*}; v=${row##*:}
  printf '%-40s %8s %12s\n' "$name" "$v" "$(awk -v a="$v" -v b="$t_true" 'BEGIN { printf "%+.3f", a - b }')"
done
printf 'procscope time true - /usr/bin/time true: %s ms (target: within 1.5 ms)\n' "$(awk -v a="$t_ours" -v b="$t_gnu" 'BEGIN { printf "%+.3f", a - b }')"

echo
prunss=$(( runs / 4 > 5 ? runs / 4 : 5 ))
"$here/bin/many-maps" "$maps" > "$tmp/holder.out" &
holder=$!
for _ in $(seq 1 100); do grep -q ready "$tmp/holder.out" && break; sleep 0.05; done
n_maps=$(wc -l < "/proc/$holder/maps")
echo "== pmap on a process with $n_maps mappings ($prunss runs each, median ms) =="
printf '%-10s %10s %10s %12s\n' format ours procps ours/procps
for fmt in -X -XX -x ""; do
  a=$(measure "$prunss" "p$fmt" "$ours pmap $fmt $holder")
  b=$(measure "$prunss" "q$fmt" "pmap $fmt $holder")
  printf '%-10s %10s %10s %12s\n' "${fmt:-default}" "$a" "$b" "$(awk -v a="$a" -v b="$b" 'BEGIN { printf "%.2f", a / b }')"
done
