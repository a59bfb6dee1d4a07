"""The fast CSV reader: Arrow's multithreaded parser, told how to keep each column.

Used by :mod:`backrx_analysis.io.readers` for every delimited file it can (the careful
``csv``-module reader handles the rest). A column is read one of these ways, chosen
by the caller per column position (see :data:`KINDS`):

``"text"``
    Arrow dictionary -> pandas ``Categorical``: each distinct value (an exercise
    name, a side) is parsed once, not once per row.
``"string"``
    pandas ``string`` (Arrow-backed, no copy): free text and ids.
``"date"``
    Arrow ``date32`` when every value is an ISO date ``YYYY-MM-DD`` (kept as a
    pandas ``date32[pyarrow]`` column); as ``"string"`` when the first rows hold
    timestamps (nearly every one distinct); otherwise as ``"text"``.
``"time"``
    Arrow ``time32`` when every value is ``HH:MM`` or ``HH:MM:SS`` (kept as a
    pandas ``time32[pyarrow]`` column); otherwise as ``"text"``.
``"number"``
    Arrow ``float64`` when every value is a plain decimal number (with a decimal
    comma in a ``;`` file whose first rows write it so); otherwise as ``"text"``
    (a word, a decimal mark of the other kind), which the cell parsers judge.

Columns the log does not use are kept as strings. Whatever Arrow would read
differently from the careful rules (a hexadecimal number, ``nan``/``inf``, a year
they refuse) sends the typed columns back to text, so both readers give the same
values.
"""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pandas as pd

from .cells import PARALLEL_MIN_ROWS, PLAUSIBLE_YEARS

__all__ = ["KINDS", "read_arrow"]

KINDS = ("text", "string", "date", "time", "number")

_ISO_DAY = re.compile(r"^\s*\d{4}-\d{2}-\d{2}\s*$")
_HH_MM = re.compile(r"^\s*\d{2}:\d{2}(:\d{2})?\s*$")
_NUMBER = re.compile(r"^\s*-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$")
_COMMA_NUMBER = re.compile(r"^\s*-?(\d+,?\d*|,\d+)([eE][-+]?\d+)?\s*$")
_CLOCK = re.compile(r"\d:\d\d")
_LOOKS_RIGHT = {"date": _ISO_DAY, "time": _HH_MM, "number": _NUMBER}


def _decimal_point(kinds: dict[int, str], sample: list[list[str]], delim: str) -> str:
    """``","`` for a ``;`` file whose sampled numbers are written with a decimal
    comma (and none with a point), else ``"."``. A number written the other way
    further down fails the typed read, and the cell parsers judge it as text."""
    if delim != ";":
        return "."
    cells = [row[p] for p, k in kinds.items() if k == "number" for row in sample if p < len(row)]
    comma = any("," in c for c in cells)
    return "," if comma and not any("." in c for c in cells) else "."


def _arrow_types(kinds: dict[int, str], sample: list[list[str]], n: int,
                 decimal: str = ".") -> tuple[dict, list]:
    """(Arrow type per column, the columns read typed) from the kinds and the sample."""
    import pyarrow as pa

    looks_right = {**_LOOKS_RIGHT, "number": _COMMA_NUMBER if decimal == "," else _NUMBER}
    text = pa.dictionary(pa.int32(), pa.string())
    typed_as = {"date": pa.date32(), "time": pa.time32("s"), "number": pa.float64()}
    types, typed = {}, []
    for pos in range(n):
        kind = kinds.get(pos)
        if kind in typed_as:
            cells = [row[pos] for row in sample if pos < len(row) and row[pos].strip()]
            if all(looks_right[kind].match(c) for c in cells):
                types[pos] = typed_as[kind]
                typed.append(pos)
            elif kind == "date" and cells and all(_CLOCK.search(c) for c in cells):
                # timestamps: nearly every one distinct, so a dictionary would not
                # help; read whole by the date parser (backrx_analysis.io.iso_dates)
                types[pos] = pa.large_string()
            else:
                types[pos] = text
        elif kind == "text":
            types[pos] = text
        else:  # "string", and columns the log does not use
            types[pos] = pa.large_string()
    return types, typed


