// Accuracy of every activation in the catalogue, value and derivative, against
// an independent reference in __float128 (libquadmath, 113-bit significand).
//
// The references (quad_references.hpp, shared with the kernels' float sweep)
// are written from the mathematical / torch.nn definitions and differentiated
// by hand, not from actx's formulas: gelu is x/2 erfc(-x/sqrt 2)
// with derivative Phi(x) + x phi(x), softplus keeps PyTorch's threshold, the
// kinks take PyTorch's one-sided values (relu'(0) = 0, leaky'(0) = slope,
// elu'(0) = alpha, hardtanh' = 0 at both ends of the band, hardswish' = 0 at
// -3 and 1 at +3, ...).  Where a direct form would cancel even in quad
// (1 + tanh u for u << 0, x - tanh x near 0, 1 - tanh^2) the reference uses an
// exact rewriting or a series so that it stays good to far below a double ULP.
//
// Metric: |computed - ref| / ulp, with ulp the spacing of doubles at the double
// nearest the reference, 2^-1074 for a zero or subnormal reference (floats:
// float spacing, 2^-149).  A correctly rounded result scores <= 0.5.
//
// For the gated pairs g(a) * b, when g(a) is subnormal its own rounding is
// scaled by |b|, so the subnormal floor of the ULP is 2^-1074 max(1, |b|).
//
// Derivatives with an interior zero (silu', gelu', mish', gelu_tanh' and the
// gated pairs' d/da) cannot keep a bounded relative error at the root when
// evaluated as a sum of terms in double.  Points whose reference is below
// 2^-20 times the largest term of the derivative's formula are left out of
// the ULP figure and held to an absolute error <= 8 * 2^-53 * max(1, |x|)
// (times |b| for the gated pairs) instead; the table says how many.  Just
// outside that band the cancellation still costs up to ~20 bits, so those
// rows' ULP figure is bounded loosely (2^22) and a second figure, the error
// in ULP of the largest term, over all points, is bounded tightly.
//
// Special inputs (NaN, +-inf, +-0, subnormals, DBL_MIN, +-1e300, DBL_MAX) are
// checked for semantics: NaN in gives NaN out; at +-inf the mathematical
// limit, or NaN where PyTorch's own formula is inf * 0 (silu(-inf),
// softsign(+-inf), ...: listed in the output); never a NaN or infinity for a
// finite input where the reference is finite.
//
// Where the figures exceed a few ULP, and why (see the table): only where an
// intermediate is subnormal.  gelu_tanh near x = -21 (its gate sigmoid(2u)
// is below 2^-1022 and keeps only ~30 bits, which x and the derivative's
// factors then scale: 11 ulp in the value, ~1000 ulp of the derivative's
// largest term, all of them subnormal numbers), and the float gelu and geglu
// where Phi(x) is a float subnormal that x then scales.  (Before gelu_tanh's
// gate became a primitive with a double-double argument, its value was 1282
// ulp off at x = -21.06 with a normal result; before softsign became one, its
// derivative was 22 ulp off at x = -15 from the quotient rule's cancellation.)
//
// Scalar code only: the same on every instruction set (ACTX_TEST_SCOPE=isa skips it).
//
// Test cost: 20 (ctest -j starts the costliest tests first; about 20 s in a Release build).

// The table goes to std::cout and, as Markdown, to the file named by the
// environment variable ACTX_ACCURACY_TABLE when it is set.
#include <boost/test/unit_test.hpp>

#include <actx/actx.hpp>

#include "neighbours.hpp"
#include "quad_references.hpp"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <limits>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "sanitized.hpp"

