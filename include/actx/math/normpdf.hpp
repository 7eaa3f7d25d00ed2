// normpdf(x): standard normal density e^(-x^2/2) / sqrt(2 pi).
//
// Why not exp(-x*x/2)/sqrt(2*pi): as for gauss.hpp, rounding x^2/2 costs up
// to ~x^2/4 ULP of the result (hundreds near x = 38), and dividing by a
// rounded sqrt(2 pi) costs another rounding.  Here x^2/2 is exact as a
// double-double, e^-(x^2/2) stays a double-double (exp.hpp's reduction), the
// product with 1/sqrt(2 pi) (a double-double constant) is taken in
// double-double, and the scaling by 2^k rounds once, also into the subnormal
// range.  Zero beyond |x| = 38.7 (x^2/2 > 748).
//
// Measured (tests/unit/math_reference.cpp, against expq(-x*x/2)/sqrtq(2 pi) in
// __float128): max 0.501 ULP at x = 15.64, over 6.0e6 arguments -- log-uniform
// over every finite magnitude (subnormal to DBL_MAX) of both signs, uniform
// over [-40, 40] and [35, 39], 4e6 evenly spaced float bit patterns, and the
// special values. The test asserts <= 0.51 ULP (1.5e6 points per run).  float
// overload: max 0.500 ULP.
// Cost: exp plus one exact product and one double-double product. About 60 ns a
// call at -O2 on x86-64, 5 to 13 times the C library's double version: the
// price of the double-double steps (no FMA in constant expressions).
#pragma once

#include "exp.hpp"
#include "exact_arithmetic.hpp"

ACTX_EXACT_ARITHMETIC_BEGIN

namespace actx::math {

constexpr double normpdf(double x) noexcept {
    if (isnan(x)) return x;
    double a = abs(x);
    if (a > 38.7) return 0.0;
    detail::dd sq = detail::two_prod(a, a);
    detail::scaled e = detail::exp_scaled(-0.5 * sq.hi, -0.5 * sq.lo);
    return detail::scale_round(detail::mul(e.y, detail::inv_sqrt2pi), e.k);
}
constexpr float normpdf(float x) noexcept { return static_cast<float>(normpdf(static_cast<double>(x))); }
template <integer_argument T>
constexpr double normpdf(T x) noexcept { return normpdf(static_cast<double>(x)); }

}  // namespace actx::math

ACTX_EXACT_ARITHMETIC_END
