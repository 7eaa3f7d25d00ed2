// expm1 (e^x - 1) for float packs.
//
// Method: in double (see detail/kernels.hpp for why): x = n ln2 + r,
// expm1 = 2^n expm1(r) + (2^n - 1), expm1(r) = r + r^2/2 + r^3 q(r), q of
// degree 5 (relative 2^-37.3).  Near 0, n = 0 and r = x exactly, so tiny x
// keep full relative accuracy; for n = ±1 the sum cancels by at most 1.5x,
// which the 29 spare bits absorb.
//
// Measured (tests/unit/vector_math.cpp: every 256th float pattern over the
// whole range, 2^20 dense points in the hard ranges, special values), max: 0.5001 ULP (at x = -0.1314).
// Special values: NaN -> NaN, +inf -> +inf, -inf -> -1, ±0 -> ±0,
// x > 88.7228 -> +inf, x < -17.33 -> -1 (rounded).
// Cost per float vector: 2 min/max, 2 widen + 1 narrow conversions, and per
// double half 10 fma, 2 sub, 1 mul, 3 integer ops; then 1 compare + 1 blend.
//
// Double packs: lane-by-lane actx::math::expm1 (placeholder).
#pragma once

#include <actx/math/vector/detail/gcc_warnings.hpp>
#include <actx/math/vector/detail/float_kernels.hpp>
#include <actx/math/vector/detail/scalar_fallback.hpp>

#if __has_include(<actx/math/expm1.hpp>)
#include <actx/math/expm1.hpp>
#endif

ACTX_VECTOR_CODE_BEGIN

namespace actx::vector {

template <class A>
inline pack<float, A> expm1(pack<float, A> x) {
    using namespace detail;
    fbatch<A> y = expm1_f(clamp(x.v, -87.0f, 89.0f));
    return {xsimd::select(x.v == fbatch<A>(0.0f), x.v, y)};  // keeps -0
}

#if __has_include(<actx/math/expm1.hpp>)
ACTX_VECTOR_DOUBLE_FALLBACK(expm1)
#endif

}  // namespace actx::vector

ACTX_VECTOR_CODE_END
