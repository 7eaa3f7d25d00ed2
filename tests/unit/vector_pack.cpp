// actx::vector::pack basics: unaligned load/store, arithmetic with scalars on
// either side, comparisons (IEEE: NaN compares unequal and unordered),
// masks, select_value, that the unqualified calls the expression evaluator
// makes resolve to actx::vector by argument-dependent lookup, and the
// quotient by a constant without a division.
#include <actx/kernel/evaluate_dag.hpp>
#include <actx/math/vector/math.hpp>

#include "sanitized.hpp"

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <random>
#include <type_traits>
#include <vector>

namespace {

template <class T>
void load_store_round_trip() {
    using P = actx::vector::pack<T>;
    constexpr std::size_t n = P::size;
    std::vector<T> src(3 * n + 8), dst(3 * n + 8);
    for (std::size_t i = 0; i < src.size(); ++i) src[i] = T(i) * T(0.5) - T(3);
    for (std::size_t offset = 0; offset < 8; ++offset) {  // every misalignment
        std::fill(dst.begin(), dst.end(), T(-99));
        P::load(src.data() + offset).store(dst.data() + offset + 1);
        for (std::size_t i = 0; i < n; ++i) BOOST_TEST(dst[offset + 1 + i] == src[offset + i]);
        BOOST_TEST(dst[offset] == T(-99));           // nothing written before
        BOOST_TEST(dst[offset + 1 + n] == T(-99));   // nor after
    }
}

template <class T>
std::vector<T> lanes(actx::vector::pack<T> p) {
    std::vector<T> v(actx::vector::pack<T>::size);
    p.store(v.data());
    return v;
}

template <class T>
actx::vector::pack<T> iota(T start) {
    std::vector<T> v(actx::vector::pack<T>::size);
    for (std::size_t i = 0; i < v.size(); ++i) v[i] = start + T(i);
    return actx::vector::pack<T>::load(v.data());
}

}  // namespace

BOOST_AUTO_TEST_CASE(unaligned_load_store_float) { load_store_round_trip<float>(); }
BOOST_AUTO_TEST_CASE(unaligned_load_store_double) { load_store_round_trip<double>(); }

BOOST_AUTO_TEST_CASE(arithmetic_with_scalars_on_either_side) {
    using P = actx::vector::pack<float>;
    P a = iota(1.0f);
    auto check = [&](P r, auto f) {
        auto v = lanes(r);
        for (std::size_t i = 0; i < P::size; ++i) BOOST_TEST(v[i] == f(float(i + 1)));
    };
    check(a + 2.0f, [](float x) { return x + 2; });
    check(2.0f - a, [](float x) { return 2 - x; });
    check(a * a, [](float x) { return x * x; });
    check(1.0f / a, [](float x) { return 1 / x; });
    check(-a, [](float x) { return -x; });
    P b = a;
    b += a; b *= 2.0f; b -= 1.0f; b /= 2.0f;
    check(b, [](float x) { return (x * 4 - 1) / 2; });
    P c = 3.0f;  // broadcast
    check(c, [](float) { return 3.0f; });
}

BOOST_AUTO_TEST_CASE(comparisons_with_nan) {
    using P = actx::vector::pack<float>;
    const float nan = std::numeric_limits<float>::quiet_NaN();
    P x = nan, one = 1.0f;
    auto none = [](actx::vector::mask<float> m) { return !m.any(); };
    auto all = [](actx::vector::mask<float> m) { return m.all(); };
    BOOST_TEST(none(x < one));
    BOOST_TEST(none(x <= one));
    BOOST_TEST(none(x > one));
    BOOST_TEST(none(x >= one));
    BOOST_TEST(none(x == x));
    BOOST_TEST(all(x != x));
    BOOST_TEST(all(!(x < one)));
    BOOST_TEST(all(one < 2.0f));
    BOOST_TEST(all((one < 2.0f) & (one > 0.0f)));
    BOOST_TEST(all((one > 2.0f) | (one > 0.0f)));
    BOOST_TEST(none(one == 2.0f));
}

