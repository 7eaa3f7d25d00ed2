// Misuse: evaluating a two-input expression with one value.
// expect: reads an input var<I> that the call does not bind
#include <actx/actx.hpp>

int main() {
    using namespace actx;
    constexpr auto x = var<0>;
#ifdef ACTX_KO
    [[maybe_unused]] auto r = swiglu(x, var<1>)(1.0);
#else
    [[maybe_unused]] auto r = swiglu(x, var<1>)(1.0, 2.0);
#endif
}
