"""Turn a raw table into a canonical frame, collecting every problem on the way.

Nothing here raises on a bad row: each bad cell becomes a row of the problems
table (file, line, column, value, reason), and the caller decides whether to raise
(:func:`backrx_analysis.io.load_sessions`) or to show them
(:func:`backrx_analysis.io.check_logs`).
"""

from __future__ import annotations

from pathlib import PurePath

import numpy as np
import pandas as pd

from .cells import blank_mask, distinct, parse_dates, parse_numbers, parse_text, parse_times
from .errors import PROBLEM_COLUMNS
from .headers import SYNONYMS, HeaderMap, map_headers
from .program import SESSION, SIDES, WALK, Program
from .readers import RawTable
from .schema import DEFAULT_PATIENT, pain_dtypes, sessions_dtypes

__all__ = ["to_canonical", "TEXT_FIELDS"]

#: Fields read as text (never converted by a file reader).
TEXT_FIELDS = ("patient_id", "date", "time", "exercise", "side", "notes", "context", "location")

#: Plausibility limits: a value above is a typo, not an entry.
LIMITS = {"reps": 1000, "sets": 100, "minutes": 24 * 60, "hold_s": 600}

_SIDE_WORDS = {
    "left": "left", "l": "left", "lt": "left", "leftleg": "left", "links": "left",
    "right": "right", "r": "right", "rt": "right", "rightleg": "right",
    "both": "both", "b": "both", "bilateral": "both", "lr": "both", "rl": "both",
    "each": "both", "eachleg": "both", "bothlegs": "both", "bothsides": "both",
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
        return out.reset_index(drop=True)


def _show(v: object) -> str:
    if isinstance(v, float) and v.is_integer() and abs(v) < 1e16:
        return str(int(v))
    return str(v)


def _header(raw: RawTable, pos: int) -> str:
    return raw.headers[pos] if pos < len(raw.headers) else "(extra cells)"


def _check_number(
    raw: RawTable, probs: Problems, pos: int, field: str, *, whole: bool, minimum: float
) -> tuple[np.ndarray, np.ndarray]:
    """(values with NaN for empty or refused cells, mask of cells written at all)."""
    col = raw.frame[pos]
    vals, bad = parse_numbers(col, decimal_comma=raw.decimal_comma)
    header = _header(raw, pos)
    what = {"reps": "repetitions", "sets": "sets", "minutes": "minutes", "hold_s": "hold seconds",
            "pain": "pain"}[field]
    kind = "a whole number" if whole else "a number"
    probs.add(bad, header, col, f"not {kind}; {what} must be {kind} of {minimum:g} or more")
    written = bad | ~np.isnan(vals)
    vals = np.where(bad, np.nan, vals)
    finite = np.isfinite(vals)
    with np.errstate(invalid="ignore"):
        neg = finite & (vals < minimum)
        probs.add(neg, header, col, f"{what} must be {minimum:g} or more")
        refused = neg
        if whole:
            frac = finite & ~neg & (vals != np.floor(vals))
            probs.add(frac, header, col, f"{what} must be a whole number")
            refused = refused | frac
        limit = LIMITS.get(field)
        if limit is not None:
            big = finite & (vals > limit)
            probs.add(big, header, col, f"more than {limit} {what} in one entry is not plausible")
            refused = refused | big
    return np.where(refused, np.nan, vals), written


def _dates(raw: RawTable, hm: HeaderMap, probs: Problems, dayfirst: bool | None):
    pos = hm.fields["date"]
    col = raw.frame[pos]
    res = parse_dates(col, dayfirst=dayfirst)
    bad = res.bad
    if res.file_problem:
        probs.add_file(res.file_problem, _header(raw, pos), raw.header_line)
        bad = bad & ~res.ambiguous
    probs.add(bad, _header(raw, pos), col, res.problem)
    ts = res.timestamp
    if "time" in hm.fields:
        tpos = hm.fields["time"]
        td, tprob, tbad = parse_times(raw.frame[tpos])
        if tbad.any():
            probs.add(tbad, _header(raw, tpos), raw.frame[tpos], tprob)
        fill = np.isnat(ts) & ~np.isnat(td) & ~np.isnat(res.date)
        combined = res.date.view("i8") + np.where(fill, td.view("i8"), 0)
        ts = np.where(fill, combined, ts.view("i8")).view("M8[ns]")
    offset = pd.arrays.IntegerArray(res.offset, res.offset_mask)
    return res.date, ts, offset


def _patients(raw: RawTable, hm: HeaderMap, probs: Problems, patient_id: str | None) -> pd.Series:
    n = len(raw.frame)
    if "patient_id" in hm.fields:
        pos = hm.fields["patient_id"]
        ids = parse_text(raw.frame[pos])
        missing = ids.isna().to_numpy()
        if patient_id is not None:
            ids = ids.fillna(patient_id)
        else:
            probs.add(missing, _header(raw, pos), raw.frame[pos],
                      "missing patient id; fill it in, or remove the column for a one-patient log")
        return ids
    return pd.Series(np.full(n, patient_id or DEFAULT_PATIENT, dtype=object), dtype="string")


def _sides(raw: RawTable, hm: HeaderMap, probs: Problems) -> pd.Categorical:
    n = len(raw.frame)
    if "side" not in hm.fields:
        return pd.Categorical(np.full(n, None), categories=list(SIDES))
    pos = hm.fields["side"]
    codes, uniques = distinct(raw.frame[pos])
    from .program import normalize_name

    mapped = [_SIDE_WORDS.get(normalize_name(str(u))) for u in uniques]
    u_codes = np.array([SIDES.index(m) if m else -1 for m in mapped] + [-1], dtype=np.int8)
    blank = np.array([not str(u).strip() for u in uniques] + [True], dtype=bool)
    unknown_u = (u_codes < 0) & ~blank
    probs.add(unknown_u[codes], _header(raw, pos), raw.frame[pos],
              "unknown side; accepted: left, right, both (also L, R, B)")
    return pd.Categorical.from_codes(u_codes[codes], categories=list(SIDES))


def _exercises(raw: RawTable, hm: HeaderMap, probs: Problems, program: Program) -> pd.Categorical:
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
    unknown = u_unknown[codes]
    if unknown.any():
        probs.add(unknown, _header(raw, pos), raw.frame[pos], np.append(reasons, None)[codes])
    u_blank = np.array([not str(u).strip() for u in uniques] + [True], dtype=bool)
    missing = u_blank[codes] & ~_date_only(raw, hm)  # empty or only whitespace
    probs.add(missing, _header(raw, pos), raw.frame[pos],
              "missing exercise; write which exercise (or walk) this entry is for")
    acts = list(program.activity_ids)
    u_codes = np.array([acts.index(a) if a else -1 for a in ids] + [-1], dtype=np.int16)
    return pd.Categorical.from_codes(u_codes[codes], categories=acts)


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
    _extra_cells(raw, probs)
    date, ts, offset = _dates(raw, hm, probs, dayfirst)
    patients = _patients(raw, hm, probs, patient_id)
    notes = parse_text(raw.frame[hm.fields["notes"]]) if "notes" in hm.fields else None
    base = {
        "patient_id": patients,
        "date": date,
        "timestamp": ts,
        "utc_offset_min": offset,
    }
    if kind == "pain":
        out = _pain(raw, hm, probs, base, notes)
    elif hm.wide:
        out = _wide(raw, hm, probs, base, notes, program)
    else:
        out = _long(raw, hm, probs, base, notes, program)
    label = raw.source if raw.source.startswith("<") else PurePath(raw.source).name
    out["source"] = pd.Categorical.from_codes(np.zeros(len(out), dtype=np.int8), [label])
    dtypes = sessions_dtypes(program) if kind == "sessions" else pain_dtypes()
    out = out.astype(dtypes)[list(dtypes)]
    return out.reset_index(drop=True), probs.frame()


def _long(raw, hm, probs, base, notes, program: Program) -> pd.DataFrame:
    n = len(raw.frame)
    exercise = _exercises(raw, hm, probs, program)
    nums, written = {}, {}
    for f, whole, minimum in (("reps", True, 0), ("sets", True, 1), ("minutes", False, 0),
                              ("hold_s", False, 0)):
        if f in hm.fields:
            nums[f], written[f] = _check_number(raw, probs, hm.fields[f], f, whole=whole,
                                                minimum=minimum)
        else:
            nums[f] = np.full(n, np.nan)
            written[f] = np.zeros(n, dtype=bool)
    side = _sides(raw, hm, probs)
    acts = list(program.activity_ids)
    ex_codes = exercise.codes
    is_min_only = (ex_codes == acts.index(WALK)) | (ex_codes == acts.index(SESSION))
    no_minutes = is_min_only & ~written["minutes"]
    mpos = hm.fields.get("minutes", hm.fields["exercise"])
    probs.add(no_minutes, _header(raw, mpos), raw.frame[mpos],
              "a walk or a whole-routine entry needs its minutes")
    is_ex = (ex_codes >= 0) & ~is_min_only
    nothing = is_ex & ~written["reps"] & ~written["minutes"]
    rpos = hm.fields.get("reps", hm.fields["exercise"])
    probs.add(nothing, _header(raw, rpos), raw.frame[rpos],
              "no repetitions (or minutes) given for this exercise")
    out = pd.DataFrame(base)
    out["exercise"] = exercise
    out["reps"] = _int(nums["reps"])
    out["sets"] = _int(nums["sets"])
    out["side"] = side
    out["minutes"] = _float(nums["minutes"])
    out["hold_s"] = _float(nums["hold_s"])
    out["notes"] = notes if notes is not None else pd.Series(pd.NA, index=range(n), dtype="string")
    out["source_line"] = pd.arrays.IntegerArray(raw.lines, np.zeros(len(raw.lines), dtype=bool))
    skip = _date_only(raw, hm)
    if skip.any():
        out = out[~skip]
    out.attrs["empty_rows"] = raw.lines[skip].tolist()
    return out


def _int(values: np.ndarray) -> pd.arrays.IntegerArray:
    """Whole numbers (already checked) with NaN -> a nullable Int64 array."""
    mask = np.isnan(values)
    return pd.arrays.IntegerArray(np.nan_to_num(values).astype("int64"), mask)


def _float(values: np.ndarray) -> pd.arrays.FloatingArray:
    return pd.arrays.FloatingArray(values.astype("float64", copy=False), np.isnan(values))


def _take(base: dict, idx: np.ndarray) -> pd.DataFrame:
    return pd.DataFrame(
        {k: (v.iloc[idx].to_numpy() if isinstance(v, pd.Series) else v[idx]) for k, v in base.items()}
    )


def _wide(raw, hm, probs, base, notes, program: Program) -> pd.DataFrame:
    """One row per day, a column per exercise -> one entry per filled cell."""
    parts = []
    for wc in hm.wide:
        field = "reps" if wc.measure == "reps" else "minutes"
        vals, _ = _check_number(raw, probs, wc.position, field, whole=field == "reps", minimum=0)
        idx = np.flatnonzero(~np.isnan(vals))
        nan = np.full(len(idx), np.nan)
        part = _take(base, idx)
        part["exercise"] = wc.activity
        part["reps"] = _int(vals[idx] if field == "reps" else nan)
        part["sets"] = _int(nan)
        part["side"] = wc.side
        part["minutes"] = pd.array(vals[idx] if field == "minutes" else nan, dtype="Float64")
        part["hold_s"] = pd.array(nan, dtype="Float64")
        part["_row"] = idx
        part["_col"] = wc.position
        parts.append(part)
    out = pd.concat(parts, ignore_index=True)
    out["notes"] = pd.Series(pd.NA, index=out.index, dtype="string")
    if notes is not None:
        # a day's note goes on its first entry; a row with only a note becomes a
        # routine ("session") entry holding it, so no note is lost
        out = out.sort_values(["_row", "_col"], kind="stable").reset_index(drop=True)
        first = np.flatnonzero(~out["_row"].duplicated().to_numpy())
        out.loc[first, "notes"] = notes.iloc[out["_row"].to_numpy()[first]].to_numpy()
        lonely = np.setdiff1d(np.flatnonzero(notes.notna().to_numpy()), out["_row"].to_numpy())
        if len(lonely):
            extra = _take(base, lonely)
            extra["exercise"] = SESSION
            extra["notes"] = notes.iloc[lonely].to_numpy()
            extra["_row"] = lonely
            extra["_col"] = -1
            out = pd.concat([out, extra], ignore_index=True)
    out = out.sort_values(["_row", "_col"], kind="stable").reset_index(drop=True)
    out["source_line"] = raw.lines[out["_row"].to_numpy(dtype=np.int64)]
    return out.drop(columns=["_row", "_col"])


def _pain(raw, hm, probs, base, notes) -> pd.DataFrame:
    n = len(raw.frame)
    pos = hm.fields["pain"]
    col = raw.frame[pos]
    vals, bad = parse_numbers(col, decimal_comma=raw.decimal_comma)
    header = _header(raw, pos)
    accepted = "pain is rated 0 (no pain) to 10 (worst imaginable)"
    probs.add(bad, header, col, f"not a number; {accepted}")
    missing = np.isnan(vals) & ~bad
    probs.add(missing, header, col, f"missing pain rating; {accepted}")
    with np.errstate(invalid="ignore"):
        out_of = ~np.isnan(vals) & ((vals < 0) | (vals > 10))
    probs.add(out_of, header, col, f"outside the scale; {accepted}")
    out = pd.DataFrame(base)
    out["pain"] = pd.array(np.where(out_of, np.nan, vals), dtype="Float64")
    for f in ("context", "location"):
        out[f] = (parse_text(raw.frame[hm.fields[f]]) if f in hm.fields
                  else pd.Series(pd.NA, index=range(n), dtype="string"))
    out["notes"] = notes if notes is not None else pd.Series(pd.NA, index=range(n), dtype="string")
    out["source_line"] = raw.lines
    return out


def synonyms_table() -> pd.DataFrame:
    """The accepted header names per field (for docs and error messages)."""
    return pd.DataFrame({"field": list(SYNONYMS), "accepted headers": [", ".join(v) for v in SYNONYMS.values()]})
