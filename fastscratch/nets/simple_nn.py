"""The sigmoid network of the "Neural Network Code in Python 3 from Scratch" post, on Numba kernels.

Drop-in: ``from fastscratch.nets import simple_nn`` in place of ``import simple_nn``, and the
post's ``test.py`` runs as it is. The module has the post's names (``Network``, ``sigmoid``,
``sigmoid_prime``); ``Network`` has its constructor, attributes (``num_layers``, ``sizes``,
``biases``, ``weights``: lists of ``(y, 1)`` and ``(y, x)`` arrays) and methods (``feedforward``,
``SGD`` printing the post's epoch lines, ``update_mini_batch``, ``backprop``, ``evaluate``,
``cost_derivative``).

Same numbers: the constructor draws ``np.random.randn`` in the post's order, and ``SGD``
shuffles with Python's ``random`` exactly as ``random.shuffle(training_data)`` does, so after
``random.seed(s); np.random.seed(s)`` a run gives the reference's weights epoch after epoch, to
~1e-15 relative in float64 (tested to 1e-10: the batched sums reassociate the per-example ones).

Fast: each mini-batch is one compiled forward and backward pass over all its examples, and
each epoch one call (:mod:`fastscratch.kernels.sigmoid_sgd`), reading the inputs as sparse rows
(an MNIST digit is ~81 % zeros, which add nothing to a sum). The lists of pairs that
:mod:`fastscratch.data.mnist` returns (:class:`~fastscratch.pairs.PairList`) carry their arrays,
so no conversion is needed; any other list of pairs is converted once per call.

``dtype=np.float32`` (keyword) trains in single precision; the default is float64, as the post.

Exactness. The fast kernels reassociate the post's sums, and SGD with eta 3.0 amplifies the
difference: within ~1e-14 of the post's weights after an epoch of 10,000 images, 1e-12 after
20,000, but 1e-4 to 1e-3 after MNIST's 50,000 (measured on MNIST-like digits). ``exact=True``
(keyword) trains with the post's arithmetic value for value (NumPy's BLAS ``gemv`` calls and
``exp``, the per-example gradients summed in order: :mod:`fastscratch.kernels.sigmoid_exact`):
the post's weights and printed lines bit for bit on any run: 0.40 s an epoch of 50,000 images
against 0.12 s by default and 2.6-3.1 s for the post.
"""

from __future__ import annotations

import numbers
import random  # noqa: F401  (the post's module imports it; its shuffle is what SGD reproduces)

import numpy as np

from fastscratch.errors import ParameterError
from fastscratch.kernels import csr as _csr
from fastscratch.kernels import sigmoid_exact as _exact
from fastscratch.kernels import sigmoid_sgd as _sgd
from fastscratch.nets import pyrandom
from fastscratch.nets.aligned import zeros_aligned
from fastscratch.nets.numpy_loops import exp_float64
from fastscratch.pairs import PairList

__all__ = ["Network", "sigmoid", "sigmoid_prime"]

_VECTOR_BYTES = 64  # padded rows are whole 64-byte vectors (kernels/simd.py)


# helpers (the post's, NumPy)
def sigmoid(z):
    """The post's logistic function."""
    return 1.0 / (1.0 + np.exp(-z))


def sigmoid_prime(z):
    """The post's derivative of the logistic function."""
    return sigmoid(z) * (1 - sigmoid(z))


