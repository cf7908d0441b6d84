"""The sine-wave RNN (fastscratch.nets.simple_rnn) against the post's code and the chain rule.

- ``mode="post"``: the post's update rule. The post's run is 25 epochs of ~1 s each in the
  reference; here the reference runs the first seven (the rule amplifies any rounding
  difference from the sixth epoch on, when the gradients leave the clip bounds: a forward
  pass one ulp off shows there as a 4e-3 difference) and the drop-in must give its weights
  bit for bit and its printed losses to RTOL_F64 (their sum runs in another order). The whole
  25-epoch run is compared in the benchmark that times both (``bench/test_bench_simple_rnn.py``),
  as README says. The module's functions and the post's script
  (with its import changed, two epochs) are compared on the post's data.
- ``mode="bptt"``: the exact gradient against central finite differences, the truncated one
  against tests/naive_bptt.py, and a training epoch against that oracle's.
"""

import contextlib
import io
import math
import re
from pathlib import Path

import numpy as np
import pytest

from fastscratch.nets import simple_rnn as fast
from fastscratch.reference import simple_rnn as ref
from tests import naive_bptt
from tests.helpers import RTOL_F64, assert_close, numba_threads, skip_unless_openblas

SCRIPT = Path(__file__).parent / "post_scripts" / "sine_test_script.py"


@pytest.fixture(scope="module")
def data():
    return ref.sine_wave_data()


def _losses(text: str) -> list[tuple[float, float]]:
    return [tuple(map(float, m)) for m in re.findall(r"Epoch: \d+, Loss: (\S+), Validation Loss: (\S+)", text)]


def _run_train(module, epochs, data, monkeypatch, **kw):
    X, Y, Xv, Yv = data
    U, V, W = ref.initial_weights()
    monkeypatch.setattr(module, "max_epochs", epochs)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        result = module.train(U, V, W, X, Y, Xv, Yv, **kw)
    return (U, V, W), result, out.getvalue()


# ----------------------------------------------------------------------------- mode="post"


POST_EPOCHS = 7


def test_post_rule_reproduces_the_posts_run(data, monkeypatch):
    """The post's run, past the epoch where rounding differences would grow: the same weights,
    bit for bit, and the same printed losses to RTOL_F64."""
    (Ur, Vr, Wr), _, text_r = _run_train(ref, POST_EPOCHS, data, monkeypatch)
    (Uf, Vf, Wf), result, text_f = _run_train(fast, POST_EPOCHS, data, monkeypatch)
    assert result[0] is Uf and result[1] is Vf and result[2] is Wf, "train updates and returns the caller's arrays"
    for name, a, b in (("U", Uf, Ur), ("V", Vf, Vr), ("W", Wf, Wr)):
        assert_close(a, b, rtol=RTOL_F64, what=name)
        assert np.array_equal(a, b), f"{name}: not bit-identical (NumPy's exp or BLAS differ from the kernels')"
    lr, lf = _losses(text_r), _losses(text_f)
    assert len(lf) == len(lr) == POST_EPOCHS
    assert_close(np.array(lf), np.array(lr), rtol=RTOL_F64, what="printed losses")


def test_the_readme_says_which_command_checks_which_epochs():
    """README's bit-for-bit claim for the post's 25 epochs names what checks it: `make test` the
    first POST_EPOCHS (above), `make bench` all 25 (bench/test_bench_simple_rnn.py, whose
    fastscratch run compares the weights after them with the post's code's)."""
    from fastscratch.benchmarks.seed_workloads import RNN_EPOCHS

    root = Path(__file__).resolve().parent.parent
    readme = " ".join((root / "README.md").read_text(encoding="utf-8").split())
    assert (f"`make test` runs the post's code and the drop-in side by side for the first {POST_EPOCHS} epochs "
            "(`tests/test_simple_rnn.py`: weights bit for bit, printed losses to 1e-10)") in readme
    assert RNN_EPOCHS == 25 and "`make bench` runs both for all 25 (`bench/test_bench_simple_rnn.py`" in readme
    bench = (root / "bench" / "test_bench_simple_rnn.py").read_text(encoding="utf-8")
    assert "w.rnn_fast_post_run()" in bench and "assert np.array_equal(got, want)" in bench