BOOST_AUTO_TEST_CASE(select_value_per_lane) {
    using P = actx::vector::pack<float>;
    P i = iota(0.0f);
    P r = select_value(i < float(P::size / 2), i, -i);
    auto v = lanes(r);
    for (std::size_t k = 0; k < P::size; ++k)
        BOOST_TEST(v[k] == (k < P::size / 2 ? float(k) : -float(k)));
    auto w = lanes(select_value(i > 0.0f, i, 7.0f));
    BOOST_TEST(w[0] == 7.0f);
    auto d = lanes(select_value(iota(0.0) > 0.0, iota(0.0), actx::vector::pack<double>(-1.0)));
    BOOST_TEST(d[0] == -1.0);
    BOOST_TEST(d[1] == 1.0);
}

// The expression evaluator's min/max/sign forms (core/operations.hpp), written
// out here on packs: NaN in either argument gives NaN; sign(±0) = ±0.
BOOST_AUTO_TEST_CASE(evaluator_forms_min_max_sign) {
    using P = actx::vector::pack<float>;
    const float nan = std::numeric_limits<float>::quiet_NaN();
    auto min = [](P a, P b) { return select_value(a < b, a, select_value(b < a, b, select_value(a != a, a, b))); };
    auto sign = [](P a) { return select_value(a > P(1.0f) * 0.0f, P(1.0f), select_value(a < P(0.0f), P(-1.0f), a * P(0.0f))); };
    BOOST_TEST(std::isnan(lanes(min(P(nan), P(1.0f)))[0]));
    BOOST_TEST(std::isnan(lanes(min(P(1.0f), P(nan)))[0]));
    BOOST_TEST(lanes(min(P(1.0f), P(2.0f)))[0] == 1.0f);
    BOOST_TEST(lanes(sign(P(-3.0f)))[0] == -1.0f);
    BOOST_TEST(std::signbit(lanes(sign(P(-0.0f)))[0]));
    BOOST_TEST(std::isnan(lanes(sign(P(nan)))[0]));
}

// Unqualified calls, as the evaluator makes them, find actx::vector's
// overloads (not xsimd's, not std's) and return packs.
BOOST_AUTO_TEST_CASE(primitives_found_by_adl) {
    using P = actx::vector::pack<float>;
    P x = 0.5f;
    P all[] = {exp(x), expm1(x), log(x), log1p(x), sqrt(x), abs(x), tanh(x), erf(x), erfc(x),
               sigmoid(x), log1pexp(x), gauss(x), normcdf(x), normpdf(x), tanhshrink(x),
               sigmoid_pair(x).positive, sigmoid_pair(x).negative, normal_pair(x).cdf, normal_pair(x).pdf};
    float want[] = {std::exp(0.5f), std::expm1(0.5f), std::log(0.5f), std::log1p(0.5f), std::sqrt(0.5f), 0.5f,
                    std::tanh(0.5f), std::erf(0.5f), std::erfc(0.5f), float(1 / (1 + std::exp(-0.5))),
                    float(std::log1p(std::exp(0.5))), float(std::exp(-0.25)), float(0.5 * std::erfc(-0.5 / std::sqrt(2.0))),
                    float(std::exp(-0.125) / std::sqrt(2 * 3.14159265358979323846)), float(0.5 - std::tanh(0.5)),
                    float(1 / (1 + std::exp(-0.5))), float(1 / (1 + std::exp(0.5))),
                    float(0.5 * std::erfc(-0.5 / std::sqrt(2.0))), float(std::exp(-0.125) / std::sqrt(2 * 3.14159265358979323846))};
    for (std::size_t i = 0; i < std::size(want); ++i) {
        float got = lanes(all[i])[0];
        BOOST_TEST(std::fabs(got - want[i]) <= 2e-7f * std::fabs(want[i]), "function #" << i << ": " << got << " vs " << want[i]);
    }
}

