// kernel(f, ...): one fused loop that evaluates expressions, their gradients,
// or both, over arrays, with every distinct subexpression computed once per
// element (dag.hpp) and one pass over memory.
//
//   auto k = actx::kernel(gelu(x));
//   k.forward(xs, ys);                     // y  = f(x)
//   k.backward(xs, dys, dxs);              // dx = dy f'(x)
//   k.forward_backward(xs, dys, ys, dxs);  // both, sharing erfc and exp
//
//   actx::kernel(sigmoid(x)).backward_from_output(ys, dys, dxs);  // dx from the saved y
//   k.forward(xs_bf16, ys_bf16);           // bfloat16 arrays, computed in float
//
// The general form takes arrays of spans: inputs var<0..N-1>, outputs (one
// per expression), upstream gradients (one per expression), input gradients
// (one per input), parameters (param<0..P-1>, each one value or one per
// channel of a channel_layout) and parameter gradients (summed over elements,
// per channel for a per-channel parameter; an empty span skips one).
//
// Backward is the vector-Jacobian product: input i receives
// sum_j dy_j d(f_j, var<i>); parameter k receives the sum over elements of
// sum_j dy_j d(f_j, param<k>).  Both are expressions like any other, built at
// compile time, so forward_backward is just a bigger DAG.
//
// The tail is not a scalar loop: the last partial vector goes through the
// same vector code, its missing lanes zero (masked loads and stores where
// the vectors have them, values.hpp; a full-width copy elsewhere), so an
// element's result never depends on its position or on the array's length.
//
// How a call runs is the kernel's execution (execution.hpp), set by with():
//
//   k.with({.threads = 4}).forward(xs, ys);                         // threads started for the call
//   k.with({.executor = on_my_pool}).backward(xs, dys, dxs);        // the application's pool
//   k.with({.stream_above = actx::stream_never}).forward(xs, ys);  // ordinary stores only
//
// Single-threaded by default.  A call is cut into chunks of about 64K
// elements fixed by n and the channel layout alone, each summing parameter
// gradients apart in double, added in chunk order: outputs, input gradients
// and parameter gradients have the same bits on any number of threads and
// in any task order.  Sizes and aliasing are checked before any task runs.
//
// When a call moves more bytes than the last-level cache holds (the
// default threshold; stream.hpp), stores are non-temporal but for a
// destination written in place: the head before the first aligned
// destination goes through the tail's code (`partial`), a destination not
// aligned then keeps ordinary stores, and a fence follows the last store.
// Streaming changes no result, only where it goes.
#pragma once

#include <actx/core/core.hpp>
#include <actx/kernel/bindings.hpp>
#include <actx/kernel/evaluate_dag.hpp>
#include <actx/kernel/exceptional.hpp>
#ifndef ACTX_NO_EXCEPTIONAL
#define ACTX_NO_EXCEPTIONAL 0
#endif
#include <actx/kernel/execution.hpp>
#include <actx/kernel/output_backward.hpp>
#include <actx/kernel/stream.hpp>
#include <actx/kernel/values.hpp>

#if defined(__AVX512F__)
#include <immintrin.h>
#endif

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <limits>
#include <memory>
#include <span>
#include <type_traits>
#include <utility>
#include <vector>

