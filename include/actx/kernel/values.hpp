// How a kernel moves values between memory and registers.  A policy gives,
// for a storage type T, the value type the DAG is evaluated on, its width,
// and unaligned load and store.
#pragma once

#include <cstddef>

namespace actx {

// One element at a time: the reference the vector path is tested against.
struct scalar_values {
    template <class T> using type = T;
    template <class T> static constexpr std::size_t width = 1;
    template <class T> static T load(T const* p) { return *p; }
    template <class T> static void store(T v, T* p) { *p = v; }
};

}  // namespace actx

#include <actx/math/vector/math.hpp>
#include <actx/math/vector/pack.hpp>

namespace actx {
// The widest vectors the compiler targets (AVX-512 with -march=native here).
struct vector_values {
    template <class T> using type = vector::pack<T>;
    template <class T> static constexpr std::size_t width = vector::pack<T>::size;
    template <class T> static vector::pack<T> load(T const* p) { return vector::pack<T>::load(p); }
    template <class T> static void store(vector::pack<T> const& v, T* p) { v.store(p); }
};
using default_values = vector_values;
}  // namespace actx
