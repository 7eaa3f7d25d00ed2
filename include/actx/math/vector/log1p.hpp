// log1p (log(1 + x)) for float packs.
//
// Method: in double (detail/kernels.hpp).  m = 1 + x is split as 2^k f; when
// k = 0 (x in [sqrt 1/2 - 1, sqrt 2 - 1)) s = x/(2 + x) is formed from x itself,
// so tiny x are not lost in 1 + x; otherwise s = (f-1)/(f+1) from m, whose
// rounding in double is harmless because |log1p x| >= 0.34 there.  Then
// log1p = k ln2 + 2s + s^3 L(s^2) as in log.hpp; the two s share one division.
//
// Measured (tests/unit/vector_math.cpp: every 256th float pattern over the
// whole range, 2^20 dense points in the hard ranges, special values), max: 0.5001 ULP (at x = 0.3823).
// Special values: NaN -> NaN, x < -1 -> NaN, -1 -> -inf, +inf -> +inf, ±0 -> ±0.
// Cost per float vector: 2 widen + 1 narrow; per double half 1 div, 5 fma,
// ~6 add/mul, 2 blends, 6 integer ops; then 4 compares + 4 blends in float.
//
// Double packs: lane-by-lane actx::math::log1p (placeholder).
#pragma once

#include <actx/math/vector/detail/code.hpp>
#include <actx/math/vector/detail/kernels.hpp>
#include <actx/math/vector/detail/scalar_fallback.hpp>

#if __has_include(<actx/math/log1p.hpp>)
#include <actx/math/log1p.hpp>
#endif

ACTX_VECTOR_CODE_BEGIN

namespace actx::vector {

namespace detail {
// log(1 + x) for x >= -1 + 2^-53 in double.
template <class A>
ACTX_INLINE dbatch<A> log1p_d(dbatch<A> x) {
    const dbatch<A> one(1.0), two(2.0);
    split<A> s = split_log(one + x);
    auto k0 = s.k == dbatch<A>(0.0);
    dbatch<A> num = xsimd::select(k0, x, s.f - one);
    dbatch<A> den = xsimd::select(k0, two + x, s.f + one);
    return detail::fma(s.k, dbatch<A>(ln2), log_series(num / den));
}
}  // namespace detail

template <class A>
ACTX_INLINE pack<float, A> log1p(pack<float, A> x) {
    using namespace detail;
    // Below -1 + 2^-24 nothing is representable but -1 itself, so -1 is the
    // only special point inside the domain.
    fbatch<A> y = in_double(x.v, [](dbatch<A> v) { return log1p_d(v); });
    const fbatch<A> inf(std::numeric_limits<float>::infinity());
    y = xsimd::select(x.v == fbatch<A>(-1.0f), -inf, y);
    y = xsimd::select(x.v == inf, inf, y);
    y = xsimd::select(x.v == fbatch<A>(0.0f), x.v, y);
    return {xsimd::select(x.v >= fbatch<A>(-1.0f), y, fbatch<A>(std::numeric_limits<float>::quiet_NaN()))};
}

#if __has_include(<actx/math/log1p.hpp>)
ACTX_VECTOR_DOUBLE_FALLBACK(log1p)
#endif

}  // namespace actx::vector

ACTX_VECTOR_CODE_END
