// Accuracy of the vectorised float primitives (include/actx/math/vector/)
// against a double-precision reference, in float ULP of the correctly rounded
// result.
//
// Points: every float bit pattern in steps of 256 (2^24 points, both signs,
// the low byte varied so that mantissas with many trailing zeros are not
// favoured), the special values, and 2^20 extra points per function where it
// is hard (near 0, the overflow/underflow thresholds, the normcdf left tail);
// a quarter of both in the AVX2 and SSE2 builds (ACTX_TEST_ISA_SCOPE) and in
// the optimised build under the sanitizers (scripts/test.sh's clang
// configuration, where the full density took 172 s against 79 without).
// ACTX_FULL_SWEEP=1 tests all 2^32 patterns instead of the stepped sweep;
// ACTX_SWEEP_ONLY=sigmoid,tanh limits the accuracy table to the functions
// whose names contain one of the comma-separated parts.
// The default run takes 13-20 s at -O2 -march=native on one core of the
// 2-core EPYC it was written on, almost all of it in the double reference;
// the full sweep is 256 times the points, so about 50-60 minutes for all
// functions (run it with --run_test=accuracy_against_double_reference).  A
// separate full sweep of exp alone over its finite range took 30 s and gave
// 0.9623 ULP.  Under AddressSanitizer the step is 2^14 (about 1 s of checks).
//
// ULP: |f - r| / 2^(e - 23) where 2^e <= |r| < 2^(e+1), counted only where the
// true result r is a normal float.  Where it is subnormal the error in units of
// 2^-149 is reported and bounded separately; where it overflows float, inf is
// required; NaN must map to NaN and a finite r must never give inf or NaN.
//
// Reference: actx::math (double, ~1 ULP in double) for each function whose
// scalar header exists; otherwise the C library in double or long double, with
// the cancelling form (tanhshrink near 0) done by series.  The table says which.
//
// Test cost: 80 (ctest -j starts the costliest tests first; about 85 s in a Release build).
#include <actx/math/vector/math.hpp>

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <limits>
#include <string>
#include <type_traits>
#include <vector>

#include "neighbours.hpp"
#include "sanitized.hpp"

#if __has_include(<actx/math/exp.hpp>)
#include <actx/math/exp.hpp>
#endif
#if __has_include(<actx/math/expm1.hpp>)
#include <actx/math/expm1.hpp>
#endif
#if __has_include(<actx/math/log.hpp>)
#include <actx/math/log.hpp>
#endif
#if __has_include(<actx/math/log1p.hpp>)
#include <actx/math/log1p.hpp>
#endif
#if __has_include(<actx/math/sqrt.hpp>)
#include <actx/math/sqrt.hpp>
#endif
#if __has_include(<actx/math/tanh.hpp>)
#include <actx/math/tanh.hpp>
#endif
#if __has_include(<actx/math/erf.hpp>)
#include <actx/math/erf.hpp>
#endif
#if __has_include(<actx/math/erfc.hpp>)
#include <actx/math/erfc.hpp>
#endif
#if __has_include(<actx/math/sigmoid.hpp>)
#include <actx/math/sigmoid.hpp>
#endif
#if __has_include(<actx/math/log1pexp.hpp>)
#include <actx/math/log1pexp.hpp>
#endif
#if __has_include(<actx/math/gauss.hpp>)
#include <actx/math/gauss.hpp>
#endif
#if __has_include(<actx/math/normcdf.hpp>)
#include <actx/math/normcdf.hpp>
#endif
#if __has_include(<actx/math/normpdf.hpp>)
#include <actx/math/normpdf.hpp>
#endif
#if __has_include(<actx/math/tanhshrink.hpp>)
#include <actx/math/tanhshrink.hpp>
#endif
#include <actx/math/gelu_tanh_gate.hpp>


