#!/bin/bash
# Runs two command lines alternately N times (A, B, A, B …) and prints each one's median wall time
# and the ratio A/B. Alternating spreads load changes over both sides.
#   bench/alternate.sh N COMMAND-A… -- COMMAND-B…
set -u
n=$1; shift
A=(); B=(); cur=A
for x in "$@"; do
  if [ "$x" = "--" ]; then cur=B; continue; fi
  if [ $cur = A ]; then A+=("$x"); else B+=("$x"); fi
done
a=(); b=()
for _ in $(seq "$n"); do
  s=$(date +%s%N); "${A[@]}" >/dev/null 2>&1; e=$(date +%s%N); a+=($(( (e - s) / 1000 )))
  s=$(date +%s%N); "${B[@]}" >/dev/null 2>&1; e=$(date +%s%N); b+=($(( (e - s) / 1000 )))
done
median() { printf '%s\n' "$@" | sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }
ma=$(median "${a[@]}"); mb=$(median "${b[@]}")
echo "A median ${ma} us  B median ${mb} us  ratio $(echo "scale=3; $ma / $mb" | bc)"
