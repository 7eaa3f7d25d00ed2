// Misuse: evaluating an expression with a parameter without binding it.
// expect: reads a parameter param<I> that the call does not bind
#include <actx/actx.hpp>

int main() {
    using namespace actx;
    constexpr auto x = var<0>;
#ifdef ACTX_KO
    [[maybe_unused]] auto r = prelu(x, param<0>)(1.0);
#else
    [[maybe_unused]] auto r = evaluate(prelu(x, param<0>), inputs(1.0), params(0.25));
#endif
}
