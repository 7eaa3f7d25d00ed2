// expm1(x): e^x - 1, accurate relative to the result also where it is tiny.
//
// Method: for |x| <= ln2/2 the reduced series of exp.hpp directly (x + x^2/2
// in double-double, x^2 exact, so tiny x keep full relative accuracy and
// subnormal x return themselves).  Beyond, with x = k ln2 + r:
// e^x - 1 = 2^k expm1(r) + (2^k - 1), summed in double-double because the two
// terms have opposite signs for r < 0 and cancel by up to a factor 2.5 (near
// x = ln2/2) -- a plain double sum would lose more than an ULP there.
// Saturates to -1 below -38 (e^x < 2^-54 cannot move -1) and to exp(x) above
// 709 (where 2^k itself would overflow).
//
// Measured (tests/unit/math_reference.cpp, against expm1q in __float128): max
// 0.502 ULP at x = 0.394, over 6.0e6 arguments -- log-uniform over every finite
// magnitude (subnormal to DBL_MAX) of both signs, uniform over [-40, 40] and
// [-1, 710], 4e6 evenly spaced float bit patterns, and the special values. The
// test asserts <= 0.51 ULP (1.5e6 points per run).  float overload: max 0.500
// ULP.
// Cost: as exp, plus a double-double add. About 78 ns a call at -O2 on x86-64,
// 5 to 13 times the C library's double version: the price of the double-double
// steps (no FMA in constant expressions).
#pragma once

#include "exp.hpp"
#include "exact_arithmetic.hpp"

ACTX_EXACT_ARITHMETIC_BEGIN

namespace actx::math {
namespace detail {

// e^x - 1 as a double-double for -40 <= x <= 709 (relative error ~2^-60).
constexpr dd expm1_dd(double x) noexcept {
    if (abs(x) <= 0.34657359027997264) return expm1_reduced(x, 0.0);  // ln2/2
    double kd = round_nearest(x * inv_ln2);
    int k = static_cast<int>(kd);
    dd r = two_sum(x - kd * ln2_hi, -kd * ln2_lo);
    dd em1 = expm1_reduced(r.hi, r.lo);
    double p = pow2(k);
    return add(dd{em1.hi * p, em1.lo * p}, two_sum(p, -1.0));
}

}  // namespace detail

constexpr double expm1(double x) noexcept {
    if (isnan(x)) return x;
    if (x == 0) return x;  // keeps the sign of zero
    if (x < -38.0) return -1.0;
    if (x > 709.0) return exp(x);  // 1 is far below half an ULP
    return detail::value(detail::expm1_dd(x));
}
constexpr float expm1(float x) noexcept { return static_cast<float>(expm1(static_cast<double>(x))); }
template <integer_argument T>
constexpr double expm1(T x) noexcept { return expm1(static_cast<double>(x)); }

}  // namespace actx::math

ACTX_EXACT_ARITHMETIC_END
