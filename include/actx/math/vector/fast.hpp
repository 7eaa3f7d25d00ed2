// The fast path: packs whose Mode is fast_math (pack.hpp), as fast_kernel
// evaluates them.
//
// The float primitives with a fast approximation have their own overloads
// at the end of this file (method and cost: detail/fast_kernels.hpp):
// sigmoid and its pair, tanh and its sigmoids, tanhshrink, and the normal
// distribution (gelu).  Every other primitive, and every double one, is the accurate
// primitive: the generic overloads forward to it.  Partial ordering picks
// the float overloads over those, which take any element type.
//
// Measured error in float, of the kernels that use them, where the true
// result is a normal float (tests/unit/kernel_accuracy_reference.cpp, full
// sweep; docs/accuracy.md): every forward within 8 ULP and every backward
// within 24 ULP, with the same rule near a derivative's root as the
// accurate kernels.  The largest seen: 7.3 (geglu forward) and 17.2 (gelu'
// times dy at x = -13.33, where e^(-x^2/2) is a float subnormal inside the
// evaluation; 12.2 elsewhere), against 2 to 4 for kernel().  Special values
// are those of the accurate kernels: NaN, infinities and results that
// underflow are found by the exceptional-element test and recomputed
// (kernel/exceptional.hpp).
#pragma once

#include <actx/math/vector/detail/code.hpp>
#include <actx/math/vector/detail/fast_kernels.hpp>
#include <actx/math/vector/erf.hpp>
#include <actx/math/vector/erfc.hpp>
#include <actx/math/vector/exp.hpp>
#include <actx/math/vector/expm1.hpp>
#include <actx/math/vector/gauss.hpp>
#include <actx/math/vector/gelu_tanh_gate.hpp>
#include <actx/math/vector/log.hpp>
#include <actx/math/vector/log1p.hpp>
#include <actx/math/vector/log1pexp.hpp>
#include <actx/math/vector/normcdf.hpp>
#include <actx/math/vector/normpdf.hpp>
#include <actx/math/vector/pack.hpp>
#include <actx/math/vector/sigmoid.hpp>
#include <actx/math/vector/softplus_tanh.hpp>
#include <actx/math/vector/tanh.hpp>
#include <actx/math/vector/tanhshrink.hpp>

ACTX_VECTOR_CODE_BEGIN

