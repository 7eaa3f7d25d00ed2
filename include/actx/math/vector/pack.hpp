// actx::vector::pack — the value type the fused kernel evaluates expressions on.
//
// A thin wrapper over xsimd::batch.  It exists so that every operation the
// expression evaluator calls unqualified (arithmetic, comparisons,
// select_value, exp, sigmoid, ...) is found by argument-dependent lookup in
// namespace actx::vector, never in namespace xsimd: xsimd's own math is not
// ours (its accuracy is undocumented and its erf is ~2.4 ULP), and a bare
// xsimd::batch would silently pick it up.
//
// Only xsimd operations are used here, so the same header serves SSE, AVX2,
// AVX-512 and NEON; the width is xsimd::default_arch's unless an Arch is given.
#pragma once

#include <actx/math/vector/detail/code.hpp>
#include <actx/math/vector/detail/fma.hpp>

#include <limits>
#include <xsimd/xsimd.hpp>

#include <cstddef>
#include <type_traits>

ACTX_VECTOR_CODE_BEGIN

namespace actx::vector {

namespace detail {
// Mask logic.  On AVX-512 a mask is a k register and these are single k
// instructions written out here: xsimd's operator! was left out of line in
// large translation units (a call per vector inside the fused loop).
template <class T, class Arch>
inline constexpr bool mask_in_register = avx512_arch<Arch>;
template <class T, class Arch>
ACTX_INLINE xsimd::batch_bool<T, Arch> mask_not(xsimd::batch_bool<T, Arch> m) {
    using R = typename xsimd::batch_bool<T, Arch>::register_type;
    if constexpr (mask_in_register<T, Arch>) return xsimd::batch_bool<T, Arch>(static_cast<R>(~static_cast<R>(m)));
    else return !m;
}
template <class T, class Arch>
ACTX_INLINE xsimd::batch_bool<T, Arch> mask_and(xsimd::batch_bool<T, Arch> a, xsimd::batch_bool<T, Arch> b) {
    using R = typename xsimd::batch_bool<T, Arch>::register_type;
    if constexpr (mask_in_register<T, Arch>)
        return xsimd::batch_bool<T, Arch>(static_cast<R>(static_cast<R>(a) & static_cast<R>(b)));
    else return a & b;
}
template <class T, class Arch>
ACTX_INLINE xsimd::batch_bool<T, Arch> mask_or(xsimd::batch_bool<T, Arch> a, xsimd::batch_bool<T, Arch> b) {
    using R = typename xsimd::batch_bool<T, Arch>::register_type;
    if constexpr (mask_in_register<T, Arch>)
        return xsimd::batch_bool<T, Arch>(static_cast<R>(static_cast<R>(a) | static_cast<R>(b)));
    else return a | b;
}
}  // namespace detail

template <class T, class Arch = xsimd::default_arch>
struct mask {
    xsimd::batch_bool<T, Arch> m;

    mask() = default;
    ACTX_ALWAYS_INLINE mask(xsimd::batch_bool<T, Arch> b) : m(b) {}

    ACTX_ALWAYS_INLINE friend mask operator&(mask a, mask b) { return {detail::mask_and(a.m, b.m)}; }
    ACTX_ALWAYS_INLINE friend mask operator|(mask a, mask b) { return {detail::mask_or(a.m, b.m)}; }
    ACTX_ALWAYS_INLINE friend mask operator!(mask a) { return {detail::mask_not(a.m)}; }
    ACTX_ALWAYS_INLINE friend mask operator&&(mask a, mask b) { return {detail::mask_and(a.m, b.m)}; }
    ACTX_ALWAYS_INLINE friend mask operator||(mask a, mask b) { return {detail::mask_or(a.m, b.m)}; }

    // On AVX-512 the mask is a k register: one kortest, without xsimd's
    // conversion through an integer.
    ACTX_ALWAYS_INLINE bool any() const {
#if XSIMD_WITH_AVX512F
        if constexpr (detail::mask_in_register<T, Arch>)
            return static_cast<typename xsimd::batch_bool<T, Arch>::register_type>(m) != 0;
#endif
        return xsimd::any(m);
    }
    ACTX_ALWAYS_INLINE bool all() const { return xsimd::all(m); }
};

// How a pack's primitives are computed.  accurate_math, the default: each
// within the bound its header states.  fast_math: the approximations of
// fast.hpp where they exist (float), trading those bounds for speed; every
// other primitive is the accurate one.
struct accurate_math {};
struct fast_math {};

template <class T, class Arch = xsimd::default_arch, class Mode = accurate_math>
struct pack {
    using value_type = T;
    using arch_type = Arch;
    using mode_type = Mode;
    using batch_type = xsimd::batch<T, Arch>;
    using mask_type = mask<T, Arch>;

