// The catalogue's one-input kernels, compiled once for all the kernel tests.
//
// A fused pass is most of what a kernel test costs to build: its loops are
// inlined whole (four vectors per step, the tail, the exceptional elements'
// precise path), some 2 to 5 s of the compiler for an activation's three
// passes.  Several tests run the same kernels (the agreement with scalar
// evaluation, the accuracy sweeps in float and double, the exceptional
// elements, the guarded tails), and each translation unit that called a pass
// compiled it again; and a test written as a template over the expression
// was compiled again for every activation.
//
// compiled<K, T> declares kernel K's passes on arrays of T.  They are defined
// and explicitly instantiated once, in tests/kernels/*.cpp (one translation
// unit for each kind of kernel, so that they build in parallel), for every
// activation of the catalogue without parameters: kernel(f) in float and
// double, fast_kernel(f) in float where it differs, and the scalar kernel
// (forward and backward, one element at a time) in float and double.  The
// tests hold them as passes<T>, the same for every activation, so that a
// check is compiled once for each value type and runs every activation's
// kernel.  The code is the kernel's own: passes<T>::forward calls
// K().with(how).forward(x, y), compiled in tests/kernels/.
#pragma once

#include <actx/catalogue.hpp>
#include <actx/kernel/kernel.hpp>

#include <boost/hana/at.hpp>
#include <boost/hana/length.hpp>

#include <cstddef>
#include <span>
#include <stdexcept>
#include <type_traits>
#include <utility>

namespace actx_test {

// K's passes on arrays of T, run as `how` says (tests/kernels/instantiate.hpp).
template <class K, class T>
struct compiled {
    static void forward(actx::execution const& how, std::span<T const> x, std::span<T> y);
    static void backward(actx::execution const& how, std::span<T const> x, std::span<T const> dy, std::span<T> dx);
    static void forward_backward(actx::execution const& how, std::span<T const> x, std::span<T const> dy,
                                 std::span<T> y, std::span<T> dx);
};

// The scalar kernel's forward and backward, the reference the vector passes
// are checked against (its forward_backward is not needed).
template <class K, class T>
struct compiled_reference {
    static void forward(actx::execution const& how, std::span<T const> x, std::span<T> y);
    static void backward(actx::execution const& how, std::span<T const> x, std::span<T const> dy, std::span<T> dx);
};

// A kernel's passes on arrays of T, whichever activation: what the tests
// call, with the kernel's own interface (with, forward, backward,
// forward_backward on spans).
template <class T>
class passes {
public:
    using forward_pass = void(actx::execution const&, std::span<T const>, std::span<T>);
    using backward_pass = void(actx::execution const&, std::span<T const>, std::span<T const>, std::span<T>);
    using forward_backward_pass = void(actx::execution const&, std::span<T const>, std::span<T const>,
                                       std::span<T>, std::span<T>);

    passes(forward_pass* f, backward_pass* b, forward_backward_pass* fb) : forward_(f), backward_(b), both_(fb) {}

    // The same kernel, run as `how` says (threads, streaming stores).
    passes with(actx::execution how) const {
        passes configured = *this;
        configured.how_ = how;
        return configured;
    }

    void forward(std::span<T const> x, std::span<T> y) const { forward_(how_, x, y); }
    void backward(std::span<T const> x, std::span<T const> dy, std::span<T> dx) const { backward_(how_, x, dy, dx); }
    void forward_backward(std::span<T const> x, std::span<T const> dy, std::span<T> y, std::span<T> dx) const {
        if (both_ == nullptr) throw std::logic_error("actx_test::passes: the scalar reference has no forward_backward");
        both_(how_, x, dy, y, dx);
    }

private:
    forward_pass* forward_;
    backward_pass* backward_;
    forward_backward_pass* both_;
    actx::execution how_{};
};

// compiled_kernel<T>(f): kernel(f)'s passes on arrays of T;
// compiled_fast_kernel(f): fast_kernel(f)'s in float; compiled_scalar_kernel<T>(f):
// the scalar kernel's forward and backward (the same DAG, one element at a
// time), the reference of tests/unit/kernel.cpp.  f is an activation of the
// catalogue without parameters; any other expression fails to link.
template <class K, class T>
passes<T> passes_of() {
    using C = compiled<K, T>;
    return {&C::forward, &C::backward, &C::forward_backward};
}
template <class T, class F>
passes<T> compiled_kernel(F) {
    return passes_of<decltype(actx::kernel(F{})), T>();
}
template <class F>
passes<float> compiled_fast_kernel(F) {
    return passes_of<decltype(actx::fast_kernel(F{})), float>();
}
template <class T, class F>
passes<T> compiled_scalar_kernel(F) {
    using C = compiled_reference<actx::kernel_with<actx::scalar_values, F>, T>;
    return {&C::forward, &C::backward, nullptr};
}

// What tests/kernels/*.cpp instantiate, by position in catalogue::unary.
namespace catalogued {
inline constexpr std::size_t count = decltype(boost::hana::length(actx::catalogue::unary))::value;
template <std::size_t I>
using expression = std::remove_cvref_t<decltype(boost::hana::at_c<I>(actx::catalogue::unary).expression)>;

// A kernel of one input and one output, without parameters.
template <class K>
inline constexpr bool unary_kernel = K::inputs == 1 && K::outputs == 1 && K::params == 0;

// A placeholder for an entry that needs no instantiation of its own: it has
// parameters (prelu), it is the same expression as an earlier entry (celu
// with alpha = 1 is elu), or its fast kernel is its kernel.  compiled of it
// is empty.
template <std::size_t I>
struct not_compiled {};

template <std::size_t I>
constexpr bool first_of_its_expression() {
    return []<std::size_t... J>(std::index_sequence<J...>) {
        return !(std::is_same_v<expression<J>, expression<I>> || ...);
    }(std::make_index_sequence<I>{});
}
template <class K, std::size_t I>
using if_first = std::conditional_t<first_of_its_expression<I>() && unary_kernel<K>, K, not_compiled<I>>;

template <std::size_t I>
using accurate = if_first<decltype(actx::kernel(expression<I>{})), I>;
template <std::size_t I>
using fast = std::conditional_t<decltype(actx::kernel(expression<I>{}))::has_fast_approximation,
                                if_first<decltype(actx::fast_kernel(expression<I>{})), I>, not_compiled<I>>;
template <std::size_t I>
using scalar = if_first<actx::kernel_with<actx::scalar_values, expression<I>>, I>;
}  // namespace catalogued

// Whether tests/kernels/ compiles kernel(f)'s passes: f is an activation of
// the catalogue without parameters.
template <class F>
inline constexpr bool compiled_for = []<std::size_t... I>(std::index_sequence<I...>) {
    return (std::is_same_v<catalogued::expression<I>, F> || ...) &&
           catalogued::unary_kernel<decltype(actx::kernel(F{}))>;
}(std::make_index_sequence<catalogued::count>{});

template <std::size_t I, class T>
struct compiled<catalogued::not_compiled<I>, T> {};
template <std::size_t I, class T>
struct compiled_reference<catalogued::not_compiled<I>, T> {};

}  // namespace actx_test
