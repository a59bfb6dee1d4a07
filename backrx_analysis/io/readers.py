"""Read a log file of any supported format into a raw table with line numbers.

This is the first half of loading (the second is :mod:`backrx_analysis.io.validate`):
it knows about file formats, encodings, delimiters and where each row came from,
nothing about exercises or pain. Every row read keeps the line number a person
sees in an editor (header = line 1) or the spreadsheet row, so every problem and
every number can be traced back.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import posixpath
import re
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import LogFormatError
from .delimited import read_delimited
from .raw_table import ColumnKinds, RawTable, drop_blank_rows, no_kinds

__all__ = ["RawTable", "ColumnKinds", "read_table", "SUPPORTED_SUFFIXES"]

SUPPORTED_SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx", ".xlsm", ".json", ".parquet", ".pq")


def read_table(
    source: str | Path | pd.DataFrame,
    *,
    sheet: str | int | None = None,
    column_kinds: ColumnKinds = no_kinds,
) -> RawTable:
    """Read one log file (or a DataFrame) into a :class:`RawTable`.

    Parameters
    ----------
    source : path or DataFrame
        CSV/TSV/TXT (delimiter sniffed among ``,`` ``;`` tab ``|``; UTF-8 with or
        without BOM, or cp1252), XLSX (first sheet or ``sheet``), JSON (a list of
        records), Parquet, or a DataFrame.
    column_kinds : callable
        Given the header texts, says per column position how to keep it: as text
        (names), a string (notes, ids), an ISO date or a time of day (see
        :mod:`backrx_analysis.io.arrow_csv`), so a reader never converts them on its
        own (a CSV reader would move timestamps with offsets to UTC, which changes
        their day).

    Raises
    ------
    LogFormatError
        The file cannot be read as a table: missing, unknown format, empty, no
        header, or not valid in its format.
    """
    if isinstance(source, pd.DataFrame):
        return _from_frame(source.reset_index(drop=True), "<DataFrame>", "row", offset=1)
    path = Path(source)
    name = str(path)
    if not path.exists():
        raise LogFormatError(name, f"file not found: {path}")
    if path.is_dir():
        raise LogFormatError(name, f"{path} is a folder, not a log file")
    suffix = path.suffix.lower()
    try:
        if suffix in (".csv", ".tsv", ".txt", ""):
            return read_delimited(path, column_kinds, tab=suffix == ".tsv")
        if suffix in (".xlsx", ".xlsm"):
            return _read_excel(path, sheet)
        if suffix == ".json":
            return _read_json(path)
        if suffix in (".parquet", ".pq"):
            return _read_parquet(path, column_kinds)
    except LogFormatError:
        raise
    except (OSError, MemoryError):
        raise
    except Exception as exc:  # any parser's own error: say which file and why
        raise LogFormatError(name, f"cannot be read as {suffix.lstrip('.') or 'text'}: {exc}") from exc
    raise LogFormatError(
        name,
        f"unknown file type {suffix!r}; accepted: {', '.join(SUPPORTED_SUFFIXES)}",
    )


# -- other formats ----------------------------------------------------------------------


def _from_frame(df: pd.DataFrame, name: str, label: str, offset: int, header_line: int = 0,
                copy: bool = True) -> RawTable:
    """``copy=False``: ``df`` is the reader's own (its columns are renamed in place)."""
    headers = [str(c).strip() for c in df.columns]
    frame = df.copy() if copy else df
    frame.columns = list(range(len(headers)))
    if frame.empty:
        raise LogFormatError(name, f"has columns ({', '.join(headers)}) but no entries")
    frame = drop_blank_rows(frame)
    lines = frame.index.to_numpy(dtype=np.int64) + offset
    frame = frame.reset_index(drop=True)
    if frame.empty:
        raise LogFormatError(name, "every entry is blank")
    return RawTable(frame, lines, name, headers, label, False, header_line)


