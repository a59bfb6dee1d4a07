"""Read a log file of any supported format into a raw table with line numbers.

This is the first half of loading (the second is :mod:`backrx_analysis.io.validate`):
it knows about file formats, encodings, delimiters and where each row came from,
nothing about exercises or pain. Every row read keeps the line number a person
sees in an editor (header = line 1) or the spreadsheet row, so every problem and
every number can be traced back.
"""

from __future__ import annotations

import json
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
            return _read_parquet(path)
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


def _from_frame(df: pd.DataFrame, name: str, label: str, offset: int, header_line: int = 0) -> RawTable:
    headers = [str(c).strip() for c in df.columns]
    frame = df.copy()
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
    name = str(path)
    import openpyxl

    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        if sheet is None:
            ws = wb.worksheets[0]
        elif isinstance(sheet, int):
            ws = wb.worksheets[sheet]
        else:
            if sheet not in wb.sheetnames:
                raise LogFormatError(name, f"has no sheet {sheet!r}; sheets: {', '.join(wb.sheetnames)}")
            ws = wb[sheet]
        rows = [list(r) for r in ws.iter_rows(values_only=True)]
    finally:
        wb.close()
    nonblank = [
        i for i, r in enumerate(rows) if any(v is not None and str(v).strip() != "" for v in r)
    ]
    if not nonblank:
        raise LogFormatError(name, "the sheet is empty: expected a header row and one entry per row")
    # the header is the first row with two cells filled or more: a title above the
    # table (one cell, maybe merged across the columns) is not the header
    filled = [sum(v is not None and str(v).strip() != "" for v in rows[i]) for i in nonblank]
    h = next((i for i, k in zip(nonblank, filled, strict=True) if k >= 2), nonblank[0])
    header_row = rows[h]
    width = max(len(r) for r in rows)
    # trailing empty header cells with no data below are padding, not columns
    while width > 0 and (header_row[width - 1] if width - 1 < len(header_row) else None) is None:
        if any(len(r) >= width and r[width - 1] is not None for r in rows[h + 1 :]):
            break
        width -= 1
    headers = [
        "" if (i >= len(header_row) or header_row[i] is None) else str(header_row[i]).strip()
        for i in range(width)
    ]
    body = [(r + [None] * width)[:width] for r in rows[h + 1 :]]
    frame = pd.DataFrame(body, columns=list(range(width)), dtype=object)
    frame.index = np.arange(h + 2, h + 2 + len(body))  # spreadsheet row numbers
    if frame.empty:
        raise LogFormatError(name, f"has a header (row {h + 1}) but no entries below it")
    frame = drop_blank_rows(frame)
    if frame.empty:
        raise LogFormatError(name, f"has a header (row {h + 1}) but no entries below it")
    lines = frame.index.to_numpy(dtype=np.int64)
    frame = frame.reset_index(drop=True)
    return RawTable(frame, lines, name, headers, "row", False, h + 1)


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
    return _from_frame(frame, name, "record", offset=1)


def _read_parquet(path: Path) -> RawTable:
    frame = pd.read_parquet(path)
    return _from_frame(frame, str(path), "row", offset=1)
