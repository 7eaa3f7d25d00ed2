// expm1 (e^x - 1) for float packs, and exp_pair: e^x and e^x - 1 from one
// exponential (the elu family's forward and derivative).
//
// Method: in float lanes (expm1_beyond_tiny below): e^x = 2^n (1 + u)
// with u = e^r - 1 kept apart, so e^x - 1 = 2 (2^(n-1) u + (2^(n-1) - 1/2)) is
// one fma of exact pieces (2^(n-1) - 1/2 is exact for |n| <= 24).  Near 0,
// n = 0 and the result is u itself, relatively accurate for tiny x.
//
// Measured (tests/unit/vector_math.cpp, every 256th float pattern, 2^20 dense
// points, special values): max 1.67 ULP (at x = 0.35, where n = 1 and
// u ~ -0.3 is doubled); for x <= 0 (elu, selu, celu) 1.13 ULP.  Full sweep:
// docs/accuracy.md.
// Special values: NaN -> NaN, +inf -> +inf, -inf -> -1, ±0 -> ±0,
// x > 88.7228 -> +inf, x < -17.33 -> -1 (rounded).
// Cost per vector: 2 min/max, 1 exponential (6 fma, 4 add/mul, 1 vscalefps
// on AVX-512, 7 integer ops elsewhere), 1 fma, 2 mul/sub, 1 compare + 1 blend.
//
// exp_pair: one exponential for both; its members have the bits of exp and
// expm1 alone (exp_beside_expm1, the e^x formed from expm1_below_zero's 2^n
// for the elu family's forward_backward, those of exp where x <= 0 and e^x
// is a normal float).
//
// Double packs: the same in double lanes (exp.hpp's double reduction), x
// clamped to [-746, 710].  Measured against expm1q
// (tests/unit/vector_double_reference.cpp): max 1.56 ULP of double (6e6
// points; docs/accuracy.md), at x = 0.35 to 0.40, where n = 1 and
// s' (1 + u) - 1/2 cancels by 2 (u's own rounding then counts twice).
#pragma once

#include <actx/math/vector/detail/code.hpp>
#include <actx/math/vector/detail/float_kernels.hpp>
#include <actx/math/vector/exp.hpp>

#include <type_traits>

ACTX_VECTOR_CODE_BEGIN

