// to_string(f): any expression, derivatives included, as readable math.
//
//   to_string(silu(x))        "x * sigmoid(x)"
//   to_string(d(silu(x), x))  "sigmoid(x) + x * (sigmoid(x) * sigmoid(-x))"
//
// Inputs print as x, y, z, w, then x4, x5, ...; parameters as p0, p1, ...;
// pass names to choose others.  Constants print in the shortest form that
// reads back as the same double.  Parentheses appear only where precedence
// needs them.
#pragma once

#include <actx/core/expression.hpp>
#include <actx/core/operations.hpp>

#include <charconv>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

namespace actx {

struct names {
    std::vector<std::string> inputs;
    std::vector<std::string> params;

    std::string input(std::size_t i) const {
        if (i < inputs.size()) return inputs[i];
        constexpr std::string_view defaults[] = {"x", "y", "z", "w"};
        return i < 4 ? std::string(defaults[i]) : "x" + std::to_string(i);
    }
    std::string param(std::size_t i) const {
        return i < params.size() ? params[i] : "p" + std::to_string(i);
    }
};

namespace detail {
inline std::string format_number(double v) {
    char buffer[32];
    auto result = std::to_chars(buffer, buffer + sizeof buffer, v);
    return std::string(buffer, result.ptr);
}

template <class E>
struct printer;

template <class E>
constexpr int precedence_of = 5;  // leaves never need parentheses...
template <std::uint64_t B>
constexpr int precedence_of<constant<B>> = constant<B>::value < 0 ? 3 : 5;  // ...but -2 binds like a minus
template <class Op, class... A>
constexpr int precedence_of<node<Op, A...>> = Op::precedence;

template <class E>
std::string print_operand(names const& n, int context, bool right_operand) {
    std::string s = printer<E>::print(n);
    int p = precedence_of<E>;
    bool parenthesise = p < context || (right_operand && p == context);
    return parenthesise ? "(" + s + ")" : s;
}

template <std::size_t I>
struct printer<var_t<I>> {
    static std::string print(names const& n) { return n.input(I); }
};
template <std::size_t I>
struct printer<param_t<I>> {
    static std::string print(names const& n) { return n.param(I); }
};
template <std::uint64_t B>
struct printer<constant<B>> {
    static std::string print(names const&) { return format_number(constant<B>::value); }
};
template <class Op, class... A>
struct printer<node<Op, A...>> {
    static std::string print(names const& n) {
        if constexpr (Op::style == op::notation::infix) {
            static_assert(sizeof...(A) == 2);
            return print_infix<A...>(n);
        } else if constexpr (Op::style == op::notation::prefix) {
            return std::string(Op::symbol) + print_operand<A...>(n, Op::precedence, false);
        } else {
            std::string s = std::string(Op::symbol) + "(";
            bool first = true;
            ((s += (first ? "" : ", ") + printer<A>::print(n), first = false), ...);
            return s + ")";
        }
    }
    // A right operand of equal precedence keeps its parentheses even where the
    // operation is commutative: floating-point + and * are not associative, and
    // the printout shows the order in which the code evaluates.
    template <class L, class R>
    static std::string print_infix(names const& n) {
        return print_operand<L>(n, Op::precedence, false) + " " + Op::symbol + " " +
               print_operand<R>(n, Op::precedence, true);
    }
};
}  // namespace detail

template <class E>
    requires expression<E>
std::string to_string(E const&, names const& n = {}) {
    return detail::printer<E>::print(n);
}

}  // namespace actx
