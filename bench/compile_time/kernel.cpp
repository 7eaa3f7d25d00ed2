// The compile cost of one fused kernel as an application instantiates it:
// ACTX_ACTIVATION's forward, backward and forward_backward on float arrays
// (bench/compile_time.sh builds it as a release build for this machine).
#include <actx/actx.hpp>

#include <cstdio>
#include <span>
#include <vector>

#ifndef ACTX_ACTIVATION
#define ACTX_ACTIVATION gelu
#endif

int main(int argc, char**) {
    std::vector<float> x(1000, 0.25f * float(argc)), dy(1000, 1.0f), y(1000), dx(1000), y2(1000), dx2(1000);
    auto const k = actx::kernel(actx::ACTX_ACTIVATION(actx::var<0>));
    std::span<float const> xs(x), dys(dy);
    k.forward(xs, std::span<float>(y));
    k.backward(xs, dys, std::span<float>(dx));
    k.forward_backward(xs, dys, std::span<float>(y2), std::span<float>(dx2));
    std::printf("%g\n", double(y[0] + dx[0] + y2[0] + dx2[0]));
}
