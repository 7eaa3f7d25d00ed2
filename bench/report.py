#!/usr/bin/env python3
"""Report of the speed benchmarks (bench/activations.cpp): Markdown tables and a plot.

    bench/report.py bench/results/latest.json [--update-docs] [--plot PATH]

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
                        from the memory bound

Below 1 actx is faster.  "Peers" are the other libraries and the textbook
loops: scalar, scalar_fastmath, eigen, onednn, sleef.  "unfused" is not a
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
in float and flush to +-1 early) and onednn (its eltwise kernels use
approximations with no stated bound).

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
IMPLEMENTATIONS = ["actx", "unfused", "scalar", "scalar_fastmath", "eigen", "onednn", "sleef"]
PEERS = ["scalar", "scalar_fastmath", "eigen", "onednn", "sleef"]
ACCURATE_PEERS = ["scalar", "sleef"]
PASSES = ["forward", "backward", "forward_backward"]
BEGIN, END = "<!-- bench-tables:begin -->", "<!-- bench-tables:end -->"
TO_NS = {"ns": 1.0, "us": 1e3, "ms": 1e6, "s": 1e9}


def load(path):
    """(context, {(activation, pass, impl, n): ns per element}, activation order)."""
    data = json.loads(pathlib.Path(path).read_text())
    times, order = {}, []
    for b in data.get("benchmarks", []):
        if b.get("run_type") == "aggregate" or b.get("error_occurred"):
            continue
        parts = b["name"].split("/")
        if len(parts) < 4 or not parts[3].isdigit():
            continue
        activation, pass_, impl, n = parts[0], parts[1], parts[2], int(parts[3])
        ns = b["real_time"] * TO_NS[b.get("time_unit", "ns")] / n
        key = (activation, pass_, impl, n)
        times[key] = min(ns, times.get(key, math.inf))  # repetitions: the best
        if activation != "copy" and activation not in order:
            order.append(activation)
    return data.get("context", {}), times, order


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


def tables(context, times, order):
    sizes = sorted({key[3] for key in times})
    present = [i for i in IMPLEMENTATIONS if any(key[2] == i for key in times)]
    lines = []
    model = context.get("cpu_model", "unknown CPU")
    lines.append(
        f"Measured {context.get('date', '')[:10]} on {model}, {context.get('num_cpus', '?')} cores, "
        f"one thread; {context.get('compiler', 'unknown compiler')}; actx values: "
        f"{context.get('actx_values', 'unknown')}.  Nanoseconds per element (lower is better); "
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
                    cells.append(number(ratio(actx, roof)) if pass_ == "forward" else "")
                lines.append("| " + " | ".join(cells) + " |")
        copies = [(impl, times.get(("copy", "forward", impl, n))) for impl in ("memcpy", "stream")]
        copies = [f"{impl} {number(t)}" for impl, t in copies if t is not None]
        if copies:
            lines.append("")
            lines.append(f"Copy of the same bytes (ns/element): {', '.join(copies)}.")
    return "\n".join(lines)


def plot(times, order, path):
    try:
        import matplotlib
    except ImportError:
        print(f"report.py: no matplotlib for {sys.executable} (Debian's python3-matplotlib is for "
              "/usr/bin/python3), so no plot", file=sys.stderr)
        return False

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    sizes = sorted({key[3] for key in times})
    labels = [f"{a}/{p}" for a in order for p in PASSES]
    fig, ax = plt.subplots(figsize=(max(10, 0.28 * len(labels)), 5.5))
    markers = ["o", "s", "^", "D"]
    plotted = False
    for k, n in enumerate(sizes):
        xs, ys = [], []
        for i, (a, p) in enumerate((a, p) for a in order for p in PASSES):
            actx = times.get((a, p, "actx", n))
            best = fastest(times, a, p, n, PEERS)
            if actx is not None and best is not None:
                xs.append(i)
                ys.append(actx / best[1])
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
    doc.write_text(pattern.sub(lambda _: f"{BEGIN}\n{text}\n{END}", content, count=1))
    print(f"report.py: rewrote the tables in {doc.relative_to(ROOT)}", file=sys.stderr)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("json", nargs="?", default=str(ROOT / "bench" / "results" / "latest.json"))
    parser.add_argument("--update-docs", action="store_true", help="rewrite the tables in docs/performance.md")
    parser.add_argument("--plot", default=str(ROOT / "bench" / "results" / "ratios.png"))
    args = parser.parse_args()

    context, times, order = load(args.json)
    if not times:
        sys.exit(f"report.py: no benchmark results in {args.json}")
    text = tables(context, times, order)
    print(text)
    if plot(times, order, pathlib.Path(args.plot)):
        print(f"\nreport.py: plot written to {args.plot}", file=sys.stderr)
    if args.update_docs:
        update_docs(text)


if __name__ == "__main__":
    main()
