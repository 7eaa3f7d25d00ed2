// The fused kernel against scalar evaluation of the same expressions, on
// random sizes, offsets, values and aliasing, with and without streaming
// stores; its exceptional elements; and its checks on misuse.
//
// Test cost: 90 (ctest -j starts the costliest tests first; 25 to 55 s in a
// Release build, and the longest test under the sanitizers).
#include <actx/catalogue.hpp>
#include <actx/kernel/kernel.hpp>

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <array>
#include <bit>
#include <cfloat>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <iterator>
#include <limits>
#include <random>
#include <type_traits>
#include <utility>
#include <vector>

#include "../kernels/compiled.hpp"
#include "agreement.hpp"
#include "sanitized.hpp"

#if __has_include(<sys/mman.h>) && __has_include(<unistd.h>)
#include <sys/mman.h>
#include <unistd.h>
#define ACTX_TEST_GUARD_PAGES 1
#endif

using namespace actx;

namespace {
constexpr auto x = var<0>;

#if ACTX_TEST_SLOW
constexpr int rounds = 40;
#else
constexpr int rounds = 200;
#endif

// A uniform double in [lo, hi) from 32 random bits.  Not
// std::uniform_real_distribution: libstdc++'s generate_canonical takes two
// long double logarithms for every number it draws, which g++ folds and
// clang++ 14 does not; they were a third of this test's time under clang++.
double uniform(std::mt19937& rng, double lo, double hi) {
    return lo + (hi - lo) * (double(rng()) * 0x1p-32);
}

// How many floats apart a and the float nearest `exact` are: a's error in
// ULP, to within the half ULP of that rounding, where exact is a normal
// float.
std::int64_t float_steps(float a, double exact) {
    auto key = [](float v) {
        std::int32_t i;
        std::memcpy(&i, &v, sizeof i);
        return i < 0 ? -(i & 0x7fffffff) : i;
    };
    return std::abs(static_cast<std::int64_t>(key(a)) - key(static_cast<float>(exact)));
}

// A value of random sign and mantissa between the smallest subnormal and
// 2^40 times the smallest normal: where intermediates underflow, and where
// the exceptional-element rules (results below 2^-100) decide.
template <class T>
T tiny_value(std::mt19937& rng) {
    constexpr int lowest = std::numeric_limits<T>::min_exponent - std::numeric_limits<T>::digits;
    constexpr int span = std::numeric_limits<T>::digits + 40;
    T const magnitude = std::ldexp(T(uniform(rng, 1.0, 2.0)), lowest + int(rng() % span));
    return rng() % 2 ? magnitude : -magnitude;
}

// Random values over the range that matters, with the specials and tiny
// values mixed in.
template <class T>
std::vector<T> random_values(std::mt19937& rng, std::size_t n) {
    std::vector<T> v(n);
    for (auto& e : v) {
        auto p = rng() % 100;
        if (p == 0) e = std::numeric_limits<T>::quiet_NaN();
        else if (p == 1) e = std::numeric_limits<T>::infinity();
        else if (p == 2) e = -std::numeric_limits<T>::infinity();
        else if (p == 3) e = T(0);
        else if (p == 4) e = std::numeric_limits<T>::denorm_min();
        else if (p < 8) e = tiny_value<T>(rng);
        else if (p < 40) e = T(uniform(rng, -40.0, 40.0));
        else e = T(uniform(rng, -4.0, 4.0));
    }
    return v;
}

// A kernel's passes on arrays of T, as compiled once for the kernel tests
// (tests/kernels/compiled.hpp): the checks below are compiled once for each
// value type, not once for each activation.
using actx_test::passes;

template <class T>
bool same_bits(T a, T b) {
    return std::memcmp(&a, &b, sizeof(T)) == 0;
}

// The first i < n at which ok(i) fails, or n: the loops over every element
// assert once per array (an assertion per element cost more than the
// kernels), and the message names that element.
template <class Ok>
std::size_t first_failure(std::size_t n, Ok ok) {
    std::size_t i = 0;
    while (i < n && ok(i)) ++i;
    return i;
}
// r[i] for a message, NaN past the end (a passing check's message is
// formatted too when assertions that pass are logged).
template <class R>
auto element(R const& r, std::size_t i) {
    using T = std::remove_cvref_t<decltype(r[0])>;
    return i < std::size(r) ? r[i] : std::numeric_limits<T>::quiet_NaN();
}

auto const streaming = execution{.stream_above = stream_always};
auto const ordinary = execution{.stream_above = stream_never};

// Streaming stores change where results go, never what they are: the
// passes with them give the bits of the ordinary stores (y, dx, from
// forward and backward) at every offset of the destinations (the peeled
// head and the tail go through masked moves or full-width copies), with two destinations
// aligned differently, and in place; and they write nothing outside.
template <class T>
void check_streaming(passes<T> const& k, std::span<T const> xs, std::span<T const> dys, std::vector<T> const& y,
                     std::vector<T> const& dx, std::mt19937& rng) {
    auto const streamed = k.with(streaming);
    std::uniform_int_distribution<std::size_t> offset(0, 17);
    std::size_t const n = xs.size(), oy = offset(rng), odx = offset(rng);
    constexpr T untouched = T(-1.25);
    std::vector<T> y_storage(n + oy + 1, untouched), dx_storage(n + odx + 1, untouched);
    std::span<T> ys(y_storage.data() + oy, n), dxs(dx_storage.data() + odx, n);
    auto outside_untouched = [&](std::vector<T> const& storage, std::size_t offset) {
        return first_failure(offset, [&](std::size_t e) { return same_bits(storage[e], untouched); }) == offset &&
               same_bits(storage.back(), untouched);
    };
    auto check = [&](char const* pass) {
        std::size_t i = first_failure(n, [&](std::size_t e) { return same_bits(ys[e], y[e]); });
        BOOST_REQUIRE_MESSAGE(i == n, pass << ", output " << i << " of " << n << ", offset " << oy);
        i = first_failure(n, [&](std::size_t e) { return same_bits(dxs[e], dx[e]); });
        BOOST_REQUIRE_MESSAGE(i == n, pass << ", gradient " << i << " of " << n << ", offset " << odx);
        BOOST_REQUIRE_MESSAGE(outside_untouched(y_storage, oy), pass << " wrote outside the output");
        BOOST_REQUIRE_MESSAGE(outside_untouched(dx_storage, odx), pass << " wrote outside the gradient");
    };
    streamed.forward(xs, ys);
    streamed.backward(xs, dys, dxs);
    check("forward and backward");
    std::fill(ys.begin(), ys.end(), untouched);
    std::fill(dxs.begin(), dxs.end(), untouched);
    streamed.forward_backward(xs, dys, ys, dxs);
    check("forward_backward");
    // In place: the output is exactly the input, at the output's offset.
    std::fill(y_storage.begin(), y_storage.end(), untouched);
    std::copy(xs.begin(), xs.end(), ys.begin());
    streamed.forward(std::span<T const>(ys), ys);
    std::size_t i = first_failure(n, [&](std::size_t e) { return same_bits(ys[e], y[e]); });
    BOOST_REQUIRE_MESSAGE(i == n, "in place, element " << i << " of " << n << ", offset " << oy);
    BOOST_REQUIRE_MESSAGE(outside_untouched(y_storage, oy), "in place wrote outside the array");
}

// The scalar kernel (one element at a time, same DAG) is the reference for
// the vector one: the same expressions, evaluated by independent code paths.
// fast_kernel is held to the same agreement: its errors are a few ULP more
// (docs/accuracy.md), well within 16 epsilon.  kernel() with streaming
// stores is held to the bits of the ordinary ones.  Sizes up to 3000, and
// in every 50th round (4 of 200 per kernel, 1 of the sanitizer build's 40)
// across the 64K elements of a chunk (execution.hpp), which peels a
// streaming head of its own: at random sizes and offsets, for every
// activation and value type, of the one chunking code.  In those large
// rounds the scalar reference runs where the array starts and from 2000
// elements before the chunk boundary to the end; every element is still
// held to the other passes' bits (forward_backward, in place, streaming).
template <class T>
void check_against_scalar(passes<T> const& tested, passes<T> const& scalar_kernel, bool fast, std::mt19937& rng) {
    auto const vector_kernel = tested.with(ordinary);
    constexpr std::size_t chunk = detail::chunk_elements;
    std::uniform_int_distribution<std::size_t> size(0, 3000), large(chunk - 40, chunk + 300), offset(0, 7);
    for (int round = 0; round < rounds; ++round) {
        bool const crosses = round % 50 == 24;
        std::size_t n = crosses ? large(rng) : size(rng), o = offset(rng);
        auto storage = random_values<T>(rng, n + o);
        auto dy_storage = random_values<T>(rng, n + o);
        std::span<T const> xs(storage.data() + o, n), dys(dy_storage.data() + o, n);
        std::vector<T> y(n), dx(n), y_ref(n), dx_ref(n), y_fb(n), dx_fb(n);
        vector_kernel.forward(xs, y);
        vector_kernel.backward(xs, dys, dx);
        vector_kernel.forward_backward(xs, dys, y_fb, dx_fb);
        // [0, head) and [tail, n): the whole array unless it crosses a chunk.
        std::size_t const head = crosses ? 2000 : n, tail = crosses ? chunk - 2000 : n;
        auto referenced = [&](std::size_t e) { return e < head || e >= tail; };
        for (auto [from, to] : {std::pair{std::size_t{0}, head}, std::pair{tail, n}}) {
            std::size_t const count = to - from;
            scalar_kernel.forward(xs.subspan(from, count), std::span<T>(y_ref).subspan(from, count));
            scalar_kernel.backward(xs.subspan(from, count), dys.subspan(from, count),
                                   std::span<T>(dx_ref).subspan(from, count));
        }
        // forward_backward is the same arithmetic as the separate passes.
        std::size_t i = first_failure(n, [&](std::size_t e) {
            return same_value(y[e], y_fb[e]) && same_value(dx[e], dx_fb[e]);
        });
        BOOST_REQUIRE_MESSAGE(i == n, "forward_backward differs from forward and backward at x = " << element(xs, i));
        i = first_failure(n, [&](std::size_t e) { return !referenced(e) || agree(y[e], y_ref[e], T(0)); });
        BOOST_REQUIRE_MESSAGE(i == n, "forward at x = " << element(xs, i) << ": " << element(y, i) << ", scalar "
                                                        << element(y_ref, i));
        // Double arrays have no wider path: where f'(x) is at the edge of the
        // double subnormals (below 2^-1000), an infinite dy times it is 0 or
        // infinite as each code's f'(x) rounds to 0 or not (gelu'(-38.67) is
        // -2^-1074 in the vector code, 0 in the scalar one).
        auto underflowing_derivative = [&](std::size_t e) {
            if constexpr (std::is_same_v<T, double>) {
                if (!std::isinf(dys[e])) return false;
                T unit = 1, d = 0;
                scalar_kernel.backward(xs.subspan(e, 1), std::span<T const>(&unit, 1), std::span<T>(&d, 1));
                return std::abs(d) < T(0x1p-1000);
            }
            return false;
        };
        i = first_failure(n, [&](std::size_t e) {
            return !referenced(e) || agree(dx[e], dx_ref[e], dys[e]) || underflowing_derivative(e);
        });
        BOOST_REQUIRE_MESSAGE(i == n, "backward at x = " << element(xs, i) << ", dy = " << element(dys, i) << ": "
                                                         << element(dx, i) << ", scalar " << element(dx_ref, i));
        // An element's result does not depend on where it is: each element
        // alone (a one-element array, all tail) gives the same bits.
        for (std::size_t j = 0; j < n; j += 1 + n / 16) {
            T alone = 0;
            vector_kernel.forward(std::span<T const>(&xs[j], 1), std::span<T>(&alone, 1));
            BOOST_REQUIRE(same_value(alone, y[j]));
        }
        // In place gives the same bits as out of place.
        std::vector<T> in_place(xs.begin(), xs.end());
        vector_kernel.forward(in_place, in_place);
        i = first_failure(n, [&](std::size_t e) { return same_value(in_place[e], y[e]); });
        BOOST_REQUIRE_MESSAGE(i == n, "in place at x = " << element(xs, i));
        if (!fast) check_streaming(vector_kernel, xs, dys, y, dx, rng);
    }
}

// check(f) for every activation of the catalogue without parameters, in a
// test context that names it.
template <class Check>
void for_each_activation(Check check) {
    boost::hana::for_each(catalogue::unary, [&](auto entry) {
        if constexpr (arity_of<decltype(entry.expression)>::params == 0) {
            BOOST_TEST_CONTEXT(entry.name) { check(entry.expression); }
        }
    });
}
}  // namespace

