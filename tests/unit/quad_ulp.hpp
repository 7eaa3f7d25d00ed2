// Error in ULPs against a 113-bit reference (quad_math.hpp), the record of the worst
// point, and the special double arguments every sweep includes: shared by
// the accuracy tests of the scalar (math_reference.cpp) and the vector
// (vector_double_reference.cpp) double primitives.
//
// Error is measured in ULPs of the exact value as a real number, |got - ref| /
// ulp(ref), with ulp(ref) = 2^(floor(log2 |ref|) - 52), never below the
// subnormal spacing 2^-1074 (2^-23 and 2^-149 for float).  A correctly rounded
// result scores <= 0.5; "within 1 ULP" in the usual integer sense means < 1.
#pragma once

#include "quad_math.hpp"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <limits>
#include <vector>

namespace actx_reference {
namespace {

// |got - ref| in ULPs of ref for a format with `digits` significand bits and
// smallest subnormal 2^min_exp; NaN/inf must match exactly (0 or a huge error).
inline double ulp_error(quad got, quad ref, int digits, int min_exp, quad max_finite) {
    constexpr double mismatch = 1e300;
    if (isnanq(ref)) return isnanq(got) ? 0 : mismatch;
    if (isnanq(got)) return mismatch;
    // An exact value beyond the largest finite + half an ULP rounds to infinity.
    quad overflow = max_finite + ldexpq(1, ilogbq(max_finite) - digits);
    if (fabsq(ref) >= overflow) return (isinfq(got) && (got > 0) == (ref > 0)) ? 0 : mismatch;
    if (isinfq(got)) return mismatch;
    int e = ref == 0 ? min_exp : std::max(ilogbq(ref) - (digits - 1), min_exp);
    return static_cast<double>(fabsq(got - ref) / ldexpq(1, e));
}
inline double ulp_error_double(double got, quad ref) { return ulp_error(got, ref, 53, -1074, DBL_MAX); }
inline double ulp_error_float(float got, quad ref) { return ulp_error(got, ref, 24, -149, FLT_MAX); }

struct worst {
    long points = 0;
    double max = 0;
    double at = 0;
    void record(double err, double x) {
        ++points;
        if (err > max || (std::isnan(err) && !std::isnan(max))) { max = err; at = x; }
    }
};

// The edges of exp's range (overflow, the last subnormal), of the
// saturations of sigmoid, tanh and log1pexp, and of the reductions, with
// their neighbours, both signs.
inline std::vector<double> special_arguments() {
    const double inf = std::numeric_limits<double>::infinity();
    std::vector<double> v = {0.0, inf, std::numeric_limits<double>::quiet_NaN(), DBL_MIN,
                             DBL_MAX, DBL_TRUE_MIN, 0x1p-1022 - 0x1p-1074, 0x1p-1000,
                             1.0, 2.0, 0.5, 1e-300, 1e-20, 1e-8, 709.782712893384,
                             709.7827128933841, 709.78271289338397, 745.1332191019411,
                             745.1332191019412, 745.1332191019413, 708.3964185322641,
                             37.5, 38.0, 19.1, 26.0, 26.5, 27.0, 27.25, 27.3, 38.4, 38.5,
                             0.34657359027997264, 0.5, 4.0, 6.0, 0x1p60, 0x1p-500};
    std::vector<double> all;
    for (double x : v) {
        for (double y : {x, std::nextafter(x, 0.0), std::nextafter(x, inf)}) {
            all.push_back(y);
            all.push_back(-y);
        }
    }
    all.push_back(-1.0 + 0x1p-53);
    all.push_back(-1.0 + 0x1p-30);
    return all;
}

}  // namespace
}  // namespace actx_reference
