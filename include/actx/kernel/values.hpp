// How a kernel moves values between memory and registers.  A policy gives,
// for a storage type T, the value type the DAG is evaluated on, its width,
// and unaligned load and store.
//
// The storage type need not be the type computed in: bfloat16 arrays
// (bfloat16.hpp) are loaded into floats, computed in float and rounded back
// to bfloat16 when stored.  compute_type_t<T> names the type computed in.
#pragma once

#include <actx/kernel/bfloat16.hpp>

#include <cstddef>

namespace actx {

// One element at a time: the reference the vector path is tested against.
struct scalar_values {
    template <class T> using type = compute_type_t<T>;
    template <class T> static constexpr std::size_t width = 1;
    template <class T> static T load(T const* p) { return *p; }
    template <class T> static void store(T v, T* p) { *p = v; }
    static float load(bfloat16 const* p) { return *p; }
    static void store(float v, bfloat16* p) { *p = bfloat16(v); }
};

}  // namespace actx

#include <actx/kernel/bfloat16_pack.hpp>
#include <actx/math/vector/math.hpp>
#include <actx/math/vector/pack.hpp>

namespace actx {
// The widest vectors the compiler targets (AVX-512 with -march=native here),
// their primitives computed as Mode says (vector::accurate_math or
// vector::fast_math, pack.hpp).
template <class Mode>
struct vector_values_of {
    template <class T> using pack = vector::pack<T, xsimd::default_arch, Mode>;
    template <class T> using type = pack<compute_type_t<T>>;
    template <class T> static constexpr std::size_t width = pack<compute_type_t<T>>::size;
    template <class T> static pack<T> load(T const* p) { return pack<T>::load(p); }
    template <class T> static void store(pack<T> const& v, T* p) { v.store(p); }
    static pack<float> load(bfloat16 const* p) {
        return {vector::load_bfloat16<typename pack<float>::arch_type>(p).v};
    }
    static void store(pack<float> const& v, bfloat16* p) { vector::store_bfloat16(v, p); }
};
using vector_values = vector_values_of<vector::accurate_math>;
// The fast approximations (math/vector/fast.hpp): fast_kernel.
using fast_values = vector_values_of<vector::fast_math>;
using default_values = vector_values;

// A policy's values evaluated as written: no product fused into the sum
// that takes it (dag::leaves).  Backward from the output uses it, so that
// its results are PyTorch's formulas rounded operation for operation.
template <class Values>
struct as_written : Values {};
template <class Values> inline constexpr bool fuses_products = true;
template <class Values> inline constexpr bool fuses_products<as_written<Values>> = false;
}  // namespace actx
