// Checking a derivative against finite differences, in a constant expression:
//
//   static_assert(actx::gradient_check(gelu(x), x, {-3.0, -0.5, 0.25, 2.0}));
//
// At each point the symbolic d(f, v) is compared with a fourth-order central
// difference (f(v-2h) - 8 f(v-h) + 8 f(v+h) - f(v+2h)) / 12h, with h = 1e-3
// max(1, |v|): its truncation error is h^4 f^(5) / 30, and its rounding error
// about 1e-16 |f| / h, both far below the default tolerance.  Points must stay
// 2h away from kinks (relu at 0, hardswish at +-3), where no difference
// quotient means anything.
#pragma once

#include <actx/core/derivative.hpp>
#include <actx/core/evaluate.hpp>

#include <initializer_list>

namespace actx {

constexpr double distance(double a, double b) { return a < b ? b - a : a - b; }

// near(a, b): |a - b| <= tolerance max(1, |b|): a relative check for large
// values and an absolute one near zero, for static_assert on values.
constexpr bool near(double a, double b, double tolerance = 1e-12) {
    double scale = b < 0 ? -b : b;
    return distance(a, b) <= tolerance * (scale > 1 ? scale : 1);
}

namespace detail {
// Symbolic against fourth-order central differences at one point; `at(shift)`
// evaluates f with the checked variable moved by `shift`.
template <class Evaluate>
constexpr bool agrees(double symbolic, double x, Evaluate at, double tolerance) {
    double h = 1e-3 * (distance(x, 0) > 1 ? distance(x, 0) : 1);
    double numeric = (at(-2 * h) - 8 * at(-h) + 8 * at(h) - at(2 * h)) / (12 * h);
    return near(symbolic, numeric, tolerance);
}
}  // namespace detail

// f's derivative with respect to the input v agrees with finite differences
// at every point; a point gives values for all of f's inputs:
//   gradient_check(swiglu(x, y), y, {{-1.0, 2.0}, {0.5, -3.0}})
template <class F, std::size_t I, std::size_t M, std::size_t N>
constexpr bool gradient_check(F f, var_t<I>, double const (&points)[M][N], double tolerance = 1e-7) {
    static_assert(I < N, "actx: gradient_check's points give no value for the checked var<I>");
    constexpr auto derivative = d(F{}, var_t<I>{});
    for (auto const& row : points) {
        bound_values<double, N> p{};
        for (std::size_t k = 0; k < N; ++k) p.values[k] = row[k];
        auto at = [&](double shift) {
            auto q = p;
            q.values[I] += shift;
            return evaluate(f, q);
        };
        if (!detail::agrees(evaluate(derivative, p), p.values[I], at, tolerance)) return false;
    }
    return true;
}

// The same for a one-input f: gradient_check(gelu(x), x, {-3.0, 0.5, 2.0})
template <class F, std::size_t I>
constexpr bool gradient_check(F f, var_t<I> v, std::initializer_list<double> points,
                              double tolerance = 1e-7) {
    for (double x : points) {
        double const row[1][1] = {{x}};
        if (!gradient_check(f, v, row, tolerance)) return false;
    }
    return true;
}

// For a parameter: the inputs are fixed, each point gives all parameters.
//   gradient_check(prelu(x, p), p, inputs(-1.5), {{0.25}, {0.1}})
template <class F, std::size_t I, std::size_t N, std::size_t M, std::size_t P>
constexpr bool gradient_check(F f, param_t<I>, bound_values<double, N> at_inputs,
                              double const (&parameter_points)[M][P], double tolerance = 1e-7) {
    static_assert(I < P, "actx: gradient_check's points give no value for the checked param<I>");
    constexpr auto derivative = d(F{}, param_t<I>{});
    for (auto const& row : parameter_points) {
        bound_values<double, P> p{};
        for (std::size_t k = 0; k < P; ++k) p.values[k] = row[k];
        auto at = [&](double shift) {
            auto q = p;
            q.values[I] += shift;
            return evaluate(f, at_inputs, q);
        };
        if (!detail::agrees(evaluate(derivative, at_inputs, p), p.values[I], at, tolerance)) return false;
    }
    return true;
}

}  // namespace actx
