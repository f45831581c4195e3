#!/usr/bin/env bash
# CPU per refresh and peak RSS of `procscope top -b` against procps `top -b`, with N extra idle
# processes (bench/spawn-idle). Usage: bench/top-cost.sh [-n REFRESHES] [-d DELAY] [-b BINARY] N...
# CPU is user+system time of the whole run (GNU time), divided by the number of refreshes.
# -b measures another procscope binary (e.g. a copy of an earlier build) instead of this tree's.
set -euo pipefail
here=$(cd "${0%/*}" && pwd)
root=$(cd "$here/.." && pwd)
refreshes=30 delay=1 ours=
while getopts n:d:b: o; do case $o in n) refreshes=$OPTARG ;; d) delay=$OPTARG ;; b) ours=$OPTARG ;; *) exit 2 ;; esac; done
shift $((OPTIND - 1))
"$here/build.sh" >/dev/null
if [ -z "$ours" ]; then "$root/procscope" --version >/dev/null; ours="$root/artifacts/bin/procscope"; fi
spawner=
cleanup() { [ -n "$spawner" ] && kill "$spawner" 2>/dev/null && wait "$spawner" 2>/dev/null; spawner=; }
trap cleanup EXIT INT TERM HUP
measure() { # prints "cpu_ms_per_refresh max_rss_kib"
  /usr/bin/time -f '%U %S %M' -o /tmp/top-cost.$$ "$@" >/dev/null
  read -r u s m </tmp/top-cost.$$; rm -f /tmp/top-cost.$$
  awk -v u="$u" -v s="$s" -v m="$m" -v n="$refreshes" 'BEGIN { printf "%.1f %d\n", (u + s) * 1000 / n, m }'
}
printf '| N | processes | refreshes | ours ms CPU/refresh | top ms CPU/refresh | ratio | ours max RSS MiB | top max RSS MiB |\n|---|---|---|---|---|---|---|---|\n'
for n in "${@:-5000}"; do
  coproc SP { "$here/bin/spawn-idle" "$n"; }
  spawner=$SP_PID
  read -r _ _ <&"${SP[0]}"   # "ready N"
  procs=$( (ls -d /proc/[0-9]* 2>/dev/null || true) | wc -l)  # processes may exit during the listing
  read -r oc or < <(measure "$ours" top -b -d "$delay" -n "$refreshes")
  read -r tc tr < <(measure top -b -d "$delay" -n "$refreshes")
  awk -v n="$n" -v p="$procs" -v r="$refreshes" -v oc="$oc" -v tc="$tc" -v or="$or" -v tr="$tr" \
    'BEGIN { printf "| %d | %d | %d | %.1f | %.1f | %.2f | %.1f | %.1f |\n", n, p, r, oc, tc, oc / tc, or / 1024, tr / 1024 }'
  cleanup
done
