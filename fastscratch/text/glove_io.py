"""Streaming GloVe text reader: fixed-size chunks, parallel kernels, an exact Python path for odd lines.

The file is read with ``readinto`` into one reusable buffer (never whole, never memory-mapped),
cut after its last complete line; each chunk is split into pieces of whole lines that the
kernels count and parse in parallel straight into the output matrix. The matrix is allocated
once from an estimate of the row count (pages never touched cost no memory) and grown or trimmed
in place with ``ndarray.resize`` (``realloc``), so the peak stays close to the final matrix.

Lines the kernel does not handle exactly (odd number syntax, ``nan``/``inf``, wrong field count,
a word with spaces, non-ASCII whitespace, invalid UTF-8) are re-read here with the reference's
own rules: ``line.split()`` and ``np.asarray(values, dtype='float32')``.
"""

from __future__ import annotations

import os
import re
import time
import warnings
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing
from dataclasses import dataclass, field
from typing import Iterator

import numba
import numpy as np

from fastscratch.errors import GloveFormatError, ParameterError
from fastscratch.kernels import glove as _k
from fastscratch.kernels import text as _text

__all__ = ["GloveFormatError", "LoadReport", "read_glove"]

_BOM = b"\xef\xbb\xbf"
_FIELD = re.compile(r"\S+")  # the same Unicode whitespace as str.split()
DEFAULT_CHUNK = 16 << 20


@dataclass
class LoadReport:
    """What ``read_glove`` met on the way (counts and notes), attached to the store it built."""

    path: str = ""
    dim: int = 0
    lines: int = 0
    rows: int = 0
    blank_lines: int = 0
    duplicates: int = 0
    skipped_bad_lines: int = 0
    replaced_utf8_lines: int = 0
    slow_lines: int = 0
    header: tuple[int, int] | None = None
    bom: bool = False
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    timings: dict = field(default_factory=lambda: {"read_wait": 0.0, "count": 0.0, "parse": 0.0})


def _is_number(token: str) -> bool:
    try:
        with np.errstate(over="ignore"):
            np.asarray([token], dtype="float32")
    except ValueError:
        return False
    return True


