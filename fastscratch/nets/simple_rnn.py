"""The sine-wave RNN of the "Build a Recurrent Neural Network from Scratch in Python 3" post, on
Numba kernels: the post's module (its names and constants) and :class:`SimpleRNN`.

Drop-in: ``from fastscratch.nets.simple_rnn import train, hidden_dim, seq_len, sigmoid,
output_dim`` in place of ``from simple_rnn import ...`` and the post's ``test_simple_rnn.py``
runs as it is. Like the post's, the functions read this module's constants when they are
called (``simple_rnn.max_epochs = 2`` shortens a run), and ``train`` updates ``U``, ``V``,
``W`` in place, prints the post's epoch lines and returns them.

Two update rules (``mode``):

- ``"post"``: the post's ``backprop``, reproduced exactly. It is not the gradient of the loss
  (see :mod:`fastscratch.kernels.rnn_post` for what it computes), but its numbers are what the
  post shows: a seeded run gives the reference's weights bit for bit (:mod:`fastscratch.reference.simple_rnn`).
  This is what ``train`` runs.
- ``"bptt"``: truncated backpropagation through time for the same model and loss
  (:mod:`fastscratch.kernels.rnn_bptt`): the gradient of the last step's squared error,
  followed ``bptt_truncate`` steps back, clipped elementwise as the post intends. The default of
  :class:`SimpleRNN`; ``train(..., mode="bptt")`` gives it the post's way.

Everything is float64, as the post. The training pass is sequential (each sequence updates the
weights the next one uses); the post's two losses at the start of each epoch run in a second
thread meanwhile, on a copy of the starting weights (a Python thread blocked on its result,
not a parallel region: the OpenMP workers' spinning made two threads slower than one whenever
another process held a core), and prediction runs blocks of sequences in parallel. Results do
not depend on the thread count.
"""

from __future__ import annotations

import math
import numbers
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numba
import numpy as np

from fastscratch.errors import ParameterError
from fastscratch.kernels import rnn_bptt as _bptt
from fastscratch.kernels import rnn_forward as _forward
from fastscratch.kernels import rnn_post as _post
from fastscratch.kernels import rnn_train as _train
from fastscratch.nets.numpy_loops import exp_float64, gemv_matches_numpy
from fastscratch.nets.threads import single_threaded_blas

__all__ = [
    "learning_rate", "seq_len", "max_epochs", "hidden_dim", "output_dim", "bptt_truncate", "min_clip_val",
    "max_clip_val", "sigmoid", "calculate_loss", "calc_layers", "backprop", "train", "SimpleRNN", "RNNHistory",
    "MODES", "INITS",
]

# create RNN architecture (the post's constants, read at call time)
learning_rate = 0.0001
seq_len = 50
max_epochs = 25
hidden_dim = 100
output_dim = 1
bptt_truncate = 5  # backprop through time --> lasts 5 iterations
min_clip_val = -10
max_clip_val = 10

MODES = ("post", "bptt")
INITS = ("post", "scaled")
POST_SEED = 12161
"""The post's ``np.random.seed`` before drawing ``U``, ``V``, ``W``."""


def sigmoid(x):
    """The post's ``1/(1+np.exp(-x))`` (NumPy, for the post's test script)."""
    return 1 / (1 + np.exp(-x))


# ----------------------------------------------------------------------------- input checks


