#!/bin/bash
# Builds the bench helpers into bench/bin/ (ignored by git). Rebuilds only when the source is newer.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cc=$(command -v cc || command -v gcc || command -v clang) || { echo "bench/build.sh: needs a C compiler (apt-get install gcc)" >&2; exit 1; }
mkdir -p "$here/bin"
for src in "$here"/*.c; do
  exe="$here/bin/$(basename "$src" .c)"
  if [ ! -x "$exe" ] || [ "$src" -nt "$exe" ]; then
    "$cc" -O2 -Wall -Wextra -Werror -o "$exe" "$src"
  fi
done
