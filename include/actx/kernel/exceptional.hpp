// Lanes a float vector evaluation cannot get right by itself, found by a few
// compares per vector and recomputed element by element in double.
//
// Five cases, each decided by the element's own values only, so an
// element's result still never depends on its neighbours or its position:
//
// * A primitive's value is a float subnormal, or 0 where the primitive is
//   never 0 (sigmoid(-104) has underflowed all the way).  Its lost bits are then the
//   error of everything it multiplies: silu(x) = x sigmoid(x) at x = -90 is a
//   normal float, sigmoid(-90) is not (46 ULP measured), and so for gelu near
//   -13.1, gelu_tanh's derivative near -10, mish, the gated pairs, and any
//   dy f'(x) whose f'(x) underflows while the product would not (elu's
//   exp(x) at x = -94 times dy = 1000).  In double none of these underflow.
// * An input or parameter is a float subnormal: its product with a large
//   factor keeps only its few bits (swiglu's a sigmoid(a) b at a = 2e-40).
//   Not where no rounding of it is used again (subnormal_harmless): elu's
//   dy e^x is then rounded once, as any result is.
// * A float result below 2^-100 after more than one rounding: an
//   intermediate product on the way to it may have been subnormal
//   (dy (1/(1 + |x|))^2 at x = 2.6e20, dy tanh(x)^2 at x = 4e-21), so it is
//   recomputed too; this covers factors up to 2^26.  A value with a single
//   rounding (relu's dy * select(x <= 0, 0, 1)) has no such intermediate.
// * Only the primitive values that the DAG reads are looked at: silu's
//   forward computes sigmoid(x), not the sigmoid(-x) of the same joint slot.
// * An output is NaN although no input is: an inf * 0 in the formula at an
//   infinite input (silu(-inf) = -inf * 0, silu'(+inf) = 1 + inf * 0), or a
//   quotient by a square that overflowed (squared_quotients).  The
//   element is recomputed in double, and a value that is NaN there too is
//   taken at +-DBL_MAX instead of +-inf, which gives the limit (-0, 1,
//   ...) where the expression has reached it by DBL_MAX (log x has not:
//   log(x) + x e^-x at +inf gives log(DBL_MAX)); a value of +-DBL_MAX
//   there is an infinite leaf passed through, and its limit +-inf.
//   Values that are not NaN keep the infinity: an infinite dy or gated b
//   times a tiny nonzero factor is infinite.
// * An input or an upstream gradient is NaN: every gradient of the element
//   is NaN (NaN in, NaN out; the derivative of relu's select would
//   otherwise say 1 or 0).  Forward outputs already propagate NaN.  A
//   NaN result of a tested element is written as the same quiet NaN,
//   whatever sign the vector arithmetic gave it (that depends on operand
//   order, which the compiler may choose differently in the main loop and
//   in the tail).  Passes of arithmetic and selects only are not tested
//   (fix_nan_lanes): there a gradient's NaN is the input's, quieted, or
//   the one the arithmetic carried.  Whether a pass is tested may depend
//   on the call (a parameter that can make a value NaN, a parameter
//   gradient requested), so a NaN's sign and payload may too: the one
//   promise the others do not make (docs/design.md).
// * A forward output of arithmetic and selects only, which no parameter
//   can make NaN, is judged by none of these rules (judged_output), in any
//   pass: the forward pass of such an expression is not tested, so
//   forward_backward keeps its float result too.
//
// The recomputation uses the same DAG on double scalars (actx::math, within
// a few double ULP), rounded once to float.
//
// Cost: the test runs on every vector of an expression with primitives
// (docs/design.md gives what it costs and why it is written as it is);
// expressions made of arithmetic and selects only (softsign of an input
// counts as arithmetic: tested_primitive below) test for NaN, and only in
// passes that produce gradients or where they divide by a square.
// Compiling with -DACTX_NO_EXCEPTIONAL=1 turns all of it off: those elements
// then keep what the float vector code gives (the errors above).
#pragma once

#include <actx/kernel/bfloat16.hpp>
#include <actx/kernel/dag.hpp>
#include <actx/kernel/evaluate_dag.hpp>
#include <actx/math/vector/pack.hpp>

#include <algorithm>
#include <array>
#include <cfloat>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <type_traits>
#include <utility>

