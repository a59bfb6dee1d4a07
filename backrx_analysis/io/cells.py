"""Parse the cells of a raw table: numbers and names (dates and times: in
:mod:`backrx_analysis.io.dates`), and what every parser shares.

Every parser works on the *distinct* values of a column (a log of a million rows
has a few hundred distinct dates) and returns, per row, the parsed value and the
reason it could not be parsed, so that every bad cell becomes one problem row.
"""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd

__all__ = [
    "PARALLEL_MIN_ROWS", "PLAUSIBLE_YEARS", "NAT", "nat", "distinct", "blank_mask", "is_blank",
    "is_arrow_string", "arrow_type", "leading_bytes", "parse_numbers", "parse_text", "strings_from_codes",
]

NAT = np.datetime64("NaT", "ns")


def nat(n: int) -> np.ndarray:
    """``n`` NaT datetime64[ns] values."""
    return np.full(n, np.iinfo(np.int64).min, dtype=np.int64).view("M8[ns]")


#: Columns at least this long are converted and checked on two threads: the work
#: is in numpy and Arrow, which let other threads run meanwhile.
PARALLEL_MIN_ROWS = 100_000

#: Years a written date may have; others are typos.
PLAUSIBLE_YEARS = (1900, 2200)


def distinct(s: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """(codes, uniques): ``uniques[codes]`` is the column, code -1 is empty."""
    if isinstance(s.dtype, pd.CategoricalDtype):
        return s.cat.codes.to_numpy(), np.asarray(s.cat.categories, dtype=object)
    codes, uniques = pd.factorize(s, use_na_sentinel=True)
    return codes, np.asarray(uniques, dtype=object)


def blank_mask(s: pd.Series) -> np.ndarray:
    """Per row: the cell is empty (missing, or only whitespace), whatever the dtype
    (object, string, categorical or numeric)."""
    if is_arrow_string(s):
        return _arrow_blank(s)
    if (s.dtype.kind in "biufcmM" and not isinstance(s.dtype, pd.CategoricalDtype)) or (
        isinstance(s.dtype, pd.ArrowDtype)
    ):
        return s.isna().to_numpy()
    codes, uniques = distinct(s)
    u_blank = np.array([is_blank(u) for u in uniques] + [True], dtype=bool)
    if not u_blank[:-1].any() and codes.min(initial=0) >= 0:
        return np.zeros(len(codes), dtype=bool)  # a value in every row: no per-row pass
    return np.take(u_blank, codes)


def is_blank(v: object) -> bool:
    if v is None or v is pd.NA or v is pd.NaT:
        return True
    if isinstance(v, float) and math.isnan(v):
        return True
    return isinstance(v, str) and not v.strip()


# -- numbers ----------------------------------------------------------------------------


def parse_numbers(values: pd.Series, *, decimal_comma: bool) -> tuple[np.ndarray, np.ndarray]:
    """Column -> (float64 values with NaN for empty, bad mask: written but not a finite
    number). Numbers are taken as written: ``"2,5"`` is 2.5 only in a ``;`` file."""
    if pd.api.types.is_bool_dtype(values.dtype):
        out = np.full(len(values), np.nan)
        return out, values.notna().to_numpy()
    if values.dtype == np.float64:  # read typed: NaN already marks an empty cell
        out = values.to_numpy()
        return out, np.isinf(out)
    if pd.api.types.is_numeric_dtype(values.dtype) and not isinstance(
        values.dtype, pd.CategoricalDtype
    ):
        out = values.to_numpy(dtype="float64", na_value=np.nan)
        return out, np.isinf(out)
    codes, uniques = distinct(values)
    u_val = np.full(len(uniques), np.nan)
    u_bad = np.zeros(len(uniques), dtype=bool)
    for i, v in enumerate(uniques):
        if isinstance(v, bool | np.bool_) or isinstance(v, dt.date | dt.time):
            u_bad[i] = True
            continue
        if isinstance(v, int | float | np.number):
            f = float(v)
        else:
            s = str(v).strip().replace("\u2212", "-")
            if not s:
                continue
            if decimal_comma:
                s = s.replace(",", ".")
            try:
                f = float(s)
            except ValueError:
                u_bad[i] = True
                continue
        if math.isfinite(f):
            u_val[i] = f
        else:
            u_bad[i] = True
    ok = codes >= 0
    out = np.full(len(codes), np.nan)
    bad = np.zeros(len(codes), dtype=bool)
    out[ok] = u_val[codes[ok]]
    bad[ok] = u_bad[codes[ok]]
    return out, bad


def _text(v: object) -> object:
    if is_blank(v):
        return None
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v).strip()


def strings_from_codes(codes: np.ndarray, uniques: list | np.ndarray) -> pd.Series:
    """A nullable ``string`` Series ``uniques[codes]`` (code -1 or a None unique -> NA),
    built through Arrow's dictionary cast (fast for a million rows)."""
    import pyarrow as pa

    u = pa.array(list(uniques), type=pa.string())
    codes = np.asarray(codes, dtype=np.int32)
    d = pa.DictionaryArray.from_arrays(pa.array(codes, mask=codes < 0), u)
    arr = d.cast(pa.string())
    if pd.StringDtype().storage == "pyarrow":
        return pd.Series(pd.arrays.ArrowStringArray(arr))
    return pd.Series(arr.to_pandas(), dtype="string")