class _Reader:
    def __init__(self, path, dim, on_bad_lines, nonfinite, encoding_errors):
        if on_bad_lines not in ("error", "warn", "skip"):
            raise ParameterError(f"on_bad_lines must be 'error', 'warn' or 'skip', not {on_bad_lines!r}")
        if nonfinite not in ("error", "allow"):
            raise ParameterError(f"nonfinite must be 'error' or 'allow', not {nonfinite!r}")
        if encoding_errors not in ("strict", "replace"):
            raise ParameterError(f"encoding_errors must be 'strict' or 'replace', not {encoding_errors!r}")
        if dim is not None and (int(dim) != dim or dim < 1):
            raise ParameterError(f"dim must be a positive integer, not {dim!r}")
        self.path = os.fspath(path)
        self.dim = None if dim is None else int(dim)
        self.asked_dim = self.dim
        self.on_bad_lines = on_bad_lines
        self.nonfinite = nonfinite
        self.encoding_errors = encoding_errors
        self.report = LoadReport(path=self.path)
        self.header_checked = False
        self.data_seen = False

    # -- one odd line, the reference's way -------------------------------------------------
    def bad(self, message, line, column=None, token=None):
        err = GloveFormatError(message, path=self.path, line=line, column=column, token=token)
        if self.on_bad_lines == "error":
            raise err
        self.report.skipped_bad_lines += 1
        if len(self.report.problems) < 20:
            self.report.problems.append(str(err))
        return None

    def exact_line(self, raw: bytes, lineno: int):
        """``None`` (blank or skipped) or ``(word_bytes, float32[dim])``."""
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            if self.encoding_errors == "replace":
                text = raw.decode("utf-8", "replace")
                self.report.replaced_utf8_lines += 1
            else:
                return self.bad(
                    f"invalid UTF-8 (byte {raw[exc.start:exc.start + 1]!r}); "
                    "pass encoding_errors='replace' to read it anyway",
                    lineno,
                    column=exc.start + 1,
                )
        fields = list(_FIELD.finditer(text))
        if not fields:
            return None
        dim = self.dim
        nvals = len(fields) - 1
        if nvals < dim:
            return self.bad(f"{nvals} values, expected {dim}", lineno)
        if nvals > dim:
            # glove.840B has words with spaces ('. . .'): the last `dim` fields are the vector.
            if _is_number(fields[1].group()):
                return self.bad(f"{nvals} values, expected {dim}", lineno)
            word = text[fields[0].start() : fields[len(fields) - dim - 1].end()]
        else:
            word = fields[0].group()
        tokens = [m.group() for m in fields[len(fields) - dim :]]
        try:
            with np.errstate(over="ignore"):  # overflow to inf is reported below as non-finite
                values = np.asarray(tokens, dtype="float32")
        except ValueError:
            for m in fields[len(fields) - dim :]:
                if not _is_number(m.group()):
                    return self.bad(f"not a number: {m.group()!r}", lineno, column=m.start() + 1, token=m.group())
            raise  # pragma: no cover - the loop above finds it
        if self.nonfinite == "error":
            finite = np.isfinite(values)
            if not finite.all():
                m = fields[len(fields) - dim + int(np.argmin(finite))]
                return self.bad(
                    f"non-finite value {m.group()!r} (pass nonfinite='allow' to keep it)",
                    lineno,
                    column=m.start() + 1,
                    token=m.group(),
                )
        return word.encode("utf-8"), values

    # -- the start of the file: BOM, word2vec header, dimension ------------------------------
    def prescan(self, buf, start, end):
        """Look at the first lines of the file. Returns the new start (after a word2vec header).

        Sets ``self.dim`` from the first data line when it was not given; leaves it None when
        ``buf[start:end]`` holds no data line yet.
        """
        i = start
        k = 0  # lines looked at in this call
        while i < end:
            le, nxt = _text.next_line(buf, i, end)
            k += 1
            lineno = self.report.lines + k
            fields = bytes(buf[i:le]).decode("utf-8", "replace").split()
            if not fields:
                i = nxt
                continue
            if not self.header_checked:
                self.header_checked = True
                if len(fields) == 2 and all(f.isascii() and f.isdigit() for f in fields):
                    self.report.header = (int(fields[0]), int(fields[1]))
                    self.report.notes.append(
                        f"line {lineno}: word2vec header '{fields[0]} {fields[1]}' detected and skipped"
                    )
                    # consume the header and the blank lines before it
                    self.report.lines += k
                    self.report.blank_lines += k - 1
                    k = 0
                    start = i = nxt
                    continue
            nvals = len(fields) - 1
            hdr_dim = self.report.header[1] if self.report.header else None
            if self.dim is None:
                if nvals < 1:
                    raise GloveFormatError(
                        "the first row has no values: cannot infer the dimension", path=self.path, line=lineno
                    )
                self.dim = nvals
            spaced_word = nvals > self.dim and not _is_number(fields[1])
            if nvals != self.dim and not spaced_word:
                raise GloveFormatError(
                    f"the file has {nvals} values per row, but dim={self.dim} was asked for",
                    path=self.path,
                    line=lineno,
                )
            if hdr_dim is not None and hdr_dim != self.dim:
                raise GloveFormatError(
                    f"the word2vec header says {hdr_dim} dimensions, but the rows have {self.dim}",
                    path=self.path,
                    line=lineno,
                )
            self.data_seen = True
            break
        return start


def _readinto_full(f, mv) -> int:
    got = 0
    while got < len(mv):
        n = f.readinto(mv[got:])
        if not n:
            break
        got += n
    return got


def _line_chunks(f, chunk_size: int, timings: dict) -> Iterator[tuple[np.ndarray, int, int]]:
    """The file in chunks of whole lines: yields ``(buf, cut, consumed)``.

    ``buf[:cut]`` (uint8) holds the file's bytes from offset ``consumed``, ending at a line end
    (or at the end of the file). The partial line after ``cut`` is carried over to the front of
    the next chunk, whose rest is read in the background while the caller works on this one: two
    buffers take turns, and ``buf`` is valid until the next chunk is asked for. A buffer without
    a line end (a line longer than it) is doubled. Waits for reads go to ``timings["read_wait"]``.
    """
    buf = np.empty(chunk_size, dtype=np.uint8)
    spare = np.empty(chunk_size, dtype=np.uint8)
    carry = 0  # bytes of a partial line at the front of buf
    consumed = 0  # file bytes before buf[0]
    with ThreadPoolExecutor(max_workers=1) as pool:
        pending = None  # (the background read into buf[carry:], its room)
        while True:
            t0 = time.perf_counter()
            if pending is None:
                room = len(buf) - carry
                got = _readinto_full(f, memoryview(buf)[carry:])
            else:
                future, room = pending
                got = future.result()
            timings["read_wait"] += time.perf_counter() - t0
            at_eof = got < room
            valid = carry + got
            cut = _k.last_line_end(buf, valid, at_eof)
            if cut < 0:  # no line end: a line longer than the buffer
                grown = np.empty(2 * len(buf), dtype=np.uint8)
                grown[:valid] = buf[:valid]
                buf, carry, pending = grown, valid, None
                continue
            pending = None
            if not at_eof:  # carry the partial last line over and read the rest behind it
                if len(spare) != len(buf):
                    spare = np.empty(len(buf), dtype=np.uint8)
                carry = valid - cut
                spare[:carry] = buf[cut:valid]
                pending = (pool.submit(_readinto_full, f, memoryview(spare)[carry:]), len(spare) - carry)
            yield buf, cut, consumed
            if at_eof:
                return
            consumed += cut
            buf, spare = spare, buf


