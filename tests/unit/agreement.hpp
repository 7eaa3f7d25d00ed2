// Agreement between two results of the same expression computed by
// different code (the vector and scalar kernels), for the kernel tests.
#pragma once

#include <algorithm>
#include <cmath>
#include <limits>
#include <type_traits>

template <class T>
bool same_value(T a, T b) {
    return (std::isnan(a) && std::isnan(b)) || a == b;
}

// Vector and scalar primitives are different code with their own few-ULP
// errors: agreement within 16 epsilon relative to the larger of the value
// and `scale`, and the same NaN and infinity pattern.  Below the floor the
// tolerance is that of the floor: float's smallest normal (float results
// built from subnormal intermediates are recomputed in double), and 2^-1000
// for double, which has no wider path: a double result there may be a
// product of a subnormal primitive value (gelu(-37.6) = x Phi(x), Phi
// 4.8e-310), whose few significant bits differ between two codes by more
// than 16 units of 2^-1074 once multiplied.
template <class T>
inline constexpr T agreement_floor = std::is_same_v<T, double> ? T(0x1p-1000) : std::numeric_limits<T>::min();
template <class T>
bool agree(T a, T b, T scale) {
    if (std::isnan(a) || std::isnan(b) || std::isinf(a) || std::isinf(b)) return same_value(a, b);
    T magnitude = std::max({std::abs(b), std::abs(scale), agreement_floor<T>});
    return std::abs(a - b) <= 16 * std::numeric_limits<T>::epsilon() * magnitude;
}
