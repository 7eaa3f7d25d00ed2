// erf for float packs, relatively accurate near 0.
//
// Method: in double (detail/kernels.hpp), on a = |x| with the sign copied back.
// a < 1/2: erf = a E(a^2), E of degree 5 (relative 2^-36.3; fit/fit.py
// erf_double) — 1 - erfc would lose the relative accuracy of tiny results.
// a >= 1/2: erf = 1 - erfc(a) with erfc as in erfc.hpp; the subtraction loses
// at most 1 bit there.  Both are computed and blended; a is clamped to 6
// (erf rounds to 1 in float from 3.92 on).
//
// Measured (tests/unit/vector_math.cpp: every 256th float pattern over the
// whole range, 2^20 dense points in the hard ranges, special values), max: 0.5002 ULP (at x = -0.6456).
// Special values: NaN -> NaN, ±inf -> ±1, ±0 -> ±0.
// Cost per float vector: abs + min, 2 widen + 1 narrow; per double half
// 1 div, 28 fma, ~5 add/mul, 3 integer ops, 1 compare + 1 blend.
//
// Double packs: in double lanes (erfc.hpp's pieces): |x| < 0.75,
// erf = x c_hi + x (c_lo + z E1(z)) with one rounding (further out x t's
// roundings, a third of the result at x = 1, reach 1.5 ULP); |x| >= 0.75,
// 1 - erfc|x| (erfc|x| <= 0.29, its error halved or less) with the sign
// copied back, |x| clamped to 27.25.  Measured against erfq
// (tests/unit/vector_double_reference.cpp): see docs/accuracy.md.  Special
// values as for float.
// Cost per double vector: erfc's.
#pragma once

#include <actx/math/vector/detail/code.hpp>
#include <actx/math/vector/detail/kernels.hpp>
#include <actx/math/vector/erfc.hpp>

ACTX_VECTOR_CODE_BEGIN

namespace actx::vector {

template <class A>
ACTX_INLINE pack<float, A> erf(pack<float, A> x) {
    using namespace detail;
    fbatch<A> a = xsimd::min(fbatch<A>(6.0f), xsimd::abs(x.v));
    fbatch<A> y = in_double(a, [](dbatch<A> v) {
        dbatch<A> z = v * v;
        dbatch<A> e(-0x1.934cb79646329p-11);
        e = detail::fma(e, z, dbatch<A>(0x1.54ce25675af02p-8));
        e = detail::fma(e, z, dbatch<A>(-0x1.b8200f9a08ce3p-6));
        e = detail::fma(e, z, dbatch<A>(0x1.ce2ef17e95d24p-4));
        e = detail::fma(e, z, dbatch<A>(-0x1.8127466de1ca6p-2));
        e = detail::fma(e, z, dbatch<A>(0x1.20dd75041ad44p+0));
        dbatch<A> large = dbatch<A>(1.0) - erfc_core(v, exp_d(-z));
        return xsimd::select(v < dbatch<A>(0.5), v * e, large);
    });
    return {copy_sign_of(y, x.v)};
}

template <class A>
ACTX_INLINE pack<double, A> erf(pack<double, A> x) {
    using namespace detail;
    using B = dbatch<A>;
    // On y = |x|, the sign copied back last (so -0 stays -0 whatever the
    // arithmetic gives 0).
    B y = xsimd::min(B(erfc_clamp), xsimd::abs(x.v));
    B small;
    if constexpr (fused_fma<A>) {
        small = detail::fma(y, B(two_over_sqrt_pi), erf_small_rest(y));
    } else {  // y c_hi split exactly, so that the sum still rounds about once
        erf_small_split<A> e = erf_small_of(y);
        small = e.h + e.l;
    }
    B large = B(1.0) - erfc_tail(xsimd::max(B(0.75), y));
    return {copy_sign_of(xsimd::select(y < B(0.75), small, large), x.v)};
}

}  // namespace actx::vector

ACTX_VECTOR_CODE_END
