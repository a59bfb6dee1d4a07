"""Append questionnaire answers to a questionnaire sheet, with the logs' promises.

The sheet layout is that of :func:`~backrx_analysis.io.outcomes.load_outcomes` (a row
per visit, ``<questionnaire>_<n>`` columns). The file is written by the one writer's
core (:mod:`.writer`: its layout read, its own delimiter, encoding and line ends, one
``O_APPEND`` write under a file lock, then fsync): never rewritten, never truncated.
Before anything is written, the file as it would be afterwards is read back by the
loader's own rules (in a temporary copy): an entry the loader would refuse (an ODI
section of 6, a PSFS score without its activity, the same questionnaire twice on one
day, here or already in the file) is refused with every problem at once, and
nothing is written.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd
from filelock import FileLock

from ..errors import LogFormatError, LogValidationError
from .outcome_fields import N_ITEMS, OutcomeColumns, map_outcome_headers
from .outcomes import check_outcomes, load_outcomes
from .writer import append_durably, encoded_rows, file_layout

__all__ = ["OUTCOMES_HEADER", "append_outcomes"]

_LOCK_TIMEOUT_S = 30

#: Header of a questionnaire sheet the kit creates (without ``patient_id``, which
#: comes first when an entry names a patient).
OUTCOMES_HEADER = (
    "date",
    *(f"odi_{i}" for i in range(1, N_ITEMS["odi"] + 1)),
    *(f"rmdq_{i}" for i in range(1, N_ITEMS["rmdq"] + 1)),
    *(c for i in range(1, N_ITEMS["psfs"] + 1) for c in (f"psfs_activity_{i}", f"psfs_score_{i}")),
    *(f"ears_{i}" for i in range(1, N_ITEMS["ears"] + 1)),
)


def _slots(cols: OutcomeColumns) -> dict[tuple, int]:
    """Field -> column position of a mapped header."""
    out: dict[tuple, int] = {}
    for name in ("patient", "date", "form"):
        if getattr(cols, name) is not None:
            out[(name,)] = getattr(cols, name)
    out.update({("item", q, n): p for (q, n), p in cols.items.items()})
    out.update({("activity", n): p for n, p in cols.activities.items()})
    out.update({("total", q): p for q, p in cols.totals.items()})
    return out


def _text(value: object) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    if isinstance(value, dt.datetime | pd.Timestamp):
        return pd.Timestamp(value).strftime("%Y-%m-%d")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool | np.bool_):
        return "yes" if value else "no"
    if isinstance(value, float | np.floating):
        return str(int(value)) if float(value).is_integer() else repr(float(value))
    return str(value).strip()


def _entries(entries: pd.DataFrame | Sequence[Mapping[str, object]]) -> pd.DataFrame:
    frame = entries.copy() if isinstance(entries, pd.DataFrame) else pd.DataFrame(list(entries))
    if frame.empty:
        raise ValueError("no questionnaire entries to write")
    frame = frame.reset_index(drop=True).astype(object)
    return pd.DataFrame({str(c): [_text(v) for v in frame[c]] for c in frame.columns})


def append_outcomes(
    path: str | os.PathLike,
    entries: pd.DataFrame | Sequence[Mapping[str, object]],
    *,
    rmdq_blank: str = "missing",
) -> pd.DataFrame:
    """Append questionnaire answers (a row per visit) to a questionnaire sheet.

    Parameters
    ----------
    path : path
        A CSV or TSV questionnaire sheet; created with a header when missing
        (``patient_id`` when an entry has one, ``date``, then every item column of
        ODI, RMDQ, PSFS and EARS, :data:`OUTCOMES_HEADER`).
    entries : list of dicts or DataFrame
        Keyed by the sheet's column names: ``date``, optionally ``patient_id``, and the
        answers of the questionnaires given (``odi_1`` .. ``odi_10``, ``rmdq_1`` ..
        ``rmdq_24``, ``psfs_activity_<n>`` with ``psfs_score_<n>``, ``ears_1`` ..
        ``ears_6``, the ``*_total`` columns, ``rmdq_form``), as
        :func:`~backrx_analysis.io.outcomes.load_outcomes` reads them. Blank (None)
        cells stay empty.
    rmdq_blank : {"missing", "no"}
        As in :func:`load_outcomes`, for reading the sheet back.

    Returns
    -------
    DataFrame
        The :func:`load_outcomes` rows of what was written, with their
        ``source_line`` in the file.

    Raises
    ------
    LogValidationError
        When the sheet with the entries would not load: every problem of the
        entries, with the line each would have had; nothing is written.
    LogFormatError
        When the file is not a questionnaire sheet this writer can append to, or has
        no column for an answer an entry carries.
    ValueError
        For keys that are no column of a questionnaire sheet.

    Examples
    --------
    >>> import backrx_analysis as bx, tempfile, pathlib
    >>> sheet = pathlib.Path(tempfile.mkdtemp()) / "questionnaires.csv"
    >>> ears = {f"ears_{i}": a for i, a in enumerate([1, 3, 4, 0, 2, 1], start=1)}
    >>> _ = bx.append_outcomes(sheet, [{"date": "2026-03-02", **ears}])
    >>> bx.score_outcomes(bx.load_outcomes(sheet))["score"].tolist()
    [19.0]
    """
    path = Path(path)
    if path.suffix.lower() not in (".csv", ".tsv", ".txt"):
        raise LogFormatError(str(path), "the kit appends only to CSV or TSV sheets")
    frame = _entries(entries)
    keys = map_outcome_headers(list(frame.columns))
    wrong = [f"{h!r}: {p}" for h, p in keys.problems if h] + [
        f"{h!r}: not a column of a questionnaire sheet (accepted: date, patient_id, and "
        f"the columns of docs/data-format.md, 'Function questionnaires')" for h in keys.ignored]
    if keys.date is None:
        wrong.append("every entry needs its 'date'")
    if wrong:
        raise ValueError("cannot write these questionnaire entries: " + "; ".join(wrong))
    entry_slots = _slots(keys)
    by_pos = {p: slot for slot, p in entry_slots.items()}
    columns = [by_pos.get(i, ("ignored",)) for i in range(len(frame.columns))]  # per column
    with FileLock(str(path) + ".lock", timeout=_LOCK_TIMEOUT_S):
        layout = file_layout(path)
        if layout is None:
            has_id = ("patient",) in entry_slots and (frame.iloc[:, keys.patient] != "").any()
            header = (["patient_id"] if has_id else []) + list(OUTCOMES_HEADER)
            known = set(_slots(map_outcome_headers(header)))
            header += [c for c, s in zip(frame.columns, columns, strict=True)
                       if s not in known and s != ("patient",)]
            target, lines_before, prefix = map_outcome_headers(header), 1, ",".join(header) + "\n"
        else:
            header, lines_before, prefix = layout["headers"], layout["lines"], ""
            target = map_outcome_headers(header)
            bad = [p for _, p in target.problems]
            if bad:
                raise LogFormatError(str(path), "is not a questionnaire sheet the kit can "
                                                "append to: " + "; ".join(bad))
        rows = _rows(frame, columns, _slots(target), len(header), path)
        data = encoded_rows(path, rows, layout, prefix)
        written = _check(path, data, lines_before, rmdq_blank)
        append_durably(path, data)
    return written


def _rows(frame: pd.DataFrame, columns: list[tuple], target: dict[tuple, int], width: int,
          path: Path) -> list[list[str]]:
    rows = [[""] * width for _ in range(len(frame))]
    lost = []
    for col, slot in zip(frame.columns, columns, strict=True):
        values = frame[col].tolist()
        if slot not in target:
            if any(v != "" for v in values):
                lost.append(col)
            continue
        for r, v in zip(rows, values, strict=True):
            r[target[slot]] = v
    if lost:
        raise LogFormatError(str(path), f"has no column for {', '.join(lost)}; add the column "
                                        "to the sheet's header or leave those answers empty")
    return rows


def _check(path: Path, data: bytes, lines_before: int, rmdq_blank: str) -> pd.DataFrame:
    """Read the sheet as it would be after the append (a temporary copy): problems the
    entries bring (on their lines, or about the whole file) refuse them; else the
    loaded rows of the new lines."""
    old = path.read_bytes() if path.exists() else b""
    with tempfile.TemporaryDirectory(prefix="backrx-check-") as tmp:
        copy = Path(tmp) / path.name
        copy.write_bytes(old + data)
        problems = check_outcomes(copy, rmdq_blank=rmdq_blank)
        before = check_outcomes(path, rmdq_blank=rmdq_blank) if old and len(problems) else None
        if before is not None and len(before):
            seen = set(zip(before["line"].astype(object), before["column"], before["problem"],
                           strict=True))
            keep = [(ln, c, p) not in seen for ln, c, p in zip(
                problems["line"].astype(object), problems["column"], problems["problem"],
                strict=True)]
            new = problems[keep]
        else:
            new = problems
        if len(new):
            raise LogValidationError(new.assign(file=str(path)).reset_index(drop=True))
        frame = (load_outcomes(copy, rmdq_blank=rmdq_blank) if not len(problems)
                 else _new_rows_only(copy, lines_before, rmdq_blank))
    out = frame[frame["source_line"] > lines_before].reset_index(drop=True)
    out["source"] = pd.Categorical([path.name] * len(out))
    if not len(out):
        raise ValueError("the entries hold no answers: fill in at least one questionnaire")
    return out


def _new_rows_only(copy: Path, lines_before: int, rmdq_blank: str) -> pd.DataFrame:
    """The new rows loaded on their own (under the sheet's header), for a sheet whose
    older rows have problems the entries did not cause."""
    lines = copy.read_bytes().splitlines(keepends=True)
    alone = copy.with_name("new-" + copy.name)
    alone.write_bytes(lines[0] + b"".join(lines[lines_before:]))
    frame = load_outcomes(alone, rmdq_blank=rmdq_blank)
    return frame.assign(source_line=frame["source_line"] + (lines_before - 1))
