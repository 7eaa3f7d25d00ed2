#!/usr/bin/env python3
"""Report of the speed benchmarks (bench/activations.cpp): Markdown tables and a plot.

    bench/report.py bench/results/latest.json [more.json ...] [--update-docs] [--plot PATH]

With several result files (runs of the same binary), each figure is the
best over all of them, as over the repetitions of one run.

Prints, for each array size, one table whose rows are activation/pass and
whose columns are nanoseconds per element for each implementation, then the
ratios the project's goals are about:

  actx / best peer      actx's time over the fastest peer, any peer
  actx / best accurate  actx's time over the fastest *accurate* peer
  fb / (f + b)          actx's fused forward_backward over its forward plus
                        its backward (forward_backward rows only): what one
                        pass saves over two
  / stream roof         at 16M, actx's forward over a copy of the same bytes
                        with non-temporal stores (forward rows only): how far
                        from the memory bound.  Where the runs have the
                        paired benchmark (<activation>/forward/actx_paired/<n>:
                        the kernel and the copy timed in alternation,
                        counters roof_ratio and roof_ns), the ratio of the
                        repetition whose copy ran fastest; otherwise actx's
                        best time over the copy's best

Below 1 actx is faster.  "Peers" are the other libraries and the textbook
loops: scalar, scalar_fastmath, eigen, onednn, sleef, pytorch.  "unfused" is not a
peer: it is actx's own DAG without fusion, shown to measure what fusion buys.

Which peers count as accurate, and why:
  * scalar: glibc's float expf, expm1f, log1pf, tanhf and erff, each within
    about 1 ulp.  The textbook formulas around them are PyTorch's and still
    round in float, and some cancel (0.5 x (1 + erf(x / sqrt 2)) for
    x << 0, 1 - s for s near 1), so "accurate" means accurate elementary
    functions, the same claim actx makes for its own.
  * sleef: SLEEF's u10 functions, documented at 1.0 ulp (erfc at 1.5).
Not accurate: scalar_fastmath (-ffast-math hands the calls to libmvec, which
glibc documents at up to 4 ulp, and lets the compiler reassociate), eigen
(fast polynomial and rational approximations: tanh and erf have no ulp bound
in float and flush to +-1 early), onednn (its eltwise kernels use
approximations with no stated bound) and pytorch (ATen 1.13's own kernels:
measured here, its gelu is off by 1.7e7 ulp in the negative tail and its
elu by 8.4e6 ulp near 0, where exp(x) - 1 cancels).

Then the rows the goals' tables leave out: the fast path (actx_fast,
against actx and the best peer), backward from the saved output (against
the backward from x and oneDNN's), prelu with one slope per channel
(against one slope), bfloat16 storage (against float), and at
16M streaming stores forced on and off and two threads.

Writes bench/results/ratios.png: actx's time over the best peer's, per
activation and pass, one series per size, on a log scale.  With
--update-docs, replaces the tables in docs/performance.md between the
markers <!-- bench-tables:begin --> and <!-- bench-tables:end -->.
"""

import argparse
import json
import math
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
IMPLEMENTATIONS = ["actx", "unfused", "scalar", "scalar_fastmath", "eigen", "onednn", "sleef", "pytorch"]
PEERS = ["scalar", "scalar_fastmath", "eigen", "onednn", "sleef", "pytorch"]
ACCURATE_PEERS = ["scalar", "sleef"]
PASSES = ["forward", "backward", "forward_backward"]
BEGIN, END = "<!-- bench-tables:begin -->", "<!-- bench-tables:end -->"
TO_NS = {"ns": 1.0, "us": 1e3, "ms": 1e6, "s": 1e9}


class Times(dict):
    """{(activation, pass, impl, n): ns per element}, and in `.paired` the
    paired roof ratios {(activation, n): [(copy's ns per element, ratio) of
    each repetition]}."""

    def __init__(self):
        super().__init__()
        self.paired = {}


