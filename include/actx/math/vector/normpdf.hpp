// normpdf (e^(-x^2/2) / sqrt(2 pi)) for float packs.
//
// Method: in float lanes (detail/float_kernels.hpp, normal_of): x^2 = p + p_lo
// exactly, e^(-(p + p_lo)/2) = s (1 + u) with -p_lo/2 in the reduction's low
// part (exp's r = hi + c; detail/float_kernels.hpp, split_exp), times
// 1/sqrt(2 pi) in two pieces.  |x| is clamped to 14.5 (the result underflows
// float from 14.2 on).
//
// Measured (tests/unit/vector_math.cpp, every 256th float pattern, 2^20 dense
// points, special values): max 1.04 ULP (at x = -1.42).  Full sweep:
// docs/accuracy.md.
// Special values: NaN -> NaN, ±inf -> +0, ±0 -> 0.398942...
// Cost per vector: normal_of (the compiler drops the cdf's unused part).
//
// Double packs: the same from normal_of in double lanes.
#pragma once

#include <actx/math/vector/detail/code.hpp>
#include <actx/math/vector/detail/float_kernels.hpp>

ACTX_VECTOR_CODE_BEGIN

namespace actx::vector {

template <class T, class A>
ACTX_INLINE pack<T, A> normpdf(pack<T, A> x) {
    return {detail::normal_of(x.v).pdf};
}

}  // namespace actx::vector

ACTX_VECTOR_CODE_END
