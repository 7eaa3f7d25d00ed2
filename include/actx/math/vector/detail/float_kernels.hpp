// Float kernels of the vector primitives (internal): computed in float lanes,
// so a vector of 16 floats costs one evaluation, not two double halves.
//
// The accuracy comes from representing intermediate results as unevaluated
// pieces and rounding each sum once:
//   e^z = s (1 + u), s = 2^n exact, u = e^r - 1 with |r| <= ln2/2, kept apart,
// so 1 + e^z, 1 - e^z and e^z - 1 are each one fma from exact pieces, and
// x^2 = p + p_lo exactly (fma), so e^(-x^2/2) does not inherit x^2's rounding
// (that rounding would cost x^2/2 * 2^-24 relative: 50 ULP at x = 10).
// Each primitive's header states its measured bound; the proofs are the
// sweeps of tests/unit/vector_math.cpp (ACTX_FULL_SWEEP=1: every float).
//
// Coefficients: fit/fit.py (mpmath, relative Chebyshev-node least squares,
// rounded to float; the printed error is after rounding).
//
// Double lanes.  The same pieces, written once for both element types where
// only the constants differ (exp_parts, one_plus_exp, sigmoid_from,
// expm1 and tanh from them), make the double primitives of exp, expm1,
// sigmoid, log1pexp and tanh vector code too: split_exp, log_one_plus_exp
// and tanh_small have double overloads with polynomials fitted in double
// (fit.py exp_double_lanes, log_double_lanes, tanh_double_lanes), and the ranges
// (exp_range) are double's.  Where a comment below says float, the double
// argument is the same with 2^-53 for 2^-24.
#pragma once

#include <actx/math/vector/detail/code.hpp>
#include <actx/math/vector/detail/kernels.hpp>

#if defined(__AVX512F__)
#include <immintrin.h>
#endif

ACTX_VECTOR_CODE_BEGIN