BOOST_AUTO_TEST_CASE(every_activation_matches_scalar_evaluation) {
    std::mt19937 rng(20261123);
    for_each_activation([&](auto f) {
        using actx_test::compiled_kernel, actx_test::compiled_scalar_kernel;
        check_against_scalar(compiled_kernel<float>(f), compiled_scalar_kernel<float>(f), false, rng);
        check_against_scalar(compiled_kernel<double>(f), compiled_scalar_kernel<double>(f), false, rng);
        check_against_scalar(actx_test::compiled_fast_kernel(f), compiled_scalar_kernel<float>(f), true, rng);
    });
}

// NaN in, NaN out for gradients: a NaN upstream gradient makes the gradient
// NaN even where the derivative is 0 or a select ignores it (relu's
// x < 0), and so does a NaN input with any dy, 0 included.  37 elements:
// whole vectors and a tail.
template <class T>
void check_nan_gradients(passes<T> const& k) {
    constexpr T inf = std::numeric_limits<T>::infinity(), nan = std::numeric_limits<T>::quiet_NaN();
    const T grid[] = {-100, -3, -1, T(-0.0), 0, T(0.5), 3, 100, inf, -inf, std::numeric_limits<T>::denorm_min()};
    const std::size_t n = 37;
    std::vector<T> xs(n), dys(n, nan), dx(n), y(n), dx_fb(n);
    for (std::size_t i = 0; i < n; ++i) xs[i] = grid[i % std::size(grid)];
    k.backward(std::span<T const>(xs), std::span<T const>(dys), std::span<T>(dx));
    k.forward_backward(std::span<T const>(xs), std::span<T const>(dys), std::span<T>(y), std::span<T>(dx_fb));
    for (std::size_t i = 0; i < n; ++i) {
        BOOST_TEST_INFO("x = " << xs[i] << ", dy = NaN");
        BOOST_TEST(std::isnan(dx[i]));
        BOOST_TEST(std::isnan(dx_fb[i]));
    }
    std::vector<T> nans(n, nan);
    for (std::size_t i = 0; i < n; ++i) dys[i] = i % 2 ? T(0) : grid[i % std::size(grid)];
    k.backward(std::span<T const>(nans), std::span<T const>(dys), std::span<T>(dx));
    for (std::size_t i = 0; i < n; ++i) {
        BOOST_TEST_INFO("x = NaN, dy = " << dys[i]);
        BOOST_TEST(std::isnan(dx[i]));
    }
}

BOOST_AUTO_TEST_CASE(a_nan_input_or_upstream_gradient_gives_nan_gradients) {
    for_each_activation([](auto f) {
        check_nan_gradients(actx_test::compiled_kernel<float>(f));
        check_nan_gradients(actx_test::compiled_kernel<double>(f));
        check_nan_gradients(actx_test::compiled_fast_kernel(f));
    });
    // Both gradients of a gated pair, for a NaN dy.
    auto k = kernel(swiglu(var<0>, var<1>));
    std::vector<float> a = {-100.0f, -1.0f, 0.0f, 2.0f, 50.0f}, b = {0.0f, 1.0f, -3.0f, 0.0f, 7.0f};
    std::vector<float> dy(a.size(), std::numeric_limits<float>::quiet_NaN()), da(a.size()), db(a.size());
    k.backward<float>({a, b}, {dy}, {da, db});
    for (std::size_t i = 0; i < a.size(); ++i) {
        BOOST_TEST(std::isnan(da[i]));
        BOOST_TEST(std::isnan(db[i]));
    }
}

// fast_kernel is kernel with the approximations of math/vector/fast.hpp:
// where a kernel reads none of the primitives they replace, the same kernel
// (one type, compiled once) and so the same bits; where it does
// (has_fast_approximation), different ones somewhere on a grid, so the
// approximations are what runs.
BOOST_AUTO_TEST_CASE(fast_kernel_differs_exactly_where_it_approximates) {
    const std::size_t n = 4001;
    std::vector<float> xs(n), dys(n), y(n), dx(n), y_fast(n), dx_fast(n);
    for (std::size_t i = 0; i < n; ++i) {
        xs[i] = -20.0f + 40.0f * float(i) / float(n - 1);
        dys[i] = 1.0f - 2.0f * float(i % 7) / 6.0f;
    }
    boost::hana::for_each(catalogue::unary, [&](auto entry) {
        if constexpr (arity_of<decltype(entry.expression)>::params == 0) {
            using accurate_kernel = decltype(kernel(entry.expression));
            static_assert(accurate_kernel::has_fast_approximation !=
                          std::is_same_v<accurate_kernel, decltype(fast_kernel(entry.expression))>);
            auto accurate = actx_test::compiled_kernel<float>(entry.expression);
            auto fast = actx_test::compiled_fast_kernel(entry.expression);
            accurate.forward_backward(std::span<float const>(xs), std::span<float const>(dys), std::span<float>(y),
                                      std::span<float>(dx));
            fast.forward_backward(std::span<float const>(xs), std::span<float const>(dys), std::span<float>(y_fast),
                                  std::span<float>(dx_fast));
            std::size_t differ = 0;
            for (std::size_t i = 0; i < n; ++i) differ += !same_value(y[i], y_fast[i]) || !same_value(dx[i], dx_fast[i]);
            BOOST_TEST_CONTEXT(entry.name) {
                if constexpr (accurate_kernel::has_fast_approximation) BOOST_TEST(differ > 0u);
                else BOOST_TEST(differ == 0u);
            }
        }
    });
}

