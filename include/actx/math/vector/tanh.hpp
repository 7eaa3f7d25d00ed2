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
// (tests/unit/vector_double_reference.cpp): max 0.84 ULP of double.
#pragma once

#include <actx/math/vector/detail/code.hpp>
#include <actx/math/vector/detail/float_kernels.hpp>
#include <actx/math/vector/detail/scalar_fallback.hpp>
#include <actx/math/vector/sigmoid.hpp>
#include <actx/math/vector/tanhshrink.hpp>

#if __has_include(<actx/math/tanh.hpp>)
#include <actx/math/tanh.hpp>
#endif

ACTX_VECTOR_CODE_BEGIN

namespace actx::vector {

template <class A>
ACTX_INLINE pack<float, A> tanh(pack<float, A> x) {
    using namespace detail;
    fbatch<A> a = xsimd::min(fbatch<A>(10.0f), xsimd::abs(x.v));
    return {copy_sign_of(tanh_of_abs(a), x.v)};
}

template <class A>
ACTX_INLINE pack<double, A> tanh(pack<double, A> x) {
    using namespace detail;
    dbatch<A> a = xsimd::min(dbatch<A>(tanh_range<double>::saturated), xsimd::abs(x.v));
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
template <class A>
ACTX_INLINE tanh_sigmoids_result<pack<float, A>> tanh_sigmoids(pack<float, A> x) {
    using namespace detail;
    fbatch<A> a = xsimd::abs(x.v);
    sigmoid_halves<A> h = sigmoid_of_twice_abs(a);
    fbatch<A> t = copy_sign_of(tanh_from(xsimd::min(fbatch<A>(10.0f), a), h), x.v);
    auto positive = x.v >= fbatch<A>(0.0f);
    return {{t}, {xsimd::select(positive, h.p, h.m)}, {xsimd::select(positive, h.m, h.p)}, {h.pm},
            {tanhshrink_from(x.v, a, h)}};
}

#if __has_include(<actx/math/tanh.hpp>) && __has_include(<actx/math/sigmoid.hpp>) && \
    __has_include(<actx/math/tanhshrink.hpp>)
template <class A>
ACTX_INLINE tanh_sigmoids_result<pack<double, A>> tanh_sigmoids(pack<double, A> x) {
    using namespace detail;
    dbatch<A> a = xsimd::abs(x.v);
    sigmoid_halves<A, double> h = sigmoid_of_twice_abs(a);
    dbatch<A> t = copy_sign_of(tanh_from(xsimd::min(dbatch<A>(tanh_range<double>::saturated), a), h), x.v);
    auto positive = x.v >= dbatch<A>(0.0);
    return {{t}, {xsimd::select(positive, h.p, h.m)}, {xsimd::select(positive, h.m, h.p)}, {h.pm},
            {tanhshrink_from(x.v, a, h)}};
}
#endif

}  // namespace actx::vector

ACTX_VECTOR_CODE_END