def load(paths):
    """(context, Times, activations by name): each time the best of every
    repetition in every file, each paired ratio kept; the context is the
    first file's."""
    runs = [json.loads(pathlib.Path(path).read_text()) for path in paths]
    times, order = Times(), []
    for b in (b for data in runs for b in data.get("benchmarks", [])):
        if b.get("run_type") == "aggregate" or b.get("error_occurred"):
            continue
        parts = b["name"].split("/")
        if len(parts) < 4 or not parts[3].isdigit():
            continue
        activation, pass_, impl, n = parts[0], parts[1], parts[2], int(parts[3])
        ns = b["real_time"] * TO_NS[b.get("time_unit", "ns")] / n
        key = (activation, pass_, impl, n)
        times[key] = min(ns, times.get(key, math.inf))  # repetitions: the best
        if impl == "actx_paired" and "roof_ratio" in b and "roof_ns" in b:
            times.paired.setdefault((activation, n), []).append((b["roof_ns"], b["roof_ratio"]))
        if activation != "copy" and activation not in order:
            order.append(activation)
    # By name: the runs interleave the benchmarks in random order, and tables
    # in a fixed order can be compared line by line from one run to the next.
    return runs[0].get("context", {}), times, sorted(order)


def fastest(times, activation, pass_, n, among):
    best = None
    for impl in among:
        t = times.get((activation, pass_, impl, n))
        if t is not None and (best is None or t < best[1]):
            best = (impl, t)
    return best


def number(x):
    if x is None:
        return ""
    if x >= 100:
        return f"{x:.0f}"
    if x >= 10:
        return f"{x:.1f}"
    return f"{x:.2f}" if x >= 0.1 else f"{x:.3f}"


def ratio(a, b):
    return None if a is None or b is None or b == 0 else a / b


def roof_ratio(times, activation, n):
    """actx's forward over the streaming copy at n.  From the paired
    repetitions where the runs have them (the kernel's calls over the
    copy's, timed in alternation, so both in the same phase of a shared
    host's memory bandwidth): the one whose copy ran fastest, the phase in
    which the roof is the machine's own (in a slow phase a loop bound by
    its arithmetic looks closer to a slower roof).  Else the best time over
    the copy's best."""
    paired = times.paired.get((activation, n))
    if paired:
        return min(paired)[1]
    return ratio(times.get((activation, "forward", "actx", n)), times.get(("copy", "forward", "stream", n)))


def isa_of(context):
    """The instruction set of the run, where its context names it, and the
    limits oneDNN and PyTorch ran under (scripts/bench.sh ACTX_BENCH_ISA)."""
    if "isa" not in context:
        return ""
    limits = [f"{v}={context[v]}" for v in ("ONEDNN_MAX_CPU_ISA", "ATEN_CPU_CAPABILITY") if v in context]
    return f"; instruction set {context['isa']}" + (f" ({', '.join(limits)})" if limits else "")


def tables(context, times, order):
    sizes = sorted({key[3] for key in times if key[2] in IMPLEMENTATIONS or key[0] == "copy"})
    present = [i for i in IMPLEMENTATIONS if any(key[2] == i for key in times)]
    lines = []
    model = context.get("cpu_model", "unknown CPU")
    lines.append(
        f"Measured {context.get('date', '')[:10]} on {model}, {context.get('num_cpus', '?')} cores, "
        f"one thread; {context.get('compiler', 'unknown compiler')}; actx values: "
        f"{context.get('actx_values', 'unknown')}{isa_of(context)}.  Nanoseconds per element (lower is better); "
        f"ratios below 1 mean actx is faster.  Accurate peers: {', '.join(ACCURATE_PEERS)}."
    )
    for n in sizes:
        lines.append("")
        lines.append(f"### n = {n:,}".replace(",", " "))
        lines.append("")
        header = ["activation", "pass", *present, "actx / best peer", "actx / best accurate", "fb / (f + b)"]
        roof = times.get(("copy", "forward", "stream", n))
        show_roof = roof is not None and n >= 1 << 24
        if show_roof:
            header.append("/ stream roof")
        lines.append("| " + " | ".join(header) + " |")
        lines.append("|" + "---|" * len(header))
        for activation in order:
            for pass_ in PASSES:
                row = [times.get((activation, pass_, impl, n)) for impl in present]
                if all(r is None for r in row):
                    continue
                actx = times.get((activation, pass_, "actx", n))
                best = fastest(times, activation, pass_, n, PEERS)
                accurate = fastest(times, activation, pass_, n, ACCURATE_PEERS)
                cells = [activation, pass_, *[number(r) for r in row]]
                cells.append(f"{number(ratio(actx, best[1]))} ({best[0]})" if best and actx else "")
                cells.append(f"{number(ratio(actx, accurate[1]))} ({accurate[0]})" if accurate and actx else "")
                fb = ""
                if pass_ == "forward_backward":
                    f = times.get((activation, "forward", "actx", n))
                    b = times.get((activation, "backward", "actx", n))
                    fb = number(ratio(actx, None if f is None or b is None else f + b))
                cells.append(fb)
                if show_roof:
                    cells.append(number(roof_ratio(times, activation, n)) if pass_ == "forward" else "")
                lines.append("| " + " | ".join(cells) + " |")
        copies = [(impl, times.get(("copy", "forward", impl, n))) for impl in ("memcpy", "stream")]
        copies = [f"{impl} {number(t)}" for impl, t in copies if t is not None]
        if copies:
            lines.append("")
            lines.append(f"Copy of the same bytes (ns/element): {', '.join(copies)}.")
    return "\n".join(lines)