// The vectors' tests for exceptional elements are merged in pairs, and a
// pair whose test fires takes the precise path for both of its vectors.
// That must change no element: with one exceptional x or dy at any position
// of an array of ordinary values, every other element keeps the bits it has
// without it, and the exceptional element has the bits it has alone.  And
// a subnormal dy in the next element, which the test does not flag where
// it is harmless (elu's dy e^x), has the bits it has alone whether the
// precise path runs for its neighbour or not (recomputed with the
// neighbour, elu's gradient at x = -2^-7 would differ in the last bit);
// so does a subnormal x where it is harmless (selu's forward, one float
// product), in the forward pass too.
template <class T>
void check_exceptional_neighbours(passes<T> const& k) {
    constexpr T inf = std::numeric_limits<T>::infinity(), nan = std::numeric_limits<T>::quiet_NaN();
    constexpr T tiny = std::numeric_limits<T>::denorm_min();
    // NaN and infinities, subnormals, arguments at which primitives underflow
    // (exp(-100), sigmoid(-100)), and an upstream gradient large enough to
    // make a tiny derivative's product normal.
    const T special[] = {nan, inf, -inf, tiny, -3 * tiny, T(-100), T(100), T(1e30)};
    const std::size_t n = 5 * default_values::width<T> + 3;  // two pairs, a lone vector and a tail
    std::vector<T> xs(n), dys(n), y_ref(n), dx_ref(n);
    for (std::size_t i = 0; i < n; ++i) {
        xs[i] = T(-4) + T(8) * T(i) / T(n - 1);
        dys[i] = T(1) - T(2) * T(i % 5) / T(4);
    }
    k.forward_backward(std::span<T const>(xs), std::span<T const>(dys), std::span<T>(y_ref), std::span<T>(dx_ref));
    std::vector<T> dx_backward_ref(n);
    k.backward(std::span<T const>(xs), std::span<T const>(dys), std::span<T>(dx_backward_ref));
    std::vector<T> x2(n), dy2(n), y(n), dx(n), dx_backward(n), y_forward(n);
    // y, dx (forward_backward), dx (backward) and y (forward) of element i alone.
    auto alone = [&](std::size_t i) {
        std::array<T, 4> r{};
        k.forward_backward(std::span<T const>(&x2[i], 1), std::span<T const>(&dy2[i], 1), std::span<T>(&r[0], 1),
                           std::span<T>(&r[1], 1));
        k.backward(std::span<T const>(&x2[i], 1), std::span<T const>(&dy2[i], 1), std::span<T>(&r[2], 1));
        k.forward(std::span<T const>(&x2[i], 1), std::span<T>(&r[3], 1));
        return r;
    };
    // Next to the exceptional element, none, or one whose float result and
    // double recomputation differ where no rule recomputes it: elu's
    // gradient at x = -2^-7 with dy a subnormal, selu's 1.7581 expm1(x) at
    // a subnormal x (one float product by the rounded constant).
    enum class next_to { none, subnormal_dy, subnormal_x };
    for (next_to neighbour : {next_to::none, next_to::subnormal_dy, next_to::subnormal_x}) {
        for (bool in_x : {true, false}) {
            for (T s : special) {
                for (std::size_t j = 0; j < n; ++j) {
                    x2 = xs;
                    dy2 = dys;
                    (in_x ? x2 : dy2)[j] = s;
                    std::size_t const next = neighbour == next_to::none ? j : (j + 1) % n;
                    if (neighbour == next_to::subnormal_dy) {
                        x2[next] = T(-0x1p-7);
                        dy2[next] = -(std::numeric_limits<T>::min() - tiny);
                    } else if (neighbour == next_to::subnormal_x) {
                        x2[next] = T(0x1.4e585p-127);
                    }
                    k.forward_backward(std::span<T const>(x2), std::span<T const>(dy2), std::span<T>(y),
                                       std::span<T>(dx));
                    k.backward(std::span<T const>(x2), std::span<T const>(dy2), std::span<T>(dx_backward));
                    k.forward(std::span<T const>(x2), std::span<T>(y_forward));
                    BOOST_TEST_INFO((in_x ? "x" : "dy") << "[" << j << "] = " << s << ", neighbour "
                                                        << static_cast<int>(neighbour));
                    for (std::size_t i = 0; i < n; ++i) {
                        BOOST_TEST_INFO("element " << i);
                        auto const expected =
                            i == j || i == next
                                ? alone(i)
                                : std::array<T, 4>{y_ref[i], dx_ref[i], dx_backward_ref[i], y_ref[i]};
                        BOOST_REQUIRE(same_value(y[i], expected[0]));
                        BOOST_REQUIRE(same_value(dx[i], expected[1]));
                        BOOST_REQUIRE(same_value(dx_backward[i], expected[2]));
                        BOOST_REQUIRE(same_value(y_forward[i], expected[3]));
                    }
                }
            }
        }
    }
}

BOOST_AUTO_TEST_CASE(an_exceptional_element_changes_no_neighbour) {
    for_each_activation([](auto f) {
        check_exceptional_neighbours(actx_test::compiled_kernel<float>(f));
        check_exceptional_neighbours(actx_test::compiled_kernel<double>(f));
    });
}

// What the NaN analysis knows of a quotient: NaN only as 0 / 0 or inf / inf.
// hardsigmoid's (x + 3) / 6 is never NaN for a number x, so its
// forward_backward needs the NaN-in rule only; x / y can be either.
static_assert(!detail::value_facts<decltype(hardsigmoid(x))>::nan);
static_assert(!detail::value_facts<decltype(x / 6_c)>::nan);
static_assert(detail::value_facts<decltype(x / var<1>)>::nan);

// And of a product with a watched primitive value that the test classifies
// for NaN, infinities and (where it is never 0) zero: finite and nonzero
// in the lanes not flagged, so elu's dy e^x is NaN only where dy is, and
// so is tanh's dy (4 sigmoid(2x) sigmoid(-2x)): a sigmoid times a
// moderate constant cannot overflow, nor a nonzero value times a constant
// >= 1 round to 0.  Unclassified, e^x may be 0 or inf; e^x is not bounded,
// so 4 e^x may overflow; and 0.5 sigmoid(x) may round to 0 where sigmoid(x)
// is the least subnormal: the infinite or zero dy makes those NaN.
template <class E, class... Known>
inline constexpr bool may_be_nan = detail::value_facts<E, false, dag::list<Known...>>::nan;
static_assert(may_be_nan<decltype(var<1> * exp(x))>);
static_assert(!may_be_nan<decltype(var<1> * exp(x)), decltype(exp(x))>);
static_assert(!may_be_nan<decltype(select(x <= 0_c, var<1> * exp(x), var<1>)), decltype(exp(x))>);
static_assert(!may_be_nan<decltype(var<1> * (4_c * sigmoid(x))), decltype(sigmoid(x))>);
static_assert(may_be_nan<decltype(var<1> * (4_c * exp(x))), decltype(exp(x))>);
static_assert(may_be_nan<decltype(var<1> * (0.5_c * sigmoid(x))), decltype(sigmoid(x))>);
static_assert(may_be_nan<decltype(var<1> * (4_c * sigmoid(x)))>);
// selu's dy select(x <= 0, 1.758 e^x, 1.0507): in the branch its condition
// takes, e^x <= 1, so 1.758 e^x is finite.  Not in the other branch, nor
// under x > 0.
static_assert(!may_be_nan<decltype(var<1> * select(x <= 0_c, 1.758_c * exp(x), 1.0507_c)), decltype(exp(x))>);
static_assert(!may_be_nan<decltype(var<1> * select(x < 0_c, 1.758_c * exp(x), 1.0507_c)), decltype(exp(x))>);
static_assert(may_be_nan<decltype(var<1> * select(x <= 0_c, 1.0507_c, 1.758_c * exp(x))), decltype(exp(x))>);
static_assert(may_be_nan<decltype(var<1> * select(x > 0_c, 1.758_c * exp(x), 1.0507_c)), decltype(exp(x))>);