namespace {

using namespace actx_reference;

#if ACTX_TEST_SLOW
#define ACTX_ACTIVATIONS_REFERENCE_SMALL 1
#endif
#ifdef ACTX_ACTIVATIONS_REFERENCE_SMALL
constexpr int scale = 4;  // instrumented builds: a quarter of the points (still > 10^4)
#else
constexpr int scale = 1;
#endif
constexpr int n_uniform = 72000 / scale;  // uniform over [-30, 30]
constexpr int n_log = 18000 / scale;      // log-spaced magnitudes 1e-300 .. 30, per sign
constexpr int n_root = 600 / scale;       // around each interior root of a derivative

// ---- the library under test ----------------------------------------------------------

using namespace actx;
constexpr auto x_ = var<0>;
constexpr auto b_ = var<1>;
constexpr auto slope_ = param<0>;

// Every expression is evaluated with the PReLU slope bound as param<0>; the
// others simply do not read it.
template <class E, class T>
T eval(T a, T b) {
    if constexpr (arity_of<E>::inputs >= 2) {
        return evaluate(E{}, inputs(a, b), params(T(0.25)));
    } else {
        (void)b;
        return evaluate(E{}, inputs(a), params(T(0.25)));
    }
}

// ---- rows: one per (activation, pass) --------------------------------------------------

enum class kind { value, derivative, value_float };

struct row {
    std::string activation;
    std::string pass;  // "value", "d/dx", "d/da", "d/db", "d/dslope", "value-float"
    kind k;
    bool gated;
    double (*f64)(double, double);
    float (*f32)(float, float);
    quad (*ref)(quad, quad);
    quad (*largest_term)(quad, quad);  // derivatives with an interior root, else null
    double bound;                      // asserted max ULP
    double term_bound;                 // asserted max ULP of the largest term (root rows)
};

// Asserted bounds, in ULP: the maximum measured with actx::math rounded up
// with a little headroom.  `term` bounds the error in ULP of the derivative
// formula's largest term, for derivatives with an interior root.
struct bounds {
    double value, derivative, term, value_float;
};

// At +-inf: value(+inf), value(-inf), derivative(+inf), derivative(-inf), the
// mathematical limits.  `torch_nan` marks the values (1: at +inf, 2: at -inf)
// where PyTorch's own formula is inf * 0 or inf / inf and gives NaN; there NaN
// is accepted as well and reported.
struct limits {
    std::string activation;
    double (*f64)(double, double);
    float (*f32)(float, float);
    double (*d64)(double, double);
    double v_pos, v_neg, d_pos, d_neg;
    int torch_nan;
};

constexpr double inf = std::numeric_limits<double>::infinity();

template <quad (*R)(quad)>
quad unary(quad a, quad) { return R(a); }
// Gated pairs: g(a) * b, d/da = g'(a) b, d/db = g(a).
template <quad (*G)(quad)>
quad gated_value(quad a, quad b) { return G(a) * b; }
template <quad (*G)(quad)>
quad gated_db(quad a, quad) { return G(a); }
template <quad (*S)(quad)>
quad gated_scale(quad a, quad b) { return S(a) * fabsq(b); }

std::vector<row> rows;
std::vector<limits> limit_rows;

template <class E, quad (*R)(quad), quad (*DR)(quad), quad (*S)(quad) = nullptr>
void add_unary(const char* name, bounds b, double v_pos, double v_neg, double d_pos, double d_neg,
               int torch_nan = 0) {
    using D = decltype(d(E{}, x_));
    quad (*scale)(quad, quad) = nullptr;
    if constexpr (S != nullptr) scale = unary<S>;
    rows.push_back({name, "value", kind::value, false, eval<E, double>, nullptr, unary<R>, nullptr, b.value, 0});
    rows.push_back({name, "d/dx", kind::derivative, false, eval<D, double>, nullptr, unary<DR>, scale,
                    b.derivative, b.term});
    rows.push_back({name, "value-float", kind::value_float, false, nullptr, eval<E, float>, unary<R>, nullptr,
                    b.value_float, 0});
    limit_rows.push_back({name, eval<E, double>, eval<E, float>, eval<D, double>, v_pos, v_neg, d_pos, d_neg,
                          torch_nan});
}

template <class E, quad (*G)(quad), quad (*DG)(quad), quad (*S)(quad)>
void add_gated(const char* name, bounds b, double b_db) {
    using DA = decltype(d(E{}, x_));
    using DB = decltype(d(E{}, b_));
    rows.push_back({name, "value", kind::value, true, eval<E, double>, nullptr, gated_value<G>, nullptr, b.value, 0});
    rows.push_back({name, "d/da", kind::derivative, true, eval<DA, double>, nullptr, gated_value<DG>,
                    gated_scale<S>, b.derivative, b.term});
    rows.push_back({name, "d/db", kind::derivative, true, eval<DB, double>, nullptr, gated_db<G>, nullptr, b_db, 0});
    rows.push_back({name, "value-float", kind::value_float, true, nullptr, eval<E, float>, gated_value<G>, nullptr,
                    b.value_float, 0});
    // Limits in a, with b = 1; at -inf the value is g(-inf) * 1, NaN in PyTorch.
    limit_rows.push_back({name, eval<E, double>, eval<E, float>, eval<DA, double>, inf, 0, 1, 0, 2});
}

void build_rows() {
    if (!rows.empty()) return;
    const double la = constants::selu_lambda_alpha;
    const double lambda = constants::selu_lambda;
    // Derivatives with an interior root: their ULP figure is bounded by 2^22
    // because the points just outside the excluded band (|f'| >= 2^-20 times
    // the largest term) still carry the cancellation, up to 2^20 times the
    // error of the terms; `term` is the figure that bounds the formula.
    constexpr double root = 0x1p22;
    //                                                                               bounds: value d/dx  term  float   v(+inf) v(-inf) d(+inf) d(-inf)
    add_unary<decltype(relu(x_)), relu_r, relu_d>("relu",                                   {0,    0,    0,    0},     inf,    0,      1,      0);
    add_unary<decltype(relu6(x_)), relu6_r, relu6_d>("relu6",                               {0,    0,    0,    0},     6,      0,      0,      0);
    add_unary<decltype(hardtanh(x_)), hardtanh_r, hardtanh_d>("hardtanh",                   {0,    0,    0,    0},     1,      -1,     0,      0);
    add_unary<decltype(leaky_relu(x_)), leaky_r, leaky_d>("leaky_relu",                     {1,    0,    0,    2},     inf,    -inf,   1,      0.01);
    add_unary<decltype(prelu(x_, slope_)), prelu_r, prelu_d>("prelu",                       {1,    0,    0,    1},     inf,    -inf,   1,      0.25);
    add_unary<decltype(elu(x_)), elu_r, elu_d>("elu",                                       {1,    1,    0,    1},     inf,    -1,     1,      0);
    add_unary<decltype(selu(x_)), selu_r, selu_d>("selu",                                   {2,    2,    0,    3},     inf,    -la,    lambda, 0);
    add_unary<decltype(celu(x_)), celu_r, celu_d>("celu",                                   {1,    1,    0,    1},     inf,    -1,     1,      0);
    add_unary<decltype(gelu(x_)), gelu_r, gelu_d, gelu_s>("gelu",                           {2,    root, 3,    9},     inf,    0,      1,      0, 2);
    add_unary<decltype(gelu_tanh(x_)), gelu_tanh_r, gelu_tanh_d, gelu_tanh_s>("gelu_tanh",  {12,   root, 1100, 8},     inf,    0,      1,      0, 2);
    add_unary<decltype(silu(x_)), silu_r, silu_d, silu_s>("silu",                           {2,    root, 4,    2},     inf,    0,      1,      0, 2);
    add_unary<decltype(mish(x_)), mish_r, mish_d, mish_s>("mish",                           {4,    root, 4,    3},     inf,    0,      1,      0, 2);
    add_unary<decltype(sigmoid(x_)), sigmoid_r, sigmoid_d>("sigmoid",                       {1,    3,    0,    1},     1,      0,      0,      0);
    add_unary<decltype(tanh(x_)), tanh_r, tanh_d>("tanh",                                   {1,    3,    0,    1},     1,      -1,     0,      0);
    add_unary<decltype(softplus(x_)), softplus_r, softplus_d>("softplus",                   {2,    1,    0,    1},     inf,    0,      1,      0);
    add_unary<decltype(softsign(x_)), softsign_r, softsign_d>("softsign",                   {2,    4,    0,    2},     1,      -1,     0,      0, 3);
    add_unary<decltype(hardsigmoid(x_)), hardsigmoid_r, hardsigmoid_d>("hardsigmoid",       {2,    1,    0,    2},     1,      0,      0,      0);
    add_unary<decltype(hardswish(x_)), hardswish_r, hardswish_d>("hardswish",               {3,    3,    0,    3},     inf,    0,      1,      0);
    add_unary<decltype(logsigmoid(x_)), logsigmoid_r, logsigmoid_d>("logsigmoid",           {2,    1,    0,    1},     0,      -inf,   0,      1);
    add_unary<decltype(tanhshrink(x_)), tanhshrink_r, tanhshrink_d>("tanhshrink",           {5,    3,    0,    1},     inf,    -inf,   1,      1);
    //                                                                               bounds: value d/da  term  float,  d/db
    add_gated<decltype(swiglu(x_, b_)), silu_r, silu_d, silu_s>("swiglu",                   {3,    root, 4,    3},     2);
    add_gated<decltype(geglu(x_, b_)), gelu_r, gelu_d, gelu_s>("geglu",                     {3,    root, 4,    9},     2);
    // PReLU's gradient with respect to its learned slope: x below 0, exactly.
    rows.push_back({"prelu", "d/dslope", kind::derivative, false,
                    eval<decltype(d(prelu(x_, slope_), slope_)), double>, nullptr, unary<prelu_dslope>, nullptr,
                    0, 0});
}

// ---- points ----------------------------------------------------------------------------

constexpr double kinks[] = {0, -1, 1, -3, 3, 6, 20, -20};

template <class T>
std::vector<T> specials() {
    using L = std::numeric_limits<T>;
    T big = std::is_same_v<T, double> ? T(1e300) : T(1e38);
    T sub = std::is_same_v<T, double> ? T(1e-310) : T(1e-40);
    return {T(0), -T(0), L::denorm_min(), -L::denorm_min(), sub, -sub, L::min(), -L::min(), big, -big,
            L::max(), -L::max()};
}

template <class T>
std::vector<T> make_points() {
    std::vector<T> p;
    std::mt19937_64 rng(20240611);
    std::uniform_real_distribution<double> u(-30.0, 30.0);
    for (int i = 0; i < n_uniform; ++i) p.push_back(T(u(rng)));
    // Log-spaced magnitudes from 1e-300 (floats: 1e-45) to 30, both signs.
    const double lo = std::log(std::is_same_v<T, double> ? 1e-300 : 1e-45), hi = std::log(30.0);
    for (int i = 0; i < n_log; ++i) {
        T m = T(std::exp(lo + (hi - lo) * (i + 0.5) / n_log));
        p.push_back(m);
        p.push_back(-m);
    }
    // Just either side of every kink: a few representable steps and small offsets.
    for (double k : kinks) {
        actx_reference::append_neighbours(p, T(k), 8);
        for (double e = 1e-14; e < 0.2; e *= 10) {
            p.push_back(T(k + e));
            p.push_back(T(k - e));
        }
    }
    // Around the derivatives' roots: relative offsets from 1e-12 to 1e-3.
    for (double r : derivative_roots()) {
        actx_reference::append_neighbours(p, T(r), 64);
        for (int i = 0; i < n_root; ++i) {
            double t = -12 + 9.0 * i / n_root;
            p.push_back(T(r * (1 + std::pow(10.0, t))));
            p.push_back(T(r * (1 - std::pow(10.0, t))));
        }
    }
    for (T s : specials<T>()) {
        if (std::abs(s) < std::numeric_limits<T>::max()) p.push_back(s);  // max() is left to the semantic checks
    }
    return p;
}

// The second argument of the gated pairs: magnitudes 1e-3 .. 1e3, both signs, and
// the exact 0, 1, -1.
template <class T>
std::vector<T> make_gates(std::size_t n) {
    std::vector<T> g;
    std::mt19937_64 rng(7);
    std::uniform_real_distribution<double> e(-3.0, 3.0);
    for (std::size_t i = 0; i < n; ++i) {
        switch (i % 50) {
        case 0: g.push_back(T(0)); break;
        case 1: g.push_back(T(1)); break;
        case 2: g.push_back(T(-1)); break;
        default: {
            T m = T(std::pow(10.0, e(rng)));
            g.push_back(i % 2 ? m : -m);
        }
        }
    }
    return g;
}

// ---- error in ULP ----------------------------------------------------------------------

// The spacing of T at the T nearest ref; `floor` is the spacing of the
// subnormals (2^-1074, 2^-149), possibly scaled (see measure_one).
template <class T>
quad ulp_of(quad ref, quad floor) {
    constexpr int digits = std::numeric_limits<T>::digits;  // 53, 24
    T r = static_cast<T>(ref);
    if (std::isinf(r)) return ldexpq(1, std::numeric_limits<T>::max_exponent - digits);
    if (std::abs(r) < std::numeric_limits<T>::min()) return floor;
    return fmaxq(ldexpq(1, std::ilogb(r) - (digits - 1)), floor);
}
template <class T>
quad subnormal_spacing() {
    return ldexpq(1, std::numeric_limits<T>::min_exponent - std::numeric_limits<T>::digits);
}

struct result {
    std::size_t points = 0;
    double max_ulp = 0;
    double at_a = 0, at_b = 0;
    // Derivatives with an interior root only:
    std::size_t near_root = 0;
    double near_root_worst = 0;  // max |error| / allowed absolute error (<= 1 passes)
    double near_root_a = 0;
    double max_term_ulp = 0;  // max |error| in ULP of the formula's largest term, all points
    double term_a = 0, term_b = 0;
    std::size_t non_finite = 0;  // NaN or infinity where the reference is finite
    double non_finite_a = 0, non_finite_b = 0;
};

std::string show(double v) {
    std::ostringstream s;
    s << std::setprecision(17) << v;
    return s.str();
}
std::string at_text(row const& r, double a, double b) {
    std::string s = (r.gated ? "a=" : "x=") + show(a);
    if (r.gated) s += ", b=" + show(b);
    return s;
}

template <class T>
void measure_one(row const& r, result& res, T a, T b, T got) {
    const quad qa = static_cast<quad>(a), qb = static_cast<quad>(b);
    const quad ref = r.ref(qa, qb);
    ++res.points;
    if (isinfq(ref) || isnanq(ref)) return;  // not for finite inputs; the semantic checks cover limits
    const quad max_t = static_cast<quad>(std::numeric_limits<T>::max());
    if (fabsq(ref) > max_t) {
        // Beyond the format: the nearest T is +-max or, rounded, +-inf.
        bool ok = (got > 0) == (ref > 0) && (std::isinf(got) || std::abs(got) == std::numeric_limits<T>::max());
        if (!ok) {
            res.max_ulp = inf;
            res.at_a = double(a);
            res.at_b = double(b);
        }
        return;
    }
    if (!std::isfinite(got)) {  // asserted on its own, kept out of the ULP figures
        if (res.non_finite++ == 0) {
            res.non_finite_a = double(a);
            res.non_finite_b = double(b);
        }
        return;
    }
    // A gated pair multiplies g(a) by b: when g(a) is subnormal its own
    // rounding (half the subnormal spacing) is scaled by |b|, so the floor of
    // the ULP scales with it.
    quad floor = subnormal_spacing<T>();
    if (r.gated) floor *= fmaxq(1, fabsq(qb));
    const quad err = fabsq(static_cast<quad>(got) - ref);
    if (r.largest_term) {
        const quad big = r.largest_term(qa, qb);
        const double term_ulps = double(err / ulp_of<T>(big, floor));
        if (term_ulps > res.max_term_ulp) {
            res.max_term_ulp = term_ulps;
            res.term_a = double(a);
            res.term_b = double(b);
        }
        if (fabsq(ref) < quad(0x1p-20) * big) {
            ++res.near_root;
            quad allowed = 8 * quad(0x1p-53) * fmaxq(1, fabsq(qa));
            if (r.gated) allowed *= fabsq(qb);
            const double ratio = allowed > 0 ? double(err / allowed) : (err > 0 ? inf : 0);
            if (ratio > res.near_root_worst) {
                res.near_root_worst = ratio;
                res.near_root_a = double(a);
            }
            return;
        }
    }
    const double ulps = double(err / ulp_of<T>(ref, floor));
    if (ulps > res.max_ulp) {
        res.max_ulp = ulps;
        res.at_a = double(a);
        res.at_b = double(b);
    }
}

result measure(row const& r, std::vector<double> const& xs, std::vector<double> const& bs,
               std::vector<float> const& xf, std::vector<float> const& bf) {
    result res;
    if (r.k == kind::value_float) {
        for (std::size_t i = 0; i < xf.size(); ++i) {
            float b = r.gated ? bf[i] : 0.0f;
            measure_one<float>(r, res, xf[i], b, r.f32(xf[i], b));
        }
    } else {
        for (std::size_t i = 0; i < xs.size(); ++i) {
            double b = r.gated ? bs[i] : 0.0;
            measure_one<double>(r, res, xs[i], b, r.f64(xs[i], b));
        }
    }
    return res;
}

std::string fixed(double v, int digits) {
    if (std::isinf(v)) return "inf";
    std::ostringstream s;
    s << std::fixed << std::setprecision(digits) << v;
    return s.str();
}

}  // namespace