def _padded(h: int, dtype) -> int:
    lanes = _VECTOR_BYTES // np.dtype(dtype).itemsize
    return -(-h // lanes) * lanes


class _Data:
    """Examples ready for the kernels: ``X`` (n, d), CSR rows, ``T`` (n, k) targets in the
    network's dtype (None for integer-labelled test data) and ``labels`` (n,) (or None)."""

    def __init__(self, X: np.ndarray, T: np.ndarray | None, labels: np.ndarray | None, name: str):
        self.X, self.T, self.labels = X, T, labels
        self.n = X.shape[0]
        counts = np.empty(self.n, np.int64)
        first_bad = np.empty(-(-self.n // _csr.CHUNK), np.int64)
        _csr.count_nonzero_rows(X, counts, first_bad)
        if (first_bad >= 0).any():
            raise ParameterError(f"{name}[{int(first_bad[first_bad >= 0].min())}]: the input has a non-finite value")
        self.indptr = np.zeros(self.n + 1, np.int64)
        np.cumsum(counts, out=self.indptr[1:])
        self.indices = np.empty(int(self.indptr[-1]), np.int32)
        self.values = np.empty(int(self.indptr[-1]), X.dtype)
        _csr.fill_rows(X, self.indptr, self.indices, self.values)


def _features(X, d: int, name: str) -> np.ndarray:
    """``X`` as a C-contiguous float32/float64 (n, d) matrix."""
    A = np.asarray(X)
    if A.dtype not in (np.float32, np.float64):
        try:
            A = A.astype(np.float64)
        except (TypeError, ValueError):
            raise ParameterError(f"{name}: the inputs must be numbers, got dtype {A.dtype}") from None
    if A.ndim != 2 or A.shape[1] != d:
        raise ParameterError(f"{name}: the inputs must be {d} values each (the input layer), got shape {A.shape}")
    if A.shape[0] == 0:
        raise ParameterError(f"{name} is empty")
    return np.ascontiguousarray(A)  # finiteness is checked in the pass that finds the non-zeros


def _from_pairs(pairs, name: str) -> tuple[np.ndarray, np.ndarray]:
    """Stack a list of ``(x, y)`` pairs into ``(X, Y)``; errors name the first bad pair."""
    if isinstance(pairs, PairList) and pairs.arrays() is not None:
        return pairs.arrays()
    items = pairs if isinstance(pairs, list) else list(pairs)
    if not items:
        raise ParameterError(f"{name} is empty")
    try:
        xs = [np.asarray(x).reshape(1, -1) for x, _ in items]
        X = np.concatenate(xs)
    except (TypeError, ValueError):
        for i, item in enumerate(items):
            if not (isinstance(item, (tuple, list)) and len(item) == 2):
                raise ParameterError(f"{name}[{i}] is not an (x, y) pair") from None
            x = np.asarray(item[0])
            if x.size != np.asarray(items[0][0]).size or not np.issubdtype(x.dtype, np.number):
                raise ParameterError(f"{name}[{i}]: x has shape {x.shape} and dtype {x.dtype}, "
                                 f"the first pair's has {np.asarray(items[0][0]).shape}") from None
        raise
    ys = [y for _, y in items]
    if all(isinstance(y, (numbers.Integral, np.integer)) and not isinstance(y, bool) for y in ys):
        return X, np.asarray(ys, dtype=np.int64)
    try:
        Y = np.concatenate([np.asarray(y, dtype=np.float64).reshape(1, -1) for y in ys])
    except (TypeError, ValueError):
        sizes = [np.asarray(y).size if not isinstance(y, str) else -1 for y in ys]
        i = next(i for i, s in enumerate(sizes) if s != sizes[0] or s < 0)
        raise ParameterError(f"{name}[{i}]: y is {ys[i]!r}; every y must be a column of the output layer's "
                         "size or (test data) an integer label") from None
    return X, Y


class Network:
    """The post's fully connected sigmoid network, quadratic cost, mini-batch SGD.

    Parameters
    ----------
    sizes : list of int
        Units per layer, input first (the post's test: ``[784, 30, 10]``).
    dtype : np.float64 (default) or np.float32, keyword-only
        The weights' and the arithmetic's type.
    exact : bool, keyword-only
        Train and evaluate with the post's arithmetic value for value (float64 only): its
        weights bit for bit on any run length, about three times slower than the default.

    Attributes
    ----------
    num_layers : int
    sizes : list of int
    biases : list of float64[y, 1]
    weights : list of float64[y, x]
        The post's layout; read and replaced (as the post replaces them) by every training call.
    """

    def __init__(self, sizes, *, dtype=np.float64, exact: bool = False):
        sizes = list(sizes)
        if len(sizes) < 2 or any(isinstance(s, bool) or not isinstance(s, numbers.Integral) or s <= 0 for s in sizes):
            raise ParameterError(f"sizes must list at least two positive layer sizes, got {sizes!r}")
        self.dtype = np.dtype(dtype)
        if self.dtype not in (np.float32, np.float64):
            raise ParameterError(f"dtype must be float32 or float64, got {self.dtype}")
        if not isinstance(exact, (bool, np.bool_)):
            raise ParameterError(f"exact must be True or False, got {exact!r}")
        if exact and self.dtype != np.float64:
            raise ParameterError("exact=True reproduces the post's float64 arithmetic: it needs dtype=np.float64")
        self.exact = bool(exact)
        self.num_layers = len(sizes)
        self.sizes = sizes
        self.biases = [np.random.randn(y, 1).astype(self.dtype, copy=False) for y in sizes[1:]]
        self.weights = [np.random.randn(y, x).astype(self.dtype, copy=False) for x, y in zip(sizes[:-1], sizes[1:])]

    # ------------------------------------------------------------------ the post's API

    def feedforward(self, a):
        """The network's output for ``a`` (sizes[0], k) (columns are examples, as the post's
        column vectors): an array (sizes[-1], k). A 1-D ``a`` is one example, giving (sizes[-1],)."""
        A = np.asarray(a)
        one = A.ndim == 1
        if one:
            A = A.reshape(-1, 1)
        if A.ndim != 2 or A.shape[0] != self.sizes[0]:
            raise ParameterError(f"feedforward takes ({self.sizes[0]}, k) columns, got shape {np.shape(a)}")
        X = _features(A.T, self.sizes[0], "a")
        if not np.isfinite(X).all():
            raise ParameterError("a has a non-finite value")
        out = self._outputs(X)
        return out[0] if one else np.ascontiguousarray(out.T)

    def SGD(self, training_data, epochs, mini_batch_size, eta, test_data=None, *, callback=None):
        """Mini-batch SGD as the post: every epoch ``random.shuffle`` of the training pairs,
        mini-batches of ``mini_batch_size`` in that order (the last may be smaller), each one
        step of ``eta / len(mini_batch)`` times the summed gradient; then ``Epoch j: correct / n``
        on ``test_data`` or ``Epoch j complete``.

        ``callback(j, correct)`` (keyword-only, an addition) is called after each epoch's line,
        with the test count or None."""
        if isinstance(epochs, bool) or not isinstance(epochs, numbers.Integral) or epochs < 0:
            raise ParameterError(f"epochs must be an integer >= 0, got {epochs!r}")
        if isinstance(mini_batch_size, bool) or not isinstance(mini_batch_size, numbers.Integral) or mini_batch_size < 1:
            raise ParameterError(f"mini_batch_size must be a positive integer, got {mini_batch_size!r}")
        eta = self._rate(eta)
        train = self._prepare(training_data, "training_data")
        test = None
        if test_data is not None:
            test_data = test_data if isinstance(test_data, list) else list(test_data)
            if test_data:
                test = self._prepare(test_data, "test_data")
        m = min(int(mini_batch_size), train.n)
        order = np.arange(train.n, dtype=np.int64)
        if self.exact:
            Ws, Bs = self._exact_params()
            scratch = self._exact_scratch()
            loop, data = exp_float64()
        else:
            WT, B, sizes = self._kernel_params()
            A, D = self._scratch(m)
        for j in range(int(epochs)):
            pyrandom.shuffle(order)
            if self.exact:
                _exact.sgd_epoch(order, m, train.indptr, train.indices, train.values, train.T, eta, Ws, Bs, *scratch,
                                 loop, data)
                self._store_exact(Ws, Bs)
            else:
                _sgd.sgd_epoch(order, m, train.indptr, train.indices, train.values, train.T, eta, WT, B, sizes, A, D)
                self._store(WT, B)
            correct = self._correct(test) if test is not None else None
            if test is not None:
                print(f"Epoch {j}: {correct} / {test.n}")
            else:
                print(f"Epoch {j} complete")
            if callback is not None:
                callback(j, correct)

    def cost_derivative(self, output_activations, y):
        """The post's quadratic-cost derivative: ``output_activations - y``."""
        return output_activations - y

    def backprop(self, x, y):
        """``(nabla_b, nabla_w)``: the quadratic cost's gradient for one example, in the
        layout of ``biases`` and ``weights``."""
        data = self._prepare([(x, y)], "(x, y)")
        WT, B, sizes = self._kernel_params()
        A, D = self._scratch(1)
        GT = tuple(np.zeros_like(w) for w in WT)
        GB = tuple(np.zeros_like(b) for b in B)
        _sgd.batch_gradients(np.zeros(1, np.int64), data.indptr, data.indices, data.values, data.T, WT, B, sizes,
                             A, D, GT, GB)
        nabla_b = [g[:h].reshape(h, 1).copy() for g, h in zip(GB, self.sizes[1:])]
        nabla_w = [g[:, :h].T.copy() for g, h in zip(GT, self.sizes[1:])]
        return nabla_b, nabla_w

    def update_mini_batch(self, mini_batch, eta):
        """One SGD step on the pairs of ``mini_batch``: ``w - (eta / len(mini_batch)) * nabla_w``."""
        eta = self._rate(eta)
        data = self._prepare(mini_batch, "mini_batch")
        if self.exact:
            Ws, Bs = self._exact_params()
            loop, exp_data = exp_float64()
            _exact.sgd_batch(np.arange(data.n, dtype=np.int64), data.indptr, data.indices, data.values, data.T, eta,
                             Ws, Bs, *self._exact_scratch(), loop, exp_data)
            self._store_exact(Ws, Bs)
            return
        WT, B, sizes = self._kernel_params()
        A, D = self._scratch(data.n)
        _sgd.sgd_batch(np.arange(data.n, dtype=np.int64), data.indptr, data.indices, data.values, data.T, eta,
                       WT, B, sizes, A, D)
        self._store(WT, B)

    def evaluate(self, test_data):
        """The number of test pairs whose output's argmax is right: ``int(y[argmax])`` for a
        target column ``y`` (the post's one-hot labels), ``argmax == y`` for an integer label."""
        return self._correct(self._prepare(test_data, "test_data"))

    # ------------------------------------------------------------------ internals

    @staticmethod
    def _rate(eta) -> float:
        if isinstance(eta, bool) or not isinstance(eta, numbers.Real) or not np.isfinite(eta):
            raise ParameterError(f"eta must be a finite number, got {eta!r}")
        return float(eta)

    def _prepare(self, pairs, name: str) -> _Data:
        """Arrays, targets and CSR rows for a list of pairs (cached on a :class:`PairList`)."""
        if isinstance(pairs, np.ndarray):
            raise ParameterError(f"{name} must be a list of (x, y) pairs, as the post's loader gives, not an array")
        key = ("fastscratch.nets.simple_nn", self.sizes[0], self.sizes[-1], self.dtype.str)
        if isinstance(pairs, PairList):
            cached = pairs.derived(key, lambda: self._build(*pairs.arrays(), name))
            if cached is not None:
                return cached
        return self._build(*_from_pairs(pairs, name), name)

    def _build(self, X, Y, name: str) -> _Data:
        d, k = self.sizes[0], self.sizes[-1]
        X = _features(X, d, name)
        Y = np.asarray(Y)
        if Y.ndim == 1:
            if not np.issubdtype(Y.dtype, np.integer):
                raise ParameterError(f"{name}: 1-D targets must be integer labels, got dtype {Y.dtype}")
            bad = (Y < 0) | (Y >= k)
            if bad.any():
                i = int(np.argmax(bad))
                raise ParameterError(f"{name}[{i}]: label {Y[i]} is out of range for {k} output units")
            labels = Y.astype(np.int64)
            T = np.zeros((Y.shape[0], k), self.dtype)
            T[np.arange(Y.shape[0]), labels] = 1
            return _Data(X, T, labels, name)
        if Y.ndim != 2 or Y.shape != (X.shape[0], k):
            raise ParameterError(f"{name}: each y must be {k} values (the output layer), got targets of shape {Y.shape}")
        finite = np.isfinite(Y).all(axis=1)
        if not finite.all():
            raise ParameterError(f"{name}[{int(np.argmin(finite))}]: y has a non-finite value")
        return _Data(X, np.ascontiguousarray(Y, dtype=self.dtype), None, name)

    def _kernel_params(self):
        """Padded, transposed, aligned copies of ``weights`` and ``biases`` and the sizes array
        (checked against ``sizes``: the attributes may have been replaced)."""
        WT, B = [], []
        for l, (n_in, h) in enumerate(zip(self.sizes[:-1], self.sizes[1:])):
            w = np.asarray(self.weights[l])
            b = np.asarray(self.biases[l])
            if w.shape != (h, n_in) or b.size != h:
                raise ParameterError(f"weights[{l}] must be ({h}, {n_in}) and biases[{l}] ({h}, 1), "
                                 f"got {w.shape} and {b.shape}")
            if not (np.isfinite(w).all() and np.isfinite(b).all()):
                raise ParameterError(f"weights[{l}] or biases[{l}] has non-finite values")
            hp = _padded(h, self.dtype)
            wt = zeros_aligned((n_in, hp), self.dtype)
            wt[:, :h] = w.T
            bb = zeros_aligned(hp, self.dtype)
            bb[:h] = b.reshape(-1)
            WT.append(wt)
            B.append(bb)
        return tuple(WT), tuple(B), np.asarray(self.sizes, dtype=np.int64)

    def _store(self, WT, B) -> None:
        """New ``weights`` and ``biases`` lists from the kernel arrays (the post replaces them too)."""
        self.weights = [np.ascontiguousarray(wt[:, :h].T) for wt, h in zip(WT, self.sizes[1:])]
        self.biases = [b[:h].reshape(h, 1).copy() for b, h in zip(B, self.sizes[1:])]

    def _scratch(self, m: int):
        A = tuple(zeros_aligned((m, _padded(h, self.dtype)), self.dtype) for h in self.sizes[1:])
        D = tuple(zeros_aligned((m, _padded(h, self.dtype)), self.dtype) for h in self.sizes[1:])
        return A, D

    def _exact_params(self):
        """Float64 C-contiguous copies of ``weights`` and ``biases`` in the post's layout, checked."""
        self._kernel_params()  # the same checks
        Ws = tuple(np.array(w, dtype=np.float64, order="C") for w in self.weights)
        Bs = tuple(np.array(b, dtype=np.float64).reshape(-1) for b in self.biases)
        return Ws, Bs

    def _exact_scratch(self):
        n0, n1 = self.sizes[0], self.sizes[1]
        vec = lambda: tuple(np.zeros(h) for h in self.sizes[1:])  # noqa: E731
        G = tuple(np.zeros((h, n)) if l > 0 else np.zeros((1, 1)) for l, (n, h) in
                  enumerate(zip(self.sizes[:-1], self.sizes[1:])))
        return (np.zeros(n0), vec(), vec(), G, np.zeros((n0, n1)), vec(), np.zeros(n0 + 1, np.int64),
                np.zeros(n0, np.uint8))

    def _store_exact(self, Ws, Bs) -> None:
        self.weights = [w.copy() for w in Ws]
        self.biases = [b.reshape(-1, 1).copy() for b in Bs]

    def _outputs_data(self, data: _Data) -> np.ndarray:
        """Outputs (n, n_L) of prepared data: the post's feedforward exactly with ``exact``."""
        if not self.exact:
            return self._outputs(data.X)
        Ws, Bs = self._exact_params()
        loop, exp_data = exp_float64()
        out = np.empty((data.n, self.sizes[-1]))
        _exact.outputs(data.indptr, data.indices, data.values, Ws, Bs, np.zeros(self.sizes[0]),
                       tuple(np.zeros(h) for h in self.sizes[1:]), out, loop, exp_data)
        return out

    def _outputs(self, X: np.ndarray) -> np.ndarray:
        WT, B, sizes = self._kernel_params()
        out = np.empty((X.shape[0], self.sizes[-1]), self.dtype)
        _sgd.feedforward(X, WT, B, sizes, out)
        return out

    def _correct(self, data: _Data) -> int:
        """The post's ``evaluate`` count for prepared data."""
        predicted = np.argmax(self._outputs_data(data), axis=1)
        if data.labels is not None:
            return int(np.count_nonzero(predicted == data.labels))
        picked = data.T[np.arange(data.n), predicted]
        return int(np.sum(np.trunc(picked).astype(np.int64)))
