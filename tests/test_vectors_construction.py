"""One construction path for ``Vectors``: every constructor ends in ``__init__``, a reopened store
is the store that was saved, and the fingerprint is a cached property of the store."""

import hashlib

import numpy as np
import pytest

from fastscratch.app.classifier import vectors_fingerprint
from fastscratch.errors import ParameterError, VectorStoreError
from fastscratch.text.vectors import Vectors
from tests.helpers import assert_identical

WORDS = ["the", "cat", "naïve", "the"]  # a repeated word: from_words merges it


@pytest.fixture
def built():
    matrix = np.arange(8, dtype=np.float32).reshape(4, 2)
    raw = [w.encode() for w in WORDS]
    blob = np.frombuffer(b"".join(raw), np.uint8).copy()
    offsets = np.concatenate([[0], np.cumsum([len(w) for w in raw])]).astype(np.int64)
    return Vectors.from_words(matrix, blob, offsets)


def expected_fingerprint(v) -> dict:
    """Today's definition: SHA-256 of the offsets' bytes, the blob's bytes, then the matrix's."""
    h = hashlib.sha256()
    for a in (v.offsets, v.blob, v.matrix):
        h.update(np.ascontiguousarray(a).tobytes())
    return {"dim": v.dim, "count": len(v), "sha256": h.hexdigest()}


def assert_same_store(a, b):
    """Every attribute equal, but ``location``: where each can be reopened from."""
    assert set(vars(a)) == set(vars(b)), (sorted(vars(a)), sorted(vars(b)))
    for name, value in vars(a).items():
        if name == "location":
            continue
        other = vars(b)[name]
        if isinstance(value, np.ndarray):
            assert_identical(other, value, what=name)
        else:
            assert other == value, name


def test_a_loaded_store_equals_the_built_one_in_every_attribute(built, tmp_path):
    built.save(tmp_path / "store")
    loaded = Vectors.load(tmp_path / "store")
    assert isinstance(loaded.matrix, np.memmap)  # through __init__, and still mapped
    assert_same_store(built, loaded)
    assert built.location is None and loaded.location == str(tmp_path / "store")
    in_memory = Vectors.load(tmp_path / "store", mmap=False)
    assert not isinstance(in_memory.matrix, np.memmap)
    assert_same_store(built, in_memory)
    assert loaded.words == built.words == ["the", "cat", "naïve"]
    assert_same_store(built, loaded)  # with the words' cache filled on both


def test_load_goes_through_init(built, tmp_path, monkeypatch):
    built.save(tmp_path / "store", source={"path": "/g.txt", "size": 3, "mtime_ns": 4})
    calls = []
    real = Vectors.__init__

    def spy(self, *args, **kwargs):
        calls.append(kwargs)
        real(self, *args, **kwargs)

    monkeypatch.setattr(Vectors, "__init__", spy)
    loaded = Vectors.load(tmp_path / "store")
    assert len(calls) == 1 and loaded.source == {"path": "/g.txt", "size": 3, "mtime_ns": 4}
    assert loaded.report is None and not hasattr(loaded, "_header")


def test_fingerprint_is_cached_and_survives_save_and_load(built, tmp_path):
    assert "fingerprint" not in vars(built)
    fp = built.fingerprint
    assert fp == expected_fingerprint(built)
    assert built.fingerprint is fp and vars(built)["fingerprint"] is fp  # computed once
    assert vectors_fingerprint(built) is fp
    built.save(tmp_path / "store")
    loaded = Vectors.load(tmp_path / "store")
    assert loaded.fingerprint == fp and not hasattr(loaded, "_fastscratch_fingerprint")


def test_fingerprint_of_a_mapped_store_in_slices(built, tmp_path, monkeypatch):
    """Hashed a slice at a time: the same digest as hashing the whole matrix at once."""
    import fastscratch.text.vectors as module

    built.save(tmp_path / "store")
    monkeypatch.setattr(module, "_FINGERPRINT_SLICE", 8)  # one row of 2 float32 per slice
    assert Vectors.load(tmp_path / "store").fingerprint == expected_fingerprint(built)


def test_init_checks_a_given_table(built):
    arrays = (built.matrix, built.blob, built.offsets)
    again = Vectors(*arrays, built.hashes, built.table)
    assert_same_store(built, again)
    with pytest.raises(ParameterError, match="hashes must be uint64"):
        Vectors(*arrays, built.hashes[:-1], built.table)
    with pytest.raises(ParameterError, match="table must be uint64"):
        Vectors(*arrays, built.hashes, built.table[:-1])
    with pytest.raises(ParameterError, match="repeated word"):
        Vectors(np.zeros((2, 2), np.float32), np.frombuffer(b"aa", np.uint8).copy(), np.array([0, 1, 2], np.int64))


def test_a_store_whose_arrays_break_init_is_a_damaged_store(built, tmp_path):
    built.save(tmp_path / "store")
    np.save(tmp_path / "store" / "hashes.npy", built.hashes.astype(np.int64))
    with pytest.raises(VectorStoreError, match="hashes must be uint64.*a damaged store") as info:
        Vectors.load(tmp_path / "store")
    assert info.value.path == str(tmp_path / "store")