def _read_excel(path: Path, sheet: str | int | None) -> RawTable:
    """Read a sheet with python-calamine (Rust; about 10x faster than openpyxl here).

    Cells are given as openpyxl gives them (``tests/io/test_readers.py`` checks it):
    an empty cell is None, a date a midnight ``datetime``, a whole number an ``int``,
    an error cell its text (``"#N/A"``, which calamine reads as empty).
    """
    name = str(path)
    from python_calamine import CalamineWorkbook, SheetTypeEnum

    with CalamineWorkbook.from_path(path) as wb:
        sheets = [m.name for m in wb.sheets_metadata if m.typ != SheetTypeEnum.ChartSheet]
        if sheet is None:
            sheet = 0
        if isinstance(sheet, int):
            if not -len(sheets) <= sheet < len(sheets):
                raise LogFormatError(
                    name, f"has no sheet number {sheet} (from 0); sheets: {', '.join(sheets)}"
                )
            sheet_name = sheets[sheet]
        elif sheet in sheets:
            sheet_name = sheet
        else:
            raise LogFormatError(name, f"has no sheet {sheet!r}; sheets: {', '.join(sheets)}")
        with ThreadPoolExecutor(1) as pool:  # unzipping releases the GIL: overlaps the read
            errors = pool.submit(_error_cells, path, sheet_name)
            rows = wb.get_sheet_by_name(sheet_name).to_python(skip_empty_area=False)
            for r, c, text in errors.result():  # rows are counted from A1
                if r >= len(rows):
                    rows += [[""] * len(rows[0] if rows else []) for _ in range(r + 1 - len(rows))]
                if c >= len(rows[r]):
                    rows[r] = rows[r] + [""] * (c + 1 - len(rows[r]))
                rows[r][c] = text
    h = next((i for i, r in enumerate(rows) if sum(map(_filled, r)) >= 2), None)
    if h is None:  # no row with two cells: the first filled one is the header
        h = next((i for i, r in enumerate(rows) if any(map(_filled, r))), None)
    if h is None:
        raise LogFormatError(name, "the sheet is empty: expected a header row and one entry per row")
    # the header is the first row with two cells filled or more: a title above the
    # table (one cell, maybe merged across the columns) is not the header
    header_row = [_cell(v) for v in rows[h]]
    width = max(map(len, rows))
    # trailing empty header cells with no data below are padding, not columns
    while width > 0 and (header_row[width - 1] if width - 1 < len(header_row) else None) is None:
        if any(len(r) >= width and r[width - 1] != "" for r in rows[h + 1 :]):
            break
        width -= 1
    headers = [
        "" if (i >= len(header_row) or header_row[i] is None) else str(header_row[i]).strip()
        for i in range(width)
    ]
    body = rows[h + 1 :]
    if not body:
        raise LogFormatError(name, f"has a header (row {h + 1}) but no entries below it")
    if set(map(len, body)) != {width}:
        body = [(r + [""] * width)[:width] for r in body]
    cells = np.empty((len(body), width), dtype=object)
    cells[:] = body
    frame = pd.DataFrame({j: _openpyxl_cells(cells[:, j]) for j in range(width)}, dtype=object)
    frame.index = np.arange(h + 2, h + 2 + len(body))  # spreadsheet row numbers
    frame = drop_blank_rows(frame)
    if frame.empty:
        raise LogFormatError(name, f"has a header (row {h + 1}) but no entries below it")
    lines = frame.index.to_numpy(dtype=np.int64)
    frame = frame.reset_index(drop=True)
    return RawTable(frame, lines, name, headers, "row", False, h + 1)


def _filled(v: object) -> bool:
    return v != "" and not (isinstance(v, str) and not v.strip())


def _cell(v: object) -> object:
    """One calamine cell as openpyxl gives it."""
    if isinstance(v, str):
        return None if v == "" else v
    if type(v) is float and v.is_integer() and -_EXACT < v < _EXACT:
        return int(v)
    if type(v) is dt.date:
        return dt.datetime(v.year, v.month, v.day)
    return v


#: whole numbers below this are written without a point (openpyxl reads them as int)
_EXACT = 1e15


