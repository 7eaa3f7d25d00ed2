// The activations whose derivative backward_from_output takes from y: each is
// recognised from the type activations.hpp builds, and its derivative is
// PyTorch's formula in y = var<0> and dy = var<1>, written out again here.
#include <actx/actx.hpp>

namespace {
using namespace actx;
constexpr auto x = var<0>;
constexpr auto y = var<0>;
constexpr auto dy = var<1>;

template <class F>
constexpr output_derivative_status status_of(F) { return derivative_from_output<F>::status; }
template <class F, class G>
constexpr bool derivative_is(F, G) {
    if constexpr (derivative_from_output<F>::status == output_derivative_status::available) {
        return std::is_same_v<derivative_from_output_t<F>, G>;
    } else {
        return false;
    }
}

static_assert(derivative_is(relu(x), select(y <= 0_c, 0_c, dy)));
static_assert(derivative_is(leaky_relu(x), select(y > 0_c, dy, dy * 0.01_c)));
static_assert(derivative_is(leaky_relu(x, 0.2_c), select(y > 0_c, dy, dy * 0.2_c)));
static_assert(derivative_is(leaky_relu(x, 0_c), select(y > 0_c, dy, 0_c)));
static_assert(derivative_is(elu(x), select(y <= 0_c, dy * (y + 1_c), dy)));
static_assert(derivative_is(elu(x, 0.5_c), select(y <= 0_c, dy * (y + 0.5_c), dy)));
static_assert(derivative_is(elu(x, 0_c), select(y <= 0_c, 0_c, dy)));  // elu with alpha 0 is relu
static_assert(derivative_is(celu(x), derivative_from_output_t<decltype(elu(x))>{}));
static_assert(derivative_is(celu(x, 2_c), select(y <= 0_c, (dy * 0.5_c) * (y + 2_c), dy)));
static_assert(derivative_is(sigmoid(x), (dy * (1_c - y)) * y));
static_assert(derivative_is(tanh(x), dy * (1_c - y * y)));
static_assert(status_of(selu(x)) == output_derivative_status::available);
static_assert(has_derivative_from_output_v<decltype(sigmoid(x))> && !has_derivative_from_output_v<decltype(gelu(x))>);

// PyTorch refuses a negative slope with is_result; so does the kernel.
static_assert(status_of(leaky_relu(x, -0.1_c)) == output_derivative_status::negative_slope);
static_assert(status_of(leaky_relu(x, -1_c)) == output_derivative_status::negative_slope);
static_assert(status_of(elu(x, -0.5_c)) == output_derivative_status::nonpositive_alpha);
static_assert(status_of(elu(x, -1_c)) == output_derivative_status::nonpositive_alpha);
static_assert(status_of(celu(x, -2_c)) == output_derivative_status::nonpositive_alpha);

// Everything else: the derivative is not a function of y, or the parameter is
// only known at run time.
static_assert(status_of(gelu(x)) == output_derivative_status::unknown);
static_assert(status_of(silu(x)) == output_derivative_status::unknown);
static_assert(status_of(softplus(x)) == output_derivative_status::unknown);
static_assert(status_of(prelu(x, param<0>)) == output_derivative_status::unknown);
static_assert(status_of(relu(var<1>)) == output_derivative_status::unknown);
static_assert(status_of(hardtanh(x)) == output_derivative_status::unknown);

// Where it applies, the formula from y agrees with the derivative from x.
template <class F>
constexpr bool agrees_at(F f, double at, double tolerance) {
    double value = f(at);
    double from_output = derivative_from_output_t<F>{}(value, 3.0);
    double from_input = 3.0 * d(f, x)(at);
    double difference = from_output - from_input;
    return (difference < 0 ? -difference : difference) <= tolerance;
}
static_assert(agrees_at(relu(x), -2.0, 0) && agrees_at(relu(x), 0.0, 0) && agrees_at(relu(x), 2.0, 0));
static_assert(agrees_at(leaky_relu(x), -2.0, 0) && agrees_at(leaky_relu(x), 0.0, 0));
static_assert(agrees_at(elu(x, 0.5_c), -1.5, 1e-15) && agrees_at(elu(x, 0.5_c), 0.0, 0));
static_assert(agrees_at(celu(x, 2_c), -1.5, 1e-15) && agrees_at(celu(x, 2_c), 1.5, 0));
static_assert(agrees_at(selu(x), -1.5, 1e-15) && agrees_at(selu(x), 0.0, 0) && agrees_at(selu(x), 1.5, 0));
static_assert(agrees_at(sigmoid(x), -3.0, 1e-15) && agrees_at(sigmoid(x), 2.0, 1e-15));
static_assert(agrees_at(tanh(x), -0.5, 1e-15) && agrees_at(tanh(x), 1.0, 1e-15));
}  // namespace
