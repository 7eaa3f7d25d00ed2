// gelu_tanh_gate for float packs: sigmoid(v), v = 2 sqrt(2/pi) (x + 0.044715 x^3)
// (see <actx/math/gelu_tanh_gate.hpp> for why it is a primitive), and
// gelu_tanh_gate_pair: the gate at x and at -x from one exponential.
//
// Method: in float lanes (detail/float_kernels.hpp, gelu_tanh_gates): v is
// formed as a sum of two floats to ~2^-44 (sigmoid(-|v|) has relative
// condition |v|, so a rounded v would cost ~100 ULP at x = -10), its low part
// folded into the exponential to first order, then sigmoid as in sigmoid.hpp.
// x is clamped to +-11: past that the float result is exactly 0 or 1.
// Measured: tests/unit/vector_math.cpp: max 1.32 ULP (x = -9.3; bound
// 1.5); full sweep in
// docs/accuracy.md.
// Special values: NaN -> NaN, +inf -> 1, -inf -> 0.
// Cost per vector: ~16 operations for v (4 of them exact-product fmas),
// sigmoid's (1 exponential, 1 div, ~14 more), 2 blends.
//
// Double packs: the same in double lanes (c1, c3 and 3 c3 in two doubles,
// v's low part in the exponential's reduced argument), x clamped to +-22
// (|v| > 746 beyond).  Measured against libquadmath
// (tests/unit/vector_double_reference.cpp): see docs/accuracy.md.
#pragma once

#include <actx/math/vector/detail/code.hpp>
#include <actx/math/vector/detail/float_kernels.hpp>

ACTX_VECTOR_CODE_BEGIN

namespace actx::vector {

template <class T, class A>
ACTX_INLINE pack<T, A> gelu_tanh_gate(pack<T, A> x) {
    return {detail::gelu_tanh_gates(x.v).p};
}

template <class P>
struct gelu_tanh_gate_pair_result {
    P positive;  // gelu_tanh_gate(a)
    P negative;  // gelu_tanh_gate(-a)
    P product;   // gelu_tanh_gate(a) gelu_tanh_gate(-a), rounded once
    P derivative;  // gelu_tanh_gate'(a) = product (c1 + 3 c3 a^2), rounded once
};

// Both gates from one exponential: gelu_tanh's forward uses gate(x), its
// derivative gate(x) gate(-x).  Each member has the same bits as the single
// function.
template <class T, class A>
ACTX_INLINE gelu_tanh_gate_pair_result<pack<T, A>> gelu_tanh_gate_pair(pack<T, A> x) {
    detail::gelu_gates<A, T> h = detail::gelu_tanh_gates(x.v);
    return {{h.p}, {h.m}, {h.pm}, {h.derivative}};
}

}  // namespace actx::vector

ACTX_VECTOR_CODE_END
