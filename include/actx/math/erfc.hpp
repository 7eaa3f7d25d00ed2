// erfc(x): complementary error function 1 - erf(x), accurate relative to
// itself in the right tail (erfc(26) ~ 5.7e-296, subnormal results to x ~ 27.2).
//
// Method, for z >= 0.5: erfc z = e^(-z^2) g(z), with g = erfcx the scaled
// function, which is smooth and of size ~1/(z sqrt pi):
//  * e^(-z^2) with z^2 exact as a double-double through exp.hpp's reduction
//    (a rounded z^2 would cost up to z^2/2 ULP, hundreds near z = 27);
//  * g on [0.5, 4) from its Taylor series (degree 21, |h| <= 1/4, truncation
//    < 2^-64 relative, checked with 60-digit arithmetic) about the
//    centres 0.75, 1.25, ..., 3.75.  Only g(centre) is stored (a double-double,
//    computed with 80-digit arithmetic); all other coefficients follow at
//    compile time, in double-double, from the differential equation
//    g' = 2 z g - 2/sqrt(pi):  (n+1) a_{n+1} = 2c a_n + 2 a_{n-1}.
//    The three leading terms are summed in double-double;
//  * g on [4, 28) from Laplace's continued fraction
//    sqrt(pi) g(z) = 1/(z + (1/2)/(z + 1/(z + (3/2)/(z + ...)))),
//    evaluated bottom up (all terms positive: stable), 26 levels at z = 4
//    down to 9 past z = 15 (truncation < 2^-62, checked with 50-digit
//    arithmetic); the top two levels in double-double since the deeper ones
//    reach the result damped by < 1/(2 z^4).
// The core takes z as a double-double: normcdf needs that, since
// d/dz log erfc z ~ -2z turns an argument error dz into a relative error
// 2 z dz, i.e. ~2 z^2 ULP for a one-ULP error in z.
// For |x| < 0.5, 1 - erf(x) from the Maclaurin series of erf (erf_small
// below, shared with erf.hpp), in double-double; for x <= -0.5, 2 - erfc(-x).
//
// Measured (tests/unit/math_reference.cpp, against erfcq in __float128): max
// 0.502 ULP at x = 4.029, over 6.0e6 arguments -- log-uniform over every finite
// magnitude (subnormal to DBL_MAX) of both signs, uniform over [-40, 40] and
// [20, 28], 4e6 evenly spaced float bit patterns, and the special values. The
// test asserts <= 0.51 ULP (1.5e6 points per run).  float overload: max 0.500
// ULP.
// Cost: exp, plus a 20-term Horner (z < 4) or 8 to 26 divisions (z >= 4). About
// 150 ns a call at -O2 on x86-64, 5 to 13 times the C library's double version:
// the price of the double-double steps (no FMA in constant expressions).
#pragma once

#include <array>

#include "exp.hpp"
#include "exact_arithmetic.hpp"

ACTX_EXACT_ARITHMETIC_BEGIN

