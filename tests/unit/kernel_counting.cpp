// Proof by counting that a fused pass computes each distinct subexpression
// once per element: the kernel runs on a value type that counts every
// primitive evaluation.
//
// Scalar code only: the same on every instruction set (ACTX_TEST_SCOPE=isa skips it).
#include <actx/catalogue.hpp>
#include <actx/kernel/kernel.hpp>

#include <boost/test/unit_test.hpp>

#include <cmath>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace counting {

std::map<std::string, std::size_t> calls;

// A double that counts the primitives evaluated on it, by name.
struct counted {
    double v = 0;
    counted() = default;
    counted(double value) : v(value) {}
    friend counted operator+(counted a, counted b) { return a.v + b.v; }
    friend counted operator-(counted a, counted b) { return a.v - b.v; }
    friend counted operator*(counted a, counted b) { return a.v * b.v; }
    friend counted operator/(counted a, counted b) { return a.v / b.v; }
    friend counted operator-(counted a) { return -a.v; }
    friend bool operator<(counted a, counted b) { return a.v < b.v; }
    friend bool operator<=(counted a, counted b) { return a.v <= b.v; }
    friend bool operator>(counted a, counted b) { return a.v > b.v; }
    friend bool operator>=(counted a, counted b) { return a.v >= b.v; }
    friend bool operator!=(counted a, counted b) { return a.v != b.v; }
};

#define COUNTED(name)                                  \
    inline counted name(counted a) {                   \
        ++calls[#name];                                \
        return actx::math::name(a.v);                  \
    }
COUNTED(exp) COUNTED(expm1) COUNTED(log) COUNTED(log1p) COUNTED(sqrt) COUNTED(tanh) COUNTED(erf)
COUNTED(erfc) COUNTED(log1pexp) COUNTED(gauss) COUNTED(tanhshrink)
COUNTED(gelu_tanh_gate) COUNTED(softsign)
#undef COUNTED
// abs and sign are arithmetic (a mask or a compare), not primitives.
inline counted abs(counted a) { return a.v < 0 ? -a.v : a.v; }
inline counted sigmoid(counted) {
    ++calls["sigmoid, unpaired"];  // the kernel must never call this: it pairs
    return 0.0;
}
inline counted normcdf(counted) { ++calls["normcdf, unpaired"]; return 0.0; }
inline counted normpdf(counted) { ++calls["normpdf, unpaired"]; return 0.0; }

// The product of a pair's members is part of the joint evaluation (it would
// be an extra multiplication here, but is not a primitive).
struct sigmoids { counted positive, negative, product, softplus, softplus_negative; };
inline sigmoids sigmoid_pair(counted a) {
    ++calls["sigmoid_pair"];
    auto r = actx::dag::sigmoid_pair(a.v);
    return {r.positive, r.negative, r.product, r.softplus, r.softplus_negative};
}
struct exps { counted exp, expm1; };
inline exps exp_pair(counted a) {
    ++calls["exp_pair"];
    return {actx::math::exp(a.v), actx::math::expm1(a.v)};
}
struct normals { counted cdf, pdf, derivative; };
inline normals normal_pair(counted a) {
    ++calls["normal_pair"];
    auto r = actx::dag::normal_pair(a.v);
    return {r.cdf, r.pdf, r.derivative};
}

struct tanhs { counted tanh, positive, negative, product, tanhshrink; };
inline tanhs tanh_sigmoids(counted a) {
    ++calls["tanh_sigmoids"];
    auto r = actx::dag::tanh_sigmoids(a.v);
    return {r.tanh, r.positive, r.negative, r.product, r.tanhshrink};
}

struct gates { counted positive, negative, product, derivative; };
inline gates gelu_tanh_gate_pair(counted a) {
    ++calls["gelu_tanh_gate_pair"];
    return {actx::dag::gelu_tanh_gate_pair(a.v).positive, actx::dag::gelu_tanh_gate_pair(a.v).negative,
            actx::dag::gelu_tanh_gate_pair(a.v).product, actx::dag::gelu_tanh_gate_pair(a.v).derivative};
}

struct softplus_tanhs { counted tanh, positive, negative, product, derivative; };
inline softplus_tanhs softplus_tanh(counted a) {
    ++calls["softplus_tanh"];
    auto r = actx::dag::softplus_tanh(a.v);
    return {r.tanh, r.positive, r.negative, r.product, r.derivative};
}

struct counting_values {
    template <class T> using type = counted;
    template <class T> static constexpr std::size_t width = 1;
    template <class T> static counted load(T const* p) { return *p; }
    template <class T> static void store(counted v, T* p) { *p = static_cast<T>(v.v); }
};

std::size_t total() {
    std::size_t sum = 0;
    for (auto const& [name, count] : calls) sum += count;
    return sum;
}

}  // namespace counting

