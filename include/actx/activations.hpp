// The activation catalogue: each one line of math over the primitives, with
// PyTorch's (torch.nn) definitions, defaults and conventions at kinks.
//
// The derivative of every activation is derived by the compiler (d(f, x));
// nothing here is differentiated by hand.  At a kink, the branch the point
// belongs to is fixed by the comparison in `select`, and that comparison is
// chosen to give PyTorch's value there:
//
//   relu'(0) = 0                          select(x <= 0, ...)
//   leaky_relu'(0) = prelu'(0) = slope    select(x > 0, ...)
//   elu'(0) = alpha, selu'(0) = lambda alpha, celu'(0) = 1   select(x <= 0, ...)
//   hardtanh'/relu6' = 0 at both ends of the linear band
//   hardsigmoid' = 0 at -3 and +3
//   hardswish' = 0 at -3 and 1 at +3 (PyTorch's values since it corrected
//   the earlier -0.5 and 1.5)
//   softplus' = 1 above the threshold (beta x > threshold), sigmoid(beta x) below
//
// NaN goes through every activation (a select whose comparison is false for
// NaN falls to the branch that carries x).
//
// Forms are the stable ones, with the reason next to each.  Parameters (a
// slope, an alpha) are expressions: a compile-time constant such as 0.2_c, or
// a runtime param<I> bound when the expression is evaluated.
#pragma once

#include <actx/core/core.hpp>

namespace actx {

namespace constants {
// SELU's scale and alpha (Klambauer et al. 2017), as torch.nn.SELU has them.
inline constexpr double selu_lambda = 1.0507009873554804934193349852946;
inline constexpr double selu_alpha = 1.6732632423543772848170429916717;
inline constexpr double selu_lambda_alpha = 1.7580993408473768599402175208123;
}  // namespace constants

template <double const& V>
inline constexpr constant<bits(V)> constant_of{};

using default_leaky_slope = constant<bits(0.01)>;

// ---- piecewise linear --------------------------------------------------------------

// max(0, x), with NaN kept (x <= 0 is false for NaN).
template <expression X>
constexpr auto relu(X x) {
    return select(x <= 0_c, 0_c, x);
}

// clamp(x, min, max); the derivative is 0 at both ends, as PyTorch's.
template <expression X, expression Lo = constant<bits(-1.0)>, expression Hi = constant<bits(1.0)>>
constexpr auto hardtanh(X x, Lo lo = {}, Hi hi = {}) {
    return select(x <= lo, lo, select(x >= hi, hi, x));
}

template <expression X>
constexpr auto relu6(X x) {
    return hardtanh(x, 0_c, 6_c);
}

template <expression X, expression S = default_leaky_slope>
constexpr auto leaky_relu(X x, S slope = {}) {
    return select(x > 0_c, x, slope * x);
}

// PReLU: a leaky ReLU whose slope is learned, so it is a parameter (param<I>,
// per channel in the kernels) and d(prelu(x, a), a) is its gradient.
template <expression X, expression A>
constexpr auto prelu(X x, A slope) {
    return select(x > 0_c, x, slope * x);
}

// relu6(x + 3) / 6; (x + 3) is exact near -3, so one rounding.
template <expression X>
constexpr auto hardsigmoid(X x) {
    return select(x <= -3_c, 0_c, select(x >= 3_c, 1_c, (x + 3_c) / 6_c));
}

template <expression X>
constexpr auto hardswish(X x) {
    return select(x <= -3_c, 0_c, select(x >= 3_c, x, x * (x + 3_c) / 6_c));
}

// ---- exponential family ------------------------------------------------------------

// alpha (e^x - 1) below zero, by expm1: e^x - 1 loses every digit near 0.
template <expression X, expression A = one>
constexpr auto elu(X x, A alpha = {}) {
    return select(x <= 0_c, alpha * expm1(x), x);
}

template <expression X>
constexpr auto selu(X x) {
    return select(x <= 0_c, constant_of<constants::selu_lambda_alpha> * expm1(x),
                  constant_of<constants::selu_lambda> * x);
}

template <expression X, expression A = one>
constexpr auto celu(X x, A alpha = {}) {
    return select(x <= 0_c, alpha * expm1(x / alpha), x);
}

// log(1 + e^(beta x)) / beta, and x itself where beta x > threshold: PyTorch's
// definition, threshold included (it is part of torch.nn.Softplus's output).
template <expression X, expression B = one, expression T = constant<bits(20.0)>>
constexpr auto softplus(X x, B beta = {}, T threshold = {}) {
    return select(beta * x > threshold, x, log1pexp(beta * x) / beta);
}

// log(sigmoid(x)) = -log(1 + e^-x), by log1pexp: no overflow for x << 0.
template <expression X>
constexpr auto logsigmoid(X x) {
    return -log1pexp(-x);
}

// ---- sigmoid family ----------------------------------------------------------------
// sigmoid and tanh are primitives (operators.hpp); their activations are them.

template <expression X>
constexpr auto silu(X x) {
    return x * sigmoid(x);
}

template <expression X>
constexpr auto swish(X x) {
    return silu(x);
}

// x tanh(softplus(x)), with PyTorch's Mish softplus (no threshold).
template <expression X>
constexpr auto mish(X x) {
    return x * tanh(log1pexp(x));
}

// x - tanh(x), a primitive of its own: the difference cancels to nothing near 0.
template <expression X>
constexpr auto tanhshrink(X x) {
    return make_unary<op::tanhshrink>(x);
}

// x / (1 + |x|), a primitive so that its derivative is 1 / (1 + |x|)^2: the
// quotient rule's (1 - softsign(x) sign(x)) / (1 + |x|) cancels for large |x|.
template <expression X>
constexpr auto softsign(X x) {
    return make_unary<op::softsign>(x);
}

// ---- Gaussian family ---------------------------------------------------------------

// Exact GELU, x Phi(x).  The textbook 0.5 x (1 + erf(x / sqrt 2)) cancels for
// x < -5; normcdf is erfc-based and keeps relative accuracy down the tail.
template <expression X>
constexpr auto gelu(X x) {
    return x * normcdf(x);
}

// GELU, tanh approximation: 0.5 x (1 + tanh(u)) = x sigmoid(2u), with the
// sigmoid of the cubic a primitive (gelu_tanh_gate) whose argument is formed
// in double-double: e^(2u) turns the rounding of a 2u near -700 into ~1000 ulp.
template <expression X>
constexpr auto gelu_tanh(X x) {
    return x * gelu_tanh_gate(x);
}

// ---- gated pairs -------------------------------------------------------------------

template <expression A, expression B>
constexpr auto swiglu(A a, B b) {
    return silu(a) * b;
}

template <expression A, expression B>
constexpr auto geglu(A a, B b) {
    return gelu(a) * b;
}

}  // namespace actx
