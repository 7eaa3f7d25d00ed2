// Accuracy of the fused float kernels, every activation of the catalogue,
// forward and backward, against an independent __float128 reference
// (quad_references.hpp: the definitions written out from torch.nn and
// differentiated by hand, shared with activations_reference.cpp).
//
// What is measured is the vector path: actx::kernel(f).forward(xs, ys) and
// .backward(xs, dys, dxs) on float spans, with dy = 1 (the derivative itself)
// and with a random dy (magnitudes 1e-3 .. 1e3, both signs: the product).
// prelu runs with slope 0.25, and its per-element d/dslope through a
// per-channel slope (one channel per element).  The gated pairs swiglu and
// geglu, g(a) b, are measured in a with b sampled per point (magnitudes
// 1e-3 .. 1e3 of both signs, and exactly 0, 1, -1 every 50th point), and give
// forward, d/da and d/db.
//
// Inputs.  Sampled mode (the default, what CI runs): every 8192nd float bit
// pattern, the low bits varied (524,288 patterns of both signs: subnormals,
// normals up to FLT_MAX, +-inf and NaNs), the specials (+-0, +-inf, NaN,
// +-denorm_min, the largest subnormal, +-FLT_MIN, +-FLT_MAX), and dense grids
// where it is hard: -104 .. -80 (sigmoid, logsigmoid, silu, softplus, mish
// where e^x leaves the normal floats), -20 .. -8 and -15 .. -9 (the elu
// family's saturation, the tails of gelu and gelu_tanh), -8 .. 8, -1 .. 1,
// 8 .. 20, 19 .. 21 (softplus's threshold), 80 .. 90, the neighbouring floats
// of every kink (0, +-1, +-3, 6, +-20) and of the derivatives' roots, and
// +-0.5 around each root: 553,402 inputs.  That is about 22 s of CPU in the
// Release configurations (one core of the 2-core EPYC it was written on,
// almost all of it in the quad references).  Under ASan + UBSan (-O0), where
// the sanitizers look for what the kernels touch and not for their
// accuracy, the step is 65536 and the grids a quarter as dense: 76,218
// inputs, 22 s on one core of a 2-core Xeon.
//
// Full mode, ACTX_FULL_SWEEP=1: every 256th bit pattern (2^24, the low byte
// varied), 2^18 points per grid and 4096 neighbours per kink (16384 per root):
//
//   ACTX_FULL_SWEEP=1 build/test-gcc/tests/test_kernel_accuracy_reference
//
// (20.1 million inputs, about 14 minutes of CPU; it uses every core,
// ACTX_THREADS=n overrides).  ACTX_KERNEL_ACCURACY_TABLE=file also writes
// the table as Markdown (docs/performance.md has the full sweep's).
//
// Metric.  |kernel - ref| in ULP of the float nearest the true result ref,
// 2^(e - 23) for 2^e <= |float(ref)| < 2^(e + 1), bounded wherever that is a
// normal float:
//   forward  <= 2 ULP  single primitives: sigmoid, tanh, elu, selu, celu,
//                      softplus, logsigmoid, silu, softsign;
//            <= 4 ULP  compositions: gelu, gelu_tanh, mish, tanhshrink,
//                      hardswish, hardsigmoid, the relu family (relu, relu6,
//                      hardtanh, leaky_relu, prelu), swiglu, geglu;
//   backward <= 4 ULP  every activation and pass.
// Where the true result is subnormal or 0 the error is reported in units of
// 2^-149 and not bounded; where it is beyond FLT_MAX, +-inf (or +-FLT_MAX) of
// its sign is required.  A NaN or infinity where the true result is finite
// fails, anywhere.
//
// The root rule, the one exception: silu', gelu', mish', gelu_tanh' (and the
// gated pairs' d/da) have an interior zero, next to which any evaluation as a
// sum of terms has unbounded relative error.  Where the terms cancel by more
// than one bit, |f'(x)| < L(x) / 2 with L(x) the magnitude of the largest
// term of the hand-derived formula (silu: sigmoid(x) and x sigmoid(x)
// sigmoid(-x); gelu: Phi(x) and x phi(x); mish: tanh(sp(x)) and
// x sech^2(sp(x)) sigmoid(x); gelu_tanh: (1 + tanh u) / 2 and
// x sech^2(u) u' / 2; times |dy| and |b| where they multiply), the error is
// measured in ULP of L(x) instead, against the same bound; the table's
// "root" column counts those points.
//
// Special inputs: NaN in gives NaN out, in every pass (relu included: a max
// that drops NaN is wrong); at +-inf the mathematical limit is required (an
// inf * 0 in the formula is no excuse): exactly where it is 0 or infinite,
// within the row's bound otherwise; for the gated pairs the limit in a with b
// fixed (g(a) b is 0 for b = 0), and NaN in b gives NaN out of forward.  PyTorch
// conventions at the kinks (relu'(0) = 0, hardswish'(3) = 1, ...) are the
// reference's, see quad_references.hpp.
//
// Points where a factor that dy or b multiplies (f'(x), g(a), g'(a)) is a
// float subnormal while the product is normal are held to the same bound but
// reported apart ("sub.f."), so that the loss of the factor's bits is told
// from the kernels' own error.
//
// The fast path: where actx::fast_kernel(f) computes anything differently
// from kernel(f) (has_fast_approximation: gelu, silu, sigmoid, tanh,
// softplus, logsigmoid, tanhshrink, swiglu, geglu), its outputs are measured
// too, against the same references, the same root rule and the same special
// inputs, as rows marked "(fast)" with the bounds 8 ULP forward and 24 ULP
// backward.
//
// Output: one row per activation and pass, with the max ULP and where, the
// bound, the subnormal-factor points and their max ULP, the points under the
// root rule, the subnormal-or-0 results and their max error, the overflowing
// results, NaN/inf results for finite true results, and the special inputs
// (then every failing special case, once).
//
// Test cost: 45 (ctest -j starts the costliest tests first; about 45 s in a Release build).
#include <boost/test/unit_test.hpp>