namespace actx::vector {

template <class T, class A>
using fast_pack = pack<T, A, fast_math>;

namespace detail {
template <class T, class A>
ACTX_INLINE pack<T, A> accurate_of(fast_pack<T, A> x) {
    return {x.v};
}
template <class T, class A>
ACTX_INLINE fast_pack<T, A> fast_of(pack<T, A> x) {
    return {x.v};
}
}  // namespace detail

#define ACTX_VECTOR_FAST_FALLBACK(name)                                  \
    template <class T, class A>                                          \
    ACTX_INLINE fast_pack<T, A> name(fast_pack<T, A> x) {                \
        return detail::fast_of(name(detail::accurate_of(x)));            \
    }
ACTX_VECTOR_FAST_FALLBACK(exp)
ACTX_VECTOR_FAST_FALLBACK(expm1)
ACTX_VECTOR_FAST_FALLBACK(log)
ACTX_VECTOR_FAST_FALLBACK(log1p)
ACTX_VECTOR_FAST_FALLBACK(tanh)
ACTX_VECTOR_FAST_FALLBACK(tanhshrink)
ACTX_VECTOR_FAST_FALLBACK(erf)
ACTX_VECTOR_FAST_FALLBACK(erfc)
ACTX_VECTOR_FAST_FALLBACK(sigmoid)
ACTX_VECTOR_FAST_FALLBACK(log1pexp)
ACTX_VECTOR_FAST_FALLBACK(gauss)
ACTX_VECTOR_FAST_FALLBACK(normpdf)
ACTX_VECTOR_FAST_FALLBACK(normcdf)
ACTX_VECTOR_FAST_FALLBACK(gelu_tanh_gate)
#undef ACTX_VECTOR_FAST_FALLBACK

// The joint evaluations, member by member.
template <class T, class A>
ACTX_INLINE sigmoid_pair_result<fast_pack<T, A>> sigmoid_pair(fast_pack<T, A> x) {
    using detail::fast_of;
    auto r = sigmoid_pair(detail::accurate_of(x));
    return {fast_of(r.positive), fast_of(r.negative), fast_of(r.product), fast_of(r.softplus),
            fast_of(r.softplus_negative)};
}
namespace detail {
template <class T, class A>
ACTX_INLINE exp_pair_result<fast_pack<T, A>> fast_exp_pair(exp_pair_result<pack<T, A>> const& r) {
    return {fast_of(r.exp), fast_of(r.expm1), fast_of(r.expm1_below_zero), fast_of(r.exp_beside_expm1)};
}
}  // namespace detail
template <class T, class A>
ACTX_INLINE exp_pair_result<fast_pack<T, A>> exp_pair(fast_pack<T, A> x) {
    return detail::fast_exp_pair(exp_pair(detail::accurate_of(x)));
}
template <class T, class A>
ACTX_INLINE exp_pair_result<fast_pack<T, A>> exp_pair_unclamped(fast_pack<T, A> x) {
    return detail::fast_exp_pair(exp_pair_unclamped(detail::accurate_of(x)));
}
template <class T, class A>
ACTX_INLINE exp_pair_result<fast_pack<T, A>> exp_pair_clamped_below(fast_pack<T, A> x) {
    return detail::fast_exp_pair(exp_pair_clamped_below(detail::accurate_of(x)));
}
template <class T, class A>
ACTX_INLINE normal_pair_result<fast_pack<T, A>> normal_pair(fast_pack<T, A> x) {
    using detail::fast_of;
    auto r = normal_pair(detail::accurate_of(x));
    return {fast_of(r.cdf), fast_of(r.pdf), fast_of(r.derivative)};
}
template <class T, class A>
ACTX_INLINE tanh_sigmoids_result<fast_pack<T, A>> tanh_sigmoids(fast_pack<T, A> x) {
    using detail::fast_of;
    auto r = tanh_sigmoids(detail::accurate_of(x));
    return {fast_of(r.tanh), fast_of(r.positive), fast_of(r.negative), fast_of(r.product), fast_of(r.tanhshrink)};
}
template <class T, class A>
ACTX_INLINE gelu_tanh_gate_pair_result<fast_pack<T, A>> gelu_tanh_gate_pair(fast_pack<T, A> x) {
    using detail::fast_of;
    auto r = gelu_tanh_gate_pair(detail::accurate_of(x));
    return {fast_of(r.positive), fast_of(r.negative), fast_of(r.product), fast_of(r.derivative)};
}
template <class T, class A>
ACTX_INLINE softplus_tanh_result<fast_pack<T, A>> softplus_tanh(fast_pack<T, A> x) {
    using detail::fast_of;
    auto r = softplus_tanh(detail::accurate_of(x));
    return {fast_of(r.tanh), fast_of(r.positive), fast_of(r.negative), fast_of(r.product), fast_of(r.derivative)};
}

// The fast approximations, float only.
template <class A>
ACTX_INLINE fast_pack<float, A> sigmoid(fast_pack<float, A> x) {
    return {detail::fast_sigmoids(x.v).p};
}
// The softplus members are the accurate ones (computed only where read).
template <class A>
ACTX_INLINE sigmoid_pair_result<fast_pack<float, A>> sigmoid_pair(fast_pack<float, A> x) {
    using detail::fast_of;
    auto s = detail::fast_sigmoids(x.v);
    auto r = sigmoid_pair(detail::accurate_of(x));
    return {{s.p}, {s.m}, {s.pm}, fast_of(r.softplus), fast_of(r.softplus_negative)};
}
template <class A>
ACTX_INLINE fast_pack<float, A> tanh(fast_pack<float, A> x) {
    return {detail::fast_tanh_from(x.v, detail::fast_sigmoids(x.v + x.v))};
}
template <class A>
ACTX_INLINE tanh_sigmoids_result<fast_pack<float, A>> tanh_sigmoids(fast_pack<float, A> x) {
    auto s = detail::fast_sigmoids(x.v + x.v);
    return {{detail::fast_tanh_from(x.v, s)}, {s.p}, {s.m}, {s.pm}, {detail::fast_tanhshrink_from(x.v, s)}};
}
template <class A>
ACTX_INLINE fast_pack<float, A> tanhshrink(fast_pack<float, A> x) {
    return {detail::fast_tanhshrink_from(x.v, detail::fast_sigmoids(x.v + x.v))};
}
template <class A>
ACTX_INLINE fast_pack<float, A> normcdf(fast_pack<float, A> x) {
    return {detail::fast_normal(x.v).cdf};
}
template <class A>
ACTX_INLINE fast_pack<float, A> normpdf(fast_pack<float, A> x) {
    return {detail::fast_normal(x.v).pdf};
}
template <class A>
ACTX_INLINE normal_pair_result<fast_pack<float, A>> normal_pair(fast_pack<float, A> x) {
    auto n = detail::fast_normal(x.v);
    return {{n.cdf}, {n.pdf}, {n.derivative}};
}

}  // namespace actx::vector

ACTX_VECTOR_CODE_END