namespace actx::vector::detail {

// v 2^n for integral n in [-150, 150], rounded once (also into the
// subnormals; inf where it overflows).  AVX-512 has it as one instruction,
// vscalefps.  Elsewhere 2^n is formed from the exponent bits as two factors
// 2^(n >> 1) 2^(n - (n >> 1)), both normal, so that v times the first is
// exact and only the second product rounds: the same bits.
template <class A>
ACTX_INLINE fbatch<A> times_power_of_two(fbatch<A> v, fbatch<A> n) {
#if defined(__AVX512F__)
    if constexpr (sizeof(typename fbatch<A>::register_type) == 64) return {_mm512_scalef_ps(v, n)};
#endif
    i32batch<A> k = xsimd::to_int(n);
    i32batch<A> half = k >> 1;
    const i32batch<A> bias(127);
    fbatch<A> s1 = xsimd::bitwise_cast<fbatch<A>>((half + bias) << 23);
    fbatch<A> s2 = xsimd::bitwise_cast<fbatch<A>>((k - half + bias) << 23);
    return (v * s1) * s2;
}

// v 2^n for integral n in [-190, 63], rounded once as above: the scale of
// e^z for z in [-131, 43], so of every e^z with z <= 0 that callers clamp
// (sigmoids at -104, n = -150; the normal family at a = 14.5, n = -152;
// gelu_tanh's gate at x = 11, |v| = 112.5, n = -162; the elu family's
// selects).  Without vscalefps it is (v 2^-64) 2^(n + 64): one factor
// formed from n's bits, normal in that range, and a product by a constant,
// exact for |v| >= 2^-62 (every v the callers scale is 0 or a few ULP of
// 1 at least near its smallest: sigmoid's m and pm, e^x's 1 + u, the
// normal family's pieces); so the same bits in fewer operations (a
// conversion, an add, a shift and two products against
// times_power_of_two's conversion, five integer operations and two
// products).  Above n = 63 the factor's exponent field overflows: anything.
template <class A>
ACTX_INLINE fbatch<A> times_power_of_two_low(fbatch<A> v, fbatch<A> n) {
#if defined(__AVX512F__)
    if constexpr (sizeof(typename fbatch<A>::register_type) == 64) return {_mm512_scalef_ps(v, n)};
#endif
    fbatch<A> s = xsimd::bitwise_cast<fbatch<A>>((xsimd::to_int(n) + i32batch<A>(127 + 64)) << 23);
    return (v * fbatch<A>(0x1p-64f)) * s;
}

// The two's complement of an integral double n, |n| < 2^51, read from the
// low bits of n + 1.5*2^52 (SSE and AVX2 convert no double to a 64-bit
// integer).
template <class A>
ACTX_INLINE u64batch<A> integer_bits(dbatch<A> n) {
    const dbatch<A> shifter(0x1.8p52);
    return xsimd::bitwise_cast<u64batch<A>>(n + shifter) - xsimd::bitwise_cast<u64batch<A>>(shifter);
}

// The same for double, n integral in [-1100, 1100], floor(n/2) = (n +
// 2048) / 2 - 1024 with a logical shift (SSE and AVX2 have no 64-bit
// arithmetic one).
template <class A>
ACTX_INLINE dbatch<A> times_power_of_two(dbatch<A> v, dbatch<A> n) {
#if defined(__AVX512F__)
    if constexpr (sizeof(typename dbatch<A>::register_type) == 64) return {_mm512_scalef_pd(v, n)};
#endif
    u64batch<A> k = integer_bits(n);
    u64batch<A> h = (k + u64batch<A>(2048)) >> 1;  // floor(n/2) + 1024
    dbatch<A> s1 = xsimd::bitwise_cast<dbatch<A>>((h - u64batch<A>(1)) << 52);
    dbatch<A> s2 = xsimd::bitwise_cast<dbatch<A>>((k - h + u64batch<A>(2047)) << 52);
    return (v * s1) * s2;
}

// And for n in [-1214, 831] (e^z for z in [-841, 576]; gelu_tanh's gate
// at its double clamp x = 22 has |v| = 795, n = -1147), one factor:
// (v 2^-192) 2^(n + 192), the first product exact for |v| >= 2^-830.
template <class A>
ACTX_INLINE dbatch<A> times_power_of_two_low(dbatch<A> v, dbatch<A> n) {
#if defined(__AVX512F__)
    if constexpr (sizeof(typename dbatch<A>::register_type) == 64) return {_mm512_scalef_pd(v, n)};
#endif
    dbatch<A> s = xsimd::bitwise_cast<dbatch<A>>((integer_bits(n) + u64batch<A>(1023 + 192)) << 52);
    return (v * dbatch<A>(0x1p-192)) * s;
}

// The arguments exp takes, clamped (NaN kept): below lo e^x rounds to 0,
// above hi it overflows.  sigmoid(-a) for a >= -lo is 0.
template <class T> struct exp_range;
template <> struct exp_range<float> {
    static constexpr float lo = -104.0f, hi = 89.0f;
};
template <> struct exp_range<double> {
    static constexpr double lo = -746.0, hi = 710.0;
};

// e^z = 2^n (1 + u) for z in [-150 ln2, 127 ln2] (callers clamp): n = round(z/ln2),
// r = z - n ln2 carried as hi + c (hi exact: n ln2_hi has 16 significant bits),
// u = e^r - 1 = hi + (c + r^2 q(r)) with q of degree 4 (fit exp_float:
// e^r to 2^-26.6).  u is within ~0.6 ULP of e^r - 1 (relative to u itself:
// r's linear term enters unrounded).  scaled(v) is v 2^n rounded once, so a
// product by 2^n that underflows rounds only once (times_power_of_two).  On
// AVX-512 it is one vscalefps in place of integer operations and two
// products, a quarter of exp's operations (exp 0.160 -> 0.121 ns per
// element at n = 4096 on Zen 5, interleaved).
template <class A, class T = float>
struct exp_parts {
    using batch = xsimd::batch<T, A>;
    batch u, n;
    ACTX_INLINE batch scaled(batch v) const { return times_power_of_two(v, n); }
    ACTX_INLINE batch scale() const { return scaled(batch(T(1))); }  // 2^n
    // The same where z <= 0 (times_power_of_two_low: z in [-131, 43] in
    // float, [-841, 576] in double), in fewer operations without vscalefps.
    ACTX_INLINE batch scaled_low(batch v) const { return times_power_of_two_low(v, n); }
    ACTX_INLINE batch scale_low() const { return scaled_low(batch(T(1))); }
    template <bool Low> ACTX_INLINE batch scaled_if_low(batch v) const {
        if constexpr (Low) return scaled_low(v);
        else return scaled(v);
    }
};

// q(r) of e^r = 1 + r + r^2 q(r) (fit exp_float, degree 4), also the fast
// path's (fast_kernels.hpp).
template <class A>
ACTX_INLINE fbatch<A> exp_q(fbatch<A> r) {
    return horner(r, 0x1.6d43b4p-10f, 0x1.120be8p-7f, 0x1.5554e8p-5f, 0x1.5554dcp-3f, 0x1p-1f);
}

// The same q in double, of degree 10 (fit exp_double_lanes: e^r to 2^-61.4).
template <class A>
ACTX_INLINE dbatch<A> exp_q(dbatch<A> r) {
    return horner(r, 0x1.1f7f6b080fb0cp-29, 0x1.af4e560b572dbp-26, 0x1.27e4d3f4d165cp-22, 0x1.71de01fd535cdp-19,
                  0x1.a01a01a9f7442p-16, 0x1.a01a01abf881cp-13, 0x1.6c16c16c15a47p-10, 0x1.11111111100bdp-7,
                  0x1.5555555555557p-5, 0x1.5555555555557p-3, 0x1p-1);
}

// The reduction's constants: the round-to-nearest shifter 1.5 2^(digits - 1),
// log2 e, and ln 2 = ln2_hi - minus_ln2_lo with ln2_hi short enough that
// n ln2_hi is exact (16 significant bits in float; 42 in double, for
// |n| < 2^11, |z| <= 746).
template <class T> struct exp_reduction;
template <> struct exp_reduction<float> {
    static constexpr float shifter = 0x1.8p23f, log2e = 0x1.715476p0f;
    static constexpr float ln2_hi = 0x1.62e4p-1f, minus_ln2_lo = -0x1.7f7d1cp-20f;
};
template <> struct exp_reduction<double> {
    static constexpr double shifter = 0x1.8p52, log2e = 0x1.71547652b82fep0;
    static constexpr double ln2_hi = 0x1.62e42fefa3800p-1, minus_ln2_lo = -0x1.ef35793c7673p-45;
};

// The reduction's low part c = -n ln2_lo, plus z_lo where the argument is
// z + z_lo with |z_lo| below an ULP of z (gauss's x^2 as two doubles): it
// enters u linearly, as the argument's own bits would.
template <class T, class A>
ACTX_INLINE exp_parts<A, T> split_exp_of(xsimd::batch<T, A> z, xsimd::batch<T, A> n,
                                         xsimd::batch<T, A> c) {
    using B = xsimd::batch<T, A>;
    B hi = detail::fnma(n, B(exp_reduction<T>::ln2_hi), z);
    B r = hi + c;
    B u = hi + detail::fma(r * r, exp_q(r), c);
    return {u, n};
}
template <class T, class A>
ACTX_INLINE xsimd::batch<T, A> exp_reduction_n(xsimd::batch<T, A> z) {
    using B = xsimd::batch<T, A>;
    const B shifter(exp_reduction<T>::shifter);
    return detail::fma(z, B(exp_reduction<T>::log2e), shifter) - shifter;
}
template <class T, class A>
ACTX_INLINE exp_parts<A, T> split_exp(xsimd::batch<T, A> z) {
    using B = xsimd::batch<T, A>;
    B n = exp_reduction_n(z);
    return split_exp_of(z, n, n * B(exp_reduction<T>::minus_ln2_lo));
}
template <class T, class A>
ACTX_INLINE exp_parts<A, T> split_exp(xsimd::batch<T, A> z, xsimd::batch<T, A> z_lo) {
    using B = xsimd::batch<T, A>;
    B n = exp_reduction_n(z);
    return split_exp_of(z, n, detail::fma(n, B(exp_reduction<T>::minus_ln2_lo), z_lo));
}

// sigmoid(a) and sigmoid(-a) for a = |x| in [0, 104] (callers clamp).
// e = e^-a = s (1 + u).  d = 1 + e is formed exactly as dh + dl (s u is exact:
// s is a power of two; two Fast2Sums), so the only roundings left are the
// quotients'.  One division, r = 1/dh, and its exact residual
// t = 1 - r dh - r dl give 1/d = r (1 + t) to first order (t^2 < 2^-46)
// (Newton's step for a quotient), so p = 1/d = r + r t rounds once.
// m = e/d = s (1 + u)/d = s r (1 + u)(1 + t): r (1 + u) is m0 + ml, m0 one
// fma and ml its residual (r - m0 is exact), t enters ml to first order,
// and m = s (m0 + ml) rounds once.  Both are within ~0.5 ULP of the rounded
// pieces' quotient.  m's scale s = 2^n is applied last, so m is right down
// into the subnormals.
// pm = sigmoid(a) sigmoid(-a) = e/(1 + e)^2, the derivative, from the same
// pieces: r m0 is split exactly and t and ml enter it to first order, so it
// rounds once (a product of the rounded p and m would carry both their
// errors and a third rounding).
template <class A, class T = float>
struct sigmoid_halves {
    using batch = xsimd::batch<T, A>;
    batch p, m, pm;  // sigmoid(a), sigmoid(-a), their product
    batch pm_unscaled;  // pm = pm_unscaled 2^n, so that a product by it rounds once
};

// 1 + e^-a = dh + dl exactly, for a in [0, -exp_range<T>::lo], with e^-a's pieces.
template <class A, class T = float>
struct one_plus_exp {
    exp_parts<A, T> k;
    xsimd::batch<T, A> dh, dl;
};

// With lo: 1 + e^-(a + lo), |lo| <= 2^-20 a.  In double, -lo goes into the
// exponential's reduced argument (split_exp's low part) and costs no
// rounding: the gelu_tanh gate 1.30 -> 0.86 ULP of double, its derivative
// 2.01 -> 1.52, gelu_tanh's forward on double arrays 1.94 -> 1.62.  In
// float it stays a first-order correction of u after the reduction: the
// other way the gate is 0.90 ULP instead of 1.32, but the float kernel's
// gelu_tanh' with a random dy, whose two terms nearly cancel at x = -1.46,
// went from 3.97 to 4.25 ULP in the full sweep, over its bound of 4.
template <class T, class A>
ACTX_INLINE one_plus_exp<A, T> one_plus_exp_of(xsimd::batch<T, A> a, xsimd::batch<T, A> const* lo = nullptr) {
    using B = xsimd::batch<T, A>;
    const B one(T(1));
    exp_parts<A, T> k;
    if constexpr (std::is_same_v<T, double>) {
        k = lo ? split_exp(-a, -*lo) : split_exp(-a);
    } else {
        k = split_exp(-a);
        if (lo) k.u = detail::fnma(*lo, k.u, k.u - *lo);
    }
    B s = k.scale_low();
    B su = s * k.u;
    B b = one + s;                  // 1 + s = b + bl
    B bl = fast_sum_error(one, s, b);  // s <= 1
    B dh = b + su;                  // b + su = dh + dl'
    B dl = fast_sum_error(b, su, dh) + bl;  // b >= 1 > |su|
    return {k, dh, dl};
}

template <class T, class A>
ACTX_INLINE sigmoid_halves<A, T> sigmoid_from(one_plus_exp<A, T> const& d, xsimd::batch<T, A> r) {  // r = 1/dh
    using B = xsimd::batch<T, A>;
    const B one(T(1));
    B t = detail::fnma(r, d.dl, detail::fnma(r, d.dh, one));  // 1/d = r (1 + t)
    B p = detail::fma(r, t, r);
    B m0 = detail::fma(r, d.k.u, r);
    B ml = detail::fma(m0, t, detail::fma(r, d.k.u, r - m0));  // e/d = 2^n (m0 + ml)
    B m = m0 + ml;
    B pm0 = r * m0;  // p m = 2^n r (1 + t)(m0 + ml)
    B pm = pm0 + detail::fma(r, detail::fma(t, m0, ml), product_error(r, m0, pm0));
    return {p, d.k.scaled_low(m), d.k.scaled_low(pm), pm};
}

// 1 + e^-|x| for |x| clamped to 104 (sigmoid(-104) is below the float
// subnormals) and r = 1/dh: what sigmoid(+-x) and log1pexp(+-x) are formed from.
// d is built in its place, never copied: g++ keeps a struct of more than two
// AVX-512 vectors that is copied whole in memory, and copies it in 32-byte
// halves (its tuning for Intel cores), which the 64-byte loads after it
// cannot take from the store buffer.  Built from a copy of d, sigmoid's
// loop ran 2.2 times slower on an Intel Xeon (docs/design.md).
template <class A, class T = float>
struct one_plus_exp_abs {
    one_plus_exp<A, T> d;
    xsimd::batch<T, A> r;
};
template <class T, class A>
ACTX_INLINE one_plus_exp_abs<A, T> one_plus_exp_of_abs(xsimd::batch<T, A> x) {
    using B = xsimd::batch<T, A>;
    one_plus_exp_abs<A, T> e{one_plus_exp_of(xsimd::min(B(-exp_range<T>::lo), xsimd::abs(x))), {}};
    e.r = detail::div(B(T(1)), e.d.dh);
    return e;
}

template <class T, class A>
ACTX_INLINE sigmoid_halves<A, T> sigmoid_of_abs(xsimd::batch<T, A> a) {
    one_plus_exp<A, T> d = one_plus_exp_of(a);
    return sigmoid_from(d, detail::div(xsimd::batch<T, A>(T(1)), d.dh));
}

// sigmoid(+-2a) for a = |x| of any size, 2a clamped to 104 as above: the
// sigmoids the tanh family reads (tanh, its derivative, tanhshrink), written
// once so that tanh_sigmoids and tanhshrink form them alike.
template <class T, class A>
ACTX_INLINE sigmoid_halves<A, T> sigmoid_of_twice_abs(xsimd::batch<T, A> a) {
    return sigmoid_of_abs(xsimd::min(xsimd::batch<T, A>(-exp_range<T>::lo), a + a));
}

// log(1 + e^-a) for a in [0, 104], from d = 1 + e^-a = dh + dl and r = 1/dh:
// log(dh) + dl r.  dh in [1, 2] is halved above sqrt 2 (adding ln 2), so
// g = dh - 1 (or dh/2 - 1) is exact and in [sqrt 1/2 - 1, sqrt 2 - 1], where
// log1p(g) = g - g^2/2 + g^3 P(g), P of degree 7 (fit log1p_float: 2^-27.0).
template <class A>
ACTX_INLINE fbatch<A> log_one_plus_exp(one_plus_exp<A> const& d, fbatch<A> r) {
    auto big = d.dh > fbatch<A>(0x1.6a09e6p0f);
    fbatch<A> g = xsimd::select(big, d.dh * fbatch<A>(0.5f), d.dh) - fbatch<A>(1.0f);
    fbatch<A> q = horner(g, -0x1.2d8f52p-4f, 0x1.028900p-3f, -0x1.0e6b60p-3f, 0x1.235da4p-3f, -0x1.5466aep-3f,
                            0x1.9998b0p-3f, -0x1.000240p-2f, 0x1.555564p-2f);
    fbatch<A> g2 = g * g;
    fbatch<A> tail = detail::fma(g2 * g, q, detail::fnma(g2, fbatch<A>(0.5f), d.dl * r));
    // ln 2 = 0x1.62e430p-1 - 0x1.05c610p-29 added where dh was halved:
    // 0x1.62e430p-1 + ((tail - 0x1.05c610p-29) + g) there, g + tail elsewhere,
    // each select of a sum and one of its terms a masked addition.
    fbatch<A> low = xsimd::select(big, tail + fbatch<A>(-0x1.05c610p-29f), tail) + g;
    return xsimd::select(big, fbatch<A>(0x1.62e430p-1f) + low, low);
}

// The same in double.  dh is halved above sqrt 2 as above, so f = dh - 1 (or
// dh/2 - 1) is exact, and log1p(f) = f - (h - s (h + R)), h = f^2/2,
// s = f/(2 + f), R = z L(z), z = s^2 (2 atanh s = 2s + s R; fit log_double_lanes:
// s R to 2^-57.7 of 2s): f enters unrounded, h's rounding is below a
// quarter of an ULP of the result, and the rest is smaller.
// log1p(f) - f + extra = s (h + R) + extra - h, for f in [sqrt 1/2 - 1,
// sqrt 2 - 1] and a small extra (the caller's correction, added where it
// is not rounded away): shared by log_one_plus_exp and the double log and
// log1p (log.hpp).
template <class A>
ACTX_INLINE dbatch<A> log1p_tail(dbatch<A> f, dbatch<A> extra) {
    const dbatch<A> half(0.5);
    dbatch<A> s = f / (dbatch<A>(2.0) + f);
    dbatch<A> z = s * s;
    dbatch<A> R = z * horner(z, 0x1.2b62ca3da2e33p-3, 0x1.39fd807189bb6p-3, 0x1.7462bba41c635p-3,
                             0x1.c71c62cbfea3fp-3, 0x1.2492492e0644ep-2, 0x1.9999999995219p-2,
                             0x1.5555555555558p-1);
    dbatch<A> h = half * f * f;
    return detail::fma(s, h + R, extra) - h;
}
template <class A>
ACTX_INLINE dbatch<A> log_one_plus_exp(one_plus_exp<A, double> const& d, dbatch<A> r) {
    auto big = d.dh > dbatch<A>(0x1.6a09e667f3bcdp0);
    dbatch<A> f = xsimd::select(big, d.dh * dbatch<A>(0.5), d.dh) - dbatch<A>(1.0);
    dbatch<A> tail = log1p_tail(f, d.dl * r);
    // ln 2 = 0x1.62e42fefa39efp-1 + 0x1.abc9e3b39803fp-56, as in float.
    dbatch<A> low = xsimd::select(big, tail + dbatch<A>(0x1.abc9e3b39803fp-56), tail) + f;
    return xsimd::select(big, dbatch<A>(0x1.62e42fefa39efp-1) + low, low);
}

// log1pexp(x) = max(x, 0) + log(1 + e^-|x|), from l = log_one_plus_exp of
// |x|'s pieces (shared by x and -x, and with sigmoid's pair); x itself above
// 20, where log1p(e^-20) is below half an ulp of 20.
template <class A>
ACTX_INLINE fbatch<A> softplus_from(fbatch<A> x, fbatch<A> l) {
    return xsimd::select(x > fbatch<A>(20.0f), x, xsimd::max(x, fbatch<A>(0.0f)) + l);
}
// In double the sum is x itself from x = 38 on (log1p(e^-38) is below half
// an ulp of 38), which it gives by rounding; +inf + 0 is +inf.
template <class A>
ACTX_INLINE dbatch<A> softplus_from(dbatch<A> x, dbatch<A> l) {
    return xsimd::max(x, dbatch<A>(0.0)) + l;
}

// gelu_tanh's gate sigmoid(v), v = 2 sqrt(2/pi) (x + 0.044715 x^3) = x (c1 + c3 x^2),
// and sigmoid(-v), for x clamped to [-11, 11] (|v| > 104 beyond).  v is
// formed as vh + vl to ~2^-44 relative (x^2 split exactly, c1 and c3 in two
// pieces, TwoSum for c1 + c3 x^2, the product by x split exactly), because
// sigmoid(-|v|) has relative condition |v|: a float v would cost ~100 ULP at
// x = -10.  vl enters the exponential (one_plus_exp_of's lo): in double
// its reduction, in float u to first order (one_plus_exp_of says why).
// derivative = pm v'(x), v' = c1 + 3 c3 x^2 also carried as two floats (the
// core's gelu_tanh_gate'; its own product would round v' and pm apart).
template <class A, class T = float>
struct gelu_gates : sigmoid_halves<A, T> {
    xsimd::batch<T, A> derivative;
};

// c1 = 2 sqrt(2/pi), c3 = 0.044715 c1 and d3 = 3 c3, each in two pieces, and
// the clamp of x beyond which sigmoid(-|v|) is 0 (|v| > 104 in float, 746
// in double).
template <class T> struct gelu_tanh_constants;
template <> struct gelu_tanh_constants<float> {
    static constexpr float c1 = 0x1.988454p+0f, c1_lo = -0x1.857936p-25f;
    static constexpr float c3 = 0x1.2444f2p-4f, c3_lo = 0x1.49b16ap-29f;
    static constexpr float d3 = 0x1.b6676cp-3f, d3_lo = -0x1.175e2p-32f;
    static constexpr float limit = 11.0f;
};
template <> struct gelu_tanh_constants<double> {
    static constexpr double c1 = 0x1.9884533d43651p+0, c1_lo = -0x1.cbc0d30ebfd15p-54;
    static constexpr double c3 = 0x1.2444f2a4d8b4bp-4, c3_lo = -0x1.6c843a29d1c70p-61;
    static constexpr double d3 = 0x1.b6676bf7450f0p-3, d3_lo = 0x1.bba7351828aabp-57;
    static constexpr double limit = 22.0;
};

template <class T, class A>
ACTX_INLINE gelu_gates<A, T> gelu_tanh_gates(xsimd::batch<T, A> x) {
    using B = xsimd::batch<T, A>;
    using k = gelu_tanh_constants<T>;
    const B c1(k::c1), c1_lo(k::c1_lo);
    const B c3(k::c3), c3_lo(k::c3_lo);
    x = clamp(x, -k::limit, k::limit);
    B p = x * x;
    B pl = product_error(x, x, p);
    B t = c3 * p;
    B te = product_error(c3, p, t);
    B wh = c1 + t;
    B wl = sum_error(c1, t, wh) + (te + (c1_lo + detail::fma(c3, pl, c3_lo * p)));
    B vh = x * wh;
    B vl = detail::fma(x, wl, product_error(x, wh, vh));
    B a = xsimd::abs(vh);
    B lo = xsimd::bitwise_xor(vl, xsimd::bitwise_and(vh, B(T(-0.0))));  // |v| = a + lo
    one_plus_exp<A, T> d = one_plus_exp_of(a, &lo);
    sigmoid_halves<A, T> h = sigmoid_from(d, detail::div(B(T(1)), d.dh));
    auto positive = vh >= B(T(0));
    const B d3(k::d3), d3_lo(k::d3_lo);  // 3 c3
    B s = d3 * p;
    B se = product_error(d3, p, s);
    B dh = c1 + s;
    B dl = sum_error(c1, s, dh) + (se + (c1_lo + detail::fma(d3, pl, d3_lo * p)));
    return {{xsimd::select(positive, h.p, h.m), xsimd::select(positive, h.m, h.p), h.pm, h.pm_unscaled},
            d.k.scaled_low(detail::fma(dh, h.pm_unscaled, dl * h.pm_unscaled))};
}

// tanh(a) for a = |x| in [0, 10] (callers clamp; tanh(9.02) rounds to 1).
// a < ln3/2: a + a^3 P(a^2), P of degree 4 (fit tanh_float: 2^-29.0).
// Otherwise 1 - 2 sigmoid(-2a): sigmoid(-2a) <= 1/4 there, so its error
// reaches the result at most once over, and the subtraction rounds once.
// tanh(a) from h = sigmoid_of_abs(2a) (which a caller may share).
// tanh_small(x) is the polynomial, for |x| < ln3/2 of either sign (it is
// odd), also the fast path's.
template <class A>
ACTX_INLINE fbatch<A> tanh_small(fbatch<A> x) {
    fbatch<A> z = x * x;
    fbatch<A> q = horner(z, -0x1.9abff8p-8f, 0x1.59264ep-6f, -0x1.b92546p-5f, 0x1.110d0ep-3f, -0x1.55554ap-2f);
    return detail::fma(x * z, q, x);
}
// In double, P of degree 10 (fit tanh_double_lanes: 2^-57.0).
template <class A>
ACTX_INLINE dbatch<A> tanh_small(dbatch<A> x) {
    dbatch<A> z = x * x;
    dbatch<A> q = horner(z, -0x1.46c1497b0746ep-16, 0x1.5d521abe159c4p-14, -0x1.e9630e3160e0bp-13,
                         0x1.3482586667b8ep-11, -0x1.7d8fa6ec7fc31p-10, 0x1.d6d297d1a3b2ep-9,
                         -0x1.226e2efa46e2dp-7, 0x1.664f48588cacfp-6, -0x1.ba1ba1b978ffdp-5,
                         0x1.1111111110740p-3, -0x1.555555555554fp-2);
    return detail::fma(x * z, q, x);
}
// ln3/2, below which tanh_small is used, and the |x| from which tanh rounds
// to 1 (the clamp, so that 2a stays in exp's range).
template <class T> struct tanh_range;
template <> struct tanh_range<float> {
    static constexpr float small = 0x1.193ea8p-1f, saturated = 10.0f;
};
template <> struct tanh_range<double> {
    static constexpr double small = 0x1.193ea7aad030bp-1, saturated = 20.0;
};
template <class T, class A>
ACTX_INLINE xsimd::batch<T, A> tanh_from(xsimd::batch<T, A> a, sigmoid_halves<A, T> const& h) {
    using B = xsimd::batch<T, A>;
    B small = tanh_small(a);
    B large = detail::fnma(B(T(2)), h.m, B(T(1)));
    return xsimd::select(a < B(tanh_range<T>::small), small, large);
}

template <class T, class A>
ACTX_INLINE xsimd::batch<T, A> tanh_of_abs(xsimd::batch<T, A> a) {
    return tanh_from(a, sigmoid_of_abs(a + a));
}

// tanhshrink(a) = a^3 S(a^2) for a < 1 (fit tanhshrink_float, degree 8):
// S's steps down to the a^2 term, without the constant 1/3, which the
// accurate kernel (tanhshrink.hpp) adds in two pieces and the fast path
// (fast_kernels.hpp) as one float.
template <class A>
ACTX_INLINE fbatch<A> tanhshrink_series(fbatch<A> z) {
    return horner(z, 0x1.932886p-15f, -0x1.6062f2p-12f, 0x1.44edf4p-10f, -0x1.c79fc6p-9f, 0x1.212f0cp-7f,
                  -0x1.663124p-6f, 0x1.ba1a2ep-5f, -0x1.11110ep-3f);
}
// In double, S1 of degree 15 with 1/3 fixed (fit tanhshrink_double_lanes:
// 2^-54.8 of S).
template <class A>
ACTX_INLINE dbatch<A> tanhshrink_series(dbatch<A> z) {
    return horner(z, 0x1.2431e179d6bfep-27, -0x1.9115723bac458p-24, 0x1.128fee8079676p-21, -0x1.01b2071d5e30ep-19,
                  0x1.839232085c02fp-18, -0x1.029bfb5ef6148p-16, 0x1.4713972521454p-15, -0x1.95f81191a22e5p-14,
                  0x1.f56792cd4a9b8p-13, -0x1.3556d15cf2aa2p-11, 0x1.7da346a95a53cp-10, -0x1.d6d3cf12fc630p-9,
                  0x1.226e355529939p-7, -0x1.664f488288008p-6, 0x1.ba1ba1ba1aedep-5, -0x1.111111111110bp-3);
}
// 1/3 in two pieces, which tanhshrink's series adds last.
template <class T> struct one_third;
template <> struct one_third<float> {
    static constexpr float hi = 0x1.555556p-2f, lo = -0x1.555556p-27f;
};
template <> struct one_third<double> {
    static constexpr double hi = 0x1.5555555555555p-2, lo = 0x1.5555555555555p-56;
};

// The standard normal distribution function Phi(x) and density phi(x).
// |x| is clamped to 14.5, where both are below the float subnormals.
// With a = |x|:
// - a < 0.67: Phi = 1/2 +- a E(a^2), E = c0 + z E1(z), c0 = 1/sqrt(2 pi) in
//   two pieces, E1 of degree 3 (fit normal_small: 2^-27.2).  a E < 1/4 (at
//   0.68 it is not, and its rounding was a whole ULP of 1/2 - a E), so its
//   rounding is at most half an ULP of the result.
// - otherwise the upper tail Q(a) = Phi(-a) = e^(-a^2/2) t P(t), t = 4/(4 + a),
//   P of degree 9 in s = t - c (fit normal_centred: 2^-29.6 on a in
//   [0.67, 14.5] as evaluated), its last four steps in two floats, and
//   Phi(a) = 1 - Q(a).  The rounding of t would cost 4 ULP
//   (P is steep in t); it is corrected to first order from its exact
//   residual.  t P(t) stays two floats up to the last fma.  e^(-a^2/2) is
//   computed from a^2 = p + p_lo exactly (p_lo by product_error), with
//   -p_lo/2 added to the reduction's low part (split_exp(z, z_lo)), so
//   a^2's rounding (50 ULP of the result at a = 10) never enters.  (As a
//   correction 1 + u - (p_lo/2)(1 + u) after the reduction it cost two
//   more roundings: normcdf 1.80 ULP, normpdf 1.26, gelu' 1.59, against
//   1.29, 1.04 and 1.23 now.)
// phi = e^(-a^2/2) (c0 + c0_lo), from the same exponential.
// gelu'(x) = Phi(x) + x phi(x), the derivative of x Phi(x), cancels by any
// factor near its root (x = -0.75) and by 2 or more on [-0.75, -0.4]:
// composed of the two rounded values it was 2.6 ULP off.  So it is a third
// value, with its cancellation done exactly:
// - a < 0.67: 1/2 + x S(x^2), S = E + phi = c0 sum (-z/2)^k (2k + 2) /
//   ((2k + 1) k!) as one series (degree 8), its constant term 2 c0 in two
//   floats and 1/2 + x 2 c0 formed exactly, so that only the rest of the
//   series (below 0.03) is rounded before the sum;
// - otherwise Q(a) - a phi(a) = e^(-a^2/2) G, G = R - a (c0 + c0_lo), with
//   R = tq + tq_lo as above, and a c0 and tq - a c0 split exactly (one
//   product_error, one two-sum): G keeps R's 2^-30 where R and a c0 cancel;
//   then Phi + x phi is that for x < 0 and 1 minus it for x > 0.
template <class A, class T = float>
struct normal_values { xsimd::batch<T, A> cdf, pdf, derivative; };

// E1 of Phi(x) = 1/2 + x (c0 + z E1(z)), z = x^2 (fit normal_small), also
// the fast path's.
template <class A>
ACTX_INLINE fbatch<A> normal_small_e1(fbatch<A> z) {
    return horner(z, 0x1.c0fa92p-14f, -0x1.369ee6p-10f, 0x1.46ce64p-7f, -0x1.105836p-4f);
}

template <class A>
ACTX_INLINE normal_values<A> normal_of(fbatch<A> x) {
    const fbatch<A> c0(0x1.988454p-2f), c0_lo(-0x1.857936p-27f), half(0.5f);
    fbatch<A> a = xsimd::min(fbatch<A>(14.5f), xsimd::abs(x));
    fbatch<A> p = a * a;
    // -a^2/2 = -p/2 + lo exactly; lo enters the reduction's low part.
    fbatch<A> lo = product_error(a, a, p) * -half;
    exp_parts<A> k = split_exp(p * -half, lo);
    fbatch<A> u = k.u;
    fbatch<A> t = detail::div(fbatch<A>(4.0f), fbatch<A>(4.0f) + a);
    // P(t) = sum b_k s^k, s = t - c, returned as q + ql.  s is exact: t lies
    // in [0.216, 0.857], within [c/2, 2c] (Sterbenz).  b4.. are floats and
    // their part s^4 R(s) is evaluated in float (at most 0.025 of P); the
    // last four steps b_k + s (h + l) are kept in two floats (b_k exceeds
    // s h in exponent, so Fast2Sum).  In all 2^-29.6 of P.
    const fbatch<A> s = t - fbatch<A>(0x1.b851ecp-2f);
    fbatch<A> q = horner(s, 0x1.8fcfbcp-6f, -0x1.c9478ep-8f, -0x1.aa03aap-5f, -0x1.ea3ac8p-6f, 0x1.40995ep-4f,
                         0x1.bc753ap-3f);
    fbatch<A> ql(0.0f);
    auto step = [&](float bh, float bl) ACTX_INLINE_LAMBDA {
        fbatch<A> m = s * q;
        fbatch<A> h = fbatch<A>(bh) + m;
        ql = detail::fma(s, ql, product_error(s, q, m) + fast_sum_error(fbatch<A>(bh), m, h) + fbatch<A>(bl));
        q = h;
    };
    step(0x1.3c19ecp-2f, 0x1.76a4dcp-27f);
    step(0x1.434080p-2f, -0x1.316c92p-27f);
    step(0x1.0506e6p-2f, 0x1.1ac114p-27f);
    step(0x1.5ac43ep-3f, -0x1.056858p-31f);
    // t P(t) = R(a) = Q(a) e^(a^2/2), evaluated at the rounded t, is R at
    // a - da with da = rho/t, rho = 4 - t (4 + a) exactly; R' = a R - c0, so one
    // first-order step removes t's rounding (worth ~4 ULP of the tail).
    // R = tq + tq_lo unrounded; the tail is R (1 + u) 2^n with one rounding
    // of size R left (R u + tq_lo (1 + u) in one fma).
    fbatch<A> b = fbatch<A>(4.0f) + a;
    fbatch<A> bl = (fbatch<A>(4.0f) - b) + a;
    fbatch<A> rho = detail::fnma(t, bl, detail::fnma(t, b, fbatch<A>(4.0f)));
    fbatch<A> tq = t * q;
    fbatch<A> corr = detail::fnma(a, tq, c0) * ((rho * b) * fbatch<A>(0.25f));
    fbatch<A> tq_lo = product_error(t, q, tq) + detail::fma(t, ql, corr);
    fbatch<A> tail = k.scaled_low(tq + detail::fma(tq, u, detail::fma(tq_lo, u, tq_lo)));
    fbatch<A> pdf = k.scaled_low(detail::fma(c0, u, c0_lo) + c0);
    fbatch<A> w = a * (detail::fma(p, normal_small_e1(p), c0_lo) + c0);
    auto negative = x < fbatch<A>(0.0f);
    auto is_small = a < fbatch<A>(0.67f);
    fbatch<A> small = xsimd::select(negative, half - w, half + w);
    fbatch<A> large = xsimd::select(negative, tail, fbatch<A>(1.0f) - tail);
    // gelu' (see above).  Unused by a caller, it costs nothing: all inlined.
    fbatch<A> h = a * c0;
    fbatch<A> g = tq - h;
    fbatch<A> g_lo = detail::fnma(a, c0_lo, (tq_lo - product_error(a, c0, h)) + sum_error(tq, -h, g));
    fbatch<A> upper = k.scaled_low(g + detail::fma(g, u, detail::fma(g_lo, u, g_lo)));  // Q - a phi
    // Q - a phi is -2^-149 at the clamp (a = 14.5); the true value rounds to
    // 0 from |x| = 14.541349 on.
    upper = xsimd::select(xsimd::abs(x) >= fbatch<A>(0x1.d152bcp+3f), fbatch<A>(0.0f), upper);
    // 1/2 + x S: S = 2 c0 + z S1(z), x 2 c0 and 1/2 + x 2 c0 split exactly,
    // the rest (below 0.03) added once.
    const fbatch<A> s0(0x1.988454p-1f), s0_lo(-0x1.857936p-26f);
    fbatch<A> s1 = horner(p, 0x1.5f87d0p-25f, -0x1.62226ap-21f, 0x1.38d8dep-17f, -0x1.db5d78p-14f,
                          0x1.2e9ae8p-10f, -0x1.374040p-7f, 0x1.ea3864p-5f, -0x1.105838p-2f);
    fbatch<A> xh = x * s0;
    fbatch<A> xl = product_error(x, s0, xh);
    fbatch<A> sh = half + xh;
    fbatch<A> derivative_small = sh + detail::fma(x, detail::fma(p, s1, s0_lo), xl + sum_error(half, xh, sh));
    fbatch<A> derivative_large = xsimd::select(negative, upper, fbatch<A>(1.0f) - upper);
    return {xsimd::select(is_small, small, large), pdf, xsimd::select(is_small, derivative_small, derivative_large)};
}

// The upper tail Q(a) = e^(-a^2/2) R(a) for a = ah + al in [0.67, 38.7]
// (|al| below an ULP of ah; al = 0 unless Low): R = tq + tq_lo, and
// e^(-a^2/2) = 2^n (1 + u) with a^2's rounding, and al's first-order terms,
// in the exponential's low part.  al enters t = 4/(4 + a) through t's
// residual rho, whose correction is first order in t already.  normal_of
// takes a = |x|; erfc and erf on double take a = y sqrt 2 in two doubles
// (y sqrt 2 rounded would cost up to 2 y^2 ULP).  P's three pieces: normal_of
// below.
// 1/sqrt(2 pi) in two doubles: the tail's correction of t and the density.
inline constexpr double inv_sqrt_2pi = 0x1.9884533d43651p-2, inv_sqrt_2pi_lo = -0x1.cbc0d30ebfd15p-56;
template <class A>
struct normal_tail_double {
    dbatch<A> p;                 // ah^2, rounded
    exp_parts<A, double> k;      // e^(-a^2/2) = 2^n (1 + u)
    dbatch<A> tq, tq_lo;         // R(a) = e^(a^2/2) Q(a)
    // Q(a) 2^-n, so that k.scaled of it (or of twice it) rounds once.
    ACTX_INLINE dbatch<A> unscaled() const {
        return tq + detail::fma(tq, k.u, detail::fma(tq_lo, k.u, tq_lo));
    }
};
template <bool Low, class A>
ACTX_INLINE normal_tail_double<A> normal_tail_of(dbatch<A> a, dbatch<A> al) {
    using B = dbatch<A>;
    const B c0(inv_sqrt_2pi), half(0.5);
    B p = a * a;
    // -a^2/2 = -p/2 + lo, to first order in al.
    B lo = product_error(a, a, p) * -half;
    if constexpr (Low) lo = detail::fnma(a, al, lo);
    exp_parts<A, double> k = split_exp(p * -half, lo);
    B b = B(4.0) + a;
    B t = detail::div(B(4.0), b);
    auto first = a < B(3.0), second = a < B(10.0);
    auto pick = [&](double c1, double c2, double c3) ACTX_INLINE_LAMBDA {
        return xsimd::select(first, B(c1), xsimd::select(second, B(c2), B(c3)));
    };
    const B s = t - pick(0x1.3333333333333p-1, 0x1.999999999999ap-2, 0x1.70a3d70a3d70ap-3);
    B q = pick(0.0, 0x1.d71049dc95932p-8, -0x1.bfc0f1b362ae2p-8);
    auto step = [&](double c1, double c2, double c3) ACTX_INLINE_LAMBDA { q = detail::fma(q, s, pick(c1, c2, c3)); };
    step(-0x1.5e541107e189ap-8, 0x1.9675fa1303d25p-8, -0x1.8ea96e6686138p-8);
    step(0x1.0318a1aa370a7p-6, -0x1.aad95b92c1f17p-7, 0x1.1748b89de48e0p-8);
    step(-0x1.67c5c5eff945ap-7, -0x1.3f7fb0abdec5cp-7, 0x1.5d83bd04dfc35p-7);
    step(-0x1.0def861978c13p-6, 0x1.0ba766cbf05ecp-6, 0x1.fd0092cba66d8p-9);
    step(0x1.492822ef6836ap-6, 0x1.5628edd1c2283p-6, -0x1.6fc26f92e7b5dp-7);
    step(0x1.07623a5b83bc0p-5, -0x1.fa9c6afd787bcp-7, -0x1.4157700ca9255p-6);
    step(-0x1.217c13f0ad17ap-5, -0x1.90761ef907f07p-5, -0x1.097e9e48096fdp-7);
    step(-0x1.66147fedf60e6p-4, -0x1.3a0e8d4d3dc85p-6, 0x1.9fefc4d1916f4p-6);
    step(0x1.133a9e2002b3dp-6, 0x1.528e57ebe1541p-4, 0x1.2409505f06e59p-4);
    step(0x1.0bf21149d8cd1p-2, 0x1.a3af1067d20b2p-3, 0x1.d66778bb2bd84p-4);
    step(0x1.e5cebd669d67dp-2, 0x1.222bb6af37689p-2, 0x1.265006a8648f1p-3);
    step(0x1.07323032aeef9p-1, 0x1.27fb1afaaf75bp-2, 0x1.385cb073e1f74p-3);
    step(0x1.93015f4bdb9cep-2, 0x1.e4ec5b3774ebbp-3, 0x1.24e215daa4212p-3);
    // P = b0 + s q, b0 in two doubles; b0 exceeds s q in exponent.
    B m = s * q;
    B b0 = pick(0x1.c9b2a047e5046p-3, 0x1.4bab8af99db6dp-3, 0x1.f0b44f7c2cdb3p-4);
    B h = b0 + m;
    B ql = product_error(s, q, m) + fast_sum_error(b0, m, h) +
           pick(0x1.314fceff6e347p-57, 0x1.e9d25a52463a3p-57, 0x1.6409918bb0131p-59);
    q = h;
    // t's rounding (and al's share of t) as in float.
    B bl = (B(4.0) - b) + a;
    if constexpr (Low) bl = bl + al;
    B rho = detail::fnma(t, bl, detail::fnma(t, b, B(4.0)));
    B tq = t * q;
    B corr = detail::fnma(a, tq, c0) * ((rho * b) * B(0.25));
    B tq_lo = product_error(t, q, tq) + detail::fma(t, ql, corr);
    return {p, k, tq, tq_lo};
}

// The same in double lanes, |x| clamped to 38.7 (Phi(-38.49) and a phi(a)
// at 38.68 are the last that do not round to 0).  What differs from float:
// - a < 0.67: E1 and S1 are the Taylor series of E and S (degree 11 in z;
//   the first term left out is below 1e-20);
// - the tail's P(t) = R(a)/t is three polynomials, each in s = t - c with t
//   in [c/2, 2c] so that s is exact: a in [0.67, 3] (c = 0.6), [3, 10]
//   (c = 0.4) and [10, 38.7] (c = 0.18, fitted to 38.5), of degree 12, 13
//   and 13 with the constant term in two doubles (fit normal_tail_double:
//   2^-58.3, 2^-57.7 and 2^-62.3), their coefficients chosen lane by lane;
//   P's last step, b0 + s P1(s), is kept as two doubles, and everything
//   after it is the float code's;
// - constants in two doubles where float has two floats.
template <class A>
ACTX_INLINE normal_values<A, double> normal_of(dbatch<A> x) {
    using B = dbatch<A>;
    const B c0(inv_sqrt_2pi), c0_lo(inv_sqrt_2pi_lo), half(0.5);
    B a = xsimd::min(B(38.7), xsimd::abs(x));
    normal_tail_double<A> n = normal_tail_of<false>(a, B(0.0));
    B p = n.p, u = n.k.u, tq = n.tq, tq_lo = n.tq_lo;
    exp_parts<A, double> const& k = n.k;
    B tail = k.scaled_low(n.unscaled());
    B pdf = k.scaled_low(detail::fma(c0, u, c0_lo) + c0);
    B e1 = horner(p, 0x1.25098c9a0d57fp-47, -0x1.ddc738b863ab4p-43, 0x1.67c1700ad73d2p-38, -0x1.f107e1883d947p-34,
                  0x1.3878b823c4d4ep-29, -0x1.62226a4aabe03p-25, 0x1.658a2177b2739p-21, -0x1.3ce8fac15e2c4p-17,
                  0x1.e42b0d5216fc8p-14, -0x1.37403f6ba1100p-10, 0x1.46d04297691dap-7, -0x1.1058377e2cee0p-4);
    B w = a * (detail::fma(p, e1, c0_lo) + c0);
    auto negative = x < B(0.0);
    auto is_small = a < B(0.67);
    B small = xsimd::select(negative, half - w, half + w);
    B large = xsimd::select(negative, tail, B(1.0) - tail);
    B hc = a * c0;
    B g = tq - hc;
    B g_lo = detail::fnma(a, c0_lo, (tq_lo - product_error(a, c0, hc)) + sum_error(tq, -hc, g));
    B upper = k.scaled_low(g + detail::fma(g, u, detail::fma(g_lo, u, g_lo)));  // Q - a phi
    upper = xsimd::select(xsimd::abs(x) >= B(0x1.3565f548e80fcp+5), B(0.0), upper);
    const B s0(0x1.9884533d43651p-1), s0_lo(-0x1.cbc0d30ebfd15p-55);
    B s1 = horner(p, 0x1.dc2f847a55aefp-43, -0x1.66556a8a4ac07p-38, 0x1.eea9fa0ee7f41p-34, -0x1.36a4ecf5267cdp-29,
                  0x1.5f87cf283d6f7p-25, -0x1.62226a4aabe03p-21, 0x1.38d8dd48bc252p-17, -0x1.db5d78220d426p-14,
                  0x1.2e9ae8534e5ddp-10, -0x1.37403f6ba1100p-7, 0x1.ea3863e31dac7p-5, -0x1.1058377e2cee0p-2);
    B xh = x * s0;
    B xl = product_error(x, s0, xh);
    B sh = half + xh;
    B derivative_small = sh + detail::fma(x, detail::fma(p, s1, s0_lo), xl + sum_error(half, xh, sh));
    B derivative_large = xsimd::select(negative, upper, B(1.0) - upper);
    return {xsimd::select(is_small, small, large), pdf, xsimd::select(is_small, derivative_small, derivative_large)};
}

}  // namespace actx::vector::detail

ACTX_VECTOR_CODE_END
