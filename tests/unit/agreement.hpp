// Agreement between two results of the same expression computed by
// different code (the vector and scalar kernels), for the kernel tests.
#pragma once

#include <algorithm>
#include <cmath>
#include <limits>

template <class T>
bool same_value(T a, T b) {
    return (std::isnan(a) && std::isnan(b)) || a == b;
}

// Vector and scalar primitives are different code with their own few-ULP
// errors: agreement within 16 epsilon relative to the larger of the value
// and `scale`, and the same NaN and infinity pattern.
template <class T>
bool agree(T a, T b, T scale) {
    if (std::isnan(a) || std::isnan(b) || std::isinf(a) || std::isinf(b)) return same_value(a, b);
    T magnitude = std::max({std::abs(b), std::abs(scale), std::numeric_limits<T>::min()});
    return std::abs(a - b) <= 16 * std::numeric_limits<T>::epsilon() * magnitude;
}
