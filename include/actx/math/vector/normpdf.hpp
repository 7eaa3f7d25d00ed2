// normpdf (e^(-x^2/2) / sqrt(2 pi)) for float packs.
//
// Method: in double (detail/kernels.hpp): x^2/2 is exact in double, then the
// double exponential (2^-37) and one multiplication by 1/sqrt(2 pi); the float
// result is rounded once.  |x| is clamped to 15 (the result underflows float
// from 14.2 on).
//
// Measured (tests/unit/vector_math.cpp: every 256th float pattern over the
// whole range, 2^20 dense points in the hard ranges, special values), max: 0.5000 ULP (at x = -0.4969).
// Special values: NaN -> NaN, ±inf -> +0, ±0 -> 0.398942...
// Cost per float vector: abs + min, 2 widen + 1 narrow; per double half
// 10 fma, 3 mul/sub, 3 integer ops.
//
// Double packs: lane-by-lane actx::math::normpdf (placeholder).
#pragma once

#include <actx/math/vector/detail/gcc_warnings.hpp>
#include <actx/math/vector/detail/float_kernels.hpp>
#include <actx/math/vector/detail/scalar_fallback.hpp>

#if __has_include(<actx/math/normpdf.hpp>)
#include <actx/math/normpdf.hpp>
#endif

ACTX_VECTOR_CODE_BEGIN

namespace actx::vector {

namespace detail {
}  // namespace detail

template <class A>
inline pack<float, A> normpdf(pack<float, A> x) {
    return {detail::normal_of(x.v).pdf};
}

#if __has_include(<actx/math/normpdf.hpp>)
ACTX_VECTOR_DOUBLE_FALLBACK(normpdf)
#endif

}  // namespace actx::vector

ACTX_VECTOR_CODE_END
