// softsign(x) = x / (1 + |x|) for packs (see <actx/math/softsign.hpp> for why
// it is a primitive), in the packs' own lanes, with the denominator's
// rounding compensated: within ~0.5 ULP (tests/unit/vector_math.cpp measures
// the float one); +-inf give +-1.
// Cost: 1 div, 3 fma, 1 mul, 7 add/sub/abs, 2 blends.
#pragma once

#include <actx/math/vector/detail/code.hpp>
#include <actx/math/softsign.hpp>
#include <actx/math/vector/detail/kernels.hpp>

ACTX_VECTOR_CODE_BEGIN

namespace actx::vector {

// The same method in float and double lanes.  1 + |x| = dh + dl exactly
// (TwoSum); q0 = x (1/dh) is then corrected once by its exact residual
// rho = x - q0 (dh + dl): q = q0 + rho/dh.  Past 2^24 (2^53) the result is +-1, also the rounded value.
template <class T, class A>
ACTX_INLINE pack<T, A> softsign(pack<T, A> x) {
    using B = xsimd::batch<T, A>;
    const B one(1);
    B v = x.v;
    B a = xsimd::abs(v);
    B dh = one + a;
    B dl = detail::sum_error(a, one, dh);
    B r = one / dh;
    B q0 = v * r;
    B rho = detail::fnma(q0, dl, detail::fnma(q0, dh, v));
    B q = detail::fma(rho, r, q0);
    q = xsimd::select(v == B(0), v, q);  // the correction would turn -0 into +0
    return {xsimd::select(xsimd::isinf(v), xsimd::copysign(one, v), q)};
}

}  // namespace actx::vector

ACTX_VECTOR_CODE_END