namespace {

using P = actx::vector::pack<float>;
constexpr std::size_t W = P::size;

float from_bits(std::uint32_t b) { float f; std::memcpy(&f, &b, 4); return f; }
std::uint32_t to_bits(float f) { std::uint32_t b; std::memcpy(&b, &f, 4); return b; }
// The same bits, or NaN both (whose payload the pairs need not keep).
bool same(float u, float v) { return to_bits(u) == to_bits(v) || (u != u && v != v); }

// ---- references --------------------------------------------------------------------
// Each function's reference is actx::math's double version when its header
// <actx/math/NAME.hpp> exists, else the C library in double or long double.
namespace ref {
#if __has_include(<actx/math/exp.hpp>)
constexpr bool exp_is_actx = true;
double exp(float x) { return ::actx::math::exp(static_cast<double>(x)); }
#else
constexpr bool exp_is_actx = false;
double exp(float x) {
    return std::exp(double(x));
}
#endif
#if __has_include(<actx/math/expm1.hpp>)
constexpr bool expm1_is_actx = true;
double expm1(float x) { return ::actx::math::expm1(static_cast<double>(x)); }
#else
constexpr bool expm1_is_actx = false;
double expm1(float x) {
    return std::expm1(double(x));
}
#endif
#if __has_include(<actx/math/log.hpp>)
constexpr bool log_is_actx = true;
double log(float x) { return ::actx::math::log(static_cast<double>(x)); }
#else
constexpr bool log_is_actx = false;
double log(float x) {
    return std::log(double(x));
}
#endif
#if __has_include(<actx/math/log1p.hpp>)
constexpr bool log1p_is_actx = true;
double log1p(float x) { return ::actx::math::log1p(static_cast<double>(x)); }
#else
constexpr bool log1p_is_actx = false;
double log1p(float x) {
    return std::log1p(double(x));
}
#endif
#if __has_include(<actx/math/sqrt.hpp>)
constexpr bool sqrt_is_actx = true;
double sqrt(float x) { return ::actx::math::sqrt(static_cast<double>(x)); }
#else
constexpr bool sqrt_is_actx = false;
double sqrt(float x) {
    return std::sqrt(double(x));
}
#endif
#if __has_include(<actx/math/tanh.hpp>)
constexpr bool tanh_is_actx = true;
double tanh(float x) { return ::actx::math::tanh(static_cast<double>(x)); }
#else
constexpr bool tanh_is_actx = false;
double tanh(float x) {
    return std::tanh(double(x));
}
#endif
#if __has_include(<actx/math/erf.hpp>)
constexpr bool erf_is_actx = true;
double erf(float x) { return ::actx::math::erf(static_cast<double>(x)); }
#else
constexpr bool erf_is_actx = false;
double erf(float x) {
    return std::erf(double(x));
}
#endif
#if __has_include(<actx/math/erfc.hpp>)
constexpr bool erfc_is_actx = true;
double erfc(float x) { return ::actx::math::erfc(static_cast<double>(x)); }
#else
constexpr bool erfc_is_actx = false;
double erfc(float x) {
    return std::erfc(double(x));
}
#endif
#if __has_include(<actx/math/sigmoid.hpp>)
constexpr bool sigmoid_is_actx = true;
double sigmoid(float x) { return ::actx::math::sigmoid(static_cast<double>(x)); }
#else
constexpr bool sigmoid_is_actx = false;
double sigmoid(float x) {
    return 1.0 / (1.0 + std::exp(-double(x)));
}
#endif
#if __has_include(<actx/math/log1pexp.hpp>)
constexpr bool log1pexp_is_actx = true;
double log1pexp(float x) { return ::actx::math::log1pexp(static_cast<double>(x)); }
#else
constexpr bool log1pexp_is_actx = false;
double log1pexp(float x) {
    double d = x;
    return d > 0 ? d + std::log1p(std::exp(-d)) : std::log1p(std::exp(d));
}
#endif
#if __has_include(<actx/math/gauss.hpp>)
constexpr bool gauss_is_actx = true;
double gauss(float x) { return ::actx::math::gauss(static_cast<double>(x)); }
#else
constexpr bool gauss_is_actx = false;
double gauss(float x) {
    return std::exp(-double(x) * double(x));
}
#endif
#if __has_include(<actx/math/normcdf.hpp>)
constexpr bool normcdf_is_actx = true;
double normcdf(float x) { return ::actx::math::normcdf(static_cast<double>(x)); }
#else
constexpr bool normcdf_is_actx = false;
double normcdf(float x) {
    return double(0.5L * std::erfc(-static_cast<long double>(x) / std::sqrt(2.0L)));
}
#endif
#if __has_include(<actx/math/normpdf.hpp>)
constexpr bool normpdf_is_actx = true;
double normpdf(float x) { return ::actx::math::normpdf(static_cast<double>(x)); }
#else
constexpr bool normpdf_is_actx = false;
double normpdf(float x) {
    return double(std::exp(-0.5L * x * x) / std::sqrt(2.0L * 3.14159265358979323846264338327950288L));
}
#endif
double gelu_tanh_gate(float x) { return ::actx::math::gelu_tanh_gate(static_cast<double>(x)); }
double softsign(float x) { return ::actx::math::softsign(static_cast<double>(x)); }
#if __has_include(<actx/math/tanhshrink.hpp>)
constexpr bool tanhshrink_is_actx = true;
double tanhshrink(float x) { return ::actx::math::tanhshrink(static_cast<double>(x)); }
#else
constexpr bool tanhshrink_is_actx = false;
double tanhshrink(float x) {
    long double a = x;
    if (std::fabs(a) < 0.01L) {  // x^3/3 - 2x^5/15 + 17x^7/315 - 62x^9/2835
        long double z = a * a;
        return double(a * z * (1.0L / 3 + z * (-2.0L / 15 + z * (17.0L / 315 + z * (-62.0L / 2835)))));
    }
    return double(a - std::tanh(a));
}
#endif
}  // namespace ref

// ---- measurement -------------------------------------------------------------------
struct stats {
    std::uint64_t points = 0, failures = 0;
    double max_ulp = 0, max_ulp_at = 0;
    double max_sub = 0, max_sub_at = 0;  // error in units of 2^-149 where r is subnormal
    std::string first_failure;
};

void fail(stats& s, float x, float f, double r, const char* why) {
    if (s.failures++ == 0) {
        char buf[200];
        std::snprintf(buf, sizeof buf, "%s at x=%a: got %a, want %a", why, double(x), double(f), r);
        s.first_failure = buf;
    }
}

// scale, where given, is the size L of the largest term of a sum with an
// interior root: where the terms cancel by more than a bit (|r| < L/2) the
// error is measured in ULP of L (the kernels' root rule).
void check(stats& s, float x, float f, double r, double scale = 0) {
    ++s.points;
    if (std::isnan(r)) {
        if (!std::isnan(f)) fail(s, x, f, r, "want NaN");
        return;
    }
    if (std::isnan(f)) return fail(s, x, f, r, "NaN for a number");
    float rf = static_cast<float>(r);
    if (std::isinf(rf)) {
        if (f != rf) fail(s, x, f, r, "want overflow");
        return;
    }
    if (std::isinf(f)) return fail(s, x, f, r, "inf for a finite result");
    if (r == 0) {
        if (f != 0 || std::signbit(f) != std::signbit(r)) fail(s, x, f, r, "want exact signed zero");
        return;
    }
    double a = std::fabs(r);
    if (a < double(std::numeric_limits<float>::min())) {
        double e = std::fabs(double(f) - r) / 0x1p-149;
        if (e > s.max_sub) { s.max_sub = e; s.max_sub_at = x; }
        return;
    }
    if (f == 0 || std::signbit(f) != std::signbit(r)) return fail(s, x, f, r, "zero or wrong sign");
    if (a < scale / 2) a = scale;
    int e;
    std::frexp(a, &e);  // a in [2^(e-1), 2^e)
    double ulp = std::ldexp(1.0, e - 1 - 23);
    double err = std::fabs(double(f) - r) / ulp;
    if (err > s.max_ulp) { s.max_ulp = err; s.max_ulp_at = x; }
}

using vec_fn = std::function<P(P)>;
using ref_fn = double (*)(float);

void run(stats& s, std::vector<float> const& xs, vec_fn const& f, ref_fn r, ref_fn scale = nullptr) {
    std::vector<float> out(xs.size() + W);
    std::vector<float> in(xs);
    in.resize(xs.size() + W, 0.0f);
    for (std::size_t i = 0; i < xs.size(); i += W) f(P::load(&in[i])).store(&out[i]);
    for (std::size_t i = 0; i < xs.size(); ++i) check(s, xs[i], out[i], r(xs[i]), scale ? scale(xs[i]) : 0.0);
}

bool selected(std::string const& name, std::string const& only) {
    std::size_t start = 0;
    while (start <= only.size()) {
        std::size_t end = only.find(',', start);
        if (end == std::string::npos) end = only.size();
        std::string part = only.substr(start, end - start);
        if (!part.empty() && name.find(part) != std::string::npos) return true;
        start = end + 1;
    }
    return false;
}

bool full_sweep() {
    char const* e = std::getenv("ACTX_FULL_SWEEP");
    return e && std::string(e) == "1";
}

#if ACTX_TEST_SLOW
constexpr std::uint64_t default_step = 1u << 14;
constexpr std::size_t dense_points = 1u << 12;
#elif ACTX_TEST_COARSE_SWEEPS
// The AVX2 and SSE2 builds and clang++ under the sanitizers
// (scripts/test.sh): a quarter of the points, 2^22 patterns and 2^18 hard
// ones per function, the bounds the same.  The time is the double
// reference's, the same on every target; g++'s AVX-512 build sweeps at full
// density.
constexpr std::uint64_t default_step = 1024;
constexpr std::size_t dense_points = 1u << 18;
#else
constexpr std::uint64_t default_step = 256;
constexpr std::size_t dense_points = 1u << 20;
#endif

// The stepped (or full) sweep of all bit patterns, processed in chunks.
void sweep(stats& s, vec_fn const& f, ref_fn r, ref_fn scale) {
    std::uint64_t step = full_sweep() ? 1 : default_step;
    std::vector<float> xs;
    xs.reserve(1 << 16);
    std::uint32_t mix = 12345;
    for (std::uint64_t b = 0; b < (1ull << 32); b += step) {
        mix = mix * 1664525u + 1013904223u;
        std::uint64_t bits = step == 1 ? b : b + ((mix >> 24) % step);
        xs.push_back(from_bits(static_cast<std::uint32_t>(bits)));
        if (xs.size() == (1u << 16)) { run(s, xs, f, r, scale); xs.clear(); }
    }
    run(s, xs, f, r, scale);
}

struct range { float lo, hi; };

// Dense points in [lo, hi], evenly spaced in value (and so in bits within a binade).
void dense(stats& s, vec_fn const& f, ref_fn r, std::vector<range> const& ranges, ref_fn scale) {
    for (range g : ranges) {
        std::vector<float> xs;
        std::size_t n = dense_points / ranges.size();
        for (std::size_t i = 0; i < n; ++i)
            xs.push_back(float(double(g.lo) + (double(g.hi) - double(g.lo)) * double(i) / double(n - 1)));
        run(s, xs, f, r, scale);
    }
}

std::vector<float> specials() {
    std::vector<float> v = {0.0f, -0.0f, std::numeric_limits<float>::infinity(),
                            -std::numeric_limits<float>::infinity(),
                            std::numeric_limits<float>::quiet_NaN(),
                            -std::numeric_limits<float>::quiet_NaN(),
                            std::numeric_limits<float>::denorm_min(),
                            -std::numeric_limits<float>::denorm_min(),
                            std::numeric_limits<float>::min(),
                            -std::numeric_limits<float>::min(),
                            std::numeric_limits<float>::max(),
                            -std::numeric_limits<float>::max(),
                            1.0f, -1.0f, 0.5f, -0.5f, 2.0f, -2.0f};
    for (std::uint32_t b = 1; b < (1u << 23); b += 4099) {  // subnormals
        v.push_back(from_bits(b));
        v.push_back(-from_bits(b));
    }
    return v;
}

struct function_case {
    const char* name;
    double bound;      // max ULP where the result is a normal float
    double sub_bound;  // max error in units of 2^-149 where it is subnormal
    vec_fn f;
    ref_fn r;
    std::vector<range> hard;
    bool reference_is_actx;
    ref_fn scale = nullptr;  // see check()
};

double neg_sigmoid(float x) { return ref::sigmoid(-x); }
double neg_gelu_tanh_gate(float x) { return ref::gelu_tanh_gate(-x); }
double sigmoid_twice(float x) { return ref::sigmoid(2.0 * x); }
double neg_sigmoid_twice(float x) { return ref::sigmoid(-2.0 * x); }
// The pairs' products (the derivatives of sigmoid, silu, tanh, gelu_tanh).
double sigmoid_product(float x) { return ref::sigmoid(x) * ref::sigmoid(-x); }
double sigmoid_twice_product(float x) { return sigmoid_twice(x) * neg_sigmoid_twice(x); }
double gelu_tanh_gate_product(float x) { return ref::gelu_tanh_gate(x) * neg_gelu_tanh_gate(x); }
double gelu_tanh_gate_derivative(float x) {
    if (std::isinf(x)) return 0.0;  // the limit, not inf * 0
    return gelu_tanh_gate_product(x) * (1.5957691216057308 + 0.21406444881780073 * (double(x) * x));
}

// tanh(log1pexp(x)) and its pieces (mish's factor and derivative), composed
// from the double primitives: an evaluation independent of softplus_tanh's
// own, which never takes the logarithm.
double softplus_tanh_value(float x) { return ::actx::math::tanh(ref::log1pexp(x)); }
double softplus_tanh_positive(float x) { return ::actx::math::sigmoid(2.0 * ref::log1pexp(x)); }
double softplus_tanh_negative(float x) { return ::actx::math::sigmoid(-2.0 * ref::log1pexp(x)); }
double softplus_tanh_product(float x) { return softplus_tanh_positive(x) * softplus_tanh_negative(x); }
double softplus_tanh_derivative(float x) { return 4.0 * softplus_tanh_product(x) * ref::sigmoid(x); }

// gelu'(x) = Phi(x) + x phi(x), and its larger term.
double gelu_derivative(float x) {
    if (std::isinf(x)) return x > 0 ? 1.0 : 0.0;  // the limits, not inf * 0
    return ref::normcdf(x) + double(x) * ref::normpdf(x);
}
double gelu_derivative_scale(float x) {
    if (std::isinf(x)) return 0.0;
    return std::max(ref::normcdf(x), std::fabs(double(x) * ref::normpdf(x)));
}

std::vector<function_case> cases() {
    using namespace actx::vector;
    std::vector<range> near0 = {{-1e-3f, 1e-3f}, {-1e-30f, 1e-30f}, {-1.0f, 1.0f}};
    return {
        {"exp", 1, 1, [](P x) { return exp(x); }, ref::exp,
         {{-104.0f, -86.0f}, {80.0f, 89.0f}, {-1.0f, 1.0f}, {-1e-6f, 1e-6f}}, ref::exp_is_actx},
        {"expm1", 2, 1, [](P x) { return expm1(x); }, ref::expm1,
         {{-1e-6f, 1e-6f}, {-1.0f, 1.0f}, {-0.4f, 0.4f}, {80.0f, 89.0f}, {-20.0f, -15.0f}}, ref::expm1_is_actx},
        {"log", 1, 1, [](P x) { return log(x); }, ref::log,
         {{0.5f, 2.0f}, {0.99f, 1.01f}, {0.0f, 1e-37f}}, ref::log_is_actx},
        {"log1p", 1, 1, [](P x) { return log1p(x); }, ref::log1p,
         {{-1.0f, -0.2f}, {-0.3f, 0.5f}, {-1e-6f, 1e-6f}, {0.3f, 0.5f}}, ref::log1p_is_actx},
        {"sqrt", 0.5, 0.5, [](P x) { return sqrt(x); }, ref::sqrt, {{0.0f, 4.0f}}, ref::sqrt_is_actx},
        {"tanh", 1, 1, [](P x) { return tanh(x); }, ref::tanh, near0, ref::tanh_is_actx},
        {"erf", 2, 1, [](P x) { return erf(x); }, ref::erf, {{-1e-3f, 1e-3f}, {-1.0f, 1.0f}, {-4.0f, 4.0f}}, ref::erf_is_actx},
        {"erfc", 2, 1, [](P x) { return erfc(x); }, ref::erfc, {{-4.0f, 4.0f}, {5.0f, 10.1f}, {9.0f, 9.3f}}, ref::erfc_is_actx},
        {"sigmoid", 1, 1, [](P x) { return sigmoid(x); }, ref::sigmoid,
         {{-20.0f, 20.0f}, {-104.0f, -80.0f}, {-1e-3f, 1e-3f}}, ref::sigmoid_is_actx},
        {"log1pexp", 1.5, 1, [](P x) { return log1pexp(x); }, ref::log1pexp,
         {{-20.0f, 20.0f}, {-104.0f, -80.0f}, {15.0f, 25.0f}}, ref::log1pexp_is_actx},
        {"gauss", 1, 1, [](P x) { return gauss(x); }, ref::gauss, {{-1.0f, 1.0f}, {8.0f, 10.2f}}, ref::gauss_is_actx},
        {"normcdf", 2, 2, [](P x) { return normcdf(x); }, ref::normcdf,
         {{-14.0f, -5.0f}, {-13.2f, -12.9f}, {-3.0f, 3.0f}, {3.0f, 6.0f}}, ref::normcdf_is_actx},
        {"normpdf", 2, 1, [](P x) { return normpdf(x); }, ref::normpdf, {{-1.0f, 1.0f}, {12.0f, 14.5f}}, ref::normpdf_is_actx},
        {"tanhshrink", 2, 1.5, [](P x) { return tanhshrink(x); }, ref::tanhshrink,
         {{-1e-3f, 1e-3f}, {-1.0f, 1.0f}, {0.4f, 0.6f}, {-1e-12f, 1e-12f}}, ref::tanhshrink_is_actx},
        {"gelu_tanh_gate", 1.5, 1, [](P x) { return gelu_tanh_gate(x); }, ref::gelu_tanh_gate,
         {{-12.0f, 12.0f}, {-6.5f, -4.0f}}, true},
        {"gelu_tanh_gate_pair.negative", 1.5, 1, [](P x) { return gelu_tanh_gate_pair(x).negative; }, neg_gelu_tanh_gate,
         {{-12.0f, 12.0f}, {-6.5f, -4.0f}}, true},
        {"softsign", 1.5, 1, [](P x) { return softsign(x); }, ref::softsign, {{-20.0f, 20.0f}}, true},
        {"sigmoid_pair.positive", 1, 1, [](P x) { return sigmoid_pair(x).positive; }, ref::sigmoid,
         {{-20.0f, 20.0f}, {-104.0f, -80.0f}}, ref::sigmoid_is_actx},
        {"sigmoid_pair.negative", 1, 1, [](P x) { return sigmoid_pair(x).negative; }, neg_sigmoid,
         {{-20.0f, 20.0f}, {80.0f, 104.0f}}, ref::sigmoid_is_actx},
        {"sigmoid_pair.product", 1, 1, [](P x) { return sigmoid_pair(x).product; }, sigmoid_product,
         {{-20.0f, 20.0f}, {-104.0f, -80.0f}, {80.0f, 104.0f}}, ref::sigmoid_is_actx},
        {"tanh_sigmoids.product", 1, 1, [](P x) { return tanh_sigmoids(x).product; }, sigmoid_twice_product,
         {{-10.0f, 10.0f}, {-52.0f, -40.0f}, {40.0f, 52.0f}}, ref::sigmoid_is_actx},
        {"gelu_tanh_gate_pair.product", 1.5, 1, [](P x) { return gelu_tanh_gate_pair(x).product; },
         gelu_tanh_gate_product, {{-12.0f, 12.0f}, {-6.5f, -4.0f}}, true},
        {"gelu_tanh_gate_pair.derivative", 2, 1.5, [](P x) { return gelu_tanh_gate_pair(x).derivative; },
         gelu_tanh_gate_derivative, {{-12.0f, 12.0f}, {-6.5f, -4.0f}}, true},
        {"tanh_sigmoids.tanh", 1, 1, [](P x) { return tanh_sigmoids(x).tanh; }, ref::tanh, near0,
         ref::tanh_is_actx},
        {"tanh_sigmoids.positive", 1, 1, [](P x) { return tanh_sigmoids(x).positive; }, sigmoid_twice,
         {{-10.0f, 10.0f}, {-52.0f, -40.0f}}, ref::sigmoid_is_actx},
        {"tanh_sigmoids.negative", 1, 1, [](P x) { return tanh_sigmoids(x).negative; }, neg_sigmoid_twice,
         {{-10.0f, 10.0f}, {40.0f, 52.0f}}, ref::sigmoid_is_actx},
        {"softplus_tanh.tanh", 0.6, 0.6, [](P x) { return softplus_tanh(x).tanh; }, softplus_tanh_value,
         {{-20.0f, 20.0f}, {-110.0f, -80.0f}, {-1e-3f, 1e-3f}, {5.0f, 12.0f}}, true},
        {"softplus_tanh.positive", 0.6, 0.6, [](P x) { return softplus_tanh(x).positive; }, softplus_tanh_positive,
         {{-20.0f, 20.0f}, {-110.0f, -80.0f}}, true},
        {"softplus_tanh.negative", 0.6, 0.6, [](P x) { return softplus_tanh(x).negative; }, softplus_tanh_negative,
         {{-20.0f, 20.0f}, {20.0f, 60.0f}}, true},
        {"softplus_tanh.product", 0.6, 0.6, [](P x) { return softplus_tanh(x).product; }, softplus_tanh_product,
         {{-20.0f, 20.0f}, {20.0f, 60.0f}}, true},
        {"softplus_tanh.derivative", 0.6, 0.6, [](P x) { return softplus_tanh(x).derivative; }, softplus_tanh_derivative,
         {{-20.0f, 20.0f}, {-110.0f, -80.0f}, {20.0f, 60.0f}}, true},
        {"normal_pair.cdf", 2, 2, [](P x) { return normal_pair(x).cdf; }, ref::normcdf,
         {{-14.0f, -5.0f}, {-3.0f, 3.0f}}, ref::normcdf_is_actx},
        {"normal_pair.derivative", 2, 1, [](P x) { return normal_pair(x).derivative; }, gelu_derivative,
         {{-1.0f, 1.0f}, {-0.8f, -0.4f}, {-0.76f, -0.74f}, {0.6f, 0.75f}, {-14.0f, -5.0f}}, ref::normcdf_is_actx,
         gelu_derivative_scale},
        {"normal_pair.pdf", 2, 1, [](P x) { return normal_pair(x).pdf; }, ref::normpdf,
         {{-1.0f, 1.0f}, {12.0f, 14.5f}}, ref::normpdf_is_actx},
    };
}

}  // namespace

