"""Column names and dtypes of the canonical frames (documented in docs/data-format.md).

Pure data plus two tiny constructors; :mod:`backrx_analysis.io` produces frames in
exactly these dtypes, and the analysis modules rely on them.
"""

from __future__ import annotations

import pandas as pd

from .program import SIDES, Program, default_program
from .scales import SCALES

__all__ = [
    "SESSIONS_COLUMNS",
    "PAIN_COLUMNS",
    "sessions_dtypes",
    "pain_dtypes",
    "empty_sessions",
    "empty_pain",
    "conform",
    "DEFAULT_PATIENT",
]

#: patient_id given to entries of a log without a patient column.
DEFAULT_PATIENT = "patient"

SESSIONS_COLUMNS = (
    "patient_id",
    "date",
    "timestamp",
    "utc_offset_min",
    "exercise",
    "reps",
    "sets",
    "side",
    "minutes",
    "hold_s",
    "measured",
    "notes",
    "source",
    "source_line",
)

PAIN_COLUMNS = (
    "patient_id",
    "date",
    "timestamp",
    "utc_offset_min",
    "pain",
    "scale",
    "context",
    "location",
    "notes",
    "source",
    "source_line",
)

_COMMON = {
    "patient_id": "string",
    "date": "datetime64[ns]",
    "timestamp": "datetime64[ns]",
    "utc_offset_min": "Int32",
    "notes": "string",
    "source": "category",
    "source_line": "Int64",
}


def sessions_dtypes(program: Program | None = None) -> dict[str, object]:
    """Column -> dtype of a canonical sessions frame for ``program``."""
    program = program or default_program()
    d = dict(_COMMON)
    d.update(
        {
            "exercise": pd.CategoricalDtype(list(program.activity_ids)),
            "reps": "Int64",
            "sets": "Int64",
            "side": pd.CategoricalDtype(list(SIDES)),
            "minutes": "Float64",
            "hold_s": "Float64",
            "measured": "boolean",
        }
    )
    return {c: d[c] for c in SESSIONS_COLUMNS}


def pain_dtypes() -> dict[str, object]:
    """Column -> dtype of a canonical pain frame."""
    d = dict(_COMMON)
    d.update({"pain": "Float64", "scale": pd.CategoricalDtype(list(SCALES)),
              "context": "string", "location": "string"})
    return {c: d[c] for c in PAIN_COLUMNS}


def conform(frame: pd.DataFrame, dtypes: dict[str, object]) -> pd.DataFrame:
    """``frame`` with exactly these columns in this order and dtypes, and a fresh
    0..n-1 index; columns already right are not copied."""
    out = frame if list(frame.columns) == list(dtypes) else frame[list(dtypes)]
    current = out.dtypes
    wrong = {c: t for c, t in dtypes.items() if current[c] != pd.api.types.pandas_dtype(t)
             # "category" asks for a categorical, whatever its categories
             and not (t == "category" and isinstance(current[c], pd.CategoricalDtype))}
    if wrong:
        out = out.astype(wrong)
    if not (isinstance(out.index, pd.RangeIndex) and out.index.start == 0 and out.index.step == 1):
        out = out.reset_index(drop=True)
    return out


def _empty(dtypes: dict[str, object]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series([], dtype=t) for c, t in dtypes.items()})


def empty_sessions(program: Program | None = None) -> pd.DataFrame:
    return _empty(sessions_dtypes(program))


def empty_pain() -> pd.DataFrame:
    return _empty(pain_dtypes())
