// Misuse: differentiating a comparison itself.
// expect: a comparison has no derivative
#include <actx/actx.hpp>

int main() {
    using namespace actx;
    constexpr auto x = var<0>;
#ifdef ACTX_KO
    [[maybe_unused]] auto r = d(x > 0_c, x);
#else
    [[maybe_unused]] auto r = d(select(x > 0_c, x, 0_c), x);
#endif
}
