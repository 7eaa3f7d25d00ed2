// The DAG a kernel evaluates: every distinct subexpression of everything it
// must produce, once, children before parents.
//
// Distinct means a distinct type: expression.hpp makes structurally equal
// subexpressions the same type, so common-subexpression elimination is
// nothing more than skipping a type already in the list.
//
// Families of primitives are scheduled jointly, because one evaluation
// yields all their values for the price of one:
//   sigmoid(a) and sigmoid(-a)   one exp: e = exp(-|a|), 1/(1+e) and e/(1+e);
//   log1pexp(a), log1pexp(-a)    max(+-a, 0) + log(1+e) from the same 1 + e
//                                (softplus and logsigmoid, whose derivatives
//                                are the sigmoids)
//   exp(a) and expm1(a)          one reduction 2^n (1 + u) serves both (the elu
//                                family's derivative and forward)
//   normcdf(a) and normpdf(a)    one exp(-a^2/2) serves both, and gelu'(a) =
//                                normcdf(a) + a normpdf(a) is a third member
//   tanh(a), sigmoid(2a), sigmoid(-2a) and tanhshrink(a)
//                                one exp: e = exp(-2|a|); tanh = 1 - 2e/(1+e)
//                                (a polynomial near 0); tanh' = 4 sigmoid(2a)
//                                sigmoid(-2a) is how the core differentiates
//                                tanh, so tanh's forward and backward share it;
//                                tanhshrink = (|a| - 1) + 2e/(1+e) (a series
//                                below 1), and its derivative is tanh(a)^2
//   gelu_tanh_gate(a) and gelu_tanh_gate(-a)
//                                one exp, as sigmoid's pair (gelu_tanh' uses both)
//   tanh(log1pexp(a)), sigmoid(+-2 log1pexp(a)) and the derivative of
//   tanh(log1pexp(a))            mish's factor and its derivative's pieces:
//                                one exp, e = exp(a), and w = e (e + 2) give
//                                them all as quotients of w + 2 (no log)
// Each family has one slot in the DAG (sigmoid_slot<a>, exp_slot<a>,
// normal_slot<a>, tanh_slot<a>, gate_slot<a>, softplus_tanh_slot<a>),
// whatever members of it the expression uses; the product of a sigmoid or
// gate pair's two members is one of them, and so are the derivatives of
// gelu_tanh_gate(a), of tanh(log1pexp(a)) and of a normcdf(a).
#pragma once

#include <actx/core/derivative.hpp>
#include <actx/core/expression.hpp>
#include <actx/core/operations.hpp>

#include <cstddef>
#include <tuple>
#include <type_traits>

