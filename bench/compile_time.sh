#!/usr/bin/env bash
# Compile cost of the catalogue: wall time and peak memory of g++ -O2 and
# clang++ -O2 on bench/compile_time/catalogue.cpp (every activation and its
# first derivative, for float and double). Best of 3 runs, as a Markdown table.
# Then the cost of one fused kernel (bench/compile_time/kernel.cpp: an
# activation's three passes on float arrays) in a release build for this
# machine, -O3 -march=native, for one activation of each kind, beside a
# translation unit that only includes <actx/actx.hpp>.
#   bench/compile_time.sh            (the goal: at most 5 s and 600 MB each)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/setup.sh"
source="$root/bench/compile_time/catalogue.cpp"
kernel_source="$root/bench/compile_time/kernel.cpp"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

# Best of 3: "seconds megabytes" of compiling with the arguments given into
# $out/a.out (a failed compile fails the script).
best_of_three() {
    local best_time= best_mem= seconds kilobytes
    for _ in 1 2 3; do
        /usr/bin/time -f "%e %M" -o "$out/time" "$@" -o "$out/a.out" || return 1
        read -r seconds kilobytes < "$out/time"
        if [[ -z "$best_time" ]] || awk "BEGIN{exit !($seconds < $best_time)}"; then best_time=$seconds; fi
        if [[ -z "$best_mem" || $kilobytes -lt $best_mem ]]; then best_mem=$kilobytes; fi
    done
    echo "$best_time $((best_mem / 1024))"
}
echo "| compiler | seconds (best of 3) | peak memory (MB) |"
echo "|---|---|---|"
for cxx in g++ clang++; do
    timing=$(best_of_three "$cxx" -std=c++20 -O2 -Wall -Wextra -Werror -I"$root/include" "$source")
    read -r seconds megabytes <<< "$timing"
    "$out/a.out" >/dev/null
    echo "| $($cxx --version | head -1) | $seconds | $megabytes |"
done

printf '#include <actx/actx.hpp>\nint main() {}\n' > "$out/include_only.cpp"
echo
echo "| kernel (forward, backward, forward_backward; -O3 -march=native) | g++ s | g++ MB | clang++ s | clang++ MB |"
echo "|---|---|---|---|---|"
for activation in include_only relu elu gelu mish; do
    row="| $activation |"
    for cxx in g++ clang++; do
        flags=("$cxx" -std=c++20 -O3 -DNDEBUG -march=native -Wall -Wextra -Werror -I"$root/include")
        if [[ $activation == include_only ]]; then
            timing=$(best_of_three "${flags[@]}" "$out/include_only.cpp")
        else
            timing=$(best_of_three "${flags[@]}" -DACTX_ACTIVATION="$activation" "$kernel_source")
            "$out/a.out" >/dev/null
        fi
        read -r seconds megabytes <<< "$timing"
        row+=" $seconds | $megabytes |"
    done
    echo "$row"
done
