// bfloat16 storage: the conversions against an independent definition (the
// value of a bfloat16 written from its fields, and rounding to nearest even
// decided by comparing distances in double), exhaustively over the 65536
// patterns; the vector loads and stores against the same; and the kernel's
// forward on bfloat16 arrays against float's, rounded once, for every input
// pattern, in every position, misaligned, in place, and its checks.
#include <actx/catalogue.hpp>
#include <actx/kernel/kernel.hpp>

#include <boost/test/unit_test.hpp>

#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <random>
#include <string>
#include <type_traits>
#include <vector>

using namespace actx;

namespace {
constexpr auto x = var<0>;

static_assert(sizeof(bfloat16) == 2 && std::is_trivially_copyable_v<bfloat16> && std::is_standard_layout_v<bfloat16>);

// The value of a bfloat16 bit pattern from its fields: sign, 8-bit biased
// exponent, 7-bit fraction; 0x7F80 (exponent all ones, fraction 0) is read
// as 2^128, which is where infinity sits for rounding.
double value_of(std::uint16_t bits) {
    double sign = (bits & 0x8000) ? -1.0 : 1.0;
    int exponent = (bits >> 7) & 0xFF;
    int fraction = bits & 0x7F;
    if (exponent == 0) return sign * std::ldexp(fraction, -133);
    return sign * std::ldexp(128 + fraction, exponent - 134);
}

bool is_nan_pattern(std::uint16_t bits) { return (bits & 0x7F80) == 0x7F80 && (bits & 0x7F) != 0; }

// Round to nearest, ties to even, written as the definition: the two
// bfloat16 neighbours of f (f truncated, and the next one away from zero)
// and whichever is nearer, the even one on a tie.  NaN is 0x7FC0, as
// c10::BFloat16's.
std::uint16_t reference_round(float f) {
    if (std::isnan(f)) return 0x7FC0;
    std::uint32_t u;
    std::memcpy(&u, &f, 4);
    auto below = static_cast<std::uint16_t>(u >> 16);
    if ((below & 0x7FFF) == 0x7F80) return below;  // infinity
    auto above = static_cast<std::uint16_t>(below + 1);
    double exact = f, d_below = std::abs(exact - value_of(below)), d_above = std::abs(value_of(above) - exact);
    if (d_below < d_above) return below;
    if (d_above < d_below) return above;
    return (below & 1) ? above : below;
}

std::uint32_t bits_of(float f) {
    std::uint32_t u;
    std::memcpy(&u, &f, 4);
    return u;
}

// Floats around every bfloat16: exact, just above, just below the halfway
// point, exactly halfway, and a few random low halves.
std::vector<float> floats_around_every_bfloat16() {
    std::mt19937 rng(5);
    std::uniform_int_distribution<std::uint32_t> low(0, 0xFFFF);
    std::vector<float> out;
    for (std::uint32_t high = 0; high < 0x10000; ++high) {
        for (std::uint32_t l : {0u, 1u, 0x7FFFu, 0x8000u, 0x8001u, 0xFFFFu, low(rng), low(rng)}) {
            std::uint32_t u = (high << 16) | l;
            float f;
            std::memcpy(&f, &u, 4);
            out.push_back(f);
        }
    }
    return out;
}
}  // namespace

BOOST_AUTO_TEST_CASE(to_float_is_exact_for_every_pattern) {
    for (std::uint32_t b = 0; b < 0x10000; ++b) {
        auto h = bfloat16::from_bits(static_cast<std::uint16_t>(b));
        float f = h;
        BOOST_REQUIRE_EQUAL(bits_of(f), b << 16);
        if (is_nan_pattern(static_cast<std::uint16_t>(b))) {
            BOOST_REQUIRE(std::isnan(f));
        } else if ((b & 0x7FFF) == 0x7F80) {
            BOOST_REQUIRE(std::isinf(f) && std::signbit(f) == bool(b & 0x8000));
        } else {
            BOOST_REQUIRE_EQUAL(double(f), value_of(static_cast<std::uint16_t>(b)));
        }
    }
}

