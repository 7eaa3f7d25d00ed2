#include <actx/actx.hpp>

#include <cstdio>

using namespace actx;

constexpr auto x = var<0>;
constexpr auto f = gelu(x);     // an expression type: no work done yet
constexpr auto df = d(f, x);    // its derivative, derived and simplified by the compiler

// Checked while compiling: gelu'(1) = Phi(1) + phi(1), and mish' against finite differences.
static_assert(near(df(1.0), 1.0833154705876864));
static_assert(gradient_check(mish(x), x, {-2.0, -0.5, 1.0, 4.0}));

int main() {
    std::printf("f(x)  = %s\nf'(x) = %s\n", to_string(f).c_str(), to_string(df).c_str());
    for (double z : {-3.0, -1.0, 0.0, 1.0, 3.0}) {
        std::printf("gelu(%+.1f) = %+.6f   gelu'(%+.1f) = %+.6f\n", z, f(z), z, df(z));
    }
    // A runtime parameter, bound at the call: PReLU's slope, and the gradient
    // with respect to it.
    constexpr auto a = param<0>;
    constexpr auto g = prelu(x, a);
    std::printf("prelu(-2) = %g, d/da = %g  (a = 0.25)\n",
                evaluate(g, inputs(-2.0), params(0.25)),
                evaluate(d(g, a), inputs(-2.0), params(0.25)));
}
