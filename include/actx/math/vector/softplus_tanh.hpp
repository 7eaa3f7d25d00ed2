// softplus_tanh: tanh(log1pexp(x)), the factor of mish(x) = x tanh(log1pexp(x)),
// with the pieces of its derivative, from one exponential and no logarithm.
//
// With e = e^x and w = e (e + 2) = (1 + e)^2 - 1:
//   tanh(log1pexp(x))        = w / (w + 2)
//   sigmoid(2 log1pexp(x))   = (w + 1) / (w + 2)
//   sigmoid(-2 log1pexp(x))  = 1 / (w + 2)
//   their product            = (w + 1) / (w + 2)^2
//   d/dx tanh(log1pexp(x))   = 4 sigmoid(2L) sigmoid(-2L) sigmoid(x)
//                            = 4 e (1 + e) / (w + 2)^2
// (the last is the core's chain rule, tanh' = 4 sigmoid(2L) sigmoid(-2L) at
// L = log1pexp(x) times log1pexp' = sigmoid(x)).  Composed, the derivative
// rounds log1pexp, the two sigmoids, tanh, sigmoid(x) and three products, and
// mish' = tanh(L) + x tanh(L)' cancels by up to 40% near x = -2.5: that was
// 4.35 ULP.  Here every member is a quotient with no cancellation (w, w + 1,
// w + 2 and 1 + e are sums of positive terms).
//
// Method: in double lanes (the float vector widened into two halves):
// e = exp_d(x) (detail/kernels.hpp, 2^-37.3), then the quotients from one
// reciprocal of w + 2, each rounded once to float.  x is clamped to
// [-110, 60]: below, tanh(L) and the derivative are below the float
// subnormals (and 0 is what the float result is: the kernels recompute such
// lanes in double); above, tanh(L) and sigmoid(2L) round to 1 and the rest
// to 0 in float.  w < e^121 never overflows.
// Measured (tests/unit/vector_math.cpp, every 256th float pattern, 2^20
// dense points, special values; reference: the double primitives composed,
// log1pexp then tanh and sigmoid): max 0.5001 ULP in every member, 0.500 in
// units of 2^-149 where subnormal; the test asserts 0.6.  In the kernel,
// mish forward 1.30 ULP and backward 2.04 (sampled sweep; it was 2.63 and
// 4.35 composed).
// Special values: NaN -> NaN in every member; +inf -> 1, 1, 0, 0, 0;
// -inf -> 0, 1/2, 1/2, 1/4, 0.
// Cost per vector: 2 conversions in, 2 x (exp_d, 1 division, ~10 fma/mul/add),
// 2 conversions per member out.
//
// Double packs: the same quotients in double lanes from e^-|x| (below);
// measured against libquadmath (tests/unit/vector_double_reference.cpp):
// see docs/accuracy.md.
#pragma once

#include <actx/math/vector/detail/code.hpp>
#include <actx/math/vector/detail/kernels.hpp>
#include <actx/math/vector/log1pexp.hpp>
#include <actx/math/vector/sigmoid.hpp>
#include <actx/math/vector/tanh.hpp>

ACTX_VECTOR_CODE_BEGIN

namespace actx::vector {

template <class P>
struct softplus_tanh_result {
    P tanh;        // tanh(log1pexp(x))
    P positive;    // sigmoid(2 log1pexp(x))
    P negative;    // sigmoid(-2 log1pexp(x))
    P product;     // sigmoid(2 log1pexp(x)) sigmoid(-2 log1pexp(x)), rounded once
    P derivative;  // d/dx tanh(log1pexp(x)), rounded once
};

namespace detail {

template <class A>
ACTX_INLINE softplus_tanh_result<dbatch<A>> softplus_tanh_d(dbatch<A> x) {
    const dbatch<A> one(1.0), two(2.0);
    dbatch<A> e = exp_d(x);
    dbatch<A> e1 = e * (e + one);         // e (1 + e)
    dbatch<A> w = detail::fma(e, e, e + e);  // e (e + 2)
    dbatch<A> r = one / (w + two);
    dbatch<A> positive = (w + one) * r;
    return {w * r, positive, r, positive * r, ((e1 * r) * r) * dbatch<A>(4.0)};
}

}  // namespace detail

template <class A>
ACTX_INLINE softplus_tanh_result<pack<float, A>> softplus_tanh(pack<float, A> x) {
    using namespace detail;
    halves<A> h = widen(clamp(x.v, -110.0f, 60.0f));
    softplus_tanh_result<dbatch<A>> lo = softplus_tanh_d<A>(h.lo), hi = softplus_tanh_d<A>(h.hi);
    return {{narrow<A>(lo.tanh, hi.tanh)},
            {narrow<A>(lo.positive, hi.positive)},
            {narrow<A>(lo.negative, hi.negative)},
            {narrow<A>(lo.product, hi.product)},
            {narrow<A>(lo.derivative, hi.derivative)}};
}

// In double lanes, from e = e^-|x| (exp.hpp's double exponential), so that
// nothing overflows: for x < 0, e = e^x and the quotients above; for
// x >= 0, with e = e^-x, the same quotients multiplied through by e^2, over
// D = 1 + 2e + 2e^2:
//   tanh = (1 + 2e) / D,  sigmoid(2L) = (1 + e)^2 / D,  sigmoid(-2L) = e^2 / D,
//   derivative = 4 e^2 (1 + e) / D^2;
// every numerator and denominator a sum of positive terms, one division.
template <class A>
ACTX_INLINE softplus_tanh_result<pack<double, A>> softplus_tanh(pack<double, A> x) {
    using namespace detail;
    using B = dbatch<A>;
    const B one(1.0), two(2.0);
    exp_parts<A, double> k = exp_parts_of(-xsimd::abs(x.v));
    B e = exp_of_parts(k);
    auto negative = x.v < B(0.0);
    // e^2 = 2^2n (1 + u)^2 from the unrounded pieces: one rounding, where
    // e e would carry e's twice.
    B e2 = k.scaled(k.scaled(detail::fma(k.u, k.u + two, one)));
    B e1 = e + one, twice = e + e;
    B w = detail::fma(e, e, twice);  // e (e + 2)
    B r = one / xsimd::select(negative, w + two, detail::fma(two, e2, one + twice));
    B negative_half = xsimd::select(negative, one, e2) * r;
    // For x >= 0 the members near 1 are 1 - sigmoid(-2L) and 1 - 2 sigmoid(-2L)
    // (sigmoid(-2L) <= 1/5 there): its error reaches them shrunk.
    B positive = xsimd::select(negative, (w + one) * r, one - negative_half);
    B t = xsimd::select(negative, w * r, detail::fnma(two, negative_half, one));
    B derivative = ((xsimd::select(negative, e, e2) * e1 * r) * r) * B(4.0);
    return {{t}, {positive}, {negative_half}, {positive * negative_half}, {derivative}};
}

}  // namespace actx::vector

ACTX_VECTOR_CODE_END
