"""The sigmoid network (fastscratch.nets.simple_nn) against the post's code (fastscratch.reference).

Both run from the same ``random.seed``/``np.random.seed``, as a user of the post would seed
them: the drop-in must draw the same initial weights, shuffle the same way (and leave Python's
generator where the post's ``random.shuffle`` leaves it) and end each epoch with the
reference's weights to 1e-10 relative in float64; its mini-batch sums are reassociated, so
not bit for bit. Sizes are small but for one test on the post's shapes ([784, 30, 10],
mini-batch 10, eta 3.0, one epoch of 3,000 MNIST-like images).
"""

import contextlib
import io
import random
import sys
from pathlib import Path

import numpy as np
import pytest

from fastscratch.data import mnist
from fastscratch.nets import simple_nn
from fastscratch.reference import mnist_loader as ref_loader
from fastscratch.reference import simple_nn as ref
from tests.helpers import RTOL_F32, RTOL_F64, assert_close, numba_threads

SCRIPT = Path(__file__).parent / "post_scripts" / "mnist_test_script.py"


def digits_like(n, d=784, k=10, seed=0, density=0.2):
    """MNIST-shaped data: float32 pixels in [0, 1), ~``density`` of them non-zero, labels 0..k-1."""
    g = np.random.default_rng(seed)
    X = (g.random((n, d)) * (g.random((n, d)) < density)).astype(np.float32)
    y = g.integers(0, k, n)
    return X, y


def pairs(n, d=784, k=10, seed=0, density=0.2, one_hot=True):
    X, y = digits_like(n, d, k, seed, density)
    return mnist.as_pairs(X, y, one_hot=one_hot, classes=k)


def run_sgd(cls, sizes, training, epochs, m, eta, test=None, seed=5, **kw):
    random.seed(seed)
    np.random.seed(seed)
    net = cls(sizes, **kw)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        net.SGD(training, epochs, m, eta, test_data=test)
    return net, out.getvalue().splitlines(), random.random()


def assert_same_network(fast, reference, rtol=RTOL_F64):
    for l, (a, b) in enumerate(zip(fast.weights, reference.weights, strict=True)):
        assert a.shape == b.shape
        assert_close(a, b, rtol=rtol, what=f"weights[{l}]")
    for l, (a, b) in enumerate(zip(fast.biases, reference.biases, strict=True)):
        assert a.shape == b.shape
        assert_close(a, b, rtol=rtol, what=f"biases[{l}]")


@pytest.mark.parametrize("sizes, n, m, epochs", [
    ([12, 7, 5], 53, 10, 3),        # a partial last mini-batch (53 = 5 * 10 + 3)
    ([20, 3], 40, 7, 2),            # no hidden layer
    ([16, 9, 8, 4], 64, 1, 2),      # two hidden layers, mini-batches of one
    ([5, 33, 17, 10], 30, 30, 3),   # one mini-batch per epoch; widths past one vector
])
def test_sgd_matches_the_post(sizes, n, m, epochs):
    training = pairs(n, sizes[0], sizes[-1], seed=n, density=0.6)
    test = pairs(25, sizes[0], sizes[-1], seed=99, density=0.6)
    fast, lines_f, after_f = run_sgd(simple_nn.Network, sizes, training, epochs, m, 1.5, test)
    slow, lines_r, after_r = run_sgd(ref.Network, sizes, training, epochs, m, 1.5, test)
    assert_same_network(fast, slow)
    assert lines_f == lines_r and len(lines_f) == epochs
    assert after_f == after_r, "Python's random generator must end where the post's shuffle leaves it"
    assert fast.num_layers == slow.num_layers and fast.sizes == slow.sizes


def test_sgd_on_the_posts_shapes_for_one_epoch():
    training = pairs(3000, seed=1)
    fast, lines_f, _ = run_sgd(simple_nn.Network, [784, 30, 10], training, 1, 10, 3.0)
    slow, lines_r, _ = run_sgd(ref.Network, [784, 30, 10], training, 1, 10, 3.0)
    assert lines_f == lines_r == ["Epoch 0 complete"]
    assert_same_network(fast, slow)