def _small_post_setup(hidden: int, steps: int, monkeypatch):
    """The post's run shrunk through its module constants: ``hidden`` units, windows of ``steps``
    values of sin(x / 3), 12 training and 5 validation windows, weights as the post draws them."""
    for module in (ref, fast):
        monkeypatch.setattr(module, "hidden_dim", hidden)
        monkeypatch.setattr(module, "seq_len", steps)
        monkeypatch.setattr(module, "max_epochs", 3)
    wave = np.sin(np.arange(17 + steps + 1) / 3.0)
    windows = np.array([wave[i:i + steps] for i in range(17)])[:, :, None]
    targets = wave[steps:steps + 17, None]
    g = np.random.default_rng(hidden)
    U, V, W = g.uniform(0, 1, (hidden, steps)), g.uniform(0, 1, (1, hidden)), g.uniform(0, 1, (hidden, hidden))
    return (U, V, W), (windows[:12], targets[:12], windows[12:], targets[12:])


@pytest.mark.parametrize("hidden", [12, 6])
def test_post_rule_is_bit_exact_on_both_product_paths(hidden, monkeypatch):
    """12 hidden units take the kernels' own ``W @ h`` (a multiple of 4), 6 take the BLAS's: both
    give the reference's weights bit for bit."""
    from fastscratch.nets.numpy_loops import gemv_matches_numpy

    (U, V, W), (X, Y, Xv, Yv) = _small_post_setup(hidden, 10, monkeypatch)
    assert gemv_matches_numpy(hidden, hidden) == (hidden % 4 == 0 and gemv_matches_numpy(100, 100))
    weights = {}
    for name, module in (("ref", ref), ("fast", fast)):
        Uc, Vc, Wc = U.copy(), V.copy(), W.copy()
        with contextlib.redirect_stdout(io.StringIO()):
            module.train(Uc, Vc, Wc, X, Y, Xv, Yv)
        weights[name] = (Uc, Vc, Wc)
    for label, a, b in zip("UVW", weights["fast"], weights["ref"], strict=True):
        assert np.array_equal(a, b), f"{label} after 3 epochs with {hidden} hidden units"


def test_forward_pass_takes_its_own_product_when_asked(data):
    """``own_gemv``: the forward pass's ``W @ h`` by kernels.openblas_order, else by the BLAS.
    Both give every step's ``W @ h_{t-1}`` with ``np.dot``'s bits here, and the same ``h_t``;
    that the switch is taken shows where they differ: the kernel refuses a width that is not a
    multiple of 4."""
    from fastscratch.kernels import rnn_forward
    from fastscratch.nets.numpy_loops import exp_float64, gemv_matches_numpy
    from fastscratch.nets.threads import single_threaded_blas

    skip_unless_openblas()
    assert gemv_matches_numpy(100, 100), "OpenBLAS here, and the probe does not find its order on 100 x 100"
    X = data[0][:, :, 0]
    U, V, W = ref.initial_weights()
    UT, v = np.ascontiguousarray(U.T), V.reshape(-1).copy()
    loop, loop_data = exp_float64()
    runs = []
    for own in (True, False):
        hs, bs = np.full((50, 100), np.nan), np.full((50, 100), np.nan)
        with single_threaded_blas():
            out = rnn_forward.forward_sequence(X[7], UT, W, v, hs, bs, np.zeros(100), own, loop, loop_data)
        runs.append((out, hs, bs))
        for t in range(1, 50):
            assert np.array_equal(bs[t], np.dot(W, hs[t - 1])), f"own_gemv={own}, step {t}"
    assert runs[0][0] == runs[1][0]
    assert np.array_equal(runs[0][1], runs[1][1]) and np.array_equal(runs[0][2], runs[1][2])
    # the switch is taken: the kernel's product refuses 6 hidden units, the BLAS takes them
    W6, UT6, v6 = W[:6, :6].copy(), np.ascontiguousarray(UT[:, :6]), v[:6].copy()
    hs, bs = np.zeros((50, 6)), np.zeros((50, 6))
    with single_threaded_blas():
        with pytest.raises(ValueError, match="multiples of 4"):
            rnn_forward.forward_sequence(X[7], UT6, W6, v6, hs, bs, np.zeros(6), True, loop, loop_data)
        rnn_forward.forward_sequence(X[7], UT6, W6, v6, hs, bs, np.zeros(6), False, loop, loop_data)