BOOST_AUTO_TEST_CASE(accuracy_against_double_reference) {
    if (full_sweep()) std::printf("sweep: all 2^32 floats\n");
    else std::printf("sweep: every %lluth float pattern\n", static_cast<unsigned long long>(default_step));
    std::printf("%-22s %11s %9s %16s %9s %16s %6s  %s\n", "function", "points", "max ULP", "at x", "sub err",
                "at x", "bound", "reference");
    char const* only = std::getenv("ACTX_SWEEP_ONLY");  // e.g. "sigmoid,tanh": names containing one of them
    for (function_case const& c : cases()) {
        if (only && !selected(c.name, only)) continue;
        stats s;
        sweep(s, c.f, c.r, c.scale);
        dense(s, c.f, c.r, c.hard, c.scale);
        run(s, specials(), c.f, c.r, c.scale);
        std::printf("%-22s %11llu %9.4f %16.9g %9.4f %16.9g %6.1f  %s\n", c.name,
                    static_cast<unsigned long long>(s.points), s.max_ulp, s.max_ulp_at, s.max_sub,
                    s.max_sub_at, c.bound, c.reference_is_actx ? "actx::math" : "libm");
        std::fflush(stdout);
        BOOST_TEST_INFO(c.name);
        BOOST_TEST(s.failures == 0u, c.name << ": " << s.failures << " failures, first: " << s.first_failure);
        BOOST_TEST(s.max_ulp <= c.bound, c.name << ": " << s.max_ulp << " ULP at x = " << s.max_ulp_at);
        BOOST_TEST(s.max_sub <= c.sub_bound, c.name << ": subnormal error " << s.max_sub << " at x = " << s.max_sub_at);
    }
}

