// How actx's forward pass at 16M floats (far larger than the caches) goes
// with streaming stores forced on and off, next to the default `actx`
// entry of activations.cpp (which streams at this size: it moves 128 MiB);
// in place, by default (ordinary stores) and with streaming forced; and on
// one and two threads:
//   relu/forward/actx_stream/16777216     relu/forward/actx_nostream/16777216
//   relu/forward/actx_inplace/16777216    relu/forward/actx_inplace_stream/16777216
//   gelu/forward/actx_threads1/16777216   gelu/forward/actx_threads2/16777216
// Read them against copy/forward/stream/16777216, the memory roof:
//   bench_activations --benchmark_filter='/forward/(actx|actx_stream|actx_nostream|stream)/16777216$'
//   bench_activations --benchmark_filter='/forward/actx_inplace'
//   bench_activations --benchmark_filter='^gelu/forward/actx_threads'
// Registered when the program starts; the arrays (same distributions as the
// other benchmarks) are made on first use, so a filter that leaves these out
// costs nothing.
#include <actx/activations.hpp>
#include <actx/kernel/kernel.hpp>

#include <benchmark/benchmark.h>

#include <cstdint>
#include <cstdlib>
#include <memory>
#include <new>
#include <random>
#include <string>

namespace {

constexpr std::size_t n = std::size_t{1} << 24;

struct aligned_free {
    void operator()(float* p) const { std::free(p); }
};
using buffer = std::unique_ptr<float[], aligned_free>;

struct arrays {
    buffer x, y, z;
};

// 64-byte aligned, x uniform in [-6, 6], y written once before timing; z
// starts as a copy of x and is what the in-place passes overwrite.
arrays const& arrays_of_16m() {
    static arrays const a = [] {
        auto allocate = [] {
            auto* p = static_cast<float*>(std::aligned_alloc(64, n * sizeof(float)));
            if (p == nullptr) throw std::bad_alloc();
            return buffer(p);
        };
        arrays made{allocate(), allocate(), allocate()};
        std::mt19937 random(20240601u);
        std::uniform_real_distribution<float> inputs(-6.f, 6.f);
        for (std::size_t i = 0; i < n; ++i) {
            made.x[i] = inputs(random);
            made.y[i] = 0.f;
            made.z[i] = made.x[i];
        }
        return made;
    }();
    return a;
}

// y = f(x), or in place f(z) written over z (64 MiB read and written
// back).  The bytes processed count the array read and the array written
// either way, so the rates compare.
template <class K>
void forward(benchmark::State& state, K k, bool in_place) {
    auto const& a = arrays_of_16m();
    std::span<float> out(in_place ? a.z.get() : a.y.get(), n);
    std::span<float const> in = in_place ? std::span<float const>(out) : std::span<float const>(a.x.get(), n);
    for (auto _ : state) {
        k.forward(in, out);
        benchmark::ClobberMemory();
    }
    auto elements = static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(n);
    state.SetItemsProcessed(elements);
    state.SetBytesProcessed(elements * static_cast<std::int64_t>(2 * sizeof(float)));
}

template <class F>
void add(char const* activation, char const* impl, F f, actx::execution how, bool in_place = false) {
    std::string name = std::string(activation) + "/forward/" + impl + "/" + std::to_string(n);
    auto k = actx::kernel(f).with(how);
    benchmark::RegisterBenchmark(name.c_str(), [k, in_place](benchmark::State& state) { forward(state, k, in_place); });
}

template <class F>
void streaming_pair(char const* activation, F f) {
    add(activation, "actx_stream", f, {.stream_above = actx::stream_always});
    add(activation, "actx_nostream", f, {.stream_above = actx::stream_never});
    add(activation, "actx_inplace", f, {}, true);
    add(activation, "actx_inplace_stream", f, {.stream_above = actx::stream_always}, true);
}

bool register_execution_benchmarks() {
    constexpr auto x = actx::var<0>;
    streaming_pair("relu", actx::relu(x));
    streaming_pair("elu", actx::elu(x));
    streaming_pair("gelu", actx::gelu(x));
    streaming_pair("silu", actx::silu(x));
    streaming_pair("tanh", actx::tanh(x));
    add("gelu", "actx_threads1", actx::gelu(x), {.threads = 1});
    add("gelu", "actx_threads2", actx::gelu(x), {.threads = 2});
    return true;
}

[[maybe_unused]] bool const registered = register_execution_benchmarks();

}  // namespace
