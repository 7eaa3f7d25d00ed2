// Evaluating a DAG (dag.hpp) for one vector of elements: every slot once,
// in order, into a tuple; each expression's value is then read from its slot.
//
// The value type V is anything with arithmetic, comparisons and the
// primitives found by argument-dependent lookup: actx::vector::pack for the
// kernels, float or double for scalar checks, a counting type in the tests.
#pragma once

#include <actx/core/inline.hpp>
#include <actx/kernel/dag.hpp>
#include <actx/math/vector/detail/divider.hpp>
#include <actx/math/math.hpp>

#include <array>
#include <cstdint>
#include <limits>
#include <tuple>
#include <utility>

namespace actx::dag {

// For scalar value types: the joint evaluations, written with the scalar
// primitives.  Vector types bring their own (one exp per pair) by ADL.
template <class T>
struct sigmoid_pair_result {
    T positive;           // sigmoid(a)
    T negative;           // sigmoid(-a)
    T product;            // sigmoid(a) sigmoid(-a)
    T softplus;           // log1pexp(a)
    T softplus_negative;  // log1pexp(-a)
};
template <class T>
    requires std::is_floating_point_v<T>
constexpr sigmoid_pair_result<T> sigmoid_pair(T a) {
    T p = ::actx::math::sigmoid(a), m = ::actx::math::sigmoid(-a);
    return {p, m, p * m, ::actx::math::log1pexp(a), ::actx::math::log1pexp(-a)};
}
template <class T>
struct exp_pair_result {
    T exp;
    T expm1;
};
template <class T>
    requires std::is_floating_point_v<T>
constexpr exp_pair_result<T> exp_pair(T a) {
    return {::actx::math::exp(a), ::actx::math::expm1(a)};
}
template <class T>
struct normal_pair_result {
    T cdf;
    T pdf;
    T derivative;  // cdf + a pdf, the derivative of a normcdf(a) as the core writes it
};
template <class T>
    requires std::is_floating_point_v<T>
constexpr normal_pair_result<T> normal_pair(T a) {
    T cdf = ::actx::math::normcdf(a), pdf = ::actx::math::normpdf(a);
    return {cdf, pdf, a * pdf + cdf};
}

template <class T>
struct gelu_tanh_gate_pair_result {
    T positive;  // gelu_tanh_gate(a)
    T negative;  // gelu_tanh_gate(-a)
    T product;     // gelu_tanh_gate(a) gelu_tanh_gate(-a)
    T derivative;  // gelu_tanh_gate'(a), the core's formula
};
template <class T>
    requires std::is_floating_point_v<T>
constexpr gelu_tanh_gate_pair_result<T> gelu_tanh_gate_pair(T a) {
    T p = ::actx::math::gelu_tanh_gate(a), m = ::actx::math::gelu_tanh_gate(-a);
    using slope = ::actx::math::gelu_tanh_gate_slope;
    constexpr T limit = T(slope::limit);
    T c = a < -limit ? -limit : a > limit ? limit : a;
    return {p, m, p * m, (p * m) * slope::at_clamped(c)};
}
template <class T>
struct tanh_sigmoids_result {
    T tanh;      // tanh(a)
    T positive;  // sigmoid(2a)
    T negative;  // sigmoid(-2a)
    T product;   // sigmoid(2a) sigmoid(-2a)
    T tanhshrink;  // a - tanh(a)
};
template <class T>
    requires std::is_floating_point_v<T>
constexpr tanh_sigmoids_result<T> tanh_sigmoids(T a) {
    T p = ::actx::math::sigmoid(2 * a), m = ::actx::math::sigmoid(-2 * a);
    return {::actx::math::tanh(a), p, m, p * m, ::actx::math::tanhshrink(a)};
}

template <class T>
struct softplus_tanh_result {
    T tanh;        // tanh(log1pexp(a))
    T positive;    // sigmoid(2 log1pexp(a))
    T negative;    // sigmoid(-2 log1pexp(a))
    T product;     // sigmoid(2 log1pexp(a)) sigmoid(-2 log1pexp(a))
    T derivative;  // d/da tanh(log1pexp(a)), the core's formula
};
template <class T>
    requires std::is_floating_point_v<T>
constexpr softplus_tanh_result<T> softplus_tanh(T a) {
    T l = ::actx::math::log1pexp(a);
    T p = ::actx::math::sigmoid(2 * l), m = ::actx::math::sigmoid(-2 * l);
    return {::actx::math::tanh(l), p, m, p * m, (4 * (p * m)) * ::actx::math::sigmoid(a)};
}

// Where the leaves' values come from for the current vector of elements.
// FuseProducts: whether a sum or difference of a product is evaluated as
// one fused multiply-add (compute_node below); off for formulas that must
// round operation for operation as written (backward from the output, as
// PyTorch computes it).
template <class T, class V, std::size_t N, std::size_t P, bool FuseProducts = true>
struct leaves {
    using scalar = T;  // what constants are converted to before they become V
    std::array<V, N> inputs;
    std::array<V, P> params;
};

template <class V, class E> struct value_type { using type = V; };
template <class V, class Op, class A, class B>
    requires(std::is_same_v<Op, op::lt> || std::is_same_v<Op, op::le> || std::is_same_v<Op, op::gt> ||
             std::is_same_v<Op, op::ge>)
struct value_type<V, node<Op, A, B>> {
    using type = decltype(std::declval<V>() < std::declval<V>());
};
template <class V, class E> using value_type_t = typename value_type<V, E>::type;

template <class V, class S> struct result_type { using type = V; };
template <class V, class Op, class... A>
struct result_type<V, node<Op, A...>> {
    using type = decltype(Op::apply(std::declval<value_type_t<V, A>>()...));
};
// Joint evaluations: the scalar ones above, or a vector type's own by ADL.
template <class V> auto sigmoid_pair_of(V v) -> decltype(sigmoid_pair(v));
template <class V> auto normal_pair_of(V v) -> decltype(normal_pair(v));
template <class V> auto exp_pair_of(V v) -> decltype(exp_pair(v));
template <class V> auto exp_pair_unclamped_of(V v) -> decltype(exp_pair_unclamped(v));
template <class V> auto exp_pair_clamped_below_of(V v) -> decltype(exp_pair_clamped_below(v));
template <class V> auto tanh_sigmoids_of(V v) -> decltype(tanh_sigmoids(v));
template <class V> auto gate_pair_of(V v) -> decltype(gelu_tanh_gate_pair(v));
template <class V> auto softplus_tanh_of(V v) -> decltype(softplus_tanh(v));
template <class V, class A> struct result_type<V, sigmoid_slot<A>> {
    using type = decltype(sigmoid_pair_of(std::declval<V>()));
};
template <class V, class A> struct result_type<V, exp_slot<A>> {
    using type = decltype(exp_pair_of(std::declval<V>()));
};
template <class V, class A> struct result_type<V, normal_slot<A>> {
    using type = decltype(normal_pair_of(std::declval<V>()));
};
template <class V, class A> struct result_type<V, gate_slot<A>> {
    using type = decltype(gate_pair_of(std::declval<V>()));
};
template <class V, class A> struct result_type<V, tanh_slot<A>> {
    using type = decltype(tanh_sigmoids_of(std::declval<V>()));
};
template <class V, class A> struct result_type<V, softplus_tanh_slot<A>> {
    using type = decltype(softplus_tanh_of(std::declval<V>()));
};

template <class V, class L> struct memo;
template <class V, class... S> struct memo<V, list<S...>> {
    using type = std::tuple<typename result_type<V, S>::type...>;
};

// Which part of its slot an expression's value is.
template <class E> inline constexpr int member_of = 0;  // the slot's value itself
template <class E>
    requires joint_product<E>::value
inline constexpr int member_of<E> = is_tanh_slot<slot_of_t<E>> || is_softplus_tanh_slot<slot_of_t<E>> ? 4 : 3;
template <class E>
    requires gate_derivative<E>::value
inline constexpr int member_of<E> = 4;
template <class E>
    requires softplus_tanh_derivative<E>::value
inline constexpr int member_of<E> = 5;
template <class E>
    requires normal_derivative<E>::value
inline constexpr int member_of<E> = 3;
template <class A> inline constexpr int member_of<node<op::sigmoid, A>> = 1;
template <class A> inline constexpr int member_of<node<op::sigmoid, node<op::neg, A>>> = 2;
template <class A> inline constexpr int member_of<node<op::log1pexp, A>> = 4;
template <class A> inline constexpr int member_of<node<op::log1pexp, node<op::neg, A>>> = 5;
template <class A> inline constexpr int member_of<node<op::exp, A>> = 1;
template <class A> inline constexpr int member_of<node<op::expm1, A>> = 2;
template <class A> inline constexpr int member_of<node<op::normcdf, A>> = 1;
template <class A> inline constexpr int member_of<node<op::normpdf, A>> = 2;
template <class A> inline constexpr int member_of<node<op::tanh, A>> = 1;
template <class A> inline constexpr int member_of<node<op::tanhshrink, A>> = 5;
template <class A> inline constexpr int member_of<node<op::gelu_tanh_gate, A>> = 1;
template <class A> inline constexpr int member_of<node<op::gelu_tanh_gate, node<op::neg, A>>> = 2;
template <class A> inline constexpr int member_of<node<op::sigmoid, node<op::mul, two, A>>> = 2;
template <class A> inline constexpr int member_of<node<op::sigmoid, node<op::neg, node<op::mul, two, A>>>> = 3;

// E's value, from what its slot computed.
template <class E, class R>
ACTX_ALWAYS_INLINE constexpr auto member(R const& stored) {
    constexpr int k = member_of<E>;
    if constexpr (k == 0) {
        return stored;
    } else if constexpr (is_tanh_slot<slot_of_t<E>>) {
        auto const& [tanh, positive, negative, product, tanhshrink] = stored;
        return k == 1 ? tanh : k == 2 ? positive : k == 3 ? negative : k == 4 ? product : tanhshrink;
    } else if constexpr (is_softplus_tanh_slot<slot_of_t<E>>) {
        auto const& [tanh, positive, negative, product, derivative] = stored;
        return k == 1 ? tanh : k == 2 ? positive : k == 3 ? negative : k == 4 ? product : derivative;
    } else if constexpr (is_exp_slot<slot_of_t<E>>) {
        return k == 1 ? stored.exp : stored.expm1;
    } else if constexpr (is_normal_slot<slot_of_t<E>>) {
        auto const& [cdf, pdf, derivative] = stored;
        return k == 1 ? cdf : k == 2 ? pdf : derivative;
    } else if constexpr (is_gate_slot<slot_of_t<E>>) {
        auto const& [positive, negative, product, derivative] = stored;
        return k == 1 ? positive : k == 2 ? negative : k == 3 ? product : derivative;
    } else {
        auto const& [positive, negative, product, softplus, softplus_negative] = stored;
        return k == 1 ? positive : k == 2 ? negative : k == 3 ? product : k == 4 ? softplus : softplus_negative;
    }
}

template <class L, class E, class Memo>
ACTX_ALWAYS_INLINE constexpr auto read(Memo const& m) {
    return member<E>(std::get<index_of<L, slot_of_t<E>>::value>(m));
}

template <class L, bool Fuse, class Op, class... A, class Memo>
ACTX_ALWAYS_INLINE constexpr auto compute_node(Memo const& m, node<Op, A...>) {
    return Op::apply(read<L, A>(m)...);
}

// A sum or difference with a product as an operand is one fused
// multiply-add where the value type has one (the vector packs): one
// rounding fewer, and it is the one that counts in derivatives such as
// silu' = x (sigmoid(x) sigmoid(-x)) + sigmoid(x), whose terms nearly
// cancel.  The product stays a slot of its own for any other reader.
// Every evaluation of the same expression fuses the same way, so forward,
// backward and forward_backward still give the same bits.
template <class E> struct product_factors : std::false_type {};
template <class X, class Y>
struct product_factors<node<op::mul, X, Y>>  // a product the DAG computes as one (not a joint slot's member)
    : std::bool_constant<std::is_same_v<slot_of_t<node<op::mul, X, Y>>, node<op::mul, X, Y>>> {
    using first = X;
    using second = Y;
};
template <class L, bool Fuse, class E, class Memo>
concept fusable_product = Fuse && product_factors<E>::value && requires(Memo const& m) {
    multiply_add(read<L, E>(m), read<L, E>(m), read<L, E>(m));
};
template <class L, class P, class Memo>
ACTX_ALWAYS_INLINE constexpr auto first_factor(Memo const& m) {
    return read<L, typename product_factors<P>::first>(m);
}
template <class L, class P, class Memo>
ACTX_ALWAYS_INLINE constexpr auto second_factor(Memo const& m) {
    return read<L, typename product_factors<P>::second>(m);
}

template <class L, bool Fuse, class X, class Y, class Memo>
ACTX_ALWAYS_INLINE constexpr auto compute_node(Memo const& m, node<op::add, X, Y>) {
    if constexpr (fusable_product<L, Fuse, X, Memo>) {
        return multiply_add(first_factor<L, X>(m), second_factor<L, X>(m), read<L, Y>(m));
    } else if constexpr (fusable_product<L, Fuse, Y, Memo>) {
        return multiply_add(first_factor<L, Y>(m), second_factor<L, Y>(m), read<L, X>(m));
    } else {
        return op::add::apply(read<L, X>(m), read<L, Y>(m));
    }
}

// A product of a product, x (y z), rounds once: y z = p + e exactly (e from
// one fma), and x p + x e is one fma.  Chains such as dy (b g'(a)) or
// dy (r r) otherwise add a rounding per factor.  Where x e is not finite
// (x infinite, or y z overflowed so that e is NaN) it is dropped, which
// leaves x p: the plain product's inf or NaN.
template <class L, class P, class Memo, class V>
ACTX_ALWAYS_INLINE constexpr auto times_product(Memo const& m, V x) {
    V p = read<L, P>(m);
    V e = multiply_sub(first_factor<L, P>(m), second_factor<L, P>(m), p);
    return multiply_add(x, p, finite_or_zero(x * e));
}

// A product by a power of two is exact: nothing to compensate (tanh's
// 4 (sigmoid(2a) sigmoid(-2a)) times dy, or 2 (y z)).
template <class E> inline constexpr bool power_of_two = false;
template <std::uint64_t Bits>
inline constexpr bool power_of_two<constant<Bits>> =
    (Bits & 0xFFFFFFFFFFFFFull) == 0 && ((Bits >> 52) & 0x7FF) != 0 && ((Bits >> 52) & 0x7FF) != 0x7FF;
template <class P>
inline constexpr bool exact_product =
    power_of_two<typename product_factors<P>::first> || power_of_two<typename product_factors<P>::second>;
template <class L, bool Fuse, class X, class P, class Memo>
concept compensable_product = fusable_product<L, Fuse, P, Memo> && !power_of_two<X> && !exact_product<P>;

template <class L, bool Fuse, class X, class Y, class Memo>
ACTX_ALWAYS_INLINE constexpr auto compute_node(Memo const& m, node<op::mul, X, Y>) {
    if constexpr (compensable_product<L, Fuse, X, Y, Memo>) {
        return times_product<L, Y>(m, read<L, X>(m));
    } else if constexpr (compensable_product<L, Fuse, Y, X, Memo>) {
        return times_product<L, X>(m, read<L, Y>(m));
    } else {
        return op::mul::apply(read<L, X>(m), read<L, Y>(m));
    }
}

template <class L, bool Fuse, class X, class Y, class Memo>
ACTX_ALWAYS_INLINE constexpr auto compute_node(Memo const& m, node<op::sub, X, Y>) {
    if constexpr (fusable_product<L, Fuse, X, Memo>) {
        return multiply_sub(first_factor<L, X>(m), second_factor<L, X>(m), read<L, Y>(m));
    } else if constexpr (fusable_product<L, Fuse, Y, Memo>) {
        return sub_product(first_factor<L, Y>(m), second_factor<L, Y>(m), read<L, X>(m));
    } else {
        return op::sub::apply(read<L, X>(m), read<L, Y>(m));
    }
}

// A quotient by a constant integer k is, for the vector packs, a product by
// c = 1/k corrected by its exact residual (vector::quotient_by_constant),
// which gives t / k's own bits, where c meets the condition under which that
// holds: |c k - 1| <= 2^-(p+1) for p-bit lanes, checked here exactly, for
// an integer k with 3 <= k <= 2^26 that is not a power of two (those the
// compiler may turn into a product itself).  hardsigmoid's and hardswish's
// / 6 are such quotients.  Returns 0 where the condition fails, and the
// division stays.
template <class T>
constexpr T reciprocal_of_constant(double constant_value) {
    const double k = static_cast<double>(static_cast<T>(constant_value));
    // A negative k would turn +0 / k into +0: the correction below keeps the
    // sign of zero for positive divisors only.
    if (!(k >= 3 && k <= 0x1p26)) return T(0);
    if (static_cast<double>(static_cast<long long>(k)) != k) return T(0);
    const auto integer = static_cast<unsigned long long>(k);
    if ((integer & (integer - 1)) == 0) return T(0);
    const T c = static_cast<T>(1.0 / k);
    // c k - 1 = (c_hi k - 1) + c_lo k, c split by Veltkamp into 26 and 27
    // bits: both products are exact (k has at most 26 bits), the difference
    // is exact (c_hi k is close to 1), and the sum s + e is exact (Knuth's
    // two-sum).
    const double g = 134217729.0 * static_cast<double>(c);  // 2^27 + 1
    const double c_hi = g - (g - static_cast<double>(c)), c_lo = static_cast<double>(c) - c_hi;
    const double a = c_hi * k - 1, b = c_lo * k;
    const double s = a + b, bb = s - a, e = (a - (s - bb)) + (b - bb);
    double bound = 1;
    for (int i = 0; i <= std::numeric_limits<T>::digits; ++i) bound /= 2;  // 2^-(p+1)
    const double size = s < 0 ? -s : s;
    const bool within = size < bound || (size == bound && (s < 0 ? e >= 0 : e <= 0));
    return within ? c : T(0);
}
template <class T, std::uint64_t Bits>
inline constexpr T reciprocal_of = reciprocal_of_constant<T>(constant<Bits>::value);

template <class V, std::uint64_t Bits>
concept divides_by_constant = !vector::detail::use_divider && requires(V v) {
    typename V::value_type;
    quotient_by_constant(v, typename V::value_type{}, typename V::value_type{});
} && reciprocal_of<typename V::value_type, Bits> != 0;

// Whether a dividend's quotient by k is never subnormal in T lanes: the
// dividend is x + c, c + x, x - c or c - x for a constant c and an x that
// is not a product (a sum with a product is one fused multiply-add, whose
// exact product is off T's grid), and |c| 2^-(p+1) >= k 2^emin for p-bit
// lanes, 2^emin the smallest normal.  Every nonzero value of such a sum is
// at least |c| 2^-(p+1) in size: where x and c have opposite signs and |x|
// is within a factor of two of |c|, the sum is exact (Sterbenz) and a
// multiple of half c's ULP, which is more than |c| 2^-(p+1); elsewhere it
// is at least |c| / 2.  hardsigmoid's (3 + x) / 6 is such a quotient.
template <class T, class E, std::uint64_t K>
struct never_tiny_dividend_of : std::false_type {};
template <class T, class X, std::uint64_t C, std::uint64_t K>
constexpr bool sum_never_tiny() {
    if (product_factors<X>::value) return false;
    const double value = constant<C>::value, largest = static_cast<double>(std::numeric_limits<T>::max());
    if (!(value >= -largest && value <= largest)) return false;  // NaN, or infinite in T lanes
    const T c = static_cast<T>(value), k = static_cast<T>(constant<K>::value);
    T bound = k * std::numeric_limits<T>::min();
    for (int i = 0; i <= std::numeric_limits<T>::digits; ++i) bound *= 2;  // k 2^emin 2^(p+1)
    return (c < 0 ? -c : c) >= bound;
}
template <class T, class Op, class X, std::uint64_t C, std::uint64_t K>
    requires(std::is_same_v<Op, op::add> || std::is_same_v<Op, op::sub>)
struct never_tiny_dividend_of<T, node<Op, X, constant<C>>, K> : std::bool_constant<sum_never_tiny<T, X, C, K>()> {};
template <class T, class Op, class X, std::uint64_t C, std::uint64_t K>
    requires(std::is_same_v<Op, op::add> || std::is_same_v<Op, op::sub>)
struct never_tiny_dividend_of<T, node<Op, constant<C>, X>, K> : std::bool_constant<sum_never_tiny<T, X, C, K>()> {};
template <class T, class E, std::uint64_t K>
inline constexpr bool never_tiny_dividend = never_tiny_dividend_of<T, E, K>::value;

template <class L, bool Fuse, class X, std::uint64_t Bits, class Memo>
    requires divides_by_constant<std::remove_cvref_t<decltype(read<L, X>(std::declval<Memo const&>()))>, Bits>
ACTX_ALWAYS_INLINE constexpr auto compute_node(Memo const& m, node<op::div, X, constant<Bits>>) {
    using V = std::remove_cvref_t<decltype(read<L, X>(m))>;
    using T = typename V::value_type;
    if constexpr (never_tiny_dividend<T, X, Bits>)
        return normal_quotient_by_constant(read<L, X>(m), static_cast<T>(constant<Bits>::value), reciprocal_of<T, Bits>);
    else
        return quotient_by_constant(read<L, X>(m), static_cast<T>(constant<Bits>::value), reciprocal_of<T, Bits>);
}

// A quotient by 1 + |a| is, for the float packs on AVX-512 without the
// divider, a product by a refined reciprocal estimate, corrected by its
// exact residual: the bits of the division
// (vector::quotient_by_at_least_one).  softsign's derivative divides dy by
// it twice (kernel.hpp, times_upstream): the vector packs divide once, by
// its square (vector::quotient_by_square).
template <class L, bool Fuse, class X, class D, class Memo>
    requires(!vector::detail::use_divider) && at_least_one<D> &&
            requires(Memo const& m) { quotient_by_at_least_one(read<L, X>(m), read<L, D>(m)); }
ACTX_ALWAYS_INLINE constexpr auto compute_node(Memo const& m, node<op::div, X, D>) {
    return quotient_by_at_least_one(read<L, X>(m), read<L, D>(m));
}
template <class L, bool Fuse, class X, class D, class Memo>
    requires at_least_one<D> && requires(Memo const& m) { quotient_by_square(read<L, X>(m), read<L, D>(m)); }
ACTX_ALWAYS_INLINE constexpr auto compute_node(Memo const& m, node<op::div, node<op::div, X, D>, D>) {
    return quotient_by_square(read<L, X>(m), read<L, D>(m));
}

// Clamps.  select(a <= k, k, a) is at_least(a, k) and select(a >= k, k, a)
// at_most(a, k) (one vmaxps / vminps on x86, math/vector/pack.hpp) for a
// constant k that is neither zero nor NaN, even in float; and hardtanh's
// select(a <= j, j, select(a >= k, k, a)) with j < k is at_least of the
// inner select (which is at most a, and at most j exactly where a is), as
// is the mirror image with at_most.  The value types without at_least
// (scalars) take the selects as written.
template <class E> inline constexpr bool clamp_bound = false;
template <std::uint64_t Bits>
inline constexpr bool clamp_bound<constant<Bits>> =
    static_cast<float>(constant<Bits>::value) != 0 && constant<Bits>::value == constant<Bits>::value;
template <class E> inline constexpr double bound_of = 0;
template <std::uint64_t Bits> inline constexpr double bound_of<constant<Bits>> = constant<Bits>::value;

// The value B of select(a <= k, k, B) (Below) or select(a >= k, k, B) is a
// itself, or the opposite clamp of a to a bound beyond k.
template <class B, class A, class K, bool Below> inline constexpr bool clamps = std::is_same_v<B, A>;
template <class A, class K, class J>
inline constexpr bool clamps<node<op::select, node<op::ge, A, J>, J, A>, A, K, true> =
    clamp_bound<J> && bound_of<K> < bound_of<J>;
template <class A, class K, class J>
inline constexpr bool clamps<node<op::select, node<op::le, A, J>, J, A>, A, K, false> =
    clamp_bound<J> && bound_of<J> < bound_of<K>;

template <class L, bool Fuse, class A, class K, class B, class Memo>
    requires clamp_bound<K> && clamps<B, A, K, true> && requires(Memo const& m) { at_least(read<L, B>(m), read<L, K>(m)); }
ACTX_ALWAYS_INLINE constexpr auto compute_node(Memo const& m, node<op::select, node<op::le, A, K>, K, B>) {
    return at_least(read<L, B>(m), read<L, K>(m));
}
template <class L, bool Fuse, class A, class K, class B, class Memo>
    requires clamp_bound<K> && clamps<B, A, K, false> && requires(Memo const& m) { at_most(read<L, B>(m), read<L, K>(m)); }
ACTX_ALWAYS_INLINE constexpr auto compute_node(Memo const& m, node<op::select, node<op::ge, A, K>, K, B>) {
    return at_most(read<L, B>(m), read<L, K>(m));
}

// elu's and celu's select(x <= 0, expm1(x), x) (alpha = 1): at x = +-0
// both branches are x, so the select is select(x < 0, e, x) with e the
// joint slot's expm1_below_zero (math/vector/expm1.hpp): expm1's bits
// for every x < 0, without expm1's test of |x| < 2^-60 (a compare and a
// blend) or its doubling.  The same bits; the scalars (the reference path)
// take the select as written.
template <class X> using elu_select = node<op::select, node<op::le, X, zero>, node<op::expm1, X>, X>;
template <class L, class X, class Memo>
concept has_expm1_below_zero =
    requires(Memo const& m) { std::get<index_of<L, exp_slot<X>>::value>(m).expm1_below_zero; };
template <class L, class X, class Memo>
ACTX_ALWAYS_INLINE constexpr auto expm1_below_zero_of(Memo const& m) {
    return std::get<index_of<L, exp_slot<X>>::value>(m).expm1_below_zero;
}
// x < 0, the condition of the selects here.
template <class L, class X, class Memo>
ACTX_ALWAYS_INLINE constexpr auto below_zero(Memo const& m) {
    using V = std::remove_cvref_t<decltype(expm1_below_zero_of<L, X>(m))>;
    return op::lt::apply(read<L, X>(m), V(typename V::value_type(0)));
}
template <class L, bool Fuse, class X, class Memo>
    requires has_expm1_below_zero<L, X, Memo>
ACTX_ALWAYS_INLINE constexpr auto compute_node(Memo const& m, elu_select<X>) {
    return op::select::apply(below_zero<L, X>(m), expm1_below_zero_of<L, X>(m), read<L, X>(m));
}

// Their gradient select(x <= 0, dy e^x, dy) beside that select
// (forward_backward): e^x is 1 at x = +-0, where dy e^x is then dy, so
// the select is select(x < 0, dy e^x, dy), the same bits, with the
// forward's compare.  Alone (backward) it keeps x <= 0.
template <class E, class X, class M> inline constexpr bool times_exp_of = false;
template <class X, class M> inline constexpr bool times_exp_of<node<op::mul, M, node<op::exp, X>>, X, M> = true;
template <class X, class M> inline constexpr bool times_exp_of<node<op::mul, node<op::exp, X>, M>, X, M> = true;
template <class L, bool Fuse, class X, class A, class M, class Memo>
    requires times_exp_of<A, X, M> && contains<L, elu_select<X>>::value && has_expm1_below_zero<L, X, Memo>
ACTX_ALWAYS_INLINE constexpr auto compute_node(Memo const& m, node<op::select, node<op::le, X, zero>, A, M>) {
    return op::select::apply(below_zero<L, X>(m), read<L, A>(m), read<L, M>(m));
}

// selu's select(x <= 0, k expm1(x), m) (and elu's with a constant or
// learned alpha) is select(x < 0, k e, select(x <= 0, k x, m)), e as
// above: at x = +-0 the value is k expm1(x) = k x.  Where m is x or c x
// with constants k and c of one sign (selu's 1.7581 expm1(x) and 1.0507 x,
// elu's alpha expm1(x) and x for a constant alpha > 0), m is k x's very
// zero there, and the inner select goes: select(x < 0, k e, m), one compare
// and one product fewer.  The same bits either way.

// The sign of a finite nonzero constant K: 1, -1, or 0 for anything else.
template <class K> inline constexpr int sign_of_constant = 0;
template <std::uint64_t Bits>
inline constexpr int sign_of_constant<constant<Bits>> =
    constant<Bits>::value > 0 && constant<Bits>::value <= std::numeric_limits<double>::max()    ? 1
    : constant<Bits>::value < 0 && constant<Bits>::value >= -std::numeric_limits<double>::max() ? -1
                                                                                                  : 0;
// Whether m(+-0) is k (+-0), sign and all.  A product of a constant and x
// has the constant first (the canonical order, core/expression.hpp); in
// any other shape the select keeps its inner branch, the same bits.
template <class K, class X, class M> inline constexpr bool zero_as_scaled = false;
template <class K, class X> inline constexpr bool zero_as_scaled<K, X, X> = sign_of_constant<K> == 1;
template <class K, class X, class C>
inline constexpr bool zero_as_scaled<K, X, node<op::mul, C, X>> =
    sign_of_constant<K> != 0 && sign_of_constant<K> == sign_of_constant<C>;
template <class L, bool Fuse, class X, class K, class M, class Memo>
    requires has_expm1_below_zero<L, X, Memo>
ACTX_ALWAYS_INLINE constexpr auto compute_node(
    Memo const& m, node<op::select, node<op::le, X, zero>, node<op::mul, K, node<op::expm1, X>>, M>) {
    auto const k = read<L, K>(m);
    auto const below = op::mul::apply(k, expm1_below_zero_of<L, X>(m));
    if constexpr (zero_as_scaled<K, X, M>) {
        return op::select::apply(below_zero<L, X>(m), below, read<L, M>(m));
    } else {
        auto const at_zero = op::select::apply(read<L, node<op::le, X, zero>>(m), op::mul::apply(k, read<L, X>(m)),
                                               read<L, M>(m));
        return op::select::apply(below_zero<L, X>(m), below, at_zero);
    }
}

// softplus's select(x > 20, x, log1pexp(x)) (beta = 1, PyTorch's threshold):
// log1pexp of the float packs is x itself above 20 (softplus_from,
// math/vector/detail/float_kernels.hpp), so the select is that value, the
// same bits with one blend fewer per vector.  Double packs and the scalars
// take the select as written: their log1pexp is x + log1p(e^-x) there.
template <class V>
concept float_vector_pack = requires {
    typename V::batch_type;
    requires std::is_same_v<typename V::value_type, float>;
};
template <class L, bool Fuse, class X, class Memo>
    requires float_vector_pack<std::remove_cvref_t<decltype(read<L, X>(std::declval<Memo const&>()))>>
ACTX_ALWAYS_INLINE constexpr auto compute_node(
    Memo const& m, node<op::select, node<op::gt, X, constant<bits(20.0)>>, X, node<op::log1pexp, X>>) {
    return read<L, node<op::log1pexp, X>>(m);
}

// Relaxed: exp slots S whose pair the value type may compute with less of
// the clamp of the argument, where it has these (math/vector/expm1.hpp;
// which slots: kernel/exceptional.hpp, relaxed_exp_slots):
// unclamped<S>, exp_pair_unclamped; clamped_below<S>, exp_pair_clamped_below.
template <class S> struct unclamped {};
template <class S> struct clamped_below {};
// Whether a slot of L has E as an operand.
template <class L, class E> inline constexpr bool read_by_slot = false;
template <class... S, class E>
inline constexpr bool read_by_slot<list<S...>, E> = (contains<typename slot_children<S>::type, E>::value || ...);
template <class L, class S, class Relaxed, class T, class V, std::size_t N, std::size_t P, bool F, class Memo>
ACTX_ALWAYS_INLINE constexpr auto compute(Memo const& m, leaves<T, V, N, P, F> const& in) {
    if constexpr (is_var_v<S>) {
        return in.inputs[S::index];
    } else if constexpr (is_param_v<S>) {
        return in.params[S::index];
    } else if constexpr (is_constant_v<S>) {
        return V(static_cast<T>(S::value));
    } else if constexpr (is_sigmoid_slot<S>) {
        return sigmoid_pair(read<L, typename S::argument>(m));
    } else if constexpr (is_normal_slot<S>) {
        return normal_pair(read<L, typename S::argument>(m));
    } else if constexpr (is_exp_slot<S>) {
        auto const& x = read<L, typename S::argument>(m);
        constexpr bool relaxed_unclamped = contains<Relaxed, unclamped<S>>::value;
        auto pair = [&] {
            if constexpr (relaxed_unclamped && requires { exp_pair_unclamped_of(x); })
                return exp_pair_unclamped(x);
            else if constexpr (contains<Relaxed, clamped_below<S>>::value &&
                               requires { exp_pair_clamped_below_of(x); })
                return exp_pair_clamped_below(x);
            else
                return exp_pair(x);
        }();
        // Where the DAG reads both e^x and e^x - 1 (the elu family's
        // forward_backward), e^x from expm1's own 2^n where the value type
        // has that (math/vector/expm1.hpp, exp_beside_expm1): in a loop
        // that classifies e^x (unclamped<S>), so that an element whose e^x
        // is below the normal floats, where the two differ, is recomputed.
        using X = typename S::argument;
        if constexpr (relaxed_unclamped && read_by_slot<L, node<op::exp, X>> &&
                      read_by_slot<L, node<op::expm1, X>> && requires { pair.exp_beside_expm1; })
            pair.exp = pair.exp_beside_expm1;
        return pair;
    } else if constexpr (is_tanh_slot<S>) {
        return tanh_sigmoids(read<L, typename S::argument>(m));
    } else if constexpr (is_gate_slot<S>) {
        return gelu_tanh_gate_pair(read<L, typename S::argument>(m));
    } else if constexpr (is_softplus_tanh_slot<S>) {
        return softplus_tanh(read<L, typename S::argument>(m));
    } else {
        return compute_node<L, F>(m, S{});
    }
}

// Every slot of L, in order, for the current elements; the exp slots as
// Relaxed says (compute).
template <class L, class Relaxed = list<>, class T, class V, std::size_t N, std::size_t P, bool F>
ACTX_ALWAYS_INLINE constexpr auto evaluate(leaves<T, V, N, P, F> const& in) {
    typename memo<V, L>::type m{};
    [&]<std::size_t... K>(std::index_sequence<K...>) ACTX_INLINE_LAMBDA {
        ((std::get<K>(m) = compute<L, std::tuple_element_t<K, as_tuple_t<L>>, Relaxed>(m, in)), ...);
    }(std::make_index_sequence<L::size>{});
    return m;
}

}  // namespace actx::dag
