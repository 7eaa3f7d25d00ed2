// Misuse: a plain double inside an expression.
// expect: a run-time number cannot be part of an expression type
#include <actx/actx.hpp>

int main() {
    using namespace actx;
    constexpr auto x = var<0>;
#ifdef ACTX_KO
    [[maybe_unused]] auto r = x * 0.5;
#else
    [[maybe_unused]] auto r = x * 0.5_c;
#endif
}
