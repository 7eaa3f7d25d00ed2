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

#include <actx/math/vector/detail/gcc_warnings.hpp>
#include <actx/math/vector/detail/fma.hpp>
#include <xsimd/xsimd.hpp>

#include <cstddef>

ACTX_VECTOR_CODE_BEGIN

namespace actx::vector {

template <class T, class Arch = xsimd::default_arch>
struct mask {
    xsimd::batch_bool<T, Arch> m;

    mask() = default;
    mask(xsimd::batch_bool<T, Arch> b) : m(b) {}

    friend mask operator&(mask a, mask b) { return {a.m & b.m}; }
    friend mask operator|(mask a, mask b) { return {a.m | b.m}; }
    friend mask operator!(mask a) { return {!a.m}; }
    friend mask operator&&(mask a, mask b) { return {a.m & b.m}; }
    friend mask operator||(mask a, mask b) { return {a.m | b.m}; }

    bool any() const { return xsimd::any(m); }
    bool all() const { return xsimd::all(m); }
};

template <class T, class Arch = xsimd::default_arch>
struct pack {
    using value_type = T;
    using arch_type = Arch;
    using batch_type = xsimd::batch<T, Arch>;
    using mask_type = mask<T, Arch>;

    batch_type v;
    static constexpr std::size_t size = batch_type::size;

    pack() = default;
    // Implicit on purpose: expression code writes `T(1)` and `a * T(0)` and
    // mixes packs with scalar constants.
    pack(T broadcast) : v(broadcast) {}
    pack(batch_type b) : v(b) {}

    static pack load(T const* p) { return {batch_type::load_unaligned(p)}; }
    void store(T* p) const { v.store_unaligned(p); }

    T operator[](std::size_t i) const { return v.get(i); }

    friend pack operator+(pack a, pack b) { return {a.v + b.v}; }
    friend pack operator-(pack a, pack b) { return {a.v - b.v}; }
    friend pack operator*(pack a, pack b) { return {a.v * b.v}; }
    friend pack operator/(pack a, pack b) { return {a.v / b.v}; }
    friend pack operator+(pack a, T b) { return {a.v + batch_type(b)}; }
    friend pack operator-(pack a, T b) { return {a.v - batch_type(b)}; }
    friend pack operator*(pack a, T b) { return {a.v * batch_type(b)}; }
    friend pack operator/(pack a, T b) { return {a.v / batch_type(b)}; }
    friend pack operator+(T a, pack b) { return {batch_type(a) + b.v}; }
    friend pack operator-(T a, pack b) { return {batch_type(a) - b.v}; }
    friend pack operator*(T a, pack b) { return {batch_type(a) * b.v}; }
    friend pack operator/(T a, pack b) { return {batch_type(a) / b.v}; }
    friend pack operator-(pack a) { return {-a.v}; }
    friend pack operator+(pack a) { return a; }

    pack& operator+=(pack b) { v += b.v; return *this; }
    pack& operator-=(pack b) { v -= b.v; return *this; }
    pack& operator*=(pack b) { v *= b.v; return *this; }
    pack& operator/=(pack b) { v /= b.v; return *this; }

    // IEEE comparisons: every ordered comparison with a NaN is false, != is true.
    // != is written as !(==) because xsimd 8.1 compiles batch != with the
    // ordered predicate (_CMP_NEQ_OQ) on AVX and AVX-512, where NaN != NaN is
    // false; the evaluator's min/max detect NaN with a != a.
    friend mask_type operator<(pack a, pack b) { return {a.v < b.v}; }
    friend mask_type operator<=(pack a, pack b) { return {a.v <= b.v}; }
    friend mask_type operator>(pack a, pack b) { return {a.v > b.v}; }
    friend mask_type operator>=(pack a, pack b) { return {a.v >= b.v}; }
    friend mask_type operator==(pack a, pack b) { return {a.v == b.v}; }
    friend mask_type operator!=(pack a, pack b) { return {!(a.v == b.v)}; }
    friend mask_type operator<(pack a, T b) { return a < pack(b); }
    friend mask_type operator<=(pack a, T b) { return a <= pack(b); }
    friend mask_type operator>(pack a, T b) { return a > pack(b); }
    friend mask_type operator>=(pack a, T b) { return a >= pack(b); }
    friend mask_type operator==(pack a, T b) { return a == pack(b); }
    friend mask_type operator!=(pack a, T b) { return a != pack(b); }
    friend mask_type operator<(T a, pack b) { return pack(a) < b; }
    friend mask_type operator<=(T a, pack b) { return pack(a) <= b; }
    friend mask_type operator>(T a, pack b) { return pack(a) > b; }
    friend mask_type operator>=(T a, pack b) { return pack(a) >= b; }
    friend mask_type operator==(T a, pack b) { return pack(a) == b; }
    friend mask_type operator!=(T a, pack b) { return pack(a) != b; }
};

// Lane-wise `m ? a : b`.  A blend, so both sides are always evaluated.
template <class T, class Arch>
pack<T, Arch> select_value(mask<T, Arch> m, pack<T, Arch> a, pack<T, Arch> b) {
    return {xsimd::select(m.m, a.v, b.v)};
}
template <class T, class Arch>
pack<T, Arch> select_value(mask<T, Arch> m, pack<T, Arch> a, T b) {
    return {xsimd::select(m.m, a.v, xsimd::batch<T, Arch>(b))};
}
template <class T, class Arch>
pack<T, Arch> select_value(mask<T, Arch> m, T a, pack<T, Arch> b) {
    return {xsimd::select(m.m, xsimd::batch<T, Arch>(a), b.v)};
}

// a * b + c with one rounding (a true FMA where the target has one; xsimd
// emulates it otherwise, at a cost).
template <class T, class Arch>
pack<T, Arch> fma(pack<T, Arch> a, pack<T, Arch> b, pack<T, Arch> c) {
    return {detail::fma(a.v, b.v, c.v)};
}

}  // namespace actx::vector

ACTX_VECTOR_CODE_END