// Which leaves a result is recomputed for when they are subnormal
// (exceptional.hpp, subnormal_harmless): not those whose every rounding is
// the result's own or feeds only primitives flat at 0 (elu's and celu's
// gradients, gelu's and silu's forward, and elu's forward, whose expm1 is
// x itself there); x where x sigmoid(x) is rounded and then used again
// (silu's gradient), where a rounding of it is read again through expm1
// (celu's alpha expm1(x / alpha)), where tanh reads it, or where a rounding
// of it is compared.
template <class E, class Leaf>
inline constexpr bool watched_for_subnormal = dag::contains<detail::subnormal_leaves<E>, Leaf>::value;
static_assert(!watched_for_subnormal<decltype(select(x <= 0_c, var<1> * exp(x), var<1>)), var_t<0>>);
static_assert(!watched_for_subnormal<decltype(select(x <= 0_c, var<1> * exp(x), var<1>)), var_t<1>>);
static_assert(!watched_for_subnormal<decltype(var<1> * exp(x / param<0>)), var_t<0>>);
static_assert(!watched_for_subnormal<decltype(var<1> * exp(x / param<0>)), param_t<0>>);
static_assert(!watched_for_subnormal<decltype(x * normcdf(x)), var_t<0>>);
static_assert(!watched_for_subnormal<decltype(x * sigmoid(x)), var_t<0>>);
static_assert(watched_for_subnormal<decltype(var<1> * (x * sigmoid(x))), var_t<0>>);
static_assert(!watched_for_subnormal<decltype(var<1> * (x * sigmoid(x))), var_t<1>>);
static_assert(!watched_for_subnormal<decltype(select(x <= 0_c, expm1(x), x)), var_t<0>>);
static_assert(!watched_for_subnormal<decltype(var<1> * expm1(x)), var_t<0>>);
static_assert(watched_for_subnormal<decltype(select(x <= 0_c, param<0> * expm1(x / param<0>), x)), var_t<0>>);
static_assert(watched_for_subnormal<decltype(var<1> * (x * expm1(x))), var_t<0>>);
static_assert(watched_for_subnormal<decltype(var<1> * tanh(x)), var_t<0>>);
static_assert(!watched_for_subnormal<decltype(var<1> * (4_c * (sigmoid(2_c * x) * sigmoid(-(2_c * x))))), var_t<0>>);
static_assert(watched_for_subnormal<decltype(select(x * var<1> <= 0_c, exp(x), x)), var_t<1>>);
static_assert(!watched_for_subnormal<decltype(select(x <= 0_c, exp(x), x)), var_t<0>>);

// An infinite upstream gradient where the derivative is 0 gives 0, as
// PyTorch's threshold_backward and hardtanh_backward select it (the limit,
// not inf * 0), and inf where the derivative is positive.  NaN in x or dy
// still gives NaN.  These passes fix NaN lanes without a branch
// (exceptional.hpp, nan_only_fix); whole vectors and a tail.
BOOST_AUTO_TEST_CASE(an_infinite_upstream_gradient_meets_a_zero_derivative) {
    constexpr float inf = std::numeric_limits<float>::infinity(), nan = std::numeric_limits<float>::quiet_NaN();
    struct row {
        float x, dy, relu, leaky_relu, hardtanh, relu6, hardsigmoid;
    };
    const row rows[] = {
        {-2.0f, inf, 0.0f, inf, 0.0f, 0.0f, inf},    {2.0f, inf, inf, inf, 0.0f, inf, inf},
        {7.0f, -inf, -inf, -inf, 0.0f, 0.0f, 0.0f},  {-5.0f, -inf, 0.0f, -inf, 0.0f, 0.0f, 0.0f},
        {0.5f, -inf, -inf, -inf, -inf, -inf, -inf},  {nan, 1.0f, nan, nan, nan, nan, nan},
        {-2.0f, nan, nan, nan, nan, nan, nan},       {-inf, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f},
        {inf, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f},
    };
    const std::size_t n = 3 * default_values::width<float> + 5;
    std::vector<float> xs(n), dys(n), dx(n), y(n), dx_fb(n);
    for (std::size_t i = 0; i < n; ++i) {
        xs[i] = rows[i % std::size(rows)].x;
        dys[i] = rows[i % std::size(rows)].dy;
    }
    auto check = [&](auto f, auto expected, char const* name) {
        auto k = actx_test::compiled_kernel<float>(f);
        k.backward(std::span<float const>(xs), std::span<float const>(dys), std::span<float>(dx));
        k.forward_backward(std::span<float const>(xs), std::span<float const>(dys), std::span<float>(y),
                           std::span<float>(dx_fb));
        for (std::size_t i = 0; i < n; ++i) {
            float want = expected(rows[i % std::size(rows)]);
            BOOST_TEST_INFO(name << " at x = " << xs[i] << ", dy = " << dys[i]);
            BOOST_TEST(same_value(dx[i], want));
            BOOST_TEST(same_value(dx_fb[i], want));
        }
    };
    check(relu(x), [](row r) { return r.relu; }, "relu");
    check(leaky_relu(x), [](row r) { return r.leaky_relu; }, "leaky_relu");
    check(hardtanh(x), [](row r) { return r.hardtanh; }, "hardtanh");
    check(relu6(x), [](row r) { return r.relu6; }, "relu6");
    check(hardsigmoid(x), [](row r) { return r.hardsigmoid; }, "hardsigmoid");
}

// An infinite upstream gradient, or an infinite gated input b, times a
// factor that float rounds to 0 but that is not 0 (silu'(-640) = -7e-276,
// sigmoid(-700) = 1e-304): the product is infinite, with the factor's
// sign.  The elements are recomputed in double (an inf * 0 in float), at
// the infinity itself, not at DBL_MAX, which gave DBL_MAX times the factor.
BOOST_AUTO_TEST_CASE(an_infinite_upstream_gradient_times_a_tiny_factor) {
    constexpr float inf = std::numeric_limits<float>::infinity();
    auto gradient = [&](auto f, std::vector<float> xs, float dy) {
        std::vector<float> dys(xs.size(), dy), dx(xs.size()), y(xs.size()), dx_fb(xs.size());
        auto const k = actx_test::compiled_kernel<float>(f);
        k.backward(xs, dys, dx);
        k.forward_backward(xs, dys, y, dx_fb);
        for (std::size_t i = 0; i < xs.size(); ++i) BOOST_TEST(same_value(dx[i], dx_fb[i]));
        return dx;
    };
    for (float v : gradient(silu(x), {-10.f, -100.f, -640.f, -700.f}, inf)) BOOST_TEST(v == -inf);
    for (float v : gradient(silu(x), {-10.f, -100.f, -640.f, -700.f}, -inf)) BOOST_TEST(v == inf);
    for (float v : gradient(gelu(x), {-5.f, -37.f}, inf)) BOOST_TEST(v == -inf);
    for (float v : gradient(sigmoid(x), {30.f, -500.f, 700.f}, inf)) BOOST_TEST(v == inf);
    std::vector<float> a = {-10.f, -700.f, -700.f}, b = {inf, inf, -inf}, out(3);
    kernel(swiglu(x, var<1>)).forward<float>({std::span<float const>(a), std::span<float const>(b)},
                                             {std::span<float>(out)});
    BOOST_TEST(out[0] == -inf);
    BOOST_TEST(out[1] == -inf);
    BOOST_TEST(out[2] == inf);
    // Where IEEE arithmetic has no answer the limit stands: silu(-inf) = -0,
    // silu'(+inf) = 1.
    std::vector<float> xs = {-inf, inf}, dys = {1.f, 1.f}, y(2), dx(2);
    actx_test::compiled_kernel<float>(silu(x)).forward_backward(xs, dys, y, dx);
    BOOST_TEST((y[0] == 0.f && std::signbit(y[0])));
    BOOST_TEST(dx[1] == 1.f);
}

// The elu family's forward_backward forms e^x from expm1's 2^n
// (math/vector/expm1.hpp, exp_beside_expm1), which differs from backward's
// e^x only where e^x is below the normal floats; the kernels' test sends
// those elements to the precise path, so dy e^x keeps backward's bits, also
// where a large dy makes it a normal float again (dy = 1e30 at x = -100:
// 3.7e-14): within 4 ULP of the double product where that is a normal
// float, its very rounding below.  Every 7th float from -86 to -105.
BOOST_AUTO_TEST_CASE(the_elu_family_forward_backward_keeps_backward_bits_where_exp_underflows) {
    constexpr float inf = std::numeric_limits<float>::infinity();
    const float scales[] = {1.0f, 1e3f, 1e20f, 1e30f, 1e38f, -1e35f, inf};
    std::vector<float> xs, dys;
    for (auto b = std::bit_cast<std::uint32_t>(-86.0f); b <= std::bit_cast<std::uint32_t>(-105.0f); b += 7) {
        xs.push_back(std::bit_cast<float>(b));
        dys.push_back(scales[xs.size() % std::size(scales)]);
    }
    const std::size_t n = xs.size();
    auto check = [&](auto f, double factor, char const* name) {
        std::vector<float> dx(n), y(n), dx_fb(n);
        auto k = actx_test::compiled_kernel<float>(f);
        k.backward(std::span<float const>(xs), std::span<float const>(dys), std::span<float>(dx));
        k.forward_backward(std::span<float const>(xs), std::span<float const>(dys), std::span<float>(y),
                           std::span<float>(dx_fb));
        std::size_t differ = 0, off = 0, normal = 0;
        for (std::size_t i = 0; i < n; ++i) {
            differ += !same_value(dx[i], dx_fb[i]);
            const double exact = double(dys[i]) * (factor * std::exp(double(xs[i])));
            const float want = float(exact);
            const bool is_normal = std::abs(want) >= FLT_MIN && std::isfinite(want);
            normal += is_normal;
            // Within backward's bound of 4 ULP where normal, its rounding below.
            off += is_normal ? float_steps(dx[i], exact) > 4 : !same_value(dx[i], want);
        }
        BOOST_TEST_CONTEXT(name) {
            BOOST_TEST(differ == 0u);
            BOOST_TEST(off == 0u);
            BOOST_TEST(normal > n / 3);
        }
    };
    check(elu(x), 1.0, "elu");
    check(celu(x), 1.0, "celu");
    check(selu(x), 1.0507009873554804934193349852946 * 1.6732632423543772848170429916717, "selu");
}

