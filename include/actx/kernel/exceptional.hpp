// Lanes a float vector evaluation cannot get right by itself, found by a few
// compares per vector and recomputed element by element in double.
//
// Five cases, each decided by the element's own values only, so an
// element's result still never depends on its neighbours or its position:
//
// * A primitive's value is a float subnormal.  Its lost bits are then the
//   error of everything it multiplies: silu(x) = x sigmoid(x) at x = -90 is a
//   normal float, sigmoid(-90) is not (46 ULP measured), and so for gelu near
//   -13.1, gelu_tanh's derivative near -10, mish, the gated pairs, and any
//   dy f'(x) whose f'(x) underflows while the product would not (elu's
//   exp(x) at x = -94 times dy = 1000).  In double none of these underflow.
// * An input or parameter is a float subnormal: its product with a large
//   factor keeps only its few bits (swiglu's a sigmoid(a) b at a = 2e-40).
// * A float result below 2^-100: an intermediate product on the way to it
//   may have been subnormal (dy (1/(1 + |x|))^2 at x = 2.6e20, dy tanh(x)^2
//   at x = 4e-21), so it is recomputed too; this covers factors up to 2^26.
// * An output is NaN although no input is: an inf * 0 in the formula at an
//   infinite input (silu(-inf) = -inf * 0, silu'(+inf) = 1 + inf * 0).  The
//   element is recomputed in double at +-DBL_MAX instead of +-inf, which
//   gives the limit (-0, 1, ...).
// * An input or an upstream gradient is NaN: every gradient of the element
//   is NaN (NaN in, NaN out; the derivative of relu's select would
//   otherwise say 1 or 0).  Forward outputs already propagate NaN.
//
// The recomputation uses the same DAG on double scalars (actx::math, within
// a few double ULP), rounded once to float.
//
// Cost: the test runs on every vector of an expression with primitives
// (about 60% on silu's, gelu's and tanh's forward at n = 4096, measured with
// bench/: docs/performance.md); expressions made of arithmetic and selects
// only test for a NaN leaf, and only in passes that produce gradients.
// Compiling with -DACTX_NO_EXCEPTIONAL=1 turns all of it off: those elements
// then keep what the float vector code gives (the errors above).
#pragma once

#include <actx/kernel/dag.hpp>
#include <actx/kernel/evaluate_dag.hpp>
#include <actx/math/vector/pack.hpp>

#include <array>
#include <cfloat>
#include <cmath>
#include <cstddef>
#include <limits>
#include <type_traits>

