// actx::vector::pack — the value type the fused kernel evaluates expressions on.
//
// A thin wrapper over xsimd::batch.  It exists so that every operation the
// expression evaluator calls unqualified (arithmetic, comparisons,
// select_value, exp, sigmoid, ...) is found by argument-dependent lookup in
// namespace actx::vector, never in namespace xsimd: xsimd's own math is not
// ours (its accuracy is undocumented and its erf is ~2.4 ULP), and a bare
// xsimd::batch would silently pick it up.
//
// xsimd operations, and x86 intrinsics only where xsimd's compile to more
// than the instruction (mask logic, unordered compares, classification), so
// the same header serves SSE, AVX2, AVX-512 and NEON; the width is
// xsimd::default_arch's unless an Arch is given.
#pragma once

#include <actx/math/vector/detail/code.hpp>
#include <actx/math/vector/detail/divider.hpp>
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
// Elsewhere the complement is an exclusive or with all ones: xsimd 8.1's
// operator! compares with false, which on AVX is done as two SSE integer
// compares with the halves taken apart and put together again (six
// instructions for one; every NaN test of the AVX2 kernels went through it).
template <class T, class Arch>
ACTX_INLINE xsimd::batch_bool<T, Arch> mask_not(xsimd::batch_bool<T, Arch> m) {
    using R = typename xsimd::batch_bool<T, Arch>::register_type;
    if constexpr (mask_in_register<T, Arch>) return xsimd::batch_bool<T, Arch>(static_cast<R>(~static_cast<R>(m)));
    else return m ^ xsimd::batch_bool<T, Arch>(true);
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
// Unordered compares (true where either operand is NaN) as one instruction
// on x86, by their AVX predicate; `otherwise` elsewhere.  SSE without AVX
// has these three as instructions of their own.
inline constexpr int unordered = 3, not_equal_unordered = 4, not_greater_equal_unordered = 9;
template <int Predicate, class T, class Arch, class Otherwise>
ACTX_INLINE xsimd::batch_bool<T, Arch> unordered_compare([[maybe_unused]] xsimd::batch<T, Arch> a,
                                                         [[maybe_unused]] xsimd::batch<T, Arch> b,
                                                         Otherwise otherwise) {
    static_assert(Predicate == unordered || Predicate == not_equal_unordered || Predicate == not_greater_equal_unordered);
    [[maybe_unused]] constexpr std::size_t bytes = sizeof(typename xsimd::batch<T, Arch>::register_type);
    [[maybe_unused]] constexpr bool is_float = std::is_same_v<T, float>, is_double = std::is_same_v<T, double>;
#if XSIMD_WITH_AVX512F
    if constexpr (bytes == 64 && is_float) return _mm512_cmp_ps_mask(a, b, Predicate);
    if constexpr (bytes == 64 && is_double) return _mm512_cmp_pd_mask(a, b, Predicate);
#endif
#if XSIMD_WITH_AVX
    if constexpr (bytes == 32 && is_float) return _mm256_cmp_ps(a, b, Predicate);
    if constexpr (bytes == 32 && is_double) return _mm256_cmp_pd(a, b, Predicate);
#endif
#if XSIMD_WITH_SSE2
    if constexpr (bytes == 16 && is_float) {
        if constexpr (Predicate == unordered) return _mm_cmpunord_ps(a, b);
        else if constexpr (Predicate == not_equal_unordered) return _mm_cmpneq_ps(a, b);
        else return _mm_cmpnge_ps(a, b);
    }
    if constexpr (bytes == 16 && is_double) {
        if constexpr (Predicate == unordered) return _mm_cmpunord_pd(a, b);
        else if constexpr (Predicate == not_equal_unordered) return _mm_cmpneq_pd(a, b);
        else return _mm_cmpnge_pd(a, b);
    }
#endif
    return otherwise();
}
// a != b (xsimd 8.1's != is the ordered compare on AVX and AVX-512).
template <class T, class Arch>
ACTX_INLINE xsimd::batch_bool<T, Arch> not_equal(xsimd::batch<T, Arch> a, xsimd::batch<T, Arch> b) {
    return unordered_compare<not_equal_unordered>(a, b, [&] { return mask_not(a == b); });
}
// !(a >= b).
template <class T, class Arch>
ACTX_INLINE xsimd::batch_bool<T, Arch> not_greater_equal(xsimd::batch<T, Arch> a, xsimd::batch<T, Arch> b) {
    return unordered_compare<not_greater_equal_unordered>(a, b, [&] { return mask_not(a >= b); });
}
// AVX-512 with its DQ extension (vfpclassps, which tells NaN, zero and
// subnormal lanes apart in one instruction).
template <class Arch>
inline constexpr bool avx512dq_arch =
#if XSIMD_WITH_AVX512DQ
    std::is_base_of_v<xsimd::avx512dq, Arch>;
#else
    false;
#endif
// The lanes that are subnormal or NaN: one vfpclass with AVX-512 DQ;
// otherwise !(|v| >= smallest normal), the NaN and below-normal lanes in
// one unordered compare, without the zeros (NaN != 0).
template <class T, class Arch>
ACTX_INLINE xsimd::batch_bool<T, Arch> subnormal_or_nan(xsimd::batch<T, Arch> v) {
    using B = xsimd::batch<T, Arch>;
#if XSIMD_WITH_AVX512DQ
    if constexpr (avx512dq_arch<Arch>) {
        constexpr int nan_or_subnormal = 0x01 | 0x20 | 0x80;  // quiet NaN, subnormal, signalling NaN
        if constexpr (std::is_same_v<T, float>) return _mm512_fpclass_ps_mask(v, nan_or_subnormal);
        else return _mm512_fpclass_pd_mask(v, nan_or_subnormal);
    }
#endif
    return mask_and(not_greater_equal(xsimd::abs(v), B(std::numeric_limits<T>::min())), not_equal(v, B(T(0))));
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
    ACTX_ALWAYS_INLINE friend pack operator/(pack a, pack b) { return {detail::div(a.v, b.v)}; }
    ACTX_ALWAYS_INLINE friend pack operator+(pack a, T b) { return {a.v + batch_type(b)}; }
    ACTX_ALWAYS_INLINE friend pack operator-(pack a, T b) { return {a.v - batch_type(b)}; }
    ACTX_ALWAYS_INLINE friend pack operator*(pack a, T b) { return {a.v * batch_type(b)}; }
    ACTX_ALWAYS_INLINE friend pack operator/(pack a, T b) { return {detail::div(a.v, batch_type(b))}; }
    ACTX_ALWAYS_INLINE friend pack operator+(T a, pack b) { return {batch_type(a) + b.v}; }
    ACTX_ALWAYS_INLINE friend pack operator-(T a, pack b) { return {batch_type(a) - b.v}; }
    ACTX_ALWAYS_INLINE friend pack operator*(T a, pack b) { return {batch_type(a) * b.v}; }
    ACTX_ALWAYS_INLINE friend pack operator/(T a, pack b) { return {detail::div(batch_type(a), b.v)}; }
    // The sign bit flipped, -(+0) = -0 as in scalar code (xsimd 8.1 negates
    // by 0 - a on AVX-512, which gives +0).
    ACTX_ALWAYS_INLINE friend pack operator-(pack a) { return {a.v ^ batch_type(T(-0.0))}; }
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
    // != is detail::not_equal, not xsimd's: xsimd 8.1 compiles batch != with
    // the ordered predicate (_CMP_NEQ_OQ) on AVX and AVX-512, where NaN != NaN
    // is false; the evaluator's min/max detect NaN with a != a.
    ACTX_ALWAYS_INLINE friend mask_type operator<(pack a, pack b) { return {a.v < b.v}; }
    ACTX_ALWAYS_INLINE friend mask_type operator<=(pack a, pack b) { return {a.v <= b.v}; }
    ACTX_ALWAYS_INLINE friend mask_type operator>(pack a, pack b) { return {a.v > b.v}; }
    ACTX_ALWAYS_INLINE friend mask_type operator>=(pack a, pack b) { return {a.v >= b.v}; }
    ACTX_ALWAYS_INLINE friend mask_type operator==(pack a, pack b) { return {a.v == b.v}; }
    ACTX_ALWAYS_INLINE friend mask_type operator!=(pack a, pack b) { return {detail::not_equal(a.v, b.v)}; }
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

// t / k for a constant integer k > 0, without a division: q = t c, then q
// corrected by its residual, r = q - (q k - t) c.  The caller passes c only
// where |c k - 1| <= 2^-(p+1) for p-bit lanes (dag::reciprocal_of_constant
// checks it at compile time).  Then q is within one ULP of t / k; q k - t
// is exact (one fused multiply-subtract: the remainder of a quotient within
// one ULP is representable, and with k an integer it lies on the grid of
// q's ULP, above the subnormals wherever r is normal); and r is t / k
// correctly rounded: Markstein's theorem.  Where r is subnormal (t / k may then lie
// exactly halfway between two subnormals, which the correction can round
// the wrong way) or NaN (t infinite or NaN), the whole vector is divided
// instead, so every lane gets the bits of t / k.  A zero r is right as it
// is (k is positive): for t = -0, q k - t is +0 and q - (+0) c is -0; for t tiny, r is 0
// exactly where |t / k| <= 2^-150.  Needs a fused multiply-add; targets
// without one keep the division.  docs/design.md, "Division without the
// divider".
namespace detail {
// x / d as x y corrected by its residual, q - (q d - x) y for q = x y, with
// y an approximation of 1/d: the step the quotients below share.  `adjust`
// may change the residual before it is applied (normal_quotient_by_constant
// caps a NaN one).
template <class T, class Arch, class Adjust>
ACTX_INLINE xsimd::batch<T, Arch> corrected_quotient(xsimd::batch<T, Arch> x, xsimd::batch<T, Arch> d,
                                                     xsimd::batch<T, Arch> y, Adjust adjust) {
    const xsimd::batch<T, Arch> q = x * y;
    return detail::fnma(adjust(detail::fms(q, d, x)), y, q);
}
template <class T, class Arch>
ACTX_INLINE xsimd::batch<T, Arch> corrected_quotient(xsimd::batch<T, Arch> x, xsimd::batch<T, Arch> d,
                                                     xsimd::batch<T, Arch> y) {
    return corrected_quotient(x, d, y, [](xsimd::batch<T, Arch> residual) { return residual; });
}
}  // namespace detail

template <class T, class Arch, class M>
    requires detail::fused_fma<Arch>
ACTX_INLINE pack<T, Arch, M> quotient_by_constant(pack<T, Arch, M> t, T k, T c) {
    using B = xsimd::batch<T, Arch>;
    const B r = detail::corrected_quotient(t.v, B(k), B(c));
    bool const unusual = mask<T, Arch>(detail::subnormal_or_nan(r)).any();
    if (unusual) [[unlikely]]
        return {detail::div(t.v, B(k))};
    return {r};
}

// quotient_by_constant for a t that the caller knows to be 0, infinite,
// NaN or at least k / 2^(emin) in size, 2^emin the smallest normal, so
// that t / k is never subnormal (dag::never_tiny_dividend proves it from
// the expression).  Then only an infinite or NaN t needs more than the
// correction, and it needs no test: its residual q k - t is NaN (finite
// elsewhere, and a residual, far from overflow), the min below replaces it
// by the largest finite value v, and r = q - v c is q itself, +-inf or t's
// NaN, as the division gives.  No branch: a test and a branch cost as much
// as the rest of hardsigmoid's loop on Zen 5 (docs/design.md, "Division
// without the divider").
template <class T, class Arch, class M>
    requires detail::fused_fma<Arch>
ACTX_INLINE pack<T, Arch, M> normal_quotient_by_constant(pack<T, Arch, M> t, T k, T c) {
    using B = xsimd::batch<T, Arch>;
    return {detail::corrected_quotient(t.v, B(k), B(c), [](B residual) {
        const B largest(std::numeric_limits<T>::max());
        // min(residual, largest) returns its second operand for a NaN one on x86.
        if constexpr (x86_min_max<Arch>) return xsimd::min(residual, largest);
        else return xsimd::select(residual <= largest, residual, largest);
    })};
}

// x / d for d >= 1 (or NaN) in float lanes on AVX-512, without a division:
// y = rcp14(d) (within 2^-14 of 1/d) refined by one Newton step, q = x y,
// and q corrected by its residual, r = q - (q d - x) y.  Where |r| >=
// 2^-100 the residual is exact and r differs from x / d by a few 2^-24 of
// an ULP before its rounding, so it is the division's bits but where x / d
// is that close to a halfway point (y is not 1/d correctly rounded, so
// Markstein's theorem does not cover it).  Measured on the Xeon: no lane
// differs over every float x for d = 1 + |x| (softsign), 2^24 random pairs
// and the hard cases of any d >= 1 (the unit tests, which fail on a lane
// that is not the division's or the other side of such a near tie, since
// rcp14's estimates are the processor's own).  Below that the residual may
// need bits under the subnormals; so where |r| < 2^-100 and x is not 0,
// r is NaN (x or d NaN, x infinite) or d >= 2^100 (infinite, or 1/d near
// the subnormals), the whole vector is divided instead.  A zero x gives
// r = x (-0 too).  Elsewhere (double lanes, or targets whose reciprocal
// estimate has fewer bits) the division stays.  docs/design.md, "Division
// without the divider".
#if XSIMD_WITH_AVX512F
namespace detail {
ACTX_INLINE __m512 refined_reciprocal(__m512 d) {
    const __m512 y0 = _mm512_rcp14_ps(d);
    return _mm512_fmadd_ps(y0, _mm512_fnmadd_ps(d, y0, _mm512_set1_ps(1.0f)), y0);
}
// Whether a lane of r (the quotient of x by d) needs the division.
ACTX_INLINE bool quotient_needs_division(__m512 x, __m512 d, __m512 r) {
    const __mmask16 tiny_or_nan = _mm512_mask_cmp_ps_mask(_mm512_cmp_ps_mask(x, _mm512_setzero_ps(), _CMP_NEQ_UQ),
                                                          _mm512_abs_ps(r), _mm512_set1_ps(0x1p-100f), _CMP_NGE_UQ);
    const __mmask16 large_d = _mm512_cmp_ps_mask(d, _mm512_set1_ps(0x1p100f), _CMP_NLT_UQ);
    return !_mm512_kortestz(tiny_or_nan, large_d);
}
}  // namespace detail

template <class T, class Arch, class M>
    requires(detail::avx512_arch<Arch> && std::is_same_v<T, float>)
ACTX_INLINE pack<T, Arch, M> quotient_by_at_least_one(pack<T, Arch, M> x, pack<T, Arch, M> d) {
    using B = xsimd::batch<T, Arch>;
    const B r = detail::corrected_quotient(x.v, d.v, B(detail::refined_reciprocal(d.v)));
    if (detail::quotient_needs_division(x.v, d.v, r)) [[unlikely]]
        return {detail::div(x.v, d.v)};
    return {r};
}
#endif

// x / d^2 for d >= 1 or NaN (softsign's derivative times dy, which
// kernel.hpp's times_upstream writes (dy / d) / d): one quotient by d d
// rounded, x / fl(d d).  Its error is that of the two quotients, two
// roundings after d's (d d's and the quotient's against each quotient's),
// and no intermediate is subnormal (d d >= 1); one division instead of
// two, where a loop with two divisions runs at the divider's pace (Zen 5,
// a bare loop of 16-float vectors: 0.084 ns per float with two, 0.048 with
// one).  Where d d overflows (d >= 2^64 in float lanes, 2^512 in double:
// |x| that large, or infinite) the quotient would be 0 where x / d^2 may
// still be a normal number; the lane is NaN instead (x - (d d) 0, one
// fused multiply-add), which the kernel's test for a NaN output without a
// NaN input sends to the recomputation in double (kernel/exceptional.hpp).
// No branch: a test of d and a branch took softsign's backward from 0.056
// to 0.078 ns per float at n = 4096 on Zen 5.  On AVX-512 without the
// divider, x / fl(d d) is quotient_by_at_least_one's product form (d d >=
// 1), with the same bits.  docs/design.md, "Division without the divider".
template <class T, class Arch, class M>
ACTX_INLINE pack<T, Arch, M> quotient_by_square(pack<T, Arch, M> x, pack<T, Arch, M> d) {
    using B = xsimd::batch<T, Arch>;
    const B square = d.v * d.v;
    B r;
#if XSIMD_WITH_AVX512F
    if constexpr (detail::avx512_arch<Arch> && std::is_same_v<T, float> && !detail::use_divider)
        r = quotient_by_at_least_one(x, pack<T, Arch, M>{square}).v;
    else
#endif
        r = detail::div(x.v, square);
    return {detail::fnma(square, B(T(0)), r)};
}

}  // namespace actx::vector

ACTX_VECTOR_CODE_END
