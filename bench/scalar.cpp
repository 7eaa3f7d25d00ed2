// Textbook loops over std:: functions, at -O3 -march=native: g++ vectorises
// the arithmetic and the selects but calls glibc's scalar expf, tanhf, erff
// one element at a time.
#include "scalar_formulas.hpp"

std::vector<actx_bench::implementation> actx_bench::scalar_implementations() {
    return formulas::all_loops("scalar");
}
