// The kernels built to divide with the divider (ACTX_USE_DIVIDER=1, the
// default where the target is tuned for AMD Zen with AVX-512) give the bits
// of scalar evaluation, as the other choice does (tests/unit/kernel.cpp,
// built with the configuration's default, checks that one on every
// activation).  The activations with quotients the choice changes:
// softsign (by 1 + |x|, by its square in its derivative), hardsigmoid and hardswish
// (by 6), and a user's quotient by a constant, each forward and backward,
// over a stride of every float bit pattern and upstream gradients with the
// specials.  The activations give scalar evaluation's bits; the compound
// expressions, where the vector kernel fuses a product into a multiply-add
// or compensates it, agree as tests/unit/kernel.cpp asks: within 16
// epsilon, with the same NaN and infinities.  docs/design.md, "Division
// without the divider".
#define ACTX_USE_DIVIDER 1

#include <actx/activations.hpp>
#include <actx/kernel/kernel.hpp>

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <type_traits>
#include <span>
#include <vector>

#include "agreement.hpp"
#include "sanitized.hpp"

static_assert(actx::vector::detail::use_divider, "this test is of the kernels that divide");

namespace {
using namespace actx;
constexpr auto x = var<0>;

bool same_bits_or_nan(float a, float b) {
    return (std::isnan(a) && std::isnan(b)) || std::bit_cast<std::uint32_t>(a) == std::bit_cast<std::uint32_t>(b);
}

enum class agreement { bits, close };

bool agree(float a, float b, float scale, agreement how) {
    return how == agreement::bits ? same_bits_or_nan(a, b) : ::agree(a, b, scale);
}

// Checks the kernel of F against scalar evaluation, and its forward also
// against `formula` where one is given.
template <class F, class Formula = std::nullptr_t>
void check(F, agreement how = agreement::bits, Formula formula = nullptr) {
    kernel_with<default_values, F> vector_kernel;
    kernel_with<scalar_values, F> scalar_kernel;
    // Every 4099th bit pattern (1/4 of them in the slow builds, ACTX_TEST_SLOW: every 16411th).
    constexpr std::uint64_t step = ACTX_TEST_SLOW ? 16411 : 4099;
    std::vector<float> xs, dys;
    const float inf = std::numeric_limits<float>::infinity();
    const float specials[] = {1.0f, -2.5f, 0.0f, -0.0f, inf, -inf, std::numeric_limits<float>::quiet_NaN(),
                              1e30f, 1e-30f, std::numeric_limits<float>::denorm_min(), 3.0f};
    std::size_t i = 0;
    for (std::uint64_t b = 0; b < (std::uint64_t(1) << 32); b += step, ++i) {
        xs.push_back(std::bit_cast<float>(static_cast<std::uint32_t>(b)));
        dys.push_back(specials[i % std::size(specials)]);
    }
    const std::size_t n = xs.size();
    std::vector<float> y(n), y_ref(n), dx(n), dx_ref(n);
    vector_kernel.forward(std::span<float const>(xs), std::span<float>(y));
    scalar_kernel.forward(std::span<float const>(xs), std::span<float>(y_ref));
    vector_kernel.backward(std::span<float const>(xs), std::span<float const>(dys), std::span<float>(dx));
    scalar_kernel.backward(std::span<float const>(xs), std::span<float const>(dys), std::span<float>(dx_ref));
    std::size_t forward_differ = 0, backward_differ = 0, formula_differ = 0;
    for (std::size_t e = 0; e < n; ++e) {
        if constexpr (!std::is_null_pointer_v<Formula>) {
            if (!same_bits_or_nan(y[e], formula(xs[e])) && formula_differ++ < 3)
                BOOST_TEST_MESSAGE("forward at x = " << xs[e] << ": " << y[e] << ", formula " << formula(xs[e]));
        }
        if (!agree(y[e], y_ref[e], 0.0f, how) && forward_differ++ < 3)
            BOOST_TEST_MESSAGE("forward at x = " << xs[e] << ": " << y[e] << ", scalar " << y_ref[e]);
        if (!agree(dx[e], dx_ref[e], dys[e], how) && backward_differ++ < 3)
            BOOST_TEST_MESSAGE("backward at x = " << xs[e] << ", dy = " << dys[e] << ": " << dx[e] << ", scalar "
                                                  << dx_ref[e]);
    }
    BOOST_TEST_MESSAGE(n << " inputs: forward " << forward_differ << ", backward " << backward_differ
                         << (how == agreement::bits ? " differ" : " disagree") << " from scalar evaluation");
    BOOST_TEST(forward_differ == 0u);
    BOOST_TEST(formula_differ == 0u);
    BOOST_TEST(backward_differ == 0u);
}
}  // namespace

// softsign's forward is PyTorch's x / (1 + |x|), two roundings (the
// scalar primitive rounds once, so the two agree within 16 epsilon): the
// vector kernel's bits are that formula's, with x clamped to +-2^60 so
// that +-inf give +-1.
BOOST_AUTO_TEST_CASE(softsign_divides) {
    check(softsign(x), agreement::close, [](float v) {
        const float c = std::clamp(v, -0x1p60f, 0x1p60f);
        return std::isnan(v) ? v : c / (1.0f + std::fabs(c));
    });
}
BOOST_AUTO_TEST_CASE(softsign_of_a_product_divides) { check(softsign(1e20_c * x), agreement::close); }
BOOST_AUTO_TEST_CASE(hardsigmoid_divides) { check(hardsigmoid(x)); }
BOOST_AUTO_TEST_CASE(hardswish_divides) { check(hardswish(x)); }
BOOST_AUTO_TEST_CASE(quotients_by_constants_divide) {
    check(x * x / 3_c);
    check((2_c - x) / 10_c);
}
// A forward output that divides twice by 1 + |x|, as softsign's derivative
// does: the vector kernel divides once, by the square, whose overflow
// (|x| >= 2^64) it recomputes in double even though the expression is
// arithmetic only (kernel/exceptional.hpp, squared_quotients); the stride
// of bit patterns holds thousands of such x, and +-inf.
BOOST_AUTO_TEST_CASE(quotient_by_a_square_divides_once) {
    check((x / (1_c + abs(x))) / (1_c + abs(x)), agreement::close);
}
