// A kernel call on several threads or on the application's executor gives
// the same bits as on one: outputs, input gradients and parameter gradients
// (summed per chunk, chunks added in order), for every layout of a
// per-channel parameter, whatever order the executor runs the tasks in.
// Misuse is still rejected before any task runs, and an executor that fails
// or skips tasks is reported, not hidden.
//
// Test cost: 40 (ctest -j starts the costliest tests first; 3 to 5 s
// natively, but 42 s emulated for 64-bit ARM, where it started last and ran
// alone at the end).
#include <actx/activations.hpp>
#include <actx/kernel/kernel.hpp>

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstring>
#include <limits>
#include <random>
#include <stdexcept>
#include <thread>
#include <vector>

#include "../kernels/compiled.hpp"
#include "sanitized.hpp"

using namespace actx;

namespace {
constexpr auto x = var<0>;

template <class T>
std::vector<T> random_values(std::mt19937& rng, std::size_t n, double low = -8.0, double high = 8.0) {
    std::uniform_real_distribution<double> values(low, high);
    std::vector<T> v(n);
    for (auto& e : v) e = T(values(rng));
    return v;
}

template <class T>
bool same_bits(std::span<T const> a, std::span<T const> b) {
    return a.size() == b.size() && (a.empty() || std::memcmp(a.data(), b.data(), a.size_bytes()) == 0);
}
template <class T>
bool same_bits(std::vector<T> const& a, std::vector<T> const& b) {
    return same_bits(std::span<T const>(a), std::span<T const>(b));
}

// Executors written the way an application would map tasks onto its threads.
auto const in_reverse = [](std::size_t tasks, task_ref task) {
    for (std::size_t i = tasks; i-- > 0;) task(i);
};
// Four threads, task i on thread i % 4, each going backwards.
auto const on_four_threads = [](std::size_t tasks, task_ref task) {
    std::vector<std::jthread> threads;
    for (std::size_t t = 0; t < 4; ++t) {
        threads.emplace_back([=] {
            for (std::size_t i = tasks; i-- > 0;)
                if (i % 4 == t) task(i);
        });
    }
};

// The ways a call is run, compared with the first (the default: alone).
std::vector<execution> const ways = {
    execution{},
    execution{.threads = 2},
    execution{.threads = 3},
    execution{.executor = in_reverse},
    execution{.executor = on_four_threads},
    execution{.threads = 2, .stream_above = stream_always},
};

// Spans over a vector, past its first `offset` elements.
template <class T>
std::span<T> after(std::vector<T>& v, std::size_t offset) {
    return std::span<T>(v).subspan(offset);
}

#if ACTX_TEST_SLOW
constexpr std::size_t large = 3 * 65536 + 1237;
#else
constexpr std::size_t large = 9 * 65536 + 1237;
#endif
}  // namespace

BOOST_AUTO_TEST_CASE(one_input_passes_have_the_same_bits_on_any_threads) {
    std::mt19937 rng(1);
    auto k = actx_test::compiled_kernel<float>(gelu(x));
    for (std::size_t n : {std::size_t{0}, std::size_t{100}, std::size_t{65536}, large}) {
        auto xs = random_values<float>(rng, n + 3), dys = random_values<float>(rng, n + 1);
        std::span<float const> xv = std::span<float const>(xs).subspan(3), dyv = std::span<float const>(dys).subspan(1);
        std::vector<std::vector<float>> y, dx, y_fb, dx_fb;
        for (auto const& how : ways) {
            auto run_as = k.with(how);
            y.emplace_back(n + 1);
            dx.emplace_back(n + 2);
            y_fb.emplace_back(n);
            dx_fb.emplace_back(n);
            run_as.forward(xv, after(y.back(), 1));
            run_as.backward(xv, dyv, after(dx.back(), 2));
            run_as.forward_backward(xv, dyv, y_fb.back(), dx_fb.back());
        }
        for (std::size_t w = 1; w < ways.size(); ++w) {
            BOOST_TEST_CONTEXT("n = " << n << ", way " << w) {
                BOOST_TEST(same_bits(y[w], y[0]));
                BOOST_TEST(same_bits(dx[w], dx[0]));
                BOOST_TEST(same_bits(y_fb[w], y_fb[0]));
                BOOST_TEST(same_bits(dx_fb[w], dx_fb[0]));
            }
        }
    }
}

