// expm1 (e^x - 1) for float packs.
//
// Method: in float lanes (detail/float_kernels.hpp, expm1_f): e^x = 2^n (1 + u)
// with u = e^r - 1 kept apart, so e^x - 1 = 2 (2^(n-1) u + (2^(n-1) - 1/2)) is
// one fma of exact pieces (2^(n-1) - 1/2 is exact for |n| <= 24).  Near 0,
// n = 0 and the result is u itself, relatively accurate for tiny x.
//
// Measured (tests/unit/vector_math.cpp, every 256th float pattern, 2^20 dense
// points, special values): max 1.67 ULP (at x = 0.35, where n = 1 and
// u ~ -0.3 is doubled); for x <= 0 (elu, selu, celu) 1.13 ULP.  Full sweep:
// docs/accuracy.md.
// Special values: NaN -> NaN, +inf -> +inf, -inf -> -1, ±0 -> ±0,
// x > 88.7228 -> +inf, x < -17.33 -> -1 (rounded).
// Cost per vector: 2 min/max, 1 exponential (6 fma, 4 add/mul, 6 integer
// ops), 1 fma, 3 mul/sub, 1 compare + 1 blend.
//
// Double packs: lane-by-lane actx::math::expm1 (placeholder).
#pragma once

#include <actx/math/vector/detail/code.hpp>
#include <actx/math/vector/detail/float_kernels.hpp>
#include <actx/math/vector/detail/scalar_fallback.hpp>

#if __has_include(<actx/math/expm1.hpp>)
#include <actx/math/expm1.hpp>
#endif

ACTX_VECTOR_CODE_BEGIN

namespace actx::vector {

template <class A>
ACTX_INLINE pack<float, A> expm1(pack<float, A> x) {
    using namespace detail;
    fbatch<A> y = expm1_f(clamp(x.v, -87.0f, 89.0f));
    // expm1(x) rounds to x for |x| < 2^-60 (keeps -0, and avoids halving a
    // tiny x into the subnormals).
    return {xsimd::select(xsimd::abs(x.v) < fbatch<A>(0x1p-60f), x.v, y)};
}

#if __has_include(<actx/math/expm1.hpp>)
ACTX_VECTOR_DOUBLE_FALLBACK(expm1)
#endif

}  // namespace actx::vector

ACTX_VECTOR_CODE_END
