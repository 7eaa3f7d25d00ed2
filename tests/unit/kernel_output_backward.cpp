// backward_from_output: the gradient from the saved output y, against
// PyTorch's formulas written out here in plain float and double code (not
// through actx), element for element and bit for bit; against backward from
// x where the two are the same numbers; in place; and its checks on misuse.
// The accuracy cost of sigmoid and tanh from y is measured and printed
// (--log_level=message) and held to its error analysis.
#include <actx/catalogue.hpp>
#include <actx/kernel/kernel.hpp>

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "../kernels/compiled.hpp"
#include "sanitized.hpp"

using namespace actx;

namespace {
constexpr auto x = var<0>;

#if ACTX_TEST_SLOW
constexpr int rounds = 20;
#else
constexpr int rounds = 100;
#endif

// Outputs an activation can have, and some it cannot (a negative y for
// relu): the formulas are defined for every y, and so is the kernel.
template <class T>
std::vector<T> special_values() {
    using limits = std::numeric_limits<T>;
    std::vector<T> v{T(0),         -T(0),         limits::denorm_min(), -limits::denorm_min(), limits::min(),
                     -limits::min(), T(1),        -T(1),                T(0.5),                -T(0.5),
                     T(1) - limits::epsilon(),   T(1) - limits::epsilon() / 2, -(T(1) - limits::epsilon() / 2),
                     limits::max(), -limits::max(), limits::infinity(), -limits::infinity(), limits::quiet_NaN(),
                     T(1e30),      T(-1e30),      T(3),                 T(-0.01),              T(-0.99)};
    return v;
}

template <class T>
std::vector<T> random_values(std::mt19937& rng, std::size_t n) {
    auto specials = special_values<T>();
    std::uniform_real_distribution<double> wide(-40.0, 40.0), narrow(-1.5, 1.5), exponent(-60, 60);
    std::uniform_int_distribution<int> pick(0, 99);
    std::uniform_int_distribution<std::size_t> special(0, specials.size() - 1);
    std::vector<T> v(n);
    for (auto& e : v) {
        int p = pick(rng);
        if (p < 15) e = specials[special(rng)];
        else if (p < 45) e = T(wide(rng));
        else if (p < 85) e = T(narrow(rng));
        else e = T(std::exp2(exponent(rng)) * (p % 2 ? 1 : -1));
    }
    return v;
}

template <class T>
bool same_bits(T a, T b) {
    if (std::isnan(a) || std::isnan(b)) return std::isnan(a) && std::isnan(b);
    return std::bit_cast<std::conditional_t<sizeof(T) == 4, std::uint32_t, std::uint64_t>>(a) ==
           std::bit_cast<std::conditional_t<sizeof(T) == 4, std::uint32_t, std::uint64_t>>(b);
}

// PyTorch's formulas (aten/src/ATen/native/cpu: threshold_backward,
// leaky_relu_backward and elu_backward with is_result, sigmoid_backward,
// tanh_backward), in the order PyTorch writes the operations.
namespace pytorch {
template <class T> T relu(T y, T dy) { return y <= T(0) ? T(0) : dy; }
template <class T> T leaky_relu(T y, T dy, double slope) { return y > T(0) ? dy : dy * T(slope); }
// elu_backward(grad, alpha, scale, input_scale, is_result = true, result),
// with its coefficients negcoef = alpha scale, poscoef = scale and
// negiptcoef = input_scale given directly.
template <class T> T elu(T y, T dy, double negcoef, double poscoef = 1, double negiptcoef = 1) {
    return y <= T(0) ? dy * T(negiptcoef) * (y + T(negcoef)) : dy * T(poscoef);
}
template <class T> T sigmoid(T y, T dy) { return dy * (T(1) - y) * y; }
template <class T> T tanh(T y, T dy) { return dy * (T(1) - y * y); }
}  // namespace pytorch

// The kernel of f from y against `formula`, on random sizes, offsets and
// values (so every element is in turn in the body and in the tail), and in
// place over dy and over y.
template <class T, class F, class Formula>
void check_formula(F f, Formula formula, std::mt19937& rng) {
    auto k = kernel(f);
    std::uniform_int_distribution<std::size_t> size(0, 700), offset(0, 7);
    for (int round = 0; round < rounds; ++round) {
        std::size_t n = size(rng), o = offset(rng);
        auto y_storage = random_values<T>(rng, n + o), dy_storage = random_values<T>(rng, n + o);
        std::span<T const> ys(y_storage.data() + o, n), dys(dy_storage.data() + o, n);
        std::vector<T> dx(n, T(-7));
        k.backward_from_output(ys, dys, dx);
        for (std::size_t i = 0; i < n; ++i) {
            T expected = formula(ys[i], dys[i]);
            BOOST_REQUIRE_MESSAGE(same_bits(dx[i], expected), "at y = " << ys[i] << ", dy = " << dys[i] << ": "
                                                                         << dx[i] << ", PyTorch's formula "
                                                                         << expected);
        }
        std::vector<T> over_dy(dys.begin(), dys.end()), over_y(ys.begin(), ys.end());
        k.backward_from_output(ys, over_dy, over_dy);
        k.backward_from_output(over_y, dys, over_y);
        for (std::size_t i = 0; i < n; ++i) {
            BOOST_REQUIRE(same_bits(over_dy[i], dx[i]));
            BOOST_REQUIRE(same_bits(over_y[i], dx[i]));
        }
    }
}

template <class T>
void check_every_formula(std::mt19937& rng) {
    using namespace pytorch;
    check_formula<T>(relu(x), [](T y, T dy) { return pytorch::relu(y, dy); }, rng);
    check_formula<T>(leaky_relu(x), [](T y, T dy) { return pytorch::leaky_relu(y, dy, 0.01); }, rng);
    check_formula<T>(leaky_relu(x, 0.2_c), [](T y, T dy) { return pytorch::leaky_relu(y, dy, 0.2); }, rng);
    // Slope 0: the expression simplifies to y > 0 ? dy : 0, which is
    // PyTorch's dy * 0 except for the sign of a zero and an infinite dy.
    check_formula<T>(leaky_relu(x, 0_c), [](T y, T dy) { return y > T(0) ? dy : T(0); }, rng);
    check_formula<T>(elu(x), [](T y, T dy) { return pytorch::elu(y, dy, 1.0); }, rng);
    check_formula<T>(elu(x, 0.5_c), [](T y, T dy) { return pytorch::elu(y, dy, 0.5); }, rng);
    check_formula<T>(elu(x, 3_c), [](T y, T dy) { return pytorch::elu(y, dy, 3.0); }, rng);
    // celu is elu with input scale 1 / alpha (torch.celu calls elu so).
    check_formula<T>(celu(x, 2_c), [](T y, T dy) { return pytorch::elu(y, dy, 2.0, 1.0, 1.0 / 2.0); }, rng);
    check_formula<T>(celu(x, 0.3_c), [](T y, T dy) { return pytorch::elu(y, dy, 0.3, 1.0, 1.0 / 0.3); }, rng);
    // selu: elu with SELU's alpha and scale.  negcoef is lambda alpha
    // correctly rounded, the constant selu's forward uses; PyTorch multiplies
    // alpha by lambda at run time, one ulp lower in double.
    check_formula<T>(selu(x),
                     [](T y, T dy) {
                         return pytorch::elu(y, dy, 1.7580993408473768599402175208123,
                                             1.0507009873554804934193349852946);
                     },
                     rng);
    check_formula<T>(sigmoid(x), [](T y, T dy) { return pytorch::sigmoid(y, dy); }, rng);
    check_formula<T>(tanh(x), [](T y, T dy) { return pytorch::tanh(y, dy); }, rng);
}
}  // namespace

