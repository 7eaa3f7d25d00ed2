// Evaluating an expression on values: one recursive function over the node
// types, for any value type T (double in a constant expression, float or
// double at run time, and the SIMD and counting types of the kernels).
//
//   f(x0, x1, ...)                                 inputs only
//   evaluate(f, inputs(x0, ...), params(p0, ...))  inputs and parameters
//
// Integers promote to double.  An expression that reads var<I> or param<I>
// beyond what the call binds stops compilation with a one-line reason.
#pragma once

#include <actx/core/operators.hpp>

#include <array>

namespace actx {

namespace detail {
template <class X>
using promoted_t = std::conditional_t<std::is_integral_v<X>, double, X>;
}  // namespace detail

template <class T, std::size_t N>
struct bound_values {
    std::array<T, N> values;
};

template <class... X>
constexpr auto inputs(X const&... x) {
    using T = std::common_type_t<detail::promoted_t<X>..., float>;
    return bound_values<T, sizeof...(X)>{{static_cast<T>(x)...}};
}
template <class... X>
constexpr auto params(X const&... x) {
    using T = std::common_type_t<detail::promoted_t<X>..., float>;
    return bound_values<T, sizeof...(X)>{{static_cast<T>(x)...}};
}

// The values an evaluation reads: its inputs and its parameters.
template <class T, std::size_t N, std::size_t P>
struct environment {
    std::array<T, N> inputs;
    std::array<T, P> params;
};

namespace detail {
template <class T, std::size_t N, std::size_t P, std::size_t I>
constexpr T value_of(var_t<I>, environment<T, N, P> const& env) {
    return env.inputs[I];
}
template <class T, std::size_t N, std::size_t P, std::size_t I>
constexpr T value_of(param_t<I>, environment<T, N, P> const& env) {
    return env.params[I];
}
template <class T, std::size_t N, std::size_t P, std::uint64_t B>
constexpr T value_of(constant<B>, environment<T, N, P> const&) {
    return T(constant<B>::value);
}
template <class T, std::size_t N, std::size_t P, class Op, class... A>
constexpr auto value_of(node<Op, A...>, environment<T, N, P> const& env) {
    return Op::apply(value_of(A{}, env)...);
}
// A scalar select evaluates only the branch it takes: the other may overflow
// or divide by zero, which is harmless at run time but not allowed in a
// constant expression.
template <class T, std::size_t N, std::size_t P, class C, class A, class B>
constexpr T value_of(node<op::select, C, A, B>, environment<T, N, P> const& env) {
    auto condition = value_of(C{}, env);
    if constexpr (std::is_same_v<decltype(condition), bool>) {
        return condition ? value_of(A{}, env) : value_of(B{}, env);
    } else {
        return op::select::apply(condition, value_of(A{}, env), value_of(B{}, env));
    }
}
}  // namespace detail

// evaluate(f, inputs(...), params(...)): f at the bound values.
template <class E, class T, std::size_t N, std::size_t P>
constexpr T evaluate(E const&, bound_values<T, N> const& in, bound_values<T, P> const& par) {
    static_assert(arity_of<E>::inputs <= N,
                  "actx: the expression reads an input var<I> that the call does not bind; "
                  "pass one value for each of var<0> ... var<I>");
    static_assert(arity_of<E>::params <= P,
                  "actx: the expression reads a parameter param<I> that the call does not bind; "
                  "use evaluate(f, inputs(...), params(...))");
    if constexpr (arity_of<E>::inputs <= N && arity_of<E>::params <= P) {
        return detail::value_of(E{}, environment<T, N, P>{in.values, par.values});
    } else {
        return T{};
    }
}

template <class E, class T, std::size_t N>
constexpr T evaluate(E const& e, bound_values<T, N> const& in) {
    return evaluate(e, in, bound_values<T, 0>{});
}

// f(x0, x1, ...): f with var<I> bound to the I-th argument.
template <class E, class... X>
    requires(expression<E> && (std::is_arithmetic_v<X> && ...))
constexpr auto evaluate(E const& e, X const&... x) {
    return evaluate(e, inputs(x...), bound_values<std::common_type_t<detail::promoted_t<X>..., float>, 0>{});
}

}  // namespace actx
