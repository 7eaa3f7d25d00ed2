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
    dbatch<A> r = detail::div(one, w + two);
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
// nothing overflows.  With c = 1 + e, for x < 0 (e = e^x) the quotients
// above are, over D = 1 + c^2 = w + 2,
//   tanh = (c^2 - 1) / D,  sigmoid(2L) = c^2 / D,  sigmoid(-2L) = 1 / D,
//   derivative = 4 e c / D^2;
// for x >= 0 (e = e^-x) the same multiplied through by e^2, over
// D = c^2 + e^2 = 1 + 2e + 2e^2:
//   tanh = (1 + 2e) / D,  sigmoid(2L) = c^2 / D,  sigmoid(-2L) = e^2 / D,
//   derivative = 4 e^2 c / D^2.
// Every numerator and denominator is a sum of positive terms (c^2 - 1 =
// e (e + 2)).  They are carried in two doubles, from e's unrounded pieces
// 2^n (1 + u) on, and each quotient takes one Newton step on its exact
// residual, so each member rounds about once: composed in double, e's
// rounding went through e^2, 1 + e and the squared reciprocal, and the
// derivative was 7 ULP off, mish' 6.1 (tests/unit/kernel_double_reference.cpp).
namespace detail {

// (nh + nl) / (dh + dl) from r ~ 1/dh: q = nh r, then one Newton step on the
// residual nh - q dh (exact: product_error, and Sterbenz for the difference).
template <class A>
ACTX_INLINE dbatch<A> quotient_2d(dbatch<A> nh, dbatch<A> nl, dbatch<A> dh, dbatch<A> dl, dbatch<A> r) {
    dbatch<A> q = nh * r;
    dbatch<A> p = q * dh;
    dbatch<A> residual = ((nh - p) - product_error(q, dh, p)) + detail::fnma(q, dl, nl);
    return detail::fma(residual, r, q);
}

// The product of two doubles-pairs, as a pair (the low parts' product dropped).
template <class A>
struct pair_d {
    dbatch<A> hi, lo;
};
template <class A>
ACTX_INLINE pair_d<A> times_2d(pair_d<A> a, pair_d<A> b) {
    dbatch<A> hi = a.hi * b.hi;
    return {hi, product_error(a.hi, b.hi, hi) + detail::fma(a.hi, b.lo, a.lo * b.hi)};
}

}  // namespace detail

template <class A>
ACTX_INLINE softplus_tanh_result<pack<double, A>> softplus_tanh(pack<double, A> x) {
    using namespace detail;
    using B = dbatch<A>;
    using P = pair_d<A>;
    const B one(1.0), two(2.0), zero(0.0);
    exp_parts<A, double> k = exp_parts_of(-xsimd::abs(x.v));
    auto negative = x.v < zero;
    auto pick = [&](P a, P b) ACTX_INLINE_LAMBDA { return P{xsimd::select(negative, a.hi, b.hi),
                                                             xsimd::select(negative, a.lo, b.lo)}; };
    // e = 2^n v with v = 1 + u = v.hi + v.lo exactly (|u| < 1).  The members
    // proportional to e or e^2 are formed from v and scaled last, so that
    // they keep their bits down to the subnormals.
    B vh = one + k.u;
    P v{vh, fast_sum_error(one, k.u, vh)};
    P v2 = times_2d(v, v);
    P e{k.scaled(v.hi), k.scaled(v.lo)};
    B ch = one + e.hi;  // e <= 1
    P c{ch, fast_sum_error(one, e.hi, ch) + e.lo};
    P c2 = times_2d(c, c);
    P m = pick(P{one, zero}, P{k.scaled(k.scaled(v2.hi)), k.scaled(k.scaled(v2.lo))});  // 1 or e^2
    B dh = c2.hi + m.hi;  // c^2 >= 1 >= m
    P d{dh, fast_sum_error(c2.hi, m.hi, dh) + (c2.lo + m.lo)};
    P d2 = times_2d(d, d);
    B r = detail::div(one, d.hi), r2 = r * r;
    auto over = [&](P n, P den, B rec) ACTX_INLINE_LAMBDA { return quotient_2d(n.hi, n.lo, den.hi, den.lo, rec); };
    // Numerators without their scale: x < 0 (scaled by 2^n): tanh's
    // v (e + 2) and the derivative's v c; x >= 0 (scaled by 2^2n):
    // sigmoid(-2L)'s v^2, the product's c^2 v^2 and the derivative's v^2 c.
    B e2h = two + e.hi;
    P ev = times_2d(v, P{e2h, fast_sum_error(two, e.hi, e2h) + e.lo});
    B ne = one + (e.hi + e.hi);
    P t = pick(ev, P{ne, fast_sum_error(one, e.hi + e.hi, ne) + (e.lo + e.lo)});
    P n = times_2d(pick(v, v2), c);
    P cm = pick(c2, times_2d(c2, v2));
    P mn = pick(P{one, zero}, v2);
    B tanh_q = over(t, d, r), derivative_q = over(n, d2, r2) * B(4.0);
    B negative_q = over(mn, d, r), product_q = over(cm, d2, r2);
    auto twice = [&](B q) ACTX_INLINE_LAMBDA { return xsimd::select(negative, q, k.scaled(k.scaled(q))); };
    return {{xsimd::select(negative, k.scaled(tanh_q), tanh_q)},
            {over(c2, d, r)},
            {twice(negative_q)},
            {twice(product_q)},
            {xsimd::select(negative, k.scaled(derivative_q), twice(derivative_q))}};
}

}  // namespace actx::vector

ACTX_VECTOR_CODE_END
