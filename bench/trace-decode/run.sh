#!/usr/bin/env bash
# Cost of decoding one system call (entry + exit) in Procscope.Core, without ptrace.
#   bench/trace-decode/run.sh [N]
set -euo pipefail
cd "$(dirname "$0")"
dotnet run -c Release -- "${1:-2000000}"
