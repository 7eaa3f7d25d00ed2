// softsign(x) = x / (1 + |x|) for packs (see <actx/math/softsign.hpp> for why
// it is a primitive), in the packs' own lanes, written as PyTorch writes it:
// two roundings, within 1.5 ULP (1.499 in float, every float measured);
// +-inf give +-1.  The quotient corrected by its exact residual (0.50 ULP)
// cost 1.6 to 1.8x as much (docs/design.md).
// Cost: 1 div, 1 add, 1 abs, 1 min, 1 max.
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
    return {c / (one + xsimd::abs(c))};
}

}  // namespace actx::vector

ACTX_VECTOR_CODE_END
