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

}  // namespace

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
