// The operation tags that label expression nodes, and how each is evaluated.
//
// A tag is a small functor in the Eigen manner: an id (which fixes the
// canonical order of commutative arguments), how it prints, and `apply`, the
// scalar call.  `apply` calls its primitive unqualified after a using-
// declaration, so a value type of the user's (a counting wrapper, a SIMD batch)
// brings its own `exp` by argument-dependent lookup.
//
// Derivative rules live in derivative.hpp, one place for all of them.
#pragma once

#include <actx/core/inline.hpp>
#include <actx/math/math.hpp>

namespace actx::op {

// How a node prints: infix with a precedence, prefix minus, or a call.
enum class notation { infix, prefix, call };

template <int Id, int Precedence, const char* Symbol>
struct infix_tag {
    static constexpr int id = Id;
    static constexpr notation style = notation::infix;
    static constexpr int precedence = Precedence;
    static constexpr const char* symbol = Symbol;
};

namespace names {
inline constexpr char add[] = "+", sub[] = "-", mul[] = "*", div[] = "/";
inline constexpr char lt[] = "<", le[] = "<=", gt[] = ">", ge[] = ">=";
}  // namespace names

// ---- arithmetic ----------------------------------------------------------------------
struct add : infix_tag<10, 1, names::add> {
    static constexpr bool commutative = true;
    template <class T> ACTX_ALWAYS_INLINE static constexpr T apply(T a, T b) { return a + b; }
};
struct sub : infix_tag<11, 1, names::sub> {
    static constexpr bool commutative = false;
    template <class T> ACTX_ALWAYS_INLINE static constexpr T apply(T a, T b) { return a - b; }
};
struct mul : infix_tag<12, 2, names::mul> {
    static constexpr bool commutative = true;
    template <class T> ACTX_ALWAYS_INLINE static constexpr T apply(T a, T b) { return a * b; }
};
struct div : infix_tag<13, 2, names::div> {
    static constexpr bool commutative = false;
    template <class T> ACTX_ALWAYS_INLINE static constexpr T apply(T a, T b) { return a / b; }
};
struct neg {
    static constexpr int id = 14;
    static constexpr notation style = notation::prefix;
    static constexpr int precedence = 3;
    static constexpr const char* symbol = "-";
    template <class T> ACTX_ALWAYS_INLINE static constexpr T apply(T a) { return -a; }
};

// ---- comparisons and selection -------------------------------------------------------
// Comparisons produce a condition (bool, or a mask for SIMD types) that only
// `select` consumes; they are never differentiated through.
struct lt : infix_tag<20, 0, names::lt> {
    static constexpr bool commutative = false;
    template <class T> ACTX_ALWAYS_INLINE static constexpr auto apply(T a, T b) { return a < b; }
};
struct le : infix_tag<21, 0, names::le> {
    static constexpr bool commutative = false;
    template <class T> ACTX_ALWAYS_INLINE static constexpr auto apply(T a, T b) { return a <= b; }
};
struct gt : infix_tag<22, 0, names::gt> {
    static constexpr bool commutative = false;
    template <class T> ACTX_ALWAYS_INLINE static constexpr auto apply(T a, T b) { return a > b; }
};
struct ge : infix_tag<23, 0, names::ge> {
    static constexpr bool commutative = false;
    template <class T> ACTX_ALWAYS_INLINE static constexpr auto apply(T a, T b) { return a >= b; }
};

template <int Id, const char* Name>
struct call_tag {
    static constexpr int id = Id;
    static constexpr notation style = notation::call;
    static constexpr int precedence = 4;
    static constexpr const char* symbol = Name;
};

namespace names {
inline constexpr char select[] = "select", min[] = "min", max[] = "max", abs[] = "abs",
                      sign[] = "sign", exp[] = "exp", expm1[] = "expm1", log[] = "log",
                      log1p[] = "log1p", sqrt[] = "sqrt", tanh[] = "tanh", erf[] = "erf",
                      erfc[] = "erfc", sigmoid[] = "sigmoid", log1pexp[] = "log1pexp",
                      gauss[] = "gauss", normcdf[] = "normcdf", normpdf[] = "normpdf", tanhshrink[] = "tanhshrink", gelu_tanh_gate[] = "gelu_tanh_gate", softsign[] = "softsign";
}  // namespace names

// Scalar selection; SIMD value types provide their own `select_value` found by ADL.
template <class C, class T>
constexpr T select_value(C condition, T a, T b) {
    return condition ? a : b;
}

struct select : call_tag<30, names::select> {
    template <class C, class T>
    ACTX_ALWAYS_INLINE static constexpr T apply(C condition, T a, T b) {
        return select_value(condition, a, b);
    }
};

// PyTorch's minimum/maximum: NaN in either argument gives NaN.
struct min : call_tag<31, names::min> {
    static constexpr bool commutative = true;
    template <class T> ACTX_ALWAYS_INLINE static constexpr T apply(T a, T b) {
        return select_value(a < b, a, select_value(b < a, b, select_value(a != a, a, b)));
    }
};
struct max : call_tag<32, names::max> {
    static constexpr bool commutative = true;
    template <class T> ACTX_ALWAYS_INLINE static constexpr T apply(T a, T b) {
        return select_value(a > b, a, select_value(b > a, b, select_value(a != a, a, b)));
    }
};

// ---- primitives ----------------------------------------------------------------------
#define ACTX_PRIMITIVE(tag, id_value, function)                                  \
    struct tag : call_tag<id_value, names::tag> {                                \
        template <class T> ACTX_ALWAYS_INLINE static constexpr T apply(T a) {                       \
            using ::actx::math::function;                                        \
            return function(a);                                                  \
        }                                                                        \
    };

ACTX_PRIMITIVE(abs, 40, abs)
ACTX_PRIMITIVE(exp, 41, exp)
ACTX_PRIMITIVE(expm1, 42, expm1)
ACTX_PRIMITIVE(log, 43, log)
ACTX_PRIMITIVE(log1p, 44, log1p)
ACTX_PRIMITIVE(sqrt, 45, sqrt)
ACTX_PRIMITIVE(tanh, 46, tanh)
ACTX_PRIMITIVE(erf, 47, erf)
ACTX_PRIMITIVE(erfc, 48, erfc)
ACTX_PRIMITIVE(sigmoid, 49, sigmoid)
ACTX_PRIMITIVE(log1pexp, 50, log1pexp)
ACTX_PRIMITIVE(gauss, 51, gauss)
ACTX_PRIMITIVE(normcdf, 52, normcdf)
ACTX_PRIMITIVE(normpdf, 53, normpdf)
ACTX_PRIMITIVE(tanhshrink, 55, tanhshrink)
ACTX_PRIMITIVE(gelu_tanh_gate, 56, gelu_tanh_gate)
ACTX_PRIMITIVE(softsign, 57, softsign)
#undef ACTX_PRIMITIVE

// sign(a): PyTorch's sgn, 0 at 0, NaN for NaN (a * 0 keeps NaN and the sign of zero).
struct sign : call_tag<54, names::sign> {
    template <class T> ACTX_ALWAYS_INLINE static constexpr T apply(T a) {
        return select_value(a > T(0), T(1), select_value(a < T(0), T(-1), a * T(0)));
    }
};

}  // namespace actx::op
