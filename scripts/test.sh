#!/usr/bin/env bash
# Sets up what is missing, then builds and runs the whole test suite in five
# configurations: g++ and clang++ (the latter under AddressSanitizer +
# UBSan) for this machine's widest vectors, clang++ for AVX2 (the kernels
# on 256-bit vectors) and for the x86-64 baseline, SSE2 only (128-bit
# vectors, no FMA), and clang++ cross-compiling for 64-bit ARM (NEON,
# 128-bit vectors with FMA), its tests run under qemu-user.  A sixth,
# `sanitize` (g++ -O0 under the sanitizers), runs only when named.
# Usage: scripts/test.sh [config...]   configs: gcc clang avx2 sse neon sanitize (default: gcc clang avx2 sse neon)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/setup.sh"

configs=("$@")
[[ ${#configs[@]} -eq 0 ]] && configs=(gcc clang avx2 sse neon)
jobs=$(nproc)
failed=()
for config in "${configs[@]}"; do
    case "$config" in
        gcc)      args=(-DCMAKE_CXX_COMPILER=g++ -DCMAKE_BUILD_TYPE=Release) ;;
        # The sanitizers on optimised code (-O3; -O1 compiles kernel.cpp no
        # faster: 375 s against 360, side by side): every test, at full rounds (the
        # primitives' sweeps at a quarter density), in 580 s on the 2-core
        # Xeon, where clang++ alone and g++ -O0 under the sanitizers took
        # 385 and 488 s.  Sanitizing does not change a result: the tests
        # check the same bits and bounds as in the g++ build.
        clang)    args=(-DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=Release -DACTX_SANITIZE=ON) ;;
        # The other instruction sets rerun the unit tests whose code depends
        # on the instruction set, and the examples; `sanitize` reruns
        # every unit test and example.  Neither reruns the compile-time and
        # packaging checks, or (for the instruction sets) the tests of scalar
        # code: they cannot change what those check.
        # Both with clang++, which compiles the kernel tests in less time
        # than g++: tests/unit/kernel.cpp takes 143 s for AVX2 with clang++,
        # 229 to 259 s for AVX-512 with g++, 276 s for SSE2 with g++.
        avx2)     args=(-DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=Release "-DACTX_ARCH_FLAGS=-mavx2 -mfma"
                        -DACTX_TEST_SCOPE=isa) ;;
        # The flags replace the default -march=native, so nothing above SSE2 is enabled.
        sse)      args=(-DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=Release "-DACTX_ARCH_FLAGS=-march=x86-64 -mtune=generic"
                        -DACTX_TEST_SCOPE=isa) ;;
        # AArch64's baseline, NEON (cmake/aarch64-linux-gnu.cmake); the
        # emulated tests run fewer rounds (ACTX_TEST_SLOW, tests/unit/sanitized.hpp).
        neon)     args=(-DCMAKE_TOOLCHAIN_FILE="$root/cmake/aarch64-linux-gnu.cmake" -DCMAKE_CXX_COMPILER=clang++
                        -DCMAKE_BUILD_TYPE=Release -DACTX_ARCH_FLAGS= -DACTX_TEST_SCOPE=isa) ;;
        # -O0: the kernels' templates under ASan took 11 minutes to compile
        # at -O1 -g (kernel.cpp alone, 2 cores); at -O0 they compile 5 times
        # faster and the tests run 4 times slower, a net gain of minutes.
        # clang++ -O0 compiles them in 0.55 of the time, but its code runs
        # the kernel tests several times slower under the sanitizers: the
        # configuration took 574 s with clang++ against 497 s with g++.
        sanitize) args=(-DCMAKE_CXX_COMPILER=g++ -DCMAKE_BUILD_TYPE=Debug -DACTX_SANITIZE=ON
                        -DACTX_SANITIZE_SKIP=object-size,null,vptr
                        "-DCMAKE_CXX_FLAGS_DEBUG=-O0 -g" -DACTX_TEST_SCOPE=runtime) ;;
        *) echo "unknown configuration '$config' (gcc, clang, avx2, sse, neon, sanitize)" >&2; exit 2 ;;
    esac
    build="$root/build/test-$config"
    echo "=== actx tests: $config"
    started=$SECONDS
    cmake -S "$root" -B "$build" -G Ninja "${args[@]}" >/dev/null
    cmake --build "$build" -j "$jobs"
    if ! (cd "$build" && ctest --output-on-failure -j "$jobs"); then
        failed+=("$config")
    fi
    echo "=== $config took $((SECONDS - started)) s"
done
if [[ ${#failed[@]} -ne 0 ]]; then
    echo "actx tests FAILED in: ${failed[*]}"
    exit 1
fi
echo "actx tests passed in: ${configs[*]}"