// relu is exact, so each threaded result can be checked element by element
// against max(x, 0) and relu'(x) = (x > 0), in place too.
BOOST_AUTO_TEST_CASE(threaded_relu_is_exact) {
    std::mt19937 rng(2);
    auto xs = random_values<double>(rng, large);
    std::vector<double> dys(large, 0.75);
    for (auto const& how : ways) {
        auto k = actx_test::compiled_kernel<double>(relu(x)).with(how);
        std::vector<double> y(xs), dx(large);
        k.forward(y, y);
        k.backward(xs, dys, dx);
        for (std::size_t i = 0; i < large; ++i) {
            BOOST_REQUIRE(y[i] == std::max(xs[i], 0.0));
            BOOST_REQUIRE(dx[i] == (xs[i] > 0 ? 0.75 : 0.0));
        }
    }
}

// Two inputs and two outputs: swiglu(a, b) and silu(a), both gradients.
BOOST_AUTO_TEST_CASE(several_inputs_and_outputs) {
    std::mt19937 rng(3);
    auto a_ = var<0>;
    auto b_ = var<1>;
    auto k = kernel(swiglu(a_, b_), silu(a_));
    std::size_t const n = large;
    auto a = random_values<float>(rng, n), b = random_values<float>(rng, n);
    auto dy0 = random_values<float>(rng, n, -1, 1), dy1 = random_values<float>(rng, n, -1, 1);
    std::vector<std::vector<float>> results;
    for (auto const& how : ways) {
        std::vector<float> y0(n), y1(n), da(n), db(n);
        k.with(how).forward_backward<float>({a, b}, {dy0, dy1}, {y0, y1}, {da, db});
        for (auto* v : {&y0, &y1, &da, &db}) results.push_back(std::move(*v));
    }
    for (std::size_t w = 1; w < ways.size(); ++w)
        for (std::size_t r = 0; r < 4; ++r) BOOST_TEST(same_bits(results[4 * w + r], results[r]), "way " << w << ", array " << r);
    // silu's gradient part, against its closed form in double:
    // d/da [a sigmoid(a)] = s (1 + a (1 - s)), with s = sigmoid(a); swiglu
    // adds dy0 * b * that.
    for (std::size_t i = 0; i < n; i += 997) {
        double s = 1 / (1 + std::exp(-double(a[i])));
        double silu_grad = s * (1 + a[i] * (1 - s));
        double expected = (double(dy0[i]) * b[i] + dy1[i]) * silu_grad;
        double scale = (std::abs(double(dy0[i]) * b[i]) + std::abs(dy1[i])) * std::max(1.0, std::abs(silu_grad));
        BOOST_REQUIRE(std::abs(results[2][i] - expected) <= 1e-5 * scale);
    }
}

