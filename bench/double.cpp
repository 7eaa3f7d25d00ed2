// Double arrays: actx's fused kernel on double against the same textbook
// loops in double (std:: functions, PyTorch's formulas) and Eigen's ArrayXd
// expressions, forward and backward, at 4096 and 65536 doubles:
//   <activation>/<pass>/actx_f64/<n>   <activation>/<pass>/scalar_f64/<n>
//   <activation>/<pass>/eigen_f64/<n>
//   bench_activations --benchmark_filter='_f64/'
// x uniform in [-6, 6], dy in [-1, 1], as the float benchmarks.  The
// primitives log, log1p, gauss (e^(-x^2)), erf and erfc too, each as a
// one-primitive expression, x in (0, 12] for log, (-1, 11] for log1p,
// [-6, 6] for the others.  Bytes
// processed counts 2 or 3 doubles per element.  Registered when the
// program starts; the arrays are made on first use.  bench/report.py
// prints them as a table of their own.
#include <actx/activations.hpp>
#include <actx/kernel/kernel.hpp>

#include <benchmark/benchmark.h>

#ifdef ACTX_BENCH_HAVE_EIGEN
#include <Eigen/Core>
#include <unsupported/Eigen/SpecialFunctions>
#endif

#include <cmath>
#include <cstdint>
#include <functional>
#include <map>
#include <random>
#include <span>
#include <string>
#include <utility>
#include <vector>

