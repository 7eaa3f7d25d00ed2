// A vector of bfloat16 to a pack of floats and back: what the kernels load
// and store when the arrays hold bfloat16 (bfloat16.hpp) and the expression
// is computed in float.
//
//   load_bfloat16(p)      pack::size values from p, widened exactly
//   store_bfloat16(v, p)  pack::size values to p, rounded as bfloat16(float)
//
// Widening zero-extends each 16-bit lane to 32 bits and shifts it into the
// high half (AVX-512: vpmovzxwd + vpslld; AVX2 the same on 256 bits; SSE2
// interleaves the lanes with zeros, which puts them in the high halves at
// once).  Narrowing is bfloat16::round_to_nearest_even on every lane: add
// 0x7FFF plus the lowest kept bit, shift right by 16, NaN lanes replaced by
// 0x7FC0, then the 32-bit lanes are packed to 16 (vpmovdw; packusdw on AVX2).
// With AVX512_BF16, a vector with no subnormal lane is narrowed by
// vcvtneps2bf16 instead (the same rounding; it would flush subnormals), its
// NaN lanes replaced by 0x7FC0 the same way.
// Any other vector width or instruction set goes a lane at a time through the
// scalar conversions, which are the same functions.
#pragma once

#include <actx/kernel/bfloat16.hpp>
#include <actx/math/vector/detail/code.hpp>
#include <actx/math/vector/pack.hpp>

#include <cstddef>

#if defined(__SSE2__)
#include <immintrin.h>
#endif

ACTX_VECTOR_CODE_BEGIN

namespace actx::vector {

template <class Arch>
pack<float, Arch> load_bfloat16(bfloat16 const* p) {
    using batch = xsimd::batch<float, Arch>;
    constexpr std::size_t size = batch::size;
#if defined(__AVX512F__)
    if constexpr (size == 16) {
        __m256i half = _mm256_loadu_si256(reinterpret_cast<__m256i const*>(p));
        return {batch(_mm512_castsi512_ps(_mm512_slli_epi32(_mm512_cvtepu16_epi32(half), 16)))};
    }
#endif
#if defined(__AVX2__)
    if constexpr (size == 8) {
        __m128i half = _mm_loadu_si128(reinterpret_cast<__m128i const*>(p));
        return {batch(_mm256_castsi256_ps(_mm256_slli_epi32(_mm256_cvtepu16_epi32(half), 16)))};
    }
#endif
#if defined(__SSE2__)
    if constexpr (size == 4) {
        __m128i half = _mm_loadl_epi64(reinterpret_cast<__m128i const*>(p));
        return {batch(_mm_castsi128_ps(_mm_unpacklo_epi16(_mm_setzero_si128(), half)))};
    }
#endif
    alignas(64) float lanes[size];
    for (std::size_t i = 0; i < size; ++i) lanes[i] = static_cast<float>(p[i]);
    return {batch::load_aligned(lanes)};
}

template <class Arch, class M>
void store_bfloat16(pack<float, Arch, M> const& v, bfloat16* p) {
    using batch = xsimd::batch<float, Arch>;
    constexpr std::size_t size = batch::size;
#if defined(__AVX512F__)
    if constexpr (size == 16) {
        __m512 f = v.v;
        __mmask16 nan = _mm512_cmp_ps_mask(f, f, _CMP_UNORD_Q);
#if defined(__AVX512BF16__) && defined(__AVX512BW__) && defined(__AVX512VL__) && defined(__AVX512DQ__)
        // vcvtneps2bf16 rounds a normal float, zero or infinity the same way
        // in one instruction, but flushes subnormals to zero: a vector with
        // a subnormal lane (rare) takes the integer path below.
        if (_mm512_fpclass_ps_mask(f, 0x20) == 0) {
            __m256i converted = reinterpret_cast<__m256i>(_mm512_cvtneps_pbh(f));
            converted = _mm256_mask_mov_epi16(converted, nan, _mm256_set1_epi16(0x7FC0));
            _mm256_storeu_si256(reinterpret_cast<__m256i*>(p), converted);
            return;
        }
#endif
        __m512i u = _mm512_castps_si512(f);
        __m512i lowest_kept = _mm512_and_si512(_mm512_srli_epi32(u, 16), _mm512_set1_epi32(1));
        __m512i rounded =
            _mm512_srli_epi32(_mm512_add_epi32(_mm512_add_epi32(u, _mm512_set1_epi32(0x7FFF)), lowest_kept), 16);
        rounded = _mm512_mask_blend_epi32(nan, rounded, _mm512_set1_epi32(0x7FC0));
        _mm256_storeu_si256(reinterpret_cast<__m256i*>(p), _mm512_cvtepi32_epi16(rounded));
        return;
    }
#endif
#if defined(__AVX2__)
    if constexpr (size == 8) {
        __m256 f = v.v;
        __m256i u = _mm256_castps_si256(f);
        __m256i lowest_kept = _mm256_and_si256(_mm256_srli_epi32(u, 16), _mm256_set1_epi32(1));
        __m256i rounded =
            _mm256_srli_epi32(_mm256_add_epi32(_mm256_add_epi32(u, _mm256_set1_epi32(0x7FFF)), lowest_kept), 16);
        __m256i nan = _mm256_castps_si256(_mm256_cmp_ps(f, f, _CMP_UNORD_Q));
        rounded = _mm256_blendv_epi8(rounded, _mm256_set1_epi32(0x7FC0), nan);
        // Every lane is below 0x10000, so the unsigned saturating pack is exact.
        __m128i packed = _mm_packus_epi32(_mm256_castsi256_si128(rounded), _mm256_extracti128_si256(rounded, 1));
        _mm_storeu_si128(reinterpret_cast<__m128i*>(p), packed);
        return;
    }
#endif
#if defined(__SSE2__)
    if constexpr (size == 4) {
        __m128 f = v.v;
        __m128i u = _mm_castps_si128(f);
        __m128i lowest_kept = _mm_and_si128(_mm_srli_epi32(u, 16), _mm_set1_epi32(1));
        __m128i rounded = _mm_srli_epi32(_mm_add_epi32(_mm_add_epi32(u, _mm_set1_epi32(0x7FFF)), lowest_kept), 16);
        __m128i nan = _mm_castps_si128(_mm_cmpunord_ps(f, f));
        rounded = _mm_or_si128(_mm_andnot_si128(nan, rounded), _mm_and_si128(nan, _mm_set1_epi32(0x7FC0)));
        // SSE2 has only the signed saturating pack: sign-extend the 16 bits
        // first, so that it keeps every lane as it is.
        rounded = _mm_srai_epi32(_mm_slli_epi32(rounded, 16), 16);
        _mm_storel_epi64(reinterpret_cast<__m128i*>(p), _mm_packs_epi32(rounded, rounded));
        return;
    }
#endif
    alignas(64) float lanes[size];
    v.v.store_aligned(lanes);
    for (std::size_t i = 0; i < size; ++i) p[i] = bfloat16(lanes[i]);
}

}  // namespace actx::vector

ACTX_VECTOR_CODE_END