def test_train_takes_its_own_product_on_the_posts_shapes(data, monkeypatch):
    """``train`` on the post's shapes (100 hidden units, 50 steps) runs the training kernel with
    ``own_gemv`` on (a spy on the kernel's arguments), and the switch reaches the kernel: forced on
    for 6 hidden units, a width the kernel's product refuses, ``train`` fails there."""
    import inspect

    skip_unless_openblas()
    real = fast._train.train_epoch
    parameters = inspect.signature(real.py_func)
    seen = []

    def spy(*args):
        seen.append(parameters.bind(*args).arguments["own_gemv"])
        return real(*args)

    monkeypatch.setattr(fast._train, "train_epoch", spy)
    _run_train(fast, 1, data, monkeypatch)
    assert seen == [True], "train did not take the kernels' own W @ h on the post's shapes"

    (U, V, W), (X, Y, Xv, Yv) = _small_post_setup(6, 10, monkeypatch)
    monkeypatch.setattr(fast, "gemv_matches_numpy", lambda rows, cols: True)
    with contextlib.redirect_stdout(io.StringIO()), pytest.raises(ValueError, match="multiples of 4"):
        fast.train(U, V, W, X, Y, Xv, Yv)


def test_post_rule_is_bit_exact_through_the_blas_too(data, monkeypatch):
    """The path taken where the kernels' product does not give NumPy's bits: the BLAS's gemv,
    on the post's shapes (two epochs)."""
    monkeypatch.setattr(fast, "gemv_matches_numpy", lambda rows, cols: False)
    (Ur, Vr, Wr), _, _ = _run_train(ref, 2, data, monkeypatch)
    (Uf, Vf, Wf), _, _ = _run_train(fast, 2, data, monkeypatch)
    for name, a, b in (("U", Uf, Ur), ("V", Vf, Vr), ("W", Wf, Wr)):
        assert np.array_equal(a, b), name


def test_module_functions_match_the_post(data):
    X, Y, Xv, Yv = data
    U, V, W = ref.initial_weights()
    loss_f, act_f = fast.calculate_loss(Xv, Yv, U, V, W)
    loss_r, act_r = ref.calculate_loss(Xv, Yv, U, V, W)
    assert loss_f == pytest.approx(loss_r, rel=RTOL_F64)
    assert act_f.shape == act_r.shape == (100, 1)
    assert_close(act_f, act_r, rtol=RTOL_F64, what="last activation")
    prev = np.zeros((100, 1))
    layers_f, mulu_f, mulw_f, mulv_f = fast.calc_layers(X[7], U, V, W, prev)
    layers_r, mulu_r, mulw_r, mulv_r = ref.calc_layers(X[7], U, V, W, prev)
    assert len(layers_f) == len(layers_r) == 50
    for a, b in zip(layers_f, layers_r, strict=True):
        assert np.array_equal(a["activation"], b["activation"])
        assert np.array_equal(a["prev_activation"], b["prev_activation"])
    for a, b in ((mulu_f, mulu_r), (mulw_f, mulw_r), (mulv_f, mulv_r)):
        assert a.shape == b.shape and np.array_equal(a, b)
    grads_f = fast.backprop(X[7], U, V, W, mulv_r - Y[7], mulu_r, mulw_r, layers_r)
    grads_r = ref.backprop(X[7], U, V, W, mulv_r - Y[7], mulu_r, mulw_r, layers_r)
    for name, a, b in zip("UVW", grads_f, grads_r, strict=True):
        assert a.shape == b.shape and np.array_equal(a, b), f"d{name}"


