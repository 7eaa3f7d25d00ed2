// normcdf (0.5 erfc(-x/sqrt 2)) for float packs, relatively accurate in the
// left tail, and normal_pair (normcdf and normpdf sharing one exponential).
//
// Method: in float lanes (detail/float_kernels.hpp, normal_of): |x| < 0.67:
// 1/2 ± |x| E(x^2); otherwise the tail Q(|x|) = e^(-x^2/2) t P(t), t = 4/(4+|x|),
// with x^2 split exactly (its low part added to the exponential's reduced
// argument, so its rounding never reaches the result),
// t's rounding corrected to first order, P evaluated in s = t - c with its
// last four steps in two floats, t P(t) kept as two floats, and
// normcdf = Q or 1 - Q by sign.
// So the left tail is relatively accurate down to the last normal float
// (x ~ -13.03, 1.2e-38).  |x| is clamped to 14.5.
//
// normal_pair also gives gelu'(x) = normcdf(x) + x normpdf(x) with its
// cancellation done exactly (see normal_of).
//
// Measured (tests/unit/vector_math.cpp, every 256th float pattern, 2^20 dense
// points, special values): max 1.29 ULP (normcdf), 1.26 for normal_pair.cdf's
// dense points, 1.04 for the pdf, 1.23 for the derivative (in ULP of its
// larger term where the two cancel by more than half); subnormal results
// within 0.99 of 2^-149.  (1.80, 1.58, 1.26 and 1.59 when x^2's low part
// multiplied e^(-p/2) as 1 - lo after the reduction.)
// Full sweep: docs/accuracy.md.
// Special values: NaN -> NaN, +inf -> 1, -inf -> +0, ±0 -> 0.5.
// Cost per vector: 1 exponential, 1 div, ~34 fma, ~35 other float operations,
// 3 blends (all in float lanes);
// normal_pair's pdf is 2 more operations, its derivative (gelu') ~30 float
// operations (8 of them fma).
//
// Double packs: the same in double lanes (float_kernels.hpp, normal_of for
// double: the tail's P in three pieces), |x| clamped to 38.7.  Measured
// against libquadmath (tests/unit/vector_double_reference.cpp): see
// docs/accuracy.md.
#pragma once

#include <actx/math/vector/detail/code.hpp>
#include <actx/math/vector/detail/float_kernels.hpp>
#include <actx/math/vector/normpdf.hpp>

ACTX_VECTOR_CODE_BEGIN

namespace actx::vector {

template <class T, class A>
ACTX_INLINE pack<T, A> normcdf(pack<T, A> x) {
    return {detail::normal_of(x.v).cdf};
}

template <class P>
struct normal_pair_result {
    P cdf;         // normcdf(a)
    P pdf;         // normpdf(a)
    P derivative;  // normcdf(a) + a normpdf(a), gelu'(a), rounded once
};

template <class T, class A>
ACTX_INLINE normal_pair_result<pack<T, A>> normal_pair(pack<T, A> x) {
    detail::normal_values<A, T> v = detail::normal_of(x.v);
    return {{v.cdf}, {v.pdf}, {v.derivative}};
}

}  // namespace actx::vector

ACTX_VECTOR_CODE_END
