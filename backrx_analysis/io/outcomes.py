"""Load function questionnaires (ODI, RMDQ, PSFS, EARS) into one validated long frame.

A sheet has a row per visit: ``patient_id`` (optional), ``date``, and the answers of
whichever questionnaires were given that day in columns named ``<questionnaire>_<n>``
(:mod:`.outcome_fields`); a questionnaire is given on a row when any of its cells is
filled. Files are read by the logs' readers (:func:`.readers.read_table`), dates as the
logs' dates (:func:`.dates.parse_dates`), and every problem is collected before
anything is refused, with file, line, column, value and what is accepted. The frame's
columns and dtypes are in docs/data-format.md, "Function questionnaires"; the scores
are worked out by :func:`backrx_analysis.analysis.outcomes.score_outcomes`.

Examples
--------
>>> import pandas as pd
>>> from backrx_analysis.io.outcomes import load_outcomes
>>> sheet = pd.DataFrame({"date": ["2026-03-02"], "ears_1": [1], "ears_2": [3],
...                       "ears_3": [4], "ears_4": [0], "ears_5": [2], "ears_6": [1]})
>>> load_outcomes(sheet)[["questionnaire", "item", "answer"]].head(2)
  questionnaire  item  answer
0          ears     1     1.0
1          ears     2     3.0
"""

from __future__ import annotations

import os
from collections.abc import Sequence

import numpy as np
import pandas as pd

from ..errors import PROBLEM_COLUMNS, LogFormatError, raise_problems
from ..schema import DEFAULT_PATIENT, conform
from .cells import parse_text
from .dates import parse_dates
from .fields import Problems, header_of
from .headers import HeaderMap
from .outcome_fields import (
    LABEL,
    N_ITEMS,
    QUESTIONNAIRES,
    Cells,
    CheckedSheet,
    map_outcome_headers,
)
from .readers import read_table
from .validate import _drop_repeated_headers, _extra_cells, _source_label

__all__ = ["OUTCOMES_COLUMNS", "outcomes_dtypes", "empty_outcomes", "load_outcomes",
           "check_outcomes"]

#: Columns of the canonical questionnaire frame, in order.
OUTCOMES_COLUMNS = ("patient_id", "date", "questionnaire", "item", "answer", "two_ticked",
                    "activity", "written", "source", "source_line")

Source = str | os.PathLike | pd.DataFrame

def outcomes_dtypes() -> dict[str, object]:
    """Column -> dtype of the canonical questionnaire frame."""
    return {"patient_id": "string", "date": "datetime64[ns]",
            "questionnaire": pd.CategoricalDtype(list(QUESTIONNAIRES)), "item": "Int64",
            "answer": "Float64", "two_ticked": "bool", "activity": "string",
            "written": "string", "source": "category", "source_line": "Int64"}


def empty_outcomes() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series([], dtype=t) for c, t in outcomes_dtypes().items()})


def _kinds(headers: list[str]) -> dict[int, str]:
    """How the reader keeps each column: every answer as text (``4/5``, ``yes``), judged
    here; ids, activities and dates as the logs keep them."""
    cols = map_outcome_headers(headers)
    kinds = {p: "text" for p in range(len(headers))}
    if cols.patient is not None:
        kinds[cols.patient] = "string"
    if cols.date is not None:
        kinds[cols.date] = "date"
    kinds.update({p: "string" for p in cols.activities.values()})
    return kinds


def _dates_and_patients(sheet: CheckedSheet, given: np.ndarray, dayfirst: bool | None,
                        patient_id: str | None) -> tuple[np.ndarray, pd.Series]:
    """Per row: the day as written and the patient; missing ones are problems on the
    rows that hold answers."""
    raw, cols, probs = sheet.raw, sheet.cols, sheet.probs
    col = raw.frame[cols.date]
    res = parse_dates(col, dayfirst=dayfirst)
    bad = res.bad
    if res.file_problem:
        probs.add_file(res.file_problem, header_of(raw, cols.date), raw.header_line)
        bad = bad & ~res.ambiguous
    probs.add(bad & given, header_of(raw, cols.date), col, res.problem)
    if cols.patient is None:
        ids = pd.Series([patient_id or DEFAULT_PATIENT] * sheet.n, dtype="string")
    else:
        ids = parse_text(raw.frame[cols.patient]).astype("string")
        missing = ids.isna().to_numpy()
        if patient_id is not None:
            ids = ids.fillna(patient_id)
        else:
            probs.add(missing & given, header_of(raw, cols.patient), raw.frame[cols.patient],
                      "missing patient id; fill it in, or remove the column for a "
                      "one-patient sheet")
    return res.date, ids


