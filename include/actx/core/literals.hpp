// Constants in expressions: 2_c, 0.5_c, 1e-3_c.
//
// A constant is a type, so its value must be known to the compiler: the
// literal's characters are parsed at compile time.  The value is the
// correctly rounded double whenever the decimal has at most 19 significant
// digits and a power of ten within 1e±22 (every literal one writes by hand);
// beyond that, down to the smallest subnormal and up to DBL_MAX, it may
// differ from the compiler's reading of the same digits by an ulp.
// Irrational constants of the library are given by their bits instead.
#pragma once

#include <actx/core/expression.hpp>

namespace actx {

namespace detail {
template <char... Cs>
constexpr double parse_decimal() {
    constexpr char text[] = {Cs...};
    std::uint64_t digits = 0;
    int exponent10 = 0, significant = 0;
    bool after_point = false;
    std::size_t i = 0;
    for (; i < sizeof...(Cs); ++i) {
        char c = text[i];
        if (c == '.') {
            after_point = true;
        } else if (c == '\'') {
            continue;
        } else if (c >= '0' && c <= '9') {
            if (significant < 19) {
                digits = digits * 10 + static_cast<std::uint64_t>(c - '0');
                if (digits != 0) ++significant;
                if (after_point) --exponent10;
            } else if (!after_point) {
                ++exponent10;  // digits past the 19th only scale
            }
        } else {
            break;  // 'e' or 'E'
        }
    }
    if (i < sizeof...(Cs)) {
        ++i;
        bool negative = false;
        if (text[i] == '-' || text[i] == '+') negative = text[i++] == '-';
        int e = 0;
        for (; i < sizeof...(Cs); ++i) e = e * 10 + (text[i] - '0');
        exponent10 += negative ? -e : e;
    }
    // A single multiplication or division by an exact power of ten rounds
    // once.  Beyond 1e+-22 the power is not a double (1e-324 is not one at
    // all): it is formed in long double, whose range holds it and whose 64
    // bits (on x86) keep its error far below the double's ulp, and the
    // quotient or product is rounded to double.
    int magnitude = exponent10 < 0 ? -exponent10 : exponent10;
    auto scaled = [&](auto one) {
        auto value = static_cast<decltype(one)>(digits);
        auto power = one;
        for (int k = 0; k < magnitude; ++k) power *= 10;
        return static_cast<double>(exponent10 < 0 ? value / power : value * power);
    };
    return magnitude <= 22 ? scaled(1.0) : scaled(1.0L);
}
}  // namespace detail

namespace literals {
template <char... Cs>
constexpr auto operator""_c() {
    static_assert(sizeof...(Cs) < 2 || !(((Cs == 'x') || ...) || ((Cs == 'b') || ...)),
                  "actx: _c takes a decimal literal such as 2_c or 0.5_c");
    return constant<bits(detail::parse_decimal<Cs...>())>{};
}
}  // namespace literals
using namespace literals;

}  // namespace actx
