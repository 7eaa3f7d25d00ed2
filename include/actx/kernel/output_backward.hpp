// The derivative of an activation written in terms of its output y, for the
// activations where y alone determines it: backward can then read the saved
// output instead of the input, as PyTorch's autograd does for relu, sigmoid
// and tanh (and for leaky_relu and elu with is_result=True), and as oneDNN's
// eltwise_*_use_dst_for_bwd algorithms do.
//
// derivative_from_output<F>::type is an expression in var<0> = y and
// var<1> = dy giving dx, so it runs through the same fused DAG machinery as
// everything else.  The formulas are PyTorch's, operation for operation:
//
//   relu        threshold_backward(dy, y, 0):   y <= 0 ? 0 : dy
//   leaky_relu  leaky_relu_backward(is_result): y > 0 ? dy : dy * slope       (slope >= 0)
//   elu         elu_backward(is_result):        y <= 0 ? dy * (y + alpha) : dy  (alpha >= 0)
//   selu        the same with scale lambda:     y <= 0 ? dy * (y + lambda alpha) : dy * lambda
//   celu        the same with input scale 1/alpha: y <= 0 ? dy * (1/alpha) * (y + alpha) : dy  (alpha > 0)
//   sigmoid     sigmoid_backward:               dy * (1 - y) * y
//   tanh        tanh_backward:                  dy * (1 - y * y)
//
// Only constant parameters qualify: the sign of a slope or alpha must be known
// to know that y's sign tells the branch (PyTorch raises for a negative slope
// with is_result; here it is a compile-time error).  Where y rounds to 1
// (sigmoid for x > 17 in float, tanh for x > 9), 1 - y is 0 and the gradient
// vanishes, where the derivative from x is still accurate: see docs/design.md.
//
// The forms recognised are the canonical types activations.hpp builds, in
// var<0>; tests/static/output_backward.cpp checks that each matches.
#pragma once

#include <actx/activations.hpp>
#include <actx/core/core.hpp>
#include <actx/kernel/bindings.hpp>

#include <array>
#include <span>
#include <string>