def extra_tables(times, order):
    """The rows the main tables leave out: backward from the saved output,
    bfloat16 storage, double arrays, and at 16M streaming stores forced on and off and two
    threads (bench/activations.cpp, bench/execution.cpp)."""
    lines = []
    sizes = sorted({key[3] for key in times})

    def row(cells):
        lines.append("| " + " | ".join(cells) + " |")

    def header(cells):
        row(cells)
        lines.append("|" + "---|" * len(cells))

    def measured(activations, impl):
        """(activation, pass, n, time) for every row impl has."""
        for a in activations:
            for n in sizes:
                for p in PASSES:
                    t = times.get((a, p, impl, n))
                    if t is not None:
                        yield a, p, n, t

    from_output = [a for a in order if any(k[0] == a and k[1] == "backward_from_output" for k in times)]
    if from_output:
        lines += ["", "### Backward from the saved output", "",
                  "dx from y = f(x) and dy (3 arrays), against actx's backward from x and oneDNN's "
                  "and PyTorch's backward from the output where they have one.", ""]
        header(["activation", "n", "actx from y", "onednn from y", "pytorch from y", "actx from x",
                "from y / from x", "actx / onednn", "actx / pytorch"])
        for a in from_output:
            for n in sizes:
                y = times.get((a, "backward_from_output", "actx", n))
                if y is None:
                    continue
                d = times.get((a, "backward_from_output", "onednn", n))
                t = times.get((a, "backward_from_output", "pytorch", n))
                x = times.get((a, "backward", "actx", n))
                row([a, str(n), number(y), number(d), number(t), number(x), number(ratio(y, x)),
                     number(ratio(y, d)), number(ratio(y, t))])

    fast = [a for a in order if any(k[0] == a and k[2] == "actx_fast" for k in times)]
    if fast:
        lines += ["", "### The fast path", "",
                  "`actx::fast_kernel` (`actx_fast`; 8 ULP forward, 24 backward, docs/design.md) against "
                  "`actx::kernel` and the fastest peer of the main tables.", ""]
        header(["activation", "pass", "n", "actx_fast", "actx", "fast / actx", "best peer", "fast / best peer"])
        for a, p, n, f in measured(fast, "actx_fast"):
            x = times.get((a, p, "actx", n))
            best = fastest(times, a, p, n, PEERS)
            row([a, p, str(n), number(f), number(x), number(ratio(f, x)),
                 f"{number(best[1])} ({best[0]})" if best else "", number(ratio(f, best[1] if best else None))])

    layouts = sorted({k[2] for k in times if k[0] == "prelu" and k[2].startswith(("actx_last", "actx_first"))},
                     key=lambda impl: (not impl.startswith("actx_last"), int(re.findall(r"\d+", impl)[0])))
    if layouts:
        lines += ["", "### prelu with one slope per channel", "",
                  "`actx_last<C>`: C channels last (NC, NHWC); `actx_first<C>x<S>`: C channels first of S "
                  "elements each (NCHW); against one slope (`actx`). `backward_slopes` is the backward with "
                  "the slopes' gradient summed per channel (bench/channels.cpp).", ""]
        header(["pass", "n", "one slope", *layouts])
        for p in ("forward", "backward", "backward_slopes"):
            for n in sizes:
                one = times.get(("prelu", p, "actx", n), times.get(("prelu", p, "actx_one", n)))
                cells = [times.get(("prelu", p, impl, n)) for impl in layouts]
                if all(c is None for c in cells):
                    continue
                row([p, str(n), number(one),
                     *[f"{number(c)} ({number(ratio(c, one))})" if c is not None else "" for c in cells]])
        # The peers' prelu backward, which computes the slopes' gradient too.
        peer_rows = []
        for peer in ("onednn", "pytorch"):
            for n in sizes:
                one = times.get(("prelu", "backward_slopes", peer, n))
                cells = [times.get(("prelu", "backward_slopes", peer + impl[len("actx"):], n)) for impl in layouts]
                if one is None and all(c is None for c in cells):
                    continue
                mine = [times.get(("prelu", "backward_slopes", "actx", n))] + \
                    [times.get(("prelu", "backward_slopes", impl, n)) for impl in layouts]
                row([f"backward_slopes, {peer}", str(n),
                     *[f"{number(c)} ({number(ratio(m, c))})" if c is not None else ""
                       for c, m in zip([one, *cells], mine)]])
                if peer not in peer_rows:
                    peer_rows.append(peer)
        lines += ["", "ns per element; in brackets, over one slope" +
                  (f"; in the {' and '.join(peer_rows)} rows (the peer's prelu backward, which computes the "
                   "slopes' gradient too: bench/onednn.cpp, bench/pytorch.cpp), actx's time over the peer's."
                   if peer_rows else ".")]

    bf16 = [a for a in order if any(k[0] == a and k[2] == "actx_bf16" for k in times)]
    if bf16:
        lines += ["", "### bfloat16 storage", "",
                  "Forward on bfloat16 arrays computed in float, against the float forward (half the bytes).", ""]
        header(["activation", "n", "bfloat16", "float", "bfloat16 / float"])
        for a in bf16:
            for n in sizes:
                b = times.get((a, "forward", "actx_bf16", n))
                f = times.get((a, "forward", "actx", n))
                if b is not None:
                    row([a, str(n), number(b), number(f), number(ratio(b, f))])

    f64 = [a for a in order if any(k[0] == a and k[2] == "actx_f64" for k in times)]
    if f64:
        lines += ["", "### double arrays", "",
                  "actx's kernel on double against the textbook loop in double (`scalar_f64`, std:: "
                  "functions) and Eigen's ArrayXd expressions (`eigen_f64`), ns per element "
                  "(bench/double.cpp).", ""]
        header(["activation", "pass", "n", "actx_f64", "scalar_f64", "eigen_f64", "actx / best peer",
                "actx_f64 / actx (float)"])
        for a, p, n, d in measured(f64, "actx_f64"):
            best = fastest(times, a, p, n, ["scalar_f64", "eigen_f64"])
            row([a, p, str(n), number(d), number(times.get((a, p, "scalar_f64", n))),
                 number(times.get((a, p, "eigen_f64", n))),
                 f"{number(ratio(d, best[1]))} ({best[0]})" if best else "",
                 number(ratio(d, times.get((a, p, "actx", n))))])

    big = max(sizes) if sizes else 0
    roof = times.get(("copy", "forward", "stream", big))
    execution = [a for a in order
                 if any(k[0] == a and k[3] == big and k[2].startswith(("actx_stream", "actx_nostream", "actx_inplace", "actx_threads"))
                        for k in times)]
    if execution:
        lines += ["", f"### n = {big:,}: streaming stores and threads".replace(",", " "), "",
                  "Forward; `actx` chooses streaming stores by the bytes a call moves (on at this n); "
                  "`stream` and `nostream` force them on and off; `inplace` writes over its input, where "
                  "`actx` keeps ordinary stores and `inplace_stream` forces streaming; `threads2` splits "
                  "the array over two threads; `actx / stream roof` as in the main table (timed beside the copy "
                  "where the runs have the paired rows).", ""]
        impls = ["actx", "actx_stream", "actx_nostream", "actx_inplace", "actx_inplace_stream",
                 "actx_threads1", "actx_threads2"]
        header(["activation", *impls, "actx / stream roof", "inplace_stream / inplace", "threads2 / threads1"])
        for a in execution:
            t = [times.get((a, "forward", i, big)) for i in impls]
            row([a, *[number(v) for v in t], number(roof_ratio(times, a, big)), number(ratio(t[4], t[3])),
                 number(ratio(t[6], t[5]))])
        if roof is not None:
            lines += ["", f"Streaming copy of the same bytes: {number(roof)} ns/element."]
    return "\n".join(lines)


