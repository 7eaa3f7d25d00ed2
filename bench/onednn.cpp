// oneDNN eltwise primitives: the activations oneDNN 2.6 has an algorithm
// for, forward (forward_training) and backward (from the source, not the
// destination), created once per benchmark outside the timed loop and run
// on one thread (main sets OMP_NUM_THREADS=1 before oneDNN starts).
// forward_backward is the forward primitive then the backward primitive.
// Backward from the destination (use_dst_for_bwd) is benchmarked apart, as
// the peer of actx's backward_from_output.
//
// Not in oneDNN 2.6, so not benchmarked here: selu, softsign, hardsigmoid,
// tanhshrink.  celu with alpha = 1 is elu; softplus is soft_relu (which has
// no threshold: it computes log1p(exp(x)) everywhere).
#include "harness.hpp"

#include <dnnl.hpp>

#include <memory>
#include <vector>

namespace actx_bench {
namespace {

struct algorithm_of {
    char const* activation;
    dnnl::algorithm algorithm;
    float alpha;
    float beta;
};

constexpr algorithm_of table[] = {
    {"relu", dnnl::algorithm::eltwise_relu, 0.f, 0.f},
    {"relu6", dnnl::algorithm::eltwise_clip_v2, 0.f, 6.f},
    {"hardtanh", dnnl::algorithm::eltwise_clip_v2, -1.f, 1.f},
    {"leaky_relu", dnnl::algorithm::eltwise_relu, 0.01f, 0.f},
    {"prelu", dnnl::algorithm::eltwise_relu, prelu_slope, 0.f},
    {"elu", dnnl::algorithm::eltwise_elu, 1.f, 0.f},
    {"celu", dnnl::algorithm::eltwise_elu, 1.f, 0.f},
    {"gelu", dnnl::algorithm::eltwise_gelu_erf, 0.f, 0.f},
    {"gelu_tanh", dnnl::algorithm::eltwise_gelu_tanh, 0.f, 0.f},
    {"silu", dnnl::algorithm::eltwise_swish, 1.f, 0.f},
    {"mish", dnnl::algorithm::eltwise_mish, 0.f, 0.f},
    {"sigmoid", dnnl::algorithm::eltwise_logistic, 0.f, 0.f},
    {"tanh", dnnl::algorithm::eltwise_tanh, 0.f, 0.f},
    {"softplus", dnnl::algorithm::eltwise_soft_relu, 0.f, 0.f},
    {"hardswish", dnnl::algorithm::eltwise_hardswish, 0.f, 0.f},
    {"logsigmoid", dnnl::algorithm::eltwise_logsigmoid, 0.f, 0.f},
};

dnnl::engine& cpu() {
    static dnnl::engine engine(dnnl::engine::kind::cpu, 0);
    return engine;
}

// Everything a run needs, kept alive by the run's closure.
struct primitives {
    dnnl::stream stream;
    dnnl::memory src, dst, diff_dst, diff_src;
    dnnl::eltwise_forward forward;
    dnnl::eltwise_backward backward;
};

run setup_for(algorithm_of const& entry, arrays const& a, pass p) {
    auto& engine = cpu();
    dnnl::memory::desc md({static_cast<dnnl::memory::dim>(a.n)}, dnnl::memory::data_type::f32,
                          dnnl::memory::format_tag::a);
    auto s = std::make_shared<primitives>();
    s->stream = dnnl::stream(engine);
    s->src = dnnl::memory(md, engine, const_cast<float*>(a.x));
    s->dst = dnnl::memory(md, engine, a.y);
    s->diff_dst = dnnl::memory(md, engine, const_cast<float*>(a.dy));
    s->diff_src = dnnl::memory(md, engine, a.dx);
    dnnl::eltwise_forward::primitive_desc forward_pd(
        dnnl::eltwise_forward::desc(dnnl::prop_kind::forward_training, entry.algorithm, md, entry.alpha,
                                    entry.beta),
        engine);
    s->forward = dnnl::eltwise_forward(forward_pd);
    dnnl::eltwise_backward::primitive_desc backward_pd(
        dnnl::eltwise_backward::desc(entry.algorithm, md, md, entry.alpha, entry.beta), engine, forward_pd);
    s->backward = dnnl::eltwise_backward(backward_pd);

    auto forward = [s] {
        s->forward.execute(s->stream, {{DNNL_ARG_SRC, s->src}, {DNNL_ARG_DST, s->dst}});
        s->stream.wait();
    };
    auto backward = [s] {
        s->backward.execute(s->stream,
                            {{DNNL_ARG_SRC, s->src}, {DNNL_ARG_DIFF_DST, s->diff_dst}, {DNNL_ARG_DIFF_SRC, s->diff_src}});
        s->stream.wait();
    };
    switch (p) {
        case pass::forward: return forward;
        case pass::backward: return backward;
        case pass::forward_backward:
            return [forward, backward] {
                forward();
                backward();
            };
    }
    return {};
}

// The use_dst_for_bwd algorithms: backward from the destination (the saved
// output), the peer of actx's backward_from_output.
constexpr algorithm_of from_output_table[] = {
    {"relu", dnnl::algorithm::eltwise_relu_use_dst_for_bwd, 0.f, 0.f},
    {"leaky_relu", dnnl::algorithm::eltwise_relu_use_dst_for_bwd, 0.01f, 0.f},
    {"elu", dnnl::algorithm::eltwise_elu_use_dst_for_bwd, 1.f, 0.f},
    {"celu", dnnl::algorithm::eltwise_elu_use_dst_for_bwd, 1.f, 0.f},
    {"sigmoid", dnnl::algorithm::eltwise_logistic_use_dst_for_bwd, 0.f, 0.f},
    {"tanh", dnnl::algorithm::eltwise_tanh_use_dst_for_bwd, 0.f, 0.f},
};

run setup_from_output(algorithm_of const& entry, arrays const& a) {
    auto& engine = cpu();
    dnnl::memory::desc md({static_cast<dnnl::memory::dim>(a.n)}, dnnl::memory::data_type::f32,
                          dnnl::memory::format_tag::a);
    auto s = std::make_shared<primitives>();
    s->stream = dnnl::stream(engine);
    s->dst = dnnl::memory(md, engine, a.y);
    s->diff_dst = dnnl::memory(md, engine, const_cast<float*>(a.dy));
    s->diff_src = dnnl::memory(md, engine, a.dx);
    dnnl::eltwise_forward::primitive_desc forward_pd(
        dnnl::eltwise_forward::desc(dnnl::prop_kind::forward_training, entry.algorithm, md, entry.alpha,
                                    entry.beta),
        engine);
    dnnl::eltwise_backward::primitive_desc backward_pd(
        dnnl::eltwise_backward::desc(entry.algorithm, md, md, entry.alpha, entry.beta), engine, forward_pd);
    s->backward = dnnl::eltwise_backward(backward_pd);
    return [s] {
        s->backward.execute(s->stream,
                            {{DNNL_ARG_DST, s->dst}, {DNNL_ARG_DIFF_DST, s->diff_dst}, {DNNL_ARG_DIFF_SRC, s->diff_src}});
        s->stream.wait();
    };
}

// oneDNN's PReLU primitive, backward: dx and the slopes' gradient, the
// slopes broadcast along dimension 1 of the data.  One slope is a {1, 1, 1}
// tensor over a {1, 1, n} one: oneDNN 2.6 runs its jit code for that
// (jit_uni, 0.1 ns per element over 65536 floats on the Zen 5 machine) but
// its reference code for {1} over {n} or {1, 1} over {n / 16, 16} (about
// 20 ns per element).
struct prelu_primitives {
    dnnl::stream stream;
    std::vector<float> slopes, slopes_gradient;
    dnnl::memory src, weights, diff_dst, diff_src, diff_weights;
    dnnl::prelu_backward backward;
};

}  // namespace

run onednn_prelu_backward_slopes(arrays const& a, std::size_t channels, std::size_t inner, bool channels_last) {
    using dims = dnnl::memory::dims;
    using tag = dnnl::memory::format_tag;
    auto& engine = cpu();
    auto const n = static_cast<dnnl::memory::dim>(a.n);
    auto const c = static_cast<dnnl::memory::dim>(channels);
    auto const s = static_cast<dnnl::memory::dim>(inner);
    auto const f32 = dnnl::memory::data_type::f32;
    dnnl::memory::desc data = channels == 1 ? dnnl::memory::desc(dims{1, 1, n}, f32, tag::abc)
                              : channels_last ? dnnl::memory::desc(dims{n / c, c}, f32, tag::ab)
                                              : dnnl::memory::desc(dims{n / (c * s), c, s}, f32, tag::abc);
    dnnl::memory::desc weights = channels == 1 || !channels_last ? dnnl::memory::desc(dims{1, c, 1}, f32, tag::abc)
                                                                 : dnnl::memory::desc(dims{1, c}, f32, tag::ab);
    auto p = std::make_shared<prelu_primitives>();
    p->stream = dnnl::stream(engine);
    p->slopes.assign(channels, prelu_slope);
    p->slopes_gradient.assign(channels, 0.f);
    p->src = dnnl::memory(data, engine, const_cast<float*>(a.x));
    p->weights = dnnl::memory(weights, engine, p->slopes.data());
    p->diff_dst = dnnl::memory(data, engine, const_cast<float*>(a.dy));
    p->diff_src = dnnl::memory(data, engine, a.dx);
    p->diff_weights = dnnl::memory(weights, engine, p->slopes_gradient.data());
    dnnl::prelu_forward::primitive_desc forward_pd(
        dnnl::prelu_forward::desc(dnnl::prop_kind::forward_training, data, weights), engine);
    dnnl::prelu_backward::primitive_desc backward_pd(dnnl::prelu_backward::desc(data, weights, data, weights), engine,
                                                     forward_pd);
    p->backward = dnnl::prelu_backward(backward_pd);
    return [p] {
        p->backward.execute(p->stream, {{DNNL_ARG_SRC, p->src},
                                        {DNNL_ARG_WEIGHTS, p->weights},
                                        {DNNL_ARG_DIFF_DST, p->diff_dst},
                                        {DNNL_ARG_DIFF_SRC, p->diff_src},
                                        {DNNL_ARG_DIFF_WEIGHTS, p->diff_weights}});
        p->stream.wait();
    };
}

std::vector<implementation> onednn_from_output_implementations() {
    std::vector<implementation> out;
    for (auto const& entry : from_output_table) {
        out.push_back({entry.activation, "onednn", [&entry](arrays const& a, pass) { return setup_from_output(entry, a); }});
    }
    return out;
}

std::vector<implementation> onednn_implementations() {
    std::vector<implementation> out;
    for (auto const& entry : table) {
        out.push_back({entry.activation, "onednn",
                       [&entry](arrays const& a, pass p) { return setup_for(entry, a, p); }});
    }
    return out;
}

}  // namespace actx_bench
