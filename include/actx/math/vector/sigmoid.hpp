// sigmoid (1/(1 + e^-x)) for float packs, and sigmoid_pair: sigmoid(x) and
// sigmoid(-x) from one exponential, for silu's forward and backward.
//
// Method: in double (detail/kernels.hpp): e = e^-|x| (never overflows),
// r = 1/(1 + e); sigmoid(|x|) = r and sigmoid(-|x|) = e r, selected by sign.
// In float the three roundings (exp, 1 + e, the division) can add to over
// 1 ULP on the negative side; in double they are 2^-37 and only the final
// rounding counts.  x is clamped to ±120 (sigmoid(-120) is below the float
// subnormals; sigmoid(120) = 1).
//
// Measured (tests/unit/vector_math.cpp: every 256th float pattern over the
// whole range, 2^20 dense points in the hard ranges, special values), max: 0.5000 ULP (at x = -14.24)
// (sigmoid), 0.5000 for both members of sigmoid_pair.
// Special values: NaN -> NaN, +inf -> 1, -inf -> +0, ±0 -> 0.5.
// Cost per float vector: min/max, 2 widen + 1 narrow; per double half
// 1 exp (10 fma, 3 integer ops), 1 div, 2 mul/add, 1 compare + 1 blend.
// sigmoid_pair: the same plus 1 blend and 1 narrow.
//
// Double packs: lane-by-lane actx::math::sigmoid (placeholder).
#pragma once

#include <actx/math/vector/detail/gcc_warnings.hpp>
#include <actx/math/vector/detail/float_kernels.hpp>
#include <actx/math/vector/detail/scalar_fallback.hpp>

#if __has_include(<actx/math/sigmoid.hpp>)
#include <actx/math/sigmoid.hpp>
#endif

ACTX_VECTOR_CODE_BEGIN

namespace actx::vector {

template <class A>
inline pack<float, A> sigmoid(pack<float, A> x) {
    using namespace detail;
    sigmoid_halves<A> h = sigmoid_of_abs(xsimd::min(fbatch<A>(104.0f), xsimd::abs(x.v)));
    return {xsimd::select(x.v >= fbatch<A>(0.0f), h.p, h.m)};
}

#if __has_include(<actx/math/sigmoid.hpp>)
ACTX_VECTOR_DOUBLE_FALLBACK(sigmoid)
#endif

template <class P>
struct sigmoid_pair_result {
    P positive;  // sigmoid(a)
    P negative;  // sigmoid(-a)
};

template <class A>
inline sigmoid_pair_result<pack<float, A>> sigmoid_pair(pack<float, A> x) {
    using namespace detail;
    sigmoid_halves<A> h = sigmoid_of_abs(xsimd::min(fbatch<A>(104.0f), xsimd::abs(x.v)));
    auto positive = x.v >= fbatch<A>(0.0f);
    // NaN compares false and h.p is NaN for it: NaN on both sides.
    return {{xsimd::select(positive, h.p, h.m)}, {xsimd::select(positive, h.m, h.p)}};
}

#if __has_include(<actx/math/sigmoid.hpp>)
template <class A>
inline sigmoid_pair_result<pack<double, A>> sigmoid_pair(pack<double, A> x) {
    return {sigmoid(x), sigmoid(-x)};
}
#endif

}  // namespace actx::vector

ACTX_VECTOR_CODE_END