// A quotient by a constant integer, as the kernels compute it (a product by
// the reciprocal corrected by its exact residual, math/vector/pack.hpp),
// has the bits of the division: checked here against t / k itself, lane
// for lane, over every float bit pattern for k = 6 (hardsigmoid's and
// hardswish's divisor; a stride of 2^8 + 1 in the slow builds, unoptimised
// under the sanitizers or emulated, of 17 in the AVX2 and SSE2 builds) and over
// NaN, infinities, zeros, subnormals, the edge of the normals, exact
// halfway subnormal quotients and random bit patterns for other divisors,
// float and double.  Which constants qualify is decided at compile time.
static_assert(actx::dag::reciprocal_of_constant<float>(6) == 1.0f / 6);
static_assert(actx::dag::reciprocal_of_constant<double>(6) == 1.0 / 6);
static_assert(actx::dag::reciprocal_of_constant<float>(-6) == 0);  // negative: +0 / -6 is -0
static_assert(actx::dag::reciprocal_of_constant<double>(7) != 0);
static_assert(actx::dag::reciprocal_of_constant<float>(7) == 0);   // |c k - 1| > 2^-25 in float
static_assert(actx::dag::reciprocal_of_constant<double>(49) == 0); // |c k - 1| > 2^-54 in double
static_assert(actx::dag::reciprocal_of_constant<float>(8) == 0);   // a power of two
static_assert(actx::dag::reciprocal_of_constant<float>(2.5) == 0); // not an integer
static_assert(actx::dag::reciprocal_of_constant<double>(0x1p27 + 1) == 0);  // more than 26 bits

// Which dividends normal_quotient_by_constant may take: a sum with a
// constant c whose nonzero values are at least |c| 2^-(p+1), so that the
// quotient is never subnormal.
namespace never_tiny {
using actx::constant, actx::node, actx::var_t, actx::bits;
namespace op = actx::op;
using x_t = var_t<0>;
constexpr std::uint64_t six = bits(6.0);
static_assert(actx::dag::never_tiny_dividend<float, node<op::add, constant<bits(3.0)>, x_t>, six>);  // hardsigmoid
static_assert(actx::dag::never_tiny_dividend<double, node<op::add, constant<bits(3.0)>, x_t>, six>);
static_assert(actx::dag::never_tiny_dividend<float, node<op::sub, x_t, constant<bits(0x1p-98)>>, six>);  // 6 2^-126 2^25 <= 2^-98
static_assert(!actx::dag::never_tiny_dividend<float, node<op::sub, x_t, constant<bits(0x1p-99)>>, six>);
static_assert(actx::dag::never_tiny_dividend<double, node<op::sub, x_t, constant<bits(0x1p-99)>>, six>);
static_assert(!actx::dag::never_tiny_dividend<float, node<op::mul, x_t, node<op::add, constant<bits(3.0)>, x_t>>, six>);  // hardswish
static_assert(!actx::dag::never_tiny_dividend<float, node<op::add, constant<bits(3.0)>, node<op::mul, constant<bits(2.0)>, x_t>>, six>);  // one fma
static_assert(!actx::dag::never_tiny_dividend<float, node<op::add, x_t, node<op::add, constant<bits(3.0)>, x_t>>, six>);
static_assert(!actx::dag::never_tiny_dividend<float, node<op::add, constant<bits(1e300)>, x_t>, six>);  // c is inf in float
}  // namespace never_tiny

