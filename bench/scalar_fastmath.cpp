// The same textbook loops as scalar.cpp, in a translation unit compiled with
// -ffast-math (see CMakeLists.txt): with errno and IEEE corner cases given
// up, g++ replaces the calls to expf, tanhf, erff, log1pf and expm1f by
// glibc's vector versions (libmvec), the best a compiler does unaided.
#include "scalar_formulas.hpp"

#ifndef __FAST_MATH__
#error "scalar_fastmath.cpp is meant to be compiled with -ffast-math"
#endif

std::vector<actx_bench::implementation> actx_bench::scalar_fastmath_implementations() {
    return formulas::all_loops("scalar_fastmath");
}