// The derivatives that are squares, softsign's (1/(1 + |x|))^2 and
// tanhshrink's tanh(x)^2, times an upstream gradient of any size: within 4
// ULP of the closed form in double wherever that is a normal float, also
// where the square alone is below FLT_MIN (softsign at |x| > 1.8e19,
// tanhshrink at |x| < 1e-19) and dy is far outside the 1e-3 .. 1e3 of the
// accuracy sweep.
BOOST_AUTO_TEST_CASE(a_square_derivative_times_a_large_upstream_gradient) {
    auto check = [&](auto f, std::vector<float> const& xs, std::vector<float> const& dys, auto derivative,
                     char const* name) {
        std::vector<float> x_all, dy_all;
        for (float v : xs)
            for (float g : dys) {
                x_all.push_back(v);
                dy_all.push_back(g);
            }
        std::vector<float> dx(x_all.size()), y(x_all.size()), dx_fb(x_all.size());
        auto k = kernel(f);
        k.backward(std::span<float const>(x_all), std::span<float const>(dy_all), std::span<float>(dx));
        k.forward_backward(std::span<float const>(x_all), std::span<float const>(dy_all), std::span<float>(y),
                           std::span<float>(dx_fb));
        int checked = 0;
        for (std::size_t i = 0; i < x_all.size(); ++i) {
            double exact = double(dy_all[i]) * derivative(double(x_all[i]));
            if (!(std::abs(exact) >= FLT_MIN && std::abs(exact) <= FLT_MAX)) continue;
            ++checked;
            BOOST_TEST_INFO(name << " at x = " << x_all[i] << ", dy = " << dy_all[i] << ": " << dx[i]
                                 << ", exact " << exact);
            BOOST_TEST(float_steps(dx[i], exact) <= 4);
            BOOST_TEST(same_value(dx[i], dx_fb[i]));
        }
        BOOST_TEST(checked >= 20);
    };
    check(softsign(x), {2e19f, -3e20f, 1e23f, -1e25f, 7e30f, 1e35f, 3.5f, -0.25f},
          {1e25f, -1e30f, 1e36f, 3e38f, 1e3f, -7.0f}, [](double v) { return 1 / ((1 + std::abs(v)) * (1 + std::abs(v))); },
          "softsign");
    // softsign of a compound argument, c x with c = 1e20 (1e20f in float):
    // c (1/(1 + |c x|))^2, whose square alone is below FLT_MIN for |x| > 0.2.
    constexpr double c = static_cast<float>(1e20);
    check(softsign(1e20_c * x), {1.0f, -10.0f, 1e3f, -1e5f, 3e-21f, 0.5f, -2e-19f, 4.0f}, {1.0f, -7.0f, 1e10f, 1e-20f},
          [](double v) { return c / ((1 + std::abs(c * v)) * (1 + std::abs(c * v))); }, "softsign(1e20 x)");
    check(tanhshrink(x), {4e-21f, -1e-19f, 3e-15f, -2e-10f, 1e-5f, 0.75f, -3.0f},
          {1e25f, -1e30f, 1e36f, 3e38f, 1e3f, -7.0f}, [](double v) { return std::tanh(v) * std::tanh(v); },
          "tanhshrink");
}

// x / y's derivative in x is 1/y, and times dy it is dy / y, one
// correctly rounded quotient: finite for a subnormal y and a small dy,
// where 1/y alone overflows to inf.
BOOST_AUTO_TEST_CASE(a_reciprocal_derivative_times_dy_is_a_quotient) {
    const std::vector<float> xs = {1.0f, 2.0f, -3.0f}, ys = {1e-40f, 3.0f, -7e-39f}, dys = {1e-10f, 6.0f, 2e-9f};
    std::vector<float> dx(3), dy_in(3);
    kernel(x / var<1>).backward<float>({xs, ys}, {dys}, {dx, dy_in});
    for (std::size_t i = 0; i < 3; ++i) {
        BOOST_TEST_INFO("at y = " << ys[i] << ", dy = " << dys[i]);
        BOOST_TEST(dx[i] == dys[i] / ys[i]);  // IEEE division, correctly rounded
        BOOST_TEST(std::isfinite(dx[i]));
    }
}

// Unary minus flips the sign of zero, as in scalar code: -(+0) = -0, and so
// 1 / min(1, -x) at x = +0 is -inf.  In float and double, whole vectors and
// a tail.
BOOST_AUTO_TEST_CASE(unary_minus_gives_negative_zero) {
    auto check = [](auto zero) {
        using T = decltype(zero);
        constexpr T inf = std::numeric_limits<T>::infinity();
        const std::size_t n = 2 * default_values::width<T> + 3;
        std::vector<T> xs(n), ys(n);
        for (std::size_t i = 0; i < n; ++i) xs[i] = i % 3 == 0 ? T(0) : i % 3 == 1 ? -T(0) : T(i);
        kernel(-x).forward(xs, ys);
        for (std::size_t i = 0; i < n; ++i) {
            BOOST_TEST_INFO("-x at " << xs[i] << (std::signbit(xs[i]) ? " (-0)" : ""));
            BOOST_TEST(ys[i] == -xs[i]);
            BOOST_TEST(std::signbit(ys[i]) != std::signbit(xs[i]));
        }
        kernel(1_c / min(1_c, -x)).forward(xs, ys);
        for (std::size_t i = 0; i < n; ++i) {
            T want = i % 3 == 0 ? -inf : i % 3 == 1 ? inf : T(1) / -xs[i];
            BOOST_TEST_INFO("1 / min(1, -x) at " << xs[i]);
            BOOST_TEST(ys[i] == want);
        }
    };
    check(0.0f);
    check(0.0);
}

// A clamp to constant bounds is computed as a maximum or minimum where the
// vector has one (evaluate_dag.hpp, at_least and at_most): the same values
// as the selects it stands for, signed zeros and NaN included, whatever the
// order of the bounds' selects.  Against closed forms: k <= lo gives lo,
// k >= hi gives hi, anything else (NaN too) is x itself.
BOOST_AUTO_TEST_CASE(clamps_keep_the_values_of_their_selects) {
    constexpr float inf = std::numeric_limits<float>::infinity(), nan = std::numeric_limits<float>::quiet_NaN();
    auto check = [](auto f, float lo, float hi, char const* name) {
        std::vector<float> xs = {nan,  -nan, inf,  -inf, 0.0f, -0.0f, lo, hi, std::nextafter(lo, -inf),
                                 std::nextafter(lo, inf), std::nextafter(hi, -inf), std::nextafter(hi, inf),
                                 FLT_MIN, -FLT_MIN, std::numeric_limits<float>::denorm_min(), 0.5f, -0.5f, 1e30f};
        for (std::size_t i = 0; i < 40; ++i) xs.push_back(-8.0f + 0.4f * float(i));
        std::vector<float> y(xs.size());
        kernel(f).forward(std::span<float const>(xs), std::span<float>(y));
        for (std::size_t i = 0; i < xs.size(); ++i) {
            float const v = xs[i];
            float const want = v <= lo ? lo : v >= hi ? hi : v;
            BOOST_TEST_INFO(name << " at x = " << v << ": " << y[i] << ", want " << want);
            BOOST_TEST((std::isnan(want) ? std::isnan(y[i]) : std::memcmp(&want, &y[i], sizeof want) == 0));
        }
    };
    check(hardtanh(x), -1.0f, 1.0f, "hardtanh");
    check(relu6(x), 0.0f, 6.0f, "relu6");
    check(relu(x), 0.0f, inf, "relu");
    check(select(x >= 2.5_c, 2.5_c, select(x <= -0.75_c, -0.75_c, x)), -0.75f, 2.5f, "upper bound outside");
    check(select(x <= -3_c, -3_c, x), -3.0f, inf, "lower bound only");
    check(select(x >= 4_c, 4_c, x), -inf, 4.0f, "upper bound only");
}

