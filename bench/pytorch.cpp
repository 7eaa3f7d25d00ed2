// PyTorch's own CPU kernels (ATen, Debian's libtorch 1.13), called from C++
// as a training step calls them: the `_out` form of each operator, writing
// into the benchmark's arrays (at::from_blob, no copy), on one thread
// (at::set_num_threads(1)).  Each call pays the operator dispatch and the
// TensorIterator setup, as every call in PyTorch does; at n = 4096 that is
// part of what is measured.  forward_backward is the forward operator then
// the backward operator, which is all PyTorch offers (it has no fused pair).
//
// Each backward is the one autograd calls for torch.nn's module:
//   * relu: threshold_backward; relu6 and hardtanh: hardtanh_backward;
//     selu and celu: elu_backward with their scale and input scale (PyTorch
//     computes both through elu).
//   * sigmoid and tanh: PyTorch differentiates them only from the saved
//     output (sigmoid_backward(dy, y)), so their backward from x is not
//     offered; forward_backward is the forward then that backward, and the
//     backward from y is benchmarked beside actx's backward_from_output.
//   * logsigmoid: the backward reads the buffer e^-|x| its forward saved,
//     and computes no exponential; a backward from x and dy alone it does
//     not have, so, as for sigmoid and tanh, only forward_backward is.
//   * mish: mish_backward has no `_out` form in 1.13, so each call also
//     allocates its result, as autograd's does.
//   * relu, prelu forward and hardswish backward: ATen 1.13's `relu_out`,
//     `prelu_out` and `hardswish_backward_out` allocate a result of the
//     array's size on each call and copy it into the one given; at 16M the
//     fresh pages cost about 10 ns per element in page faults on the Zen 5
//     machine (docs/performance.md).  Measured as they are: these are the
//     calls PyTorch makes.
//   * prelu: forward only in the main tables.  PyTorch's prelu backward
//     always also sums the slope's gradient, which no other column there
//     computes; it is measured beside actx's backward with the slopes'
//     gradient (pytorch_prelu_backward_slopes, bench/channels.cpp).
// Not benchmarked: softsign and tanhshrink, which PyTorch writes as several
// operators (x / (1 + |x|), x - tanh(x)), not as one kernel.
#include "harness.hpp"

#include <ATen/ATen.h>
#include <ATen/Parallel.h>

#include <cstdint>
#include <memory>
#include <vector>