BOOST_AUTO_TEST_CASE(from_float_rounds_to_nearest_even) {
    // Named cases first, so that a failure says what it is about.
    auto rounds = [](float f) { return bfloat16(f).bits; };
    BOOST_TEST(rounds(1.0f) == 0x3F80);
    BOOST_TEST(rounds(std::bit_cast<float>(0x3F808000u)) == 0x3F80);  // halfway, even below
    BOOST_TEST(rounds(std::bit_cast<float>(0x3F818000u)) == 0x3F82);  // halfway, even above
    BOOST_TEST(rounds(std::bit_cast<float>(0x3F808001u)) == 0x3F81);  // just above halfway
    BOOST_TEST(rounds(std::bit_cast<float>(0x7F7F7FFFu)) == 0x7F7F);  // largest finite stays
    BOOST_TEST(rounds(std::bit_cast<float>(0x7F7F8000u)) == 0x7F80);  // overflows to infinity
    BOOST_TEST(rounds(std::numeric_limits<float>::max()) == 0x7F80);
    BOOST_TEST(rounds(-std::numeric_limits<float>::max()) == 0xFF80);
    BOOST_TEST(rounds(std::numeric_limits<float>::infinity()) == 0x7F80);
    BOOST_TEST(rounds(-std::numeric_limits<float>::infinity()) == 0xFF80);
    BOOST_TEST(rounds(std::bit_cast<float>(0x7F800001u)) == 0x7FC0);  // a NaN whose high half is infinity's
    BOOST_TEST(rounds(std::bit_cast<float>(0xFFC12345u)) == 0x7FC0);
    BOOST_TEST(rounds(std::numeric_limits<float>::denorm_min()) == 0x0000);
    BOOST_TEST(rounds(std::bit_cast<float>(0x00008000u)) == 0x0000);  // subnormal halfway, even below
    BOOST_TEST(rounds(std::bit_cast<float>(0x00018000u)) == 0x0002);  // subnormal halfway, even above
    BOOST_TEST(rounds(std::bit_cast<float>(0x007FFFFFu)) == 0x0080);  // largest subnormal to smallest normal
    BOOST_TEST(rounds(-0.0f) == 0x8000);

    auto floats = floats_around_every_bfloat16();
    for (float f : floats)
        BOOST_REQUIRE_MESSAGE(bfloat16(f).bits == reference_round(f), "float bits " << std::hex << bits_of(f));
}

// The vector loads and stores (AVX-512, AVX2 or SSE2 intrinsics, whichever
// this build targets) against the scalar definitions, lane by lane.
BOOST_AUTO_TEST_CASE(vector_load_and_store_match_the_definitions) {
    constexpr std::size_t W = vector_values::width<bfloat16>;
    BOOST_TEST_MESSAGE("floats per vector: " << W);
    std::vector<bfloat16> all(0x10000);
    for (std::uint32_t b = 0; b < 0x10000; ++b) all[b] = bfloat16::from_bits(static_cast<std::uint16_t>(b));
    for (std::size_t i = 0; i < all.size(); i += W) {
        auto v = vector_values::load(&all[i]);
        float lanes[W];
        v.store(lanes);
        for (std::size_t l = 0; l < W; ++l) BOOST_REQUIRE_EQUAL(bits_of(lanes[l]), std::uint32_t(i + l) << 16);
    }
    auto floats = floats_around_every_bfloat16();
    std::vector<bfloat16> stored(floats.size() + 1);
    for (std::size_t i = 0; i + W <= floats.size(); i += W) {
        // At an odd element: the stores are unaligned.
        vector_values::store(vector::pack<float>::load(&floats[i]), &stored[i + 1]);
        for (std::size_t l = 0; l < W; ++l)
            BOOST_REQUIRE_MESSAGE(stored[i + 1 + l].bits == reference_round(floats[i + l]),
                                  "float bits " << std::hex << bits_of(floats[i + l]));
    }
}

namespace {
std::vector<bfloat16> every_bfloat16() {
    std::vector<bfloat16> all(0x10000);
    for (std::uint32_t b = 0; b < 0x10000; ++b) all[b] = bfloat16::from_bits(static_cast<std::uint16_t>(b));
    return all;
}

// forward on bfloat16 arrays is float's forward on the widened inputs,
// rounded once: for every input pattern, on the vector and the scalar
// policies, and wherever an element sits in the array.
template <class F>
void check_forward(F f, std::mt19937& rng) {
    auto all = every_bfloat16();
    std::vector<float> widened(all.begin(), all.end()), in_float(all.size());
    kernel(f).forward(widened, in_float);
    std::vector<std::uint16_t> expected(all.size());
    for (std::size_t i = 0; i < all.size(); ++i) expected[i] = reference_round(in_float[i]);

    std::vector<bfloat16> out(all.size());
    kernel(f).forward(all, out);
    for (std::size_t i = 0; i < all.size(); ++i)
        BOOST_REQUIRE_MESSAGE(out[i].bits == expected[i], "at x = " << float(all[i]) << ": " << float(out[i])
                                                                    << ", float's rounded "
                                                                    << float(bfloat16::from_bits(expected[i])));

    // The scalar policy against its own float path, rounded once.
    std::vector<float> scalar_float(all.size());
    std::vector<bfloat16> scalar_out(all.size());
    kernel_with<scalar_values, F>{}.forward(widened, scalar_float);
    kernel_with<scalar_values, F>{}.forward(all, scalar_out);
    for (std::size_t i = 0; i < all.size(); ++i) BOOST_REQUIRE(scalar_out[i].bits == reference_round(scalar_float[i]));

    // Odd sizes and offsets (a bfloat16 array at an odd element is only
    // 2-byte aligned), so each pattern is met in the body and in the tail.
    std::uniform_int_distribution<std::size_t> size(0, 100), offset(0, 15), start(0, all.size() - 200);
    for (int round = 0; round < 200; ++round) {
        std::size_t n = size(rng), o = offset(rng), s = start(rng);
        std::vector<bfloat16> storage(n + o + 1), result(n + o + 1, bfloat16::from_bits(0x1234));
        std::memcpy(storage.data() + o, all.data() + s, n * sizeof(bfloat16));
        std::span<bfloat16 const> xs(storage.data() + o, n);
        std::span<bfloat16> ys(result.data() + o, n);
        kernel(f).forward(xs, ys);
        for (std::size_t i = 0; i < n; ++i) BOOST_REQUIRE(ys[i].bits == expected[s + i]);
        for (std::size_t i = 0; i < o; ++i) BOOST_REQUIRE(result[i].bits == 0x1234);  // nothing written outside
        BOOST_REQUIRE(result[n + o].bits == 0x1234);
        // In place.
        std::span<bfloat16> in_place(storage.data() + o, n);
        kernel(f).template forward<bfloat16>({in_place}, {in_place});
        for (std::size_t i = 0; i < n; ++i) BOOST_REQUIRE(in_place[i].bits == expected[s + i]);
    }
}
}  // namespace

