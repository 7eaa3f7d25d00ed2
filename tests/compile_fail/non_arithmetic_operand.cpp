// Misuse: a string inside an expression.
// expect: an operand is neither an actx expression nor a number
#include <actx/actx.hpp>

int main() {
    using namespace actx;
    constexpr auto x = var<0>;
#ifdef ACTX_KO
    [[maybe_unused]] auto r = x + "one";
#else
    [[maybe_unused]] auto r = x + 1_c;
#endif
}