// elu's and celu's select(x <= 0, expm1(x), x) is one select on the vector
// packs, its compare moved to x < 0, and selu's and a scaled elu's
// select(x <= 0, k expm1(x), m) takes m at x = +-0 where m's zero is k x's,
// k x otherwise (evaluate_dag.hpp).  Closed form: e^x - 1 = x (1 + x/2 +
// ...) is within x^2 / 2 < 2^-55.5 |x| of x for |x| < 2^-54.5, less than
// half an ULP of x in double (at least 2^-54 |x|) and in float, so it
// rounds to x: elu(x) and celu(x) are x itself, sign and all, on both
// sides of 2^-60, subnormals included, and selu(x) and alpha elu(x) are k x
// rounded once (lambda alpha below 0, lambda above, the zero's sign k's
// times x's: -0.5 (+0) is -0), in forward and in forward_backward.
BOOST_AUTO_TEST_CASE(elu_near_zero_is_x_itself) {
    auto check = [](auto zero) {
        using T = decltype(zero);
        constexpr T inf = std::numeric_limits<T>::infinity();
        const T edge = T(0x1p-60);
        std::vector<T> xs = {T(0), -T(0), edge, -edge, std::nextafter(-edge, T(0)), std::nextafter(-edge, -inf),
                             std::nextafter(edge, T(0)), T(-0x1p-59), T(-0x1p-61), T(-0x1p-100), T(-0x1p-56),
                             T(0x1p-61), -std::numeric_limits<T>::min()};
        for (int e = 55; e <= 120; e += 5) xs.push_back(-std::ldexp(T(1.375), -e));
        // Subnormals for the unscaled ones only: a scaled subnormal is
        // rounded in float or, by the exceptional-element rules, in double.
        std::vector<T> unscaled = xs;
        unscaled.push_back(-std::numeric_limits<T>::denorm_min());
        unscaled.push_back(std::numeric_limits<T>::denorm_min());
        // f's forward and forward_backward at every x, with alpha as its
        // parameter if it has one: y = k x, k = below for x <= 0.
        auto check_at = [](auto f, std::vector<T> const& at, T below, T above, char const* name,
                           std::vector<T> const& alpha = {}) {
            auto k = kernel(f);
            const std::size_t n = at.size();
            std::vector<T> dy(n, T(1)), y(n), y2(n), dx(n);
            readonly_arrays<T, decltype(k)::params> alphas;
            alphas.fill(std::span<T const>(alpha));
            k.template forward<T>({at}, {y}, alphas);
            k.template forward_backward<T>({at}, {dy}, {y2}, {dx}, alphas);
            for (std::size_t i = 0; i < n; ++i) {
                T const want = (at[i] <= 0 ? below : above) * at[i];
                BOOST_TEST_INFO(name << " at x = " << at[i] << (std::signbit(at[i]) ? " (-)" : "") << ": " << y[i]
                                     << " and " << y2[i] << ", not " << want);
                BOOST_TEST(std::memcmp(&y[i], &want, sizeof(T)) == 0);
                BOOST_TEST(std::memcmp(&y2[i], &want, sizeof(T)) == 0);
            }
        };
        check_at(elu(x), unscaled, T(1), T(1), "elu");
        check_at(celu(x), unscaled, T(1), T(1), "celu");
        check_at(selu(x), xs, T(1.7580993408473768599402175208123), T(1.0507009873554804934193349852946), "selu");
        check_at(elu(x, 0.5_c), xs, T(0.5), T(1), "elu(x, 0.5)");
        check_at(elu(x, param<0>), xs, T(0.3), T(1), "elu(x, alpha = 0.3)", {T(0.3)});
        check_at(elu(x, -0.5_c), xs, T(-0.5), T(1), "elu(x, -0.5)");
        check_at(elu(x, param<0>), xs, T(-0.3), T(1), "elu(x, alpha = -0.3)", {T(-0.3)});
        check_at(select(x <= 0_c, -1.5_c * expm1(x), -2_c * x), xs, T(-1.5), T(-2), "-1.5 expm1(x) or -2 x");
    };
    check(0.0f);
    check(0.0);
}

BOOST_AUTO_TEST_CASE(gated_pairs_and_two_outputs) {
    std::mt19937 rng(7);
    auto k = kernel(swiglu(var<0>, var<1>));
    kernel_with<scalar_values, decltype(swiglu(var<0>, var<1>))> reference;
    for (std::size_t n : {0u, 1u, 15u, 16u, 17u, 1000u}) {
        auto a = random_values<float>(rng, n), b = random_values<float>(rng, n), dy = random_values<float>(rng, n);
        std::vector<float> y(n), da(n), db(n), y_ref(n), da_ref(n), db_ref(n);
        k.forward_backward<float>({a, b}, {dy}, {y}, {da, db});
        reference.forward_backward<float>({a, b}, {dy}, {y_ref}, {da_ref, db_ref});
        for (std::size_t i = 0; i < n; ++i) {
            BOOST_REQUIRE(agree(y[i], y_ref[i], 0.0f));
            BOOST_REQUIRE(agree(da[i], da_ref[i], dy[i] * b[i]));
            BOOST_REQUIRE(agree(db[i], db_ref[i], dy[i]));
        }
    }
}

// PReLU's slope gradient: summed over elements into each channel, for the
// channels-last (NC, NHWC) and channels-first (NCHW) layouts, against a
// double-precision loop written out here.
BOOST_AUTO_TEST_CASE(per_channel_parameter_gradients) {
    std::mt19937 rng(11);
    auto k = kernel(prelu(x, param<0>));
    std::size_t const batch = 3, channels = 5, spatial = 7, n = batch * channels * spatial;
    auto xs = random_values<float>(rng, n);
    for (auto& v : xs) if (!std::isfinite(v)) v = -1.5f;
    std::vector<float> dy(n), slope{0.1f, 0.2f, 0.3f, 0.4f, 0.5f};
    for (std::size_t i = 0; i < n; ++i) dy[i] = float(i % 13) - 6.0f;

    for (bool channels_are_last : {true, false}) {
        auto layout = channels_are_last ? channels_last(channels) : channels_first(channels, spatial);
        auto channel_of = [&](std::size_t e) { return (e / layout.inner) % channels; };
        std::vector<float> dx(n), grad(channels), y(n);
        k.forward_backward<float>({xs}, {dy}, {y}, {dx}, {slope}, {grad}, layout);
        std::vector<double> expected(channels, 0.0);
        for (std::size_t e = 0; e < n; ++e) {
            double a = slope[channel_of(e)];
            double value = xs[e] > 0 ? xs[e] : a * xs[e];
            double input_grad = xs[e] > 0 ? dy[e] : a * dy[e];
            if (xs[e] <= 0) expected[channel_of(e)] += double(dy[e]) * xs[e];
            // float arithmetic against double: one float rounding apart.
            BOOST_REQUIRE(std::abs(y[e] - value) <= 1e-6 * std::max(1.0, std::abs(value)));
            BOOST_REQUIRE(std::abs(dx[e] - input_grad) <= 1e-6 * std::max(1.0, std::abs(input_grad)));
        }
        for (std::size_t c = 0; c < channels; ++c) BOOST_TEST(grad[c] == expected[c], boost::test_tools::tolerance(1e-5));
    }
    // A single slope (scalar parameter) sums over everything.
    float total = 0;
    std::vector<float> dx(n);
    float one_slope = 0.25f;
    k.backward<float>({xs}, {dy}, {dx}, {std::span<float const>(&one_slope, 1)}, {std::span<float>(&total, 1)});
    double expected_total = 0;
    for (std::size_t e = 0; e < n; ++e) if (xs[e] <= 0) expected_total += double(dy[e]) * xs[e];
    BOOST_TEST(total == expected_total, boost::test_tools::tolerance(1e-5));
}

// PyTorch's prelu written out, for x = v, upstream gradient g and slope a
// (the rules are those of check_prelu_slopes below).
template <class T>
struct prelu_expected {
    T y, dx;
    prelu_expected(T v, T g, T a) {
        constexpr T nan = std::numeric_limits<T>::quiet_NaN();
        auto product = [](T p, T q) { return p == 0 || q == 0 ? T(0) : p * q; };
        y = std::isnan(v) ? nan : v > 0 ? v : std::isnan(a) ? nan : product(a, v);
        dx = std::isnan(v) || std::isnan(g) || std::isnan(a) ? nan : v > 0 ? g : product(a, g);
    }
};

// prelu's four calls over one layout: forward, backward, forward_backward,
// and backward with the slopes' gradient asked for.
template <class T>
struct prelu_calls {
    std::vector<T> y, dx, y_fb, dx_fb, dx_with, grad;
    template <class K>
    prelu_calls(K const& k, std::span<T const> xs, std::span<T const> dys, std::vector<T> const& slopes,
                channel_layout layout)
        : y(xs.size()), dx(xs.size()), y_fb(xs.size()), dx_fb(xs.size()), dx_with(xs.size()),
          grad(slopes.size()) {
        k.template forward<T>({xs}, {y}, {slopes}, layout);
        k.template backward<T>({xs}, {dys}, {dx}, {slopes}, {}, layout);
        k.template forward_backward<T>({xs}, {dys}, {y_fb}, {dx_fb}, {slopes}, {}, layout);
        k.template backward<T>({xs}, {dys}, {dx_with}, {slopes}, {grad}, layout);
    }
};

