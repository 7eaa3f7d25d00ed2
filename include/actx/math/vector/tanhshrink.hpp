// tanhshrink (x - tanh x) for float packs.
//
// Method: in float lanes, on a = |x| with the sign copied back.  a < 1:
// a^3 S(a^2), S of degree 8 (fit tanhshrink_float: 2^-24.9), no cancellation.
// a >= 1: x - tanh x = (a - 1) + 2 sigmoid(-2a), where a - 1 is exact and
// the sum does not cancel (both terms are >= 0); sigmoid from
// sigmoid_of_abs (detail/float_kernels.hpp).
//
// Measured (tests/unit/vector_math.cpp: every 256th float pattern, dense
// points near 0 and 1, specials): max 1.87 ULP (x = -0.77, the polynomial);
// subnormal results (|x| < 1.4e-13) within 1.33 of 2^-149.  Full sweep in
// docs/accuracy.md.
// Special values: NaN -> NaN, ±inf -> ±inf, ±0 -> ±0.
// Cost per vector: 13 fma, 4 mul/add, 1 exponential and 1 div (sigmoid_of_abs),
// 1 blend, sign restored with and/or.  tanh.hpp's tanh_sigmoids gives
// tanhshrink with tanh from the one sigmoid_of_abs, with these bits.
//
// Double packs: the same in double lanes, S of degree 16 with 1/3 in two
// doubles (fit tanhshrink_double_lanes).  Measured against libquadmath
// (tests/unit/vector_double_reference.cpp): see docs/accuracy.md.
#pragma once

#include <actx/math/vector/detail/code.hpp>
#include <actx/math/vector/detail/float_kernels.hpp>

ACTX_VECTOR_CODE_BEGIN

namespace actx::vector {

namespace detail {
// tanhshrink(x) from a = |x| and h = sigmoid_of_abs(min(104, 2a)), the
// sigmoids tanh's family computes (tanh.hpp's tanh_sigmoids), so that a
// kernel reading tanh(x) and tanhshrink(x) (tanhshrink's forward_backward:
// its derivative is tanh(x)^2) evaluates one exponential.
template <class T, class A>
ACTX_INLINE xsimd::batch<T, A> tanhshrink_from(xsimd::batch<T, A> x, xsimd::batch<T, A> a,
                                               sigmoid_halves<A, T> const& h) {
    using B = xsimd::batch<T, A>;
    B z = a * a;
    B q = tanhshrink_series(z);
    // The last step adds 1/3 in two pieces, and a^3 = c + cl exactly enough:
    // three plain roundings here would cost ~3 ULP near 0.
    q = detail::fma(q, z, B(one_third<T>::lo)) + B(one_third<T>::hi);
    B c = a * z;
    B cl = detail::fma(a, product_error(a, a, z), product_error(a, z, c));
    B small = detail::fma(c, q, cl * q);
    B large = detail::fma(B(T(2)), h.m, a - B(T(1)));
    return copy_sign_of(xsimd::select(a < B(T(1)), small, large), x);
}
}  // namespace detail

template <class T, class A>
ACTX_INLINE pack<T, A> tanhshrink(pack<T, A> x) {
    using namespace detail;
    xsimd::batch<T, A> a = xsimd::abs(x.v);
    return {tanhshrink_from(x.v, a, sigmoid_of_twice_abs(a))};
}

}  // namespace actx::vector

ACTX_VECTOR_CODE_END