// PReLU's slope: one value, or one per channel in channels-last rows (few
// channels, which go in tiles, and more channels than a chunk's elements /
// 16) and channels-first blocks (small ones in tiles, large ones cut into
// pieces).  The gradients have the same bits every way, and agree with a
// double loop written out here.
BOOST_AUTO_TEST_CASE(parameter_gradients_are_the_same_on_any_threads) {
    std::mt19937 rng(4);
    auto k = kernel(prelu(x, param<0>));
    struct shape {
        channel_layout layout;
        std::size_t n;
    };
    std::vector<shape> const shapes = {
        {channel_layout{}, large},                 // one slope
        {channels_last(7), 7 * 30011},             // rows of 7: tiles of whole repeats
        {channels_last(5000), 5000 * 61},          // rows of 5000, 16 to a chunk
        {channels_first(5, 3), 3 * 5 * 20011},     // blocks of 3: tiles of whole repeats
        {channels_first(64, 100), 64 * 100 * 37},  // tiles of one repeat, 16 to a chunk
        {channels_first(512, 49), 512 * 49 * 20},  // 7x7 images: tiles of 25088, two chunks
        {channels_first(3, 150001), 2 * 3 * 150001},  // blocks cut into pieces
    };
    for (auto const& [layout, n] : shapes) {
        BOOST_TEST_CONTEXT(layout.channels << " channels of " << layout.inner << ", n = " << n) {
            std::size_t channels = layout.channels;
            auto xs = random_values<float>(rng, n), dys = random_values<float>(rng, n, -1, 1);
            auto slope = random_values<float>(rng, channels, 0.05, 0.5);
            std::vector<std::vector<float>> dx, grad, y, y_alone;
            for (auto const& how : ways) {
                dx.emplace_back(n);
                y.emplace_back(n);
                grad.emplace_back(channels, -99.0f);
                k.with(how).forward_backward<float>({xs}, {dys}, {y.back()}, {dx.back()}, {slope}, {grad.back()},
                                                    layout);
                // The forward alone, whose tiled calls have chunks of fewer
                // tiles (no per-position sums).
                y_alone.emplace_back(n);
                k.with(how).forward<float>({xs}, {y_alone.back()}, {slope}, layout);
            }
            for (std::size_t w = 1; w < ways.size(); ++w) {
                BOOST_TEST(same_bits(y[w], y[0]), "way " << w);
                BOOST_TEST(same_bits(y_alone[w], y[0]), "way " << w);
                BOOST_TEST(same_bits(y_alone[0], y[0]));
                BOOST_TEST(same_bits(dx[w], dx[0]), "way " << w);
                BOOST_TEST(same_bits(grad[w], grad[0]), "way " << w);
            }
            std::vector<double> expected(channels, 0.0), magnitude(channels, 0.0);
            for (std::size_t e = 0; e < n; ++e) {
                std::size_t c = (e / layout.inner) % channels;
                if (xs[e] <= 0) {
                    expected[c] += double(dys[e]) * xs[e];
                    magnitude[c] += std::abs(double(dys[e]) * xs[e]);
                }
                float value = xs[e] > 0 ? xs[e] : slope[c] * xs[e];
                BOOST_REQUIRE(y[0][e] == value);
            }
            for (std::size_t c = 0; c < channels; ++c)
                BOOST_REQUIRE(std::abs(grad[0][c] - expected[c]) <= 1e-6 * std::max(1.0, magnitude[c]));
        }
    }
}

// The sums above are added up in an order that depends on their count
// alone (total_in_lanes, which the keyed sums of a segment and a block's
// per-position sums go through): in order below 16, otherwise value e into
// lane e % 8 and the eight lanes pairwise.  Written out here one lane at a
// time; the kernel adds whole blocks of eight as one vector.
BOOST_AUTO_TEST_CASE(sums_are_added_in_an_order_fixed_by_their_count) {
    std::mt19937 rng(6);
    for (std::size_t count = 0; count <= 200; ++count) {
        for (double scale : {1.0, 1e-9, 1e12}) {
            std::vector<double> v = random_values<double>(rng, count + 1, -scale, scale);
            v.back() = std::numeric_limits<double>::quiet_NaN();  // never read
            double expected = 0.0;
            if (count < 16) {
                for (std::size_t e = 0; e < count; ++e) expected += v[e];
            } else {
                double lane[8];
                for (std::size_t j = 0; j < 8; ++j) lane[j] = v[j];
                for (std::size_t e = 8; e < count; ++e) lane[e % 8] += v[e];
                expected = ((lane[0] + lane[1]) + (lane[2] + lane[3])) + ((lane[4] + lane[5]) + (lane[6] + lane[7]));
            }
            double const total = actx::detail::total_in_lanes(v.data(), count);
            BOOST_TEST_CONTEXT("count " << count << ", scale " << scale) {
                BOOST_TEST(std::memcmp(&total, &expected, sizeof total) == 0);
            }
        }
    }
}

