#!/usr/bin/env bash
# Compile cost of the catalogue: wall time and peak memory of g++ -O2 and
# clang++ -O2 on bench/compile_time/catalogue.cpp (every activation and its
# first derivative, for float and double). Best of 3 runs, as a Markdown table.
#   bench/compile_time.sh            (the goal: at most 5 s and 600 MB each)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/setup.sh"
source="$root/bench/compile_time/catalogue.cpp"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

echo "| compiler | seconds (best of 3) | peak memory (MB) |"
echo "|---|---|---|"
for cxx in g++ clang++; do
    best_time=; best_mem=
    for _ in 1 2 3; do
        /usr/bin/time -f "%e %M" -o "$out/time" \
            "$cxx" -std=c++20 -O2 -Wall -Wextra -Werror -I"$root/include" "$source" -o "$out/a.out"
        read -r seconds kilobytes < "$out/time"
        if [[ -z "$best_time" ]] || awk "BEGIN{exit !($seconds < $best_time)}"; then best_time=$seconds; fi
        if [[ -z "$best_mem" || $kilobytes -lt $best_mem ]]; then best_mem=$kilobytes; fi
    done
    "$out/a.out" >/dev/null
    echo "| $($cxx --version | head -1) | $best_time | $((best_mem / 1024)) |"
done