#include <actx/catalogue.hpp>
#include <actx/kernel/kernel.hpp>

#include "../kernels/compiled.hpp"
#include "activation_specs.hpp"
#include "neighbours.hpp"
#include "quad_references.hpp"

#include <algorithm>
#include <cfloat>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <limits>
#include <span>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "sanitized.hpp"
#include "sweep.hpp"

namespace {

using namespace actx_reference;

// ---- what is run -----------------------------------------------------------------------

#if ACTX_TEST_SLOW
#define ACTX_KERNEL_ACCURACY_SMALL 1
#endif

// Sampled mode: every step-th float bit pattern and grid_points per dense grid.
#ifdef ACTX_KERNEL_ACCURACY_SMALL
constexpr std::uint64_t sampled_step = 1u << 16;
constexpr std::size_t sampled_grid = 1u << 9;
#else
constexpr std::uint64_t sampled_step = 1u << 13;
constexpr std::size_t sampled_grid = 1u << 11;
#endif
constexpr std::uint64_t full_step = 256;
constexpr std::size_t full_grid = 1u << 18;

constexpr float finf = std::numeric_limits<float>::infinity();
constexpr float fnan = std::numeric_limits<float>::quiet_NaN();

float from_bits(std::uint32_t b) {
    float f;
    std::memcpy(&f, &b, sizeof f);
    return f;
}

// ---- the references ----------------------------------------------------------------------

// The fast path (actx::fast_kernel, math/vector/fast.hpp) is measured for
// the activations where it computes anything differently, against looser
// bounds: every forward <= 8 ULP, every backward <= 24 ULP, the same root rule.
constexpr double fast_forward_bound = 8;
constexpr double fast_backward_bound = 24;
// The kernels measured for an activation: kernel(f), then fast_kernel(f) where it differs.
template <class E>
constexpr std::size_t modes_of(E e) {
    return decltype(actx::kernel(e))::has_fast_approximation ? 2 : 1;
}

// ---- the inputs --------------------------------------------------------------------------

std::vector<float> specials() {
    using L = std::numeric_limits<float>;
    return {0.0f, -0.0f, finf, -finf, fnan, -fnan, L::denorm_min(), -L::denorm_min(),
            std::nextafter(L::min(), 0.0f), -std::nextafter(L::min(), 0.0f), L::min(), -L::min(),
            L::max(), -L::max()};
}

// Every step-th float bit pattern (the low bits varied so that significands
// with trailing zeros are not favoured; both signs, subnormals, infinities and
// NaNs included), the specials, and dense grids where it is hard.
std::vector<float> make_inputs(bool full) {
    const std::uint64_t step = full ? full_step : sampled_step;
    const std::size_t grid = full ? full_grid : sampled_grid;
    std::vector<float> p;
    std::uint32_t mix = 12345;
    for (std::uint64_t b = 0; b < (1ull << 32); b += step) {
        mix = mix * 1664525u + 1013904223u;
        p.push_back(from_bits(static_cast<std::uint32_t>(b + (mix >> 8) % step)));
    }
    for (float s : specials()) p.push_back(s);
    // Evenly spaced grids over the hard ranges: the saturation of sigmoid,
    // logsigmoid, silu, softplus and mish where e^x leaves the normal floats
    // (-104 .. -80), the tails of gelu and gelu_tanh (-15 .. -9), the elu
    // family's and tanh's saturation, softplus's threshold, and the centre.
    struct range {
        double lo, hi;
    };
    const range ranges[] = {{-104, -80}, {-20, -8}, {-15, -9}, {-8, 8}, {-1, 1}, {8, 20}, {19, 21}, {80, 90}};
    for (range r : ranges)
        for (std::size_t i = 0; i < grid; ++i)
            p.push_back(float(r.lo + (r.hi - r.lo) * double(i) / double(grid - 1)));
    // Either side of every kink and of softplus's threshold: the neighbouring
    // floats one by one, then offsets growing by powers of two.
    const float kinks[] = {0, -1, 1, -3, 3, 6, 20, -20};
    const int neighbours = full ? 4096 : 64;
    auto around = [&](float c, int n) {
        actx_reference::append_neighbours(p, c, n);
        for (int e = -60; e < 0; ++e) {
            p.push_back(float(double(c) + std::ldexp(1.0, e)));
            p.push_back(float(double(c) - std::ldexp(1.0, e)));
        }
    };
    for (float k : kinks) around(k, neighbours);
    // Around the derivatives' roots, neighbour by neighbour and on a grid of
    // +-0.5.
    for (double r : derivative_roots()) {
        around(float(r), neighbours * 4);
        for (std::size_t i = 0; i < grid; ++i) p.push_back(float(r - 0.5 + double(i) / double(grid - 1)));
    }
    return p;
}

// Deterministic per point, whatever thread or chunk it lands in: the gated
// pairs' second input b (magnitudes 1e-3 .. 1e3 of both signs, and every 50th
// point exactly 0, 1 or -1) and the random upstream gradient dy (1e-3 .. 1e3).
float random_magnitude(std::uint64_t h) {
    const double u = double(h >> 11) * 0x1p-53;  // [0, 1)
    const float m = float(std::pow(10.0, -3 + 6 * u));
    return (h & 1) ? -m : m;
}
float gate_input(std::size_t i) {
    switch (i % 50) {
    case 0: return 0.0f;
    case 1: return 1.0f;
    case 2: return -1.0f;
    default: return random_magnitude(hash(2 * i));
    }
}
float upstream(std::size_t i) { return random_magnitude(hash(2 * i + 1)); }

// ---- measuring -----------------------------------------------------------------------------

struct result {
    std::size_t points = 0;       // finite inputs measured
    double max_ulp = 0;           // where the true result is a normal float
    float at_x = 0, at_b = 0;
    // The same where a factor multiplied by dy or b (f'(x), g(a), g'(a)) is a
    // float subnormal, and only the product is normal: kept apart to tell
    // that error from the rest, bounded all the same.
    std::size_t factor_points = 0;
    double factor_max_ulp = 0;
    float factor_x = 0, factor_b = 0;
    std::size_t root_points = 0;  // measured in ULP of the largest term (the root rule)
    std::size_t subnormal_points = 0;
    double subnormal_max = 0;     // in units of 2^-149
    float subnormal_x = 0, subnormal_b = 0;
    std::size_t overflow_points = 0;  // true result beyond FLT_MAX: +-inf (or +-FLT_MAX) required
    std::size_t non_finite = 0;       // NaN or inf where the true result is finite
    float non_finite_x = 0, non_finite_b = 0;
    std::size_t special_failures = 0;  // NaN in, NaN out; the limits at +-inf
    std::vector<std::string> special_kinds, special_examples;  // each distinct failing case, first example
    double bound = 0;