namespace {

constexpr std::size_t sizes[] = {4096, 65536};

struct arrays {
    std::vector<double> x, dy, y, dx;
};
// x uniform on (shift - 6, shift + 6]: shift 0 for the activations, 6 for
// log's domain, 5 for log1p's.
arrays& arrays_of(std::size_t n, double shift) {
    static std::map<std::pair<std::size_t, double>, arrays> all;
    auto found = all.find({n, shift});
    if (found != all.end()) return found->second;
    arrays a{std::vector<double>(n), std::vector<double>(n), std::vector<double>(n, 0.0), std::vector<double>(n, 0.0)};
    std::mt19937 random(20261204u + static_cast<unsigned>(n));
    std::uniform_real_distribution<double> inputs(-6.0, 6.0), gradients(-1.0, 1.0);
    for (std::size_t i = 0; i < n; ++i) {
        a.x[i] = shift - inputs(random);  // (shift - 6, shift + 6]
        a.dy[i] = gradients(random);
    }
    return all.emplace(std::pair{n, shift}, std::move(a)).first->second;
}
// The input shift of each benchmarked name.
double shift_of(std::string const& activation) {
    if (activation == "log") return 6.0;
    if (activation == "log1p") return 5.0;
    return 0.0;
}

// forward(x, y, n) and backward(x, dy, dx, n).
using forward_fn = std::function<void(double const*, double*, std::size_t)>;
using backward_fn = std::function<void(double const*, double const*, double*, std::size_t)>;

void add(std::string const& activation, std::string const& impl, forward_fn f, backward_fn b) {
    for (std::size_t n : sizes) {
        for (bool backward : {false, true}) {
            std::string name = activation + (backward ? "/backward/" : "/forward/") + impl + "/" + std::to_string(n);
            double shift = shift_of(activation);
            benchmark::RegisterBenchmark(name.c_str(), [=](benchmark::State& state) {
                arrays& a = arrays_of(n, shift);
                for (auto _ : state) {
                    if (backward) b(a.x.data(), a.dy.data(), a.dx.data(), n);
                    else f(a.x.data(), a.y.data(), n);
                    benchmark::ClobberMemory();
                }
                auto elements = static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(n);
                state.SetItemsProcessed(elements);
                state.SetBytesProcessed(elements * static_cast<std::int64_t>((backward ? 3 : 2) * sizeof(double)));
            });
        }
    }
}

template <class E>
void add_actx(std::string const& activation, E) {
    add(
        activation, "actx_f64",
        [](double const* x, double* y, std::size_t n) {
            actx::kernel_with<actx::default_values, E>{}.forward(std::span(x, n), std::span(y, n));
        },
        [](double const* x, double const* dy, double* dx, std::size_t n) {
            actx::kernel_with<actx::default_values, E>{}.backward(std::span(x, n), std::span(dy, n), std::span(dx, n));
        });
}

// A textbook loop: f(x) and dy * f'(x) element by element.
template <class F, class D>
void add_scalar(std::string const& activation, F f, D d) {
    add(
        activation, "scalar_f64",
        [f](double const* x, double* y, std::size_t n) {
            for (std::size_t i = 0; i < n; ++i) y[i] = f(x[i]);
        },
        [d](double const* x, double const* dy, double* dx, std::size_t n) {
            for (std::size_t i = 0; i < n; ++i) dx[i] = dy[i] * d(x[i]);
        });
}

#ifdef ACTX_BENCH_HAVE_EIGEN
using In = Eigen::Map<Eigen::ArrayXd const>;
using Out = Eigen::Map<Eigen::ArrayXd>;
template <class F, class B>
void add_eigen(std::string const& activation, F f, B b) {
    add(
        activation, "eigen_f64",
        [f](double const* x, double* y, std::size_t n) {
            auto m = static_cast<Eigen::Index>(n);
            f(In(x, m), Out(y, m));
        },
        [b](double const* x, double const* dy, double* dx, std::size_t n) {
            auto m = static_cast<Eigen::Index>(n);
            b(In(x, m), In(dy, m), Out(dx, m));
        });
}
#endif

constexpr double sqrt_half = 0.7071067811865476, inv_sqrt_2pi = 0.3989422804014327;
constexpr double two_over_sqrt_pi = 1.1283791670955126;
constexpr double gelu_beta = 0.7978845608028654, gelu_kappa = 0.044715;
double sigmoid(double x) { return 1.0 / (1.0 + std::exp(-x)); }
double softplus(double x) { return x > 20.0 ? x : std::log1p(std::exp(x)); }

bool register_double_benchmarks() {
    constexpr auto x = actx::var<0>;
    add_actx("sigmoid", actx::sigmoid(x));
    add_actx("tanh", actx::tanh(x));
    add_actx("silu", actx::silu(x));
    add_actx("elu", actx::elu(x));
    add_actx("softplus", actx::softplus(x));
    add_actx("mish", actx::mish(x));
    add_actx("gelu", actx::gelu(x));
    add_actx("gelu_tanh", actx::gelu_tanh(x));
    add_actx("tanhshrink", actx::tanhshrink(x));
    add_actx("log", actx::log(x));
    add_actx("log1p", actx::log1p(x));
    add_actx("gauss", actx::gauss(x));
    add_actx("erf", actx::erf(x));
    add_actx("erfc", actx::erfc(x));

    add_scalar("sigmoid", sigmoid, [](double v) { double s = sigmoid(v); return s * (1.0 - s); });
    add_scalar("tanh", [](double v) { return std::tanh(v); },
               [](double v) { double t = std::tanh(v); return 1.0 - t * t; });
    add_scalar("silu", [](double v) { return v * sigmoid(v); },
               [](double v) { double s = sigmoid(v); return s * (1.0 + v * (1.0 - s)); });
    add_scalar("elu", [](double v) { return v > 0.0 ? v : std::expm1(v); },
               [](double v) { return v > 0.0 ? 1.0 : std::exp(v); });
    add_scalar("softplus", softplus, [](double v) { return v > 20.0 ? 1.0 : sigmoid(v); });
    add_scalar("mish", [](double v) { return v * std::tanh(softplus(v)); },
               [](double v) {
                   double t = std::tanh(softplus(v));
                   return t + v * sigmoid(v) * (1.0 - t * t);
               });
    add_scalar("gelu", [](double v) { return 0.5 * v * (1.0 + std::erf(v * sqrt_half)); },
               [](double v) {
                   return 0.5 * (1.0 + std::erf(v * sqrt_half)) + v * inv_sqrt_2pi * std::exp(-0.5 * v * v);
               });
    // PyTorch's tanh-GELU and its derivative.
    add_scalar("gelu_tanh",
               [](double v) { return 0.5 * v * (1.0 + std::tanh(gelu_beta * (v + gelu_kappa * v * v * v))); },
               [](double v) {
                   double t = std::tanh(gelu_beta * (v + gelu_kappa * v * v * v));
                   return 0.5 * (1.0 + t) + 0.5 * v * (1.0 - t * t) * gelu_beta * (1.0 + 3.0 * gelu_kappa * v * v);
               });
    add_scalar("tanhshrink", [](double v) { return v - std::tanh(v); },
               [](double v) { double t = std::tanh(v); return t * t; });
    add_scalar("log", [](double v) { return std::log(v); }, [](double v) { return 1.0 / v; });
    add_scalar("log1p", [](double v) { return std::log1p(v); }, [](double v) { return 1.0 / (1.0 + v); });
    add_scalar("gauss", [](double v) { return std::exp(-v * v); }, [](double v) { return -2.0 * v * std::exp(-v * v); });
    add_scalar("erf", [](double v) { return std::erf(v); }, [](double v) { return two_over_sqrt_pi * std::exp(-v * v); });
    add_scalar("erfc", [](double v) { return std::erfc(v); },
               [](double v) { return -two_over_sqrt_pi * std::exp(-v * v); });

#ifdef ACTX_BENCH_HAVE_EIGEN
    add_eigen("sigmoid", [](In v, Out y) { y = v.logistic(); },
              [](In v, In dy, Out dx) { dx = dy * v.logistic() * (1.0 - v.logistic()); });
    add_eigen("tanh", [](In v, Out y) { y = v.tanh(); },
              [](In v, In dy, Out dx) { dx = dy * (1.0 - v.tanh().square()); });
    add_eigen("silu", [](In v, Out y) { y = v * v.logistic(); },
              [](In v, In dy, Out dx) { dx = dy * v.logistic() * (1.0 + v * (1.0 - v.logistic())); });
    add_eigen("elu", [](In v, Out y) { y = (v > 0.0).select(v, v.expm1()); },
              [](In v, In dy, Out dx) { dx = (v > 0.0).select(dy, dy * v.exp()); });
    add_eigen("softplus", [](In v, Out y) { y = (v > 20.0).select(v, v.exp().log1p()); },
              [](In v, In dy, Out dx) { dx = (v > 20.0).select(dy, dy * v.logistic()); });
    add_eigen("mish", [](In v, Out y) { y = v * (v > 20.0).select(v, v.exp().log1p()).tanh(); },
              [](In v, In dy, Out dx) {
                  dx = dy * ((v > 20.0).select(v, v.exp().log1p()).tanh() +
                             v * v.logistic() * (1.0 - (v > 20.0).select(v, v.exp().log1p()).tanh().square()));
              });
    add_eigen("gelu", [](In v, Out y) { y = 0.5 * v * (1.0 + (v * sqrt_half).erf()); },
              [](In v, In dy, Out dx) {
                  dx = dy * (0.5 * (1.0 + (v * sqrt_half).erf()) + v * inv_sqrt_2pi * (-0.5 * v.square()).exp());
              });
    add_eigen("gelu_tanh", [](In v, Out y) { y = 0.5 * v * (1.0 + (gelu_beta * (v + gelu_kappa * v.cube())).tanh()); },
              [](In v, In dy, Out dx) {
                  dx = dy * (0.5 * (1.0 + (gelu_beta * (v + gelu_kappa * v.cube())).tanh()) +
                             0.5 * v * (1.0 - (gelu_beta * (v + gelu_kappa * v.cube())).tanh().square()) * gelu_beta *
                                 (1.0 + 3.0 * gelu_kappa * v.square()));
              });
    add_eigen("tanhshrink", [](In v, Out y) { y = v - v.tanh(); },
              [](In v, In dy, Out dx) { dx = dy * v.tanh().square(); });
    add_eigen("log", [](In v, Out y) { y = v.log(); }, [](In v, In dy, Out dx) { dx = dy / v; });
    add_eigen("log1p", [](In v, Out y) { y = v.log1p(); }, [](In v, In dy, Out dx) { dx = dy / (1.0 + v); });
    add_eigen("gauss", [](In v, Out y) { y = (-v.square()).exp(); },
              [](In v, In dy, Out dx) { dx = dy * (-2.0 * v * (-v.square()).exp()); });
    add_eigen("erf", [](In v, Out y) { y = v.erf(); },
              [](In v, In dy, Out dx) { dx = dy * (two_over_sqrt_pi * (-v.square()).exp()); });
    add_eigen("erfc", [](In v, Out y) { y = v.erfc(); },
              [](In v, In dy, Out dx) { dx = dy * (-two_over_sqrt_pi * (-v.square()).exp()); });
#endif
    return true;
}

[[maybe_unused]] bool const registered = register_double_benchmarks();

}  // namespace
