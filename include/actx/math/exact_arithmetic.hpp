// The double-double steps of actx::math rely on every product and sum being
// rounded on its own.  Contracting a*b + c into one fused multiply-add (what
// g++ does by default in GNU mode when the target has FMA, and clang within an
// expression) silently breaks them: Dekker's exact product and Knuth's exact
// sum stop being exact, and erfc(26) drifts by hundreds of ULP.  Each header
// of this directory switches contraction off for its own functions and
// restores the includer's setting at its end.
#pragma once

#if defined(__clang__)
#define ACTX_EXACT_ARITHMETIC_BEGIN _Pragma("float_control(push)") _Pragma("clang fp contract(off)")
#define ACTX_EXACT_ARITHMETIC_END _Pragma("float_control(pop)")
#elif defined(__GNUC__)
#define ACTX_EXACT_ARITHMETIC_BEGIN _Pragma("GCC push_options") _Pragma("GCC optimize(\"fp-contract=off\")")
#define ACTX_EXACT_ARITHMETIC_END _Pragma("GCC pop_options")
#else
#define ACTX_EXACT_ARITHMETIC_BEGIN
#define ACTX_EXACT_ARITHMETIC_END
#endif
