// Float kernels of the fast path (internal; fast.hpp says what uses them).
//
// The accurate kernels (float_kernels.hpp) keep intermediate results as
// exact pairs of floats so that each primitive rounds about once.  These do
// not: every operation rounds, and the errors add up to a few ULP, but they
// stay relative errors over the whole range where the result is a normal
// float (no absolute-error tails).  Results that underflow, overflow or come
// out NaN are left as they fall: the kernels' exceptional-element test
// (kernel/exceptional.hpp) recomputes those elements in double, as it does
// for the accurate path.
//
// Coefficients: fit/fit.py (exp_float deg 4, normal_fast, normal_small).
#pragma once

#include <actx/math/vector/detail/code.hpp>
#include <actx/math/vector/detail/float_kernels.hpp>
#include <actx/math/vector/detail/kernels.hpp>

ACTX_VECTOR_CODE_BEGIN

namespace actx::vector::detail {

// e^z, z clamped to [-104, 104] (NaN kept).  n = round(z/ln2) by the
// shifter, r = z - n ln2 in two fnma (Cody and Waite, ln2 as two floats),
// e^r = 1 + (r + r^2 q(r)) with exp_float's q of degree 4 (2^-26.6), then
// times 2^n (times_power_of_two, float_kernels.hpp): a rounding or two more
// than split_exp's pieces, and half its operations.  It has no bound of its
// own; the activations' are stated.
template <class A>
ACTX_INLINE fbatch<A> fast_exp(fbatch<A> z) {
    z = clamp(z, -104.0f, 104.0f);
    const fbatch<A> shifter(0x1.8p23f);
    fbatch<A> n = detail::fma(z, fbatch<A>(0x1.715476p0f), shifter) - shifter;
    fbatch<A> r = detail::fnma(n, fbatch<A>(0x1.62e430p-1f), z);
    r = detail::fnma(n, fbatch<A>(-0x1.05c610p-29f), r);
    fbatch<A> p = detail::fma(r * r, exp_q(r), r) + fbatch<A>(1.0f);
    return times_power_of_two(p, n);
}

// sigmoid(x), sigmoid(-x) and their product from e = e^-x: p = 1/(1 + e),
// m = e p, pm = m p.  No cancellation anywhere (1 + e >= 1).  For x below
// -88.7, e is inf: p is 0 and m NaN, which the exceptional test recomputes.
template <class A>
struct fast_sigmoid_values {
    fbatch<A> p, m, pm;
};
template <class A>
ACTX_INLINE fast_sigmoid_values<A> fast_sigmoids(fbatch<A> x) {
    fbatch<A> e = fast_exp(-x);
    fbatch<A> p = detail::div(fbatch<A>(1.0f), fbatch<A>(1.0f) + e);
    fbatch<A> m = e * p;
    return {p, m, m * p};
}

// tanh(x): below ln3/2 in magnitude the accurate kernel's odd polynomial
// (it costs 5 fma); beyond, sigmoid(2x) - sigmoid(-2x), which does not
// cancel there (the difference is at least 1/2).
template <class A>
ACTX_INLINE fbatch<A> fast_tanh_from(fbatch<A> x, fast_sigmoid_values<A> const& s) {
    return xsimd::select(xsimd::abs(x) < fbatch<A>(0x1.193ea8p-1f), tanh_small(x), s.p - s.m);
}

// tanhshrink(x) = x - tanh(x), on a = |x| with the sign copied back.  a < 1:
// a^3 S(a^2), the accurate kernel's polynomial (tanhshrink.hpp) evaluated
// plainly; otherwise (a - 1) + 2 sigmoid(-2a), which does not cancel (both
// terms are >= 0).  s are the sigmoids of 2x, tanh's (fast_tanh_from), so
// that tanh's family gives tanh and tanhshrink from one exponential
// (tanhshrink's forward_backward reads both).
template <class A>
ACTX_INLINE fbatch<A> fast_tanhshrink_from(fbatch<A> x, fast_sigmoid_values<A> const& s) {
    fbatch<A> a = xsimd::abs(x);
    fbatch<A> z = a * a;
    fbatch<A> small = (a * z) * detail::fma(tanhshrink_series(z), z, fbatch<A>(0x1.555556p-2f));
    fbatch<A> m = xsimd::select(x >= fbatch<A>(0.0f), s.m, s.p);  // sigmoid(-2a)
    fbatch<A> large = detail::fma(fbatch<A>(2.0f), m, a - fbatch<A>(1.0f));
    return copy_sign_of(xsimd::select(a < fbatch<A>(1.0f), small, large), x);
}

// Phi(x), phi(x) and Phi(x) + x phi(x) (gelu's derivative).  a = |x|
// clamped to 14.5; e^(-a^2/2) from a^2 = p + lo exactly, e^(-p/2) and one
// first-order correction (a^2's rounding would cost up to 50 ULP at a = 10).
// a < 0.67: Phi = 1/2 +- a (c0 + a^2 E1(a^2)), the accurate kernel's
// polynomial; otherwise the tail Q(a) = e^(-a^2/2) t P(t), t = 4/(4 + a), P of
// degree 7 in t - 0.43 (fit normal_fast: 2^-22.6), and Phi = Q or 1 - Q.
// The derivative is Phi + x phi as one fma: it cancels near x = -0.75, where
// its error is relative to Phi, not to itself.
template <class A>
struct fast_normal_values {
    fbatch<A> cdf, pdf, derivative;
};
template <class A>
ACTX_INLINE fast_normal_values<A> fast_normal(fbatch<A> x) {
    const fbatch<A> c0(0x1.988454p-2f), half(0.5f);
    fbatch<A> a = xsimd::min(fbatch<A>(14.5f), xsimd::abs(x));
    fbatch<A> p = a * a;
    fbatch<A> lo = product_error(a, a, p) * half;
    fbatch<A> e = fast_exp(p * -half);
    e = detail::fnma(lo, e, e);
    fbatch<A> pdf = c0 * e;
    fbatch<A> t = detail::div(fbatch<A>(4.0f), fbatch<A>(4.0f) + a);
    fbatch<A> s = t - fbatch<A>(0x1.b851ecp-2f);
    fbatch<A> r = horner(s, -0x1.660762p-5f, -0x1.0ab17cp-5f, 0x1.3e49eep-4f, 0x1.bccf90p-3f, 0x1.3c1dcep-2f,
                         0x1.433fb0p-2f, 0x1.0506dep-2f, 0x1.5ac43ep-3f);
    fbatch<A> tail = e * (t * r);
    fbatch<A> w = x * detail::fma(p, normal_small_e1(p), c0);
    auto negative = x < fbatch<A>(0.0f);
    fbatch<A> cdf = xsimd::select(a < fbatch<A>(0.67f), half + w,
                                  xsimd::select(negative, tail, fbatch<A>(1.0f) - tail));
    return {cdf, pdf, detail::fma(x, pdf, cdf)};
}

}  // namespace actx::vector::detail

ACTX_VECTOR_CODE_END