def _twice(sheet: CheckedSheet, q: str, rows: np.ndarray, date: np.ndarray, ids: pd.Series) -> None:
    """The same questionnaire of a patient twice on one day is a problem (which one
    counts cannot be guessed)."""
    keys = pd.DataFrame({"p": ids.to_numpy()[rows], "d": date[rows]})
    again = keys.duplicated(keep="first").to_numpy()
    if not again.any():
        return
    first = keys.groupby(["p", "d"], dropna=False, sort=False).ngroup().to_numpy()
    line_of = {}
    for g, r in zip(first, rows, strict=True):
        line_of.setdefault(g, sheet.raw.lines[r])
    mask = np.zeros(sheet.n, dtype=bool)
    mask[rows[again]] = True
    reason = np.full(sheet.n, None, dtype=object)
    reason[rows[again]] = [f"a second {LABEL[q]} of this patient on this day (the first is "
                           f"on line {line_of[g]}); keep one, or correct the date"
                           for g in first[again]]
    pos = sheet.cols.date
    sheet.probs.add(mask, header_of(sheet.raw, pos), sheet.raw.frame[pos], reason)


def _blocks(sheet: CheckedSheet, given: dict[str, np.ndarray]) -> list[dict]:
    """The long rows, a block per column: (sheet row, questionnaire, item, answer,
    two boxes, activity, as written). Items of a questionnaire whose items were
    answered on a row are all there (NA when blank; RMDQ blanks of a tick-only form
    are no); a total only where written."""
    cols, n, out = sheet.cols, sheet.n, []
    na_text = pd.Series([pd.NA] * n, dtype="string")
    for qi, q in enumerate(QUESTIONNAIRES):
        if q in cols.totals:
            pos = cols.totals[q]
            rows = np.flatnonzero(sheet.filled(pos))
            out.append(_block(rows, qi, 0, sheet.cells[pos], na_text, sheet.text[pos]))
        item_pos = [cols.items.get((q, k)) for k in range(1, N_ITEMS[q] + 1)]
        if q == "psfs":
            for k in range(1, N_ITEMS[q] + 1):
                a, s = cols.activities.get(k), item_pos[k - 1]
                if a is None or s is None:
                    continue
                rows = np.flatnonzero(sheet.filled(a) & sheet.filled(s))
                out.append(_block(rows, qi, k, sheet.cells[s], sheet.text[a], sheet.text[s]))
            continue
        answered = np.zeros(n, dtype=bool)
        for p in item_pos:
            if p is not None:
                answered |= sheet.cells[p].filled
        rows = np.flatnonzero(answered & given[q])
        for k, p in enumerate(item_pos, start=1):
            if p is None:
                blank = Cells(np.full(n, np.nan), np.zeros(n, bool), np.full(n, None), np.zeros(
                    n, bool))
                cell, text = blank, na_text
            else:
                cell, text = sheet.cells[p], sheet.text[p]
            if q == "rmdq":  # a tick-only form: a blank statement is no
                no = sheet.blank_no & ~cell.filled
                cell = Cells(np.where(no, 0.0, cell.value), cell.filled, cell.problem, cell.two)
            out.append(_block(rows, qi, k, cell, na_text, text))
    return out


def _block(rows, qi, item, cell: Cells, activity: pd.Series, text: pd.Series) -> dict:
    return {"row": rows, "q": np.full(len(rows), qi), "item": np.full(len(rows), item),
            "answer": cell.value[rows], "two": cell.two[rows],
            "activity": activity.to_numpy(dtype=object, na_value=None)[rows],
            "written": text.to_numpy(dtype=object, na_value=None)[rows]}


def _read_one(src: Source, *, sheet, dayfirst, patient_id, rmdq_blank
              ) -> tuple[pd.DataFrame | None, pd.DataFrame]:
    try:
        raw = read_table(src, sheet=sheet, column_kinds=_kinds)
    except LogFormatError as exc:
        return None, exc.problems
    cols = map_outcome_headers(raw.headers)
    probs = Problems(raw)
    for header, problem in cols.problems:
        probs.add_file(problem, header, raw.header_line)
    if cols.date is None or not (cols.items or cols.totals or cols.activities):
        return None, probs.frame()
    raw = _drop_repeated_headers(raw, HeaderMap(fields={"date": cols.date}), probs)
    _extra_cells(raw, probs)
    s = CheckedSheet(raw, cols, probs, rmdq_blank)
    s.psfs_pairs()
    given = {q: s.given(q) for q in QUESTIONNAIRES}
    any_given = np.logical_or.reduce(list(given.values()))
    date, ids = _dates_and_patients(s, any_given, dayfirst, patient_id)
    for q in QUESTIONNAIRES:
        _twice(s, q, np.flatnonzero(given[q]), date, ids)
    blocks = _blocks(s, given)
    parts = {k: np.concatenate([b[k] for b in blocks]) if blocks else np.zeros(0)
             for k in ("row", "q", "item", "answer", "two", "activity", "written")}
    order = np.lexsort((parts["item"], parts["q"], parts["row"]))
    rows = parts["row"][order].astype(np.int64)
    out = pd.DataFrame({
        "patient_id": ids.iloc[rows].reset_index(drop=True),
        "date": date[rows],
        "questionnaire": pd.Categorical.from_codes(parts["q"][order].astype(np.int8),
                                                   list(QUESTIONNAIRES)),
        "item": parts["item"][order].astype(np.int64),
        "answer": pd.array(parts["answer"][order].astype(float), dtype="Float64"),
        "two_ticked": parts["two"][order].astype(bool),
        "activity": pd.array(parts["activity"][order], dtype="string"),
        "written": pd.array(parts["written"][order], dtype="string"),
        "source": pd.Categorical([_source_label(raw.source)] * len(rows)),
        "source_line": raw.lines[rows],
    })
    out.attrs["ignored_columns"] = list(cols.ignored)
    return conform(out, outcomes_dtypes()), probs.frame()


