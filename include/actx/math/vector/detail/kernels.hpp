// Shared machinery of the vector primitives (internal): the double kernels.
//
// The float primitives that are not yet written in float lanes
// (detail/float_kernels.hpp has exp, expm1, sigmoid, tanh and the normal
// distribution) are evaluated in double: each float vector is widened into
// two double vectors, the function is computed there by a short polynomial
// to ~2^-34 relative, and the result is rounded once to float.  The only
// float rounding error is then that final one, so the float result is
// within 0.5 + 2^-10 ULP, and no float cancellation (1 - erfc, x - tanh x,
// 2^n q + 2^n - 1, 1/(1+e)) can lose accuracy: double has 29 spare bits.  The
// price is about twice the arithmetic of a float evaluation, and double
// divisions, which is why the hot primitives moved to float lanes.
//
// Coefficients: fit/fit.py (mpmath, Chebyshev-node least squares in the
// relative sense, rounded to double); its printed error is the error after
// rounding, which is what the comments quote.
#pragma once

#include <actx/math/vector/detail/code.hpp>
#include <actx/math/vector/pack.hpp>

#include <cstdint>
#include <limits>
#include <type_traits>

// g++ 12.2 reports its own AVX-512 intrinsics (_mm512_undefined_*, used inside
// the conversion and 64-bit shift intrinsics) as "used uninitialized" once
// they are inlined (GCC bug 105593, fixed in 12.3); the warning is about the
// compiler's headers, not this code, so it is silenced for these inline
// functions only.
ACTX_VECTOR_CODE_BEGIN

namespace actx::vector::detail {

template <class A> using fbatch = xsimd::batch<float, A>;
template <class A> using dbatch = xsimd::batch<double, A>;
template <class A> using u64batch = xsimd::batch<std::uint64_t, A>;
template <class A> using i32batch = xsimd::batch<std::int32_t, A>;

template <class A> struct halves { dbatch<A> lo, hi; };

// float vector -> two double vectors of half the lanes each, and back.  One
// conversion instruction per half on x86; a store/convert/load elsewhere.
template <class A>
ACTX_INLINE halves<A> widen(fbatch<A> x) {
#if XSIMD_WITH_AVX512F
    if constexpr (std::is_base_of_v<xsimd::avx512f, A>) {
        __m512 r = x;
        __m256 h = _mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(r), 1));
        return {_mm512_cvtps_pd(_mm512_castps512_ps256(r)), _mm512_cvtps_pd(h)};
    } else
#endif
#if XSIMD_WITH_AVX
    if constexpr (std::is_base_of_v<xsimd::avx, A>) {
        __m256 r = x;
        return {_mm256_cvtps_pd(_mm256_castps256_ps128(r)), _mm256_cvtps_pd(_mm256_extractf128_ps(r, 1))};
    } else
#endif
#if XSIMD_WITH_SSE2
    if constexpr (std::is_base_of_v<xsimd::sse2, A>) {
        __m128 r = x;
        return {_mm_cvtps_pd(r), _mm_cvtps_pd(_mm_movehl_ps(r, r))};
    } else
#endif
    {
        constexpr std::size_t n = fbatch<A>::size, h = dbatch<A>::size;
        static_assert(2 * h == n, "double vectors must have half the lanes of float vectors");
        alignas(64) float f[n];
        alignas(64) double d[n];
        x.store_unaligned(f);
        for (std::size_t i = 0; i < n; ++i) d[i] = f[i];
        return {dbatch<A>::load_unaligned(d), dbatch<A>::load_unaligned(d + h)};
    }
}

template <class A>
ACTX_INLINE fbatch<A> narrow(dbatch<A> lo, dbatch<A> hi) {
#if XSIMD_WITH_AVX512F
    if constexpr (std::is_base_of_v<xsimd::avx512f, A>) {
        __m256 l = _mm512_cvtpd_ps(lo), h = _mm512_cvtpd_ps(hi);
        return _mm512_castpd_ps(_mm512_insertf64x4(_mm512_castps_pd(_mm512_castps256_ps512(l)),
                                                   _mm256_castps_pd(h), 1));
    } else
#endif
#if XSIMD_WITH_AVX
    if constexpr (std::is_base_of_v<xsimd::avx, A>) {
        return _mm256_insertf128_ps(_mm256_castps128_ps256(_mm256_cvtpd_ps(lo)), _mm256_cvtpd_ps(hi), 1);
    } else
#endif
#if XSIMD_WITH_SSE2
    if constexpr (std::is_base_of_v<xsimd::sse2, A>) {
        return _mm_movelh_ps(_mm_cvtpd_ps(lo), _mm_cvtpd_ps(hi));
    } else
#endif
    {
        constexpr std::size_t n = fbatch<A>::size, h = dbatch<A>::size;
        alignas(64) float f[n];
        alignas(64) double d[n];
        lo.store_unaligned(d);
        hi.store_unaligned(d + h);
        for (std::size_t i = 0; i < n; ++i) f[i] = static_cast<float>(d[i]);
        return fbatch<A>::load_unaligned(f);
    }
}

