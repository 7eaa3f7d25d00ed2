// Every one-input activation of the catalogue, forward, backward and
// forward_backward, through actx's fused kernel, the unfused baseline, and
// each peer that was found at configure time, at three sizes: 4096 floats
// (in L1), 65536 (in L2) and 16M (in memory); relu and gelu also at 64, 256,
// 1000 and 1024, where the cost of a call itself shows (1000 is not a whole
// number of vectors: its last elements are a tail).  One thread.
//
// Each benchmark is named <activation>/<pass>/<impl>/<n>, so any slice is a
// filter away:
//   bench_activations --benchmark_filter='^gelu/'
//   bench_activations --benchmark_filter='/forward_backward/(actx|unfused)/'
//   bench_activations --benchmark_filter='/16777216$'
// plus the memory roofs copy/forward/memcpy/<n> and copy/forward/stream/<n>,
// and at 16M <activation>/forward/actx_paired/16777216, actx's forward timed
// in alternation with the streaming copy (measure_paired).
// Bytes processed counts the arrays of the pass once each (2, 3 or 4 floats
// per element), never an implementation's temporaries.
//
// The gated pairs (swiglu, geglu) take two inputs and are not benchmarked
// here.
#include "harness.hpp"

#include <actx/catalogue.hpp>
#include <actx/kernel/kernel.hpp>

#include <benchmark/benchmark.h>
#include <boost/hana/for_each.hpp>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <vector>