// The pair functions must agree bit for bit with the single functions: the
// kernel mixes them (forward uses sigmoid, backward sigmoid_pair).
BOOST_AUTO_TEST_CASE(pairs_agree_with_single_functions) {
    using namespace actx::vector;
    std::size_t mismatches = 0;
    for (std::uint64_t b = 0; b < (1ull << 32); b += (1u << 16) + 7) {
        float buf[W];
        for (std::size_t i = 0; i < W; ++i) buf[i] = from_bits(std::uint32_t(b + i * 4099));
        P x = P::load(buf);
        auto sp = sigmoid_pair(x);
        auto np = normal_pair(x);
        auto ts = tanh_sigmoids(x);
        auto gp = gelu_tanh_gate_pair(x);
        auto ep = exp_pair(x);
        P e = exp(x), em = expm1(x), lp = log1pexp(x), ln = log1pexp(-x);
        P g = gelu_tanh_gate(x), gn = gelu_tanh_gate(-x);
        P s = sigmoid(x), sn = sigmoid(-x), c = normcdf(x), d = normpdf(x);
        P t = tanh(x), s2 = sigmoid(x + x), sn2 = sigmoid(-(x + x)), th = tanhshrink(x);
        for (std::size_t i = 0; i < W; ++i) {
            mismatches += !same(sp.positive[i], s[i]) + !same(sp.negative[i], sn[i]) +
                          !same(np.cdf[i], c[i]) + !same(np.pdf[i], d[i]) + !same(ts.tanh[i], t[i]) +
                          !same(ts.positive[i], s2[i]) + !same(ts.negative[i], sn2[i]) +
                          !same(ts.tanhshrink[i], th[i]) +
                          !same(gp.positive[i], g[i]) + !same(gp.negative[i], gn[i]) +
                          !same(ep.exp[i], e[i]) + !same(ep.expm1[i], em[i]) +
                          !same(sp.softplus[i], lp[i]) + !same(sp.softplus_negative[i], ln[i]);
        }
    }
    BOOST_TEST(mismatches == 0u);
}

