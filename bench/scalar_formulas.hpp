// The textbook baseline: each activation and its derivative as a plain loop
// over std:: functions in float, with PyTorch's formulas (aten's CPU
// kernels: the forms a reader would write from the torch.nn docs, with no
// rewriting for stability beyond what PyTorch itself does).
//
// Included by scalar.cpp (-O3 -march=native) and scalar_fastmath.cpp (the
// same plus -ffast-math, where g++ vectorises the calls through glibc's
// libmvec).  Everything here has internal linkage: the two translation units
// must each keep their own instantiations, or the linker would keep one
// copy of each loop compiled with only one set of flags.
#pragma once

#include "harness.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

namespace actx_bench {
namespace {
namespace formulas {

// sqrt(2 / pi), 1 / sqrt(2) and 1 / sqrt(2 pi), as PyTorch's GELU kernels spell them.
constexpr float kBeta = 0.7978845608028654f;
constexpr float kKappa = 0.044715f;
constexpr float kAlpha = 0.7071067811865476f;
constexpr float kInvSqrt2Pi = 0.3989422804014327f;
constexpr float kSeluScale = 1.0507009873554804934193349852946f;
constexpr float kSeluAlpha = 1.6732632423543772848170429916717f;

struct relu {
    static constexpr char const* name = "relu";
    static float forward(float x) { return x > 0.f ? x : 0.f; }
    static float backward(float x, float dy) { return x > 0.f ? dy : 0.f; }
};
struct relu6 {
    static constexpr char const* name = "relu6";
    static float forward(float x) { return std::min(std::max(x, 0.f), 6.f); }
    static float backward(float x, float dy) { return x > 0.f && x < 6.f ? dy : 0.f; }
};
struct hardtanh {
    static constexpr char const* name = "hardtanh";
    static float forward(float x) { return std::min(std::max(x, -1.f), 1.f); }
    static float backward(float x, float dy) { return x > -1.f && x < 1.f ? dy : 0.f; }
};
struct leaky_relu {
    static constexpr char const* name = "leaky_relu";
    static float forward(float x) { return x > 0.f ? x : 0.01f * x; }
    static float backward(float x, float dy) { return x > 0.f ? dy : 0.01f * dy; }
};
struct prelu {  // one slope for every channel
    static constexpr char const* name = "prelu";
    static float forward(float x) { return x > 0.f ? x : prelu_slope * x; }
    static float backward(float x, float dy) { return x > 0.f ? dy : prelu_slope * dy; }
};
struct elu {
    static constexpr char const* name = "elu";
    static float forward(float x) { return x > 0.f ? x : std::expm1(x); }
    static float backward(float x, float dy) { return x > 0.f ? dy : dy * std::exp(x); }
};
struct selu {
    static constexpr char const* name = "selu";
    static float forward(float x) { return kSeluScale * (x > 0.f ? x : kSeluAlpha * std::expm1(x)); }
    static float backward(float x, float dy) {
        return x > 0.f ? dy * kSeluScale : dy * kSeluScale * kSeluAlpha * std::exp(x);
    }
};
struct celu {  // alpha = 1: expm1(x / alpha) with the division kept, as aten has it
    static constexpr char const* name = "celu";
    static float forward(float x) { return x > 0.f ? x : std::expm1(x / 1.f); }
    static float backward(float x, float dy) { return x > 0.f ? dy : dy * std::exp(x / 1.f); }
};
struct gelu {
    static constexpr char const* name = "gelu";
    static float forward(float x) { return 0.5f * x * (1.f + std::erf(x * kAlpha)); }
    static float backward(float x, float dy) {
        float cdf = 0.5f * (1.f + std::erf(x * kAlpha));
        float pdf = kInvSqrt2Pi * std::exp(-0.5f * x * x);
        return dy * (cdf + x * pdf);
    }
};
struct gelu_tanh {
    static constexpr char const* name = "gelu_tanh";
    static float forward(float x) {
        float inner = kBeta * (x + kKappa * x * x * x);
        return 0.5f * x * (1.f + std::tanh(inner));
    }
    static float backward(float x, float dy) {
        float x2 = x * x;
        float inner = kBeta * (x + kKappa * x2 * x);
        float t = std::tanh(inner);
        float left = 0.5f * x;
        float right = 1.f + t;
        float left_derivative = 0.5f * right;
        float right_derivative = left * (1.f - t * t) * kBeta * (1.f + 3.f * kKappa * x2);
        return dy * (left_derivative + right_derivative);
    }
};
struct silu {
    static constexpr char const* name = "silu";
    static float forward(float x) { return x / (1.f + std::exp(-x)); }
    static float backward(float x, float dy) {
        float s = 1.f / (1.f + std::exp(-x));
        return dy * s * (1.f + x * (1.f - s));
    }
};
struct mish {
    static constexpr char const* name = "mish";
    static float forward(float x) { return x * std::tanh(std::log1p(std::exp(x))); }
    static float backward(float x, float dy) {
        float s = 1.f / (1.f + std::exp(-x));
        float t = std::tanh(std::log1p(std::exp(x)));
        return dy * (t + x * s * (1.f - t * t));
    }
};
struct sigmoid {
    static constexpr char const* name = "sigmoid";
    static float forward(float x) { return 1.f / (1.f + std::exp(-x)); }
    static float backward(float x, float dy) {
        float s = 1.f / (1.f + std::exp(-x));
        return dy * s * (1.f - s);
    }
};
struct tanh {
    static constexpr char const* name = "tanh";
    static float forward(float x) { return std::tanh(x); }
    static float backward(float x, float dy) {
        float t = std::tanh(x);
        return dy * (1.f - t * t);
    }
};
struct softplus {  // beta = 1, threshold = 20
    static constexpr char const* name = "softplus";
    static float forward(float x) { return x > 20.f ? x : std::log1p(std::exp(x)); }
    static float backward(float x, float dy) {
        float z = std::exp(x);
        return x > 20.f ? dy : dy * z / (z + 1.f);
    }
};
struct softsign {
    static constexpr char const* name = "softsign";
    static float forward(float x) { return x / (1.f + std::abs(x)); }
    static float backward(float x, float dy) {
        float d = 1.f + std::abs(x);
        return dy / (d * d);
    }
};
struct hardsigmoid {
    static constexpr char const* name = "hardsigmoid";
    static float forward(float x) { return std::min(std::max(x + 3.f, 0.f), 6.f) / 6.f; }
    static float backward(float x, float dy) { return x > -3.f && x < 3.f ? dy / 6.f : 0.f; }
};
struct hardswish {
    static constexpr char const* name = "hardswish";
    static float forward(float x) { return x * std::min(std::max(x + 3.f, 0.f), 6.f) / 6.f; }
    static float backward(float x, float dy) {
        return x < -3.f ? 0.f : x <= 3.f ? dy * (x / 3.f + 0.5f) : dy;
    }
};
struct logsigmoid {  // aten: min(x, 0) - log1p(exp(-|x|))
    static constexpr char const* name = "logsigmoid";
    static float forward(float x) { return std::min(x, 0.f) - std::log1p(std::exp(-std::abs(x))); }
    static float backward(float x, float dy) {
        bool negative = x < 0.f;
        float max_derivative = negative ? 1.f : 0.f;
        float sign = negative ? 1.f : -1.f;
        float z = std::exp(-std::abs(x));
        return dy * (max_derivative - sign * (z / (1.f + z)));
    }
};
struct tanhshrink {
    static constexpr char const* name = "tanhshrink";
    static float forward(float x) { return x - std::tanh(x); }
    static float backward(float x, float dy) {
        float t = std::tanh(x);
        return dy * t * t;
    }
};

// The loops.  forward_backward is one loop that evaluates both formulas per
// element: what a hand-written fused kernel without shared subexpressions is.
template <class F>
void forward_loop(float const* __restrict x, float* __restrict y, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) y[i] = F::forward(x[i]);
}
template <class F>
void backward_loop(float const* __restrict x, float const* __restrict dy, float* __restrict dx, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) dx[i] = F::backward(x[i], dy[i]);
}
template <class F>
void forward_backward_loop(float const* __restrict x, float const* __restrict dy, float* __restrict y,
                           float* __restrict dx, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) {
        y[i] = F::forward(x[i]);
        dx[i] = F::backward(x[i], dy[i]);
    }
}

template <class... F>
std::vector<implementation> loops_named(char const* impl) {
    std::vector<implementation> out;
    (out.push_back({F::name, impl,
                    [](arrays const& a, pass p) -> run {
                        switch (p) {
                            case pass::forward: return [a] { forward_loop<F>(a.x, a.y, a.n); };
                            case pass::backward: return [a] { backward_loop<F>(a.x, a.dy, a.dx, a.n); };
                            case pass::forward_backward:
                                return [a] { forward_backward_loop<F>(a.x, a.dy, a.y, a.dx, a.n); };
                        }
                        return {};
                    }}),
     ...);
    return out;
}

inline std::vector<implementation> all_loops(char const* impl) {
    return loops_named<relu, relu6, hardtanh, leaky_relu, prelu, elu, selu, celu, gelu, gelu_tanh, silu, mish,
                       sigmoid, tanh, softplus, softsign, hardsigmoid, hardswish, logsigmoid, tanhshrink>(impl);
}

}  // namespace formulas
}  // namespace
}  // namespace actx_bench
