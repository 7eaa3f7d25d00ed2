// Misuse: a backward pass on bfloat16 arrays, which are for inference.
// expect: bfloat16 arrays are for inference: forward only
#include <actx/actx.hpp>

#include <vector>

int main() {
    using namespace actx;
    constexpr auto x = var<0>;
    std::vector<bfloat16> xs(8), dys(8), dxs(8);
#ifdef ACTX_KO
    kernel(gelu(x)).backward(xs, dys, dxs);
#else
    kernel(gelu(x)).forward(xs, dxs);
#endif
}
