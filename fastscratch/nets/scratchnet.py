"""``ScratchNet``: the original's class, drop-in, on fused Numba kernels; plus ``fit``."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Callable, Sequence

import numba
import numpy as np

from fastscratch.errors import ParameterError, TrainingDivergedError
from fastscratch.kernels import layers as _layers
from fastscratch.kernels import loss as _loss
from fastscratch.kernels import network as _network
from fastscratch.kernels import rng as _rng
from fastscratch.kernels import train as _train
from fastscratch.metrics import ClassificationReport, classification_report
from fastscratch.nets import checks as _checks
from fastscratch.nets.aligned import aligned_copy, empty_aligned, is_aligned, zeros_aligned
from fastscratch.nets.defaults import DROPOUT, HIDDEN_SIZES, NOTEBOOK, THRESHOLD
from fastscratch.nets.threads import single_threaded_blas

__all__ = ["ScratchNet", "History", "TrainingDivergedError", "validation_split", "epoch_scratch"]

_SCORE_CHUNK = 2048  # rows per scoring chunk (measured: 0.103 s for 45,000 x 300 against 0.105-0.158 s for 256-1024)
_NUMPY_RNG_BATCHES = 64  # batches per call in numpy-RNG mode: bounds the uniforms drawn at once


def layer_buffers(hidden_sizes: Sequence[int], rows: int, dtype, fill=empty_aligned) -> tuple:
    """One flat, cache-line-aligned ``dtype[rows * h]`` per hidden layer of width ``h`` (one
    empty array when there is none): the kernels' per-layer activation or delta buffers."""
    return tuple(fill(rows * h, dtype) for h in hidden_sizes) or (fill(0, dtype),)


def epoch_scratch(input_size: int, hidden_sizes: Sequence[int], rows: int, dtype) -> _train.EpochScratch:
    """The epoch kernel's buffers for batches of up to ``rows`` rows, zero-filled.

    Parameters
    ----------
    input_size : int
        The network's input width.
    hidden_sizes : sequence of int
        Widths of its hidden layers.
    rows : int
        The largest batch.
    dtype : np.float32 or np.float64
        The network's float type.

    Returns
    -------
    EpochScratch (``fastscratch.kernels.train``)
        ``acts`` and ``deltas``: a ``dtype[rows * h]`` per hidden layer, cache-line aligned
        (OpenBLAS's small kernels read them in place); ``colsums``: a ``float64[h]`` per hidden
        layer; ``gW_out``: ``dtype[d_last, 1]`` with ``d_last`` the last hidden width (the input
        width without hidden layers); ``z`` and ``delta_out``: ``dtype[rows]``.
    """
    hidden_sizes = list(hidden_sizes)
    d_last = hidden_sizes[-1] if hidden_sizes else input_size
    return _train.EpochScratch(
        acts=layer_buffers(hidden_sizes, rows, dtype, zeros_aligned),
        deltas=layer_buffers(hidden_sizes, rows, dtype, zeros_aligned),
        colsums=tuple(np.zeros(h) for h in hidden_sizes) or (np.zeros(0),),
        gW_out=np.zeros((d_last, 1), dtype),
        z=zeros_aligned(rows, dtype),
        delta_out=zeros_aligned(rows, dtype),
    )


@dataclass
class History:
    """Per-epoch training record; the validation fields stay empty/None without validation.

    Attributes
    ----------
    loss, accuracy, seconds : list of float
        Mean batch loss, training accuracy and wall time (seconds, validation included).
    val_loss, val_accuracy : list of float
        Weighted BCE (float64 mean over the validation rows) and accuracy at 0.5 of the
        network without dropout after each epoch.
    best_epoch : int or None
        0-based epoch of the lowest validation loss (the first one on ties).
    stopped_epoch : int or None
        0-based epoch after which early stopping ended training; None when every epoch ran.
    """

    loss: list = field(default_factory=list)
    accuracy: list = field(default_factory=list)
    seconds: list = field(default_factory=list)
    val_loss: list = field(default_factory=list)
    val_accuracy: list = field(default_factory=list)
    best_epoch: int | None = None
    stopped_epoch: int | None = None

    def __len__(self) -> int:
        return len(self.loss)

    def as_dict(self) -> dict:
        """Every field as JSON-serialisable lists, ints and None; ``History(**d)`` rebuilds it."""
        optional_int = lambda v: None if v is None else int(v)  # noqa: E731
        return {
            "loss": list(self.loss),
            "accuracy": list(self.accuracy),
            "seconds": list(self.seconds),
            "val_loss": list(self.val_loss),
            "val_accuracy": list(self.val_accuracy),
            "best_epoch": optional_int(self.best_epoch),
            "stopped_epoch": optional_int(self.stopped_epoch),
        }