namespace {

template <class T>
using bits_t = std::conditional_t<sizeof(T) == 4, std::uint32_t, std::uint64_t>;

// Lanes of t / k computed both ways whose bits differ (NaN payloads too):
// by quotient_by_constant for every t, and by normal_quotient_by_constant
// for the t its callers guarantee (zero, infinite, NaN, or t / k normal).
template <class T>
std::size_t quotient_mismatches(std::vector<T> const& t, T k) {
    using P = actx::vector::pack<T>;
    const T c = actx::dag::reciprocal_of_constant<T>(k);
    BOOST_REQUIRE(c != 0);
    static std::vector<T> got, normal, want;  // kept from call to call: the sweep calls this 4096 times
    got.resize(t.size());
    normal.resize(t.size());
    want.resize(t.size());
    for (std::size_t i = 0; i + P::size <= t.size(); i += P::size) {
        P v = P::load(t.data() + i);
        quotient_by_constant(v, k, c).store(got.data() + i);
        normal_quotient_by_constant(v, k, c).store(normal.data() + i);
        (v / P(k)).store(want.data() + i);
    }
    std::size_t bad = 0;
    auto compare = [&](std::vector<T> const& computed, char const* how, auto applies) {
        if (std::memcmp(computed.data(), want.data(), t.size() * sizeof(T)) == 0) return;
        for (std::size_t i = 0; i < t.size(); ++i)
            if (applies(t[i]) && std::bit_cast<bits_t<T>>(computed[i]) != std::bit_cast<bits_t<T>>(want[i])) {
                if (bad++ < 5) BOOST_TEST_MESSAGE(how << ": t = " << t[i] << ": " << computed[i] << " vs " << want[i]);
            }
    };
    compare(got, "quotient_by_constant", [](T) { return true; });
    const T least = k * std::numeric_limits<T>::min();  // exact: k has at most 26 bits
    compare(normal, "normal_quotient_by_constant",
            [&](T v) { return v == 0 || !std::isfinite(v) || std::fabs(v) >= least; });
    return bad;
}

template <class T>
std::vector<T> hard_dividends(T k) {
    using B = bits_t<T>;
    constexpr int mantissa = std::numeric_limits<T>::digits - 1;
    std::vector<T> hard;
    const T special[] = {T(0), -T(0), std::numeric_limits<T>::infinity(), -std::numeric_limits<T>::infinity(),
                         std::numeric_limits<T>::quiet_NaN(), std::numeric_limits<T>::max(),
                         std::numeric_limits<T>::min(), std::numeric_limits<T>::denorm_min()};
    for (T s : special) hard.insert(hard.end(), {s, -s});
    // Around the edge of the normals, scaled by k: quotients on both sides of it.
    const T edge = std::numeric_limits<T>::min() * k;
    for (B d = 0; d < 4096; ++d) {
        hard.push_back(std::nextafter(edge, T(0)) - T(d) * std::numeric_limits<T>::denorm_min());
        hard.push_back(-(edge + T(d) * std::numeric_limits<T>::denorm_min()));
    }
    // Dividends whose quotient lies exactly halfway between two subnormals.
    for (B m = 0; m < 4096; ++m)
        hard.push_back(T(double(2 * m + 1) * double(k) / 2) * std::numeric_limits<T>::denorm_min());
    // Each in a vector of its own, the other lanes ordinary: a lane sent to
    // the division must not hide another that is wrong.
    std::vector<T> t;
    for (T h : hard) {
        t.push_back(h);
        t.insert(t.end(), actx::vector::pack<T>::size - 1, T(1));
    }
    std::mt19937_64 g(11);
    for (int i = 0; i < (ACTX_TEST_SLOW ? 1 << 14 : 1 << 20); ++i) {
        B b = static_cast<B>(g());
        t.push_back(std::bit_cast<T>(b));
        t.push_back(std::bit_cast<T>(static_cast<B>(b & ((B(1) << mantissa) - 1))));  // subnormal
    }
    while (t.size() % 64) t.push_back(T(1));
    return t;
}

// Every float bit pattern in chunks, each padded with 1 to a whole number
// of vectors, handed to check; returns how many patterns it saw.  All 2^32
// of them; every 257th in the slow builds (ACTX_TEST_SLOW: unoptimised under
// the sanitizers, or emulated), every 17th in the AVX2 and SSE2 builds and
// optimised under the sanitizers.
template <class Check>
std::uint64_t for_each_pattern_chunk(Check check) {
#if ACTX_TEST_SLOW
    constexpr std::uint64_t step = 257;
#elif ACTX_TEST_COARSE_SWEEPS
    constexpr std::uint64_t step = 17;
#else
    constexpr std::uint64_t step = 1;
#endif
    constexpr std::uint64_t patterns = std::uint64_t(1) << 32, chunk = 1 << 18;
    std::vector<float> t;
    std::uint64_t seen = 0;
    for (std::uint64_t first = 0; first < patterns; first += chunk * step) {
        const std::uint64_t n = std::min(chunk, (patterns - first + step - 1) / step);
        t.resize(n);
        for (std::uint64_t j = 0; j < n; ++j) t[j] = std::bit_cast<float>(static_cast<std::uint32_t>(first + j * step));
        while (t.size() % 64) t.push_back(1.0f);
        check(t);
        seen += n;
    }
    return seen;
}

// The quotients built on the processor's reciprocal estimate (rcp14) are
// the division's bits wherever it was measured, but Markstein's theorem
// does not cover a refined estimate: with another processor's rcp14 a lane
// could take the other neighbour of a quotient n / d lying within a hair
// of the halfway point between the two, which is as close to n / d as the
// division's (docs/design.md).  The tests count lanes that differ at all
// (none on the machines measured) and fail on any lane that is not that.
struct estimate_lanes {
    std::size_t differ = 0, wrong = 0;

