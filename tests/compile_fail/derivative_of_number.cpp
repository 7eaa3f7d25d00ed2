// Misuse: differentiating something that is not an expression.
// expect: d\(f, v\) differentiates an actx expression
#include <actx/actx.hpp>

int main() {
    using namespace actx;
    constexpr auto x = var<0>;
#ifdef ACTX_KO
    [[maybe_unused]] auto r = d(1.0, x);
#else
    [[maybe_unused]] auto r = d(x * x, x);
#endif
}
