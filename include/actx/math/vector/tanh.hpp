// tanh for float packs, and tanh_sigmoids: tanh(x), sigmoid(2x),
// sigmoid(-2x) and tanhshrink(x) from one exponential (tanh' = 4 sigmoid(2x)
// sigmoid(-2x) is how the core differentiates tanh, and tanhshrink' =
// tanh(x)^2, so a kernel's forward and backward share it).
//
// Method: in float lanes (detail/float_kernels.hpp): |x| < ln3/2: the odd
// polynomial |x| + |x|^3 P(x^2) (P of degree 4, 2^-29.0); otherwise
// 1 - 2 sigmoid(-2|x|) with sigmoid from sigmoid_of_abs (<= 1/4 there, so its
// error is not magnified); the sign is copied back.  |x| is clamped to 10.
//
// Measured (tests/unit/vector_math.cpp, every 256th float pattern, 2^20 dense
// points, special values): max 0.88 ULP (tanh and tanh_sigmoids.tanh),
// 0.91 for the two sigmoids.  Full sweep: docs/accuracy.md.
// Special values: NaN -> NaN, ±inf -> ±1, ±0 -> ±0.
// Cost per vector: sigmoid_of_abs (1 exponential, 1 div) + 5 fma + 1 blend.
//
// Double packs: the same in double lanes, tanh_small of degree 10 in x^2,
// |x| clamped to 20 (tanh rounds to 1 from 19.1).  Measured against tanhq
// (tests/unit/vector_double_reference.cpp): max 0.85 ULP of double (6e6
// points; docs/accuracy.md).
#pragma once

#include <actx/math/vector/detail/code.hpp>
#include <actx/math/vector/detail/float_kernels.hpp>
#include <actx/math/vector/sigmoid.hpp>
#include <actx/math/vector/tanhshrink.hpp>

ACTX_VECTOR_CODE_BEGIN

namespace actx::vector {

template <class T, class A>
ACTX_INLINE pack<T, A> tanh(pack<T, A> x) {
    using namespace detail;
    xsimd::batch<T, A> a = xsimd::min(xsimd::batch<T, A>(tanh_range<T>::saturated), xsimd::abs(x.v));
    return {copy_sign_of(tanh_of_abs(a), x.v)};
}

template <class P>
struct tanh_sigmoids_result {
    P tanh;      // tanh(a)
    P positive;  // sigmoid(2a)
    P negative;  // sigmoid(-2a)
    P product;   // sigmoid(2a) sigmoid(-2a), rounded once
    P tanhshrink;  // a - tanh(a) (tanhshrink's derivative is tanh(a)^2)
};

// tanh(a), sigmoid(2a) and sigmoid(-2a) from one exponential: tanh's value
// and the two factors of its derivative 4 sigmoid(2a) sigmoid(-2a), and
// tanhshrink(a).  Each member has the same bits as tanh(x), sigmoid(2x),
// sigmoid(-2x) and tanhshrink(x) alone.
template <class T, class A>
ACTX_INLINE tanh_sigmoids_result<pack<T, A>> tanh_sigmoids(pack<T, A> x) {
    using namespace detail;
    using B = xsimd::batch<T, A>;
    B a = xsimd::abs(x.v);
    sigmoid_halves<A, T> h = sigmoid_of_twice_abs(a);
    B t = copy_sign_of(tanh_from(xsimd::min(B(tanh_range<T>::saturated), a), h), x.v);
    auto positive = x.v >= B(T(0));
    return {{t}, {xsimd::select(positive, h.p, h.m)}, {xsimd::select(positive, h.m, h.p)}, {h.pm},
            {tanhshrink_from(x.v, a, h)}};
}

}  // namespace actx::vector

ACTX_VECTOR_CODE_END