// exp_pair with less of its clamp (math/vector/expm1.hpp), which the
// kernels take where no result reads the pair above x = 0 (the elu
// family): exp_pair's bits for x in [-104, 89] (up to 43 without
// vscalefps, where 2^n is one factor as for e^z with z <= 0), and for
// every x <= 0 when clamped below; unclamped, below -104 e^x is 0, infinite or NaN, which the
// kernels' test classifies and sends to the precise path, and e^x - 1 is
// -1 or NaN; down to -2^21 exactly +0 and -1, as clamped.
BOOST_AUTO_TEST_CASE(relaxed_exp_pairs_keep_exp_pair_bits) {
    using namespace actx::vector;
    std::size_t mismatches = 0, checked_below = 0, checked_far = 0;
    constexpr float relaxed_top = detail::clamp_optional<float, P::arch_type> ? 89.0f : 43.0f;
    auto check = [&](float const* buf) {
        P x = P::load(buf);
        auto ep = exp_pair(x), eu = exp_pair_unclamped(x), eb = exp_pair_clamped_below(x);
        for (std::size_t i = 0; i < W; ++i) {
            float v = buf[i];
            bool const in_range = v >= -104.0f && v <= relaxed_top;
            if (in_range || v <= 0.0f)
                mismatches += !same(eb.exp[i], ep.exp[i]) + !same(eb.expm1[i], ep.expm1[i]) +
                              !same(eb.expm1_below_zero[i], ep.expm1_below_zero[i]);
            if (in_range)
                mismatches += !same(eu.exp[i], ep.exp[i]) + !same(eu.expm1[i], ep.expm1[i]) +
                              !same(eu.expm1_below_zero[i], ep.expm1_below_zero[i]);
            if (v < -104.0f) {
                ++checked_below;
                float e = eu.exp[i], em = eu.expm1[i];
                mismatches += !(e == 0.0f || std::isinf(e) || std::isnan(e)) + !(em == -1.0f || std::isnan(em));
            }
            if (v < -104.0f && v >= -0x1p21f) {
                ++checked_far;
                mismatches += !same(eu.exp[i], 0.0f) + !same(eu.expm1[i], -1.0f);
            }
        }
    };
    float buf[W];
    for (std::uint64_t b = 0; b < (1ull << 32); b += (1u << 16) + 7) {
        for (std::size_t i = 0; i < W; ++i) buf[i] = from_bits(std::uint32_t(b + i * 4099));
        check(buf);
    }
    float const edges[] = {-std::numeric_limits<float>::infinity(), -std::numeric_limits<float>::max(), -1e30f, -4e12f,
                           -3e6f, -0x1p21f, -2e6f, -1000.0f, -104.5f, -104.0f, -103.9f, -89.5f, -0.0f, 0.0f, 43.0f,
                           43.5f, 88.8f, 89.0f};
    constexpr std::size_t edge_count = sizeof edges / sizeof edges[0];
    for (std::size_t first = 0; first < edge_count; first += W) {
        for (std::size_t i = 0; i < W; ++i) buf[i] = edges[(first + i) % edge_count];
        check(buf);
    }
    BOOST_TEST(mismatches == 0u);
    BOOST_TEST(checked_below > 1000u);
    BOOST_TEST(checked_far > 100u);
}

