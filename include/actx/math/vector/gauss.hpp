// gauss (e^(-x^2)) for float packs.
//
// Method: in double (detail/kernels.hpp): x^2 is exact in double, so the only
// errors are the double exponential's (2^-37) and the final rounding; in float
// the rounding of x^2 alone would be amplified by x^2 (up to 87x).  |x| is
// clamped to 11 (e^-121 is below the float subnormals).
//
// Measured (tests/unit/vector_math.cpp: every 256th float pattern over the
// whole range, 2^20 dense points in the hard ranges, special values), max: 0.5000 ULP (at x = -0.4901).
// Special values: NaN -> NaN, ±inf -> +0, ±0 -> 1.
// Cost per float vector: abs + min, 2 widen + 1 narrow; per double half
// 10 fma, 2 mul/sub, 3 integer ops.
//
// Double packs: lane-by-lane actx::math::gauss (placeholder).
#pragma once

#include <actx/math/vector/detail/code.hpp>
#include <actx/math/vector/detail/kernels.hpp>
#include <actx/math/vector/detail/scalar_fallback.hpp>

#if __has_include(<actx/math/gauss.hpp>)
#include <actx/math/gauss.hpp>
#endif

ACTX_VECTOR_CODE_BEGIN

namespace actx::vector {

template <class A>
ACTX_INLINE pack<float, A> gauss(pack<float, A> x) {
    using namespace detail;
    fbatch<A> a = xsimd::min(fbatch<A>(11.0f), xsimd::abs(x.v));
    return {in_double(a, [](dbatch<A> v) { return exp_d(-(v * v)); })};
}

#if __has_include(<actx/math/gauss.hpp>)
ACTX_VECTOR_DOUBLE_FALLBACK(gauss)
#endif

}  // namespace actx::vector

ACTX_VECTOR_CODE_END
