// log1pexp (log(1 + e^x), softplus) for float packs, stable for all x.
//
// Method: in double (detail/kernels.hpp): log1pexp x = max(x, 0) + log1p(e),
// e = e^-|x| in (0, 1], so nothing overflows and the sum never cancels.
// log1p(e) = k ln2 + 2 atanh s with k = 0, s = e/(2 + e) for e <= sqrt 2 - 1
// and k = 1, s = (e - 1)/(e + 3) above (then (1+e)/2 is in [sqrt 1/2, 1)), so
// |s| <= 3 - 2 sqrt 2 and the series of log.hpp applies without splitting
// bits; the two s share one division.  x > 20 returns x (log1p(e^-20) is
// below half an ulp of 20).
//
// Measured (tests/unit/vector_math.cpp: every 256th float pattern over the
// whole range, 2^20 dense points in the hard ranges, special values), max: 0.5001 ULP (at x = -0.9753).
// Special values: NaN -> NaN, +inf -> +inf, -inf -> +0, ±0 -> ln 2.
// Cost per float vector: min/max, 2 widen + 1 narrow; per double half 1 exp
// (10 fma, 3 integer ops), 1 div, 5 fma, ~6 add/mul, 3 blends; then 1 compare +
// 1 blend in float.
//
// Double packs: lane-by-lane actx::math::log1pexp (placeholder).
#pragma once

#include <actx/math/vector/detail/gcc_warnings.hpp>
#include <actx/math/vector/detail/kernels.hpp>
#include <actx/math/vector/detail/scalar_fallback.hpp>

#if __has_include(<actx/math/log1pexp.hpp>)
#include <actx/math/log1pexp.hpp>
#endif

ACTX_VECTOR_CODE_BEGIN

namespace actx::vector {

template <class A>
inline pack<float, A> log1pexp(pack<float, A> x) {
    using namespace detail;
    fbatch<A> xc = clamp(x.v, -120.0f, 20.0f);
    fbatch<A> y = in_double(xc, [](dbatch<A> v) {
        dbatch<A> e = exp_d(-xsimd::abs(v));
        auto big = e > dbatch<A>(0x1.a827999fcef32p-2);  // sqrt 2 - 1
        dbatch<A> num = xsimd::select(big, e - dbatch<A>(1.0), e);
        dbatch<A> den = e + xsimd::select(big, dbatch<A>(3.0), dbatch<A>(2.0));
        dbatch<A> l = log_series(num / den);
        l = xsimd::select(big, l + dbatch<A>(ln2), l);
        return xsimd::max(v, dbatch<A>(0.0)) + l;
    });
    return {xsimd::select(x.v > fbatch<A>(20.0f), x.v, y)};
}

#if __has_include(<actx/math/log1pexp.hpp>)
ACTX_VECTOR_DOUBLE_FALLBACK(log1pexp)
#endif

}  // namespace actx::vector

ACTX_VECTOR_CODE_END