namespace actx {

namespace detail {
// W elements of type E as one GNU vector, which g++ and clang++ convert
// and add as whole registers.
template <class E, std::size_t W>
struct lanes_of;
template <std::size_t W>
struct lanes_of<float, W> {
    typedef float type __attribute__((vector_size(W * sizeof(float))));
};
template <std::size_t W>
struct lanes_of<double, W> {
    typedef double type __attribute__((vector_size(W * sizeof(double))));
};
// The W lanes of v (elements E) as W / G vectors of G doubles (G doubles
// fill a register).  With AVX-512, g++ 12 made each half of 16 floats two
// conversions of four and an insertion, and took the halves apart through
// the stack; for that case, one shuffle and two conversions of eight (the
// masked intrinsic with every lane set and zeros for none: the same
// instruction as the unmasked one, without its undefined operand, of which
// g++ 12 warns that it may be used uninitialised).  Vectors wider than the
// target's registers g++ converts lane by lane (AVX2: 16 doubles for 8
// floats ran slower than the scalar loop), so the other widths convert G
// lanes at a time.
template <std::size_t W, std::size_t G, class E, class V>
ACTX_INLINE std::array<typename lanes_of<double, G>::type, W / G> in_double(V const& v) {
    static_assert(sizeof(V) == W * sizeof(E) && std::is_trivially_copyable_v<V> && W % G == 0 && G > 1);
    using to_type = typename lanes_of<double, G>::type;
    std::array<to_type, W / G> parts;
#if defined(__AVX512F__)
    if constexpr (std::is_same_v<E, float> && W == 16 && G == 8) {
        using half = typename lanes_of<float, 8>::type;
        typename lanes_of<float, 16>::type whole;
        std::memcpy(&whole, &v, sizeof whole);
        half const low = __builtin_shufflevector(whole, whole, 0, 1, 2, 3, 4, 5, 6, 7);
        half const high = __builtin_shufflevector(whole, whole, 8, 9, 10, 11, 12, 13, 14, 15);
        constexpr __mmask8 all = 0xff;
        parts[0] = to_type(_mm512_mask_cvtps_pd(_mm512_setzero_pd(), all, __m256(low)));
        parts[1] = to_type(_mm512_mask_cvtps_pd(_mm512_setzero_pd(), all, __m256(high)));
        return parts;
    }
#endif
    using from_type = typename lanes_of<E, G>::type;
    unsigned char bytes[sizeof(V)];
    std::memcpy(bytes, &v, sizeof bytes);
    for (std::size_t g = 0; g < W / G; ++g) {
        from_type from;
        std::memcpy(&from, bytes + g * G * sizeof(E), sizeof from);
        parts[g] = __builtin_convertvector(from, to_type);
    }
    return parts;
}
// to[l] += v[l] in double for the W lanes of v: the conversions and
// additions of whole registers, not W scalar ones; every sum loaded before
// any is stored (stored in between, prelu's backward with the slope's
// gradient took 0.20 ns per element instead of 0.17 on AVX-512).  The sums
// are those of adding lane by lane.
template <std::size_t W, std::size_t G, class E, class V>
ACTX_INLINE void add_in_double(double* to, V const& v) {
    static_assert(sizeof(V) == W * sizeof(E) && std::is_trivially_copyable_v<V> && W % G == 0);
    if constexpr (G == 1) {
        E e[W];
        std::memcpy(e, &v, sizeof e);
        for (std::size_t l = 0; l < W; ++l) to[l] += static_cast<double>(e[l]);
    } else {
        using to_type = typename lanes_of<double, G>::type;
        auto const parts = in_double<W, G, E>(v);
        std::array<to_type, W / G> sums;
        for (std::size_t g = 0; g < W / G; ++g) {
            std::memcpy(&sums[g], to + g * G, sizeof(to_type));
            sums[g] += parts[g];
        }
        for (std::size_t g = 0; g < W / G; ++g) std::memcpy(to + g * G, &sums[g], sizeof(to_type));
    }
}

// The sum of `count` values in an order that depends on count alone: in
// order below 16; otherwise value e into lane e % 8, in order, then the
// eight lanes pairwise (eight independent additions at a time; in order, a
// channels-first block's per-position sums were one chain as long as the
// block).  Inline: with a constant count (the keyed sums of a segment) the
// loops unroll.  The eight lanes are one vector of eight doubles, stored
// once for the remainder and the pairs: written lane by lane, g++ 12 added
// them one scalar at a time from the stack, 63 dependent-in-eight
// additions per segment (prelu's slope gradient over 16 channels of 256
// first: 0.20 -> 0.15 ns per element at n = 65536; docs/performance.md);
// a remainder added into the vector a lane at a time went through the
// stack too, and the vector's reload waited on the narrow stores (blocks
// of 49: 0.32 -> 0.39 to 0.47).  The same additions in the same order, so
// the same bits.
ACTX_INLINE double total_in_lanes(double const* v, std::size_t count) {
    if (count < 16) {
        double sum = 0.0;
        for (std::size_t e = 0; e < count; ++e) sum += v[e];
        return sum;
    }
    typename lanes_of<double, 8>::type lane, next;
    std::memcpy(&lane, v, sizeof lane);
    std::size_t b = 8;
    for (; b + 8 <= count; b += 8) {
        std::memcpy(&next, v + b, sizeof next);
        lane += next;
    }
    double l[8];
    std::memcpy(l, &lane, sizeof l);
    for (std::size_t j = 0; b + j < count; ++j) l[j] += v[b + j];
    return ((l[0] + l[1]) + (l[2] + l[3])) + ((l[4] + l[5]) + (l[6] + l[7]));
}

// How the kernel's loop moves one vector of elements: all its lanes, or the
// first `valid` of them by masked loads and stores (partial_lanes).
template <class Values>
struct whole_vector {
    template <class T> static auto load(T const* p) { return Values::load(p); }
    template <class V, class T> static void store(V const& v, T* p) { Values::store(v, p); }
};
template <class Values, class T>
struct first_lanes {
    std::size_t valid;
    auto load(T const* p) const { return partial_lanes<Values, T>::load(p, valid); }
    template <class V> void store(V const& v, T* p) const { partial_lanes<Values, T>::store(v, p, valid); }
};

template <class... F>
constexpr std::size_t inputs_of = std::max({std::size_t{0}, arity_of<F>::inputs...});
template <class... F>
constexpr std::size_t params_of = std::max({std::size_t{0}, arity_of<F>::params...});

// How many products dy * e costs once dy is carried into e's selects
// (times_upstream): none for a branch that is 0 or 1, one for any other.
template <class E> inline constexpr int upstream_products = is_zero_v<E> || is_one_v<E> ? 0 : 1;
template <class C, class A, class B>
inline constexpr int upstream_products<node<op::select, C, A, B>> = upstream_products<A> + upstream_products<B>;

// dy * e.  Where e is a select whose branches need at most one product
// between them, dy goes into the branches: relu's dy * select(x <= 0, 0, 1)
// becomes select(x <= 0, 0, dy), leaky_relu's select(x > 0, dy, 0.01 dy).
// The same products are computed, and the selected one is the same number;
// but an infinite dy no longer meets the 0 of the other branch, so such a
// gradient is NaN only where an input is (the limit 0 at dy = inf, x < 0 is
// what the exceptional-element recomputation gave before), which lets the
// kernel fix NaN lanes without a branch (exceptional.hpp, nan_only_fix).
//
// Where e is a square a a (softsign's (1/(1 + |x|))^2, tanhshrink's tanh^2),
// the product is (dy a) a: its intermediate dy a lies between dy and the
// result in magnitude, so it is normal wherever they are, where a a
// underflows for |x| > 1.8e19 in softsign's (exceptional.hpp,
// square_of_contraction).
//
// Where e is the square of a reciprocal (1/d)^2 (softsign's), the product
// is (dy / d) / d: two quotients, each rounded once, where (dy r) r rounds
// r = 1/d as well and needs a compensated product to stay within bounds.
// dy / d again lies between dy and the result for |d| >= 1.  The vector
// packs compute it as one quotient by d d (vector::quotient_by_square,
// through evaluate_dag.hpp): as many roundings, one division instead of
// two; where d d overflows the lane is NaN, and recomputed in double.
template <class E> inline constexpr bool is_square = false;
template <class A> inline constexpr bool is_square<node<op::mul, A, A>> = true;
template <class E> inline constexpr bool is_reciprocal_square = false;
template <class D>
inline constexpr bool is_reciprocal_square<node<op::mul, node<op::div, one, D>, node<op::div, one, D>>> = true;
//
// Where e is that square times another factor X (softsign of a compound
// argument u: u' (1/(1 + |u|))^2), the product is ((dy / d) X) / d: its
// second intermediate is the result times d, where X (1/d)^2 would
// underflow for |u| > 1.8e19 (softsign(1e20 x)' is 1e-26 at x = 1000).
//
// Where e is a reciprocal 1/d (x / y's d/dx, log's derivative), the product
// is dy / d: one rounding, and finite where d is subnormal and dy small
// enough, where 1/d alone is inf.
template <class E> inline constexpr bool is_reciprocal = false;
template <class D> inline constexpr bool is_reciprocal<node<op::div, one, D>> = true;
template <class X, class R> struct reciprocal_square_times : std::true_type {
    using scale = X;
    using denominator = second_argument_t<first_argument_t<R>>;
};
template <class E> struct scaled_reciprocal_square : std::false_type {};
template <class X, class R>
    requires is_reciprocal_square<R>
struct scaled_reciprocal_square<node<op::mul, X, R>> : reciprocal_square_times<X, R> {};
template <class R, class X>
    requires(is_reciprocal_square<R> && !is_reciprocal_square<X>)
struct scaled_reciprocal_square<node<op::mul, R, X>> : reciprocal_square_times<X, R> {};
template <class Dy, class E>
constexpr auto times_upstream(Dy dy, E e) {
    if constexpr (is_op_v<op::select, E> && upstream_products<E> <= 1) {
        return [&]<class C, class A, class B>(node<op::select, C, A, B>) {
            return make_select(C{}, times_upstream(dy, A{}), times_upstream(dy, B{}));
        }(e);
    } else if constexpr (is_reciprocal<E>) {
        return make_div(dy, second_argument_t<E>{});
    } else if constexpr (is_reciprocal_square<E>) {
        using D = second_argument_t<first_argument_t<E>>;
        return make_div(make_div(dy, D{}), D{});
    } else if constexpr (scaled_reciprocal_square<E>::value) {
        using D = typename scaled_reciprocal_square<E>::denominator;
        return make_div(make_mul(make_div(dy, D{}), typename scaled_reciprocal_square<E>::scale{}), D{});
    } else if constexpr (is_square<E>) {
        return make_mul(make_mul(dy, first_argument_t<E>{}), first_argument_t<E>{});
    } else {
        return dy * e;
    }
}

// sum_j dy_j d(f_j, v), where dy_j is the input var<First + j>.
template <std::size_t First, class V, class... F, std::size_t... J>
constexpr auto vector_jacobian(V v, std::index_sequence<J...>) {
    return (zero{} + ... + times_upstream(var<First + J>, d(F{}, v)));
}
// The DAG slots whose values math/vector/fast.hpp approximates (tanhshrink
// is a member of tanh's slot).
template <class S>
inline constexpr bool fast_approximated = dag::is_sigmoid_slot<S> || dag::is_tanh_slot<S> || dag::is_normal_slot<S>;
// The values whose loops plan::free_schedule may schedule freely: the
// accurate primitives on sixteen float lanes (512 bits, thirty-two
// registers on x86), for float arrays and for bfloat16 arrays, which are
// computed in float.  On AVX2, in double lanes and on the fast path the
// same loops measured slower or level (docs/design.md, "Scheduling
// without the pressure weighting").
template <class V> inline constexpr bool freely_schedulable = false;
template <class A>
inline constexpr bool freely_schedulable<vector::pack<float, A, vector::accurate_math>> =
    vector::pack<float, A, vector::accurate_math>::size == 16;
// The values whose loops take plan::vectors_per_step's count for sixteen
// registers: the accurate primitives on eight float lanes (256 bits: AVX2),
// where the counts chosen for thirty-two registers spill more and some
// loops measured faster with fewer vectors, some with three (docs/design.md,
// "Vectors per step on AVX2").
template <class V> inline constexpr bool sixteen_registers = false;
template <class A>
inline constexpr bool sixteen_registers<vector::pack<float, A, vector::accurate_math>> =
    vector::pack<float, A, vector::accurate_math>::size == 8;

}  // namespace detail

template <class Values, class... F>
class kernel_with {
public:
    static constexpr std::size_t inputs = detail::inputs_of<F...>;
    static constexpr std::size_t outputs = sizeof...(F);
    static constexpr std::size_t params = detail::params_of<F...>;
    static_assert(sizeof...(F) == 0 || inputs > 0,
                  "actx: a kernel needs at least one input var<I>: an expression of parameters and constants "
                  "alone has no arrays to run over");

    // The gradient expressions: upstream gradients are the inputs after the
    // function's own, var<inputs + j> for output j.
    template <std::size_t I>
    using input_gradient = decltype(detail::vector_jacobian<inputs, var_t<I>, F...>(
        var_t<I>{}, std::make_index_sequence<outputs>{}));
    template <std::size_t K>
    using param_gradient = decltype(detail::vector_jacobian<inputs, param_t<K>, F...>(
        param_t<K>{}, std::make_index_sequence<outputs>{}));

    // The same kernel, run as `how` says: threads, the application's
    // executor, streaming stores (execution.hpp).  Single-threaded by default.
    constexpr kernel_with with(execution how) const {
        kernel_with configured = *this;
        configured.execution_ = how;
        return configured;
    }

    template <class T>
    void forward(readonly_arrays<T, inputs> in, writable_arrays<T, outputs> out,
                 readonly_arrays<T, params> param_values = {}, channel_layout layout = {}) const {
        run<T, list_of_outputs, dag::list<>>(in, {}, param_values, layout, out, {}, {});
    }

    template <class T>
    void backward(readonly_arrays<T, inputs> in, readonly_arrays<T, outputs> grad_out,
                  writable_arrays<T, inputs> grad_in, readonly_arrays<T, params> param_values = {},
                  writable_arrays<T, params> grad_params = {}, channel_layout layout = {}) const {
        static_assert(!std::is_same_v<T, bfloat16>, "actx: bfloat16 arrays are for inference: forward only");
        run<T, list_of_input_gradients, list_of_param_gradients>(in, grad_out, param_values, layout,
                                                                 {}, grad_in, grad_params);
    }

