// The machinery the kernels' accuracy sweeps share (kernel_accuracy_reference.cpp
// for float, kernel_double_reference.cpp for double): the sweep mode, the
// seed hash of their random inputs, the number of threads, and the run over
// the inputs in chunks on those threads, each thread with results of its own,
// merged at the end.
#pragma once

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <iomanip>
#include <span>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace actx_reference {
namespace {

// ACTX_FULL_SWEEP=1 selects the full sweep; CI runs the sampled one.
inline bool full_sweep() {
    char const* e = std::getenv("ACTX_FULL_SWEEP");
    return e && std::string(e) == "1";
}

// splitmix64's finaliser: the i-th random input is a function of i alone, so
// a run is the same whatever the threads.
inline std::uint64_t hash(std::uint64_t z) {
    z += 0x9e3779b97f4a7c15ull;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

// Every core for the full sweep, one thread for the sampled one;
// ACTX_THREADS=n overrides.
inline unsigned sweep_threads(bool full) {
    unsigned threads = full ? std::max(1u, std::thread::hardware_concurrency()) : 1;
    if (char const* t = std::getenv("ACTX_THREADS")) threads = static_cast<unsigned>(std::max(1, std::atoi(t)));
    return threads;
}

// run(xs, first, results) over the inputs in chunks of 4096 (first: the index
// of xs[0] in inputs), chunks handed out to the threads in turn; each thread
// starts from a copy of `initial` and the copies are merged (Result::merge).
template <class T, class Result, class Run>
std::vector<Result> run_in_chunks(std::vector<T> const& inputs, std::vector<Result> const& initial, unsigned threads,
                                  Run run) {
    constexpr std::size_t chunk_size = 4096;
    const std::size_t chunks = (inputs.size() + chunk_size - 1) / chunk_size;
    std::atomic<std::size_t> next{0};
    std::vector<std::vector<Result>> partial(threads, initial);
    auto work = [&](unsigned t) {
        for (std::size_t k = next++; k < chunks; k = next++) {
            const std::size_t first = k * chunk_size, n = std::min(chunk_size, inputs.size() - first);
            run(std::span<T const>(inputs.data() + first, n), first, partial[t]);
        }
    };
    std::vector<std::thread> pool;
    for (unsigned t = 1; t < threads; ++t) pool.emplace_back(work, t);
    work(0);
    for (auto& th : pool) th.join();
    std::vector<Result> merged = partial[0];
    for (unsigned t = 1; t < threads; ++t)
        for (std::size_t r = 0; r < merged.size(); ++r) merged[r].merge(partial[t][r]);
    return merged;
}

inline std::string fixed(double v, int digits) {
    if (std::isinf(v)) return "inf";
    std::ostringstream s;
    s << std::fixed << std::setprecision(digits) << v;
    return s.str();
}

}  // namespace
}  // namespace actx_reference
