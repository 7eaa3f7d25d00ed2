// The activation catalogue as data: every activation with its name, its
// PyTorch equivalent and its convention at kinks, as a Boost.Hana tuple that
// demos, tests, benchmarks and the generated reference docs walk over.
//
//   boost::hana::for_each(actx::catalogue::unary, [](auto entry) {
//       std::printf("%s'(1) = %g\n", entry.name, actx::d(entry.expression, actx::var<0>)(1.0));
//   });
#pragma once

#include <actx/activations.hpp>

#include <boost/hana/for_each.hpp>
#include <boost/hana/tuple.hpp>

namespace actx::catalogue {

template <class E>
struct entry {
    char const* name;
    E expression;
    char const* pytorch;     // the torch.nn module this matches
    char const* convention;  // the derivative's value at kinks, where there are any
};
template <class E>
entry(char const*, E, char const*, char const*) -> entry<E>;

inline constexpr auto x = var<0>;
inline constexpr auto y = var<1>;

// One-input activations of var<0>.  prelu reads its slope as param<0>.
inline constexpr auto unary = boost::hana::make_tuple(
    entry{"relu", relu(x), "nn.ReLU()", "relu'(0) = 0"},
    entry{"relu6", relu6(x), "nn.ReLU6()", "0 at x = 0 and x = 6"},
    entry{"hardtanh", hardtanh(x), "nn.Hardtanh(-1, 1)", "0 at x = -1 and x = 1"},
    entry{"leaky_relu", leaky_relu(x), "nn.LeakyReLU(0.01)", "leaky_relu'(0) = 0.01 (the slope)"},
    entry{"prelu", prelu(x, param<0>), "nn.PReLU() (slope = param<0>)", "prelu'(0) = slope; d/dslope = x for x <= 0, else 0"},
    entry{"elu", elu(x), "nn.ELU(alpha=1)", "elu'(0) = alpha"},
    entry{"selu", selu(x), "nn.SELU()", "selu'(0) = lambda alpha"},
    entry{"celu", celu(x), "nn.CELU(alpha=1)", "celu'(0) = 1"},
    entry{"gelu", gelu(x), "nn.GELU()", "smooth"},
    entry{"gelu_tanh", gelu_tanh(x), "nn.GELU(approximate='tanh')", "smooth"},
    entry{"silu", silu(x), "nn.SiLU()", "smooth"},
    entry{"mish", mish(x), "nn.Mish()", "smooth"},
    entry{"sigmoid", sigmoid(x), "nn.Sigmoid()", "smooth"},
    entry{"tanh", tanh(x), "nn.Tanh()", "smooth"},
    entry{"softplus", softplus(x), "nn.Softplus(beta=1, threshold=20)", "1 above the threshold (x > 20)"},
    entry{"softsign", softsign(x), "nn.Softsign()", "smooth"},
    entry{"hardsigmoid", hardsigmoid(x), "nn.Hardsigmoid()", "0 at x = -3 and x = 3"},
    entry{"hardswish", hardswish(x), "nn.Hardswish()", "0 at x = -3, 1 at x = 3"},
    entry{"logsigmoid", logsigmoid(x), "nn.LogSigmoid()", "smooth"},
    entry{"tanhshrink", tanhshrink(x), "nn.Tanhshrink()", "smooth"});

// Gated pairs of var<0> (the gate) and var<1> (the value).
inline constexpr auto binary = boost::hana::make_tuple(
    entry{"swiglu", swiglu(x, y), "F.silu(a) * b", "smooth"},
    entry{"geglu", geglu(x, y), "F.gelu(a) * b", "smooth"});

}  // namespace actx::catalogue
