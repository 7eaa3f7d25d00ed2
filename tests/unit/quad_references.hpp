// Independent definitions of every activation and its derivative in
// a 113-bit floating-point type (quad_math.hpp: __float128 on x86), for the accuracy tests
// (activations_reference.cpp: the scalar double and float evaluation;
// kernel_accuracy_reference.cpp: the fused float kernels).
//
// They are written from the mathematical / torch.nn definitions and
// differentiated by hand, not from actx's formulas: gelu is x/2 erfc(-x/sqrt 2)
// with derivative Phi(x) + x phi(x), softplus keeps PyTorch's threshold, the
// kinks take PyTorch's one-sided values (relu'(0) = 0, leaky'(0) = slope,
// elu'(0) = alpha, hardtanh' = 0 at both ends of the band, hardswish' = 0 at
// -3 and 1 at +3, ...).  Where a direct form would cancel even in quad
// (1 + tanh u for u << 0, x - tanh x near 0, 1 - tanh^2) they use an exact
// rewriting or a series so that they stay good to far below a double ULP.
//
// For the derivatives with an interior zero (silu', gelu', gelu_tanh', mish')
// the *_s functions give the magnitude of the formula's largest term, the
// scale against which the accuracy tests measure errors next to the zero.
//
// Finite arguments only: at +-inf some of these are inf * 0; the tests state
// the limits there themselves.
#pragma once

#include "quad_math.hpp"

#include <vector>