// A tiled call's per-position sums live in memory the thread keeps between
// calls (execution.hpp, scratch).  An executor that, like a
// work-stealing pool, runs another call on the thread that waits for its
// tasks must not have the two share it: the inner call, which needs more
// of it (one tile of 16384 against five chunks' tiles of 1020), gets memory
// of its own rather than replacing the memory the outer call's remaining
// tasks add into (which AddressSanitizer would report), and both calls give
// the bits they give alone.
BOOST_AUTO_TEST_CASE(a_call_inside_a_call_keeps_its_own_sums) {
    std::mt19937 rng(31);
    auto k = kernel(prelu(x, param<0>));
    channel_layout const outer_layout = channels_first(5, 3), inner_layout = channels_first(1024, 16);
    std::size_t const n = 3 * 5 * 20011, m = 2 * 1024 * 16;
    auto xs = random_values<float>(rng, n), dys = random_values<float>(rng, n, -1, 1);
    auto ms = random_values<float>(rng, m), dms = random_values<float>(rng, m, -1, 1);
    auto slope = random_values<float>(rng, 5, 0.05, 0.5), inner_slope = random_values<float>(rng, 1024, 0.05, 0.5);
    std::vector<float> dx_alone(n), grad_alone(5), dm_alone(m), inner_grad_alone(1024);
    k.backward<float>({xs}, {dys}, {dx_alone}, {slope}, {grad_alone}, outer_layout);
    k.backward<float>({ms}, {dms}, {dm_alone}, {inner_slope}, {inner_grad_alone}, inner_layout);

    std::vector<float> dm(m), inner_grad(1024, -99.0f);
    int inner_calls = 0;
    auto stealing = [&](std::size_t tasks, task_ref task) {
        for (std::size_t i = 0; i < tasks; ++i) {
            if (i == 1) {  // between two of the outer call's tasks
                k.backward<float>({ms}, {dms}, {dm}, {inner_slope}, {inner_grad}, inner_layout);
                ++inner_calls;
            }
            task(i);
        }
    };
    std::vector<float> dx(n), grad(5, -99.0f);
    // On a thread of its own, whose memory is the outer call's five sets
    // when the inner call asks for more.
    std::jthread([&] {
        k.with(execution{.executor = stealing}).backward<float>({xs}, {dys}, {dx}, {slope}, {grad}, outer_layout);
    }).join();
    BOOST_TEST(inner_calls == 1);
    BOOST_TEST(same_bits(dx, dx_alone));
    BOOST_TEST(same_bits(grad, grad_alone));
    BOOST_TEST(same_bits(dm, dm_alone));
    BOOST_TEST(same_bits(inner_grad, inner_grad_alone));
}

BOOST_AUTO_TEST_CASE(every_task_runs_once_and_small_calls_stay_on_the_caller) {
    std::vector<std::atomic<int>> runs(64);
    std::size_t calls = 0, last_tasks = 0;
    auto counting = [&](std::size_t tasks, task_ref task) {
        ++calls;
        last_tasks = tasks;
        BOOST_REQUIRE(tasks <= runs.size());
        for (std::size_t i = 0; i < tasks; ++i) {
            task(i);
            ++runs[i];
        }
    };
    auto k = actx_test::compiled_kernel<float>(silu(x)).with({.executor = counting});
    std::vector<float> xs(1000, 0.5f), ys(1000);
    k.forward(xs, ys);
    BOOST_TEST(calls == 0u);  // one chunk: no executor
    std::vector<float> big(large, 0.5f), big_out(large);
    k.forward(big, big_out);
    BOOST_TEST(calls == 1u);
    BOOST_TEST(last_tasks >= 2u);
    for (std::size_t i = 0; i < runs.size(); ++i) BOOST_TEST(runs[i] == (i < last_tasks ? 1 : 0));
    // silu(0.5) = 0.5 / (1 + e^-0.5) = 0.3112296656...
    for (float v : big_out) BOOST_REQUIRE(std::abs(v - 0.3112296656f) <= 1e-6f);
}

