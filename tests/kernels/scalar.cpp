// The scalar kernel's forward and backward (one element at a time) on float and double
// arrays, the reference of tests/unit/kernel.cpp (compiled.hpp).
#include "instantiate.hpp"

ACTX_TEST_INSTANTIATE(compiled_reference, scalar, float)
ACTX_TEST_INSTANTIATE(compiled_reference, scalar, double)