    void judge(float got, float want, double n, double d) {
        if (std::bit_cast<std::uint32_t>(got) == std::bit_cast<std::uint32_t>(want) ||
            (std::isnan(got) && std::isnan(want)))
            return;
        ++differ;
        const auto a = std::bit_cast<std::uint32_t>(got), b = std::bit_cast<std::uint32_t>(want);
        const bool neighbours =
            std::isfinite(got) && std::isfinite(want) && (a >> 31) == (b >> 31) && (a > b ? a - b : b - a) == 1;
        const double halfway = (double(got) + double(want)) / 2, ulp = std::fabs(double(got) - double(want));
        if (!(neighbours && std::fabs(n / d - halfway) <= 0x1p-20 * ulp) && wrong++ < 5)
            BOOST_TEST_MESSAGE(n << " / " << d << ": " << got << " vs " << want);
    }
};

}  // namespace

// A template, so that the branch for targets without the operation is
// discarded, not compiled.
template <class P>
void quotient_by_constant_float_every_pattern_on() {
    if constexpr (requires(P v) { quotient_by_constant(v, 6.0f, 1.0f); }) {
        std::size_t bad = 0;
        const std::uint64_t checked = for_each_pattern_chunk([&](std::vector<float> const& t) { bad += quotient_mismatches(t, 6.0f); });
        BOOST_TEST_MESSAGE("t / 6 in float: " << checked << " patterns, " << bad << " differ from the division");
        BOOST_TEST(bad == 0u);
    } else {
        BOOST_TEST_MESSAGE("no fused multiply-add on this target: the kernels divide");
    }
}
BOOST_AUTO_TEST_CASE(quotient_by_constant_float_every_pattern) { quotient_by_constant_float_every_pattern_on<actx::vector::pack<float>>(); }

BOOST_AUTO_TEST_CASE(quotient_by_constant_hard_cases) {
    auto check = [](auto k) {
        using T = decltype(k);
        using P = actx::vector::pack<T>;
        if constexpr (requires(P v) { quotient_by_constant(v, k, k); }) {
            BOOST_TEST(quotient_mismatches(hard_dividends(k), k) == 0u, "k = " << k);
        }
    };
    for (float k : {3.0f, 6.0f, 10.0f, 99999.0f, 1000001.0f}) check(k);
    for (double k : {3.0, 6.0, 7.0, 10.0, 99999.0, 67108863.0}) check(k);
}

