"""Delimited text logs (CSV, TSV, TXT): encoding, delimiter, header line, and the
line every row came from.

Three ways to read, tried in this order: big files memory-mapped and parsed by
Arrow with one row per line (:func:`_read_mapped`); Arrow on the bytes with line
numbers counted (:func:`read_delimited`); and Python's ``csv`` module, which
follows quoted line breaks and ragged rows (:func:`_read_careful`). All three give
the same table (tests/test_arrow_csv.py).
"""

from __future__ import annotations

import contextlib
import csv
import io
import mmap
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import LogFormatError
from .arrow_csv import read_arrow
from .raw_table import ColumnKinds, RawTable, drop_blank_rows

__all__ = ["read_delimited", "sniff_delimiter", "DELIMITERS", "MAPPED_MIN_BYTES"]

DELIMITERS = (",", ";", "\t", "|")
_SNIFF_LINES = 50
_DELIMITER_BYTES = "".join(DELIMITERS).encode()


def _decode(data: bytes, name: str) -> tuple[str | None, bytes]:
    """Return (text or None, utf-8 bytes without BOM). Text is only decoded when the
    bytes were not UTF-8 (they are re-encoded); otherwise the caller decodes lazily."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if b"\x00" in data[:4096]:
        if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
            text = data.decode("utf-16")
            return text, text.encode("utf-8")
        raise LogFormatError(name, "is not a text file (it contains NUL bytes); expected CSV text")
    if len(data) > (1 << 22):
        # large files: the checking is left to the CSV reader, which fails on
        # invalid UTF-8 (then the file is read again as cp1252)
        return None, data
    return _as_utf8(data)


def _as_utf8(data: bytes) -> tuple[str | None, bytes]:
    try:
        data.decode("utf-8")
        return None, data
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
        return text, text.encode("utf-8")


def _line_starts(buf: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Start and end offsets (end excludes the newline and a trailing CR) of every line."""
    nl = np.flatnonzero(buf == 10)
    starts = np.concatenate(([0], nl + 1))
    ends = np.concatenate((nl, [len(buf)]))
    if len(buf) and buf[-1] == 10:  # a final newline does not start a new line
        starts, ends = starts[:-1], ends[:-1]
    has_cr = (ends > starts) & (buf[np.maximum(ends - 1, 0)] == 13)
    ends = ends - has_cr
    return starts, ends


def sniff_delimiter(sample_lines: list[str], tab: bool) -> str:
    if tab:
        return "\t"
    best, best_score = ",", (-1, -1)
    for d in DELIMITERS:
        counts = []
        for row in csv.reader(sample_lines, delimiter=d):
            if row:
                counts.append(len(row))
        if not counts or counts[0] < 2:
            continue
        consistent = sum(c == counts[0] for c in counts)
        score = (consistent, counts[0])
        if score > best_score:
            best, best_score = d, score
    return best


def _header_line(data: bytes, name: str) -> tuple[int, int, int]:
    """(1-based line number, start offset, end offset) of the first non-blank line."""
    pos, line_no = 0, 1
    while pos < len(data):
        end = data.find(b"\n", pos)
        end = len(data) if end < 0 else end
        # a line of only delimiters (",,,," from a spreadsheet) is blank, too
        if data[pos:end].translate(None, _DELIMITER_BYTES).strip():
            return line_no, pos, end
        pos, line_no = end + 1, line_no + 1
    raise LogFormatError(name, "the file is empty: expected a header line and one entry per line")


def _data_lines(data: bytes, body_start: int) -> np.ndarray:
    """1-based line numbers of the non-blank lines from ``body_start`` on (the
    careful way: every line's offsets)."""
    buf = np.frombuffer(data, dtype=np.uint8)[body_start:]
    starts, ends = _line_starts(buf)
    nonblank = ends > starts
    short = np.flatnonzero(nonblank & ((ends - starts) <= 16))
    ws = [i for i in short if not bytes(buf[starts[i] : ends[i]]).strip()]
    nonblank[ws] = False
    first = data.count(b"\n", 0, body_start) + 1
    return np.flatnonzero(nonblank).astype(np.int64) + first


#: Files larger than this are first tried on the mapped fast path (no copy of the
#: file, no line-by-line scan); a module setting so that tests can send small files
#: down the same path.
MAPPED_MIN_BYTES = 1 << 22