// Apply a double-vector function to both halves of a float vector.
template <class A, class F>
ACTX_INLINE fbatch<A> in_double(fbatch<A> x, F f) {
    halves<A> h = widen(x);
    return narrow<A>(f(h.lo), f(h.hi));
}

// Clamp to [lo, hi] keeping NaN: the x86 min/max instructions return their
// second operand when either is NaN, and NEON's propagate NaN, so with x
// second a NaN passes through.
template <class T, class A>
ACTX_INLINE xsimd::batch<T, A> clamp(xsimd::batch<T, A> x, T lo, T hi) {
    return xsimd::min(xsimd::batch<T, A>(hi), xsimd::max(xsimd::batch<T, A>(lo), x));
}

template <class T, class A>
ACTX_INLINE xsimd::batch<T, A> copy_sign_of(xsimd::batch<T, A> magnitude, xsimd::batch<T, A> sign_source) {
    return xsimd::bitwise_or(magnitude, xsimd::bitwise_and(sign_source, xsimd::batch<T, A>(T(-0.0))));
}

// The rounding error of s = a + b (Knuth's TwoSum, no ordering of |a| and
// |b| needed): a + b = s + sum_error(a, b, s) exactly.
template <class T, class A>
ACTX_INLINE xsimd::batch<T, A> sum_error(xsimd::batch<T, A> a, xsimd::batch<T, A> b, xsimd::batch<T, A> s) {
    xsimd::batch<T, A> bv = s - a;
    return (a - (s - bv)) + (b - bv);
}

// The rounding error of s = a + b when a's exponent is at least b's
// (Dekker's Fast2Sum, two operations; callers say why the order holds):
// a + b = s + fast_sum_error(a, b, s) exactly.
template <class T, class A>
ACTX_INLINE xsimd::batch<T, A> fast_sum_error(xsimd::batch<T, A> a, xsimd::batch<T, A> b, xsimd::batch<T, A> s) {
    return (a - s) + b;
}

// A polynomial in fmas, the coefficients from the highest degree down:
// horner(x, c_n, ..., c_1, c_0) = c_n x^n + ... + c_1 x + c_0.
// Up to degree 3, Horner's rule.  Above, c_0 + x q(x) with q, of degree
// n - 1, in second-order Horner's rule: each step adds the pair
// c_(k+1) x + c_k, computed beside the chain, and multiplies by x^2.  The
// chain of dependent fmas the loop waits on is about half as long (degree
// 7: 5 instead of 7; the loops of the sigmoid, softplus, tanh and erf
// families are bound by it, not by their count of operations: 2 to 11%
// faster), for one more multiplication.  The last step stays Horner's, so
// that the pairs' roundings are scaled by x: the primitives' measured maxima
// moved by at most 0.09 ULP (docs/accuracy.md); with the pairs reaching
// c_0 as well (full second-order), expm1 went from 1.67 to 1.76 ULP and
// tanhshrink from 1.86 to 1.98.
template <class T, class A, class... C>
ACTX_INLINE xsimd::batch<T, A> horner(xsimd::batch<T, A> x, T highest, C... lower) {
    static_assert((std::is_same_v<C, T> && ...), "horner: coefficients of the batch's element type");
    using B = xsimd::batch<T, A>;
    constexpr std::size_t count = 1 + sizeof...(C);
    T const c[count] = {highest, lower...};
    B p(highest);
    std::size_t i = 1;
    if constexpr (count >= 5) {
        // q's coefficients are c[0 .. count - 2]; an even count of them
        // starts with a pair.
        constexpr std::size_t q_count = count - 1;
        B const x2 = x * x;
        if constexpr (q_count % 2 == 0) {
            p = detail::fma(p, x, B(c[1]));
            i = 2;
        }
        for (; i < q_count; i += 2) p = detail::fma(p, x2, detail::fma(B(c[i]), x, B(c[i + 1])));
    }
    for (; i < count; ++i) p = detail::fma(p, x, B(c[i]));
    return p;
}

// ---- double kernels (arguments are widened floats, so ranges are small) -----------

// 2^n r-reduction shared by exp and expm1: z = n ln2 + r, |r| <= ln2/2 (+1 ulp).
// n is read from the low bits of z log2e + 1.5*2^52 (the round-to-nearest
// shifter), so no float->int conversion is needed.  ln2 is split so that
// n*ln2_hi is exact for |n| < 2^11: the reduction then loses nothing.
template <class A>
struct reduced { dbatch<A> r, scale; };

template <class A>
ACTX_INLINE reduced<A> reduce_exp(dbatch<A> z) {  // requires |z| <= 700
    const dbatch<A> shifter(0x1.8p52);
    dbatch<A> t = detail::fma(z, dbatch<A>(0x1.71547652b82fep0), shifter);
    dbatch<A> n = t - shifter;
    dbatch<A> r = detail::fnma(n, dbatch<A>(0x1.62e42fefa3800p-1), z);
    r = detail::fnma(n, dbatch<A>(0x1.ef35793c7673p-45), r);
    u64batch<A> bits = xsimd::bitwise_cast<u64batch<A>>(t);
    dbatch<A> scale = xsimd::bitwise_cast<dbatch<A>>((bits + u64batch<A>(1023)) << 52);
    return {r, scale};
}

