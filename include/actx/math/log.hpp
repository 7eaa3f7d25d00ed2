// log(x): natural logarithm.
//
// Method: x = 2^e m with m in [sqrt(1/2), sqrt(2)), so that e*ln2 and log m
// never cancel by more than a factor 2; log m = 2 atanh(f), f = (m-1)/(m+1),
// |f| <= 0.1716, whose odd series converges by f^2 <= 0.0295 per term
// (11 terms reach 2e-20).  f is formed as a double-double quotient (m-1 is
// exact by Sterbenz, the division is corrected with an exact remainder): the
// leading term 2f then carries ~100 bits, which is what makes x near 1 come
// out accurate relative to log x itself.  e*ln2 is exact in its high part
// (ln2_hi has 42 bits).  The same core takes m as a double-double, which is
// how log1p passes 1+x without rounding it.
//
// Measured (tests/unit/math_reference.cpp, against logq in __float128): max
// 0.500 ULP at x = 1.309, over 6.0e6 arguments -- log-uniform over every finite
// magnitude (subnormal to DBL_MAX) of both signs, uniform over [-40, 40] and
// [0.5, 2], 4e6 evenly spaced float bit patterns, and the special values. The
// test asserts <= 0.51 ULP (1.5e6 points per run).  float overload: max 0.500
// ULP.
// Cost: one division, ~90 flops of double-double, a 10-term Horner in double.
// About 64 ns a call at -O2 on x86-64, 5 to 13 times the C library's double
// version: the price of the double-double steps (no FMA in constant
// expressions).
#pragma once

#include "detail.hpp"
#include "exact_arithmetic.hpp"

ACTX_EXACT_ARITHMETIC_BEGIN

namespace actx::math {
namespace detail {

// e*ln2 + log(mh + ml) as a double-double, for mh in [0.70, 1.42], |ml| <= ulp(mh).
constexpr dd log_core(int e, double mh, double ml) noexcept {
    // 2/(2n+1) for n = 11 down to 2: 2 atanh f = 2f + sum 2 f^(2n+1)/(2n+1).
    constexpr double c[] = {2.0 / 23, 2.0 / 21, 2.0 / 19, 2.0 / 17, 2.0 / 15,
                            2.0 / 13, 2.0 / 11, 2.0 / 9,  2.0 / 7,  2.0 / 5};
    constexpr dd two_thirds{0x1.5555555555555p-1, 0x1.5555555555555p-55};  // 2/3
    dd num = two_sum(mh - 1.0, ml);
    dd den = two_sum(mh, 1.0);
    den = fast_two_sum(den.hi, den.lo + ml);
    dd f = div(num, den);
    dd f2 = two_prod(f.hi, f.hi);
    f2.lo += 2.0 * f.hi * f.lo;
    // f^3 (2/3 + f^2 Q(f^2)) in double-double: the cubic term is up to 1% of
    // the result, so rounding it in double would cost ~0.02 ULP; the rest of
    // the series (< 1.3e-4 of the result) is summed in double.
    dd odd = mul(mul(add(two_thirds, f2.hi * horner(f2.hi, c)), f2), f);
    double ed = static_cast<double>(e);
    dd s = two_sum(ed * ln2_hi, 2.0 * f.hi);
    s = add(s, 2.0 * f.lo + ed * ln2_lo);
    return add(s, odd);
}

// Splits a positive finite x into e and m in [sqrt(1/2), sqrt(2)).
struct exponent_mantissa {
    int e;
    double m;
};
constexpr exponent_mantissa split_exponent(double x) noexcept {
    int shift = 0;
    if (x < 0x1p-1022) { x *= 0x1p54; shift = 54; }  // subnormal: normalise first
    std::uint64_t b = std::bit_cast<std::uint64_t>(x);
    int e = static_cast<int>(b >> 52) - 1023;
    double m = std::bit_cast<double>((b & 0x000fffffffffffffULL) | 0x3ff0000000000000ULL);
    if (m >= sqrt2) { m *= 0.5; ++e; }
    return {e - shift, m};
}

}  // namespace detail

constexpr double log(double x) noexcept {
    if (isnan(x)) return x;
    if (x == 0) return -detail::infinity;
    if (x < 0) return detail::quiet_nan;
    if (isinf(x)) return x;
    if (x == 1.0) return 0.0;
    detail::exponent_mantissa em = detail::split_exponent(x);
    return detail::value(detail::log_core(em.e, em.m, 0.0));
}
constexpr float log(float x) noexcept { return static_cast<float>(log(static_cast<double>(x))); }
template <integer_argument T>
constexpr double log(T x) noexcept { return log(static_cast<double>(x)); }

}  // namespace actx::math

ACTX_EXACT_ARITHMETIC_END
