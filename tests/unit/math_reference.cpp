// Accuracy of actx::math against libquadmath (__float128, 113-bit significand).
//
// Error is measured in ULPs of the exact value as a real number (quad_ulp.hpp).
// Quad references carry ~60 more bits than double, so their own error does not
// show.  Compositions (sigmoid, gauss, normpdf, normcdf) are built from the
// quad functions with quad arithmetic; where the composition rounds an argument
// (x/sqrt 2 for normcdf) it does so at 113 bits, which erfc's 2 z^2
// amplification leaves far below a double ULP.
//
// Scalar code only: the same on every instruction set (ACTX_TEST_SCOPE=isa skips it).
//
// Test cost: 35 (ctest -j starts the costliest tests first; about 38 s in a Release build).
#include <boost/test/unit_test.hpp>

#include <actx/math/math.hpp>

#include <cfloat>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <iomanip>
#include <iostream>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "quad_ulp.hpp"
#include "sanitized.hpp"

namespace {

namespace am = actx::math;
using namespace actx_reference;

#if ACTX_TEST_SLOW
#define ACTX_MATH_REFERENCE_SMALL 1
#endif
#ifdef ACTX_MATH_REFERENCE_SMALL
constexpr int scale = 10;  // instrumented builds: a tenth of the points
#else
constexpr int scale = 1;
#endif
// -DACTX_MATH_REFERENCE_MULTIPLIER=n for a longer, more thorough run.
#ifndef ACTX_MATH_REFERENCE_MULTIPLIER
#define ACTX_MATH_REFERENCE_MULTIPLIER 1
#endif
constexpr int more = ACTX_MATH_REFERENCE_MULTIPLIER;
#define LOG1PEXP_BOUND 1.6
#define TANHSHRINK_BOUND 4.0
constexpr int n_log = 200000 * more / scale;      // log-uniform over all finite doubles, both signs
constexpr int n_uniform = 250000 * more / scale;  // uniform over [-40, 40]
constexpr int n_focus = 50000 * more / scale;     // uniform over a function-specific range
constexpr int n_float = 1000000 * more / scale;   // evenly spaced float bit patterns (also as doubles)

struct function {
    const char* name;
    double (*f64)(double);
    float (*f32)(float);
    quad (*ref)(quad);
    double focus_lo, focus_hi;  // where the interesting part lies beyond [-40, 40]
    double bound;               // asserted max ULP in double (as stated in the header)
};

// x - tanh(x) in quad: the difference for |x| >= 1e-3 (it keeps at least 80
// of quad's 113 bits there), the Taylor series below (truncated past x^15,
// relative error < 1e-40).
quad tanhshrink_reference(quad x) {
    if (fabsq(x) >= quad(1) / 1000) return x - tanhq(x);
    quad x2 = x * x;
    return x * x2 *
           (quad(1) / 3 + x2 * (-quad(2) / 15 + x2 * (quad(17) / 315 + x2 * (-quad(62) / 2835 +
            x2 * (quad(1382) / 155925 + x2 * (-quad(21844) / 6081075 + x2 * (quad(929569) / 638512875)))))));
}

const quad pi_q = 4 * atanq(1);

// sigmoid(2 sqrt(2/pi) (x + 0.044715 x^3)) in quad, the sigmoid written with
// the exponential of -|t| so that neither side cancels.
quad gelu_tanh_gate_reference(quad x) {
    quad t = 2 * sqrtq(2 / pi_q) * (x + strtoflt128("0.044715", nullptr) * x * x * x);
    quad e = expq(-fabsq(t));
    return t >= 0 ? 1 / (1 + e) : e / (1 + e);
}
const quad sqrt2_q = sqrtq(2);

const function functions[] = {
    {"exp", [](double x) { return am::exp(x); }, [](float x) { return am::exp(x); },
     [](quad x) { return expq(x); }, -746, 710, 0.51},
    {"expm1", [](double x) { return am::expm1(x); }, [](float x) { return am::expm1(x); },
     [](quad x) { return expm1q(x); }, -1, 710, 0.51},
    {"log", [](double x) { return am::log(x); }, [](float x) { return am::log(x); },
     [](quad x) { return logq(x); }, 0.5, 2, 0.51},
    {"log1p", [](double x) { return am::log1p(x); }, [](float x) { return am::log1p(x); },
     [](quad x) { return log1pq(x); }, -1, 1, 0.51},
    {"sqrt", [](double x) { return am::sqrt(x); }, [](float x) { return am::sqrt(x); },
     [](quad x) { return sqrtq(x); }, 0, 4, 0.5},
    {"tanh", [](double x) { return am::tanh(x); }, [](float x) { return am::tanh(x); },
     [](quad x) { return tanhq(x); }, -1, 1, 0.51},
    {"erf", [](double x) { return am::erf(x); }, [](float x) { return am::erf(x); },
     [](quad x) { return erfq(x); }, -1, 1, 0.51},
    {"erfc", [](double x) { return am::erfc(x); }, [](float x) { return am::erfc(x); },
     [](quad x) { return erfcq(x); }, 20, 28, 0.51},
    {"sigmoid", [](double x) { return am::sigmoid(x); }, [](float x) { return am::sigmoid(x); },
     [](quad x) { return 1 / (1 + expq(-x)); }, -746, -700, 0.51},
    {"gauss", [](double x) { return am::gauss(x); }, [](float x) { return am::gauss(x); },
     [](quad x) { return expq(-x * x); }, 25, 28, 0.51},
    {"normpdf", [](double x) { return am::normpdf(x); }, [](float x) { return am::normpdf(x); },
     [](quad x) { return expq(-x * x / 2) / sqrtq(2 * pi_q); }, 35, 39, 0.51},
    {"normcdf", [](double x) { return am::normcdf(x); }, [](float x) { return am::normcdf(x); },
     [](quad x) { return erfcq(-x / sqrt2_q) / 2; }, -39, -30, 0.51},
    {"log1pexp", [](double x) { return am::log1pexp(x); }, [](float x) { return am::log1pexp(x); },
     [](quad x) { return x > 0 ? x + log1pq(expq(-x)) : log1pq(expq(x)); }, 30, 40, LOG1PEXP_BOUND},
    {"tanhshrink", [](double x) { return am::tanhshrink(x); }, [](float x) { return am::tanhshrink(x); },
     tanhshrink_reference, -2, 2, TANHSHRINK_BOUND},
    {"gelu_tanh_gate", [](double x) { return am::gelu_tanh_gate(x); },
     [](float x) { return am::gelu_tanh_gate(x); }, gelu_tanh_gate_reference, -22, -15, 0.6},
    {"softsign", [](double x) { return am::softsign(x); }, [](float x) { return am::softsign(x); },
     [](quad x) { return isinfq(x) ? (x > 0 ? quad(1) : quad(-1)) : x / (1 + fabsq(x)); }, -1e6, 1e6, 1.5},
};

}  // namespace