// expm1(r) on |r| <= ln2/2: r + r^2/2 + r^3 q(r), q of degree 5.
// Relative error 6.0e-12 (2^-37.3) after rounding the coefficients.
template <class A>
ACTX_INLINE dbatch<A> expm1_reduced(dbatch<A> r) {
    dbatch<A> q = horner(r, 0x1.a07f18bf79cc8p-16, 0x1.a1713367310b9p-13, 0x1.6c16f1a7efad9p-10,
                            0x1.1110b0ecc30b1p-7, 0x1.5555553780534p-5, 0x1.555555740f822p-3, 0.5);
    return detail::fma(r * r, q, r);
}

// e^z for |z| <= 700 (callers clamp): 2^n (1 + expm1(r)).
template <class A>
ACTX_INLINE dbatch<A> exp_d(dbatch<A> z) {
    reduced<A> k = reduce_exp(z);
    return detail::fma(k.scale, expm1_reduced(k.r), k.scale);
}

// e^z - 1 for |z| <= 700, relatively accurate near 0 (n = 0 there, r = z).
// For n = +-1 the sum 2^n q + (2^n - 1) cancels by at most a factor 1.5,
// harmless at 2^-37.
template <class A>
ACTX_INLINE dbatch<A> expm1_d(dbatch<A> z) {
    reduced<A> k = reduce_exp(z);
    return detail::fma(k.scale, expm1_reduced(k.r), k.scale - dbatch<A>(1));
}

// log((1+s)/(1-s)) = 2s + s^3 L(s^2) on |s| <= 3 - 2 sqrt 2 (m in [sqrt 1/2, sqrt 2)).
// L of degree 3 in s^2; relative error 1.6e-11 (2^-35.8).
template <class A>
ACTX_INLINE dbatch<A> log_series(dbatch<A> s) {
    dbatch<A> z = s * s;
    dbatch<A> l = horner(z, 0x1.ddd995ae53978p-3, 0x1.245c0c793047ep-2, 0x1.9999ebe8e89bfp-2,
                            0x1.5555554b98ee7p-1);
    return detail::fma(s * z, l, s + s);
}

// m = 2^k f with f in [sqrt 1/2, sqrt 2), for positive normal doubles.  Integer
// work is done on unsigned 64-bit lanes with logical shifts only (available
// on SSE2/AVX2 without emulation); k is converted with the 2^52 trick.
template <class A>
struct split { dbatch<A> k, f; };

template <class A>
ACTX_INLINE split<A> split_log(dbatch<A> m) {
    constexpr std::uint64_t sqrt_half = 0x3FE6A09E667F3BCDull, one = 0x3FF0000000000000ull;
    u64batch<A> u = xsimd::bitwise_cast<u64batch<A>>(m);
    u64batch<A> kb = (u + u64batch<A>(one - sqrt_half)) >> 52;  // k + 1023
    dbatch<A> f = xsimd::bitwise_cast<dbatch<A>>(u - (kb << 52) + u64batch<A>(one));
    dbatch<A> k = xsimd::bitwise_cast<dbatch<A>>(kb | u64batch<A>(0x4330000000000000ull)) -
                  dbatch<A>(0x1p52 + 1023);
    return {k, f};
}

inline constexpr double ln2 = 0x1.62e42fefa39efp-1;

// erfc(y) = t e^(-y^2) P(t), t = 3/(3+y), for 0 <= y <= 11 (callers clamp);
// e2 = e^(-y^2) is passed in so that normcdf/normpdf share it.  P of degree 12
// in t, fitted on t in [3/14, 1]: relative error 4.3e-11 (2^-34.4).  The
// substitution maps the infinite interval to a finite one on which
// erfc(y) e^(y^2) / t is smooth (it tends to 1/(3 sqrt pi) as y -> inf).
template <class A>
ACTX_INLINE dbatch<A> erfc_core(dbatch<A> y, dbatch<A> e2) {
    dbatch<A> t = dbatch<A>(3.0) / (dbatch<A>(3.0) + y);
    dbatch<A> p = horner(t, -0x1.92dbc4a96ca17p-10, -0x1.05427b1f62242p-6, 0x1.29d247e059e46p-3,
                            -0x1.aad64ae77a53dp-2, 0x1.23b3c31beaf33p-1, -0x1.e2bac9978d1bbp-2,
                            0x1.6d07586e6e640p-2, -0x1.1a322adbdba9cp-5, 0x1.51b62c3532fddp-3,
                            0x1.3109d849ceefdp-3, 0x1.6de890f27e830p-3, 0x1.80fb47396e65ep-3,
                            0x1.8128d8c913eb6p-3);
    return (t * e2) * p;
}

}  // namespace actx::vector::detail

ACTX_VECTOR_CODE_END