// prelu with any slope, against PyTorch's formulas written out here: y = x
// for x > 0, else a x; dx = dy for x > 0, else a dy.  Where the product is
// inf * 0 (a = 0 at x = -inf or dy = +-inf, a = +-inf at x = 0 or dy = 0)
// the kernel gives the limit, 0, as it does for every inf * 0 in a formula
// (exceptional.hpp); a NaN x, dy or slope makes the gradient NaN.  A finite
// nonzero slope takes the loop without the exceptional-element test, any
// other the tested one (kernel.hpp, params_regular), so both are covered,
// one slope and one per channel, and the gradient of x is the same whether
// the slope's gradient is asked for or not.
template <class T>
void check_prelu_slopes() {
    constexpr T inf = std::numeric_limits<T>::infinity(), nan = std::numeric_limits<T>::quiet_NaN();
    auto k = kernel(prelu(x, param<0>));
    std::mt19937 rng(5);
    std::uniform_int_distribution<std::size_t> size(0, 300), offset(0, 7);
    const std::vector<std::vector<T>> slope_sets = {
        {T(0.25)}, {T(-3)}, {std::numeric_limits<T>::denorm_min()}, {T(1e30)}, {T(0)}, {T(-0.0)},
        {inf},     {-inf},  {nan},   {T(0.25), T(0)},   {T(0.5), T(-2), T(4)}, {T(0.5), inf, T(4)},
    };
    for (auto const& slopes : slope_sets) {
        std::size_t const channels = slopes.size();
        for (int round = 0; round < 20; ++round) {
            std::size_t n = size(rng) / channels * channels, o = offset(rng);
            auto x_storage = random_values<T>(rng, n + o), dy_storage = random_values<T>(rng, n + o);
            std::span<T const> xs(x_storage.data() + o, n), dys(dy_storage.data() + o, n);
            prelu_calls<T> const got(k, xs, dys, slopes, channels_last(channels));
            for (std::size_t i = 0; i < n; ++i) {
                T const v = xs[i], g = dys[i], a = slopes[i % channels];
                prelu_expected<T> const want(v, g, a);
                BOOST_TEST_INFO("slope " << a << ", x = " << v << ", dy = " << g);
                BOOST_TEST(same_value(got.y[i], want.y));
                BOOST_TEST(same_value(got.y_fb[i], want.y));
                BOOST_TEST(same_value(got.dx[i], want.dx));
                BOOST_TEST(same_value(got.dx_fb[i], want.dx));
                BOOST_TEST(same_value(got.dx_with[i], want.dx));
            }
        }
    }
}

BOOST_AUTO_TEST_CASE(prelu_with_any_slope) {
    check_prelu_slopes<float>();
    check_prelu_slopes<double>();
}

// Layouts whose channel changes every few elements, which a call runs in
// tiles of whole repeats of the layout (kernel.hpp, tiled_below), and
// layouts just past those limits, which go by rows or blocks; blocks of 49
// (7x7 images) in tiles up to a repeat of 2^18 elements (short_runs), and
// just past it.
std::vector<channel_layout> const layouts_near_the_tiles = {
    channels_last(1),       channels_last(3),         channels_last(16),        channels_last(100),
    channels_last(255),     channels_last(256),       channels_first(3, 5),     channels_first(2, 255),
    channels_first(7, 100), channels_first(256, 16),  channels_first(64, 300),  channels_first(4, 256),
    channels_first(512, 49), channels_first(5349, 49), channels_first(5400, 49),
};

// The same formulas over those layouts, across several tiles and a partial
// last one, for both layouts, with special slopes among random ones.  The
// gradient of x is the same with the slope's gradient asked for.
template <class T>
void check_prelu_layouts() {
    constexpr T inf = std::numeric_limits<T>::infinity(), nan = std::numeric_limits<T>::quiet_NaN();
    auto k = kernel(prelu(x, param<0>));
    std::mt19937 rng(17);
    std::uniform_int_distribution<std::size_t> offset(0, 7);
    for (auto const& layout : layouts_near_the_tiles) {
        std::size_t const channels = layout.channels, period = channels * layout.inner;
        std::vector<T> slopes(channels);
        for (auto& a : slopes) a = T(uniform(rng, -2.0, 2.0));
        slopes[rng() % channels] = std::array<T, 4>{T(0), inf, nan, T(0.25)}[rng() % 4];
        for (std::size_t repeats : {std::size_t{1}, 2048 / period + 1, 5000 / period + 3}) {
            std::size_t const n = repeats * period, o = offset(rng);
            BOOST_TEST_CONTEXT(channels << " channels of " << layout.inner << ", n = " << n) {
                auto x_storage = random_values<T>(rng, n + o), dy_storage = random_values<T>(rng, n + o);
                std::span<T const> xs(x_storage.data() + o, n), dys(dy_storage.data() + o, n);
                prelu_calls<T> const got(k, xs, dys, slopes, layout);
                std::size_t const failure = first_failure(n, [&](std::size_t i) {
                    prelu_expected<T> const want(xs[i], dys[i], slopes[(i / layout.inner) % channels]);
                    return same_value(got.y[i], want.y) && same_value(got.y_fb[i], want.y) &&
                           same_value(got.dx[i], want.dx) && same_value(got.dx_fb[i], want.dx) &&
                           same_value(got.dx_with[i], got.dx[i]);
                });
                BOOST_TEST(failure == n, "first wrong element " << failure);
            }
        }
    }
}

// The slopes' gradient over the same layouts, with finite inputs, against
// a double loop written out here: in tiles, each position of the tile has
// its own sum, added into its channel's at the end of a chunk of tiles.
// Sizes of one repeat, of several tiles with a partial last one, and of
// more than one chunk.
template <class T>
void check_prelu_layout_gradients() {
    auto k = kernel(prelu(x, param<0>));
    std::mt19937 rng(29);
    for (auto const& layout : layouts_near_the_tiles) {
        std::size_t const channels = layout.channels, period = channels * layout.inner;
        std::vector<T> slopes(channels);
        for (auto& a : slopes) a = T(uniform(rng, 0.05, 0.5));
        for (std::size_t repeats : {std::size_t{1}, 5000 / period + 3, 200000 / period + 1}) {
            std::size_t const n = repeats * period;
            BOOST_TEST_CONTEXT(channels << " channels of " << layout.inner << ", n = " << n) {
                std::vector<T> xs(n + 1), dys(n + 1);
                for (auto& v : xs) v = T(uniform(rng, -3.0, 1.0));
                for (auto& v : dys) v = T(uniform(rng, -1.0, 1.0));
                std::span<T const> xv(xs.data() + 1, n), dyv(dys.data() + 1, n);  // misaligned
                std::vector<T> dx(n), grad(channels);
                k.template backward<T>({xv}, {dyv}, {dx}, {slopes}, {grad}, layout);
                std::vector<double> expected(channels, 0.0), magnitude(channels, 0.0);
                for (std::size_t e = 0; e < n; ++e) {
                    std::size_t const c = (e / layout.inner) % channels;
                    if (xv[e] <= 0) {
                        expected[c] += double(dyv[e]) * xv[e];
                        magnitude[c] += std::abs(double(dyv[e]) * xv[e]);
                    }
                }
                // Each product rounded to T and the sum once, against the
                // magnitude of its terms (for double, the two orders of
                // summation over up to 2e5 terms).
                double const tolerance = std::is_same_v<T, float> ? 2 * double(std::numeric_limits<float>::epsilon())
                                                                  : 1e-12;
                std::size_t wrong = channels;
                for (std::size_t c = 0; c < channels && wrong == channels; ++c)
                    if (std::abs(grad[c] - expected[c]) > tolerance * std::max(1.0, magnitude[c])) wrong = c;
                BOOST_TEST(wrong == channels, "first wrong channel " << wrong);
            }
        }
    }
}

BOOST_AUTO_TEST_CASE(prelu_over_layouts_that_change_channel_every_few_elements) {
    check_prelu_layouts<float>();
    check_prelu_layouts<double>();
    check_prelu_layout_gradients<float>();
    check_prelu_layout_gradients<double>();
}

