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
// Double packs: in double lanes, with log.hpp's log_of_split.  u = 1 + x
// is split as 2^k (1 + f); where k = 0, f = x itself (exact, so tiny x keep
// every bit); elsewhere f = (u's mantissa) - 1 is exact and u's rounding
// error c = (1 + x) - u, exact by Fast2Sum of max(x, 1) and min(x, 1), is
// added as c/u (|log1p x| >= 0.34 there, so c/u's own rounding is far below
// an ULP).  Measured against log1pq (tests/unit/vector_double_reference.cpp):
// see docs/accuracy.md.  Special values as for float.
// Cost per double vector: 2 div, 10 fma, ~12 add/mul, 6 integer ops,
// 5 compares + 7 blends.
#pragma once

#include <actx/math/vector/detail/code.hpp>
#include <actx/math/vector/detail/kernels.hpp>
#include <actx/math/vector/log.hpp>

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

template <class A>
ACTX_INLINE pack<double, A> log1p(pack<double, A> x) {
    using namespace detail;
    using B = dbatch<A>;
    const B one(1.0);
    B u = one + x.v;  // from 2^-53 up where x > -1: a normal double
    split<A> s = split_log(u);
    auto k0 = s.k == B(0.0);
    B c = (xsimd::max(x.v, one) - u) + xsimd::min(x.v, one);
    B kl = detail::fma(s.k, B(ln2_lo), xsimd::select(k0, B(0.0), c / u));
    B y = log_of_split(s.k, xsimd::select(k0, x.v, s.f - one), kl);
    const B inf(std::numeric_limits<double>::infinity());
    y = xsimd::select(x.v == B(-1.0), -inf, y);
    y = xsimd::select(x.v == inf, inf, y);
    // log1p x rounds to x below 2^-60 (keeps -0 and the subnormals' bits).
    y = xsimd::select(xsimd::abs(x.v) < B(0x1p-60), x.v, y);
    return {xsimd::select(x.v >= B(-1.0), y, B(std::numeric_limits<double>::quiet_NaN()))};
}

}  // namespace actx::vector

ACTX_VECTOR_CODE_END
