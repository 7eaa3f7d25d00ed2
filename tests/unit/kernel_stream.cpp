// Streaming stores change where results go, never what they are.  Every
// activation of the catalogue is held to the bits of ordinary stores at
// random offsets and sizes in tests/unit/kernel.cpp (check_streaming), with
// the kernels that test compiles anyway; here, relu's exact values,
// parameter gradients, two inputs, and the defaults.
#include <actx/catalogue.hpp>
#include <actx/kernel/kernel.hpp>

#include <boost/test/unit_test.hpp>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <random>
#include <utility>
#include <vector>

#include "../kernels/compiled.hpp"

using namespace actx;

namespace {
constexpr auto x = var<0>;

template <class T>
std::vector<T> random_values(std::mt19937& rng, std::size_t n) {
    std::uniform_real_distribution<double> values(-12.0, 12.0);
    std::uniform_int_distribution<int> pick(0, 99);
    std::vector<T> v(n);
    for (auto& e : v) {
        int p = pick(rng);
        if (p == 0) e = std::numeric_limits<T>::quiet_NaN();
        else if (p == 1) e = -std::numeric_limits<T>::infinity();
        else if (p == 2) e = T(0);
        else e = T(values(rng));
    }
    return v;
}

// random_values with every NaN and infinity replaced by `instead`.
template <class T>
std::vector<T> finite_values(std::mt19937& rng, std::size_t n, T instead) {
    auto v = random_values<T>(rng, n);
    for (auto& e : v) if (!std::isfinite(e)) e = instead;
    return v;
}

template <class T>
bool same_bits(T a, T b) {
    return std::memcmp(&a, &b, sizeof(T)) == 0;
}

auto const streaming = execution{.stream_above = stream_always};
auto const ordinary = execution{.stream_above = stream_never};
}  // namespace

// relu is exact: the streamed output is max(x, 0) itself, NaN kept (PyTorch:
// relu(NaN) = NaN), and relu'(0) = 0.
BOOST_AUTO_TEST_CASE(streamed_relu_is_exact) {
    std::mt19937 rng(5);
    auto k = actx_test::compiled_kernel<float>(relu(x)).with(streaming);
    for (std::size_t offset = 0; offset < 16; ++offset) {
        std::size_t n = 1000 + offset;
        auto storage = random_values<float>(rng, n + offset);
        std::span<float const> xs(storage.data() + offset, n);
        std::vector<float> out_storage(n + 2 * offset + 1, 7.0f), dy(n, 1.5f), dx(n);
        std::span<float> ys(out_storage.data() + 2 * offset + 1, n);
        k.forward(xs, ys);
        k.backward(xs, dy, dx);
        for (std::size_t i = 0; i < n; ++i) {
            float v = xs[i];
            if (std::isnan(v)) {
                BOOST_REQUIRE(std::isnan(ys[i]));
            } else {
                BOOST_REQUIRE(same_bits(ys[i], v > 0 ? v : 0.0f));
                BOOST_REQUIRE(same_bits(dx[i], v > 0 ? 1.5f : 0.0f));
            }
        }
        for (std::size_t i = 0; i < 2 * offset + 1; ++i) BOOST_REQUIRE(out_storage[i] == 7.0f);
    }
}

// Gated pair (two inputs) and parameter gradients: where an element goes in
// a sum depends on its position alone (kernel.hpp, accumulate), so moving
// where the vectors start changes nothing.  Channels last (each lane its
// channel's sum), blocks shorter than the keyed sums (added in order) and
// longer (keyed, the vectors after a streaming head at keys not a multiple
// of their width), and one slope.
BOOST_AUTO_TEST_CASE(parameter_gradients_and_two_inputs_are_unchanged_by_streaming) {
    std::mt19937 rng(17);
    auto k = kernel(prelu(x, param<0>));
    for (std::size_t offset : {0u, 1u, 3u, 5u, 11u}) {
        std::size_t const channels = 7, n = channels * 2000;
        auto xs_storage = finite_values(rng, n + offset, -2.5f), dy_storage = finite_values(rng, n + offset, 0.5f);
        std::span<float const> xs(xs_storage.data() + offset, n), dys(dy_storage.data() + offset, n);
        std::vector<float> const slopes{0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f, 0.7f};
        for (auto layout : {channels_last(channels), channels_first(channels, 50), channels_first(channels, 2000),
                            channel_layout{}}) {
            std::size_t const values = layout.channels;  // 1 for one slope
            std::span<float const> slope(slopes.data(), values);
            std::vector<float> dx_storage(n + offset + 2), dx_ref(n), grad(values), grad_ref(values);
            std::span<float> dx(dx_storage.data() + offset + 2, n);
            k.with(ordinary).backward<float>({xs}, {dys}, {dx_ref}, {slope}, {grad_ref}, layout);
            k.with(streaming).backward<float>({xs}, {dys}, {dx}, {slope}, {grad}, layout);
            for (std::size_t i = 0; i < n; ++i) BOOST_REQUIRE(same_bits(dx[i], dx_ref[i]));
            // And the sums themselves, against a double loop written out here.
            std::vector<double> expected(values, 0.0);
            for (std::size_t e = 0; e < n; ++e)
                if (xs[e] <= 0) expected[(e / layout.inner) % values] += double(dys[e]) * xs[e];
            for (std::size_t c = 0; c < values; ++c) {
                BOOST_REQUIRE(same_bits(grad[c], grad_ref[c]));
                BOOST_TEST(grad[c] == expected[c], boost::test_tools::tolerance(1e-5));
            }
        }
    }

    auto gated = kernel(swiglu(var<0>, var<1>));
    std::size_t const n = 4099;
    auto a = random_values<float>(rng, n + 1), b = random_values<float>(rng, n + 2), dy = random_values<float>(rng, n);
    std::span<float const> as(a.data() + 1, n), bs(b.data() + 2, n);
    std::vector<float> y(n + 3), da(n + 1), db(n), y_ref(n), da_ref(n), db_ref(n);
    gated.with(ordinary).forward_backward<float>({as, bs}, {dy}, {y_ref}, {da_ref, db_ref});
    gated.with(streaming).forward_backward<float>({as, bs}, {dy}, {std::span<float>(y).subspan(3)},
                                                  {std::span<float>(da).subspan(1), db});
    for (std::size_t i = 0; i < n; ++i) {
        BOOST_REQUIRE(same_bits(y[i + 3], y_ref[i]));
        BOOST_REQUIRE(same_bits(da[i + 1], da_ref[i]));
        BOOST_REQUIRE(same_bits(db[i], db_ref[i]));
    }
}

