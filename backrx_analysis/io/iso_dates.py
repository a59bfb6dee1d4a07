"""The usual ISO dates and timestamps, read a whole column at a time.

A phone app writes one timestamp per entry, nearly every one distinct
(``2025-10-05T07:29:15-05:00``), so parsing each distinct value once does not help
there. :func:`parse_iso` reads such a column from the bytes of its Arrow string
array with numpy: values of one length share one layout (``YYYY-MM-DD``, then
optionally ``T`` or a space, ``HH:MM``, ``:SS``, and ``Z`` or ``+HH``, ``+HHMM``,
``+HH:MM``), so each is a row of a fixed-width byte matrix whose columns are the
digits of each field.

It accepts only what the careful per-value parser (:func:`.dates.parse_dates`)
accepts and reads the same way: the day and the wall-clock time *as written*,
never converted to UTC. Anything else (a fraction of a second, spaces around the
value, a date without its time but with an offset, an impossible day, hour or
offset, a year out of range, any other layout) is left to that parser, which says
what is wrong with it in the same words as always.
"""

from __future__ import annotations

import numpy as np

from .cells import PLAUSIBLE_YEARS

__all__ = ["IsoParse", "parse_iso"]

_DAY_NS = 86_400 * 10**9
_NAT_I8 = np.iinfo(np.int64).min
#: values read at a time: their byte matrix stays in the processor's cache
_CHUNK = 1 << 15
#: the offset part by its length: Z, +HH, +HHMM, +HH:MM
_ZONES = {0: "", 1: "Z", 3: "+dd", 5: "+dddd", 6: "+dd:dd"}


class IsoParse:
    """Per value: ``ok`` (read here; the others are left to the careful parser),
    ``date`` and ``timestamp`` (int64 nanoseconds, NaT where not ``ok`` or, for
    ``timestamp``, where no time is written), ``offset`` (minutes east of UTC) and
    ``offset_known``."""

    def __init__(self, n: int):
        self.ok = np.zeros(n, dtype=bool)
        self.date = np.full(n, _NAT_I8, dtype=np.int64)
        self.timestamp = np.full(n, _NAT_I8, dtype=np.int64)
        self.offset = np.zeros(n, dtype=np.int32)
        self.offset_known = np.zeros(n, dtype=bool)


def _layout(length: int, seconds: bool) -> str | None:
    """The template of a value of ``length`` bytes: ``d`` a digit, ``T`` a ``T`` or a
    space, ``+`` a sign, other characters themselves; ``None`` when no layout the
    fast path reads has that length."""
    if length == 10:
        return "dddd-dd-dd"
    time = "dddd-dd-ddTdd:dd" + (":dd" if seconds else "")
    zone = _ZONES.get(length - len(time))
    return None if zone is None else time + zone


def _fields(layout: str) -> dict[str, tuple[int, int]]:
    """Field -> (first byte, width) in ``layout``."""
    out = {"y": (0, 4), "mo": (5, 2), "d": (8, 2)}
    if len(layout) > 10:
        out.update(hh=(11, 2), mi=(14, 2))
        if layout[16:17] == ":":
            out["ss"] = (17, 2)
        at = 19 if "ss" in out else 16
        if len(layout) - at >= 3:
            out["zh"] = (at + 1, 2)
        if len(layout) - at >= 5:
            out["zm"] = (len(layout) - 2, 2)
    return out


def _matches(m: np.ndarray, layout: str) -> np.ndarray:
    """Columns of byte matrix ``m`` (one value per column) written in ``layout``."""
    ok = np.ones(m.shape[1], dtype=bool)
    for p, c in enumerate(layout):
        row = m[p]
        if c == "d":
            ok &= (row - 48) < 10  # uint8: a byte below "0" wraps round to a big one
        elif c == "T":
            ok &= (row == 84) | (row == 32)
        elif c == "+":
            ok &= (row == 43) | (row == 45)
        else:
            ok &= row == ord(c)
    return ok


def _number(m: np.ndarray, at: int, width: int) -> np.ndarray:
    """The decimal number in bytes ``at`` .. ``at + width - 1`` of every value:
    two digits in ``uint8`` (at most 99), four in ``int16`` (garbage where they are
    not digits, which :func:`_matches` has refused)."""
    if width == 2:
        out = m[at] - 48
        out *= 10
        out += m[at + 1]
        out -= 48
        return out
    out = m[at].astype(np.int16)
    out -= 48
    for p in range(at + 1, at + width):
        out *= 10
        out += m[p]
        out -= 48
    return out


#: the first day (days since 1970-01-01) of every month of the plausible years, and
#: the number of days in it
_MONTHS = np.arange(f"{PLAUSIBLE_YEARS[0]}-01", f"{PLAUSIBLE_YEARS[1] + 1}-02",
                    dtype="M8[M]").astype("M8[D]").astype(np.int64)
_IN_MONTH = np.diff(_MONTHS).astype(np.uint8)
_MONTHS = _MONTHS[:-1]