BOOST_AUTO_TEST_CASE(pytorch_formulas_bit_for_bit) {
    std::mt19937 rng(1123);
    check_every_formula<float>(rng);
    check_every_formula<double>(rng);
}

namespace {
// y from the kernel's forward, then dx from y and from x.
template <class T, class F>
void from_output_and_from_input(F f, std::vector<T> const& xs, std::vector<T> const& dys, std::vector<T>& from_output,
                                std::vector<T>& from_input) {
    auto k = kernel(f);
    // forward and backward as compiled once for the kernel tests where f is
    // an activation of the catalogue (tests/kernels/compiled.hpp).
    auto const passes = [&] {
        if constexpr (actx_test::compiled_for<F>) return actx_test::compiled_kernel<T>(f);
        else return k;
    }();
    std::vector<T> ys(xs.size());
    from_output.assign(xs.size(), T(0));
    from_input.assign(xs.size(), T(0));
    passes.forward(xs, ys);
    k.backward_from_output(ys, dys, from_output);
    passes.backward(xs, dys, from_input);
}

template <class T>
void check_same_as_from_input(std::mt19937& rng) {
    auto xs = random_values<T>(rng, 20000);
    auto dys = random_values<T>(rng, xs.size());
    // An infinite or NaN dy times a derivative of 0 is NaN from x and 0 from
    // y (PyTorch's threshold_backward gives 0 too): finite gradients only.
    for (auto& dy : dys)
        if (!std::isfinite(dy)) dy = T(-2.5);
    // A NaN x makes backward's gradient NaN (NaN in, NaN out); from y,
    // PyTorch's formula gives dy or 0 for y = NaN.  Compared apart below.
    for (auto& x : xs)
        if (std::isnan(x)) x = T(0.75);
    std::vector<T> from_output, from_input;
    T const eps = std::numeric_limits<T>::epsilon();

    // relu and leaky_relu: the same numbers (relu's 0 may be -0 from x).
    auto exactly = [&](auto f, char const* name) {
        from_output_and_from_input<T>(f, xs, dys, from_output, from_input);
        for (std::size_t i = 0; i < xs.size(); ++i)
            BOOST_REQUIRE_MESSAGE(from_output[i] == from_input[i] ||
                                      (std::isnan(from_output[i]) && std::isnan(from_input[i])),
                                  name << " at x = " << xs[i] << ": " << from_output[i] << " from y, "
                                       << from_input[i] << " from x");
    };
    exactly(relu(x), "relu");
    exactly(leaky_relu(x), "leaky_relu");
    exactly(leaky_relu(x, 0.2_c), "leaky_relu(0.2)");
    exactly(leaky_relu(x, 0_c), "leaky_relu(0)");

    // elu family: equal for x > 0; from 0 down, y + alpha carries the
    // rounding of y (a few ulp of alpha), so they agree to a few ulp of
    // alpha |dy|.
    auto nearly = [&](auto f, double alpha, char const* name) {
        from_output_and_from_input<T>(f, xs, dys, from_output, from_input);
        for (std::size_t i = 0; i < xs.size(); ++i) {
            if (std::isnan(xs[i])) {
                BOOST_REQUIRE(std::isnan(from_output[i]) == std::isnan(from_input[i]));
                continue;
            }
            if (std::isinf(from_output[i]) || std::isinf(from_input[i])) {
                // dy near the largest float: both overflow, or both nearly do.
                T large = std::numeric_limits<T>::max() / 2;
                BOOST_REQUIRE(std::abs(from_output[i]) >= large && std::abs(from_input[i]) >= large &&
                              std::signbit(from_output[i]) == std::signbit(from_input[i]));
            } else if (xs[i] >= std::numeric_limits<T>::min()) {
                // (a subnormal x is recomputed in double on the backward path:
                // kernel/exceptional.hpp; it takes the tolerance below)
                BOOST_REQUIRE_MESSAGE(from_output[i] == from_input[i],
                                      name << " at x = " << xs[i] << ": " << from_output[i] << " from y, "
                                           << from_input[i] << " from x");
            } else {
                T bound = 8 * eps * T(alpha) * std::abs(dys[i]) + 4 * eps * std::abs(from_input[i]) +
                          std::numeric_limits<T>::min();
                BOOST_REQUIRE_MESSAGE(std::abs(from_output[i] - from_input[i]) <= bound,
                                      name << " at x = " << xs[i] << ": " << from_output[i] << " from y, "
                                           << from_input[i] << " from x");
            }
        }
    };
    nearly(elu(x), 1.0, "elu");
    nearly(elu(x, 0.5_c), 0.5, "elu(0.5)");
    nearly(celu(x, 2_c), 2.0, "celu(2)");
    nearly(selu(x), constants::selu_lambda_alpha, "selu");
}
}  // namespace

