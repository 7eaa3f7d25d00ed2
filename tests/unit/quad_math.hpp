// The accuracy tests' reference type, a binary floating-point type with a
// 113-bit significand, and the functions they use on it, under
// libquadmath's names: __float128 and libquadmath on x86, long double where
// it is that format itself (64-bit ARM Linux, the NEON build), with the C
// library's long double functions.  Either is independent of actx and
// accurate to far below a double ULP.
#pragma once

#if defined(__x86_64__) || defined(__i386__)

#include <quadmath.h>

namespace actx_reference {
using quad = __float128;
}

#elif __LDBL_MANT_DIG__ == 113

#include <cmath>
#include <cstdlib>

namespace actx_reference {
using quad = long double;
}
// The names are global, as libquadmath's are.
inline long double fabsq(long double x) { return std::fabs(x); }
inline long double fmaxq(long double x, long double y) { return std::fmax(x, y); }
inline long double sqrtq(long double x) { return std::sqrt(x); }
inline long double expq(long double x) { return std::exp(x); }
inline long double expm1q(long double x) { return std::expm1(x); }
inline long double logq(long double x) { return std::log(x); }
inline long double log1pq(long double x) { return std::log1p(x); }
inline long double tanhq(long double x) { return std::tanh(x); }
inline long double atanq(long double x) { return std::atan(x); }
inline long double erfq(long double x) { return std::erf(x); }
inline long double erfcq(long double x) { return std::erfc(x); }
inline long double ldexpq(long double x, int e) { return std::ldexp(x, e); }
inline int ilogbq(long double x) { return std::ilogb(x); }
inline int isnanq(long double x) { return std::isnan(x); }
inline int isinfq(long double x) { return std::isinf(x) ? (x > 0 ? 1 : -1) : 0; }
inline long double strtoflt128(const char* s, char** end) { return std::strtold(s, end); }

#else
#error "the accuracy tests need __float128 (x86) or a long double of 113 significand bits"
#endif