@pytest.mark.parametrize("sizes, n, m, epochs", [([12, 7, 5], 53, 10, 3), ([20, 3], 40, 7, 2), ([16, 9, 8, 4], 64, 1, 2)])
def test_exact_mode_is_the_post_bit_for_bit(sizes, n, m, epochs):
    training = pairs(n, sizes[0], sizes[-1], seed=n, density=0.6)
    test = pairs(25, sizes[0], sizes[-1], seed=99, density=0.6)
    fast, lines_f, after_f = run_sgd(simple_nn.Network, sizes, training, epochs, m, 3.0, test, exact=True)
    slow, lines_r, after_r = run_sgd(ref.Network, sizes, training, epochs, m, 3.0, test)
    assert lines_f == lines_r and after_f == after_r
    for a, b in zip(fast.weights + fast.biases, slow.weights + slow.biases, strict=True):
        assert a.shape == b.shape and np.array_equal(a, b)
    batch = list(training[:7])
    fast.update_mini_batch(batch, 0.9)
    slow.update_mini_batch(batch, 0.9)
    for a, b in zip(fast.weights + fast.biases, slow.weights + slow.biases, strict=True):
        assert np.array_equal(a, b)


def test_exact_mode_over_epochs_on_the_posts_shapes():
    """Eight epochs of [784, 30, 10] with exact=True: bit for bit. (The default stays within
    ~1e-14 here; it drifts to 1e-4..1e-3 only over an epoch of MNIST's 50,000 images, too long
    for this suite: see the module docstring of fastscratch.nets.simple_nn.)"""
    training = pairs(1500, seed=21)
    exact, lines_e, _ = run_sgd(simple_nn.Network, [784, 30, 10], training, 8, 10, 3.0, exact=True)
    slow, lines_r, _ = run_sgd(ref.Network, [784, 30, 10], training, 8, 10, 3.0)
    assert lines_e == lines_r
    assert all(np.array_equal(a, b) for a, b in zip(exact.weights + exact.biases, slow.weights + slow.biases, strict=True))
    with pytest.raises(ValueError, match="float64"):
        simple_nn.Network([4, 2], dtype=np.float32, exact=True)


def test_plain_lists_and_zips_train_like_pair_lists():
    X, y = digits_like(40, 30, 4, density=0.5)
    built = mnist.as_pairs(X, y, classes=4)
    plain = [(x.copy(), t.copy()) for x, t in built]
    a, _, _ = run_sgd(simple_nn.Network, [30, 6, 4], built, 2, 8, 2.0)
    b, _, _ = run_sgd(simple_nn.Network, [30, 6, 4], plain, 2, 8, 2.0)
    c, _, _ = run_sgd(simple_nn.Network, [30, 6, 4], zip(*zip(*plain, strict=True), strict=True), 2, 8, 2.0)
    for w1, w2, w3 in zip(a.weights + a.biases, b.weights + b.biases, c.weights + c.biases, strict=True):
        assert np.array_equal(w1, w2) and np.array_equal(w1, w3)


def test_a_changed_pair_list_forgets_its_arrays():
    training = pairs(30, 12, 5, density=0.5)
    assert training.arrays() is not None
    random.shuffle(training)
    assert training.arrays() is None
    fast, _, _ = run_sgd(simple_nn.Network, [12, 4, 5], training, 2, 4, 1.0)
    slow, _, _ = run_sgd(ref.Network, [12, 4, 5], training, 2, 4, 1.0)
    assert_same_network(fast, slow)
    with pytest.raises(ValueError, match="read-only"):
        training[0][0][0, 0] = 1.0


def test_float32_option_stays_close_to_the_post():
    training = pairs(200, 40, 10, density=0.3)
    fast, _, _ = run_sgd(simple_nn.Network, [40, 16, 10], training, 2, 10, 1.0, dtype=np.float32)
    slow, _, _ = run_sgd(ref.Network, [40, 16, 10], training, 2, 10, 1.0)
    assert all(w.dtype == np.float32 for w in fast.weights + fast.biases)
    assert_same_network(fast, slow, rtol=50 * RTOL_F32)


