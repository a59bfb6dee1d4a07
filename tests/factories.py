"""Build small canonical frames for tests from a few columns per row.

>>> from factories import make_sessions
>>> s = make_sessions([{"date": "2026-03-02", "exercise": "wall_squat", "reps": 10}])
>>> str(s["exercise"].dtype)
'category'
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd

from backrx_analysis.program import Program
from backrx_analysis.schema import empty_pain, empty_sessions, pain_dtypes, sessions_dtypes

__all__ = ["make_sessions", "make_pain"]

#: patient_id used when a row gives none.
PATIENT = "p1"


def _frame(rows: Iterable[Mapping[str, Any]], empty: pd.DataFrame,
           dtypes: dict[str, object]) -> pd.DataFrame:
    rows = [dict(r) for r in rows]
    if not rows:
        return empty
    unknown = sorted({k for r in rows for k in r} - set(dtypes))
    if unknown:
        raise KeyError(f"unknown columns {unknown}; known: {list(dtypes)}")
    data = {}
    for col, dtype in dtypes.items():
        values = [r.get(col, PATIENT if col == "patient_id" else None) for r in rows]
        if col in ("date", "timestamp"):
            data[col] = pd.Series(pd.to_datetime(values)).astype("datetime64[ns]")
        else:
            data[col] = pd.Series(values, dtype=object).astype(dtype)
    frame = pd.DataFrame(data)
    frame["source_line"] = frame["source_line"].fillna(
        pd.Series(range(2, len(frame) + 2), dtype="Int64"))
    return frame


def make_sessions(rows: Iterable[Mapping[str, Any]], program: Program | None = None
                  ) -> pd.DataFrame:
    """Canonical sessions frame from dicts with some columns (others missing).

    ``patient_id`` defaults to ``"p1"``; ``date`` is a date string or Timestamp.
    """
    return _frame(rows, empty_sessions(program), sessions_dtypes(program))


def make_pain(rows: Iterable[Mapping[str, Any]]) -> pd.DataFrame:
    """Canonical pain frame from dicts with some columns (others missing)."""
    return _frame(rows, empty_pain(), pain_dtypes())