namespace actx::detail {

// The value types this applies to: float and double, scalar or in packs
// (not, for instance, the tests' instrumented types).
template <class V> inline constexpr bool has_exceptional_lanes = std::is_floating_point_v<V>;
template <class T, class A, class M>
inline constexpr bool has_exceptional_lanes<vector::pack<T, A, M>> = std::is_floating_point_v<T>;

// How to look at the lanes of a value: a vector pack or a plain float/double.
template <class V>
struct lanes {
    using scalar = V;
    static constexpr std::size_t size = 1;
    static constexpr bool classify = false;
    ACTX_ALWAYS_INLINE static void store(V v, scalar* p) { *p = v; }
    ACTX_ALWAYS_INLINE static V load(scalar const* p) { return *p; }
    ACTX_ALWAYS_INLINE static bool nan(V v) { return v != v; }
    ACTX_ALWAYS_INLINE static bool subnormal(V v) {
        if constexpr (std::is_same_v<V, float>) {
            return std::abs(v) < FLT_MIN && v != 0;
        } else {
            return false;  // double intermediates are not recomputed in anything wider
        }
    }
    ACTX_ALWAYS_INLINE static bool below_normal(V v) {  // subnormal or zero
        if constexpr (std::is_same_v<V, float>) {
            return std::abs(v) < FLT_MIN;
        } else {
            return false;
        }
    }
    ACTX_ALWAYS_INLINE static bool tiny(V v) {
        if constexpr (std::is_same_v<V, float>) {
            return std::abs(v) < 0x1p-100f && v != 0;
        } else {
            return false;
        }
    }
    ACTX_ALWAYS_INLINE static bool nan_in_either(V a, V b) { return a != a || b != b; }
    ACTX_ALWAYS_INLINE static V nan_where_nan(V x, V v) { return x != x ? std::numeric_limits<V>::quiet_NaN() : v; }
    static constexpr bool nan_where_nan_in_one = false;
    ACTX_ALWAYS_INLINE static bool subnormal_or_nan(V v) { return subnormal(v) || nan(v); }
    ACTX_ALWAYS_INLINE static bool below_normal_or_nan(V v) { return below_normal(v) || nan(v); }
    ACTX_ALWAYS_INLINE static bool subnormal_or_not_finite(V v) { return subnormal(v) || !std::isfinite(v); }
    ACTX_ALWAYS_INLINE static bool below_normal_or_not_finite(V v) { return below_normal(v) || !std::isfinite(v); }
    ACTX_ALWAYS_INLINE static bool any(bool m) { return m; }
    ACTX_ALWAYS_INLINE static bool none() { return false; }
    ACTX_ALWAYS_INLINE static void store_mask(bool m, bool* p) { *p = m; }
};
template <class T, class A, class M>
struct lanes<vector::pack<T, A, M>> {
    using V = vector::pack<T, A, M>;
    using scalar = T;
    using mask = typename V::mask_type;
    static constexpr std::size_t size = V::size;
    // AVX-512 classifies a float in one instruction (vfpclassps): subnormal,
    // NaN, or both, straight into a mask register.
#if defined(__AVX512DQ__)
    static constexpr bool classify = std::is_same_v<T, float> && std::is_base_of_v<xsimd::avx512dq, A>;
#else
    static constexpr bool classify = false;
#endif
    static constexpr int nan_class = 0x81, subnormal_class = 0x20, zero_class = 0x06, inf_class = 0x18;
    template <int Classes>
    ACTX_ALWAYS_INLINE static mask in_classes([[maybe_unused]] V v) {
#if defined(__AVX512DQ__)
        if constexpr (classify) return {xsimd::batch_bool<T, A>(_mm512_fpclass_ps_mask(v.v, Classes))};
#endif
        return none();
    }
    ACTX_ALWAYS_INLINE static void store(V v, scalar* p) { v.store(p); }
    ACTX_ALWAYS_INLINE static V load(scalar const* p) { return V::load(p); }
    ACTX_ALWAYS_INLINE static mask nan(V v) {
        if constexpr (classify) return in_classes<nan_class>(v);
        else return v != v;
    }
    // One unordered compare on x86.
    ACTX_ALWAYS_INLINE static mask nan_in_either(V a, V b) {
        return {vector::detail::unordered_compare<vector::detail::unordered>(a.v, b.v,
                                                                            [&] { return (nan(a) || nan(b)).m; })};
    }
    // v, with a quiet NaN in the lanes where x is NaN.  On 512-bit AVX-512
    // (nan_where_nan_in_one) one vfixupimm: its table, indexed by the class
    // of x, keeps v for every class but QNaN and SNaN, which give x quieted.
    // One instruction where an unordered compare and a masked move are two.
    static constexpr bool nan_where_nan_in_one =
#if defined(__AVX512F__)
        sizeof(typename V::batch_type::register_type) == 64;
#else
        false;
#endif
    ACTX_ALWAYS_INLINE static V nan_where_nan(V x, V v) {
#if defined(__AVX512F__)
        if constexpr (nan_where_nan_in_one) {
            constexpr int keep_but_nan = 0x22;  // tokens 0 (QNaN) and 1 (SNaN): response 2, QNaN(x)
            if constexpr (std::is_same_v<T, float>)
                return V(xsimd::batch<T, A>(_mm512_fixupimm_ps(v.v, x.v, _mm512_set1_epi32(keep_but_nan), 0)));
            if constexpr (std::is_same_v<T, double>)
                return V(xsimd::batch<T, A>(_mm512_fixupimm_pd(v.v, x.v, _mm512_set1_epi64(keep_but_nan), 0)));
        }
#endif
        return select_value(nan(x), V(std::numeric_limits<T>::quiet_NaN()), v);
    }
    ACTX_ALWAYS_INLINE static mask subnormal(V v) {
        if constexpr (classify) {
            return in_classes<subnormal_class>(v);
        } else if constexpr (std::is_same_v<T, float>) {
            auto a = xsimd::abs(v.v);
            return {(a < xsimd::batch<T, A>(FLT_MIN)) & (a > xsimd::batch<T, A>(0))};
        } else {
            return none();
        }
    }
    ACTX_ALWAYS_INLINE static mask below_normal(V v) {  // subnormal or zero
        if constexpr (classify) {
            return in_classes<subnormal_class | zero_class>(v);
        } else if constexpr (std::is_same_v<T, float>) {
            return {xsimd::abs(v.v) < xsimd::batch<T, A>(FLT_MIN)};
        } else {
            return none();
        }
    }
    // Float: vector::detail::subnormal_or_nan, one vfpclass with the
    // classification; without it four instructions where a subnormal test
    // and a NaN test were six (AVX2's NaN test of every input).  Double:
    // NaN only, as subnormal() says.
    ACTX_ALWAYS_INLINE static mask subnormal_or_nan(V v) {
        if constexpr (std::is_same_v<T, float>) return {vector::detail::subnormal_or_nan(v.v)};
        else return subnormal(v) || nan(v);
    }
    ACTX_ALWAYS_INLINE static mask below_normal_or_nan(V v) {
        if constexpr (classify) {
            return in_classes<subnormal_class | zero_class | nan_class>(v);
        } else if constexpr (std::is_same_v<T, float>) {
            return {vector::detail::not_greater_equal(xsimd::abs(v.v), xsimd::batch<T, A>(FLT_MIN))};
        } else {
            return below_normal(v) || nan(v);
        }
    }
    // The same with the infinities, in the same one instruction where
    // classify holds (exceptional_test asks for them only there).
    ACTX_ALWAYS_INLINE static mask infinite(V v) {
        return {xsimd::abs(v.v) == xsimd::batch<T, A>(std::numeric_limits<T>::infinity())};
    }
    ACTX_ALWAYS_INLINE static mask subnormal_or_not_finite(V v) {
        if constexpr (classify) return in_classes<subnormal_class | nan_class | inf_class>(v);
        else return subnormal_or_nan(v) || infinite(v);
    }
    ACTX_ALWAYS_INLINE static mask below_normal_or_not_finite(V v) {
        if constexpr (classify) return in_classes<subnormal_class | zero_class | nan_class | inf_class>(v);
        else return below_normal_or_nan(v) || infinite(v);
    }
    // 0 < |v| < 2^-100.  On AVX-512 as one unsigned compare of the bits
    // without the sign: 2|v|_bits - 2 < 2 * 0x0D800000 - 2 (0 wraps to the top).
    ACTX_ALWAYS_INLINE static mask tiny(V v) {
        if constexpr (std::is_same_v<T, float>) {
#if defined(__AVX512F__)
            if constexpr (classify) {
                __m512i bits = _mm512_castps_si512(v.v), twice = _mm512_add_epi32(bits, bits);
                return {xsimd::batch_bool<T, A>(_mm512_cmplt_epu32_mask(
                    _mm512_sub_epi32(twice, _mm512_set1_epi32(2)), _mm512_set1_epi32(2 * 0x0D800000 - 2)))};
            }
#endif
            auto a = xsimd::abs(v.v);
            return {(a < xsimd::batch<T, A>(0x1p-100f)) & (a > xsimd::batch<T, A>(0))};
        } else {
            return none();
        }
    }
    ACTX_ALWAYS_INLINE static bool any(mask m) { return m.any(); }
    ACTX_ALWAYS_INLINE static mask none() { return V(T(0)) != V(T(0)); }
    ACTX_ALWAYS_INLINE static void store_mask(mask m, bool* p) {
        T t[size];
        select_value(m, V(T(1)), V(T(0))).store(t);
        for (std::size_t l = 0; l < size; ++l) p[l] = t[l] != T(0);
    }
};

// The values of primitives that the entries of a DAG read, and the roots
// that are primitives themselves: these are what is tested for a subnormal.
// A member of a joint slot that nothing reads (silu's sigmoid(-x) in its
// forward) is neither tested nor, then, computed.
template <class Acc, class... E>
struct add_primitive_values {
    using type = Acc;
};
template <class Acc, class E, class... R>
struct add_primitive_values<Acc, E, R...> {
    using with = std::conditional_t<dag::is_primitive_slot<dag::slot_of_t<E>>, typename dag::append_unique<Acc, E>::type,
                                    Acc>;
    using type = typename add_primitive_values<with, R...>::type;
};
template <class Acc, class Children> struct add_children;
template <class Acc, class... C>
struct add_children<Acc, dag::list<C...>> : add_primitive_values<Acc, C...> {};
template <class Acc, class Entries> struct add_read_by { using type = Acc; };
template <class Acc, class S, class... R>
struct add_read_by<Acc, dag::list<S, R...>> {
    using type = typename add_read_by<typename add_children<Acc, typename dag::slot_children<S>::type>::type,
                                      dag::list<R...>>::type;
};
// expm1, tanh and softsign are subnormal exactly where their argument is
// (they round to the argument near FLT_MIN and are normal beyond), so of a
// leaf, which the common path classifies anyway, they need no test of
// their own there.
template <class E> inline constexpr bool subnormal_with_leaf = false;
template <class A> inline constexpr bool subnormal_with_leaf<node<op::expm1, A>> = is_leaf_v<A>;
template <class A> inline constexpr bool subnormal_with_leaf<node<op::tanh, A>> = is_leaf_v<A>;
template <class A> inline constexpr bool subnormal_with_leaf<node<op::softsign, A>> = is_leaf_v<A>;
// softsign of an input is, for the test, arithmetic: where the input is
// subnormal it is the input itself (x / 1, exact), it is never a NaN or an
// infinity unless the input is NaN (+-inf give +-1), and it never
// underflows otherwise.  A DAG whose only primitive it is (softsign's
// forward) is not tested, and its leaves are not watched for subnormals.
template <class S> inline constexpr bool tested_primitive = dag::is_primitive_slot<S>;
template <class A> inline constexpr bool tested_primitive<node<op::softsign, A>> = !is_leaf_v<A>;
template <class L> inline constexpr std::size_t tested_primitives = 0;
template <class... S>
inline constexpr std::size_t tested_primitives<dag::list<S...>> = (std::size_t{0} + ... + (tested_primitive<S> ? 1 : 0));
template <class Acc, class L> struct drop_subnormal_with_leaf { using type = Acc; };
template <class... A, class E, class... R>
struct drop_subnormal_with_leaf<dag::list<A...>, dag::list<E, R...>>
    : drop_subnormal_with_leaf<std::conditional_t<subnormal_with_leaf<E>, dag::list<A...>, dag::list<A..., E>>,
                               dag::list<R...>> {};

template <class L, class Roots>
using primitive_values = typename add_children<typename add_read_by<dag::list<>, L>::type, Roots>::type;
// Those of them that are tested for a subnormal themselves: all but
// expm1, tanh and softsign of a leaf, whose subnormal is the leaf's own,
// and counts where the leaf is watched (subnormal_leaves below).  The
// common path and the precise one both test these, so an element does not
// depend on its neighbours: selu's 1.7581 expm1(x) at a subnormal x keeps
// its float product whether the vector goes to the precise test or not.
template <class L, class Roots>
using watched_values = typename drop_subnormal_with_leaf<dag::list<>, primitive_values<L, Roots>>::type;

template <class A, class B> struct concat;
template <class... A, class... B>
struct concat<dag::list<A...>, dag::list<B...>> {
    using type = dag::list<A..., B...>;
};

// How many roundings can follow one another on the way to E's value:
// comparisons, selects, min, max, abs, sign and negation are exact.  A value
// with one rounding (relu's dy * select(x <= 0, 0, 1)) has no intermediate
// that could have been subnormal, so its being tiny needs no recomputation.
// A primitive's value counts as a leaf: it is itself tested for a subnormal
// (subnormal_values below), so sigmoid's dy * (sigmoid(x) sigmoid(-x)) has
// one rounding that is not watched.  And a product by a constant of
// magnitude >= 1 cannot make a normal value subnormal, so it adds no
// intermediate to watch (tanh's dy * (4 (sigmoid(2x) sigmoid(-2x))), selu's
// scale * expm1(x)).
template <class E> inline constexpr bool scales_up = false;
template <std::uint64_t B>
inline constexpr bool scales_up<constant<B>> = constant<B>::value >= 1 || constant<B>::value <= -1;
template <class... A> inline constexpr bool product_scaled_up = false;
template <class A, class B> inline constexpr bool product_scaled_up<A, B> = scales_up<A> || scales_up<B>;
template <class Op>
inline constexpr bool exact_op = std::is_same_v<Op, op::neg> || std::is_same_v<Op, op::select> ||
                                 std::is_same_v<Op, op::min> || std::is_same_v<Op, op::max> ||
                                 std::is_same_v<Op, op::abs> || std::is_same_v<Op, op::sign>;
template <class Op>
inline constexpr bool comparison_op = std::is_same_v<Op, op::lt> || std::is_same_v<Op, op::le> ||
                                      std::is_same_v<Op, op::gt> || std::is_same_v<Op, op::ge>;
// The roundings a node adds to the deepest of its operands'.
template <class Op, class... A>
inline constexpr int own_roundings = exact_op<Op> || (std::is_same_v<Op, op::mul> && product_scaled_up<A...>) ? 0 : 1;
template <class E> inline constexpr int rounding_depth = 0;
template <class Op, class... A>
inline constexpr int rounding_depth<node<Op, A...>> =
    dag::is_primitive_slot<dag::slot_of_t<node<Op, A...>>> || comparison_op<Op>
        ? 0
        : own_roundings<Op, A...> + std::max({0, rounding_depth<A>...});
// Except (d r) r with |r| <= 1 (kernel.hpp times_upstream writes dy r^2 so):
// d r lies between d and the result, so it is normal wherever the result
// is.  r is tanh (a primitive, itself watched) or softsign's 1/(1 + |x|),
// which is subnormal only for |x| > 2^126; the result is then normal only
// for |d| > 2^126 too, and r in [2^-127, 2^-126) still has 22 bits.
template <class E> inline constexpr bool at_most_one = false;
template <class A> inline constexpr bool at_most_one<node<op::tanh, A>> = true;
template <class A> inline constexpr bool at_most_one<node<op::div, one, node<op::add, one, node<op::abs, A>>>> = true;
template <class P, class R> inline constexpr bool has_factor = false;
template <class A, class B, class R>
inline constexpr bool has_factor<node<op::mul, A, B>, R> = std::is_same_v<A, R> || std::is_same_v<B, R>;
template <class E> inline constexpr bool square_of_contraction = false;
template <class X, class Y>
inline constexpr bool square_of_contraction<node<op::mul, X, Y>> =
    (at_most_one<Y> && has_factor<X, Y>) || (at_most_one<X> && has_factor<Y, X>);
// And (d / q) / q with q = 1 + |x| >= 1 (kernel.hpp times_upstream writes
// dy (1/(1 + |x|))^2 so): d / q lies between d and the result likewise;
// the vector packs' d / (q q) (vector::quotient_by_square) has q q >= 1 as
// its only intermediate.
template <class E> inline constexpr bool quotient_of_quotient = false;
template <class D, class Q>
inline constexpr bool quotient_of_quotient<node<op::div, node<op::div, D, Q>, Q>> = dag::at_least_one<Q>;
template <class E>
inline constexpr bool may_hide_subnormal = rounding_depth<E> >= 2 && !square_of_contraction<E> && !quotient_of_quotient<E>;
// The vector packs compute such a quotient as d / (q q) and make it NaN
// where q q overflows (|x| >= 2^64 in float lanes; vector::quotient_by_square):
// a NaN that no NaN leaf explains, which only the test of a judged value
// (judged_output below) sends to the recomputation.  So a DAG with one is
// tested, and its values judged, even where it is arithmetic only (a
// forward output (x / (1 + |x|)) / (1 + |x|)).
template <class L> inline constexpr std::size_t squared_quotients = 0;
template <class... S>
inline constexpr std::size_t squared_quotients<dag::list<S...>> =
    (std::size_t{0} + ... + (quotient_of_quotient<S> ? 1 : 0));

// Whether a float subnormal leaf can cost a result E bits.  A subnormal is
// exact; what loses bits is a rounding whose value is subnormal, and only
// when that rounded value is used again.  So a leaf is harmless to E when
// everything that reads it (through exact operations: negation, abs, min,
// max, a select's branch) is
// * a rounding whose value E reads only through exact operations (elu's
//   select(x <= 0, dy e^x, dy): dy e^x is rounded once, as any result is),
//   or that only flat primitives read;
// * a primitive flat at 0, whose value is the same for every argument of
//   magnitude below 2^-60 and so for a subnormal and its rounding alike:
//   the sigmoid, normal, gate and mish families, the exp family without
//   expm1 and the tanh family without tanh and tanhshrink (which are about
//   their argument there);
// * expm1, which the vector packs give as its argument itself below 2^-60
//   (math/vector/expm1.hpp) and the double recomputation to within 2^-60
//   of it: read through as an exact operation, so its readers are judged;
// * a comparison or sign of the exact leaf (a rounding to 0 would change
//   them).
// elu's passes, celu's backward (e^(x / alpha): x / alpha feeds only the
// exp), sigmoid's, softplus's and gelu's passes then test no leaf for a
// subnormal; silu's gradient still tests x, whose x sigmoid(x) is added to,
// and celu's forward with alpha != 1, whose alpha expm1(x / alpha) rounds
// x / alpha and then multiplies it again.
template <class Read, class S> inline constexpr bool flat_at_zero = false;
template <class Read, class A> inline constexpr bool flat_at_zero<Read, dag::sigmoid_slot<A>> = true;
template <class Read, class A> inline constexpr bool flat_at_zero<Read, dag::normal_slot<A>> = true;
template <class Read, class A> inline constexpr bool flat_at_zero<Read, dag::gate_slot<A>> = true;
template <class Read, class A> inline constexpr bool flat_at_zero<Read, dag::softplus_tanh_slot<A>> = true;
template <class Read, class A>
inline constexpr bool flat_at_zero<Read, dag::exp_slot<A>> = !dag::contains<Read, node<op::expm1, A>>::value;
template <class Read, class A>
inline constexpr bool flat_at_zero<Read, dag::tanh_slot<A>> =
    !dag::contains<Read, node<op::tanh, A>>::value && !dag::contains<Read, node<op::tanhshrink, A>>::value;
template <class S> struct reader_op { using type = void; };
template <class Op, class... A> struct reader_op<node<Op, A...>> { using type = Op; };
// X's value (Inexact: a rounding of a subnormal, so itself perhaps
// subnormal and short of bits) reaches the root of D only harmlessly.
template <class D, class Read, class X, bool Inexact>
inline constexpr bool subnormal_harmless = []<class... S>(dag::list<S...>) {
    auto reader_ok = []<class R>(R*) {
        using Op = typename reader_op<R>::type;
        if constexpr (!dag::contains<typename dag::slot_children<R>::type, X>::value) return true;
        else if constexpr (dag::is_exp_slot<R>)  // exp is flat, expm1 exact (R's argument is X)
            return flat_at_zero<Read, R> ||
                   subnormal_harmless<D, Read, node<op::expm1, typename R::argument>, Inexact>;
        else if constexpr (dag::is_primitive_slot<R>) return flat_at_zero<Read, R>;
        else if constexpr (comparison_op<Op> || std::is_same_v<Op, op::sign>) return !Inexact;
        else if constexpr (exact_op<Op>) return subnormal_harmless<D, Read, R, Inexact>;
        else if constexpr (Inexact) return false;
        else return subnormal_harmless<D, Read, R, true>;
    };
    return (reader_ok(static_cast<S*>(nullptr)) && ...);
}(D{});
// Two lists joined, for folds.
template <class... A, class... B>
constexpr dag::list<A..., B...> operator+(dag::list<A...>, dag::list<B...>) {
    return {};
}
// The leaves of E's DAG whose subnormals E is recomputed for: none where
// that DAG has no tested primitive.  The common path tests those of every
// result it stores or reduces.
template <class E, class Leaves = dag::of<E>> struct subnormal_leaves_of;
template <class E, class... S>
struct subnormal_leaves_of<E, dag::list<S...>> {
    using D = dag::list<S...>;
    using Read = primitive_values<D, dag::list<E>>;
    template <class X>
    static constexpr bool watched =
        is_leaf_v<X> && tested_primitives<D> > 0 && !subnormal_harmless<D, Read, X, false>;
    using type = decltype((dag::list<>{} + ... + std::conditional_t<watched<S>, dag::list<S>, dag::list<>>{}));
};
template <class E> using subnormal_leaves = typename subnormal_leaves_of<E>::type;
template <class Results> struct subnormal_leaves_of_all;
template <class... E>
struct subnormal_leaves_of_all<dag::list<E...>> {
    using type = decltype((dag::list<>{} + ... + subnormal_leaves<E>{}));
};

// Lanes where one of Values (expressions read from the memo of the whole
// DAG L) is a float subnormal.  Each stored value is judged by the
// primitives of its own sub-DAG, so a forward output is recomputed in
// exactly the same lanes whether the pass is forward or forward_backward.
// A value that is never 0 for a finite argument (sigmoid's and the gate's
// members, tanh's sigmoids, tanh(log1pexp) and its pieces, the normal
// distribution, exp, log1pexp, gauss)
// and is 0 has underflowed all the way: that is tested too, or swiglu's
// dy b silu'(a) at a = -104, a normal float for b dy = 1e6, would be 0.
template <class E> inline constexpr bool never_zero = false;
template <class E>
    requires(!std::is_same_v<dag::slot_of_t<E>, E>)
inline constexpr bool never_zero<E> = dag::is_sigmoid_slot<dag::slot_of_t<E>> || dag::is_gate_slot<dag::slot_of_t<E>> ||
                                      dag::is_normal_slot<dag::slot_of_t<E>> ||
                                      dag::is_softplus_tanh_slot<dag::slot_of_t<E>> ||
                                      (dag::is_exp_slot<dag::slot_of_t<E>> && dag::member_of<E> == 1) ||
                                      (dag::is_tanh_slot<dag::slot_of_t<E>> && dag::member_of<E> != 1 &&
                                       dag::member_of<E> != 5);
template <class A> inline constexpr bool never_zero<node<op::gauss, A>> = true;

// Those of Values that are also in NanToo (results the caller tests for a
// NaN) are tested for a NaN in the same classification.  With NotFinite,
// every one of Values is tested for a NaN and an infinity too (one
// classification all the same: only where lanes<V>::classify), so that in
// the lanes not flagged each is finite, and nonzero where never_zero
// (value_facts with Known below).
template <class L, class V, class Values, class Memo, class NanToo = dag::list<>, bool NotFinite = false>
ACTX_INLINE auto subnormal_values(Memo const& memo) {
    auto m = lanes<V>::none();
    auto one = [&]<class E>(E*) ACTX_INLINE_LAMBDA {
        constexpr bool nan_too = dag::contains<NanToo, E>::value;
        if constexpr (NotFinite && never_zero<E>) m = m || lanes<V>::below_normal_or_not_finite(dag::read<L, E>(memo));
        else if constexpr (NotFinite) m = m || lanes<V>::subnormal_or_not_finite(dag::read<L, E>(memo));
        else if constexpr (never_zero<E> && nan_too) m = m || lanes<V>::below_normal_or_nan(dag::read<L, E>(memo));
        else if constexpr (never_zero<E>) m = m || lanes<V>::below_normal(dag::read<L, E>(memo));
        else if constexpr (nan_too) m = m || lanes<V>::subnormal_or_nan(dag::read<L, E>(memo));
        else m = m || lanes<V>::subnormal(dag::read<L, E>(memo));
    };
    [&]<class... E>(dag::list<E...>) ACTX_INLINE_LAMBDA { (one(static_cast<E*>(nullptr)), ...); }(Values{});
    return m;
}

// Lanes where a leaf (input or parameter) of Sub passes `test`: a float
// subnormal (its products with anything large lose bits the same way:
// swiglu's a sigmoid(a) b at a = 2e-40), or NaN.
template <class Sub, class V, class C, std::size_t N, std::size_t P, bool F, class Test>
ACTX_INLINE auto leaves_where(dag::leaves<C, V, N, P, F> const& leaves, Test test) {
    auto m = lanes<V>::none();
    [&]<class... S>(dag::list<S...>) ACTX_INLINE_LAMBDA {
        auto one = [&]<class Slot>(Slot*) ACTX_INLINE_LAMBDA {
            if constexpr (is_var_v<Slot>) m = m || test(leaves.inputs[Slot::index]);
            else if constexpr (is_param_v<Slot>) m = m || test(leaves.params[Slot::index]);
        };
        (void)one;  // Sub may be empty
        (one(static_cast<S*>(nullptr)), ...);
    }(Sub{});
    return m;
}

// Leaf i of a vector: input i, or parameter i - N for i >= N.
template <class C, class V, std::size_t N, std::size_t P, bool F>
ACTX_INLINE V const& leaf_at(dag::leaves<C, V, N, P, F> const& leaves, std::size_t i) {
    return i < N ? leaves.inputs[i] : leaves.params[i - N];
}
// m, or'ed with the lanes where one of the leaves list[First] to
// list[Count - 1] (leaf_at's indices) is NaN: two by two in one unordered
// compare each, the last alone if their number is odd.
template <std::size_t First, std::size_t Count, class M, std::size_t K, class C, class V, std::size_t N, std::size_t P,
          bool F>
ACTX_INLINE M or_nan_in_listed(M m, dag::leaves<C, V, N, P, F> const& leaves, std::array<std::size_t, K> const& list) {
    using Ln = lanes<V>;
    for (std::size_t i = First; i + 2 <= Count; i += 2)
        m = m || Ln::nan_in_either(leaf_at(leaves, list[i]), leaf_at(leaves, list[i + 1]));
    if constexpr (Count > First && (Count - First) % 2 == 1) m = m || Ln::nan(leaf_at(leaves, list[Count - 1]));
    return m;
}
// The same from no lanes, started from the first test, not from an empty
// mask: on AVX-512 the empty mask is not folded, and would cost an or per
// vector.
template <std::size_t Count, std::size_t K, class C, class V, std::size_t N, std::size_t P, bool F>
ACTX_INLINE auto nan_in_listed(dag::leaves<C, V, N, P, F> const& leaves, std::array<std::size_t, K> const& list) {
    using Ln = lanes<V>;
    if constexpr (Count == 0) return Ln::none();
    else if constexpr (Count == 1) return Ln::nan(leaf_at(leaves, list[0]));
    else
        return or_nan_in_listed<2, Count>(Ln::nan_in_either(leaf_at(leaves, list[0]), leaf_at(leaves, list[1])),
                                          leaves, list);
}

// lanes_of() where On, else no lanes (and nothing evaluated).
template <bool On, class V, class F>
ACTX_INLINE auto only_if(F const& lanes_of) {
    if constexpr (On) {
        return lanes_of();
    } else {
        return lanes<V>::none();
    }
}

// The values one vector stores and reduces.
template <class V, std::size_t Stored, std::size_t Reduced>
struct vector_results {
    std::array<V, Stored> out;
    std::array<V, Reduced> reduced;
};

// Whether a pass produces gradients: stored values from index FirstGradient
// on, or parameter-gradient contributions (Reduced).
template <class Stored, class Reduced, std::size_t FirstGradient>
inline constexpr bool has_gradients_v = FirstGradient < Stored::size || Reduced::size > 0;

// What an expression can be where none of its leaves is NaN: NaN, an
// infinity, zero; and whether it is surely at most 2 in magnitude
// (bounded).  Conservative: anything not listed may be all three, and is
// not bounded.  A select is what its branches are (its condition drops the
// other one), a product can be NaN only as inf * 0, a sum only as
// inf - inf; a bounded value times a constant of magnitude <= 2^64 is
// finite, and a product with a constant of magnitude >= 1 is nonzero
// where the other factor is.  With
// RegularParams, every parameter is known (checked at run time, before the
// loop) to be finite and nonzero: prelu's a dy is then NaN only where dy is.
// Known: values the caller classifies for a NaN, an infinity and a
// subnormal, and for zero where never_zero (exceptional_test's watched
// primitive values on AVX-512): in the lanes it does not flag they are
// finite, and nonzero where never_zero, so a product by one of them is NaN
// only where the other factor is (elu's dy e^x, sigmoid's dy p m, tanh's
// dy (4 sigmoid(2x) sigmoid(-2x))).
template <class E, bool RegularParams, class Known>
struct structural_facts {
    static constexpr bool nan = true, inf = true, zero = true, bounded = false;
};
// The members of the joint slots that lie in [-1, 1] (bounded allows for a
// few ULP over, as the fast path may round): the sigmoids, tanh, the gates,
// normcdf and normpdf, and the sigmoid, tanh and gate pairs' products.
template <class E> inline constexpr bool bounded_by_one = false;
template <class E>
    requires(!std::is_same_v<dag::slot_of_t<E>, E>)
inline constexpr bool bounded_by_one<E> =
    ((dag::is_sigmoid_slot<dag::slot_of_t<E>> || dag::is_gate_slot<dag::slot_of_t<E>>) && dag::member_of<E> >= 1 &&
     dag::member_of<E> <= 3) ||
    (dag::is_tanh_slot<dag::slot_of_t<E>> && dag::member_of<E> >= 1 && dag::member_of<E> <= 4) ||
    (dag::is_normal_slot<dag::slot_of_t<E>> && dag::member_of<E> >= 1 && dag::member_of<E> <= 2);
template <class E> inline constexpr bool moderate = false;
template <std::uint64_t B>
inline constexpr bool moderate<constant<B>> = constant<B>::value >= -0x1p64 && constant<B>::value <= 0x1p64;
// In the branch of a select(X <= 0, A, B) or select(X < 0, A, B) that
// its condition takes, X is at most 0 (nonpositive<X> among Known), and
// e^X is then at most 1: selu's 1.758 e^x there cannot overflow.
template <class X> struct nonpositive {};
template <class C> struct assumed_by { using type = dag::list<>; };
template <class X> struct assumed_by<node<op::le, X, zero>> { using type = dag::list<nonpositive<X>>; };
template <class X> struct assumed_by<node<op::lt, X, zero>> { using type = dag::list<nonpositive<X>>; };
template <class E, class Known> inline constexpr bool bounded_where = bounded_by_one<E>;
template <class X, class Known>
inline constexpr bool bounded_where<node<op::exp, X>, Known> = dag::contains<Known, nonpositive<X>>::value;
template <class E, class Known>
struct classified_facts {
    static constexpr bool nan = false, inf = false, zero = !never_zero<E>, bounded = bounded_where<E, Known>;
};
template <class E, bool RegularParams = false, class Known = dag::list<>>
struct value_facts : std::conditional_t<dag::contains<Known, E>::value, classified_facts<E, Known>,
                                        structural_facts<E, RegularParams, Known>> {};
template <std::size_t I, bool RegularParams, class Known>
struct structural_facts<var_t<I>, RegularParams, Known> {
    static constexpr bool nan = false, inf = true, zero = true, bounded = false;
};
template <std::size_t I, bool RegularParams, class Known>
struct structural_facts<param_t<I>, RegularParams, Known> {
    static constexpr bool nan = false, inf = !RegularParams, zero = !RegularParams, bounded = false;
};
template <std::uint64_t B, bool RegularParams, class Known>
struct structural_facts<constant<B>, RegularParams, Known> {
    static constexpr double v = constant<B>::value;
    static constexpr bool nan = v != v, zero = v == 0, bounded = v >= -2 && v <= 2;
    static constexpr bool inf = v == std::numeric_limits<double>::infinity() || v == -std::numeric_limits<double>::infinity();
};
template <class C, class A, class B, bool RegularParams, class Known>
struct structural_facts<node<op::select, C, A, B>, RegularParams, Known> {
    using a = value_facts<A, RegularParams, typename concat<Known, typename assumed_by<C>::type>::type>;
    using b = value_facts<B, RegularParams, Known>;
    static constexpr bool nan = a::nan || b::nan, inf = a::inf || b::inf, zero = a::zero || b::zero;
    static constexpr bool bounded = a::bounded && b::bounded;
};
template <class A, bool RegularParams, class Known>
struct structural_facts<node<op::neg, A>, RegularParams, Known> : value_facts<A, RegularParams, Known> {};
template <class A, class B, bool RegularParams, class Known>
struct structural_facts<node<op::mul, A, B>, RegularParams, Known> {
    using a = value_facts<A, RegularParams, Known>;
    using b = value_facts<B, RegularParams, Known>;
    static constexpr bool nan = a::nan || b::nan || (a::inf && b::zero) || (a::zero && b::inf);
    // Overflow and underflow, but not of a bounded value times a moderate
    // constant, or past a constant of magnitude >= 1.
    static constexpr bool inf = !((moderate<A> && b::bounded) || (moderate<B> && a::bounded));
    static constexpr bool zero = !((!a::zero && scales_up<B>) || (!b::zero && scales_up<A>));
    static constexpr bool bounded = false;
};
template <class A, class B, bool RegularParams, class Known>
struct structural_facts<node<op::add, A, B>, RegularParams, Known> {
    using a = value_facts<A, RegularParams, Known>;
    using b = value_facts<B, RegularParams, Known>;
    static constexpr bool nan = a::nan || b::nan || (a::inf && b::inf);
    static constexpr bool inf = true, zero = true, bounded = false;
};
template <class A, class B, bool RegularParams, class Known>
struct structural_facts<node<op::sub, A, B>, RegularParams, Known>
    : structural_facts<node<op::add, A, B>, RegularParams, Known> {};
// A quotient is NaN only as 0 / 0 or inf / inf (hardsigmoid's (x + 3) / 6
// never is).
template <class A, class B, bool RegularParams, class Known>
struct structural_facts<node<op::div, A, B>, RegularParams, Known> {
    using a = value_facts<A, RegularParams, Known>;
    using b = value_facts<B, RegularParams, Known>;
    static constexpr bool nan = a::nan || b::nan || (a::zero && b::zero) || (a::inf && b::inf);
    static constexpr bool inf = true, zero = true, bounded = false;
};

// e^a, e^a - 1 and log(1 + e^a) are NaN only where a is, in every
// implementation: the vector ones clamp a (or |a|) before the reduction
// (math/vector/exp.hpp, detail/float_kernels.hpp), so an infinite a gives
// a limit, not inf - inf.  The forward outputs of the elu family, softplus
// and logsigmoid are then known not to be NaN unless x is, and the loop
// tests x for a NaN instead of the output (suspicious_results below).
// (An exp slot that a loop computes unclamped, relaxed_exp_slots below, can
// give NaN below a = -104 or above 89; there the test classifies e^a itself,
// which is then 0, infinite or NaN too, so the lane still goes to the
// precise test, where the DAG is evaluated clamped.)
template <class A, bool RegularParams, class Known>
struct structural_facts<node<op::exp, A>, RegularParams, Known> {
    static constexpr bool nan = value_facts<A, RegularParams, Known>::nan, inf = true, zero = true, bounded = false;
};
template <class A, bool RegularParams, class Known>
struct structural_facts<node<op::expm1, A>, RegularParams, Known>
    : structural_facts<node<op::exp, A>, RegularParams, Known> {};
template <class A, bool RegularParams, class Known>
struct structural_facts<node<op::log1pexp, A>, RegularParams, Known>
    : structural_facts<node<op::exp, A>, RegularParams, Known> {};

// Whether a NaN in leaf X (an input or a parameter) surely makes E NaN:
// arithmetic passes a NaN operand on, a select does when both branches do
// (leaky_relu's select(x <= 0, 0.01 dy, dy) carries dy's NaN, relu's
// select(x <= 0, 0, dy) does not).  Conservative: anything else does not.
template <class E, class X> inline constexpr bool carries_nan = std::is_same_v<E, X>;
template <class A, class X> inline constexpr bool carries_nan<node<op::neg, A>, X> = carries_nan<A, X>;
template <class A, class X> inline constexpr bool carries_nan<node<op::abs, A>, X> = carries_nan<A, X>;
template <class Op, class A, class B, class X>
    requires(std::is_same_v<Op, op::add> || std::is_same_v<Op, op::sub> || std::is_same_v<Op, op::mul> ||
             std::is_same_v<Op, op::div>)
inline constexpr bool carries_nan<node<Op, A, B>, X> = carries_nan<A, X> || carries_nan<B, X>;
template <class C, class A, class B, class X>
inline constexpr bool carries_nan<node<op::select, C, A, B>, X> = carries_nan<A, X> && carries_nan<B, X>;

// Whether every gradient (Stored from FirstGradient on, and Reduced)
// carries a NaN of leaf X, so that the NaN-in rule needs no test of X.
template <class Stored, class Reduced, std::size_t FirstGradient, class X>
inline constexpr bool gradients_carry_nan = [] {
    bool all = true;
    [&]<class... S>(dag::list<S...>) {
        std::size_t j = 0;
        ((all = all && (++j <= FirstGradient || carries_nan<S, X>)), ...);
    }(Stored{});
    [&]<class... R>(dag::list<R...>) { ((all = all && carries_nan<R, X>), ...); }(Reduced{});
    return all;
}();

template <class L, bool RegularParams, class Known = dag::list<>> inline constexpr bool none_may_be_nan = false;
template <class... E, bool RegularParams, class Known>
inline constexpr bool none_may_be_nan<dag::list<E...>, RegularParams, Known> =
    (!value_facts<E, RegularParams, Known>::nan && ...);

// Arithmetic and selects only, in a pass with gradients, and no result can
// be NaN unless an input is (relu's select(x <= 0, 0, dy) and the like,
// kernel.hpp times_upstream): all there is to do is the NaN-in rule, every
// gradient of an element with a NaN input or parameter is NaN, and that
// needs no branch: fix_nan_lanes.  Those passes are not tested otherwise.
template <class L, class Stored, class Reduced, std::size_t FirstGradient, bool RegularParams = false>
inline constexpr bool nan_only_fix = tested_primitives<L> == 0 && squared_quotients<L> == 0 &&
                                     has_gradients_v<Stored, Reduced, FirstGradient> &&
                                     none_may_be_nan<Stored, RegularParams> && none_may_be_nan<Reduced, RegularParams>;

// An output that can be NaN with no NaN leaf only through a parameter that
// is 0 or infinite (prelu's a x at a = 0, x = -inf).
template <class Stored, bool RegularParams>
inline constexpr bool nan_through_params = !none_may_be_nan<Stored, RegularParams> && none_may_be_nan<Stored, true>;

// A forward output is judged (recomputed for a tiny result or for a NaN
// that no NaN leaf explains, its NaN written as the one quiet NaN) in every
// pass or in none, as the forward pass alone judges it: where its own DAG
// has a primitive, or a parameter can make it NaN (prelu's a x at a = 0).
// Arithmetic and selects only are otherwise what the float arithmetic
// gives, in forward_backward as in forward, whose loop is not tested
// (hardswish's x (x + 3) / 6 below 2^-100, where the product and the
// quotient round twice, was recomputed in forward_backward only).
// So is one with a quotient by a square (squared_quotients).  Gradients
// are judged in every pass that has them.
template <class E, bool RegularParams>
inline constexpr bool judged_output = tested_primitives<dag::of<E>> > 0 || squared_quotients<dag::of<E>> > 0 ||
                                      nan_through_params<dag::list<E>, RegularParams>;
// For each of Values, whether it is judged: those from index FirstGradient
// on are gradients (0 for parameter-gradient contributions).
template <class Values, std::size_t FirstGradient, bool RegularParams>
inline constexpr auto judged_values = []<class... E>(dag::list<E...>) {
    std::size_t j = 0;
    return std::array<bool, sizeof...(E)>{(++j > FirstGradient || judged_output<E, RegularParams>)...};
}(Values{});

// out: the stored values (gradients from index FirstGradient on), reduced:
// the parameter-gradient contributions; returned patched.  Works on vector
// packs and on the scalar reference path alike, so both keep the same
// semantics.  Everything is taken by value and the DAG's values are
// evaluated again here: nothing of the caller's has its address taken, so
// the common path keeps its values in registers (the memo is the same bits
// either way).  It writes nothing but its result ([[gnu::pure]]), so a
// loop that calls it need not reload what it keeps in memory after the call.
template <class L, class Stored, class Reduced, std::size_t FirstGradient, bool RegularParams, class C, class V,
          std::size_t N, std::size_t P, bool F>
[[gnu::noinline, gnu::pure]] vector_results<V, Stored::size, Reduced::size> patch_exceptional_lanes_slowly(
    dag::leaves<C, V, N, P, F> leaves, std::array<V, Stored::size> out, std::array<V, Reduced::size> reduced) {
    auto const memo = dag::evaluate<L>(leaves);
    using Ln = lanes<V>;
    using S = typename Ln::scalar;
    constexpr bool has_gradients = has_gradients_v<Stored, Reduced, FirstGradient>;
    auto nan_in = Ln::none();
    for (std::size_t s = 0; s < N; ++s) nan_in = nan_in || Ln::nan(leaves.inputs[s]);
    for (std::size_t k = 0; k < P; ++k) nan_in = nan_in || Ln::nan(leaves.params[k]);
    // Each value is judged by its own primitives and its own leaves only, so
    // the same element gets the same treatment in every pass; and by exactly
    // the rules the trigger below tests, so whether a neighbour fired the
    // trigger never changes an element.  First: the index of the first
    // gradient among the values (judged_values).
    using mask = decltype(Ln::none());
    auto any_redo = Ln::none();
    auto redo_of = [&]<std::size_t First, class... E, std::size_t... J>(
                       std::integral_constant<std::size_t, First>, dag::list<E...>, std::index_sequence<J...>,
                       auto const& values) {
        [[maybe_unused]] constexpr auto judged = judged_values<dag::list<E...>, First, RegularParams>;
        std::array<mask, sizeof...(E)> redo{};
        ((redo[J] = only_if<(tested_primitives<dag::of<E>> > 0), V>([&] {
                        return subnormal_values<L, V, watched_values<dag::of<E>, dag::list<E>>>(memo) ||
                               leaves_where<subnormal_leaves<E>>(leaves, Ln::subnormal);
                    }) || only_if<judged[J] && may_hide_subnormal<E>, V>([&] { return Ln::tiny(values[J]); }) ||
                    only_if<judged[J], V>(
                        [&] { return Ln::nan(values[J]) && !leaves_where<dag::of<E>>(leaves, Ln::nan); }),
          any_redo = any_redo || redo[J]),
         ...);
        return redo;
    };
    std::array<mask, Stored::size> redo_out = redo_of(std::integral_constant<std::size_t, FirstGradient>{}, Stored{},
                                                      std::make_index_sequence<Stored::size>{}, out);
    std::array<mask, Reduced::size> redo_reduced = redo_of(std::integral_constant<std::size_t, 0>{}, Reduced{},
                                                           std::make_index_sequence<Reduced::size>{}, reduced);
    constexpr auto judged_out = judged_values<Stored, FirstGradient, RegularParams>;
    // A NaN is written as the one quiet NaN in the values that are judged.
    auto nan_out = Ln::none();
    for (std::size_t j = 0; j < Stored::size; ++j)
        if (judged_out[j]) nan_out = nan_out || Ln::nan(out[j]);
    for (auto const& v : reduced) nan_out = nan_out || Ln::nan(v);
    if (!Ln::any(any_redo) && !(has_gradients && Ln::any(nan_in)) && !Ln::any(nan_out)) return {out, reduced};

    constexpr std::size_t W = Ln::size;
    S lanes_in[N + 1][W], lanes_param[P + 1][W], lanes_out[Stored::size + 1][W], lanes_reduced[Reduced::size + 1][W];
    for (std::size_t s = 0; s < N; ++s) Ln::store(leaves.inputs[s], lanes_in[s]);
    for (std::size_t k = 0; k < P; ++k) Ln::store(leaves.params[k], lanes_param[k]);
    for (std::size_t j = 0; j < Stored::size; ++j) Ln::store(out[j], lanes_out[j]);
    for (std::size_t j = 0; j < Reduced::size; ++j) Ln::store(reduced[j], lanes_reduced[j]);
    bool redo_out_lane[Stored::size + 1][W], redo_reduced_lane[Reduced::size + 1][W];
    for (std::size_t j = 0; j < Stored::size; ++j) Ln::store_mask(redo_out[j], redo_out_lane[j]);
    for (std::size_t j = 0; j < Reduced::size; ++j) Ln::store_mask(redo_reduced[j], redo_reduced_lane[j]);

    auto finite = [](S v) -> double {
        if (std::isinf(v)) return v > 0 ? std::numeric_limits<double>::max() : -std::numeric_limits<double>::max();
        return v;
    };
    constexpr S nan = std::numeric_limits<S>::quiet_NaN();
    for (std::size_t l = 0; l < W; ++l) {
        // A NaN input or upstream gradient makes every gradient NaN.
        bool lane_nan = false;
        if constexpr (has_gradients) {
            for (std::size_t s = 0; s < N; ++s) lane_nan = lane_nan || std::isnan(lanes_in[s][l]);
            for (std::size_t k = 0; k < P; ++k) lane_nan = lane_nan || std::isnan(lanes_param[k][l]);
            if (lane_nan) {
                for (std::size_t j = FirstGradient; j < Stored::size; ++j) redo_out_lane[j][l] = false;
                for (std::size_t j = 0; j < Reduced::size; ++j) redo_reduced_lane[j][l] = false;
            }
        }
        bool lane_redo = false;
        for (std::size_t j = 0; j < Stored::size; ++j) lane_redo = lane_redo || redo_out_lane[j][l];
        for (std::size_t j = 0; j < Reduced::size; ++j) lane_redo = lane_redo || redo_reduced_lane[j][l];
        if (lane_redo) {
            // In double as they are; where a leaf is infinite, a value that
            // comes out NaN (inf * 0, inf - inf) is taken at +-DBL_MAX
            // instead, which gives its limit.  Only those: an infinite dy
            // times a derivative that float rounds to 0 is infinite, not
            // DBL_MAX times it.
            dag::leaves<double, double, N, P> d{}, at_max{};
            bool lane_inf = false;
            for (std::size_t s = 0; s < N; ++s) {
                d.inputs[s] = lanes_in[s][l];
                at_max.inputs[s] = finite(lanes_in[s][l]);
                lane_inf = lane_inf || std::isinf(lanes_in[s][l]);
            }
            for (std::size_t k = 0; k < P; ++k) {
                d.params[k] = lanes_param[k][l];
                at_max.params[k] = finite(lanes_param[k][l]);
                lane_inf = lane_inf || std::isinf(lanes_param[k][l]);
            }
            auto m = dag::evaluate<L>(d);
            std::optional<decltype(m)> m_at_max;
            // A value of +-DBL_MAX there is an infinite leaf passed through
            // (gelu'(x) dy at x = dy = inf is DBL_MAX * 1): its limit is
            // +-inf, which the cast to float gives by itself and double
            // arrays need said.
            auto value = [&]<class E>(E) -> S {
                double v = dag::read<L, E>(m);
                if (lane_inf && std::isnan(v)) {
                    if (!m_at_max) m_at_max.emplace(dag::evaluate<L>(at_max));
                    v = dag::read<L, E>(*m_at_max);
                    if (std::abs(v) == std::numeric_limits<double>::max())
                        v = std::copysign(std::numeric_limits<double>::infinity(), v);
                }
                return static_cast<S>(v);
            };
            [&]<class... E>(dag::list<E...>) {
                std::size_t j = 0;
                ((redo_out_lane[j][l] ? void(lanes_out[j][l] = value(E{})) : void(), ++j), ...);
            }(Stored{});
            [&]<class... R>(dag::list<R...>) {
                std::size_t j = 0;
                ((redo_reduced_lane[j][l] ? void(lanes_reduced[j][l] = value(R{})) : void(), ++j), ...);
            }(Reduced{});
        }
        if (lane_nan) {
            for (std::size_t j = FirstGradient; j < Stored::size; ++j) lanes_out[j][l] = nan;
            for (std::size_t j = 0; j < Reduced::size; ++j) lanes_reduced[j][l] = nan;
        }
        // Every NaN leaves as the one quiet NaN: the sign and payload the
        // vector arithmetic gives a NaN depend on operand order, which the
        // compiler may choose differently for the main loop and the tail.
        for (std::size_t j = 0; j < Stored::size; ++j)
            if (judged_out[j] && std::isnan(lanes_out[j][l])) lanes_out[j][l] = nan;
        for (std::size_t j = 0; j < Reduced::size; ++j)
            if (std::isnan(lanes_reduced[j][l])) lanes_reduced[j][l] = nan;
    }
    for (std::size_t j = 0; j < Stored::size; ++j) out[j] = Ln::load(lanes_out[j]);
    for (std::size_t j = 0; j < Reduced::size; ++j) reduced[j] = Ln::load(lanes_reduced[j]);
    return {out, reduced};
}

// The common path: one test per vector for anything that could need
// patching (a superset of the rules above: any primitive or leaf subnormal,
// any result NaN or tiny, and for gradients any NaN input or parameter); the
// precise per-value decision is taken out of line only when it fires.
//
// The values that are only tested for a NaN are summed, and the sum tested
// once: a NaN among them makes the sum NaN.  So does inf - inf, which only
// sends the vector to the precise test for nothing.
template <class V>
struct nan_sum {
    V sum{};
    bool started = false;
    ACTX_ALWAYS_INLINE void add(V const& v) {
        sum = started ? sum + v : v;
        started = true;
    }
};

// Whether a judged result's NaN test is on its sum with the others (below),
// or, for one that cannot be NaN unless a leaf is (none_may_be_nan: elu's
// select(x <= 0, e^x - 1, x)), on the leaves instead, in the same
// classification as their subnormal test: one operation per vector fewer
// and the same elements found.  With Known (value_facts), also one that
// cannot be NaN unless a leaf is or one of Known is not finite or zero
// (elu's select(x <= 0, dy e^x, dy) with e^x known): those are flagged by
// their own classification.  A watched result has it in its own
// classification.
template <class E, class Watched, bool RegularParams, class Known = dag::list<>>
inline constexpr bool nan_tested_on_leaves =
    !dag::contains<Watched, E>::value && none_may_be_nan<dag::list<E>, RegularParams, Known>;
// How many judged ones of Values have their NaN test on the leaves.
template <class Values, class Watched, std::size_t FirstGradient, bool RegularParams, class Known = dag::list<>>
inline constexpr std::size_t nan_tests_on_leaves = []<class... E>(dag::list<E...>) {
    [[maybe_unused]] constexpr auto judged = judged_values<Values, FirstGradient, RegularParams>;
    std::size_t j = 0, count = 0;
    ((count += judged[j] && nan_tested_on_leaves<E, Watched, RegularParams, Known> ? 1 : 0, ++j), ...);
    return count;
}(Values{});
template <class Values, class Watched, std::size_t FirstGradient, bool RegularParams, class Known = dag::list<>>
inline constexpr bool leaves_tested_for_nan = nan_tests_on_leaves<Values, Watched, FirstGradient, RegularParams, Known> > 0;
// Whether Known takes the NaN test of a judged one of Values off the sum:
// only then are the watched values classified for NaN and infinities too.
// Known only adds facts (a known value's are at least its structural
// ones), so that is where the count grows.
template <class Values, class Watched, std::size_t FirstGradient, bool RegularParams, class Known>
inline constexpr bool known_facts_used = nan_tests_on_leaves<Values, Watched, FirstGradient, RegularParams, Known> >
                                         nan_tests_on_leaves<Values, Watched, FirstGradient, RegularParams>;

// Which of Values suspicious_results tests for a NaN on their sum: the
// judged ones that are neither watched nor tested on the leaves.
template <class Values, class Watched, std::size_t FirstGradient, bool RegularParams, class Known>
inline constexpr auto summed_results = []<class... E>(dag::list<E...>) {
    [[maybe_unused]] constexpr auto judged = judged_values<Values, FirstGradient, RegularParams>;
    std::array<bool, sizeof...(E)> summed{};
    std::size_t j = 0;
    ((summed[j] = judged[j] && !dag::contains<Watched, E>::value &&
                  !nan_tested_on_leaves<E, Watched, RegularParams, Known>,
      ++j),
     ...);
    return summed;
}(Values{});
// A result that is itself a watched primitive value (tanh's forward) has
// its NaN test in that value's classification instead, one that cannot be
// NaN unless a leaf is has it in the leaves' (above); one that is not
// judged (judged_output) is not looked at.
template <class Values, class Watched, std::size_t FirstGradient, bool RegularParams, class Known, class V,
          std::size_t Size>
ACTX_INLINE auto suspicious_results(std::array<V, Size> const& values, nan_sum<V>& nans) {
    using Ln = lanes<V>;
    constexpr auto judged = judged_values<Values, FirstGradient, RegularParams>;
    constexpr auto summed = summed_results<Values, Watched, FirstGradient, RegularParams, Known>;
    auto m = Ln::none();
    [&]<class... E, std::size_t... J>(dag::list<E...>, std::index_sequence<J...>) ACTX_INLINE_LAMBDA {
        ((summed[J] ? nans.add(values[J]) : void(),
          m = m || only_if<judged[J] && may_hide_subnormal<E>, V>(
                       [&]() ACTX_INLINE_LAMBDA { return Ln::tiny(values[J]); })),
         ...);
    }(Values{}, std::make_index_sequence<Size>{});
    return m;
}

// How the common path tests a leaf: classified for a subnormal (and a NaN
// in gradient passes), or for a NaN only: compared, two leaves to one
// unordered compare, where it is a leaf of a DAG with primitives whose
// subnormal is harmless (elu's dy); otherwise summed with the values only
// tested for a NaN.  Summing takes fewer mask operations still, but its
// additions compete with the primitives' for the adders: tanh's backward
// took 0.37 -> 0.45 ns per element with x and dy summed.
enum class leaf_tested { no, subnormal, subnormal_or_nan, nan_compared, nan_summed };
template <bool Subnormal, bool Nan, bool WithPrimitives>
inline constexpr leaf_tested leaf_test = Subnormal ? (Nan ? leaf_tested::subnormal_or_nan : leaf_tested::subnormal)
                                         : !Nan    ? leaf_tested::no
                                         : WithPrimitives ? leaf_tested::nan_compared
                                                          : leaf_tested::nan_summed;

// What the common test of one vector (exceptional_test, below) looks at,
// decided per DAG and pass.  N and P: the numbers of inputs and
// parameters.
template <class L, class Stored, class Reduced, std::size_t FirstGradient, bool RegularParams, class V,
          std::size_t N, std::size_t P>
struct exceptional_plan {
    using Ln = lanes<V>;
    static constexpr bool has_gradients = has_gradients_v<Stored, Reduced, FirstGradient>;
    static constexpr bool with_primitives = tested_primitives<L> > 0;
    using results = typename concat<Stored, Reduced>::type;
    using watched = std::conditional_t<with_primitives, watched_values<L, results>, dag::list<>>;
    // On AVX-512 the watched values' classification takes NaN and the
    // infinities too where that spares a result its NaN test (known_facts_used).
    using classified = std::conditional_t<Ln::classify, watched, dag::list<>>;
    static constexpr bool not_finite = known_facts_used<Stored, watched, FirstGradient, RegularParams, classified> ||
                                       known_facts_used<Reduced, watched, 0, RegularParams, classified>;
    using known = std::conditional_t<not_finite, classified, dag::list<>>;
    // With primitives, a leaf of L is tested for a subnormal where some
    // result's is not harmless (subnormal_leaves); in gradient passes every
    // input and parameter is tested for a NaN, and so is a leaf of L where
    // a result's NaN test is its leaves'.
    static constexpr bool leaves_nan = leaves_tested_for_nan<Stored, watched, FirstGradient, RegularParams, known> ||
                                       leaves_tested_for_nan<Reduced, watched, 0, RegularParams, known>;
    using subnormal_watched = typename subnormal_leaves_of_all<results>::type;
    static constexpr auto stored_summed = summed_results<Stored, watched, FirstGradient, RegularParams, known>;
    static constexpr auto reduced_summed = summed_results<Reduced, watched, 0, RegularParams, known>;
    // Whether a NaN in Leaf surely makes a result NaN that the test sums
    // (carries_nan): that sum then finds the element, and the leaf needs no
    // test of its own for the NaN-in rule of gradient passes (softsign's
    // dy / ((1 + |x|)(1 + |x|)) carries the NaN of x and of dy).
    template <class Leaf>
    static constexpr bool nan_carried_to_sum = [] {
        bool any = false;
        [&]<class... E>(dag::list<E...>) {
            std::size_t j = 0;
            ((any = any || (stored_summed[j] && carries_nan<E, Leaf>), ++j), ...);
        }(Stored{});
        [&]<class... E>(dag::list<E...>) {
            std::size_t j = 0;
            ((any = any || (reduced_summed[j] && carries_nan<E, Leaf>), ++j), ...);
        }(Reduced{});
        return any;
    }();
    template <class Leaf>
    static constexpr leaf_tested test_of =
        leaf_test<dag::contains<subnormal_watched, Leaf>::value,
                  (has_gradients && !nan_carried_to_sum<Leaf>) || (leaves_nan && dag::contains<L, Leaf>::value),
                  dag::contains<L, Leaf>::value && with_primitives>;
    // The leaves tested as How, by index (inputs, then N + parameter), and
    // how many: list[N + P].
    template <leaf_tested How>
    static constexpr auto leaves_tested = []<std::size_t... S, std::size_t... K>(std::index_sequence<S...>,
                                                                                  std::index_sequence<K...>) {
        std::array<std::size_t, N + P + 1> list{};
        std::size_t i = 0;
        auto add = [&](leaf_tested how) {
            if (how == How) list[list[N + P]++] = i;
            ++i;
        };
        (add(test_of<var_t<S>>), ...);
        (add(test_of<param_t<K>>), ...);
        return list;
    }(std::make_index_sequence<N>{}, std::make_index_sequence<P>{});
    // Whether some value is tested for a NaN on a sum with the others: a
    // leaf (nan_summed) or a result (summed_results).
    static constexpr bool summed = [] {
        bool any = leaves_tested<leaf_tested::nan_summed>[N + P] > 0;
        for (bool r : stored_summed) any = any || r;
        for (bool r : reduced_summed) any = any || r;
        return any;
    }();
};

// Whether E's value, in the lanes where X > 0 or X is NaN, reads neither
// e^X nor e^X - 1: the branch of a select(X <= 0, A, B) or
// select(X < 0, A, B) that X > 0 takes is B.  Conservative: any other
// reader of them reads them everywhere.
template <class E, class X> inline constexpr bool exp_unread_above_zero = true;  // leaves, constants
template <class Op, class... A, class X>
inline constexpr bool exp_unread_above_zero<node<Op, A...>, X> = (exp_unread_above_zero<A, X> && ...);
template <class X> inline constexpr bool exp_unread_above_zero<node<op::exp, X>, X> = false;
template <class X> inline constexpr bool exp_unread_above_zero<node<op::expm1, X>, X> = false;
template <class X, class A, class B>
inline constexpr bool exp_unread_above_zero<node<op::select, node<op::le, X, zero>, A, B>, X> =
    exp_unread_above_zero<B, X>;
template <class X, class A, class B>
inline constexpr bool exp_unread_above_zero<node<op::select, node<op::lt, X, zero>, A, B>, X> =
    exp_unread_above_zero<B, X>;

template <class L, class X> inline constexpr bool all_exp_unread_above_zero = false;
template <class... E, class X>
inline constexpr bool all_exp_unread_above_zero<dag::list<E...>, X> = (exp_unread_above_zero<E, X> && ...);

// How a loop computes the exp slots of L (dag::compute): with the clamp
// of their argument x to [-104, 89] at the head of the exponential's chain,
// or with less of it (vector::exp_pair_clamped_below and
// exp_pair_unclamped: up to 15% of the elu family's loops; docs/design.md,
// "The exponential unclamped").  Both are exp_pair's bits for x in
// [-104, 89], anything above 89.  Where no result reads e^x or e^x - 1
// with x > 0 (exp_unread_above_zero: the elu family's select(x <= 0, ...)),
// the values above 89 are never written:
// * dag::clamped_below<S>: x clamped at -104 only, exp_pair's bits for
//   every x <= 0;
// * dag::unclamped<S>: no clamp, in a tested loop whose common test
//   classifies e^x for 0, subnormals, infinities and NaN (on AVX-512, where
//   not_finite).  Below -104, where e^x unclamped is 0, infinite or NaN and
//   e^x - 1 is -1 or NaN, every lane then goes to the precise test, which
//   evaluates the DAG again clamped and so judges and recomputes exactly the
//   elements it did with the clamp; an element it keeps has the same bits.
template <bool Tested, class L, class Stored, class Reduced, std::size_t FirstGradient, bool RegularParams, class V,
          std::size_t N, std::size_t P>
struct relaxed_exp_slots {
    template <class X> static constexpr bool classified = [] {
        if constexpr (Tested) {
            using plan = exceptional_plan<L, Stored, Reduced, FirstGradient, RegularParams, V, N, P>;
            return lanes<V>::classify && plan::not_finite &&
                   dag::contains<typename plan::watched, node<op::exp, X>>::value;
        } else {
            return false;
        }
    }();
    template <class S> struct relaxed {
        using type = dag::list<>;
    };
    template <class X> struct relaxed<dag::exp_slot<X>> {
        using type = std::conditional_t<
            !all_exp_unread_above_zero<typename concat<Stored, Reduced>::type, X>, dag::list<>,
            std::conditional_t<classified<X>, dag::list<dag::unclamped<dag::exp_slot<X>>>,
                               dag::list<dag::clamped_below<dag::exp_slot<X>>>>>;
    };
    template <class Slots> struct of;
    template <class... S> struct of<dag::list<S...>> {
        using type = decltype((dag::list<>{} + ... + typename relaxed<S>::type{}));
    };
    using type = typename of<L>::type;
};

// What the common path found in one vector, or in several whose tests are
// merged so that one branch decides for all of them: the lanes flagged by
// a classification, and, where Summed (exceptional_plan), the sum of the
// values only tested for a NaN.  Whether there is a sum is known at
// compile time, not kept in the trigger: a flag beside the vector, which
// g++ folded away, made clang++ 14 copy the trigger through memory on every
// vector with loads that straddled two stores (elu's forward_backward 2.5
// times its g++ time).
template <class V, bool Summed>
struct exceptional_trigger {
    using Ln = lanes<V>;
    struct no_sum {};
    decltype(Ln::none()) flag = Ln::none();
    [[no_unique_address]] std::conditional_t<Summed, V, no_sum> sum{};
    // Both vectors' tests at once: the masks or'ed, the NaN sums added (a
    // NaN in either makes the total NaN).
    ACTX_ALWAYS_INLINE void merge(exceptional_trigger const& other) {
        flag = flag || other.flag;
        if constexpr (Summed) sum = sum + other.sum;
    }
    ACTX_ALWAYS_INLINE bool fires() const {
        auto f = flag;
        if constexpr (Summed) f = f || Ln::nan(sum);
        return Ln::any(f);
    }
};
template <class L, class Stored, class Reduced, std::size_t FirstGradient, bool RegularParams, class V,
          std::size_t N, std::size_t P>
using exceptional_trigger_of =
    exceptional_trigger<V, exceptional_plan<L, Stored, Reduced, FirstGradient, RegularParams, V, N, P>::summed>;

// Where nothing is tested: never fires.
struct no_exceptional_trigger {
    ACTX_ALWAYS_INLINE void merge(no_exceptional_trigger const&) {}
    ACTX_ALWAYS_INLINE static constexpr bool fires() { return false; }
};
// The trigger of a loop: the plan is only looked at where Tested.
template <bool Tested, class L, class Stored, class Reduced, std::size_t FirstGradient, bool RegularParams, class V,
          std::size_t N, std::size_t P>
struct trigger_for {
    using type = no_exceptional_trigger;
};
template <class L, class Stored, class Reduced, std::size_t FirstGradient, bool RegularParams, class V,
          std::size_t N, std::size_t P>
struct trigger_for<true, L, Stored, Reduced, FirstGradient, RegularParams, V, N, P> {
    using type = exceptional_trigger_of<L, Stored, Reduced, FirstGradient, RegularParams, V, N, P>;
};

// The test of one vector: out are the stored values (gradients from index
// FirstGradient on), reduced the parameter-gradient contributions.  Called
// only where may_have_exceptional_lanes (below) holds.
template <class L, class Stored, class Reduced, std::size_t FirstGradient, bool RegularParams, class C, class V,
          std::size_t N, std::size_t P, bool F, class Memo>
ACTX_INLINE exceptional_trigger_of<L, Stored, Reduced, FirstGradient, RegularParams, V, N, P> exceptional_test(
    dag::leaves<C, V, N, P, F> const& leaves, Memo const& memo, std::array<V, Stored::size> const& out,
    std::array<V, Reduced::size> const& reduced) {
    using Ln = lanes<V>;
    using plan = exceptional_plan<L, Stored, Reduced, FirstGradient, RegularParams, V, N, P>;
    using watched = typename plan::watched;
    using known = typename plan::known;
    exceptional_trigger_of<L, Stored, Reduced, FirstGradient, RegularParams, V, N, P> t;
    nan_sum<V> nans{};
    if constexpr (plan::with_primitives)
        t.flag = subnormal_values<L, V, watched, Memo, typename plan::results, plan::not_finite>(memo);
    [&]<std::size_t... S, std::size_t... K>(std::index_sequence<S...>, std::index_sequence<K...>) ACTX_INLINE_LAMBDA {
        auto one = [&]<class Leaf>(Leaf*, V const& v) ACTX_INLINE_LAMBDA {
            constexpr leaf_tested how = plan::template test_of<Leaf>;
            if constexpr (how == leaf_tested::subnormal_or_nan) t.flag = t.flag || Ln::subnormal_or_nan(v);
            else if constexpr (how == leaf_tested::subnormal) t.flag = t.flag || Ln::subnormal(v);
            else if constexpr (how == leaf_tested::nan_summed) nans.add(v);
        };
        (one(static_cast<var_t<S>*>(nullptr), leaves.inputs[S]), ...);
        (one(static_cast<param_t<K>*>(nullptr), leaves.params[K]), ...);
        constexpr auto compared = plan::template leaves_tested<leaf_tested::nan_compared>;
        t.flag = or_nan_in_listed<0, compared[N + P]>(t.flag, leaves, compared);
    }(std::make_index_sequence<N>{}, std::make_index_sequence<P>{});
    t.flag = t.flag || suspicious_results<Stored, watched, FirstGradient, RegularParams, known>(out, nans) ||
             suspicious_results<Reduced, watched, 0, RegularParams, known>(reduced, nans);
    if constexpr (plan::summed) t.sum = nans.sum;
    return t;
}

// Every value of every parameter finite and nonzero.
template <class T, std::size_t P>
bool params_regular(std::array<std::span<T const>, P> const& params) {
    // An integer reduction without a branch, which the compiler vectorises:
    // every call reads every per-channel value, and 1024 slopes tested one
    // by one (a chain of dependent compares) took about 0.8 us, seven times
    // prelu's forward over 4096 elements with one slope.
    using C = compute_type_t<T>;
    unsigned irregular = 0;
    for (auto const& values : params) {
        for (T stored : values) {
            C const v = static_cast<C>(stored);  // bfloat16 in float
            irregular |= unsigned(!(std::fabs(v) < std::numeric_limits<C>::infinity())) | unsigned(v == 0);
        }
    }
    return irregular == 0;
}

// ParamsMayBeNan: false where the kernel checked them all finite.
template <class Stored, class Reduced, std::size_t FirstGradient, bool ParamsMayBeNan, class C, class V, std::size_t N,
          std::size_t P, bool F>
ACTX_INLINE void fix_nan_lanes(dag::leaves<C, V, N, P, F> const& leaves, std::array<V, Stored::size>& out,
                               std::array<V, Reduced::size>& reduced) {
    using Ln = lanes<V>;
    // The inputs whose NaN some gradient would lose (relu's x and dy;
    // leaky_relu's x only, its gradient carries dy's NaN), in order.
    constexpr auto tested = [] {
        std::array<std::size_t, N + 1> list{};  // then how many
        [&]<std::size_t... S>(std::index_sequence<S...>) {
            ((gradients_carry_nan<Stored, Reduced, FirstGradient, var_t<S>> ? void() : void(list[list[N]++] = S)), ...);
        }(std::make_index_sequence<N>{});
        return list;
    }();
    constexpr std::size_t count = tested[N];
    constexpr bool test_params = ParamsMayBeNan && P > 0;
    if constexpr (count == 0 && !test_params) {
        return;
    } else if constexpr (!test_params && (count == 1 || (count == 2 && Ln::nan_where_nan_in_one &&
                                                          Stored::size - FirstGradient + Reduced::size == 1))) {
        // One input to test, or on AVX-512 two into a single gradient
        // (relu's x and dy): each gradient that loses an input's NaN takes
        // it itself, with no mask (one vfixupimm per input on AVX-512).  The
        // unordered compare of two inputs and the masked move below are two
        // instructions too, but a compare into a mask register is the
        // scarcer: relu's backward took 0.032 -> 0.027 ns per element.
        [&]<std::size_t... I>(std::index_sequence<I...>) ACTX_INLINE_LAMBDA {
            ([&] {
                constexpr std::size_t s = tested[I];
                [&]<class... S, class... R>(dag::list<S...>, dag::list<R...>) ACTX_INLINE_LAMBDA {
                    [[maybe_unused]] std::size_t j = 0, k = 0;
                    ((++j > FirstGradient && !carries_nan<S, var_t<s>>
                          ? void(out[j - 1] = Ln::nan_where_nan(leaves.inputs[s], out[j - 1]))
                          : void()),
                     ...);
                    ((carries_nan<R, var_t<s>> ? void()
                                               : void(reduced[k] = Ln::nan_where_nan(leaves.inputs[s], reduced[k])),
                      ++k),
                     ...);
                }(Stored{}, Reduced{});
            }(), ...);
        }(std::make_index_sequence<count>{});
        return;
    }
    auto nan_in = nan_in_listed<count>(leaves, tested);
    if constexpr (test_params)
        for (std::size_t k = 0; k < P; ++k) nan_in = nan_in || Ln::nan(leaves.params[k]);
    const V nan(std::numeric_limits<typename Ln::scalar>::quiet_NaN());
    using op::select_value;  // scalars; packs bring theirs by ADL
    for (std::size_t j = FirstGradient; j < Stored::size; ++j) out[j] = select_value(nan_in, nan, out[j]);
    for (std::size_t j = 0; j < Reduced::size; ++j) reduced[j] = select_value(nan_in, nan, reduced[j]);
}

// Whether exceptional_test is needed for this DAG and these results.  Not
// for arithmetic and selects in a forward pass (no primitive to underflow
// or to hide an inf * 0, and NaN inputs give NaN outputs) unless a
// parameter can make the inf * 0 or the DAG has a quotient by a square
// (squared_quotients), nor where fix_nan_lanes does all there is to do.
template <class L, class Stored, class Reduced, std::size_t FirstGradient, bool RegularParams = false>
inline constexpr bool may_have_exceptional_lanes =
    (tested_primitives<L> > 0 || squared_quotients<L> > 0 || has_gradients_v<Stored, Reduced, FirstGradient> ||
     nan_through_params<Stored, RegularParams>) &&
    !nan_only_fix<L, Stored, Reduced, FirstGradient, RegularParams>;

// Whether knowing every parameter finite and nonzero changes the loop
// (prelu's passes then go without the test); the kernel then checks them
// once per call and picks the loop.
template <class L, class Stored, class Reduced, std::size_t FirstGradient>
inline constexpr bool regular_params_help =
    may_have_exceptional_lanes<L, Stored, Reduced, FirstGradient, true> !=
        may_have_exceptional_lanes<L, Stored, Reduced, FirstGradient, false> ||
    nan_only_fix<L, Stored, Reduced, FirstGradient, true> != nan_only_fix<L, Stored, Reduced, FirstGradient, false>;

// The precise per-value decision, taken out of line for a vector whose test
// fired.  `reload()` gives the leaves again, from where they were loaded:
// the rare vector that needs it takes them from memory, so the common path
// need not keep a copy of them in memory for it (which cost two stores per
// vector, and 16% of relu's backward time).
template <class L, class Stored, class Reduced, std::size_t FirstGradient, bool RegularParams, class V, class Reload>
ACTX_INLINE void patch_exceptional_lanes(std::array<V, Stored::size>& out, std::array<V, Reduced::size>& reduced,
                                         Reload const& reload) {
    auto r = patch_exceptional_lanes_slowly<L, Stored, Reduced, FirstGradient, RegularParams>(reload(), out, reduced);
    out = r.out;
    reduced = r.reduced;
}

}  // namespace actx::detail
