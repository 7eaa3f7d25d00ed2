// Natural logarithm for float packs.
//
// Method: in double (detail/kernels.hpp): every float, subnormals included, is
// a normal double, so x = 2^k f, f in [sqrt 1/2, sqrt 2), is read off the bits;
// log x = k ln2 + log f, log f = 2 atanh s = 2s + s^3 L(s^2), s = (f-1)/(f+1),
// L of degree 3 (relative 2^-35.8).
//
// Measured (tests/unit/vector_math.cpp: every 256th float pattern over the
// whole range, 2^20 dense points in the hard ranges, special values), max: 0.5001 ULP (at x = 1.2819).
// Special values: NaN -> NaN, x < 0 -> NaN, ±0 -> -inf, +inf -> +inf, log 1 = +0.
// Cost per float vector: 2 widen + 1 narrow; per double half 1 div, 5 fma,
// 3 mul/add, 6 integer ops; then 3 compares + 3 blends in float.
//
// Double packs: lane-by-lane actx::math::log (placeholder).
#pragma once

#include <actx/math/vector/detail/code.hpp>
#include <actx/math/vector/detail/kernels.hpp>
#include <actx/math/vector/detail/scalar_fallback.hpp>

#if __has_include(<actx/math/log.hpp>)
#include <actx/math/log.hpp>
#endif

ACTX_VECTOR_CODE_BEGIN

namespace actx::vector {

template <class A>
ACTX_INLINE pack<float, A> log(pack<float, A> x) {
    using namespace detail;
    fbatch<A> y = in_double(x.v, [](dbatch<A> m) {
        split<A> s = split_log(m);
        dbatch<A> one(1.0);
        return detail::fma(s.k, dbatch<A>(ln2), log_series((s.f - one) / (s.f + one)));
    });
    const fbatch<A> inf(std::numeric_limits<float>::infinity());
    y = xsimd::select(x.v == fbatch<A>(0.0f), -inf, y);
    y = xsimd::select(x.v == inf, inf, y);
    return {xsimd::select(x.v >= fbatch<A>(0.0f), y, fbatch<A>(std::numeric_limits<float>::quiet_NaN()))};
}

#if __has_include(<actx/math/log.hpp>)
ACTX_VECTOR_DOUBLE_FALLBACK(log)
#endif

}  // namespace actx::vector

ACTX_VECTOR_CODE_END
