// exp for float packs, in float: the one primitive cheap enough that
// evaluating it in float pays, and accurate enough there.
//
// Method (detail/float_kernels.hpp, split_exp, shared with expm1, sigmoid
// and the rest): x = n ln2 + r, |r| <= ln2/2, with n read from the low bits of
// x log2e + 1.5*2^23 (the shifter rounds to nearest without a conversion);
// ln2 = ln2_hi + ln2_lo with ln2_hi of 16 bits, so n*ln2_hi is exact and r
// carries ~40 bits.  e^r = 1 + (r + r^2 q(r)), q of degree 4 fitted in float
// (fit/fit.py exp_float: relative error 1.0e-8 = 2^-26.6 after rounding the
// coefficients); r is added before 1 so its rounding is relative to |r| <= 0.35.
// The scale 2^n is applied with one rounding (vscalefps on AVX-512, two
// factors 2^(n - n/2) 2^(n/2) elsewhere), so results in the subnormal range
// (x down to -103.97) are right without a special case.
//
// Measured: max 0.9623 ULP over all 2^32 floats where the result is normal
// (at x = 4.50618; full sweep, 30 s); 0.923 in the sampled test
// (tests/unit/vector_math.cpp).  Subnormal results: within 0.75 of 2^-149.
// Special values: NaN -> NaN, +inf -> +inf, -inf -> +0, x > 88.7228 -> +inf,
// x < -103.98 -> +0, ±0 -> 1.
// Cost per vector: 2 min/max, 10 fma, 1 sub, 1 add, 1 mul, and 1 vscalefps
// on AVX-512 (elsewhere 2 mul, 1 conversion and 6 integer shifts/adds); no
// division, no table.
//
// Double packs: the same method in double lanes, q of degree 10 (fit
// exp_double_lanes), x clamped to [-746, 710], 2^n applied by vscalefpd (two
// factors elsewhere).  Measured against expq
// (tests/unit/vector_double_reference.cpp): max 0.825 ULP of double (6e6
// points; docs/accuracy.md).
#pragma once

#include <actx/math/vector/detail/code.hpp>
#include <actx/math/vector/detail/float_kernels.hpp>

ACTX_VECTOR_CODE_BEGIN

namespace actx::vector {

namespace detail {
// e^x's parts for x clamped to the range split_exp takes
// (detail/float_kernels.hpp): what exp, expm1 and exp_pair are formed from.
template <class T, class A>
ACTX_INLINE exp_parts<A, T> exp_parts_of(xsimd::batch<T, A> x) {
    return split_exp(clamp(x, exp_range<T>::lo, exp_range<T>::hi));
}
// Low: for x <= 0 (exp_parts::scaled_low; the same bits up to x = 43).
template <bool Low = false, class T, class A>
ACTX_INLINE xsimd::batch<T, A> exp_of_parts(exp_parts<A, T> const& k) {
    return k.template scaled_if_low<Low>(k.u + xsimd::batch<T, A>(T(1)));
}
}  // namespace detail

// float and double packs alike (the constants by type: float_kernels.hpp).
template <class T, class A>
ACTX_INLINE pack<T, A> exp(pack<T, A> x) {
    return {detail::exp_of_parts(detail::exp_parts_of(x.v))};
}

}  // namespace actx::vector

ACTX_VECTOR_CODE_END
