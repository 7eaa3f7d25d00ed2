// How a kernel call runs: on the calling thread (the default), on a number
// of threads, or on the application's own thread pool; and whether it
// streams its stores (stream.hpp).
//
//   auto k = actx::kernel(gelu(x));
//   k.with({.threads = 4}).forward(xs, ys);           // four threads, the caller's included
//
//   auto on_my_pool = [&](std::size_t tasks, actx::task_ref task) {
//       pool.parallel_for(0, tasks, [&](std::size_t i) { task(i); });   // returns when all are done
//   };
//   k.with({.executor = on_my_pool}).backward(xs, dys, dxs);
//
//   k.with({.stream_above = actx::stream_never}).forward(xs, ys);
//
// A call is cut into chunks that depend only on the number of elements and
// the channel layout, never on the threads: about 64K elements each, a
// multiple of every vector width, never splitting a channels-last row, and
// for channels-first either whole blocks or pieces of one block.  Each chunk
// sums its parameter gradients into its own partial sums (double), and the
// partial sums are added in chunk order at the end, on one thread as on
// many; so every output, input gradient and parameter gradient has the same
// bits whatever the threads, the executor and the order it runs tasks in.
// With a per-channel parameter a chunk holds at least 16 channels' worth of
// elements, so the partial sums (one double per channel per chunk) never
// exceed n / 16 doubles.
//
// Threads are started for the call (std::jthread) and joined before it
// returns; no pool is kept.  A call of one chunk (up to 64K elements) runs
// on the caller, and a call worth threading costs milliseconds, against tens
// of microseconds to start a thread; a library-owned pool would mean idle threads, shutdown order at
// exit and a second pool next to the application's, which is what the
// executor is for.  A thread that cannot be started is done without: the
// threads that did start, and the caller, take every chunk between them.
//
// Everything is checked before any task runs, and the tasks themselves
// allocate nothing and do not throw.  An exception from the application's
// executor propagates out of the call, with the outputs possibly partly
// written and the parameter gradients untouched; an executor that returns
// without having run every task makes the call throw std::runtime_error (it
// must not return while tasks still run: they refer to the call's frame),
// and a task it runs a second time does nothing.
#pragma once

#include <actx/kernel/bindings.hpp>
#include <actx/kernel/stream.hpp>

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <memory>
#include <stdexcept>
#include <string>
#include <system_error>
#include <thread>
#include <type_traits>
#include <vector>

namespace actx {

// One task of a call, as an executor sees it: task(i) runs task i.  A
// reference to the call's work, valid until the call returns.
class task_ref {
public:
    template <class F>
        requires(!std::is_same_v<std::remove_cvref_t<F>, task_ref> && std::is_invocable_v<F const&, std::size_t>)
    explicit task_ref(F const& f) noexcept
        : object_(std::addressof(f)), call_([](void const* o, std::size_t i) { (*static_cast<F const*>(o))(i); }) {}
    void operator()(std::size_t i) const { call_(object_, i); }

private:
    void const* object_;
    void (*call_)(void const*, std::size_t);
};

// The application's executor: anything callable as run(tasks, task) that
// calls task(i) exactly once for every i in [0, tasks), on whatever threads
// and in whatever order, and returns when all have finished.  It is referred
// to, not copied, so it must outlive the kernels configured with it; a
// temporary is refused at compile time.
class executor_ref {
public:
    constexpr executor_ref() noexcept = default;
    template <class F>
        requires(!std::is_same_v<std::remove_cvref_t<F>, executor_ref> &&
                 std::is_invocable_v<F&, std::size_t, task_ref>)
    executor_ref(F& f) noexcept
        : object_(const_cast<void*>(static_cast<void const*>(std::addressof(f)))),
          call_([](void* o, std::size_t tasks, task_ref task) { (*static_cast<F*>(o))(tasks, task); }) {}
    template <class F>
        requires(!std::is_same_v<std::remove_cvref_t<F>, executor_ref> && !std::is_lvalue_reference_v<F>)
    executor_ref(F&&) {
        static_assert(!sizeof(F*), "actx: an executor is referred to, not copied: pass a named executor that "
                                   "outlives the kernel, not a temporary");
    }

