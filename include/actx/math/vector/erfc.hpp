// erfc for float packs, relatively accurate in the right tail.
//
// Method: in double (detail/kernels.hpp): erfc(y) = t e^(-y^2) P(t),
// t = 3/(3 + y), y = |x| clamped to 11 (erfc(11) is far below the float
// subnormals), P of degree 12 (relative 2^-34.4; fit/fit.py erfc_double 3 12).
// y^2 is exact in double (a float squared has 48 bits), so the exponential's
// argument carries no error and the tail is accurate to the last normal float
// (x ~ 9.19) and degrades gracefully through the subnormals to x = 10.06.
// x < 0: erfc = 2 - erfc|x|, no cancellation (the result is in [1, 2]).
//
// Measured (tests/unit/vector_math.cpp: every 256th float pattern over the
// whole range, 2^20 dense points in the hard ranges, special values), max: 0.5007 ULP (at x = 3.4e-7).
// Special values: NaN -> NaN, +inf -> +0, -inf -> 2, ±0 -> 1.
// Cost per float vector: abs + min, 2 widen + 1 narrow; per double half
// 2 div, 22 fma, ~6 add/mul, 3 integer ops, 1 compare + 1 blend.
//
// Double packs: lane-by-lane actx::math::erfc (placeholder).
#pragma once

#include <actx/math/vector/detail/code.hpp>
#include <actx/math/vector/detail/kernels.hpp>
#include <actx/math/vector/detail/scalar_fallback.hpp>

#if __has_include(<actx/math/erfc.hpp>)
#include <actx/math/erfc.hpp>
#endif

ACTX_VECTOR_CODE_BEGIN

namespace actx::vector {

template <class A>
ACTX_INLINE pack<float, A> erfc(pack<float, A> x) {
    using namespace detail;
    fbatch<A> xc = clamp(x.v, -11.0f, 11.0f);
    fbatch<A> y = in_double(xc, [](dbatch<A> v) {
        dbatch<A> a = xsimd::abs(v);
        dbatch<A> e = erfc_core(a, exp_d(-(a * a)));
        return xsimd::select(v < dbatch<A>(0.0), dbatch<A>(2.0) - e, e);
    });
    return {y};
}

#if __has_include(<actx/math/erfc.hpp>)
ACTX_VECTOR_DOUBLE_FALLBACK(erfc)
#endif

}  // namespace actx::vector

ACTX_VECTOR_CODE_END
