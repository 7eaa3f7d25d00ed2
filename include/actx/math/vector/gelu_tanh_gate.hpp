// gelu_tanh_gate for float packs: sigmoid(t), t = 2 sqrt(2/pi) (x + 0.044715 x^3)
// (see <actx/math/gelu_tanh_gate.hpp> for why it is a primitive).
//
// Method: in double (detail/kernels.hpp).  A float x is exact in double, and
// t formed there has an absolute error near 2^-53 |t| (< 1e-13 for the
// |t| <= 120 that matter), which e^t turns into a relative error far below a
// float ulp; then sigmoid as in sigmoid.hpp.  t is clamped to +-120: past
// that the float result is exactly 0 or 1.
// Measured: tests/unit/vector_math.cpp; the bound asserted there is 1 ULP.
// Special values: NaN -> NaN, +inf -> 1, -inf -> 0.
// Cost per float vector: 2 widen + 1 narrow; per double half 3 mul/fma for
// t, 1 exp (10 fma), 1 div, 1 blend.
//
// Double packs: lane-by-lane actx::math::gelu_tanh_gate.
#pragma once

#include <actx/math/vector/detail/gcc_warnings.hpp>
#include <actx/math/gelu_tanh_gate.hpp>
#include <actx/math/vector/detail/kernels.hpp>
#include <actx/math/vector/detail/scalar_fallback.hpp>

ACTX_VECTOR_CODE_BEGIN

namespace actx::vector {

template <class A>
inline pack<float, A> gelu_tanh_gate(pack<float, A> x) {
    using namespace detail;
    return {in_double(x.v, [](dbatch<A> v) {
        dbatch<A> v2 = v * v;
        dbatch<A> t = v * detail::fma(dbatch<A>(0.07135481627260025), v2, dbatch<A>(1.5957691216057308));
        t = clamp(t, -120.0, 120.0);
        dbatch<A> e = exp_d(-xsimd::abs(t));
        dbatch<A> r = dbatch<A>(1.0) / (dbatch<A>(1.0) + e);
        return xsimd::select(t >= dbatch<A>(0.0), r, e * r);
    })};
}

ACTX_VECTOR_DOUBLE_FALLBACK(gelu_tanh_gate)

}  // namespace actx::vector

ACTX_VECTOR_CODE_END
