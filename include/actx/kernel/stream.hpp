// Streaming (non-temporal) stores, for calls whose outputs are larger than
// the last-level cache.
//
// An ordinary store first reads the destination's cache line, then writes
// it, and the line later goes back to memory: three transfers per line, and
// the outputs evict the inputs still to be read.  A non-temporal store writes
// the whole line straight to memory.  Here a copy with them runs at 29.9 GB/s
// against 16.2 GB/s for memcpy (bench/roofs.cpp, copy/forward/stream).  For
// outputs that fit in the cache they are a loss: the next reader finds them
// in memory instead of in the cache.
//
// A call streams when the bytes it moves exceed a threshold: n elements of
// every distinct array it reads or writes (inputs, upstream gradients,
// outputs, input gradients; an array both read and written counts once).
// By default the threshold is the size of the last-level cache that CPU 0
// sees (last_level_cache_bytes()); execution::stream_above in execution.hpp
// overrides it per kernel.  The bytes moved, not those written: on a Xeon
// whose cache Linux lists as 105 MiB, relu's forward over 16M floats (64 MiB
// written, 128 MiB moved) ran at 0.54 ns per element streaming against 0.73
// with ordinary stores (bench/execution.cpp).  A destination that is also
// an input (in place) keeps ordinary stores under any threshold but
// stream_always: its lines were just read into the cache, and streaming
// them out made in-place elu 1.3 to 1.8 times slower at every size from 4M
// to 64M floats.  Only x86 has streaming stores here (SSE2, AVX, AVX-512);
// elsewhere, and for value types other than the vector packs, stores are
// ordinary stores.
#pragma once

#include <actx/kernel/values.hpp>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <limits>

#if defined(__SSE2__)
#include <immintrin.h>
#endif
#if defined(__unix__) || defined(__APPLE__)
#include <unistd.h>
#endif
// CPUID through the compiler's <cpuid.h> (g++ and clang++ on x86).
#if (defined(__x86_64__) || defined(__i386__)) && (defined(__GNUC__) || defined(__clang__))
#define ACTX_HAS_CPUID 1
#include <cpuid.h>
#else
#define ACTX_HAS_CPUID 0
#endif

namespace actx {

// Values of execution::stream_above: stream whenever anything is written,
// never, or above the size of the last-level cache (the default).
inline constexpr std::size_t stream_always = 0;
inline constexpr std::size_t stream_never = std::numeric_limits<std::size_t>::max();
inline constexpr std::size_t stream_above_cache = stream_never - 1;

namespace detail {

// The size of one cache instance from its CPUID descriptor (leaf 4 on Intel,
// 0x8000001D on AMD; the same encoding): ways x partitions x line size x
// sets, each field stored minus one (EBX bits 31:22, 21:12, 11:0; ECX).
constexpr std::size_t cache_descriptor_bytes(std::uint32_t ebx, std::uint32_t ecx) {
    return std::size_t{((ebx >> 22) & 0x3ffu) + 1} * std::size_t{((ebx >> 12) & 0x3ffu) + 1} *
           std::size_t{(ebx & 0xfffu) + 1} * (std::size_t{ecx} + 1);
}

// The largest L3 one AMD core complex has without stacked cache (Zen 3 to
// Zen 5: 32 MiB per CCD; Zen 2: 16 MiB per CCX).
inline constexpr std::size_t amd_core_complex_l3 = std::size_t{32} << 20;

// The L3 of AMD's CPUID 0x80000006 (EDX bits 31:18, in 512 KiB units),
// at most amd_core_complex_l3.  That leaf may give the whole package's L3:
// on the Zen 5 EPYC of docs/performance.md, a virtual machine that lists no
// caches in sysfs and hides leaf 0x8000001D, it says 508 MiB, as glibc's
// sysconf does, where a core reaches 32 MiB.
constexpr std::size_t amd_l3_bytes(std::uint32_t edx) {
    return std::min(std::size_t{edx >> 18} << 19, amd_core_complex_l3);
}

#if ACTX_HAS_CPUID
// The largest cache one core sees, from CPUID; 0 where it says nothing.
// Intel (leaf 4): every level's instance, the L3 being the package's, which
// every core shares.  AMD and Hygon (leaf 0x8000001D): the instances too,
// where an L3 is one core complex's; where that leaf is missing,
// 0x80000006's L3 (amd_l3_bytes).
inline std::size_t cpuid_largest_cache() {
    unsigned a = 0, b = 0, c = 0, d = 0;
    if (__get_cpuid(0, &a, &b, &c, &d) == 0) return 0;
    unsigned const max_leaf = a;
    // "AuthenticAMD" and "HygonGenuine" in EBX, EDX, ECX: their first words.
    bool const amd = b == 0x68747541u || b == 0x6f677948u;
    unsigned const descriptors = amd ? 0x8000001Du : 4u;
    unsigned const max_extended = __get_cpuid(0x80000000u, &a, &b, &c, &d) != 0 ? a : 0;
    std::size_t largest = 0;
    if ((amd ? max_extended : max_leaf) >= descriptors) {
        for (unsigned sub = 0; sub < 16; ++sub) {
            if (__get_cpuid_count(descriptors, sub, &a, &b, &c, &d) == 0 || (a & 0x1fu) == 0) break;
            largest = std::max(largest, cache_descriptor_bytes(b, c));
        }
    }
    if (largest == 0 && amd && __get_cpuid(0x80000006u, &a, &b, &c, &d) != 0) largest = amd_l3_bytes(d);
    return largest;
}
#else
inline std::size_t cpuid_largest_cache() { return 0; }
#endif

// The largest cache Linux lists for CPU 0 (sysfs gives one instance: what a
// core can use), else what CPUID says a core sees (above), else glibc's
// sysconf, else 8 MiB.  sysconf comes last because glibc adds up the L3 of
// every core complex of an AMD package: on an EPYC with sysfs, sysconf said
// 320 MiB where one core sees 32 MiB; on the Zen 5 EPYC, 508 MiB.
inline std::size_t query_last_level_cache() {
    std::size_t largest = 0;
    for (int index = 0; index < 8; ++index) {
        char path[80];
        std::snprintf(path, sizeof path, "/sys/devices/system/cpu/cpu0/cache/index%d/size", index);
        std::FILE* file = std::fopen(path, "r");
        if (file == nullptr) break;
        unsigned long long size = 0;
        char unit = 0;
        int read = std::fscanf(file, "%llu%c", &size, &unit);
        std::fclose(file);
        if (read < 1) continue;
        if (read == 2 && (unit == 'K' || unit == 'k')) size <<= 10;
        if (read == 2 && unit == 'M') size <<= 20;
        if (size > largest) largest = static_cast<std::size_t>(size);
    }
    if (largest > 0) return largest;
    if (std::size_t const seen = cpuid_largest_cache(); seen > 0) return seen;
#if defined(_SC_LEVEL3_CACHE_SIZE)
    long level3 = sysconf(_SC_LEVEL3_CACHE_SIZE);
    if (level3 > 0) return static_cast<std::size_t>(level3);
#endif
    return std::size_t{8} << 20;
}
}  // namespace detail

// Queried once, on first use.
inline std::size_t last_level_cache_bytes() {
    static std::size_t const bytes = detail::query_last_level_cache();
    return bytes;
}

namespace detail {

// What a Values policy can stream for element type T: `alignment` is the
// address alignment its streaming store needs in bytes (one full vector), 0
// when it has none.
template <class Values, class T>
struct streaming {
    static constexpr std::size_t alignment = 0;
};

// The vector packs on x86 (vector_register, values.hpp).
template <class Mode, class T>
    requires(std::is_same_v<T, float> || std::is_same_v<T, double>)
struct streaming<vector_values_of<Mode>, T> {
    using R = vector_register<Mode, T>;
    using pack = typename R::pack;
    static constexpr bool available = R::avx512 || R::avx || R::sse2;
    static constexpr std::size_t alignment = available ? R::bytes : 0;

