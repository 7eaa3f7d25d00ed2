// Expressions are types.  Every node is an empty class template: the tree is
// carried entirely by the type, so two structurally equal subexpressions are
// the same type, and finding a common subexpression is asking is_same.
//
// Leaves:
//   var<I>        the I-th input, bound when the expression is evaluated
//   param<I>      the I-th runtime parameter (a leaky slope, a PReLU weight)
//   constant<B>   a compile-time double whose bit pattern is B (a double cannot
//                 be a template argument on every compiler we support, its bits
//                 can), written by users as 0.5_c
// Nodes:
//   node<Op, Args...>   an operation tag applied to argument expressions
#pragma once

#include <algorithm>
#include <bit>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <type_traits>

namespace actx {

// Marks every expression type; the operators only take part where one operand is one.
struct expression_base {};

template <class E>
concept expression = std::is_base_of_v<expression_base, std::remove_cvref_t<E>> &&
                     std::is_empty_v<std::remove_cvref_t<E>>;

// Every expression can be called on values for its inputs: f(1.0) evaluates
// f at var<0> = 1 (see evaluate.hpp, found by argument-dependent lookup).
template <class Derived>
struct callable : expression_base {
    template <class... X>
    constexpr auto operator()(X const&... x) const {
        return evaluate(Derived{}, x...);
    }
};

template <std::size_t I>
struct var_t : callable<var_t<I>> {
    static constexpr std::size_t index = I;
};
template <std::size_t I>
struct param_t : callable<param_t<I>> {
    static constexpr std::size_t index = I;
};
template <std::uint64_t Bits>
struct constant : callable<constant<Bits>> {
    static constexpr double value = std::bit_cast<double>(Bits);
};
template <class Op, class... Args>
struct node : callable<node<Op, Args...>> {};

template <std::size_t I>
inline constexpr var_t<I> var{};
template <std::size_t I>
inline constexpr param_t<I> param{};

// The bit pattern naming a double as a constant type.
constexpr std::uint64_t bits(double v) noexcept {
    // -0.0 and 0.0 compare equal but are different types; a constant zero is
    // always the positive one so that simplification recognises it.
    return v == 0.0 ? 0u : std::bit_cast<std::uint64_t>(v);
}
using zero = constant<bits(0.0)>;
using one = constant<bits(1.0)>;

// ---- what kind of thing a type is -------------------------------------------------
template <class E> struct is_var : std::false_type {};
template <std::size_t I> struct is_var<var_t<I>> : std::true_type {};
template <class E> struct is_param : std::false_type {};
template <std::size_t I> struct is_param<param_t<I>> : std::true_type {};
template <class E> struct is_constant : std::false_type {};
template <std::uint64_t B> struct is_constant<constant<B>> : std::true_type {};
template <class E> struct is_node : std::false_type {};
template <class Op, class... A> struct is_node<node<Op, A...>> : std::true_type {};

template <class E> inline constexpr bool is_var_v = is_var<std::remove_cvref_t<E>>::value;
template <class E> inline constexpr bool is_param_v = is_param<std::remove_cvref_t<E>>::value;
template <class E> inline constexpr bool is_constant_v = is_constant<std::remove_cvref_t<E>>::value;
template <class E> inline constexpr bool is_node_v = is_node<std::remove_cvref_t<E>>::value;
template <class E> inline constexpr bool is_leaf_v = is_var_v<E> || is_param_v<E>;

template <class E>
constexpr bool is_constant_value(double v) {
    if constexpr (is_constant_v<E>) {
        return std::remove_cvref_t<E>::value == v;
    } else {
        return false;
    }
}
template <class E> inline constexpr bool is_zero_v = is_constant_value<E>(0.0);
template <class E> inline constexpr bool is_one_v = is_constant_value<E>(1.0);

// ---- how many inputs and parameters an expression reads ---------------------------
// arity_of<E>::inputs is one past the highest var index used (0 when none), and
// likewise ::params; evaluation checks the caller bound that many.
template <class E>
struct arity_of {
    static constexpr std::size_t inputs = 0;
    static constexpr std::size_t params = 0;
};
template <std::size_t I>
struct arity_of<var_t<I>> {
    static constexpr std::size_t inputs = I + 1;
    static constexpr std::size_t params = 0;
};
template <std::size_t I>
struct arity_of<param_t<I>> {
    static constexpr std::size_t inputs = 0;
    static constexpr std::size_t params = I + 1;
};
template <class Op, class... A>
struct arity_of<node<Op, A...>> {
    static constexpr std::size_t inputs = std::max({std::size_t{0}, arity_of<A>::inputs...});
    static constexpr std::size_t params = std::max({std::size_t{0}, arity_of<A>::params...});
};

// ---- canonical order --------------------------------------------------------------
// Commutative nodes (+, *, min, max) keep their two arguments in this order, so
// that a*b and b*a are the same type.  The order: constants first (by value),
// then inputs, then parameters (by index), then nodes (by operation id, then
// arguments left to right).  Nothing else depends on which order this is, only
// that it is total and fixed.
namespace detail {
template <class E> inline constexpr int kind_rank = 3;
template <std::uint64_t B> inline constexpr int kind_rank<constant<B>> = 0;
template <std::size_t I> inline constexpr int kind_rank<var_t<I>> = 1;
template <std::size_t I> inline constexpr int kind_rank<param_t<I>> = 2;

template <class A, class B>
struct compare;  // ::value is -1, 0 or 1

template <class A, class B>
inline constexpr int compare_v = compare<A, B>::value;

template <int... R>
constexpr int first_nonzero() {
    int result = 0;
    ((result == 0 ? (result = R, 0) : 0), ...);
    return result;
}

template <class A, class B>
struct compare {
    static constexpr int value = [] {
        constexpr int ra = kind_rank<A>, rb = kind_rank<B>;
        if constexpr (ra != rb) {
            return ra < rb ? -1 : 1;
        } else {
            return 0;  // unreachable: every same-kind pair has a specialisation
        }
    }();
};
template <std::uint64_t X, std::uint64_t Y>
struct compare<constant<X>, constant<Y>> {
    static constexpr double x = constant<X>::value, y = constant<Y>::value;
    static constexpr int value = x < y ? -1 : y < x ? 1 : X < Y ? -1 : Y < X ? 1 : 0;
};
template <std::size_t X, std::size_t Y>
struct compare<var_t<X>, var_t<Y>> {
    static constexpr int value = X < Y ? -1 : X > Y ? 1 : 0;
};
template <std::size_t X, std::size_t Y>
struct compare<param_t<X>, param_t<Y>> {
    static constexpr int value = X < Y ? -1 : X > Y ? 1 : 0;
};
template <class OpA, class... A, class OpB, class... B>
struct compare<node<OpA, A...>, node<OpB, B...>> {
    static constexpr int value = [] {
        if constexpr (OpA::id != OpB::id) {
            return OpA::id < OpB::id ? -1 : 1;
        } else if constexpr (sizeof...(A) != sizeof...(B)) {
            return sizeof...(A) < sizeof...(B) ? -1 : 1;
        } else {
            return first_nonzero<compare_v<A, B>...>();
        }
    }();
};
}  // namespace detail

template <class A, class B>
inline constexpr bool canonically_before_v = detail::compare_v<A, B> < 0;

}  // namespace actx
