"""First-call compile time of the main kernels, each in a fresh process with an empty Numba cache.

Usage: ``python bench/compile_times.py [target ...]`` (default: every target). For each target a
child process gets ``NUMBA_CACHE_DIR`` set to a new empty directory, builds its small inputs
(compiling whatever the setup needs), then times the first call (compilation + run) and a second
identical call (run only); the difference is the compile time, in wall-clock seconds and in the
process's CPU seconds (steadier on a shared machine: compiling runs on one thread). It also prints the number of
specializations each kernel holds after the target ran (``dispatcher.signatures``).

Targets: ``embed_str`` (``Vectors.embed`` on a list of str), ``embed_arrow`` (the same
documents as a pyarrow array, in a process where ``embed_str`` already ran: the extra
specializations Arrow input costs), ``embed_arrow_cold`` (Arrow first), ``embed_loaded``
(a memory-mapped, read-only store after ``embed_str``), ``fit`` (one ``ScratchNet.fit``
epoch), ``predict_proba`` (the parallel scoring path, > 2048 rows), ``glove`` (``Vectors.from_glove``).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time

TARGETS = ("embed_str", "embed_arrow", "embed_arrow_cold", "embed_loaded", "fit", "predict_proba", "glove")


def _signature_counts() -> dict[str, int]:
    """``{module.kernel: number of compiled specializations}`` for every kernel that has any."""
    import importlib
    import pkgutil

    from numba.core.registry import CPUDispatcher

    import fastscratch.kernels as pkg

    counts = {}
    for info in pkgutil.iter_modules(pkg.__path__):
        mod = importlib.import_module(f"{pkg.__name__}.{info.name}")
        for name, obj in vars(mod).items():
            if isinstance(obj, CPUDispatcher) and obj.__module__ == mod.__name__ and obj.signatures:
                counts[f"{info.name}.{name}"] = len(obj.signatures)
    return counts


def _timed(call) -> dict:
    """Wall and CPU seconds of a first and a second ``call()``."""
    t0, c0 = time.perf_counter(), time.process_time()
    call()
    t1, c1 = time.perf_counter(), time.process_time()
    call()
    t2, c2 = time.perf_counter(), time.process_time()
    return {"first": t1 - t0, "second": t2 - t1, "compile": (t1 - t0) - (t2 - t1), "compile_cpu": (c1 - c0) - (c2 - c1)}


def _child(target: str) -> dict:
    import numpy as np

    from fastscratch import ScratchNet, Vectors
    from fastscratch.text.vectors import unicode_classes

    rng = np.random.default_rng(0)
    words = [f"w{i}" for i in range(500)] + ["the", "of", "and"]
    docs = [" ".join(rng.choice(words, 40)) + " Unknown1 x@y.z\tthe" for _ in range(300)]

    def small_vectors():
        blob = "".join(words).encode()
        offsets = np.zeros(len(words) + 1, np.int64)
        offsets[1:] = np.cumsum([len(w) for w in words])
        return Vectors(rng.standard_normal((len(words), 50)).astype(np.float32), np.frombuffer(blob, np.uint8).copy(),
                       offsets)

    out = {}
    if target.startswith("embed"):
        import pyarrow as pa

        v = small_vectors()
        unicode_classes()
        arrow = pa.array(docs)
        if target in ("embed_arrow", "embed_loaded"):
            v.embed(docs)  # the str specialization first: the figure is what else this input costs
        if target == "embed_loaded":
            path = tempfile.mkdtemp()
            v.save(os.path.join(path, "store"))
            v = Vectors.load(os.path.join(path, "store"))
        data = arrow if "arrow" in target else docs
        out = _timed(lambda: v.embed(data))
    elif target == "fit":
        X = rng.standard_normal((600, 300)).astype(np.float32)
        y = (X[:, 0] > 0).astype(np.int64)
        net = ScratchNet(300, [512, 256], 0.1, seed=1)
        out = _timed(lambda: net.fit(X, y, epochs=1, batch_size=16))
    elif target == "predict_proba":
        X = rng.standard_normal((5000, 300)).astype(np.float32)
        net = ScratchNet(300, [512, 256], 0.1, seed=1)
        out = _timed(lambda: net.predict_proba(X))
    elif target == "glove":
        path = os.path.join(tempfile.mkdtemp(), "g.txt")
        with open(path, "w", encoding="utf-8") as f:
            for i, w in enumerate(words):
                f.write(w + " " + " ".join("%.5g" % x for x in rng.standard_normal(50)) + "\n")
        out = _timed(lambda: Vectors.from_glove(path))
    else:
        raise SystemExit(f"unknown target {target!r}; one of {', '.join(TARGETS)}")
    out["signatures"] = _signature_counts()
    return out


def main(argv: list[str]) -> None:
    if argv[:1] == ["--child"]:
        print(json.dumps(_child(argv[1])))
        return
    for target in argv or TARGETS:
        with tempfile.TemporaryDirectory() as cache:
            env = dict(os.environ, NUMBA_CACHE_DIR=cache)
            res = subprocess.run([sys.executable, __file__, "--child", target], env=env, capture_output=True,
                                 text=True, check=True)
        r = json.loads(res.stdout.strip().splitlines()[-1])
        sigs = ", ".join(f"{k} {n}" for k, n in sorted(r["signatures"].items()) if n > 1) or "none"
        print(f"{target:16s} compile {r['compile']:6.2f} s, {r['compile_cpu']:6.2f} s CPU  (first {r['first']:6.2f} s, "
              f"second {r['second']:.3f} s)"
              f"  kernels with > 1 specialization: {sigs}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
