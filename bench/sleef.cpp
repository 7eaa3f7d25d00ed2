// SLEEF's vectorised elementary functions (the 1.0-ulp "u10" family; erfc is
// u15) in loops over xsimd batches for the arithmetic: PyTorch's formulas as
// in scalar_formulas.hpp, with each std:: call replaced by its SLEEF
// counterpart of the machine's full width (16 floats with AVX-512, 8 with
// AVX2).  Only activations that call an elementary function are here: for
// the piecewise-linear ones SLEEF has nothing to contribute.
#include "harness.hpp"

#include <xsimd/xsimd.hpp>

#include <sleef.h>

namespace actx_bench {

#if defined(__AVX512F__) || defined(__AVX2__)
namespace {

using B = xsimd::batch<float>;

#if defined(__AVX512F__)
static_assert(B::size == 16, "xsimd's default batch should be AVX-512 wide here");
B sleef_exp(B x) { return B(Sleef_expf16_u10(x)); }
B sleef_expm1(B x) { return B(Sleef_expm1f16_u10(x)); }
B sleef_log1p(B x) { return B(Sleef_log1pf16_u10(x)); }
B sleef_tanh(B x) { return B(Sleef_tanhf16_u10(x)); }
B sleef_erf(B x) { return B(Sleef_erff16_u10(x)); }
#else
static_assert(B::size == 8, "xsimd's default batch should be AVX2 wide here");
B sleef_exp(B x) { return B(Sleef_expf8_u10(x)); }
B sleef_expm1(B x) { return B(Sleef_expm1f8_u10(x)); }
B sleef_log1p(B x) { return B(Sleef_log1pf8_u10(x)); }
B sleef_tanh(B x) { return B(Sleef_tanhf8_u10(x)); }
B sleef_erf(B x) { return B(Sleef_erff8_u10(x)); }
#endif

constexpr float selu_scale = 1.0507009873554804934193349852946f;
constexpr float selu_alpha = 1.6732632423543772848170429916717f;
constexpr float sqrt_half = 0.7071067811865476f;
constexpr float inv_sqrt_2pi = 0.3989422804014327f;
constexpr float gelu_beta = 0.7978845608028654f;
constexpr float gelu_kappa = 0.044715f;

B sigmoid_of(B x) { return 1.f / (1.f + sleef_exp(-x)); }

struct elu {
    static constexpr char const* name = "elu";
    static B forward(B x) { return xsimd::select(x > 0.f, x, sleef_expm1(x)); }
    static B backward(B x, B dy) { return xsimd::select(x > 0.f, dy, dy * sleef_exp(x)); }
};
struct selu {
    static constexpr char const* name = "selu";
    static B forward(B x) { return selu_scale * xsimd::select(x > 0.f, x, selu_alpha * sleef_expm1(x)); }
    static B backward(B x, B dy) {
        return xsimd::select(x > 0.f, dy * selu_scale, dy * (selu_scale * selu_alpha) * sleef_exp(x));
    }
};
struct celu {
    static constexpr char const* name = "celu";
    static B forward(B x) { return elu::forward(x); }
    static B backward(B x, B dy) { return elu::backward(x, dy); }
};
struct gelu {
    static constexpr char const* name = "gelu";
    static B forward(B x) { return 0.5f * x * (1.f + sleef_erf(x * sqrt_half)); }
    static B backward(B x, B dy) {
        B cdf = 0.5f * (1.f + sleef_erf(x * sqrt_half));
        B pdf = inv_sqrt_2pi * sleef_exp(-0.5f * x * x);
        return dy * (cdf + x * pdf);
    }
};
struct gelu_tanh {
    static constexpr char const* name = "gelu_tanh";
    static B forward(B x) { return 0.5f * x * (1.f + sleef_tanh(gelu_beta * (x + gelu_kappa * x * x * x))); }
    static B backward(B x, B dy) {
        B x2 = x * x;
        B t = sleef_tanh(gelu_beta * (x + gelu_kappa * x2 * x));
        return dy * (0.5f * (1.f + t) + 0.5f * x * (1.f - t * t) * gelu_beta * (1.f + 3.f * gelu_kappa * x2));
    }
};
struct silu {
    static constexpr char const* name = "silu";
    static B forward(B x) { return x / (1.f + sleef_exp(-x)); }
    static B backward(B x, B dy) {
        B s = sigmoid_of(x);
        return dy * s * (1.f + x * (1.f - s));
    }
};
struct mish {
    static constexpr char const* name = "mish";
    static B forward(B x) { return x * sleef_tanh(sleef_log1p(sleef_exp(x))); }
    static B backward(B x, B dy) {
        B s = sigmoid_of(x);
        B t = sleef_tanh(sleef_log1p(sleef_exp(x)));
        return dy * (t + x * s * (1.f - t * t));
    }
};
struct sigmoid {
    static constexpr char const* name = "sigmoid";
    static B forward(B x) { return sigmoid_of(x); }
    static B backward(B x, B dy) {
        B s = sigmoid_of(x);
        return dy * s * (1.f - s);
    }
};
struct tanh_activation {
    static constexpr char const* name = "tanh";
    static B forward(B x) { return sleef_tanh(x); }
    static B backward(B x, B dy) {
        B t = sleef_tanh(x);
        return dy * (1.f - t * t);
    }
};
struct softplus {
    static constexpr char const* name = "softplus";
    static B forward(B x) { return xsimd::select(x > 20.f, x, sleef_log1p(sleef_exp(x))); }
    static B backward(B x, B dy) {
        B z = sleef_exp(x);
        return xsimd::select(x > 20.f, dy, dy * z / (z + 1.f));
    }
};
struct logsigmoid {
    static constexpr char const* name = "logsigmoid";
    static B forward(B x) { return xsimd::min(x, B(0.f)) - sleef_log1p(sleef_exp(-xsimd::abs(x))); }
    static B backward(B x, B dy) {
        auto negative = x < 0.f;
        B max_derivative = xsimd::select(negative, B(1.f), B(0.f));
        B sign = xsimd::select(negative, B(1.f), B(-1.f));
        B z = sleef_exp(-xsimd::abs(x));
        return dy * (max_derivative - sign * (z / (1.f + z)));
    }
};
struct tanhshrink {
    static constexpr char const* name = "tanhshrink";
    static B forward(B x) { return x - sleef_tanh(x); }
    static B backward(B x, B dy) {
        B t = sleef_tanh(x);
        return dy * t * t;
    }
};

template <class F>
run loop(arrays const& a, pass p) {
    constexpr std::size_t W = B::size;
    switch (p) {
        case pass::forward:
            return [a] {
                for (std::size_t i = 0; i < a.n; i += W) F::forward(B::load_aligned(a.x + i)).store_aligned(a.y + i);
            };
        case pass::backward:
            return [a] {
                for (std::size_t i = 0; i < a.n; i += W)
                    F::backward(B::load_aligned(a.x + i), B::load_aligned(a.dy + i)).store_aligned(a.dx + i);
            };
        case pass::forward_backward:
            return [a] {
                for (std::size_t i = 0; i < a.n; i += W) {
                    B x = B::load_aligned(a.x + i);
                    F::forward(x).store_aligned(a.y + i);
                    F::backward(x, B::load_aligned(a.dy + i)).store_aligned(a.dx + i);
                }
            };
    }
    return {};
}

template <class... F>
std::vector<implementation> loops() {
    return {implementation{F::name, "sleef", &loop<F>}...};
}

}  // namespace

std::vector<implementation> sleef_implementations() {
    return loops<elu, selu, celu, gelu, gelu_tanh, silu, mish, sigmoid, tanh_activation, softplus, logsigmoid,
                 tanhshrink>();
}
#else
// Neither AVX-512 nor AVX2: no SLEEF width to match, so no SLEEF benchmarks.
std::vector<implementation> sleef_implementations() { return {}; }
#endif

}  // namespace actx_bench