namespace actx::math {
namespace detail {

// erf(zh + zl) for |zh| < 0.5 (|zl| <= ulp(zh)) as a double-double, relative
// error ~2^-60: erf z = (2/sqrt pi) z (1 - z^2/3 + sum_{n>=2} (-z^2)^n / (n!(2n+1))).
// The series alternates but its terms fall by z^2/2 per step, so no cancellation.
constexpr dd erf_small(double zh, double zl) noexcept {
    // (-1)^n / (n! (2n+1)) for n = 13 down to 3; n!(2n+1) is exact in double.
    constexpr double c[] = {-1.0 / (6227020800.0 * 27), 1.0 / (479001600.0 * 25),
                            -1.0 / (39916800.0 * 23),   1.0 / (3628800.0 * 21),
                            -1.0 / (362880.0 * 19),     1.0 / (40320.0 * 17),
                            -1.0 / (5040.0 * 15),       1.0 / (720.0 * 13),
                            -1.0 / (120.0 * 11),        1.0 / (24.0 * 9),
                            -1.0 / (6.0 * 7)};
    constexpr dd minus_third{-0x1.5555555555555p-2, -0x1.5555555555555p-56};  // -1/3
    constexpr dd tenth{0x1.999999999999ap-4, -0x1.999999999999ap-58};         // 1/10
    dd z2 = two_prod(zh, zh);
    z2.lo += 2.0 * zh * zl;
    // 1 + z^2 (-1/3 + z^2 (1/10 + z^2 P(z^2))): the z^4/10 term is still ~0.005
    // of the result at z = 0.5, so the outer steps are double-double.
    dd s = add(tenth, z2.hi * horner(z2.hi, c));
    s = add(mul(s, z2), minus_third);
    s = add(mul(s, z2), 1.0);
    return mul(mul(two_over_sqrtpi, dd{zh, zl}), s);
}

inline constexpr int erfcx_terms = 22;
using erfcx_series = std::array<dd, erfcx_terms>;

// Taylor coefficients of g = erfcx about c = 0.75 + j/2, j = 0..6, from g(c).
constexpr std::array<erfcx_series, 7> make_erfcx_series() noexcept {
    // erfcx(c) = e^(c^2) erfc(c), rounded as double-double, 80-digit arithmetic.
    constexpr dd at_centre[7] = {
        {0x1.038d54ea3d834p-1, -0x1.ec2134d851665p-55},  // c = 0.75
        {0x1.78a692138767ap-2, 0x1.4797400f19192p-63},   // c = 1.25
        {0x1.23cfc2f1dc7e0p-2, 0x1.3b1040eb318c2p-57},   // c = 1.75
        {0x1.d94446d627932p-3, -0x1.a8198a8216449p-58},  // c = 2.25
        {0x1.8c9eb68ff27d7p-3, -0x1.bb4e763c64a35p-57},  // c = 2.75
        {0x1.54a7a08d4bb45p-3, -0x1.6a0d91336bdc9p-61},  // c = 3.25
        {0x1.2a2af19c14930p-3, -0x1.fa04a06a33f29p-57},  // c = 3.75
    };
    std::array<erfcx_series, 7> t{};
    for (int j = 0; j < 7; ++j) {
        double two_c = 2.0 * (0.75 + 0.5 * j);
        erfcx_series& a = t[j];
        a[0] = at_centre[j];
        a[1] = sub(mul(a[0], two_c), two_over_sqrtpi);
        for (int n = 1; n + 1 < erfcx_terms; ++n)
            a[n + 1] = div(add(mul(a[n], two_c), mul(a[n - 1], 2.0)), dd{static_cast<double>(n + 1), 0.0});
    }
    return t;
}
inline constexpr std::array<erfcx_series, 7> erfcx_table = make_erfcx_series();

// erfcx(zh + zl) for zh in [0.5, 4).
constexpr dd erfcx_taylor(double zh, double zl) noexcept {
    int j = static_cast<int>((zh - 0.5) * 2.0);
    if (j > 6) j = 6;
    const erfcx_series& a = erfcx_table[j];
    double hh = zh - (0.75 + 0.5 * j);  // exact (Sterbenz)
    dd h = two_sum(hh, zl);
    double p = a[erfcx_terms - 1].hi;
    for (int n = erfcx_terms - 2; n >= 3; --n) p = p * h.hi + a[n].hi;
    // The three leading terms in double-double: a2 h^2 is still ~0.02 of the
    // result near z = 0.5, too much to round in double.
    dd s = add(a[2], p * h.hi);
    s = add(mul(s, h), a[1]);
    return add(mul(s, h), a[0]);
}

// sqrt(pi) erfcx(zh + zl) for zh in [4, 28), by the continued fraction.
constexpr dd erfcx_cf(double zh, double zl) noexcept {
    int levels = zh < 5 ? 26 : zh < 6 ? 20 : zh < 8 ? 17 : zh < 10 ? 13 : zh < 15 ? 11 : 9;
    double t = 0.0;
    for (int k = levels; k >= 2; --k) t = (0.5 * k) / (zh + t);
    dd z{zh, zl};
    dd d1 = add(z, t);
    dd d0 = add(z, div(dd{0.5, 0.0}, d1));
    return div(dd{1.0, 0.0}, d0);
}

// erfc(zh + zl) as y * 2^k, for zh in [0.5, 28).
constexpr scaled erfc_scaled(double zh, double zl) noexcept {
    dd z2 = two_prod(zh, zh);
    z2 = fast_two_sum(z2.hi, z2.lo + 2.0 * zh * zl);
    scaled e = exp_scaled(-z2.hi, -z2.lo);
    dd g = zh < 4.0 ? erfcx_taylor(zh, zl) : mul(erfcx_cf(zh, zl), inv_sqrtpi);
    return {mul(e.y, g), e.k};
}

// erfc(z) as a double-double for zh < 0.5, or zh <= -0.5 (then within [1, 2]).
constexpr dd erfc_not_right_tail(double zh, double zl) noexcept {
    if (zh > -0.5) return add(-erf_small(zh, zl), 1.0);
    if (zh < -6.0) return {2.0, 0.0};  // erfc(6) < 2^-53
    scaled e = erfc_scaled(-zh, -zl);
    double p = pow2(e.k);  // e.k >= -55: exact
    return add(dd{-e.y.hi * p, -e.y.lo * p}, 2.0);
}

}  // namespace detail

constexpr double erfc(double x) noexcept {
    if (isnan(x)) return x;
    if (x >= 0.5) {
        if (x >= 28.0) return 0.0;  // erfc(27.3) < 2^-1075
        detail::scaled e = detail::erfc_scaled(x, 0.0);
        return detail::scale_round(e.y, e.k);
    }
    return detail::value(detail::erfc_not_right_tail(x, 0.0));
}
constexpr float erfc(float x) noexcept { return static_cast<float>(erfc(static_cast<double>(x))); }
template <integer_argument T>
constexpr double erfc(T x) noexcept { return erfc(static_cast<double>(x)); }

}  // namespace actx::math

ACTX_EXACT_ARITHMETIC_END