def _read_layout(m: np.ndarray, layout: str, out: IsoParse, rows: np.ndarray | slice) -> None:
    """Read byte matrix ``m`` (a value of ``layout`` per column, byte ``p`` of every
    value in row ``p``) into ``out[rows]``."""
    ok = _matches(m, layout)
    f = {name: _number(m, at, width) for name, (at, width) in _fields(layout).items()}
    y, mo, d = f["y"], f["mo"], f["d"]
    ok &= (PLAUSIBLE_YEARS[0] <= y) & (y <= PLAUSIBLE_YEARS[1]) & (1 <= mo) & (mo <= 12)
    month = (y - PLAUSIBLE_YEARS[0]).astype(np.int32)
    month *= 12
    month += mo
    month -= 1
    month[~ok] = 0
    ok &= (1 <= d) & (d <= _IN_MONTH[month])
    zone_at = 19 if "ss" in f else 16
    if "hh" in f:
        ok &= (f["hh"] <= 23) & (f["mi"] <= 59)
    if "ss" in f:
        ok &= f["ss"] <= 59
    if "zh" in f:  # the world's offsets run from -12:00 to +14:00
        ok &= f["zh"] <= 14
    if "zm" in f:
        ok &= f["zm"] <= 59
    if ok.all():
        at, pick = rows, slice(None)
    else:
        at = (np.arange(rows.start, rows.stop) if isinstance(rows, slice) else rows)[ok]
        pick = ok
    day_ns = _MONTHS[month[pick]]
    day_ns += d[pick]
    day_ns -= 1
    day_ns *= _DAY_NS
    out.date[at] = day_ns
    out.ok[at] = True
    if "hh" in f:
        secs = f["hh"][pick] * np.int32(3600)
        secs += f["mi"][pick] * np.int32(60)
        if "ss" in f:
            secs += f["ss"][pick]
        out.timestamp[at] = day_ns + secs * np.int64(10**9)
        if len(layout) > zone_at:  # an offset or Z is written
            out.offset_known[at] = True
        if "zh" in f:
            minutes = f["zh"][pick] * np.int16(60)
            if "zm" in f:
                minutes += f["zm"][pick]
            out.offset[at] = np.where(m[zone_at][pick] == 45, -minutes, minutes)


def parse_iso(arr) -> IsoParse:
    """Read the usual ISO dates and timestamps of an Arrow string array (or chunked
    array); see :class:`IsoParse`. Nulls and every other value are left ``ok=False``."""
    import pyarrow as pa

    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks() if arr.num_chunks != 1 else arr.chunk(0)
    n = len(arr)
    out = IsoParse(n)
    data_buf = arr.buffers()[2]
    if not n or data_buf is None or not len(data_buf):
        return out
    off_type = np.int64 if pa.types.is_large_string(arr.type) else np.int32
    offsets = np.frombuffer(arr.buffers()[1], dtype=off_type)[arr.offset : arr.offset + n + 1]
    offsets = offsets.astype(np.int64, copy=False)
    data = np.frombuffer(data_buf, dtype=np.uint8)
    lengths = np.diff(offsets)
    if arr.null_count:
        lengths = np.where(arr.is_valid().to_numpy(zero_copy_only=False), lengths, 0)
    first = int(lengths[0])
    if (lengths == first).all():
        # one length for the whole column (the usual export): the bytes are an
        # (n, length) matrix already, read a block of rows at a time
        matrix = data[offsets[0] : offsets[0] + n * first].reshape(n, first)
        for lo in range(0, n if 10 <= first <= 25 else 0, _CHUNK):
            block = np.ascontiguousarray(matrix[lo : lo + _CHUNK].T)  # small: in cache
            _read_length(block, first, slice(lo, lo + block.shape[1]), out)
        return out
    for length in np.unique(lengths):
        if length < 10 or length > 25:
            continue
        rows = np.flatnonzero(lengths == length)
        for lo in range(0, len(rows), _CHUNK):
            part = rows[lo : lo + _CHUNK]
            m = data[offsets[part][None, :] + np.arange(length)[:, None]]
            _read_length(m, int(length), part, out)
    return out


def _read_length(m: np.ndarray, length: int, rows: np.ndarray | slice, out: IsoParse) -> None:
    """Values all ``length`` bytes long (the columns of ``m``): with or without
    seconds, each."""
    if length == 10:
        _read_layout(m, "dddd-dd-dd", out, rows)
        return
    if length < 16:
        return
    seconds = (m[16] == 58) if length >= 19 else np.zeros(m.shape[1], dtype=bool)
    for sec in (True, False):
        layout = _layout(length, sec)
        pick = np.flatnonzero(seconds == sec)
        if layout is None or not len(pick):
            continue
        if len(pick) == m.shape[1]:
            _read_layout(m, layout, out, rows)
        else:
            if isinstance(rows, slice):
                rows = np.arange(rows.start, rows.stop)
            _read_layout(m[:, pick], layout, out, rows[pick])
