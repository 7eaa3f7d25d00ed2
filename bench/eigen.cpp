// Eigen 3.4 array expressions: each activation written as one would with
// Eigen, over Eigen::Map views of the benchmark's arrays, with Eigen's own
// vectorised exp, expm1, log1p, tanh, erf and logistic.  Every assignment is
// one fused loop; forward_backward is two assignments (Eigen has no way to
// write two destinations from one expression), and a subexpression used
// twice in one expression is evaluated twice (Eigen does not share them).
#include "harness.hpp"

#include <Eigen/Core>
#include <unsupported/Eigen/SpecialFunctions>

namespace actx_bench {
namespace {

using Array = Eigen::ArrayXf;
using In = Eigen::Map<Array const, Eigen::Aligned64>;
using Out = Eigen::Map<Array, Eigen::Aligned64>;

constexpr float selu_scale = 1.0507009873554804934193349852946f;
constexpr float selu_alpha = 1.6732632423543772848170429916717f;
constexpr float sqrt_half = 0.7071067811865476f;
constexpr float inv_sqrt_2pi = 0.3989422804014327f;
constexpr float gelu_beta = 0.7978845608028654f;
constexpr float gelu_kappa = 0.044715f;

// An activation: forward(x, y) and backward(x, dy, dx) over Maps.
template <class Forward, class Backward>
implementation make(char const* name, Forward forward, Backward backward) {
    return {name, "eigen", [forward, backward](arrays const& a, pass p) -> run {
                auto n = static_cast<Eigen::Index>(a.n);
                In x(a.x, n), dy(a.dy, n);
                Out y(a.y, n), dx(a.dx, n);
                switch (p) {
                    case pass::forward: return [=]() mutable { forward(x, y); };
                    case pass::backward: return [=]() mutable { backward(x, dy, dx); };
                    case pass::forward_backward:
                        return [=]() mutable {
                            forward(x, y);
                            backward(x, dy, dx);
                        };
                }
                return {};
            }};
}

}  // namespace

std::vector<implementation> eigen_implementations() {
    std::vector<implementation> out;
    out.push_back(make(
        "relu", [](In x, Out y) { y = x.max(0.f); },
        [](In x, In dy, Out dx) { dx = (x > 0.f).select(dy, 0.f); }));
    out.push_back(make(
        "relu6", [](In x, Out y) { y = x.max(0.f).min(6.f); },
        [](In x, In dy, Out dx) { dx = (x > 0.f && x < 6.f).select(dy, 0.f); }));
    out.push_back(make(
        "hardtanh", [](In x, Out y) { y = x.max(-1.f).min(1.f); },
        [](In x, In dy, Out dx) { dx = (x > -1.f && x < 1.f).select(dy, 0.f); }));
    out.push_back(make(
        "leaky_relu", [](In x, Out y) { y = (x > 0.f).select(x, 0.01f * x); },
        [](In x, In dy, Out dx) { dx = (x > 0.f).select(dy, 0.01f * dy); }));
    out.push_back(make(
        "prelu", [](In x, Out y) { y = (x > 0.f).select(x, prelu_slope * x); },
        [](In x, In dy, Out dx) { dx = (x > 0.f).select(dy, prelu_slope * dy); }));
    out.push_back(make(
        "elu", [](In x, Out y) { y = (x > 0.f).select(x, x.expm1()); },
        [](In x, In dy, Out dx) { dx = (x > 0.f).select(dy, dy * x.exp()); }));
    out.push_back(make(
        "selu", [](In x, Out y) { y = selu_scale * (x > 0.f).select(x, selu_alpha * x.expm1()); },
        [](In x, In dy, Out dx) { dx = (selu_scale * dy) * (x > 0.f).select(1.f, selu_alpha * x.exp()); }));
    out.push_back(make(
        "celu", [](In x, Out y) { y = (x > 0.f).select(x, x.expm1()); },
        [](In x, In dy, Out dx) { dx = (x > 0.f).select(dy, dy * x.exp()); }));
    out.push_back(make(
        "gelu", [](In x, Out y) { y = 0.5f * x * (1.f + (x * sqrt_half).erf()); },
        [](In x, In dy, Out dx) {
            dx = dy * (0.5f * (1.f + (x * sqrt_half).erf()) + x * inv_sqrt_2pi * (-0.5f * x.square()).exp());
        }));
    out.push_back(make(
        "gelu_tanh",
        [](In x, Out y) { y = 0.5f * x * (1.f + (gelu_beta * (x + gelu_kappa * x.cube())).tanh()); },
        [](In x, In dy, Out dx) {
            auto t = (gelu_beta * (x + gelu_kappa * x.cube())).tanh();
            dx = dy * (0.5f * (1.f + t) +
                       0.5f * x * (1.f - t.square()) * gelu_beta * (1.f + 3.f * gelu_kappa * x.square()));
        }));
    out.push_back(make(
        "silu", [](In x, Out y) { y = x * x.logistic(); },
        [](In x, In dy, Out dx) { dx = dy * x.logistic() * (1.f + x * (1.f - x.logistic())); }));
    out.push_back(make(
        "mish", [](In x, Out y) { y = x * x.exp().log1p().tanh(); },
        [](In x, In dy, Out dx) {
            auto t = x.exp().log1p().tanh();
            dx = dy * (t + x * x.logistic() * (1.f - t.square()));
        }));
    out.push_back(make(
        "sigmoid", [](In x, Out y) { y = x.logistic(); },
        [](In x, In dy, Out dx) { dx = dy * x.logistic() * (1.f - x.logistic()); }));
    out.push_back(make(
        "tanh", [](In x, Out y) { y = x.tanh(); },
        [](In x, In dy, Out dx) { dx = dy * (1.f - x.tanh().square()); }));
    out.push_back(make(
        "softplus", [](In x, Out y) { y = (x > 20.f).select(x, x.exp().log1p()); },
        [](In x, In dy, Out dx) { dx = (x > 20.f).select(dy, dy * x.logistic()); }));
    out.push_back(make(
        "softsign", [](In x, Out y) { y = x / (1.f + x.abs()); },
        [](In x, In dy, Out dx) { dx = dy / (1.f + x.abs()).square(); }));
    out.push_back(make(
        "hardsigmoid", [](In x, Out y) { y = (x + 3.f).max(0.f).min(6.f) / 6.f; },
        [](In x, In dy, Out dx) { dx = (x > -3.f && x < 3.f).select(dy / 6.f, 0.f); }));
    out.push_back(make(
        "hardswish", [](In x, Out y) { y = x * (x + 3.f).max(0.f).min(6.f) / 6.f; },
        [](In x, In dy, Out dx) {
            dx = (x < -3.f).select(0.f, (x <= 3.f).select(dy * (x / 3.f + 0.5f), dy));
        }));
    out.push_back(make(
        "logsigmoid", [](In x, Out y) { y = x.min(0.f) - (-x.abs()).exp().log1p(); },
        [](In x, In dy, Out dx) { dx = dy * (-x).logistic(); }));
    out.push_back(make(
        "tanhshrink", [](In x, Out y) { y = x - x.tanh(); },
        [](In x, In dy, Out dx) { dx = dy * x.tanh().square(); }));
    return out;
}

}  // namespace actx_bench
