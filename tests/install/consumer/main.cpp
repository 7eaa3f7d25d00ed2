// A project that knows actx only through find_package(actx CONFIG): the
// expression language, a static_assert derivative check and a fused kernel.
#include <actx/actx.hpp>

#include <cstdio>
#include <vector>

using namespace actx;
constexpr auto x = var<0>;
static_assert(near(d(silu(x), x)(0.0), 0.5));

int main() {
    std::vector<float> xs{-1.0f, 0.0f, 1.0f}, ys(3);
    kernel(gelu(x)).forward(xs, ys);
    std::printf("gelu(-1) = %.4f\n", ys[0]);
    return ys[0] < -0.1586f && ys[0] > -0.1588f ? 0 : 1;
}