def test_the_posts_script_runs_with_its_import_changed(data, monkeypatch):
    """test_simple_rnn.py, shortened to two epochs through the module constant it reads."""
    pytest.importorskip("matplotlib")
    pytest.importorskip("sklearn")
    import matplotlib

    matplotlib.use("Agg", force=True)
    monkeypatch.setattr("matplotlib.pyplot.show", lambda *a, **k: None)
    source = SCRIPT.read_text()
    outputs = {}
    for name, module, line in (("fast", fast, "from fastscratch.nets.simple_rnn import"),
                               ("ref", ref, "from fastscratch.reference.simple_rnn import")):
        monkeypatch.setattr(module, "max_epochs", 2)
        code = source.replace("from fastscratch.nets.simple_rnn import", line)
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            exec(compile(code, str(SCRIPT), "exec"), {"__name__": "__main__"})
        outputs[name] = out.getvalue().splitlines()
    assert len(outputs["fast"]) == 3
    assert_close(np.array(_losses("\n".join(outputs["fast"]))), np.array(_losses("\n".join(outputs["ref"]))),
                 rtol=RTOL_F64, what="the script's epoch lines")
    assert float(outputs["fast"][-1]) == pytest.approx(float(outputs["ref"][-1]), rel=RTOL_F64), "the script's RMSE"


def test_simple_rnn_post_mode_equals_the_module_train(data, monkeypatch):
    X, Y, Xv, Yv = data
    (U, V, W), _, _ = _run_train(fast, 3, data, monkeypatch)
    model = fast.SimpleRNN(mode="post")
    history = model.fit(X, Y, epochs=3, validation=(Xv, Yv))
    assert np.array_equal(model.U, U) and np.array_equal(model.V, V) and np.array_equal(model.W, W)
    assert len(history.loss) == len(history.val_loss) == 3


# ----------------------------------------------------------------------------- mode="bptt"


def _small_model(H=6, T=8, seed=3, scale=1.0):
    g = np.random.default_rng(seed)
    U = g.uniform(-1, 1, (H, T)) * scale
    V = g.uniform(-1, 1, (1, H)) * scale
    W = g.uniform(-1, 1, (H, H)) * scale / math.sqrt(H)
    return U, V, W


def _model_with(U, V, W, **kw):
    H, T = U.shape
    m = fast.SimpleRNN(hidden_dim=H, seq_len=T, **kw)
    m.U, m.V, m.W = U.copy(), V.copy(), W.copy()
    return m


def test_full_bptt_gradient_matches_central_differences():
    U, V, W = _small_model()
    T = U.shape[1]
    x = np.sin(np.arange(T) * 0.7 + 0.3)
    y = 0.4
    model = _model_with(U, V, W, bptt_truncate=T - 1)
    loss, dU, dV, dW = model.gradients(x, y)
    assert loss == pytest.approx(naive_bptt.loss(x, y, U, V, W), rel=1e-12)
    eps = 1e-6
    for name, P, G in (("U", U, dU), ("V", V, dV), ("W", W, dW)):
        numeric = np.zeros_like(P)
        for idx in np.ndindex(P.shape):
            saved = P[idx]
            P[idx] = saved + eps
            up = naive_bptt.loss(x, y, U, V, W)
            P[idx] = saved - eps
            down = naive_bptt.loss(x, y, U, V, W)
            P[idx] = saved
            numeric[idx] = (up - down) / (2 * eps)
        assert_close(G, numeric, rtol=1e-6, what=f"d{name} vs central differences")


@pytest.mark.parametrize("truncate", [0, 1, 3, 6, 20])
def test_truncated_gradient_matches_the_plain_numpy_one(truncate):
    U, V, W = _small_model(seed=truncate)
    T = U.shape[1]
    x = np.cos(np.arange(T) * 0.5)
    model = _model_with(U, V, W, bptt_truncate=truncate)
    _, dU, dV, dW = model.gradients(x, -0.2)
    for name, a, b in zip("UVW", (dU, dV, dW), naive_bptt.gradients(x, -0.2, U, V, W, truncate), strict=True):
        assert_close(a, b, rtol=RTOL_F64, atol_scale=1, what=f"d{name}, truncate={truncate}")


