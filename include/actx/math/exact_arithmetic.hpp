// The double-double steps of actx::math rely on every product and sum being
// rounded on its own.  Contracting a*b + c into one fused multiply-add (what
// g++ does by default in GNU mode when the target has FMA, and clang within an
// expression) silently breaks them: Dekker's exact product and Knuth's exact
// sum stop being exact, and erfc(26) drifts by hundreds of ULP.  Each header
// of this directory switches contraction off for its own functions and
// restores the includer's setting at its end.
// clang++ 14 saves and restores the setting (float_control) only on targets
// it has strict floating point for, x86 among them and AArch64 not: it
// ignores the pragma there with a warning.  On those targets contraction is
// switched off and left off for the rest of the translation unit, which
// costs the includer's later code its contractions but never a result of
// the headers.
#pragma once

#if defined(__clang__) && (defined(__x86_64__) || defined(__i386__))
#define ACTX_EXACT_ARITHMETIC_BEGIN _Pragma("float_control(push)") _Pragma("clang fp contract(off)")
#define ACTX_EXACT_ARITHMETIC_END _Pragma("float_control(pop)")
#elif defined(__clang__)
#define ACTX_EXACT_ARITHMETIC_BEGIN _Pragma("clang fp contract(off)")
#define ACTX_EXACT_ARITHMETIC_END
#elif defined(__GNUC__)
#define ACTX_EXACT_ARITHMETIC_BEGIN _Pragma("GCC push_options") _Pragma("GCC optimize(\"fp-contract=off\")")
#define ACTX_EXACT_ARITHMETIC_END _Pragma("GCC pop_options")
#else
#define ACTX_EXACT_ARITHMETIC_BEGIN
#define ACTX_EXACT_ARITHMETIC_END
#endif