def test_per_call_methods_match_the_post():
    random.seed(1)
    np.random.seed(1)
    fast = simple_nn.Network([15, 8, 6])
    np.random.seed(1)
    slow = ref.Network([15, 8, 6])
    batch = list(pairs(7, 15, 6, seed=4, density=0.5))
    x, y = batch[2]
    nb_f, nw_f = fast.backprop(x, y)
    nb_r, nw_r = slow.backprop(x, y)
    for l, (a, b) in enumerate(zip(nb_f + nw_f, nb_r + nw_r, strict=True)):
        assert a.shape == b.shape
        assert_close(a, b, rtol=RTOL_F64, what=f"backprop part {l}")
    columns = np.hstack([p[0] for p in batch])
    assert_close(fast.feedforward(columns), slow.feedforward(columns), rtol=RTOL_F64, what="feedforward (15, 7)")
    assert_close(fast.feedforward(x), slow.feedforward(x), rtol=RTOL_F64, what="feedforward (15, 1)")
    assert fast.cost_derivative(np.ones((6, 1)), y).shape == (6, 1)
    fast.update_mini_batch(batch, 0.7)
    slow.update_mini_batch(batch, 0.7)
    assert_same_network(fast, slow)
    test = pairs(50, 15, 6, seed=8, density=0.5)
    assert fast.evaluate(test) == slow.evaluate(test)
    labelled = pairs(50, 15, 6, seed=8, density=0.5, one_hot=False)
    assert fast.evaluate(labelled) == fast.evaluate(test), "integer labels (Nielsen's) count the same"


def test_batched_gradient_matches_central_differences():
    random.seed(0)
    np.random.seed(0)
    net = simple_nn.Network([6, 5, 4, 3])
    batch = list(pairs(4, 6, 3, seed=2, density=0.8))

    def cost():
        return sum(0.5 * float(np.sum((net.feedforward(x) - y) ** 2)) for x, y in batch)

    nabla_b = [np.zeros_like(b) for b in net.biases]
    nabla_w = [np.zeros_like(w) for w in net.weights]
    for x, y in batch:  # the drop-in's backprop through the batched kernel, summed as update_mini_batch does
        db, dw = net.backprop(x, y)
        nabla_b = [a + b for a, b in zip(nabla_b, db, strict=True)]
        nabla_w = [a + b for a, b in zip(nabla_w, dw, strict=True)]
    eps = 1e-6
    for params, grads, name in ((net.weights, nabla_w, "w"), (net.biases, nabla_b, "b")):
        for l, (P, G) in enumerate(zip(params, grads, strict=True)):
            numeric = np.zeros_like(P)
            for idx in np.ndindex(P.shape):
                saved = P[idx]
                P[idx] = saved + eps
                up = cost()
                P[idx] = saved - eps
                down = cost()
                P[idx] = saved
                numeric[idx] = (up - down) / (2 * eps)
            assert_close(G, numeric, rtol=1e-6, what=f"nabla_{name}[{l}] vs central differences")


def test_results_do_not_depend_on_the_thread_count():
    training = pairs(500, 64, 10, density=0.4)
    test = pairs(3000, 64, 10, seed=3, density=0.4)
    results = []
    for threads in (1, 2):
        with numba_threads(threads):
            net, lines, _ = run_sgd(simple_nn.Network, [64, 20, 10], training, 2, 10, 2.0, test)
            outputs = net.feedforward(np.hstack([x for x, _ in test]))
        results.append((net.weights + net.biases, lines, outputs))
    (w1, l1, o1), (w2, l2, o2) = results
    assert l1 == l2 and np.array_equal(o1, o2)
    assert all(np.array_equal(a, b) for a, b in zip(w1, w2, strict=True))