BOOST_AUTO_TEST_CASE(double_and_float_against_quad) {
    std::mt19937_64 rng(20240611);
    std::cout << std::left << std::setw(9) << "function" << std::right << std::setw(10) << "points"
              << std::setw(10) << "max ULP" << std::setw(26) << "at x" << std::setw(10) << "float pts"
              << std::setw(10) << "max ULP" << std::setw(18) << "at x" << '\n';
    for (const function& fn : functions) {
        worst d, f;
        auto check_double = [&](double x) { d.record(ulp_error_double(fn.f64(x), fn.ref(x)), x); };
        for (double x : special_arguments()) check_double(x);
        for (int i = 0; i < n_log; ++i) {
            std::uint64_t bits = rng() % 0x7ff0000000000000ULL;
            double x;
            std::memcpy(&x, &bits, sizeof x);
            check_double((i & 1) ? -x : x);
        }
        std::uniform_real_distribution<double> uniform(-40.0, 40.0);
        for (int i = 0; i < n_uniform; ++i) check_double(uniform(rng));
        std::uniform_real_distribution<double> focus(fn.focus_lo, fn.focus_hi);
        for (int i = 0; i < n_focus; ++i) check_double(focus(rng));
        // Float sweep: evenly spaced bit patterns over all 2^32, each input checked
        // in float and (as the same value) in double against one quad reference.
        const std::uint64_t step = (std::uint64_t{1} << 32) / n_float;
        for (std::uint64_t i = 0; i < static_cast<std::uint64_t>(n_float); ++i) {
            std::uint32_t bits = static_cast<std::uint32_t>(i * step + (i * 2654435761u) % step);
            float x;
            std::memcpy(&x, &bits, sizeof x);
            quad ref = fn.ref(x);
            f.record(ulp_error_float(fn.f32(x), ref), x);
            d.record(ulp_error_double(fn.f64(x), ref), x);
        }
        std::cout << std::left << std::setw(9) << fn.name << std::right << std::setw(10) << d.points
                  << std::setw(10) << std::setprecision(3) << std::fixed << d.max << std::setw(26)
                  << std::setprecision(17) << std::defaultfloat << d.at << std::setw(10) << f.points
                  << std::setw(10) << std::setprecision(3) << std::fixed << f.max << std::setw(18)
                  << std::setprecision(9) << std::defaultfloat << f.at << '\n';
        BOOST_TEST(d.max <= fn.bound, fn.name << ": " << d.max << " ULP at " << d.at);
        BOOST_TEST(f.max <= 1.0, fn.name << " (float): " << f.max << " ULP at " << f.at);
    }
}

