// Misuse: a kernel of an expression that reads no input var<I>, whose call
// would have no arrays to take the length from.
// expect: a kernel needs at least one input var<I>
#include <actx/actx.hpp>

int main() {
    using namespace actx;
#ifdef ACTX_KO
    [[maybe_unused]] auto k = kernel(param<0> * 2_c);
#else
    [[maybe_unused]] auto k = kernel(var<0> * param<0> * 2_c);
#endif
}
