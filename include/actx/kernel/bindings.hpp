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
// The first `count` ranges are looked at (the pass's own).  The test is a
// few integer compares per pair, inline; the message is built out of line
// (a call on a small array pays for the test, not for the strings).
[[noreturn, gnu::cold, gnu::noinline]] inline void reject_aliasing(named_range const& x, named_range const& y) {
    bool exact = x.begin == y.begin && x.end == y.end;
    reject(name_of(x) + " and " + name_of(y) +
           (exact ? " are the same array, and both are written"
                  : " overlap; a written array may only be exactly an input (in place)"));
}

ACTX_ALWAYS_INLINE inline bool aliasing_allowed(named_range const& x, named_range const& y) {
    if (!x.written && !y.written) return true;
    if (x.begin == x.end || y.begin == y.end) return true;
    if (!(x.begin < y.end && y.begin < x.end)) return true;
    return x.begin == y.begin && x.end == y.end && x.written != y.written;  // in place
}

template <std::size_t Capacity>
ACTX_ALWAYS_INLINE inline void check_aliasing(std::array<named_range, Capacity> const& ranges,
                                              std::size_t count = Capacity) {
    for (std::size_t a = 0; a < count; ++a)
        for (std::size_t b = a + 1; b < count; ++b)
            if (!aliasing_allowed(ranges[a], ranges[b])) [[unlikely]]
                reject_aliasing(ranges[a], ranges[b]);
}

// A size that is not the expected one, reported out of line likewise.
[[noreturn, gnu::cold, gnu::noinline]] inline void reject_size(char const* role, std::size_t index, std::size_t size,
                                                             char const* expected_role, std::size_t expected) {
    reject(std::string(role) + " " + std::to_string(index) + " has " + std::to_string(size) + " elements, " +
           expected_role + " has " + std::to_string(expected));
}
}  // namespace detail

}  // namespace actx