    void merge(result const& o) {
        points += o.points;
        if (o.max_ulp > max_ulp) { max_ulp = o.max_ulp; at_x = o.at_x; at_b = o.at_b; }
        factor_points += o.factor_points;
        if (o.factor_max_ulp > factor_max_ulp) {
            factor_max_ulp = o.factor_max_ulp; factor_x = o.factor_x; factor_b = o.factor_b;
        }
        root_points += o.root_points;
        subnormal_points += o.subnormal_points;
        if (o.subnormal_max > subnormal_max) {
            subnormal_max = o.subnormal_max; subnormal_x = o.subnormal_x; subnormal_b = o.subnormal_b;
        }
        overflow_points += o.overflow_points;
        if (o.non_finite && !non_finite) { non_finite_x = o.non_finite_x; non_finite_b = o.non_finite_b; }
        non_finite += o.non_finite;
        special_failures += o.special_failures;
        for (std::size_t i = 0; i < o.special_kinds.size(); ++i) add_special(o.special_kinds[i], o.special_examples[i]);
    }
    void add_special(std::string const& kind, std::string const& example) {
        if (std::find(special_kinds.begin(), special_kinds.end(), kind) != special_kinds.end()) return;
        special_kinds.push_back(kind);
        special_examples.push_back(example);
    }
};

std::string show(double v) {
    std::ostringstream s;
    s << std::setprecision(9) << v;
    return s.str();
}

// The spacing of floats at the float nearest the (normal) true result.
quad ulp_at(float nearest) { return ldexpq(1, std::ilogb(nearest) - 23); }

// One finite input: `ref` is the true result, `term` the magnitude of the
// derivative's largest term (0 unless the root rule applies to the row).
bool subnormal(quad v) { return v != 0 && fabsq(v) < static_cast<quad>(FLT_MIN); }

void measure(result& r, float got, quad ref, quad term, float x, float b, bool subnormal_factor = false) {
    ++r.points;
    const float nearest = static_cast<float>(ref);
    if (std::isinf(nearest)) {
        // Beyond the floats: the rounded result is +-inf; +-FLT_MAX is accepted too.
        ++r.overflow_points;
        const bool ok = (got > 0) == (ref > 0) && (std::isinf(got) || std::abs(got) == FLT_MAX);
        if (!ok) { r.max_ulp = std::numeric_limits<double>::infinity(); r.at_x = x; r.at_b = b; }
        return;
    }
    if (!std::isfinite(got)) {
        if (r.non_finite++ == 0) { r.non_finite_x = x; r.non_finite_b = b; }
        return;
    }
    const quad err = fabsq(static_cast<quad>(got) - ref);
    // The root rule: where the derivative's terms cancel by more than one bit
    // (|f'| < largest term / 2) the error is measured in ULP of the largest term.
    quad unit;
    if (term > 0 && fabsq(ref) < term / 2 && static_cast<float>(term) >= FLT_MIN) {
        ++r.root_points;
        unit = ulp_at(static_cast<float>(term));
    } else if (std::abs(nearest) < FLT_MIN) {
        ++r.subnormal_points;
        const double e = static_cast<double>(err / ldexpq(1, -149));
        if (e > r.subnormal_max) { r.subnormal_max = e; r.subnormal_x = x; r.subnormal_b = b; }
        return;
    } else {
        unit = ulp_at(nearest);
    }
    const double ulps = static_cast<double>(err / unit);
    if (subnormal_factor) {
        ++r.factor_points;
        if (ulps > r.factor_max_ulp) { r.factor_max_ulp = ulps; r.factor_x = x; r.factor_b = b; }
    } else if (ulps > r.max_ulp) {
        r.max_ulp = ulps; r.at_x = x; r.at_b = b;
    }
}

// NaN in, NaN out; at +-inf the mathematical limit: exactly where it is 0 or
// infinite, within the row's bound otherwise.
void special(result& r, float got, quad expected, bool expect_nan, std::string const& what) {
    bool ok;
    if (expect_nan) {
        ok = std::isnan(got);
    } else if (isnanq(expected) || expected == 0 || isinfq(expected)) {
        ok = static_cast<quad>(got) == expected;
    } else {
        const float nearest = static_cast<float>(expected);
        ok = std::isfinite(got) &&
             static_cast<double>(fabsq(static_cast<quad>(got) - expected) / ulp_at(nearest)) <= r.bound;
    }
    if (!ok) {
        ++r.special_failures;
        std::ostringstream s;
        s << what << " = " << got << ", expected " << (expect_nan ? "NaN" : show(double(expected)));
        r.add_special(what, s.str());
    }
}

// ---- the rows --------------------------------------------------------------------------------

struct row {
    std::string activation, pass;
    bool gated;
    double bound;
};

std::vector<row> make_rows() {
    std::vector<row> rows;
    // Forward, then the gradient rows in the order the compare functions fill them.
    auto add = [&](auto entry, bool gated, std::vector<std::string> const& gradients) {
        spec const* s = find_spec(entry.name);
        BOOST_REQUIRE_MESSAGE(s != nullptr, entry.name << ": no reference for this catalogue entry");
        for (std::size_t m = 0; m < modes_of(entry.expression); ++m) {
            const std::string fast = m ? " (fast)" : "";
            const double f = m ? fast_forward_bound : s->forward_bound, b = m ? fast_backward_bound : backward_bound;
            rows.push_back({entry.name, "forward" + fast, gated, f});
            for (std::string const& g : gradients) rows.push_back({entry.name, g + fast, gated, b});
        }
    };
    auto unary = [&](auto entry) {
        std::vector<std::string> gradients{"backward, dy = 1", "backward, random dy"};
        if (std::string_view(entry.name) == "prelu") gradients.push_back("d/dslope, dy = 1");
        add(entry, false, gradients);
    };
    auto binary = [&](auto entry) {
        add(entry, true, {"d/da, dy = 1", "d/db, dy = 1", "d/da, random dy", "d/db, random dy"});
    };
    boost::hana::for_each(actx::catalogue::unary, unary);
    boost::hana::for_each(actx::catalogue::binary, binary);
    return rows;
}

// One chunk of inputs [first, first + n) through every activation's kernel;
// results go to res[row] in make_rows' order.
// What one kernel wrote.
struct outputs {
    std::vector<float> y, dx1, dx2, db1, db2, dslope;
    explicit outputs(std::size_t n) : y(n), dx1(n), dx2(n), db1(n), db2(n), dslope(n) {}
};
struct chunk {
    std::span<float const> xs;
    std::size_t first;
    std::vector<float> bs, dys, ones, slopes;
    std::array<outputs, 2> out;  // kernel(f), fast_kernel(f)
    explicit chunk(std::span<float const> x, std::size_t at)
        : xs(x), first(at), bs(x.size()), dys(x.size()), ones(x.size(), 1.0f), slopes(x.size(), 0.25f),
          out{outputs(x.size()), outputs(x.size())} {
        for (std::size_t i = 0; i < x.size(); ++i) {
            bs[i] = gate_input(first + i);
            dys[i] = upstream(first + i);
        }
    }
};

std::string at_inf(std::string_view name, char const* pass, float x, char const* var = "x") {
    return std::string(name) + " " + pass + " at " + var + " = " + (x > 0 ? "+inf" : "-inf");
}

// Unary: forward, backward with dy = 1, backward with random dy (and prelu's
// d/dslope), compared with the references.  Each of the first `modes`
// kernels' outputs has its rows, one set after the other; the quad
// references of an input are computed once for all of them.
void compare_unary(spec const& s, chunk const& c, std::vector<result>& res, std::size_t row, bool prelu,
                   std::size_t modes) {
    const std::size_t width = prelu ? 4 : 3;
    for (std::size_t i = 0; i < c.xs.size(); ++i) {
        const float x = c.xs[i], dy = c.dys[i];
        const bool nan = std::isnan(x), inf = std::isinf(x);
        const quad qx = x, qdy = dy;
        const auto [v, d, t] = reference_at(s, x);
        for (std::size_t m = 0; m < modes; ++m) {
            outputs const& o = c.out[m];
            result& fw = res[row + m * width];
            result& d1 = res[row + m * width + 1];
            result& d2 = res[row + m * width + 2];
            result* ds = prelu ? &res[row + m * width + 3] : nullptr;
            const std::string name = std::string(s.name) + (m ? " (fast)" : "");
            if (nan) {
                special(fw, o.y[i], 0, true, name + " forward at NaN");
                special(d1, o.dx1[i], 0, true, name + " backward at NaN");
                special(d2, o.dx2[i], 0, true, name + " backward (random dy) at NaN");
                if (ds) special(*ds, o.dslope[i], 0, true, name + " d/dslope at NaN");
            } else if (inf) {
                special(fw, o.y[i], v, false, at_inf(name, "forward", x));
                special(d1, o.dx1[i], d, false, at_inf(name, "backward", x));
                special(d2, o.dx2[i], d * dy, false, at_inf(name, "backward (random dy)", x));
                if (ds) special(*ds, o.dslope[i], x > 0 ? 0 : -qinf, false, at_inf(name, "d/dslope", x));
            } else {
                measure(fw, o.y[i], v, 0, x, 0);
                measure(d1, o.dx1[i], d, t, x, 0);
                measure(d2, o.dx2[i], qdy * d, fabsq(qdy) * t, x, 0, subnormal(d));
                if (ds) measure(*ds, o.dslope[i], prelu_dslope(qx), 0, x, 0);
            }
        }
    }
}

// Gated g(a) * b: forward, d/da = g'(a) b and d/db = g(a), with dy = 1 and
// random; the modes as for compare_unary.
void compare_gated(spec const& s, chunk const& c, std::vector<result>& res, std::size_t row, std::size_t modes) {
    constexpr std::size_t width = 5;
    for (std::size_t i = 0; i < c.xs.size(); ++i) {
        const float a = c.xs[i], b = c.bs[i], dy = c.dys[i];
        const quad qb = b, qdy = dy;
        const bool nan = std::isnan(a), inf = std::isinf(a);
        const auto [g, dg, t] = reference_at(s, a);
        for (std::size_t m = 0; m < modes; ++m) {
            outputs const& o = c.out[m];
            result& fw = res[row + m * width];
            result& da1 = res[row + m * width + 1];
            result& db1 = res[row + m * width + 2];
            result& da2 = res[row + m * width + 3];
            result& db2 = res[row + m * width + 4];
            const std::string n = std::string(s.name) + (m ? " (fast)" : "");
            if (nan) {
                special(fw, o.y[i], 0, true, n + " forward at a = NaN");
                special(da1, o.dx1[i], 0, true, n + " d/da at a = NaN");
                special(db1, o.db1[i], 0, true, n + " d/db at a = NaN");
                special(da2, o.dx2[i], 0, true, n + " d/da (random dy) at a = NaN");
                special(db2, o.db2[i], 0, true, n + " d/db (random dy) at a = NaN");
            } else if (inf) {
                // Limits in a with b fixed: g(a) b (0 when b = 0), g'(a) b, g(a).
                const quad v = b == 0 ? quad(0) : g * qb;
                const std::string b_zero = b == 0 ? ", b = 0" : "";
                special(fw, o.y[i], v, false, at_inf(n, "forward", a, "a") + b_zero);
                special(da1, o.dx1[i], dg * qb, false, at_inf(n, "d/da", a, "a") + b_zero);
                special(db1, o.db1[i], g, false, at_inf(n, "d/db", a, "a"));
                special(da2, o.dx2[i], qdy * dg * qb, false, at_inf(n, "d/da (random dy)", a, "a") + b_zero);
                special(db2, o.db2[i], qdy * g, false, at_inf(n, "d/db (random dy)", a, "a"));
            } else {
                measure(fw, o.y[i], g * qb, 0, a, b, subnormal(g));
                measure(da1, o.dx1[i], dg * qb, t * fabsq(qb), a, b, subnormal(dg));
                measure(db1, o.db1[i], g, 0, a, b);
                measure(da2, o.dx2[i], qdy * dg * qb, fabsq(qdy) * t * fabsq(qb), a, b,
                        subnormal(dg) || subnormal(dg * qb));
                measure(db2, o.db2[i], qdy * g, 0, a, b, subnormal(g));
            }
        }
    }
}

// Runs kernel k of f over the chunk into o.
template <class K>
void run_unary(K const& k, chunk const& c, outputs& o) {
    std::span<float const> xs = c.xs, ones(c.ones), dys(c.dys);
    if constexpr (K::params == 0) {
        // The passes as compiled once for the kernel tests (tests/kernels/).
        auto const passes = actx_test::passes_of<K, float>();
        passes.forward(xs, o.y);
        passes.backward(xs, ones, o.dx1);
        passes.backward(xs, dys, o.dx2);
    } else {
        // prelu: one slope for the values; one slope per element (a
        // channel each) for the per-element gradient of the slope.
        const std::size_t n = xs.size();
        const float slope = 0.25f;
        const std::array<std::span<float const>, 1> one_slope{std::span<float const>(&slope, 1)};
        k.template forward<float>({xs}, {std::span<float>(o.y)}, one_slope);
        k.template backward<float>({xs}, {ones}, {std::span<float>(o.dx1)}, one_slope);
        k.template backward<float>({xs}, {dys}, {std::span<float>(o.dx2)}, one_slope);
        std::vector<float> unused(n);
        k.template backward<float>({xs}, {ones}, {std::span<float>(unused)}, {std::span<float const>(c.slopes)},
                                   {std::span<float>(o.dslope)}, actx::channels_last(n));
    }
}
template <class K>
void run_gated(K const& k, chunk const& c, outputs& o) {
    std::span<float const> xs = c.xs, bs(c.bs), ones(c.ones), dys(c.dys);
    k.template forward<float>({xs, bs}, {std::span<float>(o.y)});
    k.template backward<float>({xs, bs}, {ones}, {std::span<float>(o.dx1), std::span<float>(o.db1)});
    k.template backward<float>({xs, bs}, {dys}, {std::span<float>(o.dx2), std::span<float>(o.db2)});
}

void run_chunk(chunk& c, std::vector<result>& res) {
    std::size_t row = 0;
    auto unary = [&](auto entry) {
        const std::size_t modes = modes_of(entry.expression);
        const bool prelu = decltype(actx::kernel(entry.expression))::params != 0;
        run_unary(actx::kernel(entry.expression), c, c.out[0]);
        if (modes > 1) run_unary(actx::fast_kernel(entry.expression), c, c.out[1]);
        compare_unary(*find_spec(entry.name), c, res, row, prelu, modes);
        row += modes * (prelu ? 4 : 3);
    };
    auto binary = [&](auto entry) {
        const std::size_t modes = modes_of(entry.expression);
        run_gated(actx::kernel(entry.expression), c, c.out[0]);
        if (modes > 1) run_gated(actx::fast_kernel(entry.expression), c, c.out[1]);
        compare_gated(*find_spec(entry.name), c, res, row, modes);
        row += modes * 5;
    };
    boost::hana::for_each(actx::catalogue::unary, unary);
    boost::hana::for_each(actx::catalogue::binary, binary);
}

// NaN in the gated pairs' second input: NaN out of the forward pass.
void gated_nan_b(std::vector<row> const& rows, std::vector<result>& res) {
    auto check = [&](auto const& k, std::string const& name, std::string const& pass) {
        std::size_t row = 0;
        while (rows[row].activation != name.substr(0, name.find(' ')) || rows[row].pass != pass) ++row;
        const float as[] = {-3.0f, -1.0f, 0.0f, 0.5f, 2.0f, 100.0f};
        const float bs[] = {fnan, fnan, fnan, fnan, fnan, fnan};
        float ys[6];
        k.template forward<float>({std::span<float const>(as), std::span<float const>(bs)}, {std::span<float>(ys)});
        for (std::size_t i = 0; i < 6; ++i)
            special(res[row], ys[i], 0, true, name + " forward at b = NaN, a = " + show(as[i]));
    };
    auto binary = [&](auto entry) {
        check(actx::kernel(entry.expression), entry.name, "forward");
        if (modes_of(entry.expression) > 1)
            check(actx::fast_kernel(entry.expression), std::string(entry.name) + " (fast)", "forward (fast)");
    };
    boost::hana::for_each(actx::catalogue::binary, binary);
}

}  // namespace

