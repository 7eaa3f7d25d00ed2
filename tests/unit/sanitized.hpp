// ACTX_TEST_SANITIZED: whether this build runs under AddressSanitizer, whose
// checks make the tests' loops several times slower; they then take fewer
// rounds or coarser sweeps.  g++ says so with __SANITIZE_ADDRESS__, clang++
// (before 17) only through __has_feature.
#pragma once

#if defined(__SANITIZE_ADDRESS__)
#define ACTX_TEST_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define ACTX_TEST_SANITIZED 1
#endif
#endif
#ifndef ACTX_TEST_SANITIZED
#define ACTX_TEST_SANITIZED 0
#endif