BOOST_AUTO_TEST_CASE(forward_is_float_forward_rounded_once) {
    std::mt19937 rng(3);
    boost::hana::for_each(catalogue::unary, [&](auto entry) {
        if constexpr (arity_of<decltype(entry.expression)>::params == 0) {
            BOOST_TEST_CONTEXT(entry.name) { check_forward(entry.expression, rng); }
        }
    });
    // The identity: a load and a store, so every pattern comes back, NaNs as 0x7FC0.
    auto all = every_bfloat16();
    std::vector<bfloat16> copy(all.size());
    kernel(x).forward(all, copy);
    for (std::uint32_t b = 0; b < 0x10000; ++b)
        BOOST_REQUIRE(copy[b].bits == (is_nan_pattern(static_cast<std::uint16_t>(b)) ? 0x7FC0 : b));
}

// The general form: two inputs, and a per-channel parameter in bfloat16.
BOOST_AUTO_TEST_CASE(several_inputs_and_parameters) {
    std::mt19937 rng(9);
    std::uniform_real_distribution<float> values(-6.f, 6.f);
    std::size_t const n = 3 * 37;
    std::vector<bfloat16> a(n), b(n), y(n);
    for (std::size_t i = 0; i < n; ++i) a[i] = bfloat16(values(rng)), b[i] = bfloat16(values(rng));
    kernel(swiglu(var<0>, var<1>)).forward<bfloat16>({a, b}, {y});
    std::vector<float> af(a.begin(), a.end()), bf(b.begin(), b.end()), yf(n);
    kernel(swiglu(var<0>, var<1>)).forward<float>({af, bf}, {yf});
    for (std::size_t i = 0; i < n; ++i) BOOST_REQUIRE(y[i].bits == reference_round(yf[i]));

    // PReLU with three slopes, channels last: x > 0 ? x : slope x, in float.
    std::vector<bfloat16> slopes{bfloat16(0.1f), bfloat16(0.25f), bfloat16(-0.5f)};
    kernel(prelu(x, param<0>)).forward<bfloat16>({a}, {y}, {slopes}, channels_last(3));
    for (std::size_t i = 0; i < n; ++i) {
        float v = a[i], slope = slopes[i % 3];
        BOOST_REQUIRE(y[i].bits == reference_round(v > 0 ? v : slope * v));
    }
}

BOOST_AUTO_TEST_CASE(misuse_is_rejected_and_nothing_is_written) {
    auto k = kernel(gelu(x));
    std::vector<bfloat16> xs(64, bfloat16(1.0f)), ys(64, bfloat16(-7.0f));
    auto untouched = [&] {
        for (auto v : ys)
            if (v.bits != bfloat16(-7.0f).bits) return false;
        return true;
    };
    auto rejects = [&](auto call, char const* words) {
        try {
            call();
        } catch (std::invalid_argument const& e) {
            BOOST_TEST_MESSAGE(e.what());
            return std::string(e.what()).find(words) != std::string::npos;
        }
        return false;
    };
    BOOST_TEST(rejects([&] { k.forward(xs, std::span<bfloat16>(ys).first(63)); }, "output 0 has 63 elements, input 0 has 64"));
    BOOST_TEST(untouched());
    BOOST_TEST(rejects([&] { k.forward(std::span<bfloat16 const>(ys).first(32), std::span<bfloat16>(ys).subspan(16, 32)); },
                       "overlap"));
    BOOST_TEST(untouched());
    // One element of overlap: the check counts bytes of bfloat16, not of float.
    BOOST_TEST(rejects([&] { k.forward(std::span<bfloat16 const>(ys).first(32), std::span<bfloat16>(ys).subspan(31, 32)); },
                       "overlap"));
    BOOST_TEST(untouched());
    k.forward(std::span<bfloat16 const>(ys).first(32), std::span<bfloat16>(ys).subspan(32, 32));  // adjacent: fine
    BOOST_TEST(!untouched());
}