class _Rows:
    """The rows parsed so far: one float32 matrix grown in place, and the words chunk by chunk.

    The matrix is allocated once from an estimate of the file's row count (pages never touched
    cost no memory) and grown or trimmed with ``ndarray.resize`` (``realloc``), so the peak
    stays close to the final matrix.
    """

    def __init__(self, file_size: int, dim: int):
        self.file_size = file_size
        self.dim = dim
        self.matrix: np.ndarray | None = None
        self.count = 0
        self.blobs: list[np.ndarray] = []
        self.lengths: list[np.ndarray] = []

    def reserve(self, nlines: int, consumed: int, start: int, cut: int) -> None:
        """Room for ``nlines`` more rows from the chunk ``[start, cut)`` at file offset ``consumed``."""
        if self.matrix is None:
            per_line = max((cut - start) / max(nlines, 1), 1.0)
            est = int((self.file_size - consumed - start) / per_line * 1.15) + 1024
            self.matrix = np.empty((max(est, nlines), self.dim), dtype=np.float32)
        elif self.count + nlines > self.matrix.shape[0]:
            per_line = max((consumed + cut) / max(self.count + nlines, 1), 1.0)
            est = self.count + nlines + int((self.file_size - consumed - cut) / per_line * 1.15) + 1024
            self.matrix.resize((max(est, int(self.matrix.shape[0] * 1.25)), self.dim), refcheck=False)

    def add(self, nrows: int, blob: np.ndarray, lengths: np.ndarray) -> None:
        """Count ``nrows`` rows written after the last ones, with their words (``lengths``: int64[nrows])."""
        self.count += nrows
        self.blobs.append(blob)
        self.lengths.append(lengths)

    def finish(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """``(matrix float32[n, dim], blob uint8, offsets int64[n + 1])``; the matrix trimmed in place."""
        matrix = self.matrix
        if matrix is None:
            matrix = np.empty((0, self.dim), dtype=np.float32)
        elif matrix.shape[0] != self.count:
            matrix.resize((self.count, self.dim), refcheck=False)  # realloc: trims in place, no copy
        blob = np.concatenate(self.blobs) if self.blobs else np.empty(0, dtype=np.uint8)
        offsets = np.zeros(self.count + 1, dtype=np.int64)
        if self.count:
            np.cumsum(np.concatenate(self.lengths), out=offsets[1:])
        return matrix, blob, offsets


class _LineTable:
    """The parse kernels' bookkeeping, reused across chunks: the pieces of a chunk (``bounds``,
    ``first_line``: int64[npieces + 1]) and the per-line outputs of ``parse_pieces``."""

    def __init__(self, npieces: int):
        self.bounds = np.empty(npieces + 1, dtype=np.int64)
        self.first_line = np.empty(npieces + 1, dtype=np.int64)
        self.capacity = 0

    def views(self, nlines: int) -> tuple[np.ndarray, ...]:
        """``(status int8, word_start, word_end, line_start, line_end int64)``, each ``[nlines]``."""
        if nlines > self.capacity:
            self.capacity = max(nlines, 2 * self.capacity)
            self.status = np.empty(self.capacity, dtype=np.int8)
            self.ranges = [np.empty(self.capacity, dtype=np.int64) for _ in range(4)]
        return (self.status[:nlines], *(a[:nlines] for a in self.ranges))


def _parse_chunk(r: _Reader, rows: _Rows, lines: _LineTable, buf: np.ndarray, start: int, cut: int,
                 consumed: int) -> None:
    """Parse the lines ``buf[start:cut]`` into ``rows``: the kernels in parallel pieces, then the
    exact Python path for the lines they flag ``SLOW``; blank and skipped lines leave no row."""
    report = r.report
    timings = report.timings
    bounds, first_line = lines.bounds, lines.first_line
    t0 = time.perf_counter()
    _k.split_pieces(buf, start, cut, len(bounds) - 1, bounds)
    nlines = int(_k.count_pieces(buf, bounds, first_line))
    timings["count"] += time.perf_counter() - t0
    rows.reserve(nlines, consumed, start, cut)
    st, ws, we, ls, le = lines.views(nlines)
    t0 = time.perf_counter()
    _k.parse_pieces(buf, bounds, first_line, r.dim, rows.matrix, rows.count, st, ws, we, ls, le)
    timings["parse"] += time.perf_counter() - t0
    keep = st == _k.OK
    from_extra = np.zeros(nlines, dtype=np.bool_)
    extra = _exact_lines(r, rows, buf, st, ws, we, ls, le, keep, from_extra)
    report.blank_lines += int(np.count_nonzero(st == _k.BLANK))
    lengths = np.empty(nlines, dtype=np.int64)
    blob = _k.gather_words(buf, extra, ws, we, from_extra, keep, lengths)
    nkeep = int(np.count_nonzero(keep))
    if nkeep < nlines:
        _k.compact_rows(rows.matrix, rows.count, keep)
    rows.add(nkeep, blob, lengths[:nkeep].copy())
    report.lines += nlines


def _exact_lines(r: _Reader, rows: _Rows, buf, st, ws, we, ls, le, keep, from_extra) -> np.ndarray:
    """Re-read the ``SLOW`` lines with the reference's rules: a good one gets its row and
    ``keep``, and its word (as Python split it) in the returned bytes (uint8) at ``[ws, we)``
    with ``from_extra`` set."""
    parts = []
    pos = 0
    slow = np.flatnonzero(st == _k.SLOW)
    r.report.slow_lines += len(slow)
    for li in slow:
        got = r.exact_line(bytes(buf[ls[li] : le[li]]), r.report.lines + int(li) + 1)
        if got is None:
            continue
        word, values = got
        rows.matrix[rows.count + li] = values
        keep[li] = True
        from_extra[li] = True
        ws[li] = pos
        we[li] = pos + len(word)
        parts.append(word)
        pos += len(word)
    return np.frombuffer(b"".join(parts), dtype=np.uint8) if parts else np.empty(0, np.uint8)


def _skip_bom(buf: np.ndarray, cut: int, consumed: int, report: LoadReport) -> int:
    """Where the lines of a chunk start: past a UTF-8 byte-order mark at the start of the file."""
    if consumed == 0 and cut >= 3 and bytes(buf[:3]) == _BOM:
        report.bom = True
        report.notes.append("UTF-8 byte-order mark skipped")
        return 3
    return 0


def _count_blank_lines(buf: np.ndarray, start: int, cut: int, report: LoadReport) -> None:
    """Count the lines of ``buf[start:cut]``, all blank (no data line yet)."""
    pos = start
    while pos < cut:
        _, pos = _text.next_line(buf, pos, cut)
        report.lines += 1
        report.blank_lines += 1


def _no_vectors(r: _Reader) -> GloveFormatError:
    """The error for a file without a single data line."""
    report = r.report
    if report.header is not None:
        what = "only a word2vec header"
    elif report.lines:
        what = f"only {report.lines} blank line(s)"
    elif report.bom:
        what = "only a byte-order mark"
    else:
        what = "it is empty"
    return GloveFormatError(f"the file holds no vectors ({what})", path=r.path)


def read_glove(
    path,
    dim: int | None = None,
    on_bad_lines: str = "error",
    *,
    nonfinite: str = "error",
    encoding_errors: str = "strict",
    chunk_size: int = DEFAULT_CHUNK,
):
    """Read a GloVe text file into ``(matrix float32[n, dim], blob uint8, offsets int64[n + 1], report)``.

    Rows are in file order; repeated words are *not* merged here (see ``Vectors``). See
    ``Vectors.from_glove`` for the parameters. A file without a data line (empty, or only a
    byte-order mark, blank lines or a word2vec header) raises ``GloveFormatError``.
    """
    r = _Reader(path, dim, on_bad_lines, nonfinite, encoding_errors)
    report = r.report
    file_size = os.path.getsize(r.path)
    lines = _LineTable(npieces=2 * numba.get_num_threads())
    rows = None  # a _Rows once the dimension is known
    t_start = time.perf_counter()
    with open(r.path, "rb", buffering=0) as f, \
            closing(_line_chunks(f, max(int(chunk_size), 64), report.timings)) as chunks:
        for buf, cut, consumed in chunks:
            start = _skip_bom(buf, cut, consumed, report)
            if not r.data_seen:
                start = r.prescan(buf, start, cut)
            if not r.data_seen:
                _count_blank_lines(buf, start, cut, report)
                continue
            if rows is None:
                rows = _Rows(file_size, r.dim)
            _parse_chunk(r, rows, lines, buf, start, cut, consumed)
    if rows is None:
        raise _no_vectors(r)
    report.timings["total_read_glove"] = time.perf_counter() - t_start
    matrix, blob, offsets = rows.finish()
    report.dim = r.dim
    report.rows = rows.count
    if report.skipped_bad_lines and on_bad_lines == "warn":
        warnings.warn(
            f"{r.path}: skipped {report.skipped_bad_lines} bad line(s); first: {report.problems[0]}",
            UserWarning,
            stacklevel=3,
        )
    return matrix, blob, offsets, report
