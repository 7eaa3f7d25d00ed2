// Forced inlining of what a fused loop calls per element or per vector.
#pragma once

// Every function a fused loop calls per vector is inlined into it, whatever
// the size of the translation unit: in one that instantiates many kernels
// (a benchmark, an application with all its activations), g++'s inlining
// budget ran out and the primitives, and even a mask constant, became calls
// inside the loop, with their arguments and results through memory (silu's
// backward 2.2 times, relu's 5.5 times slower than the same loop inlined).
// Unoptimised builds (-O0: the sanitizer tests) keep ordinary inline.
// ACTX_INLINE_LAMBDA goes after a lambda's parameter list: the fold
// lambdas over a DAG's slots are as much part of the loop as the functions.
#if defined(__GNUC__) && defined(__OPTIMIZE__)
#define ACTX_ALWAYS_INLINE [[gnu::always_inline]]
#define ACTX_INLINE_LAMBDA __attribute__((always_inline))
#else
#define ACTX_ALWAYS_INLINE
#define ACTX_INLINE_LAMBDA
#endif
#define ACTX_INLINE ACTX_ALWAYS_INLINE inline
// And its opposite, for code that runs a few times a call (a loop's head and
// tail): one copy, not one per call site.
#if defined(__GNUC__)
#define ACTX_NOINLINE_LAMBDA __attribute__((noinline))
#else
#define ACTX_NOINLINE_LAMBDA
#endif

// The fused loops' functions ask g++ for its instruction scheduling before
// register allocation (off by default on x86): it interleaves the long,
// independent dependency chains of the vectors in one loop step, which the
// processor's scheduler cannot look far enough ahead to overlap by itself
// (docs/design.md, "Instruction scheduling").  With sched-pressure it
// weighs register pressure and keeps the chains apart where registers run
// short; ACTX_FREELY_SCHEDULED_LOOP leaves that out, for the loops that
// measured faster interleaving more and spilling some (kernel.hpp,
// plan::free_schedule).  The attributes are g++'s.
// -DACTX_NO_LOOP_SCHEDULING=1 leaves the compiler's default.
#ifndef ACTX_NO_LOOP_SCHEDULING
#define ACTX_NO_LOOP_SCHEDULING 0
#endif
#if defined(__GNUC__) && !defined(__clang__) && defined(__OPTIMIZE__) && !ACTX_NO_LOOP_SCHEDULING
#define ACTX_SCHEDULED_LOOP [[gnu::optimize("schedule-insns", "sched-pressure")]]
#define ACTX_FREELY_SCHEDULED_LOOP [[gnu::optimize("schedule-insns")]]
#else
#define ACTX_SCHEDULED_LOOP
#define ACTX_FREELY_SCHEDULED_LOOP
#endif