    template <class T>
    void forward_backward(readonly_arrays<T, inputs> in, readonly_arrays<T, outputs> grad_out,
                          writable_arrays<T, outputs> out, writable_arrays<T, inputs> grad_in,
                          readonly_arrays<T, params> param_values = {},
                          writable_arrays<T, params> grad_params = {}, channel_layout layout = {}) const {
        static_assert(!std::is_same_v<T, bfloat16>, "actx: bfloat16 arrays are for inference: forward only");
        run<T, list_of_all, list_of_param_gradients>(in, grad_out, param_values, layout, out, grad_in,
                                                     grad_params);
    }

    // One input, one output, no parameters: plain arrays.
    template <class X, class Y>
    void forward(X const& x, Y&& y) const
        requires(inputs == 1 && outputs == 1 && params == 0)
    {
        using T = std::ranges::range_value_t<X>;
        forward<T>({std::span<T const>(x)}, {std::span<T>(y)});
    }
    template <class X, class DY, class DX>
    void backward(X const& x, DY const& dy, DX&& dx) const
        requires(inputs == 1 && outputs == 1 && params == 0)
    {
        using T = std::ranges::range_value_t<X>;
        backward<T>({std::span<T const>(x)}, {std::span<T const>(dy)}, {std::span<T>(dx)});
    }
    template <class X, class DY, class Y, class DX>
    void forward_backward(X const& x, DY const& dy, Y&& y, DX&& dx) const
        requires(inputs == 1 && outputs == 1 && params == 0)
    {
        using T = std::ranges::range_value_t<X>;
        forward_backward<T>({std::span<T const>(x)}, {std::span<T const>(dy)}, {std::span<T>(y)},
                            {std::span<T>(dx)});
    }

    // Backward from the saved output y = f(x) rather than from x, for an
    // activation whose derivative is a function of y (relu, leaky_relu,
    // elu, selu, celu, sigmoid, tanh: output_backward.hpp), with PyTorch's
    // formulas.  dx = dy f'(x), computed as g(y, dy) in one fused pass, with
    // backward's checks: sizes, and dx may only be exactly y or dy; run as
    // with() set this kernel's calls to run.
    template <class T>
    void backward_from_output(readonly_arrays<T, outputs> out, readonly_arrays<T, outputs> grad_out,
                              writable_arrays<T, inputs> grad_in) const {
        if constexpr (from_output_allowed<T>()) {
            detail::check_backward_from_output(out[0], grad_out[0], grad_in[0]);
            using G = detail::output_derivative_type_t<F...>;
            static_assert(arity_of<G>::inputs == 2 && arity_of<G>::params == 0);
            kernel_with<as_written<Values>, G>{}.with(execution_).template forward<T>({out[0], grad_out[0]},
                                                                                     {grad_in[0]});
        }
    }
    template <class Y, class DY, class DX>
    void backward_from_output(Y const& y, DY const& dy, DX&& dx) const {
        using T = std::ranges::range_value_t<Y>;
        if constexpr (from_output_allowed<T>())
            backward_from_output<T>({std::span<T const>(y)}, {std::span<T const>(dy)}, {std::span<T>(dx)});
    }

private:
    // Whether backward_from_output applies; stops compilation with the reason if not.
    template <class T>
    static constexpr bool from_output_allowed() {
        constexpr auto status = detail::output_derivative_status_of<F...>();
        static_assert(status != output_derivative_status::unknown,
                      "actx: backward_from_output needs an activation whose derivative is a function of its "
                      "output (relu, leaky_relu, elu, selu, celu, sigmoid, tanh)");
        static_assert(status != output_derivative_status::negative_slope,
                      "actx: backward_from_output needs a leaky_relu slope >= 0, as PyTorch: with a negative "
                      "slope the output's sign does not tell the branch");
        static_assert(status != output_derivative_status::nonpositive_alpha,
                      "actx: backward_from_output needs elu's alpha >= 0 (celu's > 0): otherwise the output's "
                      "sign does not tell the branch");
        static_assert(!std::is_same_v<T, bfloat16>, "actx: bfloat16 arrays are for inference: forward only");
        return status == output_derivative_status::available && !std::is_same_v<T, bfloat16>;
    }

    template <class Seq> struct input_gradients_of;
    template <std::size_t... I> struct input_gradients_of<std::index_sequence<I...>> {
        using type = dag::list<input_gradient<I>...>;
    };
    template <class Seq> struct param_gradients_of;
    template <std::size_t... K> struct param_gradients_of<std::index_sequence<K...>> {
        using type = dag::list<param_gradient<K>...>;
    };
    using list_of_outputs = dag::list<F...>;
    using list_of_input_gradients = typename input_gradients_of<std::make_index_sequence<inputs>>::type;
    using list_of_param_gradients = typename param_gradients_of<std::make_index_sequence<params>>::type;
    template <class A, class B> struct concat;
    template <class... A, class... B> struct concat<dag::list<A...>, dag::list<B...>> {
        using type = dag::list<A..., B...>;
    };
    using list_of_all = typename concat<list_of_outputs, list_of_input_gradients>::type;

    template <class L> struct graph_of;
    template <class... S> struct graph_of<dag::list<S...>> {
        using type = dag::of<S...>;
    };
    template <class L> struct reads_approximated;
    template <class... S> struct reads_approximated<dag::list<S...>> {
        static constexpr bool value = (detail::fast_approximated<S> || ...);
    };

public:
    // Whether fast_kernel(f...) computes anything differently from
    // kernel(f...): some pass reads a primitive that math/vector/fast.hpp
    // approximates (sigmoid, tanh, tanhshrink, the normal distribution).
    static constexpr bool has_fast_approximation =
        reads_approximated<typename graph_of<typename concat<list_of_all, list_of_param_gradients>::type>::type>::value;

private:
    template <class Stored, class Reduced> struct plan;
    template <class... S, class... R> struct plan<dag::list<S...>, dag::list<R...>> {
        using graph = dag::of<S..., R...>;
        using stored = dag::list<S...>;
        using reduced = dag::list<R...>;
        // Whether the loop is compiled with instruction scheduling (segment).
        static constexpr bool scheduled = dag::primitive_count<graph>::value > 0;
        // Vectors per step of the loop (segment_loop), for lanes of C: four
        // for a DAG with primitives, whose loop waits on the latency of
        // their chains more than on its count of operations, except where
        // another count measured faster: two for the normal distribution's
        // tail (normcdf, normpdf, erf, erfc) but three for the forward pass
        // of normcdf and normpdf in float lanes (gelu's: 0.94 of its time
        // with two; double's took 1.5 times as long, erfc's forward 1.2),
        // two for the forward_backward passes that take a tanhshrink (1.04
        // times as long with four, and with three on AVX2), three for those
        // of the exp family (elu, selu, celu), which took 6 to 9% longer
        // with two and longer still with four (docs/design.md, "Four
        // vectors per step").
        using shape = dag::loop_shape<graph>;
        static constexpr bool joint = stored::size + reduced::size > 1;
        static constexpr bool takes_tanhshrink =
            (dag::takes<op::tanhshrink, S> || ...) || (dag::takes<op::tanhshrink, R> || ...);
        static constexpr bool forward_pass = std::is_same_v<stored, list_of_outputs> && reduced::size == 0;
        static constexpr bool normal_forward = shape::normal_only && forward_pass;
        static constexpr bool takes_log1pexp = (dag::takes_log1pexp<S> || ...) || (dag::takes_log1pexp<R> || ...);
        // On sixteen registers (detail::sixteen_registers: AVX2's float
        // lanes) the counts measured on a Zen 3 processor differ: two for
        // the exp family's forward, three for the backward of the normal
        // family and of gelu_tanh's gate and for the forward_backward
        // passes that take a log1pexp (softplus, logsigmoid) or a tanh
        // (tanh's own), 3 to 11% faster (docs/design.md, "Vectors per step
        // on AVX2").
        template <class C, bool SixteenRegisters>
        static constexpr std::size_t count_per_step() {
            if (!scheduled) return 2;
            if (SixteenRegisters) {
                if (shape::normal_tail) return shape::normal_only && !joint ? 3 : 2;
                if (!joint) return shape::exp && forward_pass ? 2 : shape::gate && !forward_pass ? 3 : 4;
                if (takes_tanhshrink) return 2;
                return shape::exp || takes_log1pexp || shape::tanh ? 3 : 4;
            }
            if (shape::normal_tail) return normal_forward && std::is_same_v<C, float> ? 3 : 2;
            if (!joint) return 4;
            if (takes_tanhshrink) return 2;
            return shape::exp ? 3 : 4;
        }
        template <class C, bool SixteenRegisters = false>
        static constexpr std::size_t vectors_per_step = count_per_step<C, SixteenRegisters>();
        // Whether the loop is scheduled without g++'s register-pressure
        // weighting (segment), where that measured faster on float vectors
        // of 512 bits: the loops whose primitives are normcdf and normpdf
        // (gelu's) and those whose primitives are sigmoids and which take
        // no log1pexp (sigmoid's and silu's, softplus's and logsigmoid's
        // backward), 1 to 14% faster; erf's and erfc's forward_backward
        // took 1.22 and 1.13 times as long, softplus's and logsigmoid's
        // forward up to 1.05.  Only for detail::freely_schedulable values:
        // not on AVX2's sixteen registers or for double, where gelu's loops
        // took up to 1.34 times as long, nor on the fast path
        // (docs/design.md, "Scheduling without the pressure weighting").
        static constexpr bool free_schedule =
            scheduled && (shape::normal_only || (shape::sigmoid_only && !takes_log1pexp));
        // Where the input gradients start among the stored values.
        static constexpr std::size_t first_gradient =
            std::is_same_v<stored, list_of_outputs> ? stored::size
            : std::is_same_v<stored, list_of_input_gradients> ? 0
                                                              : outputs;
    };