BOOST_AUTO_TEST_CASE(accuracy_against_quad_reference) {
    build_rows();
    const auto xs = make_points<double>();
    const auto xf = make_points<float>();
    const auto bs = make_gates<double>(xs.size());
    const auto bf = make_gates<float>(xf.size());

    std::ostringstream text, markdown;
    text << std::left << std::setw(12) << "activation" << std::setw(12) << "pass" << std::right << std::setw(7)
         << "points" << std::setw(12) << "max ULP" << std::setw(9) << "bound" << "  " << std::left
         << std::setw(58) << "at" << "root: term ULP (bound), near-root points, worst |err|/allowed\n";
    markdown << "| activation | pass | points | max ULP | bound | at | root: term ULP (bound) | near-root points "
                "| worst abs err / allowed |\n"
             << "|---|---|---:|---:|---:|---|---:|---:|---:|\n";
    for (row const& r : rows) {
        const result res = measure(r, xs, bs, xf, bf);
        const std::string where = at_text(r, res.at_a, res.at_b);
        const std::string bound = fixed(r.bound, 0);
        std::string root = "-", root_md = "- | - | -";
        if (r.largest_term) {
            std::ostringstream t, m;
            t << fixed(res.max_term_ulp, 2) << " (" << fixed(r.term_bound, 0) << "), " << res.near_root << ", "
              << fixed(res.near_root_worst, 3);
            m << fixed(res.max_term_ulp, 2) << " (" << fixed(r.term_bound, 0) << ") | " << res.near_root << " | "
              << fixed(res.near_root_worst, 3);
            root = t.str();
            root_md = m.str();
        }
        text << std::left << std::setw(12) << r.activation << std::setw(12) << r.pass << std::right << std::setw(7)
             << res.points << std::setw(12) << fixed(res.max_ulp, 2) << std::setw(9) << bound << "  "
             << std::left << std::setw(58) << where << root << "\n";
        markdown << "| " << r.activation << " | " << r.pass << " | " << res.points << " | " << fixed(res.max_ulp, 2)
                 << " | " << bound << " | " << where << " | " << root_md << " |\n";

        const std::string what = r.activation + " " + r.pass;
        BOOST_TEST(res.points >= 10000u, what << ": too few points");
        BOOST_TEST(res.non_finite == 0u, what << ": " << res.non_finite
                                              << " NaN/inf results where the reference is finite, first at "
                                              << at_text(r, res.non_finite_a, res.non_finite_b));
        BOOST_TEST(res.max_ulp <= r.bound,
                   what << ": " << fixed(res.max_ulp, 3) << " ULP at " << where << " (bound " << r.bound << ")");
        if (r.largest_term) {
            BOOST_TEST(res.max_term_ulp <= r.term_bound,
                       what << ": " << fixed(res.max_term_ulp, 3) << " ULP of the largest term at "
                            << at_text(r, res.term_a, res.term_b) << " (bound " << r.term_bound << ")");
            BOOST_TEST(res.near_root_worst <= 1.0, what << ": near the root the absolute error is "
                                                        << res.near_root_worst << " times the allowed at x="
                                                        << show(res.near_root_a));
        }
    }
    std::cout << "\nactivation accuracy against __float128: max |computed - ref| in ULP of the double (float)"
                 " nearest the reference\n"
              << text.str() << std::flush;
    if (const char* path = std::getenv("ACTX_ACCURACY_TABLE")) {
        std::ofstream out(path);
        out << "Activation accuracy against a __float128 reference "
               "(tests/unit/activations_reference.cpp): max |computed - ref| in ULP.\n\n"
            << markdown.str();
        BOOST_TEST(out.good(), "could not write " << path);
    }
}

