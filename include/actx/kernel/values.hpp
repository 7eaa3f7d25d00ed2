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
#include <type_traits>

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

// The first `valid` lanes of a vector, loaded (the others read as zero) and
// stored (the others left as they are) by masked moves, which touch no
// memory beyond those lanes: the tail of an array without a copy.  With
// AVX-512 (a mask register) and AVX2 (a mask vector); elsewhere, and for
// bfloat16 storage, `available` is false and the kernel copies the tail
// into a zeroed full-width buffer, which gives every lane the same value.
template <class Values, class T>
struct partial_lanes {
    static constexpr bool available = false;
};

// The x86 register of a pack of T, told apart by its size (64, 32 or 16
// bytes: AVX-512, AVX, SSE2), the only register of that size for T; and
// which of those the compiler targets.
template <class Mode, class T>
struct vector_register {
    using pack = typename vector_values_of<Mode>::template pack<T>;
    using register_type = typename pack::batch_type::register_type;
    static constexpr std::size_t bytes = sizeof(register_type);
    static constexpr bool single = std::is_same_v<T, float>;
#if defined(__AVX512F__)
    static constexpr bool avx512 = bytes == 64;
#else
    static constexpr bool avx512 = false;
#endif
#if defined(__AVX__)
    static constexpr bool avx = bytes == 32;
#else
    static constexpr bool avx = false;
#endif
#if defined(__AVX2__)
    static constexpr bool avx2 = avx;
#else
    static constexpr bool avx2 = false;
#endif
#if defined(__SSE2__)
    static constexpr bool sse2 = bytes == 16;
#else
    static constexpr bool sse2 = false;
#endif
    static_assert(!(avx512 || avx || sse2) || bytes == pack::size * sizeof(T));
};

template <class Mode, class T>
    requires(std::is_same_v<T, float> || std::is_same_v<T, double>)
struct partial_lanes<vector_values_of<Mode>, T> {
    using R = vector_register<Mode, T>;
    using pack = typename R::pack;
    static constexpr bool single = R::single, available = R::avx512 || R::avx2;

    // valid in [1, pack::size].
    static pack load([[maybe_unused]] T const* p, [[maybe_unused]] std::size_t valid) {
#if defined(__AVX512F__)
        if constexpr (R::avx512) {
            auto const m = lane_mask(valid);
            if constexpr (single) return {_mm512_maskz_loadu_ps(static_cast<__mmask16>(m), p)};
            else return {_mm512_maskz_loadu_pd(static_cast<__mmask8>(m), p)};
        }
#endif
#if defined(__AVX2__)
        if constexpr (R::avx2) {
            if constexpr (single) return {_mm256_maskload_ps(p, lane_vector(valid))};
            else return {_mm256_maskload_pd(p, lane_vector(valid))};
        }
#endif
        return {};
    }
    static void store([[maybe_unused]] pack const& value, [[maybe_unused]] T* p,
                      [[maybe_unused]] std::size_t valid) {
        [[maybe_unused]] typename R::register_type r = value.v;
#if defined(__AVX512F__)
        if constexpr (R::avx512) {
            auto const m = lane_mask(valid);
            if constexpr (single) _mm512_mask_storeu_ps(p, static_cast<__mmask16>(m), r);
            else _mm512_mask_storeu_pd(p, static_cast<__mmask8>(m), r);
            return;
        }
#endif
#if defined(__AVX2__)
        if constexpr (R::avx2) {
            if constexpr (single) _mm256_maskstore_ps(p, lane_vector(valid), r);
            else _mm256_maskstore_pd(p, lane_vector(valid), r);
            return;
        }
#endif
    }

private:
    // Bit l set for the lanes l < valid.
    static unsigned lane_mask(std::size_t valid) { return (1u << valid) - 1u; }
#if defined(__AVX2__)
    // All bits of lane l set for l < valid (the mask vector's sign bits).
    static __m256i lane_vector(std::size_t valid) {
        if constexpr (single) {
            return _mm256_cmpgt_epi32(_mm256_set1_epi32(static_cast<int>(valid)),
                                      _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
        } else {
            return _mm256_cmpgt_epi64(_mm256_set1_epi64x(static_cast<long long>(valid)),
                                      _mm256_setr_epi64x(0, 1, 2, 3));
        }
    }
#endif
};

// Evaluated as written or not, the same registers.
template <class Values, class T>
struct partial_lanes<as_written<Values>, T> : partial_lanes<Values, T> {};
}  // namespace actx
