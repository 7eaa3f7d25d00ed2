// actx::vector::detail::use_divider: whether the kernels divide with the
// processor's divider where they can form the division's bits without it.
// No xsimd here, so that the evaluator can ask without the vector layer.
#pragma once

// ACTX_USE_DIVIDER: 1 for the kernels to divide with the processor's
// divider where they can otherwise form the division's bits without it (a
// quotient by a constant integer such as hardswish's / 6, by 1 + |x| in
// softsign and its derivative: pack.hpp, softsign.hpp), 0 for them not to.
// The bits are the same either way; the speed differs by processor.  On
// the Xeon of docs/performance.md a loop with a vdivps zmm in it runs at
// about 8 cycles per vector, and the product forms are faster; on Zen 5
// the division is the faster (softsign's backward 0.091 against 0.17 ns
// per element, hardswish's forward 0.054 against 0.093), with 256-bit
// vectors too (AVX2 code on the same machine: hardswish's forward 0.10
// against 0.18, forward_backward 0.32 against 0.50).  The default is 1
// where the target has AVX2 or AVX-512 and is tuned for AMD Zen 3 or later
// (g++ 12's -march=native tunes a Zen 5 as znver3; clang++ 14's names no
// processor, so it stays 0 there), 0 elsewhere; define it to choose.
// Measured on Zen 5 only.  docs/design.md, "Division without the divider".
#ifndef ACTX_USE_DIVIDER
#if (defined(__AVX512F__) || defined(__AVX2__)) &&                                    \
    (defined(__tune_znver3__) || defined(__tune_znver4__) || defined(__tune_znver5__) || \
     defined(__znver3__) || defined(__znver4__) || defined(__znver5__))
#define ACTX_USE_DIVIDER 1
#else
#define ACTX_USE_DIVIDER 0
#endif
#endif

namespace actx::vector::detail {
inline constexpr bool use_divider = ACTX_USE_DIVIDER != 0;
}  // namespace actx::vector::detail
