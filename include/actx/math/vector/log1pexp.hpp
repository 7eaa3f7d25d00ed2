// log1pexp (log(1 + e^x), softplus) for float packs, stable for all x.
//
// Method: in float lanes (detail/float_kernels.hpp): log1pexp x =
// max(x, 0) + log(1 + e), e = e^-|x| in (0, 1], so nothing overflows and the
// sum never cancels.  1 + e is formed exactly as dh + dl (as for sigmoid);
// log(dh + dl) = log(dh) + dl/dh, with dh halved above sqrt 2 so that
// g = dh - 1 is exact and log1p(g) = g - g^2/2 + g^3 P(g), P of degree 7.
// x > 20 returns x (log1p(e^-20) is below half an ulp of 20).
//
// Measured (tests/unit/vector_math.cpp, every 256th float pattern, 2^20 dense
// points in the hard ranges, special values): max 1.11 ULP (at x = -16.3,
// where 1 + e and e's own rounding meet).  Full sweep: docs/accuracy.md.
// Special values: NaN -> NaN, +inf -> +inf, -inf -> +0, ±0 -> ln 2.
// Cost per vector: 1 exponential, 1 div, 9 fma, ~13 add/mul, 3 blends (two
// of them masked additions).
//
// Double packs: the same in double lanes, log(1 + f) as f - (h - s (h + R))
// with s = f/(2 + f) (a second division; float_kernels.hpp).  Measured
// against libquadmath (tests/unit/vector_double_reference.cpp): max 1.17
// ULP of double (6e6 points; docs/accuracy.md), 1.19 for sigmoid_pair's
// log1pexp(-x).
#pragma once

#include <actx/math/vector/detail/code.hpp>
#include <actx/math/vector/detail/float_kernels.hpp>

ACTX_VECTOR_CODE_BEGIN

namespace actx::vector {

template <class T, class A>
ACTX_INLINE pack<T, A> log1pexp(pack<T, A> x) {
    using namespace detail;
    one_plus_exp_abs<A, T> e = one_plus_exp_of_abs(x.v);
    return {softplus_from(x.v, log_one_plus_exp(e.d, e.r))};
}

}  // namespace actx::vector

ACTX_VECTOR_CODE_END