using namespace actx;
using counting::calls;

namespace {
constexpr auto x = var<0>;
constexpr std::size_t n = 100;

template <class F>
kernel_with<counting::counting_values, F> counting_kernel(F) {
    return {};
}
}  // namespace

BOOST_AUTO_TEST_CASE(silu_forward_backward_evaluates_its_sigmoid_once) {
    std::vector<double> xs(n, 0.5), dys(n, 1.0), ys(n), dxs(n);
    auto k = counting_kernel(silu(x));
    calls.clear();
    k.forward_backward(xs, dys, ys, dxs);
    BOOST_TEST(calls["sigmoid_pair"] == n);
    BOOST_TEST(counting::total() == n);
    BOOST_TEST(dxs[0] == d(silu(x), x)(0.5));
    // Run separately, the two passes evaluate it twice.
    calls.clear();
    k.forward(xs, ys);
    k.backward(xs, dys, dxs);
    BOOST_TEST(calls["sigmoid_pair"] == 2 * n);
}

// forward_backward of f on n elements equal to x0, by the counting type:
// checks that the joint evaluation `joint` is the only primitive, once per
// element, and returns y and dx at x0.
template <class F>
std::pair<double, double> fused_once(F f, double x0, char const* joint) {
    std::vector<double> xs(n, x0), dys(n, 1.0), ys(n), dxs(n);
    auto k = counting_kernel(f);
    calls.clear();
    k.forward_backward(xs, dys, ys, dxs);
    BOOST_TEST(calls[joint] == n);
    BOOST_TEST(counting::total() == n);
    return {ys[0], dxs[0]};
}

BOOST_AUTO_TEST_CASE(gelu_forward_backward_evaluates_erfc_and_exp_once) {
    // normal_pair is normcdf, normpdf and gelu' from one exp(-x^2/2) and one erfc.
    auto [y, dx] = fused_once(gelu(x), -1.5, "normal_pair");
    BOOST_TEST(y == gelu(x)(-1.5));
    BOOST_TEST(dx == d(gelu(x), x)(-1.5), boost::test_tools::tolerance(1e-15));
}

BOOST_AUTO_TEST_CASE(tanh_forward_backward_evaluates_one_exponential) {
    // tanh' = 4 sigmoid(2x) sigmoid(-2x): one joint evaluation gives tanh and
    // both sigmoids.
    auto [y, dx] = fused_once(tanh(x), 0.3, "tanh_sigmoids");
    BOOST_TEST(y == std::tanh(0.3), boost::test_tools::tolerance(1e-15));
    BOOST_TEST(dx == 1 - std::tanh(0.3) * std::tanh(0.3), boost::test_tools::tolerance(1e-14));
}

BOOST_AUTO_TEST_CASE(tanhshrink_forward_backward_evaluates_one_exponential) {
    // tanhshrink' = tanh(x)^2: tanhshrink and tanh come from one joint
    // evaluation, which also serves tanh's.
    for (double x0 : {-2.5, 0.4}) {
        auto [y, dx] = fused_once(tanhshrink(x), x0, "tanh_sigmoids");
        BOOST_TEST(y == x0 - std::tanh(x0), boost::test_tools::tolerance(1e-14));
        BOOST_TEST(dx == std::tanh(x0) * std::tanh(x0), boost::test_tools::tolerance(1e-14));
    }
}

BOOST_AUTO_TEST_CASE(gelu_tanh_forward_backward_evaluates_its_gate_once) {
    // gelu_tanh' is written with gate(x) and gate(-x): one joint evaluation.
    auto [y, dx] = fused_once(gelu_tanh(x), -0.7, "gelu_tanh_gate_pair");
    BOOST_TEST(y == gelu_tanh(x)(-0.7));
    BOOST_TEST(dx == d(gelu_tanh(x), x)(-0.7), boost::test_tools::tolerance(1e-15));
}

