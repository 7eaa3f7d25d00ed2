// The activations of the catalogue as the accuracy tests of the fused
// kernels see them (kernel_accuracy_reference.cpp for float,
// kernel_double_reference.cpp for double): each one's __float128 value and
// derivative (quad_references.hpp), the largest term of a derivative with an
// interior root, the forward bound and the limits at +-inf.
#pragma once

#include "quad_references.hpp"

#include <cmath>
#include <limits>
#include <string_view>
#include <vector>

namespace actx_reference {
namespace {

const quad qinf = static_cast<quad>(std::numeric_limits<double>::infinity());

// The bounds, in ULP of the result's format, wherever the true result is a
// normal number.
constexpr double primitive = 2;    // forward bound of a single-primitive activation
constexpr double composition = 4;  // forward bound of a composition (and of the relu family)
constexpr double backward_bound = 4;

// One activation: its value and derivative in quad, the magnitude of its
// derivative's largest term where the derivative has an interior root, its
// forward bound, and its limits at +-inf (value, derivative).
struct spec {
    std::string_view name;
    quad (*value)(quad);
    quad (*derivative)(quad);
    quad (*term)(quad);  // null unless the derivative has an interior root
    double forward_bound;
    quad v_pos, v_neg, d_pos, d_neg;
};

// The gated pairs g(a) * b are described by their gate g.
std::vector<spec> const& specs() {
    static const std::vector<spec> all = {
        //   name          value          derivative     term         forward      v(+inf) v(-inf) d(+inf) d(-inf)
        {"relu",        relu_r,        relu_d,        nullptr,     composition, qinf, 0, 1, 0},
        {"relu6",       relu6_r,       relu6_d,       nullptr,     composition, 6, 0, 0, 0},
        {"hardtanh",    hardtanh_r,    hardtanh_d,    nullptr,     composition, 1, -1, 0, 0},
        {"leaky_relu",  leaky_r,       leaky_d,       nullptr,     composition, qinf, -qinf, 1, leaky_slope_q},
        {"prelu",       prelu_r,       prelu_d,       nullptr,     composition, qinf, -qinf, 1, prelu_slope_q},
        {"elu",         elu_r,         elu_d,         nullptr,     primitive,   qinf, -1, 1, 0},
        {"selu",        selu_r,        selu_d,        nullptr,     primitive,   qinf, -selu_lambda_q * selu_alpha_q,
                                                                                selu_lambda_q, 0},
        {"celu",        celu_r,        celu_d,        nullptr,     primitive,   qinf, -1, 1, 0},
        {"gelu",        gelu_r,        gelu_d,        gelu_s,      composition, qinf, 0, 1, 0},
        {"gelu_tanh",   gelu_tanh_r,   gelu_tanh_d,   gelu_tanh_s, composition, qinf, 0, 1, 0},
        {"silu",        silu_r,        silu_d,        silu_s,      primitive,   qinf, 0, 1, 0},
        {"mish",        mish_r,        mish_d,        mish_s,      composition, qinf, 0, 1, 0},
        {"sigmoid",     sigmoid_r,     sigmoid_d,     nullptr,     primitive,   1, 0, 0, 0},
        {"tanh",        tanh_r,        tanh_d,        nullptr,     primitive,   1, -1, 0, 0},
        {"softplus",    softplus_r,    softplus_d,    nullptr,     primitive,   qinf, 0, 1, 0},
        {"softsign",    softsign_r,    softsign_d,    nullptr,     primitive,   1, -1, 0, 0},
        {"hardsigmoid", hardsigmoid_r, hardsigmoid_d, nullptr,     composition, 1, 0, 0, 0},
        {"hardswish",   hardswish_r,   hardswish_d,   nullptr,     composition, qinf, 0, 1, 0},
        {"logsigmoid",  logsigmoid_r,  logsigmoid_d,  nullptr,     primitive,   0, -qinf, 0, 1},
        {"tanhshrink",  tanhshrink_r,  tanhshrink_d,  nullptr,     composition, qinf, -qinf, 1, 1},
        // gated: the gate's spec; the forward bound is that of a composition
        {"swiglu",      silu_r,        silu_d,        silu_s,      composition, qinf, 0, 1, 0},
        {"geglu",       gelu_r,        gelu_d,        gelu_s,      composition, qinf, 0, 1, 0},
    };
    return all;
}

spec const* find_spec(std::string_view name) {
    for (spec const& s : specs())
        if (s.name == name) return &s;
    return nullptr;
}

// The value, derivative and largest term of the derivative (0 unless it
// has an interior root) at x; at +-inf the limits of the first two, at NaN 0.
struct reference {
    quad value, derivative, term;
};
template <class T>
reference reference_at(spec const& s, T x) {
    if (std::isnan(x)) return {0, 0, 0};
    if (std::isinf(x)) return {x > 0 ? s.v_pos : s.v_neg, x > 0 ? s.d_pos : s.d_neg, 0};
    const quad q = x;
    return {s.value(q), s.derivative(q), s.term ? s.term(q) : 0};
}

}  // namespace
}  // namespace actx_reference
