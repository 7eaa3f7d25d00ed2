// log1p(x): log(1 + x), accurate relative to the result also for tiny x.
//
// Method: 1 + x is formed exactly as a double-double (two_sum), split into
// 2^e (mh + ml) and passed whole to the logarithm core of log.hpp, so the
// rounding of 1 + x -- the whole problem with log(1 + x) -- never happens.
// For tiny x the core's quotient f = x/(2 + x) carries x exactly, which gives
// relative accuracy down to subnormal x.  Above 2^60, 1/x is below 2^-60 of
// log x and log1p(x) is log(x).
//
// Measured (tests/unit/math_reference.cpp, against log1pq in __float128): max
// 0.500 ULP at x = 0.480, over 6.0e6 arguments -- log-uniform over every finite
// magnitude (subnormal to DBL_MAX) of both signs, uniform over [-40, 40] and
// [-1, 1], 4e6 evenly spaced float bit patterns, and the special values. The
// test asserts <= 0.51 ULP (1.5e6 points per run).  float overload: max 0.500
// ULP.
// Cost: as log plus a two_sum. About 59 ns a call at -O2 on x86-64, 5 to 13
// times the C library's double version: the price of the double-double steps
// (no FMA in constant expressions).
#pragma once

#include "log.hpp"
#include "exact_arithmetic.hpp"

ACTX_EXACT_ARITHMETIC_BEGIN

namespace actx::math {

constexpr double log1p(double x) noexcept {
    if (isnan(x)) return x;
    // Below 2^-54, x - x^2/2 rounds to x (and the quotient x/(2+x) of the core
    // would underflow for subnormal x); this also keeps the sign of zero.
    if (abs(x) < 0x1p-54) return x;
    if (x == -1.0) return -detail::infinity;
    if (x < -1.0) return detail::quiet_nan;
    if (isinf(x)) return x;
    if (x > 0x1p60) return log(x);
    detail::dd u = detail::two_sum(1.0, x);
    detail::exponent_mantissa em = detail::split_exponent(u.hi);
    double scale = detail::pow2(-em.e);
    return detail::value(detail::log_core(em.e, em.m, u.lo * scale));
}
constexpr float log1p(float x) noexcept { return static_cast<float>(log1p(static_cast<double>(x))); }
template <integer_argument T>
constexpr double log1p(T x) noexcept { return log1p(static_cast<double>(x)); }

}  // namespace actx::math

ACTX_EXACT_ARITHMETIC_END
