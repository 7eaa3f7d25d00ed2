// Every implementation of every one-input activation of the catalogue: actx's
// fused kernel (and fast_kernel where it differs), the unfused baseline, and
// each peer found at configure time.  Shared by the speed benchmarks
// (activations.cpp) and the peers' accuracy table (peer_accuracy.cpp).
#include "harness.hpp"
#include "unfused.hpp"

#include <actx/catalogue.hpp>
#include <actx/kernel/kernel.hpp>

#include <boost/hana/for_each.hpp>

#include <array>
#include <memory>
#include <string>
#include <vector>

namespace actx_bench {
namespace {

template <std::size_t P>
std::array<float, P> parameter_values() {
    std::array<float, P> values{};
    values.fill(prelu_slope);  // prelu's slope is the only parameter in the catalogue
    return values;
}

template <class E, class Values = actx::default_values>
implementation actx_of(char const* name, char const* impl = "actx") {
    using K = actx::kernel_with<Values, E>;
    static_assert(K::inputs == 1 && K::outputs == 1, "one input, one output");
    return {name, impl, [](arrays const& a, pass p) -> run {
                static auto const slopes = parameter_values<K::params>();
                actx::readonly_arrays<float, K::params> params{};
                for (auto& s : params) s = std::span<float const>(slopes.data(), 1);
                std::span<float const> x(a.x, a.n), dy(a.dy, a.n);
                std::span<float> y(a.y, a.n), dx(a.dx, a.n);
                K k;
                switch (p) {
                    case pass::forward: return [=] { k.template forward<float>({x}, {y}, params); };
                    case pass::backward: return [=] { k.template backward<float>({x}, {dy}, {dx}, params); };
                    case pass::forward_backward:
                        return [=] { k.template forward_backward<float>({x}, {dy}, {y}, {dx}, params); };
                }
                return {};
            }};
}

template <class E>
implementation unfused_of(char const* name) {
    using K = actx::kernel_with<actx::default_values, E>;
    using forward_t = unfused<actx::default_values, float, E>;
    using backward_t = unfused<actx::default_values, float, typename K::template input_gradient<0>>;
    return {name, "unfused", [](arrays const& a, pass p) -> run {
                auto forward_slopes = parameter_values<forward_t::params>();
                auto backward_slopes = parameter_values<backward_t::params>();
                // Only the temporaries the pass uses: at 16M each is 64 MB.
                auto forward = p != pass::backward ? std::make_shared<forward_t>(a.n) : nullptr;
                auto backward = p != pass::forward ? std::make_shared<backward_t>(a.n) : nullptr;
                switch (p) {
                    case pass::forward: return [=] { forward->run({a.x}, forward_slopes, {a.y}); };
                    case pass::backward: return [=] { backward->run({a.x, a.dy}, backward_slopes, {a.dx}); };
                    case pass::forward_backward:
                        return [=] {
                            forward->run({a.x}, forward_slopes, {a.y});
                            backward->run({a.x, a.dy}, backward_slopes, {a.dx});
                        };
                }
                return {};
            }};
}

}  // namespace

std::vector<std::string> catalogue_order() {
    std::vector<std::string> names;
    boost::hana::for_each(actx::catalogue::unary, [&](auto entry) { names.push_back(entry.name); });
    return names;
}

std::vector<implementation> all_implementations() {
    std::vector<implementation> all;
    boost::hana::for_each(actx::catalogue::unary, [&](auto entry) {
        using E = decltype(entry.expression);
        all.push_back(actx_of<E>(entry.name));
        all.push_back(unfused_of<E>(entry.name));
        // fast_kernel, as `actx_fast`, where it differs (math/vector/fast.hpp).
        if constexpr (actx::kernel_with<actx::default_values, E>::has_fast_approximation)
            all.push_back(actx_of<E, actx::fast_values>(entry.name, "actx_fast"));
    });
    auto add = [&](std::vector<implementation> more) {
        for (auto& m : more) all.push_back(std::move(m));
    };
    add(scalar_implementations());
    add(scalar_fastmath_implementations());
#ifdef ACTX_BENCH_HAVE_EIGEN
    add(eigen_implementations());
#endif
#ifdef ACTX_BENCH_HAVE_ONEDNN
    add(onednn_implementations());
#endif
#ifdef ACTX_BENCH_HAVE_SLEEF
    add(sleef_implementations());
#endif
#ifdef ACTX_BENCH_HAVE_PYTORCH
    add(pytorch_implementations());
#endif
    return all;
}

}  // namespace actx_bench
