"""One text or a corpus, as the Text API's kernels read it: UTF-8 bytes cut by int64 offsets.

Every operation of :mod:`fastscratch.textapi` takes either one text (a ``str``) or a corpus:

- a list, tuple, NumPy array or pandas Series of ``str``;
- a pyarrow ``string``/``large_string`` (Chunked)Array, read from its buffers without a copy
  (a ChunkedArray of several chunks is combined once);
- a file (a ``pathlib.Path`` or other ``os.PathLike``; a ``str`` is always a text): plain text
  (``.txt``, one document per line), CSV, JSON lines or Parquet with the documents in
  ``text_column`` (default ``"text"``).

A missing document (None, NaN, an Arrow null, an empty CSV field) is a ``DatasetError`` that says
where (the policy of ``fastscratch.data.schema``); a value that is not a string is a ``TypeError``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import numpy as np

from fastscratch.errors import DatasetError
from fastscratch.extras import require_extra
from fastscratch.text.utf8 import arrow_encoded, arrow_offsets_and_data, as_arrow, is_null, readonly

__all__ = ["Corpus", "as_corpus", "read_documents", "TEXT_COLUMN"]

TEXT_COLUMN = "text"
"""The column of documents in a CSV, JSON-lines or Parquet file, unless told otherwise."""


@dataclass(frozen=True)
class Corpus:
    """Documents ``data[offsets[d]:offsets[d + 1]]`` (uint8 and int64[n + 1], both read-only).

    ``texts`` keeps the Python strings when the corpus was made from them (:meth:`text` then
    returns them as given, lone surrogates included).
    """

    data: np.ndarray
    offsets: np.ndarray
    texts: list | None = None

    def __len__(self) -> int:
        return self.offsets.shape[0] - 1

    def text(self, d: int) -> str:
        """Document ``d`` as a ``str``."""
        if self.texts is not None:
            return self.texts[d]
        return self.span(int(self.offsets[d]), int(self.offsets[d + 1]))

    def span(self, start: int, end: int) -> str:
        """The bytes ``data[start:end]`` decoded (invalid UTF-8, possible only from Arrow, as U+FFFD)."""
        return self.data[start:end].tobytes().decode("utf-8", "surrogatepass" if self.texts is not None else "replace")

    @classmethod
    def from_strings(cls, texts: list) -> "Corpus":
        """A corpus of Python strings (checked: a missing one is a ``DatasetError``, a non-string a ``TypeError``).

        pyarrow, when installed, encodes them (in C++, five times faster than a Python loop);
        anything it refuses (a lone surrogate, a missing or non-string value) takes the loop,
        which raises the located errors."""
        texts = list(texts)
        fast = _arrow_encoded(texts)
        if fast is not None:
            return fast
        parts = []
        for i, t in enumerate(texts):
            if isinstance(t, str):
                parts.append(t.encode("utf-8", "surrogatepass"))
            elif is_null(t):
                raise DatasetError(f"document {i} is missing ({t!r})", row=i + 1)
            else:
                raise TypeError(f"document {i} is a {type(t).__name__}, not a str")
        offsets = np.zeros(len(parts) + 1, dtype=np.int64)
        if parts:
            np.cumsum(np.fromiter(map(len, parts), dtype=np.int64, count=len(parts)), out=offsets[1:])
        data = np.frombuffer(b"".join(parts), dtype=np.uint8)
        return cls(readonly(data), readonly(offsets), list(texts))

    @classmethod
    def from_arrow(cls, arr) -> "Corpus":
        """A corpus over an Arrow string array's buffers (a ChunkedArray is combined into one first)."""
        import pyarrow as pa

        if isinstance(arr, pa.ChunkedArray):
            arr = arr.combine_chunks() if arr.num_chunks != 1 else arr.chunk(0)
        if arr.null_count:
            import pyarrow.compute as pc

            first = int(pc.index(pc.is_null(arr), True).as_py())
            raise DatasetError(f"document {first} is missing (null)", row=first + 1)
        offsets, data = arrow_offsets_and_data(arr)
        return cls(readonly(data), readonly(np.asarray(offsets, dtype=np.int64)))


def _arrow_encoded(texts: list) -> Corpus | None:
    """``texts`` encoded by pyarrow (``text.utf8.arrow_encoded``), or None."""
    arr = arrow_encoded(texts)
    if arr is None:
        return None
    offsets, data = arrow_offsets_and_data(arr)
    return Corpus(readonly(data), readonly(offsets), texts)


def as_corpus(texts, *, text_column: str = TEXT_COLUMN) -> tuple[Corpus, bool]:
    """``(corpus, single)``: the documents of ``texts``, and whether ``texts`` was one ``str``."""
    if isinstance(texts, str):
        return Corpus.from_strings([texts]), True
    if isinstance(texts, (bytes, bytearray)):
        raise TypeError("the Text API takes str, not bytes: decode it first")
    if isinstance(texts, os.PathLike):
        return as_corpus(read_documents(texts, text_column=text_column))[0], False
    arrow = as_arrow(texts, "the Text API")
    if arrow is not None:
        return Corpus.from_arrow(arrow), False
    if isinstance(texts, Corpus):
        return texts, False
    if hasattr(texts, "tolist") and not isinstance(texts, list):
        texts = texts.tolist()
    elif not isinstance(texts, (list, tuple)):
        try:
            texts = list(texts)
        except TypeError:
            raise TypeError(f"expected a str or a corpus of them, not {type(texts).__name__}") from None
    return Corpus.from_strings(list(texts)), False


def read_documents(path, *, text_column: str = TEXT_COLUMN, input_format: str | None = None):
    """The documents of a file, read by ``fastscratch.data.reader`` (the one reader of input
    files): a list of ``str``, or for Parquet an Arrow string array.

    Plain text (``.txt``): one document per line (line ends removed, empty lines kept as empty
    documents). CSV, JSON lines, Excel and Parquet: the ``text_column`` column, every value a
    string (``fastscratch.data.schema``'s missing-document policy: a missing one is an error that
    names the file, data row and column).
    """
    from fastscratch.data.reader import read_chunks

    chunks = list(read_chunks(os.fspath(path), text_column, fmt=input_format, columns=False))
    if chunks and hasattr(chunks[0].texts, "null_count"):  # Parquet: Arrow, zero-copy
        pa = require_extra("pyarrow", "Reading .parquet files")
        return pa.chunked_array([c.texts for c in chunks])
    return [text for chunk in chunks for text in (chunk.texts if isinstance(chunk.texts, list)
                                                    else chunk.texts.tolist())]
