// d(f, v): the derivative of f with respect to the leaf v, as a type.
//
// The chain rule is applied node by node and every product and sum is built
// through build.hpp, so the result is simplified as it is made.  All rules are
// in this file.  Where a primitive's derivative can be written with the
// primitive's own value, it is (exp' = exp, sigmoid' = s(1 - s), normpdf' =
// -a normpdf), so a fused kernel computes the primitive once for both passes.
// Two rules deliberately trade that reuse for accuracy, and say why below.
#pragma once

#include <actx/core/operators.hpp>

namespace actx {

namespace detail {
inline constexpr double two_over_sqrt_pi = 1.1283791670955125739;  // 2/sqrt(pi)

template <class V, class E>
constexpr auto derive(E e);

// The local derivative of a unary primitive: f'(a), given the node f(a) itself.
template <class A, class Self>
constexpr auto local_derivative(op::exp, A, Self self) { return self; }
template <class A, class Self>
constexpr auto local_derivative(op::expm1, A a, Self) {
    // exp(a), not expm1(a) + 1: the latter cancels to nothing for a << 0.
    return exp(a);
}
template <class A, class Self>
constexpr auto local_derivative(op::log, A a, Self) { return make_div(one{}, a); }
template <class A, class Self>
constexpr auto local_derivative(op::log1p, A a, Self) { return make_div(one{}, make_add(one{}, a)); }
template <class A, class Self>
constexpr auto local_derivative(op::sqrt, A, Self self) {
    return make_div(constant<bits(0.5)>{}, self);
}
template <class A, class Self>
constexpr auto local_derivative(op::sigmoid, A, Self self) {
    // s (1 - s); build.hpp turns 1 - sigmoid(a) into sigmoid(-a), which keeps
    // the digits that 1 - s loses when s is near 1.
    return make_mul(self, make_sub(one{}, self));
}
template <class A, class Self>
constexpr auto local_derivative(op::tanh, A a, Self) {
    // 1 - tanh(a)^2 would reuse the value, but it is exactly 0 in double for
    // |a| > 19 where the true derivative is 4e^(-2|a|) (a normal number), and
    // has lost most digits long before.  4 s(2a) s(-2a) is the same quantity
    // with no cancellation anywhere.
    constexpr auto twice = constant<bits(2.0)>{};
    return make_mul(constant<bits(4.0)>{},
                    make_mul(sigmoid(make_mul(twice, a)), sigmoid(make_neg(make_mul(twice, a)))));
}
template <class A, class Self>
constexpr auto local_derivative(op::erf, A a, Self) {
    return make_mul(constant<bits(two_over_sqrt_pi)>{}, gauss(a));
}
template <class A, class Self>
constexpr auto local_derivative(op::erfc, A a, Self) {
    return make_mul(constant<bits(-two_over_sqrt_pi)>{}, gauss(a));
}
template <class A, class Self>
constexpr auto local_derivative(op::log1pexp, A a, Self) { return sigmoid(a); }
template <class A, class Self>
constexpr auto local_derivative(op::gauss, A a, Self self) {
    return make_mul(make_mul(constant<bits(-2.0)>{}, a), self);
}
template <class A, class Self>
constexpr auto local_derivative(op::normcdf, A a, Self) { return normpdf(a); }
template <class A, class Self>
constexpr auto local_derivative(op::normpdf, A a, Self self) { return make_neg(make_mul(a, self)); }
template <class A, class Self>
constexpr auto local_derivative(op::tanhshrink, A a, Self) {
    // 1 - tanh'(a) = tanh(a)^2, with no cancellation near 0.
    return make_mul(tanh(a), tanh(a));
}
template <class A, class Self>
constexpr auto local_derivative(op::gelu_tanh_gate, A a, Self self) {
    // g' = g(a) g(-a) t'(a), t' = 2 sqrt(2/pi) (1 + 3 0.044715 a^2): the gate
    // is sigmoid(t) with t odd, so 1 - g(a) = g(-a) without cancellation.  t'
    // is evaluated at a clamped to [-30, 30], where g(a) g(-a) is already 0
    // in double, so that t' never overflows into an inf * 0.
    using slope_of = math::gelu_tanh_gate_slope;  // the kernels evaluate the same formula
    constexpr auto limit = constant<bits(slope_of::limit)>{};
    auto clamped = make_binary<op::min>(make_binary<op::max>(a, make_neg(limit)), limit);
    auto slope = make_add(constant<bits(slope_of::constant)>{},
                          make_mul(constant<bits(slope_of::quadratic)>{}, make_mul(clamped, clamped)));
    return make_mul(make_mul(self, gelu_tanh_gate(make_neg(a))), slope);
}
template <class A, class Self>
constexpr auto local_derivative(op::softsign, A a, Self) {
    // (1 / (1 + |a|))^2; the quotient rule on a / (1 + |a|) cancels instead,
    // and squaring the denominator first overflows for |a| > 1.8e19 in float.
    auto reciprocal = make_div(one{}, make_add(one{}, abs(a)));
    return make_mul(reciprocal, reciprocal);
}
template <class A, class Self>
constexpr auto local_derivative(op::abs, A a, Self) {
    // PyTorch: abs'(x) = sgn(x), so 0 at 0.
    return sign(a);
}
template <class A, class Self>
constexpr auto local_derivative(op::sign, A, Self) { return zero{}; }

template <class V, class Op, class A>
constexpr auto derive_node(node<Op, A> self) {
    if constexpr (std::is_same_v<Op, op::neg>) {
        return make_neg(derive<V>(A{}));
    } else {
        return make_mul(local_derivative(Op{}, A{}, self), derive<V>(A{}));
    }
}

// min and max: PyTorch's minimum/maximum send the gradient to the smaller
// (larger) argument and split it evenly at a tie.
template <class Op, class A, class B, class DA, class DB>
constexpr auto derive_extremum(DA da, DB db) {
    using first_wins = std::conditional_t<std::is_same_v<Op, op::min>, node<op::lt, A, B>,
                                          node<op::gt, A, B>>;
    using second_wins = std::conditional_t<std::is_same_v<Op, op::min>, node<op::lt, B, A>,
                                           node<op::gt, B, A>>;
    return make_select(first_wins{}, da,
                       make_select(second_wins{}, db,
                                   make_mul(constant<bits(0.5)>{}, make_add(da, db))));
}

template <class V, class Op, class A, class B>
constexpr auto derive_node(node<Op, A, B> self) {
    [[maybe_unused]] constexpr auto da = derive<V>(A{});
    [[maybe_unused]] constexpr auto db = derive<V>(B{});
    if constexpr (std::is_same_v<Op, op::add>) {
        return make_add(da, db);
    } else if constexpr (std::is_same_v<Op, op::sub>) {
        return make_sub(da, db);
    } else if constexpr (std::is_same_v<Op, op::mul>) {
        return make_add(make_mul(da, B{}), make_mul(A{}, db));
    } else if constexpr (std::is_same_v<Op, op::div>) {
        // (a/b)' = (a' - (a/b) b') / b: reuses the quotient itself.
        return make_div(make_sub(da, make_mul(self, db)), B{});
    } else if constexpr (std::is_same_v<Op, op::min> || std::is_same_v<Op, op::max>) {
        return derive_extremum<Op, A, B>(da, db);
    } else {
        static_assert(always_false<Op>, "actx: a comparison has no derivative; use it inside select");
        return zero{};
    }
}

template <class V, class C, class A, class B>
constexpr auto derive_node(node<op::select, C, A, B>) {
    return make_select(C{}, derive<V>(A{}), derive<V>(B{}));
}

template <class V, class E>
constexpr auto derive(E e) {
    if constexpr (std::is_same_v<E, V>) {
        return one{};
    } else if constexpr (!is_node_v<E>) {
        return zero{};
    } else {
        return derive_node<V>(e);
    }
}
}  // namespace detail

// d(f, v): the derivative of expression f with respect to v, an input var<I>
// or a parameter param<I>.  Apply it again for higher derivatives.
template <class E, class V>
constexpr auto d(E const&, V const&) {
    static_assert(expression<E>, "actx: d(f, v) differentiates an actx expression; f is not one");
    static_assert(is_leaf_v<V>,
                  "actx: d(f, v) differentiates with respect to var<I> or param<I>, not a compound "
                  "expression or a constant");
    if constexpr (expression<E> && is_leaf_v<V>) {
        return detail::derive<V>(E{});
    } else {
        return zero{};  // unreachable: the checks above stopped compilation
    }
}

}  // namespace actx
