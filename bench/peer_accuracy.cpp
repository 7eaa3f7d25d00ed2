// How accurate each implementation of the speed benchmarks is: actx, its
// fast path and every peer found at configure time, forward and backward
// (dy = 1: the derivative itself), against the same __float128 references as
// the accuracy tests (tests/unit/quad_references.hpp, written from torch.nn
// and differentiated by hand), measured the way those tests measure actx:
//   * error in ULP of the float nearest the true result, wherever that is a
//     normal float and the input finite;
//   * the root rule for the derivatives with an interior zero (silu, gelu,
//     gelu_tanh, mish): where the terms cancel by more than one bit the error
//     is in ULP of the largest term;
//   * a NaN or infinity where the true result is a finite float is counted
//     apart, and so is an input NaN that does not come out as NaN.
// Each implementation runs exactly as it is timed (the same setup and run
// over arrays of n floats; n a multiple of 64).
//
//   bench_peer_accuracy            Markdown table on stdout (about a minute)
//   bench_peer_accuracy --quick    a sixteenth of the inputs
//
// Inputs: every 2^14-th float bit pattern with its low bits varied (2^18
// patterns of both signs: subnormals, normals up to FLT_MAX, +-inf), 2^13
// evenly spaced points in each range where formulas lose digits (where e^x
// leaves the normal floats, the elu family's saturation, the tails of gelu,
// +-8, +-1 and 2^-20 around 0, softplus's threshold), and a row of NaNs.
#include "harness.hpp"

#include "../tests/unit/quad_references.hpp"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace actx_bench {
namespace {

using actx_reference::quad;
using quad_function = quad (*)(quad);

struct reference {
    quad_function value;
    quad_function derivative;
    quad_function largest_term;  // the root rule's scale, or nullptr
};

std::map<std::string, reference> const& references() {
    using namespace actx_reference;
    static std::map<std::string, reference> const table{
        {"relu", {relu_r, relu_d, nullptr}},
        {"relu6", {relu6_r, relu6_d, nullptr}},
        {"hardtanh", {hardtanh_r, hardtanh_d, nullptr}},
        {"leaky_relu", {leaky_r, leaky_d, nullptr}},
        {"prelu", {prelu_r, prelu_d, nullptr}},
        {"elu", {elu_r, elu_d, nullptr}},
        {"selu", {selu_r, selu_d, nullptr}},
        {"celu", {celu_r, celu_d, nullptr}},
        {"gelu", {gelu_r, gelu_d, gelu_s}},
        {"gelu_tanh", {gelu_tanh_r, gelu_tanh_d, gelu_tanh_s}},
        {"silu", {silu_r, silu_d, silu_s}},
        {"mish", {mish_r, mish_d, mish_s}},
        {"sigmoid", {sigmoid_r, sigmoid_d, nullptr}},
        {"tanh", {tanh_r, tanh_d, nullptr}},
        {"softplus", {softplus_r, softplus_d, nullptr}},
        {"softsign", {softsign_r, softsign_d, nullptr}},
        {"hardsigmoid", {hardsigmoid_r, hardsigmoid_d, nullptr}},
        {"hardswish", {hardswish_r, hardswish_d, nullptr}},
        {"logsigmoid", {logsigmoid_r, logsigmoid_d, nullptr}},
        {"tanhshrink", {tanhshrink_r, tanhshrink_d, nullptr}},
    };
    return table;
}

float from_bits(std::uint32_t b) {
    float f;
    std::memcpy(&f, &b, sizeof f);
    return f;
}

// The finite inputs (NaNs are tested apart), padded with zeros to a
// multiple of 64.
std::vector<float> inputs(bool quick) {
    std::vector<float> xs;
    const std::uint32_t step = quick ? 1u << 18 : 1u << 14;
    std::uint32_t mix = 12345u;
    for (std::uint64_t b = 0; b < (std::uint64_t{1} << 32); b += step) {
        mix = mix * 1664525u + 1013904223u;
        float x = from_bits(static_cast<std::uint32_t>(b) | (mix >> 8) % step);
        if (!std::isnan(x)) xs.push_back(x);
    }
    const double ranges[][2] = {{-104, -80}, {-20, -8}, {-15, -9}, {-8, 8}, {-1, 1},
                                {-0x1p-20, 0x1p-20}, {8, 20}, {19, 21}, {80, 90}};
    const int points = quick ? 1 << 9 : 1 << 13;
    for (auto const& r : ranges)
        for (int i = 0; i <= points; ++i) xs.push_back(static_cast<float>(r[0] + (r[1] - r[0]) * i / points));
    xs.insert(xs.end(), {0.f, -0.f, FLT_MIN, -FLT_MIN, FLT_MAX, -FLT_MAX, FLT_TRUE_MIN, -FLT_TRUE_MIN, INFINITY,
                         -INFINITY});
    xs.resize((xs.size() + 63) / 64 * 64, 0.f);
    return xs;
}

quad ulp_at(float nearest) { return ldexpq(1, std::ilogb(nearest) - 23); }

struct error {
    double max_ulp = 0;
    float at = 0;
    std::size_t non_finite = 0;  // NaN or inf where the true result is a finite float
    bool nan_kept = true;        // NaN in gave NaN out
    bool measured = false;
};

void measure(error& e, float x, float got, quad truth, quad term) {
    const float nearest = static_cast<float>(truth);
    if (!std::isfinite(nearest)) return;  // beyond the floats
    if (!std::isfinite(got)) {
        ++e.non_finite;
        return;
    }
    quad unit;
    if (term > 0 && fabsq(truth) < term / 2 && static_cast<float>(term) >= FLT_MIN)
        unit = ulp_at(static_cast<float>(term));
    else if (std::abs(nearest) < FLT_MIN)
        return;  // subnormal or 0: not bounded in ULP
    else
        unit = ulp_at(nearest);
    const double ulps = static_cast<double>(fabsq(static_cast<quad>(got) - truth) / unit);
    if (ulps > e.max_ulp) {
        e.max_ulp = ulps;
        e.at = x;
    }
}

// Runs the implementation's forward, and its backward (or its
// forward_backward where it has no backward from x), over xs with dy = 1.
struct outputs {
    std::vector<float> y, dx;
};
outputs evaluate(implementation const& impl, std::vector<float> const& xs) {
    const std::size_t n = xs.size();
    buffer x = allocate(n), dy = allocate(n), y = allocate(n), dx = allocate(n);
    std::copy(xs.begin(), xs.end(), x.get());
    std::fill_n(dy.get(), n, 1.f);
    std::fill_n(y.get(), n, 0.f);
    std::fill_n(dx.get(), n, 0.f);
    arrays a{n, x.get(), dy.get(), y.get(), dx.get()};
    outputs out;
    impl.prepare(a, pass::forward)();
    out.y.assign(y.get(), y.get() + n);
    const pass gradient = !impl.offers || impl.offers(pass::backward) ? pass::backward : pass::forward_backward;
    if (!impl.offers || impl.offers(gradient)) {
        impl.prepare(a, gradient)();
        out.dx.assign(dx.get(), dx.get() + n);
    }
    return out;
}

std::string cell(error const& e) {
    if (!e.measured) return "";
    char text[96];
    if (e.max_ulp < 10)
        std::snprintf(text, sizeof text, "%.2f", e.max_ulp);
    else if (e.max_ulp < 1e4)
        std::snprintf(text, sizeof text, "%.0f", e.max_ulp);
    else
        std::snprintf(text, sizeof text, "%.1e", e.max_ulp);
    std::string s = text;
    if (e.max_ulp >= 10) {
        std::snprintf(text, sizeof text, " at %.3g", static_cast<double>(e.at));
        s += text;
    }
    if (e.non_finite > 0) s += "; " + std::to_string(e.non_finite) + " NaN/inf";
    if (!e.nan_kept) s += "; NaN lost";
    return s;
}

}  // namespace
}  // namespace actx_bench