namespace actx::detail {

// The value types this applies to: float and double, scalar or in packs
// (not, for instance, the tests' instrumented types).
template <class V> inline constexpr bool has_exceptional_lanes = std::is_floating_point_v<V>;
template <class T, class A>
inline constexpr bool has_exceptional_lanes<vector::pack<T, A>> = std::is_floating_point_v<T>;

// How to look at the lanes of a value: a vector pack or a plain float/double.
template <class V>
struct lanes {
    using scalar = V;
    static constexpr std::size_t size = 1;
    static void store(V v, scalar* p) { *p = v; }
    static V load(scalar const* p) { return *p; }
    static bool nan(V v) { return v != v; }
    static bool subnormal(V v) {
        if constexpr (std::is_same_v<V, float>) {
            return std::abs(v) < FLT_MIN && v != 0;
        } else {
            return false;  // double intermediates are not recomputed in anything wider
        }
    }
    static bool tiny(V v) {
        if constexpr (std::is_same_v<V, float>) {
            return std::abs(v) < 0x1p-100f && v != 0;
        } else {
            return false;
        }
    }
    static bool any(bool m) { return m; }
    static bool none() { return false; }
    static void store_mask(bool m, bool* p) { *p = m; }
};
template <class T, class A>
struct lanes<vector::pack<T, A>> {
    using V = vector::pack<T, A>;
    using scalar = T;
    using mask = typename V::mask_type;
    static constexpr std::size_t size = V::size;
    static void store(V v, scalar* p) { v.store(p); }
    static V load(scalar const* p) { return V::load(p); }
    static mask nan(V v) { return v != v; }
    static mask subnormal(V v) {
        if constexpr (std::is_same_v<T, float>) {
            auto a = xsimd::abs(v.v);
            return {(a < xsimd::batch<T, A>(FLT_MIN)) & (a > xsimd::batch<T, A>(0))};
        } else {
            return none();
        }
    }
    static mask tiny(V v) {
        if constexpr (std::is_same_v<T, float>) {
            auto a = xsimd::abs(v.v);
            return {(a < xsimd::batch<T, A>(0x1p-100f)) & (a > xsimd::batch<T, A>(0))};
        } else {
            return none();
        }
    }
    static bool any(mask m) { return m.any(); }
    static mask none() { return V(T(0)) != V(T(0)); }
    static void store_mask(mask m, bool* p) {
        T t[size];
        select_value(m, V(T(1)), V(T(0))).store(t);
        for (std::size_t l = 0; l < size; ++l) p[l] = t[l] != T(0);
    }
};

// The members of a primitive slot's value.
template <class V, class R>
inline auto subnormal_members(R const& r) {
    using Ln = lanes<V>;
    if constexpr (std::is_same_v<R, V>) {
        return Ln::subnormal(r);
    } else if constexpr (requires { r.tanh; }) {
        return Ln::subnormal(r.tanh) || Ln::subnormal(r.positive) || Ln::subnormal(r.negative);
    } else if constexpr (requires { r.cdf; }) {
        return Ln::subnormal(r.cdf) || Ln::subnormal(r.pdf);
    } else {
        return Ln::subnormal(r.positive) || Ln::subnormal(r.negative);
    }
}

// Subnormal lanes among the primitive slots of Sub (the DAG of one stored
// expression), read from the memo of the whole DAG L: each stored value is
// judged by its own primitives, so a forward output is recomputed in exactly
// the same lanes whether the pass is forward or forward_backward.
template <class L, class V, class Sub, class Memo>
inline auto subnormal_primitives(Memo const& memo) {
    auto m = lanes<V>::none();
    [&]<class... S>(dag::list<S...>) {
        auto one = [&]<class Slot>(Slot*) {
            if constexpr (dag::is_primitive_slot<Slot>)
                m = m || subnormal_members<V>(std::get<dag::index_of<L, Slot>::value>(memo));
        };
        (one(static_cast<S*>(nullptr)), ...);
    }(Sub{});
    return m;
}

// Lanes where a leaf (input or parameter) of Sub passes `test`: a float
// subnormal (its products with anything large lose bits the same way:
// swiglu's a sigmoid(a) b at a = 2e-40), or NaN.
template <class Sub, class V, class C, std::size_t N, std::size_t P, class Test>
inline auto leaves_where(dag::leaves<C, V, N, P> const& leaves, Test test) {
    auto m = lanes<V>::none();
    [&]<class... S>(dag::list<S...>) {
        auto one = [&]<class Slot>(Slot*) {
            if constexpr (is_var_v<Slot>) m = m || test(leaves.inputs[Slot::index]);
            else if constexpr (is_param_v<Slot>) m = m || test(leaves.params[Slot::index]);
        };
        (one(static_cast<S*>(nullptr)), ...);
    }(Sub{});
    return m;
}

// m where On, else no lanes.
template <bool On, class M>
inline M only_if(M m) {
    if constexpr (On) {
        return m;
    } else {
        return m && !m;
    }
}

// out: the stored values (gradients from index FirstGradient on), reduced:
// the parameter-gradient contributions; both patched in place.  Works on
// vector packs and on the scalar reference path alike, so both keep the same
// semantics.
template <class L, class Stored, class Reduced, std::size_t FirstGradient, class C, class V, std::size_t N,
          std::size_t P, class Memo>
[[gnu::noinline]] void patch_exceptional_lanes_slowly(dag::leaves<C, V, N, P> const& leaves, Memo const& memo,
                             std::array<V, Stored::size>& out, std::array<V, Reduced::size>& reduced) {
    using Ln = lanes<V>;
    using S = typename Ln::scalar;
    constexpr bool has_gradients = FirstGradient < Stored::size || Reduced::size > 0;
    auto nan_in = Ln::none();
    for (std::size_t s = 0; s < N; ++s) nan_in = nan_in || Ln::nan(leaves.inputs[s]);
    for (std::size_t k = 0; k < P; ++k) nan_in = nan_in || Ln::nan(leaves.params[k]);
    // Each value is judged by its own primitives and its own leaves only, so
    // the same element gets the same treatment in every pass; and by exactly
    // the rules the trigger below tests, so whether a neighbour fired the
    // trigger never changes an element.
    constexpr bool with_primitives = dag::primitive_count<L>::value > 0;
    using mask = decltype(Ln::none());
    auto any_redo = Ln::none();
    auto redo_of = [&]<class... E>(dag::list<E...>, auto const& values) {
        std::array<mask, sizeof...(E)> redo{};
        std::size_t j = 0;
        ((redo[j] = only_if<with_primitives>(subnormal_primitives<L, V, dag::of<E>>(memo) ||
                                             leaves_where<dag::of<E>>(leaves, Ln::subnormal)) ||
                    Ln::tiny(values[j]) ||
                    (Ln::nan(values[j]) && !leaves_where<dag::of<E>>(leaves, Ln::nan)),
          any_redo = any_redo || redo[j], ++j),
         ...);
        return redo;
    };
    std::array<mask, Stored::size> redo_out = redo_of(Stored{}, out);
    std::array<mask, Reduced::size> redo_reduced = redo_of(Reduced{}, reduced);
    if (!Ln::any(any_redo) && !(has_gradients && Ln::any(nan_in))) return;

    constexpr std::size_t W = Ln::size;
    S lanes_in[N + 1][W], lanes_param[P + 1][W], lanes_out[Stored::size + 1][W], lanes_reduced[Reduced::size + 1][W];
    for (std::size_t s = 0; s < N; ++s) Ln::store(leaves.inputs[s], lanes_in[s]);
    for (std::size_t k = 0; k < P; ++k) Ln::store(leaves.params[k], lanes_param[k]);
    for (std::size_t j = 0; j < Stored::size; ++j) Ln::store(out[j], lanes_out[j]);
    for (std::size_t j = 0; j < Reduced::size; ++j) Ln::store(reduced[j], lanes_reduced[j]);
    bool redo_out_lane[Stored::size + 1][W], redo_reduced_lane[Reduced::size + 1][W];
    for (std::size_t j = 0; j < Stored::size; ++j) Ln::store_mask(redo_out[j], redo_out_lane[j]);
    for (std::size_t j = 0; j < Reduced::size; ++j) Ln::store_mask(redo_reduced[j], redo_reduced_lane[j]);

    auto finite = [](S v) -> double {
        if (std::isinf(v)) return v > 0 ? std::numeric_limits<double>::max() : -std::numeric_limits<double>::max();
        return v;
    };
    constexpr S nan = std::numeric_limits<S>::quiet_NaN();
    for (std::size_t l = 0; l < W; ++l) {
        // A NaN input or upstream gradient makes every gradient NaN.
        bool lane_nan = false;
        if constexpr (has_gradients) {
            for (std::size_t s = 0; s < N; ++s) lane_nan = lane_nan || std::isnan(lanes_in[s][l]);
            for (std::size_t k = 0; k < P; ++k) lane_nan = lane_nan || std::isnan(lanes_param[k][l]);
            if (lane_nan) {
                for (std::size_t j = FirstGradient; j < Stored::size; ++j) redo_out_lane[j][l] = false;
                for (std::size_t j = 0; j < Reduced::size; ++j) redo_reduced_lane[j][l] = false;
            }
        }
        bool lane_redo = false;
        for (std::size_t j = 0; j < Stored::size; ++j) lane_redo = lane_redo || redo_out_lane[j][l];
        for (std::size_t j = 0; j < Reduced::size; ++j) lane_redo = lane_redo || redo_reduced_lane[j][l];
        if (lane_redo) {
            dag::leaves<double, double, N, P> d{};
            for (std::size_t s = 0; s < N; ++s) d.inputs[s] = finite(lanes_in[s][l]);
            for (std::size_t k = 0; k < P; ++k) d.params[k] = finite(lanes_param[k][l]);
            auto m = dag::evaluate<L>(d);
            [&]<class... E>(dag::list<E...>) {
                std::size_t j = 0;
                ((redo_out_lane[j][l] ? void(lanes_out[j][l] = static_cast<S>(dag::read<L, E>(m))) : void(), ++j),
                 ...);
            }(Stored{});
            [&]<class... R>(dag::list<R...>) {
                std::size_t j = 0;
                ((redo_reduced_lane[j][l] ? void(lanes_reduced[j][l] = static_cast<S>(dag::read<L, R>(m))) : void(),
                  ++j),
                 ...);
            }(Reduced{});
        }
        if (lane_nan) {
            for (std::size_t j = FirstGradient; j < Stored::size; ++j) lanes_out[j][l] = nan;
            for (std::size_t j = 0; j < Reduced::size; ++j) lanes_reduced[j][l] = nan;
        }
    }
    for (std::size_t j = 0; j < Stored::size; ++j) out[j] = Ln::load(lanes_out[j]);
    for (std::size_t j = 0; j < Reduced::size; ++j) reduced[j] = Ln::load(lanes_reduced[j]);
}

// The common path: one test per vector for anything that could need
// patching (a superset: any primitive or leaf subnormal, any result NaN or
// below 2^-100, and for gradients any NaN leaf); the precise per-value
// decision is taken out of line only when it fires.
template <class V>
[[gnu::always_inline]] inline auto suspicious_result(V v) {
    using Ln = lanes<V>;
    return Ln::tiny(v) || Ln::nan(v);
}

template <class L, class Stored, class Reduced, std::size_t FirstGradient, class C, class V, std::size_t N,
          std::size_t P, class Memo>
[[gnu::always_inline]] inline void patch_exceptional_lanes(dag::leaves<C, V, N, P> const& leaves, Memo const& memo,
                                                           std::array<V, Stored::size>& out,
                                                           std::array<V, Reduced::size>& reduced) {
    using Ln = lanes<V>;
    constexpr bool has_gradients = FirstGradient < Stored::size || Reduced::size > 0;
    if constexpr (dag::primitive_count<L>::value == 0) {
        // Only arithmetic and selects: nothing underflows on the way that the
        // result would not, and no inf * 0 hides in a primitive.  What is
        // left is NaN in, NaN out for gradients, an inf * 0 (dy = inf times
        // relu' = 0), and a tiny result (softsign's (1/(1 + |x|))^2 dy).
        if constexpr (has_gradients) {
            auto flag = Ln::none();
            for (std::size_t s = 0; s < N; ++s) flag = flag || Ln::nan(leaves.inputs[s]);
            for (std::size_t k = 0; k < P; ++k) flag = flag || Ln::nan(leaves.params[k]);
            for (auto const& v : out) flag = flag || suspicious_result(v);
            for (auto const& v : reduced) flag = flag || suspicious_result(v);
            if (Ln::any(flag)) [[unlikely]]
                patch_exceptional_lanes_slowly<L, Stored, Reduced, FirstGradient>(leaves, memo, out, reduced);
        }
        return;
    }
    auto flag = subnormal_primitives<L, V, L>(memo);
    for (std::size_t s = 0; s < N; ++s) {
        flag = flag || Ln::subnormal(leaves.inputs[s]);
        if constexpr (has_gradients) flag = flag || Ln::nan(leaves.inputs[s]);
    }
    for (std::size_t k = 0; k < P; ++k) {
        flag = flag || Ln::subnormal(leaves.params[k]);
        if constexpr (has_gradients) flag = flag || Ln::nan(leaves.params[k]);
    }
    for (auto const& v : out) flag = flag || suspicious_result(v);
    for (auto const& v : reduced) flag = flag || suspicious_result(v);
    if (Ln::any(flag)) [[unlikely]]
        patch_exceptional_lanes_slowly<L, Stored, Reduced, FirstGradient>(leaves, memo, out, reduced);
}

}  // namespace actx::detail
