// What bounds the fused loops on this machine: the throughput of its 512-bit
// floating-point instructions, in blocks of independent operations that no
// latency limits (24 registers, each a chain of 2 FMAs or 2 additions per
// block; 4 more for the divisions or vscalefps, 1 each).  A block takes the
// time its instructions take to issue, so blocks with the same count and
// different mixes show which instructions share units: 48 FMAs, 48
// additions, and 24 of each, which here take half the time of the others
// (separate FMA and add ports, two of each); and the extra time of 4
// divisions or 4 vscalefps beside 48 FMAs is what one of them costs in a
// loop of FMAs; and 12 compares into mask registers beside 48 FMAs or 48
// additions, what the loops' selects and exceptional-element tests take
// from either kind of port (docs/performance.md, "What bounds the loops").
// Built only for AVX-512; elsewhere it says so and measures nothing.
#include <benchmark/benchmark.h>

#if defined(__AVX512F__)
#include <immintrin.h>

namespace {

// One instruction on register r, its other operand a register that stays 1
// or 0, so that the values stay normal (r + 1 * 1 grows by one; r / 1 and
// r 2^0 keep r).
#define ACTX_FMA(r) asm volatile("vfmadd231ps %1, %1, %0" : "+v"(r) : "v"(one));
#define ACTX_ADD(r) asm volatile("vaddps %1, %0, %0" : "+v"(r) : "v"(zero));
#define ACTX_DIV(r) asm volatile("vdivps %1, %0, %0" : "+v"(r) : "v"(one));
#define ACTX_SCALEF(r) asm volatile("vscalefps %1, %0, %0" : "+v"(r) : "v"(zero));
// A compare of r with 0 into a mask register that nothing reads.
#define ACTX_CMP(r)                                                                \
    {                                                                              \
        __mmask16 m;                                                               \
        asm volatile("vcmpleps %2, %1, %0" : "=Yk"(m) : "v"(r), "v"(zero));        \
    }
#define ACTX_A(OP) OP(a0) OP(a1) OP(a2) OP(a3) OP(a4) OP(a5) OP(a6) OP(a7) OP(a8) OP(a9) OP(a10) OP(a11)
#define ACTX_B(OP) OP(b0) OP(b1) OP(b2) OP(b3) OP(b4) OP(b5) OP(b6) OP(b7) OP(b8) OP(b9) OP(b10) OP(b11)
#define ACTX_Q(OP) OP(q0) OP(q1) OP(q2) OP(q3)

enum class mix { fma, add, fma_and_add, fma_and_div, fma_and_scalef, fma_add_and_scalef, fma_and_cmp, add_and_cmp };

template <mix M>
void block(benchmark::State& state) {
    __m512 const zero = _mm512_setzero_ps(), one = _mm512_set1_ps(1.0f);
    __m512 a0 = zero, a1 = zero, a2 = zero, a3 = zero, a4 = zero, a5 = zero, a6 = zero, a7 = zero, a8 = zero,
           a9 = zero, a10 = zero, a11 = zero;
    __m512 b0 = zero, b1 = zero, b2 = zero, b3 = zero, b4 = zero, b5 = zero, b6 = zero, b7 = zero, b8 = zero,
           b9 = zero, b10 = zero, b11 = zero;
    __m512 q0 = one, q1 = one, q2 = one, q3 = one;
    constexpr int per_block = M == mix::fma || M == mix::add || M == mix::fma_and_add ? 48
                              : M == mix::fma_and_cmp || M == mix::add_and_cmp       ? 60
                                                                                      : 52;
    for (auto _ : state) {
        for (int i = 0; i < 64; ++i) {
            if constexpr (M == mix::fma) {
                ACTX_A(ACTX_FMA) ACTX_B(ACTX_FMA) ACTX_A(ACTX_FMA) ACTX_B(ACTX_FMA)
            } else if constexpr (M == mix::add) {
                ACTX_A(ACTX_ADD) ACTX_B(ACTX_ADD) ACTX_A(ACTX_ADD) ACTX_B(ACTX_ADD)
            } else if constexpr (M == mix::fma_and_add) {
                ACTX_A(ACTX_FMA) ACTX_B(ACTX_ADD) ACTX_A(ACTX_FMA) ACTX_B(ACTX_ADD)
            } else if constexpr (M == mix::fma_and_div) {
                ACTX_A(ACTX_FMA) ACTX_B(ACTX_FMA) ACTX_Q(ACTX_DIV) ACTX_A(ACTX_FMA) ACTX_B(ACTX_FMA)
            } else if constexpr (M == mix::fma_and_scalef) {
                ACTX_A(ACTX_FMA) ACTX_B(ACTX_FMA) ACTX_Q(ACTX_SCALEF) ACTX_A(ACTX_FMA) ACTX_B(ACTX_FMA)
            } else if constexpr (M == mix::fma_add_and_scalef) {
                ACTX_A(ACTX_FMA) ACTX_B(ACTX_ADD) ACTX_Q(ACTX_SCALEF) ACTX_A(ACTX_FMA) ACTX_B(ACTX_ADD)
            } else if constexpr (M == mix::fma_and_cmp) {
                ACTX_A(ACTX_FMA) ACTX_B(ACTX_FMA) ACTX_A(ACTX_CMP) ACTX_A(ACTX_FMA) ACTX_B(ACTX_FMA)
            } else {
                ACTX_A(ACTX_ADD) ACTX_B(ACTX_ADD) ACTX_A(ACTX_CMP) ACTX_A(ACTX_ADD) ACTX_B(ACTX_ADD)
            }
        }
    }
    __m512 sum = _mm512_add_ps(_mm512_add_ps(_mm512_add_ps(a0, a1), _mm512_add_ps(a2, a3)),
                               _mm512_add_ps(_mm512_add_ps(a4, a5), _mm512_add_ps(a6, a7)));
    sum = _mm512_add_ps(sum, _mm512_add_ps(_mm512_add_ps(a8, a9), _mm512_add_ps(a10, a11)));
    sum = _mm512_add_ps(sum, _mm512_add_ps(_mm512_add_ps(_mm512_add_ps(b0, b1), _mm512_add_ps(b2, b3)),
                                           _mm512_add_ps(_mm512_add_ps(b4, b5), _mm512_add_ps(b6, b7))));
    sum = _mm512_add_ps(sum, _mm512_add_ps(_mm512_add_ps(b8, b9), _mm512_add_ps(b10, b11)));
    sum = _mm512_add_ps(sum, _mm512_add_ps(_mm512_add_ps(q0, q1), _mm512_add_ps(q2, q3)));
    benchmark::DoNotOptimize(sum);
    // items: instructions; seconds_per_block: one block's time.
    state.SetItemsProcessed(state.iterations() * 64 * per_block);
    state.counters["seconds_per_block"] =
        benchmark::Counter(static_cast<double>(state.iterations()) * 64,
                           benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}

#undef ACTX_FMA
#undef ACTX_ADD
#undef ACTX_DIV
#undef ACTX_SCALEF
#undef ACTX_CMP
#undef ACTX_A
#undef ACTX_B
#undef ACTX_Q

}  // namespace

BENCHMARK(block<mix::fma>)->Name("machine/48_fma/zmm");
BENCHMARK(block<mix::add>)->Name("machine/48_add/zmm");
BENCHMARK(block<mix::fma_and_add>)->Name("machine/24_fma_24_add/zmm");
BENCHMARK(block<mix::fma_and_div>)->Name("machine/48_fma_4_div/zmm");
BENCHMARK(block<mix::fma_and_scalef>)->Name("machine/48_fma_4_scalef/zmm");
BENCHMARK(block<mix::fma_add_and_scalef>)->Name("machine/24_fma_24_add_4_scalef/zmm");
BENCHMARK(block<mix::fma_and_cmp>)->Name("machine/48_fma_12_cmp/zmm");
BENCHMARK(block<mix::add_and_cmp>)->Name("machine/48_add_12_cmp/zmm");

#else

namespace {
void no_avx512(benchmark::State& state) {
    for (auto _ : state) {
    }
    state.SkipWithError("built without AVX-512: bench_machine measures 512-bit instructions only");
}
}  // namespace
BENCHMARK(no_avx512)->Name("machine/none");

#endif

BENCHMARK_MAIN();