def parse_text(values: pd.Series) -> pd.Series:
    """Column -> nullable ``string`` Series, stripped, empty -> NA."""
    if is_arrow_string(values):
        return _arrow_text(values)
    codes, uniques = distinct(values)
    return strings_from_codes(codes, [_text(v) for v in uniques])


def _edges(arr, last_too: bool = True) -> tuple[np.ndarray, np.ndarray | None]:
    """(first, last) UTF-8 byte of every cell of an Arrow string array, read from
    its buffers (no per-row objects): -1 for an empty cell, -2 for a missing one
    (``last_too=False``: only the first)."""
    import pyarrow as pa

    firsts, lasts = [], []
    for chunk in arr.chunks:
        n = len(chunk)
        wide = pa.types.is_large_string(chunk.type)
        bufs = chunk.buffers()
        offsets = np.frombuffer(bufs[1], dtype=np.int64 if wide else np.int32)[
            chunk.offset : chunk.offset + n + 1]
        data = np.frombuffer(bufs[2], dtype=np.uint8) if bufs[2] is not None else None
        if data is None or not len(data):
            first = np.full(n, -1, dtype=np.int16)
            last = first.copy() if last_too else first
        else:  # one gather each; an empty cell's byte is another's, and replaced
            starts, ends = offsets[:-1], offsets[1:]
            empty = starts == ends
            first = np.take(data, starts, mode="clip").astype(np.int16)
            first[empty] = -1
            last = first
            if last_too:
                last = np.take(data, ends - 1, mode="clip").astype(np.int16)
                last[empty] = -1
        if chunk.null_count:
            missing = ~chunk.is_valid().to_numpy(zero_copy_only=False)
            first[missing] = last[missing] = -2
        firsts.append(first)
        lasts.append(last)
    if not firsts:
        return np.zeros(0, dtype=np.int16), np.zeros(0, dtype=np.int16)
    return np.concatenate(firsts), (np.concatenate(lasts) if last_too else None)


def _maybe_space(b: np.ndarray) -> np.ndarray:
    """Bytes that may begin or end whitespace (any ASCII space or control, any
    non-ASCII byte), and empty cells (-1)."""
    return (b >= -1) & ((b <= 32) | (b >= 128))


def leading_bytes(s: pd.Series) -> np.ndarray:
    """The first UTF-8 byte of every cell of an Arrow string column, negative for
    an empty or missing one."""
    import pyarrow as pa

    return _edges(pa.chunked_array(s.array.__arrow_array__()), last_too=False)[0]


def arrow_type(values: pd.Series, test: str) -> bool:
    """Whether ``values`` is an Arrow-backed column whose type passes
    ``pyarrow.types.<test>`` (``is_date``, ``is_time``)."""
    if not isinstance(values.dtype, pd.ArrowDtype):
        return False
    import pyarrow as pa

    return getattr(pa.types, test)(values.dtype.pyarrow_dtype)


def is_arrow_string(s: pd.Series) -> bool:
    """Whether ``s`` is a pandas ``string`` column stored by Arrow."""
    return isinstance(s.dtype, pd.StringDtype) and s.dtype.storage == "pyarrow"


def _may_need_strip(arr) -> bool:
    """Whether an Arrow string column may hold an empty cell or one with spaces at
    either end: only its first and last bytes are looked at (of the cells written:
    a notes column is mostly empty)."""
    import pyarrow.compute as pc

    first, last = _edges(pc.drop_null(arr) if arr.null_count else arr)
    return bool((_maybe_space(first) | _maybe_space(last)).any())


def _arrow_blank(s: pd.Series) -> np.ndarray:
    """Per row of an Arrow string column: missing, empty or only whitespace. Only the
    cells starting with a byte that may be whitespace are trimmed to find out."""
    import pyarrow as pa
    import pyarrow.compute as pc

    arr = pa.chunked_array(s.array.__arrow_array__())
    first, _ = _edges(arr, last_too=False)
    blank = first < 0
    unsure = np.flatnonzero(_maybe_space(first) & ~blank)
    if len(unsure):
        trimmed = pc.utf8_trim_whitespace(arr.take(pa.array(unsure)))
        blank[unsure] = pc.equal(trimmed, "").to_numpy(zero_copy_only=False)
    return blank


def _arrow_text(s: pd.Series) -> pd.Series:
    """An Arrow-backed string column stripped, with empty cells as NA (vectorised)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    arr = pa.chunked_array(s.array.__arrow_array__())
    if not _may_need_strip(arr):
        return s.astype("string")
    stripped = pc.utf8_trim_whitespace(arr)
    if pc.any(pc.equal(stripped, "")).as_py():
        stripped = pc.if_else(pc.equal(stripped, ""), pa.scalar(None, stripped.type), stripped)
    return pd.Series(pd.arrays.ArrowStringArray(stripped), index=s.index)
