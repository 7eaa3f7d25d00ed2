// Classification and sign helpers usable in constant expressions.
//
// The <cmath> versions are not constexpr in C++20, and `x != x` is unreliable
// under -ffast-math, so these look at the IEEE-754 bit pattern instead.
#pragma once

#include <bit>
#include <cstdint>
#include "exact_arithmetic.hpp"

ACTX_EXACT_ARITHMETIC_BEGIN

namespace actx::math {

constexpr bool isnan(double x) noexcept {
    return (std::bit_cast<std::uint64_t>(x) & 0x7fffffffffffffffULL) > 0x7ff0000000000000ULL;
}
constexpr bool isinf(double x) noexcept {
    return (std::bit_cast<std::uint64_t>(x) & 0x7fffffffffffffffULL) == 0x7ff0000000000000ULL;
}
constexpr bool isfinite(double x) noexcept {
    return (std::bit_cast<std::uint64_t>(x) & 0x7ff0000000000000ULL) != 0x7ff0000000000000ULL;
}
constexpr bool signbit(double x) noexcept { return (std::bit_cast<std::uint64_t>(x) >> 63) != 0; }
constexpr double abs(double x) noexcept {
    return std::bit_cast<double>(std::bit_cast<std::uint64_t>(x) & 0x7fffffffffffffffULL);
}
constexpr double copysign(double magnitude, double sign) noexcept {
    return std::bit_cast<double>((std::bit_cast<std::uint64_t>(magnitude) & 0x7fffffffffffffffULL) |
                                 (std::bit_cast<std::uint64_t>(sign) & 0x8000000000000000ULL));
}

constexpr bool isnan(float x) noexcept { return isnan(static_cast<double>(x)); }
constexpr bool isinf(float x) noexcept { return isinf(static_cast<double>(x)); }
constexpr bool isfinite(float x) noexcept { return isfinite(static_cast<double>(x)); }
constexpr bool signbit(float x) noexcept { return signbit(static_cast<double>(x)); }
constexpr float abs(float x) noexcept { return static_cast<float>(abs(static_cast<double>(x))); }
constexpr float copysign(float magnitude, float sign) noexcept {
    return static_cast<float>(copysign(static_cast<double>(magnitude), static_cast<double>(sign)));
}

}  // namespace actx::math

ACTX_EXACT_ARITHMETIC_END
