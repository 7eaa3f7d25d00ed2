// exp for float packs, in float: the one primitive cheap enough that
// evaluating it in float pays, and accurate enough there.
//
// Method: x = n ln2 + r, |r| <= ln2/2, with n read from the low bits of
// x log2e + 1.5*2^23 (the shifter rounds to nearest without a conversion);
// ln2 = ln2_hi + ln2_lo with ln2_hi of 16 bits, so n*ln2_hi is exact and r
// carries ~40 bits.  e^r = 1 + (r + r^2 q(r)), q of degree 4 fitted in float
// (fit/fit.py exp_float: relative error 1.0e-8 = 2^-26.6 after rounding the
// coefficients); r is added before 1 so its rounding is relative to |r| <= 0.35.
// The scale 2^n is applied as two factors 2^(n - n/2) 2^(n/2), so results in
// the subnormal range (x down to -103.97) are right without a special case.
//
// Measured: max 0.9623 ULP over all 2^32 floats where the result is normal
// (at x = 4.50618; full sweep, 30 s); 0.923 in the sampled test
// (tests/unit/vector_math.cpp).  Subnormal results: within 0.75 of 2^-149.
// Special values: NaN -> NaN, +inf -> +inf, -inf -> +0, x > 88.7228 -> +inf,
// x < -103.98 -> +0, ±0 -> 1.
// Cost per vector: 2 min/max, 10 fma, 1 sub, 1 add, 3 mul, 6 integer ops
// (shift/add), no division, no table.
//
// Double packs: lane-by-lane actx::math::exp (placeholder, see detail/scalar_fallback.hpp).
#pragma once

#include <actx/math/vector/detail/gcc_warnings.hpp>
#include <actx/math/vector/detail/kernels.hpp>
#include <actx/math/vector/detail/scalar_fallback.hpp>

#if __has_include(<actx/math/exp.hpp>)
#include <actx/math/exp.hpp>
#endif

ACTX_VECTOR_CODE_BEGIN

namespace actx::vector {

namespace detail {
template <class A>
inline fbatch<A> exp_f(fbatch<A> x) {
    x = clamp(x, -104.0f, 89.0f);
    const fbatch<A> shifter(0x1.8p23f);
    fbatch<A> t = detail::fma(x, fbatch<A>(0x1.715476p0f), shifter);
    fbatch<A> n = t - shifter;
    // r = hi + c exactly: hi is exact (n*ln2_hi has 24 bits, Sterbenz), c is
    // n*ln2_lo to 2^-24 relative.  The linear term uses hi and c unrounded; the
    // rounded r only feeds r^2 q(r), where its error is multiplied by |2r q| < 0.4.
    fbatch<A> hi = detail::fnma(n, fbatch<A>(0x1.62e4p-1f), x);
    fbatch<A> c = n * fbatch<A>(-0x1.7f7d1cp-20f);
    fbatch<A> r = hi + c;
    fbatch<A> q(0x1.6d43b4p-10f);
    q = detail::fma(q, r, fbatch<A>(0x1.120be8p-7f));
    q = detail::fma(q, r, fbatch<A>(0x1.5554e8p-5f));
    q = detail::fma(q, r, fbatch<A>(0x1.5554dcp-3f));
    q = detail::fma(q, r, fbatch<A>(0x1p-1f));
    fbatch<A> p = (hi + detail::fma(r * r, q, c)) + fbatch<A>(1.0f);
    // t's bits are 0x4B400000 + n; shifting left by 23 drops the 0x4B4 part.
    i32batch<A> ti = xsimd::bitwise_cast<i32batch<A>>(t);
    i32batch<A> all = ti << 23;         // n << 23
    i32batch<A> half = (ti >> 1) << 23;  // (n >> 1) << 23, since 0x4B400000 is even
    const i32batch<A> bias(127 << 23);
    fbatch<A> s1 = xsimd::bitwise_cast<fbatch<A>>(half + bias);
    fbatch<A> s2 = xsimd::bitwise_cast<fbatch<A>>(all - half + bias);
    return (p * s1) * s2;
}
}  // namespace detail

template <class A>
inline pack<float, A> exp(pack<float, A> x) {
    return {detail::exp_f<A>(x.v)};
}

#if __has_include(<actx/math/exp.hpp>)
ACTX_VECTOR_DOUBLE_FALLBACK(exp)
#endif

}  // namespace actx::vector

ACTX_VECTOR_CODE_END
