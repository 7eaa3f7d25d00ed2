// tanhshrink (x - tanh x) for float packs, accurate near 0.
//
// Method: in double (detail/kernels.hpp), on a = |x| with the sign copied
// back (the function is odd).  For a < 1/2, x - tanh x cancels, so the series
// form a^3 S(a^2) is used, S of degree 6 fitted on a^2 in [0, 1/4] (relative
// 2^-36.6; fit/fit.py tanhshrink_double).  For a >= 1/2 the difference
// a - tanh a loses at most 4 bits, which double can spare.  Both branches are
// computed and blended.
//
// Measured (tests/unit/vector_math.cpp: every 256th float pattern over the
// whole range, 2^20 dense points in the hard ranges, special values), max: 0.5001 ULP (at x = 4.3e-6).
// Special values: NaN -> NaN, ±inf -> ±inf, ±0 -> ±0; underflows to ±0 below
// |x| ~ 1e-13 (x^3/3 is subnormal there).
// Cost per float vector: abs + min, 2 widen + 1 narrow; per double half 1 div,
// 17 fma, ~6 add/sub/mul, 3 integer ops, 1 compare + 1 blend.
//
// Double packs: lane-by-lane actx::math::tanhshrink (placeholder).
#pragma once

#include <actx/math/vector/detail/gcc_warnings.hpp>
#include <actx/math/vector/tanh.hpp>

#if __has_include(<actx/math/tanhshrink.hpp>)
#include <actx/math/tanhshrink.hpp>
#endif

ACTX_VECTOR_CODE_BEGIN

namespace actx::vector {

namespace detail {
template <class A>
inline dbatch<A> tanh_abs_d(dbatch<A> a) {  // a in [0, 20]
    dbatch<A> e = expm1_d(a + a);
    return e / (e + dbatch<A>(2.0));
}
}  // namespace detail

template <class A>
inline pack<float, A> tanhshrink(pack<float, A> x) {
    using namespace detail;
    fbatch<A> a = xsimd::abs(x.v);
    fbatch<A> y = in_double(a, [](dbatch<A> v) {
        dbatch<A> z = v * v;
        dbatch<A> s(0x1.0efae7cd2d39ep-10);
        s = detail::fma(s, z, dbatch<A>(-0x1.c50f98356c211p-9));
        s = detail::fma(s, z, dbatch<A>(0x1.21b261018f8a9p-7));
        s = detail::fma(s, z, dbatch<A>(-0x1.664731953d83dp-6));
        s = detail::fma(s, z, dbatch<A>(0x1.ba1b76e10a2fbp-5));
        s = detail::fma(s, z, dbatch<A>(-0x1.111110e63e2e9p-3));
        s = detail::fma(s, z, dbatch<A>(0x1.5555555547467p-2));
        dbatch<A> small = (v * z) * s;
        dbatch<A> large = v - tanh_abs_d(xsimd::min(dbatch<A>(20.0), v));
        return xsimd::select(v < dbatch<A>(0.5), small, large);
    });
    return {copy_sign_of(y, x.v)};
}

#if __has_include(<actx/math/tanhshrink.hpp>)
ACTX_VECTOR_DOUBLE_FALLBACK(tanhshrink)
#endif

}  // namespace actx::vector

ACTX_VECTOR_CODE_END
