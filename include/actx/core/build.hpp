// Building nodes: every node is made here, in canonical and simplified form.
//
// The operators, the primitives and the derivative all build through these
// functions, so every expression the library hands out is already simplified:
// 0*a -> 0, 1*a -> a, a+0 -> a, a-a -> 0, --a -> a, constants folded, the
// arguments of commutative nodes in the canonical order of expression.hpp.
// Simplification never changes a finite result (it only drops terms that are
// exactly zero), with one deliberate exception: 1 - sigmoid(a) becomes
// sigmoid(-a), the same number computed without cancellation, which is what
// keeps sigmoid' = s(1 - s) accurate where s is close to 1.
#pragma once

#include <actx/core/expression.hpp>
#include <actx/core/operations.hpp>

namespace actx {

namespace detail {
template <class E> struct is_op_node { template <class> static constexpr bool of = false; };
template <class Op, class... A> struct is_op_node<node<Op, A...>> {
    template <class Q> static constexpr bool of = std::is_same_v<Op, Q>;
};
template <class Q, class E>
inline constexpr bool is_op_v = is_op_node<E>::template of<Q>;

// void where E has no such argument, so that conditions can name it unguarded.
template <class E> struct first_argument { using type = void; };
template <class Op, class A, class... R> struct first_argument<node<Op, A, R...>> { using type = A; };
template <class E> using first_argument_t = typename first_argument<E>::type;
template <class E> struct second_argument { using type = void; };
template <class Op, class A, class B, class... R> struct second_argument<node<Op, A, B, R...>> {
    using type = B;
};
template <class E> using second_argument_t = typename second_argument<E>::type;

// A comparison is a condition, which only select's first argument takes;
// as the operand of anything else it would be a 0/1 number by accident.
template <class E>
inline constexpr bool is_comparison_v =
    is_op_v<op::lt, E> || is_op_v<op::le, E> || is_op_v<op::gt, E> || is_op_v<op::ge, E>;
template <class... A>
constexpr void check_values() {
    static_assert(!(is_comparison_v<A> || ...),
                  "actx: a comparison is a condition for select(c, a, b), not a value; "
                  "for a 0/1 value write select(c, 1_c, 0_c)");
}

template <class Op, class... A>
constexpr auto fold() {
    return constant<bits(Op::apply(static_cast<double>(A::value)...))>{};
}
}  // namespace detail

template <class A>
constexpr auto make_neg(A) {
    detail::check_values<A>();
    if constexpr (is_constant_v<A>) {
        return constant<bits(-A::value)>{};
    } else if constexpr (detail::is_op_v<op::neg, A>) {
        return detail::first_argument_t<A>{};
    } else {
        return node<op::neg, A>{};
    }
}

template <class A, class B>
constexpr auto make_mul(A, B);

template <class A, class B>
constexpr auto make_add(A a, B b) {
    detail::check_values<A, B>();
    if constexpr (is_zero_v<A>) {
        return b;
    } else if constexpr (is_zero_v<B>) {
        return a;
    } else if constexpr (is_constant_v<A> && is_constant_v<B>) {
        return detail::fold<op::add, A, B>();
    } else if constexpr (std::is_same_v<A, B>) {
        return make_mul(constant<bits(2.0)>{}, a);
    } else if constexpr (detail::is_op_v<op::neg, B>) {
        return node<op::sub, A, detail::first_argument_t<B>>{};
    } else if constexpr (detail::is_op_v<op::neg, A>) {
        return node<op::sub, B, detail::first_argument_t<A>>{};
    } else if constexpr (canonically_before_v<B, A>) {
        return node<op::add, B, A>{};
    } else {
        return node<op::add, A, B>{};
    }
}

template <class A, class B>
constexpr auto make_sub(A a, B b) {
    detail::check_values<A, B>();
    if constexpr (is_zero_v<B>) {
        return a;
    } else if constexpr (is_zero_v<A>) {
        return make_neg(b);
    } else if constexpr (std::is_same_v<A, B>) {
        return zero{};
    } else if constexpr (is_constant_v<A> && is_constant_v<B>) {
        return detail::fold<op::sub, A, B>();
    } else if constexpr (detail::is_op_v<op::neg, B>) {
        return make_add(a, detail::first_argument_t<B>{});
    } else if constexpr (is_one_v<A> && detail::is_op_v<op::sigmoid, B>) {
        return node<op::sigmoid, decltype(make_neg(detail::first_argument_t<B>{}))>{};
    } else {
        return node<op::sub, A, B>{};
    }
}

template <class A, class B>
constexpr auto make_mul(A a, B b) {
    detail::check_values<A, B>();
    if constexpr (is_zero_v<A> || is_zero_v<B>) {
        return zero{};
    } else if constexpr (is_one_v<A>) {
        return b;
    } else if constexpr (is_one_v<B>) {
        return a;
    } else if constexpr (is_constant_v<A> && is_constant_v<B>) {
        return detail::fold<op::mul, A, B>();
    } else if constexpr (is_constant_value<A>(-1.0)) {
        return make_neg(b);
    } else if constexpr (is_constant_value<B>(-1.0)) {
        return make_neg(a);
    } else if constexpr (detail::is_op_v<op::neg, A>) {
        return make_neg(make_mul(detail::first_argument_t<A>{}, b));
    } else if constexpr (detail::is_op_v<op::neg, B>) {
        return make_neg(make_mul(a, detail::first_argument_t<B>{}));
    } else if constexpr (is_constant_v<B>) {
        return make_mul(b, a);
    } else if constexpr (is_constant_v<A> && detail::is_op_v<op::mul, B> &&
                         is_constant_v<detail::first_argument_t<B>>) {
        // c1 * (c2 * e) -> (c1 c2) * e: one rounding instead of two, and a
        // chain-rule product of constants collapses into one factor.
        return make_mul(detail::fold<op::mul, A, detail::first_argument_t<B>>(),
                        detail::second_argument_t<B>{});
    } else if constexpr (canonically_before_v<B, A>) {
        return node<op::mul, B, A>{};
    } else {
        return node<op::mul, A, B>{};
    }
}

template <class A, class B>
constexpr auto make_div(A a, B b) {
    detail::check_values<A, B>();
    if constexpr (is_one_v<B>) {
        return a;
    } else if constexpr (is_zero_v<A>) {
        return zero{};
    } else if constexpr (is_constant_v<A> && is_constant_v<B>) {
        return detail::fold<op::div, A, B>();
    } else if constexpr (detail::is_op_v<op::neg, A>) {
        return make_neg(make_div(detail::first_argument_t<A>{}, b));
    } else if constexpr (detail::is_op_v<op::neg, B>) {
        return make_neg(make_div(a, detail::first_argument_t<B>{}));
    } else {
        return node<op::div, A, B>{};
    }
}

template <class C, class A, class B>
constexpr auto make_select(C, A a, B) {
    detail::check_values<A, B>();
    if constexpr (std::is_same_v<A, B>) {
        return a;
    } else {
        return node<op::select, C, A, B>{};
    }
}

// Comparisons, min, max and the unary primitives: canonical order where the
// operation is commutative, constants folded where every argument is one.
template <class Op, class A>
constexpr auto make_unary(A) {
    detail::check_values<A>();
    if constexpr (is_constant_v<A>) {
        return detail::fold<Op, A>();
    } else {
        return node<Op, A>{};
    }
}

template <class Op, class A, class B>
constexpr auto make_binary(A, B) {
    detail::check_values<A, B>();
    if constexpr (Op::commutative && is_constant_v<A> && is_constant_v<B>) {
        return detail::fold<Op, A, B>();
    } else if constexpr (Op::commutative && canonically_before_v<B, A>) {
        return node<Op, B, A>{};
    } else {
        return node<Op, A, B>{};
    }
}

}  // namespace actx