// The backward from the saved output runs as the kernel's with() says too.
BOOST_AUTO_TEST_CASE(backward_from_output_runs_on_the_executor) {
    std::size_t calls = 0, tasks_run = 0;
    auto counting = [&](std::size_t tasks, task_ref task) {
        ++calls;
        for (std::size_t i = 0; i < tasks; ++i, ++tasks_run) task(i);
    };
    std::vector<float> ys(large, 0.5f), dys(large, 1.0f), dx(large);
    kernel(sigmoid(x)).with({.executor = counting}).backward_from_output(ys, dys, dx);
    BOOST_TEST(calls == 1u);
    BOOST_TEST(tasks_run >= 2u);
    // sigmoid' from y = 0.5: y (1 - y) = 0.25, exactly.
    for (float v : dx) BOOST_REQUIRE(v == 0.25f);
}

BOOST_AUTO_TEST_CASE(misuse_is_rejected_before_any_task_runs) {
    std::size_t calls = 0;
    auto counting = [&](std::size_t tasks, task_ref task) {
        ++calls;
        for (std::size_t i = 0; i < tasks; ++i) task(i);
    };
    auto kp = kernel(prelu(x, param<0>));
    std::vector<float> xs(large, -1.0f), ys(large, 3.0f), slope(3, 0.25f), grad(3, 9.0f);
    for (auto const& how : {execution{.threads = 2}, execution{.executor = counting}}) {
        auto k = kp.with(how);
        BOOST_CHECK_THROW(k.forward<float>({xs}, {std::span<float>(ys).first(large - 1)}, {slope}, channels_last(3)),
                          std::invalid_argument);
        BOOST_CHECK_THROW(k.forward<float>({xs}, {ys}, {slope}, channels_last(4)), std::invalid_argument);
        BOOST_CHECK_THROW(k.backward<float>({xs}, {xs}, {std::span<float>(xs)}, {slope}, {grad}, channels_first(3, 1)),
                          std::invalid_argument);
        BOOST_TEST(calls == 0u);
        BOOST_TEST(std::all_of(ys.begin(), ys.end(), [](float v) { return v == 3.0f; }));
        BOOST_TEST(std::all_of(grad.begin(), grad.end(), [](float v) { return v == 9.0f; }));
    }
}

// An executor that returns early makes the call throw, and one that throws
// passes its exception on; neither writes the parameter gradients.
BOOST_AUTO_TEST_CASE(a_failing_executor_is_reported) {
    auto half = [](std::size_t tasks, task_ref task) {
        for (std::size_t i = 0; i < tasks / 2; ++i) task(i);
    };
    struct pool_error {};
    auto throwing = [](std::size_t, task_ref task) {
        task(0);
        throw pool_error{};
    };
    auto k = kernel(prelu(x, param<0>));
    std::vector<float> xs(large, -1.0f), dys(large, 1.0f), dx(large);
    float slope = 0.5f, grad = 9.0f;
    std::span<float const> one_slope(&slope, 1);
    std::span<float> one_grad(&grad, 1);
    auto reported_early_return = [&](executor_ref executor) {
        try {
            k.with({.executor = executor}).backward<float>({xs}, {dys}, {dx}, {one_slope}, {one_grad});
        } catch (std::runtime_error const& e) {
            BOOST_TEST_MESSAGE(e.what());
            return std::string(e.what()).find("before returning") != std::string::npos;
        }
        return false;
    };
    BOOST_TEST(reported_early_return(half));
    BOOST_TEST(grad == 9.0f);
    // Every task called, but task 0 twice in place of task 1: the count of
    // calls is right, the count of distinct tasks is not.
    auto twice = [](std::size_t tasks, task_ref task) {
        task(0);
        task(0);
        for (std::size_t i = 2; i < tasks; ++i) task(i);
    };
    BOOST_TEST(reported_early_return(twice));
    BOOST_TEST(grad == 9.0f);
    BOOST_CHECK_THROW(k.with({.executor = throwing}).backward<float>({xs}, {dys}, {dx}, {one_slope}, {one_grad}),
                      pool_error);
    BOOST_TEST(grad == 9.0f);
    // The same call run properly: d/da prelu(-1, a) = -1 per element.
    k.with({.threads = 2}).backward<float>({xs}, {dys}, {dx}, {one_slope}, {one_grad});
    BOOST_TEST(grad == -float(large));
}
