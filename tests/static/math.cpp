// actx::math in constant expressions: exact special values, and a handful of
// values within 1 ULP of constants computed independently (60-digit mpmath,
// rounded to nearest double).  Compiling this file is running it.
#include <actx/math/math.hpp>

#include <bit>
#include <cstdint>
#include <limits>

namespace actx_math_static {

namespace m = actx::math;
constexpr double inf = std::numeric_limits<double>::infinity();
constexpr double nan = std::numeric_limits<double>::quiet_NaN();
constexpr double true_min = std::numeric_limits<double>::denorm_min();

// Distance in representable doubles (same-sign finite values).
constexpr std::int64_t ulp_distance(double a, double b) {
    std::int64_t x = std::bit_cast<std::int64_t>(a), y = std::bit_cast<std::int64_t>(b);
    return x > y ? x - y : y - x;
}
constexpr bool near(double got, double expected, std::int64_t ulps = 1) {
    return m::signbit(got) == m::signbit(expected) && ulp_distance(got, expected) <= ulps;
}
constexpr bool same(double a, double b) {  // bitwise, so -0 != +0
    return std::bit_cast<std::uint64_t>(a) == std::bit_cast<std::uint64_t>(b);
}

// Closed forms.
static_assert(m::exp(0.0) == 1.0);
static_assert(m::expm1(0.0) == 0.0);
static_assert(m::log(1.0) == 0.0);
static_assert(m::log1p(0.0) == 0.0);
static_assert(m::sqrt(4.0) == 2.0);
static_assert(m::sqrt(0x1p-1074) == 0x1p-537);
static_assert(m::sqrt(2.25) == 1.5);
static_assert(m::tanh(0.0) == 0.0);
static_assert(m::erf(0.0) == 0.0);
static_assert(m::erfc(0.0) == 1.0);
static_assert(m::sigmoid(0.0) == 0.5);
static_assert(m::gauss(0.0) == 1.0);
static_assert(m::normcdf(0.0) == 0.5);
static_assert(m::exp(0.0f) == 1.0f);
static_assert(m::sqrt(9) == 3.0);  // integer argument, like <cmath>

// Special values, as the C library gives them.
static_assert(m::exp(-inf) == 0.0 && m::exp(inf) == inf);
static_assert(m::exp(709.79) == inf && m::exp(-746.0) == 0.0);
static_assert(m::expm1(-inf) == -1.0 && m::expm1(inf) == inf);
static_assert(m::log(0.0) == -inf && m::log(-0.0) == -inf && m::log(inf) == inf);
static_assert(m::isnan(m::log(-1.0)) && m::isnan(m::log(-inf)));
static_assert(m::log1p(-1.0) == -inf && m::isnan(m::log1p(-2.0)) && m::log1p(inf) == inf);
static_assert(m::isnan(m::sqrt(-1.0)) && m::sqrt(inf) == inf);
static_assert(m::tanh(inf) == 1.0 && m::tanh(-inf) == -1.0);
static_assert(m::erf(inf) == 1.0 && m::erf(-inf) == -1.0);
static_assert(m::erfc(inf) == 0.0 && m::erfc(-inf) == 2.0);
static_assert(m::sigmoid(inf) == 1.0 && m::sigmoid(-inf) == 0.0);
static_assert(m::gauss(inf) == 0.0 && m::normpdf(-inf) == 0.0);
static_assert(m::normcdf(inf) == 1.0 && m::normcdf(-inf) == 0.0);
static_assert(m::isnan(m::exp(nan)) && m::isnan(m::expm1(nan)) && m::isnan(m::log(nan)) &&
              m::isnan(m::log1p(nan)) && m::isnan(m::sqrt(nan)) && m::isnan(m::tanh(nan)) &&
              m::isnan(m::erf(nan)) && m::isnan(m::erfc(nan)) && m::isnan(m::sigmoid(nan)) &&
              m::isnan(m::gauss(nan)) && m::isnan(m::normpdf(nan)) && m::isnan(m::normcdf(nan)));
static_assert(m::isnan(m::exp(std::numeric_limits<float>::quiet_NaN())));
// The sign of zero, where C keeps it.
static_assert(same(m::expm1(-0.0), -0.0) && same(m::tanh(-0.0), -0.0) && same(m::erf(-0.0), -0.0) &&
              same(m::log1p(-0.0), -0.0) && same(m::sqrt(-0.0), -0.0));
// Tiny arguments: the relative accuracy reaches the subnormals.
static_assert(m::expm1(true_min) == true_min && m::log1p(-true_min) == -true_min);
static_assert(m::tanh(-true_min) == -true_min && m::sqrt(0.25) == 0.5);
static_assert(m::erf(true_min) == true_min);  // 1.128 * 2^-1074 rounds to 2^-1074

// Independent reference values (mpmath, 60 digits, rounded to double).
static_assert(near(m::exp(1.0), 2.718281828459045));
static_assert(near(m::exp(-1.0), 0.36787944117144233));
static_assert(near(m::exp(100.0), 2.6881171418161356e+43));
static_assert(near(m::exp(-740.0), 0x0.0000000000055p-1022));  // subnormal
static_assert(near(m::expm1(1e-10), 1.00000000005e-10));
static_assert(near(m::expm1(-0.3), -0.2591817793182821));
static_assert(near(m::log(10.0), 2.302585092994046));
static_assert(near(m::log(1e-300), -690.7755278982137));
static_assert(near(m::log(true_min), -744.4400719213812));
static_assert(near(m::log1p(1e-10), 9.999999999500001e-11));
static_assert(near(m::log1p(-0.5), -0.6931471805599453));
static_assert(near(m::sqrt(2.0), 1.4142135623730951));
static_assert(near(m::sqrt(1e-310), 9.999999999999986e-156));
static_assert(near(m::tanh(0.5), 0.46211715726000974));
static_assert(near(m::tanh(1e-5), 9.999999999666668e-06));
static_assert(near(m::erf(1.0), 0.8427007929497149));
static_assert(near(m::erf(0.3), 0.3286267594591274));
static_assert(near(m::erf(1e-10), 1.1283791670955126e-10));
static_assert(near(m::erfc(3.0), 2.209049699858544e-05));
static_assert(near(m::erfc(10.0), 2.088487583762545e-45));
static_assert(near(m::erfc(26.0), 5.663192408856143e-296));
static_assert(near(m::erfc(27.0), 0x0.0000000019e0fp-1022));  // subnormal
static_assert(near(m::erfc(-1.0), 1.8427007929497148));
static_assert(near(m::sigmoid(-30.0), 9.357622968839299e-14));
static_assert(near(m::sigmoid(2.0), 0.8807970779778824));
static_assert(near(m::gauss(3.0), 0.00012340980408667956));
static_assert(near(m::gauss(26.0), 2.6117417612840555e-294));
static_assert(near(m::normpdf(1.0), 0.24197072451914334));
static_assert(near(m::normpdf(37.0), 2.1200065515246056e-298));
static_assert(near(m::normcdf(-38.0), 0x0.00000037b23b8p-1022));  // subnormal
static_assert(near(m::normcdf(-10.0), 7.619853024160525e-24));
static_assert(near(m::normcdf(1.0), 0.8413447460685429));
static_assert(m::exp(1.0f) == 2.71828183f && m::erf(1.0f) == 0.842700793f);

// Overflow threshold: the largest x whose e^x still rounds to a finite double.
static_assert(near(m::exp(709.782712893384), 1.7976931348622732e+308));
static_assert(m::exp(709.7827128933841) == inf);
static_assert(near(m::exp(709.78), 1.7928227943945155e+308));

}  // namespace actx_math_static
