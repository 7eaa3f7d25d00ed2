// Fused multiply-add on xsimd batches, fused wherever the hardware has it
// (internal).
//
// xsimd 8.1 implements fma with one rounding only for its fma3 and NEON
// architectures; on avx512f its generic fallback is x * y + z, two
// roundings and two instructions, which would halve the throughput of every
// polynomial here and break the exact-product splits that the float kernels
// rely on.  So AVX-512 goes to the intrinsic directly and everything else to
// xsimd.  Where no FMA exists at all (SSE2, AVX without FMA3),
// `product_error` computes a * b - fl(a * b) exactly by Dekker's splitting
// instead, and the other three round twice: the bounds stated in the
// primitives' headers are measured with a fused FMA.
#pragma once

#include <actx/math/vector/detail/gcc_warnings.hpp>
#include <xsimd/xsimd.hpp>

#include <type_traits>

ACTX_VECTOR_CODE_BEGIN

namespace actx::vector::detail {

template <class A>
inline constexpr bool avx512_arch =
#if XSIMD_WITH_AVX512F
    std::is_base_of_v<xsimd::avx512f, A>;
#else
    false;
#endif

// True when fma below is fused (one rounding).
template <class A>
inline constexpr bool fused_fma = avx512_arch<A>
#if XSIMD_WITH_FMA3_SSE || XSIMD_WITH_FMA3_AVX || XSIMD_WITH_FMA3_AVX2
    || std::is_base_of_v<xsimd::fma3<xsimd::sse4_2>, A> || std::is_base_of_v<xsimd::fma3<xsimd::avx>, A>
    || std::is_base_of_v<xsimd::fma3<xsimd::avx2>, A>
#endif
#if XSIMD_WITH_NEON64
    || std::is_base_of_v<xsimd::neon64, A>
#endif
    ;

// x * y + z
template <class T, class A>
inline xsimd::batch<T, A> fma(xsimd::batch<T, A> x, xsimd::batch<T, A> y, xsimd::batch<T, A> z) {
#if XSIMD_WITH_AVX512F
    if constexpr (avx512_arch<A>) {
        if constexpr (std::is_same_v<T, float>) return _mm512_fmadd_ps(x, y, z);
        else return _mm512_fmadd_pd(x, y, z);
    } else
#endif
        return xsimd::fma(x, y, z);
}

// z - x * y
template <class T, class A>
inline xsimd::batch<T, A> fnma(xsimd::batch<T, A> x, xsimd::batch<T, A> y, xsimd::batch<T, A> z) {
#if XSIMD_WITH_AVX512F
    if constexpr (avx512_arch<A>) {
        if constexpr (std::is_same_v<T, float>) return _mm512_fnmadd_ps(x, y, z);
        else return _mm512_fnmadd_pd(x, y, z);
    } else
#endif
        return xsimd::fnma(x, y, z);
}

// x * y - z
template <class T, class A>
inline xsimd::batch<T, A> fms(xsimd::batch<T, A> x, xsimd::batch<T, A> y, xsimd::batch<T, A> z) {
#if XSIMD_WITH_AVX512F
    if constexpr (avx512_arch<A>) {
        if constexpr (std::is_same_v<T, float>) return _mm512_fmsub_ps(x, y, z);
        else return _mm512_fmsub_pd(x, y, z);
    } else
#endif
        return xsimd::fms(x, y, z);
}

// x * y - p exactly, for p = fl(x * y) (no underflow): one fma where it is
// fused, Dekker's product otherwise.
template <class T, class A>
inline xsimd::batch<T, A> product_error(xsimd::batch<T, A> x, xsimd::batch<T, A> y, xsimd::batch<T, A> p) {
    if constexpr (fused_fma<A>) {
        return detail::fms(x, y, p);
    } else {
        using B = xsimd::batch<T, A>;
        const B splitter(std::is_same_v<T, float> ? T(4097) : T(134217729));  // 2^12 + 1, 2^27 + 1
        auto split = [&](B v, B& hi, B& lo) {
            B c = splitter * v;
            hi = c - (c - v);
            lo = v - hi;
        };
        B xh, xl, yh, yl;
        split(x, xh, xl);
        split(y, yh, yl);
        return ((xh * yh - p) + xh * yl + xl * yh) + xl * yl;
    }
}

}  // namespace actx::vector::detail

ACTX_VECTOR_CODE_END
