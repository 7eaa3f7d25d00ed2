// gelu_tanh_gate(x) = 0.5 (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))
//                   = sigmoid(t),  t = 2 sqrt(2/pi) x + 2 sqrt(2/pi) 0.044715 x^3,
// the factor that multiplies x in the tanh-approximated GELU.
//
// Why a primitive: sigmoid(t) for t << 0 is e^t, and e^t turns an absolute
// error in t into the same relative error of the result.  t reaches -745
// before the result underflows, so a t rounded to double (0.5 ulp of 745 is
// 6e-14) is off by up to ~1000 ulp in the result, which is what composing the
// gate from double arithmetic and sigmoid measured (1282 ulp at x = -21.06).
// Here t is formed in double-double from the constants' double-double values,
// and the exponential takes the double-double argument.
// Beyond |x| = 30 the gate is exactly 0 or 1 in double (t(30) = 1974).
//
// Measured (tests/unit/math_reference.cpp, against the same formula in
// __float128): max 0.501 ULP at x = -3.67 over 1.5e6 arguments including
// [-22, -15], where the composed form was 1282 ULP off; the test asserts
// <= 0.6.  float overload: 0.500 ULP.
// Cost: ~40 flops of double-double for t, then sigmoid.hpp's sigmoid of a
// double-double (one exp_scaled, one double-double division).
#pragma once

#include "classify.hpp"
#include "detail.hpp"
#include "exp.hpp"
#include "sigmoid.hpp"
#include "exact_arithmetic.hpp"

ACTX_EXACT_ARITHMETIC_BEGIN

namespace actx::math {

constexpr double gelu_tanh_gate(double x) noexcept {
    if (isnan(x)) return x;
    if (x > 30.0) return 1.0;
    if (x < -30.0) return 0.0;
    // 2 sqrt(2/pi) and 2 sqrt(2/pi) 0.044715 as double-doubles (50-digit decimal
    // values split into the nearest double and the nearest double to the rest).
    constexpr detail::dd linear{1.5957691216057308, -9.96930880911092e-17};
    constexpr detail::dd cubic{0.07135481627260025, -6.175149918155315e-19};
    detail::dd x2 = detail::two_prod(x, x);
    detail::dd x3 = detail::mul(x2, x);
    detail::dd t = detail::add(detail::mul(cubic, x3), detail::mul(linear, x));
    if (t.hi > 40.0) return 1.0;  // 1 - e^-40 rounds to 1
    if (t.hi < -745.2) return 0.0;
    if (t.hi < -700.0) {
        // sigmoid(t) = e^t (1 - e^t + ...), and e^t < 2^-1000: the result is e^t.
        detail::scaled e = detail::exp_scaled(t.hi, t.lo);
        return detail::scale_round(e.y, e.k);
    }
    return detail::sigmoid_of(t);
}

constexpr float gelu_tanh_gate(float x) noexcept {
    return static_cast<float>(gelu_tanh_gate(static_cast<double>(x)));
}

}  // namespace actx::math

ACTX_EXACT_ARITHMETIC_END

namespace actx::math {

// The slope of the gate's argument, t'(x) = c1 + 3 c3 x^2 (t as above), as
// the core's derivative of the gate writes it (core/derivative.hpp): at x
// clamped to [-limit, limit], where gate(x) gate(-x) is already 0 in double,
// so that the slope never overflows into an inf * 0.  at_clamped evaluates it
// in T's arithmetic (a float type or a vector pack), the constants rounded to
// T's element type, as the core's expression does.  It stands outside the
// exact-arithmetic region above so that it inlines into the kernels.
struct gelu_tanh_gate_slope {
    static constexpr double limit = 30.0;
    static constexpr double constant = 1.5957691216057308;    // c1 = 2 sqrt(2/pi)
    static constexpr double quadratic = 0.21406444881780073;  // 3 c3 = 3 c1 0.044715

    template <class T>
    static constexpr T at_clamped(T c) noexcept {
        using S = typename element<T>::type;
        return S(constant) + S(quadratic) * (c * c);
    }

private:
    template <class T> struct element { using type = T; };
    template <class T>
        requires requires { typename T::value_type; }
    struct element<T> { using type = typename T::value_type; };
};

}  // namespace actx::math