// v 2^n rounded once (math/vector/detail/float_kernels.hpp), on this
// build's lanes (vscalefps on AVX-512, integer exponent fields elsewhere):
// times_power_of_two for n in [-150, 150], times_power_of_two_low (one
// factor, what the exponentials of z <= 0 take) for n in [-190, 63],
// against the exact product in a wider type rounded once to the lane
// type: every n, v of both signs over a sweep of the patterns in [2^-30,
// 2^30], results subnormal, zero and infinite included.
template <class T, class U>
std::size_t power_of_two_mismatches(int n_lo, int n_hi, bool low, std::size_t& subnormal) {
    using V = actx::vector::pack<T>;
    using B = typename V::batch_type;
    using Bits = std::conditional_t<sizeof(T) == 4, std::uint32_t, std::uint64_t>;
    constexpr std::size_t lanes = V::size;
    constexpr int digits = std::numeric_limits<T>::digits;
    const Bits first = Bits(std::numeric_limits<T>::max_exponent - 1 - 30) << (digits - 1);
    const Bits last = Bits(std::numeric_limits<T>::max_exponent - 1 + 30) << (digits - 1);
    const Bits step = (last - first) / 4093 + 1;
    std::size_t mismatches = 0;
    alignas(64) T vb[lanes], nb[lanes], out[lanes];
    for (int n = n_lo; n <= n_hi; ++n) {
        for (Bits b = first; b <= last; b += step * lanes) {
            for (std::size_t i = 0; i < lanes; ++i) {
                Bits bits = std::min<Bits>(b + Bits(i) * step, last) | (i % 2 ? Bits(1) << (sizeof(T) * 8 - 1) : 0);
                std::memcpy(&vb[i], &bits, sizeof(T));
                nb[i] = T(n);
            }
            B v = B::load_unaligned(vb), nn = B::load_unaligned(nb);
            B r = low ? actx::vector::detail::times_power_of_two_low(v, nn)
                      : actx::vector::detail::times_power_of_two(v, nn);
            r.store_unaligned(out);
            for (std::size_t i = 0; i < lanes; ++i) {
                T expected = T(std::ldexp(U(vb[i]), n));
                if (expected != 0 && std::abs(expected) < std::numeric_limits<T>::min()) ++subnormal;
                Bits e, g;
                std::memcpy(&e, &expected, sizeof(T));
                std::memcpy(&g, &out[i], sizeof(T));
                mismatches += e != g;
            }
        }
    }
    return mismatches;
}

