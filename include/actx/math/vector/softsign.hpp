// softsign(x) = x / (1 + |x|) for packs (see <actx/math/softsign.hpp> for why
// it is a primitive), in the packs' own lanes, written as PyTorch writes it:
// two roundings, within 1.5 ULP (1.499 in float, every float measured);
// +-inf give +-1.  The quotient corrected by its exact residual (0.50 ULP)
// cost 1.6 to 1.8x as much (docs/design.md).
// Cost: 1 div, 1 add, 1 abs, 1 min, 1 max.  In float on AVX-512 the division
// is a reciprocal estimate, a Newton step and a corrected product with the
// division's bits (below): 4 fused multiply-adds and a product instead.
#pragma once

#include <actx/math/vector/detail/code.hpp>
#include <actx/math/softsign.hpp>
#include <actx/math/vector/detail/kernels.hpp>

ACTX_VECTOR_CODE_BEGIN

namespace actx::vector {

// The same in float and double lanes.  Past 2^25 (2^54) the rounded result
// is +-1, and so it is for x clamped to +-2^60, which takes the place of a
// test for an infinite x.  A subnormal x gives x (1 + |x| rounds to 1): the
// result is subnormal exactly where the argument is, and then exact.
template <class T, class A, class M>
ACTX_INLINE pack<T, A, M> softsign(pack<T, A, M> x) {
    using B = xsimd::batch<T, A>;
    const B one(1);
    B v = x.v;
    B c = detail::clamp(v, T(-0x1p60), T(0x1p60));  // +-inf give +-1, NaN stays
    const B d = one + xsimd::abs(c);
#if XSIMD_WITH_AVX512F
    // Float on AVX-512: the division's bits without the divider (pack.hpp,
    // quotient_by_at_least_one), and without its tests for rare lanes, which
    // cannot occur here: d is in [1, 2^60 + 1].  On the Xeon, over every
    // float x, the corrected product is the quotient itself (the unit test
    // softsign_without_the_divider compares them on every bit pattern).  A
    // NaN x gives a NaN, whose sign may differ from the division's.
    if constexpr (detail::avx512_arch<A> && std::is_same_v<T, float> && !detail::use_divider)
        return {detail::corrected_quotient(c, d, B(detail::refined_reciprocal(d)))};
    else
#endif
        return {detail::div(c, d)};
}

}  // namespace actx::vector

ACTX_VECTOR_CODE_END
