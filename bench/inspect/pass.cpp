// One pass of one fused kernel, in a function of its own, for reading the
// code the compiler makes of it (bench/inspect.sh, bench/loop_counts.py).
//   ACTX_ACTIVATION  an activation of the catalogue, by name (catalogue.hpp:
//                    prelu's slope is param<0>, swiglu and geglu take x and
//                    y); default gelu
//   ACTX_EXPRESSION  or an expression, of x = var<0>, y = var<1> and param<K>
//   ACTX_PASS        forward, backward, forward_backward or
//                    backward_from_output (default forward)
// The pass runs on float arrays, every parameter one value (a uniform slope;
// its gradient, where asked for, one sum), as an application calls it.
// main runs it once on a few elements, so that a build for this machine is
// also a check that the code runs.
#include <actx/actx.hpp>
#include <actx/catalogue.hpp>

#include <array>
#include <cstdio>
#include <span>
#include <string_view>
#include <utility>
#include <vector>

#if !defined(ACTX_EXPRESSION) && !defined(ACTX_ACTIVATION)
#define ACTX_ACTIVATION gelu
#endif
#ifndef ACTX_PASS
#define ACTX_PASS forward
#endif
#define ACTX_INSPECT_STRING(s) ACTX_INSPECT_STRING2(s)
#define ACTX_INSPECT_STRING2(s) #s

namespace {

using namespace actx;
[[maybe_unused]] constexpr auto x = var<0>;
[[maybe_unused]] constexpr auto y = var<1>;
#ifdef ACTX_ACTIVATION
constexpr std::string_view written = ACTX_INSPECT_STRING(ACTX_ACTIVATION);
template <class Table>
constexpr std::size_t length_of = decltype(boost::hana::length(std::declval<Table const&>()))::value;
// The position of the entry named `written` in a table of the catalogue;
// the table's length if there is none.
template <class Table>
constexpr std::size_t index_in(Table const& table) {
    std::size_t found = length_of<Table>, i = 0;
    boost::hana::for_each(table, [&](auto const& entry) {
        if (std::string_view(entry.name) == written) found = i;
        ++i;
    });
    return found;
}
template <std::size_t Unary, std::size_t Binary>
constexpr auto entry_named() {
    if constexpr (Unary < length_of<decltype(catalogue::unary)>) {
        return boost::hana::at_c<Unary>(catalogue::unary).expression;
    } else {
        static_assert(Binary < length_of<decltype(catalogue::binary)>,
                      "inspect: ACTX_ACTIVATION names no activation of the catalogue (catalogue.hpp)");
        return boost::hana::at_c<Binary>(catalogue::binary).expression;
    }
}
constexpr auto expression = entry_named<index_in(catalogue::unary), index_in(catalogue::binary)>();
#else
constexpr std::string_view written = ACTX_INSPECT_STRING(ACTX_EXPRESSION);
constexpr auto expression = ACTX_EXPRESSION;
#endif
using K = decltype(kernel(expression));
constexpr std::string_view pass = ACTX_INSPECT_STRING(ACTX_PASS);
static_assert(pass == "forward" || pass == "backward" || pass == "forward_backward" ||
                  pass == "backward_from_output",
              "inspect: ACTX_PASS is forward, backward, forward_backward or backward_from_output");

template <class S, std::size_t N>
std::array<S, N> spans(auto* const* p, std::size_t n) {
    std::array<S, N> a{};
    for (std::size_t i = 0; i < N; ++i) a[i] = S(p[i], n);
    return a;
}

template <class Kernel>
void run(Kernel const& k, float const* const* in, float const* const* grad_out, float* const* out,
         float* const* grad_in, float const* const* params, float* const* grad_params, std::size_t n) {
    auto const xs = spans<std::span<float const>, Kernel::inputs>(in, n);
    auto const dys = spans<std::span<float const>, Kernel::outputs>(grad_out, n);
    auto const ys = spans<std::span<float>, Kernel::outputs>(out, n);
    auto const dxs = spans<std::span<float>, Kernel::inputs>(grad_in, n);
    auto const ps = spans<std::span<float const>, Kernel::params>(params, 1);
    auto const dps = spans<std::span<float>, Kernel::params>(grad_params, 1);
    if constexpr (pass == "forward") {
        k.template forward<float>(xs, ys, ps);
    } else if constexpr (pass == "backward") {
        k.template backward<float>(xs, dys, dxs, ps, dps);
    } else if constexpr (pass == "forward_backward") {
        k.template forward_backward<float>(xs, dys, ys, dxs, ps, dps);
    } else {
        k.template backward_from_output<float>({std::span<float const>(out[0], n)}, dys, dxs);
    }
}

// The arrays a pass reads element by element, for bench/loop_counts.py to count
// the vectors of a step by: x (and y, for the backward from the output),
// and the upstream gradients where it has them.
constexpr std::size_t sources = pass == "forward" ? K::inputs
                                : pass == "backward_from_output" ? 2 * K::outputs
                                                                 : K::inputs + K::outputs;
static_assert(sources < 10);

}  // namespace

extern "C" [[gnu::used]] char const actx_inspected_sources[] = {'a', 'c', 't', 'x', '-', 's', 'o', 'u', 'r',
                                                               'c', 'e', 's', '=', char('0' + sources), 0};

// The inspected function: its loop is what bench/loop_counts.py reports.
extern "C" [[gnu::noinline]] void actx_inspected_pass(float const* const* in, float const* const* grad_out,
                                                      float* const* out, float* const* grad_in,
                                                      float const* const* params, float* const* grad_params,
                                                      std::size_t n) {
    run(K{}, in, grad_out, out, grad_in, params, grad_params, n);
}

int main() {
    constexpr std::size_t n = 100;  // whole vectors and a tail on every instruction set
    constexpr std::size_t arrays = K::inputs + K::outputs;
    std::vector<std::vector<float>> storage(2 * arrays, std::vector<float>(n));
    std::array<float const*, arrays> readonly{};
    std::array<float*, arrays> writable{};
    for (std::size_t i = 0; i < arrays; ++i) {
        for (std::size_t e = 0; e < n; ++e) storage[i][e] = -4.0f + 0.08f * float(e + i);
        readonly[i] = storage[i].data();
        writable[i] = storage[arrays + i].data();
    }
    std::array<float, K::params + 1> slope{}, slope_gradient{};
    std::array<float const*, K::params + 1> params{};
    std::array<float*, K::params + 1> grad_params{};
    for (std::size_t k = 0; k < K::params; ++k) {
        slope[k] = 0.25f;
        params[k] = &slope[k];
        grad_params[k] = &slope_gradient[k];
    }
    // out: the first writable arrays; the gradients after them.
    actx_inspected_pass(readonly.data(), readonly.data() + K::inputs, writable.data(), writable.data() + K::outputs,
                        params.data(), grad_params.data(), n);
    std::printf("%s %s: ran on %zu elements\n", written.data(), pass.data(), n);
}
