// The translation unit whose compile cost bench/compile_time.sh tracks: every
// activation of the catalogue and its first derivative, instantiated and
// evaluated at run time for float and double (so code is generated for each).
#include <actx/catalogue.hpp>

#include <cstdio>

int main(int argc, char**) {
    double sum = 0;
    double z = 0.25 * argc;
    auto use = [&](auto entry) {
        auto f = entry.expression;
        auto df = actx::d(f, actx::var<0>);
        auto in = actx::inputs(z, 2.0);
        auto in_float = actx::inputs(float(z), 2.0f);
        sum += actx::evaluate(f, in, actx::params(0.25)) + actx::evaluate(df, in, actx::params(0.25));
        sum += actx::evaluate(f, in_float, actx::params(0.25f)) +
               actx::evaluate(df, in_float, actx::params(0.25f));
    };
    boost::hana::for_each(actx::catalogue::unary, use);
    boost::hana::for_each(actx::catalogue::binary, use);
    std::printf("%g\n", sum);
}