#if ACTX_TEST_GUARD_PAGES
// Memory with an inaccessible page on either side: an array placed at
// either end of it faults on any access outside its elements, under every
// compiler (AddressSanitizer checks masked loads and stores lane by lane
// under clang++, not under g++).
class guarded_pages {
public:
    explicit guarded_pages(std::size_t bytes) {
        page_ = static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
        bytes_ = (bytes + page_ - 1) / page_ * page_;
        void* p = mmap(nullptr, bytes_ + 2 * page_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        BOOST_REQUIRE(p != MAP_FAILED);
        base_ = static_cast<unsigned char*>(p);
        BOOST_REQUIRE(mprotect(base_, page_, PROT_NONE) == 0);
        BOOST_REQUIRE(mprotect(base_ + page_ + bytes_, page_, PROT_NONE) == 0);
    }
    guarded_pages(guarded_pages const&) = delete;
    guarded_pages& operator=(guarded_pages const&) = delete;
    ~guarded_pages() { munmap(base_, bytes_ + 2 * page_); }
    // n elements that end where the upper guard page begins, or start where
    // the lower one ends.
    template <class T>
    std::span<T> at_end(std::size_t n) {
        return {reinterpret_cast<T*>(base_ + page_ + bytes_) - n, n};
    }
    template <class T>
    std::span<T> at_start(std::size_t n) {
        return {reinterpret_cast<T*>(base_ + page_), n};
    }

private:
    unsigned char* base_ = nullptr;
    std::size_t page_ = 0, bytes_ = 0;
};

// The tail of an array (and a streaming head, and a last lone vector) is
// loaded and stored by masked moves where the vectors have them, by
// full-width copies elsewhere (kernel.hpp, `partial`): for every size up to
// three vectors and a bit, each array at the very end or start of its
// memory, every pass reads and writes only its elements (nothing faults,
// nothing outside changes) and gives each element the bits it has in the
// middle of a long array, with ordinary and with streaming stores and in
// place.
template <class T>
void check_tail_stays_inside(passes<T> const& k) {
    constexpr std::size_t W = default_values::width<T>;
    std::mt19937 rng(17);
    std::size_t const most = 3 * W + 5, whole = 8 * W;
    guarded_pages xp(most * sizeof(T)), dyp(most * sizeof(T)), yp(most * sizeof(T)), dxp(most * sizeof(T));
    constexpr T untouched = T(-1.25);
    for (std::size_t n = 1; n <= most; ++n) {
        // The reference: the same values in the first elements of a long
        // array, which the main loop takes in whole vectors.
        auto xs = random_values<T>(rng, whole), dys = random_values<T>(rng, whole);
        std::vector<T> y_ref(whole), dx_ref(whole);
        k.forward(std::span<T const>(xs), std::span<T>(y_ref));
        k.backward(std::span<T const>(xs), std::span<T const>(dys), std::span<T>(dx_ref));
        for (bool end : {true, false}) {
            auto place = [&](guarded_pages& g) { return end ? g.template at_end<T>(n) : g.template at_start<T>(n); };
            std::span<T> x = place(xp), dy = place(dyp), y = place(yp), dx = place(dxp);
            std::copy_n(xs.begin(), n, x.begin());
            std::copy_n(dys.begin(), n, dy.begin());
            for (bool streams : {false, true}) {
                auto const kk = k.with(streams ? streaming : ordinary);
                auto check = [&](std::span<T> got, std::vector<T> const& want, char const* what) {
                    std::size_t i = first_failure(n, [&](std::size_t e) { return same_bits(got[e], want[e]); });
                    BOOST_REQUIRE_MESSAGE(i == n, what << ", element " << i << " of " << n
                                                       << (end ? " at the end" : " at the start")
                                                       << (streams ? ", streaming" : ""));
                };
                std::fill(y.begin(), y.end(), untouched);
                std::fill(dx.begin(), dx.end(), untouched);
                kk.forward(std::span<T const>(x), y);
                check(y, y_ref, "forward");
                kk.backward(std::span<T const>(x), std::span<T const>(dy), dx);
                check(dx, dx_ref, "backward");
                std::fill(y.begin(), y.end(), untouched);
                std::fill(dx.begin(), dx.end(), untouched);
                kk.forward_backward(std::span<T const>(x), std::span<T const>(dy), y, dx);
                check(y, y_ref, "forward_backward's output");
                check(dx, dx_ref, "forward_backward's gradient");
                std::copy_n(xs.begin(), n, y.begin());
                kk.forward(std::span<T const>(y), y);
                check(y, y_ref, "in place");
            }
        }
    }
}

BOOST_AUTO_TEST_CASE(a_tail_reads_and_writes_only_its_elements) {
    for_each_activation([](auto f) {
        check_tail_stays_inside(actx_test::compiled_kernel<float>(f));
        check_tail_stays_inside(actx_test::compiled_kernel<double>(f));
    });
}

// prelu's slope per channel, channels last: the tail loads the slopes of
// its elements' channels, masked too.
BOOST_AUTO_TEST_CASE(a_tail_reads_only_its_per_channel_parameters) {
    auto k = kernel(prelu(x, param<0>));
    constexpr std::size_t W = default_values::width<float>;
    std::mt19937 rng(19);
    for (std::size_t channels = 1; channels <= 3 * W + 5; ++channels) {
        guarded_pages xp(channels * sizeof(float)), sp(channels * sizeof(float)), yp(channels * sizeof(float)),
            gp(channels * sizeof(float)), dxp(channels * sizeof(float)), dyp(channels * sizeof(float));
        std::span<float> xs = xp.at_end<float>(channels), slopes = sp.at_end<float>(channels),
                         y = yp.at_end<float>(channels), grad = gp.at_end<float>(channels),
                         dx = dxp.at_end<float>(channels), dys = dyp.at_end<float>(channels);
        for (std::size_t c = 0; c < channels; ++c) {
            xs[c] = float(uniform(rng, -4.0, 4.0));
            dys[c] = float(uniform(rng, -4.0, 4.0));
            slopes[c] = float(uniform(rng, 0.05, 0.5));
        }
        // One row of `channels` elements, channels last: each element has
        // its own slope.
        k.forward_backward<float>({xs}, {dys}, {y}, {dx}, {slopes}, {grad}, channels_last(channels));
        for (std::size_t c = 0; c < channels; ++c) {
            float const a = slopes[c];
            BOOST_REQUIRE(same_bits(y[c], xs[c] > 0 ? xs[c] : a * xs[c]));
            BOOST_REQUIRE(same_bits(dx[c], xs[c] > 0 ? dys[c] : a * dys[c]));
            BOOST_REQUIRE(same_bits(grad[c], xs[c] > 0 ? 0.0f : float(double(dys[c]) * xs[c])));
        }
    }
}
#endif

// Misuse is rejected before anything is written.
BOOST_AUTO_TEST_CASE(misuse_is_rejected_and_nothing_is_written) {
    auto k = kernel(gelu(x));
    std::vector<float> xs(64, 1.0f), ys(64, -7.0f), dys(64, 1.0f);
    auto untouched = [&] { for (float v : ys) if (v != -7.0f) return false; return true; };
    auto rejects = [&](auto call, char const* words) {
        try {
            call();
        } catch (std::invalid_argument const& e) {
            BOOST_TEST_MESSAGE(e.what());
            return std::string(e.what()).find(words) != std::string::npos;
        }
        return false;
    };
    BOOST_TEST(rejects([&] { k.forward(xs, std::span<float>(ys).first(63)); }, "output 0 has 63 elements, input 0 has 64"));
    BOOST_TEST(untouched());
    BOOST_TEST(rejects([&] { k.forward(std::span<float const>(ys).first(32), std::span<float>(ys).subspan(16, 32)); }, "overlap"));
    BOOST_TEST(untouched());
    BOOST_TEST(rejects([&] { k.backward(xs, std::span<float const>(dys).first(10), ys); }, "output gradient 0 has 10"));
    BOOST_TEST(untouched());
    BOOST_TEST(rejects([&] { k.forward_backward(xs, dys, ys, ys); }, "both are written"));
    BOOST_TEST(untouched());

    auto kp = kernel(prelu(x, param<0>));
    std::vector<float> slope(3, 0.25f), grad(3);
    BOOST_TEST(rejects([&] { kp.forward<float>({xs}, {ys}, {slope}, channels_last(4)); }, "parameter 0 has 3 values"));
    BOOST_TEST(rejects([&] { kp.forward<float>({xs}, {ys}, {slope}, channels_last(3)); }, "does not tile"));
    // Layouts whose channels * inner wraps around: to 2, which divides 64,
    // and to 0.
    BOOST_TEST(rejects([&] { kp.forward<float>({xs}, {ys}, {slope}, {3, 0x5555555555555556u}); }, "does not tile"));
    std::vector<float> four(4, 0.25f);
    BOOST_TEST(rejects([&] { kp.forward<float>({xs}, {ys}, {four}, {4, std::size_t{1} << 62}); }, "does not tile"));
    BOOST_TEST(rejects([&] { kp.backward<float>({xs}, {dys}, {ys}, {slope}, {std::span<float>(grad).first(2)}, channels_first(3, 1)); },
                       "parameter gradient 0 has 2 elements"));
    BOOST_TEST(untouched());

    // Zero elements is fine, and so is an exactly aliased input (in place).
    k.forward(std::span<float const>(), std::span<float>());
    // Empty arrays overlap nothing, wherever they point.
    k.forward(std::span<float const>(ys).subspan(8, 0), std::span<float>(ys).subspan(4, 0));
    k.backward(std::span<float const>(ys).subspan(8, 0), std::span<float const>(ys).subspan(2, 0),
               std::span<float>(ys).subspan(4, 0));
    BOOST_TEST(untouched());
    // Even inside a parameter's values: prelu over zero elements, its output
    // an empty span in the middle of the slopes it reads.
    kp.forward<float>({std::span<float const>()}, {std::span<float>(slope).subspan(1, 0)}, {slope}, channels_last(3));
    k.forward(ys, ys);
    BOOST_TEST(!untouched());
}