namespace actx::dag {

template <class... T>
struct list {
    static constexpr std::size_t size = sizeof...(T);
};

template <class L, class T> struct contains;
template <class... U, class T>
struct contains<list<U...>, T> : std::bool_constant<(std::is_same_v<U, T> || ...)> {};

template <class L, class T> struct append_unique;
template <class... U, class T>
struct append_unique<list<U...>, T> {
    using type = std::conditional_t<contains<list<U...>, T>::value, list<U...>, list<U..., T>>;
};

template <class L, class T> struct index_of;
template <class T, class... U>
struct index_of<list<T, U...>, T> : std::integral_constant<std::size_t, 0> {};
template <class T, class V, class... U>
struct index_of<list<V, U...>, T>
    : std::integral_constant<std::size_t, 1 + index_of<list<U...>, T>::value> {};

// Joint slots: one evaluation producing both members of a family.
template <class A> struct sigmoid_slot { using argument = A; };  // sigmoid(A) and sigmoid(-A)
template <class A> struct normal_slot { using argument = A; };   // normcdf(A) and normpdf(A)
template <class A> struct tanh_slot { using argument = A; };     // tanh(A), sigmoid(+-2A), tanhshrink(A)
template <class A> struct gate_slot { using argument = A; };     // gelu_tanh_gate(A) and (-A)
template <class A> struct softplus_tanh_slot { using argument = A; };  // tanh(log1pexp(A)) and its pieces
template <class A> struct exp_slot { using argument = A; };       // exp(A) and expm1(A)
template <class S> inline constexpr bool is_sigmoid_slot = false;
template <class A> inline constexpr bool is_sigmoid_slot<sigmoid_slot<A>> = true;
template <class S> inline constexpr bool is_normal_slot = false;
template <class A> inline constexpr bool is_normal_slot<normal_slot<A>> = true;
template <class S> inline constexpr bool is_gate_slot = false;
template <class A> inline constexpr bool is_gate_slot<gate_slot<A>> = true;
template <class S> inline constexpr bool is_tanh_slot = false;
template <class A> inline constexpr bool is_tanh_slot<tanh_slot<A>> = true;
template <class S> inline constexpr bool is_exp_slot = false;
template <class A> inline constexpr bool is_exp_slot<exp_slot<A>> = true;
template <class S> inline constexpr bool is_softplus_tanh_slot = false;
template <class A> inline constexpr bool is_softplus_tanh_slot<softplus_tanh_slot<A>> = true;

template <class L> struct as_tuple;
template <class... T> struct as_tuple<list<T...>> { using type = std::tuple<T...>; };
template <class L> using as_tuple_t = typename as_tuple<L>::type;

// slot_of<E>: the DAG entry that yields E's value.  For sigmoid(-a), the
// slot is keyed by a; for sigmoid(a) of any other a, by a itself.
template <class E> struct slot_of { using type = E; };
template <class A> struct slot_of<node<op::sigmoid, A>> { using type = sigmoid_slot<A>; };
template <class A> struct slot_of<node<op::sigmoid, node<op::neg, A>>> { using type = sigmoid_slot<A>; };
template <class A> struct slot_of<node<op::log1pexp, A>> { using type = sigmoid_slot<A>; };
template <class A> struct slot_of<node<op::log1pexp, node<op::neg, A>>> { using type = sigmoid_slot<A>; };
template <class A> struct slot_of<node<op::exp, A>> { using type = exp_slot<A>; };
template <class A> struct slot_of<node<op::expm1, A>> { using type = exp_slot<A>; };
template <class A> struct slot_of<node<op::normcdf, A>> { using type = normal_slot<A>; };
template <class A> struct slot_of<node<op::normpdf, A>> { using type = normal_slot<A>; };
template <class A> struct slot_of<node<op::gelu_tanh_gate, A>> { using type = gate_slot<A>; };
template <class A> struct slot_of<node<op::gelu_tanh_gate, node<op::neg, A>>> { using type = gate_slot<A>; };
using two = constant<bits(2.0)>;
template <class A> struct slot_of<node<op::tanh, A>> { using type = tanh_slot<A>; };
template <class A> struct slot_of<node<op::tanhshrink, A>> { using type = tanh_slot<A>; };
template <class A> struct slot_of<node<op::sigmoid, node<op::mul, two, A>>> { using type = tanh_slot<A>; };
template <class A> struct slot_of<node<op::sigmoid, node<op::neg, node<op::mul, two, A>>>> {
    using type = tanh_slot<A>;
};
// tanh of a softplus (mish's x tanh(log1pexp(x))): the log is never taken.
template <class A> struct slot_of<node<op::tanh, node<op::log1pexp, A>>> { using type = softplus_tanh_slot<A>; };
template <class A> struct slot_of<node<op::sigmoid, node<op::mul, two, node<op::log1pexp, A>>>> {
    using type = softplus_tanh_slot<A>;
};
template <class A> struct slot_of<node<op::sigmoid, node<op::neg, node<op::mul, two, node<op::log1pexp, A>>>>> {
    using type = softplus_tanh_slot<A>;
};
// The product of a pair's two members (sigmoid(a) sigmoid(-a), the
// derivative of sigmoid, silu, tanh and mish; gelu_tanh_gate(a)
// gelu_tanh_gate(-a) in gelu_tanh's) is a member of the pair's slot too:
// the joint evaluation forms it with one rounding, where a product of the
// two rounded members would carry both their errors and a third.
template <class E> struct joint_product : std::false_type {};
template <class F> inline constexpr bool has_joint_product =
    std::is_same_v<F, op::sigmoid> || std::is_same_v<F, op::gelu_tanh_gate>;
template <class F, class A>
    requires has_joint_product<F>
struct joint_product<node<op::mul, node<F, A>, node<F, node<op::neg, A>>>> : std::true_type {
    using first = node<F, A>;
};
template <class F, class A>
    requires has_joint_product<F>
struct joint_product<node<op::mul, node<F, node<op::neg, A>>, node<F, A>>> : std::true_type {
    using first = node<F, A>;
};
template <class E>
    requires joint_product<E>::value
struct slot_of<E> {
    using type = typename slot_of<typename joint_product<E>::first>::type;
};
// So is the whole derivative of the gate, exactly as the core writes it
// (core/derivative.hpp): its slope c1 + 3 c3 a^2 is then formed in two
// floats and the product rounded once.
template <class E> struct gate_derivative : std::false_type {};
template <class G> struct gate_argument : std::false_type {};  // G = gelu_tanh_gate(A): A
template <class A> struct gate_argument<node<op::gelu_tanh_gate, A>> : std::true_type { using type = A; };
template <class X, class Y>
struct gate_derivative<node<op::mul, X, Y>> {
    template <class P>
    static constexpr bool from_product() {
        if constexpr (joint_product<P>::value) {
            using G = typename joint_product<P>::first;
            if constexpr (gate_argument<G>::value) {
                using A = typename gate_argument<G>::type;
                return std::is_same_v<node<op::mul, X, Y>,
                                      decltype(detail::local_derivative(op::gelu_tanh_gate{}, A{}, G{}))>;
            }
        }
        return false;
    }
    static constexpr bool value = from_product<X>() || from_product<Y>();
    using first = std::conditional_t<from_product<X>(), X, Y>;
};
template <class E>
    requires gate_derivative<E>::value
struct slot_of<E> {
    using type = typename slot_of<typename joint_product<typename gate_derivative<E>::first>::first>::type;
};
// And so is the derivative of tanh(log1pexp(A)) with respect to A, exactly
// as the core's chain rule writes it: tanh'(log1pexp(A)) log1pexp'(A) =
// (4 sigmoid(2L) sigmoid(-2L)) sigmoid(A), L = log1pexp(A), in either order.
// It is 4 e (1 + e) / (w + 2)^2, rounded once instead of three times.
template <class E> struct softplus_tanh_derivative : std::false_type {};
template <class S> struct sigmoid_argument : std::false_type { using type = void; };  // S = sigmoid(A): A
template <class A> struct sigmoid_argument<node<op::sigmoid, A>> : std::true_type { using type = A; };
template <class X, class Y>
struct softplus_tanh_derivative<node<op::mul, X, Y>> {
    template <class Outer, class Inner>  // Inner = sigmoid(A), Outer = tanh' at log1pexp(A)
    static constexpr bool chain() {
        if constexpr (sigmoid_argument<Inner>::value) {
            using A = typename sigmoid_argument<Inner>::type;
            using L = node<op::log1pexp, A>;
            return std::is_same_v<Inner, decltype(detail::local_derivative(op::log1pexp{}, A{}, L{}))> &&
                   std::is_same_v<Outer, decltype(detail::local_derivative(op::tanh{}, L{}, node<op::tanh, L>{}))>;
        }
        return false;
    }
    static constexpr bool value = chain<X, Y>() || chain<Y, X>();
    using argument = typename sigmoid_argument<std::conditional_t<chain<X, Y>(), Y, X>>::type;
};
template <class E>
    requires softplus_tanh_derivative<E>::value
struct slot_of<E> {
    using type = softplus_tanh_slot<typename softplus_tanh_derivative<E>::argument>;
};
// So is gelu's derivative Phi(A) + A phi(A), the sum in either order: the
// normal family computes it with its cancellation done exactly.
template <class E> struct normal_derivative : std::false_type {};
template <class A>
struct normal_derivative<node<op::add, node<op::mul, A, node<op::normpdf, A>>, node<op::normcdf, A>>>
    : std::true_type {
    using argument = A;
};
template <class A>
struct normal_derivative<node<op::add, node<op::mul, node<op::normpdf, A>, A>, node<op::normcdf, A>>>
    : normal_derivative<node<op::add, node<op::mul, A, node<op::normpdf, A>>, node<op::normcdf, A>>> {};
template <class A, class P>
    requires normal_derivative<node<op::add, P, node<op::normcdf, A>>>::value
struct normal_derivative<node<op::add, node<op::normcdf, A>, P>> : normal_derivative<node<op::add, P, node<op::normcdf, A>>> {};
template <class E>
    requires normal_derivative<E>::value
struct slot_of<E> {
    using type = normal_slot<typename normal_derivative<E>::argument>;
};
template <class E> using slot_of_t = typename slot_of<E>::type;

// What a slot needs computed before it.
template <class S> struct slot_children { using type = list<>; };
template <class Op, class... A> struct slot_children<node<Op, A...>> { using type = list<A...>; };
template <class A> struct slot_children<sigmoid_slot<A>> { using type = list<A>; };
template <class A> struct slot_children<normal_slot<A>> { using type = list<A>; };
template <class A> struct slot_children<tanh_slot<A>> { using type = list<A>; };
template <class A> struct slot_children<gate_slot<A>> { using type = list<A>; };
template <class A> struct slot_children<softplus_tanh_slot<A>> { using type = list<A>; };
template <class A> struct slot_children<exp_slot<A>> { using type = list<A>; };

// Post-order collection of slots, without repeats.
template <class L, class E> struct collect;
template <class L, class Children> struct collect_children;
template <class L> struct collect_children<L, list<>> { using type = L; };
template <class L, class C, class... R>
struct collect_children<L, list<C, R...>> {
    using type = typename collect_children<typename collect<L, C>::type, list<R...>>::type;
};
template <class L, class E>
struct collect {
    using slot = slot_of_t<E>;
    using with_children = typename collect_children<L, typename slot_children<slot>::type>::type;
    using type = typename append_unique<with_children, slot>::type;
};

template <class L, class... E> struct collect_all { using type = L; };
template <class L, class E, class... R>
struct collect_all<L, E, R...> {
    using type = typename collect_all<typename collect<L, E>::type, R...>::type;
};

// The DAG of a set of expressions: all their slots, children first.
template <class... E>
using of = typename collect_all<list<>, E...>::type;

// How many primitive evaluations a DAG performs per element: one per slot
// that is not a leaf, a constant or plain arithmetic.  Tests compare this
// with what an instrumented value type counts.
template <class S> inline constexpr bool is_primitive_slot = false;
template <class A> inline constexpr bool is_primitive_slot<sigmoid_slot<A>> = true;
template <class A> inline constexpr bool is_primitive_slot<normal_slot<A>> = true;
template <class A> inline constexpr bool is_primitive_slot<tanh_slot<A>> = true;
template <class A> inline constexpr bool is_primitive_slot<gate_slot<A>> = true;
template <class A> inline constexpr bool is_primitive_slot<softplus_tanh_slot<A>> = true;
template <class A> inline constexpr bool is_primitive_slot<exp_slot<A>> = true;
template <class Op, class A>
inline constexpr bool is_primitive_slot<node<Op, A>> =
    Op::style == op::notation::call && !std::is_same_v<Op, op::abs> && !std::is_same_v<Op, op::sign>;

template <class L> struct primitive_count;
template <class... S>
struct primitive_count<list<S...>>
    : std::integral_constant<std::size_t, (std::size_t{0} + ... + (is_primitive_slot<S> ? 1 : 0))> {};

// What a DAG's loop width and scheduling depend on (kernel.hpp,
// plan::vectors_per_step and plan::free_schedule): whether it evaluates the
// normal distribution's tail (the normal family, erf, erfc), whether it has
// a slot of the exp family, of tanh or of gelu_tanh's gate, and whether its
// only primitives are of the sigmoid family or of the normal family
// (normcdf and normpdf: not erf or erfc), and, below, whether it takes a
// log1pexp or a tanhshrink.
template <class S> inline constexpr bool is_normal_tail = is_normal_slot<S>;
template <class A> inline constexpr bool is_normal_tail<node<op::erf, A>> = true;
template <class A> inline constexpr bool is_normal_tail<node<op::erfc, A>> = true;
template <class L> struct loop_shape;
template <class... S>
struct loop_shape<list<S...>> {
    static constexpr bool normal_tail = (is_normal_tail<S> || ...);
    static constexpr bool exp = (is_exp_slot<S> || ...);
    static constexpr bool tanh = (is_tanh_slot<S> || ...);
    static constexpr bool gate = (is_gate_slot<S> || ...);
    static constexpr bool sigmoid_only = ((is_sigmoid_slot<S> || !is_primitive_slot<S>) && ...);
    static constexpr bool normal_only = ((is_normal_slot<S> || !is_primitive_slot<S>) && ...);
};

// Whether an expression takes an operation Op somewhere: a log1pexp
// (softplus's and logsigmoid's values; their derivatives are sigmoids and
// take none), a tanhshrink (its forward and forward_backward).
template <class Op, class E> inline constexpr bool takes = false;
template <class Op, class Node, class... A>
inline constexpr bool takes<Op, node<Node, A...>> = std::is_same_v<Op, Node> || (takes<Op, A> || ...);
template <class E> inline constexpr bool takes_log1pexp = takes<op::log1pexp, E>;

// Expressions whose value is at least 1 or NaN, whatever the inputs: 1 + |a|
// (softsign's denominator).  Quotients by them cannot overflow, and the
// kernels divide by them without a division (evaluate_dag.hpp).
template <class E> inline constexpr bool at_least_one = false;
template <class A> inline constexpr bool at_least_one<node<op::add, one, node<op::abs, A>>> = true;

}  // namespace actx::dag