def test_the_posts_test_script_runs_with_its_import_changed(tmp_path, monkeypatch):
    """test.py with `from fastscratch.nets import simple_nn`, on a small mnist.pkl.gz read by the
    post's own loader (its ten epochs of 10 mini-batches take a moment), against the script
    with the post's simple_nn."""
    X, y = digits_like(400, seed=11)
    parts = ((X[:300], y[:300]), (X[300:350], y[300:350]), (X[350:], y[350:]))
    import gzip
    import pickle

    with gzip.open(tmp_path / "mnist.pkl.gz", "wb") as f:
        pickle.dump(parts, f)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setitem(sys.modules, "mnist_loader", ref_loader)
    source = SCRIPT.read_text()
    printed = {}
    for name, module in (("fast", "fastscratch.nets"), ("ref", "fastscratch.reference")):
        code = source.replace("from fastscratch.nets import simple_nn", f"from {module} import simple_nn")
        random.seed(7)
        np.random.seed(7)
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            exec(compile(code, str(SCRIPT), "exec"), {"__name__": "__main__"})
        printed[name] = out.getvalue().splitlines()
    assert len(printed["fast"]) == 10 and printed["fast"][0].startswith("Epoch 0: ") and printed["fast"][0].endswith(" / 50")
    assert printed["fast"] == printed["ref"]


def test_the_posts_test_script_runs_on_the_idx_loader(tmp_path, monkeypatch):
    """The same script with fastscratch's loader as its mnist_loader, reading IDX files."""
    import gzip
    import struct

    X, y = digits_like(120, seed=12)
    raw = np.round(X * 256).astype(np.uint8).reshape(-1, 28, 28)
    for stem, arr in (("train-images-idx3-ubyte", raw[:90]), ("t10k-images-idx3-ubyte", raw[90:])):
        with gzip.open(tmp_path / (stem + ".gz"), "wb") as f:
            f.write(struct.pack(">HBB3I", 0, 8, 3, *arr.shape) + arr.tobytes())
    for stem, arr in (("train-labels-idx1-ubyte", y[:90]), ("t10k-labels-idx1-ubyte", y[90:])):
        with gzip.open(tmp_path / (stem + ".gz"), "wb") as f:
            f.write(struct.pack(">HBBI", 0, 8, 1, len(arr)) + arr.astype(np.uint8).tobytes())
    monkeypatch.chdir(tmp_path)
    monkeypatch.setitem(sys.modules, "mnist_loader", mnist)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(SCRIPT.read_text(), str(SCRIPT), "exec"), {"__name__": "__main__"})
    lines = out.getvalue().splitlines()
    assert len(lines) == 10 and all(line.endswith(" / 30") for line in lines)


# ----------------------------------------------------------------------------- bad input


def test_bad_input_gives_clear_errors():
    net = simple_nn.Network([8, 4, 3])
    good = pairs(10, 8, 3, density=0.5)
    with pytest.raises(ValueError, match="8 values each"):
        net.SGD(pairs(10, 9, 3), 1, 5, 1.0)
    with pytest.raises(ValueError, match=r"test_data\[2\]: label 7 is out of range for 3"):
        net.SGD(good, 1, 5, 1.0, test_data=[(x, int(i if i != 2 else 7)) for i, (x, _) in enumerate(good)])
    bad = [(x.copy(), t) for x, t in good]
    bad[4][0][1, 0] = np.nan
    with pytest.raises(ValueError, match=r"training_data\[4\]: the input has a non-finite value"):
        net.SGD(bad, 1, 5, 1.0)
    with pytest.raises(ValueError, match="training_data is empty"):
        net.SGD([], 1, 5, 1.0)
    with pytest.raises(ValueError, match=r"training_data\[3\]: x has shape"):
        net.SGD([(x if i != 3 else x[:5], t) for i, (x, t) in enumerate(good)], 1, 5, 1.0)
    with pytest.raises(ValueError, match="each y must be 3 values"):
        net.SGD([(x, np.zeros((4, 1))) for x, _ in good], 1, 5, 1.0)
    with pytest.raises(ValueError, match="mini_batch_size"):
        net.SGD(good, 1, 0, 1.0)
    with pytest.raises(ValueError, match="eta"):
        net.SGD(good, 1, 5, float("inf"))
    with pytest.raises(ValueError, match="not an array"):
        net.evaluate(np.zeros((3, 8)))
    with pytest.raises(ValueError, match="sizes"):
        simple_nn.Network([784])
    with pytest.raises(ValueError, match="dtype"):
        simple_nn.Network([4, 2], dtype=np.int32)
    net.weights[0] = np.zeros((4, 9))
    with pytest.raises(ValueError, match=r"weights\[0\] must be \(4, 8\)"):
        net.SGD(good, 1, 5, 1.0)
