#!/usr/bin/env bash
# The code the compiler makes of one fused pass, counted (bench/loop_counts.py):
#   bench/inspect.sh gelu                        gelu's three passes
#   bench/inspect.sh silu forward_backward --listing
#   bench/inspect.sh 'silu(x) * y' backward      any expression of x, y, param<K>
#   bench/inspect.sh --table                     every activation: a Markdown table
# An activation's name is looked up in the catalogue (catalogue.hpp: prelu's
# slope is param<0>, swiglu and geglu take x and y).  The build is an
# application's release build for this machine: $CXX (g++ by default)
# -std=c++20 $ACTX_INSPECT_FLAGS (-O3 -DNDEBUG -march=native by default),
# so ACTX_INSPECT_FLAGS='-O3 -DNDEBUG -mavx2 -mfma' shows the AVX2 code, and
# CXX=clang++ clang's.  x86-64 only (objdump's AT&T listing).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/setup.sh"
cxx=${CXX:-g++}
read -r -a flags <<< "${ACTX_INSPECT_FLAGS:--O3 -DNDEBUG -march=native}"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

# build ACTIVATION-OR-EXPRESSION PASS BINARY: the program, run once where it
# was built for this machine's instruction set.
build() {
    local what=-DACTX_EXPRESSION
    [[ "$1" =~ ^[a-z0-9_]+$ ]] && what=-DACTX_ACTIVATION
    "$cxx" -std=c++20 "${flags[@]}" -Wall -Wextra -Werror -I"$root/include" "$what=$1" \
        "-DACTX_PASS=$2" "$root/bench/inspect/pass.cpp" -o "$3"
    if [[ " ${flags[*]} " == *" -march=native "* ]]; then "$3" >/dev/null; fi
}

if [[ "${1:-}" == "--table" ]]; then
    # The catalogue's one-input activations but prelu, whose kernel holds a
    # loop for each way its slope can be laid out (one value, per channel
    # first or last, tiled), chosen at run time: the one that runs cannot be
    # told from the code (bench/inspect.sh prelu --all).
    mapfile -t activations < <(sed -n '/ unary = /,/ binary = /p' "$root/include/actx/catalogue.hpp" |
                               grep -o 'entry{"[a-z0-9_]*"' | cut -d'"' -f2 | grep -vx prelu)
    passes=(forward backward forward_backward)
    for a in "${activations[@]}"; do
        for p in "${passes[@]}"; do build "$a" "$p" "$out/$a.$p" & done
        wait
    done
    echo "$cxx $($cxx -dumpfullversion), ${flags[*]}; per vector (per step / vectors per step):"
    echo
    /usr/bin/python3 "$root/bench/loop_counts.py" --header
    for a in "${activations[@]}"; do
        for p in "${passes[@]}"; do
            /usr/bin/python3 "$root/bench/loop_counts.py" "$out/$a.$p" --row "$a | $p"
        done
    done
    exit 0
fi

[[ $# -ge 1 ]] || { sed -n '2,12p' "$0"; exit 2; }
what=$1
shift
passes=(forward backward forward_backward)
if [[ $# -ge 1 && "$1" != -* ]]; then
    passes=("$1")
    shift
fi
for p in "${passes[@]}"; do
    echo "== $what, $p ($cxx ${flags[*]})"
    build "$what" "$p" "$out/pass"
    /usr/bin/python3 "$root/bench/loop_counts.py" "$out/pass" "$@"
done