BOOST_AUTO_TEST_CASE(elu_forward_backward_evaluates_one_exponential) {
    // elu = select(x <= 0, expm1(x), x), elu' = select(x <= 0, exp(x), 1):
    // one joint evaluation gives both.
    auto [y, dx] = fused_once(elu(x), -0.5, "exp_pair");
    BOOST_TEST(y == std::expm1(-0.5), boost::test_tools::tolerance(1e-15));
    BOOST_TEST(dx == std::exp(-0.5), boost::test_tools::tolerance(1e-15));
}

BOOST_AUTO_TEST_CASE(softplus_and_logsigmoid_forward_backward_evaluate_one_exponential) {
    // log1pexp(x) and its derivative sigmoid(x) share 1 + e^-|x|; so do
    // logsigmoid = -log1pexp(-x) and sigmoid(-x).
    auto [y, dx] = fused_once(softplus(x), -1.5, "sigmoid_pair");
    BOOST_TEST(y == std::log1p(std::exp(-1.5)), boost::test_tools::tolerance(1e-15));
    BOOST_TEST(dx == 1 / (1 + std::exp(1.5)), boost::test_tools::tolerance(1e-15));
    auto [ly, ldx] = fused_once(logsigmoid(x), 0.7, "sigmoid_pair");
    BOOST_TEST(ly == -std::log1p(std::exp(-0.7)), boost::test_tools::tolerance(1e-15));
    BOOST_TEST(ldx == 1 / (1 + std::exp(0.7)), boost::test_tools::tolerance(1e-15));
}

BOOST_AUTO_TEST_CASE(mish_forward_backward_evaluates_one_exponential) {
    // mish = x tanh(log1pexp(x)); its derivative tanh(L) + x (4 sigmoid(2L)
    // sigmoid(-2L)) sigmoid(x) needs no log1pexp and no sigmoid of its own:
    // the whole derivative of tanh(log1pexp(x)) is one member of the joint
    // evaluation.
    auto [y, dx] = fused_once(mish(x), -2.5, "softplus_tanh");
    // Against the closed form e omega / delta^2, e = e^x, omega = 4 (x + 1) +
    // 4 e^2 + e^3 + e (4 x + 6), delta = e^2 + 2 e + 2 (independent of the
    // composed formula the counted type evaluates).
    double e = std::exp(-2.5), omega = 4 * (-2.5 + 1) + 4 * e * e + e * e * e + e * (4 * -2.5 + 6);
    double delta = 2 * e + e * e + 2;
    BOOST_TEST(dx == e * omega / (delta * delta), boost::test_tools::tolerance(1e-14));
    BOOST_TEST(y == -2.5 * std::tanh(std::log1p(e)), boost::test_tools::tolerance(1e-14));
}

// For every activation: the primitive evaluations per element in the fused
// pass equal the distinct primitive slots of its DAG, fewer than the
// separate passes make together whenever the passes share a primitive.
BOOST_AUTO_TEST_CASE(every_activation_counts_its_distinct_primitives) {
    boost::hana::for_each(catalogue::unary, [](auto entry) {
        using F = decltype(entry.expression);
        if constexpr (arity_of<F>::params == 0) {
            std::vector<double> xs(n, 0.75), dys(n, 1.0), ys(n), dxs(n);
            auto k = counting_kernel(entry.expression);
            using graph = dag::of<F, decltype(d(F{}, x) * var<1>)>;
            calls.clear();
            k.forward_backward(xs, dys, ys, dxs);
            BOOST_TEST_CONTEXT(entry.name) {
                BOOST_TEST(counting::total() == n * dag::primitive_count<graph>::value);
                BOOST_TEST(calls.count("sigmoid, unpaired") == 0u);
                BOOST_TEST(calls.count("normcdf, unpaired") == 0u);
            }
            BOOST_TEST_MESSAGE(entry.name << ": " << dag::primitive_count<graph>::value
                                          << " primitive evaluation(s) per element, forward and backward together");
        }
    });
}
