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

from .cells import (
    PARALLEL_MIN_ROWS,
    blank_mask,
    distinct,
    nat,
    parse_dates,
    parse_numbers,
    parse_text,
    parse_times,
)
from .errors import PROBLEM_COLUMNS
from .headers import SYNONYMS, HeaderMap, map_headers
from .program import SESSION, SIDES, WALK, Program
from .readers import RawTable
from .schema import DEFAULT_PATIENT, conform, pain_dtypes, sessions_dtypes

__all__ = ["to_canonical", "READ_AS"]

#: How a file reader keeps each field (never converting it on its own): names as
#: text, free text and ids as strings, dates and times typed only when written
#: the ISO way (see :mod:`backrx_analysis.arrow_csv`).
READ_AS = {
    "patient_id": "string", "date": "date", "time": "time", "exercise": "text",
    "side": "text", "notes": "string", "context": "string", "location": "string",
}

NAT_I8 = np.iinfo(np.int64).min

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
    if unknown_u.any():
        probs.add(unknown_u[codes], _header(raw, pos), raw.frame[pos],
                  "unknown side; accepted: left, right, both (also L, R, B)")
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
        probs.add(u_unknown[codes], _header(raw, pos), raw.frame[pos],
                  np.append(reasons, None)[codes])
    u_blank = np.array([not str(u).strip() for u in uniques] + [True], dtype=bool)
    if u_blank[:-1].any() or codes.min(initial=0) < 0:
        missing = u_blank[codes] & ~date_only  # empty or only whitespace
        probs.add(missing, _header(raw, pos), raw.frame[pos],
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
        col = raw.frame[c]
        if isinstance(col.dtype, pd.CategoricalDtype) and col.array.codes.min(initial=0) >= 0 and (
                all(str(u).strip() for u in col.cat.categories)):
            return np.zeros(len(raw.frame), dtype=bool)  # a name in every row
        empty &= blank_mask(col)
        if not empty.any():
            break
    return empty


def _same_text(value: object, header: str) -> bool:
    return str(value).replace("\ufeff", "").strip().casefold() == header.casefold()


def _drop_repeated_headers(raw: RawTable, hm: HeaderMap, probs: Problems) -> RawTable:
    """Lines repeating the header (two exports joined into one file) are one problem
    each, not a problem per cell; the other checks go on without them."""
    pos = hm.fields["date"]
    header = raw.headers[pos].replace("\ufeff", "").strip()
    codes, uniques = distinct(raw.frame[pos]) if raw.frame[pos].dtype.kind == "O" else ([], [])
    hit = [i for i, u in enumerate(uniques) if _same_text(u, header)]
    if not hit:
        return raw
    rows = np.flatnonzero(np.isin(codes, hit))
    rows = [r for r in rows if all(
        _same_text(raw.frame.iat[r, c], h.replace("\ufeff", "").strip())
        for c, h in enumerate(raw.headers) if h.strip() and pd.notna(raw.frame.iat[r, c]))]
    if not rows:
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

    def shared() -> tuple[dict, pd.Series | None]:  # what every kind of log has
        date, ts, offset = _dates(raw, hm, first, dayfirst)
        patients = _patients(raw, hm, first, patient_id)
        notes = parse_text(raw.frame[hm.fields["notes"]]) if "notes" in hm.fields else None
        return {"patient_id": patients, "date": date, "timestamp": ts, "utc_offset_min": offset}, notes

    columns = _pain_columns if kind == "pain" else None if hm.wide else _long_columns
    if columns is not None and len(raw.frame) >= PARALLEL_MIN_ROWS:
        with ThreadPoolExecutor(1) as pool:
            shared_done = pool.submit(shared)
            cols, keep = columns(raw, hm, second, program)
            base, notes = shared_done.result()
    else:
        base, notes = shared()
        cols, keep = columns(raw, hm, second, program) if columns else (None, None)
    probs.parts += first.parts + second.parts  # the order of doing one after the other
    if cols is None:
        out = _wide(raw, hm, probs, base, notes, program)
    else:
        n = len(raw.frame)
        out = pd.DataFrame(
            {**base, **cols,
             "notes": notes if notes is not None else _no_text(n),
             "source_line": pd.arrays.IntegerArray(raw.lines, np.zeros(n, dtype=bool))},
            copy=False,
        )
        if keep is not None:
            out = out[keep]
    label = raw.source if raw.source.startswith("<") else PurePath(raw.source).name
    out["source"] = pd.Categorical.from_codes(np.zeros(len(out), dtype=np.int8), [label])
    out = conform(out, sessions_dtypes(program) if kind == "sessions" else pain_dtypes())
    return out, probs.frame()


def _long_columns(raw, hm, probs, program: Program) -> tuple[dict, np.ndarray | None]:
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
    cols = {
        "exercise": exercise,
        "reps": _int(nums["reps"]),
        "sets": _int(nums["sets"]),
        "side": side,
        "minutes": _float(nums["minutes"]),
        "hold_s": _float(nums["hold_s"]),
    }
    return cols, (~date_only if date_only.any() else None)


def _no_text(n: int) -> pd.arrays.ArrowStringArray:
    return pd.array(np.full(n, None), dtype="string")


def _all_whole(values: np.ndarray, empty: np.ndarray) -> bool:
    with np.errstate(invalid="ignore"):  # NaN cells: their integer is moot
        return bool(((values.astype(np.int64) == values) | empty).all())


def _int(values: np.ndarray) -> pd.arrays.IntegerArray:
    """Whole numbers (already checked) with NaN -> a nullable Int64 array."""
    with np.errstate(invalid="ignore"):  # NaN cells are masked: their integer is moot
        return pd.arrays.IntegerArray(values.astype(np.int64), np.isnan(values))


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


def _pain_columns(raw, hm, probs, program: Program) -> tuple[dict, None]:
    """The columns of a pain log past the shared ones (every row is kept)."""
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
    cols = {"pain": _float(np.where(out_of, np.nan, vals))}
    for f in ("context", "location"):
        cols[f] = parse_text(raw.frame[hm.fields[f]]) if f in hm.fields else _no_text(n)
    return cols, None


def synonyms_table() -> pd.DataFrame:
    """The accepted header names per field (for docs and error messages)."""
    return pd.DataFrame({"field": list(SYNONYMS), "accepted headers": [", ".join(v) for v in SYNONYMS.values()]})
