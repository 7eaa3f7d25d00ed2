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
// Double packs: in double lanes (log_of_split below, with log1pexp's
// log1p_tail, detail/float_kernels.hpp).  x = 2^k (1 + f),
// 1 + f in [sqrt 1/2, sqrt 2), read off the bits (subnormals scaled by 2^54
// first), f exact; log x = k ln2_hi + (f - (h - (s (h + R) + k ln2_lo))),
// h = f^2/2, s = f/(2 + f), R = z L(z), z = s^2, L of degree 6 (fit
// log_double_lanes: s R to 2^-57.7 of 2s), with k ln2_hi exact: f enters
// unrounded and h's rounding is the largest left, below a quarter of an ULP.
// Measured against logq (tests/unit/vector_double_reference.cpp): see
// docs/accuracy.md.  Special values as for float.
// Cost per double vector: 1 div, 9 fma, ~8 add/mul, 6 integer ops,
// 4 compares + 5 blends.
#pragma once

#include <actx/math/vector/detail/code.hpp>
#include <actx/math/vector/detail/float_kernels.hpp>
#include <actx/math/vector/detail/kernels.hpp>

#include <cfloat>

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

namespace detail {
// log(2^k (1 + f)) + kl - k ln2_lo, for f in [sqrt 1/2 - 1, sqrt 2 - 1]
// (exact) and kl = k ln2_lo plus any correction of the caller's, small
// against f or against k ln2 (log1p's rounding error of 1 + x).
// ln2 = ln2_hi + ln2_lo, ln2_hi of 32 significant bits, so k ln2_hi is
// exact for |k| < 2^21.
inline constexpr double ln2_hi = 0x1.62e42feep-1, ln2_lo = 0x1.a39ef35793c76p-33;
template <class A>
ACTX_INLINE dbatch<A> log_of_split(dbatch<A> k, dbatch<A> f, dbatch<A> kl) {
    return detail::fma(k, dbatch<A>(ln2_hi), f + log1p_tail(f, kl));
}
}  // namespace detail

template <class A>
ACTX_INLINE pack<double, A> log(pack<double, A> x) {
    using namespace detail;
    using B = dbatch<A>;
    // Subnormals (and 0, and what is negative, NaN: replaced below) scaled
    // into the normals, so that split_log reads a normal exponent.
    auto small = x.v < B(DBL_MIN);
    split<A> s = split_log(xsimd::select(small, x.v * B(0x1p54), x.v));
    B k = xsimd::select(small, s.k - B(54.0), s.k);
    B y = log_of_split(k, s.f - B(1.0), k * B(ln2_lo));
    const B inf(std::numeric_limits<double>::infinity());
    y = xsimd::select(x.v == B(0.0), -inf, y);
    y = xsimd::select(x.v == inf, inf, y);
    return {xsimd::select(x.v >= B(0.0), y, B(std::numeric_limits<double>::quiet_NaN()))};
}

}  // namespace actx::vector

ACTX_VECTOR_CODE_END
