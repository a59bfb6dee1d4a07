"""Tables for spreadsheets: the summary and the day-by-day overview as CSV files.

A CSV opened in Excel, LibreOffice or Google Sheets runs any cell that starts with
``=``, ``+``, ``-``, ``@``, a tab or a carriage return as a formula ("CSV
injection", OWASP). Text cells written here that start so are prefixed with a
single quote, which spreadsheets show as text; numbers are written as numbers.
Free-text notes are never part of these tables.

>>> import backrx_analysis as bx, tempfile, pathlib
>>> sessions, pain = bx.load_sample()
>>> paths = bx.export_tables(sessions, pain, tempfile.mkdtemp())
>>> [p.name for p in paths]
['summary.csv', 'daily.csv', 'logs_sessions.csv', 'logs_pain.csv']

``logs_sessions.csv`` and ``logs_pain.csv`` are the logs themselves, written by the one
log writer in the kit's own long format, so that ``bx.load_sessions`` /
``bx.load_pain`` read them back to the same frames: an export is also a backup (notes
left out unless ``include_notes=True``). They are for loading back, not for a
spreadsheet: their text is written as it is (not formula-neutralised).
"""

from __future__ import annotations

import csv
import os
from pathlib import Path
from typing import Any

import pandas as pd

from ..analysis.patient import Analysis, analysis_and_target
from ..io.writer import append_entries
from ..program import Program

__all__ = ["export_tables", "write_spreadsheet_csv", "neutralize_formula", "FORMULA_STARTS"]

#: First characters that make a spreadsheet read a cell as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralize_formula(value: Any) -> Any:
    """``'=1+1'`` -> ``"'=1+1"``; numbers and other text unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def write_spreadsheet_csv(frame: pd.DataFrame, path: str | Path) -> Path:
    """Write ``frame`` as a UTF-8 CSV (with BOM, so Excel reads the accents) whose
    text cells cannot run as formulas."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    out = frame.copy()
    for col in out.columns:
        if not pd.api.types.is_numeric_dtype(out[col]) and not pd.api.types.is_bool_dtype(out[col]):
            out[col] = out[col].astype(object).map(neutralize_formula, na_action="ignore")
    out.columns = [neutralize_formula(str(c)) for c in out.columns]
    out.to_csv(path, index=False, encoding="utf-8-sig", quoting=csv.QUOTE_NONNUMERIC,
               date_format="%Y-%m-%d", lineterminator="\n")
    return path


def _labelled(frame: pd.DataFrame, labels: dict[str, str] | None) -> pd.DataFrame:
    if not labels:
        return frame
    out = frame.copy()
    out["patient_id"] = out["patient_id"].astype(object).map(lambda p: labels.get(p, p))
    return out


def export_tables(
    sessions: pd.DataFrame | Analysis,
    pain: pd.DataFrame | str | Path | None = None,
    outdir: str | Path | None = None,
    *,
    program: Program | None = None,
    start: Any = None,
    end: Any = None,
    patient_labels: dict[str, str] | None = None,
    logs: bool = True,
    include_notes: bool = False,
) -> list[Path]:
    """Write ``summary.csv`` (:func:`~backrx_analysis.analysis.combined.summarize`) and
    ``daily.csv`` (:func:`~backrx_analysis.analysis.combined.adherence_vs_pain`, cut to
    the period) into ``outdir`` for a spreadsheet.

    ``sessions`` and ``pain`` may be one
    :class:`~backrx_analysis.analysis.patient.Analysis` instead
    (``export_tables(analysis, outdir)``). Patients appear under
    ``patient_labels[id]`` where given. With ``logs`` (the default), also
    ``logs_sessions.csv`` and ``logs_pain.csv``: the whole logs as loaded (not cut to
    the period, patient ids as they are), which ``bx.load_sessions`` / ``bx.load_pain``
    read back to the same frames; free-text notes only with ``include_notes``.
    Returns the paths.
    """
    analysis, outdir = analysis_and_target(sessions, pain, outdir, what="outdir",
                                           program=program, start=start, end=end)
    outdir = Path(outdir)
    written = [
        write_spreadsheet_csv(_labelled(analysis.summary, patient_labels), outdir / "summary.csv"),
        write_spreadsheet_csv(_labelled(analysis.together, patient_labels), outdir / "daily.csv"),
    ]
    if logs:
        for kind, frame in (("sessions", analysis.sessions), ("pain", analysis.pain)):
            if len(frame):
                written.append(_log_copy(frame, kind, outdir / f"logs_{kind}.csv",
                                         analysis.program, include_notes))
    return written


def _log_copy(frame: pd.DataFrame, kind: str, path: Path, program: Any,
              include_notes: bool) -> Path:
    """``frame`` through the log writer into a new file, then moved onto ``path`` (an
    earlier export of the same name is replaced whole, never appended to)."""
    tmp = path.with_name(f".partial-{path.name}")
    for stale in (tmp, tmp.with_name(tmp.name + ".lock")):
        stale.unlink(missing_ok=True)
    out = frame if include_notes or "notes" not in frame else frame.assign(notes=pd.NA)
    try:
        append_entries(tmp, out, kind, program=program)
        os.replace(tmp, path)
    finally:
        for stale in (tmp, tmp.with_name(tmp.name + ".lock")):
            stale.unlink(missing_ok=True)
    return path
