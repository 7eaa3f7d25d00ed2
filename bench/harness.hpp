// What every implementation in the activation benchmarks is given and gives
// back: the same arrays (one set per size, shared, so no benchmark pays for
// filling them), and a setup function that does all allocation and planning
// outside the timed loop and returns the work itself.
#pragma once

#include <cstddef>
#include <cstdlib>
#include <functional>
#include <memory>
#include <new>
#include <string>
#include <vector>

namespace actx_bench {

enum class pass { forward, backward, forward_backward };
inline constexpr pass all_passes[] = {pass::forward, pass::backward, pass::forward_backward};

constexpr char const* name_of(pass p) {
    switch (p) {
        case pass::forward: return "forward";
        case pass::backward: return "backward";
        case pass::forward_backward: return "forward_backward";
    }
    return "?";
}

// Arrays touched per element: forward reads x and writes y, backward reads x
// and dy and writes dx, forward_backward does both (x read once).
constexpr std::size_t arrays_touched(pass p) {
    return p == pass::forward ? 2 : p == pass::backward ? 3 : 4;
}

// n floats, 64-byte aligned, freed with the buffer.
struct aligned_free {
    void operator()(float* p) const { std::free(p); }
};
using buffer = std::unique_ptr<float[], aligned_free>;
inline buffer allocate(std::size_t n) {
    // aligned_alloc takes a multiple of the alignment.
    auto* p = static_cast<float*>(std::aligned_alloc(64, (n * sizeof(float) + 63) / 64 * 64));
    if (p == nullptr) throw std::bad_alloc();
    return buffer(p);
}

// n floats each, 64-byte aligned, n a multiple of 64 but at 1000 (where only
// the implementations that take any n are measured).  x is uniform in
// [-6, 6] (both sides of every kink: 0, +-1, +-3, 6), dy uniform in [-1, 1].
struct arrays {
    std::size_t n;
    float const* x;
    float const* dy;
    float* y;
    float* dx;
};

// The arrays of size n (activations.cpp): one set per size, filled once and
// shared by every benchmark of that size.
arrays const& arrays_of(std::size_t n);

// PReLU's slope where an implementation takes it as a runtime scalar.
inline constexpr float prelu_slope = 0.25f;

// The timed work: everything it needs is already allocated.
using run = std::function<void()>;
// Sets up one pass over `a`, one that the implementation offers.
using setup = std::function<run(arrays const& a, pass p)>;

struct implementation {
    std::string activation;  // the catalogue's name
    std::string name;        // the column in the report: actx, unfused, scalar, ...
    setup prepare;
    std::function<bool(pass)> offers{};  // the passes it has; empty: all three
};

// Every implementation of every one-input activation of the catalogue
// (implementations.cpp): actx, actx_fast where it differs, unfused, and the
// peers below that were found; and the catalogue's order of activations.
std::vector<implementation> all_implementations();
std::vector<std::string> catalogue_order();

// One list per implementation family, each in its own translation unit.
std::vector<implementation> scalar_implementations();
std::vector<implementation> scalar_fastmath_implementations();
#ifdef ACTX_BENCH_HAVE_EIGEN
std::vector<implementation> eigen_implementations();
#endif
#ifdef ACTX_BENCH_HAVE_ONEDNN
std::vector<implementation> onednn_implementations();
#endif
#ifdef ACTX_BENCH_HAVE_SLEEF
std::vector<implementation> sleef_implementations();
#endif
#ifdef ACTX_BENCH_HAVE_ONEDNN
// oneDNN's eltwise_*_use_dst_for_bwd backward: dx from a.y = f(x) and a.dy
// (the pass argument is not used).
std::vector<implementation> onednn_from_output_implementations();
// oneDNN's PReLU backward primitive (dx and the slopes' gradient) on the
// benchmark's arrays with `channels` slopes, laid out as
// pytorch_prelu_backward_slopes below but for one slope, which is shape
// {1, 1, n} (the shape oneDNN's jit code takes: bench/onednn.cpp).
run onednn_prelu_backward_slopes(arrays const& a, std::size_t channels, std::size_t inner, bool channels_last);
#endif
#ifdef ACTX_BENCH_HAVE_PYTORCH
std::vector<implementation> pytorch_implementations();
// PyTorch's backward from the saved output, as autograd runs it: dx from
// a.y = f(x) and a.dy (the pass argument is not used).
std::vector<implementation> pytorch_from_output_implementations();
// PyTorch's prelu backward (`prelu_backward`, what autograd calls for
// nn.PReLU), which always computes the slopes' gradient with dx: the
// benchmark's arrays as a tensor of `channels` slopes, channels last
// (shape {n / channels, channels}) or first ({n / (channels * inner),
// channels, inner}); one slope is shape {n}.
run pytorch_prelu_backward_slopes(arrays const& a, std::size_t channels, std::size_t inner, bool channels_last);
#endif

// Memory roofs for the forward pass: n floats read, n written.
void copy_memcpy(float const* from, float* to, std::size_t n);
// Non-temporal stores: what a pass that reads x and writes y can at best do
// once the arrays are larger than the caches.
void copy_stream(float const* from, float* to, std::size_t n);

}  // namespace actx_bench
