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
// Double packs: in double lanes, from the normal distribution's double
// kernels (detail/float_kernels.hpp), erfc(y) = 2 Q(y sqrt 2):
// - |x| < 0.65: erfc = 1 - erf(x), erf(x) = x (c + z E1(z)), z = x^2,
//   c = 2/sqrt(pi) in two doubles, E1 of degree 11 (fit erf_small_double:
//   2^-58.0 relative, on z <= 1), with x c split exactly and 1 - x c_hi by
//   Fast2Sum, so the sum rounds once;
// - |x| >= 0.65: Q's tail at a = y sqrt 2 carried as two doubles
//   (normal_tail_of; a rounded would cost up to 2 y^2 ULP: 1500 at
//   y = 27), y = |x| clamped to 27.25 (erfc(27.25) rounds to 0), and
//   2 - erfc|x| for x < 0 (in [1.6, 2]: no cancellation).  The tail is
//   least accurate at its lower end (1.2 ULP at y = 0.57), erf's part
//   near 1 - erf = erfc, so the two meet at 0.65.
// Measured against erfcq (tests/unit/vector_double_reference.cpp): see
// docs/accuracy.md.  Special values as for float.
// Cost per double vector: 2 div, ~40 fma, ~30 add/mul, 2 blends per
// coefficient of the tail's three pieces, 1 vscalefpd.
#pragma once

#include <actx/math/vector/detail/code.hpp>
#include <actx/math/vector/detail/float_kernels.hpp>
#include <actx/math/vector/detail/kernels.hpp>

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

namespace detail {
// x t with erf(x) = x c_hi + x t near 0: t = c_lo + z E1(z), z = x^2 <= 1
// (fit erf_small_double), c = 2/sqrt(pi) = c_hi + c_lo.
inline constexpr double two_over_sqrt_pi = 0x1.20dd750429b6dp+0, two_over_sqrt_pi_lo = 0x1.1ae3a914fed80p-56;
template <class A>
ACTX_INLINE dbatch<A> erf_small_rest(dbatch<A> x) {
    dbatch<A> z = x * x;
    dbatch<A> e = horner(z, 0x1.05a93c2f73a5ap-34, -0x1.387ebe122be2cp-30, 0x1.f7ab72326521bp-27,
                         -0x1.5f1dffe39a0a5p-23, 0x1.b9df0cffa80dfp-20, -0x1.f4d1e1b651c51p-17,
                         0x1.f9a321c84fb42p-14, -0x1.c02db3da8c2d7p-11, 0x1.565bcd0dbb67bp-8,
                         -0x1.b82ce31284fa0p-6, 0x1.ce2f21a042b3dp-4, -0x1.812746b0379e6p-2);
    return x * detail::fma(z, e, dbatch<A>(two_over_sqrt_pi_lo));
}
// erf(x) = h + l for |x| < 1: h = x c_hi, l its exact product error plus
// x t (erf_small_rest), so that a caller's sum with h rounds about once.
template <class A>
struct erf_small_split { dbatch<A> h, l; };
template <class A>
ACTX_INLINE erf_small_split<A> erf_small_of(dbatch<A> x) {
    dbatch<A> h = x * dbatch<A>(two_over_sqrt_pi);
    return {h, product_error(x, dbatch<A>(two_over_sqrt_pi), h) + erf_small_rest(x)};
}
// erfc(y) = 2 Q(y sqrt 2) for y in [0.474, 27.25] (a >= 0.67), y sqrt 2 as
// two doubles.
template <class A>
ACTX_INLINE dbatch<A> erfc_tail(dbatch<A> y) {
    const dbatch<A> sqrt2(0x1.6a09e667f3bcdp+0), sqrt2_lo(-0x1.bdd3413b26456p-54);
    dbatch<A> ah = y * sqrt2;
    dbatch<A> al = detail::fma(y, sqrt2_lo, product_error(y, sqrt2, ah));
    normal_tail_double<A> n = normal_tail_of<true>(ah, al);
    return n.k.scaled_low(dbatch<A>(2.0) * n.unscaled());
}
inline constexpr double erfc_clamp = 27.25;
}  // namespace detail

template <class A>
ACTX_INLINE pack<double, A> erfc(pack<double, A> x) {
    using namespace detail;
    using B = dbatch<A>;
    const B one(1.0);
    B y = xsimd::min(B(erfc_clamp), xsimd::abs(x.v));
    B tail = erfc_tail(y);
    // 1 - erf(x) = (1 - e.h) - e.l, 1 - e.h by Fast2Sum.
    erf_small_split<A> e = erf_small_of(x.v);
    B sh = one - e.h;
    B small = sh + (fast_sum_error(one, -e.h, sh) - e.l);
    B large = xsimd::select(x.v < B(0.0), B(2.0) - tail, tail);
    return {xsimd::select(y < B(0.65), small, large)};
}

}  // namespace actx::vector

ACTX_VECTOR_CODE_END
