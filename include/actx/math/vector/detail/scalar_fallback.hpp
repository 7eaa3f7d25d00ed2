// Double-precision packs: lane-by-lane calls to the scalar double primitives
// of actx::math (internal).
//
// Correct but not vectorised: it costs one scalar call per lane plus a store
// and a load (gelu's forward on double took 108 ns per element this way).
// Every primitive an activation uses has double lanes of its own
// (float_kernels.hpp); erf, erfc, gauss, log and log1p, which none uses,
// still come here.  The double overloads appear for a function once its
// scalar header <actx/math/NAME.hpp> exists: each vector header includes
// that header and expands the macro under __has_include, so the vector
// library never depends on a scalar function that has not landed.
#pragma once

#include <actx/math/vector/detail/code.hpp>
#include <actx/math/vector/pack.hpp>

#include <cstddef>

namespace actx::vector::detail {

template <class A, class F>
ACTX_INLINE pack<double, A> lanewise(pack<double, A> x, F f) {
    constexpr std::size_t n = pack<double, A>::size;
    alignas(64) double d[n];
    x.store(d);
    for (std::size_t i = 0; i < n; ++i) d[i] = f(d[i]);
    return pack<double, A>::load(d);
}

}  // namespace actx::vector::detail

// ACTX_VECTOR_DOUBLE_FALLBACK(name): pack<double, A> name(pack<double, A>) by lanes.
#define ACTX_VECTOR_DOUBLE_FALLBACK(name)                                                     \
    template <class A>                                                                        \
    ACTX_INLINE pack<double, A> name(pack<double, A> x) {                                          \
        return detail::lanewise(x, [](double v) { return ::actx::math::name(v); });           \
    }
