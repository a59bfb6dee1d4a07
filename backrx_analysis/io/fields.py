"""Check each field of a raw table and build the columns of each kind of log.

The pieces :func:`backrx_analysis.io.validate.to_canonical` puts together: a
:class:`Problems` collector (every bad cell becomes a problem row, nothing raises),
the checks of numbers, exercise names and sides, and the builders of the long,
wide and pain layouts.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import PROBLEM_COLUMNS
from ..program import SESSION, SIDES, WALK, Program, normalize_name
from .cells import blank_mask, distinct, is_arrow_string, parse_numbers
from .header_words import SIDE_WORDS
from .headers import HeaderMap
from .raw_table import RawTable

__all__ = ["LIMITS", "Problems", "header_of", "long_columns", "wide_entries", "no_text"]


#: Plausibility limits: a value above is a typo, not an entry.
LIMITS = {"reps": 1000, "sets": 100, "minutes": 24 * 60, "hold_s": 600}

#: a side cell (after normalize_name) -> its side: English, then de, fr, es, nl, it
_SIDE_WORDS = {
    "left": "left", "l": "left", "lt": "left", "leftleg": "left",
    "right": "right", "r": "right", "rt": "right", "rightleg": "right",
    "both": "both", "b": "both", "bilateral": "both", "lr": "both", "rl": "both",
    "each": "both", "eachleg": "both", "bothlegs": "both", "bothsides": "both",
    **{normalize_name(w): s for words in SIDE_WORDS.values() for w, s in words.items()},
}


class Problems:
    """Collects problem rows column-wise (vectorised: a mask at a time)."""

    def __init__(self, raw: RawTable):
        self.raw = raw
        self.parts: list[pd.DataFrame] = []

    def add(self, mask: np.ndarray, column: str, values, reason) -> None:
        mask = np.asarray(mask, dtype=bool)
        if not mask.any():
            return
        idx = np.flatnonzero(mask)
        vals = pd.Series(values).iloc[idx] if not np.isscalar(values) else values
        reasons = reason[idx] if isinstance(reason, np.ndarray) else reason
        self.parts.append(
            pd.DataFrame(
                {
                    "file": self.raw.source,
                    "line": self.raw.lines[idx],
                    "column": column,
                    "value": np.asarray(vals, dtype=object) if not np.isscalar(vals) else vals,
                    "problem": reasons,
                    "_row": idx,
                }
            )
        )

    def add_file(self, problem: str, column: str = "", line: int | None = None) -> None:
        self.parts.append(
            pd.DataFrame(
                [{"file": self.raw.source, "line": line, "column": column, "value": "",
                  "problem": problem, "_row": -1}]
            )
        )

    def frame(self) -> pd.DataFrame:
        if not self.parts:
            out = pd.DataFrame({c: pd.Series([], dtype=object) for c in PROBLEM_COLUMNS})
        else:
            out = pd.concat(self.parts, ignore_index=True)
            out = out.sort_values(["_row"], kind="stable")[list(PROBLEM_COLUMNS)]
        out["line"] = pd.array(out["line"], dtype="Int64")
        out["value"] = out["value"].astype(object).map(_show, na_action="ignore").astype(object).fillna("")
        out = out.reset_index(drop=True)
        if self.raw.line_label != "line":  # what an app export's locator counts
            out.attrs["line_labels"] = {self.raw.source: self.raw.line_label}
        return out


def _show(v: object) -> str:
    if isinstance(v, float) and v.is_integer() and abs(v) < 1e16:
        return str(int(v))
    return str(v)


def header_of(raw: RawTable, pos: int) -> str:
    return raw.headers[pos] if pos < len(raw.headers) else "(extra cells)"


def _check_number(
    raw: RawTable, probs: Problems, pos: int, field: str, *, whole: bool, minimum: float,
    scale: float = 1.0,
) -> tuple[np.ndarray, np.ndarray]:
    """(values with NaN for empty or refused cells, mask of cells written at all);
    ``scale`` brings the unit the header names to the field's own (seconds to minutes)
    before the checks."""
    col = raw.frame[pos]
    vals, bad = parse_numbers(col, decimal_comma=raw.decimal_comma)
    if scale != 1.0:
        vals = vals * scale
    header = header_of(raw, pos)
    what = {"reps": "repetitions", "sets": "sets", "minutes": "minutes", "hold_s": "hold seconds",
            "pain": "pain"}[field]
    kind = "a whole number" if whole else "a number"
    empty = np.isnan(vals)
    if bad.any():
        probs.add(bad, header, col, f"not {kind}; {what} must be {kind} of {minimum:g} or more")
        written = bad | ~empty
        vals = np.where(bad, np.nan, vals)
    else:
        written = ~empty
    limit = LIMITS.get(field, np.inf)
    lo, hi = np.fmin.reduce(vals, initial=np.inf), np.fmax.reduce(vals, initial=-np.inf)
    if minimum <= lo and hi <= limit and (not whole or _all_whole(vals, empty)):
        return vals, written  # the usual case: every value fine, checked in a few passes
    finite = np.isfinite(vals)
    with np.errstate(invalid="ignore"):
        neg = finite & (vals < minimum)
        probs.add(neg, header, col, f"{what} must be {minimum:g} or more")
        refused = neg
        if whole:
            frac = finite & ~neg & (vals != np.floor(vals))
            probs.add(frac, header, col, f"{what} must be a whole number")
            refused = refused | frac
        if field in LIMITS:
            big = finite & (vals > limit)
            probs.add(big, header, col, f"more than {limit} {what} in one entry is not plausible")
            refused = refused | big
    return np.where(refused, np.nan, vals), written


def _sides(raw: RawTable, hm: HeaderMap, probs: Problems) -> pd.Categorical:
    n = len(raw.frame)
    if "side" not in hm.fields:
        return pd.Categorical.from_codes(np.full(n, -1, dtype=np.int8), categories=list(SIDES),
                                         validate=False)
    pos = hm.fields["side"]
    codes, uniques = distinct(raw.frame[pos])
    mapped = [_SIDE_WORDS.get(normalize_name(str(u))) for u in uniques]
    u_codes = np.array([SIDES.index(m) if m else -1 for m in mapped] + [-1], dtype=np.int8)
    blank = np.array([not str(u).strip() for u in uniques] + [True], dtype=bool)
    unknown_u = (u_codes < 0) & ~blank
    if unknown_u.any():
        probs.add(unknown_u[codes], header_of(raw, pos), raw.frame[pos],
                  "unknown side; accepted: left, right, both (also L, R, B, and links / "
                  "rechts / beide, gauche / droite, izquierda / derecha, sinistra / destra...)")
    return pd.Categorical.from_codes(np.take(u_codes, codes), categories=list(SIDES),
                                      validate=False)


def _exercises(raw: RawTable, hm: HeaderMap, probs: Problems, program: Program,
               date_only: np.ndarray) -> pd.Categorical:
    pos = hm.fields["exercise"]
    codes, uniques = distinct(raw.frame[pos])
    ids = [program.resolve(str(u)) if str(u).strip() else None for u in uniques]
    reasons = np.full(len(uniques), None, dtype=object)
    for i, (u, a) in enumerate(zip(uniques, ids, strict=True)):
        if a is None and str(u).strip():
            close = program.suggest(str(u))
            hint = f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
            names = ", ".join(e.name.lower() for e in program.exercises)
            reasons[i] = (f"unknown exercise{hint} Accepted: {names}, walk, session "
                          "(and the other names in docs/data-format.md)")
    u_unknown = np.array([r is not None for r in reasons] + [False], dtype=bool)
    if u_unknown.any():
        probs.add(u_unknown[codes], header_of(raw, pos), raw.frame[pos],
                  np.append(reasons, None)[codes])
    missing = blank_mask(raw.frame[pos]) & ~date_only  # empty or only whitespace
    probs.add(missing, header_of(raw, pos), raw.frame[pos],
              "missing exercise; write which exercise (or walk) this entry is for")
    acts = list(program.activity_ids)
    u_codes = np.array([acts.index(a) if a else -1 for a in ids] + [-1], dtype=np.int16)
    return pd.Categorical.from_codes(np.take(u_codes, codes), categories=acts, validate=False)


def _date_only(raw: RawTable, hm: HeaderMap) -> np.ndarray:
    """Rows holding nothing but a date (and patient): a template day left empty."""
    keep = {hm.fields.get("date"), hm.fields.get("time"), hm.fields.get("patient_id")}
    empty = np.ones(len(raw.frame), dtype=bool)
    for c in raw.frame.columns:
        if c in keep:
            continue
        empty &= blank_mask(raw.frame[c])
        if not empty.any():
            break
    return empty


def long_columns(raw, hm, probs, program: Program) -> tuple[dict, np.ndarray | None]:
    """The columns of a long sessions log past the shared ones, and which rows to
    keep (``None``: all; a row holding only a date is a template day left empty)."""
    n = len(raw.frame)
    date_only = _date_only(raw, hm)
    exercise = _exercises(raw, hm, probs, program, date_only)
    nums, written = {}, {}
    for f, whole, minimum in (("reps", True, 0), ("sets", True, 1), ("minutes", False, 0),
                              ("hold_s", False, 0)):
        if f in hm.fields:
            nums[f], written[f] = _check_number(raw, probs, hm.fields[f], f, whole=whole,
                                                minimum=minimum, scale=hm.scale.get(f, 1.0))
        else:
            nums[f] = np.full(n, np.nan)
            written[f] = np.zeros(n, dtype=bool)
    side = _sides(raw, hm, probs)
    # an entry an app marks unmeasured says its activity happened without its reps or
    # minutes: they stay unknown (never 0, never the target); numbers written win
    unmeasured = ~_measured(raw, hm, probs) & ~written["reps"] & ~written["minutes"]
    acts = list(program.activity_ids)
    ex_codes = exercise.codes
    is_min_only = (ex_codes == acts.index(WALK)) | (ex_codes == acts.index(SESSION))
    no_minutes = is_min_only & ~written["minutes"] & ~unmeasured
    mpos = hm.fields.get("minutes", hm.fields["exercise"])
    probs.add(no_minutes, header_of(raw, mpos), raw.frame[mpos],
              "a walk or a whole-routine entry needs its minutes")
    is_ex = (ex_codes >= 0) & ~is_min_only
    nothing = is_ex & ~written["reps"] & ~written["minutes"] & ~unmeasured
    rpos = hm.fields.get("reps", hm.fields["exercise"])
    probs.add(nothing, header_of(raw, rpos), raw.frame[rpos],
              "no repetitions (or minutes) given for this exercise")
    cols = {
        "exercise": exercise,
        "reps": _int(nums["reps"]),
        "sets": _int(nums["sets"]),
        "side": side,
        "minutes": _float(nums["minutes"]),
        "hold_s": _float(nums["hold_s"]),
        "measured": pd.arrays.BooleanArray(~unmeasured, np.zeros(n, dtype=bool)),
    }
    return cols, (~date_only if date_only.any() else None)


_YES, _NO = {"true", "yes", "y", "1", "ja", "oui", "si", "sí", "sì"}, {"false", "no", "n", "0", "nein", "non", "nee"}


def _measured(raw, hm, probs) -> np.ndarray:
    """The ``measured`` column (True where absent or blank): ``False`` for an entry
    that says its activity happened and gives no reps or minutes."""
    n = len(raw.frame)
    if "measured" not in hm.fields:
        return np.ones(n, dtype=bool)
    pos = hm.fields["measured"]
    codes, uniques = distinct(raw.frame[pos])
    value = np.ones(len(uniques) + 1, dtype=bool)
    bad = np.zeros(len(uniques) + 1, dtype=bool)
    for i, u in enumerate(uniques):
        if isinstance(u, bool | np.bool_):
            value[i] = bool(u)
            continue
        word = str(u).strip().casefold()
        if word in _NO:
            value[i] = False
        elif word and word not in _YES:
            bad[i] = True
    probs.add(bad[codes], header_of(raw, pos), raw.frame[pos],
              "not yes or no; accepted: yes (the reps or minutes are written), no (the "
              "entry says the activity happened, without them), or empty (yes)")
    return value[codes]


def no_text(n: int) -> pd.arrays.ArrowStringArray:
    """``n`` missing values of the ``string`` dtype (an Arrow array of nulls)."""
    import pyarrow as pa

    return pd.arrays.ArrowStringArray(pa.nulls(n, pa.large_string()))


def _all_whole(values: np.ndarray, empty: np.ndarray) -> bool:
    with np.errstate(invalid="ignore"):  # NaN cells: their integer is moot
        return bool(((values.astype(np.int64) == values) | empty).all())


def _int(values: np.ndarray) -> pd.arrays.IntegerArray:
    """Whole numbers (already checked) with NaN -> a nullable Int64 array."""
    with np.errstate(invalid="ignore"):  # NaN cells are masked: their integer is moot
        return pd.arrays.IntegerArray(values.astype(np.int64), np.isnan(values))


def _float(values: np.ndarray) -> pd.arrays.FloatingArray:
    return pd.arrays.FloatingArray(values.astype("float64", copy=False), np.isnan(values))


def _take(values, idx: np.ndarray, keep: np.ndarray | None = None):
    """Rows ``idx`` of a column (a Series, an array or an extension array); where
    ``keep`` is False, a missing value instead (strings only)."""
    if isinstance(values, pd.Series) and is_arrow_string(values):
        import pyarrow as pa

        arr = pa.chunked_array(values.array.__arrow_array__())
        return pd.arrays.ArrowStringArray(
            arr.take(pa.array(idx, mask=None if keep is None else ~keep)))
    if isinstance(values, pd.Series):
        values = values.array
    out = values[idx]
    return out if keep is None else pd.Series(out).where(keep).array


def wide_entries(raw, hm, probs, base, notes, program: Program) -> pd.DataFrame:
    """One row per day, a column per exercise -> one entry per filled cell, in the
    order of the sheet (row by row, column by column).

    A day's note goes on its first entry; a row with only a note becomes a routine
    (``session``) entry holding it, so no note is lost."""
    n = len(raw.frame)
    checked = {}
    for wc in hm.wide:  # in the header map's order: the order of the problems
        field = "reps" if wc.measure == "reps" else "minutes"
        checked[wc.position], _ = _check_number(raw, probs, wc.position, field,
                                                whole=field == "reps", minimum=0)
    wide: list = sorted(hm.wide, key=lambda wc: wc.position)
    if notes is not None:  # a leading column: the rows holding nothing but a note
        wide = [None, *wide]
    values = np.empty((n, len(wide)))  # a row per sheet row, a column per wide column
    for j, wc in enumerate(wide):
        values[:, j] = np.nan if wc is None else checked[wc.position]
    filled = ~np.isnan(values)
    if notes is not None:
        filled[:, 0] = notes.notna().to_numpy() & ~filled[:, 1:].any(axis=1)
    flat = np.flatnonzero(filled)  # row-major: row by row, column by column
    rows, cols = np.divmod(flat, len(wide))
    acts, sides = list(program.activity_ids), list(SIDES)
    act = np.array([acts.index(wc.activity if wc else SESSION) for wc in wide], dtype=np.int16)
    side = np.array([sides.index(wc.side) if wc and wc.side else -1 for wc in wide], np.int8)
    is_reps = np.array([bool(wc) and wc.measure == "reps" for wc in wide])
    is_minutes = np.array([bool(wc) and wc.measure != "reps" for wc in wide])
    cell = values.ravel()[flat]
    none = np.full(len(rows), np.nan)
    out = pd.DataFrame({k: _take(v, rows) for k, v in base.items()}, copy=False)
    out["exercise"] = pd.Categorical.from_codes(act[cols], categories=acts, validate=False)
    out["reps"] = _int(np.where(is_reps[cols], cell, np.nan))
    out["sets"] = _int(none)
    out["side"] = pd.Categorical.from_codes(side[cols], categories=sides, validate=False)
    out["minutes"] = _float(np.where(is_minutes[cols], cell, np.nan))
    out["hold_s"] = _float(none)
    out["measured"] = pd.arrays.BooleanArray(np.ones(len(rows), dtype=bool),
                                             np.zeros(len(rows), dtype=bool))
    if notes is None:
        out["notes"] = no_text(len(rows))
    else:
        first = np.ones(len(rows), dtype=bool)
        first[1:] = rows[1:] != rows[:-1]
        out["notes"] = _take(notes, rows, keep=first)
    out["source_line"] = pd.arrays.IntegerArray(raw.lines[rows], np.zeros(len(rows), bool))
    return out