namespace actx_bench {

// One set of arrays per size, filled once and shared by every benchmark of
// that size; the outputs are written once here so that no benchmark pays
// for their first touch.
arrays const& arrays_of(std::size_t n) {
    struct owned {
        buffer x, dy, y, dx;
        arrays view;
    };
    static std::map<std::size_t, owned> all;
    auto found = all.find(n);
    if (found != all.end()) return found->second.view;
    owned o{allocate(n), allocate(n), allocate(n), allocate(n), {}};
    std::mt19937 random(20240601u + static_cast<unsigned>(n));
    std::uniform_real_distribution<float> inputs(-6.f, 6.f), gradients(-1.f, 1.f);
    for (std::size_t i = 0; i < n; ++i) {
        o.x[i] = inputs(random);
        o.dy[i] = gradients(random);
        o.y[i] = 0.f;
        o.dx[i] = 0.f;
    }
    o.view = {n, o.x.get(), o.dy.get(), o.y.get(), o.dx.get()};
    return all.emplace(n, std::move(o)).first->second.view;
}

namespace {

constexpr std::size_t in_memory = std::size_t{1} << 24;
constexpr std::size_t sizes[] = {4096, 65536, in_memory};
// Small arrays, where what a call costs before and after its loop (the
// checks of sizes and aliasing, the dispatch) is part of the time: relu (the
// shortest loop) and gelu only; 1000 (ImageNet's classes) ends in a tail of
// 8 floats on AVX-512, 1024 in none.
constexpr std::size_t small_sizes[] = {64, 256, 1000, 1024};
bool measured_small(std::string const& activation) { return activation == "relu" || activation == "gelu"; }

// ---- backward from the saved output, and bfloat16 storage ------------------------
// <activation>/backward_from_output/<impl>/<n>: dx from y = f(x) and dy, for
// the activations whose derivative is a function of y; y is computed by
// actx's forward before the timed loop.  3 float arrays per element.
// <activation>/forward/actx_bf16/<n>: forward on bfloat16 arrays (x is the
// float x rounded), computed in float; 2 bfloat16 arrays per element.

void register_from_output_and_bfloat16() {
    std::vector<implementation> peers_from_output;
#ifdef ACTX_BENCH_HAVE_ONEDNN
    for (auto& impl : onednn_from_output_implementations()) peers_from_output.push_back(std::move(impl));
#endif
#ifdef ACTX_BENCH_HAVE_PYTORCH
    for (auto& impl : pytorch_from_output_implementations()) peers_from_output.push_back(std::move(impl));
#endif
    boost::hana::for_each(actx::catalogue::unary, [&](auto entry) {
        using E = decltype(entry.expression);
        using K = actx::kernel_with<actx::default_values, E>;
        if constexpr (actx::has_derivative_from_output_v<E>) {
            std::vector<std::pair<std::string, setup>> runs{
                {"actx", [](arrays const& a, pass) -> run {
                     std::span<float const> y(a.y, a.n), dy(a.dy, a.n);
                     std::span<float> dx(a.dx, a.n);
                     return [=] { K{}.backward_from_output(y, dy, dx); };
                 }}};
            for (auto const& impl : peers_from_output)
                if (impl.activation == entry.name) runs.emplace_back(impl.name, impl.prepare);
            for (auto const& [impl, prepare_copy] : runs) {
                auto prepare = prepare_copy;  // a plain variable: clang 14 cannot capture a structured binding
                for (std::size_t n : sizes) {
                    std::string name = std::string(entry.name) + "/backward_from_output/" + impl + "/" + std::to_string(n);
                    benchmark::RegisterBenchmark(name.c_str(), [prepare, n](benchmark::State& state) {
                        auto const& a = arrays_of(n);
                        K{}.forward(std::span<float const>(a.x, n), std::span<float>(a.y, n));
                        run work = prepare(a, pass::backward);
                        for (auto _ : state) {
                            work();
                            benchmark::ClobberMemory();
                        }
                        auto elements = static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(n);
                        state.SetItemsProcessed(elements);
                        state.SetBytesProcessed(elements * static_cast<std::int64_t>(3 * sizeof(float)));
                    });
                }
            }
        }
        std::string activation = entry.name;
        if constexpr (K::params == 0) {
            if (activation != "relu" && activation != "gelu" && activation != "silu") return;
            for (std::size_t n : sizes) {
                std::string name = activation + "/forward/actx_bf16/" + std::to_string(n);
                benchmark::RegisterBenchmark(name.c_str(), [n](benchmark::State& state) {
                    auto const& a = arrays_of(n);
                    std::vector<actx::bfloat16> x(n), y(n);
                    for (std::size_t i = 0; i < n; ++i) x[i] = actx::bfloat16(a.x[i]);
                    K{}.forward(x, y);  // first touch of y outside the timed loop
                    for (auto _ : state) {
                        K{}.forward(x, y);
                        benchmark::ClobberMemory();
                    }
                    auto elements = static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(n);
                    state.SetItemsProcessed(elements);
                    state.SetBytesProcessed(elements * static_cast<std::int64_t>(2 * sizeof(actx::bfloat16)));
                });
            }
        }
    });
}

// ---- registration ---------------------------------------------------------------

void measure(benchmark::State& state, setup const& prepare, pass p, std::size_t n) {
    auto const& a = arrays_of(n);
    run work = prepare(a, p);
    for (auto _ : state) {
        work();
        benchmark::ClobberMemory();
    }
    auto elements = static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(n);
    state.SetItemsProcessed(elements);
    state.SetBytesProcessed(elements * static_cast<std::int64_t>(arrays_touched(p) * sizeof(float)));
}

// <activation>/forward/actx_paired/16777216: actx's forward and the streaming
// copy of the same bytes (copy/forward/stream), timed in alternation: a call
// of each per iteration, the order alternating.  The goal at 16M is a ratio
// of the two, and on a shared host the memory bandwidth drifts by tens of
// percent within a run: the best call of each, taken minutes apart, can fall
// in different phases (docs/performance.md, "/ stream roof"); calls taken
// within milliseconds of each other see the same phase.  The benchmark's
// time is the kernel's calls alone (the copy's are paused out of it; manual
// time would append "/manual_time" to the name, which a filter ending in
// /16777216$ then misses).  The counter `roof_ratio` is the kernel's calls
// over the copy's, each timed here, summed over the repetition's
// iterations, and `roof_ns` the copy's nanoseconds per element: the phase
// the ratio was taken in.
void measure_paired(benchmark::State& state, setup const& prepare, std::size_t n) {
    using clock = std::chrono::steady_clock;
    auto const& a = arrays_of(n);
    run work = prepare(a, pass::forward);
    double kernel_seconds = 0, copy_seconds = 0;
    bool copy_first = true;
    auto time = [](auto&& call) {
        auto start = clock::now();
        call();
        benchmark::ClobberMemory();
        return std::chrono::duration<double>(clock::now() - start).count();
    };
    auto timed_copy = [&] {
        state.PauseTiming();
        copy_seconds += time([&] { copy_stream(a.x, a.y, n); });
        state.ResumeTiming();
    };
    for (auto _ : state) {
        if (copy_first) timed_copy();
        kernel_seconds += time(work);
        if (!copy_first) timed_copy();
        copy_first = !copy_first;
    }
    state.counters["roof_ratio"] = copy_seconds > 0 ? kernel_seconds / copy_seconds : 0.0;
    state.counters["roof_ns"] = copy_seconds * 1e9 / static_cast<double>(state.iterations() * n);
    auto elements = static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(n);
    state.SetItemsProcessed(elements);
    state.SetBytesProcessed(elements * static_cast<std::int64_t>(2 * sizeof(float)));
}

void register_all() {
    for (std::size_t n : sizes) {
        for (auto roof : {std::pair{"memcpy", &copy_memcpy}, std::pair{"stream", &copy_stream}}) {
            auto copy = roof.second;  // a plain variable: clang 14 cannot capture a structured binding
            std::string name = std::string("copy/forward/") + roof.first + "/" + std::to_string(n);
            benchmark::RegisterBenchmark(name.c_str(), [copy, n](benchmark::State& state) {
                auto const& a = arrays_of(n);
                for (auto _ : state) {
                    copy(a.x, a.y, n);
                    benchmark::ClobberMemory();
                }
                auto elements = static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(n);
                state.SetItemsProcessed(elements);
                state.SetBytesProcessed(elements * static_cast<std::int64_t>(2 * sizeof(float)));
            });
        }
    }
    auto implementations = all_implementations();
    for (auto const& activation : catalogue_order()) {
        for (pass p : all_passes) {
            for (auto const& impl : implementations) {
                if (impl.activation != activation || (impl.offers && !impl.offers(p))) continue;
                std::vector<std::size_t> ns(std::begin(sizes), std::end(sizes));
                if (measured_small(activation)) ns.insert(ns.begin(), std::begin(small_sizes), std::end(small_sizes));
                for (std::size_t n : ns) {
                    // The unfused baseline and SLEEF's loop take whole
                    // vectors only.
                    if ((impl.name == "unfused" || impl.name == "sleef") && n % 64 != 0) continue;
                    std::string name = activation + "/" + name_of(p) + "/" + impl.name + "/" + std::to_string(n);
                    auto prepare = impl.prepare;
                    benchmark::RegisterBenchmark(name.c_str(), [prepare, p, n](benchmark::State& state) {
                        measure(state, prepare, p, n);
                    });
                }
                if (impl.name == "actx" && p == pass::forward) {
                    std::string name = activation + "/forward/actx_paired/" + std::to_string(in_memory);
                    auto prepare = impl.prepare;
                    benchmark::RegisterBenchmark(name.c_str(), [prepare](benchmark::State& state) {
                        measure_paired(state, prepare, in_memory);
                    });
                }
            }
        }
    }
}

std::string cpu_model() {
    std::ifstream cpuinfo("/proc/cpuinfo");
    std::string line;
    while (std::getline(cpuinfo, line)) {
        if (line.rfind("model name", 0) == 0) {
            auto colon = line.find(':');
            if (colon != std::string::npos) return line.substr(colon + 2);
        }
    }
    return "unknown";
}

std::string peers() {
    std::string found = "scalar, scalar_fastmath";
#ifdef ACTX_BENCH_HAVE_EIGEN
    found += ", eigen";
#endif
#ifdef ACTX_BENCH_HAVE_ONEDNN
    found += ", onednn";
#endif
#ifdef ACTX_BENCH_HAVE_SLEEF
    found += ", sleef";
#endif
#ifdef ACTX_BENCH_HAVE_PYTORCH
    found += ", pytorch";
#endif
    return found;
}

}  // namespace
}  // namespace actx_bench

