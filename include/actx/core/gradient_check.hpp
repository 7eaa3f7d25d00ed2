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

// f's derivative with respect to v agrees with finite differences at every
// point.  Each point gives values for all of f's inputs (a plain number for a
// one-input f); when v is param<I>, `bound_params` gives the parameters and
// the point is the value of v.
template <class F, class V, std::size_t N>
constexpr bool gradient_check(F f, V v, std::initializer_list<std::array<double, N>> points,
                              double tolerance = 1e-7) {
    static_assert(is_var_v<V>, "actx: gradient_check takes var<I>; for a parameter, see the overload with params");
    constexpr auto derivative = d(F{}, V{});
    for (auto const& p : points) {
        double x = p[V::index];
        double h = 1e-3 * (distance(x, 0) > 1 ? distance(x, 0) : 1);
        auto at = [&](double shift) {
            auto q = p;
            q[V::index] = x + shift;
            return evaluate(f, bound_values<double, N>{q});
        };
        double numeric = (at(-2 * h) - 8 * at(-h) + 8 * at(h) - at(2 * h)) / (12 * h);
        double symbolic = evaluate(derivative, bound_values<double, N>{p});
        if (!near(symbolic, numeric, tolerance)) return false;
        (void)v;
    }
    return true;
}

template <class F, class V>
constexpr bool gradient_check(F f, V v, std::initializer_list<double> points, double tolerance = 1e-7) {
    for (double x : points) {
        if (!gradient_check(f, v, {std::array<double, 1>{x}}, tolerance)) return false;
    }
    return true;
}

// For a parameter: the inputs are fixed, the parameter values vary.
template <class F, std::size_t I, std::size_t N, std::size_t P>
constexpr bool gradient_check(F f, param_t<I>, bound_values<double, N> at_inputs,
                              std::initializer_list<std::array<double, P>> parameter_points,
                              double tolerance = 1e-7) {
    constexpr auto derivative = d(F{}, param_t<I>{});
    for (auto const& p : parameter_points) {
        double x = p[I];
        double h = 1e-3 * (distance(x, 0) > 1 ? distance(x, 0) : 1);
        auto at = [&](double shift) {
            auto q = p;
            q[I] = x + shift;
            return evaluate(f, at_inputs, bound_values<double, P>{q});
        };
        double numeric = (at(-2 * h) - 8 * at(-h) + 8 * at(h) - at(2 * h)) / (12 * h);
        double symbolic = evaluate(derivative, at_inputs, bound_values<double, P>{p});
        if (!near(symbolic, numeric, tolerance)) return false;
    }
    return true;
}

}  // namespace actx
