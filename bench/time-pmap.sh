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
# Timed with a round-robin bash loop ($EPOCHREALTIME): on a shared machine, drifting load then
# hits every command alike (hyperfine runs one command's runs in a row).
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

# roundrobin RUNS CMD1 CMD2 ...: runs each command once per round, RUNS rounds, so that load
# from other work on a shared machine hits every command alike; prints each command's median ms.
# Each figure includes bash's fork+exec of the command, the same for all: compare differences.
roundrobin() {
  local n=$1; shift
  local k i s e
  local -a files=()
  for ((k = 0; k < $#; k++)); do files+=("$tmp/rr.$k"); : > "$tmp/rr.$k"; done
  local -a cmds=("$@")
  for ((i = 0; i < n; i++)); do
    for ((k = 0; k < ${#cmds[@]}; k++)); do
      s=$EPOCHREALTIME
      # shellcheck disable=SC2086
      ${cmds[$k]} >/dev/null 2>&1
      e=$EPOCHREALTIME
      echo "$s $e" >> "${files[$k]}"
    done
  done
  for f in "${files[@]}"; do
    awk '{ printf "%.4f\n", ($2 - $1) * 1000 }' "$f" | sort -g | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
  done
}
tmp=$(mktemp -d /tmp/procscope-bench.XXXXXX)
trap 'cleanup; rm -rf "$tmp"' EXIT

echo "machine: $(uname -r), $(nproc) CPUs, $(awk '/MemTotal/ { printf "%.1f GB", $2 / 1048576 }' /proc/meminfo)"
echo
echo "== time: start-up overhead ($runs runs each, median ms) =="
mapfile -t r < <(roundrobin "$runs" "/bin/true" "/usr/bin/time -o /dev/null /bin/true" "$ours time -o /dev/null /bin/true" "$ours time -v -o /dev/null /bin/true" "$ours --version")
t_true=${r[0]} t_gnu=${r[1]} t_ours=${r[2]} t_v=${r[3]} t_start=${r[4]}
printf '%-40s %8s %12s\n' command median "over true"
for row in "true:$t_true" "/usr/bin/time true:$t_gnu" "procscope time true:$t_ours" "procscope time -v true (cgroup+sampler):$t_v"; do
  name=${row%%:*}; v=${row##*:}
  printf '%-40s %8s %12s\n' "$name" "$v" "$(awk -v a="$v" -v b="$t_true" 'BEGIN { printf "%+.3f", a - b }')"
done
printf '%-40s %8s %12s\n' "procscope --version (runtime start-up)" "$t_start" "$(awk -v a="$t_start" -v b="$t_true" 'BEGIN { printf "%+.3f", a - b }')"
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
  mapfile -t r < <(roundrobin "$prunss" "$ours pmap $fmt $holder" "pmap $fmt $holder")
  a=${r[0]} b=${r[1]}
  printf '%-10s %10s %10s %12s\n' "${fmt:-default}" "$a" "$b" "$(awk -v a="$a" -v b="$b" 'BEGIN { printf "%.2f", a / b }')"
done