def plot(times, order, path):
    try:
        import matplotlib
    except ImportError as error:
        # The error's own words too: an import matplotlib makes can fail
        # when matplotlib is there (a module of bench/ named like one of
        # the standard library's comes first on the path).
        print(f"report.py: no matplotlib for {sys.executable} (Debian's python3-matplotlib is for "
              f"/usr/bin/python3), so no plot: {error}", file=sys.stderr)
        return False

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    sizes = sorted({key[3] for key in times})
    # actx's time over the fastest peer's, wherever both ran.
    points = {}
    for a in order:
        for p in PASSES:
            for n in sizes:
                actx, best = times.get((a, p, "actx", n)), fastest(times, a, p, n, PEERS)
                if actx is not None and best is not None:
                    points[(a, p, n)] = actx / best[1]
    # The pairs with a point: the double primitives (erf, log, ...) have
    # no float rows to plot.
    pairs = [(a, p) for a in order for p in PASSES if any((a, p, n) in points for n in sizes)]
    labels = [f"{a}/{p}" for a, p in pairs]
    fig, ax = plt.subplots(figsize=(max(10, 0.28 * len(labels)), 5.5))
    markers = ["o", "s", "^", "D"]
    plotted = False
    for k, n in enumerate(sizes):
        xs = [i for i, (a, p) in enumerate(pairs) if (a, p, n) in points]
        ys = [points[(*pairs[i], n)] for i in xs]
        if xs:
            ax.scatter(xs, ys, marker=markers[k % len(markers)], label=f"n = {n}", s=22)
            plotted = True
    ax.axhline(1.0, color="black", linewidth=0.8)
    ax.set_yscale("log")
    ax.set_xticks(range(len(labels)))
    ax.set_xticklabels(labels, rotation=90, fontsize=7)
    ax.set_ylabel("actx time / fastest peer's time (below 1: actx faster)")
    ax.set_title("actx against the fastest peer, per activation and pass")
    ax.grid(True, axis="y", which="both", alpha=0.3)
    if plotted:
        ax.legend()
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return True


