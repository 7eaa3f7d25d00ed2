// sigmoid(x): logistic function 1 / (1 + e^-x).
//
// Method: for x >= 0, 1 / (1 + e^-x); for x < 0, e^x / (1 + e^x) -- so e^t
// is only ever taken of t <= 0 and never overflows, and the small side of the
// function is a quotient of e^x (relative accuracy down to subnormal results)
// rather than 1 minus something.  e^t stays a double-double (exp.hpp's
// reduction before its final rounding) and the quotient is formed in
// double-double, so the result is rounded once.  Below -45, sigmoid(x) and
// e^x differ by a relative 3e-20, under 0.001 ULP: the result is exp(x),
// including its subnormal rounding.  Above 40 the result rounds to 1.
//
// Measured (tests/unit/math_reference.cpp, against 1/(1 + expq(-x)) in
// __float128): max 0.501 ULP at x = -701.8, over 6.0e6 arguments -- log-uniform
// over every finite magnitude (subnormal to DBL_MAX) of both signs, uniform
// over [-40, 40] and [-746, -700], 4e6 evenly spaced float bit patterns, and
// the special values. The test asserts <= 0.51 ULP (1.5e6 points per run).
// float overload: max 0.500 ULP.
// Cost: exp plus a double-double division. About 107 ns a call at -O2 on
// x86-64, 5 to 13 times the C library's double version: the price of the
// double-double steps (no FMA in constant expressions).
#pragma once

#include "exp.hpp"
#include "exact_arithmetic.hpp"

ACTX_EXACT_ARITHMETIC_BEGIN

namespace actx::math {

namespace detail {
// sigmoid(t.hi + t.lo) for -700 <= t.hi <= 40 (callers handle the rest):
// e = e^-|t| as a double-double, then 1/(1 + e) or e/(1 + e), rounded once.
// Also serves gelu_tanh_gate, whose argument is a double-double.
constexpr double sigmoid_of(dd t) noexcept {
    dd minus_abs = t.hi >= 0 ? -t : t;
    scaled e = exp_scaled(minus_abs.hi, minus_abs.lo);
    double p = pow2(e.k);  // k in [-1010, 0]: exact scaling
    dd en{e.y.hi * p, e.y.lo * p};
    dd numerator = t.hi >= 0 ? dd{1.0, 0.0} : en;
    return value(div(numerator, add(en, 1.0)));
}
}  // namespace detail

constexpr double sigmoid(double x) noexcept {
    if (isnan(x)) return x;
    if (x > 40.0) return 1.0;
    if (x < -45.0) return exp(x);
    return detail::sigmoid_of({x, 0.0});
}
constexpr float sigmoid(float x) noexcept { return static_cast<float>(sigmoid(static_cast<double>(x))); }
template <integer_argument T>
constexpr double sigmoid(T x) noexcept { return sigmoid(static_cast<double>(x)); }

}  // namespace actx::math

ACTX_EXACT_ARITHMETIC_END