BOOST_AUTO_TEST_CASE(special_values) {
    build_rows();
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const float nanf = std::numeric_limits<float>::quiet_NaN();
    const float inff = std::numeric_limits<float>::infinity();
    std::ostringstream notes;
    auto note = [&](std::string const& what, double got) {
        if (std::isnan(got)) notes << " " << what;
    };
    for (limits const& l : limit_rows) {
        // NaN in, NaN out (the value; relu included).
        BOOST_TEST(std::isnan(l.f64(nan, 1.0)), l.activation << "(NaN) = " << l.f64(nan, 1.0));
        BOOST_TEST(std::isnan(l.f32(nanf, 1.0f)), l.activation << "(NaN) in float = " << l.f32(nanf, 1.0f));
        // The limits at +-inf (gated pairs: in a, with b = 1).  NaN only where
        // PyTorch's formula gives it too.
        const double vp = l.f64(inf, 1.0), vn = l.f64(-inf, 1.0);
        const float fp = l.f32(inff, 1.0f), fn = l.f32(-inff, 1.0f);
        const bool nan_pos = l.torch_nan & 1, nan_neg = l.torch_nan & 2;
        BOOST_TEST((vp == l.v_pos || (nan_pos && std::isnan(vp))), l.activation << "(+inf) = " << vp);
        BOOST_TEST((vn == l.v_neg || (nan_neg && std::isnan(vn))), l.activation << "(-inf) = " << vn);
        BOOST_TEST((fp == float(l.v_pos) || (nan_pos && std::isnan(fp))), l.activation << "(+inf) in float = " << fp);
        BOOST_TEST((fn == float(l.v_neg) || (nan_neg && std::isnan(fn))), l.activation << "(-inf) in float = " << fn);
        note(l.activation + "(+inf)", vp);
        note(l.activation + "(-inf)", vn);
        // Derivatives at +-inf: the limit, or NaN (PyTorch's backward formulas
        // are inf * 0 there for most smooth activations); never a wrong number.
        const double dp = l.d64(inf, 1.0), dn = l.d64(-inf, 1.0);
        BOOST_TEST((dp == l.d_pos || std::isnan(dp)), l.activation << "'(+inf) = " << dp);
        BOOST_TEST((dn == l.d_neg || std::isnan(dn)), l.activation << "'(-inf) = " << dn);
        note(l.activation + "'(+inf)", dp);
        note(l.activation + "'(-inf)", dn);
    }
    std::cout << "NaN at infinite inputs (accepted: PyTorch gives NaN there too):" << notes.str() << "\n";
    // Never NaN or infinite where the reference is finite, for every finite
    // special input, value and derivative, double and float (the ULP sweep
    // covers most of these too; DBL_MAX and FLT_MAX only here).
    for (row const& r : rows) {
        if (r.k == kind::value_float) {
            for (float a : specials<float>()) {
                const float got = r.f32(a, 1.0f);
                const quad ref = r.ref(static_cast<quad>(a), 1);
                if (fabsq(ref) <= static_cast<quad>(FLT_MAX))
                    BOOST_TEST(std::isfinite(got), r.activation << " " << r.pass << " at x=" << a << ": " << got);
            }
        } else {
            for (double a : specials<double>()) {
                const double got = r.f64(a, 1.0);
                const quad ref = r.ref(static_cast<quad>(a), 1);
                if (fabsq(ref) <= static_cast<quad>(DBL_MAX))
                    BOOST_TEST(std::isfinite(got),
                               r.activation << " " << r.pass << " at x=" << show(a) << ": " << got);
            }
        }
    }
}
