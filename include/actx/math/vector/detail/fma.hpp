// Arithmetic on xsimd batches rounded as IEEE 754 rounds it on every target
// (internal): fused multiply-add with one rounding, and division and square
// root correctly rounded.
//
// xsimd 8.1 implements fma with one rounding only for its fma3 and NEON
// architectures; on avx512f its generic fallback is x * y + z, two
// roundings and two instructions, which would halve the throughput of every
// polynomial here and break the exact-product splits that the float kernels
// rely on.  So AVX-512 goes to the intrinsic directly and the fma3 targets
// to xsimd.  On 64-bit ARM (NEON) xsimd fuses fma and fms but not fnma
// (its generic -x * y + z), and divides float lanes by a reciprocal
// estimate refined by two Newton steps and takes their square root from a
// reciprocal square root estimate, neither correctly rounded (double lanes
// use the instructions): fnma, div and sqrt call the NEON instructions
// there.  Where no FMA exists at all (SSE2, AVX without FMA3), a
// float fma is computed in double: x * y is exact there (24 + 24 bits), the
// sum rounds once to double and once to float, which differs from a fused
// float fma only when the double result falls exactly on a float rounding
// midpoint (about one input in 2^29).  The float kernels' error bounds, and
// their exact product tails, therefore hold on every x86 target.  Double
// lanes without FMA round twice, and `product_error` falls back to Dekker's
// exact splitting for them; the double primitives and kernels state wider
// bounds there (docs/accuracy.md).
#pragma once

#include <actx/math/vector/detail/code.hpp>
#include <actx/math/vector/detail/divider.hpp>

#include <xsimd/xsimd.hpp>

#include <cstddef>
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

// True when a float fma must be computed in double lanes.
template <class T, class A>
inline constexpr bool widened_fma = std::is_same_v<T, float> && !fused_fma<A>;

// x * y + z for float lanes without an FMA unit: computed in double lanes,
// rounded to float (negating x or z gives fnma and fms exactly).
template <class A>
ACTX_INLINE xsimd::batch<float, A> widened_fma_of(xsimd::batch<float, A> x, xsimd::batch<float, A> y,
                                            xsimd::batch<float, A> z) {
#if XSIMD_WITH_SSE2
    if constexpr (xsimd::batch<float, A>::size == 4 && std::is_base_of_v<xsimd::sse2, A>) {
        const __m128 vx = x, vy = y, vz = z;
        auto half = [&](__m128 a, __m128 b, __m128 c) ACTX_INLINE_LAMBDA {
            return _mm_cvtpd_ps(_mm_add_pd(_mm_mul_pd(_mm_cvtps_pd(a), _mm_cvtps_pd(b)), _mm_cvtps_pd(c)));
        };
        return _mm_movelh_ps(half(vx, vy, vz),
                             half(_mm_movehl_ps(vx, vx), _mm_movehl_ps(vy, vy), _mm_movehl_ps(vz, vz)));
    } else
#endif
    {
        constexpr std::size_t n = xsimd::batch<float, A>::size;
        alignas(64) float a[n], b[n], c[n];
        x.store_aligned(a);
        y.store_aligned(b);
        z.store_aligned(c);
        for (std::size_t i = 0; i < n; ++i)
            a[i] = static_cast<float>(static_cast<double>(a[i]) * static_cast<double>(b[i]) + static_cast<double>(c[i]));
        return xsimd::batch<float, A>::load_aligned(a);
    }
}

// x * y + z
template <class T, class A>
ACTX_INLINE xsimd::batch<T, A> fma(xsimd::batch<T, A> x, xsimd::batch<T, A> y, xsimd::batch<T, A> z) {
    if constexpr (widened_fma<T, A>) return widened_fma_of(x, y, z);
#if XSIMD_WITH_AVX512F
    else if constexpr (avx512_arch<A>) {
        if constexpr (std::is_same_v<T, float>) return _mm512_fmadd_ps(x, y, z);
        else return _mm512_fmadd_pd(x, y, z);
    }
#endif
    else return xsimd::fma(x, y, z);
}

// z - x * y
template <class T, class A>
ACTX_INLINE xsimd::batch<T, A> fnma(xsimd::batch<T, A> x, xsimd::batch<T, A> y, xsimd::batch<T, A> z) {
    if constexpr (widened_fma<T, A>) return widened_fma_of(-x, y, z);
#if XSIMD_WITH_AVX512F
    else if constexpr (avx512_arch<A>) {
        if constexpr (std::is_same_v<T, float>) return _mm512_fnmadd_ps(x, y, z);
        else return _mm512_fnmadd_pd(x, y, z);
    }
#endif
#if XSIMD_WITH_NEON64
    // xsimd 8.1 has no NEON fnma: its generic one is -x * y + z, two roundings.
    else if constexpr (std::is_base_of_v<xsimd::neon64, A>) {
        if constexpr (std::is_same_v<T, float>) return vfmsq_f32(z, x, y);
        else return vfmsq_f64(z, x, y);
    }
#endif
    else return xsimd::fnma(x, y, z);
}

// x * y - z
template <class T, class A>
ACTX_INLINE xsimd::batch<T, A> fms(xsimd::batch<T, A> x, xsimd::batch<T, A> y, xsimd::batch<T, A> z) {
    if constexpr (widened_fma<T, A>) return widened_fma_of(x, y, -z);
#if XSIMD_WITH_AVX512F
    else if constexpr (avx512_arch<A>) {
        if constexpr (std::is_same_v<T, float>) return _mm512_fmsub_ps(x, y, z);
        else return _mm512_fmsub_pd(x, y, z);
    }
#endif
    else return xsimd::fms(x, y, z);
}

// x / y and sqrt(x), correctly rounded.
template <class T, class A>
ACTX_INLINE xsimd::batch<T, A> div(xsimd::batch<T, A> x, xsimd::batch<T, A> y) {
#if XSIMD_WITH_NEON64
    if constexpr (std::is_same_v<T, float> && std::is_base_of_v<xsimd::neon64, A>) return vdivq_f32(x, y);
#endif
    return x / y;
}
template <class T, class A>
ACTX_INLINE xsimd::batch<T, A> sqrt(xsimd::batch<T, A> x) {
#if XSIMD_WITH_NEON64
    if constexpr (std::is_same_v<T, float> && std::is_base_of_v<xsimd::neon64, A>) return vsqrtq_f32(x);
#endif
    return xsimd::sqrt(x);
}

// x * y - p exactly, for p = fl(x * y) (no underflow): one fma where it has
// one rounding (the error is a float, so the widened fma is exact too),
// Dekker's product otherwise.
template <class T, class A>
ACTX_INLINE xsimd::batch<T, A> product_error(xsimd::batch<T, A> x, xsimd::batch<T, A> y, xsimd::batch<T, A> p) {
    if constexpr (fused_fma<A> || widened_fma<T, A>) {
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