// A quotient by d >= 1 without a division (float lanes on AVX-512,
// math/vector/pack.hpp) has the bits of the division: softsign's
// x / (1 + |x|), which does without the tests for rare lanes, over every
// float bit pattern (strided as above; a NaN x need only give a NaN), and
// quotient_by_at_least_one over random pairs over the whole range of x and
// of d >= 1, with the hard cases (d infinite, NaN or above 2^126, x
// infinite, NaN, zero or subnormal).
template <class P>
void softsign_without_the_divider_on() {
    if constexpr (requires(P v) { quotient_by_at_least_one(v, v); }) {
        std::vector<float> got, want;
        estimate_lanes lanes;
        const std::uint64_t checked = for_each_pattern_chunk([&](std::vector<float> const& t) {
            got.resize(t.size());
            want.resize(t.size());
            for (std::size_t i = 0; i < t.size(); i += P::size) {
                P v = P::load(t.data() + i);
                softsign(v).store(got.data() + i);
                P c = select_value(v > P(0x1p60f), P(0x1p60f), select_value(v < P(-0x1p60f), P(-0x1p60f), v));
                (c / (P(1.0f) + abs(c))).store(want.data() + i);
            }
            if (std::memcmp(got.data(), want.data(), t.size() * sizeof(float)) != 0)
                for (std::size_t i = 0; i < t.size(); ++i) {
                    const float c = std::fmin(std::fmax(t[i], -0x1p60f), 0x1p60f);
                    lanes.judge(got[i], want[i], c, 1.0f + std::fabs(c));
                }
        });
        BOOST_TEST_MESSAGE("softsign in float: " << checked << " patterns, " << lanes.differ
                                                 << " differ from x / (1 + |x|), " << lanes.wrong << " by more than a near tie");
        BOOST_TEST(lanes.wrong == 0u);
    } else {
        BOOST_TEST_MESSAGE("not float on AVX-512: softsign divides");
    }
}
BOOST_AUTO_TEST_CASE(softsign_without_the_divider) { softsign_without_the_divider_on<actx::vector::pack<float>>(); }

template <class P>
void quotient_by_at_least_one_random_pairs_on() {
    if constexpr (requires(P v) { quotient_by_at_least_one(v, v); }) {
        const float inf = std::numeric_limits<float>::infinity(), nan = std::numeric_limits<float>::quiet_NaN();
        std::vector<float> x, d;
        const float hard_x[] = {0.0f, -0.0f, inf, -inf, nan, std::numeric_limits<float>::max(),
                                std::numeric_limits<float>::min(), std::numeric_limits<float>::denorm_min(), 1.0f};
        const float hard_d[] = {1.0f, inf, nan, 0x1p126f, 0x1.fffffep126f, 0x1p127f, std::numeric_limits<float>::max(),
                                0x1.fffffep0f, 0x1.000002p0f, 3.0f};
        for (float a : hard_x)
            for (float b : hard_d) {
                x.insert(x.end(), {a, -a});
                d.insert(d.end(), {b, b});
            }
        std::mt19937 g(5);
        const std::size_t pairs = ACTX_TEST_SLOW ? 1 << 16 : 1 << 24;
        for (std::size_t i = 0; i < pairs; ++i) {
            x.push_back(std::bit_cast<float>(static_cast<std::uint32_t>(g())));
            float b = std::bit_cast<float>(static_cast<std::uint32_t>(g()) & 0x7fffffffu);
            d.push_back(i % 4 == 0 ? 1.0f + b : b < 1.0f ? 1.0f / (b + 0x1p-100f) : b);  // every d >= 1, or NaN
        }
        while (x.size() % 64) {
            x.push_back(1.0f);
            d.push_back(1.0f);
        }
        estimate_lanes lanes;
        std::vector<float> got(P::size), want(P::size);
        for (std::size_t i = 0; i < x.size(); i += P::size) {
            P a = P::load(x.data() + i), b = P::load(d.data() + i);
            quotient_by_at_least_one(a, b).store(got.data());
            (a / b).store(want.data());
            for (std::size_t j = 0; j < P::size; ++j) lanes.judge(got[j], want[j], x[i + j], d[i + j]);
        }
        BOOST_TEST_MESSAGE("x / d for d >= 1: " << x.size() << " pairs, " << lanes.differ << " differ from the division, "
                                                << lanes.wrong << " by more than a near tie");
        BOOST_TEST(lanes.wrong == 0u);
    }
}
BOOST_AUTO_TEST_CASE(quotient_by_at_least_one_random_pairs) { quotient_by_at_least_one_random_pairs_on<actx::vector::pack<float>>(); }

