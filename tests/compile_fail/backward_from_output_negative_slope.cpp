// Misuse: backward from the output of a leaky_relu with a negative slope,
// where y > 0 no longer means x > 0 (PyTorch raises for it too).
// expect: backward_from_output needs a leaky_relu slope >= 0
#include <actx/actx.hpp>

#include <vector>

int main() {
    using namespace actx;
    constexpr auto x = var<0>;
    std::vector<float> y(8), dy(8), dx(8);
#ifdef ACTX_KO
    kernel(leaky_relu(x, -0.1_c)).backward_from_output(y, dy, dx);
#else
    kernel(leaky_relu(x, 0.1_c)).backward_from_output(y, dy, dx);
#endif
}