def _openpyxl_cells(col: np.ndarray) -> np.ndarray:
    """A column of calamine cells as openpyxl gives them (see :func:`_cell`), each
    distinct value converted once."""
    col = col.copy()
    col[col == ""] = None
    kinds = set(map(type, col))
    if float not in kinds and dt.date not in kinds:
        return col
    if bool in kinds:  # factorize would take True for 1.0
        col[:] = [_cell(v) for v in col]
        return col
    codes, uniques = pd.factorize(col)
    converted = np.empty(len(uniques) + 1, dtype=object)  # the last one for code -1
    converted[:-1] = [_cell(v) for v in uniques]
    return converted[codes]


_REF = re.compile(r"([A-Z]+)([0-9]+)")


def _error_cells(path: Path, sheet_name: str) -> list[tuple[int, int, str]]:
    """(row, column from 0, text) of every error cell (#N/A, #DIV/0!, ...) of a sheet,
    from its XML: calamine reads them as empty cells, and a log should say what it
    found there."""
    from xml.etree import ElementTree as ET

    with zipfile.ZipFile(path) as z:
        part = _sheet_part(z, sheet_name)
        if part is None:
            return []
        data = z.read(part)
    if b't="e"' not in data and b"t='e'" not in data:  # most sheets have no error cell
        return []
    out = []
    for _, el in ET.iterparse(io.BytesIO(data), events=("end",)):
        if el.tag.rsplit("}", 1)[-1] != "c":
            continue
        ref = _REF.fullmatch(el.get("r") or "")
        value = next((c.text for c in el if c.tag.rsplit("}", 1)[-1] == "v"), None)
        if el.get("t") == "e" and ref is not None and value is not None:
            col = 0
            for ch in ref.group(1):
                col = col * 26 + ord(ch) - 64
            out.append((int(ref.group(2)) - 1, col - 1, value))
        el.clear()
    return out


def _sheet_part(z: zipfile.ZipFile, sheet_name: str) -> str | None:
    """The zip member holding the sheet's cells (from workbook.xml and its relations)."""
    from xml.etree import ElementTree as ET

    def local(tag: str) -> str:
        return tag.rsplit("}", 1)[-1]

    book = ET.fromstring(z.read("xl/workbook.xml"))
    rid = next(
        (
            v
            for el in book.iter()
            if local(el.tag) == "sheet" and el.get("name") == sheet_name
            for k, v in el.attrib.items()
            if local(k) == "id"
        ),
        None,
    )
    rels = ET.fromstring(z.read("xl/_rels/workbook.xml.rels"))
    target = next((el.get("Target") for el in rels.iter() if el.get("Id") == rid), None)
    if rid is None or target is None:
        return None
    part = target.lstrip("/") if target.startswith("/") else posixpath.normpath("xl/" + target)
    return part if part in z.namelist() else None


def _read_json(path: Path) -> RawTable:
    name = str(path)
    try:
        data = json.loads(path.read_bytes().decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise LogFormatError(name, f"is not valid JSON: {exc}") from exc
    if isinstance(data, dict):
        lists = [v for v in data.values() if isinstance(v, list)]
        if len(lists) == 1:
            data = lists[0]
    if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
        raise LogFormatError(name, "expected a JSON list of records, e.g. [{\"date\": ..., ...}, ...]")
    if not data:
        raise LogFormatError(name, "the JSON list is empty: no entries")
    frame = pd.DataFrame.from_records(data)
    frame = frame.astype(object).where(frame.notna(), None)
    return _from_frame(frame, name, "record", offset=1, copy=False)


def _read_parquet(path: Path, column_kinds: ColumnKinds = no_kinds) -> RawTable:
    """Names (exercises, sides) and times of day written as text are read as Arrow
    dictionaries, so each distinct one is judged once (Parquet mostly stores them so
    already)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = pq.read_schema(path)
    kinds = column_kinds([str(c).strip() for c in schema.names])
    names = [schema.field(p).name for p, k in kinds.items() if k in ("text", "time")
             and p < len(schema)
             and (pa.types.is_string(schema.field(p).type)
                  or pa.types.is_large_string(schema.field(p).type))]
    frame = pd.read_parquet(path, read_dictionary=names or None)
    return _from_frame(frame, str(path), "row", offset=1, copy=False)
