// normcdf(x): standard normal distribution function Phi(x) = erfc(-x/sqrt 2)/2,
// accurate relative to the result in the left tail down to x = -38.4, where
// it becomes subnormal.
//
// Why not 0.5*erfc(-x/sqrt(2)): the rounding of x/sqrt(2) is an argument error
// of up to 2^-53 z, and erfc turns it into a relative error of ~2 z^2 ULP --
// over a thousand ULP at x = -38.  Here z = -x/sqrt 2 is a double-double
// (exact product by the double-double 1/sqrt 2) and erfc.hpp's core takes it
// whole, including through its e^(-z^2) (z^2 formed from both halves).  The
// halving is folded into the final 2^k scaling, so the result is rounded
// once, also when subnormal.  For x > -0.7, Phi = 1 - erfc(z)/2 (or
// (1 - erf z)/2) in double-double; 1 beyond x = 9 (1 - Phi(9) < 2^-54).
//
// Measured (tests/unit/math_reference.cpp, against erfcq(-x/sqrtq(2))/2 in
// __float128): max 0.502 ULP at x = -0.7175, over 6.0e6 arguments -- log-
// uniform over every finite magnitude (subnormal to DBL_MAX) of both signs,
// uniform over [-40, 40] and [-39, -30], 4e6 evenly spaced float bit patterns,
// and the special values. The test asserts <= 0.51 ULP (1.5e6 points per run).
// float overload: max 0.500 ULP.
// Cost: as erfc. About 141 ns a call at -O2 on x86-64, 5 to 13 times the C
// library's double version: the price of the double-double steps (no FMA in
// constant expressions).
#pragma once

#include "erfc.hpp"
#include "exact_arithmetic.hpp"

ACTX_EXACT_ARITHMETIC_BEGIN

namespace actx::math {

constexpr double normcdf(double x) noexcept {
    if (isnan(x)) return x;
    if (x < -40.0) return 0.0;
    if (x > 9.0) return 1.0;
    detail::dd z = -detail::mul(detail::inv_sqrt2, x);
    if (z.hi >= 0.5) {
        detail::scaled e = detail::erfc_scaled(z.hi, z.lo);
        return detail::scale_round(e.y, e.k - 1);
    }
    detail::dd c = detail::erfc_not_right_tail(z.hi, z.lo);
    return detail::value(detail::dd{0.5 * c.hi, 0.5 * c.lo});
}
constexpr float normcdf(float x) noexcept { return static_cast<float>(normcdf(static_cast<double>(x))); }
template <integer_argument T>
constexpr double normcdf(T x) noexcept { return normcdf(static_cast<double>(x)); }

}  // namespace actx::math

ACTX_EXACT_ARITHMETIC_END
