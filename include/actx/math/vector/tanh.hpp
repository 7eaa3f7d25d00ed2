// tanh for float packs.
//
// Method: in double (detail/kernels.hpp): tanh|x| = e/(e + 2), e = expm1(2|x|),
// with the sign copied back.  expm1 keeps relative accuracy for tiny x, so
// tanh x ~ x is exact to the end; |x| is clamped to 20, past which tanh
// rounds to ±1 in float.
//
// Measured (tests/unit/vector_math.cpp: every 256th float pattern over the
// whole range, 2^20 dense points in the hard ranges, special values), max: 0.5001 ULP (at x = -0.04995).
// Special values: NaN -> NaN, ±inf -> ±1, ±0 -> ±0.
// Cost per float vector: abs + min, 2 widen + 1 narrow; per double half
// 1 div, 10 fma, 3 add/sub, 3 integer ops; sign restored with and/or.
//
// Double packs: lane-by-lane actx::math::tanh (placeholder).
#pragma once

#include <actx/math/vector/detail/gcc_warnings.hpp>
#include <actx/math/vector/detail/float_kernels.hpp>
#include <actx/math/vector/detail/scalar_fallback.hpp>

#if __has_include(<actx/math/tanh.hpp>)
#include <actx/math/tanh.hpp>
#endif

ACTX_VECTOR_CODE_BEGIN

namespace actx::vector {

template <class A>
inline pack<float, A> tanh(pack<float, A> x) {
    using namespace detail;
    fbatch<A> a = xsimd::min(fbatch<A>(10.0f), xsimd::abs(x.v));
    return {copy_sign_of(tanh_of_abs(a), x.v)};
}

#if __has_include(<actx/math/tanh.hpp>)
ACTX_VECTOR_DOUBLE_FALLBACK(tanh)
#endif

}  // namespace actx::vector

ACTX_VECTOR_CODE_END
