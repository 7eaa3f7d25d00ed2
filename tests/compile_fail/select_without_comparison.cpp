// Misuse: select on something that is not a comparison.
// expect: select's first argument must be a comparison
#include <actx/actx.hpp>

int main() {
    using namespace actx;
    constexpr auto x = var<0>;
#ifdef ACTX_KO
    [[maybe_unused]] auto r = select(x, x, 0_c);
#else
    [[maybe_unused]] auto r = select(x > 0_c, x, 0_c);
#endif
}
