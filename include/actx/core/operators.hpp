// What users write: + - * / and unary minus, comparisons, select, min, max,
// and the primitives exp, expm1, log, log1p, sqrt, tanh, erf, erfc, sigmoid,
// abs, sign, plus log1pexp (log(1 + e^a) without overflow), gauss (e^(-a^2)),
// normcdf and normpdf (the standard normal's distribution and density) and
// gelu_tanh_gate (sigmoid of GELU's tanh-form cubic), which exist because the
// obvious compositions lose their digits in the tails.
//
// An operator takes part when either operand is an actx expression; anything
// else on the other side stops compilation with a one-line reason.
#pragma once

#include <actx/core/build.hpp>

namespace actx {

namespace detail {
template <class T>
inline constexpr bool always_false = false;

// The one place operands are checked, so every operator says the same thing.
template <class A>
constexpr void check_operand() {
    if constexpr (std::is_arithmetic_v<std::remove_cvref_t<A>>) {
        static_assert(always_false<A>,
                      "actx: a run-time number cannot be part of an expression type; "
                      "write a constant as 2_c or 0.5_c, or bind it at the call as param<I>");
    } else if constexpr (!expression<A>) {
        static_assert(always_false<A>, "actx: an operand is neither an actx expression nor a number");
    }
}
}  // namespace detail

template <class A, class B>
concept operands = expression<A> || expression<B>;

#define ACTX_BINARY_OPERATOR(symbol, build)                                      \
    template <class A, class B>                                                  \
        requires operands<A, B>                                                  \
    constexpr auto operator symbol(A const&, B const&) {                         \
        detail::check_operand<A>();                                              \
        detail::check_operand<B>();                                              \
        if constexpr (expression<A> && expression<B>) {                          \
            return build;                                                        \
        } else {                                                                 \
            return zero{}; /* unreachable: the checks above stopped compilation */ \
        }                                                                        \
    }

ACTX_BINARY_OPERATOR(+, make_add(A{}, B{}))
ACTX_BINARY_OPERATOR(-, make_sub(A{}, B{}))
ACTX_BINARY_OPERATOR(*, make_mul(A{}, B{}))
ACTX_BINARY_OPERATOR(/, make_div(A{}, B{}))
ACTX_BINARY_OPERATOR(<, (make_binary<op::lt>(A{}, B{})))
ACTX_BINARY_OPERATOR(<=, (make_binary<op::le>(A{}, B{})))
ACTX_BINARY_OPERATOR(>, (make_binary<op::gt>(A{}, B{})))
ACTX_BINARY_OPERATOR(>=, (make_binary<op::ge>(A{}, B{})))
#undef ACTX_BINARY_OPERATOR

template <expression A>
constexpr auto operator-(A a) {
    return make_neg(a);
}
template <expression A>
constexpr auto operator+(A a) {
    return a;
}

template <class C>
inline constexpr bool is_condition_v = detail::is_comparison_v<C>;

// select(condition, a, b): a where the condition holds, b elsewhere.  The
// derivative is select(condition, a', b'): the condition's side decides which
// branch a kink belongs to, which is how each PyTorch convention is written.
template <class C, class A, class B>
constexpr auto select(C const&, A const&, B const&) {
    static_assert(is_condition_v<C>,
                  "actx: select's first argument must be a comparison such as x > 0_c");
    detail::check_operand<A>();
    detail::check_operand<B>();
    if constexpr (expression<A> && expression<B> && is_condition_v<C>) {
        return make_select(C{}, A{}, B{});
    } else {
        return zero{};  // unreachable: the checks above stopped compilation
    }
}

template <class A, class B>
    requires operands<A, B>
constexpr auto min(A const&, B const&) {
    detail::check_operand<A>();
    detail::check_operand<B>();
    if constexpr (expression<A> && expression<B>) {
        return make_binary<op::min>(A{}, B{});
    } else {
        return zero{};  // unreachable: the checks above stopped compilation
    }
}
template <class A, class B>
    requires operands<A, B>
constexpr auto max(A const&, B const&) {
    detail::check_operand<A>();
    detail::check_operand<B>();
    if constexpr (expression<A> && expression<B>) {
        return make_binary<op::max>(A{}, B{});
    } else {
        return zero{};  // unreachable: the checks above stopped compilation
    }
}

#define ACTX_UNARY_FUNCTION(name)                                                \
    template <expression A>                                                      \
    constexpr auto name(A a) {                                                   \
        return make_unary<op::name>(a);                                          \
    }

ACTX_UNARY_FUNCTION(abs)
ACTX_UNARY_FUNCTION(sign)
ACTX_UNARY_FUNCTION(exp)
ACTX_UNARY_FUNCTION(expm1)
ACTX_UNARY_FUNCTION(log)
ACTX_UNARY_FUNCTION(log1p)
ACTX_UNARY_FUNCTION(sqrt)
ACTX_UNARY_FUNCTION(tanh)
ACTX_UNARY_FUNCTION(erf)
ACTX_UNARY_FUNCTION(erfc)
ACTX_UNARY_FUNCTION(sigmoid)
ACTX_UNARY_FUNCTION(log1pexp)
ACTX_UNARY_FUNCTION(gauss)
ACTX_UNARY_FUNCTION(normcdf)
ACTX_UNARY_FUNCTION(normpdf)
ACTX_UNARY_FUNCTION(gelu_tanh_gate)
#undef ACTX_UNARY_FUNCTION

}  // namespace actx
