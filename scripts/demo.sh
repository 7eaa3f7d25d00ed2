#!/usr/bin/env bash
# Sets up what is missing, builds the examples and runs the catalogue demo:
# every activation and its compiler-derived derivative on a grid.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/setup.sh"
build="$root/build/demo"
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DACTX_BUILD_TESTS=OFF >/dev/null
cmake --build "$build" --target catalogue
"$build/examples/catalogue" "$@"
