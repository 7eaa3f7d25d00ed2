// The printer renders expressions and derivatives as readable math; docs and
// failing tests rely on these exact strings.
//
// Scalar code only: the same on every instruction set (ACTX_TEST_SCOPE=isa skips it).
#include <actx/actx.hpp>

#include <boost/test/unit_test.hpp>

using namespace actx;

namespace {
constexpr auto x = var<0>;
constexpr auto y = var<1>;
}  // namespace

BOOST_AUTO_TEST_CASE(activations_print_as_math) {
    BOOST_TEST(to_string(silu(x)) == "x * sigmoid(x)");
    BOOST_TEST(to_string(relu(x)) == "select(x <= 0, 0, x)");
    BOOST_TEST(to_string(gelu(x)) == "x * normcdf(x)");
    BOOST_TEST(to_string(leaky_relu(x)) == "select(x > 0, x, 0.01 * x)");
    BOOST_TEST(to_string(swiglu(x, y)) == "y * (x * sigmoid(x))");
}

BOOST_AUTO_TEST_CASE(derivatives_print_as_math) {
    BOOST_TEST(to_string(d(silu(x), x)) == "x * (sigmoid(x) * sigmoid(-x)) + sigmoid(x)");
    BOOST_TEST(to_string(d(relu(x), x)) == "select(x <= 0, 0, 1)");
    BOOST_TEST(to_string(d(gelu(x), x)) == "x * normpdf(x) + normcdf(x)");
    BOOST_TEST(to_string(d(tanh(x), x)) == "4 * (sigmoid(2 * x) * sigmoid(-(2 * x)))");
}

BOOST_AUTO_TEST_CASE(parentheses_only_where_precedence_needs_them) {
    BOOST_TEST(to_string(x - (y - x)) == "x - (y - x)");
    BOOST_TEST(to_string((x - y) - x) == "x - y - x");
    BOOST_TEST(to_string(x / (y * x)) == "x / (x * y)");
    BOOST_TEST(to_string((x + y) * x) == "x * (x + y)");
    BOOST_TEST(to_string(-(x + y)) == "-(x + y)");
    BOOST_TEST(to_string(x * -2_c) == "-2 * x");
}

BOOST_AUTO_TEST_CASE(names_can_be_chosen) {
    BOOST_TEST(to_string(swiglu(x, y), {{"gate", "up"}, {}}) == "up * (gate * sigmoid(gate))");
    BOOST_TEST(to_string(prelu(x, param<0>)) == "select(x > 0, x, x * p0)");
    BOOST_TEST(to_string(prelu(x, param<0>), {{}, {"slope"}}) == "select(x > 0, x, x * slope)");
}

BOOST_AUTO_TEST_CASE(constants_print_shortest_round_trip) {
    BOOST_TEST(to_string(0.1_c * x) == "0.1 * x");
    BOOST_TEST(to_string(d(selu(x), x)) ==
               "select(x <= 0, 1.7580993408473768 * exp(x), 1.0507009873554805)");
}
