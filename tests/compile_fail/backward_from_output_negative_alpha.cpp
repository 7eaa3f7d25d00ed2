// Misuse: backward from the output of an elu with a negative alpha, where
// y <= 0 no longer means x <= 0.
// expect: backward_from_output needs elu's alpha >= 0
#include <actx/actx.hpp>

#include <vector>

int main() {
    using namespace actx;
    constexpr auto x = var<0>;
    std::vector<double> y(8), dy(8), dx(8);
#ifdef ACTX_KO
    kernel(elu(x, -0.5_c)).backward_from_output(y, dy, dx);
#else
    kernel(elu(x, 0.5_c)).backward_from_output(y, dy, dx);
#endif
}
