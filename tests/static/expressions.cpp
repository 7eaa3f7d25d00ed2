// The expression language's promises, checked by the compiler: structural
// identity, canonical order, simplification, derivative shapes, arity.
#include <actx/actx.hpp>

namespace {
using namespace actx;
constexpr auto x = var<0>;
constexpr auto y = var<1>;
constexpr auto p = param<0>;

template <class A, class B>
constexpr bool same(A, B) { return std::is_same_v<A, B>; }

// Structurally equal expressions are the same type; commutative nodes are canonical.
static_assert(same(x * sigmoid(x), sigmoid(x) * x));
static_assert(same(x + y, y + x));
static_assert(same(min(x, y), min(y, x)));
static_assert(!same(x - y, y - x));
static_assert(same(gelu(x), x * normcdf(x)));
static_assert(same(swish(x), silu(x)));

// Simplification: identities and constant folding.
static_assert(same(x * 0_c, 0_c) && same(0_c * exp(x), 0_c));
static_assert(same(x * 1_c, x) && same(1_c * x, x));
static_assert(same(x + 0_c, x) && same(0_c + x, x));
static_assert(same(x - 0_c, x) && same(0_c - x, -x));
static_assert(same(x - x, 0_c));
static_assert(same(-(-x), x));
static_assert(same(x / 1_c, x));
static_assert(same(2_c * 3_c, 6_c) && same(1_c + 2_c, 3_c) && same(1_c / 4_c, 0.25_c));
static_assert(same(2_c * (3_c * x), 6_c * x));
static_assert(same(x + x, 2_c * x));
static_assert(same(x * -1_c, -x));
static_assert(same(x - (-y), x + y));
static_assert(same(select(x > 0_c, y, y), y));
static_assert(same(exp(0_c), 1_c));

// 1 - sigmoid(a) is sigmoid(-a): equal in value, without the cancellation.
static_assert(same(1_c - sigmoid(x), sigmoid(-x)));

// Literals.
static_assert(0.5_c .value == 0.5 && 1e-3_c .value == 0.001 && 20_c .value == 20.0);
// Literals at the ends of the double range: the compiler's own reading of
// the same digits (the powers of ten beyond 1e308 and below 1e-308 are not
// doubles, and once stopped compilation).
static_assert(1.7976931348623157e308_c .value == 1.7976931348623157e308 &&
              2.2250738585072014e-308_c .value == 2.2250738585072014e-308 && 4.9e-324_c .value == 4.9e-324 &&
              1e-310_c .value == 1e-310 && 1e300_c .value == 1e300 && 1e-23_c .value == 1e-23 &&
              6.02214076e23_c .value == 6.02214076e23);
static_assert(1.0507009873554804934_c .value == 1.0507009873554805);

// Derivatives: shapes and reuse of the primitive's own value.
static_assert(same(d(x, x), 1_c) && same(d(y, x), 0_c) && same(d(p, x), 0_c));
static_assert(same(d(3_c, x), 0_c));
static_assert(same(d(exp(x), x), exp(x)));
static_assert(same(d(sigmoid(x), x), sigmoid(x) * sigmoid(-x)));
static_assert(same(d(silu(x), x), sigmoid(x) + x * (sigmoid(x) * sigmoid(-x))));
static_assert(same(d(x * y, y), x));
static_assert(same(d(relu(x), x), select(x <= 0_c, 0_c, 1_c)));
static_assert(same(d(prelu(x, p), p), select(x > 0_c, 0_c, x)));
static_assert(same(d(normcdf(x), x), normpdf(x)));
static_assert(same(d(log1pexp(x), x), sigmoid(x)));

// What the kernels' scheduling reads from an expression (kernel.hpp,
// plan::free_schedule and plan::vectors_per_step): softplus's and
// logsigmoid's values take a log1pexp and their derivatives, sigmoids,
// none; tanhshrink's value takes a tanhshrink, its derivative (tanh(x)^2)
// and tanh none; the DAGs of sigmoid's and silu's
// derivatives have sigmoids for their only primitives, mish's and elu's not;
// gelu's have normcdf and normpdf only, erf's and erfc's not.
static_assert(dag::takes_log1pexp<decltype(softplus(x))> && dag::takes_log1pexp<decltype(logsigmoid(x))>);
static_assert(!dag::takes_log1pexp<decltype(d(softplus(x), x))>);
static_assert(!dag::takes_log1pexp<decltype(d(logsigmoid(x), x))>);
static_assert(!dag::takes_log1pexp<decltype(silu(x))> && !dag::takes_log1pexp<decltype(gelu(x))>);
static_assert(dag::takes<op::tanhshrink, decltype(tanhshrink(x))>);
static_assert(!dag::takes<op::tanhshrink, decltype(d(tanhshrink(x), x))>);
static_assert(!dag::takes<op::tanhshrink, decltype(tanh(x))> && !dag::takes<op::tanhshrink, decltype(d(tanh(x), x))>);
static_assert(dag::loop_shape<dag::of<decltype(d(sigmoid(x), x))>>::sigmoid_only);
static_assert(dag::loop_shape<dag::of<decltype(silu(x)), decltype(d(silu(x), x))>>::sigmoid_only);
static_assert(!dag::loop_shape<dag::of<decltype(mish(x))>>::sigmoid_only);
static_assert(!dag::loop_shape<dag::of<decltype(elu(x))>>::sigmoid_only);
static_assert(dag::loop_shape<dag::of<decltype(gelu(x)), decltype(d(gelu(x), x))>>::normal_only);
static_assert(!dag::loop_shape<dag::of<decltype(erf(x))>>::normal_only);
static_assert(!dag::loop_shape<dag::of<decltype(erfc(x)), decltype(d(erfc(x), x))>>::normal_only);

// Which exp slots the loops compute with less of the clamp of their
// argument (kernel/exceptional.hpp, relaxed_exp_slots): those whose e^x
// and e^x - 1 no result reads where x > 0.  celu with alpha != 1 takes
// expm1(x / alpha) under a select on x, which this does not look through.
using x_t = var_t<0>;
template <class E> constexpr bool guarded = detail::exp_unread_above_zero<E, x_t>;
static_assert(guarded<decltype(elu(x))> && guarded<decltype(selu(x))> && guarded<decltype(celu(x))>);
static_assert(guarded<decltype(select(x <= 0_c, y * exp(x), y))> && guarded<decltype(select(x < 0_c, exp(x), y))>);
static_assert(guarded<decltype(sigmoid(x))> && guarded<decltype(exp(y))>);
static_assert(!guarded<decltype(exp(x))> && !guarded<decltype(expm1(x))> && !guarded<decltype(elu(x) * exp(x))>);
static_assert(!guarded<decltype(select(x >= 0_c, y * exp(x), y))>);
static_assert(!guarded<decltype(select(x <= 0_c, y, exp(x)))>);
static_assert(!guarded<decltype(select(y <= 0_c, exp(x), y))>);
static_assert(!detail::exp_unread_above_zero<decltype(celu(x, 2_c)), decltype(x / 2_c)>);
// A loop without the exceptional-element test clamps below only; a tested
// one on AVX-512 floats, whose test classifies e^x for NaN and the
// infinities (elu's backward), not at all; elu's forward, which tests no
// e^x, clamps below.
using elu_gradient = decltype(select(x <= 0_c, y * exp(x), y));
template <bool Tested, std::size_t FirstGradient, class... R>
using relaxed = typename detail::relaxed_exp_slots<Tested, dag::of<R...>, dag::list<R...>, dag::list<>, FirstGradient,
                                                   false, default_values::type<float>, 2, 0>::type;
using elu_slot = dag::exp_slot<x_t>;
static_assert(std::is_same_v<relaxed<false, 0, elu_gradient>, dag::list<dag::clamped_below<elu_slot>>>);
static_assert(std::is_same_v<relaxed<true, 0, elu_gradient>,
                             std::conditional_t<detail::lanes<default_values::type<float>>::classify,
                                                dag::list<dag::unclamped<elu_slot>>,
                                                dag::list<dag::clamped_below<elu_slot>>>>);
static_assert(std::is_same_v<relaxed<true, 1, decltype(elu(x))>, dag::list<dag::clamped_below<elu_slot>>>);
static_assert(std::is_same_v<relaxed<true, 0, decltype(y * exp(x))>, dag::list<>>);
static_assert(std::is_same_v<relaxed<true, 1, decltype(sigmoid(x))>, dag::list<>>);

// Higher derivatives.
static_assert(same(d(d(exp(x), x), x), exp(x)));
static_assert(same(d(d(x * x, x), x), 2_c));
static_assert(near(d(d(d(sigmoid(x), x), x), x)(0.0), -0.125));

// Arity: what the call must bind.
static_assert(arity_of<decltype(gelu(x))>::inputs == 1 && arity_of<decltype(gelu(x))>::params == 0);
static_assert(arity_of<decltype(swiglu(x, y))>::inputs == 2);
static_assert(arity_of<decltype(prelu(x, p))>::params == 1);
static_assert(arity_of<decltype(3_c)>::inputs == 0);

// Evaluation: float stays float, integers promote to double.
static_assert(std::is_same_v<decltype(silu(x)(1.0f)), float>);
static_assert(std::is_same_v<decltype(silu(x)(1)), double>);
static_assert(silu(x)(0) == 0.0);

// The README's gradient check.
static_assert(gradient_check(gelu(x), x, {-3.0, -0.5, 0.25, 2.0}));
static_assert(gradient_check(mish(x), x, {-4.0, -1.0, 0.3, 5.0}));
static_assert(gradient_check(swiglu(x, y), y, {{-1.0, 2.0}, {0.5, -3.0}}));
static_assert(gradient_check(prelu(x, p), p, inputs(-1.5), {{0.25}, {0.1}}));
// ... and it can fail: at relu's kink the difference quotient is 1/2, not relu'(0) = 0.
static_assert(!gradient_check(relu(x), x, {0.0}));
static_assert(!gradient_check(hardswish(x), x, {2.0, 3.0}));
}  // namespace