@pytest.mark.parametrize("clip", [None, 0.05])
def test_bptt_training_matches_the_plain_numpy_epochs(clip):
    U, V, W = _small_model(H=5, T=7, seed=11, scale=2.0)
    g = np.random.default_rng(0)
    X = np.sin(g.uniform(0, 6, (9, 1)) + np.arange(7) * 0.6)
    Y = g.uniform(-1, 1, 9)
    model = _model_with(U, V, W, bptt_truncate=2, clip=clip, lr=0.3)
    model.fit(X, Y, epochs=3)
    for _ in range(3):
        naive_bptt.train_epoch(X, Y, U, V, W, 2, 0.3, clip)
    for name, a, b in (("U", model.U, U), ("V", model.V, V), ("W", model.W, W)):
        assert_close(a, b, rtol=RTOL_F64, atol_scale=1, what=name)


def test_predict_loss_and_rmse_are_the_models_forward(data):
    X, Y, Xv, Yv = data
    model = fast.SimpleRNN()
    predictions = model.predict(Xv)
    assert predictions.shape == (50,) and predictions.dtype == np.float64
    expected = np.array([naive_bptt.forward(x[:, 0], model.U, model.V, model.W)[1] for x in Xv])
    assert_close(predictions, expected, rtol=RTOL_F64, what="predict")
    assert model.loss(Xv, Yv) == pytest.approx(ref.calculate_loss(Xv, Yv, model.U, model.V, model.W)[0], rel=RTOL_F64)
    assert model.rmse(Xv, Yv) == pytest.approx(math.sqrt(np.mean((expected - Yv[:, 0]) ** 2)), rel=RTOL_F64)


def test_scaled_init_and_bptt_learn_the_sine_wave(data):
    X, Y, Xv, Yv = data
    model = fast.SimpleRNN(init="scaled", lr=0.01)
    history = model.fit(X, Y, epochs=25, validation=(Xv, Yv))
    assert history.loss[-1] < history.loss[0]
    assert model.rmse(Xv, Yv) < 0.05


def test_results_do_not_depend_on_the_thread_count(data):
    X, Y, Xv, Yv = data
    runs = []
    for threads in (1, 2):
        with numba_threads(threads):
            model = fast.SimpleRNN(mode="bptt", init="scaled", lr=0.01)
            history = model.fit(X, Y, epochs=2, validation=(Xv, Yv), threads=threads)
            predictions = model.predict(np.concatenate([X, Xv]))
        runs.append((model.U, model.V, model.W, history.loss, history.val_loss, predictions))
    for a, b in zip(*runs, strict=True):
        assert np.array_equal(np.asarray(a), np.asarray(b))


# ----------------------------------------------------------------------------- bad input


@pytest.mark.parametrize("kwargs, message", [
    ({"hidden_dim": 0}, "hidden_dim"),
    ({"seq_len": 2.5}, "seq_len"),
    ({"bptt_truncate": -1}, "bptt_truncate"),
    ({"clip": 0}, "clip"),
    ({"lr": float("nan")}, "lr"),
    ({"mode": "adam"}, "mode"),
    ({"init": "zeros"}, "init"),
    ({"seed": -4}, "seed"),
])
def test_bad_settings_are_refused(kwargs, message):
    with pytest.raises(ValueError, match=message):
        fast.SimpleRNN(**kwargs)


def test_bad_data_gives_clear_errors(data):
    X, Y, Xv, Yv = data
    model = fast.SimpleRNN()
    with pytest.raises(ValueError, match=r"shape \(n, seq_len\)"):
        model.fit(X[:, :, 0].reshape(-1), Y)
    with pytest.raises(ValueError, match="49 values, the network reads 50"):
        model.fit(X[:, :49], Y)
    bad = X.copy()
    bad[3, 17, 0] = np.nan
    with pytest.raises(ValueError, match="sequence 3 at step 17"):
        model.fit(bad, Y)
    with pytest.raises(ValueError, match="99 targets but X has 100"):
        model.fit(X, Y[:99])
    with pytest.raises(ValueError, match="no sequences"):
        model.fit(X[:0], Y[:0])
    with pytest.raises(ValueError, match="validation"):
        model.fit(X, Y, validation=Xv)
    with pytest.raises(ValueError, match="epochs"):
        model.fit(X, Y, epochs=0)
    U, V, W = ref.initial_weights()
    with pytest.raises(ValueError, match="V must be"):
        fast.train(U, V.T, W, X, Y, Xv, Yv)
    with pytest.raises(ValueError, match="non-finite"):
        fast.calculate_loss(X, np.full_like(Y, np.inf), U, V, W)