    explicit constexpr operator bool() const noexcept { return call_ != nullptr; }
    void operator()(std::size_t tasks, task_ref task) const { call_(object_, tasks, task); }

private:
    void* object_ = nullptr;
    void (*call_)(void*, std::size_t, task_ref) = nullptr;
};

struct execution {
    // Threads that run the call, the caller's included; 0 and 1 both mean the
    // calling thread alone.  Ignored when there is an executor.
    std::size_t threads = 1;
    // The application's own threads (see executor_ref).
    executor_ref executor = {};
    // Stores stream when the call moves more bytes than this, counting each
    // array it reads or writes once, and not where it writes in place
    // (stream.hpp): stream_above_cache (the default), stream_always (every
    // destination, in place too), stream_never, or a size.
    std::size_t stream_above = stream_above_cache;
};

namespace detail {

inline constexpr std::size_t chunk_elements = std::size_t{1} << 16;

// The chunks of a call over n elements; segments are what kernel_with::segment
// evaluates: `length` elements from `first`, a per-channel parameter indexed
// along the segment (channels last) or taken at `channel` (channels first).
struct chunks {
    enum class shape { flat, rows, blocks, pieces, tiles };
    shape kind = shape::flat;
    std::size_t n = 0;
    std::size_t size = 0;       // elements per chunk (flat), per piece (pieces), per tile (tiles)
    std::size_t per_chunk = 0;  // rows, blocks or tiles per chunk
    std::size_t pieces = 0;     // pieces per block
    std::size_t count = 0;
    channel_layout layout;

    // f(first, length, along, channel) for every segment of chunk c, in order.
    template <class F>
    void for_each_segment(std::size_t c, F&& f) const {
        std::size_t const channels = layout.channels, inner = layout.inner;
        switch (kind) {
            case shape::flat: {
                std::size_t first = c * size;
                f(first, std::min(size, n - first), false, std::size_t{0});
                break;
            }
            case shape::rows: {
                std::size_t end = std::min(n / channels, (c + 1) * per_chunk);
                for (std::size_t row = c * per_chunk; row < end; ++row) f(row * channels, channels, true, std::size_t{0});
                break;
            }
            case shape::blocks: {
                std::size_t end = std::min(n / inner, (c + 1) * per_chunk);
                for (std::size_t block = c * per_chunk; block < end; ++block)
                    f(block * inner, inner, false, block % channels);
                break;
            }
            case shape::pieces: {
                std::size_t block = c / pieces, offset = (c % pieces) * size;
                f(block * inner + offset, std::min(size, inner - offset), false, block % channels);
                break;
            }
            case shape::tiles: {
                std::size_t first = c * per_chunk * size, end = std::min(n, first + per_chunk * size);
                for (; first < end; first += size) f(first, std::min(size, end - first), true, std::size_t{0});
                break;
            }
        }
    }
};

// The layout has been checked to tile n when per_channel.
inline chunks chunks_of(std::size_t n, bool per_channel, channel_layout layout) {
    auto ceil = [](std::size_t a, std::size_t b) { return (a + b - 1) / b; };
    chunks c;
    c.n = n;
    c.layout = layout;
    c.size = chunk_elements;
    if (per_channel) c.size = std::max(c.size, ceil(16 * layout.channels, 64) * 64);
    if (n == 0) return c;
    if (!per_channel) {
        c.kind = chunks::shape::flat;
        c.count = ceil(n, chunk_elements);  // a shift, not a division
    } else if (layout.inner == 1) {
        c.kind = chunks::shape::rows;
        c.per_chunk = ceil(c.size, layout.channels);
        c.count = ceil(n / layout.channels, c.per_chunk);
    } else if (layout.inner < c.size) {
        c.kind = chunks::shape::blocks;
        c.per_chunk = c.size / layout.inner;
        c.count = ceil(n / layout.inner, c.per_chunk);
    } else {
        c.kind = chunks::shape::pieces;
        c.pieces = ceil(layout.inner, c.size);
        c.count = n / layout.inner * c.pieces;
    }
    return c;
}

// Tiles of `tile` elements, whole repeats of the layout, along which a
// per-channel parameter is indexed as if channels last (kernel_with::run
// writes each such parameter out over a tile): about chunk_elements to a
// chunk, and where per-position sums are kept (`positions`: a parameter
// gradient), at least 16 tiles, so that those sums (tile doubles a chunk)
// never exceed n/16 doubles.  Without them a chunk may be one tile (a
// tile of 7x7 images can be 2^17 elements), so that threads share the work
// of a call of a few tiles.
inline chunks tiled_chunks(std::size_t n, std::size_t tile, channel_layout layout, bool positions) {
    chunks c;
    c.kind = chunks::shape::tiles;
    c.n = n;
    c.layout = layout;
    c.size = tile;
    c.per_chunk = std::max<std::size_t>(positions ? 16 : 1, chunk_elements / tile);
    c.count = (n + c.per_chunk * tile - 1) / (c.per_chunk * tile);
    return c;
}

// Memory for a call's temporaries (a tiled call's parameter tiles and
// per-position sums), which the thread keeps between calls, one block per
// element type: allocated and freed by every call, the 128 KB of sums of a
// tile of 16384 cost prelu's slope gradient over 16384 elements 15.9 ns per
// element, in page faults (glibc returned the memory to the system on every
// free and faulted it in again on the next call).  Up to kept_bytes stay
// with the thread; a larger request, or one made while the thread's block
// is in use (an executor that runs another call on the thread waiting for
// its tasks), gets memory of its own.  Slot tells apart two blocks of one
// type a call holds at once (a double kernel's tiles and sums).
template <class E, int Slot>
class scratch {
public:
    static constexpr std::size_t kept_bytes = std::size_t{2} << 20;