// softsign's dy / d^2 (math/vector/pack.hpp, quotient_by_square) is one
// quotient by the rounded square, x / (d d) as a scalar computes it, and
// NaN where d d overflows (the kernel recomputes those lanes): random x and
// d = 1 + |u| for u over every exponent, and the hard cases (d at the edge
// of the overflow of d d, infinite or NaN; x zero of either sign, infinite,
// NaN, subnormal).  In float lanes on AVX-512 without the divider the
// quotient is the product form, which may take the other neighbour of a
// near tie (estimate_lanes); elsewhere every bit is the division's.
template <class T>
void quotient_by_square_on() {
    using P = actx::vector::pack<T>;
    const T inf = std::numeric_limits<T>::infinity(), nan = std::numeric_limits<T>::quiet_NaN();
    const T edge = std::sqrt(std::numeric_limits<T>::max());  // d d overflows from about here
    std::vector<T> x, d;
    for (T a : {T(0), T(1), inf, nan, std::numeric_limits<T>::max(), std::numeric_limits<T>::min(),
                std::numeric_limits<T>::denorm_min(), T(3.5)})
        for (T b : {T(1), T(2), edge, std::nextafter(edge, T(0)), std::nextafter(edge, inf), T(2) * edge, inf, nan,
                    std::numeric_limits<T>::max()}) {
            x.insert(x.end(), {a, -a});
            d.insert(d.end(), {b, b});
        }
    std::mt19937_64 g(7);
    using Bits = std::conditional_t<std::is_same_v<T, float>, std::uint32_t, std::uint64_t>;
    const std::size_t pairs = ACTX_TEST_SLOW ? 1 << 14 : 1 << 20;
    for (std::size_t i = 0; i < pairs; ++i) {
        x.push_back(std::bit_cast<T>(static_cast<Bits>(g())));
        d.push_back(T(1) + std::abs(std::bit_cast<T>(static_cast<Bits>(g()))));
    }
    while (x.size() % P::size) {
        x.push_back(T(1));
        d.push_back(T(1));
    }
    std::vector<T> got(P::size);
    std::size_t overflowed = 0, wrong = 0;
    estimate_lanes lanes;
    for (std::size_t i = 0; i < x.size(); i += P::size) {
        quotient_by_square(P::load(x.data() + i), P::load(d.data() + i)).store(got.data());
        for (std::size_t j = 0; j < P::size; ++j) {
            const T a = x[i + j], b = d[i + j], square = b * b;
            if (std::isinf(square)) {
                ++overflowed;
                if (!std::isnan(got[j]) && wrong++ < 5) BOOST_TEST_MESSAGE(a << " / " << b << "^2: " << got[j] << ", not NaN");
                continue;
            }
            const T want = a / square;
            if constexpr (std::is_same_v<T, float>) {
                lanes.judge(got[j], want, a, square);
            } else if (!(std::bit_cast<Bits>(got[j]) == std::bit_cast<Bits>(want) || (std::isnan(got[j]) && std::isnan(want)))) {
                if (wrong++ < 5) BOOST_TEST_MESSAGE(a << " / " << b << "^2: " << got[j] << " vs " << want);
            }
        }
    }
    BOOST_TEST_MESSAGE("x / d^2: " << x.size() << " pairs, " << overflowed << " with d d overflowing, " << lanes.differ
                                   << " differ from x / (d d)");
    BOOST_TEST(overflowed > 0u);
    BOOST_TEST(wrong == 0u);
    BOOST_TEST(lanes.wrong == 0u);
}
BOOST_AUTO_TEST_CASE(quotient_by_square_float) { quotient_by_square_on<float>(); }
BOOST_AUTO_TEST_CASE(quotient_by_square_double) { quotient_by_square_on<double>(); }
