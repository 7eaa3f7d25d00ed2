// Shared machinery of actx::math: double-double arithmetic and exact scaling.
//
// Every function in this directory is meant to be within about half an ULP
// plus a few thousandths, which a plain double evaluation cannot give: the
// last rounding alone costs 0.5 ULP, so everything before it must carry more
// than 53 bits.  A double-double (an unevaluated sum hi + lo, |lo| <= ulp(hi)/2)
// carries ~106 bits using only double operations, and unlike std::fma (not
// constexpr in C++20) it works in constant expressions.  Exact products come
// from Veltkamp/Dekker splitting; exact sums from Knuth's two_sum.
//
// The functions pay for double-double only on the leading terms of their
// expansions; the small tails are evaluated in plain double, where an error of
// a few ULP of the tail is a few thousandths of an ULP of the result.
#pragma once

#include <bit>
#include <concepts>
#include <cstdint>
#include <limits>

#include "classify.hpp"
#include "exact_arithmetic.hpp"

ACTX_EXACT_ARITHMETIC_BEGIN

namespace actx::math::detail {

struct dd {
    double hi;
    double lo;
};

// hi + lo == a + b exactly, with hi == fl(a + b); valid for |a| >= |b| (or a == 0).
constexpr dd fast_two_sum(double a, double b) noexcept {
    double s = a + b;
    return {s, b - (s - a)};
}
// hi + lo == a + b exactly, with hi == fl(a + b), for any a, b.
constexpr dd two_sum(double a, double b) noexcept {
    double s = a + b;
    double bb = s - a;
    return {s, (a - (s - bb)) + (b - bb)};
}
// a == hi + lo with hi holding the upper 26 bits (Veltkamp).  Needs |a| < 2^996.
constexpr dd split(double a) noexcept {
    double t = 134217729.0 * a;  // 2^27 + 1
    double hi = t - (t - a);
    return {hi, a - hi};
}
// hi + lo == a * b exactly (unless the product under/overflows), hi == fl(a * b).
constexpr dd two_prod(double a, double b) noexcept {
    double p = a * b;
    dd as = split(a), bs = split(b);
    return {p, ((as.hi * bs.hi - p) + as.hi * bs.lo + as.lo * bs.hi) + as.lo * bs.lo};
}

constexpr dd operator-(dd a) noexcept { return {-a.hi, -a.lo}; }
constexpr dd add(dd a, dd b) noexcept {
    dd s = two_sum(a.hi, b.hi);
    dd t = two_sum(a.lo, b.lo);
    s = fast_two_sum(s.hi, s.lo + t.hi);
    return fast_two_sum(s.hi, s.lo + t.lo);
}
constexpr dd add(dd a, double b) noexcept {
    dd s = two_sum(a.hi, b);
    return fast_two_sum(s.hi, s.lo + a.lo);
}
constexpr dd sub(dd a, dd b) noexcept { return add(a, -b); }
constexpr dd mul(dd a, dd b) noexcept {
    dd p = two_prod(a.hi, b.hi);
    return fast_two_sum(p.hi, p.lo + (a.hi * b.lo + a.lo * b.hi));
}
constexpr dd mul(dd a, double b) noexcept {
    dd p = two_prod(a.hi, b);
    return fast_two_sum(p.hi, p.lo + a.lo * b);
}
// Relative error about 2^-100: one correction step on the double quotient,
// with the remainder a - q*b formed exactly.
constexpr dd div(dd a, dd b) noexcept {
    double q = a.hi / b.hi;
    dd p = two_prod(q, b.hi);
    double r = ((a.hi - p.hi) - p.lo + a.lo) - q * b.lo;
    return fast_two_sum(q, r / b.hi);
}
constexpr double value(dd a) noexcept { return a.hi + a.lo; }

// Horner in plain double, coefficients from highest to lowest degree.
template <std::size_t N>
constexpr double horner(double x, const double (&c)[N]) noexcept {
    double r = c[0];
    for (std::size_t i = 1; i < N; ++i) r = r * x + c[i];
    return r;
}

// 2^n for n in [-1022, 1023], built from its bits (no pow in constant expressions).
constexpr double pow2(int n) noexcept {
    return std::bit_cast<double>(static_cast<std::uint64_t>(n + 1023) << 52);
}
// x * 2^n in steps that are each exact as long as the final result is normal
// (or exactly representable); an overflowing result becomes inf.
constexpr double mul_pow2(double x, int n) noexcept {
    while (n > 1023) { x *= 0x1p1023; n -= 1023; }
    while (n < -1022) { x *= 0x1p-1022; n += 1022; }
    return x * pow2(n);
}
// Unbiased exponent of a normal, non-zero x.
constexpr int exponent_of(double x) noexcept {
    return static_cast<int>((std::bit_cast<std::uint64_t>(x) >> 52) & 0x7ff) - 1023;
}

// (v.hi + v.lo) * 2^k rounded once to double, including when the result is
// subnormal.  Rounding v to 53 bits first and then scaling would round twice
// in the subnormal range, costing up to a quarter ULP more; instead v is
// rounded directly onto the grid the subnormal result lives on.  Needs v.hi
// normal and k >= -1200 (enough for every caller: their results are below
// 2^-1075 long before).
constexpr double scale_round(dd v, int k) noexcept {
    if (v.hi == 0) return v.hi;
    bool negative = v.hi < 0;
    if (negative) v = -v;
    int ev = exponent_of(v.hi);
    double r;
    if (ev + k >= -1022) {
        r = mul_pow2(v.hi + v.lo, k);
    } else {
        // Grid spacing of the result, in v's scale: q = 2^(-1074-k).  Adding
        // c = 2^52 q puts v.hi on that grid (v.hi < c keeps the sum in one binade),
        // two_sum keeps the discarded part, and v.lo decides the near-ties.
        double c = mul_pow2(1.0, -1022 - k);
        double q = mul_pow2(1.0, -1074 - k);
        dd s = two_sum(c, v.hi);
        double rest = s.lo + v.lo;
        double on_grid = s.hi;
        if (rest > 0.5 * q) on_grid += q;
        else if (rest < -0.5 * q) on_grid -= q;
        r = mul_pow2(on_grid - c, k);  // exact: the result is a multiple of 2^-1074
    }
    return negative ? -r : r;
}

// Round to nearest integer for |x| < 2^51 (constant-expression friendly).
constexpr double round_nearest(double x) noexcept {
    return (x + 0x1.8p52) - 0x1.8p52;
}

inline constexpr double quiet_nan = std::numeric_limits<double>::quiet_NaN();
inline constexpr double infinity = std::numeric_limits<double>::infinity();

// Mathematical constants, each rounded as a double-double (hi + lo, nearest),
// computed with 80-digit arithmetic.
// ln 2 split for Cody-Waite reduction: ln2_hi has 42 significant bits so that
// k * ln2_hi is exact for |k| < 2^11; ln2_hi + ln2_lo = ln 2 within 2.8e-31.
inline constexpr double ln2_hi = 0x1.62e42fefa3800p-1;
inline constexpr double ln2_lo = 0x1.ef35793c76730p-45;
inline constexpr double inv_ln2 = 0x1.71547652b82fep+0;                         // 1/ln 2
inline constexpr dd two_over_sqrtpi{0x1.20dd750429b6dp+0, 0x1.1ae3a914fed80p-56};  // 2/sqrt(pi)
inline constexpr dd inv_sqrtpi{0x1.20dd750429b6dp-1, 0x1.1ae3a914fed80p-57};       // 1/sqrt(pi)
inline constexpr dd inv_sqrt2{0x1.6a09e667f3bcdp-1, -0x1.bdd3413b26456p-55};       // 1/sqrt(2)
inline constexpr dd inv_sqrt2pi{0x1.9884533d43651p-2, -0x1.cbc0d30ebfd15p-56};     // 1/sqrt(2 pi)
inline constexpr double sqrt2 = 0x1.6a09e667f3bcdp+0;                            // sqrt(2), rounded

// A value e^x as y * 2^k, y within [0.7, 1.42], kept as double-double so that
// callers can combine it further before the single final rounding.
struct scaled {
    dd y;
    int k;
};

}  // namespace actx::math::detail

namespace actx::math {
// Integer arguments go to the double overload, like <cmath>.
template <class T>
concept integer_argument = std::integral<T>;
}  // namespace actx::math

ACTX_EXACT_ARITHMETIC_END