namespace actx::vector {

namespace detail {
// Where vscalefps applies 2^n to float lanes (AVX-512): exp_pair's clamp
// is optional there, and exp_beside_expm1 shares expm1_below_zero's 2^n.
template <class T, class A>
inline constexpr bool clamp_optional =
    std::is_same_v<T, float> && sizeof(typename xsimd::batch<T, A>::register_type) == 64;
// e^x - 1 from e^x's parts k = exp_parts_of(x), which exp_pair shares with
// e^x: 2 (s' (1 + u) - 1/2) with s' = 2^(n-1), so s' - 1/2 is
// exact for |n| <= 24 and the whole sum is one fma; s' overflows only where
// the result does (n = 129 is never reached), and below x = -17.33 the
// result rounds to -1.
// In double, s' - 1/2 is exact for |n| <= 53, and s' = 2^1023 at most.
// expm1_beyond_tiny is that sum alone, right where |x| >= 2^-60
// (tiny_expm1); with_tiny takes x itself below.
template <class T> inline constexpr T tiny_expm1 = T(0x1p-60);
template <bool Low = false, class T, class A>
ACTX_INLINE xsimd::batch<T, A> expm1_beyond_tiny(exp_parts<A, T> const& k) {
    using B = xsimd::batch<T, A>;
    B s = k.template scaled_if_low<Low>(B(T(0.5)));
    return detail::fma(s, k.u, s - B(T(0.5))) * B(T(2));
}
// e^x - 1 for x < 0: s (1 + u) - 1 = fma(s, u, s - 1) with s = 2^n <= 1,
// so s - 1 is exact down to n = -p and rounds to -1 below, and nothing
// overflows.  With s' = s / 2 that is r(s u + s - 1) = 2 r(s' u + s' - 1/2),
// r() the rounding, which a factor of 2 passes through wherever the result
// is a normal number: expm1's sum above, and so expm1's bits for every x <
// 0 (tests/unit/vector_math.cpp), without its tiny test: near 0, n = 0 and
// this is u itself, which is x for |x| < 2^-60, subnormals too (u = x +
// r^2 q rounds to x), with no halving into the subnormals.  At -0 it is +0
// (u is +0 there), and where n reaches 128 (float x above 88.03) s
// overflows: callers take it for x < 0 only (the elu family's selects,
// kernel/evaluate_dag.hpp).
template <class T, class A>
ACTX_INLINE xsimd::batch<T, A> expm1_below_zero(exp_parts<A, T> const& k) {
    using B = xsimd::batch<T, A>;
    B s = k.scale_low();
    return detail::fma(s, k.u, s - B(T(1)));
}
// expm1(x) rounds to x for |x| < 2^-60 (keeps -0, and avoids halving a tiny
// x into the subnormals).
template <class T, class A>
ACTX_INLINE xsimd::batch<T, A> with_tiny(xsimd::batch<T, A> x, xsimd::batch<T, A> beyond_tiny) {
    return xsimd::select(xsimd::abs(x) < xsimd::batch<T, A>(tiny_expm1<T>), x, beyond_tiny);
}
}  // namespace detail

template <class T, class A>
ACTX_INLINE pack<T, A> expm1(pack<T, A> x) {
    using namespace detail;
    return {with_tiny(x.v, expm1_beyond_tiny(exp_parts_of(x.v)))};
}

template <class P>
struct exp_pair_result {
    P exp;    // e^x
    P expm1;  // e^x - 1
    // e^x - 1 where x < 0, with expm1's bits there; anything elsewhere (+0
    // at -0): for a caller that takes another branch at x >= 0 (elu's
    // select(x <= 0, expm1(x), x), kernel/evaluate_dag.hpp).
    P expm1_below_zero;
    // e^x for x <= 0, for a caller that also reads expm1_below_zero (the
    // elu family's forward_backward): on AVX-512's float lanes 2^n u + 2^n,
    // one fma from the 2^n that expm1_below_zero is formed from, where exp
    // is (1 + u) 2^n, an addition and a second vscalefps.  exp's bits
    // wherever e^x is a normal float and x <= 0 (a product by 2^n does not
    // change a rounding there; above x = 88.03 2^n overflows); below the
    // normal floats 2^n (1 + u) rounded once, within 0.71 of 2^-149, and +0
    // from x = -103.63 down (2^n underflows at n = -150), where exp rounds
    // twice and reaches +0 at -103.98.  The kernels' test sends an element
    // whose e^x is below the normal floats to the precise path
    // (kernel/exceptional.hpp), so their results do not see the
    // difference.  Elsewhere (other widths, double) exp itself.
    P exp_beside_expm1;
};

namespace detail {
// The pair from e^x's parts k (of x, clamped or not).  Low: for a caller
// that reads neither member where x > 0, 2^n applied as for e^z with z <= 0
// (exp_parts::scaled_low: without vscalefps, fewer operations, and the same
// bits for x <= 43).
template <bool Low = false, class T, class A>
ACTX_INLINE exp_pair_result<pack<T, A>> exp_pair_of_parts(xsimd::batch<T, A> x, exp_parts<A, T> const& k) {
    using B = xsimd::batch<T, A>;
    B const below_zero = expm1_below_zero(k), e = exp_of_parts<Low>(k);
    B beside = e;
    if constexpr (clamp_optional<T, A>) {
        B const s = k.scale_low();  // expm1_below_zero's 2^n: the same vscalefps
        beside = detail::fma(s, k.u, s);
    }
    return {{e}, {with_tiny(x, expm1_beyond_tiny<Low>(k))}, {below_zero}, {beside}};
}
}  // namespace detail

// e^x and e^x - 1 from one reduction: the elu family's forward uses expm1,
// its derivative exp.  Each member has the same bits as the single function.
template <class T, class A>
ACTX_INLINE exp_pair_result<pack<T, A>> exp_pair(pack<T, A> x) {
    return detail::exp_pair_of_parts(x.v, detail::exp_parts_of(x.v));
}

// exp_pair with less of the clamp of x, where vscalefps applies 2^n: on
// the 16 float lanes of AVX-512.  The clamp's two operations head the
// exponential's chain of dependent operations, and the elu family's loops,
// held by that latency, take up to 15% longer with them (docs/design.md,
// "The exponential unclamped").  Both are for callers that discard both
// members where x > 0 (the elu family's select(x <= 0, ..., ...)): they
// are the same bits as exp_pair for x in [-104, 89], and above 89 anything.
// * exp_pair_clamped_below clamps x at -104 only (one operation), and is
//   exp_pair's bits for every x <= 0.
// * exp_pair_unclamped clamps nothing.  For x in [-2^21, -104) e^x is +0
//   and e^x - 1 is -1, as clamped; below, and at -inf, where the
//   reduction's x log2e + 1.5 2^23 leaves its binade, e^x is 0, an infinity
//   or NaN (2^n with n <= -2^22 scales any value to one of them) and e^x - 1
//   is -1 or NaN.  So only for a caller that also recomputes an element whose
//   e^x is 0, infinite or NaN, as the kernels' exceptional-element test does
//   where it classifies e^x (kernel/exceptional.hpp, relaxed_exp_slots).
// Elsewhere (other widths, double) both clamp x to [-104, 89] as exp_pair
// does and apply 2^n as for e^z with z <= 0 (exp_pair_of_parts<true>): one
// factor instead of two where there is no vscalefps (docs/design.md, "2^n
// in one factor where z <= 0"), exp_pair's bits for x <= 43, anything
// above.
template <class T, class A>
ACTX_INLINE exp_pair_result<pack<T, A>> exp_pair_clamped_below(pack<T, A> x) {
    using namespace detail;
    if constexpr (clamp_optional<T, A>) {
        return exp_pair_of_parts(x.v, split_exp(xsimd::max(xsimd::batch<T, A>(exp_range<T>::lo), x.v)));
    } else {
        return exp_pair_of_parts<true>(x.v, exp_parts_of(x.v));
    }
}
template <class T, class A>
ACTX_INLINE exp_pair_result<pack<T, A>> exp_pair_unclamped(pack<T, A> x) {
    using namespace detail;
    if constexpr (clamp_optional<T, A>) {
        return exp_pair_of_parts(x.v, split_exp(x.v));
    } else {
        return exp_pair_clamped_below(x);  // the same pair off AVX-512's float lanes
    }
}

}  // namespace actx::vector

ACTX_VECTOR_CODE_END
