// The unfused baseline: the same expression, the same DAG (common
// subexpressions still computed once) and the same vector primitives as the
// fused kernel, but evaluated as a framework without fusion runs it: one
// operation at a time over the whole array, each into a temporary array that
// the next operation reads back from memory.
//
//   actx_bench::unfused<actx::default_values, float, decltype(gelu(x))> f(n);
//   f.run({xs}, {}, {ys});    // one pass per DAG slot
//
// The difference between this and actx::kernel is therefore exactly the cost
// of the memory traffic fusion removes (and of nothing else): the temporaries
// are allocated once, as a caching allocator would, so neither allocation nor
// first-touch page faults are timed.
//
// Leaves cost no pass: inputs are read in place, and constants and scalar
// parameters are broadcast values, as a framework's scalar operands are.  A
// slot whose value is a comparison mask stores the masks themselves; a joint
// slot (sigmoid(a) with sigmoid(-a), normcdf with normpdf) is one pass that
// writes both members.  The pass that computes an output writes straight into
// the output array when the output is a plain slot of its own.
#pragma once

#include <actx/kernel/dag.hpp>
#include <actx/kernel/evaluate_dag.hpp>

#include <algorithm>
#include <array>
#include <cstddef>
#include <stdexcept>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

namespace actx_bench {

namespace unfused_detail {

namespace dag = actx::dag;

// std::vector<bool> is a bit set: boxing keeps a vector of masks a vector.
template <class R>
struct boxed {
    R value;
};

enum class kind {
    input,   // var<I>: read in place
    scalar,  // a constant or a parameter: one broadcast value
    array,   // a value of the vector type: a temporary array of T
    packed,  // a mask or a joint pair: one stored result per vector of elements
};

template <class V, class S>
constexpr kind kind_of() {
    if constexpr (actx::is_var_v<S>) {
        return kind::input;
    } else if constexpr (actx::is_param_v<S> || actx::is_constant_v<S>) {
        return kind::scalar;
    } else if constexpr (std::is_same_v<typename dag::result_type<V, S>::type, V>) {
        return kind::array;
    } else {
        return kind::packed;
    }
}

template <class T, class V, class S, kind K = kind_of<V, S>()>
struct column;
template <class T, class V, class S>
struct column<T, V, S, kind::input> {
    T const* data = nullptr;
};
template <class T, class V, class S>
struct column<T, V, S, kind::scalar> {
    V value{};
};
template <class T, class V, class S>
struct column<T, V, S, kind::array> {
    std::vector<T> storage;
    T* data = nullptr;  // the storage, or an output array this slot is written to
};
template <class T, class V, class S>
struct column<T, V, S, kind::packed> {
    std::vector<boxed<typename dag::result_type<V, S>::type>> data;
};

template <class T, class V, class L> struct columns;
template <class T, class V, class... S> struct columns<T, V, dag::list<S...>> {
    using type = std::tuple<column<T, V, S>...>;
};

}  // namespace unfused_detail

template <class Values, class T, class... E>
class unfused {
    using V = typename Values::template type<T>;
    static constexpr std::size_t W = Values::template width<T>;
    using graph = actx::dag::of<E...>;
    using kind = unfused_detail::kind;

public:
    static constexpr std::size_t inputs = std::max({std::size_t{0}, actx::arity_of<E>::inputs...});
    static constexpr std::size_t params = std::max({std::size_t{0}, actx::arity_of<E>::params...});
    static constexpr std::size_t outputs = sizeof...(E);

    explicit unfused(std::size_t n) : n_(n) {
        if (n % W != 0) throw std::invalid_argument("unfused: n must be a multiple of the vector width");
        for_each_slot([&]<std::size_t K, class S>() {
            auto& column = std::get<K>(columns_);
            if constexpr (unfused_detail::kind_of<V, S>() == kind::array) {
                column.storage.assign(n, T(0));
            } else if constexpr (unfused_detail::kind_of<V, S>() == kind::packed) {
                column.data.resize(n / W);
            } else if constexpr (actx::is_constant_v<S>) {
                column.value = V(static_cast<T>(S::value));
            }
        });
    }

