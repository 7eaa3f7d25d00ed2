// actx::bfloat16: a 16-bit storage type for inference, computed in float.
//
// bfloat16 is the upper half of an IEEE binary32: sign, the same 8-bit
// exponent, 7 bits of significand.  So widening is exact (the 16 bits become
// the high half of a float), and narrowing is a rounding of the low 16 bits
// away.  Both conversions are those of PyTorch's c10::BFloat16 (torch.bfloat16):
//
//   float(b)       exact: the bits shifted left by 16
//   bfloat16(f)    round to nearest, ties to even; overflow goes to infinity,
//                  infinities stay infinities, subnormals round like any
//                  other value, and every NaN becomes the quiet NaN 0x7FC0
//                  (c10's round_to_nearest_even, sign of the NaN included)
//
// Nothing here needs the compiler's own __bf16 (g++ 12 and clang 14 have no
// usable one): the type is a uint16_t, trivially copyable and standard layout.
// The kernels load and store it a vector at a time (bfloat16_pack.hpp).
#pragma once

#include <bit>
#include <cstdint>
#include <type_traits>

namespace actx {

struct bfloat16 {
    std::uint16_t bits;

    bfloat16() = default;
    // Explicit: the conversion rounds away 16 bits of the significand.
    constexpr explicit bfloat16(float value) noexcept : bits(round_to_nearest_even(value)) {}

    // Implicit: exact, as c10::BFloat16's.
    constexpr operator float() const noexcept {
        return std::bit_cast<float>(static_cast<std::uint32_t>(bits) << 16);
    }

    static constexpr bfloat16 from_bits(std::uint16_t b) noexcept {
        bfloat16 result{};
        result.bits = b;
        return result;
    }

    // The 16 bits of float `value` rounded to nearest even.  Adding 0x7FFF plus
    // the lowest kept bit carries into the kept bits exactly when the dropped
    // half is above one half, or exactly one half with an odd kept part; the
    // carry may run into the exponent, which is right (the next binade, or
    // infinity from the largest finite floats).
    static constexpr std::uint16_t round_to_nearest_even(float value) noexcept {
        auto u = std::bit_cast<std::uint32_t>(value);
        if ((u & 0x7FFFFFFFu) > 0x7F800000u) return 0x7FC0;  // NaN
        return static_cast<std::uint16_t>((u + 0x7FFFu + ((u >> 16) & 1u)) >> 16);
    }
};

static_assert(sizeof(bfloat16) == 2 && std::is_trivially_copyable_v<bfloat16> &&
              std::is_standard_layout_v<bfloat16>);

// The type a storage type is computed in: itself for float and double, float
// for bfloat16.
template <class T> struct compute_type { using type = T; };
template <> struct compute_type<bfloat16> { using type = float; };
template <class T> using compute_type_t = typename compute_type<T>::type;

}  // namespace actx
