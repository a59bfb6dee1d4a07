"""Turn a raw table into a canonical frame, collecting every problem on the way.

Nothing here raises on a bad row: each bad cell becomes a row of the problems
table (file, line, column, value, reason), and the caller decides whether to raise
(:func:`backrx_analysis.io.load_sessions`) or to show them
(:func:`backrx_analysis.io.check_logs`).
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import PurePath

import numpy as np
import pandas as pd

from ..program import Program
from ..schema import DEFAULT_PATIENT, conform, pain_dtypes, sessions_dtypes
from .cells import (
    PARALLEL_MIN_ROWS,
    distinct,
    is_arrow_string,
    leading_bytes,
    nat,
    parse_text,
)
from .dates import parse_dates
from .fields import (
    Problems,
    header_of,
    long_columns,
    no_text,
    wide_entries,
)
from .headers import HeaderMap, map_headers
from .pain_fields import pain_columns
from .raw_table import RawTable
from .times import parse_times

__all__ = ["to_canonical", "READ_AS"]

#: How a file reader keeps each field (never converting it on its own): names as
#: text, free text and ids as strings, dates and times typed only when written
#: the ISO way (see :mod:`backrx_analysis.io.arrow_csv`).
READ_AS = {
    "patient_id": "string", "date": "date", "time": "time", "exercise": "text",
    "side": "text", "notes": "string", "context": "string", "location": "string",
}

NAT_I8 = np.iinfo(np.int64).min

def _dates(raw: RawTable, hm: HeaderMap, probs: Problems, dayfirst: bool | None):
    pos = hm.fields["date"]
    col = raw.frame[pos]
    res = parse_dates(col, dayfirst=dayfirst)
    bad = res.bad
    if res.file_problem:
        probs.add_file(res.file_problem, header_of(raw, pos), raw.header_line)
        bad = bad & ~res.ambiguous
    probs.add(bad, header_of(raw, pos), col, res.problem)
    ts = res.timestamp
    if "time" in hm.fields:
        tpos = hm.fields["time"]
        td, tprob, tbad = parse_times(raw.frame[tpos])
        if tbad.any():
            probs.add(tbad, header_of(raw, tpos), raw.frame[tpos], tprob)
        ts = _add_time(res.date, ts, td)
    elif ts is None:
        ts = nat(len(col))
    offset = pd.arrays.IntegerArray(res.offset, res.offset_mask)
    return res.date, ts, offset


def _add_time(date: np.ndarray, ts: np.ndarray | None, td: np.ndarray) -> np.ndarray:
    """Timestamps: as written in the date column, else the day plus the time column."""
    out = date.view("i8") + td.view("i8")  # wraps around where either is NaT: fixed below
    unknown = np.isnat(td) | np.isnat(date)
    written = ~np.isnat(ts) if ts is not None else None
    if written is not None and written.any():
        np.copyto(out, ts.view("i8"), where=written)
        unknown &= ~written
    if unknown.any():
        out[unknown] = NAT_I8
    return out.view("M8[ns]")


def _patients(raw: RawTable, hm: HeaderMap, probs: Problems, patient_id: str | None) -> pd.Series:
    n = len(raw.frame)
    if "patient_id" in hm.fields:
        pos = hm.fields["patient_id"]
        ids = parse_text(raw.frame[pos])
        missing = ids.isna().to_numpy()
        if patient_id is not None:
            ids = ids.fillna(patient_id)
        else:
            probs.add(missing, header_of(raw, pos), raw.frame[pos],
                      "missing patient id; fill it in, or remove the column for a one-patient log")
        return ids
    import pyarrow as pa

    one = pa.repeat(pa.scalar(patient_id or DEFAULT_PATIENT, pa.large_string()), n)
    return pd.Series(pd.arrays.ArrowStringArray(one))


def _same_text(value: object, header: str) -> bool:
    return str(value).replace("\ufeff", "").strip().casefold() == header.casefold()


def _header_rows(col: pd.Series, header: str) -> np.ndarray:
    """Positions of the rows whose cell is ``header`` (a BOM, spaces and case aside).

    A cell starting with an ASCII digit cannot be a header that does not: the first
    bytes are looked at for the whole column at once, and only the few cells left
    are compared one by one (a column of timestamps has a million distinct values)."""
    key = header.replace("\ufeff", "").strip()
    digits = any("0" <= ch <= "9" for ch in key)
    if is_arrow_string(col):
        first = leading_bytes(col)  # -1: empty or missing
        maybe = (first >= 0) if digits else (first >= 0) & ((first < 48) | (first > 57))
        rows = np.flatnonzero(maybe)
        cells = col.iloc[rows].to_numpy(dtype=object)
        return rows[np.array([_same_text(v, key) for v in cells], dtype=bool)] if len(
            rows) else rows
    codes, uniques = distinct(col)
    if not len(uniques):
        return np.zeros(0, dtype=np.int64)
    candidates = np.arange(len(uniques))
    if not digits and len(uniques) > 64:
        texts = pd.Series(uniques, dtype=object).astype(str)
        candidates = np.flatnonzero(~texts.str.contains("[0-9]", regex=True).to_numpy(bool))
    hit = candidates[[_same_text(uniques[i], key) for i in candidates]] if len(
        candidates) else candidates
    return np.flatnonzero(np.isin(codes, hit)) if len(hit) else np.zeros(0, dtype=np.int64)


def _drop_repeated_headers(raw: RawTable, hm: HeaderMap, probs: Problems) -> RawTable:
    """Lines repeating the header (two exports joined into one file) are one problem
    each, not a problem per cell; the other checks go on without them."""
    pos = hm.fields["date"]
    if raw.frame[pos].dtype.kind != "O":  # dates read typed: no header text among them
        return raw
    rows = _header_rows(raw.frame[pos], raw.headers[pos])
    if not len(rows):
        return raw
    same = np.ones(len(rows), dtype=bool)  # every other filled cell is its header, too
    for c, h in enumerate(raw.headers):
        if not h.strip() or c == pos:
            continue
        cells = raw.frame[c].iloc[rows]
        filled = cells.notna().to_numpy()
        key = h.replace("\ufeff", "").strip()
        same[filled] &= np.array([_same_text(v, key) for v in
                                  cells.to_numpy(dtype=object)[filled]], dtype=bool)
    rows = rows[same]
    if not len(rows):
        return raw
    mask = np.zeros(len(raw.frame), dtype=bool)
    mask[rows] = True
    probs.add(mask, "", "", "this line repeats the header (two files joined into one?); "
              "delete it")
    keep = ~mask
    return replace(raw, frame=raw.frame[keep].reset_index(drop=True), lines=raw.lines[keep])


def _extra_cells(raw: RawTable, probs: Problems) -> None:
    width = len(raw.headers)
    if width in raw.frame.columns:
        extra = raw.frame[width]
        probs.add(extra.notna().to_numpy(), "(extra cells)", extra,
                  f"this line has more cells than the header's {width} columns; "
                  "a value may be in the wrong column (quote cells that contain the delimiter)")


def to_canonical(
    raw: RawTable,
    kind: str,
    *,
    program: Program,
    dayfirst: bool | None = None,
    patient_id: str | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Validate every row of ``raw``; return (canonical frame, problems table).

    The frame holds every entry that could be read; the problems table every cell
    that could not (the caller refuses the frame when there are any).
    """
    hm = map_headers(raw.headers, kind, program)
    probs = Problems(raw)
    for header, problem in hm.problems:
        probs.add_file(problem, header, raw.header_line)
    if any(f not in hm.fields for f in ("date",)) or (
        kind == "pain" and "pain" not in hm.fields
    ) or (kind == "sessions" and "exercise" not in hm.fields and not hm.wide):
        empty = pd.DataFrame({c: pd.Series([], dtype=t) for c, t in
                              (sessions_dtypes(program) if kind == "sessions" else pain_dtypes()).items()})
        return empty, probs.frame()
    raw = _drop_repeated_headers(raw, hm, probs)
    _extra_cells(raw, probs)
    first, second = Problems(raw), Problems(raw)

    def shared() -> dict:  # what every kind of log has
        date, ts, offset = _dates(raw, hm, first, dayfirst)
        patients = _patients(raw, hm, first, patient_id)
        return {"patient_id": patients, "date": date, "timestamp": ts, "utc_offset_min": offset}

    def text() -> pd.Series | None:  # no problem to find in it
        return parse_text(raw.frame[hm.fields["notes"]]) if "notes" in hm.fields else None

    columns = pain_columns if kind == "pain" else None if hm.wide else long_columns
    if columns is not None and len(raw.frame) >= PARALLEL_MIN_ROWS:
        with ThreadPoolExecutor(1) as pool:  # the dates on one thread, the rest on this
            shared_done = pool.submit(shared)
            cols, keep = columns(raw, hm, second, program)
            notes = text()
            base = shared_done.result()
    else:
        base, notes = shared(), text()
        cols, keep = columns(raw, hm, second, program) if columns else (None, None)
    probs.parts += first.parts + second.parts  # the order of doing one after the other
    if cols is None:
        out = wide_entries(raw, hm, probs, base, notes, program)
    else:
        n = len(raw.frame)
        out = pd.DataFrame(
            {**base, **cols,
             "notes": notes if notes is not None else no_text(n),
             "source_line": pd.arrays.IntegerArray(raw.lines, np.zeros(n, dtype=bool))},
            copy=False,
        )
        if keep is not None:
            out = out[keep]
    label = _source_label(raw.source)
    source = pd.Categorical.from_codes(np.zeros(len(out), dtype=np.int8), [label])
    out.insert(list(out.columns).index("source_line"), "source", source)  # the canonical order
    out = conform(out, sessions_dtypes(program) if kind == "sessions" else pain_dtypes())
    return out, probs.frame()


def _source_label(source: str) -> str:
    """The file an entry came from, as its ``source``: the file's name
    (``sessions.csv``), a zip member after its archive's name
    (``export.zip:apple_health_export/export.xml``), or ``<entries>`` as it is."""
    if source.startswith("<"):
        return source
    archive, sep, member = source.partition(".zip:")
    if sep:
        return f"{PurePath(archive).name}.zip:{member}"
    return PurePath(source).name