    // p must be `alignment`-aligned.
    static void store([[maybe_unused]] pack const& value, [[maybe_unused]] T* p) {
        [[maybe_unused]] typename R::register_type r = value.v;
        [[maybe_unused]] constexpr bool single = R::single;
#if defined(__AVX512F__)
        if constexpr (R::avx512) {
            if constexpr (single) _mm512_stream_ps(p, r); else _mm512_stream_pd(p, r);
            return;
        }
#endif
#if defined(__AVX__)
        if constexpr (R::avx) {
            if constexpr (single) _mm256_stream_ps(p, r); else _mm256_stream_pd(p, r);
            return;
        }
#endif
#if defined(__SSE2__)
        if constexpr (R::sse2) {
            if constexpr (single) _mm_stream_ps(p, r); else _mm_stream_pd(p, r);
            return;
        }
#endif
    }
};

// Evaluated as written or not, the same registers.
template <class Values, class T>
struct streaming<as_written<Values>, T> : streaming<Values, T> {};

// Which of a call's destinations stream, by the rule above: none for an
// empty call or under stream_never; all under stream_always; otherwise,
// when the call moves more than `above` bytes, those not written in place.
template <class T, std::size_t Sources, std::size_t Destinations>
std::array<bool, Destinations> streamed_destinations(std::array<T const*, Sources> const& sources,
                                                     std::array<T*, Destinations> const& destinations,
                                                     std::size_t n, std::size_t above) {
    std::array<bool, Destinations> streams{};
    if (n == 0 || above == stream_never) return streams;
    std::array<void const*, Sources + Destinations> arrays{};
    std::size_t distinct = 0;
    auto count = [&](void const* p) {
        if (std::find(arrays.begin(), arrays.begin() + distinct, p) == arrays.begin() + distinct)
            arrays[distinct++] = p;
    };
    for (T const* s : sources) count(s);
    for (T* d : destinations) count(d);
    bool const moves_more = n > above / distinct / sizeof(T);
    for (std::size_t d = 0; d < Destinations; ++d) {
        bool in_place = std::find(sources.begin(), sources.end(), destinations[d]) != sources.end();
        streams[d] = above == stream_always || (moves_more && !in_place);
    }
    return streams;
}

// Non-temporal stores are weakly ordered: after the last one, a fence makes
// them visible, in order, to whoever synchronises with this thread next.
inline void stream_fence() {
#if defined(__SSE2__)
    _mm_sfence();
#endif
}

}  // namespace detail
}  // namespace actx
