// Values as PyTorch prints them (4 decimals) for torch.nn modules at z = -1
// and z = 2, e.g. torch.nn.ELU()(torch.tensor(-1.)) -> tensor(-0.6321).
#include <actx/actx.hpp>

namespace {
using namespace actx;
constexpr auto x = var<0>;

// PyTorch's printout is rounded to 4 decimals.
constexpr bool printed_as(double value, double printed) { return distance(value, printed) <= 5e-5; }

static_assert(printed_as(elu(x)(-1.0), -0.6321));
static_assert(printed_as(silu(x)(-1.0), -0.2689));
static_assert(printed_as(mish(x)(-1.0), -0.3034));
static_assert(printed_as(gelu(x)(-1.0), -0.1587));
static_assert(printed_as(gelu_tanh(x)(-1.0), -0.1588));
static_assert(printed_as(leaky_relu(x)(-1.0), -0.0100));
static_assert(printed_as(selu(x)(-1.0), -1.1113));
static_assert(printed_as(celu(x)(-1.0), -0.6321));
static_assert(printed_as(sigmoid(x)(-1.0), 0.2689));
static_assert(printed_as(tanh(x)(-1.0), -0.7616));
static_assert(printed_as(softplus(x)(-1.0), 0.3133));
static_assert(printed_as(softsign(x)(-1.0), -0.5000));
static_assert(printed_as(hardsigmoid(x)(-1.0), 0.3333));
static_assert(printed_as(hardswish(x)(-1.0), -0.3333));
static_assert(printed_as(logsigmoid(x)(-1.0), -1.3133));
static_assert(printed_as(tanhshrink(x)(-1.0), -0.2384));
static_assert(printed_as(relu6(x)(-1.0), 0.0));
static_assert(printed_as(hardtanh(x)(-1.0), -1.0));

static_assert(printed_as(gelu(x)(2.0), 1.9545));
static_assert(printed_as(gelu_tanh(x)(2.0), 1.9546));
static_assert(printed_as(silu(x)(2.0), 1.7616));
static_assert(printed_as(mish(x)(2.0), 1.9440));
static_assert(printed_as(selu(x)(2.0), 2.1014));
static_assert(printed_as(softplus(x)(2.0), 2.1269));
static_assert(printed_as(tanhshrink(x)(2.0), 1.0360));
static_assert(printed_as(hardswish(x)(2.0), 1.6667));

// Gradients as torch.autograd gives them at the kinks (the conventions).
static_assert(d(relu(x), x)(0.0) == 0.0);
static_assert(d(relu6(x), x)(6.0) == 0.0);
static_assert(d(leaky_relu(x), x)(0.0) == 0.01);
static_assert(d(elu(x), x)(0.0) == 1.0);
static_assert(d(selu(x), x)(0.0) == 1.0507009873554804934 * 1.6732632423543772848 ||
              near(d(selu(x), x)(0.0), 1.7580993408473768599));
static_assert(d(hardsigmoid(x), x)(-3.0) == 0.0 && d(hardsigmoid(x), x)(3.0) == 0.0);
static_assert(d(hardswish(x), x)(-3.0) == 0.0 && d(hardswish(x), x)(3.0) == 1.0);
static_assert(d(softplus(x), x)(20.5) == 1.0);
}  // namespace