def read_delimited(path: Path, column_kinds: ColumnKinds, *, tab: bool) -> RawTable:
    name = str(path)
    if path.stat().st_size > MAPPED_MIN_BYTES:
        raw = _read_mapped(path, column_kinds, tab=tab)
        if raw is not None:
            return raw
    text, data = _decode(path.read_bytes(), name)
    if b"\n" not in data and b"\r" in data:  # old Mac line ends (CR only): lines all the same
        data = data.replace(b"\r", b"\n")
    header_line, h_start, h_end = _header_line(data, name)
    body_start = min(h_end + 1, len(data))
    head = data[h_start : h_start + (1 << 16)].decode("utf-8", errors="replace")
    sample = [line for line in head.splitlines() if line.strip()][:_SNIFF_LINES]
    delim = sniff_delimiter(sample, tab)
    headers = [c.strip() for c in next(csv.reader([sample[0]], delimiter=delim))]
    decimal_comma = delim == ";"
    if not data[body_start:body_start + (1 << 16)].strip() and not data[body_start:].strip():
        raise LogFormatError(
            name, f"has a header (line {header_line}: {', '.join(headers)}) but no entries below it"
        )
    kinds = column_kinds(headers)
    sample_rows = list(csv.reader(sample[1:], delimiter=delim))
    frame = None
    if '"' not in sample[0]:
        # one line per row (a quoted line break goes the careful way): line numbers
        # are then counted, never guessed from a count that may match by chance
        # (a cell can only hold a line break inside quotes)
        frame = read_arrow(data[body_start:], headers, delim, kinds, sample=sample_rows,
                           empty_lines=False, one_line_rows=data.find(b'"', body_start) >= 0)
    if frame is None and len(data) > (1 << 22):
        text, recoded = _as_utf8(data)
        if text is not None:  # not UTF-8 after all: cp1252, re-encoded
            data = recoded
            header_line, h_start, h_end = _header_line(data, name)
            body_start = min(h_end + 1, len(data))
            frame = read_arrow(data[body_start:], headers, delim, kinds, sample=sample_rows,
                               empty_lines=False,
                               one_line_rows=data.find(b'"', body_start) >= 0)
    lines = None
    if frame is not None:
        nl = np.flatnonzero(np.frombuffer(data, dtype=np.uint8)[body_start:] == 10)
        n_after = len(nl) + (0 if data.endswith(b"\n") else 1)
        # a gap of <= 2 bytes between line ends is an empty (or one-character) line
        no_blank = not len(nl) or (nl[0] > 1 and not (np.diff(nl) <= 2).any())
        if len(frame) == n_after and no_blank:
            lines = np.arange(header_line + 1, header_line + 1 + n_after, dtype=np.int64)
        else:
            candidate = _data_lines(data, body_start)
            if len(candidate) == len(frame):
                lines = candidate
    if lines is None:  # quoted line breaks, ragged rows or odd quoting: the careful reader
        frame, lines = _read_careful(data[body_start:], headers, delim, header_line, name)
    frame = drop_blank_rows(frame)
    if len(frame) != len(lines):
        lines = lines[frame.index.to_numpy()]
    frame = frame.reset_index(drop=True)
    if frame.empty:
        raise LogFormatError(
            name, f"has a header (line {header_line}: {', '.join(headers)}) but no entries below it"
        )
    return RawTable(frame, lines, name, headers, "line", decimal_comma, header_line)


def _read_mapped(path: Path, column_kinds: ColumnKinds, *, tab: bool) -> RawTable | None:
    """The common case of a big file, fast: UTF-8, unquoted header, one entry per
    line. The file is memory-mapped (not copied) and parsed by Arrow with empty lines
    kept as empty rows, so row *i* is line *i* below the header (Arrow refuses a
    line of spaces, and a cell holding a line break sends the file elsewhere).
    ``None`` when the file is anything else: the general path then reads it (and
    explains what is wrong with it)."""
    import pyarrow as pa

    name = str(path)
    with open(path, "rb") as fh:
        mm = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
    try:
        return _parse_mapped(mm, name, column_kinds, tab, pa)
    finally:
        with contextlib.suppress(BufferError):  # a view still alive: freed with it
            mm.close()


def _parse_mapped(mm: mmap.mmap, name: str, column_kinds: ColumnKinds, tab: bool, pa):
    prefix = mm[: 1 << 16]
    bom = 3 if prefix.startswith(b"\xef\xbb\xbf") else 0
    prefix = prefix[bom:]
    if b"\x00" in prefix[:4096]:
        return None
    try:
        header_line, h_start, h_end = _header_line(prefix, name)
    except LogFormatError:
        return None
    if h_end >= len(prefix):  # no complete header line in the first 64 KiB
        return None
    head = prefix[h_start:].decode("utf-8", errors="replace")
    sample = [line for line in head.splitlines() if line.strip()][:_SNIFF_LINES]
    if '"' in sample[0]:
        return None
    delim = sniff_delimiter(sample, tab)
    headers = [c.strip() for c in next(csv.reader([sample[0]], delimiter=delim))]
    start = bom + h_end + 1
    frame = read_arrow(pa.py_buffer(mm).slice(start), headers, delim, column_kinds(headers),
                       sample=list(csv.reader(sample[1:], delimiter=delim)),
                       # a cell can only hold a line break inside quotes
                       empty_lines=True, one_line_rows=mm.find(b'"', start) >= 0)
    if frame is None or frame.empty:
        return None
    n_lines = len(frame)
    lines = np.arange(header_line + 1, header_line + 1 + n_lines, dtype=np.int64)
    frame = drop_blank_rows(frame)
    if frame.empty:
        return None
    if len(frame) != n_lines:
        lines = lines[frame.index.to_numpy()]
        frame = frame.reset_index(drop=True)
    return RawTable(frame, lines, name, headers, "line", delim == ";", header_line)


def _read_careful(body: bytes, headers: list[str], delim: str, header_line: int, name: str):
    """Python's csv module, tracking the line every record starts on; ragged rows
    become problems later (the extra cells are kept in an extra column)."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        text = body.decode("cp1252", errors="replace")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delim, strict=False)
    rows, lines = [], []
    width = len(headers)
    prev_end = header_line
    extra_col = []
    try:
        for row in reader:
            start = prev_end + 1
            prev_end = header_line + reader.line_num
            if not row or all(not c.strip() for c in row):
                continue
            if len(row) > width:
                extra = row[width:]
                if any(c.strip() for c in extra):
                    extra_col.append(delim.join(extra))
                else:
                    extra_col.append(None)
                row = row[:width]
            else:
                extra_col.append(None)
                row = row + [""] * (width - len(row))
            rows.append(row)
            lines.append(start)
    except csv.Error as exc:
        raise LogFormatError(name, f"line {prev_end + 1}: {exc}") from exc
    frame = pd.DataFrame(rows, columns=list(range(width)), dtype=object)
    frame = frame.replace("", None)
    if any(e is not None for e in extra_col):
        frame[width] = pd.Series(extra_col, dtype=object)
    return frame, np.asarray(lines, dtype=np.int64)