    // Per-channel layouts whose channel changes within fewer than
    // tiled_below elements and that repeat within tiled_period_limit are
    // run in tiles of about tiled_elements (run).
    static constexpr std::size_t tiled_below = 256;
    static constexpr std::size_t tiled_period_limit = 16384;
    static constexpr std::size_t tiled_elements = 1024;
    // Runs shorter than short_runs (7x7 images, NCHW) cost so much a
    // segment that tiles pay up to a longer period: the last stages of an
    // ImageNet network repeat every 512 to 2048 channels of 49.
    static constexpr std::size_t short_runs = 64;
    static constexpr std::size_t short_runs_period_limit = std::size_t{1} << 18;
    // A parameter gradient summed into one value for a segment is kept in
    // this many partial sums, keyed by the element's position (accumulate):
    // four AVX-512 vectors of floats, so that consecutive vectors add into
    // independent sums.  A multiple of every vector width.
    static constexpr std::size_t gradient_keys = 64;

    template <class T>
    struct parameter_source {
        T const* values;
        bool per_channel;
    };

    // Checks everything, then evaluates.  The destinations are the outputs
    // and/or the input gradients, in the order of Stored.
    template <class T, class Stored, class Reduced>
    // The arrays by reference: passed by value they do not fit the argument
    // registers, and clang copied them with 16-byte loads of 8-byte stores
    // (a store-forwarding stall on every call).
    void run(readonly_arrays<T, inputs> const& in, readonly_arrays<T, outputs> const& grad_out,
             readonly_arrays<T, params> const& param_values, channel_layout layout,
             writable_arrays<T, outputs> const& out, writable_arrays<T, inputs> const& grad_in,
             writable_arrays<T, params> const& grad_params) const {
        constexpr bool writes_out = !std::is_same_v<Stored, list_of_input_gradients> || outputs == 0;
        constexpr bool writes_grad_in = !std::is_same_v<Stored, list_of_outputs>;
        constexpr bool reads_grad_out = writes_grad_in || Reduced::size > 0;
        constexpr bool writes_grad_params = Reduced::size > 0;
        // No parameter gradient asked for (every span empty): the loop then
        // computes none, rather than computing them to drop them.
        if constexpr (writes_grad_params) {
            if (std::ranges::all_of(grad_params, [](auto const& g) { return g.empty(); }))
                return run<T, Stored, dag::list<>>(in, grad_out, param_values, layout, out, grad_in, {});
        }

        // ---- sizes
        std::size_t n = in[0].size();
        auto require = [&](std::size_t size, char const* role, std::size_t i) ACTX_INLINE_LAMBDA {
            if (size != n) [[unlikely]]
                detail::reject_size(role, i, size, "input 0", n);
        };
        for (std::size_t i = 0; i < inputs; ++i) require(in[i].size(), "input", i);
        if constexpr (reads_grad_out)
            for (std::size_t j = 0; j < outputs; ++j) require(grad_out[j].size(), "output gradient", j);
        if constexpr (writes_out)
            for (std::size_t j = 0; j < outputs; ++j) require(out[j].size(), "output", j);
        if constexpr (writes_grad_in)
            for (std::size_t i = 0; i < inputs; ++i) require(grad_in[i].size(), "input gradient", i);
        bool per_channel = false;
        for (std::size_t k = 0; k < params; ++k) {
            std::size_t size = param_values[k].size();
            if (size != 1) {
                if (size == 0 || size != layout.channels) {
                    detail::reject("parameter " + std::to_string(k) + " has " + std::to_string(size) +
                                   " values; a parameter has 1 value or one per channel (" +
                                   std::to_string(layout.channels) + " channels in the layout)");
                }
                per_channel = true;
            }
            if (writes_grad_params && !grad_params[k].empty() && grad_params[k].size() != size) {
                detail::reject("parameter gradient " + std::to_string(k) + " has " +
                               std::to_string(grad_params[k].size()) + " elements, parameter " +
                               std::to_string(k) + " has " + std::to_string(size));
            }
        }
        // channels * inner first checked not to wrap around: a product that
        // wrapped could divide n (or be 0) for a layout no array fits.
        if (per_channel && (layout.inner == 0 ||
                            layout.channels > std::numeric_limits<std::size_t>::max() / layout.inner ||
                            n % (layout.channels * layout.inner) != 0)) {
            detail::reject("the layout (" + std::to_string(layout.channels) + " channels of " +
                           std::to_string(layout.inner) + " elements) does not tile the " +
                           std::to_string(n) + " elements");
        }

        // ---- aliasing
        // The read ranges first, then the written ones; sizes known here,
        // so the pairs are tested without a loop.
        constexpr std::size_t read_ranges = inputs + params + (reads_grad_out ? outputs : 0);
        constexpr std::size_t written_ranges =
            (writes_out ? outputs : 0) + (writes_grad_in ? inputs : 0) + (writes_grad_params ? params : 0);
        std::array<detail::named_range, read_ranges + written_ranges> ranges{};
        std::size_t count = 0;
        for (std::size_t i = 0; i < inputs; ++i) ranges[count++] = detail::range_of("input", i, in[i], false);
        for (std::size_t k = 0; k < params; ++k)
            ranges[count++] = detail::range_of("parameter", k, param_values[k], false);
        if constexpr (reads_grad_out)
            for (std::size_t j = 0; j < outputs; ++j)
                ranges[count++] = detail::range_of("output gradient", j, grad_out[j], false);
        if constexpr (writes_out)
            for (std::size_t j = 0; j < outputs; ++j) ranges[count++] = detail::range_of("output", j, out[j], true);
        if constexpr (writes_grad_in)
            for (std::size_t i = 0; i < inputs; ++i)
                ranges[count++] = detail::range_of("input gradient", i, grad_in[i], true);
        if constexpr (writes_grad_params)
            for (std::size_t k = 0; k < params; ++k)
                ranges[count++] = detail::range_of("parameter gradient", k, grad_params[k], true);
        detail::check_aliasing<read_ranges, written_ranges>(ranges);

        // ---- evaluation
        // The inputs, then the upstream gradients if the pass reads them.
        std::array<T const*, reads_grad_out ? inputs + outputs : inputs> sources{};
        for (std::size_t i = 0; i < inputs; ++i) sources[i] = in[i].data();
        if constexpr (reads_grad_out)
            for (std::size_t j = 0; j < outputs; ++j) sources[inputs + j] = grad_out[j].data();
        std::array<T*, Stored::size> destinations{};
        std::size_t next = 0;
        if constexpr (writes_out)
            for (std::size_t j = 0; j < outputs; ++j) destinations[next++] = out[j].data();
        if constexpr (writes_grad_in)
            for (std::size_t i = 0; i < inputs; ++i) destinations[next++] = grad_in[i].data();

        std::array<parameter_source<T>, params> parameters{};
        for (std::size_t k = 0; k < params; ++k) parameters[k] = {param_values[k].data(), param_values[k].size() != 1};

        // Streaming stores when the arrays outgrow the cache, except in place
        // (stream.hpp).
        std::array<bool, Stored::size> streams{};
        bool stream = false;
        if constexpr (detail::streaming<Values, T>::alignment > 0 && Stored::size > 0) {
            std::size_t above = execution_.stream_above == stream_above_cache ? last_level_cache_bytes()
                                                                               : execution_.stream_above;
            // The arrays of a call that moves no more than `above` bytes
            // even if all were distinct stream under stream_always only.
            if (above == stream_always || n > above / (sources.size() + destinations.size()) / sizeof(T)) {
                streams = detail::streamed_destinations(sources, destinations, n, above);
                stream = std::find(streams.begin(), streams.end(), true) != streams.end();
            }
        }

        // Parameters all finite and nonzero: prelu's gradient of x can be NaN
        // only where x or dy is, and takes the loop without a branch.
        using P = plan<Stored, Reduced>;
        constexpr bool regular_params_help =
            detail::regular_params_help<typename P::graph, Stored, Reduced, P::first_gradient>;
        bool regular_params = false;
        if constexpr (regular_params_help) regular_params = detail::params_regular(param_values);
        // f(true_type) where the parameters are all regular, f(false_type) otherwise.
        auto with_regularity = [&](auto&& f) ACTX_INLINE_LAMBDA {
            if constexpr (regular_params_help) {
                if (regular_params) return f(std::true_type{});
            }
            f(std::false_type{});
        };
        // A call that fits one chunk, with no per-channel parameter and no
        // parameter gradient, is one segment: it goes there directly,
        // without the chunks' dispatch and its out-of-line step, which cost
        // relu over 64 floats a fifth to a quarter of its time (docs/design.md,
        // "Kernels", what a call costs besides its loop).
        if constexpr (Reduced::size == 0) {
            if (!per_channel && n <= detail::chunk_elements) {
                std::array<std::span<double>, params> const no_sums{};
                auto run_segment = [&]<bool Regular>(std::bool_constant<Regular>) ACTX_INLINE_LAMBDA {
                    segment<T, P, Regular, false>(sources, destinations, std::size_t{0}, n, parameters, false,
                                                  std::size_t{0}, streams, no_sums);
                };
                if (n > 0) with_regularity(run_segment);
                if (stream) detail::stream_fence();
                return;
            }
        }

        // Per-channel parameters whose channel changes every few elements
        // (prelu over NC rows of 16 channels, NCHW with 4x4 images) would
        // make one short segment per row or block, each paying for its
        // loop's set-up: 16 channels last ran over 20 times slower than one
        // slope.  Where the layout repeats within tiled_period_limit
        // elements (channels * inner; short_runs_period_limit for runs
        // shorter than short_runs), each such parameter is written out
        // element by element over whole repeats instead (a tile of about
        // tiled_elements), and the array is run a tile at a time with the
        // tile as the parameter along the segment: every element meets its
        // own channel's value as before, in the same vector code.  Such a
        // parameter's gradient goes into one sum per position of the tile
        // (`positions`), added into the channels' sums at the end of each
        // chunk of tiles, in position order.
        std::size_t tile = 0;  // none
        std::size_t tiled_params = 0;
        std::size_t const period = per_channel ? layout.channels * layout.inner : 0;  // checked above
        if constexpr (params > 0) {
            std::size_t const run_length = layout.inner == 1 ? layout.channels : layout.inner;
            std::size_t const period_limit = run_length < short_runs ? short_runs_period_limit : tiled_period_limit;
            if (per_channel && run_length < tiled_below && period <= period_limit && n > 0) {
                // Whole periods (n is a whole number of them, checked above),
                // and no more than n needs.
                std::size_t const copies = std::max<std::size_t>(1, tiled_elements / period);
                tile = std::max(period, std::min(n, copies * period));
                for (std::size_t k = 0; k < params; ++k) tiled_params += parameters[k].per_channel;
            }
        }
        // A vector's room after the tiles: write_repeat's last store.
        detail::scratch<T, 0> const tile_memory(tile > 0 ? tiled_params * tile + repeat_spill<T> : 0);
        std::array<parameter_source<T>, params> tiled = parameters;
        if constexpr (params > 0) {
            if (tile > 0) {
                T* t = tile_memory.data();
                for (std::size_t k = 0; k < params; ++k) {
                    if (!parameters[k].per_channel) continue;
                    write_repeat(t, parameters[k].values, layout.channels, layout.inner);
                    for (std::size_t filled = period; filled < tile; filled *= 2)  // whole periods
                        std::copy_n(t, std::min(filled, tile - filled), t + filled);
                    tiled[k].values = t;
                    t += tile;
                }
            }
        }

        // Chunks depend on n and the layout only; each sums its parameter
        // gradients apart, and the sums are added in chunk order, so the
        // bits are the same on any number of threads (execution.hpp).
        std::array<std::size_t, params> sum_sizes{};
        if constexpr (writes_grad_params)
            for (std::size_t k = 0; k < params; ++k) sum_sizes[k] = grad_params[k].size();
        // A per-channel gradient asked for (more than one sum) in a tiled
        // call goes into per-position sums.
        std::array<bool, params> by_position{};
        for (std::size_t k = 0; k < params; ++k) by_position[k] = tile > 0 && sum_sizes[k] > 1;
        bool const positions_summed = std::ranges::find(by_position, true) != by_position.end();
        auto const chunks = tile > 0 ? detail::tiled_chunks(n, tile, layout, positions_summed)
                                     : detail::chunks_of(n, per_channel, layout);
        bool const alone = detail::runs_alone(execution_, chunks.count);
        auto const& segment_parameters = tile > 0 ? tiled : parameters;
        using partial_sums = std::array<std::span<double>, params>;
        // The per-position sums of a tiled call: one set, or one per chunk
        // when chunks run on threads (obtained here: the tasks allocate
        // nothing).
        std::size_t const position_sets = positions_summed ? (alone ? 1 : chunks.count) : 0;
        detail::scratch<double, 1> const positions(position_sets * params * tile);
        // A segment whose parameters each have one value for all of it
        // (a single value, or channels first) takes a loop that broadcasts
        // them once, not one that chooses per vector between that and a load.
        // Out of line: one copy for the caller's loop and the threads' task.
        auto evaluate_chunk = [&](std::size_t c, partial_sums const& partial) ACTX_NOINLINE_LAMBDA {
            for (auto const& sum : partial) std::fill(sum.begin(), sum.end(), 0.0);
            partial_sums sums = partial;
            if (position_sets > 0) {
                for (std::size_t k = 0; k < params; ++k) {
                    if (!by_position[k]) continue;
                    sums[k] = std::span<double>(positions.data() + ((alone ? 0 : c) * params + k) * tile, tile);
                    std::fill(sums[k].begin(), sums[k].end(), 0.0);
                }
            }
            chunks.for_each_segment(c, [&](std::size_t first, std::size_t length, bool along, std::size_t channel) {
                auto run_segment = [&]<bool Regular>(std::bool_constant<Regular>) {
                    if constexpr (params > 0) {
                        if (along && per_channel) {
                            segment<T, P, Regular, true>(sources, destinations, first, length, segment_parameters,
                                                         along, channel, streams, sums);
                            return;
                        }
                    }
                    segment<T, P, Regular, false>(sources, destinations, first, length, segment_parameters, along,
                                                  channel, streams, sums);
                };
                with_regularity(run_segment);
            });
            // The per-position sums into the channels' sums, a repeat of
            // the layout at a time: channels last one position per channel,
            // channels first a block's positions (total_in_lanes).
            if (position_sets > 0) {
                std::size_t const channels = layout.channels, inner = layout.inner;
                for (std::size_t k = 0; k < params; ++k) {
                    if (!by_position[k]) continue;
                    double const* from = sums[k].data();
                    double* to = partial[k].data();
                    for (std::size_t p = 0; p < tile; p += period) {
                        if (inner == 1) {
                            for (std::size_t ch = 0; ch < channels; ++ch) to[ch] += from[ch];
                        } else {
                            for (std::size_t ch = 0; ch < channels; ++ch)
                                to[ch] += detail::total_in_lanes(from + ch * inner, inner);
                        }
                        from += period;
                    }
                }
            }
        };
        std::array<std::vector<double>, params> totals, partials;
        for (std::size_t k = 0; k < params; ++k) totals[k].assign(sum_sizes[k], 0.0);
        auto add_to_totals = [&](partial_sums const& partial) {
            for (std::size_t k = 0; k < params; ++k)
                for (std::size_t c = 0; c < sum_sizes[k]; ++c) totals[k][c] += partial[k][c];
        };

        if (alone) {
            partial_sums partial{};
            for (std::size_t k = 0; k < params; ++k) {
                partials[k].assign(sum_sizes[k], 0.0);
                partial[k] = partials[k];
            }
            for (std::size_t c = 0; c < chunks.count; ++c) {
                evaluate_chunk(c, partial);
                add_to_totals(partial);
            }
        } else {
            for (std::size_t k = 0; k < params; ++k) partials[k].assign(chunks.count * sum_sizes[k], 0.0);
            auto partial_of = [&](std::size_t c) {
                partial_sums partial{};
                for (std::size_t k = 0; k < params; ++k)
                    partial[k] = std::span<double>(partials[k]).subspan(c * sum_sizes[k], sum_sizes[k]);
                return partial;
            };
            auto chunk_task = [&](std::size_t c) {
                evaluate_chunk(c, partial_of(c));
                if (stream) detail::stream_fence();
            };
            detail::run_chunks(execution_, chunks.count, task_ref(chunk_task));
            for (std::size_t c = 0; c < chunks.count; ++c) add_to_totals(partial_of(c));
        }
        if (stream) detail::stream_fence();
        if constexpr (writes_grad_params) {
            for (std::size_t k = 0; k < params; ++k)
                for (std::size_t c = 0; c < sum_sizes[k]; ++c) grad_params[k][c] = static_cast<T>(totals[k][c]);
        }
    }

