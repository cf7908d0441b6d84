"""fastscratch.data.mnist on small IDX and pickle files made here, the embedded digits, PairList."""

import gzip
import pickle
import random
import struct

import numpy as np
import pytest

from fastscratch.data import mnist
from fastscratch.errors import DatasetError
from fastscratch.pairs import PairList
from fastscratch.reference import mnist_loader as ref_loader


def idx_bytes(arr: np.ndarray, code: int = 0x08) -> bytes:
    return struct.pack(">HBB", 0, code, arr.ndim) + struct.pack(f">{arr.ndim}I", *arr.shape) + arr.astype(">u1").tobytes()


def write(path, data: bytes, gz: bool = True):
    with (gzip.open if gz else open)(path, "wb") as f:
        f.write(data)
    return path


@pytest.fixture
def idx_dir(tmp_path):
    g = np.random.default_rng(0)
    train = g.integers(0, 256, (60, 28, 28), dtype=np.uint8)
    train_labels = g.integers(0, 10, 60, dtype=np.uint8)
    test = g.integers(0, 256, (12, 28, 28), dtype=np.uint8)
    test_labels = g.integers(0, 10, 12, dtype=np.uint8)
    write(tmp_path / "train-images-idx3-ubyte.gz", idx_bytes(train))
    write(tmp_path / "train-labels-idx1-ubyte.gz", idx_bytes(train_labels))
    write(tmp_path / "t10k-images-idx3-ubyte", idx_bytes(test), gz=False)  # an uncompressed one
    write(tmp_path / "t10k-labels.idx1-ubyte.gz", idx_bytes(test_labels))  # the dotted spelling
    return tmp_path, (train, train_labels, test, test_labels)


def test_idx_files_load_as_the_pickles_arrays(idx_dir):
    path, (train, train_labels, test, test_labels) = idx_dir
    (trX, trY), (vaX, vaY), (teX, teY) = mnist.load_idx(path)
    assert trX.shape == (50, 784) and vaX.shape == (10, 784) and teX.shape == (12, 784)
    assert trX.dtype == np.float32 and trY.dtype == np.int64
    assert np.array_equal(trX, train[:50].reshape(50, -1) / np.float32(256))  # the pickle's k/256 pixels
    assert np.array_equal(vaY, train_labels[50:]) and np.array_equal(teY, test_labels)
    assert trX.max() < 1.0
    (_, _), (vaX3, _), _ = mnist.load_idx(path, validation=3)
    assert vaX3.shape == (3, 784)


def test_load_data_together_is_the_posts_format(idx_dir, monkeypatch):
    path, _ = idx_dir
    monkeypatch.chdir(path)
    training, validation, test = mnist.load_data_together()
    assert isinstance(training, PairList) and isinstance(training, list)
    x, y = test[0]
    assert x.shape == (784, 1) and x.dtype == np.float32 and y.shape == (10, 1) and y.sum() == 1.0
    _, _, test_int = mnist.load_data_wrapper(path)
    assert isinstance(test_int[0][1], int) and test_int[0][1] == int(np.argmax(y))
    assert np.array_equal(mnist.one_hot_encode(3), ref_loader.one_hot_encode(3))


def test_the_pickle_is_refused_without_the_opt_in(tmp_path):
    path = tmp_path / "mnist.pkl.gz"
    with gzip.open(path, "wb") as f:
        pickle.dump(((np.zeros((2, 4), np.float32), np.array([1, 2])),) * 3, f)
    with pytest.raises(DatasetError, match="pickle, which can run arbitrary code") as err:
        mnist.load_pickle(path)
    assert err.value.path == str(path)
    with pytest.raises(DatasetError, match="allow_pickle=True"):
        mnist.load_data(path)
    with pytest.raises(DatasetError, match="allow_pickle=True"):
        mnist.load_data_together(path)


def test_the_pickle_with_the_opt_in_equals_the_posts_loader(tmp_path):
    g = np.random.default_rng(1)
    parts = tuple((g.random((n, 784)).astype(np.float32), g.integers(0, 10, n)) for n in (30, 10, 8))
    path = tmp_path / "mnist.pkl.gz"
    with gzip.open(path, "wb") as f:
        pickle.dump(parts, f)
    ours = mnist.load_data_together(path, allow_pickle=True)
    theirs = ref_loader.load_data_together(path)
    for a, b in zip(ours, theirs):
        b = list(b)
        assert len(a) == len(b)
        for (xa, ya), (xb, yb) in zip(a, b):
            assert xa.dtype == xb.dtype and np.array_equal(xa, xb) and np.array_equal(ya, yb)