    void run(std::array<T const*, inputs> in, std::array<T, params> param_values,
             std::array<T*, outputs> out) {
        std::array<bool, outputs> written_in_place{};
        for_each_slot([&]<std::size_t K, class S>() {
            auto& column = std::get<K>(columns_);
            if constexpr (actx::is_var_v<S>) {
                column.data = in[S::index];
            } else if constexpr (actx::is_param_v<S>) {
                column.value = V(param_values[S::index]);
            } else if constexpr (unfused_detail::kind_of<V, S>() == kind::array) {
                column.data = column.storage.data();
                // An output that is this slot's value is written by this slot's pass.
                constexpr std::array<bool, outputs> is_output{
                    (std::is_same_v<actx::dag::slot_of_t<E>, S> && actx::dag::member_of<E> == 0)...};
                for (std::size_t j = 0; j < outputs; ++j) {
                    if (is_output[j] && !written_in_place[j] && column.data == column.storage.data()) {
                        column.data = out[j];
                        written_in_place[j] = true;
                    }
                }
            }
        });
        // One pass over memory per slot that computes something.
        for_each_slot([&]<std::size_t K, class S>() {
            constexpr kind k = unfused_detail::kind_of<V, S>();
            if constexpr (k == kind::array || k == kind::packed) {
                auto& column = std::get<K>(columns_);
                for (std::size_t c = 0; c < n_ / W; ++c) {
                    if constexpr (k == kind::array) {
                        Values::store(compute<S>(c), column.data + c * W);
                    } else {
                        column.data[c].value = compute<S>(c);
                    }
                }
            }
        });
        // Outputs that are a leaf or a member of a joint slot: one copy pass each.
        std::size_t j = 0;
        ((copy_out<E>(written_in_place[j], out[j]), ++j), ...);
    }

private:
    template <class F>
    void for_each_slot(F&& f) {
        [&]<std::size_t... K>(std::index_sequence<K...>) {
            (f.template operator()<K, std::tuple_element_t<K, actx::dag::as_tuple_t<graph>>>(), ...);
        }(std::make_index_sequence<graph::size>{});
    }

    // The value of expression A for the c-th vector of elements.
    template <class A>
    auto value(std::size_t c) const {
        using S = actx::dag::slot_of_t<A>;
        auto const& column = std::get<actx::dag::index_of<graph, S>::value>(columns_);
        constexpr kind k = unfused_detail::kind_of<V, S>();
        if constexpr (k == kind::input || k == kind::array) {
            return Values::load(static_cast<T const*>(column.data + c * W));
        } else if constexpr (k == kind::scalar) {
            return column.value;
        } else {
            return actx::dag::member<A>(column.data[c].value);
        }
    }

    template <class S>
    ACTX_ALWAYS_INLINE auto compute(std::size_t c) const {
        if constexpr (actx::dag::is_sigmoid_slot<S>) {
            using actx::dag::sigmoid_pair;
            return sigmoid_pair(value<typename S::argument>(c));
        } else if constexpr (actx::dag::is_exp_slot<S>) {
            using actx::dag::exp_pair;
            return exp_pair(value<typename S::argument>(c));
        } else if constexpr (actx::dag::is_normal_slot<S>) {
            using actx::dag::normal_pair;
            return normal_pair(value<typename S::argument>(c));
        } else if constexpr (actx::dag::is_tanh_slot<S>) {
            using actx::dag::tanh_sigmoids;
            return tanh_sigmoids(value<typename S::argument>(c));
        } else if constexpr (actx::dag::is_gate_slot<S>) {
            using actx::dag::gelu_tanh_gate_pair;
            return gelu_tanh_gate_pair(value<typename S::argument>(c));
        } else if constexpr (actx::dag::is_softplus_tanh_slot<S>) {
            using actx::dag::softplus_tanh;
            return softplus_tanh(value<typename S::argument>(c));
        } else {
            return apply(S{}, c);
        }
    }
    template <class Op, class... A>
    auto apply(actx::node<Op, A...>, std::size_t c) const {
        return Op::apply(value<A>(c)...);
    }

    template <class F>
    void copy_out(bool written_in_place, T* to) const {
        if (written_in_place) return;
        for (std::size_t c = 0; c < n_ / W; ++c) Values::store(V(value<F>(c)), to + c * W);
    }

    std::size_t n_;
    typename unfused_detail::columns<T, V, graph>::type columns_;
};

}  // namespace actx_bench
