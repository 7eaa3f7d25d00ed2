// erf(x): error function, accurate relative to the result near 0 (down to
// subnormal x) and within an ULP of +-1 in the tails.
//
// Method: for |x| < 0.5, the Maclaurin series (2/sqrt pi) x sum (-x^2)^n/(n!(2n+1)),
// 14 terms (truncation < 3e-20), with x^2 exact and the leading
// 1 - x^2/3 + x^4/10 in double-double so that the result is rounded once
// (x^4/10 is still 0.005 of it at x = 0.5); below 2^-500 it reduces to
// (2/sqrt pi) x, computed after scaling x up by 2^600 so that the product is
// not rounded twice when it is subnormal.  For |x| >= 0.5, 1 - erfc|x| with
// erfc from erfc.hpp (erfc|x| <= 0.48, so no cancellation beyond a factor 2);
// +-1 beyond |x| = 6 (erfc 6 < 2^-54).  Odd symmetry keeps erf(-0) = -0.
//
// Measured (tests/unit/math_reference.cpp, against erfq in __float128): max
// 0.501 ULP at x = -0.5258, over 6.0e6 arguments -- log-uniform over every
// finite magnitude (subnormal to DBL_MAX) of both signs, uniform over [-40, 40]
// and [-1, 1], 4e6 evenly spaced float bit patterns, and the special values.
// The test asserts <= 0.51 ULP (1.5e6 points per run).  float overload: max
// 0.500 ULP.
// Cost: a 12-term Horner and ~40 flops of double-double (|x| < 0.5), erfc
// above. About 177 ns a call at -O2 on x86-64, 5 to 13 times the C library's
// double version: the price of the double-double steps (no FMA in constant
// expressions).
#pragma once

#include "erfc.hpp"
#include "exact_arithmetic.hpp"

ACTX_EXACT_ARITHMETIC_BEGIN

namespace actx::math {

constexpr double erf(double x) noexcept {
    if (isnan(x)) return x;
    if (x == 0) return x;
    double a = abs(x);
    double r;
    if (a < 0x1p-500) {
        detail::dd p = detail::mul(detail::two_over_sqrtpi, a * 0x1p600);
        r = detail::scale_round(p, -600);
    } else if (a < 0.5) {
        r = detail::value(detail::erf_small(a, 0.0));
    } else if (a >= 6.0) {
        r = 1.0;
    } else {
        detail::scaled e = detail::erfc_scaled(a, 0.0);
        double p = detail::pow2(e.k);  // e.k >= -55: exact
        r = detail::value(detail::add(detail::dd{-e.y.hi * p, -e.y.lo * p}, 1.0));
    }
    return copysign(r, x);
}
constexpr float erf(float x) noexcept { return static_cast<float>(erf(static_cast<double>(x))); }
template <integer_argument T>
constexpr double erf(T x) noexcept { return erf(static_cast<double>(x)); }

}  // namespace actx::math

ACTX_EXACT_ARITHMETIC_END