    // A per-channel parameter written out over one repeat of the layout,
    // each channel's value `inner` times.  Blocks shorter than a vector go a
    // whole vector at a time, each store overwriting the spill of the one
    // before and the last spilling up to repeat_spill elements past the
    // repeat (into the next tile's place, written after, or the room left
    // after the tiles): std::fill_n of a few elements was a loop per
    // channel, 1024 channels of 4 a third of prelu's forward over them.
    template <class T>
    static constexpr std::size_t repeat_spill =
        std::is_floating_point_v<T> ? Values::template width<T> : std::size_t{0};
    template <class T>
    static void write_repeat(T* t, T const* values, std::size_t channels, std::size_t inner) {
        if constexpr (repeat_spill<T> > 1) {
            if (inner < repeat_spill<T>) {
                using V = typename Values::template type<T>;
                for (std::size_t c = 0; c < channels; ++c) Values::store(V(values[c]), t + c * inner);
                return;
            }
        }
        for (std::size_t c = 0; c < channels; ++c) std::fill_n(t + c * inner, inner, values[c]);
    }

    // Elements [first, first + length).  A per-channel parameter is either
    // indexed along the segment (`along`: channels last, or a tile) or one
    // value for the whole segment (that of `channel`: channels first).
    // Parameter gradients are added into `sums` (an empty span skips one):
    // along the segment, one sum per position.
    //
    // Where `streams` names destinations, a head is peeled off so that the
    // first of them is aligned for streaming stores, and each named one then
    // aligned too streams (one that is not uses ordinary stores: never an
    // unaligned streaming store).  The head and the tail go through the same
    // vector code as whole vectors (`partial`), so streaming changes no
    // element's result.
    // RegularParams: every parameter is finite and nonzero (checked by run).
    // Indexed: some parameter is indexed along the segment; if not, each is
    // broadcast once before the loop.
    template <class T, class P, bool RegularParams, bool Indexed, class... Arguments>
    ACTX_ALWAYS_INLINE static void segment(Arguments const&... arguments) {
        if constexpr (P::free_schedule && detail::freely_schedulable<typename Values::template type<T>>)
            freely_scheduled_segment<T, P, RegularParams, Indexed>(arguments...);
        else if constexpr (P::scheduled) scheduled_segment<T, P, RegularParams, Indexed>(arguments...);
        else plain_segment<T, P, RegularParams, Indexed>(arguments...);
    }
    // The same loop under three attributes: with g++'s instruction
    // scheduling for a DAG with primitives, whose long dependency chains it
    // interleaves (5 to 22% faster), weighing register pressure or, where
    // P::free_schedule says, not; and without scheduling for plain
    // arithmetic and selects, where it made no loop faster and some slower
    // (core/inline.hpp, docs/design.md "Instruction scheduling").
    template <class T, class P, bool RegularParams, bool Indexed, class... Arguments>
    ACTX_SCHEDULED_LOOP static void scheduled_segment(Arguments const&... arguments) {
        segment_loop<T, P, RegularParams, Indexed>(arguments...);
    }
    template <class T, class P, bool RegularParams, bool Indexed, class... Arguments>
    ACTX_FREELY_SCHEDULED_LOOP static void freely_scheduled_segment(Arguments const&... arguments) {
        segment_loop<T, P, RegularParams, Indexed>(arguments...);
    }
    template <class T, class P, bool RegularParams, bool Indexed, class... Arguments>
    static void plain_segment(Arguments const&... arguments) {
        segment_loop<T, P, RegularParams, Indexed>(arguments...);
    }
    template <class T, class P, bool RegularParams, bool Indexed, std::size_t Sources, std::size_t Destinations>
    ACTX_ALWAYS_INLINE static void segment_loop(std::array<T const*, Sources> const& sources,
                        std::array<T*, Destinations> const& destinations, std::size_t first, std::size_t length,
                        std::array<parameter_source<T>, params> const& parameters, bool along, std::size_t channel,
                        [[maybe_unused]] std::array<bool, Destinations> const& streams,
                        std::array<std::span<double>, params> const& sums) {
        using V = typename Values::template type<T>;
        constexpr std::size_t W = Values::template width<T>;
        using graph = typename P::graph;
        using streaming = detail::streaming<Values, T>;

        // The parameters of one vector: indexed along the segment (a pointer
        // to the vector's values) or one value for the whole segment,
        // broadcast once and passed by value like the pointers, so that the
        // loop keeps it in a register.
        struct parameters_of_vector {
            std::array<T const*, params> along{};
            std::array<V, params> uniform{};
        };
        std::array<V, params> uniform{};
        for (std::size_t k = 0; k < params; ++k)
            if (!Indexed || !parameters[k].per_channel)
                uniform[k] = V(parameters[k].values[parameters[k].per_channel ? channel : 0]);
        // The inputs and parameters of one vector of elements; called again
        // by the rare vector that takes the precise exceptional-element test.
        // `lanes` moves all of a vector's lanes (whole_vector) or the
        // first few (first_lanes: the tail).
        auto load_leaves = [&](std::array<T const*, Sources> const& from, parameters_of_vector const& vector_params,
                               auto const& lanes) ACTX_INLINE_LAMBDA {
            dag::leaves<compute_type_t<T>, V, Sources, params, fuses_products<Values>> leaves;
            for (std::size_t s = 0; s < Sources; ++s) leaves.inputs[s] = lanes.load(from[s]);
            // A parameter indexed along the segment has a pointer here, one
            // value for the segment none: tested on the vector's own
            // pointer, which stays in a register, not on the flag in the
            // caller's array, which the loop reloaded after every store.
            for (std::size_t k = 0; k < params; ++k) {
                if (Indexed && vector_params.along[k]) {
                    leaves.params[k] = lanes.load(vector_params.along[k]);
                } else {
                    leaves.params[k] = vector_params.uniform[k];
                }
            }
            return leaves;
        };
        using stored = typename P::stored;
        using reduced = typename P::reduced;
        // Whether exceptional elements are looked after (exceptional.hpp):
        // tested on every vector, or, where only the NaN-in rule applies,
        // fixed without a branch.
        constexpr bool checked = detail::has_exceptional_lanes<V> && !ACTX_NO_EXCEPTIONAL;
        constexpr bool tested =
            checked && detail::may_have_exceptional_lanes<graph, stored, reduced, P::first_gradient, RegularParams>;
        constexpr bool nan_fixed =
            checked && detail::nan_only_fix<graph, stored, reduced, P::first_gradient, RegularParams>;
        using trigger = typename detail::trigger_for<tested, graph, stored, reduced, P::first_gradient, RegularParams, V,
                                                     Sources, params>::type;
        // The exp slots computed with less of their clamp.
        using relaxed = typename detail::relaxed_exp_slots<tested, graph, stored, reduced, P::first_gradient,
                                                           RegularParams, V, Sources, params>::type;
        // One vector's results, before they are written.
        struct results {
            std::array<V, stored::size> out{};
            std::array<V, reduced::size> reduced_values{};
            trigger test{};
        };
        // One vector of elements: `from` and `vector_params` point at the
        // inputs and per-channel parameters (in the arrays, or where there
        // are no masked moves in full-width copies of a head or tail), or
        // hold a parameter's one value.
        // The pointers come by value: locals of the loop, whose addresses
        // nothing else holds, so they stay in registers.
        auto compute = [&](std::array<T const*, Sources> from, parameters_of_vector vector_params,
                           auto const& lanes) ACTX_INLINE_LAMBDA {
            auto const leaves = load_leaves(from, vector_params, lanes);
            auto memo = dag::evaluate<graph, relaxed>(leaves);
            results r;
            [&]<class... S>(dag::list<S...>) ACTX_INLINE_LAMBDA {
                std::size_t d = 0;
                ((r.out[d++] = dag::read<graph, S>(memo)), ...);
            }(stored{});
            [&]<class... R>(dag::list<R...>) ACTX_INLINE_LAMBDA {
                std::size_t k = 0;
                ((r.reduced_values[k++] = dag::read<graph, R>(memo)), ...);
            }(reduced{});
            if constexpr (tested)
                r.test = detail::exceptional_test<graph, stored, reduced, P::first_gradient, RegularParams>(
                    leaves, memo, r.out, r.reduced_values);
            if constexpr (nan_fixed)
                detail::fix_nan_lanes<stored, reduced, P::first_gradient, !RegularParams>(leaves, r.out,
                                                                                            r.reduced_values);
            return r;
        };
        // The precise test of a vector whose common test fired.
        auto patch = [&](results& r, std::array<T const*, Sources> from, parameters_of_vector vector_params,
                         [[maybe_unused]] auto const& lanes) ACTX_INLINE_LAMBDA {
            if constexpr (tested) {
                detail::patch_exceptional_lanes<graph, stored, reduced, P::first_gradient, RegularParams>(
                    r.out, r.reduced_values,
                    [&]() ACTX_INLINE_LAMBDA { return load_leaves(from, vector_params, lanes); });
            }
        };
        // A parameter's gradient summed into one value for the segment (a
        // single value, or the segment's channel) goes first into
        // gradient_keys sums, element `at` into keyed[at % gradient_keys]
        // (accumulate), which are added in key order at the end.
        constexpr std::size_t keyed_sums = reduced::size > 0 ? reduced::size : 1;
        alignas(64) double keyed[keyed_sums][gradient_keys];
        // Where each gradient goes: its channels' sums (channels last; a
        // tile's positions' sums), or
        // the one sum `total` (the segment's channel, or the single value),
        // through the keyed sums in a segment long enough for them; or
        // nowhere (not asked for).  Pointers passed by value,
        // which the loop keeps in registers: the stores of results may
        // alias anything, and after each the loop reloaded what it read
        // through references.
        struct gradient_targets {
            std::array<double*, keyed_sums> per_channel{};
            std::array<double*, keyed_sums> keyed{};
            std::array<double*, keyed_sums> total{};
        } targets;
        if constexpr (reduced::size > 0) {
            for (std::size_t k = 0; k < reduced::size; ++k) {
                if (sums[k].empty()) continue;
                if (sums[k].size() > 1 && along) {
                    targets.per_channel[k] = sums[k].data();
                    continue;
                }
                targets.total[k] = &sums[k][sums[k].size() > 1 ? channel : 0];
                if (length >= gradient_keys) {
                    targets.keyed[k] = keyed[k];
                    std::fill_n(keyed[k], gradient_keys, 0.0);
                }
            }
        }

        // `to` points at where results go (`streamed`: with streaming
        // stores), `at` is the position in the segment, and only the first
        // `valid` lanes count.
        auto write = [&](results const& r, std::array<T*, Destinations> to,
                         [[maybe_unused]] std::array<bool, Destinations> streamed, std::size_t at, std::size_t valid,
                         auto const& lanes, [[maybe_unused]] gradient_targets const& into) ACTX_INLINE_LAMBDA {
            for (std::size_t d = 0; d < stored::size; ++d) {
                if constexpr (streaming::alignment > 0) {
                    if (streamed[d]) {
                        streaming::store(r.out[d], to[d]);
                        continue;
                    }
                }
                lanes.store(r.out[d], to[d]);
            }
            // Most passes reduce nothing, and in a generic lambda g++ warns
            // of `k < 0`.
            if constexpr (reduced::size > 0)
                for (std::size_t k = 0; k < reduced::size; ++k)
                    accumulate<T>(r.reduced_values[k], into.per_channel[k], into.keyed[k], into.total[k], at, valid);
        };
        auto one_vector = [&](std::array<T const*, Sources> from, parameters_of_vector vector_params,
                              std::array<T*, Destinations> to, std::array<bool, Destinations> streamed,
                              std::size_t at, std::size_t valid, auto const& lanes) ACTX_INLINE_LAMBDA {
            results r = compute(from, vector_params, lanes);
            if (r.test.fires()) [[unlikely]]
                patch(r, from, vector_params, lanes);
            write(r, to, streamed, at, valid, lanes, targets);
        };

        std::array<bool, Destinations> streamed{};

        // Elements [i, i + valid), valid <= W: the head, the last lone
        // vector and the tail, by masked loads and stores where the vectors
        // have them (partial_lanes), otherwise through full-width copies.
        // Either way the other lanes hold zeros, so every element's result
        // is the one it has in a whole vector.  One out-of-line copy of the
        // vector code for all three: it runs at most three times a segment,
        // and inlined at each it was a quarter of the code the kernel
        // compiles to (and of its build time).
        auto partial = [&](std::size_t i, std::size_t valid) ACTX_NOINLINE_LAMBDA {
            if constexpr (partial_lanes<Values, T>::available) {
                std::array<T const*, Sources> from{};
                parameters_of_vector vector_params{};
                std::array<T*, Destinations> to{};
                for (std::size_t s = 0; s < Sources; ++s) from[s] = sources[s] + first + i;
                vector_params.uniform = uniform;
                for (std::size_t k = 0; k < params; ++k)
                    if (parameters[k].per_channel && along) vector_params.along[k] = parameters[k].values + i;
                for (std::size_t d = 0; d < Destinations; ++d) to[d] = destinations[d] + first + i;
                one_vector(from, vector_params, to, std::array<bool, Destinations>{}, i, valid,
                           detail::first_lanes<Values, T>{valid});
                return;
            }
            std::array<T const*, Sources> from{};
            parameters_of_vector vector_params{};
            std::array<T*, Destinations> to{};
            T input_copy[Sources + 1][W] = {};
            T param_copy[params + 1][W] = {};
            T output_copy[Destinations + 1][W] = {};
            for (std::size_t s = 0; s < Sources; ++s) {
                std::memcpy(input_copy[s], sources[s] + first + i, valid * sizeof(T));
                from[s] = input_copy[s];
            }
            vector_params.uniform = uniform;
            for (std::size_t k = 0; k < params; ++k) {
                if (parameters[k].per_channel && along) {
                    std::memcpy(param_copy[k], parameters[k].values + i, valid * sizeof(T));
                    vector_params.along[k] = param_copy[k];
                }
            }
            for (std::size_t d = 0; d < Destinations; ++d) to[d] = output_copy[d];
            one_vector(from, vector_params, to, std::array<bool, Destinations>{}, i, valid,
                       detail::whole_vector<Values>{});
            for (std::size_t d = 0; d < Destinations; ++d)
                std::memcpy(destinations[d] + first + i, output_copy[d], valid * sizeof(T));
        };

        std::size_t i = 0;
        if constexpr (streaming::alignment > 0 && Destinations > 0) {
            constexpr std::size_t alignment = streaming::alignment;
            auto address = [&](std::size_t d) { return reinterpret_cast<std::uintptr_t>(destinations[d] + first); };
            std::size_t const lead = static_cast<std::size_t>(std::find(streams.begin(), streams.end(), true) -
                                                              streams.begin());
            if (lead < Destinations && address(lead) % sizeof(T) == 0) {
                std::size_t head = (alignment - address(lead) % alignment) % alignment / sizeof(T);
                if (head + W <= length) {
                    if (head > 0) partial(0, head);
                    i = head;
                    for (std::size_t d = 0; d < Destinations; ++d)
                        streamed[d] = streams[d] && (address(d) + i * sizeof(T)) % alignment == 0;
                }
            }
        }
        // The whole vectors.  Their pointers start as locals that no lambda
        // holds, so that the stores (which may alias anything) do not make
        // the loop reload them from the arrays.
        std::array<T const*, Sources> source_at{};
        std::array<T const*, params> along_at{};
        std::array<T*, Destinations> destination_at{};
        for (std::size_t s = 0; s < Sources; ++s) source_at[s] = sources[s] + first;
        for (std::size_t k = 0; k < params; ++k)
            along_at[k] = parameters[k].per_channel && along ? parameters[k].values : nullptr;
        for (std::size_t d = 0; d < Destinations; ++d) destination_at[d] = destinations[d] + first;
        auto const streamed_at = streamed;
        auto const uniform_at = uniform;
        auto const targets_at = targets;
        auto pointers_at = [&](std::size_t at) ACTX_INLINE_LAMBDA {
            struct {
                std::array<T const*, Sources> from{};
                parameters_of_vector vector_params{};
                std::array<T*, Destinations> to{};
            } p;
            for (std::size_t s = 0; s < Sources; ++s) p.from[s] = source_at[s] + at;
            for (std::size_t k = 0; k < params; ++k) p.vector_params.along[k] = along_at[k] ? along_at[k] + at : nullptr;
            p.vector_params.uniform = uniform_at;
            for (std::size_t d = 0; d < Destinations; ++d) p.to[d] = destination_at[d] + at;
            return p;
        };
        // Several vectors per step: fewer of the loop's own instructions,
        // which matter in loops as short as relu's, and where the vectors
        // are tested, their tests merged into one branch (docs/design.md,
        // "Elements a float vector cannot get right").  Each element's
        // result is the same either way: the precise test decides lane by
        // lane.  Four or three where the plan says so (P::vectors_per_step),
        // then two.
        // Where the parameter gradients go decides the loop (`sums`):
        // - keys: the keyed sums in registers.  Where a step covers the
        //   gradient keys exactly once (four vectors of 16 floats: 64 keys)
        //   and every gradient asked for goes into keyed sums, each vector
        //   of a step adds into the same keys on every step: the loop keeps
        //   those sums in registers, loaded before it and stored after, each
        //   key's additions in the same order as through memory, so the bits
        //   are the same.  Through memory, each vector's sums were loaded and
        //   stored again (prelu's backward with one slope's gradient, 65536
        //   elements: 0.18 -> 0.085 ns per element, docs/design.md
        //   "Parameter gradients").
        // - channels: every gradient into its channels' sums (channels last,
        //   a tile's positions), added here into pointers the loop keeps;
        //   through `write`, which tests where each gradient goes, the loop
        //   reloaded those pointers from the stack and tested them on every
        //   vector (prelu's slope gradient over 1024 channels last, 65536
        //   elements: 0.19 -> 0.12 ns per element; docs/performance.md).
        // - targets: anything else, through `write`.
        // One body for the three, the mode a constant in it.  Shared instead
        // through a lambda returning the step's results (a struct of
        // several vectors), taking the sums as an argument or handing the
        // results to a continuation, the loops were up to 3 times slower
        // (the step's pointers went through the stack: elu's forward 0.16 ->
        // 0.47 ns per element; docs/design.md "Structs of vectors are built
        // in place").
        constexpr std::size_t double_lanes = std::min(W, Values::template width<double>);
        constexpr bool keys_in_registers =
            reduced::size > 0 && 4 * W == gradient_keys && double_lanes > 1 && W % double_lanes == 0;
        enum class sums_in { targets, channels, keys };
        auto steps = [&]<sums_in Sums, std::size_t... J>(std::integral_constant<sums_in, Sums>,
                                                         std::index_sequence<J...>) ACTX_INLINE_LAMBDA {
            constexpr std::size_t S = sizeof...(J);
            constexpr std::size_t G = double_lanes;
            using sums_type = typename detail::lanes_of<double, G>::type;
            constexpr bool keys = Sums == sums_in::keys, channels = Sums == sums_in::channels;
            if constexpr (keys) {
                static_assert(S * W == gradient_keys);
                if (i % W != 0 || i + S * W > length) return;
                for (std::size_t k = 0; k < reduced::size; ++k)
                    if (targets.per_channel[k] || (targets.total[k] && !targets.keyed[k])) return;
            }
            if constexpr (channels) {
                for (std::size_t k = 0; k < reduced::size; ++k)
                    if (!targets.per_channel[k]) return;
            }
            std::array<double*, keys || channels ? reduced::size : 0> sums_at{};  // null: not asked for
            for (std::size_t k = 0; k < sums_at.size(); ++k) sums_at[k] = keys ? targets.keyed[k] : targets.per_channel[k];
            std::array<std::array<std::array<sums_type, W / G>, S>, keys ? reduced::size : 0> sums;
            std::size_t const first_key = i % gradient_keys;
            auto key = [&](std::size_t j, std::size_t g) { return (first_key + j * W) % gradient_keys + g * G; };
            for (std::size_t k = 0; k < sums.size(); ++k)
                for (std::size_t j = 0; j < S; ++j)
                    for (std::size_t g = 0; g < W / G; ++g) {
                        sums[k][j][g] = sums_type{};
                        if (sums_at[k]) std::memcpy(&sums[k][j][g], sums_at[k] + key(j, g), sizeof(sums_type));
                    }
            gradient_targets const none{};
            gradient_targets const& into = keys || channels ? none : targets_at;
            for (; i + S * W <= length; i += S * W) {
                auto const at = std::array{pointers_at(i + J * W)...};
                constexpr detail::whole_vector<Values> lanes{};
                std::array<results, S> r{compute(at[J].from, at[J].vector_params, lanes)...};
                trigger t = r[0].test;
                ((J > 0 ? t.merge(r[J].test) : void()), ...);
                // The rare vector's pointers made again, not read from
                // `at`: passing `at` kept the step's pointers in memory, and
                // g++ with AVX2 cleared and stored them on every step
                // (prelu's backward with the slope's gradient 3 times
                // slower than with the pointers made here).
                if (t.fires()) [[unlikely]]
                    (patch(r[J], pointers_at(i + J * W).from, pointers_at(i + J * W).vector_params, lanes), ...);
                (write(r[J], at[J].to, streamed_at, i + J * W, W, lanes, into), ...);
                if constexpr (keys) {
                    for (std::size_t k = 0; k < reduced::size; ++k) {
                        ([&] {
                            auto const parts = detail::in_double<W, G, compute_type_t<T>>(r[J].reduced_values[k]);
                            for (std::size_t g = 0; g < W / G; ++g) sums[k][J][g] += parts[g];
                        }(), ...);
                    }
                }
                if constexpr (channels)
                    for (std::size_t k = 0; k < reduced::size; ++k)
                        (detail::add_in_double<W, G, compute_type_t<T>>(sums_at[k] + i + J * W, r[J].reduced_values[k]),
                         ...);
            }
            for (std::size_t k = 0; k < sums.size(); ++k)
                for (std::size_t j = 0; j < S; ++j)
                    for (std::size_t g = 0; g < W / G; ++g)
                        if (sums_at[k]) std::memcpy(sums_at[k] + key(j, g), &sums[k][j][g], sizeof(sums_type));
        };
        using four = std::make_index_sequence<4>;
        constexpr std::size_t per_step =
            P::template vectors_per_step<compute_type_t<T>, detail::sixteen_registers<typename Values::template type<T>>>;
        using planned = std::make_index_sequence<per_step>;
        using two = std::make_index_sequence<2>;
        if constexpr (keys_in_registers) steps(std::integral_constant<sums_in, sums_in::keys>{}, four{});
        if constexpr (reduced::size > 0 && Indexed) {
            if constexpr (per_step > 2) steps(std::integral_constant<sums_in, sums_in::channels>{}, planned{});
            steps(std::integral_constant<sums_in, sums_in::channels>{}, two{});
        }
        if constexpr (per_step > 2) steps(std::integral_constant<sums_in, sums_in::targets>{}, planned{});
        steps(std::integral_constant<sums_in, sums_in::targets>{}, two{});
        for (; i < length; i += W) partial(i, std::min(W, length - i));
        if constexpr (reduced::size > 0) {
            for (std::size_t k = 0; k < reduced::size; ++k)
                if (targets.keyed[k]) *targets.total[k] += detail::total_in_lanes(keyed[k], gradient_keys);
        }
    }

