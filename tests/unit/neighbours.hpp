// Inputs around an edge: the tests that compare two evaluations bit for bit
// near a threshold (2^-60, the smallest normal, ...) and the accuracy sweeps
// around kinks and derivatives' roots take the edge and its neighbours on
// both sides.
#pragma once

#include <cmath>
#include <limits>
#include <vector>

namespace actx_reference {
namespace {

// at and the count values after it on each side, in T (float or double).
template <class T>
inline void append_neighbours(std::vector<T>& values, T at, int count) {
    constexpr T inf = std::numeric_limits<T>::infinity();
    values.push_back(at);
    T below = at, above = at;
    for (int k = 0; k < count; ++k) {
        below = std::nextafter(below, -inf);
        above = std::nextafter(above, inf);
        values.push_back(below);
        values.push_back(above);
    }
}

}  // namespace
}  // namespace actx_reference
