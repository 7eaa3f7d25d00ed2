// What a kernel call reads and writes, and the checks made on it before
// anything is written: sizes agree, parameters have a shape the layout
// explains, and no written array overlaps another array except an output
// that is exactly an input (in place).
#pragma once

#include <actx/core/inline.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <stdexcept>
#include <string>

namespace actx {

// Where a per-channel parameter's channel is, for element e of a flat array:
// channel(e) = (e / inner) % channels.
//   NC and NHWC (channels last):  {C, 1}
//   NCHW (channels first):        {C, H * W}
struct channel_layout {
    std::size_t channels = 1;
    std::size_t inner = 1;
};
constexpr channel_layout channels_last(std::size_t channels) { return {channels, 1}; }
constexpr channel_layout channels_first(std::size_t channels, std::size_t spatial) {
    return {channels, spatial};
}

template <class T, std::size_t N>
using readonly_arrays = std::array<std::span<T const>, N>;
template <class T, std::size_t N>
using writable_arrays = std::array<std::span<T>, N>;

namespace detail {
[[noreturn]] inline void reject(std::string const& what) {
    throw std::invalid_argument("actx::kernel: " + what);
}

struct named_range {
    char const* role;
    std::size_t index;
    std::uintptr_t begin, end;
    bool written;
};

template <class T>
named_range range_of(char const* role, std::size_t index, std::span<T> s, bool written) {
    auto begin = reinterpret_cast<std::uintptr_t>(s.data());
    return {role, index, begin, begin + s.size_bytes(), written};
}

inline std::string name_of(named_range const& r) {
    return std::string(r.role) + " " + std::to_string(r.index);
}

// Written ranges may not overlap anything, except that an output may be
// exactly an input: every element is read before its result is written.
// The test is a few integer compares per pair of a written range and any
// other, or'ed together without a branch: one branch decides the call.
// Which pair it was, and the message, are found out of line (a call on a
// small array pays for the test, not for the search or the strings).
ACTX_ALWAYS_INLINE inline bool overlap(named_range const& x, named_range const& y) {
    // Empty ranges overlap nothing: max(begin) < min(end) fails for them.
    return (x.begin > y.begin ? x.begin : y.begin) < (x.end < y.end ? x.end : y.end);
}
ACTX_ALWAYS_INLINE inline bool same_array(named_range const& x, named_range const& y) {
    return ((x.begin ^ y.begin) | (x.end ^ y.end)) == 0;
}
inline bool aliasing_allowed(named_range const& x, named_range const& y) {
    if (!x.written && !y.written) return true;
    return !overlap(x, y) || (same_array(x, y) && x.written != y.written);  // in place
}

// ranges: the read ones, then the written ones, in the order of the
// message's names.
[[noreturn, gnu::cold, gnu::noinline]] inline void reject_aliasing(named_range const* ranges, std::size_t count) {
    for (std::size_t a = 0; a < count; ++a) {
        for (std::size_t b = a + 1; b < count; ++b) {
            named_range const &x = ranges[a], &y = ranges[b];
            if (aliasing_allowed(x, y)) continue;
            reject(name_of(x) + " and " + name_of(y) +
                   (same_array(x, y) ? " are the same array, and both are written"
                                     : " overlap; a written array may only be exactly an input (in place)"));
        }
    }
    reject("arrays overlap");  // not reached: the caller found a pair
}

// Read read ranges, then Written written ones.
template <std::size_t Read, std::size_t Written>
ACTX_ALWAYS_INLINE inline void check_aliasing(std::array<named_range, Read + Written> const& r) {
    bool bad = false;
    for (std::size_t w = Read; w < Read + Written; ++w) {
        for (std::size_t i = 0; i < Read; ++i) bad |= overlap(r[w], r[i]) > same_array(r[w], r[i]);  // and not in place
        for (std::size_t v = w + 1; v < Read + Written; ++v) bad |= overlap(r[w], r[v]);
    }
    if (bad) [[unlikely]]
        reject_aliasing(r.data(), Read + Written);
}

// A size that is not the expected one, reported out of line likewise.
[[noreturn, gnu::cold, gnu::noinline]] inline void reject_size(char const* role, std::size_t index, std::size_t size,
                                                             char const* expected_role, std::size_t expected) {
    reject(std::string(role) + " " + std::to_string(index) + " has " + std::to_string(size) + " elements, " +
           expected_role + " has " + std::to_string(expected));
}
}  // namespace detail

}  // namespace actx