@pytest.mark.parametrize("content, message", [
    (((np.zeros((2, 4)), np.array([1, 2])),), "expected \\(training, validation, test\\)"),
    (((np.zeros((2, 4)), np.array([1, 2])),) * 2 + ((np.zeros((2, 5)), np.array([1, 2])),), "5 pixels"),
    (((np.full((2, 4), 2.0), np.array([1, 2])),) * 3, "in \\[0, 1\\]"),
    (((np.zeros((2, 4)), np.array([1, 12])),) * 3, "digits 0-9"),
    (((np.zeros((3, 4)), np.array([1, 2])),) * 3, "images \\(3, 4\\) and labels \\(2,\\)"),
])
def test_a_malformed_pickle_is_reported(tmp_path, content, message):
    path = tmp_path / "mnist.pkl.gz"
    with gzip.open(path, "wb") as f:
        pickle.dump(content, f)
    with pytest.raises(DatasetError, match=message):
        mnist.load_pickle(path, allow_pickle=True)


def test_bad_idx_files_give_located_errors(tmp_path):
    labels = np.arange(10, dtype=np.uint8) % 10
    p = write(tmp_path / "a.gz", b"\x01\x00" + idx_bytes(labels)[2:])
    with pytest.raises(DatasetError, match="a.gz: magic number 0100.* at byte 0"):
        mnist.read_idx(p)
    p = write(tmp_path / "b.gz", idx_bytes(labels)[:2] + b"\x07" + idx_bytes(labels)[3:])
    with pytest.raises(DatasetError, match="element type 0x07 at byte 2"):
        mnist.read_idx(p)
    p = write(tmp_path / "c.gz", idx_bytes(labels))
    with pytest.raises(DatasetError, match="byte 3 says 1 dimensions, expected 3"):
        mnist.read_idx(p, ndim=3)
    p = write(tmp_path / "d.gz", idx_bytes(labels)[:-3])
    with pytest.raises(DatasetError, match=r"declares shape \(10,\).*10 bytes of data, but 7 bytes follow"):
        mnist.read_idx(p)
    p = write(tmp_path / "e", b"\x00\x00", gz=False)
    with pytest.raises(DatasetError, match="too short for an IDX header"):
        mnist.read_idx(p)
    assert np.array_equal(mnist.read_idx(write(tmp_path / "ok", idx_bytes(labels), gz=False)), labels)


def test_inconsistent_idx_sets_are_reported(idx_dir):
    path, (train, train_labels, test, test_labels) = idx_dir
    write(path / "train-labels-idx1-ubyte.gz", idx_bytes(train_labels[:59]))
    with pytest.raises(DatasetError, match="59 labels for the 60 images"):
        mnist.load_idx(path)
    bad = train_labels.copy()
    bad[5] = 12
    write(path / "train-labels-idx1-ubyte.gz", idx_bytes(bad))
    with pytest.raises(DatasetError, match="label 12 of image 5 \\(byte 13\\)") as err:
        mnist.load_idx(path)
    assert err.value.row == 6
    write(path / "train-labels-idx1-ubyte.gz", idx_bytes(train_labels))
    with pytest.raises(DatasetError, match="cannot hold out 60"):
        mnist.load_idx(path, validation=60)
    (path / "t10k-images-idx3-ubyte").unlink()
    with pytest.raises(DatasetError, match="no t10k-images-idx3-ubyte"):
        mnist.load_idx(path)


def test_load_data_without_files_explains_and_downloads_nothing(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(DatasetError, match="Nothing is downloaded"):
        mnist.load_data()
    with pytest.raises(DatasetError, match="no such file"):
        mnist.load_data(tmp_path / "missing.pkl.gz")


def test_the_embedded_digits():
    (trX, trY), (vaX, vaY), (teX, teY) = mnist.load_digits()
    assert (len(trX), len(vaX), len(teX)) == mnist.DIGITS_SPLIT
    assert trX.shape[1] == 64 and trX.dtype == np.float32 and 0.0 <= trX.min() and trX.max() <= 1.0
    assert set(np.unique(trY)) == set(range(10))
    training, _, test = mnist.digits_together()
    assert training[0][0].shape == (64, 1) and training[0][1].shape == (10, 1)


def test_pair_list_forgets_its_arrays_on_any_change():
    X = np.zeros((4, 3), np.float32)
    y = np.array([0, 1, 2, 1])
    for change in (lambda p: p.append(p[0]), lambda p: p.pop(), lambda p: p.__setitem__(0, p[1]),
                   lambda p: p.reverse(), lambda p: p.sort(key=lambda q: q[1].argmax()), lambda p: random.shuffle(p),
                   lambda p: p.extend([]), lambda p: p.__delitem__(slice(0, 1)), lambda p: p.clear()):
        p = mnist.as_pairs(X, y, classes=3)
        assert p.arrays() is not None and p.derived("k", lambda: 1) == 1
        change(p)
        assert p.arrays() is None and p.derived("k", lambda: 2) is None
    p = mnist.as_pairs(X, y, classes=3)
    assert isinstance(list(p), list) and not isinstance(list(p), PairList)
    with pytest.raises(ValueError, match="out of range"):
        mnist.as_pairs(X, np.array([0, 1, 5, 1]), classes=3)
    with pytest.raises(ValueError, match="integer labels"):
        mnist.as_pairs(X, np.array([0.0, 1.0, 2.0, 1.0]))
