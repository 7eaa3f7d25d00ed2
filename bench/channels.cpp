// prelu with one slope per channel (nn.PReLU(num_parameters=C)), for the
// layouts a network hands it, next to the one-slope entry of
// activations.cpp (prelu/<pass>/actx/<n>), at 4096 and 65536 floats:
//   prelu/<pass>/actx_last<C>/<n>         channels last (NC, NHWC), C channels
//   prelu/<pass>/actx_first<C>x<S>/<n>    channels first (NCHW), C channels of S
// forward, backward without the slopes' gradient, and backward_slopes: the
// backward with the slopes' gradient summed per channel.
//   bench_activations --benchmark_filter='^prelu/'
// Registered when the program starts; the arrays (x uniform in [-6, 6], dy
// in [-1, 1], slopes 0.25, as elsewhere) are made on first use.
#include <actx/activations.hpp>
#include <actx/kernel/kernel.hpp>

#include <benchmark/benchmark.h>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace {

enum class pass { forward, backward, backward_slopes };

struct arrays {
    std::vector<float> x, dy, y, dx, slopes, slope_grads;
};

arrays& arrays_of(std::size_t n) {
    static std::vector<std::pair<std::size_t, arrays>> made;
    for (auto& [size, a] : made)
        if (size == n) return a;
    arrays a{std::vector<float>(n), std::vector<float>(n), std::vector<float>(n), std::vector<float>(n),
             std::vector<float>(n, 0.25f), std::vector<float>(n)};
    std::mt19937 random(20240601u);
    std::uniform_real_distribution<float> inputs(-6.f, 6.f), gradients(-1.f, 1.f);
    for (std::size_t i = 0; i < n; ++i) {
        a.x[i] = inputs(random);
        a.dy[i] = gradients(random);
    }
    made.emplace_back(n, std::move(a));
    return made.back().second;
}

void run(benchmark::State& state, std::size_t n, actx::channel_layout layout, pass p) {
    constexpr auto x = actx::var<0>;
    auto k = actx::kernel(actx::prelu(x, actx::param<0>));
    arrays& a = arrays_of(n);
    std::span<float const> xs(a.x), dys(a.dy), slopes(a.slopes.data(), layout.channels);
    std::span<float> ys(a.y), dxs(a.dx), grads(a.slope_grads.data(), layout.channels);
    for (auto _ : state) {
        switch (p) {
            case pass::forward: k.forward<float>({xs}, {ys}, {slopes}, layout); break;
            case pass::backward: k.backward<float>({xs}, {dys}, {dxs}, {slopes}, {}, layout); break;
            case pass::backward_slopes: k.backward<float>({xs}, {dys}, {dxs}, {slopes}, {grads}, layout); break;
        }
        benchmark::ClobberMemory();
    }
    auto elements = static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(n);
    state.SetItemsProcessed(elements);
    std::int64_t const arrays_moved = p == pass::forward ? 2 : 3;
    state.SetBytesProcessed(elements * arrays_moved * static_cast<std::int64_t>(sizeof(float)));
}

bool register_channel_benchmarks() {
    struct named_layout {
        std::string name;
        actx::channel_layout layout;
    };
    std::vector<named_layout> const layouts = {
        {"actx_last16", actx::channels_last(16)},         {"actx_last64", actx::channels_last(64)},
        {"actx_last256", actx::channels_last(256)},       {"actx_last1024", actx::channels_last(1024)},
        {"actx_first16x256", actx::channels_first(16, 256)}, {"actx_first64x64", actx::channels_first(64, 64)},
        {"actx_first256x16", actx::channels_first(256, 16)},
    };
    std::pair<pass, char const*> const passes[] = {
        {pass::forward, "forward"}, {pass::backward, "backward"}, {pass::backward_slopes, "backward_slopes"}};
    for (std::size_t n : {std::size_t{4096}, std::size_t{65536}}) {
        for (auto const& [p, pass_name] : passes) {
            for (auto const& [impl, layout] : layouts) {
                if (n % (layout.channels * layout.inner) != 0) continue;
                std::string name = std::string("prelu/") + pass_name + "/" + impl + "/" + std::to_string(n);
                actx::channel_layout l = layout;
                pass q = p;
                benchmark::RegisterBenchmark(name.c_str(), [n, l, q](benchmark::State& state) { run(state, n, l, q); });
            }
        }
        // One slope, with its gradient (activations.cpp has the other passes).
        std::string name = "prelu/backward_slopes/actx/" + std::to_string(n);
        benchmark::RegisterBenchmark(name.c_str(),
                                     [n](benchmark::State& state) { run(state, n, {}, pass::backward_slopes); });
    }
    return true;
}

[[maybe_unused]] bool const registered = register_channel_benchmarks();

}  // namespace