def epoch_line(
    epoch: int,
    loss: float,
    accuracy: float,
    seconds: float,
    *,
    val_loss: float | None = None,
    val_accuracy: float | None = None,
) -> str:
    """The notebook's per-epoch line, e.g. ``Epoch  1 | Loss: 0.8336 | Acc: 0.7461 | Time: 6.3s``.

    With validation figures: ``... | Acc: 0.7461 | Val loss: 0.5123 | Val acc: 0.8012 | Time: 6.3s``.
    """
    parts = [f"Epoch {epoch:2d}", f"Loss: {loss:.4f}", f"Acc: {accuracy:.4f}"]
    if val_loss is not None:
        parts.append(f"Val loss: {val_loss:.4f}")
    if val_accuracy is not None:
        parts.append(f"Val acc: {val_accuracy:.4f}")
    parts.append(f"Time: {seconds:.1f}s")
    return " | ".join(parts)


def validation_split(y, fraction: float, seed: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Stratified hold-out: the row indices to train on and to validate on.

    Of the ``n_c`` rows of each class, ``floor(fraction * n_c + 1/2)`` are held out, taken from a
    permutation drawn from ``np.random.default_rng(seed)`` (class 0 first): deterministic for
    a seed, and NumPy's global RNG is neither read nor advanced.

    Parameters
    ----------
    y : float[n] or int[n]
        0/1 labels.
    fraction : float in (0, 1)
        Share of each class to hold out.
    seed : int, optional
        Seeds the permutation; None draws fresh entropy.

    Returns
    -------
    train, val : int64[n - k], int64[k]
        Disjoint, each in increasing order (the training rows keep their file order).

    Raises
    ------
    ParameterError when a class would have no held-out row or no training row left.
    """
    fraction = _checks.fraction("validation", fraction, "an (X_val, y_val) pair")
    labels = _checks.as_labels(y, len(np.asarray(y).reshape(-1)))
    generator = np.random.default_rng(seed)
    held = []
    for c in (0, 1):
        rows = np.flatnonzero(labels == c)
        k = int(np.floor(fraction * rows.size + 0.5))
        if not 1 <= k < rows.size:
            raise ParameterError(
                f"validation={fraction} holds out {k} of the {rows.size} rows labelled {c}: a stratified "
                "split needs at least one held-out and one training row of each class; "
                "use another fraction or pass validation=(X_val, y_val)"
            )
        held.append(generator.permutation(rows)[:k])
    val = np.sort(np.concatenate(held)).astype(np.int64)
    keep = np.ones(labels.size, bool)
    keep[val] = False
    return np.flatnonzero(keep).astype(np.int64), val


class _Monitor:
    """Validation scoring and early stopping for one ``fit`` call.

    Parameters
    ----------
    net : ScratchNet
    X : float32[m, input_size] or float64[m, input_size]
        Validation rows, C-contiguous, in the model's dtype.
    y : float64[m]
        Their 0/1 labels.
    pos_weight : float
        The training loss's positive-class weight.
    patience : int or None
        Epochs without an improvement of more than ``min_delta`` before stopping; None
        records the curve only.
    min_delta : float
    restore_best : bool
        With ``patience``, put back the weights of ``best_epoch`` when training ends.
    """

    def __init__(self, net: "ScratchNet", X: np.ndarray, y: np.ndarray, pos_weight: float,
                 patience: int | None, min_delta: float, restore_best: bool):
        self.net, self.X, self.y, self.pos_weight = net, X, y, pos_weight
        self.patience, self.min_delta = patience, min_delta
        rows = min(X.shape[0], _SCORE_CHUNK)
        self.acts = net._scratch(rows)
        self.z = np.empty(rows, net.dtype)
        self.delta = np.empty(rows, net.dtype)
        self.lowest = np.inf
        self.reference = np.inf  # the loss of the last improvement by more than min_delta
        self.wait = 0
        self.best_weights = None
        if patience is not None and restore_best:
            self.best_weights = [(aligned_copy(layer["W"], net.dtype), aligned_copy(layer["b"], net.dtype))
                                 for layer in net.layers]

    def score(self) -> tuple[float, float]:
        """(loss, accuracy) of the current weights without dropout, in fixed row chunks.

        Runs the kernel of ``forward`` with ``training`` off (dropout off), on its own buffers:
        ``training``, ``activations``, the dropout step and NumPy's RNG are left as they are.
        It needs the logits, not ``predict_proba``'s probabilities: ``sigmoid(z)`` rounds to
        1.0 from ``z`` of about 37, where a 0-labelled row's loss ``-log(1 - p)`` is still ``z``.
        """
        Ws, bs = self.net._params()
        n = self.X.shape[0]
        total, correct = 0.0, 0
        with single_threaded_blas():
            for r0 in range(0, n, _SCORE_CHUNK):
                r1 = min(n, r0 + _SCORE_CHUNK)
                z, delta = self.z[: r1 - r0], self.delta[: r1 - r0]
                _network.forward_batch(self.X[r0:r1], Ws, bs, self.acts, z, _layers.NO_DROPOUT,
                                       self.net.dropout, 1.0, 0, 0, np.empty(0), 0)
                loss_sum, right = _loss.loss_delta_correct(z, self.y[r0:r1], self.pos_weight, delta)
                total += loss_sum
                correct += right
        return total / n, correct / n

    def record(self, epoch: int, loss: float, accuracy: float, history: History) -> bool:
        """Append the epoch's figures, track the best epoch; True when patience has run out."""
        history.val_loss.append(float(loss))
        history.val_accuracy.append(float(accuracy))
        if loss < self.lowest:
            self.lowest = loss
            history.best_epoch = epoch
            if self.best_weights is not None:
                for layer, (W, b) in zip(self.net.layers, self.best_weights):
                    np.copyto(W, layer["W"])
                    np.copyto(b, layer["b"])
        if loss < self.reference - self.min_delta:
            self.reference = loss
            self.wait = 0
        else:
            self.wait += 1
        return self.patience is not None and self.wait >= self.patience

    def restore(self, history: History) -> None:
        """Copy the best epoch's weights back into the layers' own (aligned) arrays."""
        if self.best_weights is None or history.best_epoch is None:
            return
        for layer, (W, b) in zip(self.net.layers, self.best_weights):
            layer["W"][...] = W
            layer["b"][...] = b


def _val_figures(history: History) -> dict:
    """The last epoch's validation figures as :func:`epoch_line` keywords (none without)."""
    if not history.val_loss:
        return {}
    return {"val_loss": history.val_loss[-1], "val_accuracy": history.val_accuracy[-1]}


class ScratchNet:
    """The original ScratchNet MLP with the same attributes and methods, on Numba kernels.

    Parameters
    ----------
    input_size : int
        Width of the input vectors (300 for GloVe 6B 300d).
    hidden_sizes : sequence of int
        Widths of the ReLU hidden layers.
    dropout : float in [0, 1)
        Inverted-dropout rate of every hidden layer while ``training``.
    dtype : np.float32 (default) or np.float64
        Compute and weight type. float64 reproduces the original's precision.
    rng : ``'counter'`` (default) or ``'numpy'``
        ``'counter'``: dropout masks from a counter-based generator keyed by
        (seed, step, layer, element): reproducible whatever the thread count.
        ``'numpy'``: masks from NumPy's global RNG in the original's order, so that
        ``np.random.seed(42)`` and the notebook's loop reproduce the original's weights.
    seed : int, optional
        Seeds the weights (the values ``np.random.seed(seed)`` then the original would draw)
        and the counter generator. Without it the weights come from NumPy's global RNG as in
        the original, and the counter generator's seed is then drawn from it too.

    Attributes
    ----------
    layers : list of dict
        ``W`` (prev, h) and ``b`` (1, h) per layer; ``dW``, ``db`` after :meth:`backward`.
    dropout, training, activations, dropout_masks
        As in the original (``dropout_masks`` is built on access from the compact state).
    history : History or None
        The record of the running or last :meth:`fit` call.
    """

    def __init__(
        self,
        input_size: int = 300,
        hidden_sizes: Sequence[int] = HIDDEN_SIZES,
        dropout: float = DROPOUT,
        *,
        dtype=np.float32,
        rng: str = "counter",
        seed: int | None = None,
    ):
        self.input_size = _checks.positive("input_size", input_size, integer=True)
        self.hidden_sizes = [_checks.positive("hidden_sizes[%d]" % i, h, integer=True) for i, h in enumerate(hidden_sizes)]
        self.dropout = _checks.dropout_rate(dropout)
        self.dtype = np.dtype(dtype)
        if self.dtype not in (np.float32, np.float64):
            raise ParameterError(f"dtype must be float32 or float64, got {self.dtype}")
        if rng not in ("counter", "numpy"):
            raise ParameterError(f"rng must be 'counter' or 'numpy', got {rng!r}")
        self.rng = rng
        if seed is not None and (isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0):
            raise ParameterError(f"seed must be a non-negative integer, got {seed!r}")
        draw = np.random.RandomState(seed).randn if seed is not None else np.random.randn
        self.layers: list[dict] = []
        prev = self.input_size
        for h in self.hidden_sizes + [1]:
            W = draw(prev, h) * np.sqrt(2.0 / prev)
            self.layers.append({"W": aligned_copy(W, self.dtype), "b": zeros_aligned((1, h), self.dtype)})
            prev = h
        if seed is None and rng == "counter":
            seed = int(np.random.randint(0, 2**31 - 1))
        self.seed = seed
        self.training = True
        self.activations: list[np.ndarray] = []
        self._step = 0  # training forward passes so far: the counter generator's step
        self._mask_recipe: tuple | None = None  # (mode, step, uniforms, rows) of the last forward
        self._dropout_applied = False
        self.history: History | None = None

    # ------------------------------------------------------------------ the original's API

    def forward(self, X) -> np.ndarray:
        """Logits float[n, 1] for ``X`` float[n, input_size] (or one row); keeps ``activations`` and masks.

        The per-call methods run their products on one BLAS thread: a batch's products are
        too small to gain from a second thread, and each multi-threaded call would wait on
        whatever else holds the other core.
        """
        X = _checks.as_features(X, self.input_size, self.dtype)
        n = X.shape[0]
        Ws, bs = self._params()
        acts = self._scratch(n)
        z = np.empty(n, self.dtype)
        mode, uniforms, step = self._dropout_source(n)
        scale = 1.0 / (1.0 - self.dropout)
        with single_threaded_blas():
            _network.forward_batch(X, Ws, bs, acts, z, mode, self.dropout, scale, self.seed or 0, step, uniforms, 0)
        hidden = [a.reshape(n, h) for a, h in zip(acts, self.hidden_sizes)]
        logits = z.reshape(n, 1)
        self.activations = [X, *hidden, logits]
        self._dropout_applied = mode != _layers.NO_DROPOUT
        self._mask_recipe = (mode, step, uniforms, n)
        return logits

    def backward(self, logits, y, pos_weight: float = 2.0) -> None:
        """Gradients of the weighted BCE into every layer's ``dW`` and ``db``."""
        if len(self.activations) != len(self.layers) + 1:
            raise ValueError("backward() needs a forward() pass first")
        X = self.activations[0]
        n = X.shape[0]
        z = np.ascontiguousarray(np.asarray(logits, dtype=self.dtype).reshape(-1))
        if z.shape[0] != n:
            raise ParameterError(f"logits has {z.shape[0]} rows but the last forward() had {n}")
        yv = _checks.as_labels(y, n)
        delta = np.empty(n, self.dtype)
        _loss.loss_delta_correct(z, yv, float(pos_weight), delta)
        Ws, _ = self._params()
        dWs = tuple(np.empty_like(W) for W in Ws)
        dbs = tuple(np.empty(W.shape[1], self.dtype) for W in Ws)
        acts = tuple(np.ascontiguousarray(a).reshape(-1) for a in self.activations[1:-1]) or (np.empty(0, self.dtype),)
        deltas = self._scratch(n)
        scale = 1.0 / (1.0 - self.dropout) if self._dropout_applied else 1.0
        with single_threaded_blas():
            _network.backward_batch(X, Ws, dWs, dbs, acts, deltas, delta, scale)
        for layer, dW, db in zip(self.layers, dWs, dbs):
            layer["dW"] = dW
            layer["db"] = db.reshape(1, -1)

    def update_parameters(self, lr: float = 0.001, l2_lambda: float = 0.001) -> None:
        """``W -= lr * (dW + l2_lambda * W)``, ``b -= lr * db`` (no decay on biases)."""
        if any("dW" not in layer for layer in self.layers):
            raise ValueError("update_parameters() needs a backward() pass first")
        Ws, bs = self._params()
        dWs = tuple(np.ascontiguousarray(layer["dW"], dtype=self.dtype) for layer in self.layers)
        dbs = tuple(np.ascontiguousarray(layer["db"], dtype=self.dtype).reshape(-1) for layer in self.layers)
        _network.update(Ws, bs, dWs, dbs, float(lr), float(l2_lambda))

    def predict_proba(self, X) -> np.ndarray:
        """Probabilities float64[n], without dropout; leaves ``training`` True, as the original.

        Unlike the original it does not overwrite ``activations``: scoring runs through a
        chunked kernel that keeps no per-layer outputs.
        """
        self.training = False
        try:
            X = _checks.as_features(X, self.input_size, self.dtype)
            return self._score(X)
        finally:
            self.training = True

    @property
    def dropout_masks(self) -> list:
        """Masks of the last forward pass, as the original keeps them: float64 arrays of
        0 or ``1 / (1 - dropout)`` per hidden layer, or None where dropout was off."""
        if self._mask_recipe is None:
            return []
        mode, step, uniforms, n = self._mask_recipe
        if mode == _layers.NO_DROPOUT:
            return [None] * len(self.hidden_sizes)
        masks, off = [], 0
        for layer, h in enumerate(self.hidden_sizes):
            if mode == _layers.UNIFORMS:
                u = uniforms[off : off + n * h]
                off += n * h
            else:
                u = np.empty(n * h)
                _rng.fill_uniforms(self.seed or 0, step, layer, u)
            masks.append(((u > self.dropout) / (1 - self.dropout)).reshape(n, h))
        return masks

    # ------------------------------------------------------------------ fast training API

    def fit(
        self,
        X,
        y,
        epochs: int = NOTEBOOK["epochs"],
        batch_size: int = NOTEBOOK["batch_size"],
        lr: float = NOTEBOOK["lr"],
        l2_lambda: float = NOTEBOOK["l2_lambda"],
        pos_weight: float = NOTEBOOK["pos_weight"],
        shuffle: bool = False,
        seed: int | None = None,
        *,
        validation: float | tuple | None = None,
        patience: int | None = None,
        min_delta: float = 0.0,
        restore_best: bool = True,
        accuracy: str = "train",
        verbose: bool = False,
        progress: bool = False,
        callback: Callable[[int, float, float, float], None] | None = None,
        threads: int | None = None,
    ) -> History:
        """Mini-batch SGD, each epoch in one compiled call; the notebook's loop, fused.

        Parameters
        ----------
        X : float[n, input_size]
            Features; cast to float32 as the original does, then to the model's dtype.
        y : float[n] or int[n]
            0/1 labels.
        epochs, batch_size, lr, l2_lambda, pos_weight
            The notebook's hyperparameters (its values are the defaults).
        shuffle : bool
            Visit rows in a new random order every epoch (the notebook does not).
        seed : int, optional
            Seeds the shuffling (a NumPy ``default_rng``); in ``'numpy'`` RNG mode the
            global RNG is used instead, as dropout is. Also seeds the validation split (its
            own ``default_rng(seed)``, in either mode: the global RNG is not touched).
        validation : float in (0, 1) or (X_val, y_val), optional
            A fraction: that share of each class's rows is held out (see
            :func:`validation_split`) and not trained on; the rest train in their file order.
            A pair: ``float32[m, input_size]`` features and ``[m]`` 0/1 labels to validate on.
            After every epoch the validation loss (the training loss's weighted BCE, float64
            mean over the validation rows) and accuracy at 0.5 of the network without dropout
            are recorded. Off by default: training is then exactly as without it.
        patience : int, optional
            Needs ``validation``. Stop when the validation loss has not improved by more than
            ``min_delta`` for ``patience`` consecutive epochs.
        min_delta : float
            The improvement that resets the patience count (default 0: any decrease).
        restore_best : bool
            With ``patience``: when training ends (stopped early or not), put back the weights
            after ``best_epoch``, the epoch of the lowest validation loss.
        accuracy : ``'train'`` or ``'notebook'``
            ``'train'`` counts rows the training forward pass (with dropout) got right, at no
            extra cost. ``'notebook'`` reruns each batch without dropout after its update, as
            the notebook's ``predict_proba`` line does (about a third more work).
        verbose : bool
            Print the notebook's per-epoch line.
        progress : bool
            Show a tqdm bar over epochs (when tqdm is installed).
        callback : callable, optional
            ``callback(epoch, loss, accuracy, seconds)`` after every epoch (0-based epoch). The
            epoch's validation figures are in ``self.history`` (the History being filled).
        threads : int, optional
            Numba threads for this call (default: Numba's current setting), restored after.
            Each layer's work is split into two fixed halves, so the result is the same for
            any count; ``threads=1`` avoids waiting on a second core that other work holds.

        Returns
        -------
        History with per-epoch ``loss`` (mean of batch losses), ``accuracy`` and ``seconds``;
        with validation also ``val_loss``, ``val_accuracy``, ``best_epoch`` and
        ``stopped_epoch``. It is also kept as ``self.history``.

        Raises
        ------
        ParameterError on bad input (also: a fraction that leaves a class without held-out or
        training rows, ``patience`` without ``validation``); TrainingDivergedError when a batch
        loss is not finite: the batch is not applied, and if the weights are no longer finite
        they are restored to those at the start of that epoch (not to the best epoch's).
        """
        X = _checks.as_features(X, self.input_size, self.dtype)
        y64 = _checks.as_labels(y, X.shape[0])
        epochs = _checks.positive("epochs", epochs, integer=True)
        batch_size = _checks.positive("batch_size", batch_size, integer=True)
        lr = _checks.positive("lr", lr)
        l2_lambda = _checks.non_negative("l2_lambda", l2_lambda)
        pos_weight = _checks.positive("pos_weight", pos_weight)
        if accuracy not in ("train", "notebook"):
            raise ParameterError(f"accuracy must be 'train' or 'notebook', got {accuracy!r}")
        X, y64, monitor = self._validation(X, y64, validation, seed, pos_weight, patience, min_delta, restore_best)
        yv = y64.astype(self.dtype)
        shuffler = np.random.default_rng(seed) if (shuffle and self.rng == "counter") else None
        if threads is not None and (
            isinstance(threads, bool) or not isinstance(threads, int) or not 1 <= threads <= numba.config.NUMBA_NUM_THREADS
        ):
            raise ParameterError(f"threads must be an integer in [1, {numba.config.NUMBA_NUM_THREADS}], got {threads!r}")
        previous_threads = numba.get_num_threads()
        if threads is not None:
            numba.set_num_threads(threads)
        try:
            return self._fit_epochs(X, yv, epochs, batch_size, lr, l2_lambda, pos_weight, shuffle, shuffler,
                                    accuracy, verbose, progress, callback, monitor)
        finally:
            numba.set_num_threads(previous_threads)

    def _validation(self, X: np.ndarray, y: np.ndarray, validation, seed: int | None, pos_weight: float,
                    patience: int | None, min_delta: float, restore_best: bool) -> tuple:
        """The rows to train on and the validation monitor (None without validation).

        Returns
        -------
        X : float32[n', input_size] or float64[n', input_size]
        y : float64[n']
        monitor : _Monitor or None
        """
        if patience is not None:
            patience = _checks.positive("patience", patience, integer=True)
        min_delta = _checks.non_negative("min_delta", min_delta)
        restore_best = _checks.flag("restore_best", restore_best)
        if validation is None:
            if patience is not None:
                raise ParameterError("patience needs validation: pass validation=<fraction> or validation=(X_val, y_val)")
            return X, y, None
        if isinstance(validation, (tuple, list)):
            if len(validation) != 2:
                raise ParameterError(f"validation must be a fraction in (0, 1) or an (X_val, y_val) pair, "
                                 f"got a {type(validation).__name__} of length {len(validation)}")
            X_val = _checks.as_features(validation[0], self.input_size, self.dtype, name="X_val")
            y_val = _checks.as_labels(validation[1], X_val.shape[0], name="y_val", features="X_val")
        else:
            train, val = validation_split(y, validation, seed)
            X, y, X_val, y_val = X[train], y[train], X[val], y[val]
        return X, y, _Monitor(self, X_val, y_val, pos_weight, patience, min_delta, restore_best)

    def _fit_epochs(self, X, yv, epochs, batch_size, lr, l2_lambda, pos_weight, shuffle, shuffler,
                    accuracy, verbose, progress, callback, monitor) -> History:
        n = X.shape[0]

        Ws, bs = self._params()
        scratch = self._epoch_scratch(min(batch_size, n))
        sgd = _train.SGD(batch_size, lr, l2_lambda, pos_weight)
        n_batches = (n + batch_size - 1) // batch_size
        losses = np.empty(n_batches)
        corrects = np.zeros(n_batches, np.int64)
        dropout_on = self.dropout > 0
        mode = _layers.NO_DROPOUT if not dropout_on else (_layers.COUNTER if self.rng == "counter" else _layers.UNIFORMS)
        scale = 1.0 / (1.0 - self.dropout)
        width = sum(self.hidden_sizes)
        history = self.history = History()
        epoch_iter = range(epochs)
        if progress:
            try:
                from tqdm.auto import tqdm

                epoch_iter = tqdm(epoch_iter, desc="fit", unit="epoch")
            except ImportError:
                pass
        self.training = True
        for epoch in epoch_iter:
            t0 = time.perf_counter()
            if shuffle:
                order = shuffler.permutation(n) if shuffler is not None else np.random.permutation(n)
                Xe, ye = np.ascontiguousarray(X[order]), np.ascontiguousarray(yv[order])
            else:
                Xe, ye = X, yv
            snapshot = [(W.copy(), b.copy()) for W, b in zip(Ws, bs)]
            # numpy mode draws its uniforms per group of batches, in the original's order
            group = _NUMPY_RNG_BATCHES if mode == _layers.UNIFORMS else n_batches
            for g0 in range(0, n_batches, group):
                g1 = min(n_batches, g0 + group)
                r0, r1 = g0 * batch_size, min(n, g1 * batch_size)
                uniforms = np.random.rand((r1 - r0) * width) if mode == _layers.UNIFORMS else np.empty(0)
                dropout = _train.Dropout(mode, self.dropout, scale, self.seed or 0, self._step + g0, uniforms)
                with single_threaded_blas():
                    done = _train.train_epoch(Xe[r0:r1], ye[r0:r1], Ws, bs, scratch, sgd, dropout,
                                              accuracy == "notebook", losses[g0:g1], corrects[g0:g1])
                if done < g1 - g0:
                    self._diverged(epoch, g0 + done, losses, snapshot, history)
            self._step += n_batches
            val = monitor.score() if monitor is not None else None
            seconds = time.perf_counter() - t0
            history.loss.append(float(np.mean(losses)))
            history.accuracy.append(float(corrects.sum()) / n)
            history.seconds.append(seconds)
            stop = monitor is not None and monitor.record(epoch, *val, history)
            if verbose:
                print(epoch_line(epoch + 1, history.loss[-1], history.accuracy[-1], seconds, **_val_figures(history)),
                      flush=True)
            if callback is not None:
                callback(epoch, history.loss[-1], history.accuracy[-1], seconds)
            if stop and epoch < epochs - 1:
                history.stopped_epoch = epoch
                break
        if history.stopped_epoch is not None and hasattr(epoch_iter, "close"):
            epoch_iter.close()
        if monitor is not None:
            monitor.restore(history)
        self.activations = []
        self._mask_recipe = None
        return history

    def predict(self, X, threshold: float = THRESHOLD) -> np.ndarray:
        """0/1 predictions int64[n]: ``predict_proba(X) > threshold``."""
        return (self.predict_proba(X) > threshold).astype(np.int64)

    def evaluate(self, X, y, threshold: float = THRESHOLD) -> ClassificationReport:
        """The notebook's report: accuracy, per-class precision/recall/F1/support, the
        confusion matrix, and ROC-AUC."""
        Xc = _checks.as_features(X, self.input_size, self.dtype)
        yv = _checks.as_labels(y, Xc.shape[0]).astype(np.int64)
        probs = self.predict_proba(Xc)
        return classification_report(yv, (probs > threshold).astype(np.int64), probs)

    # ------------------------------------------------------------------ internals

    def _params(self):
        """The layers' arrays as kernel tuples (views: the kernels update them in place).

        An array of another dtype, not C-contiguous or not cache-line aligned is replaced in
        its layer dict by a copy that is (see :mod:`._aligned`)."""
        for layer in self.layers:
            for key in ("W", "b"):
                a = layer[key]
                if not (isinstance(a, np.ndarray) and a.dtype == self.dtype and a.flags.c_contiguous
                        and is_aligned(a)):
                    layer[key] = aligned_copy(a, self.dtype)
        Ws = tuple(layer["W"] for layer in self.layers)
        bs = tuple(layer["b"].reshape(-1) for layer in self.layers)
        return Ws, bs

    def _dropout_source(self, n: int):
        """(mode, uniforms, step) for a forward pass of ``n`` rows; advances the RNG."""
        if not (self.training and self.dropout > 0):
            return _layers.NO_DROPOUT, np.empty(0), 0
        if self.rng == "numpy":
            return _layers.UNIFORMS, np.random.rand(n * sum(self.hidden_sizes)), 0
        step = self._step
        self._step += 1
        return _layers.COUNTER, np.empty(0), step

    def _scratch(self, rows: int) -> tuple:
        """One flat buffer of ``rows * h`` per hidden layer (a dummy one when there is none)."""
        return layer_buffers(self.hidden_sizes, rows, self.dtype)

    def _epoch_scratch(self, rows: int) -> _train.EpochScratch:
        """The epoch kernel's scratch for batches of up to ``rows`` (see :func:`epoch_scratch`)."""
        return epoch_scratch(self.input_size, self.hidden_sizes, rows, self.dtype)

    def _score(self, X: np.ndarray) -> np.ndarray:
        Ws, bs = self._params()
        out = np.empty(X.shape[0])
        if X.shape[0] <= _SCORE_CHUNK:  # one chunk: serially, without a parallel region
            with single_threaded_blas():
                _train.score_rows(X, Ws, bs, 0, X.shape[0], out)
        else:  # chunks handed out one at a time: a thread slowed by other work holds up nothing
            with single_threaded_blas(), numba.parallel_chunksize(1):
                _train.predict_proba(X, Ws, bs, _SCORE_CHUNK, out)
        return out

    def _diverged(self, epoch, batch, losses, snapshot, history):
        if not all(np.isfinite(a).all() for layer in self.layers for a in (layer["W"], layer["b"])):
            for layer, (W, b) in zip(self.layers, snapshot):
                layer["W"][...] = W
                layer["b"].reshape(-1)[...] = b
            restored = " The weights were no longer finite and are restored to those at the start of the epoch."
        else:
            restored = " The weights are those after the last finite batch."
        raise TrainingDivergedError(
            f"training diverged: the loss is {losses[batch]} at epoch {epoch + 1}, batch {batch + 1}"
            f"; try a lower lr.{restored}",
            epoch + 1,
            batch + 1,
            history,
        )