namespace actx {

enum class output_derivative_status {
    available,
    unknown,          // not an activation whose derivative is a function of y
    negative_slope,   // leaky_relu with slope < 0: y > 0 no longer means x > 0
    nonpositive_alpha // elu with alpha < 0, celu with alpha <= 0: likewise for y <= 0
};

template <class F>
struct derivative_from_output {
    static constexpr output_derivative_status status = output_derivative_status::unknown;
};

namespace detail {
template <class D>
struct output_derivative_of {
    static constexpr output_derivative_status status = output_derivative_status::available;
    using type = D;
};
template <output_derivative_status S>
struct no_output_derivative {
    static constexpr output_derivative_status status = S;
};

// y and dy, named for the formulas below.
inline constexpr auto saved_y = var<0>;
inline constexpr auto saved_dy = var<1>;

using x_t = var_t<0>;
template <class C> using select_x_le_0 = node<op::select, node<op::le, x_t, zero>, C, x_t>;

// dy * c * (y + a), in PyTorch's elu_backward order: (dy * c) * (y + a).
template <class C, class A>
using elu_family_t = decltype(select(saved_y <= 0_c, (saved_dy * C{}) * (saved_y + A{}), saved_dy));
}  // namespace detail

// relu: select(x <= 0, 0, x)
template <>
struct derivative_from_output<node<op::select, node<op::le, var_t<0>, zero>, zero, var_t<0>>>
    : detail::output_derivative_of<decltype(select(detail::saved_y <= 0_c, 0_c, detail::saved_dy))> {};

// leaky_relu with a constant slope: select(x > 0, x, slope * x)
template <std::uint64_t S>
struct derivative_from_output<
    node<op::select, node<op::gt, var_t<0>, zero>, var_t<0>, node<op::mul, constant<S>, var_t<0>>>>
    : std::conditional_t<(constant<S>::value >= 0),
                         detail::output_derivative_of<decltype(select(detail::saved_y > 0_c, detail::saved_dy,
                                                                      detail::saved_dy * constant<S>{}))>,
                         detail::no_output_derivative<output_derivative_status::negative_slope>> {};
// ... slope 0 (select(x > 0, x, 0)) and slope -1 (select(x > 0, x, -x)), which simplification reshapes
template <>
struct derivative_from_output<node<op::select, node<op::gt, var_t<0>, zero>, var_t<0>, zero>>
    : detail::output_derivative_of<decltype(select(detail::saved_y > 0_c, detail::saved_dy, 0_c))> {};
template <>
struct derivative_from_output<node<op::select, node<op::gt, var_t<0>, zero>, var_t<0>, node<op::neg, var_t<0>>>>
    : detail::no_output_derivative<output_derivative_status::negative_slope> {};

// elu with alpha 1 (and celu with alpha 1, the same expression): select(x <= 0, expm1(x), x)
template <>
struct derivative_from_output<detail::select_x_le_0<node<op::expm1, var_t<0>>>>
    : detail::output_derivative_of<detail::elu_family_t<one, one>> {};
// elu with a constant alpha: select(x <= 0, alpha * expm1(x), x)
template <std::uint64_t A>
struct derivative_from_output<detail::select_x_le_0<node<op::mul, constant<A>, node<op::expm1, var_t<0>>>>>
    : std::conditional_t<(constant<A>::value >= 0), detail::output_derivative_of<detail::elu_family_t<one, constant<A>>>,
                         detail::no_output_derivative<output_derivative_status::nonpositive_alpha>> {};
// elu with alpha -1: select(x <= 0, -expm1(x), x)
template <>
struct derivative_from_output<detail::select_x_le_0<node<op::neg, node<op::expm1, var_t<0>>>>>
    : detail::no_output_derivative<output_derivative_status::nonpositive_alpha> {};

// celu with a constant alpha: select(x <= 0, alpha * expm1(x / alpha), x)
template <std::uint64_t A>
struct derivative_from_output<
    detail::select_x_le_0<node<op::mul, constant<A>, node<op::expm1, node<op::div, var_t<0>, constant<A>>>>>>
    : std::conditional_t<(constant<A>::value > 0),
                         detail::output_derivative_of<
                             detail::elu_family_t<constant<bits(1.0 / constant<A>::value)>, constant<A>>>,
                         detail::no_output_derivative<output_derivative_status::nonpositive_alpha>> {};

// selu: select(x <= 0, lambda alpha * expm1(x), lambda * x)
template <>
struct derivative_from_output<decltype(selu(var<0>))>
    : detail::output_derivative_of<decltype(select(
          detail::saved_y <= 0_c, detail::saved_dy * (detail::saved_y + constant_of<constants::selu_lambda_alpha>),
          detail::saved_dy * constant_of<constants::selu_lambda>))> {};

// sigmoid: dy * (1 - y) * y
template <>
struct derivative_from_output<node<op::sigmoid, var_t<0>>>
    : detail::output_derivative_of<decltype((detail::saved_dy * (1_c - detail::saved_y)) * detail::saved_y)> {};

// tanh: dy * (1 - y * y)
template <>
struct derivative_from_output<node<op::tanh, var_t<0>>>
    : detail::output_derivative_of<decltype(detail::saved_dy * (1_c - detail::saved_y * detail::saved_y))> {};

template <class F>
using derivative_from_output_t = typename derivative_from_output<F>::type;
// Whether kernel(F{}).backward_from_output compiles.
template <class F>
inline constexpr bool has_derivative_from_output_v =
    derivative_from_output<F>::status == output_derivative_status::available;

namespace detail {
// For the kernel of F...: one expression's, and unknown for several.
template <class... F> struct output_derivative_type;
template <class F> struct output_derivative_type<F> { using type = derivative_from_output_t<F>; };
template <class... F> using output_derivative_type_t = typename output_derivative_type<F...>::type;

template <class... F>
constexpr output_derivative_status output_derivative_status_of() {
    if constexpr (sizeof...(F) == 1) {
        return (derivative_from_output<F>::status, ...);
    } else {
        return output_derivative_status::unknown;
    }
}

// backward's checks, with the arrays named as backward names them: y is
// output 0, dy output gradient 0, dx input gradient 0.  dx may be exactly y
// or dy (in place).
template <class T>
void check_backward_from_output(std::span<T const> y, std::span<T const> dy, std::span<T> dx) {
    auto require = [&](std::size_t size, char const* role) {
        if (size != y.size()) [[unlikely]]
            reject_size(role, 0, size, "output 0", y.size());
    };
    require(dy.size(), "output gradient");
    require(dx.size(), "input gradient");
    check_aliasing<2, 1>(std::array<named_range, 3>{range_of("output", 0, y, false),
                                                    range_of("output gradient", 0, dy, false),
                                                    range_of("input gradient", 0, dx, true)});
}
}  // namespace detail

}  // namespace actx