BOOST_AUTO_TEST_CASE(same_as_backward_from_input) {
    std::mt19937 rng(17);
    check_same_as_from_input<float>(rng);
    check_same_as_from_input<double>(rng);
}

namespace {
// Relative error of the gradient from y against the gradient from x, over
// x = k / 64 in [lo, hi], with dy = 1.
template <class T, class F>
std::vector<double> relative_errors(F f, double lo, double hi, std::vector<T>& xs) {
    xs.clear();
    for (double v = lo; v <= hi; v += 1.0 / 64) xs.push_back(T(v));
    std::vector<T> dys(xs.size(), T(1)), from_output, from_input;
    from_output_and_from_input<T>(f, xs, dys, from_output, from_input);
    std::vector<double> errors(xs.size());
    for (std::size_t i = 0; i < xs.size(); ++i)
        errors[i] = std::abs(double(from_output[i]) - double(from_input[i])) / double(from_input[i]);
    return errors;
}

template <class T>
void measure_sigmoid_and_tanh(char const* type_name) {
    double const eps = std::numeric_limits<T>::epsilon();
    std::vector<T> xs;
    // Error analysis: y carries a relative error of a few ulp (the kernel's
    // sigmoid and tanh are within 2 ulp), and 1 - y magnifies it by
    // y / (1 - y) = e^x for sigmoid, 1 - y^2 by y^2 / (1 - y^2) = sinh^2 x
    // for tanh; the three products add three roundings.
    for (double range : {4.0, 8.0, 12.0}) {
        auto sigmoid_errors = relative_errors<T>(sigmoid(x), -range, range, xs);
        auto tanh_errors = relative_errors<T>(tanh(x), -range, range, xs);
        double sigmoid_max = 0, tanh_max = 0;
        for (std::size_t i = 0; i < xs.size(); ++i) {
            double v = double(xs[i]);
            sigmoid_max = std::max(sigmoid_max, sigmoid_errors[i]);
            tanh_max = std::max(tanh_max, tanh_errors[i]);
            BOOST_REQUIRE_MESSAGE(sigmoid_errors[i] <= 5 * eps * (1 + std::exp(v)),
                                  "sigmoid at x = " << v << ": relative error " << sigmoid_errors[i]);
            BOOST_REQUIRE_MESSAGE(tanh_errors[i] <= 5 * eps * (1 + 2 * std::sinh(v) * std::sinh(v)),
                                  "tanh at x = " << v << ": relative error " << tanh_errors[i]);
        }
        BOOST_TEST_MESSAGE(type_name << " |x| <= " << range << ": max relative error from y vs from x: sigmoid "
                                     << sigmoid_max << ", tanh " << tanh_max);
    }
}
}  // namespace