def _sequences(X, name: str, length: int | None = None) -> np.ndarray:
    """``X`` as C-contiguous float64 (n, T): the post's (n, T, 1) or plain (n, T)."""
    try:
        A = np.asarray(X, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ParameterError(f"{name} must be numeric sequences, got {type(X).__name__}: {exc}") from None
    if A.ndim == 3 and A.shape[2] == 1:
        A = A[:, :, 0]
    if A.ndim != 2:
        raise ParameterError(f"{name} must have shape (n, seq_len) or (n, seq_len, 1), got {A.shape}")
    if length is not None and A.shape[1] < length:
        raise ParameterError(f"{name} has sequences of {A.shape[1]} values, the network reads {length}")
    if length is not None:
        A = A[:, :length]
    if not np.isfinite(A).all():
        r, c = np.argwhere(~np.isfinite(A))[0]
        raise ParameterError(f"{name} has a non-finite value {A[r, c]} in sequence {r} at step {c}")
    return np.ascontiguousarray(A)


def _targets(Y, n: int, name: str, features: str) -> np.ndarray:
    """``Y`` as float64 (n,): the post's (n, 1) or plain (n,)."""
    try:
        A = np.asarray(Y, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ParameterError(f"{name} must be numeric, got {type(Y).__name__}: {exc}") from None
    if A.ndim == 2 and A.shape[1] == 1:
        A = A[:, 0]
    if A.ndim != 1:
        raise ParameterError(f"{name} must have shape (n,) or (n, 1), got {A.shape}")
    if A.shape[0] != n:
        raise ParameterError(f"{name} has {A.shape[0]} targets but {features} has {n} sequences")
    if not np.isfinite(A).all():
        i = int(np.argmax(~np.isfinite(A)))
        raise ParameterError(f"{name} has a non-finite value {A[i]} at index {i}")
    return np.ascontiguousarray(A)


def _weights(U, V, W) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Kernel copies ``UT`` (T, H), ``W`` (H, H), ``v`` (H,) of the post's ``U`` (H, T), ``V``
    (1, H), ``W`` (H, H), checked."""
    U, V, W = (np.asarray(a, dtype=np.float64) for a in (U, V, W))
    if U.ndim != 2 or W.ndim != 2 or W.shape != (U.shape[0], U.shape[0]):
        raise ParameterError(f"U must be (hidden, seq_len) and W (hidden, hidden), got U {U.shape} and W {W.shape}")
    if V.shape not in ((1, U.shape[0]), (U.shape[0],)):
        raise ParameterError(f"V must be (1, hidden) = (1, {U.shape[0]}), got {V.shape}: one output, as the post")
    for name, a in (("U", U), ("V", V), ("W", W)):
        if not np.isfinite(a).all():
            raise ParameterError(f"{name} has non-finite values")
    return np.ascontiguousarray(U.T), np.array(W, order="C"), np.array(V.reshape(-1))


def _positive_int(name: str, value) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value <= 0:
        raise ParameterError(f"{name} must be a positive integer, got {value!r}")
    return int(value)


# ----------------------------------------------------------------------------- training core


@dataclass
class RNNHistory:
    """Per-epoch record of a training run: the post's losses at the start of each epoch.

    Attributes
    ----------
    loss, val_loss : list of float
        ``calculate_loss`` of the training and validation data with the weights the epoch
        starts from (the figures the post prints; ``val_loss`` is empty without validation).
    seconds : list of float
        Wall time per epoch.
    """

    loss: list = field(default_factory=list)
    val_loss: list = field(default_factory=list)
    seconds: list = field(default_factory=list)


def epoch_line(epoch: int, loss: float, val_loss: float) -> str:
    """The post's line: ``Epoch: 1, Loss: 132219.50990086797, Validation Loss: 66107.73179592531``."""
    return f"Epoch: {epoch}, Loss: {loss}, Validation Loss: {val_loss}"


def _run(mode: str, UT, W, v, X, Y, Xv, Yv, epochs: int, bptt: int, lr: float, lo: float, hi: float,
         printer=None, threads: int | None = None, after_epoch=None) -> RNNHistory:
    """``epochs`` epochs on the kernel arrays (updated in place); returns the history.

    With two threads (the default when Numba has two) each epoch's losses run in a second
    thread on a copy of the starting weights while this one trains; with one, one after the other.
    """
    if mode not in MODES:
        raise ParameterError(f"mode must be one of {MODES}, got {mode!r}")
    if threads is None:
        threads = min(2, numba.get_num_threads())
    if isinstance(threads, bool) or not isinstance(threads, int) or not 1 <= threads <= numba.config.NUMBA_NUM_THREADS:
        raise ParameterError(f"threads must be an integer in [1, {numba.config.NUMBA_NUM_THREADS}], got {threads!r}")
    T, H = UT.shape
    loop, data = exp_float64()
    own_gemv = gemv_matches_numpy(H, H)
    hs, bs, gUT = np.zeros((T, H)), np.zeros((T, H)), np.zeros((T, H))
    gW, vecs = np.zeros((H, H)), np.zeros((6, H))
    out, outv, losses = np.zeros(X.shape[0]), np.zeros(Xv.shape[0]), np.zeros(2)
    history = RNNHistory()
    code = _train.POST if mode == "post" else _train.BPTT
    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="fastscratch-rnn-loss") if threads > 1 else None
    try:
        with single_threaded_blas():
            for epoch in range(epochs):
                t0 = time.perf_counter()
                start = (X, Y, Xv, Yv, UT.copy(), W.copy(), v.copy(), out, outv, losses, loop, data)
                pending = pool.submit(_train.epoch_losses, *start) if pool is not None else None
                if pending is None:
                    _train.epoch_losses(*start)
                _train.train_epoch(code, X, Y, UT, W, v, bptt, lr, lo, hi, hs, bs, gUT, gW, vecs, own_gemv, loop, data)
                if pending is not None:
                    pending.result()
                history.loss.append(float(losses[0]))
                if Xv.shape[0]:
                    history.val_loss.append(float(losses[1]))
                history.seconds.append(time.perf_counter() - t0)
                if printer is not None:
                    printer(epoch, history)
                if after_epoch is not None:
                    after_epoch()
    finally:
        if pool is not None:
            pool.shutdown(wait=True)
    return history


def _outputs(UT, W, v, X) -> tuple[np.ndarray, np.ndarray]:
    """Outputs (n,) of the sequences ``X`` (n, T) and ``h_{T-1}`` (H,) of the last one."""
    loop, data = exp_float64()
    out = np.zeros(X.shape[0])
    last = np.zeros(W.shape[0])
    with single_threaded_blas():
        _forward.sequence_outputs(X, UT, W, v, out, last, loop, data)
    return out, last


# ----------------------------------------------------------------------------- the post's functions


def calculate_loss(X, Y, U, V, W):
    """The post's loss ``sum (y - V @ h_{T-1})**2 / 2`` over the sequences, and the last
    sequence's final activation (hidden_dim, 1), as the post returns them."""
    U_T, Wk, v = _weights(U, V, W)
    Xs = _sequences(X, "X", seq_len)
    Ys = _targets(Y, Xs.shape[0], "Y", "X")
    if Xs.shape[0] == 0:
        return 0.0, np.zeros((Wk.shape[0], 1))
    _check_steps(U_T, Xs)
    out, last = _outputs(U_T[: Xs.shape[1]], Wk, v, Xs)
    return float(_forward.half_squared_errors(out, Ys)), last.reshape(-1, 1)


def _check_steps(UT, X) -> None:
    if UT.shape[0] < X.shape[1]:
        raise ParameterError(f"U has {UT.shape[0]} input columns, one per step; the sequences have {X.shape[1]} steps")


def calc_layers(x, U, V, W, prev_activation):
    """The post's forward pass of one sequence ``x`` (seq_len, 1): the list of
    ``{'activation', 'prev_activation'}`` per step and the last step's ``mulu``, ``mulw``, ``mulv``."""
    UT, Wk, v = _weights(U, V, W)
    xs = _sequences(np.asarray(x, dtype=np.float64).reshape(1, -1), "x", seq_len)[0]
    _check_steps(UT, xs.reshape(1, -1))
    H = Wk.shape[0]
    h0 = np.ascontiguousarray(np.asarray(prev_activation, dtype=np.float64).reshape(-1))
    if h0.shape != (H,):
        raise ParameterError(f"prev_activation must have {H} values, got shape {np.shape(prev_activation)}")
    T = xs.shape[0]
    hs, bs = np.zeros((T, H)), np.zeros((T, H))
    loop, data = exp_float64()
    with single_threaded_blas():
        out = _forward.forward_sequence(xs, UT[:T], Wk, v, hs, bs, h0, gemv_matches_numpy(H, H), loop, data)
    layers = []
    prev = prev_activation
    for t in range(T):
        act = hs[t].reshape(H, 1).copy()
        layers.append({"activation": act, "prev_activation": prev})
        prev = act
    mulu = (UT[T - 1] * xs[T - 1]).reshape(H, 1)
    return layers, mulu, bs[T - 1].reshape(H, 1).copy(), np.array([[out]])


def backprop(x, U, V, W, dmulv, mulu, mulw, layers):
    """The post's ``backprop`` (its update rule, not the loss's gradient): ``dU`` (hidden,
    seq_len), ``dV`` (1, hidden), ``dW`` (hidden, hidden), every column of ``dU`` and ``dW`` equal,
    clipped to ``[min_clip_val, max_clip_val]`` after every step. ``mulu`` and ``mulw`` are not
    used, as in the post."""
    UT, Wk, v = _weights(U, V, W)
    xs = _sequences(np.asarray(x, dtype=np.float64).reshape(1, -1), "x", seq_len)[0]
    T, H = xs.shape[0], Wk.shape[0]
    if len(layers) < T:
        raise ParameterError(f"layers has {len(layers)} steps, the sequence {T}")
    hs = np.ascontiguousarray([np.asarray(layers[t]["activation"], dtype=np.float64).reshape(H) for t in range(T)])
    # the post's dW_i = np.dot(W, layers[t]['prev_activation']), computed as the post does
    Wn = np.asarray(W, dtype=np.float64)
    bs = np.ascontiguousarray([np.dot(Wn, np.asarray(layers[t]["prev_activation"], dtype=np.float64).reshape(H, 1))[:, 0]
                               for t in range(T)])
    vecs = np.zeros((5, H))
    _post.post_gradients(xs, UT[:T], int(bptt_truncate), float(np.asarray(dmulv).reshape(-1)[0]), hs, bs,
                         vecs[0], vecs[1], vecs[2], vecs[3], vecs[4], float(min_clip_val), float(max_clip_val))
    cols = np.asarray(U).shape[1]
    return (np.repeat(vecs[2][:, None], cols, axis=1), vecs[3].reshape(1, H).copy(),
            np.repeat(vecs[4][:, None], H, axis=1))


def train(U, V, W, X, Y, X_validation, Y_validation, *, mode: str = "post"):
    """The post's training: ``max_epochs`` epochs, each printing the training and validation
    losses of its starting weights, then updating ``U``, ``V``, ``W`` (in place, as the post's
    ``U -= ...``) sequence by sequence. ``mode="bptt"`` trains with truncated BPTT instead of
    the post's rule. Returns ``U, V, W``."""
    UT, Wk, v = _weights(U, V, W)
    Xs = _sequences(X, "X", seq_len)
    Ys = _targets(Y, Xs.shape[0], "Y", "X")
    Xv = _sequences(X_validation, "X_validation", seq_len)
    Yv = _targets(Y_validation, Xv.shape[0], "Y_validation", "X_validation")
    if Xs.shape[0] == 0:
        raise ParameterError("X has no sequences to train on")
    _check_steps(UT, Xs)
    T = Xs.shape[1]
    UTk = np.ascontiguousarray(UT[:T])

    def write_back():
        np.asarray(U)[:, :T] = UTk.T
        np.asarray(V)[...] = v.reshape(np.shape(V))
        np.asarray(W)[...] = Wk

    def show(epoch, history):
        val = history.val_loss[-1] if history.val_loss else 0.0
        print(epoch_line(epoch + 1, history.loss[-1], val), flush=True)

    _run(mode, UTk, Wk, v, Xs, Ys, Xv, Yv, int(max_epochs), int(bptt_truncate), float(learning_rate),
         float(min_clip_val), float(max_clip_val), printer=show, after_epoch=write_back)
    return U, V, W


# ----------------------------------------------------------------------------- the class


class SimpleRNN:
    """The post's RNN as an estimator: ``fit``, ``predict``, ``loss``, ``rmse``.

    Parameters
    ----------
    hidden_dim : int
        Hidden units (the post: 100).
    seq_len : int
        Steps per sequence; ``U`` has one input column per step (the post: 50).
    bptt_truncate : int
        Steps the gradient goes back beyond the last one (the post: 5). ``seq_len - 1`` or
        more gives the exact gradient.
    clip : float or None
        Gradients are clipped elementwise to ``[-clip, clip]`` (the post: 10); None: no clipping.
    lr : float
        Learning rate of the per-sequence SGD (the post: 0.0001).
    mode : ``"bptt"`` (default) or ``"post"``
        The correct truncated BPTT, or the post's update rule reproduced exactly.
    seed : int or None
        The weights are those the post draws after ``np.random.seed(seed)`` (``U``, ``V``, ``W``
        uniform on [0, 1), in that order), without touching NumPy's global RNG; the default is
        the post's seed, 12161. None draws them from the global RNG, as the post's script does.
    init : ``"post"`` (default) or ``"scaled"``
        ``"post"``: uniform on [0, 1), the post's. With 100 hidden units ``W @ h`` is 25-50 and
        every sigmoid saturates: ``h`` is ~1 whatever the input, the true gradient through the
        hidden layer vanishes, and correct training can only fit a constant. ``"scaled"``:
        ``U`` uniform on [-1, 1), ``V`` and ``W`` on [-1/sqrt(H), 1/sqrt(H)) (same draws,
        rescaled), which keeps the units in their sensitive range; with ``lr=0.01`` truncated
        BPTT then fits the sine wave (validation RMSE ~0.016 after 25 epochs, against ~0.70).

    Attributes
    ----------
    U : float64[hidden_dim, seq_len]
    V : float64[1, hidden_dim]
    W : float64[hidden_dim, hidden_dim]
    history : RNNHistory or None
        The last :meth:`fit`'s record.
    """

    def __init__(self, hidden_dim: int = 100, seq_len: int = 50, bptt_truncate: int = 5, clip: float | None = 10.0,
                 lr: float = 1e-4, mode: str = "bptt", seed: int | None = POST_SEED, init: str = "post"):
        self.hidden_dim = _positive_int("hidden_dim", hidden_dim)
        self.seq_len = _positive_int("seq_len", seq_len)
        if isinstance(bptt_truncate, bool) or not isinstance(bptt_truncate, numbers.Integral) or bptt_truncate < 0:
            raise ParameterError(f"bptt_truncate must be an integer >= 0, got {bptt_truncate!r}")
        self.bptt_truncate = int(bptt_truncate)
        if clip is not None and (isinstance(clip, bool) or not isinstance(clip, numbers.Real) or not clip > 0):
            raise ParameterError(f"clip must be a positive number or None, got {clip!r}")
        self.clip = None if clip is None else float(clip)
        if isinstance(lr, bool) or not isinstance(lr, numbers.Real) or not (lr > 0 and math.isfinite(lr)):
            raise ParameterError(f"lr must be a positive number, got {lr!r}")
        self.lr = float(lr)
        if mode not in MODES:
            raise ParameterError(f"mode must be one of {MODES}, got {mode!r}")
        self.mode = mode
        if seed is not None and (isinstance(seed, bool) or not isinstance(seed, numbers.Integral) or seed < 0):
            raise ParameterError(f"seed must be a non-negative integer or None, got {seed!r}")
        self.seed = seed
        if init not in INITS:
            raise ParameterError(f"init must be one of {INITS}, got {init!r}")
        self.init = init
        uniform = np.random.RandomState(seed).uniform if seed is not None else np.random.uniform
        H, T = self.hidden_dim, self.seq_len
        self.U = uniform(0, 1, (H, T))
        self.V = uniform(0, 1, (1, H))
        self.W = uniform(0, 1, (H, H))
        if init == "scaled":
            a = 1.0 / math.sqrt(H)
            self.U = 2.0 * self.U - 1.0
            self.V = (2.0 * self.V - 1.0) * a
            self.W = (2.0 * self.W - 1.0) * a
        self.history: RNNHistory | None = None

    def fit(self, X, Y, epochs: int = 25, validation: tuple | None = None, verbose: bool = False,
            threads: int | None = None) -> RNNHistory:
        """Train for ``epochs`` epochs, one sequence at a time in order, as the post.

        Parameters
        ----------
        X : float64[n, seq_len] or float64[n, seq_len, 1]
        Y : float64[n] or float64[n, 1]
        epochs : int
        validation : (X_val, Y_val), optional
            Scored at the start of every epoch, as the post's validation loss.
        verbose : bool
            Print the post's epoch lines.
        threads : int, optional
            1 or 2 (default: 2 when Numba has two): with 2 the post's losses run beside the
            training pass in a second thread; the results are the same either way.

        Returns
        -------
        RNNHistory, also kept as ``self.history``.
        """
        Xs = _sequences(X, "X", self.seq_len)
        Ys = _targets(Y, Xs.shape[0], "Y", "X")
        if Xs.shape[0] == 0:
            raise ParameterError("X has no sequences to train on")
        if validation is not None:
            if not isinstance(validation, (tuple, list)) or len(validation) != 2:
                raise ParameterError("validation must be an (X_val, Y_val) pair")
            Xv = _sequences(validation[0], "X_val", self.seq_len)
            Yv = _targets(validation[1], Xv.shape[0], "Y_val", "X_val")
        else:
            Xv, Yv = np.zeros((0, self.seq_len)), np.zeros(0)
        epochs = _positive_int("epochs", epochs)
        UT, W, v = _weights(self.U, self.V, self.W)
        lo, hi = (-math.inf, math.inf) if self.clip is None else (-self.clip, self.clip)

        def sync():
            self.U, self.V, self.W = UT.T.copy(), v.reshape(1, -1).copy(), W.copy()

        def show(epoch, history):
            if verbose:
                val = history.val_loss[-1] if history.val_loss else float("nan")
                print(epoch_line(epoch + 1, history.loss[-1], val), flush=True)

        self.history = _run(self.mode, UT, W, v, Xs, Ys, Xv, Yv, epochs, self.bptt_truncate, self.lr, lo, hi,
                            printer=show, threads=threads, after_epoch=sync)
        return self.history

    def predict(self, X) -> np.ndarray:
        """The outputs ``V @ h_{T-1}`` (float64[n]) of the sequences ``X`` (n, seq_len[, 1])."""
        Xs = _sequences(X, "X", self.seq_len)
        if Xs.shape[0] == 0:
            return np.zeros(0)
        UT, W, v = _weights(self.U, self.V, self.W)
        return _outputs(UT, W, v, Xs)[0]

    def loss(self, X, Y) -> float:
        """The post's ``calculate_loss``: ``sum (y - prediction)**2 / 2``."""
        Xs = _sequences(X, "X", self.seq_len)
        Ys = _targets(Y, Xs.shape[0], "Y", "X")
        return float(_forward.half_squared_errors(self.predict(Xs), Ys))

    def rmse(self, X, Y) -> float:
        """Root mean squared error of the predictions, as the post's script reports it."""
        Xs = _sequences(X, "X", self.seq_len)
        Ys = _targets(Y, Xs.shape[0], "Y", "X")
        if Ys.shape[0] == 0:
            raise ParameterError("rmse needs at least one sequence")
        return math.sqrt(float(np.mean((self.predict(Xs) - Ys) ** 2)))

    def gradients(self, x, y) -> tuple[float, np.ndarray, np.ndarray, np.ndarray]:
        """The loss of one sequence and its truncated-BPTT gradients, unclipped:
        ``(loss, dU (hidden, seq_len), dV (1, hidden), dW (hidden, hidden))``."""
        xs = _sequences(np.asarray(x, dtype=np.float64).reshape(1, -1), "x", self.seq_len)[0]
        UT, W, v = _weights(self.U, self.V, self.W)
        T, H = UT.shape
        hs, bs, gUT, gW = np.zeros((T, H)), np.zeros((T, H)), np.zeros((T, H)), np.zeros((H, H))
        vecs = np.zeros((4, H))
        loop, data = exp_float64()
        with single_threaded_blas():
            loss, _ = _bptt.bptt_gradients(xs, float(y), UT, W, v, self.bptt_truncate, hs, bs, gUT, gW,
                                           vecs[0], vecs[1], vecs[2], vecs[3], gemv_matches_numpy(H, H),
                                           loop, data)
        return float(loss), gUT.T.copy(), vecs[0].reshape(1, H).copy(), gW
