#!/usr/bin/env bash
# Builds and runs the speed benchmarks, then prints the report (Markdown
# tables of ns/element and the ratios the project's goals are about) and
# draws bench/results/ratios.png.  See docs/performance.md.
#   scripts/bench.sh                                   everything (about 10 minutes on 2 cores)
#   scripts/bench.sh --benchmark_filter='^gelu/'       one activation
#   scripts/bench.sh --benchmark_filter='/4096$'       one size
#   ACTX_BENCH_UPDATE_DOCS=1 scripts/bench.sh          also rewrite the tables in docs/performance.md
#   ACTX_BENCH_CXX=clang++ scripts/bench.sh            another compiler (default g++), built apart
#   ACTX_BENCH_ISA=avx2 scripts/bench.sh               AVX2 code on this machine, built apart: actx,
#                                                      Eigen and the loops built with -mno-avx512f,
#                                                      oneDNN and PyTorch limited to AVX2 when they run
# Extra arguments go to the benchmark binary (Google Benchmark's flags).
# It also builds build/bench/bench/bench_peer_accuracy, which prints the
# errors of actx and every peer against a __float128 reference (about a
# minute; docs/performance.md, "Accuracy of the peers"), and
# build/bench/bench/bench_machine, the throughput of the machine's 512-bit
# instructions (docs/performance.md, "What bounds the loops").
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/setup.sh" --bench

cxx=${ACTX_BENCH_CXX:-g++}
build="$root/build/bench"
[[ "$cxx" != g++ ]] && build="$root/build/bench-$(basename "$cxx")"
arch="-march=native"
suffix=""
case "${ACTX_BENCH_ISA:-native}" in
    native)
        # The tables of docs/performance.md are the AVX-512 code's: a
        # machine without it (-march=native is then AVX2 or less) has its
        # own results, as an avx2 run does.
        if [[ "${ACTX_BENCH_UPDATE_DOCS:-}" == 1 ]] && ! grep -qw avx512f /proc/cpuinfo; then
            echo "bench.sh: this machine has no AVX-512; ACTX_BENCH_UPDATE_DOCS=1 would rewrite the AVX-512 tables with its code" >&2
            exit 2
        fi
        ;;
    avx2)
        # docs/performance.md's tables are this machine's widest code; an
        # AVX2 run has its own results and plot and leaves them alone.
        if [[ "${ACTX_BENCH_UPDATE_DOCS:-}" == 1 ]]; then
            echo "bench.sh: ACTX_BENCH_UPDATE_DOCS=1 rewrites the AVX-512 tables; not with ACTX_BENCH_ISA=avx2" >&2
            exit 2
        fi
        arch="-march=native -mno-avx512f"
        suffix="-avx2"
        build="$build-avx2"
        export ONEDNN_MAX_CPU_ISA=AVX2 ATEN_CPU_CAPABILITY=avx2
        ;;
    *)
        echo "bench.sh: ACTX_BENCH_ISA is native or avx2, not '${ACTX_BENCH_ISA}'" >&2
        exit 2
        ;;
esac
jobs=$(( $(nproc) < 2 ? $(nproc) : 2 ))
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_CXX_COMPILER="$cxx" -DCMAKE_BUILD_TYPE=Release \
      -DACTX_BUILD_BENCH=ON -DACTX_BUILD_TESTS=OFF -DACTX_BUILD_EXAMPLES=OFF \
      -DACTX_ARCH_FLAGS="$arch" >/dev/null
cmake --build "$build" -j "$jobs" --target bench_activations bench_peer_accuracy bench_machine

mkdir -p "$root/bench/results"
out="$root/bench/results/latest$suffix.json"
OMP_NUM_THREADS=1 "$build/bench/bench_activations" \
    --benchmark_out="$out" --benchmark_out_format=json "$@"

# Debian's python3, the one python3-matplotlib is installed for, even when
# another python3 comes first on PATH.
python=/usr/bin/python3
[[ -x "$python" ]] || python=python3
report=("$python" "$root/bench/report.py" "$out" --plot "$root/bench/results/ratios$suffix.png")
[[ "${ACTX_BENCH_UPDATE_DOCS:-}" == 1 ]] && report+=(--update-docs)
"${report[@]}"
