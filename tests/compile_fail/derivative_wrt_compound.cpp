// Misuse: differentiating with respect to a compound expression.
// expect: d\(f, v\) differentiates with respect to var<I> or param<I>
#include <actx/actx.hpp>

int main() {
    using namespace actx;
    constexpr auto x = var<0>;
#ifdef ACTX_KO
    [[maybe_unused]] auto r = d(silu(x), x * x);
#else
    [[maybe_unused]] auto r = d(silu(x), x);
#endif
}