BOOST_AUTO_TEST_CASE(powers_of_two_round_once) {
    std::size_t subnormal = 0;
    const std::size_t float_two = power_of_two_mismatches<float, double>(-150, 150, false, subnormal);
    const std::size_t float_one = power_of_two_mismatches<float, double>(-190, 63, true, subnormal);
    const std::size_t double_two = power_of_two_mismatches<double, long double>(-1100, 1100, false, subnormal);
    const std::size_t double_one = power_of_two_mismatches<double, long double>(-1214, 831, true, subnormal);
    BOOST_TEST(float_two == 0u);
    BOOST_TEST(float_one == 0u);
    BOOST_TEST(double_two == 0u);
    BOOST_TEST(double_one == 0u);
    BOOST_TEST(subnormal > 100000u);
}

// exp_pair's expm1_below_zero, which the elu family's selects take for x <
// 0 (math/vector/expm1.hpp), is expm1's very bits at every x < 0: every
// negative float pattern at the sweep's step (all of them in a full
// sweep), and each side of 2^-60 (where expm1 takes x itself), of the
// smallest normal and of -104 (the clamp), the subnormals and -inf.
BOOST_AUTO_TEST_CASE(expm1_below_zero_is_expm1_below_zero) {
    using namespace actx::vector;
    std::size_t mismatches = 0, checked = 0;
    float first_mismatch = 0;
    auto check = [&](float const* buf) {
        P x = P::load(buf);
        auto ep = exp_pair(x), eu = exp_pair_unclamped(x), eb = exp_pair_clamped_below(x);
        P em = expm1(x);
        for (std::size_t i = 0; i < W; ++i) {
            if (!(buf[i] < 0)) continue;
            ++checked;
            bool const agree = same(ep.expm1_below_zero[i], em[i]) && same(eb.expm1_below_zero[i], em[i]) &&
                               (buf[i] < -104.0f || same(eu.expm1_below_zero[i], em[i]));
            if (!agree && mismatches++ == 0) first_mismatch = buf[i];
        }
    };
    float buf[W];
    const std::uint64_t step = full_sweep() ? 1 : default_step;
    for (std::uint64_t b = 0x80000001u; b < 0xff800000u; b += step * W) {
        for (std::size_t i = 0; i < W; ++i)
            buf[i] = from_bits(std::uint32_t(std::min<std::uint64_t>(b + i * step, 0xff800000u)));
        check(buf);
    }
    std::vector<float> edges = {-std::numeric_limits<float>::infinity(), -std::numeric_limits<float>::max(),
                                -104.0f, -103.99999f, -104.00001f, -std::numeric_limits<float>::min(),
                                -std::numeric_limits<float>::denorm_min(), -0x1p-126f * 0.75f, -1.0f, -0.5f};
    for (float e : {0x1p-60f, 0x1p-100f, 0x1p-24f}) actx_reference::append_neighbours(edges, -e, 8);
    for (std::size_t first = 0; first < edges.size(); first += W) {
        for (std::size_t i = 0; i < W; ++i) buf[i] = edges[(first + i) % edges.size()];
        check(buf);
    }
    BOOST_TEST(mismatches == 0u, mismatches << " mismatches, first at x = " << first_mismatch);
    BOOST_TEST(checked >= ((1ull << 31) - (1ull << 23)) / step);
}

