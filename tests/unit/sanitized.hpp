// ACTX_TEST_SLOW: whether this build's code runs tens of times slower than
// the compiled code: unoptimised under AddressSanitizer, whose checks then
// weigh on every loop, or under an emulator (ACTX_TEST_EMULATED, set by
// tests/CMakeLists.txt when the tests of a cross-compiled build run under
// one: the NEON build under qemu-user).  The tests then take fewer rounds or
// coarser sweeps, their bounds the same.  An optimised build under the
// sanitizers (scripts/test.sh's clang configuration) runs them in full:
// there the kernel tests take about twice their time without.
// g++ says it sanitizes with __SANITIZE_ADDRESS__, clang++ (before 17) only
// through __has_feature.
#pragma once

#if defined(__SANITIZE_ADDRESS__)
#define ACTX_TEST_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define ACTX_TEST_ASAN 1
#endif
#endif
#if (defined(ACTX_TEST_ASAN) && !defined(__OPTIMIZE__)) || (defined(ACTX_TEST_EMULATED) && ACTX_TEST_EMULATED)
#define ACTX_TEST_SLOW 1
#else
#define ACTX_TEST_SLOW 0
#endif

// ACTX_TEST_COARSE_SWEEPS: the builds whose sweeps over float patterns run
// at reduced density, the bounds the same: the AVX2 and SSE2 builds
// (ACTX_TEST_ISA_SCOPE, set by tests/CMakeLists.txt) and the optimised build
// under the sanitizers.  The slow builds (ACTX_TEST_SLOW) sweep coarser
// still.
#if defined(ACTX_TEST_ASAN) || (defined(ACTX_TEST_ISA_SCOPE) && ACTX_TEST_ISA_SCOPE)
#define ACTX_TEST_COARSE_SWEEPS 1
#else
#define ACTX_TEST_COARSE_SWEEPS 0
#endif