def read_arrow(
    body,
    headers: list[str],
    delim: str,
    kinds: dict[int, str],
    *,
    sample: list[list[str]],
    empty_lines: bool,
    one_line_rows: bool = False,
) -> pd.DataFrame | None:
    """Parse ``body`` (bytes or an Arrow buffer, the lines below the header) into a
    frame with columns ``0 .. len(headers)-1``; ``None`` when Arrow cannot (ragged
    rows, invalid UTF-8, ...) and the careful reader must.

    ``sample`` holds the first rows split into cells: typed reading is only tried
    for a column whose sampled cells all look right, and when a typed column then
    holds anything else (a hexadecimal number, ``nan``, a year out of range, a
    slash date further down) the typed columns are read again as text, where the
    cell parsers judge every value by the careful rules. ``empty_lines=True`` keeps
    an empty line as a row of empty cells (so row *i* is line *i*) and fails on a
    line of spaces. ``one_line_rows=True`` returns ``None`` when a cell holds a line
    break (a quoted one), so that every row is exactly one line.
    """
    import pyarrow as pa

    decimal = _decimal_point(kinds, sample, delim)
    types, typed = _arrow_types(kinds, sample, len(headers), decimal)
    table = _parse(body, len(headers), delim, types, empty_lines, decimal)
    if typed and (table is None or not _typed_ok(table, typed)):
        text = pa.dictionary(pa.int32(), pa.string())
        table = _parse(body, len(headers), delim, {**types, **dict.fromkeys(typed, text)},
                       empty_lines)
    if table is None or (one_line_rows and _has_line_breaks(table)):
        return None
    if table.num_rows >= PARALLEL_MIN_ROWS:
        with ThreadPoolExecutor(2) as pool:
            series = list(pool.map(_series, table.columns))
    else:
        series = [_series(col) for col in table.columns]
    return pd.DataFrame(dict(enumerate(series)), copy=False)


def _has_line_breaks(table) -> bool:
    """Whether any text cell holds a CR or LF (only text can: a typed cell with one
    fails to parse). Looks at dictionaries and at the bytes of the string data."""
    import pyarrow as pa

    for col in table.columns:
        for chunk in col.chunks:
            if pa.types.is_dictionary(chunk.type):
                chunk = chunk.dictionary
            if not (pa.types.is_string(chunk.type) or pa.types.is_large_string(chunk.type)):
                continue
            data = chunk.buffers()[2]
            if data is not None and len(data):
                b = np.frombuffer(data, dtype=np.uint8)
                # bytes below 14 are rare in text: one quick pass, the exact one if any
                if (b < 14).any() and np.count_nonzero((b == 10) | (b == 13)):
                    return True
    return False


def _typed_ok(table, positions: list[int]) -> bool:
    """Every typed value is one the careful rules accept in the same way: numbers
    finite (they refuse ``inf`` with a reason), dates in plausible years."""
    import pyarrow as pa
    import pyarrow.compute as pc

    for p in positions:
        col = table.column(p)
        if col.null_count == len(col):
            continue
        if pa.types.is_floating(col.type):
            if not pc.all(pc.is_finite(col)).as_py():
                return False
        elif pa.types.is_date32(col.type):
            lo, hi = pc.min_max(col).values()
            if not (PLAUSIBLE_YEARS[0] <= lo.as_py().year and hi.as_py().year <= PLAUSIBLE_YEARS[1]):
                return False
    return True


def _parse(body, n: int, delim: str, types: dict, empty_lines: bool, decimal: str = "."):
    import pyarrow as pa
    import pyarrow.csv as pacsv

    names = [f"c{i}" for i in range(n)]
    try:
        return pacsv.read_csv(
            pa.BufferReader(body if isinstance(body, pa.Buffer) else pa.py_buffer(body)),
            read_options=pacsv.ReadOptions(column_names=names, block_size=1 << 24),
            parse_options=pacsv.ParseOptions(delimiter=delim, newlines_in_values=False,
                                              ignore_empty_lines=not empty_lines),
            convert_options=pacsv.ConvertOptions(
                column_types={names[p]: t for p, t in types.items()},
                strings_can_be_null=True,
                quoted_strings_can_be_null=True,
                # only an empty cell is empty: "NA", "null" or "NaN" are written
                # values (a note, or a number to refuse), never a missing one
                null_values=[""],
                decimal_point=decimal,
            ),
        )
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None


def _series(col) -> pd.Series | pd.Categorical:
    """One Arrow column as pandas, without per-row Python objects."""
    import pyarrow as pa

    t = col.type
    if pa.types.is_dictionary(t):
        arr = col.unify_dictionaries().combine_chunks() if col.num_chunks > 1 else (
            col.combine_chunks())
        idx = arr.indices.fill_null(-1) if arr.null_count else arr.indices
        codes = idx.to_numpy(zero_copy_only=False).astype(np.int32, copy=False)
        cats = pd.Index(arr.dictionary.to_pylist(), dtype=object)
        return pd.Categorical.from_codes(codes, categories=cats)
    if pa.types.is_large_string(t):
        return pd.Series(pd.arrays.ArrowStringArray(col))
    if pa.types.is_date32(t) or pa.types.is_time32(t):
        # kept as Arrow dates and times: the cell parsers know they are valid
        return pd.Series(pd.arrays.ArrowExtensionArray(col))
    return col.to_pandas()
