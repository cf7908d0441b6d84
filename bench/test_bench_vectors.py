"""Word vectors (issue 3): GloVe parsing, cache opening and featurization against the reference and peers.

Run with ``make bench`` (or ``pytest bench/test_bench_vectors.py --benchmark-only``) under
``flock /tmp/fastscratch-bench.lock``. Inputs are generated on demand into ``bench/.data/``
(see ``conftest.py``): the real GloVe 6B vocabulary with 300 realistic values per word (~1 GB)
and 20,000 documents of ~1 KB. Peak memory is measured per loader in a fresh subprocess with
memory-profiler (peak RSS minus the RSS just before the call). The last test prints the ratios.
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from fastscratch import reference
from fastscratch.text.vectors import Vectors

HERE = Path(__file__).parent
RESULTS: dict[str, dict] = {}
ROUNDS_SLOW = int(os.environ.get("FASTSCRATCH_BENCH_SLOW_ROUNDS", "1"))


# -- the loaders, importable by the memory-measuring subprocess ----------------------------------


def load_reference(path):
    return reference.load_glove(path)


def load_pandas(path):
    import pandas as pd

    return pd.read_csv(
        path, sep=" ", header=None, index_col=0, quoting=csv.QUOTE_NONE, na_filter=False,
        keep_default_na=False, engine="c", dtype={i: np.float32 for i in range(1, 301)},
    )


def load_pyarrow(path):
    import pyarrow as pa
    import pyarrow.csv as pcsv

    return pcsv.read_csv(
        path,
        read_options=pcsv.ReadOptions(autogenerate_column_names=True),
        parse_options=pcsv.ParseOptions(delimiter=" ", quote_char=False, double_quote=False),
        convert_options=pcsv.ConvertOptions(
            column_types={"f0": pa.string(), **{f"f{i}": pa.float32() for i in range(1, 301)}},
            strings_can_be_null=False,
        ),
    )


def load_gensim(path):
    from gensim.models import KeyedVectors

    return KeyedVectors.load_word2vec_format(path, binary=False, no_header=True)


def load_fastscratch(path):
    return Vectors.from_glove(path)


LOADERS = {
    "reference": load_reference,
    "pandas": load_pandas,
    "pyarrow": load_pyarrow,
    "gensim": load_gensim,
    "fastscratch": load_fastscratch,
}


def _have_gensim() -> bool:
    try:
        import gensim  # noqa: F401
    except ImportError:
        return False
    return True


_MEM_SCRIPT = r"""
import json, sys
sys.path.insert(0, {bench!r})
from memory_profiler import memory_usage
import test_bench_vectors as b
name, path, warm = sys.argv[1], sys.argv[2], sys.argv[3]
fn = b.LOADERS[name]
fn(warm)  # imports and compilation happen before the baseline
base = memory_usage(-1, interval=0.01, timeout=0.05, max_usage=True)
peak = memory_usage((fn, (path,), {{}}), interval=0.01, max_usage=True, include_children=False)
print(json.dumps({{"base": base, "peak": peak}}))
"""


def peak_memory_mb(name: str, path: Path, warm: Path) -> dict:
    """Peak RSS (MiB) of one loader call in a fresh interpreter, above the RSS just before it."""
    out = subprocess.run(
        [sys.executable, "-c", _MEM_SCRIPT.format(bench=str(HERE)), name, str(path), str(warm)],
        check=True, capture_output=True, text=True,
    )
    r = json.loads(out.stdout.strip().splitlines()[-1])
    return {"peak_rss_mib": r["peak"], "peak_increase_mib": r["peak"] - r["base"]}


@pytest.fixture(scope="session")
def warm_file(tmp_path_factory) -> Path:
    p = tmp_path_factory.mktemp("warm") / "warm.txt"
    p.write_text("".join(f"w{i} " + " ".join(["0.1"] * 300) + "\n" for i in range(50)))
    return p


@pytest.fixture(scope="session")
def glove_file(glove_300d_file) -> Path:
    with open(glove_300d_file, "rb") as f:  # into the page cache: every loader starts warm
        while f.read(64 << 20):
            pass
    return glove_300d_file


# -- parsing ----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(LOADERS))
def test_parse_glove_300d(benchmark, name, glove_file, warm_file):
    if name == "gensim" and not _have_gensim():
        pytest.skip("gensim is not installed (pip install 'fastscratch[bench]'): peer skipped")
    fn = LOADERS[name]
    fn(warm_file)  # warm-up: imports, compilation
    benchmark.group = "glove-parse-1GB"
    rounds = 3 if name == "fastscratch" else ROUNDS_SLOW
    result = benchmark.pedantic(fn, args=(glove_file,), rounds=rounds, iterations=1)
    n = len(result)
    assert n == 400_000, f"{name} read {n} rows"
    del result
    size_mb = glove_file.stat().st_size / 1e6
    info = {"seconds": benchmark.stats.stats.min, "MB/s": size_mb / benchmark.stats.stats.min}
    info.update(peak_memory_mb(name, glove_file, warm_file))
    benchmark.extra_info.update(info)
    RESULTS[f"parse/{name}"] = info


def test_parse_result_identical_to_reference_sample(glove_file):
    """The 1 GB file parsed by fastscratch equals the reference on a sample of rows (bit for bit)."""
    v = Vectors.from_glove(glove_file)
    with open(glove_file, encoding="utf8") as f:
        for k, line in enumerate(f):
            if k % 9973 == 0:
                vals = line.split()
                assert np.array_equal(v[vals[0]].view(np.int32), np.asarray(vals[1:], dtype="float32").view(np.int32))


# -- the cache --------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def glove_store(glove_file) -> Path:
    store = HERE / ".data" / "glove.6B-vocab.300d.fastscratch"
    try:
        Vectors.load(store)
    except ValueError:  # missing, or written by another format version
        Vectors.from_glove(glove_file).save(store)
    return store


def test_open_cache(benchmark, glove_store):
    Vectors.load(glove_store)
    benchmark.group = "glove-cache-open"
    v = benchmark.pedantic(Vectors.load, args=(glove_store,), rounds=20, iterations=1, warmup_rounds=2)
    assert len(v) == 400_000 and "the" in v
    RESULTS["cache/open"] = {"seconds": benchmark.stats.stats.min, "max_seconds": benchmark.stats.stats.max}


# -- featurization ----------------------------------------------------------------------------


@pytest.fixture(scope="session")
def store_300d(glove_store) -> Vectors:
    v = Vectors.load(glove_store, mmap=False)
    return v


@pytest.fixture(scope="session")
def reference_dict(store_300d) -> dict:
    return dict(zip(store_300d.words, store_300d.matrix))


@pytest.mark.parametrize("impl", ["reference", "fastscratch-str", "fastscratch-arrow"])
def test_embed_corpus(benchmark, impl, corpus, store_300d, reference_dict):
    import pyarrow as pa

    benchmark.group = "embed-20k-docs"
    if impl == "reference":
        fn, arg = (lambda docs: reference.embed_corpus(docs, reference_dict, 300)), corpus
    elif impl == "fastscratch-str":
        fn, arg = store_300d.embed, corpus
    else:
        fn, arg = store_300d.embed, pa.array(corpus, type=pa.string())
    fn(arg[:50])  # warm-up
    rounds = 2 if impl == "reference" else 10
    X = benchmark.pedantic(fn, args=(arg,), rounds=rounds, iterations=1, warmup_rounds=1)
    assert X.shape == (len(corpus), 300)
    mb = sum(len(t.encode()) for t in corpus) / 1e6
    t = benchmark.stats.stats.min
    info = {"seconds": t, "docs/s": len(corpus) / t, "MB/s": mb / t}
    benchmark.extra_info.update(info)
    RESULTS[f"embed/{impl}"] = info


@pytest.fixture(scope="session")
def pii_documents() -> list[str]:
    """20,000 generated documents of the PII set (their ``Masked_Text``: a quarter still hold
    the values, the rest the mask tokens), where the token shapes matter."""
    from fastscratch import data

    return data.synthesize(20_000, 7)["Masked_Text"].tolist()


@pytest.mark.parametrize("impl", ["glove-str", "glove+shapes-str", "glove-arrow", "glove+shapes-arrow"])
def test_embed_with_shapes(benchmark, impl, pii_documents, store_300d):
    """Token shapes ride in the featurizer's pass: glove+shapes against the GloVe mean alone
    (issue 8's bar: at least 0.8x its throughput)."""
    import pyarrow as pa

    benchmark.group = "embed-shapes-20k-pii-docs"
    shapes = 64 if "shapes" in impl else 0
    arg = pa.array(pii_documents, type=pa.string()) if impl.endswith("arrow") else pii_documents
    store_300d.embed(arg[:50], shapes=shapes)  # warm-up
    X = benchmark.pedantic(store_300d.embed, args=(arg,), kwargs={"shapes": shapes}, rounds=10, iterations=1,
                           warmup_rounds=1)
    assert X.shape == (len(pii_documents), store_300d.feature_width(shapes))
    t = benchmark.stats.stats.median
    info = {"seconds": t, "docs/s": len(pii_documents) / t}
    benchmark.extra_info.update(info)
    RESULTS[f"embed-shapes/{impl}"] = info


@pytest.mark.parametrize("kind", ["str", "arrow"])
def test_embed_shapes_ratio_alternating(benchmark, kind, pii_documents, store_300d):
    """The bar's measurement: 15 rounds that alternate the GloVe mean alone and glove+shapes on
    the same input, so the host's load drifts over both alike; ratio of the medians."""
    import time

    import pyarrow as pa

    benchmark.group = "embed-shapes-ratio"
    arg = pa.array(pii_documents, type=pa.string()) if kind == "arrow" else pii_documents
    store_300d.embed(arg[:50], shapes=64)
    times = {0: [], 64: []}

    def alternate():
        for _ in range(15):
            for shapes in (0, 64):
                t0 = time.perf_counter()
                store_300d.embed(arg, shapes=shapes)
                times[shapes].append(time.perf_counter() - t0)

    benchmark.pedantic(alternate, rounds=1, iterations=1)
    ratio = float(np.median(times[0]) / np.median(times[64]))
    benchmark.extra_info.update({"glove_s": float(np.median(times[0])), "shapes_s": float(np.median(times[64])),
                                 "throughput_ratio": ratio})
    RESULTS[f"embed-shapes-ratio/{kind}"] = {"ratio": ratio, "glove_s": float(np.median(times[0])),
                                             "shapes_s": float(np.median(times[64]))}


def test_embed_identical_to_reference(corpus, store_300d, reference_dict):
    import pyarrow as pa

    want = reference.embed_corpus(corpus[:2000], reference_dict, 300)
    assert np.array_equal(store_300d.embed(corpus[:2000]).view(np.int32), want.view(np.int32))
    assert np.array_equal(store_300d.embed(pa.array(corpus[:2000])).view(np.int32), want.view(np.int32))


# -- the table ----------------------------------------------------------------------------------


def test_zz_print_ratios(benchmark, capsys):
    """Print the side-by-side table with the issue's ratios (runs last in this file)."""
    benchmark.group = "zz-summary"
    benchmark.pedantic(lambda: None, rounds=1, iterations=1)
    lines = ["", "Word vectors (issue 3): one run, this machine", ""]
    fs = RESULTS.get("parse/fastscratch")
    lines.append(f"{'GloVe 400k x 300 parse':<26}{'seconds':>9}{'MB/s':>9}{'peak+ MiB':>11}{'fastscratch x':>15}")
    for name in LOADERS:
        r = RESULTS.get(f"parse/{name}")
        if r is None:
            lines.append(f"  {name:<24}{'skipped':>9}")
            continue
        ratio = r["seconds"] / fs["seconds"] if fs else float("nan")
        lines.append(f"  {name:<24}{r['seconds']:>9.3f}{r['MB/s']:>9.0f}{r['peak_increase_mib']:>11.0f}{ratio:>15.2f}")
    if fs:
        final_mib = (400_000 * 300 * 4) / 2**20
        lines.append(
            f"  fastscratch peak increase / float32 matrix ({final_mib:.0f} MiB): "
            f"{fs['peak_increase_mib'] / final_mib:.3f}"
        )
    c = RESULTS.get("cache/open")
    if c:
        lines.append(f"  cache open: {c['seconds'] * 1e3:.1f} ms (slowest of 20: {c['max_seconds'] * 1e3:.1f} ms)")
    ref = RESULTS.get("embed/reference")
    lines.append("")
    lines.append(f"{'featurize 20k docs':<26}{'docs/s':>10}{'MB/s':>9}{'vs reference':>14}")
    for impl in ("reference", "fastscratch-str", "fastscratch-arrow"):
        r = RESULTS.get(f"embed/{impl}")
        if r:
            ratio = r["docs/s"] / ref["docs/s"] if ref else float("nan")
            lines.append(f"  {impl:<24}{r['docs/s']:>10.0f}{r['MB/s']:>9.1f}{ratio:>14.2f}")
    lines.append("")
    lines.append(f"{'featurize 20k PII docs':<26}{'docs/s':>10}{'shapes / glove':>16}")
    for kind in ("str", "arrow"):
        base = RESULTS.get(f"embed-shapes/glove-{kind}")
        shaped = RESULTS.get(f"embed-shapes/glove+shapes-{kind}")
        if base and shaped:
            lines.append(f"  {'glove-' + kind:<24}{base['docs/s']:>10.0f}")
            lines.append(f"  {'glove+shapes-' + kind:<24}{shaped['docs/s']:>10.0f}{shaped['docs/s'] / base['docs/s']:>16.2f}")
        alternating = RESULTS.get(f"embed-shapes-ratio/{kind}")
        if alternating:
            lines.append(f"  {kind}, alternating rounds: glove {alternating['glove_s'] * 1e3:.0f} ms, glove+shapes "
                         f"{alternating['shapes_s'] * 1e3:.0f} ms, throughput ratio {alternating['ratio']:.2f} (bar 0.8)")
    with capsys.disabled():
        print("\n".join(lines))
    (HERE / ".data" / "vectors_results.json").write_text(json.dumps(RESULTS, indent=1))
