// fast_kernel(f)'s passes on float arrays, where they differ from
// kernel(f)'s, for the kernel tests (compiled.hpp).
#include "instantiate.hpp"

ACTX_TEST_INSTANTIATE(compiled, fast, float)
