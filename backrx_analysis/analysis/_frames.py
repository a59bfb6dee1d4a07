"""Frame helpers shared by :mod:`backrx_analysis.analysis.adherence`, :mod:`backrx_analysis.analysis.pain`
and :mod:`backrx_analysis.analysis.combined`: required columns, patient codes, calendar days,
the per-patient calendar grid, and the error they raise.

Private to the package: import the public names (``AnalysisInputError``,
``TOLERANCE``) from :mod:`backrx_analysis.analysis.adherence`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

#: Tolerance for comparisons of summed minutes and of pain means with the program's
#: thresholds: sums of decimals are not exact in binary floating point
#: (0.1 + 0.2 != 0.3), and a value that is on a threshold must count as on it.
TOLERANCE = 1e-9


class AnalysisInputError(ValueError):
    """A frame given to an analysis function lacks what the analysis needs."""


# Defined here so the helpers below can raise it; public (and named) as
# backrx_analysis.analysis.adherence.AnalysisInputError, where it always lived.
AnalysisInputError.__module__ = "backrx_analysis.analysis.adherence"


def _require(frame: pd.DataFrame, columns: Iterable[str], what: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise AnalysisInputError(
            f"the {what} frame has no column {', '.join(repr(c) for c in missing)}; "
            f"it has {list(frame.columns)}. Pass a canonical {what} frame "
            f"(see backrx_analysis.schema)."
        )


def _where(frame: pd.DataFrame, mask: np.ndarray, limit: int = 5) -> str:
    """Where bad rows came from, as an editor shows it (file line), for messages."""
    rows = frame.loc[mask]
    parts = []
    for col in ("source", "source_line"):
        if col not in rows.columns:
            rows = rows.assign(**{col: pd.NA})
    for src, line in zip(rows["source"].head(limit), rows["source_line"].head(limit),
                         strict=True):
        src = "" if pd.isna(src) else str(src)
        line = "" if pd.isna(line) else f" line {int(line)}"
        parts.append(f"{src}{line}".strip() or "(no source)")
    more = f" and {len(rows) - limit} more" if len(rows) > limit else ""
    return ", ".join(parts) + more


def _patient_codes(frame: pd.DataFrame, what: str) -> tuple[np.ndarray, pd.Index]:
    """Integer code per row (0..n-1, sorted by patient id) and the patient ids."""
    codes, uniques = pd.factorize(frame["patient_id"], sort=True)
    bad = codes < 0
    if bad.any():
        raise AnalysisInputError(
            f"the {what} frame has {int(bad.sum())} rows without a patient_id "
            f"({_where(frame, bad)}); every row needs one (loaders use 'patient' "
            f"for a log without a patient column)."
        )
    return codes.astype(np.int64, copy=False), pd.Index(uniques, dtype="string")


def _day_numbers(frame: pd.DataFrame, what: str) -> np.ndarray:
    """Calendar day of each row as days since 1970-01-01 (the date as written)."""
    dates = frame["date"]
    if not isinstance(dates.dtype, np.dtype) or dates.dtype.kind != "M":
        if isinstance(dates.dtype, pd.DatetimeTZDtype):
            dates = dates.dt.tz_localize(None)  # wall-clock day, never moved to UTC
        else:
            dates = pd.to_datetime(dates)
    values = dates.to_numpy()
    bad = np.isnat(values)
    if bad.any():
        raise AnalysisInputError(
            f"the {what} frame has {int(bad.sum())} rows without a date "
            f"({_where(frame, bad)}); every entry needs the calendar day it was done."
        )
    return values.astype("datetime64[D]").astype(np.int64)


def _to_day(value: Any, name: str) -> int | None:
    if value is None:
        return None
    try:
        ts = pd.Timestamp(value)
    except (TypeError, ValueError) as exc:
        raise AnalysisInputError(f"{name}={value!r} is not a date; give e.g. '2026-03-02'") from exc
    if ts is pd.NaT:
        raise AnalysisInputError(f"{name}={value!r} is not a date; give e.g. '2026-03-02'")
    if ts.tzinfo is not None:
        ts = ts.tz_localize(None)
    return int(np.datetime64(ts.normalize().date(), "D").astype(np.int64))


def _period(start: Any, end: Any) -> tuple[int | None, int | None]:
    s, e = _to_day(start, "start"), _to_day(end, "end")
    if s is not None and e is not None and s > e:
        raise AnalysisInputError(f"start={start!r} is after end={end!r}")
    return s, e


def _calendar(codes: np.ndarray, day: np.ndarray, n_patients: int, *,
              start: int | None = None, end: int | None = None) -> dict[str, np.ndarray]:
    """Lay out every calendar day of every patient's span as consecutive rows.

    Rows must already be restricted to ``start``..``end``. Without ``start`` a span
    begins at the patient's first row, without ``end`` it ends at the last one.
    Returns ``first`` (first day per patient), ``length`` (days per patient, 0 for
    a patient without a span), ``offset`` (row of the patient's first day) and
    ``cell`` (row of each input row's day).
    """
    big = np.iinfo(np.int64).max
    if start is None:
        first = np.full(n_patients, big, dtype=np.int64)
        np.minimum.at(first, codes, day)
    else:
        first = np.full(n_patients, start, dtype=np.int64)
    if end is None:
        last = np.full(n_patients, -big, dtype=np.int64)
        np.maximum.at(last, codes, day)
    else:
        last = np.full(n_patients, end, dtype=np.int64)
    length = np.where((first == big) | (last == -big), 0, last - first + 1).clip(min=0)
    offset = np.zeros(n_patients, dtype=np.int64)
    np.cumsum(length[:-1], out=offset[1:])
    cell = offset[codes] + (day - first[codes])
    return {"first": first, "length": length, "offset": offset, "cell": cell}


def _grid_keys(patients: pd.Index, cal: dict[str, np.ndarray]) -> tuple[pd.Series, np.ndarray]:
    """patient_id column and day numbers of every row of a calendar."""
    n = int(cal["length"].sum())
    row_patient = np.repeat(np.arange(len(patients)), cal["length"])
    day = cal["first"][row_patient] + (np.arange(n) - cal["offset"][row_patient])
    return pd.Series(patients.take(row_patient), dtype="string"), day


def _days_to_dates(day: np.ndarray) -> np.ndarray:
    return day.astype("datetime64[D]").astype("datetime64[ns]")
