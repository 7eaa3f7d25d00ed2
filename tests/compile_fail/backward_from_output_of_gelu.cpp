// Misuse: backward from the saved output of an activation whose derivative
// is not a function of its output (gelu'(x) needs x).
// expect: backward_from_output needs an activation whose derivative is a function of its output
#include <actx/actx.hpp>

#include <vector>

int main() {
    using namespace actx;
    constexpr auto x = var<0>;
    std::vector<float> y(8), dy(8), dx(8);
#ifdef ACTX_KO
    kernel(gelu(x)).backward_from_output(y, dy, dx);
#else
    kernel(relu(x)).backward_from_output(y, dy, dx);
#endif
}
