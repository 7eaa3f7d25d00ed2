// actx::vector::pack basics: unaligned load/store, arithmetic with scalars on
// either side, comparisons (IEEE: NaN compares unequal and unordered),
// masks, select_value, and that the unqualified calls the expression
// evaluator makes resolve to actx::vector by argument-dependent lookup.
#include <actx/math/vector/math.hpp>

#include <boost/test/unit_test.hpp>

#include <cmath>
#include <cstddef>
#include <limits>
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