BOOST_AUTO_TEST_CASE(kernel_accuracy_against_quad_reference) {
    const bool full = full_sweep();
    const std::vector<row> rows = make_rows();
    const std::vector<float> inputs = make_inputs(full);

    const unsigned threads = sweep_threads(full);

    const auto start = std::chrono::steady_clock::now();
    std::vector<result> initial(rows.size());
    for (std::size_t r = 0; r < rows.size(); ++r) initial[r].bound = rows[r].bound;
    std::vector<result> res =
        run_in_chunks(inputs, initial, threads, [](std::span<float const> xs, std::size_t first, auto& partial) {
            chunk c(xs, first);
            run_chunk(c, partial);
        });
    gated_nan_b(rows, res);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

    std::ostringstream text, markdown, failures;
    text << std::left << std::setw(12) << "activation" << std::setw(28) << "pass" << std::right << std::setw(9)
         << "points" << std::setw(10) << "max ULP" << std::setw(6) << "bound" << "  " << std::left << std::setw(27)
         << "at" << std::right << std::setw(7) << "sub.f." << std::setw(10) << "its max" << "  " << std::left
         << std::setw(27) << "at" << std::right << std::setw(7) << "root" << std::setw(10) << "sub/0" << std::setw(11)
         << "err/2^-149" << std::setw(9) << "overflow" << std::setw(8) << "NaN/inf" << "  specials\n";
    markdown << "| activation | pass | max ULP | at | bound | subnormal factor: points | max ULP there | at | "
                "root rule | subnormal or 0 results | max error there (2^-149) | NaN/inf for finite | "
                "special inputs |\n"
             << "|---|---|---:|---|---:|---:|---:|---|---:|---:|---:|---:|---|\n";
    for (std::size_t i = 0; i < rows.size(); ++i) {
        row const& rw = rows[i];
        result const& r = res[i];
        auto where_of = [&](float x, float b) {
            return (rw.gated ? "a=" : "x=") + show(x) + (rw.gated ? " b=" + show(b) : "");
        };
        const std::string where = where_of(r.at_x, r.at_b);
        const std::string factor_where = r.factor_points ? where_of(r.factor_x, r.factor_b) : "-";
        std::string specials_text = "ok", specials_md = "ok";
        if (r.special_failures != 0) {
            specials_text = std::to_string(r.special_failures) + " wrong";
            specials_md.clear();
            for (std::string const& e : r.special_examples) {
                failures << "  " << e << "\n";
                specials_md += (specials_md.empty() ? "" : "; ") + e;
            }
        }
        text << std::left << std::setw(12) << rw.activation << std::setw(28) << rw.pass << std::right
             << std::setw(9) << r.points << std::setw(10) << fixed(r.max_ulp, 2) << std::setw(6)
             << fixed(rw.bound, 0) << "  " << std::left << std::setw(27) << where << std::right << std::setw(7)
             << r.factor_points << std::setw(10) << fixed(r.factor_max_ulp, 2) << "  " << std::left << std::setw(27)
             << factor_where << std::right << std::setw(7) << r.root_points << std::setw(10) << r.subnormal_points
             << std::setw(11) << fixed(r.subnormal_max, 1)
             << std::setw(9) << r.overflow_points << std::setw(8) << r.non_finite << "  " << specials_text << "\n";
        markdown << "| " << rw.activation << " | " << rw.pass << " | " << fixed(r.max_ulp, 2) << " | " << where
                 << " | " << fixed(rw.bound, 0) << " | " << r.factor_points << " | " << fixed(r.factor_max_ulp, 2)
                 << " | " << factor_where << " | " << r.root_points << " | " << r.subnormal_points << " | "
                 << fixed(r.subnormal_max, 1) << " | " << r.non_finite << " | " << specials_md << " |\n";

        const std::string what = rw.activation + " " + rw.pass;
        BOOST_TEST(r.max_ulp <= rw.bound, what << ": " << fixed(r.max_ulp, 3) << " ULP at " << where
                                               << " (bound " << rw.bound << ")");
        BOOST_TEST(r.factor_max_ulp <= rw.bound, what << ", where a factor is subnormal: "
                                                      << fixed(r.factor_max_ulp, 3) << " ULP at " << factor_where
                                                      << " (bound " << rw.bound << ")");
        BOOST_TEST(r.non_finite == 0u, what << ": " << r.non_finite
                                            << " NaN/inf results where the true result is finite, first at "
                                            << (rw.gated ? "a=" : "x=") << show(r.non_finite_x)
                                            << (rw.gated ? " b=" + show(r.non_finite_b) : ""));
        BOOST_TEST(r.special_failures == 0u, what << ": " << r.special_failures << " special inputs wrong: "
                                                  << specials_md);
    }
    std::cout << "\nfused float kernels against __float128 (" << (full ? "full sweep" : "sampled") << ", "
              << inputs.size() << " inputs, " << threads << " thread" << (threads > 1 ? "s" : "") << ", "
              << fixed(seconds, 1) << " s): max |kernel - ref| in ULP of the float nearest the true result\n"
              << text.str();
    if (!failures.str().empty()) std::cout << "special inputs wrong (each case once):\n" << failures.str();
    std::cout << std::flush;
    if (char const* path = std::getenv("ACTX_KERNEL_ACCURACY_TABLE")) {
        std::ofstream out(path);
        out << "Fused float kernels against __float128 (tests/unit/kernel_accuracy_reference.cpp, "
            << (full ? "full sweep" : "sampled") << ", " << inputs.size() << " inputs): max |kernel - ref| in ULP "
            << "of the float nearest the true result, where that is a normal float.\n\n"
            << markdown.str();
        BOOST_TEST(out.good(), "could not write " << path);
    }
}