// The same sums from the scalar kernel (one element at a time) and the
// vector one, in float and double: the keyed sums make them independent of
// the vectors' width, so every instruction set gives these bits.  One
// slope, channels first in blocks shorter and longer than the keys, and
// channels last; sizes with tails, and one that crosses a chunk.
template <class T>
void check_gradients_against_scalar() {
    std::mt19937 rng(23);
    auto const vector_kernel = kernel(prelu(x, param<0>)).with(ordinary);
    kernel_with<scalar_values, decltype(prelu(x, param<0>))> scalar_kernel;
    struct shape {
        channel_layout layout;
        std::size_t n;
    };
    std::vector<shape> const shapes = {
        {channel_layout{}, 0},       {channel_layout{}, 5},        {channel_layout{}, 63},
        {channel_layout{}, 64},      {channel_layout{}, 1001},     {channel_layout{}, 70001},
        {channels_first(3, 5), 150}, {channels_first(3, 64), 384}, {channels_first(5, 999), 4995},
        {channels_last(5), 505},     {channels_last(100), 3000},
    };
    std::vector<T> const slopes{T(0.25), T(-0.5), T(2), T(0.125), T(3)};
    for (auto const& [layout, n] : shapes) {
        BOOST_TEST_CONTEXT(layout.channels << " channels of " << layout.inner << ", n = " << n) {
            std::vector<T> slope(layout.channels);
            for (std::size_t c = 0; c < slope.size(); ++c) slope[c] = slopes[c % slopes.size()];
            auto xs = finite_values<T>(rng, n + 1, T(-2.5)), dys = finite_values<T>(rng, n + 1, T(0.5));
            std::span<T const> xv(xs.data() + 1, n), dyv(dys.data() + 1, n);  // misaligned
            std::vector<T> dx(n), dx_ref(n), grad(slope.size()), grad_ref(slope.size());
            vector_kernel.template backward<T>({xv}, {dyv}, {dx}, {slope}, {grad}, layout);
            scalar_kernel.template backward<T>({xv}, {dyv}, {dx_ref}, {slope}, {grad_ref}, layout);
            for (std::size_t c = 0; c < slope.size(); ++c) BOOST_TEST(same_bits(grad[c], grad_ref[c]), "value " << c);
        }
    }
}

BOOST_AUTO_TEST_CASE(parameter_gradients_do_not_depend_on_the_vector_width) {
    check_gradients_against_scalar<float>();
    check_gradients_against_scalar<double>();
}

// The default threshold is a cache size, and a kernel is single-threaded
// and streams above it unless told otherwise.
BOOST_AUTO_TEST_CASE(defaults) {
    BOOST_TEST(last_level_cache_bytes() >= std::size_t{1} << 16);
    BOOST_TEST(last_level_cache_bytes() == last_level_cache_bytes());
    execution how;
    BOOST_TEST(how.threads == 1u);
    BOOST_TEST(!how.executor);
    BOOST_TEST(how.stream_above == stream_above_cache);
}