    batch_type v;
    static constexpr std::size_t size = batch_type::size;

    pack() = default;
    // Implicit on purpose: expression code writes `T(1)` and `a * T(0)` and
    // mixes packs with scalar constants.
    ACTX_ALWAYS_INLINE pack(T broadcast) : v(broadcast) {}
    ACTX_ALWAYS_INLINE pack(batch_type b) : v(b) {}

    ACTX_ALWAYS_INLINE static pack load(T const* p) { return {batch_type::load_unaligned(p)}; }
    ACTX_ALWAYS_INLINE void store(T* p) const { v.store_unaligned(p); }

    ACTX_ALWAYS_INLINE T operator[](std::size_t i) const { return v.get(i); }

    ACTX_ALWAYS_INLINE friend pack operator+(pack a, pack b) { return {a.v + b.v}; }
    ACTX_ALWAYS_INLINE friend pack operator-(pack a, pack b) { return {a.v - b.v}; }
    ACTX_ALWAYS_INLINE friend pack operator*(pack a, pack b) { return {a.v * b.v}; }
    ACTX_ALWAYS_INLINE friend pack operator/(pack a, pack b) { return {a.v / b.v}; }
    ACTX_ALWAYS_INLINE friend pack operator+(pack a, T b) { return {a.v + batch_type(b)}; }
    ACTX_ALWAYS_INLINE friend pack operator-(pack a, T b) { return {a.v - batch_type(b)}; }
    ACTX_ALWAYS_INLINE friend pack operator*(pack a, T b) { return {a.v * batch_type(b)}; }
    ACTX_ALWAYS_INLINE friend pack operator/(pack a, T b) { return {a.v / batch_type(b)}; }
    ACTX_ALWAYS_INLINE friend pack operator+(T a, pack b) { return {batch_type(a) + b.v}; }
    ACTX_ALWAYS_INLINE friend pack operator-(T a, pack b) { return {batch_type(a) - b.v}; }
    ACTX_ALWAYS_INLINE friend pack operator*(T a, pack b) { return {batch_type(a) * b.v}; }
    ACTX_ALWAYS_INLINE friend pack operator/(T a, pack b) { return {batch_type(a) / b.v}; }
    ACTX_ALWAYS_INLINE friend pack operator-(pack a) { return {-a.v}; }
    // a b + c, a b - c and c - a b, each rounded once (kernels fuse a product
    // into the sum that takes it: dag::compute_node).
    ACTX_ALWAYS_INLINE friend pack multiply_add(pack a, pack b, pack c) { return {detail::fma(a.v, b.v, c.v)}; }
    ACTX_ALWAYS_INLINE friend pack multiply_sub(pack a, pack b, pack c) { return {detail::fms(a.v, b.v, c.v)}; }
    ACTX_ALWAYS_INLINE friend pack sub_product(pack a, pack b, pack c) { return {detail::fnma(a.v, b.v, c.v)}; }
    // a where it is finite, else 0.
    ACTX_ALWAYS_INLINE friend pack finite_or_zero(pack a) {
        return {xsimd::select(xsimd::abs(a.v) < batch_type(std::numeric_limits<T>::infinity()), a.v, batch_type(T(0)))};
    }
    ACTX_ALWAYS_INLINE friend pack operator+(pack a) { return a; }

    ACTX_ALWAYS_INLINE pack& operator+=(pack b) { v += b.v; return *this; }
    ACTX_ALWAYS_INLINE pack& operator-=(pack b) { v -= b.v; return *this; }
    ACTX_ALWAYS_INLINE pack& operator*=(pack b) { v *= b.v; return *this; }
    ACTX_ALWAYS_INLINE pack& operator/=(pack b) { v /= b.v; return *this; }