    explicit scratch(std::size_t count) {
        if (count == 0) return;
        kept& k = thread_kept();
        if (count <= kept_bytes / sizeof(E) && !k.in_use) {
            if (k.size < count) {
                k.memory.reset();
                k.memory.reset(new E[count]);
                k.size = count;
            }
            k.in_use = true;
            held_ = &k;
            data_ = k.memory.get();
            return;
        }
        own_.reset(new E[count]);
        data_ = own_.get();
    }
    ~scratch() {
        if (held_) held_->in_use = false;
    }
    scratch(scratch const&) = delete;
    scratch& operator=(scratch const&) = delete;

    E* data() const { return data_; }

private:
    struct kept {
        std::unique_ptr<E[]> memory;
        std::size_t size = 0;
        bool in_use = false;
    };
    static kept& thread_kept() {
        thread_local kept k;
        return k;
    }
    kept* held_ = nullptr;
    std::unique_ptr<E[]> own_;
    E* data_ = nullptr;
};

inline bool runs_alone(execution const& how, std::size_t count) {
    return count <= 1 || (!how.executor && how.threads <= 1);
}

// work(c) for every chunk c in [0, count), on the threads or the executor of
// `how`.  work must not throw.  A task_ref, not a template: the threads,
// the executor's task and their bookkeeping are compiled once, not once per
// kernel and pass, for an indirect call per chunk of 64K elements
// (docs/design.md, "Compiled once", has what that saved).
inline void run_chunks(execution const& how, std::size_t count, task_ref work) {
    if (how.executor) {
        // Each task is claimed before it runs, so one the executor calls twice
        // runs once (not twice at the same time on two threads), and cannot
        // stand in for one it never calls.
        auto claimed = std::make_unique<std::atomic<bool>[]>(count);
        std::atomic<std::size_t> done{0};
        auto task = [&](std::size_t c) {
            if (c >= count || claimed[c].exchange(true, std::memory_order_relaxed)) return;
            work(c);
            done.fetch_add(1, std::memory_order_release);
        };
        how.executor(count, task_ref(task));
        std::size_t ran = done.load(std::memory_order_acquire);
        if (ran != count) {
            throw std::runtime_error("actx::kernel: the executor ran " + std::to_string(ran) + " distinct tasks of " +
                                     std::to_string(count) + " before returning");
        }
        return;
    }
    std::atomic<std::size_t> next{0};
    auto worker = [&]() noexcept {
        for (std::size_t c; (c = next.fetch_add(1, std::memory_order_relaxed)) < count;) work(c);
    };
    std::size_t helpers = std::min(how.threads, count) - 1;
    std::vector<std::jthread> threads;
    threads.reserve(helpers);
    for (std::size_t t = 0; t < helpers; ++t) {
        try {
            threads.emplace_back(worker);
        } catch (std::system_error const&) {
            break;  // the threads already started and this one do the rest
        }
    }
    worker();
}  // the threads are joined here

}  // namespace detail
}  // namespace actx