namespace actx_bench {
namespace {

// The benchmark's arrays as tensors, and the scratch a pass needs.
struct tensors {
    at::Tensor x, dy, y, dx, buffer;
};

std::shared_ptr<tensors> wrap(arrays const& a) {
    auto options = at::TensorOptions().dtype(at::kFloat);
    auto n = static_cast<std::int64_t>(a.n);
    auto t = std::make_shared<tensors>();
    t->x = at::from_blob(const_cast<float*>(a.x), {n}, options);
    t->dy = at::from_blob(const_cast<float*>(a.dy), {n}, options);
    t->y = at::from_blob(a.y, {n}, options);
    t->dx = at::from_blob(a.dx, {n}, options);
    return t;
}

using forward_op = void (*)(tensors&);
using backward_op = void (*)(tensors&);  // nullptr: not benchmarked (prelu)

struct operators {
    char const* activation;
    forward_op forward;
    backward_op backward;
    bool backward_reads_saved;  // the backward reads what the forward saved (sigmoid, tanh, logsigmoid)
};

constexpr double selu_alpha = 1.6732632423543772848170429916717;
constexpr double selu_scale = 1.0507009873554804934193349852946;

operators const table[] = {
    {"relu", [](tensors& t) { at::relu_out(t.y, t.x); },
     [](tensors& t) { at::threshold_backward_out(t.dx, t.dy, t.x, 0); }, false},
    {"relu6", [](tensors& t) { at::hardtanh_out(t.y, t.x, 0, 6); },
     [](tensors& t) { at::hardtanh_backward_out(t.dx, t.dy, t.x, 0, 6); }, false},
    {"hardtanh", [](tensors& t) { at::hardtanh_out(t.y, t.x, -1, 1); },
     [](tensors& t) { at::hardtanh_backward_out(t.dx, t.dy, t.x, -1, 1); }, false},
    {"leaky_relu", [](tensors& t) { at::leaky_relu_out(t.y, t.x, 0.01); },
     [](tensors& t) { at::leaky_relu_backward_out(t.dx, t.dy, t.x, 0.01, false); }, false},
    {"prelu", [](tensors& t) { at::prelu_out(t.y, t.x, t.buffer); }, nullptr, false},
    {"elu", [](tensors& t) { at::elu_out(t.y, t.x, 1, 1, 1); },
     [](tensors& t) { at::elu_backward_out(t.dx, t.dy, 1, 1, 1, false, t.x); }, false},
    {"selu", [](tensors& t) { at::elu_out(t.y, t.x, selu_alpha, selu_scale, 1); },
     [](tensors& t) { at::elu_backward_out(t.dx, t.dy, selu_alpha, selu_scale, 1, false, t.x); }, false},
    {"celu", [](tensors& t) { at::elu_out(t.y, t.x, 1, 1, 1); },
     [](tensors& t) { at::elu_backward_out(t.dx, t.dy, 1, 1, 1, false, t.x); }, false},
    {"gelu", [](tensors& t) { at::gelu_out(t.y, t.x, "none"); },
     [](tensors& t) { at::gelu_backward_out(t.dx, t.dy, t.x, "none"); }, false},
    {"gelu_tanh", [](tensors& t) { at::gelu_out(t.y, t.x, "tanh"); },
     [](tensors& t) { at::gelu_backward_out(t.dx, t.dy, t.x, "tanh"); }, false},
    {"silu", [](tensors& t) { at::silu_out(t.y, t.x); },
     [](tensors& t) { at::silu_backward_out(t.dx, t.dy, t.x); }, false},
    {"mish", [](tensors& t) { at::mish_out(t.y, t.x); },
     [](tensors& t) { t.dx.copy_(at::mish_backward(t.dy, t.x)); }, false},
    {"sigmoid", [](tensors& t) { at::sigmoid_out(t.y, t.x); },
     [](tensors& t) { at::sigmoid_backward_out(t.dx, t.dy, t.y); }, true},
    {"tanh", [](tensors& t) { at::tanh_out(t.y, t.x); },
     [](tensors& t) { at::tanh_backward_out(t.dx, t.dy, t.y); }, true},
    {"softplus", [](tensors& t) { at::softplus_out(t.y, t.x, 1, 20); },
     [](tensors& t) { at::softplus_backward_out(t.dx, t.dy, t.x, 1, 20); }, false},
    {"hardsigmoid", [](tensors& t) { at::hardsigmoid_out(t.y, t.x); },
     [](tensors& t) { at::hardsigmoid_backward_out(t.dx, t.dy, t.x); }, false},
    {"hardswish", [](tensors& t) { at::hardswish_out(t.y, t.x); },
     [](tensors& t) { at::hardswish_backward_out(t.dx, t.dy, t.x); }, false},
    {"logsigmoid", [](tensors& t) { at::log_sigmoid_forward_out(t.y, t.buffer, t.x); },
     [](tensors& t) { at::log_sigmoid_backward_out(t.dx, t.dy, t.x, t.buffer); }, true},
};

void one_thread() {
    static bool const done = [] {
        at::set_num_threads(1);
        return true;
    }();
    (void)done;
}

run setup_for(operators const& op, arrays const& a, pass p) {
    one_thread();
    auto t = wrap(a);
    if (std::string(op.activation) == "prelu") t->buffer = at::full({1}, prelu_slope, t->x.options());
    // logsigmoid's forward writes its buffer too: given at the array's
    // size and touched here, so that the first timed call (the only one at
    // 16M) does not allocate and fault in 64 MiB of fresh pages.
    if (std::string(op.activation) == "logsigmoid") t->buffer = at::zeros_like(t->x);
    auto forward = op.forward;
    auto backward = op.backward;
    switch (p) {
        case pass::forward: return [t, forward] { forward(*t); };
        case pass::backward: return [t, backward] { backward(*t); };
        case pass::forward_backward:
            return [t, forward, backward] {
                forward(*t);
                backward(*t);
            };
    }
    return {};
}

// Backward from the saved output y (the benchmark computes y before the
// timed loop), as autograd runs it for relu (threshold_backward on the
// result), leaky_relu (in place, leaky_relu_backward on the result), elu,
// selu and celu (elu_backward with is_result), sigmoid and tanh.
struct from_output_operator {
    char const* activation;
    backward_op backward;
};

from_output_operator const from_output_table[] = {
    {"relu", [](tensors& t) { at::threshold_backward_out(t.dx, t.dy, t.y, 0); }},
    {"leaky_relu", [](tensors& t) { at::leaky_relu_backward_out(t.dx, t.dy, t.y, 0.01, true); }},
    {"elu", [](tensors& t) { at::elu_backward_out(t.dx, t.dy, 1, 1, 1, true, t.y); }},
    {"selu", [](tensors& t) { at::elu_backward_out(t.dx, t.dy, selu_alpha, selu_scale, 1, true, t.y); }},
    {"celu", [](tensors& t) { at::elu_backward_out(t.dx, t.dy, 1, 1, 1, true, t.y); }},
    {"sigmoid", [](tensors& t) { at::sigmoid_backward_out(t.dx, t.dy, t.y); }},
    {"tanh", [](tensors& t) { at::tanh_backward_out(t.dx, t.dy, t.y); }},
};

}  // namespace

run pytorch_prelu_backward_slopes(arrays const& a, std::size_t channels, std::size_t inner, bool channels_last) {
    one_thread();
    auto t = wrap(a);
    auto const n = static_cast<std::int64_t>(a.n);
    auto const c = static_cast<std::int64_t>(channels);
    auto const s = static_cast<std::int64_t>(inner);
    std::vector<std::int64_t> shape = channels == 1 ? std::vector<std::int64_t>{n}
                                      : channels_last ? std::vector<std::int64_t>{n / c, c}
                                                      : std::vector<std::int64_t>{n / (c * s), c, s};
    // nn.PReLU's slopes go along dimension 1: channels last as an NC tensor.
    t->x = t->x.view(shape);
    t->dy = t->dy.view(shape);
    t->dx = t->dx.view(shape);
    t->buffer = at::full({c}, prelu_slope, t->x.options());
    auto grad_slopes = std::make_shared<at::Tensor>(at::empty({c}, t->x.options()));
    return [t, grad_slopes] { at::prelu_backward_out(t->dx, *grad_slopes, t->dy, t->x, t->buffer); };
}

std::vector<implementation> pytorch_implementations() {
    std::vector<implementation> out;
    for (auto const& op : table) {
        out.push_back({op.activation, "pytorch", [&op](arrays const& a, pass p) { return setup_for(op, a, p); },
                       [&op](pass p) {
                           return p == pass::forward ||
                                  (op.backward != nullptr && (p == pass::forward_backward || !op.backward_reads_saved));
                       }});
    }
    return out;
}

std::vector<implementation> pytorch_from_output_implementations() {
    std::vector<implementation> out;
    for (auto const& op : from_output_table) {
        out.push_back({op.activation, "pytorch", [&op](arrays const& a, pass) -> run {
                           one_thread();
                           auto t = wrap(a);
                           auto backward = op.backward;
                           return [t, backward] { backward(*t); };
                       }});
    }
    return out;
}

}  // namespace actx_bench
