// prelu with one slope per channel (nn.PReLU(num_parameters=C)), for the
// layouts a network hands it, next to the one-slope entry of
// activations.cpp (prelu/<pass>/actx/<n>), at 4096 and 65536 floats:
//   prelu/<pass>/actx_last<C>/<n>         channels last (NC, NHWC), C channels
//   prelu/<pass>/actx_first<C>x<S>/<n>    channels first (NCHW), C channels of S
//   prelu/<pass>/actx_first512x49/50176    7x7 images, and actx_one: one slope at that n
// forward, backward without the slopes' gradient, and backward_slopes: the
// backward with the slopes' gradient summed per channel; beside it, where
// PyTorch and oneDNN are found, their prelu backward (which computes both)
// on the same layouts: prelu/backward_slopes/<peer>[_last<C>|_first<C>x<S>]/<n>.
//   bench_activations --benchmark_filter='^prelu/'
// The arrays are those of activations.cpp (arrays_of, shared by every
// benchmark of a size), so each layout runs on the one-slope entry's data;
// every slope is prelu_slope.
#include "harness.hpp"

#include <actx/activations.hpp>
#include <actx/kernel/kernel.hpp>

#include <benchmark/benchmark.h>

#include <cstdint>
#include <string>
#include <vector>

namespace {

enum class channel_pass { forward, backward, backward_slopes };

void run(benchmark::State& state, std::size_t n, actx::channel_layout layout, channel_pass p) {
    constexpr auto x = actx::var<0>;
    auto k = actx::kernel(actx::prelu(x, actx::param<0>));
    actx_bench::arrays const& a = actx_bench::arrays_of(n);
    std::vector<float> const slopes(layout.channels, actx_bench::prelu_slope);
    std::vector<float> grads(layout.channels);
    std::span<float const> xs(a.x, n), dys(a.dy, n);
    std::span<float> ys(a.y, n), dxs(a.dx, n);
    for (auto _ : state) {
        switch (p) {
            case channel_pass::forward: k.forward<float>({xs}, {ys}, {slopes}, layout); break;
            case channel_pass::backward: k.backward<float>({xs}, {dys}, {dxs}, {slopes}, {}, layout); break;
            case channel_pass::backward_slopes:
                k.backward<float>({xs}, {dys}, {dxs}, {slopes}, {grads}, layout);
                break;
        }
        benchmark::ClobberMemory();
    }
    auto elements = static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(n);
    state.SetItemsProcessed(elements);
    std::int64_t const arrays_moved = p == channel_pass::forward ? 2 : 3;
    state.SetBytesProcessed(elements * arrays_moved * static_cast<std::int64_t>(sizeof(float)));
}

#if defined(ACTX_BENCH_HAVE_PYTORCH) || defined(ACTX_BENCH_HAVE_ONEDNN)
// A peer's prelu backward with the slopes' gradient (bench/pytorch.cpp,
// bench/onednn.cpp), set up outside the timed loop.
using peer_setup = actx_bench::run (*)(actx_bench::arrays const&, std::size_t channels, std::size_t inner,
                                       bool channels_last);

void peer_benchmark(std::string const& name, std::size_t n, actx::channel_layout layout, peer_setup setup) {
    benchmark::RegisterBenchmark(name.c_str(), [n, layout, setup](benchmark::State& state) {
        actx_bench::run const work = setup(actx_bench::arrays_of(n), layout.channels, layout.inner, layout.inner == 1);
        for (auto _ : state) {
            work();
            benchmark::ClobberMemory();
        }
        auto elements = static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(n);
        state.SetItemsProcessed(elements);
        state.SetBytesProcessed(elements * 3 * static_cast<std::int64_t>(sizeof(float)));
    });
}
#endif

bool register_channel_benchmarks() {
    struct named_layout {
        std::string name;
        actx::channel_layout layout;
    };
    std::vector<named_layout> const layouts = {
        {"actx_last16", actx::channels_last(16)},         {"actx_last64", actx::channels_last(64)},
        {"actx_last256", actx::channels_last(256)},       {"actx_last1024", actx::channels_last(1024)},
        {"actx_first16x256", actx::channels_first(16, 256)}, {"actx_first64x64", actx::channels_first(64, 64)},
        {"actx_first256x16", actx::channels_first(256, 16)}, {"actx_first1024x4", actx::channels_first(1024, 4)},
    };
    std::pair<channel_pass, char const*> const passes[] = {{channel_pass::forward, "forward"},
                                                          {channel_pass::backward, "backward"},
                                                          {channel_pass::backward_slopes, "backward_slopes"}};
    for (std::size_t n : {std::size_t{4096}, std::size_t{65536}}) {
        for (auto const& [p, pass_name] : passes) {
            for (auto const& [impl, layout] : layouts) {
                if (n % (layout.channels * layout.inner) != 0) continue;
                std::string name = std::string("prelu/") + pass_name + "/" + impl + "/" + std::to_string(n);
                actx::channel_layout l = layout;
                channel_pass q = p;
                benchmark::RegisterBenchmark(name.c_str(), [n, l, q](benchmark::State& state) { run(state, n, l, q); });
            }
        }
        // One slope, with its gradient (activations.cpp has the other passes).
        std::string name = "prelu/backward_slopes/actx/" + std::to_string(n);
        benchmark::RegisterBenchmark(name.c_str(),
                                     [n](benchmark::State& state) { run(state, n, {}, channel_pass::backward_slopes); });
#if defined(ACTX_BENCH_HAVE_PYTORCH) || defined(ACTX_BENCH_HAVE_ONEDNN)
        // The peers' prelu backward, which always computes the slopes'
        // gradient too: beside backward_slopes only.
        auto peer = [n, &layouts](std::string const& name, peer_setup setup) {
            for (std::size_t l = 0; l <= layouts.size(); ++l) {  // one slope, then each layout
                named_layout const* named = l == 0 ? nullptr : &layouts[l - 1];
                actx::channel_layout const layout = named ? named->layout : actx::channel_layout{};
                if (n % (layout.channels * layout.inner) != 0) continue;
                std::string const impl = named ? name + named->name.substr(4) : name;
                peer_benchmark("prelu/backward_slopes/" + impl + "/" + std::to_string(n), n, layout, setup);
            }
        };
#ifdef ACTX_BENCH_HAVE_PYTORCH
        peer("pytorch", actx_bench::pytorch_prelu_backward_slopes);
#endif
#ifdef ACTX_BENCH_HAVE_ONEDNN
        peer("onednn", actx_bench::onednn_prelu_backward_slopes);
#endif
#endif
    }
    // The 7x7 images of an ImageNet network's last stage, NCHW, 512 channels
    // of 49 and a batch of two (blocks of 49, which go in tiles of a whole
    // repeat: docs/design.md, "Kernels"), and one slope over as many
    // elements (`actx_one`: `actx` is activations.cpp's, at its sizes).
    constexpr std::size_t images = 2 * 512 * 49;
    for (auto const& [p, pass_name] : passes) {
        channel_pass q = p;
        std::string const suffix = std::string("/") + std::to_string(images);
        std::string const prefix = std::string("prelu/") + pass_name + "/";
        benchmark::RegisterBenchmark((prefix + "actx_first512x49" + suffix).c_str(), [q](benchmark::State& state) {
            run(state, images, actx::channels_first(512, 49), q);
        });
        benchmark::RegisterBenchmark((prefix + "actx_one" + suffix).c_str(),
                                     [q](benchmark::State& state) { run(state, images, {}, q); });
    }
    return true;
}

[[maybe_unused]] bool const registered = register_channel_benchmarks();

}  // namespace