def update_docs(text):
    doc = ROOT / "docs" / "performance.md"
    content = doc.read_text()
    if BEGIN not in content or END not in content:
        sys.exit(f"report.py: {doc} has no {BEGIN} ... {END} markers")
    pattern = re.compile(re.escape(BEGIN) + ".*?" + re.escape(END), re.S)
    # Text written by hand between the markers is not the report's: say
    # what the rewrite drops (notes belong after the end marker).
    old = pattern.search(content).group(0).splitlines()[1:-1]
    kept = set(text.splitlines())
    dropped = [line for line in old if line.strip() and not line.startswith("|") and line not in kept]
    if dropped:
        print(f"report.py: {len(dropped)} lines between the markers are not the report's and are dropped, "
              f"the first: {dropped[0][:100]}", file=sys.stderr)
    doc.write_text(pattern.sub(lambda _: f"{BEGIN}\n{text}\n{END}", content, count=1))
    print(f"report.py: rewrote the tables in {doc.relative_to(ROOT)}", file=sys.stderr)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("json", nargs="*", default=[str(ROOT / "bench" / "results" / "latest.json")],
                        help="benchmark results (JSON); with several, the best of all")
    parser.add_argument("--update-docs", action="store_true", help="rewrite the tables in docs/performance.md")
    parser.add_argument("--plot", default=str(ROOT / "bench" / "results" / "ratios.png"))
    args = parser.parse_args()

    context, times, order = load(args.json)
    if not times:
        sys.exit(f"report.py: no benchmark results in {' '.join(args.json)}")
    text = tables(context, times, order) + "\n" + extra_tables(times, order)
    print(text)
    if plot(times, order, pathlib.Path(args.plot)):
        print(f"\nreport.py: plot written to {args.plot}", file=sys.stderr)
    if args.update_docs:
        update_docs(text)


if __name__ == "__main__":
    main()