int main(int argc, char** argv) {
    using namespace actx_bench;
    const bool quick = argc > 1 && std::strcmp(argv[1], "--quick") == 0;
    const std::vector<float> xs = inputs(quick);
    const std::vector<float> nans(64, std::numeric_limits<float>::quiet_NaN());
    const char* columns[] = {"actx", "actx_fast", "scalar", "scalar_fastmath", "eigen", "onednn", "sleef", "pytorch"};

    auto implementations = all_implementations();
    std::vector<std::string> present;
    for (auto const* c : columns)
        if (std::any_of(implementations.begin(), implementations.end(), [&](auto const& i) { return i.name == c; }))
            present.push_back(c);

    std::printf("Max error in ULP over %zu inputs (float32, dy = 1), against __float128; \"at\" is the input "
                "where it is largest.\n\n| activation | pass |",
                xs.size());
    for (auto const& c : present) std::printf(" %s |", c.c_str());
    std::printf("\n|---|---|");
    for (std::size_t i = 0; i < present.size(); ++i) std::printf("---|");
    std::printf("\n");

    for (auto const& activation : catalogue_order()) {
        auto found = references().find(activation);
        if (found == references().end()) continue;
        reference const& ref = found->second;
        std::vector<quad> value(xs.size()), derivative(xs.size()), term(xs.size(), 0);
        for (std::size_t i = 0; i < xs.size(); ++i) {
            if (!std::isfinite(xs[i])) continue;
            value[i] = ref.value(xs[i]);
            derivative[i] = ref.derivative(xs[i]);
            if (ref.largest_term != nullptr) term[i] = ref.largest_term(xs[i]);
        }
        std::map<std::string, error> forward, backward;
        for (auto const& impl : implementations) {
            if (impl.activation != activation ||
                std::find(present.begin(), present.end(), impl.name) == present.end())
                continue;
            outputs o = evaluate(impl, xs);
            outputs on_nan = evaluate(impl, nans);
            error& f = forward[impl.name];
            f.measured = true;
            for (std::size_t i = 0; i < xs.size(); ++i)
                if (std::isfinite(xs[i])) measure(f, xs[i], o.y[i], value[i], 0);
            f.nan_kept = std::all_of(on_nan.y.begin(), on_nan.y.end(), [](float v) { return std::isnan(v); });
            if (!o.dx.empty()) {
                error& b = backward[impl.name];
                b.measured = true;
                for (std::size_t i = 0; i < xs.size(); ++i)
                    if (std::isfinite(xs[i])) measure(b, xs[i], o.dx[i], derivative[i], term[i]);
                b.nan_kept =
                    std::all_of(on_nan.dx.begin(), on_nan.dx.end(), [](float v) { return std::isnan(v); });
            }
        }
        for (auto* errors : {&forward, &backward}) {
            std::printf("| %s | %s |", activation.c_str(), errors == &forward ? "forward" : "backward");
            for (auto const& c : present) std::printf(" %s |", cell((*errors)[c]).c_str());
            std::printf("\n");
        }
        std::fflush(stdout);
    }
    return 0;
}
