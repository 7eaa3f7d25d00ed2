// sigmoid (1/(1 + e^-x)) for float packs, and sigmoid_pair: sigmoid(x) and
// sigmoid(-x) from one exponential, for silu's forward and backward.
//
// Method: in float lanes (detail/float_kernels.hpp, sigmoid_of_abs):
// e = e^-|x| = s (1 + u) never overflows; 1 + e is formed exactly as two
// floats, and sigmoid(|x|) = 1/(1 + e) and sigmoid(-|x|) = e/(1 + e) are
// both formed from one division, 1/(1 + e)'s first guess, corrected by its
// exact residual, then selected by sign.
// |x| is clamped to 104 (sigmoid(-104) is below the float subnormals).
//
// Measured (tests/unit/vector_math.cpp, every 256th float pattern, 2^20 dense
// points in the hard ranges, special values): max 0.91 ULP (sigmoid and both
// members of sigmoid_pair); subnormal results within 0.75 of 2^-149.
// The full sweep of all 2^32 floats: see docs/accuracy.md.
// Special values: NaN -> NaN, +inf -> 1, -inf -> +0, ±0 -> 0.5.
// Cost per vector: 1 exponential (6 fma, 4 add/mul, 2 vscalefps on AVX-512,
// elsewhere a conversion, 2 integer ops and 5 products: 2^n in one factor,
// as e^-|x|'s argument is at most 0), 1 div,
// 6 fma and 10 add/mul for the exact sum 1 + e and the corrected quotients,
// 2 blends.
//
// Double packs: the same in double lanes, |x| clamped to 746.  Measured
// against libquadmath (tests/unit/vector_double_reference.cpp): max 0.89
// ULP of double (6e6 points; docs/accuracy.md), every member of
// sigmoid_pair within 1.19.
#pragma once

#include <actx/math/vector/detail/code.hpp>
#include <actx/math/vector/detail/float_kernels.hpp>
#include <actx/math/vector/log1pexp.hpp>

ACTX_VECTOR_CODE_BEGIN

namespace actx::vector {

template <class T, class A>
ACTX_INLINE pack<T, A> sigmoid(pack<T, A> x) {
    using namespace detail;
    one_plus_exp_abs<A, T> e = one_plus_exp_of_abs(x.v);
    sigmoid_halves<A, T> h = sigmoid_from(e.d, e.r);
    return {xsimd::select(x.v >= xsimd::batch<T, A>(T(0)), h.p, h.m)};
}

template <class P>
struct sigmoid_pair_result {
    P positive;           // sigmoid(a)
    P negative;           // sigmoid(-a)
    P product;            // sigmoid(a) sigmoid(-a), rounded once
    P softplus;           // log1pexp(a), whose derivative is sigmoid(a)
    P softplus_negative;  // log1pexp(-a) (logsigmoid(a) = -log1pexp(-a))
};

// The softplus members share 1 + e^-|a| and its reciprocal with the
// sigmoids (log1pexp.hpp); every member has the bits of its single function.
template <class T, class A>
ACTX_INLINE sigmoid_pair_result<pack<T, A>> sigmoid_pair(pack<T, A> x) {
    using namespace detail;
    one_plus_exp_abs<A, T> e = one_plus_exp_of_abs(x.v);
    sigmoid_halves<A, T> h = sigmoid_from(e.d, e.r);
    xsimd::batch<T, A> l = log_one_plus_exp(e.d, e.r);
    auto positive = x.v >= xsimd::batch<T, A>(T(0));
    // NaN compares false and h.p is NaN for it: NaN on both sides.
    return {{xsimd::select(positive, h.p, h.m)}, {xsimd::select(positive, h.m, h.p)}, {h.pm},
            {softplus_from(x.v, l)}, {softplus_from(-x.v, l)}};
}

}  // namespace actx::vector

ACTX_VECTOR_CODE_END
