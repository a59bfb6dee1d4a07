"""The columns of a questionnaire sheet, and the check of each kind of answer.

The pieces :func:`backrx_analysis.io.outcomes.load_outcomes` puts together: which
header is which questionnaire item (:func:`map_outcome_headers`: ``odi_1`` ..
``odi_10``, ``rmdq_1`` .. ``rmdq_24``, ``ears_1`` .. ``ears_6``, ``psfs_activity_<n>``
with ``psfs_score_<n>``, the totals scored on paper, ``rmdq_form``) and the parsers
of a column's cells, each judging every *distinct* value once and returning, per row,
the value, whether the cell was written, and why it was refused; :class:`CheckedSheet`
parses every column of a sheet once and checks the PSFS pairs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..program import normalize_name
from .cells import distinct, is_blank, parse_numbers, parse_text
from .fields import Problems, header_of
from .headers import SYNONYMS, normalize_header
from .raw_table import RawTable

__all__ = ["QUESTIONNAIRES", "N_ITEMS", "ITEM_MAX", "TOTAL_MAX", "NOT_APPLICABLE", "OutcomeColumns",
           "map_outcome_headers", "Cells", "odi_cells", "rmdq_cells", "number_cells",
           "form_cells", "CheckedSheet"]

#: The questionnaires, in the order of the ``questionnaire`` categories.
QUESTIONNAIRES = ("odi", "rmdq", "psfs", "ears")
#: Items of each questionnaire (PSFS: activity slots, of which 3-5 are used).
N_ITEMS = {"odi": 10, "rmdq": 24, "psfs": 5, "ears": 6}
#: Highest answer of one item (RMDQ: yes = 1).
ITEM_MAX = {"odi": 5, "rmdq": 1, "psfs": 10, "ears": 4}
#: Range of the total scored on paper: ODI index in %, RMDQ yes count, PSFS mean, EARS sum.
TOTAL_MAX = {"odi": 100, "rmdq": 24, "psfs": 10, "ears": 24}
#: Names as people write them in messages.
LABEL = {"odi": "ODI", "rmdq": "RMDQ", "psfs": "PSFS", "ears": "EARS"}
#: RMDQ cells that mean "not applicable" (counted as no).
NOT_APPLICABLE = frozenset({"na", "notapplicable", "nvt", "nz"})

_YES = frozenset({"yes", "y", "1", "true", "x", "tick", "ticked"})
_NO = frozenset({"no", "n", "0", "false"})
_TICKS = frozenset({"\u2713", "\u2714", "\u2611", "\u2612", "\u2717", "\u2718"})
_ITEM = re.compile(r"(odi|rmdq|ears)(\d+|total)")
_PSFS = re.compile(r"psfs(activity|score)(\d+)")
_OURS = re.compile(r"(odi|rmdq|ears|psfs)(\d|total|activity|score|form|$)")
_PATIENT = frozenset(normalize_name(s) for s in SYNONYMS["patient_id"])
_DATE = frozenset(normalize_name(s) for s in SYNONYMS["date"])
_SEPARATORS = re.compile(r"\s*(?:[,/;+&]|\band\b)\s*")

#: what each questionnaire's columns may be called (for the unknown-column problem)
ACCEPTED = {
    "odi": "odi_1 to odi_10 and odi_total",
    "rmdq": "rmdq_1 to rmdq_24, rmdq_total and rmdq_form",
    "ears": "ears_1 to ears_6 and ears_total",
    "psfs": "psfs_activity_1 to psfs_activity_5, psfs_score_1 to psfs_score_5 and psfs_total",
}


@dataclass
class OutcomeColumns:
    """Where each field of a questionnaire sheet is (column positions)."""

    patient: int | None = None
    date: int | None = None
    form: int | None = None
    #: (questionnaire, item from 1) -> position; PSFS: the score of activity slot n
    items: dict[tuple[str, int], int] = field(default_factory=dict)
    activities: dict[int, int] = field(default_factory=dict)  # PSFS slot -> position
    totals: dict[str, int] = field(default_factory=dict)
    ignored: list[str] = field(default_factory=list)
    problems: list[tuple[str, str]] = field(default_factory=list)  # (header, problem)

    def positions(self, q: str) -> list[int]:
        """Every column of questionnaire ``q`` (items, activities, total)."""
        out = [p for (qq, _), p in self.items.items() if qq == q]
        if q == "psfs":
            out += list(self.activities.values())
        if q in self.totals:
            out.append(self.totals[q])
        return sorted(out)


def map_outcome_headers(headers: list[str]) -> OutcomeColumns:
    """Which column is which field. Headers are compared as for the logs (case,
    spaces, ``_`` and punctuation aside: ``ODI 1`` is ``odi_1``); the patient and date
    columns take the logs' synonyms. A header of a questionnaire that names no item of
    it (``odi_11``, ``psfs_6``) is a problem; other unknown headers are ignored."""
    cols = OutcomeColumns()
    seen: dict[tuple, str] = {}
    for pos, header in enumerate(headers):
        key = normalize_header(header)[0]
        what = _field(key)
        if what is None:
            if _OURS.match(key):
                q = _OURS.match(key).group(1)
                cols.problems.append((header, f"unknown {LABEL[q]} column; accepted: "
                                              f"{ACCEPTED[q]}"))
            elif header.strip():
                cols.ignored.append(header)
        elif what in seen:
            cols.problems.append((header, f"both {seen[what]!r} and {header!r} would be the "
                                          "same column; rename or remove one of them"))
        else:
            seen[what] = header
            kind, q, n = what
            if kind in ("patient", "date", "form"):
                setattr(cols, kind, pos)
            elif kind == "total":
                cols.totals[q] = pos
            elif kind == "activity":
                cols.activities[n] = pos
            else:
                cols.items[(q, n)] = pos
    if cols.date is None:
        found = ", ".join(repr(h) for h in headers) or "none"
        cols.problems.append(("", "missing required column date (the day the questionnaire "
                                  f"was filled in). Columns found: {found}. Accepted names: "
                                  f"{', '.join(SYNONYMS['date'][:6])}"))
    if not cols.items and not cols.totals and not cols.activities:
        cols.problems.append(("", "no questionnaire columns; expected odi_1 .. odi_10, "
                                  "rmdq_1 .. rmdq_24, ears_1 .. ears_6, psfs_activity_1 .. 5 "
                                  "with psfs_score_1 .. 5, or odi_total, rmdq_total, "
                                  "psfs_total, ears_total"))
    return cols


def _field(key: str) -> tuple[str, str, int] | None:
    """(kind, questionnaire, item) a normalised header names, or None."""
    if key in _PATIENT:
        return ("patient", "", 0)
    if key in _DATE:
        return ("date", "", 0)
    if key == "rmdqform":
        return ("form", "rmdq", 0)
    if key == "psfstotal":
        return ("total", "psfs", 0)
    item, psfs = _ITEM.fullmatch(key), _PSFS.fullmatch(key)
    if item and item.group(2) == "total":
        return ("total", item.group(1), 0)
    if item and 1 <= int(item.group(2)) <= N_ITEMS[item.group(1)]:
        return ("item", item.group(1), int(item.group(2)))
    if psfs and 1 <= int(psfs.group(2)) <= N_ITEMS["psfs"]:
        return (psfs.group(1) if psfs.group(1) == "activity" else "item", "psfs",
                int(psfs.group(2)))
    return None


@dataclass
class Cells:
    """Per row of one column: ``value`` (NaN for blank or refused), ``filled`` (the
    cell is written), ``problem`` (the reason it is refused, else None), ``two`` (an
    ODI cell with more than one box ticked)."""

    value: np.ndarray
    filled: np.ndarray
    problem: np.ndarray
    two: np.ndarray

    @property
    def bad(self) -> np.ndarray:
        return np.array([p is not None for p in self.problem], dtype=bool)


def _per_row(col: pd.Series, judged: list[tuple[float, bool, str | None]]) -> Cells:
    """Per distinct value (value, two boxes, problem) -> per row."""
    codes, uniques = distinct(col)
    value = np.array([j[0] for j in judged] + [np.nan], dtype=float)
    two = np.array([j[1] for j in judged] + [False], dtype=bool)
    problem = np.array([j[2] for j in judged] + [None], dtype=object)
    filled = np.array([not is_blank(u) for u in uniques] + [False], dtype=bool)
    return Cells(value[codes], filled[codes], problem[codes], two[codes])


def _uniques(col: pd.Series) -> np.ndarray:
    return distinct(col)[1]


def _box(text: str, high: int) -> float | None:
    try:
        f = float(text)
    except ValueError:
        return None
    return f if f.is_integer() and 0 <= f <= high else None


def odi_cells(col: pd.Series) -> Cells:
    """An ODI section: 0-5; two boxes ticked (``4,5``, ``4/5``, ``4 and 5``): the
    higher, with ``two`` set."""
    why = ("not an ODI answer; a section is scored 0 to 5 (whole numbers), or two boxes "
           "ticked like '4,5' or '4/5' (the higher counts)")
    judged = []
    for u in _uniques(col):
        if is_blank(u):
            judged.append((np.nan, False, None))
            continue
        if isinstance(u, bool | np.bool_):
            judged.append((np.nan, False, why))
            continue
        parts = [p for p in _SEPARATORS.split(str(u).strip()) if p]
        boxes = [_box(p, 5) for p in parts]
        if not parts or any(b is None for b in boxes):
            judged.append((np.nan, False, why))
        else:
            judged.append((max(boxes), len(boxes) > 1, None))
    return _per_row(col, judged)


def rmdq_cells(col: pd.Series) -> Cells:
    """An RMDQ statement: yes (1) or no (0); ``n/a`` is no."""
    why = ("not a yes/no answer; accepted: yes, y, 1, true, x or a tick (yes); no, n, 0, "
           "false (no); n/a (counted as no); or blank")
    judged = []
    for u in _uniques(col):
        if is_blank(u):
            judged.append((np.nan, False, None))
            continue
        if isinstance(u, bool | np.bool_):
            judged.append((float(bool(u)), False, None))
            continue
        if isinstance(u, int | float | np.number):
            judged.append((float(u), False, None) if float(u) in (0.0, 1.0)
                          else (np.nan, False, why))
            continue
        raw = str(u).strip()
        word = normalize_name(raw)
        if raw in _TICKS or word in _YES:
            judged.append((1.0, False, None))
        elif word in _NO or word in NOT_APPLICABLE:
            judged.append((0.0, False, None))
        else:
            judged.append((np.nan, False, why))
    return _per_row(col, judged)


def number_cells(col: pd.Series, high: float, why: str, *, whole: bool,
                 decimal_comma: bool, percent: bool = False) -> Cells:
    """A number from 0 to ``high`` (whole when ``whole``); ``percent``: a trailing
    ``%`` is allowed. Parsed as the logs' numbers are (:func:`.cells.parse_numbers`)."""
    uniques = _uniques(col)
    texts = [str(u).strip().removesuffix("%").strip()
             if percent and isinstance(u, str) else u for u in uniques]
    values, bad = parse_numbers(pd.Series(texts, dtype=object), decimal_comma=decimal_comma)
    judged = []
    for u, v, b in zip(uniques, values, bad, strict=True):
        if is_blank(u):
            judged.append((np.nan, False, None))
        elif b or np.isnan(v) or not 0 <= v <= high or (whole and not float(v).is_integer()):
            judged.append((np.nan, False, why))
        else:
            judged.append((float(v), False, None))
    return _per_row(col, judged)


