"""``fastscratch bench``: the core comparisons against the reference, from an installed package.

Runs the same workload code as ``make bench`` (``fastscratch.benchmarks.workloads``) at a size that
finishes in seconds (``--quick``) or a couple of minutes, each timing the best of a few runs
after a warm-up. ``make bench`` is the full pytest-benchmark suite with the peers.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path
from typing import Callable

from fastscratch import reference as ref
from fastscratch.benchmarks import workloads as w
from fastscratch.nets.defaults import NOTEBOOK


def _best(fn: Callable[[], object], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def run(quick: bool = False, log: Callable[[str], None] = print) -> list[dict]:
    """Time each workload for the reference and fastscratch; one row per workload."""
    from fastscratch.text.vectors import Vectors

    rows = []
    repeat = 2 if quick else 3

    def record(work, size, ref_s, fast_s, unit, count):
        rows.append({"work": work, "size": size, "reference_s": ref_s, "fastscratch_s": fast_s,
                     "speedup": ref_s / fast_s, "unit": unit,
                     "reference_rate": count / ref_s, "fastscratch_rate": count / fast_s})
        log(f"  {work}: reference {ref_s:.3f} s, fastscratch {fast_s:.3f} s ({ref_s / fast_s:.1f}x)")

    n = 6_000 if quick else w.N_ROWS
    X, y = w.training_data(n)
    log(f"training epoch, {n} x {w.WIDTH}, {list(w.HIDDEN)}, batch {NOTEBOOK['batch_size']}")
    reference = w.reference_model()
    batch = NOTEBOOK["batch_size"]
    ref_s = _best(lambda: w.notebook_epoch(reference, X, y, batch), 1)
    fast = w.fast_model()
    w.fit_epoch(fast, X[:512], y[:512], batch)
    fast_s = _best(lambda: w.fit_epoch(fast, X, y, batch), repeat)
    record("training epoch (notebook loop vs fit)", f"{n} x {w.WIDTH}", ref_s, fast_s, "rows/s", n)

    log(f"scoring {n} rows (forward without dropout)")
    reference.predict_proba(X[:10])
    fast.predict_proba(X[:10])
    record("scoring", f"{n} rows", _best(lambda: reference.predict_proba(X), repeat),
           _best(lambda: fast.predict_proba(X), repeat), "rows/s", n)

    vectors = Vectors.glove_6b_50d()
    docs = w.make_corpus(2_000 if quick else 20_000)
    mb = sum(len(d.encode()) for d in docs) / 1e6
    log(f"featurizing {len(docs)} documents ({mb:.1f} MB) with GloVe 6B 50d")
    table = dict(zip(vectors.words, vectors.matrix))
    vectors.embed(docs[:10])
    record("featurization (text_to_embedding vs Vectors.embed)", f"{len(docs)} docs",
           _best(lambda: [ref.text_to_embedding(d, table, vectors.dim) for d in docs], 1),
           _best(lambda: vectors.embed(docs), repeat), "docs/s", len(docs))

    words = 20_000 if quick else 100_000
    with tempfile.TemporaryDirectory() as tmp:
        path = w.make_glove_file(Path(tmp) / "glove.txt", rows=words, dim=300)
        size_mb = path.stat().st_size / 1e6
        log(f"parsing a GloVe file of {words} words x 300 ({size_mb:.0f} MB)")
        Vectors.from_glove(path)
        record("GloVe parsing (line loop vs Vectors.from_glove)", f"{words} x 300",
               _best(lambda: ref.load_glove(path), 1), _best(lambda: Vectors.from_glove(path), repeat),
               "MB/s", size_mb)
    return rows


def format_table(rows: list[dict]) -> str:
    """The rows as an aligned text table."""
    head = f"{'work':52s}{'size':>16}{'reference s':>13}{'fastscratch s':>15}{'speed-up':>10}"
    lines = [head, "-" * len(head)]
    for r in rows:
        lines.append(f"{r['work']:52s}{r['size']:>16}{r['reference_s']:>13.3f}{r['fastscratch_s']:>15.3f}"
                     f"{r['speedup']:>9.1f}x")
    return "\n".join(lines)