    // A parameter's gradient contribution from one vector of elements, the
    // element at position `at` of the segment in lane 0, added in double:
    // along the segment, each lane into its own position's sum (channels
    // last, one per channel; in a tile, one per position of the tile);
    // otherwise into keyed[at % gradient_keys], each key's
    // elements in order.  The keys depend on the position alone, so the sum
    // does not depend on the width of the vectors or on where they start (a
    // streaming head moves them), and a whole vector at a multiple of its
    // width is a few vector additions where adding every element in turn
    // to one sum was a chain of W dependent ones (docs/design.md,
    // "Parameter gradients").
    template <class T, class V>
    ACTX_ALWAYS_INLINE static void accumulate(V const& contribution, double* per_channel, double* keyed,
                                              double* total, std::size_t at, std::size_t valid) {
        constexpr std::size_t W = Values::template width<T>;
        static_assert(gradient_keys % W == 0, "actx: the gradient keys are whole vectors");
        if (!per_channel && !total) return;
        if (valid == W && (per_channel || (keyed && at % W == 0))) {  // W keys from at % W == 0: none wraps around
            constexpr std::size_t G = std::min(W, Values::template width<double>);
            detail::add_in_double<W, G, compute_type_t<T>>(per_channel ? per_channel + at : keyed + at % gradient_keys,
                                                           contribution);
            return;
        }
        compute_type_t<T> lanes[W];
        std::memcpy(lanes, &contribution, sizeof lanes);
        if (total && !keyed) {  // a short segment: in order
            double running = *total;
            for (std::size_t l = 0; l < valid; ++l) running += static_cast<double>(lanes[l]);
            *total = running;
            return;
        }
        accumulate_lanes(lanes, valid, per_channel ? per_channel + at : nullptr, keyed, at);
    }
    // The rest, out of the loop: the tail, and vectors a streaming head moved.
    template <class E>
    [[gnu::noinline]] static void accumulate_lanes(E const* lanes, std::size_t valid, double* per_channel,
                                                   double* keyed, std::size_t at) {
        for (std::size_t l = 0; l < valid; ++l) {
            double& to = per_channel ? per_channel[l] : keyed[(at + l) % gradient_keys];
            to += static_cast<double>(lanes[l]);
        }
    }

    execution execution_{};
};

// kernel(f, g, ...): the fused kernel of one or more expressions, on the
// widest vectors the compiler targets.
template <expression... F>
constexpr auto kernel(F...) {
    static_assert(sizeof...(F) > 0, "actx: kernel needs at least one expression");
    return kernel_with<default_values, F...>{};
}

// fast_kernel(f, g, ...): the same fused kernel with the fast approximations
// of math/vector/fast.hpp in float: faster, within the looser bounds stated
// there (docs/accuracy.md).  Exceptional elements (NaN, infinities,
// subnormal values) are handled as in kernel().  Where no pass reads an
// approximated primitive (has_fast_approximation is false: relu, elu,
// softplus...), it is kernel(f, g, ...) itself, the same type: the same
// code, compiled once for both.
template <expression... F>
constexpr auto fast_kernel(F...) {
    static_assert(sizeof...(F) > 0, "actx: fast_kernel needs at least one expression");
    if constexpr (kernel_with<default_values, F...>::has_fast_approximation) return kernel_with<fast_values, F...>{};
    else return kernel_with<default_values, F...>{};
}

}  // namespace actx