#: ``rmdq_form`` cells: the form's kind -> what a blank item means
_FORMS = {"tick": "no", "ticks": "no", "tickonly": "no", "ticked": "no", "tickbox": "no",
          "yesno": "missing", "yn": "missing"}


def form_cells(col: pd.Series) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per row of ``rmdq_form``: (a blank item is no, the cell is written, refused)."""
    codes, uniques = distinct(col)
    meaning = [_FORMS.get(normalize_name(str(u))) for u in uniques]
    blank_no = np.array([m == "no" for m in meaning] + [False], dtype=bool)
    written = np.array([not is_blank(u) for u in uniques] + [False], dtype=bool)
    bad = np.array([m is None and not is_blank(u) for m, u in zip(meaning, uniques,
                                                                    strict=True)] + [False])
    return blank_no[codes], written[codes], bad[codes]


_WHY_ITEM = {
    "ears": "an EARS item is scored 0 to 4 (whole numbers)",
    "psfs": "a PSFS score runs from 0 (unable) to 10 (as able as before); decimals are accepted",
}
_WHY_TOTAL = {
    "odi": "odi_total is the ODI index in % (0 to 100; '32' or '32 %'), not the raw sum",
    "rmdq": "rmdq_total is the number of yes answers (0 to 24)",
    "psfs": "psfs_total is the mean of the activities' scores (0 to 10)",
    "ears": "ears_total is the EARS sum after reverse scoring (0 to 24)",
}


class CheckedSheet:
    """One sheet's cells checked: every column parsed once, problems collected."""

    def __init__(self, raw: RawTable, cols: OutcomeColumns, probs: Problems, rmdq_blank: str):
        self.raw, self.cols, self.probs = raw, cols, probs
        self.n = len(raw.frame)
        self.cells: dict[int, Cells] = {}
        self.text: dict[int, pd.Series] = {}
        roles = {p: ("item", q) for (q, _), p in cols.items.items()}
        roles.update({p: ("total", q) for q, p in cols.totals.items()})
        for pos in sorted(roles):  # in the sheet's column order: the problems' order
            role, q = roles[pos]
            self.cells[pos] = cell = self._parse(pos, role, q)
            probs.add(cell.bad, header_of(raw, pos), raw.frame[pos], cell.problem)
            self.text[pos] = parse_text(raw.frame[pos])
        for pos in cols.activities.values():
            self.text[pos] = parse_text(raw.frame[pos])
        self.blank_no = np.full(self.n, rmdq_blank == "no")
        if cols.form is not None:
            no, written, bad = form_cells(raw.frame[cols.form])
            probs.add(bad, header_of(raw, cols.form), raw.frame[cols.form],
                      "unknown RMDQ form; accepted: tick (a tick-only form: a blank "
                      "statement is no) or yes/no (a blank statement is missing); "
                      f"blank: the load option rmdq_blank={rmdq_blank!r}")
            self.blank_no = np.where(written & ~bad, no, self.blank_no)

    def _parse(self, pos: int, role: str, q: str) -> Cells:
        col, dc = self.raw.frame[pos], self.raw.decimal_comma
        if role == "total":
            return number_cells(col, TOTAL_MAX[q], _WHY_TOTAL[q], whole=False,
                                decimal_comma=dc, percent=q == "odi")
        if q == "odi":
            return odi_cells(col)
        if q == "rmdq":
            return rmdq_cells(col)
        return number_cells(col, 10 if q == "psfs" else 4, _WHY_ITEM[q], whole=q == "ears",
                            decimal_comma=dc)

    def filled(self, pos: int) -> np.ndarray:
        if pos in self.cells:
            return self.cells[pos].filled
        return self.text[pos].notna().to_numpy()

    def given(self, q: str) -> np.ndarray:
        """Rows on which questionnaire ``q`` was given (any of its cells filled)."""
        out = np.zeros(self.n, dtype=bool)
        for pos in self.cols.positions(q):
            out |= self.filled(pos)
        return out

    def psfs_pairs(self) -> None:
        """A PSFS score needs its activity and an activity its score; an activity is
        named once a visit."""
        cols, raw = self.cols, self.raw
        names = pd.DataFrame(index=range(self.n))
        for k in range(1, N_ITEMS["psfs"] + 1):
            a, s = cols.activities.get(k), cols.items.get(("psfs", k))
            if s is not None:
                has_a = self.filled(a) if a is not None else np.zeros(self.n, dtype=bool)
                where = f"psfs_activity_{k}" if a is None else header_of(raw, a)
                self.probs.add(self.filled(s) & ~has_a, header_of(raw, s), raw.frame[s],
                               f"a PSFS score needs its activity: write the activity's name "
                               f"in {where}, or clear the score")
            if a is not None:
                has_s = self.filled(s) if s is not None else np.zeros(self.n, dtype=bool)
                where = f"psfs_score_{k}" if s is None else header_of(raw, s)
                self.probs.add(self.filled(a) & ~has_s, header_of(raw, a), raw.frame[a],
                               f"this PSFS activity has no score: write 0 to 10 in {where}, "
                               "or clear the activity")
                names[k] = self.text[a].map(normalize_name, na_action="ignore")
        if names.shape[1] > 1:
            for k in names.columns[1:]:
                earlier = names.loc[:, names.columns < k]
                twice = earlier.eq(names[k], axis=0).any(axis=1).to_numpy() & names[
                    k].notna().to_numpy()
                a = cols.activities[k]
                self.probs.add(twice, header_of(raw, a), raw.frame[a],
                               "this activity is named twice in one PSFS; name each once")