int main(int argc, char** argv) {
    // One thread for every implementation: oneDNN's OpenMP runtime reads this
    // when it starts, which is after main begins.
    setenv("OMP_NUM_THREADS", "1", 1);
    actx_bench::register_all();
    actx_bench::register_from_output_and_bfloat16();
    benchmark::AddCustomContext("cpu_model", actx_bench::cpu_model());
#if defined(__clang__)
    benchmark::AddCustomContext("compiler", "clang++ " __clang_version__);
#else
    benchmark::AddCustomContext("compiler", "g++ " __VERSION__);
#endif
    benchmark::AddCustomContext("actx_values",
                                std::is_same_v<actx::default_values, actx::scalar_values>
                                    ? "scalar (one element at a time: the vector pack is not available)"
                                    : "vector");
    benchmark::AddCustomContext("peers", actx_bench::peers());
    // The instruction set the kernels and the compiled peers were built for;
    // oneDNN and PyTorch choose theirs when they run (scripts/bench.sh
    // limits them to it: ONEDNN_MAX_CPU_ISA, ATEN_CPU_CAPABILITY).
#if defined(__AVX512F__)
    benchmark::AddCustomContext("isa", "AVX-512");
#elif defined(__AVX2__)
    benchmark::AddCustomContext("isa", "AVX2");
#elif defined(__SSE2__)
    benchmark::AddCustomContext("isa", "SSE2");
#else
    benchmark::AddCustomContext("isa", "other");
#endif
    for (char const* variable : {"ONEDNN_MAX_CPU_ISA", "ATEN_CPU_CAPABILITY"})
        if (char const* value = std::getenv(variable)) benchmark::AddCustomContext(variable, value);
    // Three repetitions of 0.03 s each, interleaved in random order, keep the
    // whole run near 10 minutes on 2 cores; the report takes each benchmark's
    // best repetition, which on a shared virtual machine (run-to-run spread
    // of 20% measured here) is the steadiest figure.  They are given as the
    // flags' defaults rather than per benchmark (MinTime would append
    // "/min_time:0.030" to every name); the same flags on the command line
    // come later and win.
    std::vector<char*> args(argv, argv + argc);
    std::string defaults[] = {"--benchmark_min_time=0.03", "--benchmark_repetitions=3",
                              "--benchmark_enable_random_interleaving=true"};
    for (std::size_t i = 0; i < std::size(defaults); ++i) args.insert(args.begin() + 1 + i, defaults[i].data());
    int count = static_cast<int>(args.size());
    benchmark::Initialize(&count, args.data());
    if (benchmark::ReportUnrecognizedArguments(count, args.data())) return 1;
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