namespace actx_reference {

// Internal linkage, as if each test defined them itself: an inline function's
// address is then a constant that compares unequal to nullptr, which the
// tests' `if constexpr (S != nullptr)` needs under the sanitizers too.
namespace {

// ---- quad helpers --------------------------------------------------------------------

inline const quad pi_q = 4 * atanq(1);
inline const quad sqrt2_q = sqrtq(2);
inline const quad inv_sqrt_2pi_q = 1 / sqrtq(2 * pi_q);

inline quad sigmoid_q(quad x) {
    // Both halves without cancellation and without overflow.
    if (x >= 0) return 1 / (1 + expq(-x));
    quad e = expq(x);
    return e / (1 + e);
}
// sech^2 y = 4 e^(-2|y|) / (1 + e^(-2|y|))^2: 1 - tanh^2 would cancel in quad too.
inline quad sech2_q(quad y) {
    quad e = expq(-2 * fabsq(y));
    return 4 * e / ((1 + e) * (1 + e));
}
// 1 + tanh u; for u < 0 it is 1 - tanh|u| = 2 e^(-2|u|) / (1 + e^(-2|u|)).
inline quad one_plus_tanh_q(quad u) {
    if (u >= 0) return 1 + tanhq(u);
    quad e = expq(2 * u);
    return 2 * e / (1 + e);
}
// log(1 + e^x) in its stable form, x + log1p(e^-x) above 0.
inline quad softplus_nothreshold_q(quad x) {
    if (x > 0) return x + log1pq(expq(-x));
    return log1pq(expq(x));
}
inline quad Phi_q(quad x) { return erfcq(-x / sqrt2_q) / 2; }
inline quad phi_q(quad x) { return expq(-x * x / 2) * inv_sqrt_2pi_q; }

// ---- references, one per activation --------------------------------------------------

inline const quad leaky_slope_q = static_cast<quad>(0.01);  // torch's negative_slope, a double
inline const quad prelu_slope_q = 0.25;
inline const quad selu_lambda_q = strtoflt128("1.0507009873554804934193349852946", nullptr);
inline const quad selu_alpha_q = strtoflt128("1.6732632423543772848170429916717", nullptr);
inline const quad gelu_tanh_k_q = sqrtq(2 / pi_q);
inline const quad gelu_tanh_c_q = strtoflt128("0.044715", nullptr);  // the decimal, exactly

inline quad relu_r(quad x) { return x > 0 ? x : 0; }
inline quad relu_d(quad x) { return x > 0 ? 1 : 0; }
inline quad relu6_r(quad x) { return x <= 0 ? 0 : (x >= 6 ? 6 : x); }
inline quad relu6_d(quad x) { return (x > 0 && x < 6) ? 1 : 0; }
inline quad hardtanh_r(quad x) { return x <= -1 ? -1 : (x >= 1 ? 1 : x); }
inline quad hardtanh_d(quad x) { return (x > -1 && x < 1) ? 1 : 0; }
inline quad leaky_r(quad x) { return x > 0 ? x : leaky_slope_q * x; }
inline quad leaky_d(quad x) { return x > 0 ? 1 : leaky_slope_q; }
inline quad prelu_r(quad x) { return x > 0 ? x : prelu_slope_q * x; }
inline quad prelu_d(quad x) { return x > 0 ? 1 : prelu_slope_q; }
inline quad prelu_dslope(quad x) { return x > 0 ? 0 : x; }
inline quad elu_r(quad x) { return x > 0 ? x : expm1q(x); }
inline quad elu_d(quad x) { return x > 0 ? 1 : expq(x); }  // alpha at 0
inline quad selu_r(quad x) { return x > 0 ? selu_lambda_q * x : selu_lambda_q * selu_alpha_q * expm1q(x); }
inline quad selu_d(quad x) { return x > 0 ? selu_lambda_q : selu_lambda_q * selu_alpha_q * expq(x); }
inline quad celu_r(quad x) { return x > 0 ? x : expm1q(x); }  // alpha = 1: max(0,x) + min(0, e^x - 1)
inline quad celu_d(quad x) { return x > 0 ? 1 : expq(x); }
inline quad gelu_r(quad x) { return x / 2 * erfcq(-x / sqrt2_q); }
inline quad gelu_d(quad x) { return Phi_q(x) + x * phi_q(x); }
inline quad gelu_s(quad x) { return fmaxq(Phi_q(x), fabsq(x * phi_q(x))); }
inline quad gelu_tanh_u(quad x) { return gelu_tanh_k_q * (x + gelu_tanh_c_q * x * x * x); }
inline quad gelu_tanh_r(quad x) { return x / 2 * one_plus_tanh_q(gelu_tanh_u(x)); }
inline quad gelu_tanh_d(quad x) {
    quad u = gelu_tanh_u(x);
    quad du = gelu_tanh_k_q * (1 + 3 * gelu_tanh_c_q * x * x);
    return one_plus_tanh_q(u) / 2 + x / 2 * sech2_q(u) * du;
}
inline quad gelu_tanh_s(quad x) {
    quad u = gelu_tanh_u(x);
    quad du = gelu_tanh_k_q * (1 + 3 * gelu_tanh_c_q * x * x);
    return fmaxq(one_plus_tanh_q(u) / 2, fabsq(x / 2 * sech2_q(u) * du));
}
inline quad silu_r(quad x) { return x * sigmoid_q(x); }
inline quad silu_d(quad x) { return sigmoid_q(x) + x * sigmoid_q(x) * sigmoid_q(-x); }
inline quad silu_s(quad x) { return fmaxq(sigmoid_q(x), fabsq(x * sigmoid_q(x) * sigmoid_q(-x))); }
inline quad mish_r(quad x) { return x * tanhq(softplus_nothreshold_q(x)); }
inline quad mish_d(quad x) {
    quad sp = softplus_nothreshold_q(x);
    return tanhq(sp) + x * sech2_q(sp) * sigmoid_q(x);
}
inline quad mish_s(quad x) {
    quad sp = softplus_nothreshold_q(x);
    return fmaxq(tanhq(sp), fabsq(x * sech2_q(sp) * sigmoid_q(x)));
}
inline quad sigmoid_r(quad x) { return sigmoid_q(x); }
inline quad sigmoid_d(quad x) { return sigmoid_q(x) * sigmoid_q(-x); }
inline quad tanh_r(quad x) { return tanhq(x); }
inline quad tanh_d(quad x) { return sech2_q(x); }
inline quad softplus_r(quad x) { return x > 20 ? x : log1pq(expq(x)); }
inline quad softplus_d(quad x) { return x > 20 ? 1 : sigmoid_q(x); }
inline quad softsign_r(quad x) { return x / (1 + fabsq(x)); }
inline quad softsign_d(quad x) { return 1 / ((1 + fabsq(x)) * (1 + fabsq(x))); }
inline quad hardsigmoid_r(quad x) { return x <= -3 ? 0 : (x >= 3 ? 1 : x / 6 + quad(0.5)); }
inline quad hardsigmoid_d(quad x) { return (x > -3 && x < 3) ? quad(1) / 6 : 0; }
inline quad hardswish_r(quad x) { return x <= -3 ? 0 : (x >= 3 ? x : x * (x + 3) / 6); }
inline quad hardswish_d(quad x) { return x <= -3 ? 0 : (x >= 3 ? 1 : x / 3 + quad(0.5)); }
inline quad logsigmoid_r(quad x) { return x < 0 ? x - log1pq(expq(x)) : -log1pq(expq(-x)); }
inline quad logsigmoid_d(quad x) { return sigmoid_q(-x); }
inline quad tanhshrink_r(quad x) {
    // x - tanh x cancels by log2(3 / x^2) bits; below 2^-8 the Taylor series
    // (relative truncation error < x^14 / x^3 < 2^-88) replaces it.
    if (fabsq(x) >= quad(0x1p-8)) return x - tanhq(x);
    quad x2 = x * x;
    return x * x2 *
           (quad(1) / 3 +
            x2 * (quad(-2) / 15 +
                  x2 * (quad(17) / 315 +
                        x2 * (quad(-62) / 2835 + x2 * (quad(1382) / 155925 + x2 * (quad(-21844) / 6081075))))));
}
inline quad tanhshrink_d(quad x) { return tanhq(x) * tanhq(x); }

// The interior roots of silu', mish', gelu' and gelu_tanh', by bisection on
// the quad references.
inline std::vector<double> derivative_roots() {
    struct bracket {
        quad (*f)(quad);
        double lo, hi;
    };
    const bracket brackets[] = {{silu_d, -1.5, -1.0}, {mish_d, -1.5, -1.0}, {gelu_d, -1.0, -0.5},
                                {gelu_tanh_d, -1.0, -0.5}};
    std::vector<double> r;
    for (bracket const& b : brackets) {
        quad lo = b.lo, hi = b.hi;
        const bool rising = b.f(hi) > 0;
        for (int i = 0; i < 200; ++i) {
            quad mid = (lo + hi) / 2;
            ((b.f(mid) > 0) == rising ? hi : lo) = mid;
        }
        r.push_back(static_cast<double>(lo));
    }
    return r;
}

}  // namespace

}  // namespace actx_reference