// CPUID's cache descriptors, encoded as Intel's and AMD's manuals give them
// (each field stored minus one), against sizes worked out by hand.
BOOST_AUTO_TEST_CASE(cache_sizes_from_cpuid) {
    auto descriptor = [](unsigned ways, unsigned partitions, unsigned line, unsigned sets) {
        return std::pair<std::uint32_t, std::uint32_t>{((ways - 1) << 22) | ((partitions - 1) << 12) | (line - 1),
                                                       sets - 1};
    };
    // A Zen 4 core complex's L3: 16 ways, 64-byte lines, 32768 sets.
    auto [zen_b, zen_c] = descriptor(16, 1, 64, 32768);
    BOOST_TEST(detail::cache_descriptor_bytes(zen_b, zen_c) == std::size_t{32} << 20);
    // A 105 MiB L3: 15 ways, 64-byte lines, 114688 sets.
    auto [xeon_b, xeon_c] = descriptor(15, 1, 64, 114688);
    BOOST_TEST(detail::cache_descriptor_bytes(xeon_b, xeon_c) == std::size_t{105} << 20);
    // A 48 KiB L1 with 2 partitions: 12 x 2 x 32 x 64.
    auto [l1_b, l1_c] = descriptor(12, 2, 32, 64);
    BOOST_TEST(detail::cache_descriptor_bytes(l1_b, l1_c) == std::size_t{48} << 10);
    // Ways, line size and sets at their largest (1024 x 4096 x 2^32): no
    // 32-bit wrap-around.
    BOOST_TEST(detail::cache_descriptor_bytes((0x3ffu << 22) | 0xfffu, 0xffffffffu) == std::size_t{1} << 54);

    // 0x80000006's EDX: the L3 in 512 KiB units in bits 31:18, at most one
    // core complex's 32 MiB (bits 17:0 are other fields, ignored).
    BOOST_TEST(detail::amd_l3_bytes((16u << 18) | 0x3ffffu) == std::size_t{8} << 20);
    BOOST_TEST(detail::amd_l3_bytes(64u << 18) == std::size_t{32} << 20);
    BOOST_TEST(detail::amd_l3_bytes(1016u << 18) == std::size_t{32} << 20);  // 508 MiB: a package
    BOOST_TEST(detail::amd_l3_bytes(0x3ffffu) == 0u);                        // no L3
}

// Which destinations stream: a call over n floats moves 4n bytes of every
// distinct array, and a destination that is also an input never streams
// unless streaming is forced.
BOOST_AUTO_TEST_CASE(the_bytes_moved_decide_and_in_place_keeps_ordinary_stores) {
    std::vector<float> a(8), b(8), c(8), d(8);
    std::array<float const*, 2> two_inputs{a.data(), b.data()};
    std::array<float const*, 1> one_input{a.data()};
    std::array<float*, 1> separate{c.data()};
    std::array<float*, 1> in_place{a.data()};
    std::array<float*, 2> output_and_gradient{c.data(), d.data()};
    std::array<float*, 2> in_place_and_gradient{a.data(), d.data()};
    using detail::streamed_destinations;
    using streams = std::array<bool, 1>;
    using two_streams = std::array<bool, 2>;

    // forward over 1000 floats: x and y, 8000 bytes.
    BOOST_TEST((streamed_destinations(one_input, separate, 1000, 7999) == streams{true}));
    BOOST_TEST((streamed_destinations(one_input, separate, 1000, 8000) == streams{false}));
    // backward: x, dy and dx, 12000 bytes; more than the 4000 bytes written.
    BOOST_TEST((streamed_destinations(two_inputs, separate, 1000, 11999) == streams{true}));
    BOOST_TEST((streamed_destinations(two_inputs, separate, 1000, 12000) == streams{false}));
    // x passed twice (as x and as dy) is one array: 8000 bytes.
    std::array<float const*, 2> same_twice{a.data(), a.data()};
    BOOST_TEST((streamed_destinations(same_twice, separate, 1000, 7999) == streams{true}));
    BOOST_TEST((streamed_destinations(same_twice, separate, 1000, 8000) == streams{false}));
    // forward_backward: x, dy, y and dx, 16000 bytes, both destinations.
    BOOST_TEST((streamed_destinations(two_inputs, output_and_gradient, 1000, 15999) == two_streams{true, true}));
    BOOST_TEST((streamed_destinations(two_inputs, output_and_gradient, 1000, 16000) == two_streams{false, false}));

    // In place: one array, 4000 bytes, and never streamed by a threshold.
    BOOST_TEST((streamed_destinations(one_input, in_place, 1000, 0) == streams{true}));  // stream_always
    BOOST_TEST((streamed_destinations(one_input, in_place, 1000, 1) == streams{false}));
    BOOST_TEST((streamed_destinations(two_inputs, in_place_and_gradient, 1000, 1) == two_streams{false, true}));
    BOOST_TEST((streamed_destinations(two_inputs, in_place_and_gradient, 1000, stream_always) ==
                two_streams{true, true}));

    // Nothing to write, or never.
    BOOST_TEST((streamed_destinations(one_input, separate, 0, stream_always) == streams{false}));
    BOOST_TEST((streamed_destinations(one_input, separate, 1000, stream_never) == streams{false}));
    BOOST_TEST((streamed_destinations(two_inputs, output_and_gradient, std::size_t{1} << 40, stream_never) ==
                two_streams{false, false}));
}