    // IEEE comparisons: every ordered comparison with a NaN is false, != is true.
    // != is written as !(==) because xsimd 8.1 compiles batch != with the
    // ordered predicate (_CMP_NEQ_OQ) on AVX and AVX-512, where NaN != NaN is
    // false; the evaluator's min/max detect NaN with a != a.
    ACTX_ALWAYS_INLINE friend mask_type operator<(pack a, pack b) { return {a.v < b.v}; }
    ACTX_ALWAYS_INLINE friend mask_type operator<=(pack a, pack b) { return {a.v <= b.v}; }
    ACTX_ALWAYS_INLINE friend mask_type operator>(pack a, pack b) { return {a.v > b.v}; }
    ACTX_ALWAYS_INLINE friend mask_type operator>=(pack a, pack b) { return {a.v >= b.v}; }
    ACTX_ALWAYS_INLINE friend mask_type operator==(pack a, pack b) { return {a.v == b.v}; }
    ACTX_ALWAYS_INLINE friend mask_type operator!=(pack a, pack b) { return {detail::mask_not(a.v == b.v)}; }
    ACTX_ALWAYS_INLINE friend mask_type operator<(pack a, T b) { return a < pack(b); }
    ACTX_ALWAYS_INLINE friend mask_type operator<=(pack a, T b) { return a <= pack(b); }
    ACTX_ALWAYS_INLINE friend mask_type operator>(pack a, T b) { return a > pack(b); }
    ACTX_ALWAYS_INLINE friend mask_type operator>=(pack a, T b) { return a >= pack(b); }
    ACTX_ALWAYS_INLINE friend mask_type operator==(pack a, T b) { return a == pack(b); }
    ACTX_ALWAYS_INLINE friend mask_type operator!=(pack a, T b) { return a != pack(b); }
    ACTX_ALWAYS_INLINE friend mask_type operator<(T a, pack b) { return pack(a) < b; }
    ACTX_ALWAYS_INLINE friend mask_type operator<=(T a, pack b) { return pack(a) <= b; }
    ACTX_ALWAYS_INLINE friend mask_type operator>(T a, pack b) { return pack(a) > b; }
    ACTX_ALWAYS_INLINE friend mask_type operator>=(T a, pack b) { return pack(a) >= b; }
    ACTX_ALWAYS_INLINE friend mask_type operator==(T a, pack b) { return pack(a) == b; }
    ACTX_ALWAYS_INLINE friend mask_type operator!=(T a, pack b) { return pack(a) != b; }
};

// Lane-wise `m ? a : b`.  A blend, so both sides are always evaluated.
template <class T, class Arch, class M>
ACTX_INLINE pack<T, Arch, M> select_value(mask<T, Arch> m, pack<T, Arch, M> a, pack<T, Arch, M> b) {
    return {xsimd::select(m.m, a.v, b.v)};
}
template <class T, class Arch, class M>
ACTX_INLINE pack<T, Arch, M> select_value(mask<T, Arch> m, pack<T, Arch, M> a, T b) {
    return {xsimd::select(m.m, a.v, xsimd::batch<T, Arch>(b))};
}
template <class T, class Arch, class M>
ACTX_INLINE pack<T, Arch, M> select_value(mask<T, Arch> m, T a, pack<T, Arch, M> b) {
    return {xsimd::select(m.m, xsimd::batch<T, Arch>(a), b.v)};
}

// select(a <= k, k, a) and select(a >= k, k, a), for a k that is neither
// zero nor NaN: one maxps(k, a) / minps(k, a) on x86 (xsimd's max and min
// there are the instructions, operands in order), which return their second
// operand where either is NaN (so a's NaN passes) or both are zero (which
// k, not zero, never is); a compare and a blend elsewhere.  The kernel test
// clamps_keep_the_values_of_their_selects holds it to the selects' values.
template <class Arch>
inline constexpr bool x86_min_max =
    std::is_base_of_v<xsimd::sse2, Arch> || std::is_base_of_v<xsimd::avx, Arch> || std::is_base_of_v<xsimd::avx512f, Arch>;
template <class T, class Arch, class M>
ACTX_INLINE pack<T, Arch, M> at_least(pack<T, Arch, M> a, pack<T, Arch, M> k) {
    if constexpr (x86_min_max<Arch>) return {xsimd::max(k.v, a.v)};
    else return select_value(a <= k, k, a);
}
template <class T, class Arch, class M>
ACTX_INLINE pack<T, Arch, M> at_most(pack<T, Arch, M> a, pack<T, Arch, M> k) {
    if constexpr (x86_min_max<Arch>) return {xsimd::min(k.v, a.v)};
    else return select_value(a >= k, k, a);
}

// a * b + c with one rounding (a true FMA where the target has one; xsimd
// emulates it otherwise, at a cost).
template <class T, class Arch, class M>
ACTX_INLINE pack<T, Arch, M> fma(pack<T, Arch, M> a, pack<T, Arch, M> b, pack<T, Arch, M> c) {
    return {detail::fma(a.v, b.v, c.v)};
}

}  // namespace actx::vector

ACTX_VECTOR_CODE_END