// The C library's special values, checked at run time (the same code is also
// checked in constant expressions by tests/static/math.cpp).
BOOST_AUTO_TEST_CASE(special_values) {
    volatile double vinf = std::numeric_limits<double>::infinity();  // keep it a run-time value
    volatile double vnan = std::numeric_limits<double>::quiet_NaN();
    volatile double vzero = 0.0;
    const double inf = vinf, nan = vnan, zero = vzero;
    BOOST_TEST(am::exp(-inf) == 0.0);
    BOOST_TEST(am::exp(inf) == inf);
    BOOST_TEST(am::exp(709.7827128933841) == inf);
    BOOST_TEST(am::exp(-745.1332191019412) == 0.0);  // just below ln(2^-1075)
    BOOST_TEST(am::exp(-745.1332191019411) == DBL_TRUE_MIN);
    BOOST_TEST(am::log(zero) == -inf);
    BOOST_TEST(std::isnan(am::log(-1.0)));
    BOOST_TEST(am::log1p(-1.0) == -inf);
    BOOST_TEST(std::isnan(am::sqrt(-1.0)));
    BOOST_TEST(am::tanh(inf) == 1.0);
    BOOST_TEST(am::tanh(-inf) == -1.0);
    BOOST_TEST(am::erf(inf) == 1.0);
    BOOST_TEST(am::erf(-inf) == -1.0);
    BOOST_TEST(am::erfc(-inf) == 2.0);
    BOOST_TEST(am::erfc(inf) == 0.0);
    for (auto f : functions) {
        BOOST_TEST(std::isnan(f.f64(nan)), f.name);
        BOOST_TEST(std::isnan(f.f32(static_cast<float>(nan))), f.name);
    }
    for (double (*f)(double) : {+[](double x) { return am::expm1(x); }, +[](double x) { return am::tanh(x); },
                                +[](double x) { return am::erf(x); }, +[](double x) { return am::log1p(x); },
                                +[](double x) { return am::sqrt(x); }}) {
        BOOST_TEST(std::signbit(f(-zero)));
        BOOST_TEST(!std::signbit(f(zero)));
    }
    BOOST_TEST(std::signbit(am::expm1(-0.0f)));
}
