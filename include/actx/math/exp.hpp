// exp(x): e^x.
//
// Method: Cody-Waite reduction x = k ln2 + r, |r| <= ln2/2, with ln 2 carried
// to 95 bits (k*ln2_hi exact) so that r is exact to ~2^-86 absolute even for
// |x| ~ 745; then e^r = 1 + r + r^2/2 + r^3 P(r), P the Taylor series to
// r^14/14! (truncation < 3e-19 relative at |r| = ln2/2).  Terms up to r^3/6
// are formed in double-double (r^2 exact) because they are large enough that
// their rounding would show in the result; the r^4 tail is small enough
// (< 6e-4) to be summed in double.  The scaling by 2^k rounds once, also
// into the subnormal range (detail::scale_round).
// The reduction also accepts x as a double-double (xh + xl): gauss, normpdf
// and erfc pass -z^2 that way, because e^-(z^2) amplifies an absolute error
// in z^2 (up to ~745) into the same relative error of the result.
//
// Measured (tests/unit/math_reference.cpp, against expq in __float128): max
// 0.501 ULP at x = -10.74, over 6.0e6 arguments -- log-uniform over every
// finite magnitude (subnormal to DBL_MAX) of both signs, uniform over [-40, 40]
// and [-746, 710], 4e6 evenly spaced float bit patterns, and the special
// values. The test asserts <= 0.51 ULP (1.5e6 points per run).  float overload:
// max 0.500 ULP.
// Cost: ~12 multiply-adds in double plus ~70 flops of double-double; no
// division. (The float overload computes in double and rounds once.)  About 48
// ns a call at -O2 on x86-64, 5 to 13 times the C library's double version: the
// price of the double-double steps (no FMA in constant expressions).
#pragma once

#include "detail.hpp"
#include "exact_arithmetic.hpp"

ACTX_EXACT_ARITHMETIC_BEGIN

namespace actx::math {
namespace detail {

// expm1(r) for r = rh + rl, |rh| <= ~0.35, as a double-double with relative
// error ~2^-60 (the tail's rounding), accurate relative to tiny r.
constexpr dd expm1_reduced(double rh, double rl) noexcept {
    // 1/n! for n = 14 down to 4; each n! is exact in double, so each is rounded once.
    constexpr double c[] = {1.0 / 87178291200.0, 1.0 / 6227020800.0, 1.0 / 479001600.0,
                            1.0 / 39916800.0,    1.0 / 3628800.0,    1.0 / 362880.0,
                            1.0 / 40320.0,       1.0 / 5040.0,       1.0 / 720.0,
                            1.0 / 120.0,         1.0 / 24.0};
    constexpr dd sixth{0x1.5555555555555p-3, 0x1.5555555555555p-57};  // 1/6
    // r + r^2 (1/2 + r (1/6 + r P(r))): the r^4 tail (< 6e-4) in double, the
    // outer steps in double-double -- with r^3/6 (~0.007) in double its
    // rounding alone showed as 0.03 ULP after the cancellation in expm1.
    dd r = fast_two_sum(rh, rl);
    dd t = add(sixth, rh * horner(rh, c));
    t = add(mul(t, r), 0.5);
    dd sq = two_prod(rh, rh);
    sq.lo += 2.0 * rh * rl;
    return add(mul(t, sq), r);
}

// e^(xh + xl) as y * 2^k; needs |xh| <= ~790 and |xl| <= ulp(xh).
constexpr scaled exp_scaled(double xh, double xl) noexcept {
    double kd = round_nearest(xh * inv_ln2);
    double a = xh - kd * ln2_hi;                // exact: kd*ln2_hi exact, operands close
    double b = xl - kd * ln2_lo;
    dd r = two_sum(a, b);
    dd em1 = expm1_reduced(r.hi, r.lo);
    dd y = two_sum(1.0, em1.hi);
    y = fast_two_sum(y.hi, y.lo + em1.lo);
    return {y, static_cast<int>(kd)};
}

}  // namespace detail

constexpr double exp(double x) noexcept {
    if (isnan(x)) return x;
    if (x > 709.782712893384) return detail::infinity;  // > ln(DBL_MAX)
    if (x < -745.2) return 0.0;                         // below ln(2^-1075): rounds to 0
    detail::scaled e = detail::exp_scaled(x, 0.0);
    return detail::scale_round(e.y, e.k);
}
constexpr float exp(float x) noexcept { return static_cast<float>(exp(static_cast<double>(x))); }
template <integer_argument T>
constexpr double exp(T x) noexcept { return exp(static_cast<double>(x)); }

}  // namespace actx::math

ACTX_EXACT_ARITHMETIC_END