def _read_all(sources, **options) -> tuple[pd.DataFrame, pd.DataFrame]:
    if isinstance(sources, pd.DataFrame | str | os.PathLike):
        sources = [sources]
    frames, problems, ignored = [], [], []
    for src in sources:
        frame, probs = _read_one(src, **options)
        if frame is not None:
            frames.append(frame)
            ignored += [c for c in frame.attrs.get("ignored_columns", []) if c not in ignored]
        if len(probs):
            problems.append(probs)
    out = (conform(pd.concat(frames, ignore_index=True), outcomes_dtypes()) if frames
           else empty_outcomes())
    out.attrs["ignored_columns"] = ignored
    probs = (pd.concat(problems, ignore_index=True) if problems
             else pd.DataFrame({c: pd.Series([], dtype=object) for c in PROBLEM_COLUMNS}))
    probs["line"] = pd.array(probs["line"], dtype="Int64")
    return out, probs


def load_outcomes(
    sources: Source | Sequence[Source],
    *,
    dayfirst: bool | None = None,
    patient_id: str | None = None,
    sheet: str | int | None = None,
    rmdq_blank: str = "missing",
) -> pd.DataFrame:
    """Load function questionnaires (ODI, RMDQ, PSFS, EARS) into one long frame.

    Parameters
    ----------
    sources : path, DataFrame, or a list of them
        CSV/TSV/XLSX/JSON/Parquet, read as the logs are. A row per visit:
        ``patient_id`` (optional), ``date``, ``odi_1`` .. ``odi_10`` (0-5; ``4,5`` or
        ``4/5`` when two boxes were ticked), ``rmdq_1`` .. ``rmdq_24`` (yes/no, y/n,
        1/0, true/false, x or a tick; n/a is no; blank), ``ears_1`` .. ``ears_6``
        (0-4), ``psfs_activity_1`` .. ``_5`` with ``psfs_score_1`` .. ``_5`` (0-10,
        decimals accepted), totals scored on paper ``odi_total`` (the index, 0-100 %),
        ``rmdq_total`` (0-24), ``psfs_total`` (0-10), ``ears_total`` (0-24), and
        ``rmdq_form`` (``tick`` or ``yes/no``). Other columns are ignored (listed in
        ``frame.attrs["ignored_columns"]``).
    dayfirst : bool, optional
        For slash dates, as in :func:`backrx_analysis.io.load_sessions`.
    patient_id : str, optional
        Patient of a sheet without a patient column (default ``"patient"``).
    sheet : str or int, optional
        Spreadsheet sheet (default: the first).
    rmdq_blank : {"missing", "no"}
        What a blank RMDQ statement means where ``rmdq_form`` does not say: missing (a
        yes/no form; the default) or no (a tick-only form, where only the yes are
        ticked). A tick-only form with nothing ticked has no cell filled: write
        ``rmdq_total`` 0.

    Returns
    -------
    DataFrame
        One row per patient, date, questionnaire and item given: ``patient_id``
        (string), ``date`` (datetime64[ns], the day as written), ``questionnaire``
        (category: odi, rmdq, psfs, ears), ``item`` (Int64, from 1; 0 for a total
        on paper), ``answer`` (Float64: 0-5, 1/0, 0-10, 0-4 or the total; NA when
        blank), ``two_ticked`` (bool), ``activity`` (string, PSFS), ``written``
        (string: the cell as written), ``source`` (category), ``source_line`` (Int64).
        Every item of a questionnaire whose items were answered on a row is there.

    Raises
    ------
    LogValidationError
        Listing every problem of every file, with ``.problems`` as a table.
    """
    frame, problems = _read_all(sources, **_options(dayfirst, patient_id, sheet, rmdq_blank))
    raise_problems(problems)
    return frame


def check_outcomes(
    sources: Source | Sequence[Source],
    *,
    dayfirst: bool | None = None,
    sheet: str | int | None = None,
    rmdq_blank: str = "missing",
) -> pd.DataFrame:
    """Every problem of questionnaire sheets as a table (``file``, ``line``,
    ``column``, ``value``, ``problem``; empty when they load). Never raises on bad
    rows or unreadable files."""
    return _read_all(sources, **_options(dayfirst, None, sheet, rmdq_blank))[1]


def _options(dayfirst, patient_id, sheet, rmdq_blank) -> dict:
    if rmdq_blank not in ("missing", "no"):
        raise ValueError(f"rmdq_blank must be 'missing' (a yes/no form) or 'no' (a "
                         f"tick-only form), got {rmdq_blank!r}")
    return {"dayfirst": dayfirst, "patient_id": patient_id, "sheet": sheet,
            "rmdq_blank": rmdq_blank}