// exp_pair's exp_beside_expm1 (math/vector/expm1.hpp), the e^x that the
// elu family's forward_backward reads beside expm1_below_zero for x <= 0:
// there exp's bits wherever e^x is a normal float, in each of the three
// pairs; below, a float at most 0.71 of 2^-149 from e^x (on
// AVX-512's float lanes 2^n (1 + u) rounded once, +0 once 2^n underflows;
// elsewhere exp itself, within 0.75); NaN for NaN.  Every float pattern at
// the sweep's step, and every 61st float from -105 to -86, where e^x
// leaves the normal floats.
BOOST_AUTO_TEST_CASE(exp_beside_expm1_is_exp_where_exp_is_normal) {
    using namespace actx::vector;
    std::size_t mismatches = 0, below_normal = 0, differ_below = 0;
    float first_mismatch = 0;
    double worst_below = 0;
    auto mismatch = [&](float x) {
        if (mismatches++ == 0) first_mismatch = x;
    };
    auto check = [&](float const* buf) {
        P x = P::load(buf);
        P e = exp(x);
        auto ep = exp_pair(x), eu = exp_pair_unclamped(x), eb = exp_pair_clamped_below(x);
        for (std::size_t i = 0; i < W; ++i) {
            float const v = buf[i];
            if (std::isnan(v)) {
                if (!std::isnan(ep.exp_beside_expm1[i]) || !std::isnan(eb.exp_beside_expm1[i]) ||
                    !std::isnan(eu.exp_beside_expm1[i]))
                    mismatch(v);
                continue;
            }
            if (!(v <= 0)) continue;
            bool const unclamped_kept = v >= -104.0f;
            // Unclamped below -104: 0, infinite or NaN, which the kernels'
            // test classifies (relaxed_exp_pairs_keep_exp_pair_bits); +0 down
            // to -2^21.
            float const far = eu.exp_beside_expm1[i];
            if (!unclamped_kept && (!(far == 0.0f || std::isinf(far) || std::isnan(far)) ||
                                    (v >= -0x1p21f && !same(far, 0.0f))))
                mismatch(v);
            if (e[i] >= std::numeric_limits<float>::min()) {
                if (!same(ep.exp_beside_expm1[i], e[i]) || !same(eb.exp_beside_expm1[i], e[i]) ||
                    (unclamped_kept && !same(eu.exp_beside_expm1[i], e[i])))
                    mismatch(v);
                continue;
            }
            ++below_normal;
            for (float got : {ep.exp_beside_expm1[i], eb.exp_beside_expm1[i]}) {
                double const error = std::abs(double(got) - std::exp(double(v))) / 0x1p-149;
                worst_below = std::max(worst_below, error);
                if (!(got >= 0.0f && got < std::numeric_limits<float>::min()) || error > 0.75) mismatch(v);
            }
            if (unclamped_kept && !same(eu.exp_beside_expm1[i], ep.exp_beside_expm1[i])) mismatch(v);
            differ_below += !same(ep.exp_beside_expm1[i], e[i]);
        }
    };
    float buf[W];
    const std::uint64_t step = full_sweep() ? 1 : default_step;
    for (std::uint64_t b = 0; b < (1ull << 32); b += step * W) {
        for (std::size_t i = 0; i < W; ++i) buf[i] = from_bits(std::uint32_t(std::min<std::uint64_t>(b + i * step, 0xffffffffu)));
        check(buf);
    }
    for (std::uint32_t b = to_bits(-86.0f); b <= to_bits(-105.0f); b += 61 * W) {
        for (std::size_t i = 0; i < W; ++i) buf[i] = from_bits(b + std::uint32_t(i) * 61);
        check(buf);
    }
    BOOST_TEST(mismatches == 0u, mismatches << " mismatches, first at x = " << first_mismatch);
    BOOST_TEST(below_normal > 10000u);
    if constexpr (detail::clamp_optional<float, P::arch_type>) {
        BOOST_TEST(worst_below <= 0.71, "2^n (1 + u) rounded once: " << worst_below << " of 2^-149");
        BOOST_TEST(differ_below > 0u);  // the single rounding is what runs
    } else {
        BOOST_TEST(differ_below == 0u);
    }
}

// The kernels' exceptional-element test does not classify expm1(x), tanh(x)
// and softsign(x) of an input apart from x (kernel/exceptional.hpp): it
// relies on their being normal wherever x is.  Every x of the lowest
// normal binade, where a result just below |x| would be subnormal, then
// vectors of 16 consecutive floats every 4096 up to 2^-90 (beyond, the
// results are far from the subnormals), of both signs, as the joint
// evaluations the kernels call compute them.  (All of them up to 2^-90
// pass too; that takes 40 times longer.)
BOOST_AUTO_TEST_CASE(expm1_tanh_and_softsign_are_normal_where_x_is) {
    using namespace actx::vector;
    std::uint32_t const first = to_bits(std::numeric_limits<float>::min()), last = to_bits(0x1p-90f);
    std::uint32_t const binade = to_bits(2 * std::numeric_limits<float>::min());
    std::size_t below_normal = 0;
    float buf[W];
    for (std::uint32_t b = first; b <= last; b += b < binade ? W : 4096) {
        for (int sign = 0; sign < 2; ++sign) {
            for (std::size_t i = 0; i < W; ++i) buf[i] = from_bits((b + std::uint32_t(i)) | (sign ? 0x80000000u : 0u));
            P x = P::load(buf);
            P em = exp_pair(x).expm1, t = tanh_sigmoids(x).tanh, s = softsign(x);
            for (std::size_t i = 0; i < W; ++i) {
                below_normal += std::fabs(em[i]) < std::numeric_limits<float>::min();
                below_normal += std::fabs(t[i]) < std::numeric_limits<float>::min();
                below_normal += std::fabs(s[i]) < std::numeric_limits<float>::min();
            }
        }
    }
    BOOST_TEST(below_normal == 0u);
}
