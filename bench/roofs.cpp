// Memory roofs for a forward pass (n floats read, n written): memcpy, and a
// copy with non-temporal stores, which skips reading the destination into
// the cache first and so is the fastest a pass over arrays larger than the
// caches can go.
#include "harness.hpp"

#include <immintrin.h>

#include <cstring>

namespace actx_bench {

void copy_memcpy(float const* from, float* to, std::size_t n) { std::memcpy(to, from, n * sizeof(float)); }

// `to` is 64-byte aligned and n a multiple of 16 (harness.hpp).
void copy_stream(float const* from, float* to, std::size_t n) {
#if defined(__AVX512F__)
    for (std::size_t i = 0; i < n; i += 16) _mm512_stream_ps(to + i, _mm512_load_ps(from + i));
#elif defined(__AVX__)
    for (std::size_t i = 0; i < n; i += 8) _mm256_stream_ps(to + i, _mm256_load_ps(from + i));
#else
    for (std::size_t i = 0; i < n; i += 4) _mm_stream_ps(to + i, _mm_load_ps(from + i));
#endif
    _mm_sfence();
}

}  // namespace actx_bench
