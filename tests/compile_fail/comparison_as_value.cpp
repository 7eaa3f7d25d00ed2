// Misuse: a comparison where a value is expected (it would be a 0/1 number
// by accident); only select's first argument takes one.
// expect: a comparison is a condition for select
#include <actx/actx.hpp>

int main() {
    using namespace actx;
    constexpr auto x = var<0>;
#ifdef ACTX_KO
    [[maybe_unused]] constexpr auto f = exp(x > 0_c) * x;
#else
    [[maybe_unused]] constexpr auto f = select(x > 0_c, exp(x), x);
#endif
}
