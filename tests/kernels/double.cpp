// kernel(f)'s passes on double arrays, for the kernel tests (compiled.hpp).
#include "instantiate.hpp"

ACTX_TEST_INSTANTIATE(compiled, accurate, double)
