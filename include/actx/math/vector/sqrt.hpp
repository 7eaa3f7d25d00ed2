// sqrt and abs for packs: the hardware instructions, which are exact
// (sqrt is correctly rounded by IEEE 754; abs clears the sign bit).
//
// Measured (tests/unit/vector_math.cpp): 0.5 ULP max for sqrt (correct
// rounding), 0 for abs.
// Special values: sqrt(NaN) = NaN, sqrt(x < 0) = NaN, sqrt(±0) = ±0,
// sqrt(+inf) = +inf; abs(-0) = +0, abs(±inf) = +inf, abs(NaN) = NaN.
// Cost: 1 instruction each (sqrt has long latency).
#pragma once

#include <actx/math/vector/detail/code.hpp>
#include <actx/math/vector/pack.hpp>

ACTX_VECTOR_CODE_BEGIN

namespace actx::vector {

template <class T, class A, class M>
ACTX_INLINE pack<T, A, M> sqrt(pack<T, A, M> x) {
    return {detail::sqrt(x.v)};
}

template <class T, class A, class M>
ACTX_INLINE pack<T, A, M> abs(pack<T, A, M> x) {
    return {xsimd::abs(x.v)};
}

}  // namespace actx::vector

ACTX_VECTOR_CODE_END
