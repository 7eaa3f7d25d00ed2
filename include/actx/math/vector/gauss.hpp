// gauss (e^(-x^2)) for float packs.
//
// Method: in double (detail/kernels.hpp): x^2 is exact in double, so the only
// errors are the double exponential's (2^-37) and the final rounding; in float
// the rounding of x^2 alone would be amplified by x^2 (up to 87x).  |x| is
// clamped to 11 (e^-121 is below the float subnormals).
//
// Measured (tests/unit/vector_math.cpp: every 256th float pattern over the
// whole range, 2^20 dense points in the hard ranges, special values), max: 0.5000 ULP (at x = -0.4901).
// Special values: NaN -> NaN, ±inf -> +0, ±0 -> 1.
// Cost per float vector: abs + min, 2 widen + 1 narrow; per double half
// 10 fma, 2 mul/sub, 3 integer ops.
//
// Double packs: in double lanes.  |x| clamped to 27.3 (e^-745.29 rounds
// to 0); x^2 = p + lo exactly (lo from one fma), and e^-(p + lo) =
// 2^n (1 + u) by exp's reduction (detail/float_kernels.hpp) with -lo added
// to its low part, so x^2's rounding (up to 745 2^-54 in the exponent,
// hundreds of ULP if it were kept) costs nothing; 2^n is applied last with
// one rounding, so subnormal results are right too.
// Measured against expq(-x^2) (tests/unit/vector_double_reference.cpp):
// see docs/accuracy.md.  Special values as for float.
// Cost per double vector: exp's, plus 1 mul and 1 fma.
#pragma once

#include <actx/math/vector/detail/code.hpp>
#include <actx/math/vector/detail/float_kernels.hpp>
#include <actx/math/vector/detail/kernels.hpp>

ACTX_VECTOR_CODE_BEGIN

namespace actx::vector {

template <class A>
ACTX_INLINE pack<float, A> gauss(pack<float, A> x) {
    using namespace detail;
    fbatch<A> a = xsimd::min(fbatch<A>(11.0f), xsimd::abs(x.v));
    return {in_double(a, [](dbatch<A> v) { return exp_d(-(v * v)); })};
}

template <class A>
ACTX_INLINE pack<double, A> gauss(pack<double, A> x) {
    using namespace detail;
    using B = dbatch<A>;
    B a = xsimd::min(B(27.3), xsimd::abs(x.v));
    B p = a * a;
    B lo = -product_error(a, a, p);  // -a^2 = -p + lo exactly
    exp_parts<A, double> k = split_exp(-p, lo);
    return {k.scaled(k.u + B(1.0))};
}

}  // namespace actx::vector

ACTX_VECTOR_CODE_END
