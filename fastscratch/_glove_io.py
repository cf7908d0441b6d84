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
from dataclasses import dataclass, field

import numba
import numpy as np

from fastscratch.kernels import glove as _k
from fastscratch.kernels import text as _text

__all__ = ["GloveFormatError", "LoadReport", "read_glove"]

_BOM = b"\xef\xbb\xbf"
_FIELD = re.compile(r"\S+")  # the same Unicode whitespace as str.split()
DEFAULT_CHUNK = 16 << 20


class GloveFormatError(ValueError):
    """A GloVe file that cannot be read as asked; says where (file, line, column) and what."""

    def __init__(self, message: str, *, path=None, line=None, column=None, token=None):
        where = []
        if path is not None:
            where.append(str(path))
        if line is not None:
            where.append(f"line {line}")
        if column is not None:
            where.append(f"column {column}")
        super().__init__(f"{', '.join(where)}: {message}" if where else message)
        self.path = path
        self.line = line
        self.column = column
        self.token = token


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
            raise ValueError(f"on_bad_lines must be 'error', 'warn' or 'skip', not {on_bad_lines!r}")
        if nonfinite not in ("error", "allow"):
            raise ValueError(f"nonfinite must be 'error' or 'allow', not {nonfinite!r}")
        if encoding_errors not in ("strict", "replace"):
            raise ValueError(f"encoding_errors must be 'strict' or 'replace', not {encoding_errors!r}")
        if dim is not None and (int(dim) != dim or dim < 1):
            raise ValueError(f"dim must be a positive integer, not {dim!r}")
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
    ``Vectors.from_glove`` for the parameters.
    """
    r = _Reader(path, dim, on_bad_lines, nonfinite, encoding_errors)
    report = r.report
    chunk_size = max(int(chunk_size), 64)
    npieces = 2 * numba.get_num_threads()
    file_size = os.path.getsize(r.path)

    buf = np.empty(chunk_size, dtype=np.uint8)
    bounds = np.empty(npieces + 1, dtype=np.int64)
    first_line = np.empty(npieces + 1, dtype=np.int64)
    cap_lines = 0
    status = word_start = word_end = line_start = line_end = None

    matrix = None
    rows = 0
    blobs: list[np.ndarray] = []
    lengths_all: list[np.ndarray] = []
    consumed = 0  # file bytes before buf[0]
    carry = 0
    at_eof = False
    # Two buffers: the next chunk is read (GIL released) while the kernels parse this one.
    spare = np.empty(chunk_size, dtype=np.uint8)
    pending = None
    timings = report.timings
    t_start = time.perf_counter()
    with open(r.path, "rb", buffering=0) as f, ThreadPoolExecutor(max_workers=1) as reader:
        while True:
            t0 = time.perf_counter()
            if pending is not None:
                got, room_len = pending.result(), pending_room
                pending = None
                at_eof = got < room_len
                valid = carry + got
            elif not at_eof:
                room = memoryview(buf)[carry:]
                got = _readinto_full(f, room)
                at_eof = got < len(room)
                valid = carry + got
            timings["read_wait"] += time.perf_counter() - t0
            start = 0
            if consumed == 0 and valid >= 3 and bytes(buf[:3]) == _BOM:
                start = 3
                if not report.bom:
                    report.bom = True
                    report.notes.append("UTF-8 byte-order mark skipped")
            cut = _k.last_line_end(buf, valid, at_eof)
            if cut < 0:  # a line longer than the buffer: grow it
                nb = np.empty(2 * buf.shape[0], dtype=np.uint8)
                nb[:valid] = buf[:valid]
                buf = nb
                carry = valid
                continue
            # start reading the next chunk behind this one's last complete line
            if not at_eof:
                if spare.shape[0] != buf.shape[0]:
                    spare = np.empty(buf.shape[0], dtype=np.uint8)
                nxt_carry = valid - cut
                spare[:nxt_carry] = buf[cut:valid]
                room = memoryview(spare)[nxt_carry:]
                pending_room = len(room)
                pending = reader.submit(_readinto_full, f, room)
            if not r.data_seen:
                start = r.prescan(buf, start, cut)
            if not r.data_seen:
                # no data line in this chunk (blank lines only): count them and go on
                pos = start
                while pos < cut:
                    _, pos = _text.next_line(buf, pos, cut)
                    report.lines += 1
                    report.blank_lines += 1
            else:
                dim = r.dim
                t0 = time.perf_counter()
                _k.split_pieces(buf, start, cut, npieces, bounds)
                nlines = int(_k.count_pieces(buf, bounds, first_line))
                t1 = time.perf_counter()
                timings["count"] += t1 - t0
                if nlines > cap_lines:
                    cap_lines = max(nlines, 2 * cap_lines)
                    status = np.empty(cap_lines, dtype=np.int8)
                    word_start, word_end, line_start, line_end = (np.empty(cap_lines, dtype=np.int64) for _ in range(4))
                if matrix is None:
                    per_line = max((cut - start) / max(nlines, 1), 1.0)
                    est = int((file_size - consumed - start) / per_line * 1.15) + 1024
                    matrix = np.empty((max(est, nlines), dim), dtype=np.float32)
                elif rows + nlines > matrix.shape[0]:
                    per_line = max((consumed + cut) / max(rows + nlines, 1), 1.0)
                    est = rows + nlines + int((file_size - consumed - cut) / per_line * 1.15) + 1024
                    matrix.resize((max(est, int(matrix.shape[0] * 1.25)), dim), refcheck=False)
                st = status[:nlines]
                ws = word_start[:nlines]
                we = word_end[:nlines]
                ls = line_start[:nlines]
                le = line_end[:nlines]
                t0 = time.perf_counter()
                _k.parse_pieces(buf, bounds, first_line, dim, matrix, rows, st, ws, we, ls, le)
                timings["parse"] += time.perf_counter() - t0
                keep = st == _k.OK
                from_extra = np.zeros(nlines, dtype=np.bool_)
                extra_parts = []
                extra_pos = 0
                slow = np.flatnonzero(st == _k.SLOW)
                report.slow_lines += len(slow)
                for li in slow:
                    got_line = r.exact_line(bytes(buf[ls[li] : le[li]]), report.lines + int(li) + 1)
                    if got_line is None:
                        continue
                    word, values = got_line
                    matrix[rows + li] = values
                    keep[li] = True
                    from_extra[li] = True
                    ws[li] = extra_pos
                    we[li] = extra_pos + len(word)
                    extra_parts.append(word)
                    extra_pos += len(word)
                report.blank_lines += int(np.count_nonzero(st == _k.BLANK))
                extra = np.frombuffer(b"".join(extra_parts), dtype=np.uint8) if extra_parts else np.empty(0, np.uint8)
                lengths = np.empty(nlines, dtype=np.int64)
                blob = _k.gather_words(buf, extra, ws, we, from_extra, keep, lengths)
                nkeep = int(np.count_nonzero(keep))
                if nkeep < nlines:
                    _k.compact_rows(matrix, rows, keep)
                rows += nkeep
                blobs.append(blob)
                lengths_all.append(lengths[:nkeep].copy())
                report.lines += nlines
            carry = valid - cut
            consumed += cut
            if at_eof:
                break
            buf, spare = spare, buf  # the next chunk (its carried part already copied in)

    timings["total_read_glove"] = time.perf_counter() - t_start
    dim = r.dim if r.dim is not None else 0
    if matrix is None:
        matrix = np.empty((0, dim), dtype=np.float32)
    elif matrix.shape[0] != rows:
        matrix.resize((rows, dim), refcheck=False)  # realloc: trims in place, no copy
    blob = np.concatenate(blobs) if blobs else np.empty(0, dtype=np.uint8)
    offsets = np.zeros(rows + 1, dtype=np.int64)
    if rows:
        np.cumsum(np.concatenate(lengths_all), out=offsets[1:])
    report.dim = dim
    report.rows = rows
    if report.skipped_bad_lines and on_bad_lines == "warn":
        warnings.warn(
            f"{r.path}: skipped {report.skipped_bad_lines} bad line(s); first: {report.problems[0]}",
            UserWarning,
            stacklevel=3,
        )
    return matrix, blob, offsets, report
