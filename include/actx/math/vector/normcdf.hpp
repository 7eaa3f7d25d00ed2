// normcdf (0.5 erfc(-x/sqrt 2)) for float packs, relatively accurate in the
// left tail, and normal_pair (normcdf and normpdf sharing one exponential).
//
// Method: in double (detail/kernels.hpp): with y = |x|/sqrt 2,
// erfc(y) = t e^(-x^2/2) P(t) as in erfc.hpp, the exponential taken of x^2/2,
// which is exact in double; the rounding of y only moves t, where P is smooth.
// So the left tail is relatively accurate down to the last normal float
// (x ~ -13.03, 1.2e-38).  x < 0: normcdf = erfc(y)/2; x >= 0: 1 - erfc(y)/2.
// x is clamped to ±15 (normcdf(-15) is below the float subnormals).
//
// Measured (tests/unit/vector_math.cpp: every 256th float pattern over the
// whole range, 2^20 dense points in the hard ranges, special values), max: 0.5007 ULP (at x = -3.7e-8)
// (normcdf), 0.5007 and 0.5000 for normal_pair's cdf and pdf.
// Special values: NaN -> NaN, +inf -> 1, -inf -> +0, ±0 -> 0.5.
// Cost per float vector: min/max, 2 widen + 1 narrow; per double half
// 1 div, 22 fma, ~6 add/mul, 3 integer ops, 1 compare + 1 blend.
// normal_pair: the same plus 1 mul and 1 narrow for the pdf.
//
// Double packs: normcdf lane-by-lane actx::math::normcdf (placeholder);
// normal_pair for double calls normcdf and normpdf.
#pragma once

#include <actx/math/vector/detail/gcc_warnings.hpp>
#include <actx/math/vector/detail/float_kernels.hpp>
#include <actx/math/vector/detail/scalar_fallback.hpp>
#include <actx/math/vector/normpdf.hpp>

#if __has_include(<actx/math/normcdf.hpp>)
#include <actx/math/normcdf.hpp>
#endif

ACTX_VECTOR_CODE_BEGIN

namespace actx::vector {

template <class A>
inline pack<float, A> normcdf(pack<float, A> x) {
    return {detail::normal_of(x.v).cdf};
}

#if __has_include(<actx/math/normcdf.hpp>)
ACTX_VECTOR_DOUBLE_FALLBACK(normcdf)
#endif

template <class P>
struct normal_pair_result {
    P cdf;  // normcdf(a)
    P pdf;  // normpdf(a)
};

template <class A>
inline normal_pair_result<pack<float, A>> normal_pair(pack<float, A> x) {
    detail::normal_values<A> v = detail::normal_of(x.v);
    return {{v.cdf}, {v.pdf}};
}

#if __has_include(<actx/math/normcdf.hpp>) && __has_include(<actx/math/normpdf.hpp>)
template <class A>
inline normal_pair_result<pack<double, A>> normal_pair(pack<double, A> x) {
    return {normcdf(x), normpdf(x)};
}
#endif

}  // namespace actx::vector

ACTX_VECTOR_CODE_END
