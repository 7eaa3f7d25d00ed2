// tanhshrink(x) = x - tanh(x).
//
// Method: for |x| >= 2 the difference itself (it is at least half of |x|, so
// the subtraction loses under a bit).  Below, x - tanh(x) ~ x^3/3 cancels all
// but a few bits, so it is computed without tanh: halve |x| k times to
// h < 1/64, where the Taylor series h^3/3 - 2h^5/15 + 17h^7/315 - 62h^9/2835
// + 1382h^11/155925 converges to far below an ulp, then double back k times
// with the identity (t = tanh h = h - r)
//     r(2h) = 2 (r(h) + h t^2) / (1 + t^2),
// whose terms are all positive: no cancellation, and the relative error of
// r(h) reaches r(2h) scaled by r / (r + h t^2) ~ 1/4, so errors do not grow.
// Measured (tests/unit/math_reference.cpp, against __float128 with a series
// reference near 0): max 3.65 ULP at x = -0.587 over 1.5e6 arguments; each
// doubling step rounds about five times and the damping leaves ~3 ulp in the
// steady state.  The test asserts <= 4.  float overload: max 0.500 ULP.
// Cost: up to 7 doublings (3 mul, 2 add, 1 div each) and a degree-11 series.
#pragma once

#include "classify.hpp"
#include "tanh.hpp"
#include "exact_arithmetic.hpp"

ACTX_EXACT_ARITHMETIC_BEGIN

namespace actx::math {

constexpr double tanhshrink(double x) noexcept {
    if (x != x) return x;
    double a = x < 0 ? -x : x;
    if (a >= 2.0) return x - tanh(x);
    int doublings = 0;
    double h = a;
    while (h > 1.0 / 64) {
        h *= 0.5;
        ++doublings;
    }
    double h2 = h * h;
    // Taylor coefficients of h - tanh(h): 2^2n (2^2n - 1) |B_2n| / (2n)!.
    double r = h * h2 *
               (1.0 / 3 + h2 * (-2.0 / 15 + h2 * (17.0 / 315 + h2 * (-62.0 / 2835 + h2 * (1382.0 / 155925)))));
    for (; doublings > 0; --doublings) {
        double t = h - r;
        r = 2 * (r + h * t * t) / (1 + t * t);
        h *= 2;
    }
    return x < 0 ? -r : r;
}

constexpr float tanhshrink(float x) noexcept { return static_cast<float>(tanhshrink(static_cast<double>(x))); }

}  // namespace actx::math

ACTX_EXACT_ARITHMETIC_END