BOOST_AUTO_TEST_CASE(sigmoid_and_tanh_from_output_lose_accuracy_as_y_nears_one) {
    measure_sigmoid_and_tanh<float>("float");
    measure_sigmoid_and_tanh<double>("double");
    // Where y rounds to 1 the gradient from y is exactly 0, while the true one
    // is e^-x (sigmoid) or 4 e^-2x (tanh), far above float's smallest normal.
    auto first_zero = [](auto f, double from) {
        std::vector<float> xs;
        for (double v = from; v <= from + 20; v += 1.0 / 64) xs.push_back(float(v));
        std::vector<float> dys(xs.size(), 1.0f), from_output, from_input;
        from_output_and_from_input<float>(f, xs, dys, from_output, from_input);
        for (std::size_t i = 0; i < xs.size(); ++i) {
            if (from_output[i] == 0.0f) {
                BOOST_TEST(from_input[i] > std::numeric_limits<float>::min());
                return xs[i];
            }
        }
        return std::numeric_limits<float>::infinity();
    };
    float sigmoid_zero = first_zero(sigmoid(x), 0.0), tanh_zero = first_zero(tanh(x), 0.0);
    BOOST_TEST_MESSAGE("float: the gradient from y is 0 from x = " << sigmoid_zero << " (sigmoid), x = "
                                                                   << tanh_zero << " (tanh)");
    // 1 - sigmoid(x) < 2^-25 once e^-x < 2^-25, x > 25 ln 2 = 17.3; for tanh
    // 2 e^-2x < 2^-25, x > 9.0: y rounds to 1 a little before (within 1 ulp).
    BOOST_TEST(sigmoid_zero > 16.5f);
    BOOST_TEST(sigmoid_zero < 17.5f);
    BOOST_TEST(tanh_zero > 8.5f);
    BOOST_TEST(tanh_zero < 9.5f);
}

// Misuse is rejected, with the arrays named as backward names them, before
// anything is written.
BOOST_AUTO_TEST_CASE(misuse_is_rejected_and_nothing_is_written) {
    auto k = kernel(sigmoid(x));
    std::vector<float> ys(64, 0.5f), dys(64, 1.0f), dxs(64, -7.0f);
    auto untouched = [&] {
        return std::all_of(dxs.begin(), dxs.end(), [](float v) { return v == -7.0f; }) &&
               std::all_of(ys.begin(), ys.end(), [](float v) { return v == 0.5f; });
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
    BOOST_TEST(rejects([&] { k.backward_from_output(ys, std::span<float const>(dys).first(10), dxs); },
                       "output gradient 0 has 10 elements, output 0 has 64"));
    BOOST_TEST(untouched());
    BOOST_TEST(rejects([&] { k.backward_from_output(ys, dys, std::span<float>(dxs).first(63)); },
                       "input gradient 0 has 63 elements, output 0 has 64"));
    BOOST_TEST(untouched());
    BOOST_TEST(rejects(
                   [&] {
                       k.backward_from_output(std::span<float const>(ys).first(32), std::span<float const>(dys).first(32),
                                              std::span<float>(ys).subspan(16, 32));
                   },
                   "output 0 and input gradient 0 overlap"));
    BOOST_TEST(untouched());
    BOOST_TEST(rejects(
                   [&] {
                       k.backward_from_output<float>({std::span<float const>(ys).first(32)},
                                                     {std::span<float const>(dys).first(32)},
                                                     {std::span<float>(dys).subspan(1, 32)});
                   },
                   "output gradient 0 and input gradient 0 overlap"));
    BOOST_TEST(untouched());

    // Empty arrays are fine; in place over y or dy is fine.
    k.backward_from_output(std::span<float const>(), std::span<float const>(), std::span<float>());
    k.backward_from_output(ys, dys, dys);
    for (float v : dys) BOOST_TEST(v == 0.25f);  // 1 * (1 - 0.5) * 0.5
}
